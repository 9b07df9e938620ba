//! Generated runs for the workspace benchmarks (native and in the browser) and tests: many
//! loss-like curves that differ a little, every value exactly an `f32` (16 bytes a point).

use crate::ingest::Series;

/// `runs` curves of `points` points each, tagged `tag`. Aligned: every run logs steps
/// `0..points`. Misaligned: even runs log the even steps and odd runs the odd ones (twice
/// the span), so grouping has to interpolate half of the members at every x.
pub fn synthetic_runs(tag: &str, runs: usize, points: usize, misaligned: bool) -> Vec<Series> {
    (0..runs)
        .map(|r| {
            let mut s = Series::new(tag);
            let scale = 3.0 + 0.5 * r as f64 / runs.max(1) as f64;
            for i in 0..points as i64 {
                let step = if misaligned {
                    2 * i + (r % 2) as i64
                } else {
                    i
                };
                let noise = ((i * 7919 + r as i64 * 104_729) % 1000) as f64 * 1e-4;
                let v = scale / (1.0 + step as f64 * 1e-5) + noise;
                s.push(step, 1.7e9 + step as f64 * 2.0, v as f32 as f64);
            }
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
