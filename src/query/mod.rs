//! Queries over runs: the language the runs table, the scatter and the CLI share
//! (`train.cpt.lr >= 2e-5 and status = failed`), the field names a run has, and the table
//! that answers a query over 100,000 runs in milliseconds.
//!
//! Invariant: one set of rules for the page and the CLI. A field name means the same in
//! every run ([`fields_of`]); a query either parses and names only known fields, or is a
//! [`QueryError`] with the byte range it is about; numbers compare by value.
//!
//! Pure: no yew/web_sys/gloo/wasm_bindgen, no I/O.
//!
//! Use: build a [`FieldTable`] (push each run's [`Fields`]: [`fields_of`] for a parsed
//! archive, `ManifestRun::query_fields` for a manifest entry), then
//! `Query::new(text, &table)?.select(&table)` gives the matching rows.

pub mod error;
pub mod eval;
pub mod fields;
pub mod suggest;
pub mod syntax;
pub mod synth;
pub mod table;
pub mod value;

pub use error::QueryError;
pub use eval::{Bound, Query};
pub use fields::{fields_of, loss_at_tokens, tokens_per_step, LOSS_TOKEN_MARKS};
pub use suggest::{complete, completion_at, nearest};
pub use syntax::{parse, Expr, Op};
pub use table::{Cell, FieldTable};
pub use value::{FieldValue, Fields};
