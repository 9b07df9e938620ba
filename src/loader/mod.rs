//! The browser side of loading, one file per job: fetching and streaming URLs, hosted
//! manifests, dropped and picked files and folders, turning them into runs, reading curve
//! files in slices, remembered runs, share links, and saving files the user downloads.
//!
//! The decisions live in the pure `crate::loading` (tested natively); bytes go to the pure
//! `crate::runs`; results go to the store as `crate::state::Action`s. Invariant: every failure
//! becomes a message naming the file or URL.

mod curves;
mod deliver;
mod dispatch;
pub mod download;
mod drop;
mod fetch;
mod handles;
mod kept_files;
mod manifest;
mod open;
mod recent;
mod shared;

pub use curves::{
    cancel_curve_loads, curve_loads_running, curve_source, load_curve, CurveSource, MAX_WORKERS,
};
pub use deliver::load_pasted;
pub use dispatch::Dispatch;
pub use drop::{load_drop, load_file_list};
pub use fetch::{fetch_bytes, prefetch};
pub use handles::{file_for, register_file};
pub use manifest::{load_hosted, load_manifest, prefetch_manifest, take_seed};
pub use recent::{forget_recent, load_recent, recent_count, remember};
pub use shared::load_shared;
