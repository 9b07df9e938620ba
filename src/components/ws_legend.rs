//! The workspace's legend: one row per run (a click hides it, Alt+click shows it alone,
//! hovering or focusing it highlights it in every panel), and the buckets of the colour key
//! when the lines are coloured by a field. Rows are runs, not run ids: two runs sharing an
//! id are two rows (`data-run` the id, `data-key` the run's key), hidden separately.

use std::collections::BTreeSet;

use yew::prelude::*;

use crate::chart::view::swatch_style;
use crate::components::ws_data::RunNames;
use crate::workspace::palette::Bucket;

/// Props of [`WsLegend`].
#[derive(Properties, PartialEq)]
pub struct WsLegendProps {
    /// The runs' ids and keys, in workspace order.
    pub names: RunNames,
    /// Colour index per run.
    pub colors: Vec<usize>,
    /// The colour key's buckets (empty when coloured by run).
    pub buckets: Vec<Bucket>,
    /// The groups (label, colour, members) when grouping.
    #[prop_or_default]
    pub groups: Vec<(String, usize, usize)>,
    /// Runs not drawn (positions in the workspace, hidden or not the one shown alone).
    pub hidden: BTreeSet<usize>,
    /// A row was clicked: the run's position, and whether Alt was held.
    pub on_click: Callback<(usize, bool)>,
    /// The run to highlight (`None`: none).
    pub on_highlight: Callback<Option<usize>>,
}

/// The legend.
#[component]
pub fn WsLegend(props: &WsLegendProps) -> Html {
    let n = props.names.ids.len();
    let rows = props.names.ids.iter().enumerate().map(|(i, id)| {
        let off = props.hidden.contains(&i);
        let onclick = props
            .on_click
            .reform(move |e: MouseEvent| (i, e.alt_key()));
        let key = props.names.keys.get(i).cloned();
        let on = props.on_highlight.clone();
        let enter = on.reform(move |_: MouseEvent| Some(i));
        let leave = on.reform(|_: MouseEvent| None);
        let focus = on.reform(move |_: FocusEvent| Some(i));
        let blur = on.reform(|_: FocusEvent| None);
        let color = props.colors.get(i).copied().unwrap_or(i);
        html! {
            <li>
                <button type="button" class={classes!("legend-item", off.then_some("off"))} data-run={id.clone()} data-key={key.clone()}
                    aria-pressed={(!off).to_string()} {onclick} onmouseenter={enter} onmouseleave={leave} onfocus={focus} onblur={blur}
                    title={format!("{}\nClick: hide or show · Alt+click: show only this run", key.unwrap_or_default())}>
                    <span class="swatch" style={swatch_style(color)}></span><span class="mono">{ id.clone() }</span>
                </button>
            </li>
        }
    });
    let buckets = props.buckets.iter().map(|b| {
        html! {
            <li class="ws-bucket"><span class="swatch" style={swatch_style(b.color)}></span>{ b.label.clone() }<span class="muted">{ format!(" ({})", b.count) }</span></li>
        }
    });
    let groups = props.groups.iter().map(|(label, color, n)| {
        html! {
            <li class="ws-bucket" data-group={label.clone()}><span class="swatch" style={swatch_style(*color)}></span>{ label.clone() }<span class="muted">{ format!(" ({n} runs)") }</span></li>
        }
    });
    html! {
        <section class="ws-legend" aria-label="Runs">
            if !props.groups.is_empty() {
                <ul class="ws-buckets plain" aria-label="Groups">{ for groups }</ul>
            }
            if !props.buckets.is_empty() {
                <ul class="ws-buckets plain" aria-label="Colour key">{ for buckets }</ul>
            }
            <h2 class="side-title">{ "Runs" }<span class="count">{ n }</span></h2>
            <p class="muted small">{ "Click hides, Alt+click shows one alone, hover highlights." }</p>
            <ul class="ws-runs plain">{ for rows }</ul>
        </section>
    }
}
