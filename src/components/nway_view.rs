//! Many runs in one table: a row per field that differs, sortable, the best value marked,
//! and the loss of each run at a chosen step, read from its curve.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::app::Store;
use crate::chart::series_math::{nearest, XAxis};
use crate::components::use_curve::{curve_source, default_tag};
use crate::diff::export::{show, table_html, table_markdown};
use crate::diff::nway::compare;
use crate::format;
use crate::loader::download::save_text;
use crate::loader::load_curve;
use crate::runs::Run;
use crate::state::{Action, CurveLoad};

/// Props of [`NwayView`].
#[derive(Properties, Clone)]
pub struct NwayProps {
    /// The runs, in column order.
    pub runs: Vec<Rc<Run>>,
}

impl PartialEq for NwayProps {
    fn eq(&self, o: &Self) -> bool {
        self.runs.len() == o.runs.len()
            && self.runs.iter().zip(&o.runs).all(|(a, b)| Rc::ptr_eq(a, b))
    }
}

/// Sort order: by field (file order), or by one run's value.
#[derive(Clone, Copy, PartialEq)]
enum Sort {
    Field,
    Run(usize, bool),
}

/// The table.
#[component]
pub fn NwayView(props: &NwayProps) -> Html {
    let store = use_context::<Store>();
    let sort = use_state(|| Sort::Field);
    let at_step = use_state(|| None::<i64>);
    let table = use_memo(props.clone(), |p| {
        let archives: Vec<&crate::archive::Archive> =
            p.runs.iter().map(|r| &r.parsed.archive).collect();
        compare(&archives)
    });
    // Each run's train steps: their curves are read for the loss-at-step row.
    let trains: Vec<Vec<(usize, String)>> = props
        .runs
        .iter()
        .map(|r| {
            r.parsed
                .archive
                .steps
                .steps
                .iter()
                .enumerate()
                .filter(|(_, s)| s.training().is_some())
                .map(|(i, s)| (i, s.stage().unwrap_or("").to_string()))
                .collect()
        })
        .collect();
    {
        let store = store.clone();
        let runs = props.clone();
        let want = at_step.is_some();
        use_effect_with((runs, want), move |(runs, want)| {
            if let (true, Some(store)) = (*want, store) {
                for r in &runs.runs {
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
            }
        });
    }
    let mut order: Vec<usize> = (0..table.rows.len()).collect();
    if let Sort::Run(c, desc) = *sort {
        order.sort_by(|&x, &y| {
            let v = |i: usize| {
                table.rows[i]
                    .values
                    .get(c)
                    .and_then(|n| n.as_ref())
                    .and_then(|n| n.as_f64())
            };
            let o = v(x).partial_cmp(&v(y)).unwrap_or(std::cmp::Ordering::Equal);
            if desc {
                o.reverse()
            } else {
                o
            }
        });
    }
    let header_click = |c: usize| {
        let sort = sort.clone();
        Callback::from(move |_| {
            sort.set(match *sort {
                Sort::Run(x, false) if x == c => Sort::Run(c, true),
                Sort::Run(x, true) if x == c => Sort::Field,
                _ => Sort::Run(c, false),
            })
        })
    };
    let on_step = {
        let at_step = at_step.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            at_step.set(input.value().trim().parse::<i64>().ok());
        })
    };
    let close = {
        let store = store.clone();
        Callback::from(move |_| {
            if let Some(s) = &store {
                s.dispatch(Action::Compare(Vec::new()));
            }
        })
    };
    let md = {
        let t = table.clone();
        let store = store.clone();
        Callback::from(move |_| {
            let saved = save_text(
                &table_markdown(&t),
                "text/markdown",
                "runlens-comparison.md",
            );
            if let (Err(e), Some(s)) = (saved, &store) {
                s.dispatch(Action::Error(e));
            }
        })
    };
    let html_export = {
        let t = table.clone();
        let store = store.clone();
        Callback::from(move |_| {
            let saved = save_text(&table_html(&t), "text/html", "runlens-comparison.html");
            if let (Err(e), Some(s)) = (saved, &store) {
                s.dispatch(Action::Error(e));
            }
        })
    };
    // Loss at the chosen step, per stage, from each run's curve.
    let stages: Vec<String> = {
        let mut v: Vec<String> = Vec::new();
        for t in &trains {
            for (_, s) in t {
                if !v.contains(s) {
                    v.push(s.clone());
                }
            }
        }
        v
    };
    let step_rows = at_step.map(|n| {
        stages.iter().map(|stage| {
            let cells: Vec<Html> = props.runs.iter().zip(&trains).map(|(r, t)| {
                let Some((i, _)) = t.iter().find(|(_, s)| s == stage) else { return html! { <td class="muted">{ "—" }</td> } };
                let Some((key, _, _)) = curve_source(r, *i) else { return html! { <td class="muted">{ "no curve" }</td> } };
                match store.as_ref().and_then(|s| s.curves.get(&key).cloned()) {
                    Some(CurveLoad::Ready(c)) => {
                        let tags: Vec<String> = c.curves.series.iter().map(|s| s.tag.clone()).collect();
                        let Some(series) = c.curves.series.get(default_tag(&tags)) else { return html! { <td></td> } };
                        match nearest(series, XAxis::Step, n as f64) {
                            Some(k) if series.step(k) == n => html! { <td class="num">{ format::value(series.value(k)) }</td> },
                            Some(k) => html! { <td class="num" title="nearest logged step">{ format!("{} (step {})", format::value(series.value(k)), series.step(k)) }</td> },
                            None => html! { <td class="muted">{ "—" }</td> },
                        }
                    }
                    Some(CurveLoad::Failed(m)) => html! { <td class="muted" title={m}>{ "unreadable" }</td> },
                    _ => html! { <td class="muted">{ "reading…" }</td> },
                }
            }).collect();
            html! { <tr class="at-step"><td>{ format!("{stage} curve") }</td><td class="mono">{ format!("loss @ step {n}") }</td>{ for cells }</tr> }
        }).collect::<Vec<Html>>()
    });
    html! {
        <section id="nway-view" aria-label="Comparison table">
            <header class="compare-head">
                <h1 id="compare-title">{ format!("{} runs compared", props.runs.len()) }</h1>
                <div class="row wrap">
                    <label>{ "loss at step " }<input type="number" min="0" placeholder="N" aria-label="Step for the loss row" oninput={on_step} /></label>
                    <button type="button" onclick={md}>{ "Markdown" }</button>
                    <button type="button" onclick={html_export}>{ "HTML" }</button>
                    <button type="button" onclick={close}>{ "Close" }</button>
                </div>
                <p class="compare-count">{ format!("{} fields differ. ★ marks the best value where better and worse are known. Click a run to sort by it.", table.rows.len()) }</p>
            </header>
            <div class="table-scroll">
                <table class="grid nway">
                    <thead><tr>
                        <th scope="col">{ "section" }</th><th scope="col">{ "field" }</th>
                        { for props.runs.iter().enumerate().map(|(i, r)| {
                            let arrow = match *sort { Sort::Run(c, false) if c == i => " ▲", Sort::Run(c, true) if c == i => " ▼", _ => "" };
                            let aria = match *sort { Sort::Run(c, false) if c == i => "ascending", Sort::Run(c, true) if c == i => "descending", _ => "none" };
                            html! { <th scope="col" aria-sort={aria}><button type="button" class="linkish mono" onclick={header_click(i)}>{ format!("{}{arrow}", r.run_id()) }</button></th> }
                        }) }
                    </tr></thead>
                    <tbody>
                        { for step_rows.into_iter().flatten() }
                        { for order.iter().map(|&ri| {
                            let row = &table.rows[ri];
                            html! {
                                <tr>
                                    <td>{ row.section.clone() }</td>
                                    <td class="mono">{ row.field.clone() }</td>
                                    { for row.values.iter().enumerate().map(|(i, v)| {
                                        let best = row.best == Some(i);
                                        html! { <td class={classes!("mono", best.then_some("best"))}>{ show(v) }{ if best { " ★" } else { "" } }</td> }
                                    }) }
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}
