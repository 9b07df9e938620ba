//! The comparison container: resolves the compared entries (run keys, ids or archive URLs),
//! loads those not loaded yet, then shows two runs side by side or many in a table.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::compare_view::CompareView;
use crate::components::nway_view::NwayView;
use crate::loader::load_hosted;
use crate::runs::Run;
use crate::state::Store;
use crate::state::{names_a_run, slot_for, Load};

/// Fetches the runs `entries` name (run keys, ids or archive URLs) that are not loaded:
/// listed runs, and archive URLs from a link. Shared by the comparison and the workspace.
/// A run id names a run only once the manifest listing it is read: which entries name a
/// listed, unread run is part of what the fetch depends on, so a link's ids are fetched
/// when the manifest arrives after the page opened.
#[hook]
pub fn use_fetch_entries(entries: Vec<String>) {
    let store = use_context::<Store>();
    let listed: Vec<bool> = store.as_ref().map_or_else(Vec::new, |s| {
        entries
            .iter()
            .map(|e| slot_for(s, e).is_some_and(|x| matches!(x.load, Load::Listed)))
            .collect()
    });
    use_effect_with((entries, listed), move |(entries, _)| {
        let Some(store) = store else {
            return;
        };
        for e in entries {
            match slot_for(&store, e) {
                Some(slot) if matches!(slot.load, Load::Listed) => {
                    if let Some(url) = &slot.url {
                        load_hosted(
                            url.clone(),
                            slot.files.clone(),
                            Some(slot.key.clone()),
                            false,
                            store.dispatcher(),
                        );
                    }
                }
                None if !names_a_run(e) => {
                    load_hosted(e.clone(), Vec::new(), None, false, store.dispatcher())
                }
                _ => {}
            }
        }
    });
}

/// The container.
#[component]
pub fn ComparePane() -> Html {
    let Some(store) = use_context::<Store>() else {
        return html! {};
    };
    let table = use_state(|| false);
    let entries = store.compare.clone();
    use_fetch_entries(entries.clone());
    let mut runs: Vec<Rc<Run>> = Vec::new();
    let mut waiting: Vec<String> = Vec::new();
    for e in &entries {
        match slot_for(&store, e).map(|s| &s.load) {
            Some(Load::Ready(r)) => runs.push(r.clone()),
            Some(Load::Failed(m)) => waiting.push(format!("{e}: {}", m.message)),
            _ => waiting.push(format!("{e}: loading…")),
        }
    }
    let body = if !waiting.is_empty() {
        html! {
            <div class="pane-state" role="status">
                <div class="progress indeterminate" aria-hidden="true"><div></div></div>
                <p>{ "Waiting for the runs to compare:" }</p>
                <ul>{ for waiting.iter().map(|w| html! { <li class="mono">{ w.clone() }</li> }) }</ul>
            </div>
        }
    } else if runs.len() == 2 && !*table {
        html! { <CompareView a={runs[0].clone()} b={runs[1].clone()} /> }
    } else if runs.len() >= 2 {
        html! { <NwayView runs={runs.clone()} /> }
    } else {
        html! { <p class="pane-state">{ "Pick at least two runs to compare." }</p> }
    };
    let flip = {
        let table = table.clone();
        Callback::from(move |_| table.set(!*table))
    };
    html! {
        <main id="run-view" class="compare" tabindex="-1">
            if runs.len() == 2 && waiting.is_empty() {
                <div class="view-switch"><button type="button" onclick={flip}>{ if *table { "Side by side" } else { "Table view" } }</button></div>
            }
            { body }
        </main>
    }
}
