//! The N-way comparison: one row per field that differs among 2 to 50+ runs, with the best
//! value marked where better and worse are known.
//!
//! Pure.

use crate::archive::model::{flatten, Archive, Status};
use crate::archive::value::{Map, Node};

use super::run::{higher_is_better, same_value, step_key};

/// One row: a field and its value in each run.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Section (`summary`, `train/sft params`, ...).
    pub section: String,
    /// The group the row is shown under: the step (`train/sft`) for a step's fields, else
    /// the section (`summary`, `dependencies`, `resources`).
    pub group: String,
    /// The part of the step (`params`, `training`, `eval`, `status`); empty outside steps.
    pub part: String,
    /// Field path inside the section.
    pub field: String,
    /// The value in each run (None where the run lacks it).
    pub values: Vec<Option<Node>>,
    /// Every run holding the best value for this row (all of them on a tie), when better
    /// and worse are known. A run that failed (or whose step failed) never counts: stopping
    /// early is not a lower loss or a shorter time.
    pub best: Vec<usize>,
    /// The runs do not all agree on this field.
    pub differs: bool,
    /// The values differ only by each run's own run id inside them (workdirs, checkpoints).
    pub run_id_only: bool,
}

/// The table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// Run ids, the columns.
    pub runs: Vec<String>,
    /// Every field of any run, grouped by section and step; [`Row::differs`] tells the
    /// ones that differ.
    pub rows: Vec<Row>,
}

impl Table {
    /// How many fields differ.
    pub fn differing(&self) -> usize {
        self.rows.iter().filter(|r| r.differs).count()
    }
}

/// Which rows the table shows: the two-run view's switches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowFilter {
    /// Only fields that differ.
    pub differences_only: bool,
    /// Hide fields whose values differ only by the run id.
    pub hide_run_id_only: bool,
}

impl Default for RowFilter {
    fn default() -> Self {
        RowFilter {
            differences_only: true,
            hide_run_id_only: true,
        }
    }
}

impl RowFilter {
    /// Whether `row` is shown.
    pub fn shows(self, row: &Row) -> bool {
        (row.differs || !self.differences_only) && !(self.hide_run_id_only && row.run_id_only)
    }
}

/// One field of one run: where it sits, its value, and whether its run (or step) failed.
struct Field {
    section: String,
    group: String,
    part: String,
    path: String,
    node: Node,
    failed: bool,
}

fn push_map(out: &mut Vec<Field>, (group, part): (&str, &str), map: &Map, failed: bool) {
    let mut flat = Vec::new();
    flatten(map, "", &mut flat);
    let section = if part.is_empty() {
        group.to_string()
    } else {
        format!("{group} {part}")
    };
    for (path, node) in flat {
        out.push(Field {
            section: section.clone(),
            group: group.to_string(),
            part: part.to_string(),
            path,
            node,
            failed,
        });
    }
}

/// The fields of one run, in order: summary, dependencies, key params and figures of each
/// step (by name and stage), resources.
fn fields(a: &Archive) -> Vec<Field> {
    let run_failed = a.status() == Status::Failed;
    let mut out = Vec::new();
    push_map(&mut out, ("summary", ""), &a.summary.fields, run_failed);
    for row in &a.dependencies.rows {
        if let (Some(n), Some(v)) = (
            a.dependencies.cell(row, "name", 0),
            a.dependencies.cell(row, "version", 1),
        ) {
            out.push(Field {
                section: "dependencies".into(),
                group: "dependencies".into(),
                part: String::new(),
                path: n.text.clone(),
                node: Node {
                    line: row.line,
                    end_line: row.line,
                    text: v.text.clone(),
                    value: v.value.clone(),
                },
                failed: run_failed,
            });
        }
    }
    let mut seen = Vec::new();
    for s in &a.steps.steps {
        let (name, stage) = step_key(s);
        let label = if stage.is_empty() || stage == "none" {
            name.clone()
        } else {
            format!("{name}/{stage}")
        };
        if seen.contains(&label) {
            continue;
        }
        seen.push(label.clone());
        let failed = run_failed || s.status() == Status::Failed;
        if let Some(st) = s.get("status") {
            out.push(Field {
                section: label.clone(),
                group: label.clone(),
                part: "status".into(),
                path: "status".into(),
                node: st.clone(),
                failed,
            });
        }
        for key in ["params", "training", "metrics"] {
            if let Some(m) = s.map(key) {
                push_map(&mut out, (&label, key), m, failed);
            }
        }
        if let Some(r) = s
            .map("eval")
            .and_then(|e| e.get("results"))
            .and_then(Node::as_map)
        {
            push_map(&mut out, (&label, "eval"), r, failed);
        }
    }
    push_map(&mut out, ("resources", ""), &a.resources.fields, run_failed);
    out
}

fn judged(section: &str, field: &str) -> Option<bool> {
    let sec = if section == "resources" {
        "resources"
    } else if section.ends_with(" training") {
        "training"
    } else if section.ends_with(" metrics") {
        "metrics"
    } else if section.ends_with(" eval") {
        "eval"
    } else {
        return None;
    };
    let path: Vec<String> = if sec == "eval" {
        vec!["results".into(), field.into()]
    } else {
        field.split('.').map(str::to_string).collect()
    };
    higher_is_better(sec, &path)
}

/// Every run holding the best value (ties included), among the runs not `failed`; none
/// when fewer than two runs have a number.
pub fn best_runs(values: &[Option<f64>], failed: &[bool], higher: bool) -> Vec<usize> {
    if values.iter().flatten().count() < 2 {
        return Vec::new();
    }
    let eligible: Vec<(usize, f64)> = values
        .iter()
        .enumerate()
        .filter(|(i, _)| !failed.get(*i).copied().unwrap_or(false))
        .filter_map(|(i, v)| v.filter(|x| x.is_finite()).map(|x| (i, x)))
        .collect();
    let pick = |acc: f64, x: f64| if higher { acc.max(x) } else { acc.min(x) };
    let Some(top) = eligible.iter().map(|(_, x)| *x).reduce(pick) else {
        return Vec::new();
    };
    eligible
        .iter()
        .filter(|(_, x)| *x == top)
        .map(|(i, _)| *i)
        .collect()
}

/// Whether the present values differ only by each run's own id inside them.
fn differs_by_run_id_only(values: &[Option<Node>], run_ids: &[&str]) -> bool {
    let mut saw_id = false;
    let mut norm: Option<String> = None;
    for (v, id) in values.iter().zip(run_ids) {
        let Some(v) = v else { return false };
        let text = super::value::show(&Some(v.clone()));
        if text == *id {
            return false;
        }
        let n = if id.is_empty() {
            text
        } else {
            saw_id |= text.contains(id);
            text.replace(id, "\u{0}")
        };
        match &norm {
            None => norm = Some(n),
            Some(m) if *m != n => return false,
            _ => {}
        }
    }
    saw_id
}

/// Builds the table of every field of `runs`, marking those that differ.
pub fn compare(runs: &[&Archive]) -> Table {
    let per_run: Vec<Vec<Field>> = runs.iter().map(|a| fields(a)).collect();
    let run_ids: Vec<&str> = runs.iter().map(|a| a.run_id().unwrap_or("")).collect();
    // Rows keep the order fields are first seen, grouped: a field only a later run has
    // joins its section (and its step), not the end of the table.
    let mut keys: Vec<(usize, usize, String, String)> = Vec::new();
    let mut index: std::collections::HashMap<(String, String), usize> =
        std::collections::HashMap::new();
    let mut groups: Vec<String> = Vec::new();
    let mut sections: Vec<String> = Vec::new();
    let rank = |list: &mut Vec<String>, x: &str| {
        list.iter().position(|g| g == x).unwrap_or_else(|| {
            list.push(x.to_string());
            list.len() - 1
        })
    };
    let mut meta: Vec<(String, String)> = Vec::new();
    for f in per_run.iter().flatten() {
        let k = (f.section.clone(), f.path.clone());
        if !index.contains_key(&k) {
            let g = rank(&mut groups, &f.group);
            let s = rank(&mut sections, &f.section);
            index.insert(k.clone(), keys.len());
            keys.push((g, s, k.0, k.1));
            meta.push((f.group.clone(), f.part.clone()));
        }
    }
    let mut grid: Vec<Vec<Option<Node>>> = vec![vec![None; runs.len()]; keys.len()];
    let mut failed: Vec<Vec<bool>> = vec![vec![false; runs.len()]; keys.len()];
    for (r, f) in per_run.into_iter().enumerate() {
        for x in f {
            if let Some(&i) = index.get(&(x.section, x.path)) {
                if let Some(cell @ None) = grid.get_mut(i).and_then(|row| row.get_mut(r)) {
                    *cell = Some(x.node);
                    if let Some(fl) = failed.get_mut(i).and_then(|row| row.get_mut(r)) {
                        *fl = x.failed;
                    }
                }
            }
        }
    }
    let mut rows = Vec::new();
    for ((((g, s, section, field), values), failed), (group, part)) in
        keys.into_iter().zip(grid).zip(failed).zip(meta)
    {
        let first = values.first().cloned().flatten();
        let differs = !values.iter().all(|v| match (v, &first) {
            (Some(x), Some(y)) => same_value(x, y),
            (None, None) => true,
            _ => false,
        });
        let best = match judged(&section, &field) {
            Some(higher) if differs => {
                let nums: Vec<Option<f64>> = values
                    .iter()
                    .map(|v| v.as_ref().and_then(Node::as_f64))
                    .collect();
                best_runs(&nums, &failed, higher)
            }
            _ => Vec::new(),
        };
        let run_id_only = differs && differs_by_run_id_only(&values, &run_ids);
        rows.push((
            (g, s),
            Row {
                section,
                group,
                part,
                field,
                values,
                best,
                differs,
                run_id_only,
            },
        ));
    }
    rows.sort_by_key(|(k, _)| *k);
    Table {
        runs: runs
            .iter()
            .map(|a| a.run_id().unwrap_or("?").to_string())
            .collect(),
        rows: rows.into_iter().map(|(_, r)| r).collect(),
    }
}

/// How the table's rows are ordered: by field (the archives' order), or by one run's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowSort {
    /// The archives' own order.
    Field,
    /// By the value in run `.0`, descending when `.1`.
    Run(usize, bool),
}

impl RowSort {
    /// The next order after a click on run `c`'s header: ascending, descending, then back
    /// to the archives' order.
    pub fn clicked(self, c: usize) -> RowSort {
        match self {
            RowSort::Run(x, false) if x == c => RowSort::Run(c, true),
            RowSort::Run(x, true) if x == c => RowSort::Field,
            _ => RowSort::Run(c, false),
        }
    }

    /// The header's arrow and `aria-sort` value for run `c`.
    pub fn marks(self, c: usize) -> (&'static str, &'static str) {
        match self {
            RowSort::Run(x, false) if x == c => (" ▲", "ascending"),
            RowSort::Run(x, true) if x == c => (" ▼", "descending"),
            _ => ("", "none"),
        }
    }
}

/// The rows of `table` in the order `sort` asks for (indexes into `table.rows`); values
/// that are not numbers keep their place after the numbers.
pub fn row_order(table: &Table, sort: RowSort) -> Vec<usize> {
    let mut order: Vec<usize> = (0..table.rows.len()).collect();
    if let RowSort::Run(c, desc) = sort {
        let v = |i: usize| {
            table
                .rows
                .get(i)
                .and_then(|r| r.values.get(c))
                .and_then(|n| n.as_ref())
                .and_then(|n| n.as_f64())
        };
        order.sort_by(|&x, &y| {
            let o = v(x).partial_cmp(&v(y)).unwrap_or(std::cmp::Ordering::Equal);
            if desc {
                o.reverse()
            } else {
                o
            }
        });
    }
    order
}

/// The rows shown, in order: [`row_order`], then only those `filter` lets through.
pub fn shown_rows(table: &Table, sort: RowSort, filter: RowFilter) -> Vec<usize> {
    row_order(table, sort)
        .into_iter()
        .filter(|&i| table.rows.get(i).is_some_and(|r| filter.shows(r)))
        .collect()
}

/// Each run's train steps (index, stage), and every stage once in first-seen order: the
/// rows of the loss-at-step table.
pub fn train_steps(runs: &[&Archive]) -> (Vec<Vec<(usize, String)>>, Vec<String>) {
    let per_run: Vec<Vec<(usize, String)>> = runs
        .iter()
        .map(|a| {
            a.steps
                .steps
                .iter()
                .enumerate()
                .filter(|(_, s)| s.training().is_some())
                .map(|(i, s)| (i, s.stage().unwrap_or("").to_string()))
                .collect()
        })
        .collect();
    let mut stages: Vec<String> = Vec::new();
    for (_, s) in per_run.iter().flatten() {
        if !stages.contains(s) {
            stages.push(s.clone());
        }
    }
    (per_run, stages)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::parse;

    #[test]
    fn only_differing_fields_with_the_best_marked() {
        let mk = |lr: &str, loss: &str| {
            parse(&format!("## Summary\n- run_id: r{loss}\n- host: h\n## Steps\n- step_id: 1\n  name: train\n  stage: sft\n  params:\n    lr: {lr}\n    seed: 1\n  training:\n    final_loss: {loss}\n")).archive
        };
        let (a, b, c) = (mk("1e-5", "1.5"), mk("2e-5", "1.2"), mk("1e-5", "1.9"));
        let t = compare(&[&a, &b, &c]);
        let fields: Vec<String> = t
            .rows
            .iter()
            .filter(|r| r.differs)
            .map(|r| format!("{} {}", r.section, r.field))
            .collect();
        assert_eq!(
            fields,
            vec![
                "summary run_id",
                "train/sft params lr",
                "train/sft training final_loss"
            ]
        );
        let row = |f: &str| t.rows.iter().find(|r| r.field == f).expect("row");
        assert_eq!(row("final_loss").best, vec![1], "lowest loss");
        assert!(
            row("lr").best.is_empty(),
            "a learning rate is neither better nor worse"
        );
        assert!(
            !row("seed").differs,
            "the same seed everywhere is kept, marked same"
        );
    }

    #[test]
    fn rows_sort_by_a_run_and_back_to_file_order() {
        let a = parse(include_str!(
            "../../static/samples/20251103-0853-a1f3/archive.md"
        ));
        let b = parse(include_str!(
            "../../static/samples/20251110-1420-b7c2/archive.md"
        ));
        let t = compare(&[&a.archive, &b.archive]);
        let asc = row_order(&t, RowSort::Field.clicked(1));
        let nums: Vec<f64> = asc
            .iter()
            .filter_map(|&i| t.rows[i].values[1].as_ref().and_then(|n| n.as_f64()))
            .collect();
        assert!(nums.len() > 2 && nums.windows(2).all(|w| w[0] <= w[1]));
        let sort = RowSort::Field.clicked(1).clicked(1);
        assert_eq!(sort, RowSort::Run(1, true));
        assert_eq!(sort.marks(1), (" ▼", "descending"));
        assert_eq!(sort.clicked(1), RowSort::Field);
        assert_eq!(
            row_order(&t, RowSort::Field),
            (0..t.rows.len()).collect::<Vec<_>>()
        );
        let (per_run, stages) = train_steps(&[&a.archive, &b.archive]);
        assert_eq!(stages, ["cpt", "sft"]);
        assert_eq!(per_run.len(), 2);
    }

    /// Issue 13: a tie gives every tied run the star, and a failed run never wins for having
    /// stopped early (a lower loss, a shorter duration).
    #[test]
    fn ties_all_get_the_star_and_a_failed_run_never_wins() {
        let mk = |id: &str, status: &str, loss: &str, dur: &str| {
            parse(&format!("## Summary\n- run_id: {id}\n- status: {status}\n## Steps\n- step_id: 1\n  name: train\n  stage: sft\n  status: {status}\n  training:\n    final_loss: {loss}\n    duration_sec: {dur}\n")).archive
        };
        let a = mk("a", "success", "1.2", "100");
        let b = mk("b", "success", "1.20", "120");
        let c = mk("c", "failed", "0.9", "10");
        let t = compare(&[&a, &b, &c]);
        let row = |f: &str| t.rows.iter().find(|r| r.field == f).expect("row");
        assert_eq!(
            row("final_loss").best,
            vec![0, 1],
            "tied best, failed run skipped"
        );
        assert_eq!(
            row("duration_sec").best,
            vec![0],
            "the failed run's short time does not win"
        );
        assert_eq!(
            best_runs(&[Some(1.0), None], &[false, false], true),
            Vec::<usize>::new()
        );
        assert_eq!(
            best_runs(&[Some(1.0), Some(2.0)], &[false, true], true),
            vec![0]
        );
    }

    /// Issue 13: the table groups rows by step, and its filters are the two-run view's.
    #[test]
    fn rows_are_grouped_and_filtered_like_the_two_run_view() {
        let mk = |id: &str, extra: &str| {
            parse(&format!("## Summary\n- run_id: {id}\n## Steps\n- step_id: 1\n  name: train\n  stage: sft\n  params:\n    lr: 1\n    save: /x/{id}/ckpt\n  training:\n    final_loss: 1\n{extra}- step_id: 2\n  name: eval\n  stage: none\n  params:\n    n: 1\n")).archive
        };
        let a = mk("r1", "");
        let b = mk("r2", "    steps: 5\n");
        let t = compare(&[&a, &b]);
        let groups: Vec<&str> = t.rows.iter().map(|r| r.group.as_str()).collect();
        let mut seen: Vec<&str> = Vec::new();
        for g in &groups {
            if seen.last() != Some(g) {
                assert!(!seen.contains(g), "group {g} split: {groups:?}");
                seen.push(g);
            }
        }
        let steps = t
            .rows
            .iter()
            .position(|r| r.field == "steps")
            .expect("steps row");
        let eval = t
            .rows
            .iter()
            .position(|r| r.group == "eval")
            .expect("eval row");
        assert!(
            steps < eval,
            "a field only the second run has stays in its step"
        );
        assert_eq!(t.rows[steps].part, "training");
        let save = t.rows.iter().find(|r| r.field == "save").expect("save");
        assert!(save.differs && save.run_id_only);
        let shown = |f: RowFilter| -> Vec<String> {
            shown_rows(&t, RowSort::Field, f)
                .into_iter()
                .map(|i| t.rows[i].field.clone())
                .collect()
        };
        let default = shown(RowFilter::default());
        assert!(default.contains(&"steps".to_string()));
        assert!(!default.contains(&"save".to_string()) && !default.contains(&"lr".to_string()));
        let all = shown(RowFilter {
            differences_only: false,
            hide_run_id_only: false,
        });
        assert_eq!(all.len(), t.rows.len());
        assert!(all.contains(&"lr".to_string()) && all.contains(&"save".to_string()));
        assert_eq!(t.differing(), t.rows.iter().filter(|r| r.differs).count());
    }
}
