//! The whole window is the drop target: an overlay while a drag is over the page, and the
//! dropped files and folders handed to the loader.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::DragEvent;
use yew::prelude::*;

use crate::loader::load_drop;
use crate::state::{Action, Shared};

/// Listens for drags and drops on the window while the app is mounted.
#[hook]
pub fn use_page_drop(d: UseReducerDispatcher<Shared>) {
    use_effect_with((), move |_| {
        let win = gloo::utils::window();
        let opts = EventListenerOptions::enable_prevent_default();
        let d1 = d.clone();
        let enter = EventListener::new_with_options(&win, "dragenter", opts, move |e| {
            e.prevent_default();
            d1.dispatch(Action::Dragging(true));
        });
        let over = EventListener::new_with_options(&win, "dragover", opts, move |e| {
            e.prevent_default();
        });
        let d2 = d.clone();
        let leave = EventListener::new(&win, "dragleave", move |e| {
            let e: &DragEvent = e.unchecked_ref();
            // Leaving the window, not moving between elements inside it.
            if e.related_target().is_none() {
                d2.dispatch(Action::Dragging(false));
            }
        });
        let drop = EventListener::new_with_options(&win, "drop", opts, move |e| {
            e.prevent_default();
            d.dispatch(Action::Dragging(false));
            let e: &DragEvent = e.unchecked_ref();
            if let Some(dt) = e.data_transfer() {
                load_drop(dt, d.clone());
            }
        });
        move || std::mem::drop((enter, over, leave, drop))
    });
}
