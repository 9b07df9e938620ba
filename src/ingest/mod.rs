//! Loss-curve formats: TensorBoard event files (plain or gzipped), CSV, Megatron text logs.
//! One module per format, each with `detect` and `parse`; this module picks one by file name
//! first and content second, and returns a typed error that says what and where.
//!
//! **Invariant: a reader keeps every point it can read and reports, with a byte offset or a
//! line, everything it had to skip.** Pure: no yew/web_sys/gloo/wasm_bindgen, no I/O.

pub mod csv;
pub mod megatron;
pub mod series;
pub mod tfevents;

use std::io::Read;

pub use series::{Curves, Location, Problem, Series};

/// The formats runlens reads curves from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TensorBoard event file.
    TfEvents,
    /// Gzip-compressed file (the content is detected after decompression).
    Gzip,
    /// CSV with a header.
    Csv,
    /// Megatron-style text log.
    MegatronLog,
}

/// Why a file gave no curves at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestError {
    /// The file name.
    pub file: String,
    /// Where in the file.
    pub at: Location,
    /// What went wrong.
    pub message: String,
}

impl std::fmt::Display for IngestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.at {
            Location::File => write!(f, "{}: {}", self.file, self.message),
            at => write!(f, "{} ({at}): {}", self.file, self.message),
        }
    }
}

impl std::error::Error for IngestError {}

/// Picks the format: the file name first, the content second.
pub fn detect(name: &str, head: &[u8]) -> Option<Format> {
    let base = name.rsplit('/').next().unwrap_or(name).to_ascii_lowercase();
    if head.starts_with(&[0x1f, 0x8b]) {
        return Some(Format::Gzip);
    }
    if base.contains("tfevents") && (head.len() < 12 || tfevents::detect(head)) {
        return Some(Format::TfEvents);
    }
    if tfevents::detect(head) {
        return Some(Format::TfEvents);
    }
    let text = std::str::from_utf8(&head[..utf8_prefix(head)]).ok()?;
    if base.ends_with(".csv") || csv::detect(text) {
        return Some(Format::Csv);
    }
    if megatron::detect(text) || base.ends_with(".log") {
        return Some(Format::MegatronLog);
    }
    None
}

/// Length of the longest prefix that is whole UTF-8 (a chunk may cut a character).
fn utf8_prefix(b: &[u8]) -> usize {
    match std::str::from_utf8(b) {
        Ok(_) => b.len(),
        Err(e) => e.valid_up_to(),
    }
}

/// The file stem, used to name the series of a single-series CSV.
fn stem(name: &str) -> &str {
    let base = name.rsplit('/').next().unwrap_or(name);
    base.split('.').next().unwrap_or(base)
}

/// Most bytes a gzipped curve file is inflated to: a small file of zeros can inflate to
/// gigabytes, more than the browser's wasm memory holds.
pub const MAX_INFLATED: u64 = 512 << 20;

/// Reads curves from a file's bytes.
pub fn parse(name: &str, bytes: &[u8]) -> Result<Curves, IngestError> {
    parse_capped(name, bytes, MAX_INFLATED)
}

/// [`parse`], inflating gzip to at most `max_inflated` bytes.
fn parse_capped(name: &str, bytes: &[u8], max_inflated: u64) -> Result<Curves, IngestError> {
    let err = |at, message: String| IngestError {
        file: name.to_string(),
        at,
        message,
    };
    if bytes.is_empty() {
        return Err(err(Location::File, "the file is empty".into()));
    }
    let head = &bytes[..bytes.len().min(1 << 16)];
    match detect(name, head) {
        Some(Format::TfEvents) => Ok(tfevents::parse(bytes)),
        Some(Format::Gzip) => {
            let mut out = Vec::new();
            let mut gz = flate2::read::GzDecoder::new(bytes).take(max_inflated + 1);
            let res = gz.read_to_end(&mut out);
            let capped = out.len() as u64 > max_inflated;
            out.truncate(max_inflated as usize);
            let inner = name.strip_suffix(".gz").unwrap_or(name);
            let mut curves = match detect(inner, &out[..out.len().min(1 << 16)]) {
                Some(Format::Gzip) | None if out.is_empty() => {
                    return Err(err(Location::File, "the gzip data could not be decompressed".into()))
                }
                Some(Format::Gzip) => return Err(err(Location::File, "gzip inside gzip is not read".into())),
                _ => parse(inner, &out).map_err(|e| IngestError { file: name.to_string(), ..e })?,
            };
            if capped {
                curves.problems.push(Problem {
                    at: Location::Byte(bytes.len() as u64),
                    message: format!(
                        "the gzip data inflates to more than {max_inflated} bytes; only the first {max_inflated} were read"
                    ),
                });
            } else if let Err(e) = res {
                curves.problems.push(Problem {
                    at: Location::Byte(bytes.len() as u64),
                    message: format!("the gzip stream is damaged or cut off ({e}); everything before it was read"),
                });
            }
            Ok(curves)
        }
        Some(Format::Csv) => {
            let text = std::str::from_utf8(bytes)
                .map_err(|e| err(Location::Byte(e.valid_up_to() as u64), "the CSV is not valid UTF-8".into()))?;
            csv::parse(text, stem(name)).map_err(|p| err(p.at, p.message))
        }
        Some(Format::MegatronLog) => {
            let text = String::from_utf8_lossy(bytes);
            let c = megatron::parse(&text);
            if c.series.is_empty() {
                return Err(err(Location::File, "no `iteration N/ M | name: value |` lines were found".into()));
            }
            Ok(c)
        }
        None => Err(err(
            Location::File,
            "not a curve file: expected a TensorBoard event file, a CSV with a step column, or a Megatron log".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_by_name_then_content() {
        let mut ev = Vec::new();
        tfevents::write_record(&mut ev, &tfevents::scalar_event("a", 1, 1.0, 1.0));
        assert_eq!(
            detect("events.out.tfevents.1.host", &ev),
            Some(Format::TfEvents)
        );
        assert_eq!(detect("renamed.bin", &ev), Some(Format::TfEvents));
        assert_eq!(
            detect("x.csv", b"Wall time,Step,Value\n"),
            Some(Format::Csv)
        );
        assert_eq!(detect("x.txt", b"step,loss\n1,2\n"), Some(Format::Csv));
        assert_eq!(
            detect("train.log", b" iteration 1/ 10 | lm loss: 2.0 |\n"),
            Some(Format::MegatronLog)
        );
        assert_eq!(detect("image.png", b"\x89PNG\r\n\x1a\n\0\0"), None);
    }

    #[test]
    fn gzipped_event_files_are_read() {
        use std::io::Write;
        let mut ev = Vec::new();
        for i in 0..10 {
            tfevents::write_record(
                &mut ev,
                &tfevents::scalar_event("loss", i, i as f64, 1.0 / (i + 1) as f32),
            );
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        let _ = gz.write_all(&ev);
        let bytes = gz.finish().unwrap_or_default();
        let c = parse("events.out.tfevents.1.gz", &bytes).expect("gz");
        assert_eq!(c.get("loss").map(|s| s.len()), Some(10));
    }

    #[test]
    fn gzip_that_inflates_past_the_cap_is_cut_there() {
        use std::io::Write;
        let mut ev = Vec::new();
        let mut cap = 0;
        for i in 0..100 {
            tfevents::write_record(&mut ev, &tfevents::scalar_event("loss", i, 0.0, 1.0));
            if i == 9 {
                cap = ev.len() as u64;
            }
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        let _ = gz.write_all(&ev);
        let bytes = gz.finish().unwrap_or_default();
        let c = parse_capped("events.out.tfevents.1.gz", &bytes, cap).expect("gz");
        assert_eq!(c.get("loss").map(|s| s.len()), Some(10));
        assert!(
            c.problems[0]
                .message
                .contains(&format!("more than {cap} bytes")),
            "{:?}",
            c.problems
        );
        assert_eq!(c.problems.len(), 1, "{:?}", c.problems);
    }

    #[test]
    fn errors_name_the_file() {
        let e = parse("notes.bin", b"\x89PNG\r\n\x1a\n\0\0")
            .err()
            .map(|e| e.to_string());
        assert_eq!(e.as_deref(), Some("notes.bin: not a curve file: expected a TensorBoard event file, a CSV with a step column, or a Megatron log"));
    }
}

/// Curves as JSON: `{"series": [{"tag", "points": [[step, wall_time_or_null, value]]}],
/// "diagnostics": [{"byte" | "line", "message"}]}`; non-finite values are `null`.
pub fn curves_json(c: &Curves) -> serde_json::Value {
    use serde_json::{json, Value};
    let num = |v: f64| serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number);
    json!({
        "series": c.series.iter().map(|s| json!({
            "tag": s.tag,
            "points": (0..s.len()).map(|i| json!([s.step(i), s.wall(i).map_or(Value::Null, num), num(s.value(i))])).collect::<Vec<_>>(),
            "restarts": s.restarts.iter().map(|&i| s.step(i)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "diagnostics": c.problems.iter().map(|p| match p.at {
            Location::Byte(b) => json!({"byte": b, "message": p.message}),
            Location::Line(l) => json!({"line": l, "message": p.message}),
            Location::File => json!({"message": p.message}),
        }).collect::<Vec<_>>(),
    })
}

/// Reads a file fed in chunks (as the browser reads a large file in slices): event files
/// are decoded as the chunks arrive, other formats once the last chunk is in.
#[derive(Debug)]
pub struct Incremental {
    name: String,
    state: IncState,
}

#[derive(Debug)]
enum IncState {
    /// Not enough bytes yet to tell the format.
    Sniffing(Vec<u8>),
    /// An event file, decoded record by record.
    Events(tfevents::Reader),
    /// Any other format: kept whole until the end.
    Whole(Vec<u8>),
}

impl Incremental {
    /// A reader for the file `name`.
    pub fn new(name: &str) -> Incremental {
        Incremental {
            name: name.to_string(),
            state: IncState::Sniffing(Vec::new()),
        }
    }

    /// Adds the next chunk.
    pub fn feed(&mut self, chunk: &[u8]) {
        match &mut self.state {
            IncState::Events(r) => r.feed(chunk),
            IncState::Whole(b) => b.extend_from_slice(chunk),
            IncState::Sniffing(b) => {
                b.extend_from_slice(chunk);
                if b.len() >= 4096 {
                    let buf = std::mem::take(b);
                    self.decide(buf);
                }
            }
        }
    }

    fn decide(&mut self, buf: Vec<u8>) {
        if detect(&self.name, &buf) == Some(Format::TfEvents) {
            let mut r = tfevents::Reader::new();
            r.feed(&buf);
            self.state = IncState::Events(r);
        } else {
            self.state = IncState::Whole(buf);
        }
    }

    /// Ends the file.
    pub fn finish(mut self) -> Result<Curves, IngestError> {
        if let IncState::Sniffing(b) = &mut self.state {
            let buf = std::mem::take(b);
            if buf.is_empty() {
                return parse(&self.name, &buf);
            }
            self.decide(buf);
        }
        match self.state {
            IncState::Events(r) => Ok(r.finish()),
            IncState::Whole(b) => parse(&self.name, &b),
            IncState::Sniffing(b) => parse(&self.name, &b),
        }
    }
}
