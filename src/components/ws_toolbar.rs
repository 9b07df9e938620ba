//! The workspace's toolbar: the tag filter, which step feeds the panels, the x axis, x sync,
//! columns, colour and group keys, the robust y toggle, the typed step range, and Close.
//! Every control changes the [`WorkspaceView`] (and so the link).

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::share::url::AxisChoice;
use crate::share::workspace::{BandChoice, GroupStat, StepChoice, WorkspaceView};
use crate::state::{Action, Store};

/// Props of [`WsToolbar`].
#[derive(Properties, PartialEq)]
pub struct WsToolbarProps {
    /// The settings.
    pub view: WorkspaceView,
    /// They changed.
    pub on_view: Callback<WorkspaceView>,
    /// Runs in the workspace.
    pub runs: usize,
    /// Panels shown.
    pub panels: usize,
    /// Tags in all.
    pub tags: usize,
    /// Why the tag filter is read as text, when it is.
    pub filter_note: Option<String>,
    /// Why the x axis asked for is not drawn, when it is not.
    pub axis_note: Option<String>,
    /// Field names for the colour and group menus.
    pub fields: Rc<Vec<String>>,
}

fn select_value(e: &Event) -> String {
    e.target_dyn_into::<HtmlSelectElement>()
        .map(|s| s.value())
        .or_else(|| e.target_dyn_into::<HtmlInputElement>().map(|i| i.value()))
        .unwrap_or_default()
}

/// A menu of `options` (value, label) with `current` selected.
fn menu(
    id: &str,
    label: &str,
    options: &[(String, String)],
    current: &str,
    onchange: Callback<Event>,
) -> Html {
    html! {
        <label>{ format!("{label} ") }
            <select id={id.to_string()} {onchange}>
                { for options.iter().map(|(v, l)| html! { <option value={v.clone()} selected={v == current}>{ l.clone() }</option> }) }
            </select>
        </label>
    }
}

/// The toolbar.
#[component]
pub fn WsToolbar(props: &WsToolbarProps) -> Html {
    let store = use_context::<Store>();
    let v = &props.view;
    // A change to the view made from an event's value.
    let change = |f: fn(&mut WorkspaceView, String)| {
        let (v, on) = (v.clone(), props.on_view.clone());
        Callback::from(move |e: Event| {
            let mut next = v.clone();
            f(&mut next, select_value(&e));
            on.emit(next);
        })
    };
    let on_tags = {
        let (v, on) = (v.clone(), props.on_view.clone());
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                on.emit(WorkspaceView {
                    tags: i.value(),
                    ..v.clone()
                });
            }
        })
    };
    let close = Callback::from(move |_| {
        if let Some(s) = &store {
            s.dispatch(Action::Workspace(Vec::new()));
        }
    });
    let steps: Vec<(String, String)> = StepChoice::ALL
        .iter()
        .map(|s| (s.as_str().into(), s.label().into()))
        .collect();
    // The single-run chart's axis menu, every choice offered (a run without tokens or wall
    // time is left out of its panels and said so in the toolbar's note).
    let axes: Vec<(String, String)> = crate::chart::view::axis_menu(true, true)
        .into_iter()
        .map(|o| (o.choice.as_str().to_string(), o.label.to_string()))
        .collect();
    let fields = |none: &str| -> Vec<(String, String)> {
        std::iter::once((String::new(), none.to_string()))
            .chain(props.fields.iter().map(|f| (f.clone(), f.clone())))
            .collect()
    };
    let stats: Vec<(String, String)> = GroupStat::ALL
        .iter()
        .map(|s| (s.as_str().into(), s.as_str().into()))
        .collect();
    let bands: Vec<(String, String)> = BandChoice::ALL
        .iter()
        .map(|b| (b.as_str().into(), b.label().into()))
        .collect();
    let range_text = |k: usize| {
        v.range
            .map(|r| if k == 0 { r.0 } else { r.1 })
            .map(|x| x.to_string())
            .unwrap_or_default()
    };
    let (from_ref, to_ref) = (use_node_ref(), use_node_ref());
    // Either box changed: both are read; the range is set once both hold numbers, cleared
    // when both are empty.
    let on_range = {
        let (v, on) = (v.clone(), props.on_view.clone());
        let (from_ref, to_ref) = (from_ref.clone(), to_ref.clone());
        Callback::from(move |_: Event| {
            let read = |r: &NodeRef| {
                r.cast::<HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default()
            };
            let (a, b) = (read(&from_ref), read(&to_ref));
            let num = |t: &str| t.trim().parse::<f64>().ok().filter(|x| x.is_finite());
            let range = match (num(&a), num(&b)) {
                (Some(a), Some(b)) if b > a => Some((a, b)),
                (Some(a), Some(b)) if a > b => Some((b, a)),
                _ => None,
            };
            if range.is_some() || (a.trim().is_empty() && b.trim().is_empty()) {
                on.emit(WorkspaceView { range, ..v.clone() });
            }
        })
    };
    html! {
        <header class="compare-head ws-head">
            <h1 id="workspace-title">{ format!("Workspace: {} runs, {} of {} tags", props.runs, props.panels, props.tags) }</h1>
            <div class="row wrap ws-controls">
                <label>{ "tags " }<input id="ws-tags" type="search" class="mono" value={v.tags.clone()} oninput={on_tags}
                    placeholder="filter: text or regex" aria-label="Tag filter (text or regex)" spellcheck="false" /></label>
                { menu("ws-step", "curve", &steps, v.step.as_str(), change(|v, s| v.step = StepChoice::from_name(&s).unwrap_or_default())) }
                { menu("ws-x", "x", &axes, v.axis.as_str(), change(|v, s| { v.axis = AxisChoice::from_name(&s).unwrap_or_default(); v.zoom = None; v.range = None; })) }
                <label><input id="ws-sync" type="checkbox" checked={v.sync_x} onchange={change(|v, _| { v.sync_x = !v.sync_x; if v.sync_x { v.panel_zooms.clear(); } })} />{ " sync x" }</label>
                { menu("ws-cols", "columns", &[("auto".into(), "auto".into()), ("1".into(), "1 column".into())], if v.one_column { "1" } else { "auto" }, change(|v, s| v.one_column = s == "1")) }
                <label><input id="ws-robust" type="checkbox" checked={v.robust} onchange={change(|v, _| v.robust = !v.robust)} />{ " robust y" }</label>
            </div>
            <div class="row wrap ws-controls">
                { menu("ws-color", "colour by", &fields("run"), v.color.as_deref().unwrap_or(""), change(|v, s| v.color = (!s.is_empty()).then_some(s))) }
                { menu("ws-group", "group by", &fields("no groups"), v.group.as_deref().unwrap_or(""), change(|v, s| v.group = (!s.is_empty()).then_some(s))) }
                if v.group.is_some() {
                    { menu("ws-stat", "line", &stats, v.stat.as_str(), change(|v, s| v.stat = GroupStat::from_name(&s).unwrap_or_default())) }
                    { menu("ws-band", "", &bands, v.band.as_str(), change(|v, s| v.band = BandChoice::from_name(&s).unwrap_or_default())) }
                }
                <label>{ "range " }<input id="ws-range-from" ref={from_ref} type="number" value={range_text(0)} onchange={on_range.clone()} aria-label="Range from (x)" placeholder="from" /></label>
                <label>{ "– " }<input id="ws-range-to" ref={to_ref} type="number" value={range_text(1)} onchange={on_range} aria-label="Range to (x)" placeholder="to" /></label>
                <button type="button" onclick={close}>{ "Close" }</button>
            </div>
            if let Some(n) = &props.filter_note { <p class="muted small">{ n.clone() }</p> }
            if let Some(n) = &props.axis_note { <p class="muted small ws-axis-note">{ n.clone() }</p> }
        </header>
    }
}
