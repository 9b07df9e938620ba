//! Many runs in one table: a row per field, grouped by section and step, filtered as the
//! two-run view filters (differences only, run-id-only changes hidden), sortable, every
//! best value marked; the loss of each run at a chosen step, read from its curve; and the
//! runs' loss curves overlaid ([`crate::components::nway_overlay`]).

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::chart::series_math::{nearest, XAxis};
use crate::components::nway_overlay::{use_train_curves, NwayOverlay, RunList};
use crate::components::use_curve::default_tag;
use crate::diff::export::{show, table_html, table_markdown};
use crate::diff::nway::{compare, shown_rows, train_steps, RowFilter, RowSort, Table};
use crate::format;
use crate::loader::curve_source;
use crate::loader::download::save_text;
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

/// The table.
#[component]
pub fn NwayView(props: &NwayProps) -> Html {
    let sort = use_state(|| RowSort::Field);
    let filter = use_state(RowFilter::default);
    let overlay = use_state(|| false);
    let at_step = use_state(|| None::<i64>);
    let table = use_memo(props.clone(), |p| {
        let archives: Vec<&crate::archive::Archive> =
            p.runs.iter().map(|r| &r.parsed.archive).collect();
        compare(&archives)
    });
    let runs = RunList(props.runs.clone());
    use_train_curves(runs.clone(), at_step.is_some() || *overlay);
    let order = shown_rows(&table, *sort, *filter);
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
    // Group headers only in the archives' order: sorted by a value, rows leave their groups.
    let grouped = *sort == RowSort::Field;
    let rows = order.iter().filter_map(|&ri| table.rows.get(ri)).enumerate().map(|(k, row)| {
        let prev = k.checked_sub(1).and_then(|p| order.get(p)).and_then(|&pi| table.rows.get(pi));
        let head = grouped && prev.is_none_or(|p| p.group != row.group);
        html! { <>{ if head { group_row(&row.group, props.runs.len()) } else { html! {} } }{ field_row(row, grouped) }</> }
    });
    html! {
        <section id="nway-view" aria-label="Comparison table">
            <NwayHeader table={table.clone()} runs={props.runs.len()} {on_step} filter={filter.clone()} overlay={overlay.clone()} shown={order.len()} />
            if *overlay { <NwayOverlay runs={runs} /> }
            <div class="table-scroll">
                <table class={classes!("grid", "nway", grouped.then_some("grouped"))}>
                    <thead><tr>
                        <th scope="col">{ "section" }</th><th scope="col">{ "field" }</th>
                        { for headers }
                    </tr></thead>
                    <tbody>
                        if let Some(n) = *at_step { <LossAtStep runs={props.clone()} step={n} /> }
                        { for rows }
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// The head of a group of rows (a step, or a section outside the steps), across the table
/// so that a long step name does not widen the section column.
fn group_row(group: &str, runs: usize) -> Html {
    html! {
        <tr class="group-row">
            <td class="group-name" colspan={(runs + 2).to_string()}><span>{ group.to_string() }</span></td>
        </tr>
    }
}

/// One field's row: its value in each run, every best marked. Under a group head, the
/// section cell shows only the part of the step (`params`): the group's name is in the head,
/// and stays in the cell's text for screen readers and copies.
fn field_row(row: &crate::diff::nway::Row, grouped: bool) -> Html {
    let section = match (grouped, row.part.as_str()) {
        (false, _) => html! { { row.section.clone() } },
        (true, "") | (true, "status") => {
            html! { <span class="visually-hidden">{ row.section.clone() }</span> }
        }
        (true, part) => {
            html! { <><span class="visually-hidden">{ format!("{} ", row.group) }</span>{ part.to_string() }</> }
        }
    };
    html! {
        <tr class={classes!((!row.differs).then_some("same"), row.run_id_only.then_some("run-id-only"))}>
            <td class="nway-section">{ section }</td>
            <td class="mono nway-field">{ row.field.clone() }</td>
            { for row.values.iter().enumerate().map(|(i, v)| {
                let best = row.best.contains(&i);
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
    filter: UseStateHandle<RowFilter>,
    overlay: UseStateHandle<bool>,
    shown: usize,
}

/// Title, the filters, the step box, the curve overlay switch, exports and Close.
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
    // A refused download is reported, not lost.
    let save = |html: bool| {
        let t = props.table.clone();
        let store = store.clone();
        Callback::from(move |_| {
            let saved = if html {
                save_text(&table_html(&t), "text/html", "runlens-comparison.html")
            } else {
                save_text(
                    &table_markdown(&t),
                    "text/markdown",
                    "runlens-comparison.md",
                )
            };
            if let (Err(e), Some(s)) = (saved, &store) {
                s.dispatch(Action::Error(e));
            }
        })
    };
    let (md, html_export) = (save(false), save(true));
    let f = *props.filter;
    let set = |change: fn(RowFilter) -> RowFilter| {
        let filter = props.filter.clone();
        Callback::from(move |_: Event| filter.set(change(*filter)))
    };
    let overlay = {
        let o = props.overlay.clone();
        Callback::from(move |_: Event| o.set(!*o))
    };
    let differ = props.table.differing();
    html! {
        <header class="compare-head">
            <h1 id="compare-title">{ format!("{} runs compared", props.runs) }</h1>
            <div class="row wrap">
                <label><input type="checkbox" checked={f.differences_only} onchange={set(|f| RowFilter { differences_only: !f.differences_only, ..f })} />{ " differences only" }</label>
                <label><input type="checkbox" checked={f.hide_run_id_only} onchange={set(|f| RowFilter { hide_run_id_only: !f.hide_run_id_only, ..f })} />{ " hide run-id-only changes" }</label>
                <label><input type="checkbox" checked={*props.overlay} onchange={overlay} />{ " loss curves" }</label>
                <label>{ "loss at step " }<input type="number" min="0" placeholder="N" aria-label="Step for the loss row" oninput={props.on_step.clone()} /></label>
                <button type="button" onclick={md}>{ "Markdown" }</button>
                <button type="button" onclick={html_export}>{ "HTML" }</button>
                <button type="button" onclick={close}>{ "Close" }</button>
            </div>
            <p class="compare-count">{ format!("{differ} fields differ. ★ marks the best value where better and worse are known (every tied best; never a failed run). Click a run to sort by it.") }</p>
            if props.shown != differ {
                <p class="muted small nway-shown">{ format!("{} rows shown.", props.shown) }</p>
            }
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
