//! The lineage graph of one or more runs, from the archives alone: data, steps,
//! checkpoints, HF models, eval results, reports and runs, joined by the paths the steps
//! read and write.
//!
//! Pure. Every edge comes from something the archives say (an input equal to, or inside,
//! another step's output; an artifact under a step's save dir; `previous_run_id`); nothing
//! is inferred from names or order.

use std::collections::HashMap;

use crate::archive::model::{Archive, CheckpointTag, Status};

/// What a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeKind {
    /// A raw data dir or a merged file.
    Data,
    /// A pipeline step.
    Step,
    /// A checkpoint.
    Checkpoint,
    /// A Hugging Face model directory.
    HfModel,
    /// Eval results.
    Eval,
    /// A report file.
    Report,
    /// A run.
    Run,
}

impl NodeKind {
    /// Every kind, in the order the legend lists them (the pipeline's order).
    pub const ALL: [NodeKind; 7] = [
        NodeKind::Data,
        NodeKind::Step,
        NodeKind::Checkpoint,
        NodeKind::HfModel,
        NodeKind::Eval,
        NodeKind::Run,
        NodeKind::Report,
    ];

    /// The name shown to a person (`HF model`).
    pub fn label(self) -> &'static str {
        match self {
            NodeKind::HfModel => "HF model",
            NodeKind::Eval => "eval results",
            other => other.as_str(),
        }
    }

    /// The name used in JSON and DOT.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Data => "data",
            NodeKind::Step => "step",
            NodeKind::Checkpoint => "checkpoint",
            NodeKind::HfModel => "hf_model",
            NodeKind::Eval => "eval",
            NodeKind::Report => "report",
            NodeKind::Run => "run",
        }
    }
}

/// What an edge says: how the source relates to the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EdgeKind {
    /// A step reads a data set.
    Reads,
    /// A step's output is read by another step (tokenized data into training).
    Feeds,
    /// A step saves a checkpoint.
    Saves,
    /// A step loads a checkpoint.
    Loads,
    /// A step converts to a Hugging Face model.
    Converts,
    /// A step evaluates a Hugging Face model.
    Evaluates,
    /// A step writes eval results.
    Writes,
    /// The data copy table copies a source to a destination.
    Copies,
    /// A run's `previous_run_id` names the source run.
    Previous,
    /// A run lists a report.
    Reports,
}

impl EdgeKind {
    /// Every kind, in the order the legend lists them.
    pub const ALL: [EdgeKind; 10] = [
        EdgeKind::Reads,
        EdgeKind::Feeds,
        EdgeKind::Saves,
        EdgeKind::Loads,
        EdgeKind::Converts,
        EdgeKind::Evaluates,
        EdgeKind::Writes,
        EdgeKind::Copies,
        EdgeKind::Previous,
        EdgeKind::Reports,
    ];

    /// The name used in JSON, DOT and CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Reads => "reads",
            EdgeKind::Feeds => "feeds",
            EdgeKind::Saves => "saves",
            EdgeKind::Loads => "loads",
            EdgeKind::Converts => "converts",
            EdgeKind::Evaluates => "evaluates",
            EdgeKind::Writes => "writes",
            EdgeKind::Copies => "copies",
            EdgeKind::Previous => "previous",
            EdgeKind::Reports => "reports",
        }
    }
}

impl std::fmt::Display for EdgeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Lets callers compare a kind with its JSON name (`edge.kind == "loads"`).
impl PartialEq<&str> for EdgeKind {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// One node.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphNode {
    /// Stable id (`step:<run>:<id>`, `ckpt:<path>`, ...).
    pub id: String,
    /// What it is.
    pub kind: NodeKind,
    /// Short label.
    pub label: String,
    /// The run it belongs to (none for shared data and external checkpoints).
    pub run_id: Option<String>,
    /// The full path, for paths.
    pub path: Option<String>,
    /// Step status (steps only).
    pub status: Option<Status>,
    /// Checkpoint tag (`last`, `best`, ...).
    pub tag: Option<String>,
    /// Step index in its run (steps only).
    pub step_index: Option<usize>,
}

/// One edge.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GraphEdge {
    /// Source node id.
    pub from: String,
    /// Target node id.
    pub to: String,
    /// How the source relates to the target.
    pub kind: EdgeKind,
}

/// The graph.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Graph {
    /// Nodes in insertion order.
    pub nodes: Vec<GraphNode>,
    /// Edges, without duplicates.
    pub edges: Vec<GraphEdge>,
}

pub(crate) fn norm(p: &str) -> String {
    p.trim().trim_end_matches('/').to_string()
}

fn base_name(p: &str) -> String {
    p.rsplit('/')
        .find(|s| !s.is_empty())
        .unwrap_or(p)
        .to_string()
}

fn is_path(s: &str) -> bool {
    s.starts_with('/') || s.contains('/')
}

/// `p` is `o`, or inside it (`o/...`), or `o` is `p` plus an extension (`p.bin`).
pub(crate) fn within(p: &str, o: &str) -> bool {
    p == o
        || p.strip_prefix(o).is_some_and(|r| r.starts_with('/'))
        || o.strip_prefix(p)
            .is_some_and(|r| r.starts_with('.') && !r.contains('/'))
}

struct Builder {
    g: Graph,
    index: HashMap<String, usize>,
}

impl Builder {
    fn node(&mut self, n: GraphNode) -> String {
        let id = n.id.clone();
        match self.index.get(&id) {
            Some(&i) => {
                // Fill in what a later mention knows (an artifact's tag, a run id).
                if let Some(x) = self.g.nodes.get_mut(i) {
                    if x.tag.is_none() {
                        x.tag = n.tag;
                    }
                    if x.run_id.is_none() {
                        x.run_id = n.run_id;
                    }
                }
            }
            None => {
                self.index.insert(id.clone(), self.g.nodes.len());
                self.g.nodes.push(n);
            }
        }
        id
    }

    fn edge(&mut self, from: &str, to: &str, kind: EdgeKind) {
        if from == to {
            return;
        }
        let e = GraphEdge {
            from: from.to_string(),
            to: to.to_string(),
            kind,
        };
        if !self.g.edges.contains(&e) {
            self.g.edges.push(e);
        }
    }
}

fn path_node(kind: NodeKind, path: &str, run_id: Option<&str>) -> GraphNode {
    let prefix = match kind {
        NodeKind::Data => "data",
        NodeKind::Checkpoint => "ckpt",
        NodeKind::HfModel => "hf",
        NodeKind::Eval => "eval",
        NodeKind::Report => "report",
        _ => "node",
    };
    GraphNode {
        id: format!("{prefix}:{}", norm(path)),
        kind,
        label: base_name(path),
        run_id: run_id.map(str::to_string),
        path: Some(norm(path)),
        status: None,
        tag: None,
        step_index: None,
    }
}

/// An output a step writes, and what kind of thing it is.
struct Output {
    step: String,
    key: String,
    path: String,
    run: String,
}

fn text_paths(m: Option<&crate::archive::value::Map>) -> Vec<(String, String)> {
    m.map(|m| {
        m.iter()
            .filter_map(|(k, n)| {
                n.as_text()
                    .filter(|t| is_path(t))
                    .map(|t| (k.to_string(), norm(t)))
            })
            .collect()
    })
    .unwrap_or_default()
}

/// Builds the graph of `runs` (one archive or many).
pub fn build(runs: &[&Archive]) -> Graph {
    let mut b = Builder {
        g: Graph::default(),
        index: HashMap::new(),
    };
    let mut outputs: Vec<Output> = Vec::new();
    let run_id_of = |a: &Archive, i: usize| {
        a.run_id()
            .map_or_else(|| format!("run{}", i + 1), str::to_string)
    };

    // Pass 1: runs, data, steps, their outputs, artifacts.
    for (ri, a) in runs.iter().enumerate() {
        let rid = run_id_of(a, ri);
        let run_node = b.node(GraphNode {
            id: format!("run:{rid}"),
            kind: NodeKind::Run,
            label: rid.clone(),
            run_id: Some(rid.clone()),
            path: None,
            status: Some(a.status()),
            tag: None,
            step_index: None,
        });
        for (_, f) in a.snapshot_files() {
            if is_path(&f.path) {
                b.node(path_node(NodeKind::Data, &f.path, None));
            }
        }
        for row in &a.data_copy.rows {
            let cell = |name: &str, i: usize| {
                a.data_copy
                    .cell(row, name, i)
                    .map(|c| c.text.clone())
                    .filter(|t| is_path(t))
            };
            if let (Some(src), Some(dst)) = (cell("source", 0), cell("destination", 1)) {
                let s = b.node(path_node(NodeKind::Data, &src, None));
                let d = b.node(path_node(NodeKind::Data, &dst, None));
                b.edge(&s, &d, EdgeKind::Copies);
            }
        }
        for (si, st) in a.steps.steps.iter().enumerate() {
            let sid = format!(
                "step:{rid}:{}",
                st.id()
                    .map_or_else(|| format!("#{}", si + 1), |i| i.to_string())
            );
            b.node(GraphNode {
                id: sid.clone(),
                kind: NodeKind::Step,
                label: st.label(),
                run_id: Some(rid.clone()),
                path: st.text("config").map(str::to_string),
                status: Some(st.status()),
                tag: None,
                step_index: Some(si),
            });
            for (k, p) in text_paths(st.map("outputs")) {
                outputs.push(Output {
                    step: sid.clone(),
                    key: k,
                    path: p,
                    run: rid.clone(),
                });
            }
        }
        for c in a.checkpoints() {
            let Some(p) = c.path else { continue };
            let mut n = path_node(NodeKind::Checkpoint, &p, Some(&rid));
            n.tag = Some(match c.tag {
                CheckpointTag::Last => "last".into(),
                CheckpointTag::Best => "best".into(),
                CheckpointTag::Other(t) => t.unwrap_or_default(),
            });
            if let Some(s) = c.step {
                n.label = format!("{} (step {s})", n.label);
            }
            b.node(n);
        }
        for p in a.artifact_paths("hf_models") {
            b.node(path_node(NodeKind::HfModel, &p, Some(&rid)));
        }
        for p in a.artifact_paths("reports") {
            let r = b.node(path_node(NodeKind::Report, &p, Some(&rid)));
            b.edge(&run_node, &r, EdgeKind::Reports);
        }
    }

    // Pass 2: who wrote each checkpoint, HF model and result (a path inside a step's output).
    let producer = |path: &str, outputs: &[Output]| -> Option<(String, String)> {
        outputs
            .iter()
            .filter(|o| within(path, &o.path))
            .max_by_key(|o| o.path.len())
            .map(|o| (o.step.clone(), o.key.clone()))
    };
    let artifact_ids: Vec<(String, NodeKind, String)> =
        b.g.nodes
            .iter()
            .filter(|n| matches!(n.kind, NodeKind::Checkpoint | NodeKind::HfModel))
            .filter_map(|n| n.path.clone().map(|p| (n.id.clone(), n.kind, p)))
            .collect();
    for (id, kind, p) in &artifact_ids {
        if let Some((step, _)) = producer(p, &outputs) {
            b.edge(
                &step,
                id,
                if *kind == NodeKind::HfModel {
                    EdgeKind::Converts
                } else {
                    EdgeKind::Saves
                },
            );
        }
    }
    for o in &outputs {
        let k = o.key.to_lowercase();
        if k.contains("result") || k.ends_with("_json") && k.contains("eval") {
            let e = b.node(path_node(NodeKind::Eval, &o.path, Some(&o.run)));
            b.edge(&o.step, &e, EdgeKind::Writes);
        } else if k == "save_dir" || k.contains("hf") {
            let h = b.node(path_node(NodeKind::HfModel, &o.path, Some(&o.run)));
            b.edge(&o.step, &h, EdgeKind::Converts);
        }
    }

    // Pass 3: what each step reads.
    for (ri, a) in runs.iter().enumerate() {
        let rid = run_id_of(a, ri);
        for (si, st) in a.steps.steps.iter().enumerate() {
            let sid = format!(
                "step:{rid}:{}",
                st.id()
                    .map_or_else(|| format!("#{}", si + 1), |i| i.to_string())
            );
            for (key, p) in text_paths(st.map("inputs")) {
                let k = key.to_lowercase();
                // An artifact or data node with this exact path.
                let exact = ["ckpt:", "hf:", "data:"]
                    .iter()
                    .map(|pre| format!("{pre}{p}"))
                    .find(|id| b.index.contains_key(id));
                if let Some(id) = exact {
                    let kind = if id.starts_with("hf:") {
                        EdgeKind::Evaluates
                    } else if id.starts_with("ckpt:") {
                        EdgeKind::Loads
                    } else {
                        EdgeKind::Reads
                    };
                    b.edge(&id, &sid, kind);
                    continue;
                }
                match producer(&p, &outputs).filter(|(step, _)| *step != sid) {
                    Some((step, okey)) => {
                        let inside_save = okey == "save"
                            && p != norm(
                                &outputs
                                    .iter()
                                    .find(|o| o.step == step && o.key == okey)
                                    .map_or(String::new(), |o| o.path.clone()),
                            );
                        if inside_save {
                            // A checkpoint under another step's save dir that Artifacts does not list.
                            let c = b.node(path_node(NodeKind::Checkpoint, &p, None));
                            b.edge(&step, &c, EdgeKind::Saves);
                            b.edge(&c, &sid, EdgeKind::Loads);
                        } else {
                            b.edge(&step, &sid, EdgeKind::Feeds);
                        }
                    }
                    None => {
                        // Read from outside the pipeline: a base model or a data set.
                        let kind = if k == "load" || k.contains("ckpt") || k.contains("checkpoint")
                        {
                            NodeKind::Checkpoint
                        } else if k == "model" {
                            NodeKind::HfModel
                        } else {
                            NodeKind::Data
                        };
                        let n = b.node(path_node(kind, &p, None));
                        let ek = match kind {
                            NodeKind::Checkpoint => EdgeKind::Loads,
                            NodeKind::HfModel => EdgeKind::Evaluates,
                            _ => EdgeKind::Reads,
                        };
                        b.edge(&n, &sid, ek);
                    }
                }
            }
        }
        if let Some(prev) = a.previous_run_id() {
            let prev_id = format!("run:{prev}");
            if b.index.contains_key(&prev_id) {
                b.edge(&prev_id, &format!("run:{rid}"), EdgeKind::Previous);
            }
        }
    }
    b.g
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn within_paths() {
        assert!(within("/a/ckpt/cpt/iter_1", "/a/ckpt/cpt"));
        assert!(within("/a/data/med", "/a/data/med"));
        assert!(within(
            "/a/data/med_text_document",
            "/a/data/med_text_document.bin"
        ));
        assert!(!within("/a/ckpt/cpt2", "/a/ckpt/cpt"));
        assert!(!within("/a/x", "/a/x.d/y"));
    }
}
