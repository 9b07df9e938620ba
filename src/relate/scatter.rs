//! The scatter's geometry: each point's pixel (log axes skip values <= 0 and count them),
//! a grid over the pixels for hover and click (the nearest point within a radius, looking
//! only at nearby cells), box selection, and the order of points along x for the keyboard.

use super::color::Coloring;
use super::columns::{Points, Tint};
use super::raster::{Density, Raster};
use super::scale::Scale;

/// The plot area inside a canvas of `w` x `h` CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    /// Canvas width.
    pub w: f64,
    /// Canvas height.
    pub h: f64,
    /// Left margin (y labels).
    pub left: f64,
    /// Right margin.
    pub right: f64,
    /// Top margin.
    pub top: f64,
    /// Bottom margin (x labels).
    pub bottom: f64,
}

impl Frame {
    /// A canvas of `w` x `h` with room for the axes' labels and titles.
    pub fn new(w: f64, h: f64) -> Frame {
        Frame {
            w,
            h,
            left: 64.0,
            right: 14.0,
            top: 12.0,
            bottom: 44.0,
        }
    }
}

/// Where each drawable point goes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScatterGeom {
    /// The x scale.
    pub x: Option<Scale>,
    /// The y scale (pixels grow downwards).
    pub y: Option<Scale>,
    /// Pixel x of each drawn point.
    pub px: Vec<f32>,
    /// Pixel y of each drawn point.
    pub py: Vec<f32>,
    /// Index into the [`Points`] of each drawn point.
    pub point: Vec<u32>,
    /// Points not drawn because log x has no place for their x (<= 0).
    pub skipped_x: usize,
    /// Points not drawn because log y has no place for their y (<= 0).
    pub skipped_y: usize,
}

impl ScatterGeom {
    /// Lays out `points` in `frame`.
    pub fn new(points: &Points, log_x: bool, log_y: bool, frame: Frame) -> ScatterGeom {
        let xs = Scale::fit(
            points.x.iter().copied(),
            log_x,
            frame.left,
            frame.w - frame.right,
        );
        let ys = Scale::fit(
            points.y.iter().copied(),
            log_y,
            frame.h - frame.bottom,
            frame.top,
        );
        let mut g = ScatterGeom {
            x: Some(xs),
            y: Some(ys),
            px: Vec::with_capacity(points.len()),
            py: Vec::with_capacity(points.len()),
            point: Vec::with_capacity(points.len()),
            ..Default::default()
        };
        for (i, (&a, &b)) in points.x.iter().zip(&points.y).enumerate() {
            let (p, q) = (xs.px(a), ys.px(b));
            if p.is_none() {
                g.skipped_x += 1;
            }
            if q.is_none() {
                g.skipped_y += 1;
            }
            if let (Some(p), Some(q)) = (p, q) {
                g.px.push(p as f32);
                g.py.push(q as f32);
                g.point.push(i as u32);
            }
        }
        g
    }

    /// Number of drawn points.
    pub fn len(&self) -> usize {
        self.point.len()
    }

    /// Whether no point is drawn.
    pub fn is_empty(&self) -> bool {
        self.point.is_empty()
    }

    /// The drawn points (indexes into these arrays) ordered by x, then y: what the arrow keys
    /// step through.
    pub fn order_by_x(&self) -> Vec<u32> {
        let mut v: Vec<u32> = (0..self.len() as u32).collect();
        v.sort_by(|&a, &b| {
            let k = |i: u32| {
                (
                    self.px.get(i as usize).copied().unwrap_or(0.0),
                    self.py.get(i as usize).copied().unwrap_or(0.0),
                )
            };
            let (p, q) = (k(a), k(b));
            p.0.total_cmp(&q.0).then(q.1.total_cmp(&p.1))
        });
        v
    }

    /// The point the arrow keys move to from `from` (a drawn point, or none yet): the next
    /// one in [`Self::order_by_x`] going right, the one before going left, staying at the
    /// ends; the leftmost when nothing was hovered.
    pub fn step_by_x(&self, from: Option<usize>, right: bool) -> Option<usize> {
        let order = self.order_by_x();
        let now = from.and_then(|h| order.iter().position(|&i| i as usize == h));
        let next = match (now, right) {
            (None, _) => 0,
            (Some(k), true) => (k + 1).min(order.len().saturating_sub(1)),
            (Some(k), false) => k.saturating_sub(1),
        };
        order.get(next).map(|&i| i as usize)
    }
}

/// The drawn points bucketed by a square grid of pixels, for hit-testing in time
/// proportional to the points near the pointer, not all of them.
#[derive(Debug, Clone, Default)]
pub struct HitGrid {
    cell: f32,
    cols: usize,
    rows: usize,
    /// `start[c]..start[c + 1]` is cell `c`'s slice of `items`.
    start: Vec<u32>,
    items: Vec<u32>,
}

impl HitGrid {
    /// A grid of `cell`-pixel squares over a `w` x `h` canvas.
    pub fn new(g: &ScatterGeom, w: f64, h: f64, cell: f32) -> HitGrid {
        let cell = cell.max(1.0);
        let cols = ((w as f32 / cell).ceil() as usize).clamp(1, 4096);
        let rows = ((h as f32 / cell).ceil() as usize).clamp(1, 4096);
        let cell_of = |x: f32, y: f32| {
            let c = ((x / cell).floor().max(0.0) as usize).min(cols - 1);
            let r = ((y / cell).floor().max(0.0) as usize).min(rows - 1);
            r * cols + c
        };
        let mut count = vec![0u32; cols * rows + 1];
        for (&x, &y) in g.px.iter().zip(&g.py) {
            if let Some(n) = count.get_mut(cell_of(x, y) + 1) {
                *n += 1;
            }
        }
        for i in 1..count.len() {
            count[i] += count[i - 1];
        }
        let start = count.clone();
        let mut fill = count;
        let mut items = vec![0u32; g.len()];
        for (i, (&x, &y)) in g.px.iter().zip(&g.py).enumerate() {
            let c = cell_of(x, y);
            if let Some(at) = fill.get_mut(c) {
                if let Some(slot) = items.get_mut(*at as usize) {
                    *slot = i as u32;
                }
                *at += 1;
            }
        }
        HitGrid {
            cell,
            cols,
            rows,
            start,
            items,
        }
    }

    fn cells(&self, x0: f32, y0: f32, x1: f32, y1: f32) -> impl Iterator<Item = u32> + '_ {
        let clamp_c = |v: f32| ((v / self.cell).floor().max(0.0) as usize).min(self.cols - 1);
        let clamp_r = |v: f32| ((v / self.cell).floor().max(0.0) as usize).min(self.rows - 1);
        let (c0, c1, r0, r1) = (clamp_c(x0), clamp_c(x1), clamp_r(y0), clamp_r(y1));
        (r0..=r1).flat_map(move |r| {
            let (a, b) = (r * self.cols + c0, r * self.cols + c1 + 1);
            let (s, e) = (
                self.start.get(a).copied().unwrap_or(0) as usize,
                self.start.get(b).copied().unwrap_or(0) as usize,
            );
            self.items.get(s..e).unwrap_or(&[]).iter().copied()
        })
    }

    /// The drawn point nearest to `(x, y)` within `r` pixels (the latest drawn on a tie: the
    /// one on top).
    pub fn nearest(&self, g: &ScatterGeom, x: f32, y: f32, r: f32) -> Option<usize> {
        let mut best: Option<(f32, usize)> = None;
        for i in self.cells(x - r, y - r, x + r, y + r) {
            let i = i as usize;
            let (Some(&px), Some(&py)) = (g.px.get(i), g.py.get(i)) else {
                continue;
            };
            let d = (px - x).powi(2) + (py - y).powi(2);
            if d <= r * r && best.is_none_or(|(bd, bi)| d < bd || (d == bd && i > bi)) {
                best = Some((d, i));
            }
        }
        best.map(|b| b.1)
    }

    /// The drawn points inside the box with corners `(x0, y0)` and `(x1, y1)` (any order),
    /// ascending.
    pub fn in_box(&self, g: &ScatterGeom, x0: f32, y0: f32, x1: f32, y1: f32) -> Vec<usize> {
        let (ax, bx) = (x0.min(x1), x0.max(x1));
        let (ay, by) = (y0.min(y1), y0.max(y1));
        let mut v: Vec<usize> = self
            .cells(ax, ay, bx, by)
            .map(|i| i as usize)
            .filter(|&i| {
                matches!((g.px.get(i), g.py.get(i)), (Some(&px), Some(&py))
                    if px >= ax && px <= bx && py >= ay && py <= by)
            })
            .collect();
        v.sort_unstable();
        v
    }
}

/// How the scatter's points look.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Look {
    /// Device pixels per CSS pixel.
    pub dpr: f32,
    /// Point radius in CSS pixels.
    pub radius: f32,
    /// The ring around ticked runs.
    pub ring: [u8; 3],
}

/// Draws the points into an image of the canvas' device pixels: each point a disc in its
/// colour (more transparent as points multiply, so density shows), ticked runs last, ringed.
pub fn raster(
    g: &ScatterGeom,
    points: &Points,
    coloring: &Coloring,
    ticked: &[bool],
    frame: Frame,
    look: Look,
) -> Raster {
    let (w, h) = (
        (frame.w as f32 * look.dpr).round().max(1.0) as usize,
        (frame.h as f32 * look.dpr).round().max(1.0) as usize,
    );
    let n = g.len();
    let alpha = if n > 20_000 {
        0.35
    } else if n > 2_000 {
        0.55
    } else {
        0.85
    };
    // Dense plots get smaller points: density shows through coverage, and each point costs
    // fewer pixels.
    let radius = if n > 20_000 {
        look.radius.min(1.6)
    } else {
        look.radius
    };
    let disc = Raster::disc(radius * look.dpr);
    let ring = Raster::disc((look.radius + 1.6) * look.dpr);
    let colour = |p: usize| coloring.rgb(points.tint.get(p).copied().unwrap_or(Tint::None));
    let is_ticked = |p: usize| {
        !ticked.is_empty()
            && points
                .rows
                .get(p)
                .is_some_and(|&row| ticked.get(row).copied().unwrap_or(false))
    };
    // One pass in the points' order (colour and pixel row), then the marks row by row (a
    // counting sort on the row): each stamp lands in rows still in the cache, not in a
    // random place of a 7 MB buffer.
    let mut marks: Vec<(u32, f32, f32, [u8; 3])> = Vec::with_capacity(n);
    let mut last = Vec::new();
    let mut start = vec![0u32; h + 1];
    for (i, &p) in g.point.iter().enumerate() {
        let p = p as usize;
        let (Some(&x), Some(&y)) = (g.px.get(i), g.py.get(i)) else {
            continue;
        };
        if is_ticked(p) {
            last.push((x, y, p));
            continue;
        }
        let (x, y) = (x * look.dpr, y * look.dpr);
        let row = (y.max(0.0) as usize).min(h - 1);
        if let Some(s) = start.get_mut(row + 1) {
            *s += 1;
        }
        marks.push((row as u32, x, y, colour(p)));
    }
    for k in 1..start.len() {
        start[k] += start[k - 1];
    }
    let mut sorted = vec![(0f32, 0f32, [0u8; 3]); marks.len()];
    for &(row, x, y, c) in &marks {
        if let Some(at) = start.get_mut(row as usize) {
            if let Some(slot) = sorted.get_mut(*at as usize) {
                *slot = (x, y, c);
            }
            *at += 1;
        }
    }
    let mut density = Density::new(w, h);
    for &(x, y, c) in &sorted {
        density.stamp(&disc, x, y, c);
    }
    let mut r = density.into_raster(alpha);
    for (x, y, p) in last {
        r.stamp(&ring, x * look.dpr, y * look.dpr, look.ring, 1.0);
        r.stamp(&disc, x * look.dpr, y * look.dpr, colour(p), 1.0);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testutil::Rng;

    fn points(n: usize, seed: u64) -> Points {
        let mut g = Rng(seed);
        let mut p = Points::default();
        for i in 0..n {
            p.rows.push(i);
            p.x.push(g.unit() * 10.0 - 1.0);
            p.y.push(g.unit() * 5.0);
        }
        p
    }

    #[test]
    fn log_x_skips_and_counts_non_positive_values() {
        let p = Points {
            rows: vec![0, 1, 2, 3],
            x: vec![1e-5, 0.0, -1.0, 1e-3],
            y: vec![1.0, 2.0, 3.0, 0.0],
            tint: vec![],
        };
        let f = Frame::new(400.0, 300.0);
        let lin = ScatterGeom::new(&p, false, false, f);
        assert_eq!((lin.len(), lin.skipped_x), (4, 0));
        let g = ScatterGeom::new(&p, true, false, f);
        assert_eq!(g.point, vec![0, 3]);
        assert_eq!((g.skipped_x, g.skipped_y), (2, 0));
        let both = ScatterGeom::new(&p, true, true, f);
        assert_eq!(both.point, vec![0]);
        assert_eq!((both.skipped_x, both.skipped_y), (2, 1));
        // Every drawn point lies inside the plot area.
        for (&x, &y) in g.px.iter().zip(&g.py) {
            assert!(x as f64 >= f.left && x as f64 <= f.w - f.right);
            assert!(y as f64 >= f.top && y as f64 <= f.h - f.bottom);
        }
    }

    #[test]
    fn hit_testing_matches_a_scan_of_every_point() {
        let p = points(5000, 0x1234_5678_9abc_def1);
        let f = Frame::new(800.0, 500.0);
        let g = ScatterGeom::new(&p, false, false, f);
        let grid = HitGrid::new(&g, f.w, f.h, 8.0);
        let mut r = Rng(99);
        for _ in 0..500 {
            let (x, y) = (
                (r.unit() * 820.0 - 10.0) as f32,
                (r.unit() * 520.0 - 10.0) as f32,
            );
            let scan = (0..g.len())
                .map(|i| ((g.px[i] - x).powi(2) + (g.py[i] - y).powi(2), i))
                .filter(|(d, _)| *d <= 36.0)
                .fold(None::<(f32, usize)>, |b, (d, i)| match b {
                    Some((bd, bi)) if bd < d || (bd == d && bi > i) => Some((bd, bi)),
                    _ => Some((d, i)),
                });
            assert_eq!(grid.nearest(&g, x, y, 6.0), scan.map(|s| s.1), "at {x},{y}");
            let (x1, y1) = (x + (r.unit() * 200.0) as f32, y - (r.unit() * 150.0) as f32);
            let want: Vec<usize> = (0..g.len())
                .filter(|&i| {
                    g.px[i] >= x.min(x1)
                        && g.px[i] <= x.max(x1)
                        && g.py[i] >= y.min(y1)
                        && g.py[i] <= y.max(y1)
                })
                .collect();
            assert_eq!(grid.in_box(&g, x, y, x1, y1), want);
        }
        assert_eq!(g.order_by_x().len(), g.len());
        // The arrow keys walk that order from the leftmost and stop at its ends.
        let order = g.order_by_x();
        let (first, last) = (order[0] as usize, order[order.len() - 1] as usize);
        assert_eq!(g.step_by_x(None, true), Some(first));
        assert_eq!(g.step_by_x(Some(first), false), Some(first));
        assert_eq!(g.step_by_x(Some(first), true), Some(order[1] as usize));
        assert_eq!(g.step_by_x(Some(last), true), Some(last));
    }
}
