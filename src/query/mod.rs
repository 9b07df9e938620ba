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

pub mod eval;
pub mod fields;
pub mod suggest;
pub mod syntax;
pub mod synth;
pub mod table;
pub mod value;

pub use eval::{Bound, Query};
pub use fields::{fields_of, loss_at_tokens, tokens_per_step, LOSS_TOKEN_MARKS, TEMPLATE_FIELDS};
pub use suggest::{complete, completion_at, nearest};
pub use syntax::{parse, Expr, Op};
pub use table::{Cell, FieldTable};
pub use value::{FieldValue, Fields};

/// What is wrong with a query, and where: a byte range of the query text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// First byte the message is about.
    pub start: usize,
    /// One past the last byte (equal to `start` at the end of the text).
    pub end: usize,
    /// What is wrong, in words.
    pub message: String,
}

impl QueryError {
    /// An error about bytes `start..end`.
    pub fn new(start: usize, end: usize, message: impl Into<String>) -> QueryError {
        QueryError {
            start,
            end: end.max(start),
            message: message.into(),
        }
    }

    /// The error's position in characters (for a text box that counts characters).
    pub fn char_start(&self, text: &str) -> usize {
        text.get(..self.start).map_or(0, |h| h.chars().count())
    }

    /// The query with a caret line under the part the error is about, then the message:
    /// for a terminal.
    pub fn caret(&self, text: &str) -> String {
        let pad = " ".repeat(self.char_start(text));
        let width = text
            .get(self.start..self.end)
            .map_or(1, |s| s.chars().count().max(1));
        format!("{text}\n{pad}{}\n{}", "^".repeat(width), self)
    }
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at byte {}: {}", self.start, self.message)
    }
}

impl std::error::Error for QueryError {}
