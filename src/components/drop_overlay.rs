//! The overlay shown while files are dragged over the page.

use yew::prelude::*;

/// Props of [`DropOverlay`].
#[derive(Properties, PartialEq)]
pub struct DropOverlayProps {
    /// A drag is over the page.
    pub active: bool,
}

/// Says what a drop will do.
#[component]
pub fn DropOverlay(props: &DropOverlayProps) -> Html {
    let class = classes!("drop-overlay", props.active.then_some("active"));
    html! {
        <div id="drop-overlay" {class} aria-hidden={(!props.active).to_string()}>
            <div class="drop-box">
                <strong>{ "Drop archives or run folders" }</strong>
                <span>{ "archive.md with its tensorboard/, curves/ and logs/ files" }</span>
            </div>
        </div>
    }
}
