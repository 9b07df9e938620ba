//! The one store of the app: every run listed or loaded, the open run, load errors, theme.
//!
//! The reducer is pure (no DOM); the browser shell dispatches [`Action`]s from loaders and
//! event handlers. Selectors derive what views need; nothing derivable is stored.

use std::rc::Rc;

use yew::Reducible;

use crate::chart::series_math::{MinMaxIndex, Raw};
use crate::ingest::Curves;
use crate::runs::{join_url, Companion, LoadError, Manifest, ManifestRun, Run, Source};

/// A curve file read and indexed for drawing.
#[derive(Debug)]
pub struct LoadedCurves {
    /// The file name or URL it came from.
    pub name: String,
    /// Every series.
    pub curves: Curves,
    /// Min/max index per series (same order).
    pub indexes: Vec<MinMaxIndex>,
}

impl PartialEq for LoadedCurves {
    /// Loaded files are compared by identity: the same read is the same curves.
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl LoadedCurves {
    /// Indexes every series of `curves`.
    pub fn new(name: String, curves: Curves) -> LoadedCurves {
        let indexes = curves
            .series
            .iter()
            .map(|s| MinMaxIndex::build(&Raw(s)))
            .collect();
        LoadedCurves {
            name,
            curves,
            indexes,
        }
    }
}

/// A curve file's life.
#[derive(Debug, Clone)]
pub enum CurveLoad {
    /// Being read: bytes read of the total (0 when unknown).
    Loading {
        /// Bytes read.
        read: u64,
        /// Total bytes (0 when unknown).
        total: u64,
    },
    /// Read and indexed.
    Ready(Rc<LoadedCurves>),
    /// Could not be read; the message says why and where.
    Failed(String),
}

impl PartialEq for CurveLoad {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (
                CurveLoad::Loading { read: a, total: b },
                CurveLoad::Loading { read: c, total: d },
            ) => a == c && b == d,
            (CurveLoad::Ready(a), CurveLoad::Ready(b)) => Rc::ptr_eq(a, b),
            (CurveLoad::Failed(a), CurveLoad::Failed(b)) => a == b,
            _ => false,
        }
    }
}

/// Where a listed run's archive is in its life.
#[derive(Debug, Clone, PartialEq)]
pub enum Load {
    /// Known from a manifest, not fetched yet.
    Listed,
    /// Being fetched or read.
    Loading,
    /// Parsed and ready.
    Ready(Rc<Run>),
    /// Could not be opened; the message says why.
    Failed(String),
}

/// One run in the runs list.
#[derive(Debug, Clone, PartialEq)]
pub struct RunSlot {
    /// Unique key (the run id when known).
    pub key: String,
    /// Archive URL for hosted runs.
    pub url: Option<String>,
    /// Companion file URLs for hosted runs.
    pub files: Vec<String>,
    /// Load state.
    pub load: Load,
    /// What the runs list and table show (experiment, run id, status, start, duration,
    /// figures): from the manifest, or from the parsed run.
    pub meta: Rc<ManifestRun>,
}

impl RunSlot {
    fn from_run(run: Rc<Run>) -> RunSlot {
        RunSlot {
            key: run.key.clone(),
            url: match &run.source {
                Source::Hosted(u) => Some(u.clone()),
                _ => None,
            },
            files: Vec::new(),
            meta: Rc::new(crate::runs::summarize(&run)),
            load: Load::Ready(run),
        }
    }

    /// The run, when loaded.
    pub fn run(&self) -> Option<&Rc<Run>> {
        match &self.load {
            Load::Ready(r) => Some(r),
            _ => None,
        }
    }

    /// Label: run id, else the archive's file name.
    pub fn label(&self) -> String {
        self.meta
            .run_id
            .clone()
            .or_else(|| {
                self.url
                    .as_ref()
                    .map(|u| u.rsplit('/').nth(1).unwrap_or(u).to_string())
            })
            .unwrap_or_else(|| self.key.clone())
    }
}

/// Light or dark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    /// Light background.
    Light,
    /// Dark background.
    Dark,
}

impl Theme {
    /// The value of `<html data-theme>`.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// The whole app state.
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    /// Runs in the list, in the order they arrived (shared: an action that does not touch
    /// the runs does not copy 10,000 of them).
    pub runs: Rc<Vec<RunSlot>>,
    /// Key of the open run.
    pub open: Option<String>,
    /// Load errors still shown.
    pub errors: Vec<LoadError>,
    /// Loads in flight.
    pub busy: u32,
    /// Current theme.
    pub theme: Theme,
    /// A drag is over the page.
    pub dragging: bool,
    /// Text of the runs filter.
    pub filter: String,
    /// The paste dialog is open.
    pub paste_open: bool,
    /// The shortcuts help is open.
    pub help_open: bool,
    /// The run to open once it is loaded (from the URL).
    pub want: Option<String>,
    /// Curve files by key (`run key::path`).
    pub curves: std::collections::BTreeMap<String, CurveLoad>,
    /// Runs ticked in the runs list for comparison.
    pub selected: Vec<String>,
    /// Runs being compared (keys or archive URLs, in order); empty when not comparing.
    pub compare: Vec<String>,
    /// The runs table is shown.
    pub index_view: bool,
}

impl Default for AppState {
    fn default() -> Self {
        AppState {
            runs: Rc::new(Vec::new()),
            open: None,
            errors: Vec::new(),
            busy: 0,
            theme: Theme::Light,
            dragging: false,
            filter: String::new(),
            paste_open: false,
            help_open: false,
            want: None,
            curves: Default::default(),
            selected: Vec::new(),
            compare: Vec::new(),
            index_view: false,
        }
    }
}

/// Everything that changes the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A manifest was read from `base` (its URL).
    Manifest {
        /// URL of the manifest.
        base: String,
        /// Its content.
        manifest: Manifest,
    },
    /// A load started (`key` is the URL or file name).
    Started,
    /// A load ended (successfully or not).
    Finished,
    /// A run was fetched or read; `open` opens it.
    Loaded {
        /// The run.
        run: Rc<Run>,
        /// Open it now.
        open: bool,
    },
    /// A listed run is being fetched.
    Fetching(String),
    /// A listed run could not be fetched.
    SlotFailed {
        /// Slot key.
        key: String,
        /// What went wrong.
        error: LoadError,
    },
    /// A load failed.
    Error(LoadError),
    /// Dismiss the error at this index.
    Dismiss(usize),
    /// Open this run.
    Open(String),
    /// Open what a URL names: a run key, run id or archive URL (back/forward).
    OpenEntry(String),
    /// Open the next (+1) or previous (-1) run in the list.
    Step(i32),
    /// Open this run once loaded.
    Want(String),
    /// Set the theme.
    Theme(Theme),
    /// A drag entered or left the page.
    Dragging(bool),
    /// Runs filter text.
    Filter(String),
    /// Show or hide the paste dialog.
    Paste(bool),
    /// Show or hide the shortcuts help.
    Help(bool),
    /// A curve file started loading or made progress.
    CurveProgress {
        /// Curve key.
        key: String,
        /// Bytes read.
        read: u64,
        /// Total bytes (0 when unknown).
        total: u64,
    },
    /// A curve file is ready.
    CurveReady {
        /// Curve key.
        key: String,
        /// The curves.
        curves: Rc<LoadedCurves>,
    },
    /// A curve file could not be read.
    CurveFailed {
        /// Curve key.
        key: String,
        /// Why.
        message: String,
    },
    /// Show or hide the runs table.
    ShowIndex(bool),
    /// Tick or untick a run for comparison.
    Select(String),
    /// Compare these runs (keys or archive URLs); empty closes the comparison.
    Compare(Vec<String>),
    /// A file dropped onto a step joins its run.
    Attach {
        /// The run.
        run_key: String,
        /// The file.
        file: Companion,
    },
}

impl AppState {
    fn upsert(&mut self, slot: RunSlot) {
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

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Manifest { base, manifest } => {
                let first = s.runs.len();
                let runs = Rc::make_mut(&mut s.runs);
                // Key -> position, so a 10,000-run manifest is merged in linear time.
                let mut at: std::collections::HashMap<String, usize> = runs
                    .iter()
                    .enumerate()
                    .map(|(i, r)| (r.key.clone(), i))
                    .collect();
                for r in manifest.runs {
                    let url = join_url(&base, &r.archive);
                    let key = r.run_id.clone().unwrap_or_else(|| url.clone());
                    let files: Vec<String> = r.files.iter().map(|f| join_url(&base, f)).collect();
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
            Action::Started => s.busy += 1,
            Action::Finished => s.busy = s.busy.saturating_sub(1),
            Action::Loaded { run, open } => {
                let key = run.key.clone();
                // A hosted run listed under its URL is replaced by its parsed form.
                if let Source::Hosted(u) = &run.source {
                    if let Some(i) = s
                        .runs
                        .iter()
                        .position(|x| x.url.as_deref() == Some(u) && x.key != key)
                    {
                        let old = Rc::make_mut(&mut s.runs).remove(i);
                        if s.open.as_deref() == Some(old.key.as_str()) {
                            s.open = Some(key.clone());
                        }
                    }
                }
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
                // A replaced run's curves are stale: drop them (and their memory).
                let prefix = format!("{key}::");
                s.curves.retain(|k, _| !k.starts_with(&prefix));
                let mut slot = RunSlot::from_run(run);
                slot.files = files.unwrap_or_default();
                s.upsert(slot);
                if open || s.want.as_deref() == Some(key.as_str()) || s.open.is_none() {
                    s.open = Some(key.clone());
                    if s.want.as_deref() == Some(key.as_str()) {
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
                    x.load = Load::Failed(error.message.clone());
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
                }
            }
            Action::ShowIndex(v) => {
                s.index_view = v;
                if v {
                    s.compare.clear();
                }
            }
            Action::OpenEntry(entry) => {
                if let Some(key) = slot_for(&s, &entry).map(|x| x.key.clone()) {
                    s.open = Some(key);
                    s.compare.clear();
                }
            }
            Action::Select(key) => match s.selected.iter().position(|k| *k == key) {
                Some(i) => {
                    s.selected.remove(i);
                }
                None => s.selected.push(key),
            },
            Action::Compare(keys) => {
                s.compare = keys;
            }
            Action::Step(delta) => {
                let order: Vec<String> = visible_runs(&s)
                    .into_iter()
                    .flat_map(|(_, runs)| runs.into_iter().map(|r| r.key.clone()))
                    .collect();
                if !order.is_empty() {
                    let cur = s
                        .open
                        .as_ref()
                        .and_then(|k| order.iter().position(|x| x == k));
                    let next = match cur {
                        Some(i) => {
                            (i as i64 + delta as i64).clamp(0, order.len() as i64 - 1) as usize
                        }
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
            Action::CurveReady { key, curves } => {
                s.curves.insert(key, CurveLoad::Ready(curves));
            }
            Action::CurveFailed { key, message } => {
                s.curves.insert(key, CurveLoad::Failed(message));
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
        }
        Rc::new(s)
    }
}

fn run_url(run: &Run) -> Option<String> {
    match &run.source {
        Source::Hosted(u) => Some(u.clone()),
        _ => None,
    }
}

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
    let filter = crate::runs::RunFilter::new(filter);
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, r) in runs.iter().enumerate() {
        if !filter.is_empty() && !filter.matches(&r.meta, &r.label()) {
            continue;
        }
        let exp = r
            .meta
            .experiment
            .as_deref()
            .unwrap_or(crate::runs::NO_EXPERIMENT);
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

/// The slot a comparison entry names: a run key, a run id, or an archive URL.
pub fn slot_for<'a>(s: &'a AppState, entry: &str) -> Option<&'a RunSlot> {
    s.runs.iter().find(|x| {
        x.key == entry || x.meta.run_id.as_deref() == Some(entry) || x.url.as_deref() == Some(entry)
    })
}
