//! Series math for drawing: TensorBoard's smoothing, x axes, an index for fast min/max over
//! any range of points, and M4 decimation that draws the same line as every point.
//!
//! Pure. M4 per pixel column keeps the first, last, lowest and highest point of the points
//! that fall in the column, so the drawn polyline covers exactly the pixels that drawing
//! every point would; the index makes that O(columns x log points) per frame, however many
//! points there are.

use crate::ingest::series::{Chunked, Pieces, StepPieces, ValuePieces};
use crate::ingest::Series;

/// A column of values read by index.
pub trait Column {
    /// Number of values.
    fn len(&self) -> usize;
    /// Value `i`.
    fn get(&self, i: usize) -> f64;
    /// The values as stored, for tight loops (decimation reads them slice by slice).
    fn pieces(&self) -> ValuePieces<'_>;
    /// Whether there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// (index of min, index of max) over `lo..hi` by a plain scan; NaN never wins.
    fn scan(&self, lo: usize, hi: usize) -> (usize, usize) {
        let mut acc = Extremes::new(lo);
        for i in lo..hi {
            acc.add(i, self.get(i));
        }
        (acc.min_i, acc.max_i)
    }
}

/// Running min and max with their indexes.
struct Extremes {
    min_i: usize,
    max_i: usize,
    min: f64,
    max: f64,
}

impl Extremes {
    fn new(at: usize) -> Self {
        Extremes {
            min_i: at,
            max_i: at,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
    #[inline]
    fn add(&mut self, i: usize, v: f64) {
        if v < self.min {
            self.min = v;
            self.min_i = i;
        }
        if v > self.max {
            self.max = v;
            self.max_i = i;
        }
    }
}

/// A line's values: a series' own (`Values::Raw`, also named [`Raw`]) or derived ones (a
/// smoothed line's `f32`s).
///
/// One type behind every `&dyn Column`, not one per kind of values: a browser's wasm engine
/// bets that a call through a vtable keeps going where it went while the code warmed up,
/// and throws the optimised code away when it does not (a workspace panel's first pans fell
/// back to unoptimised decimation while it was compiled again, 60-100 ms on a busy core).
/// With one vtable the bet always holds.
#[derive(Debug, Clone, Copy)]
pub enum Values<'a> {
    /// The values of a series as read.
    Raw(&'a Series),
    /// Values worked out from them, one per point.
    F32(&'a [f32]),
    /// The same, stored in chunks (a smoothed line kept up to date while its file is read,
    /// which each drawing shares instead of copying).
    Chunks(&'a Chunked<f32>),
}

pub use Values::Raw;

impl Column for Values<'_> {
    fn len(&self) -> usize {
        match self {
            Raw(s) => s.len(),
            Values::F32(v) => v.len(),
            Values::Chunks(c) => c.len(),
        }
    }
    fn get(&self, i: usize) -> f64 {
        match self {
            Raw(s) => s.value(i),
            Values::F32(v) => v.get(i).map_or(f64::NAN, |&v| v as f64),
            Values::Chunks(c) => c.get(i).map_or(f64::NAN, f64::from),
        }
    }
    fn pieces(&self) -> ValuePieces<'_> {
        match self {
            Raw(s) => s.value_pieces(),
            Values::F32(v) => ValuePieces::Single(Pieces::Flat(v)),
            Values::Chunks(c) => ValuePieces::Single(c.pieces()),
        }
    }
    fn scan(&self, lo: usize, hi: usize) -> (usize, usize) {
        let mut acc = Extremes::new(lo);
        match self {
            Raw(s) => s.each_value(lo, hi, |i, v| acc.add(i, v)),
            Values::F32(v) => {
                for i in lo..hi {
                    acc.add(i, v.get(i).map_or(f64::NAN, |&v| v as f64));
                }
            }
            Values::Chunks(c) => c.pieces().each_slice(lo, hi, |vals, i0| {
                for (k, &v) in vals.iter().enumerate() {
                    acc.add(i0 + k, v as f64);
                }
            }),
        }
        (acc.min_i, acc.max_i)
    }
}

/// TensorBoard's debiased exponential moving average (its smoothing slider, 0 to 0.999;
/// 0.6 by default), started afresh at each restart: `restarts` are the indexes where a
/// segment begins (a run resumed from a checkpoint is its own run of the trainer, so the
/// average does not carry the previous segment's values). Within a segment, constant values
/// and non-finite values are left as they are.
pub fn smooth(col: &dyn Column, weight: f64, restarts: &[usize]) -> Vec<f32> {
    let mut s = Smoother::new(weight);
    let _ = s.extend(col, restarts);
    s.out.to_vec()
}

/// [`smooth`] kept up to date while points are appended to a series (a chart drawn while
/// its file is still being read): only the new points are smoothed, except that a segment
/// whose values were all equal so far is smoothed again from its start once one differs.
/// The values are kept in chunks, so that each drawing shares them instead of copying them
/// all (at 10M points a copy per drawing made the page's thread stall for 40-100 ms).
#[derive(Debug, Clone, Default)]
pub struct Smoother {
    weight: f64,
    out: Chunked<f32>,
    /// The values of the slice being smoothed, appended to `out` a slice at a time.
    buf: Vec<f32>,
    /// Where the current segment starts.
    seg: usize,
    /// Every value of the current segment so far equals `first` (then they are kept as is).
    constant: bool,
    first: f64,
    last: f64,
    accum: i32,
    /// `weight^accum` is so small that `1 - weight^accum` is exactly 1 (and stays so):
    /// the debiasing divides by 1 and `powi` is no longer computed.
    settled: bool,
}

/// Where [`Smoother::extend`] is in a column's restarts, and the first index it wrote.
struct Resume<'a> {
    changed: usize,
    next: usize,
    restarts: &'a [usize],
}

/// At or below this, `1.0 - x == 1.0` exactly (half an ulp of 1 is 2^-54); with a margin of
/// 2^6 for `powi`'s rounding, so that later, smaller powers are below 2^-54 as well.
const SETTLED: f64 = 1.0 / (1u64 << 60) as f64;

impl Smoother {
    /// Nothing smoothed yet, with `weight`.
    pub fn new(weight: f64) -> Smoother {
        Smoother {
            weight,
            ..Smoother::default()
        }
    }

    /// The smoothed values so far.
    pub fn values(&self) -> &Chunked<f32> {
        &self.out
    }

    /// The weight it smooths with.
    pub fn weight(&self) -> f64 {
        self.weight
    }

    /// Smooths the points of `col` past those smoothed already: `col` is the column smoothed
    /// before with points appended, `restarts` all its restarts (ascending). Returns the
    /// first index whose smoothed value was written (below the old length when a segment
    /// was smoothed again).
    pub fn extend(&mut self, col: &dyn Column, restarts: &[usize]) -> usize {
        let (from, n) = (self.out.len(), col.len());
        let mut at = Resume {
            changed: from,
            next: restarts.partition_point(|&r| r < from),
            restarts,
        };
        // Slice by slice as stored (reading point by point finds each one's chunk again).
        match col.pieces() {
            ValuePieces::Single(p) => p.each_slice(from, n, |vals, i0| {
                self.extend_slice(col, vals, i0, &mut at)
            }),
            ValuePieces::Double(p) => p.each_slice(from, n, |vals, i0| {
                self.extend_slice(col, vals, i0, &mut at)
            }),
        }
        at.changed
    }

    /// Smooths `vals`, the points from `i0` on, of `col`.
    fn extend_slice<T: Copy + Into<f64>>(
        &mut self,
        col: &dyn Column,
        vals: &[T],
        i0: usize,
        at: &mut Resume<'_>,
    ) {
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        for (k, &v) in vals.iter().enumerate() {
            let (i, v) = (i0 + k, v.into());
            while at.restarts.get(at.next).is_some_and(|&r| r < i) {
                at.next += 1;
            }
            if i == 0 || at.restarts.get(at.next) == Some(&i) {
                self.seg = i;
                self.first = v;
                // NaN equals nothing, not even itself: such a segment is never constant.
                self.constant = !v.is_nan();
                self.last = 0.0;
                self.accum = 0;
                self.settled = false;
            }
            if self.constant && v != self.first {
                // Not constant after all: the segment is smoothed from its start.
                self.constant = false;
                at.changed = at.changed.min(self.seg);
                self.out.extend(&buf);
                buf.clear();
                self.out.truncate(self.seg);
                for j in self.seg..i {
                    buf.push(self.ema(col.get(j)));
                }
            }
            buf.push(if self.constant { v as f32 } else { self.ema(v) });
        }
        self.out.extend(&buf);
        self.buf = buf;
    }

    /// The next smoothed value, for value `v`.
    fn ema(&mut self, v: f64) -> f32 {
        if !v.is_finite() {
            return v as f32;
        }
        let weight = self.weight;
        self.last = self.last * weight + (1.0 - weight) * v;
        self.accum = self.accum.saturating_add(1);
        let debias = if weight == 1.0 || self.settled {
            1.0
        } else {
            let p = weight.powi(self.accum);
            self.settled = (0.0..=SETTLED).contains(&p);
            1.0 - p
        };
        (self.last / debias) as f32
    }
}

/// What the x axis shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum XAxis {
    /// The training step.
    Step,
    /// Seconds since the series' first point.
    Relative,
    /// Wall-clock time (seconds since the epoch).
    Wall,
    /// Tokens seen: step x tokens per step (seq_length x global_batch_size).
    Tokens(f64),
}

impl XAxis {
    /// The x of point `i` (NaN when the series has no wall time and the axis needs it).
    pub fn x(&self, s: &Series, i: usize) -> f64 {
        match self {
            XAxis::Step => s.step(i) as f64,
            XAxis::Relative => match (s.wall(i), s.wall(0)) {
                (Some(w), Some(w0)) => w - w0,
                _ => f64::NAN,
            },
            XAxis::Wall => s.wall(i).unwrap_or(f64::NAN),
            XAxis::Tokens(per_step) => s.step(i) as f64 * per_step,
        }
    }

    /// The axis title under the chart: the quantity, and how its ticks read.
    pub fn title(&self) -> &'static str {
        match self {
            XAxis::Step => "step",
            XAxis::Relative => "time since the first point",
            XAxis::Wall => "wall time (UTC, hh:mm)",
            XAxis::Tokens(_) => "tokens seen",
        }
    }

    /// Whether point `i` of `s` has an x on this axis.
    fn has(&self, s: &Series, i: usize) -> bool {
        self.x(s, i).is_finite()
    }

    /// Whether any point of `s` has an x on this axis (a curve without wall times has none
    /// on the time axes). Stops at the first such point.
    pub fn serves(&self, s: &Series) -> bool {
        (0..s.len()).any(|i| self.has(s, i))
    }

    /// Short name for labels and the URL.
    pub fn label(&self) -> &'static str {
        match self {
            XAxis::Step => "step",
            XAxis::Relative => "relative time",
            XAxis::Wall => "wall time",
            XAxis::Tokens(_) => "tokens seen",
        }
    }
}

const BLOCK: usize = 256;

/// Points in a block of [`MinMaxIndex`]'s finest level.
const FINE: usize = 16;

/// Min/max index over blocks of points, level by level (256, 65536, ... points), for
/// O(log n) min/max of any index range; and a finer level of 16-point blocks (where in the
/// block its first min and max are, a byte), for the pixel columns of a zoomed-out view
/// (tens of points each). About 0.1 bytes per point.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MinMaxIndex {
    /// `levels[k][b]` = (index of min, index of max) over block `b` of level `k`.
    levels: Vec<Vec<(u32, u32)>>,
    /// `fine[b]`: offsets in block `b` of 16 points of its first min (low 4 bits) and
    /// first max (high 4 bits), as [`Column::scan`] finds them (0 when there is none).
    fine: Vec<u8>,
}

impl MinMaxIndex {
    /// Builds the index over `col` (NaN values never win min or max).
    pub fn build(col: &dyn Column) -> MinMaxIndex {
        MinMaxIndex::from_blocks(col, Vec::new(), Vec::new(), &[])
    }

    /// The index of `col`, which is the column this index was built over with points
    /// appended since: the whole blocks already indexed are kept, only the new points are
    /// scanned (what a chart drawn while its file is still being read needs).
    pub fn extended(&self, col: &dyn Column) -> MinMaxIndex {
        let mut first = self.levels.first().cloned().unwrap_or_default();
        // The last block may have been partial: scan it again.
        first.pop();
        let mut fine = self.fine.clone();
        fine.pop();
        MinMaxIndex::from_blocks(col, first, fine, &self.levels)
    }

    /// Builds the index given the first `first.len()` blocks of level 1 and `fine.len()`
    /// blocks of the fine level, already scanned: the new points are read once, each into
    /// its fine block and its block of level 1 (see [`index_blocks`]). `old` are the levels
    /// of the index those blocks come from: an upper block whose blocks below are all kept
    /// is kept too, so that extending the index never merges again what it merged before
    /// (at 10M points, merging level 2 afresh on every part read was a fifth of the page's
    /// work while a file loaded).
    fn from_blocks(
        col: &dyn Column,
        mut first: Vec<(u32, u32)>,
        mut fine: Vec<u8>,
        old: &[Vec<(u32, u32)>],
    ) -> MinMaxIndex {
        let n = col.len();
        fine.truncate(n.div_ceil(FINE));
        first.truncate(n.div_ceil(BLOCK).min(fine.len() / (BLOCK / FINE)));
        // Blocks of the level below that are the old index's, unchanged.
        let mut unchanged = first.len();
        fine.reserve(n.div_ceil(FINE) - fine.len());
        first.reserve(n.div_ceil(BLOCK) - first.len());
        match col.pieces() {
            ValuePieces::Single(p) => index_blocks(&p, n, &mut fine, &mut first),
            ValuePieces::Double(p) => index_blocks(&p, n, &mut fine, &mut first),
        }
        let mut levels: Vec<Vec<(u32, u32)>> = Vec::new();
        if n <= BLOCK {
            return MinMaxIndex { levels, fine };
        }
        levels.push(first);
        while levels.last().is_some_and(|l| l.len() > BLOCK) {
            let prev = levels.last().map(Vec::as_slice).unwrap_or_default();
            let kept = old.get(levels.len()).map_or(&[][..], Vec::as_slice);
            let keep = (unchanged / BLOCK).min(kept.len());
            let mut next: Vec<(u32, u32)> = Vec::with_capacity(prev.len().div_ceil(BLOCK));
            next.extend_from_slice(&kept[..keep]);
            next.extend(
                prev[keep * BLOCK..]
                    .chunks(BLOCK)
                    .map(|c| merge(col, c.iter().copied())),
            );
            levels.push(next);
            unchanged = keep;
        }
        MinMaxIndex { levels, fine }
    }

    /// Bytes of memory the index takes.
    pub fn heap_bytes(&self) -> usize {
        self.levels.iter().map(|l| l.capacity() * 8).sum::<usize>() + self.fine.capacity()
    }

    /// (index of min, index of max) over points `lo..hi` (`hi > lo`).
    pub fn range(&self, col: &dyn Column, lo: usize, hi: usize) -> (usize, usize) {
        let (a, b) = self.range_level(col, lo, hi, self.levels.len());
        (a as usize, b as usize)
    }

    fn range_level(&self, col: &dyn Column, lo: usize, hi: usize, level: usize) -> (u32, u32) {
        // Block size at `level` (level 0 = single points).
        if level == 0 || hi - lo <= 2 * BLOCK {
            return scan(col, lo, hi);
        }
        let size = BLOCK.pow(level as u32);
        let first_full = lo.div_ceil(size);
        let last_full = hi / size;
        if first_full >= last_full {
            return self.range_level(col, lo, hi, level - 1);
        }
        let mut parts: Vec<(u32, u32)> = Vec::with_capacity(2 * BLOCK + 2);
        if lo < first_full * size {
            parts.push(self.range_level(col, lo, first_full * size, level - 1));
        }
        if let Some(l) = self.levels.get(level - 1) {
            parts.extend(
                l.get(first_full..last_full)
                    .unwrap_or_default()
                    .iter()
                    .copied(),
            );
        }
        if last_full * size < hi {
            parts.push(self.range_level(col, last_full * size, hi, level - 1));
        }
        merge(col, parts.into_iter())
    }
}

/// Appends to `fine` the fine level's blocks of the `n` points of `p` from block
/// `fine.len()` on, and to `first` the blocks of 256 points from `first.len()` on (which
/// must not start past the fine blocks there are), in one pass over the new points: a
/// block of 256 folds in its 16-point blocks' extremes as they are found, a later one only
/// when strictly beyond, which keeps the points a scan would; its fine blocks scanned
/// before this call are read back by their offsets.
fn index_blocks<T: Copy + Into<f64>>(
    p: &Pieces<'_, T>,
    n: usize,
    fine: &mut Vec<u8>,
    first: &mut Vec<(u32, u32)>,
) {
    let per = BLOCK / FINE;
    let (f0, mut block) = (fine.len(), first.len());
    let mut acc = Extremes::new(block * BLOCK);
    if let Some(done) = fine.get(block * per..f0).filter(|d| !d.is_empty()) {
        fold_fine(&mut Cursor::new(*p), done, block * BLOCK, &mut acc);
    }
    // Stored slices start at multiples of 16 points (chunks are 256, 256, 512, ...), so a
    // slice holds whole blocks but maybe its last.
    p.each_slice(f0 * FINE, n, |slice, base| {
        for (j, points) in slice.chunks(FINE).enumerate() {
            let start = base + j * FINE;
            if start / BLOCK != block {
                first.push((acc.min_i as u32, acc.max_i as u32));
                block = start / BLOCK;
                acc = Extremes::new(block * BLOCK);
            }
            let mut f = Extremes::new(start);
            for (k, &v) in points.iter().enumerate() {
                f.add(start + k, v.into());
            }
            fine.push(((f.min_i - start) | (f.max_i - start) << 4) as u8);
            if f.min < acc.min {
                (acc.min, acc.min_i) = (f.min, f.min_i);
            }
            if f.max > acc.max {
                (acc.max, acc.max_i) = (f.max, f.max_i);
            }
        }
    });
    if block * BLOCK < n {
        first.push((acc.min_i as u32, acc.max_i as u32));
    }
}

fn scan(col: &dyn Column, lo: usize, hi: usize) -> (u32, u32) {
    let (mi, ma) = col.scan(lo, hi);
    (mi as u32, ma as u32)
}

fn merge(col: &dyn Column, parts: impl Iterator<Item = (u32, u32)>) -> (u32, u32) {
    let mut best: Option<(u32, u32)> = None;
    for (mi, ma) in parts {
        best = Some(match best {
            None => (mi, ma),
            Some((bmi, bma)) => {
                let lo = if col.get(mi as usize) < col.get(bmi as usize)
                    || col.get(bmi as usize).is_nan()
                {
                    mi
                } else {
                    bmi
                };
                let hi = if col.get(ma as usize) > col.get(bma as usize)
                    || col.get(bma as usize).is_nan()
                {
                    ma
                } else {
                    bma
                };
                (lo, hi)
            }
        });
    }
    best.unwrap_or((0, 0))
}

/// Runs of points whose x only grows (a series restarts where its step goes back).
pub fn monotonic_runs(s: &Series) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for &r in &s.restarts {
        out.push((start, r));
        start = r;
    }
    if start < s.len() {
        out.push((start, s.len()));
    }
    out
}

/// First index in `lo..hi` for which `before` is false, by bisection (`before` holds for a
/// prefix of the range: the points left of some x). Every x search of the charts and the
/// workspace is this one loop over its own reader of x.
#[inline(always)]
pub fn first_not(lo: usize, hi: usize, mut before: impl FnMut(usize) -> bool) -> usize {
    let (mut a, mut b) = (lo, hi);
    while a < b {
        let m = a + (b - a) / 2;
        if before(m) {
            a = m + 1;
        } else {
            b = m;
        }
    }
    a
}

/// First index in `lo..hi` whose x is `>= x` (x grows over the run).
fn lower_bound(s: &Series, axis: XAxis, lo: usize, hi: usize, x: f64) -> usize {
    first_not(lo, hi, |m| axis.x(s, m) < x)
}

/// Reads the points of a [`Pieces`] column one after another, keeping the slice it read
/// last: decimation reads nearby points, almost always from the same slice.
struct Cursor<'a, T> {
    pieces: Pieces<'a, T>,
    start: usize,
    cur: &'a [T],
}

impl<'a, T: Copy> Cursor<'a, T> {
    fn new(pieces: Pieces<'a, T>) -> Self {
        Cursor {
            pieces,
            start: 0,
            cur: &[],
        }
    }

    /// Point `i`; `None` past the end.
    #[inline(always)]
    fn at(&mut self, i: usize) -> Option<T> {
        if let Some(&v) = self.cur.get(i.wrapping_sub(self.start)) {
            return Some(v);
        }
        let (start, cur) = self.pieces.piece(i)?;
        (self.start, self.cur) = (start, cur);
        cur.get(i - start).copied()
    }
}

/// The x of a point on an axis, as [`XAxis::x`] computes it, read through a [`Cursor`].
trait ReadX {
    fn x(&mut self, i: usize) -> f64;
    /// Whether x never decreases within a monotonic run (steps never do there; wall times
    /// may).
    fn monotone(&self) -> bool;
}

/// Steps times a factor (1 on the step axis, tokens per step on the tokens axis).
struct StepX<'a, T> {
    steps: Cursor<'a, T>,
    per: f64,
}

impl<T: Copy + Into<i64>> ReadX for StepX<'_, T> {
    #[inline(always)]
    fn x(&mut self, i: usize) -> f64 {
        self.steps.at(i).map_or(0, Into::into) as f64 * self.per
    }
    fn monotone(&self) -> bool {
        self.per >= 0.0 && self.per.is_finite()
    }
}

/// Wall times minus an offset (0 on the wall-time axis, the first point's wall time on the
/// relative one, NaN when that is unknown).
struct WallX<'a> {
    walls: Cursor<'a, f64>,
    minus: f64,
}

impl ReadX for WallX<'_> {
    #[inline(always)]
    fn x(&mut self, i: usize) -> f64 {
        self.walls.at(i).unwrap_or(f64::NAN) - self.minus
    }
    fn monotone(&self) -> bool {
        false
    }
}

/// (index of min, index of max) over `lo..hi` of a column as stored, as [`Column::scan`]
/// finds them (the first of equal extremes; NaN never wins; points past the end count as
/// NaN), a stored slice at a time.
fn scan_pieces<T: Copy + Into<f64>>(p: &Pieces<'_, T>, lo: usize, hi: usize) -> (usize, usize) {
    let mut acc = Extremes::new(lo);
    fold_pieces(p, lo, hi, &mut acc);
    (acc.min_i, acc.max_i)
}

/// Adds the points `lo..hi` of `p` to `acc`, in order.
#[inline(always)]
fn fold_pieces<T: Copy + Into<f64>>(p: &Pieces<'_, T>, lo: usize, hi: usize, acc: &mut Extremes) {
    p.each_slice(lo, hi, |slice, base| {
        for (k, &v) in slice.iter().enumerate() {
            acc.add(base + k, v.into());
        }
    });
}

/// Adds to `acc` the min and max of each 16-point block of the fine level in `blocks` (the
/// first starting at point `start`), read by their offsets: a later point wins only when
/// strictly beyond, as in a scan.
#[inline(always)]
fn fold_fine<T: Copy + Into<f64>>(
    vals: &mut Cursor<'_, T>,
    blocks: &[u8],
    start: usize,
    acc: &mut Extremes,
) {
    for (k, &o) in blocks.iter().enumerate() {
        let at = start + k * FINE;
        let (mi, ma) = (at + (o & 15) as usize, at + (o >> 4) as usize);
        let v = vals.at(mi).map_or(f64::NAN, Into::into);
        if v < acc.min {
            (acc.min, acc.min_i) = (v, mi);
        }
        let v = vals.at(ma).map_or(f64::NAN, Into::into);
        if v > acc.max {
            (acc.max, acc.max_i) = (v, ma);
        }
    }
}

/// [`scan_pieces`] over whole 16-point blocks read from the index's fine level: the points
/// before the first and after the last whole block are scanned, each block in between
/// gives its min and max by its offsets (the same points, kept by the same rule: a later
/// point only when strictly beyond).
fn scan_fine<T: Copy + Into<f64>>(
    p: &Pieces<'_, T>,
    vals: &mut Cursor<'_, T>,
    fine: &[u8],
    lo: usize,
    hi: usize,
) -> (usize, usize) {
    let (b0, b1) = (lo.div_ceil(FINE), hi / FINE);
    let Some(blocks) = fine.get(b0..b1).filter(|b| !b.is_empty()) else {
        return scan_pieces(p, lo, hi);
    };
    let mut acc = Extremes::new(lo);
    fold_pieces(p, lo, b0 * FINE, &mut acc);
    fold_fine(vals, blocks, b0 * FINE, &mut acc);
    fold_pieces(p, b1 * FINE, hi, &mut acc);
    (acc.min_i, acc.max_i)
}

/// First index in `lo..hi` whose x is `>= x`, by bisection (as [`lower_bound`]).
#[inline(always)]
fn bound<X: ReadX>(xs: &mut X, lo: usize, hi: usize, x: f64) -> usize {
    first_not(lo, hi, |m| xs.x(m) < x)
}

/// [`bound`] found by galloping from `lo`: steps of 1, 2, 4, ... then a binary search in
/// the last step. A pixel column of a zoomed view holds a few points, so the answer is
/// usually a step or two away, where a search over the whole rest of the view takes ~15.
#[inline(always)]
fn gallop<X: ReadX>(xs: &mut X, lo: usize, hi: usize, x: f64) -> usize {
    let (mut k, mut step) = (lo, 1);
    while k + step < hi && xs.x(k + step) < x {
        k += step;
        step *= 2;
    }
    bound(xs, k, (k + step).min(hi), x)
}

/// Where x never decreases over `i..hi`: the end of the pixel column that starts at `i`
/// and ends before `x` (`gallop(i, hi, x).max(i + 1)`), found by moving from the guess
/// `g` a few points down or up; `None` when it is farther. A column of a steady line holds
/// as many points as the one before, give or take one: two or three reads, where galloping
/// takes ~10 for a column of 50 points.
#[inline(always)]
fn near_end<X: ReadX>(xs: &mut X, i: usize, hi: usize, x: f64, g: usize) -> Option<usize> {
    let mut g = g.clamp(i + 1, hi);
    let mut moves = 0;
    while g > i + 1 && moves < 4 && xs.x(g - 1) >= x {
        g -= 1;
        moves += 1;
    }
    while g < hi && moves < 4 && xs.x(g) < x {
        g += 1;
        moves += 1;
    }
    // The end is `g` when the point before is left of `x` and `g` is not.
    ((g == i + 1 || xs.x(g - 1) < x) && (g == hi || xs.x(g) >= x)).then_some(g)
}

/// M4 decimation of `col` (raw or smoothed values of `s`) for x in `[x0, x1]` over `width`
/// pixel columns: the indexes to draw, in order (`usize::MAX` where a restart breaks the
/// line). Also returns how many points are in view.
pub fn m4(
    s: &Series,
    col: &dyn Column,
    index: &MinMaxIndex,
    axis: XAxis,
    range: (f64, f64),
    width: usize,
) -> (Vec<usize>, usize) {
    let mut out = Vec::new();
    let in_view = m4_into(s, col, index, axis, range, width, &mut out);
    (out, in_view)
}

/// [`m4`] into `out` (cleared first, so one buffer serves every line of a frame); returns
/// how many points are in view.
///
/// Each monotonic run of points is read straight from the slices the series stores (no
/// lookup of a point's chunk per point): a column's end is found by galloping over the x
/// values, its lowest and highest point by a plain scan of its values, or by the
/// [`MinMaxIndex`] when the column holds more than two of its blocks.
pub fn m4_into(
    s: &Series,
    col: &dyn Column,
    index: &MinMaxIndex,
    axis: XAxis,
    range: (f64, f64),
    width: usize,
    out: &mut Vec<usize>,
) -> usize {
    out.clear();
    if width == 0 || range.1.partial_cmp(&range.0) != Some(std::cmp::Ordering::Greater) {
        return 0;
    }
    let d = Decimate {
        runs: monotonic_runs(s),
        col,
        index,
        range,
        width,
        out,
    };
    with_readers(s, col, axis, d)
}

/// Work over a column's points that needs their x and values read fast: given a reader of
/// x and the values as stored once their types are known ([`with_readers`]).
trait WithReaders {
    type Out;
    fn go<X: ReadX, T: Copy + Into<f64>>(self, xs: &mut X, vals: &Pieces<'_, T>) -> Self::Out;
}

/// Runs `w` with the x reader of `axis` over `s` and the values of `col` as stored.
fn with_readers<W: WithReaders>(s: &Series, col: &dyn Column, axis: XAxis, w: W) -> W::Out {
    match col.pieces() {
        ValuePieces::Single(v) => on_axis(s, axis, &v, w),
        ValuePieces::Double(v) => on_axis(s, axis, &v, w),
    }
}

/// [`with_readers`] once the values' type is known.
fn on_axis<T: Copy + Into<f64>, W: WithReaders>(
    s: &Series,
    axis: XAxis,
    vals: &Pieces<'_, T>,
    w: W,
) -> W::Out {
    let per = match axis {
        XAxis::Step => 1.0,
        XAxis::Tokens(per) => per,
        XAxis::Wall | XAxis::Relative => {
            let minus = match axis {
                XAxis::Relative => s.wall(0).unwrap_or(f64::NAN),
                _ => 0.0,
            };
            let walls = Cursor::new(s.wall_pieces());
            return w.go(&mut WallX { walls, minus }, vals);
        }
    };
    match s.step_pieces() {
        StepPieces::Narrow(p) => w.go(
            &mut StepX {
                steps: Cursor::new(p),
                per,
            },
            vals,
        ),
        StepPieces::Wide(p) => w.go(
            &mut StepX {
                steps: Cursor::new(p),
                per,
            },
            vals,
        ),
    }
}

/// The points at `idx` (indexes into `s`, `usize::MAX` for a break) as (x on `axis`, value
/// of `col`) appended to `out`: what [`XAxis::x`] and [`Column::get`] give, read in order
/// through the stored slices. A break is (NaN, NaN).
pub fn points_append(
    s: &Series,
    col: &dyn Column,
    axis: XAxis,
    idx: &[usize],
    out: &mut Vec<(f64, f64)>,
) {
    with_readers(s, col, axis, ReadPoints { idx, out });
}

/// [`points_append`] as [`WithReaders`] work.
struct ReadPoints<'a> {
    idx: &'a [usize],
    out: &'a mut Vec<(f64, f64)>,
}

impl WithReaders for ReadPoints<'_> {
    type Out = ();
    fn go<X: ReadX, T: Copy + Into<f64>>(self, xs: &mut X, vals: &Pieces<'_, T>) {
        let mut vals = Cursor::new(*vals);
        self.out.reserve(self.idx.len());
        for &i in self.idx {
            self.out.push(match i {
                usize::MAX => (f64::NAN, f64::NAN),
                i => (xs.x(i), vals.at(i).map_or(f64::NAN, Into::into)),
            });
        }
    }
}

/// One line's decimation, before the columns' types are known.
struct Decimate<'a> {
    runs: Vec<(usize, usize)>,
    col: &'a dyn Column,
    index: &'a MinMaxIndex,
    range: (f64, f64),
    width: usize,
    out: &'a mut Vec<usize>,
}

impl WithReaders for Decimate<'_> {
    type Out = usize;
    fn go<X: ReadX, T: Copy + Into<f64>>(self, xs: &mut X, vals: &Pieces<'_, T>) -> usize {
        self.run(xs, vals)
    }
}

impl Decimate<'_> {
    /// The decimation proper, over x values read by `xs` and the values as stored.
    fn run<X: ReadX, T: Copy + Into<f64>>(self, xs: &mut X, vals: &Pieces<'_, T>) -> usize {
        let out = self.out;
        let monotone = xs.monotone();
        let mut cur = Cursor::new(*vals);
        let (x0, x1) = self.range;
        let px = (x1 - x0) / self.width as f64;
        let mut span = Span::new(vals, &mut cur, (self.index, self.col), (x0, px), monotone);
        each_run(xs, &self.runs, (x0, x1), out, |xs, _, _, lo_hi, out| {
            span.columns(xs, lo_hi, out, |_, _| {});
        })
    }
}

/// The frame of a line's decimation, run by run: the points of each monotonic run in
/// `x0 <= x <= x1` (`lo..hi`), the point either side of them (which keeps the line running
/// to the view's edges), `inner(xs, k, run, (lo, hi), out)` between them for run `k`, and
/// `usize::MAX` between runs (a restart breaks the line); returns how many points are in
/// view.
fn each_run<X: ReadX>(
    xs: &mut X,
    runs: &[(usize, usize)],
    (x0, x1): (f64, f64),
    out: &mut Vec<usize>,
    mut inner: impl FnMut(&mut X, usize, (usize, usize), (usize, usize), &mut Vec<usize>),
) -> usize {
    let mut in_view = 0;
    for (k, &(rlo, rhi)) in runs.iter().enumerate() {
        let lo = bound(xs, rlo, rhi, x0);
        let hi = bound(xs, rlo, rhi, x1.next_up());
        let (lo_ext, hi_ext) = (lo.saturating_sub(1).max(rlo), (hi + 1).min(rhi));
        in_view += hi - lo;
        if lo_ext < lo {
            out.push(lo_ext);
        }
        inner(xs, k, (rlo, rhi), (lo, hi), out);
        if hi < hi_ext {
            out.push(hi);
        }
        out.push(usize::MAX);
    }
    out.pop();
    in_view
}

/// What decimating a stretch of one run's points needs besides their x: the values as
/// stored (and a cursor over them), the index, and the grid of pixel columns (column `c`
/// holds `x0 + c * px <= x < x0 + (c + 1) * px`).
struct Span<'a, 'c, T> {
    vals: &'a Pieces<'a, T>,
    cur: &'c mut Cursor<'a, T>,
    index: &'a MinMaxIndex,
    col: &'a dyn Column,
    grid: (f64, f64),
    monotone: bool,
}

impl<'a, 'c, T: Copy + Into<f64>> Span<'a, 'c, T> {
    fn new(
        vals: &'a Pieces<'a, T>,
        cur: &'c mut Cursor<'a, T>,
        (index, col): (&'a MinMaxIndex, &'a dyn Column),
        grid: (f64, f64),
        monotone: bool,
    ) -> Self {
        Span {
            vals,
            cur,
            index,
            col,
            grid,
            monotone,
        }
    }

    /// Decimates points `lo..hi` column by column: each column's first, lowest, highest
    /// and last point pushed to `out` in order, each once; `mark(c, at)` is told that
    /// column `c` starts at `out[at]`. A column's end is where x reaches its right edge, so
    /// the points of `lo..hi` fall into the same columns however the range is cut at
    /// column edges (what lets [`m4_memo_into`] keep columns from frame to frame).
    #[inline(always)]
    fn columns<X: ReadX>(
        &mut self,
        xs: &mut X,
        (lo, hi): (usize, usize),
        out: &mut Vec<usize>,
        mut mark: impl FnMut(f64, usize),
    ) {
        let (x0, px) = self.grid;
        let mut i = lo;
        // Points in the last column: where x never decreases, the next column ends about
        // as many points on (see `near_end`).
        let mut last = 0;
        while i < hi {
            let c = column_of(xs.x(i), (x0, px));
            let col_end_x = x0 + (c + 1.0) * px;
            let j = match self
                .monotone
                .then(|| near_end(xs, i, hi, col_end_x, i + last))
            {
                Some(Some(j)) => j,
                _ => gallop(xs, i, hi, col_end_x).max(i + 1),
            };
            last = j - i;
            // The same extremes three ways: a scan of a few points, whole blocks of the
            // fine level for tens of points, the index's levels beyond.
            let (mi, ma) = if j - i > 2 * BLOCK {
                self.index.range(self.col, i, j)
            } else if j - i >= 2 * FINE {
                scan_fine(self.vals, self.cur, &self.index.fine, i, j)
            } else {
                scan_pieces(self.vals, i, j)
            };
            // i <= mi, ma <= j - 1: in order, each once.
            let (a, b) = if mi <= ma { (mi, ma) } else { (ma, mi) };
            mark(c, out.len());
            out.push(i);
            for k in [a, b, j - 1] {
                if out.last() != Some(&k) {
                    out.push(k);
                }
            }
            i = j;
        }
    }
}

/// The pixel column of `x` on the grid `x0 + c * px`: the one whose edges hold it
/// (`x0 + c * px <= x < x0 + (c + 1) * px`; the division alone may round across an edge).
#[inline(always)]
fn column_of(x: f64, (x0, px): (f64, f64)) -> f64 {
    let c = ((x - x0) / px).floor();
    if x < x0 + c * px {
        c - 1.0
    } else if x >= x0 + (c + 1.0) * px {
        c + 1.0
    } else {
        c
    }
}

/// Decimated pixel columns kept from one frame of a chart to the next, line by line, so
/// that a view moved by whole columns at the same scale (a pan) decimates only the columns
/// that came into view ([`m4_memo_into`]). A line is known by its series' address, length,
/// first and last point, and the x axis; lines not drawn in a frame are forgotten after it
/// ([`M4Memo::sweep`]).
#[derive(Debug, Default)]
pub struct M4Memo {
    lines: Vec<LineMemo>,
}

/// One line's kept columns.
#[derive(Debug)]
struct LineMemo {
    key: [u64; 6],
    /// The grid: column `c` holds `anchor + c * px <= x < anchor + (c + 1) * px`.
    anchor: f64,
    px: f64,
    runs: Vec<RunMemo>,
    used: bool,
    /// Columns copied from the frame before (what the memo saved).
    copied: usize,
}

/// The kept columns `c0..c0 + starts.len() - 1` of one monotonic run: column `c`'s
/// indexes are `kept[starts[c - c0]..starts[c - c0 + 1]]`.
#[derive(Debug, Default)]
struct RunMemo {
    c0: i64,
    starts: Vec<usize>,
    kept: Vec<usize>,
}

impl M4Memo {
    /// Forgets the lines not decimated since the last sweep (a chart calls it after each
    /// frame).
    pub fn sweep(&mut self) {
        self.lines.retain(|l| l.used);
        for l in &mut self.lines {
            l.used = false;
        }
    }

    /// The memo of `s` on `axis` (made empty when new).
    fn line(&mut self, s: &Series, axis: XAxis) -> &mut LineMemo {
        let n = s.len();
        let end = |i: usize| (s.step(i) as u64, s.value(i).to_bits());
        let ((s0, v0), (s1, v1)) = if n == 0 {
            ((0, 0), (0, 0))
        } else {
            (end(0), end(n - 1))
        };
        let (kind, per) = match axis {
            XAxis::Step => (0, 0),
            XAxis::Relative => (1, 0),
            XAxis::Wall => (2, 0),
            XAxis::Tokens(per) => (3, per.to_bits()),
        };
        let key = [
            s as *const Series as u64,
            n as u64 ^ (kind << 60),
            per,
            s0 ^ s1.rotate_left(32),
            v0,
            v1,
        ];
        let at = match self.lines.iter().position(|l| l.key == key) {
            Some(at) => at,
            None => {
                self.lines.push(LineMemo {
                    key,
                    anchor: f64::NAN,
                    px: f64::NAN,
                    runs: Vec::new(),
                    used: false,
                    copied: 0,
                });
                self.lines.len() - 1
            }
        };
        let l = &mut self.lines[at];
        l.used = true;
        l
    }
}

impl RunMemo {
    /// Makes the kept columns exactly `s0..s1`: the ones kept from before copied, the
    /// others decimated over the run's points `rlo..rhi`; returns how many were copied.
    fn cover<X: ReadX, T: Copy + Into<f64>>(
        &mut self,
        span: &mut Span<'_, '_, T>,
        xs: &mut X,
        (rlo, rhi): (usize, usize),
        (s0, s1): (i64, i64),
    ) -> usize {
        let (c0, c1) = (
            self.c0,
            self.c0 + self.starts.len().saturating_sub(1) as i64,
        );
        let (k0, k1) = (s0.max(c0), s1.min(c1));
        let mut starts = Vec::with_capacity((s1 - s0) as usize + 1);
        let mut kept = Vec::with_capacity(self.kept.len().max(16));
        let (x0, px) = span.grid;
        let edge = move |xs: &mut X, c: i64| bound(xs, rlo, rhi, x0 + c as f64 * px);
        let fresh = |span: &mut Span<'_, '_, T>,
                     xs: &mut X,
                     kept: &mut Vec<usize>,
                     starts: &mut Vec<usize>,
                     (p, q): (i64, i64)| {
            let (lo, hi) = (edge(xs, p), edge(xs, q));
            let mut next = p;
            span.columns(xs, (lo, hi), kept, |c, at| {
                let c = (c as i64).clamp(p, q - 1);
                while next <= c {
                    starts.push(at);
                    next += 1;
                }
            });
            while next < q {
                starts.push(kept.len());
                next += 1;
            }
        };
        if k0 < k1 {
            fresh(span, xs, &mut kept, &mut starts, (s0, k0));
            let (a, b) = (
                self.starts[(k0 - c0) as usize],
                self.starts[(k1 - c0) as usize],
            );
            let shift = kept.len();
            starts.extend(
                self.starts[(k0 - c0) as usize..(k1 - c0) as usize]
                    .iter()
                    .map(|&o| o - a + shift),
            );
            kept.extend_from_slice(&self.kept[a..b]);
            fresh(span, xs, &mut kept, &mut starts, (k1, s1));
        } else {
            fresh(span, xs, &mut kept, &mut starts, (s0, s1));
        }
        starts.push(kept.len());
        *self = RunMemo {
            c0: s0,
            starts,
            kept,
        };
        (k1 - k0).max(0) as usize
    }
}

/// [`m4_into`] with columns kept in `memo` from the frame before: when `range` is the
/// previous view moved by a whole number of columns at the same scale, the columns still in
/// view are copied and only the new ones decimated. The columns are then those of the
/// first view's grid (its left edge plus whole columns), which the moved view's edges lie
/// on to a millionth of a column; otherwise the memo of the line starts afresh with this
/// view. Where x may decrease within a run (wall times), nothing is kept.
#[allow(clippy::too_many_arguments)]
pub fn m4_memo_into(
    s: &Series,
    col: &dyn Column,
    index: &MinMaxIndex,
    axis: XAxis,
    range: (f64, f64),
    width: usize,
    memo: &mut M4Memo,
    out: &mut Vec<usize>,
) -> usize {
    out.clear();
    if width == 0 || range.1.partial_cmp(&range.0) != Some(std::cmp::Ordering::Greater) {
        return 0;
    }
    let line = memo.line(s, axis);
    let px = (range.1 - range.0) / width as f64;
    let k = (range.0 - line.anchor) / line.px;
    let moved = (px - line.px).abs() <= line.px * 1e-9 && (k - k.round()).abs() < 1e-6;
    let k0 = if moved && k.abs() < 1e12 {
        k.round() as i64
    } else {
        (line.anchor, line.px) = (range.0, px);
        line.runs.clear();
        0
    };
    let d = DecimateMemo {
        runs: monotonic_runs(s),
        col,
        index,
        cols: (k0, k0 + width as i64),
        line,
        out,
    };
    with_readers(s, col, axis, d)
}

/// One line's decimation through its memo, before the columns' types are known.
struct DecimateMemo<'a> {
    runs: Vec<(usize, usize)>,
    col: &'a dyn Column,
    index: &'a MinMaxIndex,
    cols: (i64, i64),
    line: &'a mut LineMemo,
    out: &'a mut Vec<usize>,
}

impl WithReaders for DecimateMemo<'_> {
    type Out = usize;
    fn go<X: ReadX, T: Copy + Into<f64>>(self, xs: &mut X, vals: &Pieces<'_, T>) -> usize {
        let (a, px) = (self.line.anchor, self.line.px);
        let (k0, k1) = self.cols;
        let (x0, x1) = (a + k0 as f64 * px, a + k1 as f64 * px);
        if !xs.monotone() {
            self.line.runs.clear();
            let d = Decimate {
                runs: self.runs,
                col: self.col,
                index: self.index,
                range: (x0, x1),
                width: (k1 - k0) as usize,
                out: self.out,
            };
            return d.run(xs, vals);
        }
        let out = self.out;
        let mut cur = Cursor::new(*vals);
        let mut span = Span::new(vals, &mut cur, (self.index, self.col), (a, px), true);
        self.line
            .runs
            .resize_with(self.runs.len(), RunMemo::default);
        let (memo, copied) = (&mut self.line.runs, &mut self.line.copied);
        each_run(xs, &self.runs, (x0, x1), out, |xs, k, run, (_, hi), out| {
            let Some(kept) = memo.get_mut(k) else {
                return;
            };
            *copied += kept.cover(&mut span, xs, run, (k0, k1));
            out.extend_from_slice(&kept.kept);
            // Points on the view's right edge itself are in view: a column of their own.
            let on_edge = bound(xs, run.0, run.1, x1);
            span.columns(xs, (on_edge, hi), out, |_, _| {});
        })
    }
}

/// Appends a pixel column's kept indexes to `out` in order, each once.
pub fn push_in_order<const N: usize>(out: &mut Vec<usize>, mut keep: [usize; N]) {
    keep.sort_unstable();
    let mut prev = usize::MAX;
    for k in keep {
        if k != prev {
            out.push(k);
            prev = k;
        }
    }
}

/// Index of the point nearest to `x` within each run (for hover tooltips).
pub fn nearest(s: &Series, axis: XAxis, x: f64) -> Option<usize> {
    let mut best: Option<(f64, usize)> = None;
    for (lo, hi) in monotonic_runs(s) {
        let i = lower_bound(s, axis, lo, hi, x);
        for k in [i.saturating_sub(1).max(lo), i.min(hi.saturating_sub(1))] {
            if k < hi {
                let d = (axis.x(s, k) - x).abs();
                if best.is_none_or(|(bd, _)| d < bd) {
                    best = Some((d, k));
                }
            }
        }
    }
    best.map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The decimation as it was before it read the series' slices (each x through
    /// [`XAxis::x`], each column's extremes through the index): the oracle [`m4`] must equal.
    fn m4_reference(
        s: &Series,
        col: &dyn Column,
        index: &MinMaxIndex,
        axis: XAxis,
        (x0, x1): (f64, f64),
        width: usize,
    ) -> (Vec<usize>, usize) {
        if width == 0 || x1.partial_cmp(&x0) != Some(std::cmp::Ordering::Greater) {
            return (Vec::new(), 0);
        }
        grid_reference(
            s,
            col,
            index,
            axis,
            (x0, x1),
            (x0, (x1 - x0) / width as f64),
        )
    }

    /// [`m4_reference`] over the points with `x0 <= x <= x1`, on the grid of columns
    /// `a + c * px` (a point's column is the one whose edges hold it).
    fn grid_reference(
        s: &Series,
        col: &dyn Column,
        index: &MinMaxIndex,
        axis: XAxis,
        (x0, x1): (f64, f64),
        (a, px): (f64, f64),
    ) -> (Vec<usize>, usize) {
        fn gallop_bound(s: &Series, axis: XAxis, lo: usize, hi: usize, x: f64) -> usize {
            let (mut k, mut step) = (lo, 1);
            while k + step < hi && axis.x(s, k + step) < x {
                k += step;
                step *= 2;
            }
            lower_bound(s, axis, k, (k + step).min(hi), x)
        }
        let mut out = Vec::new();
        let mut in_view = 0;
        for (rlo, rhi) in monotonic_runs(s) {
            let lo = lower_bound(s, axis, rlo, rhi, x0);
            let hi = lower_bound(s, axis, rlo, rhi, x1.next_up());
            let (lo_ext, hi_ext) = (lo.saturating_sub(1).max(rlo), (hi + 1).min(rhi));
            in_view += hi - lo;
            if lo_ext < lo {
                out.push(lo_ext);
            }
            let mut i = lo;
            while i < hi {
                let c = column_of(axis.x(s, i), (a, px));
                let col_end_x = a + (c + 1.0) * px;
                let j = gallop_bound(s, axis, i, hi, col_end_x).max(i + 1);
                let (mi, ma) = index.range(col, i, j);
                push_in_order(&mut out, [i, mi, ma, j - 1]);
                i = j;
            }
            if hi < hi_ext {
                out.push(hi);
            }
            out.push(usize::MAX);
        }
        out.pop();
        (out, in_view)
    }

    fn series(values: &[f64]) -> Series {
        let mut s = Series::new("t");
        for (i, v) in values.iter().enumerate() {
            s.push(i as i64, i as f64, *v);
        }
        s
    }

    #[test]
    fn an_index_extended_over_appended_points_is_the_index_built_afresh() {
        let values: Vec<f64> = (0..140_000).map(|i| ((i * 7919) % 10007) as f64).collect();
        for (old, new) in [
            (0, 100),
            (10, 300),
            (256, 257),
            (4_000, 4_100),
            (4_095, 4_097),
            (300, 70_000),
            (70_000, 140_000),
        ] {
            let a = MinMaxIndex::build(&Raw(&series(&values[..old])));
            let grown = series(&values[..new]);
            assert_eq!(
                a.extended(&Raw(&grown)),
                MinMaxIndex::build(&Raw(&grown)),
                "{old} -> {new}"
            );
        }
    }

    #[test]
    fn an_index_extended_part_by_part_keeps_its_upper_levels_right() {
        // Level 2 (a block per 65,536 points) with several blocks, NaN among the values,
        // and parts ending inside and on block edges of every level.
        let values: Vec<f64> = (0..600_000i64)
            .map(|i| {
                if i % 50_021 == 7 {
                    f64::NAN
                } else {
                    ((i * 7919) % 100_003) as f64 - (i / 1000) as f64
                }
            })
            .collect();
        let mut ix = MinMaxIndex::default();
        for end in [
            1, 255, 65_536, 65_537, 131_072, 131_328, 200_000, 262_143, 262_144, 400_000, 599_999,
            600_000,
        ] {
            let grown = series(&values[..end]);
            ix = ix.extended(&Raw(&grown));
            assert_eq!(ix, MinMaxIndex::build(&Raw(&grown)), "at {end}");
            assert_eq!(ix.range(&Raw(&grown), 0, end), Raw(&grown).scan(0, end));
        }
        assert!(ix.levels.len() >= 2 && ix.levels[1].len() > 2);
    }

    #[test]
    fn smoothing_a_growing_series_gives_what_smoothing_it_whole_gives() {
        let mut s = Series::new("t");
        let mut sm = Smoother::new(0.6);
        // A constant start that stops being constant, a NaN, a restart, a constant tail.
        let values = [
            2.0,
            2.0,
            2.0,
            3.0,
            f64::NAN,
            1.0,
            5.0,
            5.0,
            5.0,
            5.0,
            4.0,
            4.0,
        ];
        let steps = [1, 2, 3, 4, 5, 6, 3, 4, 5, 6, 7, 8];
        // What each drawing took (sharing the smoother's storage), and what it must read.
        let mut taken = Vec::new();
        for (k, (&v, &st)) in values.iter().zip(&steps).enumerate() {
            s.push(st, 0.0, v);
            if k % 3 == 1 || k == values.len() - 1 {
                let _ = sm.extend(&Raw(&s), &s.restarts);
                let whole = smooth(&Raw(&s), 0.6, &s.restarts);
                assert_eq!(
                    format!("{:?}", sm.values().to_vec()),
                    format!("{whole:?}"),
                    "after {} points",
                    k + 1
                );
                taken.push((sm.values().clone(), whole));
            }
        }
        // Smoothing on (a constant start smoothed again from its start) never changed what
        // an earlier drawing holds.
        for (got, want) in taken {
            assert_eq!(format!("{:?}", got.to_vec()), format!("{want:?}"));
        }
    }

    #[test]
    fn smoothing_grown_across_chunks_gives_what_smoothing_it_whole_gives() {
        // Appended in uneven parts that end inside the series' storage chunks, with a
        // restart in the middle.
        let mut s = Series::new("t");
        let mut sm = Smoother::new(0.9);
        let mut taken = Vec::new();
        let mut step = 0;
        for (part, len) in [1, 300, 77, 1000, 3, 2500].into_iter().enumerate() {
            for k in 0..len {
                step = if part == 4 && k == 0 { 10 } else { step + 1 };
                s.push(step, 0.0, ((step * 31 + k) % 97) as f64);
            }
            let _ = sm.extend(&Raw(&s), &s.restarts);
            let whole = smooth(&Raw(&s), 0.9, &s.restarts);
            assert_eq!(sm.values().to_vec(), whole, "after part {part}");
            // Read through its chunks as a chart does, every value and the min/max index.
            let got = Values::Chunks(sm.values());
            assert!((0..whole.len()).all(|i| got.get(i) == f64::from(whole[i])));
            assert_eq!(
                MinMaxIndex::build(&got),
                MinMaxIndex::build(&Values::F32(&whole))
            );
            assert_eq!(
                got.scan(3, whole.len()),
                Values::F32(&whole).scan(3, whole.len())
            );
            taken.push((sm.values().clone(), whole));
        }
        assert_eq!(s.restarts.len(), 1);
        for (got, want) in taken {
            assert_eq!(got.to_vec(), want);
        }
    }

    #[test]
    fn smoothing_long_series_equals_the_formula_at_every_point() {
        // Past the point where 1 - w^n is exactly 1 the power is no longer computed: the
        // values are still those of TensorBoard's formula, bit for bit.
        for w in [0.0, 0.3, 0.6, 0.9, 0.99, 0.999] {
            let vals: Vec<f64> = (0..40_000)
                .map(|i| ((i * 7919) % 1000) as f64 / 100.0)
                .collect();
            let got = smooth(&Raw(&series(&vals)), w, &[]);
            let mut last = 0.0;
            for (n, (&v, g)) in vals.iter().zip(&got).enumerate() {
                last = last * w + (1.0 - w) * v;
                let want = (last / (1.0 - f64::powi(w, n as i32 + 1))) as f32;
                assert_eq!(g.to_bits(), want.to_bits(), "w {w}, point {n}");
            }
        }
    }

    #[test]
    fn smoothing_matches_tensorboard() {
        // TensorBoard: last = last*w + (1-w)*v; smoothed = last / (1 - w^n).
        let s = series(&[1.0, 2.0, 3.0]);
        let sm = smooth(&Raw(&s), 0.6, &s.restarts);
        assert!((sm[0] as f64 - 1.0).abs() < 1e-6);
        let l2 = (0.4 * 0.6 + 0.4 * 2.0) / (1.0 - 0.36);
        assert!((sm[1] as f64 - l2).abs() < 1e-6, "{} {l2}", sm[1]);
        let c = smooth(&Raw(&series(&[5.0, 5.0])), 0.9, &[]);
        assert_eq!(c, vec![5.0, 5.0]);
        let with_nan = smooth(&Raw(&series(&[1.0, f64::NAN, 1.0])), 0.5, &[]);
        assert!(with_nan[1].is_nan());
    }

    /// Issue 13 item 6: after a restart the smoothed line carried the previous segment's
    /// average; each segment is its own run of the trainer and starts the average afresh.
    #[test]
    fn smoothing_starts_afresh_at_each_restart() {
        let mut s = Series::new("lm loss");
        // Steps 1..4 falling from 4 to 1, then a resume from step 2 at 3.5 and falling again.
        for (step, v) in [
            (1, 4.0),
            (2, 3.0),
            (3, 2.0),
            (4, 1.0),
            (2, 3.5),
            (3, 3.0),
            (4, 2.5),
        ] {
            s.push(step, f64::NAN, v);
        }
        assert_eq!(s.restarts, vec![4]);
        let sm = smooth(&Raw(&s), 0.9, &s.restarts);
        assert_eq!(sm.len(), 7);
        assert_eq!(
            sm[4], 3.5,
            "the first point after a restart is its own value"
        );
        // The second segment alone, smoothed as a series of its own.
        let alone = series(&[3.5, 3.0, 2.5]);
        assert_eq!(&sm[4..], &smooth(&Raw(&alone), 0.9, &[])[..]);
        // And the first segment is unchanged by what follows it.
        let head = series(&[4.0, 3.0, 2.0, 1.0]);
        assert_eq!(&sm[..4], &smooth(&Raw(&head), 0.9, &[])[..]);
        // A constant segment after a changing one stays constant.
        let mut c = Series::new("c");
        for (step, v) in [(1, 1.0), (2, 2.0), (1, 5.0), (2, 5.0)] {
            c.push(step, f64::NAN, v);
        }
        assert_eq!(smooth(&Raw(&c), 0.6, &c.restarts)[2..], [5.0, 5.0]);
    }

    /// The index's blocks, merged from the fine level, are the points a scan of each block
    /// finds (ties, NaN and infinities included), and its fine level is each 16 points'.
    #[test]
    fn index_blocks_are_what_a_scan_finds() {
        let mut rng = crate::testutil::Rng(0x0bad_cafe_dead_f00d);
        for case in 0..40 {
            let n = 1 + rng.below(70_000) as usize;
            let s = random_series(&mut rng, n, case % 2 == 0);
            let col = Raw(&s);
            let idx = MinMaxIndex::build(&col);
            for (b, &got) in idx.levels.first().into_iter().flatten().enumerate() {
                let lo = b * BLOCK;
                assert_eq!(
                    got,
                    scan(&col, lo, (lo + BLOCK).min(n)),
                    "case {case} block {b}"
                );
            }
            for (b, &o) in idx.fine.iter().enumerate() {
                let lo = b * FINE;
                let (mi, ma) = col.scan(lo, (lo + FINE).min(n));
                assert_eq!(
                    o,
                    ((mi - lo) | (ma - lo) << 4) as u8,
                    "case {case} fine {b}"
                );
            }
            assert_eq!(idx.fine.len(), n.div_ceil(FINE));
        }
    }

    #[test]
    fn index_finds_min_and_max_of_any_range() {
        let values: Vec<f64> = (0..200_000).map(|i| ((i * 7919) % 10007) as f64).collect();
        let s = series(&values);
        let idx = MinMaxIndex::build(&Raw(&s));
        for (lo, hi) in [
            (0, 200_000),
            (5, 6),
            (300, 70_000),
            (65_535, 131_073),
            (199_000, 200_000),
        ] {
            let (mi, ma) = idx.range(&Raw(&s), lo, hi);
            let slice = &values[lo..hi];
            let want_min = slice.iter().cloned().fold(f64::INFINITY, f64::min);
            let want_max = slice.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            assert_eq!(values[mi], want_min, "{lo}..{hi}");
            assert_eq!(values[ma], want_max, "{lo}..{hi}");
        }
    }

    #[test]
    fn m4_keeps_every_column_extreme_including_a_lone_spike() {
        let mut values: Vec<f64> = (0..1_000_000)
            .map(|i| 1.0 + (i as f64 * 1e-3).sin() * 0.1)
            .collect();
        values[777_777] = 50.0;
        let s = series(&values);
        let idx = MinMaxIndex::build(&Raw(&s));
        let (pts, in_view) = m4(&s, &Raw(&s), &idx, XAxis::Step, (0.0, 999_999.0), 800);
        assert_eq!(in_view, 1_000_000);
        assert!(pts.len() <= 4 * 801, "{}", pts.len());
        assert!(pts.contains(&777_777), "the spike is drawn");
        assert!(pts.contains(&0) && pts.contains(&999_999));
        // Same per-column extremes as every point.
        let px = 999_999.0 / 800.0;
        let mut col_max = vec![f64::NEG_INFINITY; 801];
        for (i, v) in values.iter().enumerate() {
            let c = ((i as f64) / px).floor() as usize;
            col_max[c] = col_max[c].max(*v);
        }
        let mut got_max = vec![f64::NEG_INFINITY; 801];
        for &i in pts.iter().filter(|&&i| i != usize::MAX) {
            let c = ((i as f64) / px).floor() as usize;
            got_max[c] = got_max[c].max(values[i]);
        }
        assert_eq!(col_max, got_max);
    }

    /// Every pixel column's first, lowest, highest and last point, found by reading every
    /// point in turn (the column of a point: the one whose right edge is past its x).
    fn m4_by_hand(s: &Series, values: &[f64], (x0, x1): (f64, f64), width: usize) -> Vec<usize> {
        let px = (x1 - x0) / width as f64;
        let x = |i: usize| s.step(i) as f64;
        let (lo, hi) = (
            (0..s.len()).find(|&i| x(i) >= x0).unwrap_or(s.len()),
            (0..s.len()).find(|&i| x(i) > x1).unwrap_or(s.len()),
        );
        let mut out = Vec::new();
        if lo > 0 {
            out.push(lo - 1);
        }
        let mut i = lo;
        while i < hi {
            let end = x0 + (((x(i) - x0) / px).floor() + 1.0) * px;
            let mut j = i + 1;
            while j < hi && x(j) < end {
                j += 1;
            }
            let cols = &values[i..j];
            let arg = |better: fn(f64, f64) -> bool| {
                (i..j).fold(i, |b, k| if better(cols[k - i], values[b]) { k } else { b })
            };
            push_in_order(&mut out, [i, arg(|a, b| a < b), arg(|a, b| a > b), j - 1]);
            i = j;
        }
        if hi < s.len() {
            out.push(hi);
        }
        out
    }

    /// Galloping to each column's end finds the same columns as reading every point, with
    /// gaps in the steps, views that start and end between points, and few or many points
    /// a column.
    #[test]
    fn m4_equals_reading_every_point() {
        let mut rng = crate::testutil::Rng(0x9e37_79b9_7f4a_7c15);
        for case in 0..60 {
            let n = 1 + rng.below(5_000) as usize;
            let mut s = Series::new("t");
            let mut values = Vec::new();
            let mut step = rng.below(10) as i64;
            for _ in 0..n {
                step += 1 + if rng.below(10) == 0 {
                    rng.below(300) as i64
                } else {
                    0
                };
                let v = rng.unit();
                s.push(step, f64::NAN, v);
                values.push(v);
            }
            let idx = MinMaxIndex::build(&Raw(&s));
            let span = step as f64;
            let a = rng.unit() * span * 0.8;
            let b = a + 1.0 + rng.unit() * (span - a);
            let width = 1 + rng.below(900) as usize;
            let (got, _) = m4(&s, &Raw(&s), &idx, XAxis::Step, (a, b), width);
            let want = m4_by_hand(&s, &values, (a, b), width);
            // Ties between equal values may pick either point: compare the values kept.
            let vals = |v: &[usize]| {
                v.iter()
                    .map(|&i| (s.step(i), values[i]))
                    .collect::<Vec<_>>()
            };
            assert_eq!(
                got.len(),
                want.len(),
                "case {case}: {n} points, {a}..{b} over {width}"
            );
            assert_eq!(vals(&got).len(), vals(&want).len());
            let (g, w) = (vals(&got), vals(&want));
            for (p, q) in g.iter().zip(&w) {
                assert_eq!(p.1, q.1, "case {case}: {p:?} vs {q:?}");
            }
        }
    }

    /// A random series for comparing decimations: restarts, NaN values (and stretches of
    /// them), missing or unordered wall times, `i64` steps or `f64` values now and then.
    #[test]
    fn a_memo_moved_by_whole_columns_decimates_as_its_grid_does_afresh() {
        let mut rng = crate::testutil::Rng(0x9e37_79b9_7f4a_7c15);
        let mut copied = 0;
        for case in 0..120 {
            let n = match case % 6 {
                0 => rng.below(4) as usize,
                1 => 40_000 + rng.below(60_000) as usize,
                _ => 1 + rng.below(8_000) as usize,
            };
            let s = random_series(&mut rng, n, case % 5 == 0);
            let index = MinMaxIndex::build(&Raw(&s));
            let axes = [
                XAxis::Step,
                XAxis::Step,
                XAxis::Tokens(2.5),
                XAxis::Tokens(-3.0),
                XAxis::Wall,
            ];
            let axis = axes[rng.below(axes.len() as u64) as usize];
            let (lo, span) = x_span(&s, axis);
            let mut memo = M4Memo::default();
            let mut out = Vec::new();
            // The grid the memo should be on: its first view's left edge and column width.
            let (mut a, mut px, mut k, mut width) = (0.0, 1.0, 0i64, 1usize);
            for frame in 0..12 {
                if frame == 0 || rng.below(5) == 0 {
                    // A zoom (or the first view): a new grid.
                    width = 1 + rng.below(1200) as usize;
                    a = lo + (rng.unit() * 1.2 - 0.1) * span;
                    px = (rng.unit() * span + 1e-3) / width as f64;
                    if rng.below(3) == 0 {
                        // Whole steps a column: column edges fall on points.
                        (a, px) = (a.round(), (1 + rng.below(20)) as f64);
                    }
                    k = 0;
                } else {
                    // A pan by whole columns, up to one and a half views either way.
                    let w = width as i64;
                    k += rng.below(3 * w as u64 + 1) as i64 - 3 * w / 2;
                }
                let range = (a + k as f64 * px, a + (k + width as i64) as f64 * px);
                let in_view = m4_memo_into(
                    &s,
                    &Raw(&s),
                    &index,
                    axis,
                    range,
                    width,
                    &mut memo,
                    &mut out,
                );
                let want = if axis == XAxis::Step || axis == XAxis::Tokens(2.5) {
                    grid_reference(&s, &Raw(&s), &index, axis, range, (a, px))
                } else {
                    // Where x may decrease nothing is kept: the view decimated afresh.
                    m4_reference(&s, &Raw(&s), &index, axis, range, width)
                };
                assert!(
                    (out.clone(), in_view) == want,
                    "case {case} frame {frame}: {n} points, {axis:?}, columns {k}.. of {a} + c * {px}, {width} wide: {} kept vs {}",
                    out.len(),
                    want.0.len()
                );
                copied += memo.lines.iter().map(|l| l.copied).sum::<usize>();
                memo.lines.iter_mut().for_each(|l| l.copied = 0);
                memo.sweep();
            }
        }
        // Pans by less than a view keep columns: most frames here were served by the memo.
        assert!(
            copied > 100_000,
            "columns copied from a frame before: {copied}"
        );
    }

    /// The lowest x of `s` on `axis` (at most 0) and the span up to its highest (at least
    /// 1), over the points that have an x.
    fn x_span(s: &Series, axis: XAxis) -> (f64, f64) {
        let (lo, hi) = (0..s.len())
            .map(|i| axis.x(s, i))
            .filter(|x| x.is_finite())
            .fold((0.0f64, 1.0f64), |(a, b), x| (a.min(x), b.max(x)));
        (lo, hi - lo)
    }

    fn random_series(rng: &mut crate::testutil::Rng, n: usize, nan_run: bool) -> Series {
        let mut s = Series::new("t");
        let mut step: i64 = rng.below(100) as i64 - 50;
        let mut wall = 1.7e9;
        let wide = rng.below(4) == 0;
        let double = rng.below(3) == 0;
        let jitter = rng.below(4) == 0;
        // One point in `every` starts a restart, one a gap, one repeats a step.
        let every = [50, 5_000, 100_000][rng.below(3) as usize];
        for k in 0..n {
            step += match rng.below(every) {
                0 => -(rng.below(400) as i64),
                1 => 0,
                2 => rng.below(1000) as i64,
                _ => 1,
            };
            wall += if jitter { rng.unit() * 4.0 - 1.0 } else { 1.0 };
            let w = if k > 0 && rng.below(20) == 0 {
                f64::NAN
            } else {
                wall
            };
            let mut v = (rng.unit() * 100.0).round() / 8.0;
            if double {
                v += 0.1;
            }
            if rng.below(30) == 0 || (nan_run && (n / 3..2 * n / 3).contains(&k)) {
                v = f64::NAN;
            }
            // Infinities, and zeros of both signs (equal, but not the same bits).
            v = match rng.below(100) {
                0 => f64::INFINITY,
                1 => f64::NEG_INFINITY,
                2 => -0.0,
                3 => 0.0,
                _ => v,
            };
            let st = if wide { step + 5_000_000_000 } else { step };
            s.push(st, w, v);
        }
        s
    }

    /// The decimation reading the series' slices keeps exactly the points the one reading
    /// point by point did (same indexes, same line breaks, same count in view): every x
    /// axis, raw and smoothed values, restarts, NaN values and wall times, views inside,
    /// across and outside the data, and columns dense enough for the index.
    #[test]
    fn m4_equals_the_point_by_point_decimation() {
        let mut rng = crate::testutil::Rng(0x2545_f491_4f6c_dd1d);
        for case in 0..400 {
            let n = match case % 10 {
                0 => 0,
                1 => 1 + rng.below(5) as usize,
                2 => 60_000 + rng.below(90_000) as usize,
                _ => 1 + rng.below(6_000) as usize,
            };
            // Dense cases: a third of the points NaN in a row, columns of any size.
            let nan_run = case % 10 == 2 || rng.below(3) == 0;
            let s = random_series(&mut rng, n, nan_run);
            let raw_index = MinMaxIndex::build(&Raw(&s));
            let mut smoothed = smooth(&Raw(&s), 0.6, &s.restarts);
            match rng.below(6) {
                0 => smoothed.truncate(smoothed.len().saturating_sub(rng.below(40) as usize)),
                1 => smoothed.extend([1.0, f32::NAN, -2.0]),
                _ => {}
            }
            let sm_index = MinMaxIndex::build(&Values::F32(&smoothed));
            let axes = [
                XAxis::Step,
                XAxis::Tokens(2.5),
                XAxis::Tokens(-3.0),
                XAxis::Tokens(0.0),
                XAxis::Wall,
                XAxis::Relative,
            ];
            let axis = axes[rng.below(axes.len() as u64) as usize];
            let (lo, span) = x_span(&s, axis);
            let width = match rng.below(if case % 10 == 2 { 2 } else { 6 }) {
                0 => rng.below(3) as usize,
                1 => 1 + rng.below(400) as usize,
                _ => 1 + rng.below(1500) as usize,
            };
            let a = lo + (rng.unit() * 1.4 - 0.2) * span;
            let (a, b) = match rng.below(8) {
                0 => (a, a),
                1 => (a, a - 1.0),
                // Whole steps a column: column edges fall on points.
                2 => (
                    a.round(),
                    a.round() + (width * (1 + rng.below(20) as usize)) as f64,
                ),
                _ => (a, a + rng.unit() * 1.2 * span + 1e-3),
            };
            let cols: [(&dyn Column, &MinMaxIndex); 2] =
                [(&Raw(&s), &raw_index), (&Values::F32(&smoothed), &sm_index)];
            for (k, (col, index)) in cols.into_iter().enumerate() {
                let got = m4(&s, col, index, axis, (a, b), width);
                let want = m4_reference(&s, col, index, axis, (a, b), width);
                assert!(
                    got == want,
                    "case {case} col {k}: {n} points, {axis:?}, {a}..{b} over {width}: \
                     {} kept vs {}",
                    got.0.len(),
                    want.0.len()
                );
            }
        }
    }

    #[test]
    fn m4_breaks_the_line_at_a_restart() {
        let mut s = Series::new("t");
        for st in [1, 2, 3, 4, 2, 3, 4, 5] {
            s.push(st, f64::NAN, st as f64);
        }
        let idx = MinMaxIndex::build(&Raw(&s));
        let (pts, n) = m4(&s, &Raw(&s), &idx, XAxis::Step, (1.0, 5.0), 100);
        assert_eq!(n, 8);
        assert!(pts.contains(&usize::MAX));
    }

    #[test]
    fn nearest_point_for_hover() {
        let s = series(&[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(nearest(&s, XAxis::Step, 2.4), Some(2));
        assert_eq!(nearest(&s, XAxis::Step, 100.0), Some(3));
    }
}
