//! The layered left-to-right layout of the lineage graph: one horizontal band per run, each
//! run's main path (its steps in order, with what each produced) on one straight row, shared
//! nodes between the bands of the runs that use them, crossings reduced by median sweeps and
//! adjacent swaps, long edges kept straight.
//!
//! Pure. **Invariant: no two node boxes overlap and every edge runs left to right** (each
//! layer is a column; within a column every node and every long edge passing through has a
//! row of its own), checked by the tests.

use std::collections::{BTreeSet, HashMap};

use super::graph::{EdgeKind, Graph, NodeKind};

/// Width of a node box.
pub const NODE_W: f64 = 220.0;
/// Height of a node box.
pub const NODE_H: f64 = 44.0;
/// Horizontal gap between two layers.
pub const GAP_X: f64 = 64.0;
/// Vertical gap between two rows.
pub const GAP_Y: f64 = 14.0;
/// Room above a band's rows for its label.
pub const BAND_HEAD: f64 = 24.0;
const BAND_PAD: f64 = 10.0;
const REGION_GAP: f64 = 12.0;
/// Length of the straight piece an edge leaves and enters a box with.
const STUB: f64 = 14.0;
const PITCH: f64 = NODE_H + GAP_Y;
/// Separates regions in ordering keys: larger than any row offset.
const BIG: f64 = 1.0e6;
const SWEEPS: usize = 8;
const SWAP_PASSES: usize = 4;

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
    /// The band (run) it is drawn in; `None` between bands (shared by several runs).
    pub band: Option<usize>,
    /// Whether it is on its run's main path (the band's straight row).
    pub main: bool,
}

/// How an edge is drawn: a polyline from the source's right side to the target's left side.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgePath {
    /// Index into `graph.edges`.
    pub edge: usize,
    /// Points, source first; consecutive points never repeat and no three are collinear.
    pub points: Vec<(f64, f64)>,
}

/// One run's horizontal band.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// The run's id.
    pub run_id: String,
    /// Index of the run's node in `graph.nodes`.
    pub run_node: usize,
    /// Top edge.
    pub y: f64,
    /// Height.
    pub h: f64,
    /// The y of the main row's boxes (top edge).
    pub main_y: f64,
}

/// The layout.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layout {
    /// One per node, in node order.
    pub nodes: Vec<Placed>,
    /// One per drawn edge, in edge order (self loops and duplicates are not drawn).
    pub edges: Vec<EdgePath>,
    /// One per run, top to bottom, in `previous_run_id` order.
    pub bands: Vec<Band>,
    /// Total width.
    pub width: f64,
    /// Total height.
    pub height: f64,
}

/// Lays the graph out.
pub fn layout(g: &Graph) -> Layout {
    let n = g.nodes.len();
    if n == 0 {
        return Layout::default();
    }
    let idx: HashMap<&str, usize> = g
        .nodes
        .iter()
        .enumerate()
        .map(|(i, x)| (x.id.as_str(), i))
        .collect();
    let mut real: Vec<(usize, usize, usize)> = Vec::new();
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut pred: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (ei, e) in g.edges.iter().enumerate() {
        if let (Some(&a), Some(&b)) = (idx.get(e.from.as_str()), idx.get(e.to.as_str())) {
            if a != b && !succ[a].contains(&b) {
                succ[a].push(b);
                pred[b].push(a);
                real.push((ei, a, b));
            }
        }
    }
    let bands = band_order(g, &idx);
    let nb = bands.len();
    let band_of_run: HashMap<&str, usize> = bands
        .iter()
        .enumerate()
        .filter_map(|(b, &r)| g.nodes[r].run_id.as_deref().map(|id| (id, b)))
        .collect();
    let region = regions(g, &succ, &pred, &band_of_run);
    let mut mains = main_paths(g, &bands, &succ, &pred, &region);
    let kind_is = |k: NodeKind| -> Vec<bool> { g.nodes.iter().map(|x| x.kind == k).collect() };
    let layer = layers(
        n,
        &succ,
        &mut mains,
        &kind_is(NodeKind::Data),
        &kind_is(NodeKind::Step),
    );
    let mut on_main = vec![false; n];
    for &v in mains.iter().flatten() {
        on_main[v] = true;
    }

    // Items: the nodes, then one dummy per layer a long edge passes through.
    let mut items: Vec<Item> = (0..n)
        .map(|v| Item {
            layer: layer[v],
            region: region[v],
            main: on_main[v],
        })
        .collect();
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut chains: Vec<(usize, Vec<usize>, bool)> = Vec::with_capacity(real.len());
    for &(ei, a, b) in &real {
        let reversed = layer[a] > layer[b];
        let (lo, hi) = if reversed { (b, a) } else { (a, b) };
        let mut chain = vec![lo];
        if layer[lo] < layer[hi] {
            for l in layer[lo] + 1..layer[hi] {
                items.push(Item {
                    layer: l,
                    region: region[b],
                    main: false,
                });
                up.push(Vec::new());
                down.push(Vec::new());
                chain.push(items.len() - 1);
            }
            chain.push(hi);
            for w in chain.windows(2) {
                down[w[0]].push(w[1]);
                up[w[1]].push(w[0]);
            }
        } else {
            chain.push(hi);
        }
        chains.push((ei, chain, reversed));
    }

    let nlayers = items.iter().map(|it| it.layer).max().map_or(0, |m| m + 1);
    let mut columns: Vec<Vec<usize>> = vec![Vec::new(); nlayers];
    for (i, it) in items.iter().enumerate() {
        columns[it.layer].push(i);
    }
    // One main item per region and layer (a cycle cut in odd input may line two up).
    for col in &columns {
        let mut seen = BTreeSet::new();
        for &i in col {
            if items[i].main && !seen.insert(items[i].region) {
                items[i].main = false;
            }
        }
    }
    let mut key = vec![0.0f64; items.len()];
    for col in columns.iter_mut() {
        col.sort_by_key(|&i| (items[i].region, !items[i].main));
        assign_keys(col, &items, &mut key, None);
    }
    order(&mut columns, &items, &up, &down, &mut key);
    let rows = assign_rows(&columns, &items, &up, &key);

    // Regions top to bottom: band 0, the gap below it, band 1, ...
    let nregions = (2 * nb).max(2) - 1;
    let mut lo_row = vec![i64::MAX; nregions];
    let mut hi_row = vec![i64::MIN; nregions];
    for (i, it) in items.iter().enumerate() {
        lo_row[it.region] = lo_row[it.region].min(rows[i]);
        hi_row[it.region] = hi_row[it.region].max(rows[i]);
    }
    let mut row0_y = vec![0.0f64; nregions];
    let mut band_boxes = Vec::with_capacity(nb);
    let mut y = 0.0;
    for r in 0..nregions {
        let is_band = r % 2 == 0 && r / 2 < nb;
        if is_band {
            lo_row[r] = lo_row[r].min(0);
            hi_row[r] = hi_row[r].max(0);
        }
        let count = if lo_row[r] > hi_row[r] {
            0
        } else {
            hi_row[r] - lo_row[r] + 1
        };
        if !is_band && count == 0 {
            continue;
        }
        let top = y;
        let head = if is_band { BAND_HEAD } else { 0.0 };
        let pad = if is_band { BAND_PAD } else { 0.0 };
        row0_y[r] = top + head + pad - lo_row[r] as f64 * PITCH;
        let h = head + 2.0 * pad + count as f64 * PITCH - GAP_Y;
        if is_band {
            let run_node = bands[r / 2];
            band_boxes.push(Band {
                run_id: g.nodes[run_node].run_id.clone().unwrap_or_default(),
                run_node,
                y: top,
                h,
                main_y: row0_y[r],
            });
        }
        y = top + h + REGION_GAP;
    }
    let height = (y - REGION_GAP).max(NODE_H);
    let item_x = |i: usize| items[i].layer as f64 * (NODE_W + GAP_X);
    let item_y = |i: usize| row0_y[items[i].region] + rows[i] as f64 * PITCH;

    let nodes: Vec<Placed> = (0..n)
        .map(|v| Placed {
            node: v,
            x: item_x(v),
            y: item_y(v),
            w: NODE_W,
            h: NODE_H,
            layer: items[v].layer,
            band: (region[v] % 2 == 0 && region[v] / 2 < nb).then_some(region[v] / 2),
            main: items[v].main,
        })
        .collect();
    let mut edges: Vec<EdgePath> = chains
        .iter()
        .map(|(ei, chain, reversed)| {
            let mut pts: Vec<(f64, f64)> = Vec::new();
            for (k, &i) in chain.iter().enumerate() {
                let (x, ym) = (item_x(i), item_y(i) + NODE_H / 2.0);
                if k > 0 {
                    pts.push((x - STUB, ym));
                    pts.push((x, ym));
                }
                if k + 1 < chain.len() {
                    pts.push((x + NODE_W, ym));
                    pts.push((x + NODE_W + STUB, ym));
                }
            }
            if *reversed {
                pts.reverse();
            }
            EdgePath {
                edge: *ei,
                points: simplify(pts),
            }
        })
        .collect();
    edges.sort_by_key(|e| e.edge);
    Layout {
        nodes,
        edges,
        bands: band_boxes,
        width: (nlayers as f64 * (NODE_W + GAP_X) - GAP_X).max(NODE_W),
        height,
    }
}

struct Item {
    layer: usize,
    region: usize,
    main: bool,
}

/// Runs in `previous_run_id` order: each chain from its first run, depth first, so a chain's
/// bands sit together; runs in a cycle (never expected) follow in graph order.
fn band_order(g: &Graph, idx: &HashMap<&str, usize>) -> Vec<usize> {
    let runs: Vec<usize> = (0..g.nodes.len())
        .filter(|&i| g.nodes[i].kind == NodeKind::Run)
        .collect();
    let mut next: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut has_prev = BTreeSet::new();
    for e in g.edges.iter().filter(|e| e.kind == EdgeKind::Previous) {
        if let (Some(&a), Some(&b)) = (idx.get(e.from.as_str()), idx.get(e.to.as_str())) {
            next.entry(a).or_default().push(b);
            has_prev.insert(b);
        }
    }
    let mut out = Vec::with_capacity(runs.len());
    let mut seen = BTreeSet::new();
    let roots = runs.iter().filter(|r| !has_prev.contains(r));
    for &root in roots.chain(runs.iter()) {
        let mut stack = vec![root];
        while let Some(r) = stack.pop() {
            if !seen.insert(r) {
                continue;
            }
            out.push(r);
            if let Some(ns) = next.get(&r) {
                stack.extend(ns.iter().rev());
            }
        }
    }
    out
}

/// Each node's region: `2b` for band `b`, `2g + 1` for the gap below band `g`. A node of
/// one run is in that run's band; a node used by several runs in the middle gap between the
/// first and last of them.
fn regions(
    g: &Graph,
    succ: &[Vec<usize>],
    pred: &[Vec<usize>],
    band_of_run: &HashMap<&str, usize>,
) -> Vec<usize> {
    let n = g.nodes.len();
    let own: Vec<Option<usize>> = g
        .nodes
        .iter()
        .map(|x| {
            x.run_id
                .as_deref()
                .and_then(|r| band_of_run.get(r).copied())
        })
        .collect();
    let mut users: Vec<BTreeSet<usize>> = own.iter().map(|o| o.iter().copied().collect()).collect();
    // Unowned nodes take the runs of their neighbours; a copy chain needs a few rounds.
    for _ in 0..4 {
        let mut changed = false;
        for v in 0..n {
            if own[v].is_some() {
                continue;
            }
            let mut s = users[v].clone();
            for &u in succ[v].iter().chain(&pred[v]) {
                s.extend(users[u].iter().copied());
            }
            if s.len() != users[v].len() {
                users[v] = s;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    (0..n)
        .map(|v| match (own[v], users[v].first(), users[v].last()) {
            (Some(b), _, _) => 2 * b,
            (None, Some(&a), Some(&b)) if a == b => 2 * a,
            (None, Some(&a), Some(&b)) => 2 * ((a + b - 1) / 2) + 1,
            _ => 0,
        })
        .collect()
}

/// Each band's main path: the first step's own input, then each step in order followed by
/// the one thing it produced that the pipeline carries on with (what a later step reads, else
/// the last checkpoint, else its first output), and the run node last.
fn main_paths(
    g: &Graph,
    bands: &[usize],
    succ: &[Vec<usize>],
    pred: &[Vec<usize>],
    region: &[usize],
) -> Vec<Vec<usize>> {
    let mut used = vec![false; g.nodes.len()];
    bands
        .iter()
        .enumerate()
        .map(|(b, &run)| {
            let rid = g.nodes[run].run_id.as_deref();
            let mut steps: Vec<usize> = (0..g.nodes.len())
                .filter(|&i| {
                    g.nodes[i].kind == NodeKind::Step && g.nodes[i].run_id.as_deref() == rid
                })
                .collect();
            steps.sort_by_key(|&i| (g.nodes[i].step_index, i));
            let mut path = Vec::new();
            if let Some(&first) = steps.first() {
                if let Some(&d) = pred[first]
                    .iter()
                    .find(|&&d| g.nodes[d].kind == NodeKind::Data && region[d] == 2 * b)
                {
                    path.push(d);
                    used[d] = true;
                }
            }
            for &s in &steps {
                path.push(s);
                used[s] = true;
                let later = |p: usize| {
                    succ[p]
                        .iter()
                        .filter(|&&r| {
                            g.nodes[r].kind == NodeKind::Step
                                && g.nodes[r].run_id.as_deref() == rid
                                && g.nodes[r].step_index > g.nodes[s].step_index
                        })
                        .filter_map(|&r| g.nodes[r].step_index)
                        .min()
                };
                let products: Vec<usize> = succ[s]
                    .iter()
                    .copied()
                    .filter(|&p| {
                        matches!(
                            g.nodes[p].kind,
                            NodeKind::Checkpoint | NodeKind::HfModel | NodeKind::Eval
                        ) && region[p] == 2 * b
                            && !used[p]
                            // Written by this step, not also by a later one.
                            && !pred[p].iter().any(|&w| {
                                g.nodes[w].kind == NodeKind::Step
                                    && g.nodes[w].run_id.as_deref() == rid
                                    && g.nodes[w].step_index > g.nodes[s].step_index
                            })
                    })
                    .collect();
                let pick = products
                    .iter()
                    .filter_map(|&p| later(p).map(|l| (l, p)))
                    .min()
                    .map(|(_, p)| p)
                    .or_else(|| {
                        products
                            .iter()
                            .copied()
                            .find(|&p| g.nodes[p].tag.as_deref() == Some("last"))
                    })
                    .or_else(|| products.first().copied());
                if let Some(p) = pick {
                    path.push(p);
                    used[p] = true;
                }
            }
            path.push(run);
            used[run] = true;
            path
        })
        .collect()
}

/// Layers: longest path from the sources, over the edges plus "comes after" links along
/// each main path; a cycle (never expected) is cut where a depth-first walk meets it. Then
/// inputs (nodes nothing writes, and data sets with the copies they came from) move right,
/// next to their first reader.
fn layers(
    n: usize,
    succ: &[Vec<usize>],
    mains: &mut [Vec<usize>],
    is_data: &[bool],
    is_step: &[bool],
) -> Vec<usize> {
    // The edges without the ones a cycle (never expected) is cut at, then the "comes after"
    // links that do not close a cycle: what the archives say wins over step order.
    let (mut dag, _) = cut_cycles(succ);
    // Steps follow each other first (unless the archives contradict their own step order);
    // then each product, leading input and the run node joins the path only where the edges
    // allow it, and otherwise leaves the path.
    for path in mains.iter_mut() {
        let steps: Vec<usize> = path.iter().copied().filter(|&v| is_step[v]).collect();
        for w in steps.windows(2) {
            if !reaches(&dag, w[1], w[0]) && !dag[w[0]].contains(&w[1]) {
                dag[w[0]].push(w[1]);
            }
        }
        let mut kept: Vec<usize> = Vec::with_capacity(path.len());
        for (k, &v) in path.iter().enumerate() {
            if is_step[v] {
                kept.push(v);
                continue;
            }
            let next = path[k + 1..].iter().copied().find(|&w| is_step[w]);
            let after_prev = kept.last().is_none_or(|&u| !reaches(&dag, v, u));
            if !after_prev {
                continue;
            }
            if let Some(&u) = kept.last() {
                if !dag[u].contains(&v) {
                    dag[u].push(v);
                }
            }
            if let Some(w) = next {
                if reaches(&dag, w, v) {
                    continue;
                }
                if !dag[v].contains(&w) {
                    dag[v].push(w);
                }
            }
            kept.push(v);
        }
        *path = kept;
    }
    let mut on_main = vec![false; n];
    for &v in mains.iter().flatten() {
        on_main[v] = true;
    }
    let (dag, post) = cut_cycles(&dag);
    let mut layer = vec![0usize; n];
    let mut has_pred = vec![false; n];
    for &v in post.iter().rev() {
        for &w in &dag[v] {
            layer[w] = layer[w].max(layer[v] + 1);
            has_pred[w] = true;
        }
    }
    for &v in &post {
        if !on_main[v] && (!has_pred[v] || is_data[v]) {
            if let Some(m) = dag[v].iter().map(|&w| layer[w]).min() {
                layer[v] = m.saturating_sub(1);
            }
        }
    }
    let min = layer.iter().copied().min().unwrap_or(0);
    layer.iter().map(|l| l - min).collect()
}

/// A depth-first walk: the graph without the edges that close a cycle, and the nodes in
/// post-order (every node after all it leads to).
fn cut_cycles(out: &[Vec<usize>]) -> (Vec<Vec<usize>>, Vec<usize>) {
    let n = out.len();
    let mut state = vec![0u8; n];
    let mut post = Vec::with_capacity(n);
    let mut dag: Vec<Vec<usize>> = vec![Vec::new(); n];
    for s in 0..n {
        if state[s] != 0 {
            continue;
        }
        let mut stack = vec![(s, 0usize)];
        state[s] = 1;
        while let Some(top) = stack.last_mut() {
            let (v, k) = *top;
            top.1 += 1;
            if let Some(&w) = out[v].get(k) {
                match state[w] {
                    0 => {
                        dag[v].push(w);
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    2 => dag[v].push(w),
                    _ => {}
                }
            } else {
                state[v] = 2;
                post.push(v);
                stack.pop();
            }
        }
    }
    (dag, post)
}

/// Whether `to` can be reached from `from`.
fn reaches(g: &[Vec<usize>], from: usize, to: usize) -> bool {
    let mut seen = vec![false; g.len()];
    let mut stack = vec![from];
    while let Some(v) = stack.pop() {
        if v == to {
            return true;
        }
        if let Some(s) = seen.get_mut(v) {
            if !*s {
                *s = true;
                stack.extend(g[v].iter().copied());
            }
        }
    }
    false
}

/// Ordering keys of one column, from its order: region times `BIG` plus the row offset from
/// the main row (negative above it). `rel` says which items without a main item to place
/// above the middle (those whose wanted position is negative).
fn assign_keys(col: &[usize], items: &[Item], key: &mut [f64], rel: Option<&[f64]>) {
    let mut start = 0;
    while start < col.len() {
        let r = items[col[start]].region;
        let end = start
            + col[start..]
                .iter()
                .take_while(|&&i| items[i].region == r)
                .count();
        let group = &col[start..end];
        let pivot = group
            .iter()
            .position(|&i| items[i].main)
            .unwrap_or_else(|| match (r % 2, rel) {
                (0, Some(rel)) => group.iter().filter(|&&i| rel[i] < 0.0).count(),
                _ => 0,
            });
        for (k, &i) in group.iter().enumerate() {
            key[i] = r as f64 * BIG + k as f64 - pivot as f64;
        }
        start = end;
    }
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    match v.len() {
        0 => None,
        l if l % 2 == 1 => v.get(m).copied(),
        _ => Some((v[m - 1] + v[m]) / 2.0),
    }
}

/// Orders each column: median sweeps down and up the layers, then adjacent swaps while they
/// remove crossings. Main items stay on their row; items never leave their region.
fn order(
    columns: &mut [Vec<usize>],
    items: &[Item],
    up: &[Vec<usize>],
    down: &[Vec<usize>],
    key: &mut [f64],
) {
    let mut rel = vec![0.0f64; items.len()];
    let nl = columns.len();
    for sweep in 0..SWEEPS {
        let forward = sweep % 2 == 0;
        for step in 0..nl {
            let l = if forward { step } else { nl - 1 - step };
            let nbrs = if forward { up } else { down };
            let col = &mut columns[l];
            for &i in col.iter() {
                let base = items[i].region as f64 * BIG;
                rel[i] = if items[i].main {
                    0.0
                } else {
                    median(nbrs[i].iter().map(|&u| key[u]).collect())
                        .map_or(key[i] - base, |m| m - base)
                };
            }
            col.sort_by(|&a, &b| {
                items[a]
                    .region
                    .cmp(&items[b].region)
                    .then(rel[a].total_cmp(&rel[b]))
                    .then(items[b].main.cmp(&items[a].main))
            });
            assign_keys(col, items, key, Some(&rel));
        }
    }
    // Adjacent swaps: exchange two neighbours of a column when that crosses fewer edges.
    let cross = |a: usize, b: usize, key: &[f64]| {
        let mut c = 0;
        for nb in [up, down] {
            for &x in &nb[a] {
                for &y in &nb[b] {
                    if key[x] > key[y] {
                        c += 1;
                    }
                }
            }
        }
        c
    };
    for _ in 0..SWAP_PASSES {
        let mut improved = false;
        for col in columns.iter_mut() {
            for k in 0..col.len().saturating_sub(1) {
                let (a, b) = (col[k], col[k + 1]);
                if items[a].region != items[b].region || items[a].main || items[b].main {
                    continue;
                }
                if cross(b, a, key) < cross(a, b, key) {
                    col.swap(k, k + 1);
                    key.swap(a, b);
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
}

/// Rows from the column orders: the main item at row 0, the others stacked above and below
/// it in order; an item whose left neighbour on its edge sits further out keeps that row, so
/// long edges run straight.
fn assign_rows(columns: &[Vec<usize>], items: &[Item], up: &[Vec<usize>], key: &[f64]) -> Vec<i64> {
    let mut row = vec![0i64; items.len()];
    for col in columns {
        let mut start = 0;
        while start < col.len() {
            let r = items[col[start]].region;
            let end = start
                + col[start..]
                    .iter()
                    .take_while(|&&i| items[i].region == r)
                    .count();
            let group = &col[start..end];
            let base = r as f64 * BIG;
            let pivot = group
                .iter()
                .position(|&i| key[i] - base >= 0.0)
                .unwrap_or(group.len());
            let wanted = |i: usize, row: &[i64]| {
                up[i]
                    .first()
                    .filter(|&&p| items[p].region == r)
                    .map(|&p| row[p])
            };
            // At and below the pivot: the main item (row 0) or the first free row.
            let mut prev: i64 = -1;
            for &i in &group[pivot..] {
                let r0 = if items[i].main {
                    0
                } else {
                    let min = prev + 1;
                    wanted(i, &row).filter(|&w| w > min).unwrap_or(min)
                };
                row[i] = r0;
                prev = r0;
            }
            let mut prev: i64 = 0;
            for &i in group[..pivot].iter().rev() {
                let max = prev - 1;
                let r0 = wanted(i, &row).filter(|&w| w < max).unwrap_or(max);
                row[i] = r0;
                prev = r0;
            }
            start = end;
        }
    }
    row
}

/// Drops repeated points and the middle of three collinear ones.
fn simplify(pts: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(pts.len());
    for p in pts {
        if out.last() == Some(&p) {
            continue;
        }
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let cross = (b.0 - a.0) * (p.1 - a.1) - (b.1 - a.1) * (p.0 - a.0);
            if cross.abs() < 1e-9 {
                out.pop();
            }
        }
        out.push(p);
    }
    out
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

type Seg = ((f64, f64), (f64, f64));

fn segments(p: &EdgePath) -> impl Iterator<Item = Seg> + '_ {
    p.points.windows(2).map(|w| (w[0], w[1]))
}

/// Whether two segments cross at a point inside both (touching ends and collinear runs do
/// not count).
fn proper_cross(s: Seg, t: Seg) -> bool {
    let orient = |a: (f64, f64), b: (f64, f64), c: (f64, f64)| {
        let v = (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0);
        if v > 1e-9 {
            1
        } else if v < -1e-9 {
            -1
        } else {
            0
        }
    };
    let (d1, d2) = (orient(s.0, s.1, t.0), orient(s.0, s.1, t.1));
    let (d3, d4) = (orient(t.0, t.1, s.0), orient(t.0, t.1, s.1));
    d1 * d2 < 0 && d3 * d4 < 0
}

/// Edge crossings as drawn: pairs of segments of two edges with no node in common that
/// cross each other.
pub fn crossings(g: &Graph, l: &Layout) -> usize {
    let ends: Vec<(&str, &str)> = l
        .edges
        .iter()
        .map(|p| {
            g.edges
                .get(p.edge)
                .map_or(("", ""), |e| (e.from.as_str(), e.to.as_str()))
        })
        .collect();
    let mut count = 0;
    for (i, a) in l.edges.iter().enumerate() {
        for (j, b) in l.edges.iter().enumerate().skip(i + 1) {
            let (ea, eb) = (ends[i], ends[j]);
            if ea.0 == eb.0 || ea.0 == eb.1 || ea.1 == eb.0 || ea.1 == eb.1 {
                continue;
            }
            for s in segments(a) {
                count += segments(b).filter(|&t| proper_cross(s, t)).count();
            }
        }
    }
    count
}

/// Edges drawn through a box that is not one of their ends (what the layout avoids).
pub fn edges_through_boxes(g: &Graph, l: &Layout) -> usize {
    let idx: HashMap<&str, usize> = g
        .nodes
        .iter()
        .enumerate()
        .map(|(i, x)| (x.id.as_str(), i))
        .collect();
    let mut count = 0;
    for p in &l.edges {
        let Some(e) = g.edges.get(p.edge) else {
            continue;
        };
        let ends = [idx.get(e.from.as_str()), idx.get(e.to.as_str())];
        for b in &l.nodes {
            if ends.contains(&Some(&b.node)) {
                continue;
            }
            if segments(p).any(|s| segment_hits_box(s, b)) {
                count += 1;
            }
        }
    }
    count
}

fn segment_hits_box(s: Seg, b: &Placed) -> bool {
    // Sample the segment: boxes are much larger than the sampling step.
    let steps = 32;
    (0..=steps).any(|k| {
        let t = k as f64 / steps as f64;
        let (x, y) = (
            s.0 .0 + (s.1 .0 - s.0 .0) * t,
            s.0 .1 + (s.1 .1 - s.0 .1) * t,
        );
        x > b.x + 0.5 && x < b.x + b.w - 0.5 && y > b.y + 0.5 && y < b.y + b.h - 0.5
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplify_drops_collinear_points() {
        let p = simplify(vec![
            (0.0, 0.0),
            (1.0, 0.0),
            (2.0, 0.0),
            (2.0, 0.0),
            (3.0, 1.0),
        ]);
        assert_eq!(p, vec![(0.0, 0.0), (2.0, 0.0), (3.0, 1.0)]);
    }

    #[test]
    fn crossing_segments() {
        assert!(proper_cross(
            ((0.0, 0.0), (2.0, 2.0)),
            ((0.0, 2.0), (2.0, 0.0))
        ));
        assert!(!proper_cross(
            ((0.0, 0.0), (2.0, 0.0)),
            ((2.0, 0.0), (3.0, 1.0))
        ));
    }

    /// Random graphs of runs, steps and artifacts, cycles and all: boxes never overlap, every
    /// run has a band, and each run's steps share its main row when the graph is acyclic.
    #[test]
    fn random_graphs_never_overlap() {
        use crate::lineage::graph::{GraphEdge, GraphNode};
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |m: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % m.max(1) as u64) as usize
        };
        let kinds = [
            NodeKind::Data,
            NodeKind::Checkpoint,
            NodeKind::HfModel,
            NodeKind::Eval,
            NodeKind::Report,
        ];
        for round in 0..200 {
            let runs = 1 + next(4);
            let mut g = Graph::default();
            for r in 0..runs {
                g.nodes.push(GraphNode {
                    id: format!("run:r{r}"),
                    kind: NodeKind::Run,
                    label: format!("r{r}"),
                    run_id: Some(format!("r{r}")),
                    path: None,
                    status: None,
                    tag: None,
                    step_index: None,
                });
                for s in 0..next(6) {
                    g.nodes.push(GraphNode {
                        id: format!("step:r{r}:{s}"),
                        kind: NodeKind::Step,
                        label: format!("s{s}"),
                        run_id: Some(format!("r{r}")),
                        path: None,
                        status: None,
                        tag: None,
                        step_index: Some(s),
                    });
                }
            }
            for k in 0..next(12) {
                let shared = next(3) == 0;
                g.nodes.push(GraphNode {
                    id: format!("x:{k}"),
                    kind: kinds[next(kinds.len())],
                    label: format!("x{k}"),
                    run_id: (!shared).then(|| format!("r{}", next(runs))),
                    path: Some(format!("/p/{k}")),
                    status: None,
                    tag: None,
                    step_index: None,
                });
            }
            let n = g.nodes.len();
            let cyclic = round % 4 == 0;
            for _ in 0..next(2 * n + 1) {
                let (a, b) = (next(n), next(n));
                let (a, b) = if cyclic || a < b { (a, b) } else { (b, a) };
                // A run points only at its reports and the next run, as in the archives.
                if !cyclic
                    && g.nodes[a].kind == NodeKind::Run
                    && !matches!(g.nodes[b].kind, NodeKind::Report | NodeKind::Run)
                {
                    continue;
                }
                let e = GraphEdge {
                    from: g.nodes[a].id.clone(),
                    to: g.nodes[b].id.clone(),
                    kind: EdgeKind::Feeds,
                };
                if a != b && !g.edges.contains(&e) {
                    g.edges.push(e);
                }
            }
            let l = layout(&g);
            assert_eq!(l.nodes.len(), n);
            assert_eq!(overlaps(&l), None, "round {round}");
            assert_eq!(l.bands.len(), runs);
            if !cyclic {
                for e in &g.edges {
                    let x =
                        |id: &str| l.nodes[g.nodes.iter().position(|v| v.id == id).unwrap_or(0)].x;
                    assert!(x(&e.from) < x(&e.to), "round {round}: {e:?}");
                }
                for (b, band) in l.bands.iter().enumerate() {
                    for p in l.nodes.iter().filter(|p| {
                        g.nodes[p.node].kind == NodeKind::Step
                            && g.nodes[p.node].run_id.as_deref() == Some(band.run_id.as_str())
                    }) {
                        assert_eq!(p.y, band.main_y, "round {round}: band {b} step off its row");
                    }
                }
            }
        }
    }

    #[test]
    fn median_of_even_and_odd() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0]), Some(2.5));
        assert_eq!(median(vec![]), None);
    }
}
