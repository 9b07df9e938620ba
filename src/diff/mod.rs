//! Run-to-run and text diffs: the structured diff of two runs, the N-way table, line diffs
//! with word highlights, and their exports.
//!
//! **Invariant: only real changes are reported; values compare by meaning (numbers by
//! value), never by spelling.** Pure: no yew/web_sys/gloo/wasm_bindgen, no I/O.

pub mod export;
pub mod nway;
pub mod overlay;
pub mod run;
pub mod text;
pub mod value;

pub use run::{diff_runs, RunDiff};
