//! A dialog to paste archive text.

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::loader::load_pasted;
use crate::state::Action;
use crate::state::Store;

/// The paste dialog.
#[component]
pub fn PasteDialog() -> Html {
    let Some(store) = use_context::<Store>() else {
        return html! {};
    };
    let area = use_node_ref();
    {
        let area = area.clone();
        use_effect_with((), move |_| {
            if let Some(el) = area.cast::<HtmlTextAreaElement>() {
                let _ = el.focus();
            }
        });
    }
    let submit = {
        let d = store.dispatcher();
        let area = area.clone();
        Callback::from(move |_| {
            if let Some(el) = area.cast::<HtmlTextAreaElement>() {
                load_pasted(&el.value(), &d);
            }
            d.dispatch(Action::Paste(false));
        })
    };
    let close = {
        let d = store.dispatcher();
        Callback::from(move |_| d.dispatch(Action::Paste(false)))
    };
    html! {
        <div class="modal" role="dialog" aria-modal="true" aria-labelledby="paste-title">
            <div class="modal-box">
                <h2 id="paste-title">{ "Paste an archive" }</h2>
                <textarea id="paste-text" ref={area} rows="16" aria-label="Archive text"
                    placeholder="# Experiment Archive ..." />
                <div class="row">
                    <button id="paste-submit" type="button" class="primary" onclick={submit}>{ "Open" }</button>
                    <button type="button" onclick={close}>{ "Cancel" }</button>
                </div>
            </div>
        </div>
    }
}
