//! The runs list: grouped by experiment, newest first, with status, start and duration.

use yew::prelude::*;

use crate::archive::Status;
use crate::components::common::duration_html;
use crate::state::{same_run_id, visible_run_indexes, Action, Load, RunSlot, Store};

/// The sidebar.
#[component]
pub fn Sidebar() -> Html {
    let Some(store) = use_context::<Store>() else {
        return html! {};
    };
    let memo = use_memo(
        (SameRuns(store.runs.clone()), store.filter.clone()),
        |(r, f)| visible_run_indexes(&r.0, f),
    );
    let mut groups: Vec<(String, Vec<&RunSlot>)> = memo
        .iter()
        .map(|(e, ix)| {
            (
                e.clone(),
                ix.iter().filter_map(|&i| store.runs.get(i)).collect(),
            )
        })
        .collect();
    // The list stays short on a large hosting; the runs table holds them all.
    const CAP: usize = 200;
    let total: usize = groups.iter().map(|(_, r)| r.len()).sum();
    let mut budget = CAP;
    for (_, runs) in &mut groups {
        runs.truncate(budget);
        budget -= runs.len();
    }
    groups.retain(|(_, r)| !r.is_empty());
    let compare = {
        let d = store.dispatcher();
        let keys = store.selected.clone();
        Callback::from(move |_| d.dispatch(Action::Compare(keys.clone())))
    };
    let workspace = {
        let d = store.dispatcher();
        let keys = store.selected.clone();
        Callback::from(move |_| d.dispatch(Action::Workspace(keys.clone())))
    };
    let open = store.open.clone();
    html! {
        <nav id="runs" aria-label="Runs">
            <h2 class="side-title">{ "Runs" }<span class="count">{ store.runs.len() }</span></h2>
            if groups.is_empty() {
                <p class="muted">{ if store.runs.is_empty() { "No runs yet." } else { "No run matches the search." } }</p>
            }
            { for groups.iter().map(|(exp, runs)| html! {
                <div class="run-group">
                    <h3 class="exp" title={exp.clone()}>{ exp.clone() }</h3>
                    <ul>
                        { for runs.iter().map(|r| {
                            let status = Status::parse(r.meta.status.as_deref());
                            let selected = open.as_deref() == Some(r.key.as_str());
                            let class = classes!("run-item", selected.then_some("selected"));
                            let state = match &r.load {
                                Load::Loading => Some("loading…".to_string()),
                                Load::Failed(_) => Some("could not load".to_string()),
                                _ => None,
                            };
                            let ticked = store.selected.contains(&r.key);
                            let tick = crate::components::common::tick_callback(&store, &r.key);
                            html! {
                                <li class="run-row">
                                    <input type="checkbox" class="pick" checked={ticked} onchange={tick}
                                        aria-label={format!("Select {} for comparison", r.label())} />
                                    <button type="button" {class} data-run-key={r.label()} data-run-src={r.key.clone()}
                                        aria-current={ if selected { "true" } else { "false" } }
                                        onclick={crate::components::common::open_callback(&store, r, false)}>
                                        <span class={classes!("dot", format!("status-{}", status.class()))}
                                            title={status.label()} aria-hidden="true"></span>
                                        <span class="run-id">{ r.label() }</span>
                                        <span class="status-word">{ status.label() }</span>
                                        <span class="when">
                                            { r.meta.started_at.clone().unwrap_or_default() }
                                            { " · " }
                                            { duration_html(r.meta.duration_sec) }
                                        </span>
                                        if let Some(s) = state { <span class="muted">{ s }</span> }
                                        if let Some(other) = same_run_id(&store, r) {
                                            <span class="same-id" title={format!("This archive ({}) has the same run id as {}: both are listed, each is its own run.", r.origin(), other.origin())}>
                                                { format!("same run id as {}", other.origin()) }
                                            </span>
                                        }
                                    </button>
                                </li>
                            }
                        }) }
                    </ul>
                </div>
            }) }
            if total > CAP {
                <p class="muted small">{ format!("{} more runs: ", total - CAP) }
                    <button type="button" class="linkish" onclick={{ let d = store.dispatcher(); Callback::from(move |_| d.dispatch(Action::ShowIndex(true))) }}>{ "open the runs table" }</button>
                </p>
            }
            <div class="compare-bar">
                <button id="compare-selected" type="button" disabled={store.selected.len() < 2} onclick={compare}>
                    { format!("Compare selected ({})", store.selected.len()) }
                </button>
                <button id="workspace-selected" type="button" disabled={store.selected.is_empty()} onclick={workspace}>
                    { format!("Open workspace ({})", store.selected.len()) }
                </button>
                if store.selected.len() < 2 { <span class="muted small">{ " tick two or more runs (c)" }</span> }
            </div>
            <Remembered />
            <div class="drop-hint">
                { "Drop archives or run folders anywhere, or " }
                <label for="file-input" class="linkish">{ "pick files" }</label>
                { "." }
            </div>
        </nav>
    }
}

/// How many dropped or pasted archives this browser remembers, with a control to forget.
#[component]
fn Remembered() -> Html {
    // Storage is read at render; forgetting re-renders this component.
    let cleared = use_state(|| false);
    let n = if *cleared {
        0
    } else {
        crate::loader::recent_count()
    };
    if n == 0 {
        return html! {};
    }
    let forget = {
        let cleared = cleared.clone();
        Callback::from(move |_| {
            crate::loader::forget_recent();
            cleared.set(true);
        })
    };
    html! {
        <p class="remembered small muted">
            { format!("{n} dropped or pasted archive(s) remembered in this browser. ") }
            <button type="button" id="forget-recent" class="linkish" onclick={forget}>{ "Forget them" }</button>
        </p>
    }
}

#[derive(Clone)]
struct SameRuns(std::rc::Rc<Vec<RunSlot>>);

impl PartialEq for SameRuns {
    fn eq(&self, o: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.0, &o.0)
    }
}
