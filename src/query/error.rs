//! A query's error: what is wrong and the byte range it is about.

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
