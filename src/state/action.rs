//! Everything that changes the state.

use std::rc::Rc;

use super::model::{LoadedCurves, Theme};
use crate::runs::{Companion, LoadError, Manifest, Run};
use crate::share::route::{Fragment, Route, TableQuery};
use crate::share::url::ChartState;
use crate::share::workspace::WorkspaceView;

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
    /// A top manifest lists this many shards; they are being fetched.
    Shards(usize),
    /// Shard manifests were read: each one's URL and content; their runs are listed (a
    /// batch, so 20 shards arriving together list their runs in one step).
    ShardsRead(Vec<(String, Manifest)>),
    /// A shard manifest could not be fetched or read (the other shards stay).
    ShardFailed(LoadError),
    /// A load started (the busy count goes up; the progress bar shows).
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
    /// Part of a curve file is read: drawn while the rest arrives.
    CurvePart {
        /// Curve key.
        key: String,
        /// Bytes read.
        read: u64,
        /// Total bytes (0 when unknown).
        total: u64,
        /// The points read so far.
        curves: Rc<LoadedCurves>,
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
        /// Which file, and why.
        error: LoadError,
    },
    /// Close a run (by key): its curves are dropped (the loader stops their reads first),
    /// a dropped run leaves the list, a hosted one goes back to listed, and the next run
    /// opens if it was the open one.
    Close(String),
    /// Show or hide the runs table.
    ShowIndex(bool),
    /// Tick or untick a run for comparison.
    Select(String),
    /// Tick exactly these runs (a box selection in the scatter; empty unticks all).
    SelectOnly(Vec<String>),
    /// Compare these runs (keys or archive URLs); empty closes the comparison.
    Compare(Vec<String>),
    /// Show these runs in the workspace (keys, run ids or archive URLs); empty closes it.
    Workspace(Vec<String>),
    /// The workspace's settings changed (they go into the link).
    WorkspaceView(WorkspaceView),
    /// A file dropped onto a step joins its run.
    Attach {
        /// The run.
        run_key: String,
        /// The file.
        file: Companion,
    },
    /// The address changed (start-up, back or forward): show what it names.
    Navigate(Box<Route>),
    /// A chart's settings changed (they go into the link).
    Chart(ChartState),
    /// The runs table's filters or sort changed.
    Table(Box<TableQuery>),
    /// The page's anchor or shared archive changed.
    Fragment(Fragment),
}
