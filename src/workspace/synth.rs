//! Generated runs for the workspace benchmarks (native and in the browser) and tests: many
//! loss-like curves that differ a little, every value exactly an `f32` (16 bytes a point).

use crate::chart::draw::{ChartSpec, Line};
use crate::chart::series_math::{MinMaxIndex, Raw, XAxis};
use crate::ingest::Series;

/// The runs as drawable lines (palette colour by position), with `idx` their indexes.
pub fn drawable<'a>(runs: &'a [Series], idx: &'a [MinMaxIndex]) -> Vec<Line<'a>> {
    runs.iter()
        .zip(idx)
        .enumerate()
        .map(|(k, (s, i))| Line {
            series: s,
            raw_index: i,
            smoothed: None,
            label: format!("run {k}"),
            color: k,
        })
        .collect()
}

/// The synced-zoom benchmark's data: 12 panels (tags) of 20 runs x 50k points, with their
/// indexes.
pub fn zoom_panels() -> (Vec<Vec<Series>>, Vec<Vec<MinMaxIndex>>) {
    let panels: Vec<Vec<Series>> = (0..12)
        .map(|p| synthetic_runs(&format!("tag {p}"), 20, 50_000, false))
        .collect();
    let idx = panels.iter().map(|r| indexes(r)).collect();
    (panels, idx)
}

/// Each panel's runs as drawable lines.
pub fn panel_lines<'a>(
    panels: &'a [Vec<Series>],
    idx: &'a [Vec<MinMaxIndex>],
) -> Vec<Vec<Line<'a>>> {
    panels
        .iter()
        .zip(idx)
        .map(|(r, i)| drawable(r, i))
        .collect()
}

/// Zoom step `k` of the synced-zoom benchmark: x range halved `k` times around the middle.
pub fn zoom_range(k: usize) -> (f64, f64) {
    let half = 25_000.0 / (1u64 << k.min(40)) as f64;
    (25_000.0 - half, 25_000.0 + half)
}

/// The min/max index of each run.
pub fn indexes(runs: &[Series]) -> Vec<MinMaxIndex> {
    runs.iter().map(|s| MinMaxIndex::build(&Raw(s))).collect()
}

/// What a benchmark frame draws: the step axis over `range`, light, linear.
pub fn frame_spec(range: (f64, f64)) -> ChartSpec {
    loss_spec(Some(range))
}

/// A benchmark's loss chart: the step axis over `range` (everything with `None`), light,
/// linear.
pub fn loss_spec(range: Option<(f64, f64)>) -> ChartSpec {
    ChartSpec {
        x: XAxis::Step,
        x_range: range,
        log_y: false,
        dark: false,
        y_title: "lm loss".into(),
    }
}

/// `runs` curves of `points` points each, tagged `tag`. Aligned: every run logs steps
/// `0..points`. Misaligned: even runs log the even steps and odd runs the odd ones (twice
/// the span), so grouping has to interpolate half of the members at every x.
pub fn synthetic_runs(tag: &str, runs: usize, points: usize, misaligned: bool) -> Vec<Series> {
    (0..runs)
        .map(|r| {
            let mut s = Series::new(tag);
            let scale = 3.0 + 0.5 * r as f64 / runs.max(1) as f64;
            s.extend_points((0..points as i64).map(|i| {
                let step = if misaligned {
                    2 * i + (r % 2) as i64
                } else {
                    i
                };
                let noise = ((i * 7919 + r as i64 * 104_729) % 1000) as f64 * 1e-4;
                let v = scale / (1.0 + step as f64 * 1e-5) + noise;
                (step, 1.7e9 + step as f64 * 2.0, v as f32 as f64)
            }));
            s.shrink();
            s
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_differ_and_cost_16_bytes_a_point() {
        let runs = synthetic_runs("lm loss", 3, 70_000, false);
        assert_eq!(runs.len(), 3);
        assert!(runs
            .iter()
            .all(|s| s.len() == 70_000 && s.heap_bytes() <= 16 * 70_000 + 64));
        assert_ne!(runs[0].value(5), runs[1].value(5));
        let odd = synthetic_runs("x", 2, 3, true);
        assert_eq!((odd[0].step(2), odd[1].step(2)), (4, 5));
    }
}
