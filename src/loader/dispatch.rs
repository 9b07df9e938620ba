//! How the loader reaches the store.

use yew::functional::UseReducerDispatcher;

use crate::state::Shared;

/// A dispatcher for the store.
pub type Dispatch = UseReducerDispatcher<Shared>;
