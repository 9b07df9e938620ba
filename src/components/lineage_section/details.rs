//! The details of the last lineage node pointed at: its kind, run, and full path (or name)
//! with a copy button, so a path shortened in the drawing can be read and copied whole.

use yew::prelude::*;

use crate::components::copy_button::CopyButton;
use crate::lineage::GraphNode;

/// Props of [`NodeDetails`].
#[derive(Properties, PartialEq, Clone)]
pub struct NodeDetailsProps {
    /// The last node hovered, focused or found.
    pub node: Option<GraphNode>,
}

/// The full path (or name) of the last node pointed at, with a copy button.
#[component]
pub fn NodeDetails(p: &NodeDetailsProps) -> Html {
    let Some(n) = &p.node else {
        return html! { <div class="lineage-details muted small">{ "Point at a node to see its full path." }</div> };
    };
    let full = n.path.clone().unwrap_or_else(|| n.label.clone());
    html! {
        <div class="lineage-details small" data-node-id={n.id.clone()}>
            <span class="muted">{ n.kind.label() }</span>
            if let Some(r) = &n.run_id { <span class="muted">{ format!(" · {r}") }</span> }
            <code class="full-path">{ full.clone() }</code>
            <CopyButton text={full} what={if n.path.is_some() { "path" } else { "name" }} />
        </div>
    }
}
