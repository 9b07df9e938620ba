//! The runs table's *Relate* panel: a scatter of any numeric field against another (with
//! the rank correlation of every field with the chosen result beside it), or parallel
//! coordinates whose brushes narrow the table. It shows the runs the table shows (filters,
//! query and brushes), and its settings live in the link (`RelateQuery`).

mod corr_table;
mod field_pick;
pub mod paint;
mod parallel_axes;
mod parallel_view;
mod points_table;
mod scatter_canvas;
mod scatter_marks;
mod scatter_view;

use std::rc::Rc;

use yew::prelude::*;

use crate::components::common::Same;
use crate::query::FieldTable;
use crate::relate::columns::RowSet;
use crate::relate::numeric_fields;
use crate::share::route::{Plot, RelateQuery, TableQuery};

use parallel_view::ParallelView;
use scatter_view::ScatterView;

/// Props of [`RelatePanel`].
#[derive(Properties, PartialEq)]
pub struct RelatePanelProps {
    /// Every run's fields (row = index into the runs).
    pub fields: Same<FieldTable>,
    /// The rows the table shows (filters, query and brushes).
    pub rows: Same<Vec<usize>>,
    /// The rows before the brushes (the parallel plot draws these, the brushed ones lit).
    pub base: Same<Vec<usize>>,
    /// The table's settings (the panel's are `query.relate`).
    pub query: TableQuery,
    /// New settings.
    pub on_change: Callback<TableQuery>,
}

/// The field a fresh scatter puts on an axis: the first of `prefer` the runs hold, else the
/// `fallback`-th numeric field.
fn default_field(numeric: &[String], prefer: &[&str], fallback: usize) -> String {
    prefer
        .iter()
        .find(|p| numeric.iter().any(|n| n == *p))
        .map(|p| p.to_string())
        .or_else(|| {
            numeric
                .get(fallback.min(numeric.len().saturating_sub(1)))
                .cloned()
        })
        .unwrap_or_default()
}

/// The settings when `plot` is chosen: axes filled in where empty.
fn opened(rel: &RelateQuery, plot: Plot, numeric: &[String]) -> RelateQuery {
    let mut r = rel.clone();
    r.plot = plot;
    if r.x.is_empty() {
        r.x = default_field(numeric, &["train.cpt.lr", "train.sft.lr"], 0);
    }
    if r.y.is_empty() {
        let y = ["eval.mmlu", "train.cpt.final_loss", "train.sft.final_loss"];
        r.y = default_field(numeric, &y, 1);
    }
    if plot == Plot::Parallel && r.axes.is_empty() {
        r.axes = [&r.x, &r.y, &r.color]
            .into_iter()
            .filter(|f| numeric.contains(f))
            .cloned()
            .collect();
        for f in numeric {
            if r.axes.len() >= 4 {
                break;
            }
            if !r.axes.contains(f) {
                r.axes.push(f.clone());
            }
        }
    }
    r
}

/// The panel: tabs, then the chosen plot.
#[component]
pub fn RelatePanel(props: &RelatePanelProps) -> Html {
    let n = props.fields.0.len();
    let set = use_memo(props.rows.clone(), move |r| {
        Rc::new(RowSet::new(r.0.to_vec(), n))
    });
    let base = use_memo(props.base.clone(), move |r| {
        Rc::new(RowSet::new(r.0.to_vec(), n))
    });
    let numeric = use_memo((props.fields.clone(), Same((*base).clone())), |(f, s)| {
        Rc::new(numeric_fields(&f.0, &s.0))
    });
    // A link that names a plot but not its fields (`?plot=parallel`) shows the same defaults
    // as a click on its tab, rather than an empty plot.
    let rel = match props.query.relate.plot {
        Plot::Closed => props.query.relate.clone(),
        plot => opened(&props.query.relate, plot, &numeric),
    };
    let on_rel = {
        let (q, on_change) = (props.query.clone(), props.on_change.clone());
        Callback::from(move |relate: RelateQuery| {
            on_change.emit(TableQuery {
                relate,
                ..q.clone()
            })
        })
    };
    let tab = |plot: Plot, label: &'static str| {
        let (rel, on_rel, numeric) = (rel.clone(), on_rel.clone(), (*numeric).clone());
        let on = rel.plot == plot;
        let onclick = Callback::from(move |_| {
            let next = if on { Plot::Closed } else { plot };
            on_rel.emit(opened(&rel, next, &numeric));
        });
        html! {
            <button type="button" role="tab" id={format!("relate-tab-{}", plot.name())} aria-selected={on.to_string()}
                class={classes!("relate-tab", on.then_some("on"))} {onclick}>{ label }</button>
        }
    };
    html! {
        <section id="relate" class="relate" aria-label="Relate settings to results" data-plot={rel.plot.name()}>
            <div class="relate-tabs">
                <span class="relate-title" id="relate-title">{ "Relate" }</span>
                <div role="tablist" class="relate-tablist" aria-labelledby="relate-title">
                    { tab(Plot::Scatter, "Scatter") }
                    { tab(Plot::Parallel, "Parallel coordinates") }
                </div>
                if rel.plot != Plot::Closed {
                    <button type="button" class="linkish relate-hide" onclick={{
                        let (rel, on_rel) = (rel.clone(), on_rel.clone());
                        Callback::from(move |_| on_rel.emit(RelateQuery { plot: Plot::Closed, ..rel.clone() }))
                    }}>{ "Hide" }</button>
                } else {
                    <span class="muted small">{ "settings against results, over the runs listed below" }</span>
                }
            </div>
            if rel.plot == Plot::Scatter {
                <ScatterView fields={props.fields.clone()} set={Same((*set).clone())} numeric={(*numeric).clone()} rel={rel.clone()} on_rel={on_rel.clone()} />
            }
            if rel.plot == Plot::Parallel {
                <ParallelView fields={props.fields.clone()} set={Same((*base).clone())} numeric={(*numeric).clone()} rel={rel.clone()} on_rel={on_rel.clone()} />
            }
        </section>
    }
}
