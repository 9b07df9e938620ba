//! The viewer's reading aids over a lineage graph, as pure functions: folding a run's band
//! to one box, what is upstream and downstream of a node, finding a node by path or name,
//! shortening a long path in the middle, and the zoom that fits the graph to a width.
//!
//! Pure: no yew/web_sys/gloo/wasm_bindgen; tested natively.

use std::collections::{BTreeSet, HashMap};

use super::graph::{Graph, GraphEdge, NodeKind};

/// `s` cut to at most `max` characters by replacing its middle with `…`, so a path keeps
/// its root and its last names.
pub fn shorten_middle(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max || max < 3 {
        return s.to_string();
    }
    let keep = max - 1;
    let head = keep / 2;
    let tail = keep - head;
    let mut o: String = s.chars().take(head).collect();
    o.push('…');
    o.extend(s.chars().skip(n - tail));
    o
}

/// The graph with each run in `folded` drawn as its run node alone: the run's own nodes
/// (steps, checkpoints, models, results, reports) are merged into it, and edges to or from
/// them go to or from the run instead.
pub fn fold(g: &Graph, folded: &BTreeSet<String>) -> Graph {
    if folded.is_empty() {
        return g.clone();
    }
    let mut into: HashMap<&str, String> = HashMap::new();
    let mut nodes = Vec::with_capacity(g.nodes.len());
    for n in &g.nodes {
        match n.run_id.as_deref() {
            Some(r) if folded.contains(r) && n.kind != NodeKind::Run => {
                into.insert(n.id.as_str(), format!("run:{r}"));
            }
            _ => nodes.push(n.clone()),
        }
    }
    let mut edges: Vec<GraphEdge> = Vec::with_capacity(g.edges.len());
    for e in &g.edges {
        let from = into
            .get(e.from.as_str())
            .cloned()
            .unwrap_or_else(|| e.from.clone());
        let to = into
            .get(e.to.as_str())
            .cloned()
            .unwrap_or_else(|| e.to.clone());
        if from == to {
            continue;
        }
        let e = GraphEdge {
            from,
            to,
            kind: e.kind,
        };
        if !edges.contains(&e) {
            edges.push(e);
        }
    }
    Graph { nodes, edges }
}

/// The ids of every node upstream and downstream of `id` (what it came from and what came
/// of it), itself included; empty when there is no such node.
pub fn lineage_of(g: &Graph, id: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if !g.nodes.iter().any(|n| n.id == id) {
        return out;
    }
    out.insert(id.to_string());
    for forward in [true, false] {
        let mut stack = vec![id.to_string()];
        let mut seen = BTreeSet::new();
        while let Some(v) = stack.pop() {
            for e in &g.edges {
                let (a, b) = if forward {
                    (&e.from, &e.to)
                } else {
                    (&e.to, &e.from)
                };
                if *a == v && seen.insert(b.clone()) {
                    out.insert(b.clone());
                    stack.push(b.clone());
                }
            }
        }
    }
    out
}

/// Nodes whose name, path or id contains `query` (any case), best first: a name equal to
/// the query, then names that contain it, then paths and ids. Empty for a blank query.
pub fn search(g: &Graph, query: &str) -> Vec<usize> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<(u8, usize)> = g
        .nodes
        .iter()
        .enumerate()
        .filter_map(|(i, n)| {
            let label = n.label.to_lowercase();
            let rank = if label == q {
                0
            } else if label.contains(&q) {
                1
            } else if n
                .path
                .as_deref()
                .is_some_and(|p| p.to_lowercase().contains(&q))
            {
                2
            } else if n.id.to_lowercase().contains(&q) {
                3
            } else {
                return None;
            };
            Some((rank, i))
        })
        .collect();
    hits.sort();
    hits.into_iter().map(|(_, i)| i).collect()
}

/// Smallest zoom the viewer allows.
pub const MIN_ZOOM: f64 = 0.05;
/// Largest zoom the viewer allows.
pub const MAX_ZOOM: f64 = 3.0;

/// The zoom that shows a drawing `content_w` wide in `visible_w` pixels (never above 1:1).
pub fn fit_zoom(content_w: f64, visible_w: f64) -> f64 {
    if content_w <= 0.0 || visible_w <= 0.0 {
        return 1.0;
    }
    (visible_w / content_w).clamp(MIN_ZOOM, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lineage::graph::{EdgeKind, GraphNode};

    fn node(id: &str, kind: NodeKind, run: Option<&str>) -> GraphNode {
        GraphNode {
            id: id.into(),
            kind,
            label: id.rsplit(':').next().unwrap_or(id).into(),
            run_id: run.map(Into::into),
            path: id.split_once(':').map(|(_, p)| p.to_string()),
            status: None,
            tag: None,
            step_index: None,
        }
    }

    fn edge(a: &str, b: &str, kind: EdgeKind) -> GraphEdge {
        GraphEdge {
            from: a.into(),
            to: b.into(),
            kind,
        }
    }

    fn chain() -> Graph {
        Graph {
            nodes: vec![
                node("run:a", NodeKind::Run, Some("a")),
                node("data:/d/raw", NodeKind::Data, None),
                node("step:a:1", NodeKind::Step, Some("a")),
                node("ckpt:/c/a/iter_1", NodeKind::Checkpoint, Some("a")),
                node("run:b", NodeKind::Run, Some("b")),
                node("step:b:1", NodeKind::Step, Some("b")),
                node("data:/d/other", NodeKind::Data, None),
            ],
            edges: vec![
                edge("data:/d/raw", "step:a:1", EdgeKind::Reads),
                edge("step:a:1", "ckpt:/c/a/iter_1", EdgeKind::Saves),
                edge("ckpt:/c/a/iter_1", "step:b:1", EdgeKind::Loads),
                edge("data:/d/other", "step:b:1", EdgeKind::Reads),
                edge("run:a", "run:b", EdgeKind::Previous),
            ],
        }
    }

    #[test]
    fn long_paths_keep_both_ends() {
        let s = shorten_middle("/mnt/datapool/exp/qwen/20251103/ckpt/cpt/iter_0002000", 20);
        assert_eq!(s.chars().count(), 20);
        assert!(
            s.starts_with("/mnt/data") && s.ends_with("iter_0002000") || s.ends_with("r_0002000")
        );
        assert!(s.contains('…'));
        assert_eq!(shorten_middle("short", 20), "short");
    }

    #[test]
    fn a_folded_run_is_one_box_that_keeps_its_links() {
        let g = fold(&chain(), &BTreeSet::from(["a".to_string()]));
        let ids: Vec<&str> = g.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(
            ids,
            ["run:a", "data:/d/raw", "run:b", "step:b:1", "data:/d/other"]
        );
        assert!(g
            .edges
            .contains(&edge("data:/d/raw", "run:a", EdgeKind::Reads)));
        assert!(g
            .edges
            .contains(&edge("run:a", "step:b:1", EdgeKind::Loads)));
        assert!(g
            .edges
            .contains(&edge("run:a", "run:b", EdgeKind::Previous)));
    }

    #[test]
    fn focus_covers_upstream_and_downstream_only() {
        let s = lineage_of(&chain(), "ckpt:/c/a/iter_1");
        assert!(s.contains("data:/d/raw") && s.contains("step:a:1") && s.contains("step:b:1"));
        assert!(
            !s.contains("data:/d/other"),
            "a sibling input of a downstream step is not in the lineage"
        );
        assert!(lineage_of(&chain(), "nope").is_empty());
    }

    #[test]
    fn search_by_name_then_path() {
        let g = chain();
        assert_eq!(search(&g, "ITER_1"), vec![3]);
        assert_eq!(search(&g, "/d/"), vec![1, 6]);
        assert!(search(&g, "  ").is_empty());
    }

    #[test]
    fn fit_never_magnifies() {
        assert_eq!(fit_zoom(500.0, 1000.0), 1.0);
        assert!((fit_zoom(4000.0, 1000.0) - 0.25).abs() < 1e-9);
    }
}
