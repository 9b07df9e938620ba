//! The main pane: the open run, its loading or failure state, or the empty state.

use yew::prelude::*;

use crate::components::run_view::RunView;
use crate::state::Store;
use crate::state::{open_slot, run_by_id, Load};

/// The main pane.
#[component]
pub fn RunPane() -> Html {
    let Some(store) = use_context::<Store>() else {
        return html! {};
    };
    let body = match open_slot(&store) {
        Some(slot) => match &slot.load {
            Load::Ready(run) => {
                let previous = run
                    .parsed
                    .archive
                    .previous_run_id()
                    .and_then(|id| run_by_id(&store, id))
                    .map(|s| s.key.clone());
                html! { <RunView run={run.clone()} previous={previous} /> }
            }
            Load::Loading | Load::Listed => html! {
                <div class="pane-state" role="status">
                    <div class="progress indeterminate" aria-hidden="true"><div></div></div>
                    { format!("Loading {}…", slot.url.clone().unwrap_or_else(|| slot.label())) }
                </div>
            },
            Load::Failed(msg) => html! {
                <div class="pane-state error" role="alert">
                    <strong>{ format!("{} could not be opened", slot.label()) }</strong>
                    <p>{ msg.message.clone() }</p>
                </div>
            },
        },
        None => html! {
            <div class="empty-state">
                <h1>{ "runlens" }</h1>
                <p>{ "Read, chart and compare LLM training experiment archives, entirely in your browser. Nothing is uploaded." }</p>
                <p>{ "Drop an archive (archive.md) or a whole run folder here, use " }<strong>{ "Open files" }</strong>{ ", or paste archive text." }</p>
                if store.busy > 0 { <p class="muted">{ "Loading the bundled runs…" }</p> }
            </div>
        },
    };
    html! { <main id="run-view" tabindex="-1">{ body }</main> }
}
