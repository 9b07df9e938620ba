//! A train step's loss chart: finds the step's curve file (or log), loads it with a progress
//! bar, offers the tags, and shows the step's training figures beside the chart, flagged
//! when they disagree with the curve. When the file is not there, it names it and takes a
//! drop.

use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::archive::model::Training;
use crate::chart::figures::check;
use crate::components::curve_drop::CurveDrop;
use crate::components::loss_chart::{ChartLine, LossChart};
use crate::components::use_curve::{default_tag, use_step_curve};
use crate::format;
use crate::runs::{CurveFile, Run};
use crate::state::{CurveLoad, LoadedCurves};

/// Props of [`StepChart`].
#[derive(Properties, Clone)]
pub struct StepChartProps {
    /// The run.
    pub run: Rc<Run>,
    /// Index of the step.
    pub index: usize,
}

impl PartialEq for StepChartProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.run, &o.run) && self.index == o.index
    }
}

/// Seq length times global batch size: the tokens one iteration reads, for the
/// tokens-seen axis.
fn tokens_per_step(step: Option<&crate::archive::Step>) -> Option<f64> {
    let p = step?.map("params")?;
    let seq = p.get("seq_length").and_then(|n| n.as_f64())?;
    let gbs = p.get("global_batch_size").and_then(|n| n.as_f64())?;
    Some(seq * gbs)
}

/// The chart of a step.
#[component]
pub fn StepChart(props: &StepChartProps) -> Html {
    let run = &props.run;
    let step = run.parsed.archive.steps.steps.get(props.index);
    let anchor = step.map(|s| crate::components::completeness_section::step_anchor(s, props.index));
    let chosen = use_state(|| {
        crate::components::loss_chart::chart_from_url(anchor.as_deref()).and_then(|c| c.tag)
    });
    let curve = use_step_curve(run, props.index);
    let (Some(path), Some(resolved)) = (curve.path.clone(), curve.file.clone()) else {
        return html! {};
    };
    let file_name = path.rsplit('/').next().unwrap_or(&path).to_string();
    let drop = |why: String| {
        html! { <CurveDrop run_key={run.key.clone()} file_name={file_name.clone()} {why} /> }
    };
    let show = |curves: &Rc<LoadedCurves>, partial: bool| {
        let on_tag = {
            let chosen = chosen.clone();
            Callback::from(move |e: Event| {
                let sel: HtmlSelectElement = e.target_unchecked_into();
                chosen.set(Some(sel.value()));
            })
        };
        ready(Shown {
            curves,
            chosen: chosen.as_deref(),
            on_tag,
            training: step.and_then(|s| s.training()).unwrap_or_default(),
            tokens_per_step: tokens_per_step(step),
            name: format!("{}-{}", run.run_id(), file_name),
            anchor: anchor.clone(),
            reduced: match &resolved {
                CurveFile::Missing(name) => Some(name.clone()),
                _ => None,
            },
            partial,
        })
    };
    let body = match (&resolved, &curve.load) {
        // A shared run's link carries a reduced copy of its curves: drawn, with a note.
        (CurveFile::Missing(name), l) if !matches!(l, Some(CurveLoad::Ready(_))) => drop(format!(
            "The loss curve {name} is not among the files loaded with this run."
        )),
        (_, None) => loading(&file_name, 0, 0),
        (_, Some(CurveLoad::Loading { read, total })) => match &curve.part {
            // The points read so far are drawn while the rest arrives.
            Some(part) => html! {
                <>
                    { loading(&file_name, *read, *total) }
                    { show(part, true) }
                </>
            },
            None => loading(&file_name, *read, *total),
        },
        // The chart in the place it had while its file was read (after the progress, gone
        // now): the same chart goes on (its smoothing, index and view kept) instead of a new
        // one drawing every point afresh.
        (_, Some(CurveLoad::Ready(curves))) => html! {
            <>
                { Html::default() }
                { show(curves, false) }
            </>
        },
        (_, Some(CurveLoad::Failed(msg))) => html! {
            <>
                <p class="error-box" role="alert">{ msg.to_string() }</p>
                { drop("Drop a readable copy of the file.".to_string()) }
            </>
        },
    };
    html! { <div class="curve">{ body }</div> }
}

/// The progress of reading the curve file.
fn loading(file_name: &str, read: u64, total: u64) -> Html {
    html! {
        <div class="curve-loading" role="status">
            <progress max={total.max(1).to_string()} value={read.to_string()} aria-label={format!("Reading {file_name}")}></progress>
            { format!(" Reading {file_name}: {} of {}", format::bytes(read), if total > 0 { format::bytes(total) } else { "?".into() }) }
        </div>
    }
}

/// What a read curve file is drawn with.
struct Shown<'a> {
    curves: &'a Rc<LoadedCurves>,
    chosen: Option<&'a str>,
    on_tag: Callback<Event>,
    training: Training,
    tokens_per_step: Option<f64>,
    name: String,
    anchor: Option<String>,
    /// The file whose reduced copy (from a share link) is drawn, when it is one.
    reduced: Option<String>,
    /// Only part of the file is read yet (the figures are not checked against it).
    partial: bool,
}

/// The tag picker, the chart with the training figures beside it, and the file's problems.
fn ready(s: Shown<'_>) -> Html {
    let curves = s.curves;
    let tags: Vec<String> = curves.curves.series.iter().map(|x| x.tag.clone()).collect();
    let idx = s
        .chosen
        .and_then(|c| tags.iter().position(|t| t == c))
        .unwrap_or_else(|| default_tag(&tags));
    let loss_idx = default_tag(&tags);
    let line = curves.curves.series.get(idx).map(|x| ChartLine {
        curves: curves.clone(),
        series: idx,
        label: x.tag.clone(),
        color: 0,
    });
    let problems = &curves.curves.problems;
    let restarts: usize = curves
        .curves
        .series
        .get(idx)
        .map_or(0, |x| x.restarts.len());
    html! {
        <div class="step-chart" data-partial={s.partial.then_some("true")}>
            <div class="chart-head">
                <label>{ "tag " }
                    <select onchange={s.on_tag} aria-label="Tag">
                        { for tags.iter().enumerate().map(|(i, t)| html! { <option value={t.clone()} selected={i == idx}>{ t.clone() }</option> }) }
                    </select>
                </label>
                <span class="muted">{ format!("{} · {} series · {} points", curves.name, tags.len(), format::grouped(curves.curves.points() as u64)) }</span>
                if restarts > 0 { <span class="badge warn">{ format!("{restarts} restart(s): the step went back (resumed from a checkpoint); dashed lines mark them") }</span> }
            </div>
            if let Some(name) = &s.reduced {
                <p class="chart-reduced muted small" role="note">{ format!("This chart is drawn from a reduced copy of the curve that the link carries ({}); drop {name} to chart every point.", curves.name) }</p>
            }
            if tags.is_empty() { <p class="muted">{ "The file holds no scalar series." }</p> }
            if let Some(line) = line {
                <div class="chart-and-figures">
                    <LossChart lines={vec![line]} tokens_per_step={s.tokens_per_step} name={s.name}
                        url_key={s.anchor.map(AttrValue::from)} tag={tags.get(idx).cloned().map(AttrValue::from)} />
                    { figures(&s.training, curves.curves.series.get(loss_idx).filter(|_| !s.partial)) }
                </div>
            }
            if !problems.is_empty() {
                <ul class="problems">
                    { for problems.iter().map(|p| html! { <li><span class="badge warn">{ p.at.to_string() }</span>{ " " }{ p.message.clone() }</li> }) }
                </ul>
            }
        </div>
    }
}

fn figures(t: &Training, loss: Option<&crate::ingest::Series>) -> Html {
    html! {
        <div class="figures side" aria-label="Training figures against the curve">
            { for check(t, loss).into_iter().map(|c| {
                let flag = c.agrees == Some(false);
                html! {
                    <div class={classes!("figure", flag.then_some("disagree"))}>
                        <div class="label">{ c.label }</div>
                        <div class="value num">{ c.archive.map(format::number).unwrap_or_else(|| "not recorded".into()) }</div>
                        if let Some(v) = c.curve {
                            <div class={classes!("small", if flag { "bad" } else { "muted" })}>
                                { if flag { format!("curve says {}", shown(v)) } else { format!("curve {}", shown(v)) } }
                            </div>
                        }
                    </div>
                }
            }) }
        </div>
    }
}

/// A curve figure: read values as stored, derived ones (ppl) to 6 significant digits.
fn shown(v: f64) -> String {
    let s = format::value(v);
    if s.len() > 10 {
        format!("{v:.6}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    } else {
        s
    }
}
