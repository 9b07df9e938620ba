//! What the lineage picture is made of, computed once for both the viewer and
//! `runlens lineage --svg`: band boxes and their labels, node boxes with their text and
//! classes, edge paths with their titles. The viewer renders a [`Scene`] as SVG elements;
//! [`to_svg`] writes the same scene as a standalone file.
//!
//! Pure: no yew/web_sys/gloo/wasm_bindgen. Archive text is only ever escaped text here.

use crate::format::esc;
use std::collections::BTreeSet;
use std::fmt::Write;

use super::graph::{Graph, NodeKind};
use super::layout::{Layout, NODE_H, NODE_W};
use super::view::shorten_middle;

/// Room around the drawing.
pub const PAD: f64 = 20.0;
/// Characters of a node's label before it is shortened in the middle.
pub const LABEL_CHARS: usize = 30;

/// A run's band as drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct SceneBand {
    /// The run's id.
    pub run_id: String,
    /// `run <id> · <status>`.
    pub label: String,
    /// Status class (`success`, `failed`, ...).
    pub status: &'static str,
    /// Top edge.
    pub y: f64,
    /// Height.
    pub h: f64,
    /// Whether the band is folded to one box.
    pub folded: bool,
}

/// A node as drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct SceneNode {
    /// Index into `graph.nodes`.
    pub node: usize,
    /// The node's id (`data-node-id`).
    pub id: String,
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// CSS classes: `node k-<kind>`, `s-<status>` for steps, `tag-last`/`tag-best`.
    pub class: String,
    /// First line, shortened in the middle.
    pub label: String,
    /// Second line: kind, status or tag, and the run when several are drawn.
    pub sub: String,
    /// The full path (or label): the hover text.
    pub title: String,
}

/// An edge as drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct SceneEdge {
    /// Index into `graph.edges`.
    pub edge: usize,
    /// Source node id.
    pub from: String,
    /// Target node id.
    pub to: String,
    /// SVG path data (a polyline).
    pub d: String,
    /// `edge e-<kind>`.
    pub class: String,
    /// `<from> → <to> (<kind>)`.
    pub title: String,
}

/// The whole picture.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scene {
    /// Width with padding.
    pub width: f64,
    /// Height with padding.
    pub height: f64,
    /// The SVG `viewBox`.
    pub view_box: String,
    /// Bands, top to bottom.
    pub bands: Vec<SceneBand>,
    /// Edges.
    pub edges: Vec<SceneEdge>,
    /// Nodes.
    pub nodes: Vec<SceneNode>,
}

fn num(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}

/// The scene of a laid-out graph; `folded` names runs drawn as one box.
pub fn scene(g: &Graph, l: &Layout, folded: &BTreeSet<String>) -> Scene {
    let multi = l.bands.len() > 1;
    let bands = l
        .bands
        .iter()
        .map(|b| {
            let status = g.nodes.get(b.run_node).and_then(|n| n.status.as_ref());
            SceneBand {
                run_id: b.run_id.clone(),
                label: format!(
                    "run {} · {}",
                    b.run_id,
                    status.map_or_else(|| "unknown".to_string(), |s| s.label())
                ),
                status: status.map_or("unknown", |s| s.class()),
                y: b.y,
                h: b.h,
                folded: folded.contains(&b.run_id),
            }
        })
        .collect();
    let edges = l
        .edges
        .iter()
        .filter_map(|p| {
            let e = g.edges.get(p.edge)?;
            let mut d = String::new();
            for (i, (x, y)) in p.points.iter().enumerate() {
                let _ = write!(
                    d,
                    "{}{},{}",
                    if i == 0 { "M" } else { " L" },
                    num(*x),
                    num(*y)
                );
            }
            Some(SceneEdge {
                edge: p.edge,
                from: e.from.clone(),
                to: e.to.clone(),
                d,
                class: format!("edge e-{}", e.kind),
                title: format!("{} → {} ({})", e.from, e.to, e.kind),
            })
        })
        .collect();
    let nodes = l
        .nodes
        .iter()
        .filter_map(|p| {
            let n = g.nodes.get(p.node)?;
            let status = n.status.as_ref().map_or("", |s| s.class());
            let mut class = format!("node k-{}", n.kind.as_str());
            if n.kind == NodeKind::Step && !status.is_empty() {
                let _ = write!(class, " s-{status}");
            }
            if let Some(t) = n.tag.as_deref().filter(|t| *t == "last" || *t == "best") {
                let _ = write!(class, " tag-{t}");
            }
            let run_folded =
                n.kind == NodeKind::Run && n.run_id.as_ref().is_some_and(|r| folded.contains(r));
            if run_folded {
                class.push_str(" folded");
            }
            let sub = match (n.kind, n.tag.as_deref(), n.run_id.as_deref()) {
                (NodeKind::Run, _, _) if run_folded => "run · folded".to_string(),
                (NodeKind::Run, _, _) => format!(
                    "run · {}",
                    n.status
                        .as_ref()
                        .map_or_else(|| "unknown".into(), |s| s.label())
                ),
                (NodeKind::Checkpoint, Some(t), _) if !t.is_empty() => format!("checkpoint · {t}"),
                (NodeKind::Step, _, Some(r)) if multi => format!("{status} · {r}"),
                (NodeKind::Step, _, _) => format!("step · {status}"),
                (k, _, Some(r)) if multi => format!("{} · {r}", k.label()),
                (k, _, _) => k.label().to_string(),
            };
            Some(SceneNode {
                node: p.node,
                id: n.id.clone(),
                x: p.x,
                y: p.y,
                class,
                label: shorten_middle(&n.label, LABEL_CHARS),
                sub: shorten_middle(&sub, LABEL_CHARS + 6),
                title: n.path.clone().unwrap_or_else(|| n.label.clone()),
            })
        })
        .collect();
    let (w, h) = (l.width + 2.0 * PAD, l.height.max(NODE_H) + 2.0 * PAD);
    Scene {
        width: w,
        height: h,
        view_box: format!("{} {} {} {}", num(-PAD), num(-PAD), num(w), num(h)),
        bands,
        edges,
        nodes,
    }
}

/// The colours of a standalone SVG: the viewer's light theme, as plain CSS.
const SVG_STYLE: &str = "
.band{fill:#f6f7f9;stroke:#d8dce3}.band.st-failed{fill:#fdf3f2}.band-label{fill:#4b5563;font:600 12px sans-serif}
.edge{fill:none;stroke:#4b5563;stroke-opacity:.55;stroke-width:1.4;marker-end:url(#arrow)}.e-previous{stroke-dasharray:5 4}
.arrowhead{fill:#4b5563}.node rect{fill:#fff;stroke:#d8dce3;stroke-width:1.2}.n-label{fill:#1b1f24;font:600 12px sans-serif}
.n-sub{fill:#4b5563;font:11px sans-serif}.node .kind{stroke:none}.k-data .kind{fill:#2358c4}.k-step .kind{fill:#116329}
.s-failed .kind{fill:#b42318}.s-skipped .kind{fill:#57606a}.s-running .kind,.s-unknown .kind{fill:#8a5a00}
.k-checkpoint .kind{fill:#b7791f}.k-hf_model .kind{fill:#6d28d9}.k-eval .kind{fill:#0e7490}.k-report .kind{fill:#6b7280}
.k-run .kind{fill:#1b1f24}.tag-best rect.box{stroke:#6d28d9;stroke-width:2}.tag-last rect.box{stroke:#116329;stroke-width:2}
";

/// The scene as a standalone SVG file (the picture the viewer draws, in its light theme).
pub fn to_svg(s: &Scene) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"lineage\" viewBox=\"{}\" width=\"{}\" height=\"{}\">",
        s.view_box,
        num(s.width),
        num(s.height)
    );
    let _ = writeln!(o, "<style>{SVG_STYLE}</style>");
    o.push_str("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" class=\"arrowhead\"/></marker></defs>\n");
    for b in &s.bands {
        let _ = writeln!(
            o,
            "<g class=\"band-g\"><rect class=\"band st-{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"8\"/><text class=\"band-label\" x=\"{}\" y=\"{}\">{}</text></g>",
            b.status,
            num(-PAD / 2.0),
            num(b.y),
            num(s.width - PAD),
            num(b.h),
            num(-PAD / 2.0 + 10.0),
            num(b.y + 16.0),
            esc(&b.label)
        );
    }
    for e in &s.edges {
        let _ = writeln!(
            o,
            "<path class=\"{}\" d=\"{}\"><title>{}</title></path>",
            e.class,
            e.d,
            esc(&e.title)
        );
    }
    for n in &s.nodes {
        let _ = writeln!(
            o,
            "<g class=\"{}\" transform=\"translate({},{})\" data-node-id=\"{}\"><title>{}</title><rect class=\"box\" width=\"{}\" height=\"{}\" rx=\"7\"/><rect class=\"kind\" width=\"5\" height=\"{}\" rx=\"2\"/><text x=\"12\" y=\"18\" class=\"n-label\">{}</text><text x=\"12\" y=\"34\" class=\"n-sub\">{}</text></g>",
            n.class,
            num(n.x),
            num(n.y),
            esc(&n.id),
            esc(&n.title),
            num(NODE_W),
            num(NODE_H),
            num(NODE_H),
            esc(&n.label),
            esc(&n.sub)
        );
    }
    o.push_str("</svg>\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_text_is_escaped() {
        assert_eq!(esc("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;");
    }

    #[test]
    fn long_names_are_shortened_and_the_hover_keeps_the_path() {
        use crate::lineage::graph::GraphNode;
        let path = "/mnt/datapool/exp/a-very-long-experiment-name/run/ckpt/iter_0002000_final";
        let g = Graph {
            nodes: vec![GraphNode {
                id: format!("ckpt:{path}"),
                kind: NodeKind::Checkpoint,
                label: "a-very-long-experiment-name-checkpoint-iter_0002000".into(),
                run_id: None,
                path: Some(path.into()),
                status: None,
                tag: None,
                step_index: None,
            }],
            edges: vec![],
        };
        let l = crate::lineage::layout::layout(&g);
        let s = scene(&g, &l, &BTreeSet::new());
        let n = &s.nodes[0];
        assert_eq!(n.label.chars().count(), LABEL_CHARS);
        assert!(n.label.starts_with("a-very-long") && n.label.ends_with("iter_0002000"));
        assert_eq!(n.title, path);
        assert!(to_svg(&s).contains(&format!("<title>{path}</title>")));
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.26), "12.3");
    }
}
