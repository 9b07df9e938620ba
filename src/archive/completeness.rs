//! Completeness against the template: which template fields an archive fills, leaves as a
//! placeholder, or lacks; and how its Field Table (checklist) rows fare.
//!
//! Pure: no I/O. Step-level fields apply only where the template says they do: `training.*`
//! for train steps that ran, `eval.*` for eval steps that ran, `error` for failed steps.

use super::model::{Archive, CheckpointTag, KeyValues, SectionKind, Status, Step, Table};
use super::value::{Node, Value};

/// Whether a field carries a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FieldState {
    /// A real value.
    Filled,
    /// The template's placeholder, or nothing after the key.
    Unfilled,
    /// The key (or its whole section) is absent.
    Missing,
}

impl FieldState {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldState::Filled => "filled",
            FieldState::Unfilled => "unfilled",
            FieldState::Missing => "missing",
        }
    }
}

/// One template field and its state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldCheck {
    /// Dotted path, e.g. `summary.cuda_driver` or `steps[2].training.ppl`.
    pub path: String,
    /// Its state.
    pub state: FieldState,
    /// The line it is on, when present.
    pub line: Option<u32>,
}

/// One row of the Field Table and how the archive meets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistItem {
    /// The row's section column (`Summary`, `Steps.training`, ...).
    pub section: String,
    /// The row's field column (`git_commit/git_dirty`, ...).
    pub field: String,
    /// The row's line in the archive (`None` when the template's own table is used).
    pub line: Option<u32>,
    /// The fields this row covers; empty when the row does not apply (no eval step ran).
    pub checks: Vec<FieldCheck>,
    /// The worst state among `checks`; `None` when the row does not apply or names
    /// nothing runlens knows how to check.
    pub state: Option<FieldState>,
}

/// Completeness of one archive.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Completeness {
    /// Every applicable template field.
    pub fields: Vec<FieldCheck>,
    /// The checklist rows (the archive's own Field Table, or the template's).
    pub checklist: Vec<ChecklistItem>,
}

impl Completeness {
    /// Number of fields in `state`.
    pub fn count(&self, state: FieldState) -> usize {
        self.fields.iter().filter(|f| f.state == state).count()
    }

    /// Paths of the fields in `state`.
    pub fn paths(&self, state: FieldState) -> Vec<String> {
        self.fields
            .iter()
            .filter(|f| f.state == state)
            .map(|f| f.path.clone())
            .collect()
    }

    /// Filled fields as a share of all, 0 to 100.
    pub fn percent(&self) -> f64 {
        if self.fields.is_empty() {
            return 0.0;
        }
        100.0 * self.count(FieldState::Filled) as f64 / self.fields.len() as f64
    }

    /// Checklist rows that are unfilled or missing.
    pub fn failing_checklist(&self) -> Vec<&ChecklistItem> {
        self.checklist
            .iter()
            .filter(|c| matches!(c.state, Some(FieldState::Unfilled | FieldState::Missing)))
            .collect()
    }
}

/// The Summary fields the template names, in its order (the query language knows them too).
pub const SUMMARY_FIELDS: [&str; 17] = [
    "experiment",
    "run_id",
    "status",
    "started_at",
    "finished_at",
    "duration_sec",
    "git_commit",
    "git_dirty",
    "host",
    "user",
    "os",
    "python",
    "conda_env",
    "cuda",
    "cuda_driver",
    "torch",
    "gpus",
];
const DEPENDENCIES: [&str; 5] = [
    "transformers",
    "megatron",
    "apex",
    "transformer_engine",
    "vllm",
];
const CONFIG: [&str; 4] = [
    "pipeline_config",
    "steps_config_dir",
    "pipeline_resolved",
    "steps_resolved",
];
const PATHS: [&str; 3] = ["datapool_root", "workdir", "logs_root"];
const DATA_SNAPSHOT: [&str; 4] = ["raw_cpt_dir", "raw_sft_dir", "merged_cpt", "merged_sft"];
const DATA_COPY: [&str; 4] = ["source", "destination", "files_copied", "files_skipped"];
const STEP: [&str; 5] = ["step_id", "name", "stage", "status", "config"];
const TRAINING: [&str; 8] = [
    "loss_curve",
    "final_loss",
    "best_loss",
    "ppl",
    "steps",
    "duration_sec",
    "throughput_tokens_per_sec",
    "step_time_sec_avg",
];
const EVAL: [&str; 4] = ["datasets", "results", "script.path", "script.version"];
const REPRO: [&str; 3] = ["prepare", "run", "env"];
const ARTIFACTS: [&str; 3] = ["checkpoints", "hf_models", "reports"];
const RESOURCES: [&str; 4] = [
    "train_time_sec",
    "peak_vram_gb",
    "avg_vram_gb",
    "gpu_util_avg_pct",
];
const CHANGES: [&str; 2] = ["previous_run_id", "config_diff"];

/// The template's own Field Table, used when an archive has none.
pub const TEMPLATE_CHECKLIST: [(&str, &str); 10] = [
    ("Summary", "run_id"),
    ("Summary", "git_commit/git_dirty"),
    ("Environment", "cuda_driver"),
    ("Dependencies", "transformers/megatron/apex/te"),
    ("Data Copy", "files_copied/files_skipped"),
    ("Steps.training", "loss/ppl/throughput/step_time"),
    ("Steps.eval", "datasets/results/script"),
    ("Artifacts", "last/best ckpt"),
    ("Resources", "peak_vram"),
    ("Changes", "config_diff"),
];

fn node_state(node: Option<&Node>) -> (FieldState, Option<u32>) {
    match node {
        None => (FieldState::Missing, None),
        Some(n) if n.is_filled() => (FieldState::Filled, Some(n.line)),
        Some(n) => (FieldState::Unfilled, Some(n.line)),
    }
}

fn lookup<'m>(map: &'m super::value::Map, dotted: &str) -> Option<&'m Node> {
    let mut parts = dotted.split('.');
    let mut node = map.get(parts.next()?)?;
    for p in parts {
        node = node.as_map()?.get(p)?;
    }
    Some(node)
}

/// A step's name for paths: its step_id, or its 1-based position.
pub fn step_ref(step: &Step, index: usize) -> String {
    step.id()
        .map_or_else(|| format!("#{}", index + 1), |i| i.to_string())
}

fn step_ran(step: &Step) -> bool {
    !matches!(step.status(), Status::Skipped)
}

fn is_train(step: &Step) -> bool {
    step.name().is_some_and(|n| n.eq_ignore_ascii_case("train")) || step.get("training").is_some()
}

fn is_eval(step: &Step) -> bool {
    step.name().is_some_and(|n| n.eq_ignore_ascii_case("eval")) || step.get("eval").is_some()
}

struct Collector<'a> {
    archive: &'a Archive,
    out: Vec<FieldCheck>,
}

impl Collector<'_> {
    fn push(&mut self, path: String, (state, line): (FieldState, Option<u32>)) {
        self.out.push(FieldCheck { path, state, line });
    }

    fn key_values(&mut self, kind: SectionKind, kv: &KeyValues, keys: &[&str]) {
        let present = self.archive.has(kind);
        for k in keys {
            let st = if present {
                node_state(kv.get(k))
            } else {
                (FieldState::Missing, None)
            };
            self.push(format!("{}.{k}", kind.key()), st);
        }
    }

    fn dependencies(&mut self) {
        let t = &self.archive.dependencies;
        for name in DEPENDENCIES {
            let st = dependency_state(t, name);
            self.push(format!("dependencies.{name}"), st);
        }
    }

    fn data_copy(&mut self) {
        let t = &self.archive.data_copy;
        if t.rows.is_empty() {
            self.push("data_copy".into(), (FieldState::Missing, None));
            return;
        }
        for (i, row) in t.rows.iter().enumerate() {
            for (ci, col) in DATA_COPY.iter().enumerate() {
                let st = match t.cell(row, col, ci) {
                    Some(c) if c.is_filled() => FieldState::Filled,
                    Some(c) if !c.text.is_empty() || t.column(col).is_some() => {
                        FieldState::Unfilled
                    }
                    _ => FieldState::Missing,
                };
                self.push(format!("data_copy[{i}].{col}"), (st, Some(row.line)));
            }
        }
    }

    fn steps(&mut self) {
        let steps = &self.archive.steps.steps;
        if steps.is_empty() {
            self.push("steps".into(), (FieldState::Missing, None));
            return;
        }
        for (i, s) in steps.iter().enumerate() {
            let r = step_ref(s, i);
            for k in STEP {
                self.push(format!("steps[{r}].{k}"), node_state(s.get(k)));
            }
            if step_ran(s) && is_train(s) {
                for k in TRAINING {
                    let st = node_state(s.map("training").and_then(|m| lookup(m, k)));
                    self.push(format!("steps[{r}].training.{k}"), st);
                }
            }
            if step_ran(s) && is_eval(s) {
                for k in EVAL {
                    let st = node_state(s.map("eval").and_then(|m| lookup(m, k)));
                    self.push(format!("steps[{r}].eval.{k}"), st);
                }
            }
            if matches!(s.status(), Status::Failed) {
                self.push(format!("steps[{r}].error"), node_state(s.get("error")));
            }
        }
    }
}

fn dependency_state(t: &Table, name: &str) -> (FieldState, Option<u32>) {
    let row = t.rows.iter().find(|row| {
        t.cell(row, "name", 0)
            .is_some_and(|c| c.text.eq_ignore_ascii_case(name))
    });
    match row {
        None => (FieldState::Missing, None),
        Some(row) => match t.cell(row, "version", 1) {
            Some(c) if c.is_filled() => (FieldState::Filled, Some(row.line)),
            _ => (FieldState::Unfilled, Some(row.line)),
        },
    }
}

/// Computes completeness for one archive.
pub fn completeness(archive: &Archive) -> Completeness {
    let mut c = Collector {
        archive,
        out: Vec::new(),
    };
    c.key_values(SectionKind::Summary, &archive.summary, &SUMMARY_FIELDS);
    c.dependencies();
    c.key_values(SectionKind::ConfigSnapshot, &archive.config, &CONFIG);
    c.key_values(SectionKind::Paths, &archive.paths, &PATHS);
    c.key_values(
        SectionKind::DataSnapshot,
        &archive.data_snapshot,
        &DATA_SNAPSHOT,
    );
    c.data_copy();
    c.steps();
    c.key_values(SectionKind::Repro, &archive.repro, &REPRO);
    c.key_values(SectionKind::Artifacts, &archive.artifacts, &ARTIFACTS);
    c.key_values(SectionKind::Resources, &archive.resources, &RESOURCES);
    c.key_values(SectionKind::Changes, &archive.changes, &CHANGES);
    let fields = c.out;
    let checklist = checklist(archive, &fields);
    Completeness { fields, checklist }
}

fn checklist(archive: &Archive, fields: &[FieldCheck]) -> Vec<ChecklistItem> {
    let t = &archive.checklist;
    let rows: Vec<(String, String, Option<u32>)> = if t.rows.is_empty() {
        TEMPLATE_CHECKLIST
            .iter()
            .map(|(s, f)| (s.to_string(), f.to_string(), None))
            .collect()
    } else {
        t.rows
            .iter()
            .map(|r| {
                let get = |name: &str, i: usize| {
                    t.cell(r, name, i)
                        .map(|c| c.text.clone())
                        .unwrap_or_default()
                };
                (get("section", 0), get("field", 1), Some(r.line))
            })
            .collect()
    };
    rows.into_iter()
        .map(|(section, field, line)| {
            let (checks, applies) = resolve_row(archive, fields, &section, &field);
            let state = if applies {
                checks.iter().map(|c| c.state).max()
            } else {
                None
            };
            ChecklistItem {
                section,
                field,
                line,
                checks,
                state,
            }
        })
        .collect()
}

fn alias(token: &str) -> &str {
    match token {
        "loss" => "final_loss",
        "throughput" => "throughput_tokens_per_sec",
        "step_time" => "step_time_sec_avg",
        "te" => "transformer_engine",
        "peak_vram" => "peak_vram_gb",
        "avg_vram" => "avg_vram_gb",
        "gpu_util" => "gpu_util_avg_pct",
        other => other,
    }
}

/// The fields a checklist row names, and whether the row applies at all.
fn resolve_row(
    archive: &Archive,
    fields: &[FieldCheck],
    section: &str,
    field: &str,
) -> (Vec<FieldCheck>, bool) {
    let sec = section.trim().to_lowercase();
    let (kind_key, sub) = match sec.split_once('.') {
        Some((a, b)) => (a.trim().to_string(), Some(b.trim().to_string())),
        None => (sec.clone(), None),
    };
    let kind = match kind_key.as_str() {
        "environment" | "env" => SectionKind::Summary,
        other => SectionKind::from_heading(other),
    };
    let mut checks = Vec::new();
    for raw in field.split('/') {
        let token = raw
            .trim()
            .trim_end_matches(" ckpt")
            .trim_end_matches(" checkpoint")
            .trim()
            .to_lowercase();
        if token.is_empty() {
            continue;
        }
        if kind == SectionKind::Artifacts && (token == "last" || token == "best") {
            checks.push(checkpoint_check(archive, &token));
            continue;
        }
        let token = alias(&token);
        let matched: Vec<FieldCheck> = fields
            .iter()
            .filter(|f| path_matches(&f.path, kind, sub.as_deref(), token))
            .cloned()
            .collect();
        if !matched.is_empty() {
            checks.extend(matched);
            continue;
        }
        if kind == SectionKind::Steps {
            // No step of that kind ran (an eval row in a run that failed before eval):
            // the row does not apply.
            continue;
        }
        if let Some(kv) = key_values(archive, kind) {
            let st = if archive.has(kind) {
                node_state(kv.get(token))
            } else {
                (FieldState::Missing, None)
            };
            checks.push(FieldCheck {
                path: format!("{}.{token}", kind.key()),
                state: st.0,
                line: st.1,
            });
        }
    }
    let applies = !checks.is_empty();
    (checks, applies)
}

fn key_values(archive: &Archive, kind: SectionKind) -> Option<&KeyValues> {
    Some(match kind {
        SectionKind::Summary => &archive.summary,
        SectionKind::ConfigSnapshot => &archive.config,
        SectionKind::Paths => &archive.paths,
        SectionKind::DataSnapshot => &archive.data_snapshot,
        SectionKind::Repro => &archive.repro,
        SectionKind::Artifacts => &archive.artifacts,
        SectionKind::Resources => &archive.resources,
        SectionKind::Changes => &archive.changes,
        _ => return None,
    })
}

fn path_matches(path: &str, kind: SectionKind, sub: Option<&str>, token: &str) -> bool {
    let prefix = kind.key();
    let Some(rest) = path.strip_prefix(prefix) else {
        return false;
    };
    // Skip an index such as `[2]` after the section key.
    let rest = match rest.strip_prefix('[') {
        Some(r) => r.split_once(']').map_or("", |(_, after)| after),
        None => rest,
    };
    let Some(rest) = rest.strip_prefix('.') else {
        return false;
    };
    let rest = match sub {
        Some(s) => match rest.strip_prefix(s).and_then(|r| r.strip_prefix('.')) {
            Some(r) => r,
            None => return false,
        },
        None => rest,
    };
    rest == token || rest.starts_with(&format!("{token}."))
}

fn checkpoint_check(archive: &Archive, tag: &str) -> FieldCheck {
    let want = if tag == "last" {
        CheckpointTag::Last
    } else {
        CheckpointTag::Best
    };
    let found = archive.checkpoints().into_iter().find(|c| c.tag == want);
    let state = match &found {
        Some(c) if c.path.is_some() => FieldState::Filled,
        Some(_) => FieldState::Unfilled,
        None => FieldState::Missing,
    };
    FieldCheck {
        path: format!("artifacts.checkpoints[tag={tag}]"),
        state,
        line: found.map(|c| c.line),
    }
}

/// Whether a node is the template's placeholder (used by views to grey it out).
pub fn is_placeholder_node(node: &Node) -> bool {
    matches!(node.value, Value::Unfilled)
}
