//! How the loader reaches the store.

use yew::functional::UseReducerDispatcher;

use crate::state::AppState;

/// A dispatcher for the store.
pub type Dispatch = UseReducerDispatcher<AppState>;
