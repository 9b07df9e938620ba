//! Selectors: what views derive from the state, and the address the state names.

use std::collections::HashMap;

use super::model::{AppState, RunSlot};
use crate::runs::{RunFilter, NO_EXPERIMENT};
use crate::share::route::{Fragment, Route, TableQuery, Target};

/// The open run's slot.
pub fn open_slot(s: &AppState) -> Option<&RunSlot> {
    s.open
        .as_ref()
        .and_then(|k| s.runs.iter().find(|x| &x.key == k))
}

/// The loaded run whose id is `run_id`.
pub fn run_by_id<'a>(s: &'a AppState, run_id: &str) -> Option<&'a RunSlot> {
    s.runs
        .iter()
        .find(|x| x.meta.run_id.as_deref() == Some(run_id) || x.key == run_id)
}

/// Runs matching the filter, grouped by experiment (groups in first-seen order), newest
/// first within a group.
pub fn visible_runs(s: &AppState) -> Vec<(String, Vec<&RunSlot>)> {
    visible_run_indexes(&s.runs, &s.filter)
        .into_iter()
        .map(|(e, ix)| (e, ix.into_iter().filter_map(|i| s.runs.get(i)).collect()))
        .collect()
}

/// [`visible_runs`] as indexes into `runs` (owned, so a view can memoize it).
pub fn visible_run_indexes(runs: &[RunSlot], filter: &str) -> Vec<(String, Vec<usize>)> {
    let filter = RunFilter::new(filter);
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for (i, r) in runs.iter().enumerate() {
        if !filter.matches(&r.meta, &r.label()) {
            continue;
        }
        let exp = r.meta.experiment.as_deref().unwrap_or(NO_EXPERIMENT);
        match at.get(exp) {
            Some(&g) => groups[g].1.push(i),
            None => {
                at.insert(exp.to_string(), groups.len());
                groups.push((exp.to_string(), vec![i]));
            }
        }
    }
    for (_, v) in &mut groups {
        v.sort_by(|&a, &b| runs[b].meta.started_at.cmp(&runs[a].meta.started_at));
    }
    groups
}

/// The slot a link or comparison entry names: a run's identity first, then an archive URL,
/// then a run id (the first run listed with it, when several share it).
pub fn slot_for<'a>(s: &'a AppState, entry: &str) -> Option<&'a RunSlot> {
    s.runs
        .iter()
        .find(|x| x.key == entry)
        .or_else(|| s.runs.iter().find(|x| x.url.as_deref() == Some(entry)))
        .or_else(|| {
            s.runs
                .iter()
                .find(|x| x.meta.run_id.as_deref() == Some(entry))
        })
}

/// Another run with the same run id as `slot`, listed before it (the one it is marked as
/// "same run id as"), or after it when `slot` is the first. Each row of the runs table asks:
/// the run ids held by two or more runs are found once per list of runs (kept while that
/// list lives; a changed list is a new allocation, as `Rc::make_mut` moves the value when
/// a weak pointer to it exists), so a row costs a lookup, not a pass over 100,000 runs.
pub fn same_run_id<'a>(s: &'a AppState, slot: &RunSlot) -> Option<&'a RunSlot> {
    use std::cell::RefCell;
    use std::rc::{Rc, Weak};
    type Twins = (Weak<Vec<RunSlot>>, HashMap<String, Vec<usize>>);
    thread_local! {
        static TWINS: RefCell<Twins> = RefCell::new((Weak::new(), HashMap::new()));
    }
    let id = slot.meta.run_id.as_deref()?;
    let at = TWINS.with(|t| {
        let mut t = t.borrow_mut();
        let fresh = t.0.upgrade().is_some_and(|r| Rc::ptr_eq(&r, &s.runs));
        if !fresh {
            *t = (Rc::downgrade(&s.runs), run_id_twins(&s.runs));
        }
        t.1.get(id).cloned()
    })?;
    at.into_iter()
        .filter_map(|i| s.runs.get(i))
        .find(|x| x.key != slot.key)
}

/// The run ids two or more of `runs` hold, each with their positions in order.
fn run_id_twins(runs: &[RunSlot]) -> HashMap<String, Vec<usize>> {
    let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, r) in runs.iter().enumerate() {
        if let Some(id) = r.meta.run_id.as_deref() {
            by_id.entry(id).or_default().push(i);
        }
    }
    by_id
        .into_iter()
        .filter(|(_, at)| at.len() > 1)
        .map(|(id, at)| (id.to_string(), at))
        .collect()
}

/// The address that names what the state shows, or `None` while nothing is shown yet (a
/// link's run still loading): the address is then left as it is.
pub fn route_of(s: &AppState) -> Option<Route> {
    let target = if s.index_view {
        Target::Index
    } else if !s.workspace.is_empty() {
        Target::Workspace(s.workspace.clone())
    } else if !s.compare.is_empty() {
        Target::Compare(s.compare.clone())
    } else {
        let slot = open_slot(s)?;
        match &slot.url {
            Some(u) => Target::Run(u.clone()),
            None => Target::Open(slot.key.clone()),
        }
    };
    let run_view = matches!(target, Target::Run(_) | Target::Open(_));
    Some(Route {
        manifest: s.manifest.clone(),
        chart: s.chart.clone().filter(|_| run_view),
        table: if target == Target::Index {
            s.table.clone()
        } else {
            TableQuery::default()
        },
        fragment: if run_view {
            s.fragment.clone()
        } else {
            Fragment::None
        },
        workspace: if matches!(target, Target::Workspace(_)) {
            s.workspace_view.clone()
        } else {
            Default::default()
        },
        extra: s.extra_params.clone(),
        target,
    })
}
