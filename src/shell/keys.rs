//! Page-wide keyboard shortcuts (`/`, `j`, `k`, `t`, `?`, `c`, `Esc`: closes a dialog, or stops
//! the curve files being read); never while typing.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::prelude::*;

use crate::state::{remember_theme, Action, Store};

/// True when the key goes into a text field (shortcuts must not fire then).
fn typing(e: &KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| {
            let tag = el.tag_name().to_ascii_lowercase();
            // Checkboxes and buttons take no text: shortcuts still work with focus on them.
            let kind = el.get_attribute("type").unwrap_or_default();
            let text_input = tag == "input"
                && !matches!(
                    kind.to_ascii_lowercase().as_str(),
                    "checkbox"
                        | "radio"
                        | "button"
                        | "submit"
                        | "reset"
                        | "range"
                        | "file"
                        | "color"
                );
            text_input
                || tag == "textarea"
                || tag == "select"
                || el.has_attribute("contenteditable")
        })
}

fn focus_search() {
    if let Some(el) = gloo::utils::document().get_element_by_id("run-search") {
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}

/// Listens for the shortcuts while the app is mounted.
#[hook]
pub fn use_shortcuts(store: &Store) {
    let store = store.clone();
    use_effect_with(
        (
            store.theme,
            store.help_open,
            store.paste_open,
            store.selected.clone(),
        ),
        move |_| {
            let d = store.dispatcher();
            let (theme, help, paste, selected) = (
                store.theme,
                store.help_open,
                store.paste_open,
                store.selected.clone(),
            );
            // Not passive: `/` must not also type itself into the search box it focuses.
            let opts = EventListenerOptions::enable_prevent_default();
            let doc = gloo::utils::document();
            let listener = EventListener::new_with_options(&doc, "keydown", opts, move |e| {
                let e: &KeyboardEvent = e.unchecked_ref();
                if e.ctrl_key() || e.meta_key() || e.alt_key() {
                    return;
                }
                if e.key() == "Escape" {
                    // Esc closes a dialog; with none open, it stops the curve files being read.
                    if !help && !paste && crate::loader::curve_loads_running() {
                        crate::loader::cancel_curve_loads("");
                    }
                    d.dispatch(Action::Help(false));
                    d.dispatch(Action::Paste(false));
                    return;
                }
                if typing(e) {
                    return;
                }
                match e.key().as_str() {
                    "/" => {
                        e.prevent_default();
                        focus_search();
                    }
                    "j" => d.dispatch(Action::Step(1)),
                    "k" => d.dispatch(Action::Step(-1)),
                    "t" => {
                        remember_theme(theme.toggled());
                        d.dispatch(Action::Theme(theme.toggled()));
                    }
                    "?" => d.dispatch(Action::Help(!help)),
                    "c" if selected.len() >= 2 => d.dispatch(Action::Compare(selected.clone())),
                    _ => {}
                }
            });
            move || drop(listener)
        },
    );
}
