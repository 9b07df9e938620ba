//! runlens-core: the pure core of runlens, every module that runs natively (the CLI, the
//! native tests and benchmarks use it as it is; the browser app and the curve worker build on
//! it). Its own crate so that the release build can optimise it for speed while the browser
//! side stays optimised for size (see the workspace's Cargo.toml); `runlens` re-exports each
//! module under the same path, so `runlens::chart::...` is this crate's `chart`.
//!
//! Pure: no module here imports yew, web_sys, gloo or wasm_bindgen or does I/O; the crate
//! does not depend on them, so the compiler keeps it so. The modules are listed, with what
//! each owns, in `runlens`'s crate docs and the README's code map.

pub mod archive;
pub mod chart;
pub mod diff;
pub mod format;
pub mod ingest;
pub mod lineage;
pub mod loading;
pub mod manifest;
pub mod query;
pub mod relate;
pub mod resources;
pub mod runs;
pub mod share;
pub mod state;
pub mod table;
#[cfg(test)]
pub(crate) mod testutil;
pub mod workspace;
