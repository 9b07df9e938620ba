//! The loss curves of many runs on one chart: for a chosen training stage, each run's train
//! step of that stage, read from its curve file. A run without that stage, or whose file is
//! missing or unreadable, is named under the chart (with a drop target for a missing file).

use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::components::curve_drop::CurveDrop;
use crate::components::loss_chart::{ChartLine, LossChart};
use crate::components::use_curve::default_tag;
use crate::diff::nway::train_steps;
use crate::loader::curve_source;
use crate::loader::load_curve;
use crate::runs::{CurveFile, Run};
use crate::state::{CurveLoad, Store};

/// The compared runs, equal when they are the same runs in the same order.
#[derive(Clone)]
pub struct RunList(pub Vec<Rc<Run>>);

impl PartialEq for RunList {
    fn eq(&self, o: &Self) -> bool {
        self.0.len() == o.0.len() && self.0.iter().zip(&o.0).all(|(a, b)| Rc::ptr_eq(a, b))
    }
}

/// Reads every train step's curve of `runs`, once asked for.
#[hook]
pub fn use_train_curves(runs: RunList, wanted: bool) {
    let store = use_context::<Store>();
    use_effect_with((runs, wanted), move |(runs, wanted)| {
        let (true, Some(store)) = (*wanted, store) else {
            return;
        };
        for r in &runs.0 {
            for (i, s) in r.parsed.archive.steps.steps.iter().enumerate() {
                if s.training().is_none() {
                    continue;
                }
                if let Some((key, name, src)) = curve_source(r, i) {
                    if !store.curves.contains_key(&key) {
                        load_curve(key, name, src, store.dispatcher());
                    }
                }
            }
        }
    });
}

/// Props of [`NwayOverlay`].
#[derive(Properties, PartialEq, Clone)]
pub struct NwayOverlayProps {
    /// The runs, in column order (the palette follows it).
    pub runs: RunList,
}

/// Why a run has no line on the chart, or `None` when it has one.
enum Absent {
    NoStep,
    Missing(String),
    Failed(String),
    Reading,
}

/// The chart, a stage picker, and what is not drawn.
#[component]
pub fn NwayOverlay(props: &NwayOverlayProps) -> Html {
    let store = use_context::<Store>();
    let runs = &props.runs.0;
    let archives: Vec<&crate::archive::Archive> = runs.iter().map(|r| &r.parsed.archive).collect();
    let (trains, stages) = train_steps(&archives);
    let stage = use_state(|| None::<String>);
    let chosen = stage
        .as_ref()
        .filter(|s| stages.contains(s))
        .or(stages.first())
        .cloned()
        .unwrap_or_default();
    let mut lines = Vec::new();
    let mut absent: Vec<(Rc<Run>, Absent)> = Vec::new();
    for (color, (r, t)) in runs.iter().zip(&trains).enumerate() {
        let Some((i, _)) = t.iter().find(|(_, s)| *s == chosen) else {
            absent.push((r.clone(), Absent::NoStep));
            continue;
        };
        let load =
            curve_source(r, *i).and_then(|(key, _, _)| store.as_ref()?.curves.get(&key).cloned());
        match (load, r.curve_path(*i).map(|p| r.resolve_file(&p))) {
            (_, Some(CurveFile::Missing(n))) => absent.push((r.clone(), Absent::Missing(n))),
            (Some(CurveLoad::Ready(c)), _) => {
                let tags: Vec<String> = c.curves.series.iter().map(|s| s.tag.clone()).collect();
                let series = default_tag(&tags);
                if let Some(tag) = tags.get(series) {
                    lines.push(ChartLine {
                        curves: c.clone(),
                        series,
                        label: format!("{} · {tag}", r.run_id()),
                        color,
                    });
                }
            }
            (Some(CurveLoad::Failed(m)), _) => {
                absent.push((r.clone(), Absent::Failed(m.to_string())))
            }
            _ => absent.push((r.clone(), Absent::Reading)),
        }
    }
    let on_stage = {
        let stage = stage.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            stage.set(Some(sel.value()));
        })
    };
    html! {
        <section class="nway-overlay" aria-label="Loss curves of the compared runs">
            <div class="chart-head">
                <label>{ "stage " }
                    <select onchange={on_stage} aria-label="Training stage">
                        { for stages.iter().map(|s| html! { <option value={s.clone()} selected={*s == chosen}>{ s.clone() }</option> }) }
                    </select>
                </label>
                <span class="muted">{ format!("{} of {} runs drawn", lines.len(), runs.len()) }</span>
            </div>
            if !lines.is_empty() { <LossChart {lines} name={format!("runs-{chosen}-loss")} /> }
            if !absent.is_empty() {
                <ul class="overlay-absent">
                    { for absent.iter().map(|(r, why)| absent_item(r, why, &chosen)) }
                </ul>
            }
        </section>
    }
}

fn absent_item(r: &Rc<Run>, why: &Absent, stage: &str) -> Html {
    let id = r.run_id();
    match why {
        Absent::NoStep => {
            html! { <li class="muted">{ format!("{id}: no train ({stage}) step") }</li> }
        }
        Absent::Reading => {
            html! { <li class="muted" role="status">{ format!("{id}: reading…") }</li> }
        }
        Absent::Failed(m) => html! { <li class="bad">{ format!("{id}: {m}") }</li> },
        Absent::Missing(n) => {
            let file = n.rsplit('/').next().unwrap_or(n).to_string();
            html! {
                <li>
                    <CurveDrop run_key={r.key.clone()} file_name={file.clone()} why={format!("{id}: the loss curve {file} is not among the files loaded with this run.")} />
                </li>
            }
        }
    }
}
