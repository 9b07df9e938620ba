//! Drawing curves on any plotters backend: the canvas in the browser, SVG in native tests.
//!
//! Generic over `DrawingBackend`, so what the page shows is tested natively. Each line is
//! decimated (M4) from the full data for the current view before it is drawn.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::series_math::{
    m4_into, m4_memo_into, points_append, Column, M4Memo, MinMaxIndex, Values, XAxis,
};
use crate::ingest::Series;

/// One curve to draw: the series, and its smoothed values when smoothing is on.
pub struct Line<'a> {
    /// The points.
    pub series: &'a Series,
    /// Min/max index over the raw values.
    pub raw_index: &'a MinMaxIndex,
    /// Smoothed values and their index (drawn bold over a faint raw line).
    pub smoothed: Option<(Values<'a>, &'a MinMaxIndex)>,
    /// Legend label.
    pub label: String,
    /// Colour (palette index).
    pub color: usize,
}

/// What to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    /// X axis.
    pub x: XAxis,
    /// Visible x range; `None` shows everything.
    pub x_range: Option<(f64, f64)>,
    /// Log-scale y.
    pub log_y: bool,
    /// Dark background.
    pub dark: bool,
    /// The y axis title (the tag shown); the x axis title is the x quantity's.
    pub y_title: String,
}

/// What was drawn, for mapping the mouse back to data.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Drawn {
    /// The x range shown.
    pub x_range: (f64, f64),
    /// The y range shown.
    pub y_range: (f64, f64),
    /// The plot area in pixels: (left, top, right, bottom).
    pub plot: (i32, i32, i32, i32),
    /// Points inside the x range, over all lines.
    pub in_view: usize,
    /// Points inside the x range that decimation kept (never more than `in_view`: the
    /// points just outside the view that carry the line to its edges are not counted).
    pub drawn: usize,
    /// Points of all lines, in view or not.
    pub total: usize,
}

impl Drawn {
    /// The data x under canvas pixel `px`, clamped to the plot's x span.
    pub fn data_x(&self, px: f64) -> f64 {
        let (l, _, r, _) = self.plot;
        let f = ((px - l as f64) / (r - l).max(1) as f64).clamp(0.0, 1.0);
        self.x_range.0 + f * (self.x_range.1 - self.x_range.0)
    }
}

/// A colour-blind-safe palette (Okabe-Ito, with blue first).
pub const PALETTE: [(u8, u8, u8); 8] = [
    (0, 114, 178),
    (213, 94, 0),
    (0, 158, 115),
    (204, 121, 167),
    (230, 159, 0),
    (86, 180, 233),
    (120, 120, 120),
    (240, 228, 66),
];

/// Colour indexes from here on are a sequential scale (`SEQUENTIAL + k`, k in 0..=255,
/// light to dark), for colouring lines by a number.
pub const SEQUENTIAL: usize = 1 << 16;

/// The colour index of a line drawn in grey (the lines not highlighted).
pub const MUTED: usize = SEQUENTIAL - 1;

/// The rgb of colour index `i`: the palette (cycling), [`MUTED`] grey, or a step of the
/// sequential scale (viridis-like: purple, blue, green, yellow; readable on both themes).
pub fn rgb(i: usize) -> (u8, u8, u8) {
    if i == MUTED {
        return (150, 150, 150);
    }
    if i >= SEQUENTIAL {
        const STOPS: [(f64, f64, f64); 5] = [
            (68.0, 1.0, 84.0),
            (59.0, 82.0, 139.0),
            (33.0, 145.0, 140.0),
            (94.0, 201.0, 98.0),
            (220.0, 200.0, 30.0),
        ];
        let t = ((i - SEQUENTIAL).min(255) as f64 / 255.0) * (STOPS.len() - 1) as f64;
        let k = (t.floor() as usize).min(STOPS.len() - 2);
        let f = t - k as f64;
        let (a, b) = (STOPS[k], STOPS[k + 1]);
        let mix = |x: f64, y: f64| (x + (y - x) * f).round() as u8;
        return (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2));
    }
    PALETTE[i % PALETTE.len()]
}

/// The colour for colour index `i` (see [`rgb`]).
pub fn color(i: usize) -> RGBColor {
    let (r, g, b) = rgb(i);
    RGBColor(r, g, b)
}

/// A line drawn from given points (a group's mean, median, min or max).
#[derive(Debug, Clone, PartialEq)]
pub struct PathLine {
    /// The points, x growing.
    pub points: Vec<(f64, f64)>,
    /// Colour index.
    pub color: usize,
}

/// A filled band between two lines over the same x values (a group's spread).
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// (x, low, high), x growing.
    pub points: Vec<(f64, f64, f64)>,
    /// Colour index.
    pub color: usize,
}

/// What a workspace panel draws beyond the lines.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Extras {
    /// The y range to show instead of the one that fits every point (the robust range);
    /// points outside it are drawn on its edge.
    pub y_range: Option<(f64, f64)>,
    /// Lines from points (groups).
    pub paths: Vec<PathLine>,
    /// Bands (groups' spread), drawn under everything.
    pub bands: Vec<Band>,
    /// x positions of event markers (dashed vertical lines).
    pub markers: Vec<f64>,
}

/// At most this many points of a band or path are drawn per pixel column (their first,
/// lowest, highest and last), as lines are.
fn thin<T: Copy>(points: &[T], x: impl Fn(&T) -> f64, xr: (f64, f64), width: usize) -> Vec<T> {
    if points.len() <= 4 * width.max(1) {
        return points.to_vec();
    }
    let px = (xr.1 - xr.0) / width.max(1) as f64;
    let mut out = Vec::new();
    let mut last_col = f64::NAN;
    for (i, p) in points.iter().enumerate() {
        let c = ((x(p) - xr.0) / px).floor();
        let next_col = points.get(i + 1).map(|q| ((x(q) - xr.0) / px).floor());
        if c != last_col || next_col != Some(c) {
            out.push(*p);
        }
        last_col = c;
    }
    out
}

/// The full x extent of the lines.
pub fn x_extent(lines: &[Line<'_>], axis: XAxis) -> Option<(f64, f64)> {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for l in lines {
        for (a, b) in super::series_math::monotonic_runs(l.series) {
            for i in [a, b.saturating_sub(1)] {
                let x = axis.x(l.series, i);
                if x.is_finite() {
                    lo = lo.min(x);
                    hi = hi.max(x);
                }
            }
        }
    }
    if !(lo.is_finite() && hi.is_finite()) {
        return None;
    }
    Some(sane_range(lo, hi))
}

/// A range the plotting library can map to pixels: finite, with a finite, non-zero width
/// (values past +-1e300 are clamped; an empty range is widened around its value).
pub fn sane_range(lo: f64, hi: f64) -> (f64, f64) {
    const LIMIT: f64 = 1e300;
    let (lo, hi) = (lo.clamp(-LIMIT, LIMIT), hi.clamp(-LIMIT, LIMIT));
    if hi > lo {
        (lo, hi)
    } else {
        let pad = (lo.abs() * 1e-9).max(0.5);
        (lo - pad, lo + pad)
    }
}

/// Polylines one after another in one buffer (a frame's lines, each cut into parts at
/// restarts, gaps and the view's edges), so a frame allocates per frame, not per part.
#[derive(Default)]
pub struct Parts {
    pts: Vec<(f64, f64)>,
    /// Where each part ends in `pts`.
    ends: Vec<usize>,
}

impl Parts {
    /// How many parts there are.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Part `k`'s points.
    pub fn part(&self, k: usize) -> &[(f64, f64)] {
        let start = match k {
            0 => 0,
            k => self.ends.get(k - 1).copied().unwrap_or(0),
        };
        let end = self.ends.get(k).copied().unwrap_or(start);
        self.pts.get(start..end).unwrap_or(&[])
    }

    /// Parts `range`'s points, part by part.
    pub fn parts(&self, range: std::ops::Range<usize>) -> impl Iterator<Item = &[(f64, f64)]> {
        range.map(|k| self.part(k))
    }

    /// Empties it (its memory is kept).
    fn clear(&mut self) {
        self.pts.clear();
        self.ends.clear();
    }

    /// Ends the part being written (nothing when it is empty).
    fn close(&mut self) {
        if self.ends.last().copied().unwrap_or(0) < self.pts.len() {
            self.ends.push(self.pts.len());
        }
    }

    /// The last point of the part being written, if it has one.
    fn open_last(&self) -> Option<&(f64, f64)> {
        (self.ends.last().copied().unwrap_or(0) < self.pts.len())
            .then(|| self.pts.last())
            .flatten()
    }
}

/// Buffers one frame's lines are decimated through, reused from line to line.
#[derive(Default)]
struct Scratch {
    /// Indexes kept by decimation.
    idx: Vec<usize>,
    /// Their points.
    pts: Vec<(f64, f64)>,
    /// The drawable points, cut into parts where the line breaks.
    good: Parts,
}

/// A line's parts in a frame's [`Parts`], how many of its points the view holds, how many
/// drawn points are in it, and the drawn points' y range (empty: `(inf, -inf)`).
type Polylines = (std::ops::Range<usize>, usize, usize, (f64, f64));

#[allow(clippy::too_many_arguments)]
fn polylines(
    l: &Line<'_>,
    col: &dyn Column,
    index: &MinMaxIndex,
    spec: &ChartSpec,
    xr: (f64, f64),
    width: usize,
    scratch: &mut Scratch,
    memo: Option<&mut M4Memo>,
    out: &mut Parts,
) -> Polylines {
    let axis = spec.x;
    let in_view = match memo {
        Some(m) => m4_memo_into(l.series, col, index, axis, xr, width, m, &mut scratch.idx),
        None => m4_into(l.series, col, index, axis, xr, width, &mut scratch.idx),
    };
    // The points are read straight into `out`: the usual line (every point drawable, all
    // but its ends in view) is clipped where it lies, its ends moved onto the view's edges
    // as [`clip_x_into`] would; any other is moved out again and cut into parts below.
    out.close();
    let first = out.pts.len();
    points_append(l.series, col, axis, &scratch.idx, &mut out.pts);
    // A restart, a missing value or (on a log scale) a value <= 0 breaks the line; a
    // value past 1e300 is drawn at 1e300.
    let drawn = |x: f64, y: f64| x.is_finite() && y.is_finite() && (!spec.log_y || y > 0.0);
    let inside = |x: f64| x >= xr.0 && x <= xr.1;
    let mut kept = 0;
    let mut whole = true;
    // The y range of the points but the ends (compared, not `f64::min`: a call per value
    // in wasm).
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    let pts = &mut out.pts[first..];
    let n = pts.len();
    for &(x, y) in pts.iter().take(n.saturating_sub(1)).skip(1) {
        kept += usize::from(inside(x));
        whole &= drawn(x, y) && y.abs() <= 1e300;
        lo = if y < lo { y } else { lo };
        hi = if y > hi { y } else { hi };
    }
    let interior = kept;
    for &(x, y) in pts.iter().take(1).chain(pts.iter().skip(1).last()) {
        kept += usize::from(inside(x));
        whole &= drawn(x, y) && y.abs() <= 1e300;
    }
    if whole && n >= 3 && interior + 2 == n {
        let edge = |x: f64| if x < xr.0 { xr.0 } else { xr.1 };
        if !inside(pts[0].0) {
            pts[0] = clip_at(pts[0], pts[1], edge(pts[0].0));
        }
        if !inside(pts[n - 1].0) {
            pts[n - 1] = clip_at(pts[n - 2], pts[n - 1], edge(pts[n - 1].0));
        }
        let ends = y_extent(&[pts[0], pts[n - 1]], (lo, hi));
        let part = out.len();
        out.close();
        return (part..out.len(), in_view, kept, ends);
    }
    scratch.pts.clear();
    scratch.pts.extend_from_slice(pts);
    out.pts.truncate(first);
    let first = out.len();
    if whole {
        // One part, clipped as it is.
        clip_x_into(&scratch.pts, xr, out);
    } else {
        let good = &mut scratch.good;
        good.clear();
        for &(x, y) in &scratch.pts {
            if drawn(x, y) {
                good.pts.push((x, y.clamp(-1e300, 1e300)));
            } else {
                good.close();
            }
        }
        good.close();
        for k in 0..good.len() {
            clip_x_into(good.part(k), xr, out);
        }
    }
    let ext = out
        .parts(first..out.len())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |e, part| {
            y_extent(part, e)
        });
    (first..out.len(), in_view, kept, ext)
}

/// The parts of a polyline inside `x0 <= x <= x1`, segments that cross an edge cut there
/// (the points either side of the view are kept by decimation so the line reaches the
/// edges; they can lie anywhere, far outside what the backend's pixel type can hold).
pub fn clip_x(points: &[(f64, f64)], xr: (f64, f64)) -> Vec<Vec<(f64, f64)>> {
    let mut out = Parts::default();
    clip_x_into(points, xr, &mut out);
    out.parts(0..out.len()).map(<[_]>::to_vec).collect()
}

/// The point of the segment `a`-`b` at `x`.
fn clip_at((ax, ay): (f64, f64), (bx, by): (f64, f64), x: f64) -> (f64, f64) {
    let t = (x - ax) / (bx - ax);
    (x, ay + (by - ay) * t)
}

/// [`clip_x`], the parts appended to `out`.
pub fn clip_x_into(points: &[(f64, f64)], (x0, x1): (f64, f64), out: &mut Parts) {
    let inside = |x: f64| x >= x0 && x <= x1;
    out.close();
    if let [only] = points {
        if inside(only.0) {
            out.pts.push(*only);
            out.close();
        }
        return;
    }
    // The point after which a run of points inside (all but a line's ends, usually)
    // starts, and whether it continues the current part; found again after each run.
    let mut k = 0;
    while k + 1 < points.len() {
        let (a, b) = (points[k], points[k + 1]);
        k += 1;
        // A run of points inside that continues the part (the last point is `a`): copied
        // whole, as segment after segment would add them. A NaN equals nothing, so a point
        // with one always takes the segment path.
        if inside(a.0) && out.open_last() == Some(&a) {
            let run = points[k..]
                .iter()
                .take_while(|p| inside(p.0) && !p.1.is_nan())
                .count();
            if run > 0 {
                out.pts.extend_from_slice(&points[k..k + run]);
                k += run - 1;
                continue;
            }
        }
        let (lo, hi) = if a.0 <= b.0 { (a, b) } else { (b, a) };
        if hi.0 < x0 || lo.0 > x1 {
            // Entirely outside: the line breaks here.
            out.close();
            continue;
        }
        let start = if inside(a.0) {
            a
        } else {
            clip_at(a, b, if a.0 < x0 { x0 } else { x1 })
        };
        let end = if inside(b.0) {
            b
        } else {
            clip_at(a, b, if b.0 < x0 { x0 } else { x1 })
        };
        if out.open_last() != Some(&start) {
            out.close();
            out.pts.push(start);
        }
        out.pts.push(end);
        if !inside(b.0) {
            out.close();
        }
    }
    out.close();
}

/// How a value of the x axis reads: a step or a token count short (`12.5k`), wall time as
/// UTC `hh:mm`, relative time as a duration.
pub fn x_label(axis: XAxis, x: f64) -> String {
    tick(axis, x)
}

fn tick(axis: XAxis, x: f64) -> String {
    match axis {
        XAxis::Wall => {
            let s = x.rem_euclid(86_400.0) as i64;
            format!("{:02}:{:02}", s / 3600, (s % 3600) / 60)
        }
        XAxis::Relative => crate::format::duration(x),
        XAxis::Tokens(_) | XAxis::Step => short(x),
    }
}

/// Roughly how wide `text` is at the charts' 12 px sans-serif, in pixels (generous: digits
/// and most letters are 6-7 px wide), for keeping labels inside the canvas.
pub fn text_width(text: &str) -> u32 {
    text.chars().count() as u32 * 7 + 2
}

/// `v` rounded to 12 significant digits (drops the float noise of `0.1 * 3`).
fn round_sig(v: f64) -> f64 {
    format!("{v:.11e}").parse().unwrap_or(v)
}

/// A log-scale tick label: plain decimals from `0.001` to `9999` (`0.02`, `0.5`, `2`,
/// `300`), powers of ten outside (`1e-5`, `2e-5`, `1e6`). One format for every log axis.
pub fn log_label(v: f64) -> String {
    let v = round_sig(v);
    let a = v.abs();
    if a == 0.0 || (1e-3..1e4).contains(&a) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// The ticks of a log axis over `lo..=hi` (both > 0), bottom to top: every decade; with
/// 2x and 5x between when the range spans under two decades; finer steps (every 1x..9x, then
/// tenths) only when that still gives fewer than two ticks. At most about a dozen: on a
/// range of many decades only every n-th decade is labelled.
pub fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    if !(lo > 0.0 && hi > lo && lo.is_finite() && hi.is_finite()) {
        return Vec::new();
    }
    let (k0, k1) = (lo.log10().floor() as i32 - 1, hi.log10().ceil() as i32 + 1);
    let inside = |v: &f64| *v >= lo * (1.0 - 1e-9) && *v <= hi * (1.0 + 1e-9);
    let at = |m: i64, k: i32| {
        if k >= 0 {
            m as f64 * 10f64.powi(k)
        } else {
            m as f64 / 10f64.powi(-k)
        }
    };
    let with = |mantissas: &[i64], scale: i32| -> Vec<f64> {
        (k0..=k1)
            .flat_map(|k| mantissas.iter().map(move |&m| at(m, k - scale)))
            .map(round_sig)
            .filter(inside)
            .collect()
    };
    let decades = with(&[1], 0);
    if hi / lo >= 100.0 {
        let every = decades.len().div_ceil(12).max(1);
        // Keep the decades whose exponent is a multiple of `every`, so labels stay put
        // while the range moves.
        return decades
            .into_iter()
            .filter(|v| (v.log10().round() as i64).rem_euclid(every as i64) == 0)
            .collect();
    }
    let mut ticks = with(&[1, 2, 5], 0);
    if ticks.len() < 2 {
        ticks = with(&[1, 2, 3, 4, 5, 6, 7, 8, 9], 0);
    }
    // Finer: tenths, then hundredths, of the decade; thinned to every 2nd, 5th or 10th
    // step so that at most 8 are labelled.
    for scale in [1, 2] {
        if ticks.len() >= 2 {
            break;
        }
        let base = 10i64.pow(scale as u32);
        for stride in [1, 2, 5, 10] {
            let m: Vec<i64> = (base..base * 10).filter(|m| m % stride == 0).collect();
            ticks = with(&m, scale);
            if ticks.len() <= 8 {
                break;
            }
        }
    }
    ticks.sort_by(f64::total_cmp);
    ticks.dedup();
    ticks
}

/// The faint grid lines of a log axis between its ticks: every 1x..9x of each decade, when
/// the range spans at most three decades (beyond that they would crowd into bands).
fn log_grid(lo: f64, hi: f64, ticks: &[f64]) -> Vec<f64> {
    if !(lo > 0.0 && hi > lo) || hi / lo > 1e3 {
        return Vec::new();
    }
    let (k0, k1) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
    (k0..=k1)
        .flat_map(|k| (1..10).map(move |m| round_sig(m as f64 * 10f64.powi(k))))
        .filter(|v| *v >= lo && *v <= hi && !ticks.contains(v))
        .collect()
}

/// `12500` as `12.5k`, `3.1e9` as `3.1G`.
pub fn short(v: f64) -> String {
    let a = v.abs();
    let (d, unit) = if a >= 1e12 {
        (1e12, "T")
    } else if a >= 1e9 {
        (1e9, "G")
    } else if a >= 1e6 {
        (1e6, "M")
    } else if a >= 1e4 {
        (1e3, "k")
    } else {
        (1.0, "")
    };
    let x = v / d;
    let s = if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    };
    format!("{}{unit}", unsigned_zero(s))
}

/// `s` without the minus of a number that rounded to zero (`-0`, `-0.0`): an axis label
/// reads `0` whether the tick was -0.0 or a float's noise just below zero.
fn unsigned_zero(s: String) -> String {
    match s.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => s,
    }
}

/// Draws the lines on `root`; errors are the backend's, as text.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    spec: &ChartSpec,
    lines: &[Line<'_>],
) -> Result<Drawn, String> {
    draw_with(root, spec, lines, &Extras::default())
}

/// Strokes the curves' polylines in pixel coordinates, one call per polyline: on a canvas
/// that is one path built by a short loop instead of one call into the browser per segment,
/// which is most of a frame's time with 100 curves. Axes, bands and markers are still drawn
/// by the plotting library; a [`Stroker`] only takes the lines.
pub trait Stroker {
    /// Strokes the polyline `xy` (x0, y0, x1, y1, ... in the backend's pixels) in colour
    /// `rgb` at opacity `alpha`, `width` pixels wide.
    fn polyline(&mut self, xy: &[f32], rgb: (u8, u8, u8), alpha: f64, width: f64);

    /// [`Stroker::polyline`] given its pixels to keep (a stroker that gathers lines takes
    /// them without a copy).
    fn polyline_owned(&mut self, xy: Vec<f32>, rgb: (u8, u8, u8), alpha: f64, width: f64) {
        self.polyline(&xy, rgb, alpha, width);
    }

    /// Every line was given: a stroker that gathers them puts them on screen now, before
    /// the plot's markers and group lines are drawn over them.
    fn finish(&mut self) {}

    /// Where every line to come lies (`x0, y0, x1, y1` in the backend's pixels: the plot
    /// area, which the chart clips and scales them into), so a stroker that paints them
    /// into a layer of its own need not read every point first to size it.
    fn within(&mut self, _: (f32, f32, f32, f32)) {}
}

/// SVG path data for the polyline `xy` (x0, y0, x1, y1, ... in pixels): `M x0 y0 L x1 y1 ...`,
/// each coordinate to a hundredth of a pixel. A canvas strokes it as one `Path2D`, one call
/// into the browser per line. Non-finite coordinates are left out.
pub fn path_data(xy: &[f32]) -> String {
    let mut d: Vec<u8> = Vec::with_capacity(xy.len() * 9);
    for p in xy.chunks_exact(2) {
        if !(p[0].is_finite() && p[1].is_finite()) {
            continue;
        }
        d.push(if d.is_empty() { b'M' } else { b'L' });
        hundredths(&mut d, p[0]);
        d.push(b' ');
        hundredths(&mut d, p[1]);
    }
    String::from_utf8(d).unwrap_or_default()
}

/// Appends `v` rounded to two decimals, digit by digit (no formatting machinery: a chart's
/// path has thousands of numbers, and this runs on every frame of a pan).
fn hundredths(d: &mut Vec<u8>, v: f32) {
    let c = (f64::from(v) * 100.0).round();
    if c < 0.0 {
        d.push(b'-');
    }
    let c = c.abs().min(1e15) as u64;
    digits(d, c / 100);
    let frac = c % 100;
    if frac != 0 {
        d.extend_from_slice(&[b'.', b'0' + (frac / 10) as u8, b'0' + (frac % 10) as u8]);
    }
}

/// Appends the decimal digits of `n`.
fn digits(d: &mut Vec<u8>, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    d.extend_from_slice(&buf[at..]);
}

/// Maps data to pixels as the plot's axes do: x and y (or ln y on a log scale) linearly
/// onto the plot area, y growing upwards. Sub-pixel positions are kept.
struct PixelMap {
    x: (f64, f64),
    y: (f64, f64),
    log: bool,
    plot: (f64, f64, f64, f64),
}

impl PixelMap {
    fn new(x: (f64, f64), (ylo, yhi): (f64, f64), log: bool, plot: (i32, i32, i32, i32)) -> Self {
        let t = |v: f64| if log { v.max(1e-300).ln() } else { v };
        let (l, tp, r, b) = plot;
        PixelMap {
            x,
            y: (t(ylo), t(yhi)),
            log,
            // The plotting library maps onto the first to the last pixel of the area.
            plot: (l as f64, tp as f64, (r - 1) as f64, (b - 1) as f64),
        }
    }

    /// The pixels of `points` (x0, y0, x1, y1, ...).
    fn pixels(&self, points: &[(f64, f64)], clamp: Option<(f64, f64)>) -> Vec<f32> {
        let (l, t, r, b) = self.plot;
        let sx = (r - l) / (self.x.1 - self.x.0);
        let sy = (b - t) / (self.y.1 - self.y.0);
        if clamp.is_none() && !self.log {
            // The usual line, in a loop of its own: it runs for every point of a frame.
            let (x0, y0) = (self.x.0, self.y.0);
            let xy: Vec<[f32; 2]> = points
                .iter()
                .map(|&(x, y)| [(l + (x - x0) * sx) as f32, (b - (y - y0) * sy) as f32])
                .collect();
            return xy.into_flattened();
        }
        let mut out = Vec::with_capacity(points.len() * 2);
        for &(x, y) in points {
            let y = clamp.map_or(y, |(lo, hi)| y.clamp(lo, hi));
            let y = if self.log { y.max(1e-300).ln() } else { y };
            out.push((l + (x - self.x.0) * sx) as f32);
            out.push((b - (y - self.y.0) * sy) as f32);
        }
        out
    }
}

/// [`draw`] with a panel's extras: a fixed y range, group lines and bands, event markers.
pub fn draw_with<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    spec: &ChartSpec,
    lines: &[Line<'_>],
    extras: &Extras,
) -> Result<Drawn, String> {
    draw_fast(root, spec, lines, extras, None)
}

/// [`draw_with`], the curves stroked by `stroker` when one is given (the page's canvas),
/// by the plotting library otherwise (SVG in tests and exports).
pub fn draw_fast<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    spec: &ChartSpec,
    lines: &[Line<'_>],
    extras: &Extras,
    stroker: Option<&mut dyn Stroker>,
) -> Result<Drawn, String> {
    draw_memo(root, spec, lines, extras, stroker, None)
}

/// [`draw_fast`], the raw lines decimated through `memo` when one is given: a chart that
/// keeps one from frame to frame decimates only the columns a pan brings into view
/// ([`m4_memo_into`]).
pub fn draw_memo<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    spec: &ChartSpec,
    lines: &[Line<'_>],
    extras: &Extras,
    mut stroker: Option<&mut dyn Stroker>,
    mut memo: Option<&mut M4Memo>,
) -> Result<Drawn, String> {
    let (bg, fg, grid) = if spec.dark {
        (
            RGBColor(15, 18, 23),
            RGBColor(230, 233, 239),
            RGBColor(44, 50, 60),
        )
    } else {
        (WHITE, RGBColor(27, 31, 36), RGBColor(225, 228, 233))
    };
    root.fill(&bg).map_err(|e| e.to_string())?;
    let total = lines.iter().map(|l| l.series.len()).sum();
    let extra_x = extras
        .paths
        .iter()
        .flat_map(|p| p.points.iter().map(|q| q.0))
        .chain(
            extras
                .bands
                .iter()
                .flat_map(|b| b.points.iter().map(|q| q.0)),
        )
        .filter(|x| x.is_finite());
    let extra_extent = extra_x.fold(None, |acc: Option<(f64, f64)>, x| {
        Some(acc.map_or((x, x), |(a, b)| (a.min(x), b.max(x))))
    });
    let full = match (x_extent(lines, spec.x), extra_extent) {
        (Some(a), Some(b)) => Some(sane_range(a.0.min(b.0), a.1.max(b.1))),
        (a, b) => a.or(b.map(|(lo, hi)| sane_range(lo, hi))),
    };
    let Some(full) = full else {
        root.present().map_err(|e| e.to_string())?;
        return Ok(Drawn {
            total,
            ..Drawn::default()
        });
    };
    // A range from a link or a zoom is used only when the library can draw it.
    let xr = spec
        .x_range
        .filter(|&(a, b)| a.is_finite() && b.is_finite() && b > a)
        .map_or(full, |(a, b)| sane_range(a, b));
    let (w, _) = root.dim_in_pixel();
    let width = (w as usize).saturating_sub(80).max(10);
    // Decimate first: the visible extremes give the y range exactly.
    // Every line's parts in one buffer each (raw, smoothed); per line, its parts' range.
    let (mut raw_parts, mut smooth_parts) = (Parts::default(), Parts::default());
    // Room for every line's decimated points at once (at most four a pixel column, and the
    // points either side of the view): grown a doubling at a time, the buffer would be
    // copied over as much again (7 MB a frame for 100 dense lines).
    raw_parts.pts.reserve(
        lines
            .iter()
            .map(|l| l.series.len().min(4 * width + 8))
            .sum(),
    );
    let mut raw_lines = Vec::new();
    let mut smooth_lines = Vec::new();
    let mut in_view = 0;
    let mut drawn_count = 0;
    let (mut ylo, mut yhi) = (f64::INFINITY, f64::NEG_INFINITY);
    let mut scratch = Scratch::default();
    for l in lines {
        let raw = super::series_math::Raw(l.series);
        let m = memo.as_deref_mut();
        let (p, n, kept, ext) = polylines(
            l,
            &raw,
            l.raw_index,
            spec,
            xr,
            width,
            &mut scratch,
            m,
            &mut raw_parts,
        );
        in_view += n;
        drawn_count += kept;
        // Every drawn point is inside the y range (smoothed ones too: near the edges of a
        // view they carry the weight of points outside it).
        // (A line with nothing drawn has the empty range `(inf, -inf)`, which changes
        // neither end.)
        let widen = |(lo, hi): (f64, f64), (a, b): (f64, f64)| (lo.min(a), hi.max(b));
        (ylo, yhi) = widen((ylo, yhi), ext);
        let sm = l.smoothed.map(|(sm, idx)| {
            let out = &mut smooth_parts;
            let (r, _, _, ext) = polylines(l, &sm, idx, spec, xr, width, &mut scratch, None, out);
            (ylo, yhi) = widen((ylo, yhi), ext);
            r
        });
        raw_lines.push(p);
        smooth_lines.push(sm);
    }
    let in_x = |x: f64| x >= xr.0 && x <= xr.1;
    let paths: Vec<Vec<(f64, f64)>> = extras
        .paths
        .iter()
        .map(|p| thin(&p.points, |q| q.0, xr, width))
        .collect();
    let bands: Vec<Vec<(f64, f64, f64)>> = extras
        .bands
        .iter()
        .map(|b| thin(&b.points, |q| q.0, xr, width))
        .collect();
    for (x, y) in paths.iter().flatten() {
        if in_x(*x) && y.is_finite() {
            ylo = ylo.min(*y);
            yhi = yhi.max(*y);
        }
    }
    for (x, lo, hi) in bands.iter().flatten() {
        if in_x(*x) && lo.is_finite() && hi.is_finite() {
            ylo = ylo.min(*lo);
            yhi = yhi.max(*hi);
        }
    }
    let fixed_y = extras
        .y_range
        .filter(|(a, b)| a.is_finite() && b.is_finite() && b > a && (!spec.log_y || *a > 0.0));
    if let Some((a, b)) = fixed_y {
        (ylo, yhi) = (a, b);
    }
    if !ylo.is_finite() {
        (ylo, yhi) = (if spec.log_y { 0.1 } else { 0.0 }, 1.0);
    }
    (ylo, yhi) = (ylo.clamp(-1e300, 1e300), yhi.clamp(-1e300, 1e300));
    if yhi <= ylo {
        let pad = if ylo == 0.0 { 1.0 } else { ylo.abs() * 0.05 };
        (ylo, yhi) = (ylo - pad, yhi + pad);
    } else if fixed_y.is_some() {
        // The robust range is shown as it is: points past it sit on its edges.
    } else if !spec.log_y {
        let pad = (yhi - ylo) * 0.04;
        (ylo, yhi) = (ylo - pad, yhi + pad);
    } else {
        (ylo, yhi) = (ylo / 1.1, yhi * 1.1);
    }
    if spec.log_y {
        // At most 30 decades: the plotting library's log ticks take time in proportion to
        // the decades shown (and never finish for 1e-300..1e300). Anything lower is drawn
        // on the bottom edge.
        ylo = ylo.max(yhi * 1e-30);
    }
    let clamp_y = fixed_y.is_some();
    let floor = |p: &[(f64, f64)]| -> Vec<(f64, f64)> {
        p.iter()
            .map(|&(x, y)| {
                let y = if spec.log_y { y.max(ylo) } else { y };
                (x, if clamp_y { y.clamp(ylo, yhi) } else { y })
            })
            .collect()
    };
    let mut builder = ChartBuilder::on(root);
    // The last x label is centred on the plot's right edge: leave room for its half.
    let widest = [tick(spec.x, xr.0), tick(spec.x, xr.1)]
        .iter()
        .map(|t| text_width(t))
        .max()
        .unwrap_or(0);
    builder
        .margin(8)
        .margin_right((widest / 2 + 6).max(8))
        .x_label_area_size(42)
        .y_label_area_size(78);
    let label_style = ("sans-serif", 12).into_font().color(&fg);
    let title_style = ("sans-serif", 13).into_font().color(&fg);
    let log_ticks = if spec.log_y {
        log_ticks(ylo, yhi)
    } else {
        Vec::new()
    };
    let log_light = log_grid(ylo, yhi, &log_ticks);
    macro_rules! body {
        ($chart:expr) => {{
            let mut chart = $chart;
            chart
                .configure_mesh()
                .light_line_style(grid.mix(0.6))
                .bold_line_style(grid)
                .axis_style(fg.mix(0.5))
                .label_style(label_style.clone())
                .x_labels(8)
                .y_labels(6)
                .x_label_formatter(&|x| tick(spec.x, *x))
                .y_label_formatter(&|y| {
                    if spec.log_y {
                        log_label(*y)
                    } else {
                        short_y(*y)
                    }
                })
                .axis_desc_style(title_style.clone())
                .x_desc(spec.x.title())
                .y_desc(spec.y_title.as_str())
                .draw()
                .map_err(|e| e.to_string())?;
            for (b, band) in bands.iter().zip(&extras.bands) {
                let mut poly: Vec<(f64, f64)> = b.iter().map(|&(x, lo, _)| (x, lo)).collect();
                poly.extend(b.iter().rev().map(|&(x, _, hi)| (x, hi)));
                let poly: Vec<(f64, f64)> = floor(&clip_band(&poly, xr));
                if poly.len() > 2 {
                    chart
                        .draw_series(std::iter::once(Polygon::new(
                            poly,
                            color(band.color).mix(0.22).filled(),
                        )))
                        .map_err(|e| e.to_string())?;
                }
            }
            let (xs, ys) = chart.plotting_area().get_pixel_range();
            let map = PixelMap::new(
                xr,
                (ylo, yhi),
                spec.log_y,
                (xs.start, ys.start, xs.end, ys.end),
            );
            let clamp = if clamp_y {
                Some((ylo, yhi))
            } else {
                spec.log_y.then_some((ylo, f64::INFINITY))
            };
            if let Some(s) = stroker.as_deref_mut() {
                let (l, t, r, b) = map.plot;
                s.within((l as f32, t as f32, r as f32, b as f32));
            }
            // Many curves at once read better (and draw faster) one pixel wide.
            let bold = if lines.len() > 12 { 1.0 } else { 2.0 };
            for (i, l) in lines.iter().enumerate() {
                let c = color(l.color);
                let faint = l.smoothed.is_some();
                let raw_style = if faint {
                    c.mix(0.28).stroke_width(1)
                } else {
                    c.stroke_width(2)
                };
                let raw_of = raw_lines.get(i).cloned().unwrap_or_default();
                let smooth_of = smooth_lines.get(i).cloned().flatten().unwrap_or_default();
                let raw_parts = raw_parts.parts(raw_of);
                let smooth_parts = smooth_parts.parts(smooth_of);
                if let Some(s) = stroker.as_deref_mut() {
                    let (alpha, w) = if faint { (0.28, 1.0) } else { (1.0, bold) };
                    for p in raw_parts.filter(|p| p.len() > 1) {
                        s.polyline_owned(map.pixels(p, clamp), rgb(l.color), alpha, w);
                    }
                    for p in smooth_parts.filter(|p| p.len() > 1) {
                        s.polyline_owned(map.pixels(p, clamp), rgb(l.color), 1.0, bold);
                    }
                } else {
                    for p in raw_parts {
                        chart
                            .draw_series(LineSeries::new(floor(p), raw_style))
                            .map_err(|e| e.to_string())?;
                    }
                    for p in smooth_parts {
                        chart
                            .draw_series(LineSeries::new(floor(p), c.stroke_width(2)))
                            .map_err(|e| e.to_string())?;
                    }
                }
            }
            if let Some(s) = stroker.as_deref_mut() {
                s.finish();
            }
            for (i, l) in lines.iter().enumerate() {
                let c = color(l.color);
                // A lone point (a segment of one point after a restart) has no line to
                // draw: a dot shows it.
                let raw_of = raw_lines.get(i).cloned().unwrap_or_default();
                for p in raw_parts.parts(raw_of).filter(|p| p.len() == 1) {
                    chart
                        .draw_series(floor(p).into_iter().map(|q| Circle::new(q, 3, c.filled())))
                        .map_err(|e| e.to_string())?;
                }
                // Restarts: a dashed vertical marker where the step went back.
                for &r in &l.series.restarts {
                    let x = spec.x.x(l.series, r);
                    if x >= xr.0 && x <= xr.1 {
                        chart
                            .draw_series(DashedLineSeries::new(
                                [(x, ylo), (x, yhi)],
                                4,
                                4,
                                c.mix(0.8).stroke_width(1),
                            ))
                            .map_err(|e| e.to_string())?;
                    }
                }
            }
            for (p, path) in paths.iter().zip(&extras.paths) {
                for part in clip_x(p, xr) {
                    chart
                        .draw_series(LineSeries::new(
                            floor(&part),
                            color(path.color).stroke_width(3),
                        ))
                        .map_err(|e| e.to_string())?;
                }
            }
            for &x in extras.markers.iter().filter(|x| in_x(**x)) {
                chart
                    .draw_series(DashedLineSeries::new(
                        [(x, ylo), (x, yhi)],
                        3,
                        3,
                        fg.mix(0.45).stroke_width(1),
                    ))
                    .map_err(|e| e.to_string())?;
            }
            let (xs, ys) = chart.plotting_area().get_pixel_range();
            (xs.start, ys.start, xs.end, ys.end)
        }};
    }
    let plot = if spec.log_y {
        body!(builder
            .build_cartesian_2d(
                xr.0..xr.1,
                (ylo.max(1e-300)..yhi)
                    .log_scale()
                    .with_key_points(log_ticks)
                    .with_light_points(log_light)
            )
            .map_err(|e| e.to_string())?)
    } else {
        body!(builder
            .build_cartesian_2d(xr.0..xr.1, ylo..yhi)
            .map_err(|e| e.to_string())?)
    };
    if let Some(m) = memo {
        m.sweep();
    }
    root.present().map_err(|e| e.to_string())?;
    Ok(Drawn {
        x_range: xr,
        y_range: (ylo, yhi),
        plot,
        in_view,
        drawn: drawn_count,
        total,
    })
}

/// `(lo, hi)` widened to the y values of `points` (NaN ignored). Compared, not
/// `f64::min`: that is a call to `fmin` per value in wasm, and this runs for every drawn
/// point.
#[inline(never)]
fn y_extent(points: &[(f64, f64)], (mut lo, mut hi): (f64, f64)) -> (f64, f64) {
    for &(_, y) in points {
        lo = if y < lo { y } else { lo };
        hi = if y > hi { y } else { hi };
    }
    (lo, hi)
}

/// A band's outline with x kept inside the view (its points outside are moved onto the
/// edges, so the fill stays inside the plot).
fn clip_band(poly: &[(f64, f64)], (x0, x1): (f64, f64)) -> Vec<(f64, f64)> {
    poly.iter().map(|&(x, y)| (x.clamp(x0, x1), y)).collect()
}

fn short_y(y: f64) -> String {
    let a = y.abs();
    if a != 0.0 && !(1e-3..1e5).contains(&a) {
        format!("{y:.1e}")
    } else {
        let s = format!("{y:.4}");
        unsigned_zero(s.trim_end_matches('0').trim_end_matches('.').to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::super::series_math::{smooth, Raw};
    use super::*;

    #[test]
    fn path_data_reads_back_as_the_points_to_a_hundredth_of_a_pixel() {
        let xy = [
            0.0f32,
            399.0,
            12.345,
            -0.004,
            -3.5,
            7.0,
            f32::NAN,
            1.0,
            1119.999,
            0.5,
        ];
        let d = super::path_data(&xy);
        assert!(d.starts_with('M') && d.matches('L').count() == 3, "{d}");
        let nums: Vec<f32> = d
            .split(['M', 'L', ' '])
            .filter(|t| !t.is_empty())
            .map(|t| t.parse().unwrap())
            .collect();
        let want: Vec<f32> = xy
            .chunks(2)
            .filter(|p| p[0].is_finite() && p[1].is_finite())
            .flatten()
            .copied()
            .collect();
        assert_eq!(nums.len(), want.len());
        for (a, b) in nums.iter().zip(&want) {
            assert!((a - b).abs() <= 0.005 + 1e-4, "{a} vs {b} in {d}");
        }
        assert_eq!(super::path_data(&[]), "");
    }

    /// A line is read and clipped in place when all but its ends are in view: its parts
    /// (and their y range) must be those of the general path, which copies the points and
    /// cuts them with [`clip_x`], for views cutting either end, both, neither, or past them.
    #[test]
    fn lines_clipped_in_place_match_the_general_clip() {
        let s = loss(3_000);
        let idx = MinMaxIndex::build(&Raw(&s));
        let line = Line {
            series: &s,
            raw_index: &idx,
            smoothed: None,
            label: "a".into(),
            color: 0,
        };
        let spec = loss_spec(None, false);
        let mut memo = M4Memo::default();
        for (k, xr) in [
            (0.5, 3_000.5),
            (100.25, 2_900.75),
            (1.0, 1_234.5),
            (777.7, 3_000.0),
            (-50.0, 5_000.0),
            (1_500.0, 1_500.5),
            (10.0, 12.0),
        ]
        .into_iter()
        .enumerate()
        {
            for width in [7, 300, 4_000] {
                let mut scratch = Scratch::default();
                let mut out = Parts::default();
                let memo = (k % 2 == 0).then_some(&mut memo);
                let (parts, _, kept, ext) = polylines(
                    &line,
                    &Raw(&s),
                    &idx,
                    &spec,
                    xr,
                    width,
                    &mut scratch,
                    memo,
                    &mut out,
                );
                let mut pts = Vec::new();
                points_append(&s, &Raw(&s), spec.x, &scratch.idx, &mut pts);
                let want = clip_x(&pts, xr);
                let got: Vec<Vec<(f64, f64)>> = out.parts(parts).map(<[_]>::to_vec).collect();
                assert_eq!(got, want, "view {xr:?} at {width} columns");
                assert_eq!(
                    kept,
                    pts.iter().filter(|p| p.0 >= xr.0 && p.0 <= xr.1).count()
                );
                let all = want
                    .iter()
                    .flatten()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |a, p| {
                        (a.0.min(p.1), a.1.max(p.1))
                    });
                assert_eq!(ext, all, "view {xr:?} at {width} columns");
            }
        }
    }

    /// A light loss chart on the step axis.
    fn loss_spec(x_range: Option<(f64, f64)>, log_y: bool) -> ChartSpec {
        ChartSpec {
            x: XAxis::Step,
            x_range,
            log_y,
            dark: false,
            y_title: "lm loss".into(),
        }
    }

    fn loss(n: usize) -> Series {
        let mut s = Series::new("lm loss");
        for i in 0..n {
            s.push(
                i as i64 + 1,
                1000.0 + i as f64,
                3.0 / (1.0 + i as f64 * 0.01) + if i == n / 2 { 2.0 } else { 0.0 },
            );
        }
        s
    }

    /// Found by the fuzzer: a log scale over 1e-300..1e300 never finished drawing its ticks,
    /// and non-finite or empty ranges from a link reached the plotting library's asserts.
    #[test]
    fn extreme_values_and_ranges_draw_and_finish() {
        let mut s = Series::new("x");
        for (i, v) in [1e-300, 1.0, 1e300, f64::INFINITY, f64::NAN, -5.0]
            .iter()
            .enumerate()
        {
            s.push(i as i64, f64::NAN, *v);
        }
        let idx = MinMaxIndex::build(&Raw(&s));
        let ranges = [
            None,
            Some((f64::NAN, 1.0)),
            Some((2.0, 2.0)),
            Some((-1e308, 1e308)),
            Some((0.5, 0.5000001)),
        ];
        for log_y in [false, true] {
            for x_range in ranges {
                let mut svg = String::new();
                let root = SVGBackend::with_string(&mut svg, (300, 150)).into_drawing_area();
                let spec = ChartSpec {
                    x: XAxis::Step,
                    x_range,
                    log_y,
                    dark: false,
                    y_title: "x".into(),
                };
                let line = Line {
                    series: &s,
                    raw_index: &idx,
                    smoothed: None,
                    label: "x".into(),
                    color: 0,
                };
                let d = draw(&root, &spec, &[line]).expect("drawn");
                assert!(
                    d.x_range.0.is_finite() && d.x_range.1 > d.x_range.0,
                    "{x_range:?}: {d:?}"
                );
                assert!(
                    d.y_range.0.is_finite() && d.y_range.1 > d.y_range.0,
                    "{d:?}"
                );
            }
        }
    }

    /// [`clip_x`] as it was before runs of points inside were copied whole.
    fn clip_x_reference(points: &[(f64, f64)], (x0, x1): (f64, f64)) -> Vec<Vec<(f64, f64)>> {
        let inside = |x: f64| x >= x0 && x <= x1;
        let at = |(ax, ay): (f64, f64), (bx, by): (f64, f64), x: f64| {
            let t = (x - ax) / (bx - ax);
            (x, ay + (by - ay) * t)
        };
        let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
        let mut cur: Vec<(f64, f64)> = Vec::new();
        if let [only] = points {
            if inside(only.0) {
                out.push(vec![*only]);
            }
            return out;
        }
        for w in points.windows(2) {
            let (a, b) = (w[0], w[1]);
            let (lo, hi) = if a.0 <= b.0 { (a, b) } else { (b, a) };
            if hi.0 < x0 || lo.0 > x1 {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                continue;
            }
            let start = if inside(a.0) {
                a
            } else {
                at(a, b, if a.0 < x0 { x0 } else { x1 })
            };
            let end = if inside(b.0) {
                b
            } else {
                at(a, b, if b.0 < x0 { x0 } else { x1 })
            };
            if cur.last() != Some(&start) {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                cur.push(start);
            }
            cur.push(end);
            if !inside(b.0) {
                out.push(std::mem::take(&mut cur));
            }
        }
        if !cur.is_empty() {
            out.push(cur);
        }
        out
    }

    /// Copying runs of points inside cuts every polyline as segment by segment did:
    /// random polylines going out and back in, x going back, repeated points, NaN.
    #[test]
    fn clipping_equals_the_segment_by_segment_clipping() {
        let mut rng = crate::testutil::Rng(0x1357_9bdf_2468_ace0);
        for case in 0..2_000 {
            let n = rng.below(40) as usize;
            let mut x = rng.unit() * 20.0 - 5.0;
            let mut p: Vec<(f64, f64)> = Vec::new();
            for _ in 0..n {
                x += match rng.below(10) {
                    0 => -rng.unit() * 10.0,
                    1 => 0.0,
                    _ => rng.unit() * 2.0,
                };
                let y = match rng.below(15) {
                    0 => f64::NAN,
                    1 => p.last().map_or(0.0, |q| q.1),
                    _ => rng.unit(),
                };
                let q = if rng.below(10) == 0 {
                    p.last().copied().unwrap_or((x, y))
                } else {
                    (x, y)
                };
                p.push(q);
            }
            let range = (rng.unit() * 10.0, 10.0 + rng.unit() * 10.0);
            let got = format!("{:?}", clip_x(&p, range));
            let want = format!("{:?}", clip_x_reference(&p, range));
            assert_eq!(got, want, "case {case}: {p:?} in {range:?}");
        }
    }

    #[test]
    fn lines_are_cut_at_the_edges_of_the_view() {
        let p = [(0.0, 0.0), (10.0, 10.0), (20.0, 0.0), (1e300, 5.0)];
        assert_eq!(
            clip_x(&p, (5.0, 15.0)),
            vec![vec![(5.0, 5.0), (10.0, 10.0), (15.0, 5.0)]]
        );
        // Out and back in: two pieces.
        let q = [
            (0.0, 0.0),
            (10.0, 0.0),
            (0.0, 1.0),
            (-5.0, 1.0),
            (10.0, 2.0),
        ];
        let parts = clip_x(&q, (5.0, 20.0));
        assert_eq!(parts.len(), 2, "{parts:?}");
        assert!(parts
            .iter()
            .flatten()
            .all(|&(x, _)| (5.0..=20.0).contains(&x)));
        assert_eq!(clip_x(&[(1.0, 1.0)], (0.0, 2.0)), vec![vec![(1.0, 1.0)]]);
        assert!(clip_x(&[(3.0, 1.0), (4.0, 1.0)], (0.0, 2.0)).is_empty());
    }

    /// A painting stroker sizes its layer by the plot area the chart says every line lies
    /// in ([`Stroker::within`]), without reading the points: each stroked pixel must be
    /// inside it, zoomed or not, on linear and log axes, with a fixed y range that cuts
    /// the line, and for smoothed lines.
    #[test]
    fn every_stroked_point_lies_within_the_plot_area_the_chart_gives() {
        #[derive(Default)]
        struct Kept(Vec<Vec<f32>>, Option<(f32, f32, f32, f32)>);
        impl Stroker for Kept {
            fn polyline(&mut self, xy: &[f32], _: (u8, u8, u8), _: f64, _: f64) {
                self.0.push(xy.to_vec());
            }
            fn within(&mut self, b: (f32, f32, f32, f32)) {
                self.1 = Some(b);
            }
        }
        let mut s = loss(20_000);
        s.push(20_001, f64::NAN, -4.0);
        let idx = MinMaxIndex::build(&Raw(&s));
        let sm = smooth(&Raw(&s), 0.9, &s.restarts);
        let smi = MinMaxIndex::build(&Values::F32(&sm));
        for (x_range, log_y, y_range) in [
            (None, false, None),
            (Some((1_000.5, 9_999.25)), false, None),
            (None, true, None),
            (Some((5.0, 20_001.0)), true, Some((0.5, 2.0))),
            (None, false, Some((1.0, 2.5))),
        ] {
            let mut svg = String::new();
            let root = SVGBackend::with_string(&mut svg, (640, 300)).into_drawing_area();
            let spec = loss_spec(x_range, log_y);
            let line = Line {
                series: &s,
                raw_index: &idx,
                smoothed: Some((Values::F32(&sm), &smi)),
                label: "lm loss".into(),
                color: 0,
            };
            let extras = Extras {
                y_range,
                ..Extras::default()
            };
            let mut kept = Kept::default();
            draw_fast(&root, &spec, &[line], &extras, Some(&mut kept)).expect("draw");
            let (x0, y0, x1, y1) = kept.1.expect("the plot area given");
            let points: Vec<&[f32]> = kept.0.iter().flat_map(|l| l.chunks_exact(2)).collect();
            assert!(points.len() > 100, "lines stroked");
            for p in points
                .into_iter()
                .filter(|p| p[0].is_finite() && p[1].is_finite())
            {
                assert!(
                    (x0..=x1).contains(&p[0]) && (y0 - 1e-3..=y1 + 1e-3).contains(&p[1]),
                    "{p:?} outside {:?} at {x_range:?} log {log_y} y {y_range:?}",
                    kept.1
                );
            }
        }
    }

    #[test]
    fn draws_to_svg_with_axes_lines_and_the_spike() {
        let s = loss(100_000);
        let idx = MinMaxIndex::build(&Raw(&s));
        let sm = smooth(&Raw(&s), 0.6, &s.restarts);
        let smi = MinMaxIndex::build(&Values::F32(&sm));
        let mut svg = String::new();
        let drawn = {
            let root = SVGBackend::with_string(&mut svg, (800, 400)).into_drawing_area();
            let spec = ChartSpec {
                x: XAxis::Step,
                x_range: None,
                log_y: false,
                dark: false,
                y_title: "lm loss".into(),
            };
            draw(
                &root,
                &spec,
                &[Line {
                    series: &s,
                    raw_index: &idx,
                    smoothed: Some((Values::F32(&sm), &smi)),
                    label: "lm loss".into(),
                    color: 0,
                }],
            )
            .expect("draw")
        };
        assert_eq!(drawn.in_view, 100_000);
        assert!(drawn.drawn <= 4 * 800, "{} points drawn", drawn.drawn);
        assert!(
            drawn.y_range.1 >= s.value(50_000),
            "the spike is inside the y range"
        );
        assert!(svg.contains("<polyline"), "lines drawn");
        assert!(svg.contains("<text"), "tick labels drawn");
        let (l, t, r, b) = drawn.plot;
        assert!(l > 0 && t >= 0 && r > l && b > t);
    }

    #[test]
    fn zoomed_view_and_log_scale() {
        let s = loss(10_000);
        let idx = MinMaxIndex::build(&Raw(&s));
        let mut svg = String::new();
        let drawn = {
            let root = SVGBackend::with_string(&mut svg, (600, 300)).into_drawing_area();
            let spec = ChartSpec {
                x: XAxis::Step,
                x_range: Some((100.0, 200.0)),
                log_y: true,
                dark: true,
                y_title: "lm loss".into(),
            };
            draw(
                &root,
                &spec,
                &[Line {
                    series: &s,
                    raw_index: &idx,
                    smoothed: None,
                    label: "x".into(),
                    color: 1,
                }],
            )
            .expect("draw")
        };
        assert_eq!(drawn.in_view, 101);
        assert_eq!(drawn.x_range, (100.0, 200.0));
        assert!(drawn.y_range.0 > 0.0);
    }

    /// The texts of an SVG: (x, y, anchor, rotated, text).
    fn texts(svg: &str) -> Vec<(f64, f64, String, bool, String)> {
        let attr = |tag: &str, name: &str| -> Option<String> {
            let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
            Some(tag[at..].split('"').next()?.to_string())
        };
        svg.split("<text")
            .skip(1)
            .filter_map(|chunk| {
                let (tag, rest) = chunk.split_once('>')?;
                let text = rest.split("</text>").next()?.trim().to_string();
                Some((
                    attr(tag, "x")?.parse().ok()?,
                    attr(tag, "y")?.parse().ok()?,
                    attr(tag, "text-anchor").unwrap_or_default(),
                    tag.contains("rotate("),
                    text,
                ))
            })
            .collect()
    }

    fn svg_of(s: &Series, spec: &ChartSpec, size: (u32, u32)) -> (String, Drawn) {
        let idx = MinMaxIndex::build(&Raw(s));
        let mut svg = String::new();
        let drawn = {
            let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
            let line = Line {
                series: s,
                raw_index: &idx,
                smoothed: None,
                label: s.tag.clone(),
                color: 0,
            };
            draw(&root, spec, &[line]).expect("draw")
        };
        (svg, drawn)
    }

    /// Records what a [`Stroker`] is given.
    struct Recorder(Vec<Vec<f32>>);

    impl Stroker for Recorder {
        fn polyline(&mut self, xy: &[f32], _: (u8, u8, u8), _: f64, _: f64) {
            self.0.push(xy.to_vec());
        }
    }

    /// The page strokes lines itself ([`draw_fast`]); every point must land where the
    /// plotting library puts it (its SVG polyline), within its rounding to whole pixels,
    /// on linear and log axes, zoomed or not.
    #[test]
    fn stroked_lines_land_where_the_plotting_library_puts_them() {
        let s = loss(5000);
        for (log_y, range) in [(false, None), (true, None), (false, Some((1200.0, 2900.0)))] {
            let spec = ChartSpec {
                x_range: range,
                ..spec(log_y)
            };
            let (svg, _) = svg_of(&s, &spec, (900, 320));
            let idx = MinMaxIndex::build(&Raw(&s));
            let line = Line {
                series: &s,
                raw_index: &idx,
                smoothed: None,
                label: s.tag.clone(),
                color: 0,
            };
            let mut rec = Recorder(Vec::new());
            let mut other = String::new();
            let root = SVGBackend::with_string(&mut other, (900, 320)).into_drawing_area();
            draw_fast(&root, &spec, &[line], &Extras::default(), Some(&mut rec)).expect("draw");
            drop(root);
            // The polylines the library drew for the curve (the axes' ticks have two
            // points); with a stroker, it draws none.
            let long = |svg: &str| -> Vec<(f32, f32)> {
                svg.split("<polyline")
                    .skip(1)
                    .map(|p| {
                        let pts = p.split("points=\"").nth(1).unwrap_or("");
                        let pts = pts.split('"').next().unwrap_or("");
                        pts.split_whitespace()
                            .filter_map(|xy| {
                                let (x, y) = xy.split_once(',')?;
                                Some((x.parse().ok()?, y.parse().ok()?))
                            })
                            .collect::<Vec<_>>()
                    })
                    .filter(|p| p.len() > 2)
                    .flatten()
                    .collect()
            };
            assert!(long(&other).is_empty(), "the stroker took the curve");
            let theirs = long(&svg);
            let ours: Vec<(f32, f32)> = rec
                .0
                .iter()
                .flat_map(|l| l.chunks(2).map(|c| (c[0], c[1])))
                .collect();
            assert!(ours.len() > 100, "{} points stroked", ours.len());
            assert_eq!(ours.len(), theirs.len(), "log {log_y} range {range:?}");
            for (a, b) in ours.iter().zip(&theirs) {
                assert!(
                    (a.0 - b.0).abs() <= 1.0 && (a.1 - b.1).abs() <= 1.0,
                    "log {log_y} range {range:?}: ours {a:?}, the library's {b:?}"
                );
            }
        }
    }

    fn spec(log_y: bool) -> ChartSpec {
        ChartSpec {
            x: XAxis::Step,
            x_range: None,
            log_y,
            dark: false,
            y_title: "lm loss".into(),
        }
    }

    /// A loss falling from `hi` to `lo` over steps 0..=1000.
    fn falling(lo: f64, hi: f64) -> Series {
        let mut s = Series::new("lm loss");
        for i in 0..=1000 {
            s.push(i, f64::NAN, hi * (lo / hi).powf(i as f64 / 1000.0));
        }
        s
    }

    /// Issue 13 item 2: with log y the y axis had no labels and no grid lines (the plotting
    /// library labels only the decades inside the range, and a loss from 4 to 1.5 has
    /// none). Decades, with 2x and 5x between under two decades, each with a label at its
    /// height and a grid line across the plot.
    #[test]
    fn log_y_has_labelled_ticks_and_grid_lines() {
        for (lo, hi, want) in [
            (1.5, 4.0, vec!["2", "3", "4"]),
            (0.02, 0.9, vec!["0.02", "0.05", "0.1", "0.2", "0.5"]),
            (1e-6, 3e-3, vec!["1e-5", "1e-4", "0.001"]),
        ] {
            let (svg, d) = svg_of(&falling(lo, hi), &spec(true), (800, 320));
            let (l, t, r, b) = d.plot;
            let labels: Vec<_> = texts(&svg)
                .into_iter()
                .filter(|(x, _, _, rotated, _)| !rotated && *x < l as f64)
                .collect();
            let shown: Vec<&str> = labels.iter().map(|t| t.4.as_str()).collect();
            for w in &want {
                assert!(shown.contains(w), "{lo}..{hi}: labels {shown:?} lack {w}");
            }
            // Labels go up the axis as their values grow, inside the plot's height.
            let mut by_value: Vec<(f64, f64)> = labels
                .iter()
                .map(|(_, y, _, _, text)| (text.parse::<f64>().expect("a number"), *y))
                .collect();
            by_value.sort_by(|a, b| a.0.total_cmp(&b.0));
            assert!(by_value.windows(2).all(|w| w[1].1 < w[0].1), "{by_value:?}");
            assert!(by_value
                .iter()
                .all(|(_, y)| *y >= t as f64 - 8.0 && *y <= b as f64 + 8.0));
            // A horizontal grid line across the plot at each label.
            let grid: Vec<f64> = svg
                .split("<line")
                .skip(1)
                .filter_map(|tag| {
                    let num = |name: &str| -> Option<f64> {
                        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
                        tag[at..].split('"').next()?.parse().ok()
                    };
                    let (x1, y1, x2, y2) = (num("x1")?, num("y1")?, num("x2")?, num("y2")?);
                    (y1 == y2 && x1 <= l as f64 + 1.0 && x2 >= r as f64 - 2.0).then_some(y1)
                })
                .collect();
            for (_, y, _, _, text) in &labels {
                assert!(
                    grid.iter().any(|g| (g - y).abs() <= 8.0),
                    "{lo}..{hi}: no grid line near the label {text} at y {y}: {grid:?}"
                );
            }
        }
    }

    /// A restart that logged one point before the data ended drew nothing: a segment of one
    /// point has no line. It is drawn as a dot.
    #[test]
    fn a_one_point_segment_is_drawn_as_a_dot() {
        let mut s = Series::new("lm loss");
        for (step, v) in [(10, 3.4), (20, 3.1), (30, 2.9), (21, 3.0)] {
            s.push(step, f64::NAN, v);
        }
        let (svg, d) = svg_of(&s, &spec(false), (600, 320));
        assert_eq!(d.in_view, 4);
        assert_eq!(svg.matches("<circle").count(), 1, "one dot, for step 21");
    }

    #[test]
    fn log_ticks_and_their_labels() {
        assert_eq!(log_ticks(1.5, 4.0), [2.0, 3.0, 4.0]);
        assert_eq!(log_ticks(0.8, 12.0), [1.0, 2.0, 5.0, 10.0]);
        assert_eq!(
            log_ticks(0.5, 600.0),
            [1.0, 10.0, 100.0],
            "over two decades: decades"
        );
        assert_eq!(log_ticks(2.27, 2.86), [2.3, 2.4, 2.5, 2.6, 2.7, 2.8]);
        assert_eq!(
            log_ticks(1.41, 2.85),
            [1.6, 1.8, 2.0, 2.2, 2.4, 2.6, 2.8],
            "thinned to at most 8"
        );
        assert!(log_ticks(1e-30, 1.0).len() <= 12);
        assert!(log_ticks(-1.0, 1.0).is_empty());
        let labels: Vec<String> = [1e-5, 2e-5, 0.001, 0.02, 0.5, 2.0, 300.0, 1e4, 2.3]
            .iter()
            .map(|v| log_label(*v))
            .collect();
        assert_eq!(
            labels,
            ["1e-5", "2e-5", "0.001", "0.02", "0.5", "2", "300", "1e4", "2.3"]
        );
        assert_eq!(log_label(0.1 * 3.0), "0.3", "no float noise");
    }

    /// Issue 13 item 8: no axis titles, and the last x tick label cut by the canvas edge.
    #[test]
    fn axis_titles_and_the_last_x_label_inside_the_canvas() {
        let (w, h) = (600u32, 320u32);
        for log_y in [false, true] {
            let (svg, d) = svg_of(&falling(1.5, 4.0), &spec(log_y), (w, h));
            let all = texts(&svg);
            let (l, _, r, b) = d.plot;
            // Titles: the x quantity under the plot, the tag turned along the y axis.
            assert!(
                all.iter()
                    .any(|(_, y, _, _, t)| t == "step" && *y > b as f64),
                "{all:?}"
            );
            assert!(
                all.iter()
                    .any(|(x, _, _, rotated, t)| t == "lm loss" && *rotated && *x < l as f64),
                "{all:?}"
            );
            // Tick labels under the plot, each wholly inside the canvas.
            let x_labels: Vec<_> = all
                .iter()
                .filter(|(_, y, _, rotated, t)| !rotated && *y > b as f64 && t != "step")
                .collect();
            let last = x_labels
                .iter()
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .expect("x labels");
            assert_eq!(last.4, "1000", "the last tick is the end of the data");
            assert!(last.0 >= r as f64 - 1.0, "{last:?} {r}");
            for (x, _, anchor, _, text) in &x_labels {
                let half = text_width(text) as f64 / 2.0;
                let right = if anchor == "middle" {
                    x + half
                } else {
                    x + 2.0 * half
                };
                assert!(right <= w as f64, "{text} at {x} ends at {right} > {w}");
            }
        }
    }

    #[test]
    fn short_numbers() {
        assert_eq!(short(12_500.0), "12.5k");
        assert_eq!(short(3_100_000_000.0), "3.1G");
        assert_eq!(short(42.0), "42");
    }

    #[test]
    fn a_tick_at_zero_reads_0_not_minus_0() {
        // A single point at step 0 gives an axis from -0.5 to 0.5, whose middle tick may be
        // -0.0 or a float's noise just below zero.
        for v in [-0.0, -1e-17, -0.004] {
            assert_eq!(short(v), "0", "{v}");
        }
        assert_eq!(short_y(-0.0), "0");
        assert_eq!(short_y(-0.00004), "-4.0e-5");
        assert_eq!(short(-0.5), "-0.5");
        assert_eq!(short_y(-0.25), "-0.25");
        assert_eq!(short(-12_500.0), "-12.5k");
    }
}
