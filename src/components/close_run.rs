//! The run header's *Close* button: stops the run's curve reads (their workers end) and
//! closes the run, so a large file dropped by mistake costs nothing more.

use yew::prelude::*;

use crate::state::{Action, Store};

/// Props of [`CloseRun`].
#[derive(Properties, PartialEq, Clone)]
pub struct CloseRunProps {
    /// The run's key.
    pub run_key: AttrValue,
}

/// The button.
#[component]
pub fn CloseRun(props: &CloseRunProps) -> Html {
    let store = use_context::<Store>();
    let key = props.run_key.clone();
    let onclick = Callback::from(move |_| {
        // Curve keys start with their run's key (see `loader::curve_source`).
        crate::loader::cancel_curve_loads(&format!("{key}::"));
        if let Some(s) = &store {
            s.dispatcher().dispatch(Action::Close(key.to_string()));
        }
    });
    html! {
        <button type="button" id="close-run" title="Close this run (stops reading its curve files)" {onclick}>
            { "Close" }
        </button>
    }
}
