//! runlens: read, chart and compare LLM training experiment archives in the browser.
//!
//! Code map (each module starts with what it owns and its invariant):
//! - [`archive`]: the archive format (model, lenient parser, diagnostics, completeness,
//!   JSON shape). Pure. Invariant: parsing never fails; every non-blank line is accounted for.
//! - [`format`]: human forms of exact numbers. Pure.
//! - [`loading`]: what the browser loader decides (fetch wording, manifest fetch plan, slices
//!   and progress, drop plan, remembered runs, share fragments). Pure; the I/O is `loader`.
//! - `loader`, `state`, `components`, `app` (wasm32 only): the Yew app; one store, one component per file.
//!
//! "Pure" modules import nothing from yew, web_sys, gloo or wasm_bindgen and do no I/O, so
//! they run natively under `cargo test` and in the CLI (`src/bin/runlens.rs`).

pub mod archive;
pub mod chart;
pub mod diff;
pub mod format;
pub mod ingest;
pub mod lineage;
pub mod loading;
pub mod resources;
pub mod runs;
pub mod share;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod bench_wasm;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod loader;
#[cfg(target_arch = "wasm32")]
pub mod state;
