//! TensorBoard event files: TFRecord framing with masked CRC32C on the length and the data,
//! `Event` protobufs decoded by `prost`, scalars from `simple_value` (TF1, tensorboardX,
//! PyTorch) and from rank-0 float/double tensors of the scalars plugin (TF2).
//!
//! Pure. The reader is incremental (`feed` chunks, then `finish`) so the browser can read a
//! large file in slices with a progress bar. A file that ends mid-record keeps every whole
//! record and says where it was cut; a record whose data CRC fails is skipped and reported;
//! a length whose CRC fails is resynchronised by scanning for the next valid header.

use std::collections::HashMap;

use prost::Message;

use super::error::IngestError;
use super::series::{Curves, Location, Problem, SeriesSet};

/// `Event` (tensorflow/core/util/event.proto), only the fields a scalar reader needs; the
/// others (graph_def, file_version, ...) are skipped by prost without being decoded.
#[derive(Clone, PartialEq, Message)]
pub struct Event {
    /// Seconds since the epoch.
    #[prost(double, tag = "1")]
    pub wall_time: f64,
    /// Global step.
    #[prost(int64, tag = "2")]
    pub step: i64,
    /// The summary, when the event is one.
    #[prost(message, optional, tag = "5")]
    pub summary: Option<Summary>,
}

/// `Summary`.
#[derive(Clone, PartialEq, Message)]
pub struct Summary {
    /// The values.
    #[prost(message, repeated, tag = "1")]
    pub value: Vec<SummaryValue>,
}

/// `Summary.Value`.
#[derive(Clone, PartialEq, Message)]
pub struct SummaryValue {
    /// The tag.
    #[prost(string, tag = "1")]
    pub tag: String,
    /// A TF1-style scalar.
    #[prost(float, optional, tag = "2")]
    pub simple_value: Option<f32>,
    /// Plugin metadata (TF2 writes it with a tag's first value only).
    #[prost(message, optional, tag = "9")]
    pub metadata: Option<SummaryMetadata>,
    /// A TF2-style tensor.
    #[prost(message, optional, tag = "8")]
    pub tensor: Option<TensorProto>,
}

/// `SummaryMetadata`.
#[derive(Clone, PartialEq, Message)]
pub struct SummaryMetadata {
    /// Which plugin owns the value.
    #[prost(message, optional, tag = "1")]
    pub plugin_data: Option<PluginData>,
    /// `DATA_CLASS_SCALAR` is 1.
    #[prost(int32, tag = "4")]
    pub data_class: i32,
}

/// `SummaryMetadata.PluginData`.
#[derive(Clone, PartialEq, Message)]
pub struct PluginData {
    /// `scalars`, `text`, `hparams`, ...
    #[prost(string, tag = "1")]
    pub plugin_name: String,
}

/// `TensorProto`, the parts a scalar needs.
#[derive(Clone, PartialEq, Message)]
pub struct TensorProto {
    /// `DT_FLOAT` = 1, `DT_DOUBLE` = 2.
    #[prost(int32, tag = "1")]
    pub dtype: i32,
    /// The shape (empty dims for a scalar).
    #[prost(message, optional, tag = "2")]
    pub tensor_shape: Option<TensorShape>,
    /// Raw little-endian content.
    #[prost(bytes = "vec", tag = "4")]
    pub tensor_content: Vec<u8>,
    /// Float values.
    #[prost(float, repeated, tag = "5")]
    pub float_val: Vec<f32>,
    /// Double values.
    #[prost(double, repeated, tag = "6")]
    pub double_val: Vec<f64>,
}

/// `TensorShapeProto`.
#[derive(Clone, PartialEq, Message)]
pub struct TensorShape {
    /// Dimensions.
    #[prost(message, repeated, tag = "2")]
    pub dim: Vec<Dim>,
}

/// `TensorShapeProto.Dim`.
#[derive(Clone, PartialEq, Message)]
pub struct Dim {
    /// Size.
    #[prost(int64, tag = "1")]
    pub size: i64,
}

const DT_FLOAT: i32 = 1;
const DT_DOUBLE: i32 = 2;

/// The CRC32C of `data`, masked as TFRecord stores it.
pub fn masked_crc(data: &[u8]) -> u32 {
    let c = crc32c::crc32c(data);
    (c.rotate_right(15)).wrapping_add(0xa282_ead8)
}

/// Whether the bytes start like an event file: a first record header whose length CRC
/// checks out.
pub fn detect(head: &[u8]) -> bool {
    head.len() >= 12 && header_ok(head)
}

fn header_ok(b: &[u8]) -> bool {
    let (Some(len), Some(crc)) = (b.get(0..8), b.get(8..12)) else {
        return false;
    };
    let stored = u32::from_le_bytes([crc[0], crc[1], crc[2], crc[3]]);
    masked_crc(len) == stored
}

/// Largest record accepted (a corrupt length must not make the reader wait for gigabytes).
const MAX_RECORD: u64 = 256 << 20;

/// An incremental reader.
#[derive(Debug, Default)]
pub struct Reader {
    pending: Vec<u8>,
    /// File offset of `pending[0]`.
    offset: u64,
    set: SeriesSet,
    problems: Vec<Problem>,
    /// Plugin of each tensor tag, from the first value that carried metadata.
    plugins: HashMap<String, bool>,
    /// The (tag range, value, series found) of the record being read on the fast path,
    /// reused.
    simple: Vec<Simple>,
    records: u64,
    /// The last record header whose length CRC checked out: (length, stored CRC).
    last_header: Option<(u64, u32)>,
    /// File offset where a run of bytes with no valid record header began, while the
    /// reader is still looking for the next one. Bytes already searched are dropped, so
    /// a damaged region streamed in small chunks is searched once, not once per chunk.
    skip_from: Option<u64>,
}

impl Reader {
    /// A new reader.
    pub fn new() -> Reader {
        Reader::default()
    }

    /// Records read so far.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// The series read so far (every point of every whole record fed).
    pub fn series(&self) -> &[super::Series] {
        self.set.series()
    }

    /// Reads as many whole records as `chunk` (after what was pending) completes.
    pub fn feed(&mut self, chunk: &[u8]) {
        if self.pending.is_empty() {
            let used = self.records_in(chunk, 0);
            self.pending.extend_from_slice(&chunk[used..]);
            self.offset += used as u64;
        } else {
            self.pending.extend_from_slice(chunk);
            let mut buf = std::mem::take(&mut self.pending);
            let used = self.records_in(&buf, 0);
            // Nothing is copied while a long record is still arriving (used == 0).
            buf.drain(..used);
            self.pending = buf;
            self.offset += used as u64;
        }
        self.set.flush();
    }

    /// Whether the record header at the start of `b` checks out. The last header that did
    /// is remembered: a file's records mostly have a few lengths, and the same 12 bytes
    /// need no second CRC.
    fn header_checks(&mut self, b: &[u8]) -> bool {
        let Some((len, crc)) = b.get(0..12).map(|h| h.split_at(8)) else {
            return false;
        };
        let stored = u32::from_le_bytes(crc.try_into().unwrap_or_default());
        let key = (
            u64::from_le_bytes(len.try_into().unwrap_or_default()),
            stored,
        );
        if self.last_header == Some(key) {
            return true;
        }
        let ok = masked_crc(len) == stored;
        if ok {
            self.last_header = Some(key);
        }
        ok
    }

    /// Reads the records in `buf` from `pos`; returns how many bytes were consumed.
    fn records_in(&mut self, buf: &[u8], mut pos: usize) -> usize {
        loop {
            let rest = &buf[pos..];
            if rest.len() < 12 {
                return pos;
            }
            if !self.header_checks(rest) {
                // The length cannot be trusted: look for the next valid header.
                if self.skip_from.is_none() {
                    self.skip_from = Some(self.offset + pos as u64);
                }
                match (1..=rest.len() - 12).find(|&k| header_ok(&rest[k..])) {
                    Some(k) => {
                        pos += k;
                        continue;
                    }
                    // Every start with 12 bytes after it was tried: keep only the last 11.
                    None => return pos + rest.len() - 11,
                }
            }
            if let Some(from) = self.skip_from.take() {
                let at = self.offset + pos as u64;
                self.problems.push(Problem {
                    at: Location::Byte(from),
                    message: format!(
                        "record length failed its CRC check; skipped {} bytes to the next valid record",
                        at - from
                    ),
                });
            }
            let len = u64::from_le_bytes([
                rest[0], rest[1], rest[2], rest[3], rest[4], rest[5], rest[6], rest[7],
            ]);
            if len > MAX_RECORD {
                self.problems.push(Problem {
                    at: Location::Byte(self.offset + pos as u64),
                    message: format!(
                        "record claims {len} bytes, more than any event; skipped its header"
                    ),
                });
                pos += 12;
                continue;
            }
            let total = 12 + len as usize + 4;
            if rest.len() < total {
                return pos;
            }
            let data = &rest[12..12 + len as usize];
            let crc = &rest[12 + len as usize..total];
            let stored = u32::from_le_bytes([crc[0], crc[1], crc[2], crc[3]]);
            if masked_crc(data) != stored {
                self.problems.push(Problem {
                    at: Location::Byte(self.offset + pos as u64),
                    message: format!(
                        "record data ({len} bytes) failed its CRC check; record skipped"
                    ),
                });
            } else {
                self.event(data, self.offset + pos as u64);
            }
            self.records += 1;
            pos += total;
        }
    }

    fn event(&mut self, data: &[u8], at: u64) {
        // Most records are one step's `simple_value` scalars: read those without decoding
        // an `Event` (no allocation per value); anything else goes to prost.
        let mut simple = std::mem::take(&mut self.simple);
        simple.clear();
        let read = simple_scalars(data, &mut simple).filter(|_| {
            // A tag of a series is UTF-8 already; a new one must be (or prost reports it).
            simple.iter_mut().all(|(a, b, _, found)| {
                *found = self.set.find(&data[*a..*b]);
                found.is_some() || std::str::from_utf8(&data[*a..*b]).is_ok()
            })
        });
        if let Some((step, wall)) = read {
            for &(a, b, x, found) in &simple {
                let i = match found.or_else(|| self.set.find(&data[a..b])) {
                    Some(i) => i,
                    None => self
                        .set
                        .add(std::str::from_utf8(&data[a..b]).unwrap_or_default()),
                };
                self.set.push_at(i, step, wall, x as f64);
            }
            self.simple = simple;
            return;
        }
        self.simple = simple;
        self.decoded_event(data, at);
    }

    fn decoded_event(&mut self, data: &[u8], at: u64) {
        let ev = match Event::decode(data) {
            Ok(ev) => ev,
            Err(e) => {
                self.problems.push(Problem {
                    at: Location::Byte(at),
                    message: format!("record is not a valid Event protobuf ({e}); skipped"),
                });
                return;
            }
        };
        let Some(summary) = ev.summary else { return };
        for v in summary.value {
            if let Some(x) = v.simple_value {
                self.set.push(&v.tag, ev.step, ev.wall_time, x as f64);
                continue;
            }
            let Some(t) = v.tensor else { continue };
            let is_scalar_plugin = match &v.metadata {
                Some(m) => {
                    let yes = m.data_class == 1
                        || m.plugin_data
                            .as_ref()
                            .is_some_and(|p| p.plugin_name == "scalars");
                    self.plugins.insert(v.tag.clone(), yes);
                    yes
                }
                None => self.plugins.get(&v.tag).copied().unwrap_or(false),
            };
            if !is_scalar_plugin {
                continue;
            }
            if t.tensor_shape.as_ref().is_some_and(|s| !s.dim.is_empty()) {
                continue;
            }
            let value = match t.dtype {
                DT_FLOAT => t.float_val.first().map(|&f| f as f64).or_else(|| {
                    t.tensor_content
                        .get(0..4)
                        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]) as f64)
                }),
                DT_DOUBLE => t.double_val.first().copied().or_else(|| {
                    t.tensor_content.get(0..8).map(|b| {
                        f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
                    })
                }),
                _ => None,
            };
            if let Some(x) = value {
                self.set.push(&v.tag, ev.step, ev.wall_time, x);
            }
        }
    }

    /// Ends the file: what is still pending is a cut-off record.
    pub fn finish(mut self) -> Curves {
        if let Some(from) = self.skip_from {
            let end = self.offset + self.pending.len() as u64;
            self.problems.push(Problem {
                at: Location::Byte(from),
                message: format!(
                    "record length failed its CRC check and no valid record follows: the last {} bytes were skipped; every whole record before them was read",
                    end - from
                ),
            });
        } else if !self.pending.is_empty() {
            let expected = if self.pending.len() >= 12 && header_ok(&self.pending) {
                let b = &self.pending;
                let len = u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
                format!(" of a {}-byte record", 12 + len + 4)
            } else {
                String::new()
            };
            self.problems.push(Problem {
                at: Location::Byte(self.offset),
                message: format!(
                    "the file ends in the middle of a record ({} bytes{expected}): it was cut off, as a crashed run leaves it; every whole record before it was read",
                    self.pending.len()
                ),
            });
        }
        Curves {
            series: self.set.finish(),
            problems: self.problems,
        }
    }
}

/// A varint at `*pos` of `b` (moved past it); `None` when cut off or longer than 10 bytes.
fn varint(b: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..70).step_by(7) {
        let byte = *b.get(*pos)?;
        *pos += 1;
        v |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Some(v);
        }
    }
    None
}

/// A length-delimited field's bytes at `*pos` (moved past them).
fn delimited<'a>(b: &'a [u8], pos: &mut usize) -> Option<(usize, &'a [u8])> {
    let len = usize::try_from(varint(b, pos)?).ok()?;
    let start = *pos;
    let end = start.checked_add(len)?;
    let out = b.get(start..end)?;
    *pos = end;
    Some((start, out))
}

/// A value read on the fast path: its tag's byte range in the record, the value, and the
/// series of the tag once looked up.
type Simple = (usize, usize, f32, Option<usize>);

/// Reads an `Event` that holds only a wall time, a step and one summary whose values each
/// hold only a tag and a `simple_value`, each field at most once: `(step, wall time)` and,
/// in `out`, each value's tag (as a byte range of `data`, not yet checked to be UTF-8) and
/// value, in order. `None` for any other event (prost then decodes it, with the same result
/// for these).
fn simple_scalars(data: &[u8], out: &mut Vec<Simple>) -> Option<(i64, f64)> {
    let (mut wall, mut step, mut summary) = (None, None, None);
    let mut pos = 0;
    while pos < data.len() {
        match varint(data, &mut pos)? {
            // wall_time: double
            0x09 if wall.is_none() => {
                let b = data.get(pos..pos + 8)?;
                wall = Some(f64::from_le_bytes([
                    b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                ]));
                pos += 8;
            }
            // step: int64
            0x10 if step.is_none() => step = Some(varint(data, &mut pos)? as i64),
            // summary
            0x2a if summary.is_none() => summary = Some(delimited(data, &mut pos)?),
            _ => return None,
        }
    }
    let (base, summary) = summary?;
    let mut pos = 0;
    while pos < summary.len() {
        // Summary.value (repeated)
        if varint(summary, &mut pos)? != 0x0a {
            return None;
        }
        let (vstart, value) = delimited(summary, &mut pos)?;
        let (mut tag, mut x) = (None, None);
        let mut p = 0;
        while p < value.len() {
            match varint(value, &mut p)? {
                0x0a if tag.is_none() => {
                    let (start, t) = delimited(value, &mut p)?;
                    let a = base + vstart + start;
                    tag = Some((a, a + t.len()));
                }
                0x15 if x.is_none() => {
                    let b = value.get(p..p + 4)?;
                    x = Some(f32::from_le_bytes([b[0], b[1], b[2], b[3]]));
                    p += 4;
                }
                _ => return None,
            }
        }
        let ((a, b), x) = (tag.unwrap_or((0, 0)), x?);
        out.push((a, b, x, None));
    }
    Some((step.unwrap_or(0), wall.unwrap_or(0.0)))
}

/// Reads a whole event file. Never an error: damage is a problem and reading goes on, so
/// the `Result` is only the shape every reader shares.
pub fn parse(_name: &str, bytes: &[u8]) -> Result<Curves, IngestError> {
    Ok(read(bytes))
}

/// Reads a whole event file at once (what [`Reader`] gives for one chunk).
pub fn read(bytes: &[u8]) -> Curves {
    let mut r = Reader::new();
    r.feed(bytes);
    r.finish()
}

/// Writes one TFRecord (for tests, fixtures and benchmarks).
pub fn write_record(out: &mut Vec<u8>, data: &[u8]) {
    let len = (data.len() as u64).to_le_bytes();
    out.extend_from_slice(&len);
    out.extend_from_slice(&masked_crc(&len).to_le_bytes());
    out.extend_from_slice(data);
    out.extend_from_slice(&masked_crc(data).to_le_bytes());
}

/// Encodes a `simple_value` scalar event (for tests, fixtures and benchmarks).
pub fn scalar_event(tag: &str, step: i64, wall_time: f64, value: f32) -> Vec<u8> {
    Event {
        wall_time,
        step,
        summary: Some(Summary {
            value: vec![SummaryValue {
                tag: tag.to_string(),
                simple_value: Some(value),
                metadata: None,
                tensor: None,
            }],
        }),
    }
    .encode_to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(points: &[(&str, i64, f32)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (tag, step, v) in points {
            write_record(
                &mut out,
                &scalar_event(tag, *step, 1000.0 + *step as f64, *v),
            );
        }
        out
    }

    /// An event's step, wall time and simple values.
    type Scalars = (i64, f64, Vec<(String, f32)>);

    /// What prost reads of an event's simple values.
    fn by_prost(data: &[u8]) -> Option<Scalars> {
        let ev = Event::decode(data).ok()?;
        let values = ev
            .summary?
            .value
            .into_iter()
            .filter_map(|v| v.simple_value.map(|x| (v.tag, x)))
            .collect();
        Some((ev.step, ev.wall_time, values))
    }

    #[test]
    fn the_fast_path_reads_what_prost_reads_or_leaves_the_event_to_it() {
        let sv = |tag: &str, x: Option<f32>| SummaryValue {
            tag: tag.into(),
            simple_value: x,
            metadata: None,
            tensor: None,
        };
        let ev = |step, values: Vec<SummaryValue>| {
            Event {
                wall_time: 1.7e9 + step as f64,
                step,
                summary: Some(Summary { value: values }),
            }
            .encode_to_vec()
        };
        let mut tensor = sv("t", None);
        tensor.tensor = Some(TensorProto {
            dtype: DT_FLOAT,
            float_val: vec![1.5],
            ..TensorProto::default()
        });
        let mut twice = ev(3, vec![sv("a", Some(1.0))]);
        twice.extend(ev(4, vec![sv("b", Some(2.0))]));
        let cases: Vec<(Vec<u8>, bool)> = vec![
            (ev(1, vec![sv("loss", Some(2.5))]), true),
            (
                ev(
                    -7,
                    vec![
                        sv("a", Some(1.0)),
                        sv("b", Some(f32::NAN)),
                        sv("", Some(3.0)),
                    ],
                ),
                true,
            ),
            (ev(5_000_000_000, vec![sv("é ü", Some(-0.0))]), true),
            (ev(0, vec![]), true),
            (ev(2, vec![sv("no value", None)]), false),
            (ev(2, vec![tensor]), false),
            (twice, false),
            (
                Event {
                    wall_time: 1.0,
                    step: 1,
                    summary: None,
                }
                .encode_to_vec(),
                false,
            ),
            (vec![0x2a, 0x05, 0x0a], false),
        ];
        for (data, fast) in cases {
            let mut out = Vec::new();
            let got = simple_scalars(&data, &mut out);
            assert_eq!(got.is_some(), fast, "{data:?}");
            if let Some((step, wall)) = got {
                let tags: Vec<(String, f32)> = out
                    .iter()
                    .map(|&(a, b, x, _)| (String::from_utf8_lossy(&data[a..b]).into_owned(), x))
                    .collect();
                let want = by_prost(&data).expect("prost reads it");
                assert_eq!((step, wall), (want.0, want.1));
                assert_eq!(
                    format!("{tags:?}"),
                    format!("{:?}", want.2),
                    "NaN compares by text"
                );
            }
        }
    }

    #[test]
    fn reads_in_any_chunking() {
        let bytes = file(&[("loss", 1, 2.5), ("lr", 1, 0.1), ("loss", 2, 2.25)]);
        for chunk in [1, 3, 7, 1000] {
            let mut r = Reader::new();
            for c in bytes.chunks(chunk) {
                r.feed(c);
            }
            let c = r.finish();
            assert!(c.problems.is_empty(), "{:?}", c.problems);
            let loss = c.get("loss").expect("loss");
            assert_eq!(loss.len(), 2);
            assert_eq!(loss.value(1), 2.25);
            assert_eq!(c.get("lr").map(|s| s.value(0)), Some(0.1f32 as f64));
        }
    }

    #[test]
    fn many_tags_in_any_order_and_a_tag_that_is_not_utf8() {
        // 20 tags (past the short scan), in turn, then out of turn; a record whose tag is
        // not UTF-8 in the middle; a new tag after it; a record with two values.
        let mut points = Vec::new();
        for step in 0..30i64 {
            for t in 0..20 {
                points.push((format!("tag{t}"), step, (step * 100 + t) as f32));
            }
        }
        for step in 30..40i64 {
            points.push((format!("tag{}", (step * 7) % 20), step, step as f32));
        }
        let mut bytes = Vec::new();
        for (i, (tag, step, v)) in points.iter().enumerate() {
            if i == 300 {
                let mut bad = scalar_event("Z", 99, 1.0, 9.0);
                let at = bad.windows(3).position(|w| w == [0x0a, 0x01, b'Z']);
                bad[at.expect("the tag's bytes") + 2] = 0xff;
                write_record(&mut bytes, &bad);
                write_record(&mut bytes, &scalar_event("late", 7, 1.0, 0.5));
            }
            write_record(&mut bytes, &scalar_event(tag, *step, 1.0, *v));
        }
        let two = Event {
            wall_time: 2.0,
            step: 41,
            summary: Some(Summary {
                value: vec![
                    SummaryValue {
                        tag: "tag3".into(),
                        simple_value: Some(-1.0),
                        metadata: None,
                        tensor: None,
                    },
                    SummaryValue {
                        tag: "both".into(),
                        simple_value: Some(-2.0),
                        metadata: None,
                        tensor: None,
                    },
                ],
            }),
        };
        write_record(&mut bytes, &two.encode_to_vec());
        for chunk in [5, 64, 4096, bytes.len()] {
            let mut r = Reader::new();
            for c in bytes.chunks(chunk) {
                r.feed(c);
            }
            let c = r.finish();
            assert_eq!(c.problems.len(), 1, "{:?}", c.problems);
            assert!(c.problems[0].message.contains("not a valid Event protobuf"));
            assert_eq!(c.series.len(), 22, "20 tags, `late` and `both`");
            for t in 0..20 {
                let tag = format!("tag{t}");
                let want: Vec<(i64, f64)> = points
                    .iter()
                    .filter(|p| p.0 == tag)
                    .map(|p| (p.1, p.2 as f64))
                    .chain((t == 3).then_some((41, -1.0)))
                    .collect();
                let s = c.get(&tag).expect("every tag");
                let got: Vec<(i64, f64)> = (0..s.len()).map(|i| (s.step(i), s.value(i))).collect();
                assert_eq!(got, want, "{tag}, chunks of {chunk}");
            }
            assert_eq!(c.get("late").map(|s| s.last()), Some(Some((7, 0.5))));
            assert_eq!(c.get("both").map(|s| s.last()), Some(Some((41, -2.0))));
        }
    }

    #[test]
    fn truncated_file_keeps_whole_records() {
        let bytes = file(&[("loss", 1, 2.5), ("loss", 2, 2.25)]);
        let cut = &bytes[..bytes.len() - 5];
        let c = read(cut);
        assert_eq!(c.get("loss").map(|s| s.len()), Some(1));
        assert_eq!(c.problems.len(), 1);
        assert!(c.problems[0]
            .message
            .contains("ends in the middle of a record"));
        assert_eq!(c.problems[0].at, Location::Byte((bytes.len() / 2) as u64));
    }

    #[test]
    fn damaged_data_is_skipped_and_reading_goes_on() {
        let mut bytes = file(&[("loss", 1, 2.5), ("loss", 2, 2.25), ("loss", 3, 2.0)]);
        let rec = bytes.len() / 3;
        bytes[rec + 14] ^= 0xff;
        let c = read(&bytes);
        assert_eq!(c.get("loss").map(|s| s.len()), Some(2));
        assert_eq!(c.problems[0].at, Location::Byte(rec as u64));
        assert!(c.problems[0].message.contains("data"));
    }

    #[test]
    fn damaged_length_resynchronises() {
        let mut bytes = file(&[("loss", 1, 2.5), ("loss", 2, 2.25), ("loss", 3, 2.0)]);
        let rec = bytes.len() / 3;
        bytes[rec + 2] ^= 0x01;
        let c = read(&bytes);
        assert_eq!(c.get("loss").map(|s| s.len()), Some(2));
        assert!(c.problems[0].message.contains("length"));
    }

    /// A damaged region fed in small slices is searched once: the reader keeps at most
    /// 11 bytes of it, and reports it once, as the one-shot reader does.
    #[test]
    fn damaged_region_in_small_chunks_is_read_once() {
        let good = file(&[("loss", 1, 2.5)]);
        let mut bytes = good.clone();
        bytes.extend((0..200_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
        let garbage_end = bytes.len();
        bytes.extend_from_slice(&file(&[("loss", 2, 2.25)]));
        let whole = read(&bytes);
        let mut r = Reader::new();
        for c in bytes.chunks(7) {
            r.feed(c);
            assert!(r.pending.len() < 64, "pending grew to {}", r.pending.len());
        }
        let chunked = r.finish();
        assert_eq!(chunked.problems, whole.problems);
        assert_eq!(chunked.get("loss").map(|s| s.len()), Some(2));
        assert_eq!(whole.problems.len(), 1, "{:?}", whole.problems);
        assert_eq!(whole.problems[0].at, Location::Byte(good.len() as u64));
        let skipped = garbage_end - good.len();
        assert!(whole.problems[0]
            .message
            .contains(&format!("skipped {skipped} bytes")));
    }

    #[test]
    fn damaged_tail_is_reported_as_skipped() {
        let good = file(&[("loss", 1, 2.5)]);
        let mut bytes = good.clone();
        bytes.extend(std::iter::repeat_n(0xa5u8, 100));
        let c = read(&bytes);
        assert_eq!(c.get("loss").map(|s| s.len()), Some(1));
        assert_eq!(c.problems.len(), 1, "{:?}", c.problems);
        assert_eq!(c.problems[0].at, Location::Byte(good.len() as u64));
        assert!(c.problems[0]
            .message
            .contains("the last 100 bytes were skipped"));
    }
}
