//! The line painter as it was before it was made faster (kept for tests only): every
//! change to [`super::Raster`] must paint exactly its pixels.

#![allow(dead_code, clippy::all)]

use super::Gathered;

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
}

impl Raster {
    /// A raster over `data` (RGBA, `width` x `height`; missing bytes are added as
    /// transparent black).
    pub fn new(width: usize, height: usize, mut data: Vec<u8>) -> Self {
        let blank = data.is_empty();
        data.resize(width * height * 4, 0);
        Raster {
            width,
            height,
            data,
            mask: Vec::new(),
            line: 0,
            under: false,
            cover: Vec::new(),
            blank,
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
        let c = |v: f32| v.clamp(-1e7, 1e7).round() as i64;
        let point = |p: &[f32]| (p[0].is_finite() && p[1].is_finite()).then(|| (c(p[0]), c(p[1])));
        // Points in one pixel column (decimation leaves up to four there) cover the pixels
        // from their lowest to their highest: painted once as a span, and joined to the
        // previous column's last point by a segment.
        let mut prev: Option<(i64, i64)> = None;
        let mut k = 0;
        let pts = xy.chunks_exact(2);
        let n = pts.len();
        let pts: Vec<Option<(i64, i64)>> = pts.map(point).collect();
        while k < n {
            let Some(first) = pts[k] else {
                prev = None;
                k += 1;
                continue;
            };
            let (mut lo, mut hi, mut last) = (first.1, first.1, first);
            k += 1;
            while let Some(Some(p)) = pts.get(k).filter(|p| p.is_some_and(|p| p.0 == first.0)) {
                (lo, hi, last) = (lo.min(p.1), hi.max(p.1), *p);
                k += 1;
            }
            if let Some(p) = prev {
                self.segment(p, first, &ink);
            }
            self.span(first.0, lo, hi, &ink);
            prev = Some(last);
        }
    }

    /// The pixels of column `x` from row `lo` to `hi`, clipped (and column `x + 1` when
    /// the ink is wide and the span more than a pixel).
    fn span(&mut self, x: i64, lo: i64, hi: i64, ink: &Ink) {
        let (w, h) = (self.width as i64, self.height as i64);
        let (lo, hi) = (lo.max(0), hi.min(h - 1));
        // A one-pixel span is a point of a line whose segments are widened already.
        let wide = ink.wide && hi > lo;
        for x in [x, x + 1].into_iter().take(if wide { 2 } else { 1 }) {
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
        let parts = if clo > chi {
            [(lo, hi), (1, 0)]
        } else {
            [(lo, hi.min(clo - 1)), (lo.max(chi + 1), hi)]
        };
        for (a, b) in parts {
            for y in a..=b {
                self.put(y as usize * self.width + x as usize, ink);
            }
        }
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

    /// Bresenham's line from `a` to `b`, clipped to the raster.
    fn segment(&mut self, a: (i64, i64), b: (i64, i64), ink: &Ink) {
        let (w, h) = (self.width as i64, self.height as i64);
        // Far outside (a point the view's edge cut badly): nothing of it shows.
        let out = |p: (i64, i64)| p.0.unsigned_abs() > 1 << 20 || p.1.unsigned_abs() > 1 << 20;
        if out(a) || out(b) {
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

/// `lines` (in the pixels of a `w` x `h` canvas) painted into a transparent raster over
/// just their bounding box (two pixels of margin for wide lines and rounding, inside the
/// canvas), with where its top-left corner goes on the canvas; `None` when nothing of them
/// is on it. Laying a small layer on a chart costs less than reading the chart's pixels.
pub fn paint_bounded(lines: &[Gathered], (w, h): (u32, u32)) -> Option<(u32, u32, Raster)> {
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for p in lines.iter().flat_map(|l| l.0.chunks_exact(2)) {
        if p[0].is_finite() && p[1].is_finite() {
            (x0, x1, y0, y1) = (x0.min(p[0]), x1.max(p[0]), y0.min(p[1]), y1.max(p[1]));
        }
    }
    let clamp = |v: f32, hi: u32| (v.floor() as i64).clamp(0, hi as i64) as u32;
    let (left, top) = (clamp(x0 - 2.0, w), clamp(y0 - 2.0, h));
    let (right, bottom) = (clamp(x1 + 3.0, w), clamp(y1 + 3.0, h));
    if right <= left || bottom <= top {
        return None;
    }
    let (dx, dy) = (left as f32, top as f32);
    let moved: Vec<Gathered> = lines
        .iter()
        .map(|(xy, rgb, alpha, width)| {
            let xy = xy.chunks_exact(2).flat_map(|p| [p[0] - dx, p[1] - dy]);
            (xy.collect(), *rgb, *alpha, *width)
        })
        .collect();
    let mut raster = Raster::new((right - left) as usize, (bottom - top) as usize, Vec::new());
    raster.paint_lines(&moved);
    Some((left, top, raster))
}
