//! Drawing curves on any plotters backend: the canvas in the browser, SVG in native tests.
//!
//! Generic over `DrawingBackend`, so what the page shows is tested natively. Each line is
//! decimated (M4) from the full data for the current view before it is drawn.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::series_math::{m4, Column, MinMaxIndex, XAxis};
use crate::ingest::Series;

/// One curve to draw: the series, and its smoothed values when smoothing is on.
pub struct Line<'a> {
    /// The points.
    pub series: &'a Series,
    /// Min/max index over the raw values.
    pub raw_index: &'a MinMaxIndex,
    /// Smoothed values and their index (drawn bold over a faint raw line).
    pub smoothed: Option<(&'a Vec<f32>, &'a MinMaxIndex)>,
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
    /// Points drawn after decimation.
    pub drawn: usize,
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

/// The colour for palette index `i`.
pub fn color(i: usize) -> RGBColor {
    let (r, g, b) = PALETTE[i % PALETTE.len()];
    RGBColor(r, g, b)
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

fn polylines(
    l: &Line<'_>,
    col: &dyn Column,
    index: &MinMaxIndex,
    spec: &ChartSpec,
    xr: (f64, f64),
    width: usize,
) -> (Vec<Vec<(f64, f64)>>, usize) {
    let axis = spec.x;
    let (idx, in_view) = m4(l.series, col, index, axis, xr, width);
    let mut raw: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for i in idx {
        let (x, y) = match i {
            usize::MAX => (f64::NAN, f64::NAN),
            i => (axis.x(l.series, i), col.get(i)),
        };
        // A restart, a missing value or (on a log scale) a value <= 0 breaks the line.
        if x.is_finite() && y.is_finite() && (!spec.log_y || y > 0.0) {
            if let Some(last) = raw.last_mut() {
                last.push((x, y.clamp(-1e300, 1e300)));
            }
        } else if raw.last().is_some_and(|p| !p.is_empty()) {
            raw.push(Vec::new());
        }
    }
    let out = raw.iter().flat_map(|p| clip_x(p, xr)).collect();
    (out, in_view)
}

/// The parts of a polyline inside `x0 <= x <= x1`, segments that cross an edge cut there
/// (the points either side of the view are kept by decimation so the line reaches the
/// edges; they can lie anywhere, far outside what the backend's pixel type can hold).
pub fn clip_x(points: &[(f64, f64)], (x0, x1): (f64, f64)) -> Vec<Vec<(f64, f64)>> {
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
            // Entirely outside: the line breaks here.
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
    format!("{s}{unit}")
}

/// Draws the lines on `root`; errors are the backend's, as text.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    spec: &ChartSpec,
    lines: &[Line<'_>],
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
    let Some(full) = x_extent(lines, spec.x) else {
        return Ok(Drawn::default());
    };
    // A range from a link or a zoom is used only when the library can draw it.
    let xr = spec
        .x_range
        .filter(|&(a, b)| a.is_finite() && b.is_finite() && b > a)
        .map_or(full, |(a, b)| sane_range(a, b));
    let (w, _) = root.dim_in_pixel();
    let width = (w as usize).saturating_sub(80).max(10);
    // Decimate first: the visible extremes give the y range exactly.
    let mut raw_lines = Vec::new();
    let mut smooth_lines = Vec::new();
    let mut in_view = 0;
    let (mut ylo, mut yhi) = (f64::INFINITY, f64::NEG_INFINITY);
    for l in lines {
        let raw = super::series_math::Raw(l.series);
        let (p, n) = polylines(l, &raw, l.raw_index, spec, xr, width);
        in_view += n;
        let sm = l
            .smoothed
            .map(|(sm, idx)| polylines(l, sm, idx, spec, xr, width).0);
        // Every drawn point is inside the y range (smoothed ones too: near the edges of a
        // view they carry the weight of points outside it).
        for (_, y) in p.iter().chain(sm.iter().flatten()).flatten() {
            ylo = ylo.min(*y);
            yhi = yhi.max(*y);
        }
        raw_lines.push(p);
        smooth_lines.push(sm);
    }
    if !ylo.is_finite() {
        (ylo, yhi) = (if spec.log_y { 0.1 } else { 0.0 }, 1.0);
    }
    (ylo, yhi) = (ylo.clamp(-1e300, 1e300), yhi.clamp(-1e300, 1e300));
    if yhi <= ylo {
        let pad = if ylo == 0.0 { 1.0 } else { ylo.abs() * 0.05 };
        (ylo, yhi) = (ylo - pad, yhi + pad);
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
    let floor = |p: &Vec<(f64, f64)>| -> Vec<(f64, f64)> {
        p.iter()
            .map(|&(x, y)| (x, if spec.log_y { y.max(ylo) } else { y }))
            .collect()
    };
    let drawn_count: usize = raw_lines.iter().flatten().map(Vec::len).sum();
    let mut builder = ChartBuilder::on(root);
    builder
        .margin(8)
        .x_label_area_size(28)
        .y_label_area_size(64);
    let label_style = ("sans-serif", 12).into_font().color(&fg);
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
                .y_label_formatter(&|y| short_y(*y))
                .draw()
                .map_err(|e| e.to_string())?;
            for (i, l) in lines.iter().enumerate() {
                let c = color(l.color);
                let faint = l.smoothed.is_some();
                let raw_style = if faint {
                    c.mix(0.28).stroke_width(1)
                } else {
                    c.stroke_width(2)
                };
                for p in raw_lines.get(i).into_iter().flatten() {
                    chart
                        .draw_series(LineSeries::new(floor(p), raw_style))
                        .map_err(|e| e.to_string())?;
                }
                for p in smooth_lines.get(i).into_iter().flatten().flatten() {
                    chart
                        .draw_series(LineSeries::new(floor(p), c.stroke_width(2)))
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
            let (xs, ys) = chart.plotting_area().get_pixel_range();
            (xs.start, ys.start, xs.end, ys.end)
        }};
    }
    let plot = if spec.log_y {
        body!(builder
            .build_cartesian_2d(xr.0..xr.1, (ylo.max(1e-300)..yhi).log_scale())
            .map_err(|e| e.to_string())?)
    } else {
        body!(builder
            .build_cartesian_2d(xr.0..xr.1, ylo..yhi)
            .map_err(|e| e.to_string())?)
    };
    root.present().map_err(|e| e.to_string())?;
    Ok(Drawn {
        x_range: xr,
        y_range: (ylo, yhi),
        plot,
        in_view,
        drawn: drawn_count,
    })
}

fn short_y(y: f64) -> String {
    let a = y.abs();
    if a != 0.0 && !(1e-3..1e5).contains(&a) {
        format!("{y:.1e}")
    } else {
        let s = format!("{y:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::super::series_math::{smooth, Raw};
    use super::*;

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

    #[test]
    fn draws_to_svg_with_axes_lines_and_the_spike() {
        let s = loss(100_000);
        let idx = MinMaxIndex::build(&Raw(&s));
        let sm = smooth(&Raw(&s), 0.6);
        let smi = MinMaxIndex::build(&sm);
        let mut svg = String::new();
        let drawn = {
            let root = SVGBackend::with_string(&mut svg, (800, 400)).into_drawing_area();
            let spec = ChartSpec {
                x: XAxis::Step,
                x_range: None,
                log_y: false,
                dark: false,
            };
            draw(
                &root,
                &spec,
                &[Line {
                    series: &s,
                    raw_index: &idx,
                    smoothed: Some((&sm, &smi)),
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

    #[test]
    fn short_numbers() {
        assert_eq!(short(12_500.0), "12.5k");
        assert_eq!(short(3_100_000_000.0), "3.1G");
        assert_eq!(short(42.0), "42");
    }
}
