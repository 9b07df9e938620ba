//! The rules of loading runs that need no browser: how a failed fetch is worded, which
//! archives a manifest fetches, where the slices of a big file fall and when progress is
//! reported, how a drop becomes runs, the remembered-runs list, and share fragments.
//!
//! Pure: no yew/web_sys/gloo/wasm_bindgen, no I/O. The browser side (`crate::loader`) reads
//! files, URLs and storage, and asks these modules what to do with what it read.

pub mod drop;
pub mod fetch;
pub mod manifest;
pub mod recent;
pub mod shared;
pub mod slices;
