//! Why a curve file gave no curves at all: a kind (what) and a location (where), with the
//! file's name. Readers that can keep going report [`super::Problem`]s instead.
//!
//! Pure: no yew/web_sys/gloo/wasm_bindgen, no I/O.

use super::series::Location;

/// Names a CSV step column may have (the CSV reader looks for them; the error lists them).
pub(crate) const STEP_NAMES: [&str; 6] =
    ["step", "iteration", "iter", "global_step", "steps", "_step"];

/// What went wrong, as a fixed set a caller can match on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The file has no bytes.
    Empty,
    /// No reader recognises the file, by name or by content.
    NotACurveFile,
    /// The gzip data inflates to nothing.
    GzipUnreadable,
    /// The gzip data holds another gzip stream.
    GzipInGzip,
    /// A CSV that is not UTF-8 text (`at` is the first bad byte).
    CsvNotUtf8,
    /// The CSV header row cannot be read; the `csv` crate's reason.
    CsvHeader(String),
    /// The CSV header has no step column; the columns it has.
    NoStepColumn(Vec<String>),
    /// A log with no `iteration N/ M | name: value |` line.
    NoIterationLines,
}

impl ErrorKind {
    /// The message a person reads.
    pub fn message(&self) -> String {
        match self {
            ErrorKind::Empty => "the file is empty".into(),
            ErrorKind::NotACurveFile => "not a curve file: expected a TensorBoard event file, a CSV with a step column, or a Megatron log".into(),
            ErrorKind::GzipUnreadable => "the gzip data could not be decompressed".into(),
            ErrorKind::GzipInGzip => "gzip inside gzip is not read".into(),
            ErrorKind::CsvNotUtf8 => "the CSV is not valid UTF-8".into(),
            ErrorKind::CsvHeader(e) => format!("the header row cannot be read: {e}"),
            ErrorKind::NoStepColumn(found) => format!(
                "no step column in the header (expected one of: {}); found: {}",
                STEP_NAMES.join(", "),
                found.join(", ")
            ),
            ErrorKind::NoIterationLines => {
                "no `iteration N/ M | name: value |` lines were found".into()
            }
        }
    }
}

/// Why a file gave no curves at all: which file, what, and where in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestError {
    /// The file name.
    pub file: String,
    /// What went wrong.
    pub kind: ErrorKind,
    /// Where in the file: a byte offset, a line, or the whole file.
    pub at: Location,
}

impl IngestError {
    /// An error in `file` at `at`.
    pub fn new(file: &str, kind: ErrorKind, at: Location) -> IngestError {
        IngestError {
            file: file.to_string(),
            kind,
            at,
        }
    }

    /// What went wrong, in words (without the file name and location).
    pub fn message(&self) -> String {
        self.kind.message()
    }
}

impl std::fmt::Display for IngestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.at {
            Location::File => write!(f, "{}: {}", self.file, self.message()),
            at => write!(f, "{} ({at}): {}", self.file, self.message()),
        }
    }
}

impl std::error::Error for IngestError {}
