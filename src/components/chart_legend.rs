//! A loss chart's legend: one toggle button per line, pressed while the line is shown.

use std::collections::BTreeSet;

use yew::prelude::*;

use crate::chart::view::swatch_style;

/// Props of [`ChartLegend`].
#[derive(Properties, PartialEq)]
pub struct ChartLegendProps {
    /// (label, palette index) of every line of the chart, shown or not.
    pub items: Vec<(String, usize)>,
    /// Labels of the lines the user hid.
    pub hidden: BTreeSet<String>,
    /// The item with this label was clicked.
    pub on_toggle: Callback<String>,
}

/// The legend.
#[component]
pub fn ChartLegend(props: &ChartLegendProps) -> Html {
    let items = props.items.iter().map(|(label, color)| {
        let off = props.hidden.contains(label);
        let text = label.clone();
        let label = label.clone();
        let toggle = props.on_toggle.reform(move |_: MouseEvent| label.clone());
        html! {
            <button type="button" class={classes!("legend-item", off.then_some("off"))} aria-pressed={(!off).to_string()} onclick={toggle}>
                <span class="swatch" style={swatch_style(*color)}></span>{ text }
            </button>
        }
    });
    html! { <div class="legend">{ for items }</div> }
}
