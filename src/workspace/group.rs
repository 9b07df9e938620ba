//! Grouping runs: one line (mean, median, min or max) and a band (min–max or ±1 std) per
//! group, at the same x values across members, and the key runs are bucketed by.
//!
//! The x values are the sorted union of every member's x. At each x a member that logged
//! it counts with its own value; one that logged points either side counts with the linear
//! interpolation between them (the band says so); one whose points all lie before or
//! after does not count. Every point of every member is read; nothing is sampled.
//!
//! How it goes fast (results are the same as computing it plainly, to the bit):
//! - the union: a member whose x values are a stretch of the union, or of a grid seen
//!   before (runs logging the same steps, every other step, stopping early), is only
//!   compared, not merged; it then reads only its values, its x values being the grid's;
//! - the union is done a block of x values at a time: each member's values over the
//!   block go to a column of their own (copied as they are where it logged exactly the
//!   block's x values; else through a map of where each x falls among its points, which
//!   members over the same stretch of the same grid share), then the statistics run down
//!   the columns, member after member, without branches where a column has no NaN;
//! - medians are selected among the few values near the previous x's median when the
//!   middle ranks fall among them (counted), else among all.
//!
//! Cost: O(points + union x members) for members on up to 8 different grids;
//! O(points x log members + union x members) beyond. Memory: the output, the union, up to 8
//! grids, and a block of values per member.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

use super::{timeline, timeline_x, Points};
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

/// X values done at a time: every member's values at one block of x values (member after
/// member, [`STRIDE`] apart) stay in cache while the statistics read them.
const BLOCK: usize = 512;

/// Where one member's values in a block start after the previous member's: a cache line
/// more than a block, so the members' values at one x (a median reads them all) do not
/// all fall in the same cache set, as 4 KiB apart they would.
const STRIDE: usize = BLOCK + 8;

/// Distinct x grids remembered: by the union (a member on one of them adds nothing to it)
/// and per block by the maps (members on one share its map).
const GRIDS: usize = 8;

/// How [`band_traced`] did its work: which path each part took (the benchmark prints it;
/// the tests check both sides of each path are taken). Counts, not results: the band is the
/// same whichever way it was computed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Trace {
    /// Members whose x values were all in the union already (the same steps as a member
    /// before, or a stretch of them): nothing to merge.
    pub union_kept: usize,
    /// Members merged into the union.
    pub union_merged: usize,
    /// Blocks of a member copied as they are (it logged exactly the block's x values).
    pub copied: usize,
    /// Blocks of a member read through a map of where each x falls among its points
    /// (its own value, an interpolation, or none).
    pub mapped: usize,
    /// Maps built; the other mapped blocks reused the map of a member on the same x values.
    pub maps_built: usize,
    /// Medians found among the few values near the previous x's median.
    pub median_near: usize,
    /// Medians found by a selection over all the values at the x.
    pub median_full: usize,
}

impl fmt::Display for Trace {
    /// One line: `union 1 merged/99 kept; blocks 100% copied, 0 maps; median 99% near`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pct = |a: usize, b: usize| 100.0 * a as f64 / (a + b).max(1) as f64;
        write!(
            f,
            "union {} merged/{} kept; blocks {:.0}% copied, {} maps for {} mapped",
            self.union_merged,
            self.union_kept,
            pct(self.copied, self.mapped),
            self.maps_built,
            self.mapped
        )?;
        if self.median_near + self.median_full > 0 {
            write!(
                f,
                "; median {:.1}% near",
                pct(self.median_near, self.median_full)
            )?;
        }
        Ok(())
    }
}

/// The line and band of `members` (each a line of one run, x ascending within its
/// [`super::timeline`]).
pub fn band<P: Points>(members: &[P], stat: Stat, kind: BandKind) -> Band {
    band_traced(members, stat, kind).0
}

/// [`band`], and how it was computed.
pub fn band_traced<P: Points>(members: &[P], stat: Stat, kind: BandKind) -> (Band, Trace) {
    let mut trace = Trace::default();
    let ranges: Vec<Vec<(usize, usize)>> = members.iter().map(|m| timeline(m)).collect();
    let (grids, sources) = union_grid(members, &ranges, &mut trace);
    let x = grids.grid(0);
    let mut out = Band {
        center: Vec::with_capacity(x.len()),
        lo: Vec::with_capacity(x.len()),
        hi: Vec::with_capacity(x.len()),
        n: Vec::with_capacity(x.len()),
        ..Band::default()
    };
    let mut readers: Vec<Reader<'_, P>> = members
        .iter()
        .zip(ranges)
        .zip(sources)
        .map(|((p, ranges), source)| Reader::new(p, ranges, source))
        .collect();
    // vals[j * STRIDE + k]: member j's value at the block's k-th x (NaN: none); cols[j]:
    // where it has values.
    let mut vals = vec![f64::NAN; STRIDE * members.len()];
    let mut cols = vec![Col::default(); members.len()];
    // Where the columns of the members with values in the block start.
    let mut active: Vec<usize> = Vec::with_capacity(members.len());
    let mut maps = Maps::default();
    let mut stats = Stats::default();
    for block in x.chunks(BLOCK) {
        maps.used = 0;
        for ((r, col), c) in readers
            .iter_mut()
            .zip(vals.chunks_mut(STRIDE))
            .zip(&mut cols)
        {
            let col = col.get_mut(..block.len()).unwrap_or_default();
            *c = r.fill(block, &grids, col, &mut maps, &mut trace);
            out.interpolated |= c.interpolated;
        }
        active.clear();
        let with_values = cols.iter().enumerate().filter(|(_, c)| c.from < c.to);
        active.extend(with_values.map(|(j, _)| j * STRIDE));
        let block = Block {
            vals: &vals,
            cols: &cols,
            active: &active,
            len: block.len(),
        };
        stats.summarize(&block, (stat, kind), &mut out, &mut trace);
    }
    out.x = grids.union;
    (out, trace)
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

/// Where a member's x values are read from while its values are read.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Source {
    /// With its values (x values no other member has, or some not finite).
    Own,
    /// They are `grid[at..at + its length]` of [`Grids::grid`] `g`: only its values are
    /// read, and members over the same stretch of a grid share a map.
    Grid(usize, usize),
}

/// The union of the members' x values, and copies of a few of their grids.
struct Grids {
    union: Vec<f64>,
    kept: Vec<Vec<f64>>,
}

impl Grids {
    /// Grid `g`: 0 is the union, the others kept copies.
    fn grid(&self, g: usize) -> &[f64] {
        match g.checked_sub(1) {
            None => &self.union,
            Some(k) => self.kept.get(k).map_or(&[], |v| v),
        }
    }
}

/// The sorted union of the members' x values, each once, and where each member's x values
/// are in it. A member whose x values are a stretch of the union, or of one of the first
/// [`GRIDS`] grids merged into it (runs logging the same steps, every other step, or
/// stopping early), adds nothing and is only compared; the others are merged in one by
/// one in two reused buffers. When the union outgrows 4 times the longest member (runs on
/// many different x grids) the rest goes through a tree of pairwise merges, so the cost
/// stays O(points x log members).
fn union_grid<P: Points>(
    members: &[P],
    ranges: &[Vec<(usize, usize)>],
    trace: &mut Trace,
) -> (Grids, Vec<Source>) {
    let mut sources = vec![Source::Own; members.len()];
    // Members whose x values are a stretch of the union as it is now.
    let mut on_union: Vec<usize> = Vec::new();
    let (mut union, mut next, mut xs) = (Vec::new(), Vec::new(), Vec::new());
    let mut kept: Vec<Vec<f64>> = Vec::new();
    let mut longest = 0;
    for (j, (m, rs)) in members.iter().zip(ranges).enumerate() {
        xs.clear();
        for &(lo, hi) in rs {
            m.read_x(lo, hi, &mut xs);
        }
        let finite = xs.iter().fold(true, |all, x| all & x.is_finite());
        if !finite {
            xs.retain(|x| x.is_finite());
        }
        longest = longest.max(xs.len());
        let seen = kept.iter().enumerate().find_map(|(g, k)| {
            let at = stretch_at(k, &xs)?;
            Some((g + 1, at))
        });
        if let Some((g, at)) = seen.or_else(|| Some((0, stretch_at(&union, &xs)?))) {
            trace.union_kept += 1;
            if finite {
                sources[j] = Source::Grid(g, at);
                if g == 0 {
                    on_union.push(j);
                }
            }
            continue;
        }
        trace.union_merged += 1;
        merge_into(&union, &xs, &mut next);
        std::mem::swap(&mut union, &mut next);
        if union.len() != next.len() && !on_union.is_empty() {
            // The union grew: the members on it keep the old one as a grid of their own.
            let g = (kept.len() < GRIDS).then(|| {
                kept.push(std::mem::take(&mut next));
                kept.len()
            });
            for &k in &on_union {
                sources[k] = match (g, sources[k]) {
                    (Some(g), Source::Grid(0, at)) => Source::Grid(g, at),
                    _ => Source::Own,
                };
            }
            on_union.clear();
        }
        if union.len() > 4 * longest {
            for &k in &on_union {
                sources[k] = Source::Own;
            }
            let rest = members.get(j + 1..).unwrap_or_default();
            trace.union_merged += rest.len();
            let grids = Grids {
                union: tree_union(union, rest),
                kept,
            };
            return (grids, sources);
        }
        if !finite {
            continue;
        }
        if let Some(at) = stretch_at(&union, &xs) {
            sources[j] = Source::Grid(0, at);
            on_union.push(j);
        } else if kept.len() < GRIDS {
            kept.push(xs.clone());
            sources[j] = Source::Grid(kept.len(), 0);
        }
    }
    (Grids { union, kept }, sources)
}

/// The `i` with `b == a[i..i + b.len()]`, if there is one (`a` ascending).
fn stretch_at(a: &[f64], b: &[f64]) -> Option<usize> {
    let Some(&first) = b.first() else {
        return Some(0);
    };
    let at = a.partition_point(|&v| v < first);
    a.get(at..at + b.len())
        .is_some_and(|a| same(a, b))
        .then_some(at)
}

/// Whether `a == b`, compared a run of values at a time without stopping inside one (so
/// the comparisons go several to an instruction).
fn same(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len()
        && a.chunks(64)
            .zip(b.chunks(64))
            .all(|(p, q)| p.iter().zip(q).fold(true, |all, (x, y)| all & (x == y)))
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

/// Points read at a time into a member's window.
const READ: usize = 4 * BLOCK;

/// Where a member has values in a block's column.
#[derive(Debug, Clone, Copy, Default)]
struct Col {
    /// Its values are at `from..to` (NaN elsewhere)...
    from: usize,
    to: usize,
    /// ... and none of them is NaN.
    clean: bool,
    /// Some are interpolated.
    interpolated: bool,
}

/// A member's points in x order (its [`timeline`], non-finite x left out), read into a
/// window that slides along the union's blocks: from the last point before the block (if
/// any) on. The x values come from its [`Source`].
struct Reader<'a, P> {
    p: &'a P,
    ranges: Vec<(usize, usize)>,
    source: Source,
    /// The timeline range, and the point in it, to read next.
    r: usize,
    i: usize,
    /// Points read (x only for [`Source::Own`]), from the `base`-th of the timeline on;
    /// the window starts at `start`.
    xs: Vec<f64>,
    ys: Vec<f64>,
    base: usize,
    start: usize,
}

/// Which points a block's map is for: a stretch of a grid, or x values of the member's own.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Key {
    Grid(usize, usize, usize),
    Own,
}

impl<'a, P: Points> Reader<'a, P> {
    fn new(p: &'a P, ranges: Vec<(usize, usize)>, source: Source) -> Self {
        Reader {
            p,
            ranges,
            source,
            r: 0,
            i: 0,
            xs: Vec::new(),
            ys: Vec::new(),
            base: 0,
            start: 0,
        }
    }

    /// The x values of the points read.
    fn read_xs<'g>(&'g self, grids: &'g Grids) -> &'g [f64] {
        match self.source {
            Source::Own => &self.xs,
            Source::Grid(g, at) => {
                let from = at + self.base;
                let to = (from + self.ys.len()).min(grids.grid(g).len());
                grids.grid(g).get(from..to).unwrap_or_default()
            }
        }
    }

    /// Reads up to [`READ`] more points onto the window; false at the member's end.
    fn read_more(&mut self) -> bool {
        while let Some(&(lo, hi)) = self.ranges.get(self.r) {
            let i = self.i.max(lo);
            if i >= hi {
                self.r += 1;
                continue;
            }
            let own = self.source == Source::Own;
            if own {
                self.xs.drain(..self.start.min(self.xs.len()));
            }
            self.ys.drain(..self.start.min(self.ys.len()));
            (self.base, self.start) = (self.base + self.start, 0);
            let (end, from) = (hi.min(i + READ), self.ys.len());
            if own {
                self.p.read(i, end, &mut self.xs, &mut self.ys);
                let n = self.xs.len().min(self.ys.len());
                self.xs.truncate(n);
                self.ys.truncate(n);
                keep_finite(&mut self.xs, &mut self.ys, from);
            } else {
                self.p.read_y(i, end, &mut self.ys);
            }
            self.i = end;
            return true;
        }
        false
    }

    /// Writes the member's value at each x of `block` (ascending, after the last call's)
    /// to `out`: its own (the last one logged at x), interpolated between its points
    /// either side, or NaN outside its first..last x; where it has values.
    fn fill(
        &mut self,
        block: &[f64],
        grids: &Grids,
        out: &mut [f64],
        maps: &mut Maps,
        trace: &mut Trace,
    ) -> Col {
        let (Some(&first), Some(&last)) = (block.first(), block.last()) else {
            return Col::default();
        };
        // Slide: keep the last point before the block, read past its end.
        let before = self.read_xs(grids).get(self.start..).unwrap_or_default();
        self.start += before.partition_point(|&v| v < first).saturating_sub(1);
        while self.read_xs(grids).last().is_none_or(|&v| v <= last) && self.read_more() {}
        let xs = self.read_xs(grids).get(self.start..).unwrap_or_default();
        let ys = self.ys.get(self.start..).unwrap_or_default();
        // What the block reads: up to the first point after it.
        let upto = (xs.partition_point(|&v| v <= last) + 1).min(xs.len());
        let (xs, ys) = (&xs[..upto], ys.get(..upto).unwrap_or_default());
        let own = xs.partition_point(|&v| v < first);
        let end = own + block.len();
        // The member logged exactly the block's x values (on the union: the same memory).
        let same = xs
            .get(own..)
            .is_some_and(|x| std::ptr::eq(x.as_ptr(), block.as_ptr()))
            || xs.get(own..end).is_some_and(|x| same(x, block));
        if same && xs.get(end).is_none_or(|&v| v > last) && ys.len() >= end {
            out.copy_from_slice(&ys[own..end]);
            let nan = out.iter().fold(false, |any, v| any | v.is_nan());
            trace.copied += 1;
            return Col {
                from: 0,
                to: block.len(),
                clean: !nan,
                interpolated: false,
            };
        }
        trace.mapped += 1;
        let key = match self.source {
            Source::Own => Key::Own,
            Source::Grid(g, at) => Key::Grid(g, at + self.base + self.start, upto),
        };
        maps.get(key, xs, block, trace).apply(ys, out)
    }
}

/// Keeps the points from `from` on whose x is finite.
fn keep_finite(xs: &mut Vec<f64>, ys: &mut Vec<f64>, from: usize) {
    if xs
        .get(from..)
        .unwrap_or_default()
        .iter()
        .all(|x| x.is_finite())
    {
        return;
    }
    let mut kept = from;
    for k in from..xs.len().min(ys.len()) {
        if xs[k].is_finite() {
            (xs[kept], ys[kept]) = (xs[k], ys[k]);
            kept += 1;
        }
    }
    xs.truncate(kept);
    ys.truncate(kept);
}

/// Where each x of a block falls among a member's points.
struct Map {
    key: Key,
    /// The member's x values it is for (its window over the block), for [`Key::Own`].
    xs: Vec<f64>,
    /// Per x: [`NONE`], [`OWN`] (the point at `at`) or [`BETWEEN`] (`at` and the next).
    how: Vec<u8>,
    at: Vec<u32>,
    /// Per x between points: how far from the one before to the one after.
    t: Vec<f64>,
    /// The x values with a value: `from..to`.
    from: usize,
    to: usize,
    interpolated: bool,
}

const NONE: u8 = 0;
const OWN: u8 = 1;
const BETWEEN: u8 = 2;

impl Map {
    fn new() -> Self {
        Map {
            key: Key::Own,
            xs: Vec::new(),
            how: Vec::new(),
            at: Vec::new(),
            t: Vec::new(),
            from: 0,
            to: 0,
            interpolated: false,
        }
    }

    fn build(&mut self, key: Key, xs: &[f64], block: &[f64]) {
        self.key = key;
        self.xs.clear();
        if key == Key::Own {
            self.xs.extend_from_slice(xs);
        }
        self.how.clear();
        self.at.clear();
        self.t.clear();
        (self.from, self.to, self.interpolated) = (block.len(), 0, false);
        let mut i = 0;
        for (k, &x) in block.iter().enumerate() {
            // i: the first point after x.
            while xs.get(i).is_some_and(|&v| v <= x) {
                i += 1;
            }
            let (how, at, t) = match (i.checked_sub(1), xs.get(i)) {
                (Some(p), _) if xs[p] == x => (OWN, p, 0.0),
                (Some(p), Some(&nx)) => (BETWEEN, p, (x - xs[p]) / (nx - xs[p])),
                _ => (NONE, 0, 0.0),
            };
            if how != NONE {
                self.from = self.from.min(k);
                self.to = k + 1;
            }
            self.interpolated |= how == BETWEEN;
            self.how.push(how);
            self.at.push(at as u32);
            self.t.push(t);
        }
        self.from = self.from.min(self.to);
    }

    /// The member's values (`ys`, its window's) at the block's x values, into `out`.
    fn apply(&self, ys: &[f64], out: &mut [f64]) -> Col {
        let (from, to) = (self.from, self.to.min(out.len()));
        out.get_mut(..from).unwrap_or_default().fill(f64::NAN);
        out.get_mut(to..).unwrap_or_default().fill(f64::NAN);
        let steps = self.how.iter().zip(&self.at).zip(&self.t);
        // Between its first and last point every x has a value: its own or between two.
        let values = &mut out[from..to];
        for (o, ((&how, &at), &t)) in values.iter_mut().zip(steps.skip(from)) {
            // Every x but the last with a value has a point after it: `at + 1` is in `ys`.
            let at = at as usize;
            let (py, ny) = match ys.get(at..at + 2) {
                Some(&[py, ny]) => (py, ny),
                _ => (ys.get(at).copied().unwrap_or(f64::NAN), f64::NAN),
            };
            let between = py + (ny - py) * t;
            *o = if how == OWN { py } else { between };
        }
        Col {
            from,
            to,
            clean: !values.iter().fold(false, |any, v| any | v.is_nan()),
            interpolated: self.interpolated,
        }
    }
}

/// The maps of one block: members over the same points (runs logging the same steps)
/// share one.
#[derive(Default)]
struct Maps {
    all: Vec<Map>,
    used: usize,
}

impl Maps {
    fn get(&mut self, key: Key, xs: &[f64], block: &[f64], trace: &mut Trace) -> &Map {
        let used = self.all.get(..self.used).unwrap_or_default();
        let found = used
            .iter()
            .position(|m| m.key == key && (key != Key::Own || same(&m.xs, xs)));
        let k = match found {
            Some(k) => k,
            None => {
                trace.maps_built += 1;
                let k = self.used.min(GRIDS - 1);
                self.used = self.used.max(k + 1);
                if self.all.len() <= k {
                    self.all.push(Map::new());
                }
                self.all[k].build(key, xs, block);
                k
            }
        };
        &self.all[k]
    }
}

/// One block's values: each member's `len` values [`STRIDE`] apart, and where it has them.
struct Block<'a> {
    vals: &'a [f64],
    cols: &'a [Col],
    /// Where the columns with values start in `vals`.
    active: &'a [usize],
    len: usize,
}

impl Block<'_> {
    /// Each member's values with where it has them.
    fn columns(&self) -> impl Iterator<Item = (&[f64], Col)> + '_ {
        self.vals
            .chunks_exact(STRIDE)
            .zip(self.cols.iter().copied())
    }
}

/// Per-x statistics of one block, accumulated member by member (a member's values are
/// contiguous, so each pass runs down whole columns), in member order: the sums are the
/// ones adding the members' values at each x one after another would give.
#[derive(Default)]
struct Stats {
    /// Counts: `whole` members with a value at every x, plus `n` per x.
    whole: u32,
    n: Vec<f64>,
    sum: Vec<f64>,
    min: Vec<f64>,
    max: Vec<f64>,
    mean: Vec<f64>,
    sq: Vec<f64>,
    median: Median,
}

fn reset(v: &mut Vec<f64>, len: usize, value: f64) {
    v.clear();
    v.resize(len, value);
}

impl Stats {
    /// Appends to `out` the count, line and band at each of the block's x values.
    fn summarize(
        &mut self,
        b: &Block<'_>,
        (stat, kind): (Stat, BandKind),
        out: &mut Band,
        trace: &mut Trace,
    ) {
        self.add(b);
        if kind == BandKind::Std {
            self.add_squares(b);
        }
        for k in 0..b.len {
            let n = self.whole + self.n[k] as u32;
            if n == 0 {
                out.center.push(f64::NAN);
                out.lo.push(f64::NAN);
                out.hi.push(f64::NAN);
                out.n.push(0);
                continue;
            }
            let (mean, min, max) = (self.mean[k], self.min[k], self.max[k]);
            let (lo, hi) = match kind {
                BandKind::MinMax => (min, max),
                BandKind::Std => {
                    let sd = (self.sq[k] / n as f64).sqrt();
                    (mean - sd, mean + sd)
                }
            };
            out.center.push(match stat {
                Stat::Mean => mean,
                Stat::Median => self.median.at(b, k, n as usize, trace),
                Stat::Min => min,
                Stat::Max => max,
            });
            out.lo.push(lo);
            out.hi.push(hi);
            out.n.push(n);
        }
    }

    /// Counts, sums, lows and highs, and the means.
    fn add(&mut self, b: &Block<'_>) {
        let len = b.len;
        self.whole = 0;
        reset(&mut self.n, len, 0.0);
        reset(&mut self.sum, len, 0.0);
        reset(&mut self.min, len, f64::INFINITY);
        reset(&mut self.max, len, f64::NEG_INFINITY);
        for (col, c) in b.columns() {
            let r = c.from..c.to.min(len);
            let (vals, sum) = (&col[r.clone()], &mut self.sum[r.clone()]);
            let (min, max) = (&mut self.min[r.clone()], &mut self.max[r.clone()]);
            let ext = min.iter_mut().zip(max.iter_mut());
            if c.clean {
                // Without branches or NaN checks: the common case.
                for ((&v, s), (lo, hi)) in vals.iter().zip(sum.iter_mut()).zip(ext) {
                    *s += v;
                    *lo = if v < *lo { v } else { *lo };
                    *hi = if v > *hi { v } else { *hi };
                }
                if r.len() == len {
                    self.whole += 1;
                } else {
                    self.n[r].iter_mut().for_each(|n| *n += 1.0);
                }
            } else {
                let n = &mut self.n[r];
                for (((&v, s), (lo, hi)), n) in vals.iter().zip(sum.iter_mut()).zip(ext).zip(n) {
                    // A NaN compares false: lows and highs pass over it by themselves.
                    let ok = !v.is_nan();
                    *n += if ok { 1.0 } else { 0.0 };
                    *s += if ok { v } else { 0.0 };
                    *lo = if v < *lo { v } else { *lo };
                    *hi = if v > *hi { v } else { *hi };
                }
            }
        }
        self.mean.clear();
        let whole = self.whole as f64;
        let means = self.sum.iter().zip(&self.n).map(|(&s, &n)| s / (n + whole));
        self.mean.extend(means);
    }

    /// The squares of the differences from the means, summed.
    fn add_squares(&mut self, b: &Block<'_>) {
        reset(&mut self.sq, b.len, 0.0);
        for (col, c) in b.columns() {
            let r = c.from..c.to.min(b.len);
            let (vals, sq, mean) = (&col[r.clone()], &mut self.sq[r.clone()], &self.mean[r]);
            if c.clean {
                for ((&v, sq), &mean) in vals.iter().zip(sq).zip(mean) {
                    let d = v - mean;
                    *sq += d * d;
                }
            } else {
                for ((&v, sq), &mean) in vals.iter().zip(sq).zip(mean) {
                    let d = v - mean;
                    *sq += if v.is_nan() { 0.0 } else { d * d };
                }
            }
        }
    }
}

/// `v`'s bits as an integer that orders as [`f64::total_cmp`] orders the numbers (its
/// own inverse).
fn key(v: f64) -> i64 {
    let b = v.to_bits() as i64;
    b ^ (((b >> 63) as u64 >> 1) as i64)
}

fn from_key(k: i64) -> f64 {
    f64::from_bits(key(f64::from_bits(k as u64)) as u64)
}

/// Medians at successive x values. Lines move little from one x to the next, so each is
/// looked for first among the values within `width` of the previous median (a handful):
/// if the middle ranks fall among them, they are selected from those alone; else from all
/// values. The values picked are the same either way (ranks in [`f64::total_cmp`] order);
/// `width` adapts to keep the handful small.
#[derive(Default)]
struct Median {
    center: f64,
    width: f64,
    keys: Vec<i64>,
    near: Vec<f64>,
}

impl Median {
    /// The median of the `n` non-NaN values at the block's `k`-th x.
    fn at(&mut self, b: &Block<'_>, k: usize, n: usize, trace: &mut Trace) -> f64 {
        let m = b.cols.len();
        if self.near.len() < m {
            self.near.resize(m, 0.0);
        }
        // Bounds that are not zero: then comparing numbers orders them as their keys do
        // (-0 and 0 fall on the same side), and a NaN is neither below nor near.
        let nonzero = |v: f64| if v == 0.0 { f64::MIN_POSITIVE } else { v };
        let (lo, hi) = (
            -nonzero(-(self.center - self.width)),
            nonzero(self.center + self.width),
        );
        let (mut below, mut near) = (0, 0);
        let buf = &mut self.near[..m];
        let vals = b.vals.get(k..).unwrap_or_default();
        for &at in b.active {
            let v = vals.get(at).copied().unwrap_or(f64::NAN);
            below += usize::from(v < lo);
            // `near` counts a subset of the active columns: it stays below `m`.
            buf[near.min(m - 1)] = v;
            near += usize::from((v >= lo) & (v <= hi));
        }
        // The middle ranks: one for an odd count, two for an even one.
        let (r0, r1) = ((n - 1) / 2, n / 2);
        let (lower, upper) = if below <= r0 && r1 < below + near {
            trace.median_near += 1;
            self.width *= if near > 16 {
                0.5
            } else if near < 4 {
                2.0
            } else {
                1.0
            };
            self.keys.clear();
            self.keys.extend(buf[..near].iter().map(|&v| key(v)));
            ranks(&mut self.keys, r0 - below, r1 - below)
        } else {
            trace.median_full += 1;
            self.width *= 4.0;
            self.keys.clear();
            let values = b
                .active
                .iter()
                .filter_map(|&at| b.vals.get(at + k).copied());
            self.keys.extend(values.filter(|v| !v.is_nan()).map(key));
            ranks(&mut self.keys, r0, r1)
        };
        let median = lower + (upper - lower) / 2.0;
        if median.is_finite() {
            self.center = median;
        }
        if !(self.width.is_finite() && self.width > self.center.abs() * 1e-12) {
            self.width = self.center.abs() * 1e-3 + f64::MIN_POSITIVE;
        }
        if r0 == r1 {
            upper
        } else {
            median
        }
    }
}

/// The values of rank `r0` and `r1` (`r0 == r1` or `r0 + 1 == r1`) among `keys`, by
/// selection (reorders `keys`).
fn ranks(keys: &mut [i64], r0: usize, r1: usize) -> (f64, f64) {
    if r1 >= keys.len() {
        return (f64::NAN, f64::NAN);
    }
    let (below, &mut upper, _) = keys.select_nth_unstable(r1);
    let lower = if r0 < r1 {
        below.iter().copied().max().unwrap_or(upper)
    } else {
        upper
    };
    (from_key(lower), from_key(upper))
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
        let (b, trace) = band_traced(&views, Stat::Mean, BandKind::MinMax);
        assert!(
            trace.copied > 20 && trace.mapped > 0,
            "both paths taken: {trace:?}"
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

    /// A member's line the plain way: its points in logged order, where x going back (a
    /// restart) drops every point kept from that x on; non-finite x left out.
    fn plain_timeline(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
        let mut kept: Vec<(f64, f64)> = Vec::new();
        let mut last = f64::NEG_INFINITY;
        for &(x, y) in points.iter().filter(|p| p.0.is_finite()) {
            if x < last {
                kept.retain(|p| p.0 < x);
            }
            last = x;
            kept.push((x, y));
        }
        kept
    }

    /// The member's value at `x`, and whether it is interpolated: the last point logged at
    /// x, else the line between the points either side, else none.
    fn plain_value(line: &[(f64, f64)], x: f64) -> Option<(f64, bool)> {
        // The line's x values ascend: the points after x start at `after`.
        let after = line.partition_point(|p| p.0 <= x);
        let (px, py) = line[after.checked_sub(1)?];
        if px == x {
            return Some((py, false));
        }
        let &(nx, ny) = line.get(after)?;
        Some((py + (ny - py) * ((x - px) / (nx - px)), true))
    }

    /// The band the plain way: every member's value at every x of the union, then the
    /// statistics of the values that are not NaN, summed in member order.
    fn plain_band(lines: &[Vec<(f64, f64)>], stat: Stat, kind: BandKind) -> Band {
        let mut b = Band::default();
        let mut grid: Vec<f64> = lines.iter().flatten().map(|p| p.0).collect();
        grid.sort_by(f64::total_cmp);
        grid.dedup_by(|a, b| a == b);
        for &x in &grid {
            let at: Vec<(f64, bool)> = lines.iter().filter_map(|l| plain_value(l, x)).collect();
            b.interpolated |= at.iter().any(|v| v.1);
            let mut v: Vec<f64> = at.iter().map(|v| v.0).filter(|v| !v.is_nan()).collect();
            let n = v.len();
            b.x.push(x);
            b.n.push(n as u32);
            if n == 0 {
                b.center.push(f64::NAN);
                b.lo.push(f64::NAN);
                b.hi.push(f64::NAN);
                continue;
            }
            let mean = v.iter().fold(0.0, |s, a| s + a) / n as f64;
            let sd = (v.iter().fold(0.0, |s, a| s + (a - mean) * (a - mean)) / n as f64).sqrt();
            v.sort_by(f64::total_cmp);
            let median = if n % 2 == 1 {
                v[n / 2]
            } else {
                v[n / 2 - 1] + (v[n / 2] - v[n / 2 - 1]) / 2.0
            };
            let (min, max) = (v[0], v[n - 1]);
            b.center.push(match stat {
                Stat::Mean => mean,
                Stat::Median => median,
                Stat::Min => min,
                Stat::Max => max,
            });
            let (lo, hi) = match kind {
                BandKind::MinMax => (min, max),
                BandKind::Std => (mean - sd, mean + sd),
            };
            b.lo.push(lo);
            b.hi.push(hi);
        }
        b
    }

    /// Equal as numbers: NaN equals NaN, -0 equals 0.
    fn same_numbers(a: &[f64], b: &[f64]) -> Option<usize> {
        if a.len() != b.len() {
            return Some(a.len().min(b.len()));
        }
        a.iter()
            .zip(b)
            .position(|(x, y)| !(x == y || (x.is_nan() && y.is_nan())))
    }

    /// Random members as runs log them: late starts, early ends, every step or every
    /// second or third (different grids, so interpolation), some on exactly the same steps,
    /// repeated steps, restarts (the step going back), NaN, zero and negative-zero values.
    fn random_runs(rng: &mut Rng) -> Vec<Series> {
        let count = 1 + rng.below(14) as usize;
        let shared = rng.below(3) == 0;
        (0..count)
            .map(|k| {
                let mut s = Series::new("loss");
                let (start, every) = if shared && k % 2 == 0 {
                    (5, 2)
                } else {
                    (rng.below(40) as i64, 1 + rng.below(3) as i64)
                };
                let most = if rng.below(4) == 0 { 20 } else { 2500 };
                let len = rng.below(most) as usize;
                let mut step = start;
                for _ in 0..len {
                    let v = match rng.below(60) {
                        0 => f64::NAN,
                        1 => 0.0,
                        2 => -0.0,
                        _ => (rng.unit() * 8.0 - 2.0) as f32 as f64,
                    };
                    s.push(step, f64::NAN, v);
                    step += match rng.below(700) {
                        0 => -(rng.below(200) as i64),
                        1 => 0,
                        _ => every,
                    };
                }
                s
            })
            .collect()
    }

    #[test]
    fn bands_equal_a_plain_computation_on_random_runs() {
        // Exact equality, no tolerance: the plain computation does the same arithmetic in
        // the same order (values summed in member order, the same interpolation formula,
        // medians of the same ranks), so IEEE doubles come out identical.
        let mut rng = Rng(0x5eed_0f0b_a2d5);
        let mut all = Trace::default();
        for round in 0..100 {
            let runs = random_runs(&mut rng);
            let members: Vec<SeriesPoints> = runs
                .iter()
                .map(|s| SeriesPoints::new(s, XAxis::Step))
                .collect();
            let lines: Vec<Vec<(f64, f64)>> = runs
                .iter()
                .map(|s| {
                    plain_timeline(
                        &(0..s.len())
                            .map(|i| (s.step(i) as f64, s.value(i)))
                            .collect::<Vec<_>>(),
                    )
                })
                .collect();
            for stat in [Stat::Mean, Stat::Median, Stat::Min, Stat::Max] {
                for kind in [BandKind::MinMax, BandKind::Std] {
                    let (got, t) = band_traced(&members, stat, kind);
                    let want = plain_band(&lines, stat, kind);
                    let what = format!("round {round} {stat:?} {kind:?}");
                    assert_eq!(got.x, want.x, "{what}: x");
                    assert_eq!(got.n, want.n, "{what}: n");
                    assert_eq!(got.interpolated, want.interpolated, "{what}");
                    for (name, a, b) in [
                        ("center", &got.center, &want.center),
                        ("lo", &got.lo, &want.lo),
                        ("hi", &got.hi, &want.hi),
                    ] {
                        let bad = same_numbers(a, b);
                        assert!(
                            bad.is_none(),
                            "{what}: {name} at {bad:?} ({:?} vs {:?})",
                            bad.and_then(|k| a.get(k)),
                            bad.and_then(|k| b.get(k))
                        );
                    }
                    all.union_kept += t.union_kept;
                    all.union_merged += t.union_merged;
                    all.copied += t.copied;
                    all.mapped += t.mapped;
                    all.maps_built += t.maps_built;
                    all.median_near += t.median_near;
                    all.median_full += t.median_full;
                }
            }
        }
        // Every path was taken, both ways.
        assert!(all.union_kept > 0 && all.union_merged > 0, "{all:?}");
        assert!(all.copied > 0 && all.mapped > all.maps_built, "{all:?}");
        assert!(all.median_near > 0 && all.median_full > 0, "{all:?}");
    }

    #[test]
    fn many_different_grids_equal_the_plain_computation() {
        // More distinct x grids than are remembered (fractional x, as tokens seen give):
        // members read their own x values and build their own maps.
        let mut rng = Rng(0x0dd_5eed_1234);
        for round in 0..40 {
            let members: Vec<(Vec<f64>, Vec<f64>)> = (0..GRIDS as u64 + 1 + rng.below(6))
                .map(|_| {
                    let mut x = rng.unit() * 20.0;
                    let (mut xs, mut ys) = (Vec::new(), Vec::new());
                    for _ in 0..rng.below(1500) {
                        xs.push(x);
                        ys.push(if rng.below(40) == 0 {
                            f64::NAN
                        } else {
                            rng.unit()
                        });
                        x += 0.25 + rng.unit();
                    }
                    (xs, ys)
                })
                .collect();
            let views: Vec<(&[f64], &[f64])> =
                members.iter().map(|(x, y)| (&x[..], &y[..])).collect();
            let lines: Vec<Vec<(f64, f64)>> = members
                .iter()
                .map(|(x, y)| x.iter().copied().zip(y.iter().copied()).collect())
                .collect();
            for stat in [Stat::Mean, Stat::Median] {
                let got = band(&views, stat, BandKind::Std);
                let want = plain_band(&lines, stat, BandKind::Std);
                assert_eq!((&got.x, &got.n), (&want.x, &want.n), "round {round}");
                assert_eq!(
                    same_numbers(&got.center, &want.center),
                    None,
                    "round {round}"
                );
                assert_eq!(same_numbers(&got.lo, &want.lo), None, "round {round}");
                assert_eq!(got.interpolated, want.interpolated, "round {round}");
            }
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
