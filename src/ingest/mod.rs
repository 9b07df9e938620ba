//! Loss-curve formats: TensorBoard event files (plain or gzipped), CSV, Megatron text logs.
//! One module per format, each with the same two functions: `detect(head: &[u8]) -> bool`
//! and `parse(name, bytes) -> Result<Curves, IngestError>` (every series plus the problems
//! met on the way, or a typed error saying what and where). This module picks a reader by
//! file name first and content second, and unwraps gzip around any of them. Which series is
//! the loss is [`loss_tag_index`], one rule for the viewer and the CLI.
//!
//! **Invariant: a reader keeps every point it can read and reports, with a byte offset or a
//! line, everything it had to skip.** Pure: no yew/web_sys/gloo/wasm_bindgen, no I/O.

pub mod csv;
pub mod error;
pub mod megatron;
pub mod series;
pub mod tfevents;

use std::io::Read;

pub use error::{ErrorKind, IngestError};
pub use series::{
    loss_tag_index, Columns, Curves, Location, Problem, Series, StepColumn, ValueColumn,
};

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

/// The shape every reader shares: `parse(file name, bytes)`.
type ParseFn = fn(&str, &[u8]) -> Result<Curves, IngestError>;

impl Format {
    /// The reader of a format; `None` for gzip, which wraps another format.
    fn reader(self) -> Option<ParseFn> {
        match self {
            Format::TfEvents => Some(tfevents::parse),
            Format::Csv => Some(csv::parse),
            Format::MegatronLog => Some(megatron::parse),
            Format::Gzip => None,
        }
    }
}

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
    if base.ends_with(".csv") || csv::detect(head) {
        return Some(Format::Csv);
    }
    if megatron::detect(head) || base.ends_with(".log") {
        return Some(Format::MegatronLog);
    }
    None
}

/// The longest prefix of `head` that is whole UTF-8, as text (a chunk may cut a character;
/// what follows a bad byte is not looked at): what the text readers detect on.
fn text_head(head: &[u8]) -> &str {
    match std::str::from_utf8(head) {
        Ok(t) => t,
        Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or(""),
    }
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
    let err = |kind| IngestError::new(name, kind, Location::File);
    if bytes.is_empty() {
        return Err(err(ErrorKind::Empty));
    }
    let head = &bytes[..bytes.len().min(1 << 16)];
    let format = detect(name, head).ok_or_else(|| err(ErrorKind::NotACurveFile))?;
    if let Some(read) = format.reader() {
        return read(name, bytes);
    }
    let mut out = Vec::new();
    let mut gz = flate2::read::GzDecoder::new(bytes).take(max_inflated + 1);
    let res = gz.read_to_end(&mut out);
    let capped = out.len() as u64 > max_inflated;
    out.truncate(max_inflated as usize);
    let inner = name.strip_suffix(".gz").unwrap_or(name);
    let mut curves = match detect(inner, &out[..out.len().min(1 << 16)]) {
        Some(Format::Gzip) | None if out.is_empty() => return Err(err(ErrorKind::GzipUnreadable)),
        Some(Format::Gzip) => return Err(err(ErrorKind::GzipInGzip)),
        _ => parse(inner, &out).map_err(|e| IngestError {
            file: name.to_string(),
            ..e
        })?,
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
            message: format!(
                "the gzip stream is damaged or cut off ({e}); everything before it was read"
            ),
        });
    }
    Ok(curves)
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
    fn every_failure_has_a_kind_and_a_place() {
        use std::io::Write;
        let gz = |b: &[u8]| {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            let _ = e.write_all(b);
            e.finish().unwrap_or_default()
        };
        let cases: Vec<(&str, Vec<u8>, ErrorKind, Location)> = vec![
            ("a.csv", vec![], ErrorKind::Empty, Location::File),
            (
                "a.png",
                b"\x89PNG\r\n\x1a\n\0\0".to_vec(),
                ErrorKind::NotACurveFile,
                Location::File,
            ),
            ("a.gz", gz(b""), ErrorKind::GzipUnreadable, Location::File),
            (
                "a.gz",
                gz(&gz(b"step,loss\n1,2\n")),
                ErrorKind::GzipInGzip,
                Location::File,
            ),
            (
                "a.csv",
                b"step,loss\n1,\xff\n".to_vec(),
                ErrorKind::CsvNotUtf8,
                Location::Byte(12),
            ),
            (
                "a.csv.gz",
                gz(b"a,b\n"),
                ErrorKind::NoStepColumn(vec!["a".into(), "b".into()]),
                Location::Line(1),
            ),
            (
                "a.log",
                b"no iterations here\n".to_vec(),
                ErrorKind::NoIterationLines,
                Location::File,
            ),
        ];
        for (name, bytes, kind, at) in cases {
            let e = parse(name, &bytes).err();
            assert_eq!(
                e.map(|e| (e.file, e.kind, e.at)),
                Some((name.to_string(), kind.clone(), at)),
                "{name}: {kind:?}"
            );
        }
    }

    #[test]
    fn errors_name_the_file() {
        let e = parse("notes.bin", b"\x89PNG\r\n\x1a\n\0\0")
            .err()
            .map(|e| e.to_string());
        assert_eq!(e.as_deref(), Some("notes.bin: not a curve file: expected a TensorBoard event file, a CSV with a step column, or a Megatron log"));
    }
}

/// Curves as JSON: `{"series": [{"tag", "points": [[step, wall_time_or_null, value]],
/// "restarts": [step]}], "diagnostics": [{"byte" | "line", "message"}], "loss_tag": tag or
/// null}`; non-finite values are `null`.
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
        "loss_tag": c.loss_series().map(|s| s.tag.as_str()),
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
    Events(Box<tfevents::Reader>),
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

    /// The series read so far: an event file's points as its records arrive; nothing for
    /// the other formats, which are read once the last chunk is in.
    pub fn series(&self) -> &[Series] {
        match &self.state {
            IncState::Events(r) => r.series(),
            _ => &[],
        }
    }

    fn decide(&mut self, buf: Vec<u8>) {
        if detect(&self.name, &buf) == Some(Format::TfEvents) {
            let mut r = Box::new(tfevents::Reader::new());
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
