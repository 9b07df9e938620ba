//! The typed model of one experiment archive: every section of the template, plus whatever
//! the file says that the template has no place for.
//!
//! Pure: no I/O. Sections hold the parsed tree (keys in file order, with line numbers);
//! typed views (`Step::status`, `Archive::checkpoints`, ...) are derived from it on demand,
//! so nothing is stored twice and nothing the file says is dropped.

use super::value::{Entry, Map, Node, Value};

/// A line kept verbatim, with its 1-based number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawLine {
    /// 1-based line number.
    pub line: u32,
    /// The text as written (line ending removed).
    pub text: String,
}

impl RawLine {
    /// A kept line.
    pub fn new(line: u32, text: &str) -> Self {
        RawLine {
            line,
            text: text.to_string(),
        }
    }
}

/// The sections the template defines, plus `Extra` for any other `##` heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SectionKind {
    /// `## Summary`
    Summary,
    /// `## Dependencies (Versions)`
    Dependencies,
    /// `## Config Snapshot`
    ConfigSnapshot,
    /// `## Paths`
    Paths,
    /// `## Data Snapshot`
    DataSnapshot,
    /// `## Data Copy (Prepare)`
    DataCopy,
    /// `## Steps`
    Steps,
    /// `## Repro`
    Repro,
    /// `## Artifacts`
    Artifacts,
    /// `## Resources & Cost`
    Resources,
    /// `## Changes vs Previous`
    Changes,
    /// `## Field Table (Checklist)`
    Checklist,
    /// Any heading the template does not name (kept as text).
    Extra,
}

impl SectionKind {
    /// Every template section, in the template's order.
    pub const TEMPLATE: [SectionKind; 12] = [
        SectionKind::Summary,
        SectionKind::Dependencies,
        SectionKind::ConfigSnapshot,
        SectionKind::Paths,
        SectionKind::DataSnapshot,
        SectionKind::DataCopy,
        SectionKind::Steps,
        SectionKind::Repro,
        SectionKind::Artifacts,
        SectionKind::Resources,
        SectionKind::Changes,
        SectionKind::Checklist,
    ];

    /// The heading as the template writes it.
    pub fn title(self) -> &'static str {
        match self {
            SectionKind::Summary => "Summary",
            SectionKind::Dependencies => "Dependencies (Versions)",
            SectionKind::ConfigSnapshot => "Config Snapshot",
            SectionKind::Paths => "Paths",
            SectionKind::DataSnapshot => "Data Snapshot",
            SectionKind::DataCopy => "Data Copy (Prepare)",
            SectionKind::Steps => "Steps",
            SectionKind::Repro => "Repro",
            SectionKind::Artifacts => "Artifacts",
            SectionKind::Resources => "Resources & Cost",
            SectionKind::Changes => "Changes vs Previous",
            SectionKind::Checklist => "Field Table (Checklist)",
            SectionKind::Extra => "Other",
        }
    }

    /// The key used for this section in JSON and in URL anchors.
    pub fn key(self) -> &'static str {
        match self {
            SectionKind::Summary => "summary",
            SectionKind::Dependencies => "dependencies",
            SectionKind::ConfigSnapshot => "config_snapshot",
            SectionKind::Paths => "paths",
            SectionKind::DataSnapshot => "data_snapshot",
            SectionKind::DataCopy => "data_copy",
            SectionKind::Steps => "steps",
            SectionKind::Repro => "repro",
            SectionKind::Artifacts => "artifacts",
            SectionKind::Resources => "resources",
            SectionKind::Changes => "changes",
            SectionKind::Checklist => "checklist",
            SectionKind::Extra => "extra",
        }
    }

    /// Recognises a `##` heading's text, forgiving case, parentheses and wording variants.
    pub fn from_heading(title: &str) -> SectionKind {
        let t = title.trim().to_lowercase();
        let base = t.split('(').next().unwrap_or(&t).trim();
        let base = base.trim_end_matches(':').trim();
        match base {
            "summary" | "run summary" | "overview" => SectionKind::Summary,
            "dependencies" | "versions" | "dependency versions" => SectionKind::Dependencies,
            "config snapshot" | "config" | "configuration" | "config snapshots" => {
                SectionKind::ConfigSnapshot
            }
            "paths" => SectionKind::Paths,
            "data snapshot" => SectionKind::DataSnapshot,
            "data copy" | "data copy stats" | "prepare" => SectionKind::DataCopy,
            "steps" | "pipeline steps" => SectionKind::Steps,
            "repro" | "reproduce" | "reproduction" => SectionKind::Repro,
            "artifacts" | "artefacts" => SectionKind::Artifacts,
            "resources & cost" | "resources and cost" | "resources" | "resources & costs" => {
                SectionKind::Resources
            }
            "changes vs previous"
            | "changes vs. previous"
            | "changes"
            | "changes since previous" => SectionKind::Changes,
            "field table" | "checklist" | "field table checklist" => SectionKind::Checklist,
            _ if t.starts_with("field table") => SectionKind::Checklist,
            _ => SectionKind::Extra,
        }
    }
}

/// One `##` heading as it appears in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionHead {
    /// Which section it opens.
    pub kind: SectionKind,
    /// The heading text after `## `.
    pub title: String,
    /// Its line.
    pub line: u32,
}

/// A section written as a `- key: value` list (Summary, Paths, Config Snapshot, ...).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KeyValues {
    /// The keys in file order; nested maps and lists kept nested.
    pub fields: Map,
    /// `#` comment lines.
    pub comments: Vec<RawLine>,
    /// Lines that are not `key: value` lines, kept verbatim.
    pub unmapped: Vec<RawLine>,
}

impl KeyValues {
    /// The node under `key`.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.fields.get(key)
    }

    /// The scalar text under `key` (not placeholders or empty values).
    pub fn text(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Node::as_text)
    }
}

/// A cell of a pipe table, with its typed value.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The cell text, trimmed, with `\|` unescaped.
    pub text: String,
    /// Typed as a scalar (placeholder, number, boolean or text).
    pub value: Value,
}

impl Cell {
    /// Whether the cell holds a real value.
    pub fn is_filled(&self) -> bool {
        !matches!(self.value, Value::Empty | Value::Unfilled)
    }
}

/// One row of a pipe table.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    /// Its line.
    pub line: u32,
    /// The cells by header name, in header order (missing cells are empty).
    pub cells: Vec<Cell>,
}

/// A section written as a pipe table (Dependencies, Data Copy, Field Table).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// The header names, lower-cased and trimmed.
    pub columns: Vec<String>,
    /// The header and `| --- |` lines.
    pub head_lines: Vec<u32>,
    /// The data rows.
    pub rows: Vec<TableRow>,
    /// `#`/HTML comment lines.
    pub comments: Vec<RawLine>,
    /// Lines that are not table rows, kept verbatim.
    pub unmapped: Vec<RawLine>,
}

impl Table {
    /// Index of the column named `name` (case-insensitive).
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.eq_ignore_ascii_case(name))
    }

    /// The cell of `row` in the column `name`, or at `fallback` when there is no such
    /// column header.
    pub fn cell<'r>(&self, row: &'r TableRow, name: &str, fallback: usize) -> Option<&'r Cell> {
        let i = self.column(name).unwrap_or(fallback);
        row.cells.get(i)
    }
}

/// The `## Steps` section.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Steps {
    /// The steps in file order.
    pub steps: Vec<Step>,
    /// `#` comment lines.
    pub comments: Vec<RawLine>,
    /// Lines that are not part of a step, kept verbatim.
    pub unmapped: Vec<RawLine>,
}

/// Outcome of a step or run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// `success` (also `ok`, `succeeded`, `completed`, `done`).
    Success,
    /// `failed` (also `fail`, `error`, `crashed`).
    Failed,
    /// `skipped`.
    Skipped,
    /// `running` (also `in_progress`).
    Running,
    /// The placeholder was left unfilled or the field is absent.
    Unknown,
    /// Any other word, as written.
    Other(String),
}

impl Status {
    /// Reads a status word.
    pub fn parse(s: Option<&str>) -> Status {
        let Some(s) = s else { return Status::Unknown };
        match s.trim().to_ascii_lowercase().as_str() {
            "success" | "succeeded" | "ok" | "completed" | "complete" | "done" | "passed" => {
                Status::Success
            }
            "failed" | "fail" | "failure" | "error" | "crashed" | "oom" => Status::Failed,
            "skipped" | "skip" => Status::Skipped,
            "running" | "in_progress" | "started" => Status::Running,
            "" => Status::Unknown,
            _ => Status::Other(s.trim().to_string()),
        }
    }

    /// A short word for badges and CSS classes.
    pub fn class(&self) -> &'static str {
        match self {
            Status::Success => "success",
            Status::Failed => "failed",
            Status::Skipped => "skipped",
            Status::Running => "running",
            Status::Unknown | Status::Other(_) => "unknown",
        }
    }

    /// The label shown to a person.
    pub fn label(&self) -> String {
        match self {
            Status::Other(s) => s.clone(),
            Status::Unknown => "unknown".to_string(),
            other => other.class().to_string(),
        }
    }
}

/// The keys the template gives a step, in the template's order.
pub const STEP_KEYS: [&str; 16] = [
    "step_id",
    "name",
    "stage",
    "status",
    "config",
    "inputs",
    "outputs",
    "params",
    "training",
    "metrics",
    "eval",
    "logs",
    "warnings",
    "error",
    "error_stack",
    "retries",
];

/// One pipeline step (tokenize, train, mg2hf, eval, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The line of its `- step_id:` (or first key).
    pub line: u32,
    /// Its last line.
    pub end_line: u32,
    /// Every key of the step in file order, nested maps kept nested.
    pub fields: Map,
}

/// The training figures of a train step, typed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Training {
    /// Path of the TensorBoard event file or CSV on the cluster.
    pub loss_curve: Option<String>,
    /// Loss at the last iteration.
    pub final_loss: Option<f64>,
    /// Lowest loss seen.
    pub best_loss: Option<f64>,
    /// Perplexity.
    pub ppl: Option<f64>,
    /// Iterations run.
    pub steps: Option<i64>,
    /// Training time in seconds.
    pub duration_sec: Option<f64>,
    /// Tokens per second across all GPUs.
    pub throughput_tokens_per_sec: Option<f64>,
    /// Mean seconds per iteration.
    pub step_time_sec_avg: Option<f64>,
}

/// The eval block of an eval step, typed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Eval {
    /// Dataset names.
    pub datasets: Vec<String>,
    /// Metric name and value node, in file order.
    pub results: Vec<(String, Node)>,
    /// Path of the eval script.
    pub script_path: Option<String>,
    /// Commit or version of the eval script.
    pub script_version: Option<String>,
}

impl Step {
    /// A field's node.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.fields.get(key)
    }

    /// A field's scalar text.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Node::as_text)
    }

    /// A nested map field (`inputs`, `params`, ...).
    pub fn map(&self, key: &str) -> Option<&Map> {
        self.get(key).and_then(Node::as_map)
    }

    /// `step_id` as an integer.
    pub fn id(&self) -> Option<i64> {
        self.get("step_id").and_then(Node::as_i64)
    }

    /// `name` (tokenize, train, mg2hf, eval, ...).
    pub fn name(&self) -> Option<&str> {
        self.text("name")
    }

    /// `stage` (cpt, sft, none, ...).
    pub fn stage(&self) -> Option<&str> {
        self.text("stage")
    }

    /// `status`, typed.
    pub fn status(&self) -> Status {
        Status::parse(self.text("status"))
    }

    /// `retries` as an integer.
    pub fn retries(&self) -> Option<i64> {
        self.get("retries").and_then(Node::as_i64)
    }

    /// A label such as `train (cpt)` or `step 3`.
    pub fn label(&self) -> String {
        match (self.name(), self.stage()) {
            (Some(n), Some(s)) if s != "none" && !s.is_empty() => format!("{n} ({s})"),
            (Some(n), _) => n.to_string(),
            _ => self
                .id()
                .map_or_else(|| format!("line {}", self.line), |i| format!("step {i}")),
        }
    }

    /// Seconds the step took, from `training.duration_sec` or `metrics.duration_sec`.
    pub fn duration_sec(&self) -> Option<f64> {
        ["training", "metrics"].iter().find_map(|k| {
            self.map(k)
                .and_then(|m| m.get("duration_sec"))
                .and_then(Node::as_f64)
        })
    }

    /// Warning texts (a single scalar counts as one warning).
    pub fn warnings(&self) -> Vec<String> {
        match self.get("warnings").map(|n| &n.value) {
            Some(Value::List(items)) => items
                .iter()
                .filter_map(|n| n.as_text().map(str::to_string))
                .collect(),
            Some(Value::Str(s)) => vec![s.clone()],
            _ => Vec::new(),
        }
    }

    /// The typed training figures, when the step has a `training` map.
    pub fn training(&self) -> Option<Training> {
        let m = self.map("training")?;
        let f = |k: &str| m.get(k).and_then(Node::as_f64);
        Some(Training {
            loss_curve: m
                .get("loss_curve")
                .and_then(Node::as_text)
                .map(str::to_string),
            final_loss: f("final_loss"),
            best_loss: f("best_loss"),
            ppl: f("ppl"),
            steps: m.get("steps").and_then(Node::as_i64),
            duration_sec: f("duration_sec"),
            throughput_tokens_per_sec: f("throughput_tokens_per_sec"),
            step_time_sec_avg: f("step_time_sec_avg"),
        })
    }

    /// The typed eval block, when the step has an `eval` map.
    pub fn eval(&self) -> Option<Eval> {
        let m = self.map("eval")?;
        let datasets = match m.get("datasets").map(|n| &n.value) {
            Some(Value::List(items)) => items
                .iter()
                .filter_map(|n| n.as_text().map(str::to_string))
                .collect(),
            Some(Value::Str(s)) => s.split(',').map(|p| p.trim().to_string()).collect(),
            _ => Vec::new(),
        };
        let results = m
            .get("results")
            .and_then(Node::as_map)
            .map(|r| r.iter().map(|(k, n)| (k.to_string(), n.clone())).collect())
            .unwrap_or_default();
        let script = m.get("script").and_then(Node::as_map);
        let s = |k: &str| {
            script
                .and_then(|s| s.get(k))
                .and_then(Node::as_text)
                .map(str::to_string)
        };
        Some(Eval {
            datasets,
            results,
            script_path: s("path"),
            script_version: s("version"),
        })
    }
}

/// What a checkpoint's tag says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckpointTag {
    /// The last checkpoint of a training step.
    Last,
    /// The checkpoint with the best metric.
    Best,
    /// Anything else, as written (`other`, `milestone`, ...), or `None` when absent.
    Other(Option<String>),
}

/// One checkpoint listed under Artifacts.
#[derive(Debug, Clone, PartialEq)]
pub struct Checkpoint {
    /// The line of its `- path:`.
    pub line: u32,
    /// Directory of the checkpoint on the cluster.
    pub path: Option<String>,
    /// last / best / other.
    pub tag: CheckpointTag,
    /// Training iteration it was saved at.
    pub step: Option<i64>,
}

/// A Data Snapshot value with its `(lines=, bytes=)` suffix read.
#[derive(Debug, Clone, PartialEq)]
pub struct SnapshotFile {
    /// The path before the suffix.
    pub path: String,
    /// Number of lines, when given.
    pub lines: Option<u64>,
    /// Size in bytes, when given.
    pub bytes: Option<u64>,
}

/// A `## Heading` the template does not define, kept as text.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtraSection {
    /// The heading text.
    pub title: String,
    /// The heading's line.
    pub line: u32,
    /// The body lines, verbatim (blank lines inside kept).
    pub lines: Vec<RawLine>,
}

impl ExtraSection {
    /// The body as one text, trimmed of leading and trailing blank lines.
    pub fn text(&self) -> String {
        let v: Vec<&str> = self.lines.iter().map(|l| l.text.as_str()).collect();
        v.join("\n").trim_matches('\n').to_string()
    }
}

/// One experiment archive.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Archive {
    /// The `# Title` line, when there is one.
    pub title: Option<RawLine>,
    /// Every `##` heading, in file order.
    pub headings: Vec<SectionHead>,
    /// Non-blank lines before the first `##` heading (other than the title).
    pub preamble: Vec<RawLine>,
    /// `## Summary`.
    pub summary: KeyValues,
    /// `## Dependencies (Versions)`.
    pub dependencies: Table,
    /// `## Config Snapshot`.
    pub config: KeyValues,
    /// `## Paths`.
    pub paths: KeyValues,
    /// `## Data Snapshot`.
    pub data_snapshot: KeyValues,
    /// `## Data Copy (Prepare)`.
    pub data_copy: Table,
    /// `## Steps`.
    pub steps: Steps,
    /// `## Repro`.
    pub repro: KeyValues,
    /// `## Artifacts`.
    pub artifacts: KeyValues,
    /// `## Resources & Cost`.
    pub resources: KeyValues,
    /// `## Changes vs Previous`.
    pub changes: KeyValues,
    /// `## Field Table (Checklist)`.
    pub checklist: Table,
    /// Sections the template does not define, in file order.
    pub extra_sections: Vec<ExtraSection>,
}

impl Archive {
    /// Whether the file has a heading for `kind`.
    pub fn has(&self, kind: SectionKind) -> bool {
        self.headings.iter().any(|h| h.kind == kind)
    }

    /// The line of the first heading of `kind`.
    pub fn heading_line(&self, kind: SectionKind) -> Option<u32> {
        self.headings
            .iter()
            .find(|h| h.kind == kind)
            .map(|h| h.line)
    }

    /// `summary.run_id`.
    pub fn run_id(&self) -> Option<&str> {
        self.summary.text("run_id")
    }

    /// `summary.experiment`.
    pub fn experiment(&self) -> Option<&str> {
        self.summary.text("experiment")
    }

    /// `summary.status`, typed.
    pub fn status(&self) -> Status {
        Status::parse(self.summary.text("status"))
    }

    /// `changes.previous_run_id`, unless it says there is none (`n/a`, `none`, `-`).
    pub fn previous_run_id(&self) -> Option<&str> {
        self.changes
            .text("previous_run_id")
            .filter(|s| !is_none_word(s))
    }

    /// The checkpoints listed under Artifacts.
    pub fn checkpoints(&self) -> Vec<Checkpoint> {
        let Some(items) = self.artifacts.get("checkpoints").and_then(Node::as_list) else {
            return Vec::new();
        };
        items
            .iter()
            .map(|n| match &n.value {
                Value::Map(m) => Checkpoint {
                    line: n.line,
                    path: m.get("path").and_then(Node::as_text).map(str::to_string),
                    tag: match m.get("tag").and_then(Node::as_text) {
                        Some(t) if t.eq_ignore_ascii_case("last") => CheckpointTag::Last,
                        Some(t) if t.eq_ignore_ascii_case("best") => CheckpointTag::Best,
                        other => CheckpointTag::Other(other.map(str::to_string)),
                    },
                    step: m.get("step").and_then(Node::as_i64),
                },
                _ => Checkpoint {
                    line: n.line,
                    path: n.as_text().map(str::to_string),
                    tag: CheckpointTag::Other(None),
                    step: None,
                },
            })
            .collect()
    }

    /// A list of paths under Artifacts (`hf_models`, `reports`).
    pub fn artifact_paths(&self, key: &str) -> Vec<String> {
        match self.artifacts.get(key).map(|n| &n.value) {
            Some(Value::List(items)) => items
                .iter()
                .filter_map(|n| n.as_text().map(str::to_string))
                .collect(),
            Some(Value::Str(s)) => vec![s.clone()],
            _ => Vec::new(),
        }
    }

    /// Every Data Snapshot entry, with the `(lines=, bytes=)` suffix read where present.
    pub fn snapshot_files(&self) -> Vec<(String, SnapshotFile)> {
        self.data_snapshot
            .fields
            .iter()
            .filter_map(|(k, n)| n.as_text().map(|t| (k.to_string(), snapshot_file(t))))
            .collect()
    }
}

/// Whether a value means "nothing" (`n/a`, `none`, `-`, `null`).
pub fn is_none_word(s: &str) -> bool {
    matches!(
        s.trim().to_ascii_lowercase().as_str(),
        "n/a" | "na" | "none" | "-" | "null" | "nil" | ""
    )
}

/// Splits `path (lines=N, bytes=M)` into its parts; a value with no suffix is all path.
pub fn snapshot_file(text: &str) -> SnapshotFile {
    let t = text.trim();
    let plain = SnapshotFile {
        path: t.to_string(),
        lines: None,
        bytes: None,
    };
    let Some(open) = t.rfind('(') else {
        return plain;
    };
    let Some(inner) = t[open + 1..].strip_suffix(')') else {
        return plain;
    };
    let mut lines = None;
    let mut bytes = None;
    for part in inner.split(',') {
        let Some((k, v)) = part.split_once('=') else {
            return plain;
        };
        let v: String = v
            .trim()
            .chars()
            .filter(|c| *c != '_' && *c != ',')
            .collect();
        let n = v.parse::<u64>().ok();
        match k.trim() {
            "lines" => lines = n,
            "bytes" => bytes = n,
            _ => return plain,
        }
    }
    if lines.is_none() && bytes.is_none() {
        return plain;
    }
    SnapshotFile {
        path: t[..open].trim_end().to_string(),
        lines,
        bytes,
    }
}

/// Every entry of a map, recursively, as `(dotted.path, node)` for scalars.
pub fn flatten(map: &Map, prefix: &str, out: &mut Vec<(String, Node)>) {
    for Entry { key, node, .. } in &map.entries {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match &node.value {
            Value::Map(m) => flatten(m, &path, out),
            _ => out.push((path, node.clone())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_suffix_is_read() {
        let f = snapshot_file("/a/merged.jsonl (lines=4182733, bytes=24811590144)");
        assert_eq!(f.path, "/a/merged.jsonl");
        assert_eq!(f.lines, Some(4_182_733));
        assert_eq!(f.bytes, Some(24_811_590_144));
        let g = snapshot_file("/a/b (copy)");
        assert_eq!(g.path, "/a/b (copy)");
        assert_eq!(g.lines, None);
    }

    #[test]
    fn headings_are_recognised() {
        assert_eq!(
            SectionKind::from_heading("Dependencies (Versions)"),
            SectionKind::Dependencies
        );
        assert_eq!(
            SectionKind::from_heading("Field Table (Checklist)"),
            SectionKind::Checklist
        );
        assert_eq!(
            SectionKind::from_heading("resources & cost"),
            SectionKind::Resources
        );
        assert_eq!(SectionKind::from_heading("Notes"), SectionKind::Extra);
    }

    #[test]
    fn statuses() {
        assert_eq!(Status::parse(Some("Success")), Status::Success);
        assert_eq!(Status::parse(Some("FAILED")), Status::Failed);
        assert_eq!(Status::parse(None), Status::Unknown);
        assert_eq!(
            Status::parse(Some("preempted")),
            Status::Other("preempted".into())
        );
    }
}
