//! The workspace's side list: each run's value at the crosshair in the hovered panel (the
//! point nearest the crosshair's x), lowest first, in the run's colour; `data-value` holds
//! the value exactly as read.

use yew::prelude::*;

use crate::chart::view::{significant_digits, swatch_style, with_digits};
use crate::format;

/// One row of the list.
#[derive(Debug, Clone, PartialEq)]
pub struct SideRow {
    /// The run id.
    pub run_id: String,
    /// Colour index.
    pub color: usize,
    /// The point's step.
    pub step: i64,
    /// Its value, as stored.
    pub value: f64,
}

/// Props of [`WsSideList`].
#[derive(Properties, PartialEq)]
pub struct WsSideListProps {
    /// The rows, sorted.
    pub rows: Vec<SideRow>,
    /// The hovered panel's tag; `None`: no crosshair.
    pub tag: Option<String>,
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
        let digits = significant_digits(r.value).clamp(4, 17);
        html! {
            <li class="ws-value" data-run={r.run_id.clone()} data-value={format::value(r.value)} data-step={r.step.to_string()}>
                <span class="swatch" style={swatch_style(r.color)}></span>
                <span class="mono ws-run">{ r.run_id.clone() }</span>
                <span class="num muted">{ format!("step {}", r.step) }</span>
                <span class="num" title={format::value(r.value)}>{ with_digits(r.value, digits) }</span>
            </li>
        }
    });
    html! {
        <section class="ws-values" aria-label="Values at the crosshair" aria-live="polite">
            <h2 class="side-title">{ format!("{tag}, {} runs", props.rows.len()) }</h2>
            <ol class="ws-value-list">{ for rows }</ol>
        </section>
    }
}
