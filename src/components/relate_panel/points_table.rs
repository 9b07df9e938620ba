//! The scatter's points as a table, built only when opened and shown a page at a time: each
//! row names the run and its exact x and y (`data-run`, `data-x`, `data-y`), and *Copy
//! points as CSV* copies every point.

use yew::prelude::*;

use crate::components::common::Same;
use crate::relate::Points;
use crate::state::Store;

const PAGE: usize = 100;

/// Props of [`PointsTable`].
#[derive(Properties, PartialEq)]
pub struct PointsTableProps {
    /// The points.
    pub points: Same<Points>,
    /// The x field.
    pub x: String,
    /// The y field.
    pub y: String,
}

/// The collapsed table.
#[component]
pub fn PointsTable(props: &PointsTableProps) -> Html {
    let Some(store) = use_context::<Store>() else {
        return html! {};
    };
    let open = use_state_eq(|| false);
    let page = use_state_eq(|| 0usize);
    let copied = use_state_eq(|| false);
    let p = &props.points.0;
    let pages = p.len().div_ceil(PAGE).max(1);
    let at = (*page).min(pages - 1);
    let label = |row: usize| store.runs.get(row).map(|r| r.label()).unwrap_or_default();
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            if let Some(d) = e.target_dyn_into::<web_sys::HtmlDetailsElement>() {
                open.set(d.open());
            }
        })
    };
    let copy = {
        let (points, runs, x, y, copied) = (
            props.points.clone(),
            store.runs.clone(),
            props.x.clone(),
            props.y.clone(),
            copied.clone(),
        );
        Callback::from(move |_| {
            let csv = points.0.csv(&x, &y, |row| {
                runs.get(row).map(|r| r.label()).unwrap_or_default()
            });
            if let Some(w) = web_sys::window() {
                let _ = w.navigator().clipboard().write_text(&csv);
                copied.set(true);
            }
        })
    };
    let go = |to: usize| {
        let page = page.clone();
        Callback::from(move |_| page.set(to))
    };
    html! {
        <details id="scatter-points" class="points" {ontoggle}>
            <summary>{ format!("Points ({})", p.len()) }</summary>
            if *open {
                <div class="row wrap points-bar">
                    <button type="button" id="copy-points" onclick={copy}>{ if *copied { "Copied" } else { "Copy points as CSV" } }</button>
                    if pages > 1 {
                        <button type="button" disabled={at == 0} onclick={go(at.saturating_sub(1))}>{ "Previous" }</button>
                        <span class="small" aria-live="polite">{ format!("{}–{} of {}", at * PAGE + 1, ((at + 1) * PAGE).min(p.len()), p.len()) }</span>
                        <button type="button" disabled={at + 1 >= pages} onclick={go(at + 1)}>{ "Next" }</button>
                    }
                </div>
                <table class="points-table">
                    <thead><tr><th scope="col">{ "run" }</th><th scope="col" class="num mono">{ props.x.clone() }</th><th scope="col" class="num mono">{ props.y.clone() }</th></tr></thead>
                    <tbody>
                        { for (at * PAGE..((at + 1) * PAGE).min(p.len())).map(|i| {
                            let (row, x, y) = (p.rows.get(i).copied().unwrap_or(0), p.x.get(i).copied().unwrap_or(f64::NAN), p.y.get(i).copied().unwrap_or(f64::NAN));
                            let key = store.runs.get(row).map(|r| r.key.clone()).unwrap_or_default();
                            let ticked = store.selected.contains(&key);
                            html! { <tr data-run={label(row)} data-key={key} data-x={x.to_string()} data-y={y.to_string()} data-ticked={ticked.to_string()}><td class="mono">{ label(row) }{ if ticked { " ✓" } else { "" } }</td><td class="num">{ crate::format::number(x) }</td><td class="num">{ crate::format::number(y) }</td></tr> }
                        }) }
                    </tbody>
                </table>
            }
        </details>
    }
}
