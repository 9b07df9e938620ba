//! The structured diff of two runs: every section, nested configs as trees, steps matched by
//! (name, stage), metrics with deltas judged better or worse.
//!
//! Pure. Values compare by meaning, not spelling: `1e-05` and `0.00001` are the same number,
//! so only real changes are reported.

use crate::archive::model::{Archive, Table};
use crate::archive::value::{Entry, Map, Node, Value};
use crate::archive::Step;

use super::text::{diff_lines, differs, DiffLine};

/// What happened to a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// Only in the second run.
    Added,
    /// Only in the first run.
    Removed,
    /// In both, with different values.
    Changed,
}

impl ChangeKind {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        }
    }
}

/// A numeric change: how much, and whether it is for the better.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Delta {
    /// `b - a`.
    pub abs: f64,
    /// `(b - a) / |a|`, when `a` is not 0.
    pub rel: Option<f64>,
    /// `Some(true)` when the change is an improvement (lower loss, higher score ...).
    pub better: Option<bool>,
}

/// One changed field.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    /// Path inside its section (`["steps_resolved", "configs/steps/05_train_sft.py", "lr"]`).
    pub path: Vec<String>,
    /// What happened.
    pub kind: ChangeKind,
    /// The first run's value.
    pub a: Option<Node>,
    /// The second run's value.
    pub b: Option<Node>,
    /// For numbers.
    pub delta: Option<Delta>,
    /// The only difference is the run id inside the value (a path under the run's folder).
    pub run_id_only: bool,
}

impl FieldChange {
    /// The path as `a.b.c`.
    pub fn dotted(&self) -> String {
        self.path.join(".")
    }
}

/// The changes of one section.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionDiff {
    /// The section key (`summary`, `dependencies`, ...).
    pub section: &'static str,
    /// Its changes.
    pub changes: Vec<FieldChange>,
}

/// Whether a step is in both runs or one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Matched in both.
    Both,
    /// Only in the first run.
    OnlyA,
    /// Only in the second run.
    OnlyB,
}

/// Two steps matched by (name, stage), or a step only one run has.
#[derive(Debug, Clone, PartialEq)]
pub struct StepDiff {
    /// Step name.
    pub name: String,
    /// Stage.
    pub stage: String,
    /// Index in the first run.
    pub a: Option<usize>,
    /// Index in the second run.
    pub b: Option<usize>,
    /// step_id in the first run.
    pub a_id: Option<i64>,
    /// step_id in the second run.
    pub b_id: Option<i64>,
    /// Both, or which one.
    pub presence: Presence,
    /// Field changes (for matched steps).
    pub changes: Vec<FieldChange>,
    /// The step itself when only one run has it, so that a comparison can show what the
    /// step was (name, stage, config, params, eval datasets and results), not just that it
    /// is missing on one side.
    pub only: Option<Step>,
}

/// The text of a section that differs, as a line diff.
#[derive(Debug, Clone, PartialEq)]
pub struct TextDiff {
    /// Section title.
    pub title: String,
    /// The lines.
    pub lines: Vec<DiffLine>,
}

/// The whole diff of two runs.
#[derive(Debug, Clone, PartialEq)]
pub struct RunDiff {
    /// First run id.
    pub a: String,
    /// Second run id.
    pub b: String,
    /// Per-section changes (template sections other than Steps).
    pub sections: Vec<SectionDiff>,
    /// Steps, in the second run's order, then steps only the first run has.
    pub steps: Vec<StepDiff>,
    /// Sections the template does not define, diffed as text.
    pub texts: Vec<TextDiff>,
}

impl RunDiff {
    /// Total field changes, steps included (an added or removed step counts once).
    pub fn count(&self) -> usize {
        self.sections.iter().map(|s| s.changes.len()).sum::<usize>()
            + self
                .steps
                .iter()
                .map(|s| {
                    if s.presence == Presence::Both {
                        s.changes.len()
                    } else {
                        1
                    }
                })
                .sum::<usize>()
            + self.texts.len()
    }

    /// The changes of a section.
    pub fn section(&self, key: &str) -> &[FieldChange] {
        self.sections
            .iter()
            .find(|s| s.section == key)
            .map_or(&[], |s| s.changes.as_slice())
    }
}

/// Which way is better for a metric at `path`, if any: `Some(true)` when higher is better.
pub fn higher_is_better(section: &str, path: &[String]) -> Option<bool> {
    let judged = matches!(section, "resources" | "training" | "metrics" | "eval");
    if !judged {
        return None;
    }
    let p = path.join(".").to_lowercase();
    const LOWER: [&str; 10] = [
        "loss",
        "ppl",
        "perplexity",
        "step_time",
        "duration",
        "time_sec",
        "vram",
        "memory",
        "nan_iterations",
        "skipped_iterations",
    ];
    const HIGHER: [&str; 8] = [
        "throughput",
        "tokens_per_sec",
        "tflops",
        "util",
        "accuracy",
        "score",
        "samples_per_sec",
        "acc",
    ];
    if LOWER.iter().any(|k| p.contains(k)) {
        return Some(false);
    }
    if HIGHER.iter().any(|k| p.contains(k)) {
        return Some(true);
    }
    // Eval results are scores unless named otherwise.
    (section == "eval" && p.starts_with("results.")).then_some(true)
}

/// Whether two values mean the same (numbers by value, text by text).
pub fn same_value(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => {
            a.as_f64() == b.as_f64()
        }
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Empty, Value::Empty) | (Value::Unfilled, Value::Unfilled) => a.text == b.text,
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_value(p, q))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, n)| y.get(k).is_some_and(|m| same_value(n, m)))
        }
        (Value::List(_) | Value::Map(_), _) | (_, Value::List(_) | Value::Map(_)) => false,
        _ => a.text.trim() == b.text.trim(),
    }
}

fn delta(section: &str, path: &[String], a: &Node, b: &Node) -> Option<Delta> {
    let (x, y) = (a.as_f64()?, b.as_f64()?);
    let abs = y - x;
    let dir = higher_is_better(section, path);
    Some(Delta {
        abs,
        rel: (x != 0.0).then(|| abs / x.abs()),
        better: dir
            .filter(|_| abs != 0.0)
            .map(|higher| (abs > 0.0) == higher),
    })
}

fn change(
    section: &str,
    path: Vec<String>,
    kind: ChangeKind,
    a: Option<&Node>,
    b: Option<&Node>,
) -> FieldChange {
    let delta = match (a, b) {
        (Some(x), Some(y)) if kind == ChangeKind::Changed => delta(section, &path, x, y),
        _ => None,
    };
    FieldChange {
        path,
        kind,
        a: a.cloned(),
        b: b.cloned(),
        delta,
        run_id_only: false,
    }
}

/// Marks changes whose values differ only by the run id (workdirs, checkpoint paths).
fn mark_run_id_only(changes: &mut [FieldChange], a_id: Option<&str>, b_id: Option<&str>) {
    let (Some(x), Some(y)) = (a_id, b_id) else {
        return;
    };
    if x.is_empty() || x == y {
        return;
    }
    for c in changes {
        if let (Some(p), Some(q)) = (&c.a, &c.b) {
            let (pt, qt) = (
                super::value::show(&Some(p.clone())),
                super::value::show(&Some(q.clone())),
            );
            c.run_id_only = pt != x && pt.contains(x) && pt.replace(x, y) == qt;
        }
    }
}

fn key_index(m: &Map) -> std::collections::HashMap<&str, &Node> {
    let mut h = std::collections::HashMap::with_capacity(m.len());
    for e in &m.entries {
        h.entry(e.key.as_str()).or_insert(&e.node);
    }
    h
}

/// Diffs two maps as trees: keys added, removed, or changed at any depth.
pub fn diff_maps(section: &str, prefix: &[String], a: &Map, b: &Map, out: &mut Vec<FieldChange>) {
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    // An added or removed value spans its key's line too.
    let whole = |e: &Entry| {
        let mut n = e.node.clone();
        n.line = n.line.min(e.line).max(1);
        n.end_line = n.end_line.max(e.line);
        n
    };
    // Keyed lookups: maps of hundreds of params must not be compared key by key.
    let (ia, ib) = (key_index(a), key_index(b));
    for e in &a.entries {
        let Entry { key, node, .. } = e;
        if !seen.insert(key.as_str()) {
            continue;
        }
        let mut path = prefix.to_vec();
        path.push(key.clone());
        match ib.get(key.as_str()).copied() {
            None => out.push(change(
                section,
                path,
                ChangeKind::Removed,
                Some(&whole(e)),
                None,
            )),
            Some(other) => diff_nodes(section, path, node, other, out),
        }
    }
    for e in &b.entries {
        let key = &e.key;
        if !ia.contains_key(key.as_str()) && seen.insert(key.as_str()) {
            let mut path = prefix.to_vec();
            path.push(key.clone());
            out.push(change(
                section,
                path,
                ChangeKind::Added,
                None,
                Some(&whole(e)),
            ));
        }
    }
}

fn diff_nodes(section: &str, path: Vec<String>, a: &Node, b: &Node, out: &mut Vec<FieldChange>) {
    match (&a.value, &b.value) {
        (Value::Map(x), Value::Map(y)) => diff_maps(section, &path, x, y, out),
        (Value::List(x), Value::List(y))
            if x.len() == y.len() && x.iter().chain(y).any(|n| n.as_map().is_some()) =>
        {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                let mut sub = path.clone();
                sub.push(format!("[{i}]"));
                diff_nodes(section, sub, p, q, out);
            }
        }
        _ if !same_value(a, b) => {
            out.push(change(section, path, ChangeKind::Changed, Some(a), Some(b)))
        }
        _ => {}
    }
}

/// A table as a map keyed by its first column (dependency name, copy source).
fn table_map(t: &Table, key_col: &str, fallback: usize) -> Map {
    let mut m = Map::default();
    for row in &t.rows {
        let key = t
            .cell(row, key_col, fallback)
            .map(|c| c.text.clone())
            .unwrap_or_default();
        let mut inner = Map::default();
        for (i, c) in row.cells.iter().enumerate() {
            let name = t
                .columns
                .get(i)
                .cloned()
                .unwrap_or_else(|| format!("column_{}", i + 1));
            if name == key_col {
                continue;
            }
            inner.entries.push(Entry {
                key: name,
                line: row.line,
                node: Node {
                    line: row.line,
                    end_line: row.line,
                    text: c.text.clone(),
                    value: c.value.clone(),
                },
            });
        }
        let node = if inner.len() == 1 {
            inner.entries.remove(0).node
        } else {
            Node {
                line: row.line,
                end_line: row.line,
                text: String::new(),
                value: Value::Map(inner),
            }
        };
        m.entries.push(Entry {
            key,
            line: row.line,
            node,
        });
    }
    m
}

/// `(name, stage)` of a step.
pub fn step_key(s: &Step) -> (String, String) {
    (
        s.name().unwrap_or("").to_string(),
        s.stage().unwrap_or("").to_string(),
    )
}

/// Pairs steps by (name, stage), preferring the same step_id, else in order.
pub fn match_steps(a: &[Step], b: &[Step]) -> Vec<(Option<usize>, Option<usize>)> {
    let mut used_a = vec![false; a.len()];
    let mut pairs = Vec::new();
    for (j, sb) in b.iter().enumerate() {
        let key = step_key(sb);
        let same_id =
            (0..a.len()).find(|&i| !used_a[i] && step_key(&a[i]) == key && a[i].id() == sb.id());
        let any = || (0..a.len()).find(|&i| !used_a[i] && step_key(&a[i]) == key);
        let found = same_id.or_else(any);
        if let Some(i) = found {
            used_a[i] = true;
        }
        pairs.push((found, Some(j)));
    }
    for (i, used) in used_a.iter().enumerate() {
        if !used {
            pairs.push((Some(i), None));
        }
    }
    pairs
}

/// Which section a step field's path is judged in (`training.final_loss` -> `training`).
fn step_section(path: &[String]) -> &'static str {
    match path.first().map(String::as_str) {
        Some("training") => "training",
        Some("metrics") => "metrics",
        Some("eval") => "eval",
        _ => "steps",
    }
}

fn diff_step(a: &Step, b: &Step) -> Vec<FieldChange> {
    let mut raw = Vec::new();
    diff_maps("steps", &[], &a.fields, &b.fields, &mut raw);
    raw.into_iter()
        .map(|mut c| {
            let sec = step_section(&c.path);
            let inner: Vec<String> = c.path.iter().skip(1).cloned().collect();
            if let (Some(x), Some(y)) = (&c.a, &c.b) {
                c.delta = delta(sec, &inner, x, y);
            }
            c
        })
        .collect()
}

/// Every field of a step as `(dotted path, value)` rows in file order, nested maps
/// flattened (`params.lr`, `eval.results.mmlu`): what a comparison shows of a step that only
/// one run has.
pub fn step_rows(step: &Step) -> Vec<(String, Node)> {
    let mut out = Vec::new();
    crate::archive::model::flatten(&step.fields, "", &mut out);
    out
}

/// One row of two matched steps' params side by side.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamRow {
    /// The param's key.
    pub key: String,
    /// Its value in the first run.
    pub a: Option<Node>,
    /// Its value in the second run.
    pub b: Option<Node>,
    /// Both runs have it with the same meaning.
    pub same: bool,
}

/// Every param of two matched steps, the first run's order then keys only the second has.
pub fn param_rows(a: Option<&Map>, b: Option<&Map>) -> Vec<ParamRow> {
    let mut keys: Vec<&str> = a
        .map(|m| m.iter().map(|(k, _)| k).collect())
        .unwrap_or_default();
    let mut seen: std::collections::HashSet<&str> = keys.iter().copied().collect();
    if let Some(m) = b {
        for (k, _) in m.iter() {
            if seen.insert(k) {
                keys.push(k);
            }
        }
    }
    keys.into_iter()
        .map(|k| {
            let x = a.and_then(|m| m.get(k)).cloned();
            let y = b.and_then(|m| m.get(k)).cloned();
            let same = matches!((&x, &y), (Some(p), Some(q)) if same_value(p, q));
            ParamRow {
                key: k.to_string(),
                a: x,
                b: y,
                same,
            }
        })
        .collect()
}

/// Diffs two runs.
pub fn diff_runs(a: &Archive, b: &Archive) -> RunDiff {
    let mut sections = Vec::new();
    let mut kv = |key: &'static str, x: &Map, y: &Map| {
        let mut changes = Vec::new();
        diff_maps(key, &[], x, y, &mut changes);
        sections.push(SectionDiff {
            section: key,
            changes,
        });
    };
    kv("summary", &a.summary.fields, &b.summary.fields);
    kv(
        "dependencies",
        &table_map(&a.dependencies, "name", 0),
        &table_map(&b.dependencies, "name", 0),
    );
    kv("config_snapshot", &a.config.fields, &b.config.fields);
    kv("paths", &a.paths.fields, &b.paths.fields);
    kv(
        "data_snapshot",
        &a.data_snapshot.fields,
        &b.data_snapshot.fields,
    );
    kv(
        "data_copy",
        &table_map(&a.data_copy, "source", 0),
        &table_map(&b.data_copy, "source", 0),
    );
    kv("repro", &a.repro.fields, &b.repro.fields);
    kv("artifacts", &a.artifacts.fields, &b.artifacts.fields);
    kv("resources", &a.resources.fields, &b.resources.fields);
    kv("changes", &a.changes.fields, &b.changes.fields);
    kv(
        "checklist",
        &table_map(&a.checklist, "field", 1),
        &table_map(&b.checklist, "field", 1),
    );

    let sa = &a.steps.steps;
    let sb = &b.steps.steps;
    let steps: Vec<StepDiff> = match_steps(sa, sb)
        .into_iter()
        .filter_map(|(i, j)| {
            let x = i.and_then(|i| sa.get(i));
            let y = j.and_then(|j| sb.get(j));
            let (name, stage) = step_key(y.or(x)?);
            let (presence, changes, only) = match (x, y) {
                (Some(x), Some(y)) => (Presence::Both, diff_step(x, y), None),
                (Some(x), None) => (Presence::OnlyA, Vec::new(), Some(x.clone())),
                _ => (Presence::OnlyB, Vec::new(), y.cloned()),
            };
            Some(StepDiff {
                name,
                stage,
                a: i,
                b: j,
                a_id: x.and_then(Step::id),
                b_id: y.and_then(Step::id),
                presence,
                changes,
                only,
            })
        })
        .collect();

    let mut texts = Vec::new();
    let extra = |arch: &Archive, title: &str| {
        arch.extra_sections
            .iter()
            .find(|x| x.title == title)
            .map(|x| x.text())
    };
    let mut titles: Vec<String> = a.extra_sections.iter().map(|x| x.title.clone()).collect();
    for x in &b.extra_sections {
        if !titles.contains(&x.title) {
            titles.push(x.title.clone());
        }
    }
    for t in titles {
        let (x, y) = (
            extra(a, &t).unwrap_or_default(),
            extra(b, &t).unwrap_or_default(),
        );
        let lines = diff_lines(&x, &y);
        if differs(&lines) {
            texts.push(TextDiff { title: t, lines });
        }
    }
    let mut steps: Vec<StepDiff> = steps;
    for s in &mut sections {
        mark_run_id_only(&mut s.changes, a.run_id(), b.run_id());
    }
    for s in &mut steps {
        mark_run_id_only(&mut s.changes, a.run_id(), b.run_id());
    }
    RunDiff {
        a: a.run_id().unwrap_or("A").to_string(),
        b: b.run_id().unwrap_or("B").to_string(),
        sections,
        steps,
        texts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::parse;

    #[test]
    fn same_numbers_in_other_spellings_are_not_changes() {
        let a = parse("## Resources & Cost\n- a: 1e-05\n- b: 92.4%\n- c: x\n").archive;
        let b = parse("## Resources & Cost\n- a: 0.00001\n- b: 92.4\n- c: x\n").archive;
        let d = diff_runs(&a, &b);
        assert_eq!(d.count(), 0, "{:?}", d.sections);
    }

    #[test]
    fn nested_added_removed_changed() {
        let a = parse("## Config Snapshot\n- steps_resolved:\n  s1.py:\n    lr: 1\n    old: 2\n")
            .archive;
        let b = parse("## Config Snapshot\n- steps_resolved:\n  s1.py:\n    lr: 3\n    new: 2\n  s2.py:\n    x: 1\n").archive;
        let d = diff_runs(&a, &b);
        let c = d.section("config_snapshot");
        let kinds: Vec<(String, ChangeKind)> = c.iter().map(|c| (c.dotted(), c.kind)).collect();
        assert_eq!(
            kinds,
            vec![
                ("steps_resolved.s1.py.lr".to_string(), ChangeKind::Changed),
                ("steps_resolved.s1.py.old".to_string(), ChangeKind::Removed),
                ("steps_resolved.s1.py.new".to_string(), ChangeKind::Added),
                ("steps_resolved.s2.py".to_string(), ChangeKind::Added),
            ]
        );
        assert_eq!(c[0].path, vec!["steps_resolved", "s1.py", "lr"]);
    }

    #[test]
    fn metric_direction() {
        let s = |p: &str| p.split('.').map(str::to_string).collect::<Vec<_>>();
        assert_eq!(higher_is_better("training", &s("final_loss")), Some(false));
        assert_eq!(higher_is_better("eval", &s("results.mmlu")), Some(true));
        assert_eq!(
            higher_is_better("resources", &s("peak_vram_gb")),
            Some(false)
        );
        assert_eq!(
            higher_is_better("resources", &s("gpu_util_avg_pct")),
            Some(true)
        );
        assert_eq!(higher_is_better("config_snapshot", &s("lr")), None);
    }
}
