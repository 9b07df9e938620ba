//! Diagnostics: what the parser could not read as intended, with the line it is on.
//!
//! Pure: no I/O.

use serde::Serialize;

/// How much a diagnostic matters to a reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Read fine, but not as the format says (worth knowing, nothing lost).
    Info,
    /// Part of a line or section could not be placed; it is kept as unmapped text.
    Warning,
    /// The file is not a usable archive, or a field the format requires is unreadable.
    Error,
}

impl Severity {
    /// The lower-case name used in JSON and in the page.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One finding of the parser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// 1-based line number in the archive (0 when it concerns the whole file).
    pub line: u32,
    /// How much it matters.
    pub severity: Severity,
    /// What happened, in words a person understands.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic at `line`.
    pub fn new(line: u32, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            line,
            severity,
            message: message.into(),
        }
    }
}
