//! The store as Yew holds it: the core's `AppState` behind `use_reducer`, calling the pure
//! [`apply`]. Browser only; components take it from context as [`Store`].

use std::ops::Deref;
use std::rc::Rc;

use gloo::storage::Storage;
use yew::{Reducible, UseReducerHandle};

use crate::state::{apply, Action, AppState, Theme};

/// The store as components receive it: it reads as the [`AppState`] it holds.
pub type Store = UseReducerHandle<Shared>;

/// The [`AppState`] Yew's reducer holds (the state is the core crate's, the `Reducible`
/// trait Yew's, so the store wraps it).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shared(pub AppState);

impl Deref for Shared {
    type Target = AppState;

    fn deref(&self) -> &AppState {
        &self.0
    }
}

impl Reducible for Shared {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = Rc::unwrap_or_clone(self).0;
        apply(&mut s, action);
        Rc::new(Shared(s))
    }
}

/// Saves the theme choice in this browser.
pub fn remember_theme(t: Theme) {
    let _ = gloo::storage::LocalStorage::set("runlens.theme", t.as_str());
}
