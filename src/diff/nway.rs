//! The N-way comparison: one row per field that differs among 2 to 50+ runs, with the best
//! value marked where better and worse are known.
//!
//! Pure.

use crate::archive::model::{flatten, Archive};
use crate::archive::value::{Map, Node};

use super::run::{higher_is_better, same_value, step_key};

/// One row: a field and its value in each run.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Section (`summary`, `train/sft params`, ...).
    pub section: String,
    /// Field path inside the section.
    pub field: String,
    /// The value in each run (None where the run lacks it).
    pub values: Vec<Option<Node>>,
    /// Index of the best run for this row, when better and worse are known.
    pub best: Option<usize>,
}

/// The table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// Run ids, the columns.
    pub runs: Vec<String>,
    /// Rows that differ.
    pub rows: Vec<Row>,
}

fn push_map(out: &mut Vec<(String, String, Node)>, section: &str, map: &Map) {
    let mut flat = Vec::new();
    flatten(map, "", &mut flat);
    for (path, node) in flat {
        out.push((section.to_string(), path, node));
    }
}

/// The fields of one run, in order: summary, dependencies, key params and figures of each
/// step (by name and stage), resources.
fn fields(a: &Archive) -> Vec<(String, String, Node)> {
    let mut out = Vec::new();
    push_map(&mut out, "summary", &a.summary.fields);
    for row in &a.dependencies.rows {
        if let (Some(n), Some(v)) = (
            a.dependencies.cell(row, "name", 0),
            a.dependencies.cell(row, "version", 1),
        ) {
            out.push((
                "dependencies".into(),
                n.text.clone(),
                Node {
                    line: row.line,
                    end_line: row.line,
                    text: v.text.clone(),
                    value: v.value.clone(),
                },
            ));
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
        if let Some(st) = s.get("status") {
            out.push((label.clone(), "status".into(), st.clone()));
        }
        for key in ["params", "training", "metrics"] {
            if let Some(m) = s.map(key) {
                push_map(&mut out, &format!("{label} {key}"), m);
            }
        }
        if let Some(r) = s
            .map("eval")
            .and_then(|e| e.get("results"))
            .and_then(Node::as_map)
        {
            push_map(&mut out, &format!("{label} eval"), r);
        }
    }
    push_map(&mut out, "resources", &a.resources.fields);
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

/// Builds the table of what differs among `runs`.
pub fn compare(runs: &[&Archive]) -> Table {
    let per_run: Vec<Vec<(String, String, Node)>> = runs.iter().map(|a| fields(a)).collect();
    let mut keys: Vec<(String, String)> = Vec::new();
    let mut index: std::collections::HashMap<(String, String), usize> =
        std::collections::HashMap::new();
    for f in &per_run {
        for (s, p, _) in f {
            let k = (s.clone(), p.clone());
            if !index.contains_key(&k) {
                index.insert(k.clone(), keys.len());
                keys.push(k);
            }
        }
    }
    let mut grid: Vec<Vec<Option<Node>>> = vec![vec![None; runs.len()]; keys.len()];
    for (r, f) in per_run.into_iter().enumerate() {
        for (s, p, n) in f {
            if let Some(&i) = index.get(&(s, p)) {
                if grid[i][r].is_none() {
                    grid[i][r] = Some(n);
                }
            }
        }
    }
    let mut rows = Vec::new();
    for ((section, field), values) in keys.into_iter().zip(grid) {
        let first = values.first().cloned().flatten();
        let all_same = values.iter().all(|v| match (v, &first) {
            (Some(x), Some(y)) => same_value(x, y),
            (None, None) => true,
            _ => false,
        });
        if all_same {
            continue;
        }
        let best = judged(&section, &field).and_then(|higher| {
            let nums: Vec<(usize, f64)> = values
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.as_ref().and_then(Node::as_f64).map(|x| (i, x)))
                .collect();
            if nums.len() < 2 {
                return None;
            }
            let pick = if higher {
                nums.iter()
                    .copied()
                    .fold(None, |b: Option<(usize, f64)>, (i, x)| {
                        if b.is_none_or(|(_, bx)| x > bx) {
                            Some((i, x))
                        } else {
                            b
                        }
                    })
            } else {
                nums.iter()
                    .copied()
                    .fold(None, |b: Option<(usize, f64)>, (i, x)| {
                        if b.is_none_or(|(_, bx)| x < bx) {
                            Some((i, x))
                        } else {
                            b
                        }
                    })
            };
            pick.map(|(i, _)| i)
        });
        rows.push(Row {
            section,
            field,
            values,
            best,
        });
    }
    Table {
        runs: runs
            .iter()
            .map(|a| a.run_id().unwrap_or("?").to_string())
            .collect(),
        rows,
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
        assert_eq!(t.rows[2].best, Some(1), "lowest loss");
        assert_eq!(
            t.rows[1].best, None,
            "a learning rate is neither better nor worse"
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
}
