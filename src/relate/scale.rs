//! An axis scale from field values to pixels, linear or log (base 10), with its ticks and
//! their labels. A log scale has no place for values <= 0: `px` gives `None` for them and
//! the caller counts them as skipped.

use crate::chart::draw::{log_label, log_ticks};

/// A field's values mapped onto the pixels `p0..p1` (`p1 < p0` for an upward y axis).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    /// The value at `p0`.
    pub lo: f64,
    /// The value at `p1`.
    pub hi: f64,
    /// Log base 10.
    pub log: bool,
    /// Pixel of `lo`.
    pub p0: f64,
    /// Pixel of `hi`.
    pub p1: f64,
}

impl Scale {
    /// A scale over the values it can show (finite; and > 0 when `log`), padded by 4% of the
    /// range on both sides; a single value gets a range around it, no value the range 0..1
    /// (1..10 on log).
    pub fn fit(values: impl IntoIterator<Item = f64>, log: bool, p0: f64, p1: f64) -> Scale {
        let mut lo = f64::INFINITY;
        let mut hi = f64::NEG_INFINITY;
        for v in values {
            if v.is_finite() && (!log || v > 0.0) {
                let t = if log { v.log10() } else { v };
                lo = lo.min(t);
                hi = hi.max(t);
            }
        }
        if lo > hi {
            (lo, hi) = (0.0, 1.0);
        } else if lo == hi {
            let d = if log { 0.5 } else { (lo.abs() * 0.1).max(1e-9) };
            (lo, hi) = (lo - d, hi + d);
        } else {
            let pad = (hi - lo) * 0.04;
            (lo, hi) = (lo - pad, hi + pad);
        }
        let (lo, hi) = if log {
            (10f64.powf(lo), 10f64.powf(hi))
        } else {
            (lo, hi)
        };
        Scale {
            lo,
            hi,
            log,
            p0,
            p1,
        }
    }

    /// The same scale with its ends swapped (a flipped parallel axis).
    pub fn flipped(self) -> Scale {
        Scale {
            p0: self.p1,
            p1: self.p0,
            ..self
        }
    }

    fn t(&self, v: f64) -> Option<f64> {
        if self.log {
            (v > 0.0).then(|| v.log10())
        } else {
            v.is_finite().then_some(v)
        }
    }

    /// The pixel of value `v` (`None` for a value <= 0 on a log scale, or not finite).
    pub fn px(&self, v: f64) -> Option<f64> {
        let (a, b, t) = (self.t(self.lo)?, self.t(self.hi)?, self.t(v)?);
        let span = b - a;
        if span == 0.0 || !t.is_finite() {
            return None;
        }
        Some(self.p0 + (t - a) / span * (self.p1 - self.p0))
    }

    /// The value at pixel `p` (the inverse of [`Scale::px`]).
    pub fn value(&self, p: f64) -> f64 {
        let (Some(a), Some(b)) = (self.t(self.lo), self.t(self.hi)) else {
            return f64::NAN;
        };
        let pspan = self.p1 - self.p0;
        let f = if pspan == 0.0 {
            0.0
        } else {
            (p - self.p0) / pspan
        };
        let t = a + f * (b - a);
        if self.log {
            10f64.powf(t)
        } else {
            t
        }
    }

    /// Tick values inside the scale, low to high: decades (and 2x, 5x) on log, steps of 1, 2
    /// or 5 times a power of ten on linear, about `count` of them.
    pub fn ticks(&self, count: usize) -> Vec<f64> {
        let (lo, hi) = (self.lo.min(self.hi), self.lo.max(self.hi));
        if self.log {
            return log_ticks(lo, hi);
        }
        linear_ticks(lo, hi, count)
    }

    /// A tick's label: decimals for ordinary magnitudes, `2e-5` for small and large ones.
    pub fn label(&self, v: f64) -> String {
        log_label(v)
    }
}

/// About `count` round values in `lo..=hi`.
pub fn linear_ticks(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite() && hi > lo) {
        return Vec::new();
    }
    let raw = (hi - lo) / count.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    // A hair of slack: 0.35 / 0.05 is 6.999...
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last)
        .take(100)
        .map(|k| {
            let v = k as f64 * step;
            // Drop the float noise of k * step (0.30000000000000004).
            format!("{v:.12e}").parse().unwrap_or(v)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_scale_skips_non_positive_values_and_inverts() {
        let s = Scale::fit([1e-5, 1e-3, 0.0, -2.0], true, 0.0, 100.0);
        assert!(s.lo < 1e-5 && s.hi > 1e-3);
        assert_eq!(s.px(0.0), None);
        assert_eq!(s.px(-1.0), None);
        let (a, b) = (s.px(1e-5).unwrap(), s.px(1e-3).unwrap());
        // Equal ratios are equal distances: 1e-4 is half way between 1e-5 and 1e-3.
        let mid = s.px(1e-4).unwrap();
        assert!((mid - (a + b) / 2.0).abs() < 1e-9);
        assert!((s.value(mid) - 1e-4).abs() < 1e-15);
        assert_eq!(s.ticks(5), vec![1e-5, 1e-4, 1e-3]);
        assert_eq!(s.label(1e-5), "1e-5");
    }

    #[test]
    fn linear_scale_pads_flips_and_ticks_round_values() {
        let s = Scale::fit([0.0, 10.0], false, 0.0, 100.0);
        assert!((s.lo + 0.4).abs() < 1e-12 && (s.hi - 10.4).abs() < 1e-12);
        let p = s.px(5.0).unwrap();
        assert!((p - 50.0).abs() < 1e-9);
        let f = s.flipped();
        assert!((f.px(0.0).unwrap() - (100.0 - s.px(0.0).unwrap())).abs() < 1e-9);
        assert_eq!(
            linear_ticks(0.0, 1.0, 5),
            vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
        );
        assert_eq!(
            linear_ticks(0.1, 0.35, 5),
            vec![0.1, 0.15, 0.2, 0.25, 0.3, 0.35]
        );
        let one = Scale::fit([3.0], false, 0.0, 1.0);
        assert!(one.lo < 3.0 && one.hi > 3.0);
        let none = Scale::fit([], true, 0.0, 1.0);
        assert_eq!((none.lo, none.hi), (1.0, 10.0));
    }
}
