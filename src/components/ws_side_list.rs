//! The workspace's side list: each run's value at the crosshair in the hovered panel (the
//! point nearest the crosshair's x), lowest first, in the run's colour; `data-value` holds
//! the value exactly as read (a group's computed values in full `f64` precision).

use yew::prelude::*;

use crate::chart::view::{significant_digits, swatch_style, with_digits};
use crate::format;

/// One row of the list.
#[derive(Debug, Clone, PartialEq)]
pub struct SideRow {
    /// The run id (for a group: its label).
    pub run_id: String,
    /// The run's key (`None` for a group).
    pub key: Option<String>,
    /// Colour index.
    pub color: usize,
    /// The point's step (for a group: its x, rounded).
    pub step: Option<i64>,
    /// Its value, as stored (for a group: its line's value).
    pub value: f64,
    /// For a group: its band's low and high, the members with a value there, the members.
    pub group: Option<(f64, f64, u32, usize)>,
}

/// Props of [`WsSideList`].
#[derive(Properties, PartialEq)]
pub struct WsSideListProps {
    /// The rows, sorted.
    pub rows: Vec<SideRow>,
    /// The hovered panel's tag; `None`: no crosshair.
    pub tag: Option<String>,
    /// Clears the crosshair (the list's × button, as Esc in a panel).
    pub on_clear: Callback<()>,
}

/// The list.
#[component]
pub fn WsSideList(props: &WsSideListProps) -> Html {
    let Some(tag) = &props.tag else {
        return html! {
            <section class="ws-values" aria-label="Values at the crosshair">
                <p class="muted small">{ "Hover a panel (or focus it and press ← →) to read every run's value at that x." }</p>
            </section>
        };
    };
    let rows = props.rows.iter().map(|r| {
        // A run's value reads back as stored; a group's computed one is shown to 6 digits
        // (exact in the title and `data-value`).
        let digits = if r.group.is_some() { 6 } else { significant_digits(r.value).clamp(4, 17) };
        let step = r.step.map(|s| s.to_string()).unwrap_or_default();
        let exact = if r.group.is_some() { r.value.to_string() } else { format::value(r.value) };
        let value = html! { <span class="num" title={exact}>{ with_digits(r.value, digits) }</span> };
        match r.group {
            None => html! {
                <li class="ws-value" data-run={r.run_id.clone()} data-key={r.key.clone()} data-value={format::value(r.value)} data-step={step.clone()}>
                    <span class="swatch" style={swatch_style(r.color)}></span>
                    <span class="mono ws-run">{ r.run_id.clone() }</span>
                    <span class="num muted">{ format!("step {step}") }</span>
                    { value }
                </li>
            },
            Some((lo, hi, n, members)) => html! {
                <li class="ws-value ws-group-value" data-group={r.run_id.clone()} data-value={r.value.to_string()} data-step={step.clone()}
                    data-lo={lo.to_string()} data-hi={hi.to_string()} data-n={n.to_string()}>
                    <span class="swatch" style={swatch_style(r.color)}></span>
                    <span class="ws-run"><b>{ r.run_id.clone() }</b>{ format!(" ({n} of {members})") }</span>
                    <span class="num muted" title="band">{ format!("{} – {}", with_digits(lo, 4), with_digits(hi, 4)) }</span>
                    { value }
                </li>
            },
        }
    });
    html! {
        <section class="ws-values" aria-label="Values at the crosshair" aria-live="polite">
            <h2 class="side-title">
                <span>{ format!("{tag}, {} runs", props.rows.len()) }</span>
                <button type="button" class="ws-values-clear" title="Clear the crosshair (Esc in a panel)"
                    aria-label="Clear the crosshair" onclick={props.on_clear.reform(|_| ())}>{ "×" }</button>
            </h2>
            <ol class="ws-value-list">{ for rows }</ol>
        </section>
    }
}
