//! Lines painted straight into RGBA pixels, for charts too dense for the canvas's own
//! stroking: 100 curves of 4,000 decimated points each take the browser 0.1 to 2 s to
//! stroke without a GPU (its wide, anti-aliased paths are the slow part), and a few
//! milliseconds here. Decimation already keeps at most four points per pixel column, so a
//! one- or two-pixel line without anti-aliasing shows every point as it is.
//!
//! Written by hand: the drawing libraries we use stroke through the canvas (plotters) and
//! no small crate paints polylines into a caller's RGBA buffer without pulling in a whole
//! 2D renderer.

#[cfg(test)]
#[path = "raster_reference.rs"]
mod reference;

/// An RGBA buffer (as a canvas's `ImageData` holds it) with a mask (made when a
/// translucent line first needs it) that makes each line cover a pixel once, so a translucent line is as light where it doubles back as
/// elsewhere (as one stroked path is on a canvas).
pub struct Raster {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// RGBA bytes, row by row.
    pub data: Vec<u8>,
    mask: Vec<u32>,
    line: u32,
    /// Painting under what is there: opaque lines given last first, so a pixel once
    /// painted is final (see [`Raster::paint_lines`]).
    under: bool,
    /// While painting under: each column's rows known painted, `lo..=hi` (empty: lo > hi).
    cover: Vec<(i64, i64)>,
    /// Nothing was painted yet and the raster started transparent.
    blank: bool,
    /// Where this raster's top-left pixel is in the pixels lines are given in (a layer
    /// over part of a canvas; see [`paint_bounded`]).
    origin: (f32, f32),
    /// A one-pixel line's rows in one column not painted yet, `(x, lo, hi)`: the rows a
    /// line covers in a column (the end of the segment from the column before, its points,
    /// the start of the segment to the next) are painted as one span (see
    /// [`Raster::span`]).
    pending: Option<(i64, i64, i64)>,
}

/// How far from the raster a point is kept (in pixels, either way): anything past 2^20 is
/// far already (its segments are skipped, its spans clipped), and below 2^22 a whole
/// number converts to an integer without the checked conversion ([`pixel`]).
const FAR: f32 = 4e6;

/// No column gathered yet (no point is that far out: they are clamped to [`FAR`]).
const NO_COLUMN: i64 = i64::MIN;

/// A polyline's points in one pixel column: the first, the lowest and highest row, the
/// last.
type Column = ((i64, i64), i64, i64, (i64, i64));

/// A line to paint: its pixels (x0, y0, x1, y1, ...), colour, opacity and width.
pub type Gathered = (Vec<f32>, (u8, u8, u8), f64, f64);

impl Raster {
    /// A raster over `data` (RGBA, `width` x `height`; missing bytes are added as
    /// transparent black).
    pub fn new(width: usize, height: usize, mut data: Vec<u8>) -> Self {
        let blank = data.is_empty();
        if blank {
            // Zeroed memory straight from the allocator, not written byte by byte.
            data = vec![0; width * height * 4];
        } else {
            data.resize(width * height * 4, 0);
        }
        Raster {
            width,
            height,
            data,
            mask: Vec::new(),
            line: 0,
            under: false,
            cover: Vec::new(),
            blank,
            origin: (0.0, 0.0),
            pending: None,
        }
    }

    /// Paints `lines` in order, each over the ones before, as [`Raster::polyline`] one by
    /// one would. When every line is opaque and the raster was blank, they are painted the
    /// other way round, each under the ones after it: a pixel painted once is final, and a
    /// column's rows already covered are skipped whole. Where many noisy curves fill a
    /// panel, every pixel would otherwise be painted once per curve.
    pub fn paint_lines(&mut self, lines: &[Gathered]) {
        let under = self.blank && lines.iter().all(|l| l.2 >= 1.0);
        if !under {
            for (xy, rgb, alpha, width) in lines {
                self.polyline(xy, *rgb, *alpha, *width);
            }
            return;
        }
        self.under = true;
        self.cover = vec![(1, 0); self.width];
        for (xy, rgb, alpha, width) in lines.iter().rev() {
            self.polyline(xy, *rgb, *alpha, *width);
        }
        self.under = false;
        self.cover = Vec::new();
    }

    /// Paints the polyline `xy` (x0, y0, x1, y1, ... in this raster's pixels; non-finite
    /// points are skipped with their segments) in `rgb` at opacity `alpha`, one pixel wide,
    /// or two when `width` is 1.5 or more.
    pub fn polyline(&mut self, xy: &[f32], rgb: (u8, u8, u8), alpha: f64, width: f64) {
        self.line = self.line.wrapping_add(1);
        if self.line == 0 {
            self.mask.fill(0);
            self.line = 1;
        }
        let a = (alpha.clamp(0.0, 1.0) * 256.0).round() as u32;
        let ink = Ink {
            rgb: [rgb.0 as u32, rgb.1 as u32, rgb.2 as u32],
            opaque: [rgb.0, rgb.1, rgb.2, 255],
            a,
            wide: width >= 1.5,
        };
        // Far points are kept far (their segments are skipped), never wrapped around.
        let c = |v: f32| pixel(round(v.clamp(-FAR, FAR)));
        let (dx, dy) = self.origin;
        // Points in one pixel column (decimation leaves up to four there) cover the pixels
        // from their lowest to their highest: painted once as a span, and joined to the
        // previous column's last point by a segment. The column being gathered (its x, its
        // first point's row, lowest and highest row, last point's row) is kept in plain
        // locals: this loop runs for every point of every dense line.
        let mut prev: Option<(i64, i64)> = None;
        let (mut cx, mut first, mut lo, mut hi, mut last) = (NO_COLUMN, 0, 0, 0, 0);
        for p in xy.chunks_exact(2) {
            let (x, y) = (p[0] - dx, p[1] - dy);
            if !(x.is_finite() && y.is_finite()) {
                if cx != NO_COLUMN {
                    self.column(&mut prev, ((cx, first), lo, hi, (cx, last)), &ink);
                    cx = NO_COLUMN;
                }
                prev = None;
                continue;
            }
            let (px, py) = (c(x), c(y));
            if px == cx {
                (lo, hi, last) = (lo.min(py), hi.max(py), py);
            } else {
                if cx != NO_COLUMN {
                    self.column(&mut prev, ((cx, first), lo, hi, (cx, last)), &ink);
                }
                (cx, first, lo, hi, last) = (px, py, py, py, py);
            }
        }
        if cx != NO_COLUMN {
            self.column(&mut prev, ((cx, first), lo, hi, (cx, last)), &ink);
        }
        self.flush(&ink);
    }

    /// A column's points of a polyline (first, lowest and highest row, last), joined to
    /// the previous column's last point `prev`, which it becomes.
    #[inline(always)]
    fn column(&mut self, prev: &mut Option<(i64, i64)>, col: Column, ink: &Ink) {
        let (first, lo, hi, last) = col;
        if let (Some(p), Some((qx, qa, qb))) = (*prev, self.pending) {
            if !ink.wide && qx == p.0 && first.0 == p.0 + 1 && near(p) && near(first) {
                // A dense line's usual step: the next column, with the previous one's span
                // still held. The segment between them paints half its rise in each column
                // (as [`Raster::segment`] does), which joins each column's span: the held
                // span grows by its half and is painted, and this column's span, grown by
                // the other half, is held. A rise of one row or none paints only the two
                // points, which the spans hold already.
                let (py, fy) = (p.1, first.1);
                let (mut qa, mut qb, mut a, mut b) = (qa, qb, lo, hi);
                if (fy - py).abs() > 1 {
                    let (l, h) = (py.min(fy), py.max(fy));
                    let mid = l + (h - l) / 2;
                    if py < fy {
                        (qb, a) = (qb.max(mid), a.min(mid + 1));
                    } else {
                        (qa, b) = (qa.min(mid + 1), b.max(mid));
                    }
                }
                self.paint_span(qx, qa, qb, ink);
                self.pending = Some((first.0, a, b));
                *prev = Some(last);
                return;
            }
        }
        if let Some(p) = *prev {
            self.segment(p, first, ink);
        }
        self.span(first.0, lo, hi, ink);
        *prev = Some(last);
    }

    /// The pixels of column `x` from row `lo` to `hi`, clipped (and column `x + 1` when
    /// the ink is wide and the span more than a pixel). A one-pixel line's spans that touch
    /// in a column are joined first and painted as one ([`Raster::flush`] paints the last):
    /// the same pixels, since a line's own pixels take its ink once whatever their order
    /// (opaque ink is written, translucent ink blended once a line, and painting under
    /// fills what is still blank).
    fn span(&mut self, x: i64, lo: i64, hi: i64, ink: &Ink) {
        if ink.wide {
            return self.paint_span(x, lo, hi, ink);
        }
        if lo > hi {
            return;
        }
        if let Some((px, plo, phi)) = self.pending {
            if px == x && lo <= phi + 1 && hi + 1 >= plo {
                self.pending = Some((x, plo.min(lo), phi.max(hi)));
                return;
            }
            self.paint_span(px, plo, phi, ink);
        }
        self.pending = Some((x, lo, hi));
    }

    /// Paints the span [`Raster::span`] holds back.
    fn flush(&mut self, ink: &Ink) {
        if let Some((x, lo, hi)) = self.pending.take() {
            self.paint_span(x, lo, hi, ink);
        }
    }

    /// [`Raster::span`], painted now.
    fn paint_span(&mut self, x: i64, lo: i64, hi: i64, ink: &Ink) {
        let (w, h) = (self.width as i64, self.height as i64);
        let (lo, hi) = (lo.max(0), hi.min(h - 1));
        // A one-pixel span is a point of a line whose segments are widened already.
        let wide = ink.wide && hi > lo;
        for x in x..=x + i64::from(wide) {
            if x < 0 || x >= w || lo > hi {
                continue;
            }
            if self.under {
                self.span_under(x, lo, hi, ink);
                continue;
            }
            let first = lo as usize * self.width + x as usize;
            if ink.a >= 256 {
                // Opaque: written straight down the column.
                let stride = self.width * 4;
                let end = (first + (hi - lo) as usize * self.width) * 4 + 4;
                if let Some(col) = self.data.get_mut(first * 4..end) {
                    for px in col.chunks_mut(stride) {
                        ink.write(px);
                    }
                }
                continue;
            }
            for k in 0..=(hi - lo) as usize {
                self.put(first + k * self.width, ink);
            }
        }
    }

    /// A span of column `x` (in range) painted under what is there: the rows the column is
    /// known to have painted are skipped, the others written where still blank.
    fn span_under(&mut self, x: i64, lo: i64, hi: i64, ink: &Ink) {
        let Some(&(clo, chi)) = self.cover.get(x as usize) else {
            return;
        };
        let ((a, b), (c, d)) = if clo > chi {
            ((lo, hi), (1, 0))
        } else {
            ((lo, hi.min(clo - 1)), (lo.max(chi + 1), hi))
        };
        self.fill_blank(x as usize, a, b, ink);
        self.fill_blank(x as usize, c, d, ink);
        // What is covered stays one run of rows: joined when they touch, else the longer.
        let joined = if clo > chi {
            (lo, hi)
        } else if lo <= chi + 1 && hi + 1 >= clo {
            (lo.min(clo), hi.max(chi))
        } else if hi - lo > chi - clo {
            (lo, hi)
        } else {
            (clo, chi)
        };
        if let Some(c) = self.cover.get_mut(x as usize) {
            *c = joined;
        }
    }

    /// Rows `a..=b` of column `x` (in range, or empty) inked where still blank, walked
    /// down the column a row's bytes at a time.
    #[inline(always)]
    fn fill_blank(&mut self, x: usize, a: i64, b: i64, ink: &Ink) {
        if a > b {
            return;
        }
        let stride = self.width * 4;
        let start = a as usize * stride + x * 4;
        let end = b as usize * stride + x * 4 + 4;
        if let Some(col) = self.data.get_mut(start..end) {
            for px in col.chunks_mut(stride) {
                if let [_, _, _, 0, ..] = px {
                    ink.write(px);
                }
            }
        }
    }

    /// Bresenham's line from `a` to `b`, clipped to the raster.
    fn segment(&mut self, a: (i64, i64), b: (i64, i64), ink: &Ink) {
        let (w, h) = (self.width as i64, self.height as i64);
        // Far outside (a point the view's edge cut badly): nothing of it shows.
        if !near(a) || !near(b) {
            return;
        }
        if (a.0 < 0 && b.0 < 0) || (a.0 >= w && b.0 >= w) || (a.1 < 0 && b.1 < 0) {
            return;
        }
        if a.1 >= h && b.1 >= h {
            return;
        }
        // Decimated lines are steep: one column to the next, half the rise in each (the
        // pixels a step-by-step walk would visit, painted as two spans).
        if (b.0 - a.0).abs() <= 1 && (b.1 - a.1).abs() > 1 {
            let (lo, hi) = (a.1.min(b.1), a.1.max(b.1));
            let mid = lo + (hi - lo) / 2;
            let (low_x, high_x) = if a.1 <= b.1 { (a.0, b.0) } else { (b.0, a.0) };
            self.span(low_x, lo, mid, ink);
            self.span(high_x, mid + 1, hi, ink);
            return;
        }
        let (dx, dy) = ((b.0 - a.0).abs(), -(b.1 - a.1).abs());
        let (sx, sy) = (
            if a.0 < b.0 { 1 } else { -1 },
            if a.1 < b.1 { 1 } else { -1 },
        );
        // A mostly vertical segment is widened sideways, a mostly flat one downwards.
        let side = if dx < -dy { (1, 0) } else { (0, 1) };
        let (mut x, mut y, mut err) = (a.0, a.1, dx + dy);
        loop {
            self.plot(x, y, ink);
            if ink.wide {
                self.plot(x + side.0, y + side.1, ink);
            }
            if x == b.0 && y == b.1 {
                break;
            }
            let e2 = 2 * err;
            if e2 >= dy {
                err += dy;
                x += sx;
            }
            if e2 <= dx {
                err += dx;
                y += sy;
            }
        }
    }

    fn plot(&mut self, x: i64, y: i64, ink: &Ink) {
        if x < 0 || y < 0 || x >= self.width as i64 || y >= self.height as i64 {
            return;
        }
        self.put(y as usize * self.width + x as usize, ink);
    }

    /// Inks pixel `i` (in range): an opaque ink is written, a translucent one blended
    /// once per line.
    #[inline(always)]
    fn put(&mut self, i: usize, ink: &Ink) {
        let Some(px) = self.data.get_mut(i * 4..i * 4 + 4) else {
            return;
        };
        if self.under {
            // Under: only where nothing (a later line) painted yet.
            if px[3] == 0 {
                ink.write(px);
            }
            return;
        }
        if ink.a >= 256 {
            ink.write(px);
            return;
        }
        if self.mask.len() != self.width * self.height {
            self.mask = vec![0; self.width * self.height];
        }
        if self.mask.get(i) == Some(&self.line) {
            return;
        }
        if let Some(m) = self.mask.get_mut(i) {
            *m = self.line;
        }
        // Source over what is there (colours not premultiplied, as `ImageData` holds
        // them): over an opaque pixel a plain mix, over a transparent one the ink itself.
        let a = ink.a as f32 / 256.0;
        let da = px[3] as f32 / 255.0;
        let out = a + da * (1.0 - a);
        if out <= 0.0 {
            return;
        }
        for (c, v) in px.iter_mut().zip(ink.rgb) {
            *c = ((v as f32 * a + *c as f32 * da * (1.0 - a)) / out).round() as u8;
        }
        px[3] = (out * 255.0).round() as u8;
    }
}

/// `v` rounded half away from zero, as `f32::round` (for any finite `v`): without the
/// call to `roundf` that `f32::round` is in wasm, twice a point. Adding the largest `f32`
/// below one half (with `v`'s sign) carries every fraction of a half or more to the next
/// integer and no smaller one, and truncating drops what is left.
#[inline(always)]
fn round(v: f32) -> f32 {
    (v + 0.499_999_97_f32.copysign(v)).trunc()
}

/// Whether a point is near enough the raster for its segments to be drawn (one far outside
/// is a point the view's edge cut badly: nothing of its segments shows).
#[inline(always)]
fn near(p: (i64, i64)) -> bool {
    p.0.unsigned_abs() <= 1 << 20 && p.1.unsigned_abs() <= 1 << 20
}

/// A whole number `v` with `|v| < 2^22` as an integer. Added to 1.5 x 2^23, it lands
/// among the floats one apart, where the mantissa's low bits are the integer itself: read
/// from the bits, with no float-to-integer conversion (which the browser checks for
/// overflow each time; this runs twice a point).
#[inline(always)]
fn pixel(v: f32) -> i64 {
    const MAGIC: f32 = 12_582_912.0;
    i64::from((v + MAGIC).to_bits() as i32 - MAGIC.to_bits() as i32)
}

/// How many pixels stroking `lines` touches, roughly: each segment's longer side (what a
/// line rasteriser steps along) times the line's width. A browser with no GPU strokes at a
/// cost per pixel, so a few thousand points zigzagging the chart's height (a noisy curve
/// zoomed in) cost as much as a hundred thousand short segments.
pub fn stroke_pixels(lines: &[Gathered]) -> f64 {
    let mut total = 0.0;
    for (xy, _, _, width) in lines {
        let mut along = 0.0f32;
        for seg in xy.windows(4).step_by(2) {
            let (dx, dy) = ((seg[2] - seg[0]).abs(), (seg[3] - seg[1]).abs());
            // Compared, not `f32::max` (a call in wasm). A segment with a gap in it (NaN)
            // or off to infinity adds nothing.
            let step = if dx > dy { dx } else { dy };
            if dx + dy < f32::INFINITY {
                along += step;
            }
        }
        total += along as f64 * width.max(1.0);
    }
    total
}

/// Whether `lines` hold more than three points a pixel column on average over the columns
/// each spans: decimated data (up to four points a column, first, lowest, highest and
/// last), drawn as a column of short vertical strokes, where a browser's anti-aliasing
/// shows nothing but costs microseconds a point.
pub fn crowded(lines: &[Gathered]) -> bool {
    let (mut points, mut columns) = (0.0f64, 0.0f64);
    for (xy, ..) in lines {
        let (mut lo, mut hi) = (f32::INFINITY, f32::NEG_INFINITY);
        for p in xy.chunks_exact(2) {
            let x = p[0];
            // Compared, not `f32::min` (a call in wasm); NaN (a gap) compares false.
            lo = if x < lo { x } else { lo };
            hi = if x > hi { x } else { hi };
        }
        if lo <= hi {
            points += (xy.len() / 2) as f64;
            columns += (hi - lo) as f64 + 1.0;
        }
    }
    points > 3.0 * columns
}

/// `lines` (in the pixels of a `w` x `h` canvas) painted into a transparent raster over
/// just their bounding box (two pixels of margin for wide lines and rounding, inside the
/// canvas), with where its top-left corner goes on the canvas; `None` when nothing of them
/// is on it. Laying a small layer on a chart costs less than reading the chart's pixels.
pub fn paint_bounded(lines: &[Gathered], size: (u32, u32)) -> Option<(u32, u32, Raster)> {
    paint_within(lines, size, None)
}

/// [`paint_bounded`], over `within` (`x0, y0, x1, y1`, holding every point) when it is
/// known: a chart's plot area, which spares reading every point for the bounding box.
pub fn paint_within(
    lines: &[Gathered],
    (w, h): (u32, u32),
    within: Option<(f32, f32, f32, f32)>,
) -> Option<(u32, u32, Raster)> {
    let (x0, y0, x1, y1) = within.unwrap_or_else(|| bounding_box(lines));
    let clamp = |v: f32, hi: u32| (v.floor() as i64).clamp(0, hi as i64) as u32;
    let (left, top) = (clamp(x0 - 2.0, w), clamp(y0 - 2.0, h));
    let (right, bottom) = (clamp(x1 + 3.0, w), clamp(y1 + 3.0, h));
    if right <= left || bottom <= top {
        return None;
    }
    let mut raster = Raster::new((right - left) as usize, (bottom - top) as usize, Vec::new());
    raster.origin = (left as f32, top as f32);
    raster.paint_lines(lines);
    raster.origin = (0.0, 0.0);
    Some((left, top, raster))
}

/// The finite points' bounding box (`x0, y0, x1, y1`; inverted when there are none).
fn bounding_box(lines: &[Gathered]) -> (f32, f32, f32, f32) {
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    // Compared, not `f32::min`: that is a call to `fminf` per value in wasm.
    for l in lines {
        for p in l.0.chunks_exact(2) {
            let (x, y) = (p[0], p[1]);
            if x.is_finite() && y.is_finite() {
                x0 = if x < x0 { x } else { x0 };
                x1 = if x > x1 { x } else { x1 };
                y0 = if y < y0 { y } else { y0 };
                y1 = if y > y1 { y } else { y1 };
            }
        }
    }
    (x0, y0, x1, y1)
}

/// A [`super::draw::Stroker`] that keeps the lines it is given, to paint them all at once
/// ([`Raster::paint_lines`]).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Gather(pub Vec<Gathered>);

impl super::draw::Stroker for Gather {
    fn polyline(&mut self, xy: &[f32], rgb: (u8, u8, u8), alpha: f64, width: f64) {
        self.0.push((xy.to_vec(), rgb, alpha, width));
    }

    fn polyline_owned(&mut self, xy: Vec<f32>, rgb: (u8, u8, u8), alpha: f64, width: f64) {
        self.0.push((xy, rgb, alpha, width));
    }
}

impl super::draw::Stroker for Raster {
    fn polyline(&mut self, xy: &[f32], rgb: (u8, u8, u8), alpha: f64, width: f64) {
        Raster::polyline(self, xy, rgb, alpha, width);
    }
}

impl Ink {
    /// Writes the opaque colour into the pixel `px` starts with (byte by byte: a copy
    /// would be a call to `memcpy` per pixel in the size-optimised wasm build).
    #[inline(always)]
    fn write(&self, px: &mut [u8]) {
        if let [r, g, b, a, ..] = px {
            (*r, *g, *b, *a) = (self.opaque[0], self.opaque[1], self.opaque[2], 255);
        }
    }
}

struct Ink {
    rgb: [u32; 3],
    opaque: [u8; 4],
    /// Opacity in 256ths.
    a: u32,
    wide: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stroke_pixels_counts_each_segments_longer_side_times_the_width() {
        let zigzag: Vec<f32> = (0..100)
            .flat_map(|i| [i as f32, if i % 2 == 0 { 0.0 } else { 300.0 }])
            .collect();
        let flat = vec![0.0, 5.0, 200.0, 5.0];
        let gap = vec![0.0, 0.0, f32::NAN, f32::NAN, 10.0, 3.0, 14.0, 0.0];
        let lines: Vec<Gathered> = vec![
            (zigzag, (0, 0, 0), 1.0, 2.0),
            (flat, (0, 0, 0), 1.0, 0.5),
            (gap, (0, 0, 0), 1.0, 1.0),
        ];
        // 99 segments of 300 rows at width 2; 200 columns at width 1 (thinner counts as 1);
        // the gap's two segments nothing, the last one 4 columns.
        assert_eq!(stroke_pixels(&lines), 99.0 * 300.0 * 2.0 + 200.0 + 4.0);
        assert_eq!(stroke_pixels(&[]), 0.0);
    }

    #[test]
    fn crowded_means_more_than_three_points_a_column() {
        let line = |n: usize, span: f32| -> Gathered {
            let xy = (0..n)
                .flat_map(|i| [10.0 + span * i as f32 / (n - 1) as f32, (i % 7) as f32])
                .collect();
            (xy, (0, 0, 0), 1.0, 1.0)
        };
        // 4,800 points over 1,200 columns (a decimated 10M-point curve): crowded.
        assert!(crowded(&[line(4800, 1199.0)]));
        // 2,000 points over 700 columns (a run's loss curve at full width): not.
        assert!(!crowded(&[line(2000, 699.0)]));
        // The same at a phone's width: 200 columns.
        assert!(crowded(&[line(2000, 199.0)]));
        // Averaged over the lines: a sparse line beside a crowded one.
        assert!(!crowded(&[line(1300, 299.0), line(100, 999.0)]));
        assert!(!crowded(&[]));
    }

    fn at(r: &Raster, x: usize, y: usize) -> [u8; 4] {
        let i = (y * r.width + x) * 4;
        [r.data[i], r.data[i + 1], r.data[i + 2], r.data[i + 3]]
    }

    fn painted(r: &Raster) -> Vec<(usize, usize)> {
        (0..r.height)
            .flat_map(|y| (0..r.width).map(move |x| (x, y)))
            .filter(|&(x, y)| at(r, x, y)[3] == 255)
            .collect()
    }

    /// Painting opaque lines last first, each under the ones after it, gives exactly the
    /// pixels of painting them in order, each over the ones before: random decimated-like
    /// lines (a few points per column, steep steps, gaps, points off the raster), one and
    /// two pixels wide.
    #[test]
    fn painting_under_in_reverse_equals_painting_over_in_order() {
        let mut rng = crate::testutil::Rng(0x5eed_cafe_f00d_1234);
        for case in 0..200 {
            let (w, h) = (1 + rng.below(60) as usize, 1 + rng.below(50) as usize);
            let lines: Vec<Gathered> = (0..1 + rng.below(12))
                .map(|k| {
                    let mut xy = Vec::new();
                    let mut x = rng.unit() as f32 * 5.0 - 3.0;
                    for _ in 0..rng.below(200) {
                        x += [0.0, 0.3, 1.0, 2.5][rng.below(4) as usize];
                        let y = if rng.below(40) == 0 {
                            f32::NAN
                        } else {
                            rng.unit() as f32 * (h as f32 + 10.0) - 5.0
                        };
                        xy.extend([x, y]);
                    }
                    let rgb = (k as u8 * 20, 255 - k as u8 * 20, 7);
                    (xy, rgb, 1.0, if rng.below(2) == 0 { 1.0 } else { 2.0 })
                })
                .collect();
            let mut over = Raster::new(w, h, Vec::new());
            for (xy, rgb, a, width) in &lines {
                over.polyline(xy, *rgb, *a, *width);
            }
            let mut under = Raster::new(w, h, Vec::new());
            under.paint_lines(&lines);
            assert!(
                over.data == under.data,
                "case {case}: {w} x {h}, {} lines",
                lines.len()
            );
        }
        // Translucent lines, or a raster with something on it, are painted in order.
        let line: Gathered = (vec![1.0, 1.0, 5.0, 1.0], (0, 0, 0), 0.5, 1.0);
        let mut r = Raster::new(8, 4, vec![255; 8 * 4 * 4]);
        r.paint_lines(&[line.clone(), line]);
        assert_eq!(at(&r, 3, 1), [64, 64, 64, 255]);
    }

    /// Random lines like decimated ones: a few points per column, steep steps, gaps,
    /// points off the raster, opaque or not, one or two pixels wide.
    fn random_lines(rng: &mut crate::testutil::Rng, w: usize, h: usize) -> Vec<Gathered> {
        let opaque = rng.below(2) == 0;
        (0..1 + rng.below(12))
            .map(|k| {
                let mut xy = Vec::new();
                let mut x = rng.unit() as f32 * 5.0 - 3.0;
                for _ in 0..rng.below(200) {
                    // Mostly forward, now and then back (a polyline may turn).
                    x += [0.0, 0.3, 1.0, 2.5, 0.5, 0.0, -1.0, -0.3][rng.below(8) as usize];
                    let y = match rng.below(20) {
                        0 => f32::NAN,
                        1 => 1e9,
                        2 => -0.5,
                        _ => rng.unit() as f32 * (h as f32 + 10.0) - 5.0,
                    };
                    xy.extend([x, y]);
                }
                let x_far = rng.below(30) == 0;
                if x_far {
                    xy.extend([w as f32 * 50.0, 3.0]);
                }
                let rgb = (k as u8 * 20, 255 - k as u8 * 20, 7);
                let alpha = if opaque || rng.below(2) == 0 {
                    1.0
                } else {
                    0.28
                };
                (xy, rgb, alpha, if rng.below(2) == 0 { 1.0 } else { 2.0 })
            })
            .collect()
    }

    /// The painter paints exactly the pixels the one before it did (kept in
    /// `raster_reference.rs`): line by line, all at once, over a transparent or a filled
    /// raster, and as a layer over the lines' bounding box.
    #[test]
    fn painting_equals_the_reference_painter() {
        let mut rng = crate::testutil::Rng(0x0123_4567_89ab_cdef);
        for case in 0..300 {
            let (w, h) = (1 + rng.below(80) as usize, 1 + rng.below(60) as usize);
            let lines = random_lines(&mut rng, w, h);
            let filled = if rng.below(3) == 0 {
                vec![200; w * h * 4]
            } else {
                Vec::new()
            };
            let mut got = Raster::new(w, h, filled.clone());
            let mut want = reference::Raster::new(w, h, filled.clone());
            got.paint_lines(&lines);
            want.paint_lines(&lines);
            assert!(got.data == want.data, "case {case}: all at once");
            let mut got = Raster::new(w, h, filled.clone());
            let mut want = reference::Raster::new(w, h, filled);
            for (xy, rgb, a, width) in &lines {
                got.polyline(xy, *rgb, *a, *width);
                want.polyline(xy, *rgb, *a, *width);
            }
            assert!(got.data == want.data, "case {case}: line by line");
            let got = paint_bounded(&lines, (w as u32, h as u32));
            let want = reference::paint_bounded(&lines, (w as u32, h as u32));
            assert_eq!(
                got.map(|(l, t, r)| (l, t, r.width, r.height, r.data)),
                want.map(|(l, t, r)| (l, t, r.width, r.height, r.data)),
                "case {case}: bounded layer"
            );
        }
    }

    /// The layer over the lines' bounding box holds the same pixels as painting them on
    /// the whole canvas, placed where they were; lines off the canvas give no layer.
    #[test]
    fn a_bounded_layer_equals_the_same_lines_on_the_whole_canvas() {
        let lines: Vec<Gathered> = vec![
            (
                vec![10.0, 5.0, 11.0, 20.0, 30.0, 12.0],
                (200, 0, 0),
                1.0,
                2.0,
            ),
            (
                vec![15.0, 30.0, 15.0, 8.0, 16.0, 9.0],
                (0, 0, 200),
                0.5,
                1.0,
            ),
        ];
        let (w, h) = (50, 40);
        let mut whole = Raster::new(w, h, Vec::new());
        whole.paint_lines(&lines);
        // Each pixel of the canvas: the layer's where it lies, transparent elsewhere.
        let placed_as_whole = |(left, top, layer): (u32, u32, Raster), what: &str| {
            for y in 0..h {
                for x in 0..w {
                    let (lx, ly) = (x as i64 - left as i64, y as i64 - top as i64);
                    let inside = (0..layer.width as i64).contains(&lx)
                        && (0..layer.height as i64).contains(&ly);
                    let got = if inside {
                        at(&layer, lx as usize, ly as usize)
                    } else {
                        [0; 4]
                    };
                    assert_eq!(got, at(&whole, x, y), "pixel {x},{y} of {what}");
                }
            }
        };
        let bounded = paint_bounded(&lines, (w as u32, h as u32)).expect("a layer");
        assert!(
            bounded.2.width < w && bounded.2.height < h,
            "only the bounding box"
        );
        placed_as_whole(bounded, "the bounding box");
        // Over a box known to hold them (a chart's plot area), not read from the points: a
        // larger layer, the same pixels.
        let known = paint_within(&lines, (w as u32, h as u32), Some((4.0, 2.0, 45.0, 35.0)))
            .expect("a layer");
        assert_eq!(
            (known.0, known.1, known.2.width, known.2.height),
            (2, 0, 46, 38)
        );
        placed_as_whole(known, "the known box");
        let off: Vec<Gathered> = vec![(vec![-50.0, -50.0, -40.0, -45.0], (0, 0, 0), 1.0, 1.0)];
        assert!(paint_bounded(&off, (20, 20)).is_none());
    }

    /// The rounding of pixel positions is `f32::round`'s: halves away from zero, the
    /// largest float below a half down, every clamped value.
    #[test]
    fn pixel_positions_round_as_f32_round() {
        let mut rng = crate::testutil::Rng(0xdead_beef_1234_5678);
        let mut cases = vec![
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.5,
            2.5,
            -2.5,
            0.49999997,
            -0.49999997,
            1e7,
            -1e7,
            8388607.5,
            8388608.0,
            f32::MIN_POSITIVE,
        ];
        for _ in 0..100_000 {
            let m = [1.0, 10.0, 1000.0, 1e7][rng.below(4) as usize];
            let v = (rng.unit() * 2.0 - 1.0) * m;
            cases.push(v as f32);
            cases.push(((v * 2.0).round() / 2.0) as f32);
            // Any finite f32 at all (raw bits), and the neighbours of every half.
            let bits = f32::from_bits(rng.below(u32::MAX as u64) as u32);
            if bits.is_finite() {
                cases.push(bits);
            }
            let half = ((v * 2.0).round() / 2.0) as f32;
            cases.push(f32::from_bits(half.to_bits().wrapping_add(1)));
            cases.push(f32::from_bits(half.to_bits().wrapping_sub(1)));
        }
        for v in cases {
            assert_eq!(round(v).to_bits(), v.round().to_bits(), "{v}");
            if v.is_finite() {
                let near = v.clamp(-FAR, FAR);
                assert_eq!(pixel(round(near)), near.round() as i64, "{v}");
            }
        }
    }

    #[test]
    fn a_flat_line_paints_its_row_end_to_end_and_nothing_else() {
        let mut r = Raster::new(20, 10, Vec::new());
        r.polyline(&[2.0, 4.0, 12.0, 4.0], (10, 20, 30), 1.0, 1.0);
        let want: Vec<(usize, usize)> = (2..=12).map(|x| (x, 4)).collect();
        assert_eq!(painted(&r), want);
        assert_eq!(at(&r, 7, 4), [10, 20, 30, 255]);
    }

    /// Decimation's first/min/max/last in one column is a vertical run of pixels from the
    /// lowest to the highest value: every value shows.
    #[test]
    fn a_column_spans_its_lowest_to_highest_value() {
        let mut r = Raster::new(10, 40, Vec::new());
        r.polyline(
            &[5.0, 20.0, 5.0, 3.0, 5.0, 35.0, 5.0, 22.0],
            (0, 0, 0),
            1.0,
            1.0,
        );
        let want: Vec<(usize, usize)> = (3..=35).map(|y| (5, y)).collect();
        assert_eq!(painted(&r), want);
    }

    /// From one column to the next, a steep segment rises half in each: every row between
    /// its ends is painted once, in one of the two columns, and nothing else is.
    #[test]
    fn a_steep_step_between_columns_has_no_gaps() {
        for (a, b) in [((2.0, 0.0), (3.0, 9.0)), ((2.0, 9.0), (3.0, 0.0))] {
            let mut r = Raster::new(8, 12, Vec::new());
            r.polyline(&[a.0, a.1, b.0, b.1], (0, 0, 0), 1.0, 1.0);
            let p = painted(&r);
            assert_eq!(p.len(), 10, "{p:?}");
            for y in 0..10 {
                let n = p
                    .iter()
                    .filter(|q| q.1 == y && (q.0 == 2 || q.0 == 3))
                    .count();
                assert_eq!(n, 1, "row {y}: {p:?}");
            }
            // The rows nearer each end are in that end's column.
            assert!(p.contains(&(a.0 as usize, a.1 as usize)) && p.contains(&(3, b.1 as usize)));
        }
    }

    #[test]
    fn wide_lines_add_a_pixel_across_their_direction() {
        let mut r = Raster::new(10, 10, Vec::new());
        r.polyline(&[1.0, 1.0, 6.0, 1.0], (0, 0, 0), 1.0, 2.0);
        r.polyline(&[8.0, 3.0, 8.0, 6.0], (0, 0, 0), 1.0, 2.0);
        let p = painted(&r);
        assert!(p.contains(&(3, 2)) && p.contains(&(9, 4)), "{p:?}");
        assert_eq!(p.len(), 6 * 2 + 4 * 2);
    }

    /// A translucent line doubling back over itself is as light as where it does not (one
    /// stroked path on a canvas is), and over white it mixes with what was there.
    #[test]
    fn translucent_lines_cover_each_pixel_once() {
        let mut r = Raster::new(10, 10, vec![255; 400]);
        r.polyline(
            &[1.0, 5.0, 8.0, 5.0, 1.0, 5.0, 8.0, 5.0],
            (0, 0, 0),
            0.5,
            1.0,
        );
        assert_eq!(at(&r, 4, 5), [128, 128, 128, 255]);
        assert_eq!(at(&r, 4, 6), [255, 255, 255, 255]);
        // Another line over the same pixels blends again.
        r.polyline(&[1.0, 5.0, 8.0, 5.0], (0, 0, 0), 0.5, 1.0);
        assert_eq!(at(&r, 4, 5), [64, 64, 64, 255]);
        // Over a transparent raster (the page composites it onto the chart), a translucent
        // line keeps its colour and carries its opacity; a second one over it adds up.
        let mut r = Raster::new(10, 10, Vec::new());
        r.polyline(&[1.0, 5.0, 8.0, 5.0], (200, 100, 0), 0.5, 1.0);
        assert_eq!(at(&r, 4, 5), [200, 100, 0, 128]);
        r.polyline(&[1.0, 5.0, 8.0, 5.0], (0, 0, 200), 0.5, 1.0);
        let [red, _, blue, alpha] = at(&r, 4, 5);
        assert!(
            (191..=192).contains(&alpha),
            "0.5 over 0.5 covers 75%: {alpha}"
        );
        assert!(
            red > 0 && blue > red,
            "the later line is on top: {red} {blue}"
        );
    }

    #[test]
    fn points_outside_or_not_finite_never_panic_and_are_clipped() {
        let mut r = Raster::new(8, 8, Vec::new());
        r.polyline(
            &[
                -5.0,
                3.0,
                20.0,
                3.0,
                f32::NAN,
                1.0,
                3.0,
                f32::INFINITY,
                1e30,
                1e30,
                2.0,
                2.0,
            ],
            (1, 2, 3),
            1.0,
            2.0,
        );
        let p = painted(&r);
        assert!(p.iter().all(|&(x, y)| x < 8 && y < 8));
        assert!(
            (0..8).all(|x| p.contains(&(x, 3))),
            "the clipped row shows: {p:?}"
        );
        // A lone point is a dot.
        let mut r = Raster::new(4, 4, Vec::new());
        r.polyline(&[2.0, 1.0], (0, 0, 0), 1.0, 1.0);
        assert_eq!(painted(&r), vec![(2, 1)]);
    }
}
