//! What the store holds: runs and their loads, curve files, the theme, the view state.

use std::rc::Rc;

use crate::chart::series_math::{MinMaxIndex, Raw};
use crate::ingest::Curves;
use crate::runs::{LoadError, ManifestRun, Run, Source};
use crate::share::route::{Fragment, TableQuery};
use crate::share::url::ChartState;
use crate::share::workspace::WorkspaceView;

/// A curve file read and indexed for drawing.
#[derive(Debug)]
pub struct LoadedCurves {
    /// The file name or URL it came from.
    pub name: String,
    /// Every series.
    pub curves: Curves,
    /// Min/max index per series (same order).
    pub indexes: Vec<MinMaxIndex>,
    /// Which read of a file these curves come from: the drawings of a file still being read
    /// and the finished file share it (each is the one before with points appended), so a
    /// chart extends what it computed instead of starting over.
    pub read: u64,
}

/// A new read's number.
fn next_read() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
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
            read: next_read(),
        }
    }

    /// `curves` with their `indexes` (one per series, built as the points arrived), a drawing
    /// of the same read as `prev` (a new read without).
    pub fn indexed(
        prev: Option<&LoadedCurves>,
        name: String,
        curves: Curves,
        indexes: Vec<MinMaxIndex>,
    ) -> LoadedCurves {
        LoadedCurves {
            name,
            curves,
            indexes,
            read: prev.map_or_else(next_read, |p| p.read),
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
    /// Could not be read: which file, and why and where.
    Failed(LoadError),
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
    /// Could not be opened: which file or URL, and why.
    Failed(LoadError),
}

/// One run in the runs list.
#[derive(Debug, Clone)]
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

impl PartialEq for RunSlot {
    /// Every field, the shared `meta` by pointer first: comparing 100,000 listed runs (the
    /// store is compared whenever it changes) must not walk every run's fields.
    fn eq(&self, o: &Self) -> bool {
        self.key == o.key
            && self.url == o.url
            && self.files == o.files
            && self.load == o.load
            && (Rc::ptr_eq(&self.meta, &o.meta) || self.meta == o.meta)
    }
}

impl RunSlot {
    pub(crate) fn from_run(run: Rc<Run>) -> RunSlot {
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

    /// Where the run came from, short: the archive's folder for a hosted run, else the
    /// dropped path or the kind of source (what tells two runs with one run id apart).
    pub fn origin(&self) -> String {
        match (&self.url, self.run()) {
            (Some(u), _) => u.strip_suffix("/archive.md").unwrap_or(u).to_string(),
            (None, Some(run)) => run.source.describe(),
            (None, None) => self.key.clone(),
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

/// The shards of a top manifest (`runlens index --shard`) as they are fetched.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ShardsLoad {
    /// How many shards the top manifest lists (0: the index is not sharded).
    pub total: usize,
    /// How many have been read and listed.
    pub read: usize,
    /// Runs listed from them so far.
    pub runs: usize,
    /// The shards that could not be read: each URL and why.
    pub failed: Vec<LoadError>,
}

impl ShardsLoad {
    /// Some shard is still being fetched.
    pub fn pending(&self) -> bool {
        self.read + self.failed.len() < self.total
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

    /// The other theme.
    pub fn toggled(self) -> Theme {
        match self {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        }
    }

    /// Reads a remembered choice (`"dark"`, `"light"`).
    pub fn from_name(s: &str) -> Option<Theme> {
        match s {
            "dark" => Some(Theme::Dark),
            "light" => Some(Theme::Light),
            _ => None,
        }
    }
}

/// The whole app state.
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
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
    /// What is read so far of curve files still loading (`CurveLoad::Loading`), by the same
    /// key: the chart draws it and fills in as the rest arrives.
    pub curve_parts: std::collections::BTreeMap<String, Rc<LoadedCurves>>,
    /// Runs ticked in the runs list for comparison.
    pub selected: Vec<String>,
    /// Runs being compared (keys or archive URLs, in order); empty when not comparing.
    pub compare: Vec<String>,
    /// Runs in the workspace (keys, run ids or archive URLs, in order); empty when it is not
    /// shown.
    pub workspace: Vec<String>,
    /// The workspace's settings.
    pub workspace_view: WorkspaceView,
    /// The runs table is shown.
    pub index_view: bool,
    /// The manifest named by the link (`?index=`), kept so a copied link lists the same runs.
    pub manifest: Option<String>,
    /// The shards of a sharded index, as they are fetched.
    pub shards: ShardsLoad,
    /// The settings of the chart last changed (`?chart=`), for the open run.
    pub chart: Option<ChartState>,
    /// The runs table's filters and sort.
    pub table: TableQuery,
    /// The anchor or shared archive after `#`.
    pub fragment: Fragment,
    /// URL parameters the app does not know, passed on unchanged.
    pub extra_params: Vec<(String, String)>,
    /// Runs in the list, in the order they arrived (shared: an action that does not touch
    /// the runs does not copy 10,000 of them). Last, so comparing two states (which the
    /// derived `PartialEq` does field by field, stopping at the first difference) reaches
    /// the 100,000 runs only when nothing else differs.
    pub runs: Rc<Vec<RunSlot>>,
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
            curve_parts: Default::default(),
            selected: Vec::new(),
            compare: Vec::new(),
            workspace: Vec::new(),
            workspace_view: WorkspaceView::default(),
            index_view: false,
            manifest: None,
            shards: ShardsLoad::default(),
            chart: None,
            table: TableQuery::default(),
            fragment: Fragment::None,
            extra_params: Vec::new(),
        }
    }
}
