//! The keyboard shortcuts list.

use yew::prelude::*;

use crate::state::Action;
use crate::state::Store;

const SHORTCUTS: [(&str, &str); 6] = [
    ("/", "focus the runs search"),
    ("j / k", "next / previous run"),
    ("t", "toggle light and dark theme"),
    ("?", "show or hide this list"),
    ("Esc", "close a dialog"),
    (
        "Ctrl+F",
        "find any line of the archive (collapsed parts open)",
    ),
];

/// The shortcuts dialog.
#[component]
pub fn HelpDialog() -> Html {
    let Some(store) = use_context::<Store>() else {
        return html! {};
    };
    let close = {
        let d = store.dispatcher();
        Callback::from(move |_| d.dispatch(Action::Help(false)))
    };
    html! {
        <div class="modal" role="dialog" aria-modal="true" aria-labelledby="help-title">
            <div class="modal-box">
                <h2 id="help-title">{ "Keyboard shortcuts" }</h2>
                <table class="grid">
                    { for SHORTCUTS.iter().map(|(k, v)| html! { <tr><td><kbd>{ *k }</kbd></td><td>{ *v }</td></tr> }) }
                </table>
                <div class="row"><button type="button" onclick={close}>{ "Close" }</button></div>
            </div>
        </div>
    }
}
