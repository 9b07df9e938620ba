//! The lineage graph's controls (runs shown, zoom, fit, search) and its legend of node kinds.

use yew::prelude::*;

use crate::lineage::NodeKind;

/// Props of [`Controls`].
#[derive(Properties, PartialEq, Clone)]
pub struct ControlsProps {
    /// Every loaded run is drawn (not only this one).
    pub all: bool,
    /// How many runs are loaded.
    pub all_count: usize,
    /// Toggles `all`.
    pub on_toggle_all: Callback<Event>,
    /// Current zoom.
    pub zoom: f64,
    /// Sets the zoom.
    pub on_zoom: Callback<f64>,
    /// Fits the graph to the visible width.
    pub on_fit: Callback<MouseEvent>,
    /// The search text.
    pub query: String,
    /// The search text changed (`false`) or Enter was pressed (`true`).
    pub on_search: Callback<(String, bool)>,
    /// How many nodes the search found.
    pub found: usize,
}

/// The toolbar and the legend.
#[component]
pub fn Controls(p: &ControlsProps) -> Html {
    let zoom = |f: f64| {
        let (cb, z) = (p.on_zoom.clone(), p.zoom);
        Callback::from(move |_: MouseEvent| cb.emit(z * f))
    };
    let reset = {
        let cb = p.on_zoom.clone();
        Callback::from(move |_: MouseEvent| cb.emit(1.0))
    };
    let oninput = {
        let cb = p.on_search.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                cb.emit((i.value(), false));
            }
        })
    };
    let onkeydown = {
        let cb = p.on_search.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                    cb.emit((i.value(), true));
                }
            }
        })
    };
    let searching = !p.query.trim().is_empty();
    html! {
        <>
            <div class="row wrap lineage-tools">
                <label><input type="checkbox" checked={p.all} onchange={p.on_toggle_all.clone()} />{ format!(" every loaded run ({})", p.all_count) }</label>
                <button type="button" onclick={zoom(1.25)} aria-label="Zoom in">{ "+" }</button>
                <button type="button" onclick={zoom(0.8)} aria-label="Zoom out">{ "−" }</button>
                <button type="button" id="lineage-fit" onclick={p.on_fit.clone()} title="Show the whole graph in the visible width">{ "Fit" }</button>
                <button type="button" onclick={reset}>{ "Reset view" }</button>
                <span class="muted small num">{ format!("{:.0}%", p.zoom * 100.0) }</span>
                <input type="search" id="lineage-search" placeholder="Find a node by path or name" aria-label="Find a node by path or name"
                    value={p.query.clone()} {oninput} {onkeydown} />
                if searching {
                    <span class="muted small" role="status">{ match p.found { 0 => "nothing found".to_string(), 1 => "1 found".to_string(), n => format!("{n} found") } }</span>
                }
            </div>
            <ul class="lineage-legend" aria-label="Node kinds">
                { for NodeKind::ALL.iter().map(|k| html! {
                    <li><span class={format!("sw k-{}", k.as_str())} aria-hidden="true"></span>{ k.label() }</li>
                }) }
                <li><span class="sw-line dashed" aria-hidden="true"></span>{ "previous run" }</li>
            </ul>
            <p class="muted small">{ "Hover or focus a node to light up what it came from and what came of it; click a step or checkpoint to open its step; click a band's label to fold it. Drag to pan, Ctrl + wheel to zoom." }</p>
        </>
    }
}
