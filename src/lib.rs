//! runlens: read, chart and compare LLM training experiment archives in the browser.
//!
//! Code map (each module starts with what it owns and its invariant; the README's code map
//! says the same at more length):
//! - [`archive`]: the archive format (model, lenient parser, diagnostics, completeness,
//!   JSON shape). Invariant: parsing never fails; every non-blank line is accounted for.
//! - [`ingest`]: loss-curve files (TensorBoard event files, CSV, Megatron logs), one reader
//!   per format, read whole or in slices.
//! - [`chart`]: series math (smoothing, x axes, min/max index, decimation) and drawing on any
//!   plotters backend.
//! - [`diff`]: run-to-run and N-way comparison, line diffs, exports.
//! - [`lineage`]: the checkpoint/data lineage graph and its layout.
//! - [`share`]: share links and reports; [`share::route::Route`], every URL parameter.
//! - [`query`]: the runs query language, query fields of a run, the table that answers a
//!   query over 100,000 runs, field-name completion.
//! - [`relate`]: settings against results over the runs table's runs: rank correlation,
//!   the scatter's geometry and hit-testing, parallel coordinates and brushes.
//! - [`runs`]: a loaded run with its files, drop grouping, curve-file rules.
//! - [`manifest`]: the manifest of hosted runs and its file format (versions 1 to 3).
//! - [`state`]: the store (`AppState`, `Action`, the pure `apply`, selectors).
//! - [`table`]: the runs table's columns, filters and order.
//! - [`loading`]: what the browser loader decides (fetch wording, manifest fetch plan, slices
//!   and progress, drop plan, remembered runs, share fragments); the I/O is `loader`.
//! - [`workspace`]: the many-runs workspace's computations: grouping runs into a line and
//!   band, the robust y-range, the step-range table, x-axis events, CPT-then-SFT sequences.
//! - [`resources`], [`format`]: resource summaries; human forms of exact numbers.
//! - `shell`, `loader`, `components`, `app`, `bench_wasm` (wasm32 only): the browser side:
//!   start-up, address and history, page-wide listeners; fetching and reading files; one
//!   Yew component per file; the root component; in-browser benchmarks.
//!
//! Every module but the wasm32-only ones is pure: it imports nothing from yew, web_sys, gloo
//! or wasm_bindgen and does no I/O, so it runs natively under `cargo test` and in the CLI
//! (`src/bin/runlens.rs`). The pure modules are compiled as their own crate, `runlens-core`
//! (`src/core.rs`, optimised for speed in the release build), and re-exported here under
//! the same paths; `state` adds the browser's `Store` to the core's.

pub use runlens_core::{
    archive, chart, diff, format, ingest, lineage, loading, manifest, query, relate, resources,
    runs, share, table, workspace,
};

/// The one store of the app: the core's pure state (`AppState`, `Action`, `apply`,
/// selectors), and in the browser the Yew `Store` that holds it.
pub mod state {
    #[cfg(target_arch = "wasm32")]
    pub use crate::shell::store::{remember_theme, Shared, Store};
    pub use runlens_core::state::*;
}

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod bench_wasm;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod loader;
#[cfg(target_arch = "wasm32")]
pub mod shell;
