//! A layered (Sugiyama-style) layout of the lineage graph, left to right: layers by longest
//! path from the sources, order within a layer by barycentre sweeps, fixed-size boxes.
//!
//! Pure. **Invariant: no two node boxes overlap** (each layer is a column, each node a row
//! of its column), checked by the tests.

use std::collections::HashMap;

use super::graph::Graph;

/// Where a node goes.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// Index into `graph.nodes`.
    pub node: usize,
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
    /// Layer (column).
    pub layer: usize,
}

/// The layout.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layout {
    /// One per node.
    pub nodes: Vec<Placed>,
    /// Total width.
    pub width: f64,
    /// Total height.
    pub height: f64,
}

/// Box size and gaps.
pub const NODE_W: f64 = 220.0;
/// Box height.
pub const NODE_H: f64 = 44.0;
const GAP_X: f64 = 70.0;
const GAP_Y: f64 = 18.0;

/// Lays the graph out.
pub fn layout(g: &Graph) -> Layout {
    let n = g.nodes.len();
    let idx: HashMap<&str, usize> = g
        .nodes
        .iter()
        .enumerate()
        .map(|(i, x)| (x.id.as_str(), i))
        .collect();
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut pred: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in &g.edges {
        if let (Some(&a), Some(&b)) = (idx.get(e.from.as_str()), idx.get(e.to.as_str())) {
            succ[a].push(b);
            pred[b].push(a);
        }
    }
    // Layers: longest path from a source; a cycle (never expected) is cut where it is met.
    let mut layer = vec![0usize; n];
    let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
    fn visit(v: usize, pred: &[Vec<usize>], layer: &mut [usize], state: &mut [u8]) -> usize {
        if state[v] == 2 {
            return layer[v];
        }
        if state[v] == 1 {
            return 0;
        }
        state[v] = 1;
        let mut l = 0;
        for &p in &pred[v] {
            if state[p] != 1 {
                l = l.max(visit(p, pred, layer, state) + 1);
            }
        }
        layer[v] = l;
        state[v] = 2;
        l
    }
    for v in 0..n {
        visit(v, &pred, &mut layer, &mut state);
    }
    let layers_n = layer.iter().max().map_or(0, |m| m + 1);
    let mut columns: Vec<Vec<usize>> = vec![Vec::new(); layers_n];
    for v in 0..n {
        columns[layer[v]].push(v);
    }
    // Order: barycentre of neighbours in the previous (then next) column, a few sweeps.
    let mut pos = vec![0f64; n];
    for col in &columns {
        for (i, &v) in col.iter().enumerate() {
            pos[v] = i as f64;
        }
    }
    for sweep in 0..4 {
        let order: Vec<usize> = if sweep % 2 == 0 {
            (1..layers_n).collect()
        } else {
            (0..layers_n.saturating_sub(1)).rev().collect()
        };
        for l in order {
            let nb = if sweep % 2 == 0 { &pred } else { &succ };
            let mut col = std::mem::take(&mut columns[l]);
            col.sort_by(|&a, &b| {
                let bary = |v: usize| {
                    let ns = &nb[v];
                    if ns.is_empty() {
                        pos[v]
                    } else {
                        ns.iter().map(|&u| pos[u]).sum::<f64>() / ns.len() as f64
                    }
                };
                bary(a)
                    .partial_cmp(&bary(b))
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
            for (i, &v) in col.iter().enumerate() {
                pos[v] = i as f64;
            }
            columns[l] = col;
        }
    }
    let tallest = columns.iter().map(Vec::len).max().unwrap_or(0);
    let mut nodes = Vec::with_capacity(n);
    for (l, col) in columns.iter().enumerate() {
        // Centre short columns against the tallest.
        let offset = (tallest - col.len()) as f64 * (NODE_H + GAP_Y) / 2.0;
        for (i, &v) in col.iter().enumerate() {
            nodes.push(Placed {
                node: v,
                x: l as f64 * (NODE_W + GAP_X),
                y: offset + i as f64 * (NODE_H + GAP_Y),
                w: NODE_W,
                h: NODE_H,
                layer: l,
            });
        }
    }
    nodes.sort_by_key(|p| p.node);
    Layout {
        nodes,
        width: layers_n as f64 * (NODE_W + GAP_X) - GAP_X.min(layers_n as f64 * GAP_X),
        height: tallest as f64 * (NODE_H + GAP_Y),
    }
}

/// Whether any two boxes overlap (what the layout promises never happens).
pub fn overlaps(l: &Layout) -> Option<(usize, usize)> {
    for (i, a) in l.nodes.iter().enumerate() {
        for b in &l.nodes[i + 1..] {
            if a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h {
                return Some((a.node, b.node));
            }
        }
    }
    None
}
