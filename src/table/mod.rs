//! The runs table's rules: its columns, which runs pass its filters, and their order. Pure,
//! so the table's behaviour is tested natively and a link's filters (`Route::table`) mean
//! the same everywhere.

use crate::archive::Status;
use crate::runs::RunFilter;
use crate::share::route::TableQuery;
use crate::state::RunSlot;

/// A column of the runs table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    /// Final loss of the train steps.
    Loss,
    /// Eval scores.
    Eval,
    /// Template completeness.
    Complete,
}

/// The columns in order, with their header labels.
pub const COLS: [(Col, &str); 9] = [
    (Col::Experiment, "experiment"),
    (Col::Run, "run id"),
    (Col::Status, "status"),
    (Col::Start, "started"),
    (Col::Duration, "duration"),
    (Col::Gpus, "GPUs"),
    (Col::Loss, "final loss"),
    (Col::Eval, "eval"),
    (Col::Complete, "complete"),
];

/// A sort: a column, descending or not.
pub type Sort = (Col, bool);

/// The default sort: newest first.
pub const DEFAULT_SORT: Sort = (Col::Start, true);

/// Reads a link's `sort=` (`run_id:asc`); anything unknown is the default sort.
pub fn parse_sort(s: &str) -> Sort {
    if s.is_empty() {
        return DEFAULT_SORT;
    }
    let (name, dir) = s.split_once(':').unwrap_or((s, "desc"));
    COLS.iter()
        .find(|(_, l)| l.replace(' ', "_") == name)
        .map_or(DEFAULT_SORT, |(c, _)| (*c, dir != "asc"))
}

/// Writes a sort for a link; the default sort is written as nothing.
pub fn format_sort((col, desc): Sort) -> String {
    if (col, desc) == DEFAULT_SORT {
        return String::new();
    }
    let name = COLS
        .iter()
        .find(|(c, _)| *c == col)
        .map_or("started", |(_, l)| l)
        .replace(' ', "_");
    format!("{name}:{}", if desc { "desc" } else { "asc" })
}

/// The final loss the table shows and sorts by (the last stage's, `sft` after `cpt`).
fn last_stage_loss(r: &RunSlot) -> Option<f64> {
    r.meta.final_losses.values().last().copied()
}

fn mean_eval(r: &RunSlot) -> Option<f64> {
    let v: Vec<f64> = r.meta.eval.values().copied().collect();
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

fn cmp_opt(a: Option<f64>, b: Option<f64>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        _ => std::cmp::Ordering::Equal,
    }
}

/// True when a run passes the table's filters (status, experiment, dates).
fn passes(r: &RunSlot, q: &TableQuery) -> bool {
    let day = r.meta.started_at.as_deref().unwrap_or("");
    (q.status.is_empty() || Status::parse(r.meta.status.as_deref()).class() == q.status)
        && (q.experiment.is_empty() || r.meta.experiment.as_deref() == Some(q.experiment.as_str()))
        && (q.from.is_empty() || day >= q.from.as_str())
        && (q.to.is_empty() || day.get(..10).unwrap_or(day) <= q.to.as_str())
}

/// The rows that pass the text box and the filters, sorted: indexes into `runs`.
pub fn rows(runs: &[RunSlot], text: &str, q: &TableQuery) -> Vec<usize> {
    let text = RunFilter::new(text);
    let mut out: Vec<usize> = runs
        .iter()
        .enumerate()
        .filter(|(_, r)| passes(r, q) && text.matches(&r.meta, &r.label()))
        .map(|(i, _)| i)
        .collect();
    let (col, desc) = parse_sort(&q.sort);
    out.sort_by(|&a, &b| {
        let (Some(x), Some(y)) = (runs.get(a), runs.get(b)) else {
            return std::cmp::Ordering::Equal;
        };
        let o = match col {
            Col::Experiment => x.meta.experiment.cmp(&y.meta.experiment),
            Col::Run => x.label().cmp(&y.label()),
            Col::Status => x.meta.status.cmp(&y.meta.status),
            Col::Start => x.meta.started_at.cmp(&y.meta.started_at),
            Col::Duration => cmp_opt(x.meta.duration_sec, y.meta.duration_sec),
            Col::Gpus => x.meta.gpus.cmp(&y.meta.gpus),
            Col::Loss => cmp_opt(last_stage_loss(x), last_stage_loss(y)),
            Col::Eval => cmp_opt(mean_eval(x), mean_eval(y)),
            Col::Complete => cmp_opt(x.meta.completeness, y.meta.completeness),
        };
        if desc {
            o.reverse()
        } else {
            o
        }
    });
    out
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
        for (c, _) in COLS {
            for desc in [false, true] {
                assert_eq!(parse_sort(&format_sort((c, desc))), (c, desc));
            }
        }
        assert_eq!(format_sort(DEFAULT_SORT), "");
        assert_eq!(parse_sort("bogus:asc"), DEFAULT_SORT);
    }
}
