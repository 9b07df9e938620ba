//! Checkpoint and data lineage: the graph of what each step read and wrote, across runs,
//! its layered layout, the picture drawn from it (viewer and SVG file), the viewer's reading
//! aids, and its JSON and Graphviz DOT forms.
//!
//! **Invariant: every edge is backed by a path or a `previous_run_id` in the archives.**
//! Pure: no yew/web_sys/gloo/wasm_bindgen, no I/O.

pub mod graph;
pub mod layout;
pub mod scene;
pub mod synth;
pub mod view;

pub use graph::{build, EdgeKind, Graph, GraphEdge, GraphNode, NodeKind};

/// The graph as JSON: `{"nodes": [{"id", "kind", "label", "run_id"}], "edges": [{"from", "to", "kind"}]}`.
pub fn to_json(g: &Graph) -> serde_json::Value {
    use serde_json::json;
    json!({
        "nodes": g.nodes.iter().map(|n| json!({
            "id": n.id, "kind": n.kind.as_str(), "label": n.label, "run_id": n.run_id,
            "path": n.path, "status": n.status.as_ref().map(|s| s.label()), "tag": n.tag,
        })).collect::<Vec<_>>(),
        "edges": g.edges.iter().map(|e| json!({"from": e.from, "to": e.to, "kind": e.kind.as_str()})).collect::<Vec<_>>(),
    })
}

/// The computed layout as JSON: `{"nodes": [{"id", "x", "y", "w", "h"}], "edges": [{"from",
/// "to", "points": [[x, y], ...]}], "bands": [{"run_id", "y", "h"}]}`, plus the total
/// `width` and `height`. Coordinates are those of the drawing (`runlens lineage --svg`).
pub fn layout_json(g: &Graph, l: &layout::Layout) -> serde_json::Value {
    use serde_json::json;
    json!({
        "width": l.width,
        "height": l.height,
        "nodes": l.nodes.iter().filter_map(|p| {
            let n = g.nodes.get(p.node)?;
            Some(json!({"id": n.id, "x": p.x, "y": p.y, "w": p.w, "h": p.h}))
        }).collect::<Vec<_>>(),
        "edges": l.edges.iter().filter_map(|p| {
            let e = g.edges.get(p.edge)?;
            Some(json!({"from": e.from, "to": e.to, "kind": e.kind.as_str(),
                "points": p.points.iter().map(|(x, y)| json!([x, y])).collect::<Vec<_>>()}))
        }).collect::<Vec<_>>(),
        "bands": l.bands.iter().map(|b| json!({"run_id": b.run_id, "y": b.y, "h": b.h})).collect::<Vec<_>>(),
    })
}

fn dot_str(s: &str) -> String {
    format!(
        "\"{}\"",
        s.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', "\\n")
    )
}

/// The graph as Graphviz DOT.
pub fn to_dot(g: &Graph) -> String {
    let mut o = String::from("digraph lineage {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fontname=\"sans-serif\", fontsize=10];\n");
    for n in &g.nodes {
        let fill = match n.kind {
            NodeKind::Data => "#e8f0fe",
            NodeKind::Step => match n.status.as_ref().map(|s| s.class()) {
                Some("failed") => "#fde4e1",
                Some("skipped") => "#eaeef2",
                _ => "#dcf3e3",
            },
            NodeKind::Checkpoint => "#fdf0cf",
            NodeKind::HfModel => "#ede4fc",
            NodeKind::Eval => "#e0f7fa",
            NodeKind::Report => "#f6f7f9",
            NodeKind::Run => "#ffffff",
        };
        let mut label = format!("{}\n{}", n.kind.as_str(), n.label);
        if let Some(t) = n.tag.as_deref().filter(|t| !t.is_empty()) {
            label.push_str(&format!(" [{t}]"));
        }
        o.push_str(&format!(
            "  {} [label={}, fillcolor=\"{fill}\", tooltip={}];\n",
            dot_str(&n.id),
            dot_str(&label),
            dot_str(n.path.as_deref().unwrap_or(&n.label))
        ));
    }
    for e in &g.edges {
        o.push_str(&format!(
            "  {} -> {} [label={}];\n",
            dot_str(&e.from),
            dot_str(&e.to),
            dot_str(e.kind.as_str())
        ));
    }
    o.push_str("}\n");
    o
}
