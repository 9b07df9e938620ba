//! Loss curves carried in a share link beside the archive (`#share=v1.…&curves=v1.…`): for
//! each train step, its loss series reduced to what a chart needs at full width (the first,
//! lowest, highest and last point of each of a few hundred buckets), packed and compressed
//! to a few KB.
//!
//! Pure. **Invariant: decoding any fragment returns curves or an error; it never panics,
//! and never allocates past a cap.**

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use super::{unpack, ShareError};
use crate::ingest::{Columns, Curves, Series};
use crate::runs::Run;

/// The fragment part that carries curves (versioned, so the format can change).
pub const CURVES_PREFIX: &str = "curves=v1.";

/// Buckets a series is reduced to: at most four points each.
pub const BUCKETS: usize = 400;

/// Points per curve a link may carry at most (a hostile link stops here).
const MAX_POINTS: usize = 100_000;
/// Curves a link may carry at most.
const MAX_CURVES: usize = 256;

/// One train step's curve in a link.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedCurve {
    /// Index of the step in the archive.
    pub step_index: usize,
    /// The curve file it was read from (its name, for the note under the chart).
    pub file: String,
    /// Points in the original file.
    pub original_points: u64,
    /// The reduced series.
    pub series: Series,
}

/// The series reduced to the first, lowest, highest and last point of each of `buckets`
/// equal runs of points, in order; a series that is short enough is kept whole.
pub fn reduce(s: &Series, buckets: usize) -> Series {
    let n = s.len();
    let mut out = Series::new(s.tag.clone());
    let wall = |i: usize| s.wall(i).unwrap_or(f64::NAN);
    if n <= buckets.max(1) * 4 {
        out.extend_points((0..n).map(|i| (s.step(i), wall(i), s.value(i))));
        return out;
    }
    let mut keep: Vec<usize> = Vec::with_capacity(buckets * 4);
    for b in 0..buckets {
        let lo = b * n / buckets;
        let hi = ((b + 1) * n / buckets).max(lo + 1).min(n);
        let (mut min, mut max) = (lo, lo);
        for i in lo..hi {
            let v = s.value(i);
            if v < s.value(min) || s.value(min).is_nan() {
                min = i;
            }
            if v > s.value(max) || s.value(max).is_nan() {
                max = i;
            }
        }
        let mut four = [lo, min, max, hi - 1];
        four.sort_unstable();
        for i in four {
            if keep.last() != Some(&i) {
                keep.push(i);
            }
        }
    }
    out.extend_points(keep.into_iter().map(|i| (s.step(i), wall(i), s.value(i))));
    out
}

/// The curves a link of `run` carries: for each train step whose curve file has been read
/// (`read(step index)` gives the file's name and its series), the loss series reduced.
pub fn for_run<'a>(
    run: &Run,
    read: impl Fn(usize) -> Option<(String, &'a Curves)>,
) -> Vec<SharedCurve> {
    run.train_step_curves()
        .into_iter()
        .filter_map(|(i, _)| {
            let (file, curves) = read(i)?;
            let loss = curves.loss_series()?;
            Some(SharedCurve {
                step_index: i,
                file,
                original_points: loss.len() as u64,
                series: reduce(loss, BUCKETS),
            })
        })
        .collect()
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    let b = &s.as_bytes()[..s.len().min(u16::MAX as usize)];
    out.extend_from_slice(&(b.len() as u16).to_le_bytes());
    out.extend_from_slice(b);
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// The `curves=v1.…` fragment part for these curves.
pub fn encode(curves: &[SharedCurve]) -> String {
    let mut raw = Vec::new();
    let curves = &curves[..curves.len().min(MAX_CURVES)];
    raw.extend_from_slice(&(curves.len() as u16).to_le_bytes());
    for c in curves {
        let s = &c.series;
        let n = s.len().min(MAX_POINTS);
        raw.extend_from_slice(&(c.step_index.min(u16::MAX as usize) as u16).to_le_bytes());
        put_str(&mut raw, &c.file);
        put_str(&mut raw, &s.tag);
        raw.extend_from_slice(&c.original_points.to_le_bytes());
        raw.extend_from_slice(&(n as u32).to_le_bytes());
        let base = (0..n).find_map(|i| s.wall(i));
        raw.push(u8::from(base.is_some()));
        if let Some(b) = base {
            raw.extend_from_slice(&b.to_le_bytes());
        }
        let mut prev = 0i64;
        for i in 0..n {
            let d = s.step(i).wrapping_sub(prev);
            prev = s.step(i);
            put_varint(&mut raw, ((d << 1) ^ (d >> 63)) as u64);
            raw.extend_from_slice(&(s.value(i) as f32).to_le_bytes());
            if let Some(b) = base {
                let w = s.wall(i).map_or(f32::NAN, |w| (w - b) as f32);
                raw.extend_from_slice(&w.to_le_bytes());
            }
        }
    }
    let packed = miniz_oxide::deflate::compress_to_vec(&raw, 9);
    format!("{CURVES_PREFIX}{}", URL_SAFE_NO_PAD.encode(packed))
}

/// Reads bytes in order; every read is checked.
struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], ShareError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.b.len());
        let end =
            end.ok_or_else(|| ShareError::Damaged(format!("curves end at byte {}", self.at)))?;
        let s = &self.b[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], ShareError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }
    fn u16(&mut self) -> Result<u16, ShareError> {
        Ok(u16::from_le_bytes(self.array()?))
    }
    fn str(&mut self) -> Result<String, ShareError> {
        let n = self.u16()? as usize;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| ShareError::NotText)
    }
    fn varint(&mut self) -> Result<u64, ShareError> {
        let mut v = 0u64;
        for shift in (0..70).step_by(7) {
            let byte = self.take(1)?[0];
            v |= u64::from(byte & 0x7f).checked_shl(shift).unwrap_or(0);
            if byte & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(ShareError::Damaged("a step number is too long".into()))
    }
}

/// Reads the curves of a fragment; none when it carries no `curves=` part.
pub fn decode(fragment: &str) -> Result<Vec<SharedCurve>, ShareError> {
    let frag = fragment.strip_prefix('#').unwrap_or(fragment);
    let Some(payload) = frag.split('&').find_map(|p| p.strip_prefix(CURVES_PREFIX)) else {
        return Ok(Vec::new());
    };
    let raw = unpack(payload)?;
    let mut r = Reader { b: &raw, at: 0 };
    let count = r.u16()? as usize;
    if count > MAX_CURVES {
        return Err(ShareError::Damaged(format!("{count} curves")));
    }
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let step_index = r.u16()? as usize;
        let file = r.str()?;
        let tag = r.str()?;
        let original_points = u64::from_le_bytes(r.array()?);
        let n = u32::from_le_bytes(r.array()?) as usize;
        if n > MAX_POINTS {
            return Err(ShareError::Damaged(format!("{n} points in one curve")));
        }
        let base = match r.take(1)?[0] {
            0 => None,
            _ => Some(f64::from_le_bytes(r.array()?)),
        };
        // `append` does not read the columns' tag.
        let mut points = Columns::new(String::new());
        let mut step = 0i64;
        for _ in 0..n {
            let z = r.varint()?;
            let d = ((z >> 1) as i64) ^ -((z & 1) as i64);
            step = step.wrapping_add(d);
            let value = f32::from_le_bytes(r.array()?) as f64;
            let wall = match base {
                Some(b) => b + f32::from_le_bytes(r.array()?) as f64,
                None => f64::NAN,
            };
            points.push(step, wall, value);
        }
        let mut series = Series::new(tag);
        series.append(&points);
        out.push(SharedCurve {
            step_index,
            file,
            original_points,
            series,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(n: usize) -> Series {
        let mut s = Series::new("lm loss");
        for i in 0..n {
            let v = 3.0 / (1.0 + i as f64 / 100.0) + if i % 97 == 0 { 0.5 } else { 0.0 };
            s.push(i as i64 * 10, 1.7e9 + i as f64 * 2.5, v);
        }
        s
    }

    #[test]
    fn a_reduced_curve_keeps_its_extremes_and_ends() {
        let s = series(20_000);
        let r = reduce(&s, BUCKETS);
        assert!(r.len() <= BUCKETS * 4 && r.len() > BUCKETS, "{}", r.len());
        assert_eq!((r.step(0), r.step(r.len() - 1)), (0, 199_990));
        let max = (0..s.len()).map(|i| s.value(i)).fold(f64::MIN, f64::max);
        let min = (0..s.len()).map(|i| s.value(i)).fold(f64::MAX, f64::min);
        assert_eq!(r.values().fold(f64::MIN, f64::max), max);
        assert_eq!(r.values().fold(f64::MAX, f64::min), min);
        assert!((1..r.len()).all(|i| r.step(i) > r.step(i - 1)), "in order");
        // Short series travel whole.
        let short = reduce(&series(50), BUCKETS);
        assert_eq!(short.len(), 50);
        assert!((0..50).all(|i| short.value(i) == series(50).value(i)));
    }

    #[test]
    fn curves_survive_the_link_and_stay_small() {
        let s = series(20_000);
        let c = SharedCurve {
            step_index: 3,
            file: "events.out.tfevents.1".into(),
            original_points: 20_000,
            series: reduce(&s, BUCKETS),
        };
        let part = encode(std::slice::from_ref(&c));
        assert!(part.starts_with(CURVES_PREFIX));
        assert!(part.len() < 24_000, "{} chars", part.len());
        let back = decode(&format!("#share=v1.xyz&{part}")).expect("decodes");
        assert_eq!(back.len(), 1);
        let b = &back[0];
        assert_eq!(
            (b.step_index, b.file.as_str(), b.original_points),
            (3, c.file.as_str(), 20_000)
        );
        assert_eq!(b.series.len(), c.series.len());
        for i in 0..b.series.len() {
            assert_eq!(b.series.step(i), c.series.step(i));
            assert_eq!(b.series.value(i), c.series.value(i) as f32 as f64);
            let (x, y) = (
                b.series.wall(i).expect("wall"),
                c.series.wall(i).expect("wall"),
            );
            assert!((x - y).abs() < 0.01, "{x} {y}");
        }
        // Restarts (steps going back) are kept.
        let mut r = Series::new("loss");
        for (st, v) in [(10, 1.0), (20, 0.5), (15, 0.75), (25, 0.25)] {
            r.push(st, f64::NAN, v);
        }
        let c = SharedCurve {
            step_index: 0,
            file: "a.csv".into(),
            original_points: 4,
            series: r.clone(),
        };
        let back = decode(&encode(&[c])).expect("decodes");
        let b = &back[0].series;
        assert_eq!(b.restarts, r.restarts);
        assert_eq!(b.restarts, [2]);
        assert!((0..4).all(|i| b.step(i) == r.step(i) && b.value(i) == r.value(i)));
        assert_eq!(b.wall(0), None);
    }

    #[test]
    fn a_link_without_curves_has_none_and_damage_is_an_error() {
        assert_eq!(decode("#share=v1.abc"), Ok(Vec::new()));
        assert!(decode("#curves=v1.!!").is_err());
        let cut = encode(&[SharedCurve {
            step_index: 0,
            file: "f".into(),
            original_points: 9,
            series: series(100),
        }]);
        for end in [12, cut.len() / 2, cut.len() - 3] {
            let _ = decode(&cut[..end]);
        }
        // A valid deflate stream of garbage is an error, not a panic.
        let junk = miniz_oxide::deflate::compress_to_vec(&[0xff; 64], 9);
        assert!(decode(&format!("{CURVES_PREFIX}{}", URL_SAFE_NO_PAD.encode(junk))).is_err());
    }
}
