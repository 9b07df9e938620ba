//! The table of a section's (or a step's) field changes: path, kind, both values and the
//! delta coloured better or worse, with run-id-only changes hidden on request.

use yew::prelude::*;

use crate::diff::export::{show, show_delta};
use crate::diff::run::FieldChange;

fn delta_cell(c: &FieldChange) -> Html {
    let text = show_delta(&c.delta);
    let class = match c.delta.and_then(|d| d.better) {
        Some(true) => "better",
        Some(false) => "worse",
        None => "",
    };
    html! { <td class={classes!("num", class)}>{ text }</td> }
}

/// The changes as a table, and a note counting those hidden as run-id-only.
pub fn changes_table(changes: &[FieldChange], hide_run_id: bool) -> Html {
    let shown: Vec<&FieldChange> = changes
        .iter()
        .filter(|c| !(hide_run_id && c.run_id_only))
        .collect();
    let hidden = changes.len() - shown.len();
    html! {
        <>
        if !shown.is_empty() {
            <table class="grid diff-table">
                <thead><tr><th scope="col">{ "field" }</th><th scope="col">{ "change" }</th><th scope="col">{ "A" }</th><th scope="col">{ "B" }</th><th scope="col">{ "delta" }</th></tr></thead>
                <tbody>
                { for shown.iter().map(|c| html! {
                    <tr class={format!("kind-{}", c.kind.as_str())}>
                        <td class="mono">{ c.dotted() }</td>
                        <td><span class={classes!("badge", format!("k-{}", c.kind.as_str()))}>{ c.kind.as_str() }</span></td>
                        <td class="mono">{ show(&c.a) }</td>
                        <td class="mono">{ show(&c.b) }</td>
                        { delta_cell(c) }
                    </tr>
                }) }
                </tbody>
            </table>
        }
        if hidden > 0 {
            <p class="muted small">{ format!("{hidden} change(s) only replace the run id inside a path (hidden; untick “hide run-id-only changes” to see them).") }</p>
        }
        </>
    }
}
