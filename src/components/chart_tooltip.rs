//! What hovering a loss chart shows: a crosshair at the mouse and a tooltip with each
//! shown line's nearest point. Positions and text come from [`crate::chart::view::hover`].

use yew::prelude::*;

use crate::chart::view::{swatch_style, Hover};

/// Props of [`ChartTooltip`].
#[derive(Properties, PartialEq)]
pub struct ChartTooltipProps {
    /// Where and what to show.
    pub hover: Hover,
}

/// The crosshair and the tooltip.
#[component]
pub fn ChartTooltip(props: &ChartTooltipProps) -> Html {
    let Hover {
        crosshair: c,
        tooltip: (left, top),
        rows,
    } = &props.hover;
    let rows = rows.iter().map(|r| {
        html! {
            <div class="tt-row">
                <span class="swatch" style={swatch_style(r.color)}></span>
                <span class="tt-label">{ r.label.clone() }</span>
                <span class="num">{ r.step.clone() }</span>
                <span class="num" title={r.value_exact.clone()}>{ r.value.clone() }</span>
                if let Some(v) = &r.smoothed { <span class="num muted" title={r.smoothed_exact.clone()}>{ v.clone() }</span> }
            </div>
        }
    });
    html! {
        <>
            <div class="crosshair" style={format!("left: {}px; top: {}px; height: {}px", c.left, c.top, c.height)}></div>
            <div class="tooltip" role="status" style={format!("left: {left}px; top: {top}px")}>{ for rows }</div>
        </>
    }
}
