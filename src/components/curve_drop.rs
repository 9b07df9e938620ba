//! A drop target for a step's missing curve file: names the file, says why it is wanted,
//! and attaches what is dropped on it to the run. Used by the step chart and by the
//! comparison overlays, so a missing file is asked for the same way everywhere.

use web_sys::DragEvent;
use yew::prelude::*;

use crate::loader::register_file;
use crate::runs::Companion;
use crate::state::{Action, Store};

/// Props of [`CurveDrop`].
#[derive(Properties, PartialEq, Clone)]
pub struct CurveDropProps {
    /// The run the dropped file belongs to.
    pub run_key: AttrValue,
    /// The file the archive names (its base name).
    pub file_name: AttrValue,
    /// Why the file is asked for ("The loss curve x is not among the files loaded ...").
    pub why: AttrValue,
}

/// The drop target.
#[component]
pub fn CurveDrop(props: &CurveDropProps) -> Html {
    let store = use_context::<Store>();
    let ondrop = {
        let run_key = props.run_key.to_string();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            e.stop_propagation();
            let Some(store) = &store else { return };
            store.dispatch(Action::Dragging(false));
            let Some(f) = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|l| l.get(0))
            else {
                return;
            };
            let file = Companion {
                path: f.name(),
                size: Some(f.size() as u64),
                url: None,
                bytes: None,
                handle: Some(register_file(f)),
            };
            store.dispatch(Action::Attach {
                run_key: run_key.clone(),
                file,
            });
        })
    };
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let name = &props.file_name;
    html! {
        <div class="curve-drop" {ondrop} {ondragover} role="region" aria-label={format!("Drop {name} here")}>
            <strong>{ props.why.to_string() }</strong>
            <span>{ format!("Drop {name} here to chart it, or drop the whole run folder.") }</span>
        </div>
    }
}
