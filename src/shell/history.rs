//! The address bar: the one place that reads `window.location` and writes history. The
//! address is read into a [`Route`] at start-up and on back/forward, and the route the state
//! names is written back whenever it changes.

use gloo::events::EventListener;
use wasm_bindgen::JsValue;
use yew::prelude::*;

use crate::share::route::{HistoryOp, Route, Target};
use crate::state::{Action, Shared};

/// The route the address names now.
pub fn current_route() -> Route {
    let loc = gloo::utils::window().location();
    Route::parse(
        &loc.search().unwrap_or_default(),
        &loc.hash().unwrap_or_default(),
    )
}

/// The full address now (what *Copy link* copies for a hosted run).
pub fn current_href() -> String {
    gloo::utils::window().location().href().unwrap_or_default()
}

/// The page's address without query or fragment (`https://host/path/`).
pub fn page_base() -> String {
    let loc = gloo::utils::window().location();
    format!(
        "{}{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default()
    )
}

/// Writes `next` to the address bar, as a new entry or over the current one (see
/// [`Route::history_op`]); nothing when the address already names it. `same_view` says the
/// address now names the view `next` shows by other words (a run id where `next` has the
/// run's identity): that is a rewrite, not a new entry.
pub fn write(next: &Route, same_view: impl Fn(&Route) -> bool) {
    let win = gloo::utils::window();
    let current = current_route();
    let Some(op) = current.history_op(next) else {
        return;
    };
    let run_view = matches!(next.target, Target::Run(_) | Target::Open(_));
    let op = if run_view && same_view(&current) {
        HistoryOp::Replace
    } else {
        op
    };
    let path = win.location().pathname().unwrap_or_default();
    let url = format!("{path}{}", next.href());
    if let Ok(h) = win.history() {
        let _ = match op {
            HistoryOp::Push => h.push_state_with_url(&JsValue::NULL, "", Some(&url)),
            HistoryOp::Replace => h.replace_state_with_url(&JsValue::NULL, "", Some(&url)),
        };
    }
}

/// Back, forward and anchor jumps: the state follows the address.
#[hook]
pub fn use_history(dispatch: UseReducerDispatcher<Shared>) {
    use_effect_with((), move |_| {
        let win = gloo::utils::window();
        let d = dispatch.clone();
        let pop = EventListener::new(&win, "popstate", move |_| {
            d.dispatch(Action::Navigate(Box::new(current_route())))
        });
        let hash = EventListener::new(&win, "hashchange", move |_| {
            dispatch.dispatch(Action::Navigate(Box::new(current_route())))
        });
        move || drop((pop, hash))
    });
}

/// Moves to an anchor or shared archive on this page (a new history entry, as following a
/// `#` link is); the state follows through the `hashchange` listener.
pub fn go_to_fragment(fragment: &str) {
    let _ = gloo::utils::window().location().set_hash(fragment);
}
