//! The reducer: how each [`Action`] changes the [`AppState`]. Pure and tested natively.

use std::collections::HashMap;
use std::rc::Rc;

use super::action::Action;
use super::model::{AppState, CurveLoad, Load, RunSlot, ShardsLoad};
use super::select::{slot_for, visible_runs};
use crate::runs::{join_url, LoadError, Run, Source};
use crate::share::route::{Route, Target};

/// Applies `action` to the state. Opening another run drops the previous run's chart
/// settings (they name a step of that run).
pub fn apply(s: &mut AppState, action: Action) {
    let before = s.open.clone();
    let navigated = matches!(action, Action::Navigate(_));
    reduce(s, action);
    if !navigated && before.is_some() && s.open != before {
        s.chart = None;
    }
}

fn reduce(s: &mut AppState, action: Action) {
    match action {
        Action::Manifest { base, manifest } => merge_manifest(s, &base, manifest),
        Action::Shards(n) => {
            s.shards = ShardsLoad {
                total: n,
                ..ShardsLoad::default()
            };
        }
        Action::ShardsRead(read) => {
            for (base, manifest) in read {
                s.shards.read += 1;
                s.shards.runs += manifest.runs.len();
                merge_manifest(s, &base, manifest);
            }
        }
        Action::ShardFailed(e) => {
            if !s.shards.failed.contains(&e) {
                s.shards.failed.push(e.clone());
            }
            if !s.errors.contains(&e) {
                s.errors.push(e);
            }
        }
        Action::Started => s.busy += 1,
        Action::Finished => {
            s.busy = s.busy.saturating_sub(1);
            if s.busy == 0 {
                unmatched_want(s);
            }
        }
        Action::Loaded { run, open } => {
            let key = run.key.clone();
            let files = s
                .runs
                .iter()
                .find(|x| x.key == key || (x.url.is_some() && x.url == run_url(&run)))
                .map(|x| x.files.clone());
            // A run opened from a link before the manifest arrived gets the manifest's files.
            let run = match &files {
                Some(f)
                    if !f.is_empty()
                        && run.companions.is_empty()
                        && matches!(run.source, Source::Hosted(_)) =>
                {
                    Rc::new(run.with_hosted_files(f))
                }
                _ => run,
            };
            // A replaced run's curves are stale: drop them (and their memory). The same run
            // loaded again (one archive, the same files: a link's run list and a manifest
            // naming it both) keeps them: their keys name the same bytes.
            let again = s
                .runs
                .iter()
                .find(|x| x.key == key)
                .and_then(RunSlot::run)
                .is_some_and(|old| old.text == run.text && old.companions == run.companions);
            if !again {
                let prefix = format!("{key}::");
                s.curves.retain(|k, _| !k.starts_with(&prefix));
            }
            let run_ref = run.clone();
            let mut slot = RunSlot::from_run(run);
            slot.files = files.unwrap_or_default();
            // What the manifest carries beyond the archive (the loss sparkline, read from the
            // curve when the manifest was written) stays with the run once it is loaded.
            if let Some(listed) = s.runs.iter().find(|x| x.key == key) {
                if slot.meta.sparkline.is_empty() && !listed.meta.sparkline.is_empty() {
                    Rc::make_mut(&mut slot.meta).sparkline = listed.meta.sparkline.clone();
                }
            }
            s.upsert(slot);
            let wanted = s.want.as_deref().is_some_and(|w| {
                w == key
                    || Some(w) == run_url(&run_ref).as_deref()
                    || Some(w) == run_ref.parsed.archive.run_id()
            });
            // A run the manifest lists, loaded before the one a link names, does not open in
            // its place (it would also drop the link's chart settings).
            if open || wanted || (s.open.is_none() && s.want.is_none()) {
                s.open = Some(key.clone());
                if wanted {
                    s.want = None;
                }
            }
        }
        Action::Fetching(key) => {
            if let Some(x) = Rc::make_mut(&mut s.runs).iter_mut().find(|x| x.key == key) {
                x.load = Load::Loading;
            }
        }
        Action::SlotFailed { key, error } => {
            if let Some(x) = Rc::make_mut(&mut s.runs).iter_mut().find(|x| x.key == key) {
                x.load = Load::Failed(error.clone());
            }
            if !s.errors.contains(&error) {
                s.errors.push(error);
            }
        }
        Action::Error(e) => {
            // The same failure again (a retried link) is one message, not two.
            if !s.errors.contains(&e) {
                s.errors.push(e);
            }
        }
        Action::Dismiss(i) => {
            if i < s.errors.len() {
                s.errors.remove(i);
            }
        }
        Action::Open(key) => {
            if s.runs.iter().any(|x| x.key == key) {
                s.open = Some(key);
                s.compare.clear();
                s.workspace.clear();
            }
        }
        Action::Close(key) => close(s, &key),
        Action::ShowIndex(v) => {
            s.index_view = v;
            if v {
                s.compare.clear();
                s.workspace.clear();
            } else {
                // Leaving the table: its filters do not follow the user into a run.
                s.table = Default::default();
            }
        }
        Action::OpenEntry(entry) => {
            if let Some(key) = slot_for(s, &entry).map(|x| x.key.clone()) {
                s.open = Some(key);
                s.compare.clear();
                s.workspace.clear();
            }
        }
        Action::Select(key) => match s.selected.iter().position(|k| *k == key) {
            Some(i) => {
                s.selected.remove(i);
            }
            None => s.selected.push(key),
        },
        Action::SelectOnly(keys) => s.selected = keys,
        Action::Compare(keys) => {
            s.compare = keys;
            s.workspace.clear();
        }
        Action::Workspace(keys) => {
            if !keys.is_empty() {
                s.index_view = false;
                s.compare.clear();
                if keys != s.workspace {
                    // Another set of runs: the zoom and range meant the old curves, the
                    // hidden runs and the one shown alone positions in the old list.
                    s.workspace_view.zoom = None;
                    s.workspace_view.range = None;
                    s.workspace_view.panel_zooms.clear();
                    s.workspace_view.hidden.clear();
                    s.workspace_view.solo = None;
                }
            }
            s.workspace = keys;
        }
        Action::WorkspaceView(v) => s.workspace_view = v,
        Action::Step(delta) => {
            let order: Vec<String> = visible_runs(s)
                .into_iter()
                .flat_map(|(_, runs)| runs.into_iter().map(|r| r.key.clone()))
                .collect();
            if !order.is_empty() {
                let cur = s
                    .open
                    .as_ref()
                    .and_then(|k| order.iter().position(|x| x == k));
                let next = match cur {
                    Some(i) => (i as i64 + delta as i64).clamp(0, order.len() as i64 - 1) as usize,
                    None => 0,
                };
                s.open = order.get(next).cloned();
            }
        }
        Action::Want(key) => s.want = Some(key),
        Action::Theme(t) => s.theme = t,
        Action::Dragging(d) => s.dragging = d,
        Action::Filter(f) => s.filter = f,
        Action::Paste(o) => s.paste_open = o,
        Action::Help(o) => s.help_open = o,
        Action::CurveProgress { key, read, total } => {
            s.curves.insert(key, CurveLoad::Loading { read, total });
        }
        Action::CurvePart {
            key,
            read,
            total,
            curves,
        } => {
            s.curves
                .insert(key.clone(), CurveLoad::Loading { read, total });
            s.curve_parts.insert(key, curves);
        }
        Action::CurveReady { key, curves } => {
            s.curve_parts.remove(&key);
            s.curves.insert(key, CurveLoad::Ready(curves));
        }
        Action::CurveFailed { key, error } => {
            s.curve_parts.remove(&key);
            s.curves.insert(key, CurveLoad::Failed(error));
        }
        Action::Attach { run_key, file } => {
            if let Some(slot) = Rc::make_mut(&mut s.runs)
                .iter_mut()
                .find(|x| x.key == run_key)
            {
                if let Load::Ready(run) = &slot.load {
                    slot.load = Load::Ready(Rc::new(run.with_companion(file)));
                }
            }
            let prefix = format!("{run_key}::");
            s.curves
                .retain(|k, v| !(k.starts_with(&prefix) && matches!(v, CurveLoad::Failed(_))));
        }
        Action::Navigate(route) => navigate(s, *route),
        Action::Chart(c) => s.chart = Some(c),
        Action::Table(t) => s.table = *t,
        Action::Fragment(f) => s.fragment = f,
    }
}

/// Shows what an address names: runs already listed open at once, others when they arrive.
fn navigate(s: &mut AppState, route: Route) {
    s.index_view = route.target == Target::Index;
    if !matches!(route.target, Target::Workspace(_)) {
        s.workspace.clear();
    }
    match route.target {
        Target::Index | Target::Home => s.compare.clear(),
        Target::Compare(list) => s.compare = list,
        Target::Workspace(list) => {
            s.compare.clear();
            s.workspace = list;
        }
        Target::Run(entry) | Target::Open(entry) => {
            s.compare.clear();
            match slot_for(s, &entry).map(|x| x.key.clone()) {
                Some(key) => s.open = Some(key),
                None => s.want = Some(entry),
            }
        }
    }
    s.manifest = route.manifest;
    s.chart = route.chart;
    s.table = route.table;
    s.workspace_view = route.workspace;
    s.fragment = route.fragment;
    s.extra_params = route.extra;
}

impl AppState {
    pub(crate) fn upsert(&mut self, slot: RunSlot) {
        match Rc::make_mut(&mut self.runs)
            .iter_mut()
            .find(|s| s.key == slot.key)
        {
            Some(existing) => {
                let files = std::mem::take(&mut existing.files);
                *existing = slot;
                if existing.files.is_empty() {
                    existing.files = files;
                }
            }
            None => Rc::make_mut(&mut self.runs).push(slot),
        }
    }
}

fn run_url(run: &Run) -> Option<String> {
    match &run.source {
        Source::Hosted(u) => Some(u.clone()),
        _ => None,
    }
}

/// Lists the runs of the manifest read from `base` (relative URLs joined to it); a run
/// already listed (opened from a link first) gets the manifest's files.
fn merge_manifest(s: &mut AppState, base: &str, manifest: crate::runs::Manifest) {
    let first = s.runs.len();
    let runs = Rc::make_mut(&mut s.runs);
    // Key -> position, so a 10,000-run manifest is merged in linear time.
    let mut at: HashMap<String, usize> = runs
        .iter()
        .enumerate()
        .map(|(i, r)| (r.key.clone(), i))
        .collect();
    for r in manifest.runs {
        let url = join_url(base, &r.archive);
        // A listed run is its archive URL: two entries with the same run id are two runs.
        let key = url.clone();
        let files: Vec<String> = r.files.iter().map(|f| join_url(base, f)).collect();
        if let Some(x) = at.get(&key).and_then(|&i| runs.get_mut(i)) {
            // Already opened from a link: give it the files the manifest lists.
            if let Load::Ready(run) = &x.load {
                if run.companions.is_empty() && !files.is_empty() {
                    x.load = Load::Ready(Rc::new(run.with_hosted_files(&files)));
                }
            }
            x.files = files;
            continue;
        }
        at.insert(key.clone(), runs.len());
        runs.push(RunSlot {
            key,
            files,
            url: Some(url),
            load: Load::Listed,
            meta: Rc::new(r),
        });
    }
    // Nothing asked for: open the first listed run, deterministically.
    if s.open.is_none() && s.want.is_none() {
        s.open = s.runs.get(first).map(|r| r.key.clone());
    }
}

/// Whether a link's entry (`run=`, or one of a comparison's or a workspace's runs) names a
/// run by its id or key, not by where its archive is (a URL or a path to a `.md` file, which
/// is fetched).
pub fn names_a_run(entry: &str) -> bool {
    !entry.contains('/') && !entry.ends_with(".md")
}

/// Once nothing is loading: a run a link names by id or key that no listed or loaded run
/// has is said so (instead of the page waiting for it), and the first run opens; so does
/// the first run when the archive a link names could not be read (its load said why).
fn unmatched_want(s: &mut AppState) {
    let Some(w) = s.want.clone() else {
        return;
    };
    if !names_a_run(&w) {
        s.want = None;
        if s.open.is_none() {
            s.open = s.runs.first().map(|r| r.key.clone());
        }
        return;
    }
    if slot_for(s, &w).is_some() {
        return;
    }
    let error = LoadError {
        what: w,
        message: "no listed or loaded run has this run id or key".into(),
    };
    if !s.errors.contains(&error) {
        s.errors.push(error);
    }
    s.want = None;
    if s.open.is_none() {
        s.open = s.runs.first().map(|r| r.key.clone());
    }
}

/// [`Action::Close`].
fn close(s: &mut AppState, key: &str) {
    let Some(at) = s.runs.iter().position(|x| x.key == key) else {
        return;
    };
    let prefix = format!("{key}::");
    s.curves.retain(|k, _| !k.starts_with(&prefix));
    s.curve_parts.retain(|k, _| !k.starts_with(&prefix));
    for list in [&mut s.selected, &mut s.compare, &mut s.workspace] {
        list.retain(|k| k != key);
    }
    let runs = Rc::make_mut(&mut s.runs);
    match runs.get_mut(at) {
        Some(slot) if slot.url.is_some() => slot.load = Load::Listed,
        _ => {
            runs.remove(at);
        }
    }
    if s.open.as_deref() == Some(key) {
        // The run after it in the list, else the one before; a listed one is fetched.
        let next = runs
            .iter()
            .skip(at)
            .chain(runs.iter().take(at).rev())
            .find(|x| x.key != key);
        s.open = next.map(|x| x.key.clone());
    }
}
