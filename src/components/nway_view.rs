//! Many runs in one table: a row per field that differs, sortable, the best value marked,
//! and the loss of each run at a chosen step, read from its curve.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::chart::series_math::{nearest, XAxis};
use crate::components::use_curve::{curve_source, default_tag};
use crate::diff::export::{show, table_html, table_markdown};
use crate::diff::nway::{compare, row_order, train_steps, RowSort, Table};
use crate::format;
use crate::loader::download::save_text;
use crate::loader::load_curve;
use crate::runs::Run;
use crate::state::{Action, CurveLoad, Store};

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

/// Reads every train step's curve of `runs` (for the loss-at-step rows), once asked for.
#[hook]
fn use_train_curves(runs: &NwayProps, wanted: bool) {
    let store = use_context::<Store>();
    use_effect_with((runs.clone(), wanted), move |(runs, wanted)| {
        let (true, Some(store)) = (*wanted, store) else {
            return;
        };
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
    });
}

/// The table.
#[component]
pub fn NwayView(props: &NwayProps) -> Html {
    let sort = use_state(|| RowSort::Field);
    let at_step = use_state(|| None::<i64>);
    let table = use_memo(props.clone(), |p| {
        let archives: Vec<&crate::archive::Archive> =
            p.runs.iter().map(|r| &r.parsed.archive).collect();
        compare(&archives)
    });
    use_train_curves(props, at_step.is_some());
    let order = row_order(&table, *sort);
    let on_step = {
        let at_step = at_step.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            at_step.set(input.value().trim().parse::<i64>().ok());
        })
    };
    let headers = props.runs.iter().enumerate().map(|(i, r)| {
        let (arrow, aria) = sort.marks(i);
        let onclick = {
            let sort = sort.clone();
            Callback::from(move |_| sort.set(sort.clicked(i)))
        };
        html! { <th scope="col" aria-sort={aria}><button type="button" class="linkish mono" {onclick}>{ format!("{}{arrow}", r.run_id()) }</button></th> }
    });
    html! {
        <section id="nway-view" aria-label="Comparison table">
            <NwayHeader table={table.clone()} runs={props.runs.len()} {on_step} />
            <div class="table-scroll">
                <table class="grid nway">
                    <thead><tr>
                        <th scope="col">{ "section" }</th><th scope="col">{ "field" }</th>
                        { for headers }
                    </tr></thead>
                    <tbody>
                        if let Some(n) = *at_step { <LossAtStep runs={props.clone()} step={n} /> }
                        { for order.iter().filter_map(|&ri| table.rows.get(ri)).map(field_row) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// One field's row: its value in each run, the best marked.
fn field_row(row: &crate::diff::nway::Row) -> Html {
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
}

/// Props of [`NwayHeader`].
#[derive(Properties, PartialEq)]
struct NwayHeaderProps {
    table: Rc<Table>,
    runs: usize,
    on_step: Callback<InputEvent>,
}

/// Title, the step box, exports and Close.
#[component]
fn NwayHeader(props: &NwayHeaderProps) -> Html {
    let store = use_context::<Store>();
    let close = {
        let store = store.clone();
        Callback::from(move |_| {
            if let Some(s) = &store {
                s.dispatch(Action::Compare(Vec::new()));
            }
        })
    };
    let md = {
        let t = props.table.clone();
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
        let t = props.table.clone();
        let store = store.clone();
        Callback::from(move |_| {
            let saved = save_text(&table_html(&t), "text/html", "runlens-comparison.html");
            if let (Err(e), Some(s)) = (saved, &store) {
                s.dispatch(Action::Error(e));
            }
        })
    };
    html! {
        <header class="compare-head">
            <h1 id="compare-title">{ format!("{} runs compared", props.runs) }</h1>
            <div class="row wrap">
                <label>{ "loss at step " }<input type="number" min="0" placeholder="N" aria-label="Step for the loss row" oninput={props.on_step.clone()} /></label>
                <button type="button" onclick={md}>{ "Markdown" }</button>
                <button type="button" onclick={html_export}>{ "HTML" }</button>
                <button type="button" onclick={close}>{ "Close" }</button>
            </div>
            <p class="compare-count">{ format!("{} fields differ. ★ marks the best value where better and worse are known. Click a run to sort by it.", props.table.rows.len()) }</p>
        </header>
    }
}

/// Props of [`LossAtStep`].
#[derive(Properties, PartialEq)]
struct LossAtStepProps {
    runs: NwayProps,
    step: i64,
}

/// The loss of each run at the chosen step, one row per stage, read from its curve.
#[component]
fn LossAtStep(props: &LossAtStepProps) -> Html {
    let store = use_context::<Store>();
    let archives: Vec<&crate::archive::Archive> =
        props.runs.runs.iter().map(|r| &r.parsed.archive).collect();
    let (trains, stages) = train_steps(&archives);
    let n = props.step;
    let cell = |r: &Rc<Run>, t: &Vec<(usize, String)>, stage: &String| -> Html {
        let Some((i, _)) = t.iter().find(|(_, s)| s == stage) else {
            return html! { <td class="muted">{ "—" }</td> };
        };
        let Some((key, _, _)) = curve_source(r, *i) else {
            return html! { <td class="muted">{ "no curve" }</td> };
        };
        match store.as_ref().and_then(|s| s.curves.get(&key).cloned()) {
            Some(CurveLoad::Ready(c)) => {
                let tags: Vec<String> = c.curves.series.iter().map(|s| s.tag.clone()).collect();
                let Some(series) = c.curves.series.get(default_tag(&tags)) else {
                    return html! { <td></td> };
                };
                match nearest(series, XAxis::Step, n as f64) {
                    Some(k) if series.step(k) == n => {
                        html! { <td class="num">{ format::value(series.value(k)) }</td> }
                    }
                    Some(k) => {
                        html! { <td class="num" title="nearest logged step">{ format!("{} (step {})", format::value(series.value(k)), series.step(k)) }</td> }
                    }
                    None => html! { <td class="muted">{ "—" }</td> },
                }
            }
            Some(CurveLoad::Failed(m)) => {
                html! { <td class="muted" title={m.to_string()}>{ "unreadable" }</td> }
            }
            _ => html! { <td class="muted">{ "reading…" }</td> },
        }
    };
    let rows = stages.iter().map(|stage| {
        let cells = props.runs.runs.iter().zip(&trains).map(|(r, t)| cell(r, t, stage));
        html! { <tr class="at-step"><td>{ format!("{stage} curve") }</td><td class="mono">{ format!("loss @ step {n}") }</td>{ for cells }</tr> }
    });
    rows.collect::<Html>()
}
