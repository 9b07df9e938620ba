//! Above the runs table of a sharded index: how many shard manifests have been read and how
//! many runs they listed (`3 of 12 shards, 41,200 runs`), and each shard that could not be
//! read, by its URL and why (the other shards' runs stay listed).

use yew::prelude::*;

use crate::loading::manifest::shard_progress;
use crate::state::Store;

/// The shards' progress and failures; nothing for an index that is not sharded.
#[component]
pub fn ShardStatus() -> Html {
    let Some(store) = use_context::<Store>() else {
        return html! {};
    };
    let s = &store.shards;
    if s.total == 0 {
        return html! {};
    }
    let done = !s.pending();
    html! {
        <div class="shard-status" data-shards-total={s.total.to_string()} data-shards-read={s.read.to_string()} data-shards-done={done.to_string()}>
            <p class="shard-progress muted small" role="status" aria-live="polite">
                { shard_progress(s.read, s.total, s.runs) }
                { if done { "" } else { " (loading)" } }
            </p>
            { for s.failed.iter().map(|e| html! {
                <p class="shard-failed" role="alert" data-shard-failed={e.what.clone()}>
                    { "Shard " }<code>{ e.what.clone() }</code>{ format!(" could not be loaded: {}", e.message) }
                </p>
            }) }
        </div>
    }
}
