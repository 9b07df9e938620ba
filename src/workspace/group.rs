//! Grouping runs: one line (mean, median, min or max) and a band (min–max or ±1 std) per
//! group, at the same x values across members, and the key runs are bucketed by.
//!
//! The x values are the sorted union of every member's x (a merge of the already sorted
//! lines, pair by pair: O(points x log members)). At each x a member that logged it
//! counts with its own value; one that logged points either side counts with the linear
//! interpolation between them (the band says so); one whose points all lie before or
//! after does not count. Every point of every member is read; nothing is sampled.
//! Cost: O(points x log members + union x members), memory: the output plus one merge
//! level.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

use super::{timeline_x, Points, Walk};
use crate::chart::series_math::push_in_order;
use crate::query::value::{format_number, FieldValue};

/// The group's line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stat {
    /// Mean of the members' values.
    Mean,
    /// Median (the mean of the two middle values for an even count).
    Median,
    /// Lowest value.
    Min,
    /// Highest value.
    Max,
}

/// The group's band.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BandKind {
    /// From the lowest to the highest member value.
    MinMax,
    /// Mean ± one standard deviation (population: divided by the count).
    Std,
}

/// A group's line and band, one entry per x of the union of its members' x values.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Band {
    /// X values, ascending, each once.
    pub x: Vec<f64>,
    /// The line ([`Stat`] of the members' values at each x).
    pub center: Vec<f64>,
    /// Band bottom.
    pub lo: Vec<f64>,
    /// Band top.
    pub hi: Vec<f64>,
    /// How many members have a value at each x (NaN values do not count).
    pub n: Vec<u32>,
    /// Whether any value was interpolated (members log different x values).
    pub interpolated: bool,
}

/// X values filled per member at a time: the members' values at one block of x values
/// stay in cache while the statistics read them across members.
const BLOCK: usize = 512;

/// The line and band of `members` (each a line of one run, x ascending within its
/// [`super::timeline`]).
pub fn band<P: Points>(members: &[P], stat: Stat, kind: BandKind) -> Band {
    let x = union_grid(members);
    let mut out = Band {
        center: Vec::with_capacity(x.len()),
        lo: Vec::with_capacity(x.len()),
        hi: Vec::with_capacity(x.len()),
        n: Vec::with_capacity(x.len()),
        ..Band::default()
    };
    let m = members.len();
    let mut cursors: Vec<Cursor<'_, P>> = members.iter().map(Cursor::new).collect();
    // vals[k * m + j]: member j's value at the block's k-th x (NaN: none).
    let mut vals = vec![f64::NAN; BLOCK * m];
    for block in x.chunks(BLOCK) {
        for (j, c) in cursors.iter_mut().enumerate() {
            out.interpolated |= c.fill(block, vals.get_mut(j..).unwrap_or_default(), m);
        }
        for row in vals.chunks_mut(m.max(1)).take(block.len()) {
            let (n, center, lo, hi) = summarize(row, stat, kind);
            out.center.push(center);
            out.lo.push(lo);
            out.hi.push(hi);
            out.n.push(n as u32);
        }
    }
    out.x = x;
    out
}

/// The indexes of `b`'s points to draw for x in `[x0, x1]` over `width` pixel columns, in
/// order: per column its first and last point and those with the lowest and highest line
/// value, the lowest band bottom and the highest band top (so the line and band drawn cover
/// the pixels drawing every point would), plus one point either side of the view to carry
/// them to its edges. O(points in view), a frame's work for a band of any length.
pub fn visible(b: &Band, (x0, x1): (f64, f64), width: usize) -> Vec<usize> {
    let start = b.x.partition_point(|&x| x < x0);
    let end = b.x.partition_point(|&x| x <= x1);
    let mut out = Vec::new();
    if start > 0 {
        out.push(start - 1);
    }
    let px = (x1 - x0) / width.max(1) as f64;
    let mut i = start;
    while i < end {
        let col = ((b.x[i] - x0) / px).floor();
        let col_end = x0 + (col + 1.0) * px;
        let j = (i + b.x[i..end].partition_point(|&x| x < col_end)).max(i + 1);
        let pick = |v: &[f64], lower: bool| {
            (i..j).fold(i, |best, k| {
                let (a, c) = (v.get(k).copied(), v.get(best).copied());
                match (a, c) {
                    (Some(a), Some(c)) if (lower && a < c) || (!lower && a > c) || c.is_nan() => k,
                    _ => best,
                }
            })
        };
        let keep = [
            i,
            j - 1,
            pick(&b.center, true),
            pick(&b.center, false),
            pick(&b.lo, true),
            pick(&b.hi, false),
        ];
        push_in_order(&mut out, keep);
        i = j;
    }
    if end < b.x.len() && end >= start {
        out.push(end);
    }
    out
}

/// Moves the non-NaN values of `row` to its front; their count.
fn compact(row: &mut [f64]) -> usize {
    let mut n = 0;
    for k in 0..row.len() {
        let v = row[k];
        if !v.is_nan() {
            row[n] = v;
            n += 1;
        }
    }
    n
}

/// The sorted union of the members' x values, each once. Members are merged into the
/// union one by one in two reused buffers (runs logging the same or nested x values keep
/// it as long as the longest member); when the union outgrows 4 times the longest member
/// (runs on different x grids) the rest goes through a tree of pairwise merges, so the
/// cost stays O(points x log members).
fn union_grid<P: Points>(members: &[P]) -> Vec<f64> {
    let (mut union, mut next, mut xs) = (Vec::new(), Vec::new(), Vec::new());
    let mut longest = 0;
    for (k, m) in members.iter().enumerate() {
        timeline_x(m, &mut xs);
        longest = longest.max(xs.len());
        merge_into(&union, &xs, &mut next);
        std::mem::swap(&mut union, &mut next);
        if union.len() > 4 * longest {
            return tree_union(union, members.get(k + 1..).unwrap_or_default());
        }
    }
    union
}

/// The union of `first` and the members' x values by a tree of pairwise merges.
fn tree_union<P: Points>(first: Vec<f64>, members: &[P]) -> Vec<f64> {
    let mut level = vec![first];
    for m in members {
        let mut xs = Vec::new();
        timeline_x(m, &mut xs);
        level.push(xs);
    }
    while level.len() > 1 {
        let mut next = Vec::with_capacity(level.len().div_ceil(2));
        let mut it = level.into_iter();
        while let Some(a) = it.next() {
            next.push(match it.next() {
                Some(b) => {
                    let mut out = Vec::new();
                    merge_into(&a, &b, &mut out);
                    out
                }
                None => a,
            });
        }
        level = next;
    }
    level.pop().unwrap_or_default()
}

/// Merges two ascending sequences into `out` (cleared first), ascending without repeats.
/// Runs that log the same x values (the common case) take the fast path: one comparison.
fn merge_into(a: &[f64], b: &[f64], out: &mut Vec<f64>) {
    out.clear();
    out.reserve(a.len().max(b.len()));
    let mut push = |v: f64| {
        if out.last().is_none_or(|&l| v > l) {
            out.push(v);
        }
    };
    if a == b || b.is_empty() {
        a.iter().for_each(|&v| push(v));
        return;
    }
    let (mut i, mut j) = (0, 0);
    while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
        if x <= y {
            push(x);
            i += 1;
        } else {
            push(y);
            j += 1;
        }
    }
    for &v in a
        .get(i..)
        .unwrap_or_default()
        .iter()
        .chain(b.get(j..).unwrap_or_default())
    {
        push(v);
    }
}

/// A member read in x order: the point at or before the x last asked for (`px` is -inf
/// before the first) and the one after it (`nx` is +inf past the last).
struct Cursor<'a, P> {
    walk: Walk<'a, P>,
    px: f64,
    py: f64,
    nx: f64,
    ny: f64,
}

impl<'a, P: Points> Cursor<'a, P> {
    fn new(p: &'a P) -> Self {
        let mut walk = Walk::new(p);
        let (nx, ny) = walk.next().unwrap_or((f64::INFINITY, f64::NAN));
        Cursor {
            walk,
            px: f64::NEG_INFINITY,
            py: f64::NAN,
            nx,
            ny,
        }
    }

    /// Writes the member's value at each x of `xs` (ascending, after the last call's) to
    /// `out[0]`, `out[stride]`, ...: its own (the last one logged at x), interpolated
    /// between its points either side, or NaN outside its first..last x. Whether any was
    /// interpolated.
    fn fill(&mut self, xs: &[f64], out: &mut [f64], stride: usize) -> bool {
        if self.fill_aligned(xs, out, stride) {
            return false;
        }
        let mut interpolated = false;
        for (&x, o) in xs.iter().zip(out.iter_mut().step_by(stride.max(1))) {
            while self.nx <= x {
                (self.px, self.py) = (self.nx, self.ny);
                (self.nx, self.ny) = self.walk.next().unwrap_or((f64::INFINITY, f64::NAN));
            }
            *o = if self.px == x {
                self.py
            } else if self.px > f64::NEG_INFINITY && self.nx < f64::INFINITY {
                interpolated = true;
                self.py + (self.ny - self.py) * ((x - self.px) / (self.nx - self.px))
            } else {
                f64::NAN
            };
        }
        interpolated
    }
}

#[cfg(test)]
thread_local! {
    /// How many times the aligned fast path ran (tests check both paths are taken).
    static FAST: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

impl<P: Points> Cursor<'_, P> {
    /// [`Cursor::fill`]'s fast path, taken when the member's next points sit exactly at
    /// `xs` (runs logging the same steps): their values are copied, nothing searched or
    /// interpolated. Whether it applied.
    fn fill_aligned(&mut self, xs: &[f64], out: &mut [f64], stride: usize) -> bool {
        let (Some((&first, rest)), Some(&last)) = (xs.split_first(), xs.last()) else {
            return true;
        };
        let (bx, by) = self.walk.buffered();
        if self.nx != first || bx.get(..rest.len()) != Some(rest) {
            return false;
        }
        #[cfg(test)]
        FAST.with(|f| f.set(f.get() + 1));
        let mut slots = out.iter_mut().step_by(stride.max(1));
        if let Some(o) = slots.next() {
            *o = self.ny;
        }
        for (o, &y) in slots.zip(by.get(..rest.len()).unwrap_or_default()) {
            *o = y;
        }
        if let (Some(&lx), Some(&ly)) = (rest.last(), by.get(rest.len().wrapping_sub(1))) {
            (self.nx, self.ny) = (lx, ly);
        }
        self.walk.pass(rest.len());
        // The member logged the last x again: the last one logged counts.
        let slot = (xs.len() - 1) * stride.max(1);
        while self.nx <= last {
            (self.px, self.py) = (self.nx, self.ny);
            (self.nx, self.ny) = self.walk.next().unwrap_or((f64::INFINITY, f64::NAN));
            if let Some(o) = out.get_mut(slot) {
                *o = self.py;
            }
        }
        true
    }
}

/// (count, center, band bottom, band top) of the values in `row` that are not NaN (the
/// row is reordered for a median); NaNs when there are none.
fn summarize(row: &mut [f64], stat: Stat, kind: BandKind) -> (usize, f64, f64, f64) {
    // One pass without branches: min and max pass over NaN by themselves.
    let (mut n, mut min, mut max, mut sum) = (0usize, f64::INFINITY, f64::NEG_INFINITY, 0.0);
    for &x in row.iter() {
        let ok = !x.is_nan();
        n += ok as usize;
        sum += if ok { x } else { 0.0 };
        min = min.min(x);
        max = max.max(x);
    }
    if n == 0 {
        return (0, f64::NAN, f64::NAN, f64::NAN);
    }
    let mean = sum / n as f64;
    let (lo, hi) = match kind {
        BandKind::MinMax => (min, max),
        BandKind::Std => {
            let sq = row
                .iter()
                .filter(|x| !x.is_nan())
                .map(|&x| (x - mean) * (x - mean));
            let sd = (sq.sum::<f64>() / n as f64).sqrt();
            (mean - sd, mean + sd)
        }
    };
    let center = match stat {
        Stat::Mean => mean,
        Stat::Median => {
            let k = compact(row);
            median(row.get_mut(..k).unwrap_or_default())
        }
        Stat::Min => min,
        Stat::Max => max,
    };
    (n, center, lo, hi)
}

/// The median of a non-empty slice (reordered), by selection, not sorting.
fn median(v: &mut [f64]) -> f64 {
    let (len, mid) = (v.len(), v.len() / 2);
    let (below, &mut upper, _) = v.select_nth_unstable_by(mid, f64::total_cmp);
    if len % 2 == 1 {
        return upper;
    }
    let lower = below.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    lower + (upper - lower) / 2.0
}

/// The bucket a run falls in when grouping by a field: numbers by value (`2e-5` and
/// `0.00002` are one group), text by its text, a missing field its own "(none)" group.
/// Ordered numbers first (ascending), then false, true, then text, then (none).
#[derive(Debug, Clone)]
pub enum GroupKey {
    /// A number (never NaN: field numbers are finite).
    Num(f64),
    /// `true` / `false`.
    Bool(bool),
    /// Text, as written.
    Text(String),
    /// The run has no such field.
    None,
}

/// The group key of a run's value of the grouping field.
pub fn group_key(value: Option<&FieldValue>) -> GroupKey {
    match value {
        // -0 and 0 are one value.
        Some(FieldValue::Num(n)) => GroupKey::Num(if *n == 0.0 { 0.0 } else { *n }),
        Some(FieldValue::Bool(b)) => GroupKey::Bool(*b),
        Some(FieldValue::Text(t)) => GroupKey::Text(t.clone()),
        None => GroupKey::None,
    }
}

impl GroupKey {
    fn rank(&self) -> u8 {
        match self {
            GroupKey::Num(_) => 0,
            GroupKey::Bool(_) => 1,
            GroupKey::Text(_) => 2,
            GroupKey::None => 3,
        }
    }
}

impl Ord for GroupKey {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (GroupKey::Num(a), GroupKey::Num(b)) => a.total_cmp(b),
            (GroupKey::Bool(a), GroupKey::Bool(b)) => a.cmp(b),
            (GroupKey::Text(a), GroupKey::Text(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

impl PartialOrd for GroupKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for GroupKey {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for GroupKey {}

impl fmt::Display for GroupKey {
    /// The legend's text: numbers in their shortest exact form, `(none)` for a missing one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GroupKey::Num(n) => f.write_str(&format_number(*n)),
            GroupKey::Bool(b) => write!(f, "{b}"),
            GroupKey::Text(t) => f.write_str(t),
            GroupKey::None => f.write_str("(none)"),
        }
    }
}

/// Buckets runs by key: each key once, in [`GroupKey`] order, with the positions (in
/// `keys`) of its runs in their given order.
pub fn groups(keys: impl IntoIterator<Item = GroupKey>) -> Vec<(GroupKey, Vec<usize>)> {
    let mut map: BTreeMap<GroupKey, Vec<usize>> = BTreeMap::new();
    for (i, k) in keys.into_iter().enumerate() {
        map.entry(k).or_default().push(i);
    }
    map.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::series_math::XAxis;
    use crate::ingest::Series;
    use crate::testutil::Rng;
    use crate::workspace::SeriesPoints;

    /// Random members: strictly increasing integer x with gaps, random y.
    fn members(rng: &mut Rng, count: usize) -> Vec<(Vec<f64>, Vec<f32>)> {
        (0..count)
            .map(|_| {
                let mut x = rng.below(20) as f64;
                let n = 1 + rng.below(30) as usize;
                let mut xs = Vec::new();
                let mut ys = Vec::new();
                for _ in 0..n {
                    xs.push(x);
                    ys.push((rng.unit() * 10.0 - 5.0) as f32);
                    x += 1.0 + rng.below(4) as f64;
                }
                (xs, ys)
            })
            .collect()
    }

    /// The value of one member at x, read the slow way; `None` outside it.
    fn naive_at(xs: &[f64], ys: &[f32], x: f64) -> Option<(f64, bool)> {
        if let Some(k) = xs.iter().position(|&v| v == x) {
            return Some((ys[k] as f64, false));
        }
        let after = xs.iter().position(|&v| v > x)?;
        if after == 0 {
            return None;
        }
        let (x0, x1) = (xs[after - 1], xs[after]);
        let t = (x - x0) / (x1 - x0);
        Some((
            ys[after - 1] as f64 * (1.0 - t) + ys[after] as f64 * t,
            true,
        ))
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
    }

    #[test]
    fn bands_match_a_naive_reading_of_every_member() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for round in 0..200 {
            let ms = members(&mut rng, 1 + round % 7);
            let views: Vec<(&[f64], &[f32])> = ms.iter().map(|(x, y)| (&x[..], &y[..])).collect();
            let mut grid: Vec<f64> = ms.iter().flat_map(|(x, _)| x.clone()).collect();
            grid.sort_by(f64::total_cmp);
            grid.dedup();
            for stat in [Stat::Mean, Stat::Median, Stat::Min, Stat::Max] {
                for kind in [BandKind::MinMax, BandKind::Std] {
                    let b = band(&views, stat, kind);
                    assert_eq!(b.x, grid);
                    let mut any_interp = false;
                    for (k, &x) in grid.iter().enumerate() {
                        let vals: Vec<(f64, bool)> = ms
                            .iter()
                            .filter_map(|(xs, ys)| naive_at(xs, ys, x))
                            .collect();
                        any_interp |= vals.iter().any(|v| v.1);
                        let mut v: Vec<f64> = vals.iter().map(|v| v.0).collect();
                        v.sort_by(f64::total_cmp);
                        let n = v.len();
                        let mean = v.iter().sum::<f64>() / n as f64;
                        let sd =
                            (v.iter().map(|a| (a - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
                        let med = if n % 2 == 1 {
                            v[n / 2]
                        } else {
                            (v[n / 2 - 1] + v[n / 2]) / 2.0
                        };
                        let want = match stat {
                            Stat::Mean => mean,
                            Stat::Median => med,
                            Stat::Min => v[0],
                            Stat::Max => v[n - 1],
                        };
                        let (lo, hi) = match kind {
                            BandKind::MinMax => (v[0], v[n - 1]),
                            BandKind::Std => (mean - sd, mean + sd),
                        };
                        assert_eq!(b.n[k] as usize, n, "round {round} x {x}");
                        assert!(close(b.center[k], want), "{stat:?} {} {want}", b.center[k]);
                        assert!(close(b.lo[k], lo) && close(b.hi[k], hi), "{kind:?} at {x}");
                    }
                    assert_eq!(b.interpolated, any_interp);
                }
            }
        }
    }

    /// The value at `x` of a member with possibly repeated x (the last one logged wins).
    fn reference_at(xs: &[f64], ys: &[f64], x: f64) -> Option<f64> {
        let after = xs.partition_point(|&v| v <= x);
        let k = after.checked_sub(1)?;
        if xs[k] == x {
            return Some(ys[k]);
        }
        let (x1, y1) = (*xs.get(after)?, ys[after]);
        let t = (x - xs[k]) / (x1 - xs[k]);
        Some(ys[k] * (1.0 - t) + y1 * t)
    }

    #[test]
    fn long_members_mostly_on_the_same_steps_match_the_reference() {
        let mut rng = Rng(0x0123_4567_89ab_cdef);
        let ms: Vec<(Vec<f64>, Vec<f64>)> = (0..6)
            .map(|k| {
                let (mut xs, mut ys) = (Vec::new(), Vec::new());
                for st in (k * 37)..9000 + k * 11 {
                    if rng.below(2000) == 0 {
                        continue; // a step this run did not log
                    }
                    let copies = if rng.below(2000) == 0 { 2 } else { 1 };
                    for _ in 0..copies {
                        xs.push(st as f64);
                        ys.push(if rng.below(100) == 0 {
                            f64::NAN
                        } else {
                            rng.unit()
                        });
                    }
                }
                (xs, ys)
            })
            .collect();
        let views: Vec<(&[f64], &[f64])> = ms.iter().map(|(x, y)| (&x[..], &y[..])).collect();
        FAST.with(|f| f.set(0));
        let b = band(&views, Stat::Mean, BandKind::MinMax);
        let fast = FAST.with(|f| f.get());
        assert!(
            fast > 20 && fast < 6 * 18,
            "both paths taken: {fast} fast blocks"
        );
        let mut grid: Vec<f64> = ms.iter().flat_map(|(x, _)| x.clone()).collect();
        grid.sort_by(f64::total_cmp);
        grid.dedup();
        assert_eq!(b.x, grid);
        for (k, &x) in grid.iter().enumerate() {
            let v: Vec<f64> = ms
                .iter()
                .filter_map(|(xs, ys)| reference_at(xs, ys, x))
                .filter(|v| !v.is_nan())
                .collect();
            assert_eq!(b.n[k] as usize, v.len(), "at {x}");
            if v.is_empty() {
                continue;
            }
            let mean = v.iter().sum::<f64>() / v.len() as f64;
            let min = v.iter().copied().fold(f64::INFINITY, f64::min);
            let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            assert!(close(b.center[k], mean), "at {x}: {} {mean}", b.center[k]);
            assert!(close(b.lo[k], min) && close(b.hi[k], max), "at {x}");
        }
    }

    #[test]
    fn members_on_different_grids_merge_into_one_union() {
        // Member k logs x = k, k + 20, k + 40, ...: the union outgrows the longest member.
        let ms: Vec<(Vec<f64>, Vec<f64>)> = (0..20)
            .map(|k| {
                let x: Vec<f64> = (0..50).map(|i| (k + 20 * i) as f64).collect();
                let y = x.iter().map(|v| v * 2.0).collect();
                (x, y)
            })
            .collect();
        let views: Vec<(&[f64], &[f64])> = ms.iter().map(|(x, y)| (&x[..], &y[..])).collect();
        let b = band(&views, Stat::Mean, BandKind::MinMax);
        let mut grid: Vec<f64> = ms.iter().flat_map(|(x, _)| x.clone()).collect();
        grid.sort_by(f64::total_cmp);
        assert_eq!(b.x, grid);
        for (k, &x) in grid.iter().enumerate() {
            let covering = ms
                .iter()
                .filter(|(xs, _)| xs[0] <= x && x <= xs[49])
                .count();
            assert_eq!(b.n[k] as usize, covering, "at {x}");
            // Every member lies on y = 2x, so every value, interpolated or not, is 2x.
            assert!((b.center[k] - 2.0 * x).abs() < 1e-9);
        }
        assert!(b.interpolated);
    }

    #[test]
    fn members_logging_the_same_steps_are_not_interpolated() {
        let x = [0.0, 10.0, 20.0];
        let (a, b) = ([1.0f32, 2.0, 3.0], [3.0f32, 4.0, 5.0]);
        let band = band(
            &[(&x[..], &a[..]), (&x[..], &b[..])],
            Stat::Mean,
            BandKind::MinMax,
        );
        assert_eq!(band.center, vec![2.0, 3.0, 4.0]);
        assert_eq!(band.lo, vec![1.0, 2.0, 3.0]);
        assert_eq!(band.hi, vec![3.0, 4.0, 5.0]);
        assert_eq!(band.n, vec![2, 2, 2]);
        assert!(!band.interpolated);
    }

    #[test]
    fn a_resumed_run_counts_with_what_it_logged_after_the_resume() {
        let mut s = Series::new("loss");
        for (step, v) in [(1, 10.0), (2, 20.0), (3, 30.0), (2, 2.0), (3, 3.0)] {
            s.push(step, f64::NAN, v);
        }
        let b = band(
            &[SeriesPoints::new(&s, XAxis::Step)],
            Stat::Max,
            BandKind::MinMax,
        );
        assert_eq!(b.x, vec![1.0, 2.0, 3.0]);
        assert_eq!(b.center, vec![10.0, 2.0, 3.0]);
    }

    #[test]
    fn the_drawn_points_keep_every_pixel_columns_extremes() {
        let mut rng = Rng(0xdead_beef_1234_5678);
        let n = 50_000;
        let mut x = 0.0;
        let mut b = Band::default();
        for _ in 0..n {
            x += 0.5 + rng.unit();
            let c = rng.unit();
            b.x.push(x);
            b.center.push(c);
            b.lo.push(c - rng.unit());
            b.hi.push(c + rng.unit());
            b.n.push(1);
        }
        let (x0, x1, width) = (b.x[1000], b.x[40_000] + 0.1, 300);
        let keep = visible(&b, (x0, x1), width);
        assert!(keep.windows(2).all(|w| w[0] < w[1]), "in order, each once");
        assert!(keep.len() <= 6 * width + 8, "{}", keep.len());
        assert_eq!(
            (keep[0], keep[keep.len() - 1]),
            (999, 40_001),
            "one point either side"
        );
        let px = (x1 - x0) / width as f64;
        let column = |k: usize| ((b.x[k] - x0) / px).floor() as i64;
        type Ext = (f64, f64, f64, f64);
        let extremes = |ks: &mut dyn Iterator<Item = usize>| {
            let mut m = std::collections::BTreeMap::<i64, Ext>::new();
            for k in ks {
                let e = m
                    .entry(column(k))
                    .or_insert((f64::MAX, f64::MIN, f64::MAX, f64::MIN));
                *e = (
                    e.0.min(b.center[k]),
                    e.1.max(b.center[k]),
                    e.2.min(b.lo[k]),
                    e.3.max(b.hi[k]),
                );
            }
            m
        };
        let all = extremes(&mut (1000..=40_000));
        let drawn = extremes(
            &mut keep
                .iter()
                .copied()
                .filter(|&k| (1000..=40_000).contains(&k)),
        );
        assert_eq!(all, drawn);
    }

    #[test]
    fn no_members_is_an_empty_band() {
        let none: [(&[f64], &[f64]); 0] = [];
        assert_eq!(band(&none, Stat::Mean, BandKind::Std), Band::default());
    }

    #[test]
    fn numbers_group_by_value_text_by_text_and_missing_apart() {
        let vals = [
            Some(FieldValue::Num(2e-5)),
            Some(FieldValue::Text("a".into())),
            None,
            Some(FieldValue::Num(0.00002)),
            Some(FieldValue::Num(1e-4)),
            Some(FieldValue::Text("a".into())),
        ];
        let g = groups(vals.iter().map(|v| group_key(v.as_ref())));
        let shown: Vec<(String, Vec<usize>)> =
            g.iter().map(|(k, r)| (k.to_string(), r.clone())).collect();
        assert_eq!(
            shown,
            vec![
                ("0.00002".to_string(), vec![0, 3]),
                ("0.0001".to_string(), vec![4]),
                ("a".to_string(), vec![1, 5]),
                ("(none)".to_string(), vec![2]),
            ]
        );
        assert_eq!(
            group_key(Some(&FieldValue::Num(-0.0))),
            group_key(Some(&FieldValue::Num(0.0)))
        );
    }
}
