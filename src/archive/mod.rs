//! The archive format: model, parser, diagnostics, completeness, JSON shape.
//!
//! **Invariant: `parse` never fails on readable text; every non-blank line ends up in the
//! model or in a section's unmapped lines.** Pure: no yew/web_sys/gloo/wasm_bindgen, no I/O.

pub mod completeness;
pub mod coverage;
pub mod diagnostics;
pub mod input;
pub mod json;
pub mod model;
pub mod parse;
pub mod synth;
pub mod value;
pub mod yamlish;

pub use completeness::{completeness, Completeness, FieldState};
pub use diagnostics::{Diagnostic, Severity};
pub use model::{Archive, SectionKind, Status, Step};
pub use parse::{parse, Parsed};
