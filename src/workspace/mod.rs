//! The many-runs workspace's computations (issue 14): lines read through one trait
//! ([`Points`]) whatever holds them, grouping runs into a line and a band ([`group`]), the
//! robust y-range of what is in view ([`robust`]), the step-range table ([`range`]),
//! events on the x axis ([`events`]) and the CPT-then-SFT step sequence ([`sequence`]);
//! the view's own pure parts: its panels and crosshair ([`model`]), what each panel draws
//! beyond its runs' lines ([`panel`]) and its colour keys ([`palette`]).
//!
//! Pure: no browser imports, no I/O. Every point is read where it is stored (a
//! [`Series`]'s columns, or plain slices): nothing here copies a line to look at it.

pub mod events;
pub mod group;
pub mod model;
pub mod palette;
pub mod panel;
pub mod range;
pub mod robust;
pub mod sequence;
pub mod synth;

use crate::chart::series_math::{first_not, monotonic_runs, XAxis};
use crate::ingest::Series;

/// A line's points read by index: x (on the chosen axis) and y. Points are in the order
/// they were logged; x grows within each of [`Points::segments`] (a restart starts a new
/// segment). A non-finite x means the point has no place on the axis and is skipped.
pub trait Points {
    /// Number of points.
    fn len(&self) -> usize;
    /// X of point `i`.
    fn x(&self, i: usize) -> f64;
    /// Y of point `i`.
    fn y(&self, i: usize) -> f64;
    /// Whether there are no points.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Index ranges over which x does not go back (by default found by reading every x).
    fn segments(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut start = 0;
        for i in 1..self.len() {
            if self.x(i) < self.x(i - 1) {
                out.push((start, i));
                start = i;
            }
        }
        if start < self.len() {
            out.push((start, self.len()));
        }
        out
    }
    /// Calls `f(i, y)` for the points `lo..hi` in order (override when it can go faster
    /// than one [`Points::y`] call per point).
    fn each_y(&self, lo: usize, hi: usize, f: &mut dyn FnMut(usize, f64)) {
        for i in lo..hi.min(self.len()) {
            f(i, self.y(i));
        }
    }
    /// Appends the x of the points `lo..hi` to `xs` (override when it can go faster than
    /// a call per point).
    fn read_x(&self, lo: usize, hi: usize, xs: &mut Vec<f64>) {
        xs.extend((lo..hi.min(self.len())).map(|i| self.x(i)));
    }
    /// Appends the y of the points `lo..hi` to `ys` (override when it can go faster than
    /// [`Points::each_y`]).
    fn read_y(&self, lo: usize, hi: usize, ys: &mut Vec<f64>) {
        self.each_y(lo, hi, &mut |_, y| ys.push(y));
    }
    /// Appends the x and y of the points `lo..hi` to `xs` and `ys`.
    fn read(&self, lo: usize, hi: usize, xs: &mut Vec<f64>, ys: &mut Vec<f64>) {
        self.read_x(lo, hi, xs);
        self.read_y(lo, hi, ys);
    }
}

impl<T: Points + ?Sized> Points for &T {
    fn len(&self) -> usize {
        (**self).len()
    }
    fn x(&self, i: usize) -> f64 {
        (**self).x(i)
    }
    fn y(&self, i: usize) -> f64 {
        (**self).y(i)
    }
    fn segments(&self) -> Vec<(usize, usize)> {
        (**self).segments()
    }
    fn each_y(&self, lo: usize, hi: usize, f: &mut dyn FnMut(usize, f64)) {
        (**self).each_y(lo, hi, f)
    }
    fn read_x(&self, lo: usize, hi: usize, xs: &mut Vec<f64>) {
        (**self).read_x(lo, hi, xs)
    }
    fn read_y(&self, lo: usize, hi: usize, ys: &mut Vec<f64>) {
        (**self).read_y(lo, hi, ys)
    }
    fn read(&self, lo: usize, hi: usize, xs: &mut Vec<f64>, ys: &mut Vec<f64>) {
        (**self).read(lo, hi, xs, ys)
    }
}

/// Plain columns: x values and y values (`f32` or `f64`), the shorter length counts.
impl<Y: Copy + Into<f64>> Points for (&[f64], &[Y]) {
    fn len(&self) -> usize {
        self.0.len().min(self.1.len())
    }
    fn x(&self, i: usize) -> f64 {
        self.0.get(i).copied().unwrap_or(f64::NAN)
    }
    fn y(&self, i: usize) -> f64 {
        self.1.get(i).map_or(f64::NAN, |&v| v.into())
    }
    fn read_x(&self, lo: usize, hi: usize, xs: &mut Vec<f64>) {
        xs.extend_from_slice(self.0.get(lo..hi.min(self.len())).unwrap_or_default());
    }
    fn read_y(&self, lo: usize, hi: usize, ys: &mut Vec<f64>) {
        let y = self.1.get(lo..hi.min(self.len())).unwrap_or_default();
        ys.extend(y.iter().map(|&v| v.into()));
    }
}

/// Appends to `$out` the values `$each` (a `Series::each_*` reader) hands over for the
/// points `$lo..$hi`, mapped by `$f`, written in place (no length update per value, as a
/// push would do).
macro_rules! each_in_place {
    ($out:expr, $lo:expr, $hi:expr, $s:ident . $each:ident, $f:expr) => {{
        let (out, lo, hi): (&mut Vec<f64>, usize, usize) = ($out, $lo, $hi);
        let from = out.len();
        out.resize(from + hi.min($s.len()).saturating_sub(lo), f64::NAN);
        let slots = &mut out[from..];
        $s.$each(lo, hi, |i, v| {
            if let Some(o) = slots.get_mut(i.wrapping_sub(lo)) {
                *o = $f(v);
            }
        });
    }};
}

/// A series seen on an x axis, with its raw values or its smoothed ones (no copy).
#[derive(Clone, Copy)]
pub struct SeriesPoints<'a> {
    /// The points.
    pub series: &'a Series,
    /// Which x the points are placed at.
    pub axis: XAxis,
    /// Smoothed values (one per point) to read instead of the raw ones.
    pub smoothed: Option<&'a [f32]>,
}

impl<'a> SeriesPoints<'a> {
    /// The raw values of `series` on `axis`.
    pub fn new(series: &'a Series, axis: XAxis) -> Self {
        SeriesPoints {
            series,
            axis,
            smoothed: None,
        }
    }
}

impl Points for SeriesPoints<'_> {
    fn len(&self) -> usize {
        self.series.len()
    }
    fn x(&self, i: usize) -> f64 {
        self.axis.x(self.series, i)
    }
    fn y(&self, i: usize) -> f64 {
        match self.smoothed {
            Some(v) => v.get(i).map_or(f64::NAN, |&v| v as f64),
            None => self.series.value(i),
        }
    }
    fn segments(&self) -> Vec<(usize, usize)> {
        // Time axes never go back; the step does at a restart, and m4 draws by the same.
        monotonic_runs(self.series)
    }
    fn each_y(&self, lo: usize, hi: usize, f: &mut dyn FnMut(usize, f64)) {
        match self.smoothed {
            Some(v) => {
                let hi = hi.min(v.len());
                for (k, &y) in v.get(lo..hi).unwrap_or_default().iter().enumerate() {
                    f(lo + k, y as f64);
                }
            }
            None => self.series.each_value(lo, hi, f),
        }
    }
    fn read_x(&self, lo: usize, hi: usize, xs: &mut Vec<f64>) {
        let s = self.series;
        xs.reserve(hi.min(s.len()).saturating_sub(lo));
        match self.axis {
            // Chunk by chunk: the step axes are the common case of grouping 10M points.
            XAxis::Step => each_in_place!(xs, lo, hi, s.each_step, |st: i64| st as f64),
            XAxis::Tokens(k) => each_in_place!(xs, lo, hi, s.each_step, |st: i64| st as f64 * k),
            axis => xs.extend((lo..hi.min(s.len())).map(|i| axis.x(s, i))),
        }
    }
    fn read_y(&self, lo: usize, hi: usize, ys: &mut Vec<f64>) {
        let s = self.series;
        ys.reserve(hi.min(s.len()).saturating_sub(lo));
        match self.smoothed {
            Some(v) => {
                let v = v.get(lo..hi.min(v.len()).min(s.len())).unwrap_or_default();
                ys.extend(v.iter().map(|&y| y as f64));
            }
            None => each_in_place!(ys, lo, hi, s.each_value, |y: f64| y),
        }
    }
}

/// Every x of `p` along its [`timeline`], in order (non-finite x left out), into `xs`
/// (cleared first; a buffer reused across lines saves allocating and faulting in pages).
pub fn timeline_x<P: Points + ?Sized>(p: &P, xs: &mut Vec<f64>) {
    xs.clear();
    for (lo, hi) in timeline(p) {
        p.read_x(lo, hi, xs);
    }
    xs.retain(|x| x.is_finite());
}

/// First index in `lo..hi` whose x is `>= x` (x grows over the range; a NaN x counts as
/// past every x, so it is never taken as inside a range).
pub fn lower_bound<P: Points + ?Sized>(p: &P, lo: usize, hi: usize, x: f64) -> usize {
    first_not(lo, hi, |m| p.x(m) < x)
}

/// The run's own timeline: index ranges, ascending in x across them, where a later segment
/// (a resume from a checkpoint) replaces what an earlier one logged from the later one's
/// first x on. This is the line a run "has" at each x: its last word.
pub fn timeline<P: Points + ?Sized>(p: &P) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut cutoff = f64::INFINITY;
    for (lo, hi) in p.segments().into_iter().rev() {
        let end = if cutoff == f64::INFINITY {
            hi
        } else {
            cut(p, lo, hi, cutoff)
        };
        if end > lo {
            out.push((lo, end));
        }
        if let Some(first) = (lo..hi).map(|i| p.x(i)).find(|x| x.is_finite()) {
            cutoff = cutoff.min(first);
        }
    }
    out.reverse();
    out
}

/// First index in `lo..hi` whose x is `>= cutoff`, a missing (NaN) x read as the last x
/// before it (so a wall time the log lacks neither ends its segment early nor lets a later
/// segment's points in).
fn cut<P: Points + ?Sized>(p: &P, lo: usize, hi: usize, cutoff: f64) -> usize {
    let x_at = |m: usize| {
        (lo..=m)
            .rev()
            .map(|i| p.x(i))
            .find(|x| !x.is_nan())
            .unwrap_or(f64::NEG_INFINITY)
    };
    let (mut a, mut b) = (lo, hi);
    while a < b {
        let m = a + (b - a) / 2;
        if x_at(m) < cutoff {
            a = m + 1;
        } else {
            b = m;
        }
    }
    a
}

/// Points read a batch at a time.
const BATCH: usize = 2048;

/// Walks a line's [`timeline`] point by point, `(x, y)` in x order (non-finite x skipped),
/// reading the points a batch at a time ([`Points::read`]).
pub struct Walk<'a, P: ?Sized> {
    p: &'a P,
    ranges: Vec<(usize, usize)>,
    r: usize,
    i: usize,
    xs: Vec<f64>,
    ys: Vec<f64>,
    k: usize,
}

impl<'a, P: Points + ?Sized> Walk<'a, P> {
    /// A walk over `p`'s timeline from its first point.
    pub fn new(p: &'a P) -> Self {
        let ranges = timeline(p);
        let i = ranges.first().map_or(0, |r| r.0);
        Walk {
            p,
            ranges,
            r: 0,
            i,
            xs: Vec::with_capacity(BATCH),
            ys: Vec::with_capacity(BATCH),
            k: 0,
        }
    }

    /// The next point without moving past it.
    #[inline]
    pub fn peek(&mut self) -> Option<(f64, f64)> {
        loop {
            if let (Some(&x), Some(&y)) = (self.xs.get(self.k), self.ys.get(self.k)) {
                if x.is_finite() {
                    return Some((x, y));
                }
                self.k += 1;
                continue;
            }
            self.refill()?;
        }
    }

    /// The points read but not yet walked past, as they are in the batch (x, y); a
    /// non-finite x among them has not been skipped.
    pub fn buffered(&self) -> (&[f64], &[f64]) {
        (
            self.xs.get(self.k..).unwrap_or_default(),
            self.ys.get(self.k..).unwrap_or_default(),
        )
    }

    /// Walks past `n` of the [`Walk::buffered`] points.
    pub fn pass(&mut self, n: usize) {
        self.k = (self.k + n).min(self.xs.len());
    }

    /// Reads the next batch; `None` at the end.
    fn refill(&mut self) -> Option<()> {
        let &(_, hi) = self.ranges.get(self.r)?;
        if self.i >= hi {
            self.r += 1;
            self.i = self.ranges.get(self.r)?.0;
            return Some(());
        }
        let end = hi.min(self.i + BATCH);
        self.xs.clear();
        self.ys.clear();
        self.k = 0;
        self.p.read(self.i, end, &mut self.xs, &mut self.ys);
        self.i = end;
        Some(())
    }
}

impl<P: Points + ?Sized> Iterator for Walk<'_, P> {
    /// `(x, y)`.
    type Item = (f64, f64);
    #[inline]
    fn next(&mut self) -> Option<(f64, f64)> {
        let v = self.peek()?;
        self.k += 1;
        Some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(points: &[(i64, f64)]) -> Series {
        let mut s = Series::new("t");
        for &(st, v) in points {
            s.push(st, f64::NAN, v);
        }
        s
    }

    #[test]
    fn a_resume_replaces_what_the_earlier_segment_logged_from_its_first_step() {
        let s = series(&[(1, 1.0), (2, 2.0), (3, 3.0), (4, 4.0), (3, 30.0), (5, 50.0)]);
        let p = SeriesPoints::new(&s, XAxis::Step);
        assert_eq!(timeline(&p), vec![(0, 2), (4, 6)]);
        let xy: Vec<(f64, f64)> = Walk::new(&p).collect();
        assert_eq!(xy, vec![(1.0, 1.0), (2.0, 2.0), (3.0, 30.0), (5.0, 50.0)]);
        // A resume from before the first segment's start replaces all of it.
        let s = series(&[(5, 1.0), (6, 2.0), (1, 3.0), (2, 4.0)]);
        assert_eq!(timeline(&SeriesPoints::new(&s, XAxis::Step)), vec![(2, 4)]);
    }

    /// A point whose wall time the log lacks is skipped on the time axes; the points after
    /// it stay (a binary search landing on it used to end the line there), and a resume
    /// still replaces what came before it from its first time on.
    #[test]
    fn a_missing_x_keeps_the_rest_of_its_line() {
        let mut s = Series::new("t");
        let points = [
            (1, 10.0),
            (2, f64::NAN),
            (3, 30.0),
            (4, 40.0),
            (3, 35.0),
            (4, 40.0),
            (5, f64::NAN),
            (6, 60.0),
        ];
        for (st, wall) in points {
            s.push(st, wall, st as f64);
        }
        let p = SeriesPoints::new(&s, XAxis::Wall);
        let xy: Vec<(f64, f64)> = Walk::new(&p).collect();
        assert_eq!(
            xy,
            vec![
                (10.0, 1.0),
                (30.0, 3.0),
                (35.0, 3.0),
                (40.0, 4.0),
                (60.0, 6.0)
            ]
        );
    }

    #[test]
    fn batch_reads_equal_point_by_point_reads_on_every_axis() {
        let mut s = Series::new("t");
        for i in 0..70_000i64 {
            s.push(i % 40_000, 1e9 + i as f64 * 0.5, (i % 97) as f64 * 0.25);
        }
        let smoothed: Vec<f32> = (0..70_000).map(|i| i as f32).collect();
        for axis in [
            XAxis::Step,
            XAxis::Tokens(8.0),
            XAxis::Relative,
            XAxis::Wall,
        ] {
            for sm in [None, Some(&smoothed[..])] {
                let p = SeriesPoints {
                    series: &s,
                    axis,
                    smoothed: sm,
                };
                let (mut xs, mut ys) = (Vec::new(), Vec::new());
                p.read(65_000, 70_000, &mut xs, &mut ys);
                let want_x: Vec<f64> = (65_000..70_000).map(|i| axis.x(&s, i)).collect();
                let want_y: Vec<f64> = (65_000..70_000).map(|i| p.y(i)).collect();
                assert_eq!((xs, ys), (want_x, want_y), "{axis:?}");
            }
        }
    }

    #[test]
    fn plain_slices_find_their_own_segments_and_skip_non_finite_x() {
        let x = [1.0, f64::NAN, 3.0, 2.0, 4.0];
        let y = [1.0f32, 2.0, 3.0, 4.0, 5.0];
        let p = (&x[..], &y[..]);
        assert_eq!(p.segments(), vec![(0, 3), (3, 5)]);
        let walked: Vec<(f64, f64)> = Walk::new(&p).collect();
        assert_eq!(walked, vec![(1.0, 1.0), (2.0, 4.0), (4.0, 5.0)]);
    }
}
