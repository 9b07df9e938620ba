//! The store as Yew holds it: `AppState` behind `use_reducer`, calling the pure [`apply`].
//! Browser only; components take it from context as [`Store`].

use std::rc::Rc;

use gloo::storage::Storage;
use yew::{Reducible, UseReducerHandle};

use super::action::Action;
use super::apply::apply;
use super::model::{AppState, Theme};

/// The store as components receive it.
pub type Store = UseReducerHandle<AppState>;

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = Rc::unwrap_or_clone(self);
        apply(&mut s, action);
        Rc::new(s)
    }
}

/// Saves the theme choice in this browser.
pub fn remember_theme(t: Theme) {
    let _ = gloo::storage::LocalStorage::set("runlens.theme", t.as_str());
}
