//! Load errors: what failed, which file or URL, and what to do; each can be dismissed.

use yew::prelude::*;

use crate::state::Action;
use crate::state::Store;

/// The list of load errors.
#[component]
pub fn ErrorList() -> Html {
    let Some(store) = use_context::<Store>() else {
        return html! {};
    };
    html! {
        <div id="load-errors" aria-live="assertive">
            { for store.errors.iter().enumerate().map(|(i, e)| {
                let d = store.dispatcher();
                let dismiss = Callback::from(move |_| d.dispatch(Action::Dismiss(i)));
                html! {
                    <div class="load-error" role="alert">
                        <strong class="path">{ e.what.clone() }</strong>
                        <span>{ format!(": {}", e.message) }</span>
                        <button type="button" class="dismiss" onclick={dismiss} aria-label="Dismiss this message">{ "×" }</button>
                    </div>
                }
            }) }
        </div>
    }
}
