//! The rank correlation (Spearman's rho, over the runs holding both) of every numeric field
//! with the scatter's y, strongest first; a field's name puts it on x.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::common::Same;
use crate::query::FieldTable;
use crate::relate::columns::RowSet;
use crate::relate::correlations;

/// Rows shown before *Show all*.
const FIRST: usize = 25;

/// Runs ranked at most (evenly spaced beyond): every field of 100,000 runs would take
/// seconds of sorting, a sample of 20,000 a fraction of that.
const SAMPLE: usize = 20_000;

/// Props of [`CorrTable`].
#[derive(Properties, PartialEq)]
pub struct CorrTableProps {
    /// Every run's fields.
    pub fields: Same<FieldTable>,
    /// The runs.
    pub set: Same<RowSet>,
    /// The numeric fields.
    pub numeric: Rc<Vec<String>>,
    /// The result ranked against.
    pub y: String,
    /// The field on x (its row is marked).
    pub x: String,
    /// A field picked for x.
    pub on_pick_x: Callback<String>,
}

/// The table.
#[component]
pub fn CorrTable(props: &CorrTableProps) -> Html {
    let all = use_state_eq(|| false);
    let rows = use_memo(
        (
            props.fields.clone(),
            props.set.clone(),
            props.numeric.clone(),
            props.y.clone(),
        ),
        |(f, s, n, y)| {
            let sample = s.0.sample(SAMPLE);
            correlations(&f.0, sample.as_ref().unwrap_or(&s.0), n, y)
        },
    );
    let sampled = props.set.0.len() > SAMPLE;
    let shown = if *all {
        rows.len()
    } else {
        FIRST.min(rows.len())
    };
    let line = |c: &crate::relate::Correlation| {
        let rho = c
            .rho
            .map_or_else(|| "–".to_string(), |r| format!("{r:+.2}"));
        let width = c.rho.map_or(0.0, |r| r.abs() * 100.0);
        let sign = if c.rho.unwrap_or(0.0) < 0.0 {
            "neg"
        } else {
            "pos"
        };
        let onclick = {
            let (f, cb) = (c.field.clone(), props.on_pick_x.clone());
            Callback::from(move |_| cb.emit(f.clone()))
        };
        html! {
            <tr data-field={c.field.clone()} data-rho={c.rho.map(|r| r.to_string()).unwrap_or_default()} data-n={c.n.to_string()}
                class={classes!((c.field == props.x).then_some("on"))}>
                <td class="mono"><button type="button" class="linkish mono" title={format!("Put {} on x", c.field)} {onclick}>{ c.field.clone() }</button></td>
                <td class="num"><span class={classes!("rho-bar", sign)} style={format!("width: {width:.0}%")} aria-hidden="true"></span><span class="rho">{ rho }</span></td>
                <td class="num muted">{ c.n }</td>
            </tr>
        }
    };
    html! {
        <div class="corr" id="rank-corr">
            <h2 class="corr-title">{ "Rank correlation with " }<span class="mono">{ if props.y.is_empty() { "y".to_string() } else { props.y.clone() } }</span></h2>
            if sampled {
                <p class="muted small" id="rank-corr-sample">{ format!("over {} of the {} runs, evenly spaced", crate::format::grouped(SAMPLE as u64), crate::format::grouped(props.set.0.len() as u64)) }</p>
            }
            if rows.is_empty() {
                <p class="muted small">{ "Choose a numeric y to rank every field against it." }</p>
            } else {
                <table class="corr-table">
                    <thead><tr><th scope="col">{ "field" }</th><th scope="col" class="num" title="Spearman's rank correlation">{ "rho" }</th><th scope="col" class="num" title="runs holding both">{ "n" }</th></tr></thead>
                    <tbody>{ for rows.iter().take(shown).map(line) }</tbody>
                </table>
                if rows.len() > FIRST {
                    <button type="button" class="linkish small" onclick={{ let all = all.clone(); Callback::from(move |_| all.set(!*all)) }}>
                        { if *all { "Show the first 25".to_string() } else { format!("Show all {}", rows.len()) } }
                    </button>
                }
            }
        </div>
    }
}
