//! Scalar series as the readers produce them: every point kept, stored in compact columns.
//!
//! Pure. A point costs 16 bytes in the common case (step as `i32`, value as `f32`, wall time
//! as `f64`); columns widen to `i64` steps or `f64` values only when a point needs it, so
//! nothing is rounded.

use std::sync::Arc;

/// A column stored in chunks: growing it never copies what is there (a 10M-point series
/// never holds two copies of itself), and small series stay small. Chunks are shared
/// (`Arc`): a copy of a series being read (a snapshot the chart draws while the rest
/// arrives) shares every chunk but the one still growing, which is copied on the next push.
///
/// Public for values worked out from a series (a smoothed line, kept up to date while its
/// file is read): a drawing takes a copy that shares the chunks instead of copying them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Chunked<T> {
    chunks: Vec<Arc<Vec<T>>>,
    len: usize,
}

const CHUNK_BITS: u32 = 16;
const CHUNK: usize = 1 << CHUNK_BITS;
/// Number of growing chunks before the first full one (256, 256, 512, ... 32768).
const SMALL_CHUNKS: usize = 9;

/// Where the chunk holding point `len` ends: chunks are 256, 256, 512, ..., 32768 points
/// (together [`CHUNK`]), then [`CHUNK`] each.
fn chunk_end(len: usize) -> usize {
    if len < 256 {
        256
    } else if len < CHUNK {
        (len + 1).next_power_of_two()
    } else {
        (len / CHUNK + 1) * CHUNK
    }
}

/// Whether point `len` is the first of a chunk.
fn starts_chunk(len: usize) -> bool {
    len == 0 || chunk_end(len - 1) == len
}

impl<T: Copy> Chunked<T> {
    /// The chunk the next point goes into (a new one at a chunk boundary).
    fn tail(&mut self) -> Option<&mut Vec<T>> {
        if self.chunks.is_empty() || starts_chunk(self.len) {
            // Chunks start small and double up to CHUNK, so a 10-point series costs 1 KiB.
            let cap = chunk_end(self.len) - self.len;
            self.chunks.push(Arc::new(Vec::with_capacity(cap)));
        }
        let start = chunk_start(self.chunks.len() - 1);
        let last = self.chunks.last_mut()?;
        if Arc::get_mut(last).is_none() {
            // Shared with a snapshot: copied once, with the room the chunk is to fill (a
            // plain clone has none, and the next pushes would reallocate it again).
            let mut own = Vec::with_capacity(chunk_end(start) - start);
            own.extend_from_slice(last);
            *last = Arc::new(own);
        }
        Arc::get_mut(last)
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The values as stored.
    pub fn pieces(&self) -> Pieces<'_, T> {
        Pieces::Chunks(&self.chunks)
    }

    /// Keeps the first `n` values.
    pub fn truncate(&mut self, n: usize) {
        if n >= self.len {
            return;
        }
        if n == 0 {
            self.chunks.clear();
        } else {
            let k = chunk_of(n - 1);
            self.chunks.truncate(k + 1);
            if let Some(c) = self.chunks.last_mut() {
                Arc::make_mut(c).truncate(n - chunk_start(k));
            }
        }
        self.len = n;
    }

    /// Every value, as one vector.
    pub fn to_vec(&self) -> Vec<T> {
        self.range(0, self.len)
    }

    /// Appends `vs` in order, a chunk's worth at a time.
    pub fn extend(&mut self, mut vs: &[T]) {
        while !vs.is_empty() {
            let take = (chunk_end(self.len) - self.len).min(vs.len());
            let Some(c) = self.tail() else { return };
            c.extend_from_slice(&vs[..take]);
            self.len += take;
            vs = &vs[take..];
        }
    }

    /// The values `lo..hi` (clamped) as one vector.
    fn range(&self, lo: usize, hi: usize) -> Vec<T> {
        let hi = hi.min(self.len);
        let mut out = Vec::with_capacity(hi.saturating_sub(lo));
        let mut start = 0;
        for c in &self.chunks {
            let end = start + c.len();
            if end > lo && start < hi {
                out.extend_from_slice(&c[lo.max(start) - start..hi.min(end) - start]);
            }
            if end >= hi {
                break;
            }
            start = end;
        }
        out
    }

    /// Value `i`, `None` past the end.
    pub fn get(&self, i: usize) -> Option<T> {
        if i >= self.len {
            return None;
        }
        let k = chunk_of(i);
        self.chunks
            .get(k)
            .and_then(|c| c.get(i - chunk_start(k)).copied())
    }

    /// Calls `f(index, value)` for `lo..hi`, a chunk slice at a time (no per-point lookup).
    fn each(&self, lo: usize, hi: usize, mut f: impl FnMut(usize, T)) {
        let hi = hi.min(self.len);
        let mut start = 0;
        for c in &self.chunks {
            let end = start + c.len();
            if end > lo && start < hi {
                let a = lo.max(start) - start;
                let b = hi.min(end) - start;
                for (k, &v) in c[a..b].iter().enumerate() {
                    f(start + a + k, v);
                }
            }
            if end >= hi {
                break;
            }
            start = end;
        }
    }

    fn iter(&self) -> impl Iterator<Item = T> + '_ {
        self.chunks.iter().flat_map(|c| c.iter().copied())
    }

    fn bytes(&self) -> usize {
        self.chunks
            .iter()
            .map(|c| c.capacity() * std::mem::size_of::<T>())
            .sum()
    }

    fn map<U: Copy>(&self, f: impl Fn(T) -> U) -> Chunked<U> {
        Chunked {
            chunks: self
                .chunks
                .iter()
                .map(|c| {
                    let mut v = Vec::with_capacity(c.capacity());
                    v.extend(c.iter().map(|&x| f(x)));
                    Arc::new(v)
                })
                .collect(),
            len: self.len,
        }
    }

    fn shrink_last(&mut self) {
        if let Some(c) = self.chunks.last_mut() {
            Arc::make_mut(c).shrink_to_fit();
        }
    }
}

/// Index of the first point of chunk `k` (see [`chunk_end`]).
fn chunk_start(k: usize) -> usize {
    if k == 0 {
        0
    } else if k < SMALL_CHUNKS {
        256 << (k - 1)
    } else {
        CHUNK + (k - SMALL_CHUNKS) * CHUNK
    }
}

/// Chunk holding point `i` (any `i`; past the end a chunk that is not there).
fn chunk_of(i: usize) -> usize {
    if i < 256 {
        0
    } else if i < CHUNK {
        (usize::BITS - (i >> 8).leading_zeros()) as usize
    } else {
        SMALL_CHUNKS + ((i - CHUNK) >> CHUNK_BITS)
    }
}

/// A column of a series as the slices it is stored in (or one plain slice), for tight
/// loops over many points: drawing reads millions of them a frame, and reading one point
/// at a time through [`Series::value`] finds its chunk every time.
#[derive(Debug, Clone, Copy)]
pub enum Pieces<'a, T> {
    /// A series' chunks (256, 256, 512, ... 32768 points, then 65536 each).
    Chunks(&'a [Arc<Vec<T>>]),
    /// One slice.
    Flat(&'a [T]),
}

impl<'a, T: Copy> Pieces<'a, T> {
    /// The stored slice holding point `i`, with the index of its first element; `None`
    /// past the end.
    #[inline]
    pub fn piece(&self, i: usize) -> Option<(usize, &'a [T])> {
        match *self {
            Pieces::Flat(v) => (i < v.len()).then_some((0, v)),
            Pieces::Chunks(c) => {
                let k = chunk_of(i);
                let c = c.get(k)?;
                let start = chunk_start(k);
                (i - start < c.len()).then_some((start, c.as_slice()))
            }
        }
    }

    /// Calls `f(slice, index of its first element)` for the stored slices of `lo..hi`
    /// (clamped to the points there are), in order.
    #[inline]
    pub fn each_slice(&self, lo: usize, hi: usize, mut f: impl FnMut(&'a [T], usize)) {
        let mut i = lo;
        while i < hi {
            let Some((start, s)) = self.piece(i) else {
                return;
            };
            let end = (start + s.len()).min(hi);
            f(&s[i - start..end - start], i);
            i = end;
        }
    }
}

/// A series' steps as stored ([`Pieces`]).
#[derive(Debug, Clone, Copy)]
pub enum StepPieces<'a> {
    /// Every step fits an `i32`.
    Narrow(Pieces<'a, i32>),
    /// Some step needs an `i64`.
    Wide(Pieces<'a, i64>),
}

/// A column's values as stored ([`Pieces`]).
#[derive(Debug, Clone, Copy)]
pub enum ValuePieces<'a> {
    /// Every value is exactly an `f32`.
    Single(Pieces<'a, f32>),
    /// Some value needs an `f64`.
    Double(Pieces<'a, f64>),
}

/// Step column: `i32` until a step does not fit.
#[derive(Debug, Clone, PartialEq)]
enum Steps {
    Narrow(Chunked<i32>),
    Wide(Chunked<i64>),
}

/// Value column: `f32` until a value is not exactly an `f32`.
#[derive(Debug, Clone, PartialEq)]
enum Values {
    Single(Chunked<f32>),
    Double(Chunked<f64>),
}

/// One tag's points in read order.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The tag (`lm loss`, `learning-rate`, ...).
    pub tag: String,
    steps: Steps,
    values: Values,
    /// Wall time in seconds since the epoch; NaN where the source has none.
    walls: Chunked<f64>,
    /// Indexes where the step goes backwards (a run resumed from a checkpoint).
    pub restarts: Vec<usize>,
}

impl Series {
    /// An empty series.
    pub fn new(tag: impl Into<String>) -> Series {
        Series {
            tag: tag.into(),
            steps: Steps::Narrow(Chunked::default()),
            values: Values::Single(Chunked::default()),
            walls: Chunked::default(),
            restarts: Vec::new(),
        }
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.walls.len
    }

    /// Whether there are no points.
    pub fn is_empty(&self) -> bool {
        self.walls.len == 0
    }

    /// Appends a point (`wall` NaN when unknown). A value that is exactly an `f32` is
    /// stored in 4 bytes. (Many points go faster through [`Series::extend_points`].)
    pub fn push(&mut self, step: i64, wall: f64, value: f64) {
        self.extend_points([(step, wall, value)]);
    }

    /// Appends points `(step, wall, value)` in order: the series [`Series::push`] would
    /// build one by one, gathered into plain columns a batch at a time and appended
    /// ([`Series::append`]) as a reader's [`SeriesSet`] does.
    pub fn extend_points(&mut self, points: impl IntoIterator<Item = (i64, f64, f64)>) {
        const BATCH: usize = 1 << 16;
        let mut batch = Columns::new(String::new());
        let mut n = 0;
        for (step, wall, value) in points {
            batch.push(step, wall, value);
            n += 1;
            if n == BATCH {
                self.append(&batch);
                batch.clear();
                n = 0;
            }
        }
        if n > 0 {
            self.append(&batch);
        }
    }

    /// Step of point `i` (0 past the end).
    pub fn step(&self, i: usize) -> i64 {
        match &self.steps {
            Steps::Narrow(v) => v.get(i).map_or(0, |s| s as i64),
            Steps::Wide(v) => v.get(i).unwrap_or(0),
        }
    }

    /// Value of point `i` (NaN past the end).
    pub fn value(&self, i: usize) -> f64 {
        match &self.values {
            Values::Single(v) => v.get(i).map_or(f64::NAN, |x| x as f64),
            Values::Double(v) => v.get(i).unwrap_or(f64::NAN),
        }
    }

    /// Wall time of point `i`, when the source recorded one.
    pub fn wall(&self, i: usize) -> Option<f64> {
        self.walls.get(i).filter(|w| !w.is_nan())
    }

    /// Bytes of memory the points take.
    pub fn heap_bytes(&self) -> usize {
        let s = match &self.steps {
            Steps::Narrow(v) => v.bytes(),
            Steps::Wide(v) => v.bytes(),
        };
        let v = match &self.values {
            Values::Single(v) => v.bytes(),
            Values::Double(v) => v.bytes(),
        };
        s + v + self.walls.bytes() + self.restarts.capacity() * 8 + self.tag.capacity()
    }

    /// Frees unused capacity (after reading).
    pub fn shrink(&mut self) {
        match &mut self.steps {
            Steps::Narrow(v) => v.shrink_last(),
            Steps::Wide(v) => v.shrink_last(),
        }
        match &mut self.values {
            Values::Single(v) => v.shrink_last(),
            Values::Double(v) => v.shrink_last(),
        }
        self.walls.shrink_last();
    }

    /// The steps as stored, for tight loops ([`Pieces`]).
    pub fn step_pieces(&self) -> StepPieces<'_> {
        match &self.steps {
            Steps::Narrow(v) => StepPieces::Narrow(Pieces::Chunks(&v.chunks)),
            Steps::Wide(v) => StepPieces::Wide(Pieces::Chunks(&v.chunks)),
        }
    }

    /// The values as stored, for tight loops ([`Pieces`]).
    pub fn value_pieces(&self) -> ValuePieces<'_> {
        match &self.values {
            Values::Single(v) => ValuePieces::Single(Pieces::Chunks(&v.chunks)),
            Values::Double(v) => ValuePieces::Double(Pieces::Chunks(&v.chunks)),
        }
    }

    /// The wall times as stored (NaN where unknown), for tight loops ([`Pieces`]).
    pub fn wall_pieces(&self) -> Pieces<'_, f64> {
        Pieces::Chunks(&self.walls.chunks)
    }

    /// Calls `f(index, value)` for the points `lo..hi`, fast (chunk by chunk).
    pub fn each_value(&self, lo: usize, hi: usize, mut f: impl FnMut(usize, f64)) {
        match &self.values {
            Values::Single(v) => v.each(lo, hi, |i, x| f(i, x as f64)),
            Values::Double(v) => v.each(lo, hi, f),
        }
    }

    /// Calls `f(index, step)` for the points `lo..hi`, fast (chunk by chunk).
    pub fn each_step(&self, lo: usize, hi: usize, mut f: impl FnMut(usize, i64)) {
        match &self.steps {
            Steps::Narrow(v) => v.each(lo, hi, |i, s| f(i, s as i64)),
            Steps::Wide(v) => v.each(lo, hi, f),
        }
    }

    /// Every value in order.
    pub fn values(&self) -> Box<dyn Iterator<Item = f64> + '_> {
        match &self.values {
            Values::Single(v) => Box::new(v.iter().map(|x| x as f64)),
            Values::Double(v) => Box::new(v.iter()),
        }
    }

    /// The last point as `(step, value)`.
    pub fn last(&self) -> Option<(i64, f64)> {
        let i = self.len().checked_sub(1)?;
        Some((self.step(i), self.value(i)))
    }

    /// The lowest finite value.
    pub fn min_value(&self) -> Option<f64> {
        fn min_of<T: Copy + Into<f64>>(p: Pieces<'_, T>, n: usize) -> Option<f64> {
            let mut m: Option<f64> = None;
            // Slice by slice as stored: reading point by point finds each one's chunk again.
            p.each_slice(0, n, |vals, _| {
                for v in vals
                    .iter()
                    .map(|&v| v.into())
                    .filter(|v: &f64| v.is_finite())
                {
                    m = Some(m.map_or(v, |m| m.min(v)));
                }
            });
            m
        }
        match self.value_pieces() {
            ValuePieces::Single(p) => min_of(p, self.len()),
            ValuePieces::Double(p) => min_of(p, self.len()),
        }
    }
}

/// A series' step column as plain values: `i32` until a step does not fit.
#[derive(Debug, Clone, PartialEq)]
pub enum StepColumn {
    /// Every step fits an `i32`.
    Narrow(Vec<i32>),
    /// Some step needs an `i64`.
    Wide(Vec<i64>),
}

/// A series' value column as plain values: `f32` until a value is not exactly an `f32`.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueColumn {
    /// Every value is exactly an `f32`.
    Single(Vec<f32>),
    /// Some value needs an `f64`.
    Double(Vec<f64>),
}

/// Points of one series as plain columns, in the widths the series stores them: what a
/// reader in a Web Worker hands the page (each column one transferable buffer), and what
/// the page appends without reading the file again.
#[derive(Debug, Clone, PartialEq)]
pub struct Columns {
    /// The series' tag.
    pub tag: String,
    /// Steps.
    pub steps: StepColumn,
    /// Values.
    pub values: ValueColumn,
    /// Wall times (NaN where unknown).
    pub walls: Vec<f64>,
}

impl Columns {
    /// No points yet, for `tag`.
    pub fn new(tag: impl Into<String>) -> Columns {
        Columns {
            tag: tag.into(),
            steps: StepColumn::Narrow(Vec::new()),
            values: ValueColumn::Single(Vec::new()),
            walls: Vec::new(),
        }
    }

    /// Appends a point (`wall` NaN when unknown), widening a column only when the point
    /// needs it: a step that does not fit an `i32`, a value that is not exactly an `f32`.
    pub fn push(&mut self, step: i64, wall: f64, value: f64) {
        match &mut self.steps {
            StepColumn::Narrow(v) => match i32::try_from(step) {
                Ok(s) => v.push(s),
                Err(_) => {
                    let mut w: Vec<i64> = v.iter().map(|&x| x as i64).collect();
                    w.push(step);
                    self.steps = StepColumn::Wide(w);
                }
            },
            StepColumn::Wide(v) => v.push(step),
        }
        match &mut self.values {
            ValueColumn::Single(v) => {
                let narrow = value as f32;
                if (narrow as f64) == value || value.is_nan() {
                    v.push(narrow);
                } else {
                    let mut w: Vec<f64> = v.iter().map(|&x| x as f64).collect();
                    w.push(value);
                    self.values = ValueColumn::Double(w);
                }
            }
            ValueColumn::Double(v) => v.push(value),
        }
        self.walls.push(wall);
    }

    /// Drops every point, keeping the columns' widths and room.
    pub fn clear(&mut self) {
        match &mut self.steps {
            StepColumn::Narrow(v) => v.clear(),
            StepColumn::Wide(v) => v.clear(),
        }
        match &mut self.values {
            ValueColumn::Single(v) => v.clear(),
            ValueColumn::Double(v) => v.clear(),
        }
        self.walls.clear();
    }

    /// Number of points (the shortest column's length).
    pub fn len(&self) -> usize {
        let s = match &self.steps {
            StepColumn::Narrow(v) => v.len(),
            StepColumn::Wide(v) => v.len(),
        };
        let v = match &self.values {
            ValueColumn::Single(v) => v.len(),
            ValueColumn::Double(v) => v.len(),
        };
        s.min(v).min(self.walls.len())
    }

    /// Whether there are no points.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn step(&self, i: usize) -> i64 {
        match &self.steps {
            StepColumn::Narrow(v) => v.get(i).map_or(0, |&s| s as i64),
            StepColumn::Wide(v) => v.get(i).copied().unwrap_or(0),
        }
    }
}

impl Series {
    /// The points from `lo` on, as plain columns.
    pub fn columns(&self, lo: usize) -> Columns {
        let hi = self.len();
        Columns {
            tag: self.tag.clone(),
            steps: match &self.steps {
                Steps::Narrow(v) => StepColumn::Narrow(v.range(lo, hi)),
                Steps::Wide(v) => StepColumn::Wide(v.range(lo, hi)),
            },
            values: match &self.values {
                Values::Single(v) => ValueColumn::Single(v.range(lo, hi)),
                Values::Double(v) => ValueColumn::Double(v.range(lo, hi)),
            },
            walls: self.walls.range(lo, hi),
        }
    }

    /// Appends the points of `c` (its tag is not looked at): the same series `push` would
    /// build point by point, restarts included, columns widened only when `c` needs it.
    pub fn append(&mut self, c: &Columns) {
        let n = c.len();
        let base = self.len();
        let mut last = base.checked_sub(1).map(|i| self.step(i));
        for i in 0..n {
            let st = c.step(i);
            if last.is_some_and(|l| st < l) {
                self.restarts.push(base + i);
            }
            last = Some(st);
        }
        match (&mut self.steps, &c.steps) {
            (Steps::Narrow(v), StepColumn::Narrow(x)) => v.extend(&x[..n]),
            (Steps::Wide(v), StepColumn::Wide(x)) => v.extend(&x[..n]),
            (Steps::Wide(v), StepColumn::Narrow(x)) => {
                v.extend(&x[..n].iter().map(|&s| s as i64).collect::<Vec<_>>())
            }
            (Steps::Narrow(v), StepColumn::Wide(x)) => {
                let mut w = v.map(|s| s as i64);
                w.extend(&x[..n]);
                self.steps = Steps::Wide(w);
            }
        }
        match (&mut self.values, &c.values) {
            (Values::Single(v), ValueColumn::Single(x)) => v.extend(&x[..n]),
            (Values::Double(v), ValueColumn::Double(x)) => v.extend(&x[..n]),
            (Values::Double(v), ValueColumn::Single(x)) => {
                v.extend(&x[..n].iter().map(|&s| s as f64).collect::<Vec<_>>())
            }
            (Values::Single(v), ValueColumn::Double(x)) => {
                let mut w = v.map(|s| s as f64);
                w.extend(&x[..n]);
                self.values = Values::Double(w);
            }
        }
        self.walls.extend(&c.walls[..n]);
    }
}

/// Where in a file something happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A byte offset (binary formats).
    Byte(u64),
    /// A 1-based line (text formats).
    Line(u32),
    /// The whole file.
    File,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Byte(b) => write!(f, "byte {b}"),
            Location::Line(l) => write!(f, "line {l}"),
            Location::File => write!(f, "file"),
        }
    }
}

/// Something a reader noticed while it kept reading (a damaged record, a bad row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where.
    pub at: Location,
    /// What, in words a person understands.
    pub message: String,
}

/// What a reader got from one file: every series, and what it had to skip.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Curves {
    /// The series in the order their tags first appeared.
    pub series: Vec<Series>,
    /// What was skipped or damaged, with where.
    pub problems: Vec<Problem>,
}

impl Curves {
    /// The series named `tag`.
    pub fn get(&self, tag: &str) -> Option<&Series> {
        self.series.iter().find(|s| s.tag == tag)
    }

    /// Total points.
    pub fn points(&self) -> usize {
        self.series.iter().map(Series::len).sum()
    }

    /// Bytes of memory the points take.
    pub fn heap_bytes(&self) -> usize {
        self.series.iter().map(Series::heap_bytes).sum()
    }

    /// The series that is the training loss (see [`loss_tag_index`]); `None` only when
    /// there is no series.
    pub fn loss_series(&self) -> Option<&Series> {
        let tags: Vec<&str> = self.series.iter().map(|s| s.tag.as_str()).collect();
        self.series.get(loss_tag_index(&tags))
    }
}

/// Tags that name the training loss, best first: Megatron's, then the common spellings.
const LOSS_TAGS: [&str; 5] = ["lm loss", "lm_loss", "loss", "train_loss", "train/loss"];

/// Which of a file's tags is "the loss", the one a chart shows first and a sparkline draws:
/// the first of `lm loss`, `lm_loss`, `loss`, `train_loss`, `train/loss` that is there;
/// else the first tag with `loss` in it (any case) that is not a TensorBoard
/// `... vs samples` copy; else the first tag (0, also for an empty list). The viewer and the
/// CLI both pick by this, so they always name the same series.
pub fn loss_tag_index<S: AsRef<str>>(tags: &[S]) -> usize {
    LOSS_TAGS
        .iter()
        .find_map(|p| tags.iter().position(|t| t.as_ref() == *p))
        .or_else(|| {
            tags.iter().position(|t| {
                let t = t.as_ref();
                t.to_lowercase().contains("loss") && !t.contains("vs samples")
            })
        })
        .unwrap_or(0)
}

/// Collects points into series by tag, keeping first-seen order.
///
/// Points are held in plain columns, one per series, until [`SeriesSet::flush`] appends
/// them to their series a column at a time: pushing into a series point by point finds
/// its growing chunk (and checks it is not shared) three times a point.
#[derive(Debug, Default)]
pub struct SeriesSet {
    series: Vec<Series>,
    staged: Vec<Columns>,
    index: std::collections::HashMap<String, usize>,
    /// The series the last point went to.
    last: usize,
}

impl SeriesSet {
    /// Appends a point to `tag`'s series.
    pub fn push(&mut self, tag: &str, step: i64, wall: f64, value: f64) {
        let i = match self.find(tag.as_bytes()) {
            Some(i) => i,
            None => self.add(tag),
        };
        self.push_at(i, step, wall, value);
    }

    /// The index of the series of `tag` (its bytes), if there is one yet. Tags mostly
    /// come round in the same order, so the series after the last one is tried first.
    pub fn find(&mut self, tag: &[u8]) -> Option<usize> {
        let n = self.series.len();
        let next = if self.last + 1 < n { self.last + 1 } else { 0 };
        let found = [next, self.last]
            .into_iter()
            .find(|&i| self.series.get(i).is_some_and(|s| s.tag.as_bytes() == tag))
            .or_else(|| {
                // Few tags interleave in a file: a short scan beats hashing the tag.
                if n <= 16 {
                    self.series.iter().position(|s| s.tag.as_bytes() == tag)
                } else {
                    let t = std::str::from_utf8(tag).ok()?;
                    self.index.get(t).copied()
                }
            })?;
        self.last = found;
        Some(found)
    }

    /// Starts a series for `tag` (call when [`SeriesSet::find`] found none); its index.
    pub fn add(&mut self, tag: &str) -> usize {
        self.series.push(Series::new(tag));
        self.staged.push(Columns::new(tag));
        self.index.insert(tag.to_string(), self.series.len() - 1);
        self.last = self.series.len() - 1;
        self.last
    }

    /// Appends a point to series `i` (from [`SeriesSet::find`] or [`SeriesSet::add`]).
    pub fn push_at(&mut self, i: usize, step: i64, wall: f64, value: f64) {
        if let Some(c) = self.staged.get_mut(i) {
            c.push(step, wall, value);
        }
    }

    /// Appends the points held since the last flush to their series.
    pub fn flush(&mut self) {
        for (s, c) in self.series.iter_mut().zip(&mut self.staged) {
            if !c.is_empty() {
                s.append(c);
                c.clear();
            }
        }
    }

    /// The series as of the last [`SeriesSet::flush`], in first-seen order.
    pub fn series(&self) -> &[Series] {
        &self.series
    }

    /// The series with every point, shrunk to size.
    pub fn finish(mut self) -> Vec<Series> {
        self.flush();
        for s in &mut self.series {
            s.shrink();
        }
        self.series
    }
}

/// A loss-like series of `n` points (a decaying curve with bounded noise), for benchmarks
/// and tests of drawing at scale.
pub fn synthetic_loss(n: usize) -> Series {
    let mut s = Series::new("lm loss");
    s.extend_points((0..n as i64).map(|i| {
        let v = 3.0 / (1.0 + i as f64 * 1e-6) + ((i * 7919) % 1000) as f64 * 1e-4;
        (i, 1.7e9 + i as f64, v as f32 as f64)
    }));
    s.shrink();
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lowest_finite_value_is_found_in_any_chunk_of_either_width() {
        for wide in [false, true] {
            let mut s = Series::new("t");
            for i in 0..70_000i64 {
                let v = match i {
                    5 => f64::NEG_INFINITY,
                    9 => f64::NAN,
                    // In a late chunk (and, in the wide series, not exactly an f32).
                    66_001 => -2.5 + if wide { 1e-12 } else { 0.0 },
                    _ => (i % 1000) as f64,
                };
                s.push(i, f64::NAN, v);
            }
            let want = (0..s.len())
                .map(|i| s.value(i))
                .filter(|v| v.is_finite())
                .fold(f64::INFINITY, f64::min);
            assert_eq!(s.min_value(), Some(want));
            assert_eq!(want, -2.5 + if wide { 1e-12 } else { 0.0 });
        }
        assert_eq!(Series::new("empty").min_value(), None);
        let mut nan = Series::new("nan");
        nan.push(1, f64::NAN, f64::NAN);
        assert_eq!(nan.min_value(), None);
    }

    #[test]
    fn the_loss_is_the_preferred_tag_then_any_loss_then_the_first() {
        assert_eq!(loss_tag_index(&["learning rate", "loss", "lm loss"]), 2);
        assert_eq!(loss_tag_index(&["lr", "train_loss", "lm_loss"]), 2);
        assert_eq!(loss_tag_index(&["lr", "train/loss"]), 1);
        assert_eq!(
            loss_tag_index(&["lm loss vs samples", "Val/Loss", "lr"]),
            1,
            "a `vs samples` copy is passed over, case does not matter"
        );
        assert_eq!(loss_tag_index(&["lr", "grad norm"]), 0);
        assert_eq!(loss_tag_index::<&str>(&[]), 0);
        let mut c = Curves::default();
        assert!(c.loss_series().is_none());
        c.series.push(Series::new("lr"));
        c.series.push(Series::new("lm loss"));
        assert_eq!(c.loss_series().map(|s| s.tag.as_str()), Some("lm loss"));
    }

    #[test]
    fn columns_widen_only_when_needed() {
        let mut s = Series::new("x");
        s.push(1, 10.0, 0.5);
        s.push(2, f64::NAN, 0.1);
        assert_eq!(s.value(0), 0.5);
        assert_eq!(s.value(1), 0.1, "0.1 is not an f32: stored as f64, exact");
        s.push(5_000_000_000, 11.0, 1.0);
        assert_eq!(s.step(2), 5_000_000_000);
        assert_eq!(s.step(0), 1);
        assert_eq!(s.wall(1), None);
        assert_eq!(s.wall(2), Some(11.0));
    }

    #[test]
    fn restarts_are_marked() {
        let mut s = Series::new("x");
        for st in [1, 2, 3, 2, 3, 4] {
            s.push(st, f64::NAN, 1.0);
        }
        assert_eq!(s.restarts, vec![3]);
    }

    #[test]
    fn chunked_columns_read_back_every_point() {
        let mut s = Series::new("x");
        for i in 0..300_000i64 {
            s.push(i, i as f64, (i % 977) as f64);
        }
        for i in [0, 255, 256, 1023, 65_535, 65_536, 65_537, 131_072, 299_999] {
            assert_eq!(s.step(i), i as i64, "{i}");
            assert_eq!(s.value(i), (i % 977) as f64);
        }
        assert_eq!(s.step(300_000), 0);
        assert_eq!(s.values().count(), 300_000);
    }

    #[test]
    fn chunked_values_cut_back_and_grown_again_leave_a_copy_taken_before_as_it_was() {
        // Cut inside a chunk, at a chunk's end, in the small chunks and to nothing.
        for cut in [0usize, 1, 255, 256, 700, 65_536, 70_000, 131_071] {
            let mut c = Chunked::<f32>::default();
            let all: Vec<f32> = (0..140_000).map(|i| i as f32).collect();
            for part in all.chunks(9_999) {
                c.extend(part);
            }
            let before = c.clone();
            c.truncate(cut);
            assert_eq!(c.len(), cut);
            assert_eq!(c.to_vec(), &all[..cut], "cut at {cut}");
            c.extend(&[-1.0, -2.0]);
            assert_eq!(c.get(cut), Some(-1.0));
            assert_eq!(c.get(cut + 1), Some(-2.0));
            assert_eq!(c.get(cut + 2), None);
            let mut read = Vec::new();
            c.pieces().each_slice(0, c.len(), |v, i0| {
                assert_eq!(i0, read.len());
                read.extend_from_slice(v);
            });
            assert_eq!(read, c.to_vec());
            assert_eq!(
                before.to_vec(),
                all,
                "the copy taken before the cut at {cut}"
            );
        }
    }

    #[test]
    fn columns_round_trip_in_pieces_with_restarts_and_widening() {
        let build = |n: usize| {
            let mut s = Series::new("x");
            for i in 0..n as i64 {
                let step = if i == 150_000 {
                    5_000_000_000
                } else {
                    i % 70_000
                };
                let value = if i == 120_000 { 0.1 } else { (i % 977) as f64 };
                s.push(step, i as f64, value);
            }
            s
        };
        let s = build(200_000);
        // Sent in uneven pieces, as a worker posts them while it reads.
        let mut got = Series::new("x");
        let mut lo = 0;
        for hi in [0, 1, 255, 256, 70_000, 120_001, 150_000, 150_001, 200_000] {
            let c = build(hi).columns(lo);
            assert_eq!(c.len(), hi - lo);
            got.append(&c);
            lo = hi;
        }
        assert_eq!(got, s, "the same columns, chunks, restarts and widths");
        let snapshot = got.clone();
        got.push(1, 1.0, 1.0);
        assert_eq!(snapshot.len() + 1, got.len(), "a snapshot does not grow");
    }

    #[test]
    fn a_point_costs_16_bytes_when_it_fits() {
        let mut s = Series::new("");
        for i in 0..1_000_000 {
            s.push(i, i as f64, (i as f32 * 0.5) as f64);
        }
        s.shrink();
        assert_eq!(s.heap_bytes(), 16 * 1_000_000);
    }
}
