//! The runs table's rules: its columns, which runs pass its filters, and their order. Pure,
//! so the table's behaviour is tested natively and a link's filters (`Route::table`) mean
//! the same everywhere.

use crate::archive::Status;
use crate::query::{FieldTable, Query, QueryError};
use crate::runs::RunFilter;
use crate::share::route::TableQuery;
use crate::state::RunSlot;

/// A column of the runs table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Col {
    /// `summary.experiment`.
    Experiment,
    /// The run id (or the archive's folder).
    Run,
    /// `summary.status`.
    Status,
    /// `summary.started_at`.
    Start,
    /// `summary.duration_sec`.
    Duration,
    /// `summary.gpus`.
    Gpus,
    /// Final loss of the train step of one stage (`cpt`, `sft`).
    Loss(String),
    /// Eval scores.
    Eval,
    /// Template completeness.
    Complete,
}

impl Col {
    /// The header label.
    pub fn label(&self) -> String {
        match self {
            Col::Experiment => "experiment".into(),
            Col::Run => "run id".into(),
            Col::Status => "status".into(),
            Col::Start => "started".into(),
            Col::Duration => "duration".into(),
            Col::Gpus => "GPUs".into(),
            Col::Loss(stage) => format!("{} loss", stage.to_uppercase()),
            Col::Eval => "eval".into(),
            Col::Complete => "complete".into(),
        }
    }

    /// The name in a link's `sort=` (`run_id`, `loss_cpt`).
    pub fn name(&self) -> String {
        match self {
            Col::Loss(stage) => format!("loss_{stage}"),
            c => c.label().replace(' ', "_"),
        }
    }
}

/// The train stages the runs report a final loss for, in order (`cpt` before `sft`): one
/// loss column each.
pub fn stages(runs: &[RunSlot]) -> Vec<String> {
    let mut v: Vec<String> = runs
        .iter()
        .flat_map(|r| r.meta.final_losses.keys().cloned())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The columns in order, for runs whose train stages are `stages`.
pub fn columns(stages: &[String]) -> Vec<Col> {
    let mut v = vec![
        Col::Experiment,
        Col::Run,
        Col::Status,
        Col::Start,
        Col::Duration,
        Col::Gpus,
    ];
    v.extend(stages.iter().cloned().map(Col::Loss));
    v.extend([Col::Eval, Col::Complete]);
    v
}

/// A sort: a column, descending or not.
pub type Sort = (Col, bool);

/// The default sort: newest first.
pub fn default_sort() -> Sort {
    (Col::Start, true)
}

/// Reads a link's `sort=` (`run_id:asc`, `loss_sft:desc`); anything unknown is the default.
pub fn parse_sort(s: &str) -> Sort {
    if s.is_empty() {
        return default_sort();
    }
    let (name, dir) = s.split_once(':').unwrap_or((s, "desc"));
    let col = match name.strip_prefix("loss_") {
        Some(stage) if !stage.is_empty() => Some(Col::Loss(stage.to_string())),
        _ => columns(&[]).into_iter().find(|c| c.name() == name),
    };
    col.map_or_else(default_sort, |c| (c, dir != "asc"))
}

/// Writes a sort for a link; the default sort is written as nothing.
pub fn format_sort(sort: &Sort) -> String {
    if *sort == default_sort() {
        return String::new();
    }
    format!("{}:{}", sort.0.name(), if sort.1 { "desc" } else { "asc" })
}

fn mean_eval(r: &RunSlot) -> Option<f64> {
    let v: Vec<f64> = r.meta.eval.values().copied().collect();
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// Every eval metric of a run, as the cell and its copy show them: `mmlu 0.7012 · ...`.
pub fn eval_text(r: &RunSlot) -> String {
    r.meta
        .eval
        .iter()
        .map(|(k, v)| format!("{k} {}", crate::format::value(*v)))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A row as tab-separated text, every column in full (what *Copy row* puts on the
/// clipboard).
pub fn row_tsv(r: &RunSlot, stages: &[String]) -> String {
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut cells = vec![
        o(&r.meta.experiment),
        r.label(),
        o(&r.meta.status),
        o(&r.meta.started_at),
        r.meta
            .duration_sec
            .map(|d| d.to_string())
            .unwrap_or_default(),
        o(&r.meta.gpus),
    ];
    for st in stages {
        cells.push(
            r.meta
                .final_losses
                .get(st)
                .map(|v| v.to_string())
                .unwrap_or_default(),
        );
    }
    cells.push(eval_text(r));
    cells.push(
        r.meta
            .completeness
            .map(|c| format!("{c}%"))
            .unwrap_or_default(),
    );
    cells.join("\t")
}

/// True when a run passes the table's filters (status, experiment, dates).
fn passes(r: &RunSlot, q: &TableQuery) -> bool {
    let day = r.meta.started_at.as_deref().unwrap_or("");
    (q.status.is_empty() || Status::parse(r.meta.status.as_deref()).class() == q.status)
        && (q.experiment.is_empty() || r.meta.experiment.as_deref() == Some(q.experiment.as_str()))
        && (q.from.is_empty() || day >= q.from.as_str())
        && (q.to.is_empty() || day.get(..10).unwrap_or(day) <= q.to.as_str())
}

/// The runs' fields, one row per run in the same order, for the query box.
pub fn field_table(runs: &[RunSlot]) -> FieldTable {
    let mut t = FieldTable::new();
    for r in runs {
        t.push(&r.meta.query_fields());
    }
    t
}

/// Which runs a query keeps (by index into the runs), or why it cannot be read: the
/// message and its position, for the line under the query box.
pub fn query_matches(table: &FieldTable, text: &str) -> Result<Option<Vec<bool>>, QueryError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let q = Query::new(text, table)?;
    let mut keep = vec![false; table.len()];
    for i in q.select(table) {
        if let Some(k) = keep.get_mut(i) {
            *k = true;
        }
    }
    Ok(Some(keep))
}

/// The rows that pass the text box, the filters and (when given) a query's matches,
/// sorted: indexes into `runs`.
pub fn rows(runs: &[RunSlot], text: &str, q: &TableQuery) -> Vec<usize> {
    rows_matching(runs, text, q, None)
}

/// [`rows`] keeping only the runs `keep` marks.
pub fn rows_matching(
    runs: &[RunSlot],
    text: &str,
    q: &TableQuery,
    keep: Option<&[bool]>,
) -> Vec<usize> {
    let text = RunFilter::new(text);
    let mut out: Vec<usize> = runs
        .iter()
        .enumerate()
        .filter(|(i, _)| keep.is_none_or(|k| k.get(*i).copied().unwrap_or(false)))
        .filter(|(_, r)| passes(r, q) && text.matches(&r.meta, &r.label()))
        .map(|(i, _)| i)
        .collect();
    let (col, desc) = parse_sort(&q.sort);
    out.sort_by(|&a, &b| {
        let (Some(x), Some(y)) = (runs.get(a), runs.get(b)) else {
            return std::cmp::Ordering::Equal;
        };
        // Numbers: a run without the value sorts last in either direction.
        if let (Some(p), Some(q)) = (number(&col, x), number(&col, y)) {
            return match (p, q) {
                (Some(p), Some(q)) => {
                    let o = p.partial_cmp(&q).unwrap_or(std::cmp::Ordering::Equal);
                    if desc {
                        o.reverse()
                    } else {
                        o
                    }
                }
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            };
        }
        let o = match &col {
            Col::Experiment => x.meta.experiment.cmp(&y.meta.experiment),
            Col::Run => x.label().cmp(&y.label()),
            Col::Status => x.meta.status.cmp(&y.meta.status),
            Col::Gpus => x.meta.gpus.cmp(&y.meta.gpus),
            _ => x.meta.started_at.cmp(&y.meta.started_at),
        };
        if desc {
            o.reverse()
        } else {
            o
        }
    });
    out
}

/// A numeric column's value for a run (`Some(None)` when the run lacks it); `None` for a
/// text column.
fn number(col: &Col, r: &RunSlot) -> Option<Option<f64>> {
    match col {
        Col::Duration => Some(r.meta.duration_sec),
        Col::Loss(st) => Some(r.meta.final_losses.get(st).copied()),
        Col::Eval => Some(mean_eval(r)),
        Col::Complete => Some(r.meta.completeness),
        _ => None,
    }
}

/// The experiments named by the runs, sorted, once each (the experiment filter's choices).
pub fn experiments(runs: &[RunSlot]) -> Vec<String> {
    let mut v: Vec<String> = runs
        .iter()
        .filter_map(|x| x.meta.experiment.clone())
        .collect();
    v.sort();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runs::parse_manifest;
    use crate::state::{apply, Action, AppState};

    fn runs() -> Vec<RunSlot> {
        let mut s = AppState::default();
        let manifest = parse_manifest(include_str!("../../static/runs.json")).expect("manifest");
        apply(
            &mut s,
            Action::Manifest {
                base: "runs.json".into(),
                manifest,
            },
        );
        s.runs.to_vec()
    }

    fn ids(runs: &[RunSlot], rows: &[usize]) -> Vec<String> {
        rows.iter().map(|&i| runs[i].label()).collect()
    }

    #[test]
    fn newest_first_by_default_and_a_sort_from_a_link() {
        let r = runs();
        let all = rows(&r, "", &TableQuery::default());
        assert_eq!(
            ids(&r, &all),
            [
                "20251112-2201-c9d4",
                "20251110-1420-b7c2",
                "20251103-0853-a1f3"
            ]
        );
        let q = TableQuery {
            sort: "run_id:asc".into(),
            ..TableQuery::default()
        };
        assert_eq!(
            ids(&r, &rows(&r, "", &q)),
            [
                "20251103-0853-a1f3",
                "20251110-1420-b7c2",
                "20251112-2201-c9d4"
            ]
        );
    }

    #[test]
    fn filters_narrow_the_rows() {
        let r = runs();
        let q = TableQuery {
            status: "failed".into(),
            ..TableQuery::default()
        };
        assert_eq!(ids(&r, &rows(&r, "", &q)), ["20251112-2201-c9d4"]);
        let q = TableQuery {
            from: "2025-11-05".into(),
            to: "2025-11-10".into(),
            ..TableQuery::default()
        };
        assert_eq!(ids(&r, &rows(&r, "", &q)), ["20251110-1420-b7c2"]);
        assert_eq!(ids(&r, &rows(&r, "0853", &TableQuery::default())).len(), 1);
        assert!(rows(&r, "no such run", &TableQuery::default()).is_empty());
        assert_eq!(experiments(&r), ["qwen25-7b-med-cpt-sft"]);
    }

    #[test]
    fn a_sort_goes_into_a_link_and_back() {
        for c in columns(&["cpt".into(), "sft".into()]) {
            for desc in [false, true] {
                let sort = (c.clone(), desc);
                assert_eq!(parse_sort(&format_sort(&sort)), sort);
            }
        }
        assert_eq!(format_sort(&default_sort()), "");
        assert_eq!(parse_sort("bogus:asc"), default_sort());
    }

    #[test]
    fn one_loss_column_per_stage_each_sortable() {
        let r = runs();
        assert_eq!(stages(&r), ["cpt", "sft"]);
        let labels: Vec<String> = columns(&stages(&r)).iter().map(Col::label).collect();
        assert!(
            labels.contains(&"CPT loss".to_string()) && labels.contains(&"SFT loss".to_string())
        );
        // By CPT loss ascending: the samples' cpt losses, read from the manifest, in order.
        let q = TableQuery {
            sort: "loss_cpt:asc".into(),
            ..TableQuery::default()
        };
        let order = rows(&r, "", &q);
        let cpt: Vec<f64> = order
            .iter()
            .filter_map(|&i| r[i].meta.final_losses.get("cpt").copied())
            .collect();
        assert_eq!(cpt.len(), 3);
        assert!(cpt.windows(2).all(|w| w[0] <= w[1]), "{cpt:?}");
        // By SFT loss: the run without an SFT step sorts last either way.
        for dir in ["asc", "desc"] {
            let q = TableQuery {
                sort: format!("loss_sft:{dir}"),
                ..TableQuery::default()
            };
            let order = rows(&r, "", &q);
            assert_eq!(order.len(), 3);
            let last = order.last().map(|&i| &r[i]).expect("rows");
            assert!(!last.meta.final_losses.contains_key("sft"), "{dir}");
        }
    }

    #[test]
    fn the_eval_cell_and_the_copied_row_carry_every_metric() {
        let r = runs();
        let full = r
            .iter()
            .find(|x| x.meta.eval.len() == 5)
            .expect("a run with five eval metrics");
        let text = eval_text(full);
        for k in full.meta.eval.keys() {
            assert!(text.contains(k.as_str()), "{k} in {text}");
        }
        let tsv = row_tsv(full, &stages(&r));
        assert!(tsv.contains(&text));
        assert_eq!(tsv.split('\t').count(), columns(&stages(&r)).len());
    }

    #[test]
    fn a_query_narrows_the_rows_and_a_bad_one_says_where() {
        let r = runs();
        let t = field_table(&r);
        let keep = query_matches(&t, "status = failed")
            .expect("valid")
            .expect("a query");
        let rows = rows_matching(&r, "", &TableQuery::default(), Some(&keep));
        assert_eq!(ids(&r, &rows), ["20251112-2201-c9d4"]);
        let keep = query_matches(&t, "train.sft.final_loss < 0.9")
            .expect("valid")
            .expect("a query");
        let rows = rows_matching(&r, "", &TableQuery::default(), Some(&keep));
        assert_eq!(
            ids(&r, &rows),
            ["20251110-1420-b7c2"],
            "0.87729 < 0.9 < 0.90075"
        );
        assert_eq!(query_matches(&t, "  ").expect("empty"), None);
        let e = query_matches(&t, "stauts = failed").expect_err("unknown field");
        assert_eq!(e.start, 0);
        assert!(
            e.message.contains("status"),
            "suggests the nearest: {}",
            e.message
        );
    }
}
