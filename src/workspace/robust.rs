//! Robust y-range of a panel: the exact 1st and 99th percentiles (or any pair) of the y
//! values in view over all drawn lines, padded a little, and per line the exact number of
//! points above and below it (the view draws them as marks on the edge with their count:
//! nothing is hidden).
//!
//! Exact and without copying the values: a radix selection on the order-preserving bits of
//! each f64 (16 bits a pass, both percentiles at once), which ends with `select_nth_unstable`
//! over the few values left in the chosen bucket. Typically 3 passes over the points in view
//! plus one to count, O(points) time and 512 KiB of memory whatever the count.

use super::{lower_bound, Points};

/// The padding on each side, as a fraction of the percentile range.
pub const PAD: f64 = 0.05;

/// A panel's robust y-range.
#[derive(Debug, Clone, PartialEq)]
pub struct Robust {
    /// The low percentile's value (a value of the data).
    pub p_lo: f64,
    /// The high percentile's value (a value of the data).
    pub p_hi: f64,
    /// The range to show: the percentiles padded by [`PAD`] of their span on each side.
    pub lo: f64,
    /// Top of the range to show.
    pub hi: f64,
    /// Per line (in the order given): points in view above `hi`.
    pub above: Vec<usize>,
    /// Per line: points in view below `lo`.
    pub below: Vec<usize>,
    /// Points in view with a y (not NaN), over all lines.
    pub in_view: usize,
}

/// The robust range of the points of `lines` whose x is in `[x0, x1]` (every segment of a
/// restarted line counts, as drawn), between the quantiles `q_lo` and `q_hi` (0..=1, e.g.
/// 0.01 and 0.99): the values of rank `floor(q_lo (n-1))` and `ceil(q_hi (n-1))` in
/// ascending order. `None` when no point with a y is in view.
pub fn robust_range<P: Points>(
    lines: &[P],
    (x0, x1): (f64, f64),
    (q_lo, q_hi): (f64, f64),
) -> Option<Robust> {
    let views: Vec<Vec<(usize, usize)>> = lines.iter().map(|l| in_view(l, x0, x1)).collect();
    let each = |f: &mut dyn FnMut(usize, f64)| {
        for (j, (l, ranges)) in lines.iter().zip(&views).enumerate() {
            for &(lo, hi) in ranges {
                l.each_y(lo, hi, &mut |_, y| {
                    if !y.is_nan() {
                        f(j, y)
                    }
                });
            }
        }
    };
    // The first pass counts the values and sorts them by their top 16 bits at once.
    let mut top = vec![0u32; 1 << 16];
    each(&mut |_, y| top[(key(y) >> 48) as usize] += 1);
    let n: usize = top.iter().map(|&c| c as usize).sum();
    let last = n.checked_sub(1)?;
    let r_lo = ((q_lo.clamp(0.0, 1.0) * last as f64).floor() as usize).min(last);
    let r_hi = ((q_hi.clamp(0.0, 1.0) * last as f64).ceil() as usize).min(last);
    let [p_lo, p_hi] = select(&each, [r_lo, r_hi.max(r_lo)], &top);
    let (lo, hi) = padded(p_lo, p_hi);
    let mut above = vec![0; lines.len()];
    let mut below = vec![0; lines.len()];
    each(&mut |j, y| {
        if y > hi {
            above[j] += 1;
        } else if y < lo {
            below[j] += 1;
        }
    });
    Some(Robust {
        p_lo,
        p_hi,
        lo,
        hi,
        above,
        below,
        in_view: n,
    })
}

/// The range shown for percentiles `p_lo..p_hi`: [`PAD`] of their span added each side
/// (of the value itself when they are equal, 1 around zero).
pub fn padded(p_lo: f64, p_hi: f64) -> (f64, f64) {
    let pad = if p_hi > p_lo {
        (p_hi - p_lo) * PAD
    } else if p_lo != 0.0 {
        p_lo.abs() * PAD
    } else {
        1.0
    };
    (p_lo - pad, p_hi + pad)
}

/// Index ranges of `l`'s points with x in `[x0, x1]`, one per segment.
fn in_view<P: Points>(l: &P, x0: f64, x1: f64) -> Vec<(usize, usize)> {
    l.segments()
        .into_iter()
        .map(|(lo, hi)| {
            let a = lower_bound(l, lo, hi, x0);
            (a, lower_bound(l, a, hi, x1.next_up()))
        })
        .filter(|(a, b)| b > a)
        .collect()
}

/// Order-preserving bits of a (non-NaN) f64.
fn key(v: f64) -> u64 {
    let b = v.to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | (1 << 63)
    }
}

/// The f64 of [`key`]'s bits.
fn unkey(k: u64) -> f64 {
    if k >> 63 == 1 {
        f64::from_bits(k & !(1 << 63))
    } else {
        f64::from_bits(!k)
    }
}

/// Calls its argument with `(line, y)` for every point in view.
type Each<'a> = &'a dyn Fn(&mut dyn FnMut(usize, f64));

/// Buckets small enough to gather and select directly.
const GATHER: u32 = 1 << 16;

/// One order statistic being narrowed down.
#[derive(Clone, Copy)]
struct Target {
    /// Rank among the values that share `prefix`.
    rank: usize,
    /// The high `bits` bits of the answer's key.
    prefix: u64,
    bits: u32,
    /// Gather the values that share `prefix` in the next pass.
    gather: bool,
    found: Option<f64>,
}

impl Target {
    fn matches(&self, k: u64) -> bool {
        self.bits == 0 || k >> (64 - self.bits) == self.prefix
    }

    /// Picks the bucket of the histogram of the next 16 bits that holds the rank.
    fn narrow(&mut self, hist: &[u32]) {
        let mut seen = 0usize;
        for (b, &c) in hist.iter().enumerate() {
            if seen + c as usize > self.rank {
                self.rank -= seen;
                self.prefix = (self.prefix << 16) | b as u64;
                self.bits += 16;
                self.gather = c <= GATHER;
                if self.bits == 64 {
                    self.found = Some(unkey(self.prefix));
                }
                return;
            }
            seen += c as usize;
        }
    }
}

/// The values of ranks `ranks` (each < the count of values `each` yields), given the
/// histogram of their top 16 bits.
fn select(each: Each<'_>, ranks: [usize; 2], top: &[u32]) -> [f64; 2] {
    let mut t = ranks.map(|rank| {
        let mut t = Target {
            rank,
            prefix: 0,
            bits: 0,
            gather: false,
            found: None,
        };
        t.narrow(top);
        t
    });
    while t.iter().any(|t| t.found.is_none()) {
        if t.iter().any(|t| t.gather && t.found.is_none()) {
            gather_pass(each, &mut t);
        } else {
            histogram_pass(each, &mut t);
        }
    }
    t.map(|t| t.found.unwrap_or(f64::NAN))
}

/// One pass: a histogram of the next 16 bits of the values under each open target.
fn histogram_pass(each: Each<'_>, t: &mut [Target; 2]) {
    let same = t[0].prefix == t[1].prefix && t[0].bits == t[1].bits;
    let open = t.map(|t| t.found.is_none());
    let mut hist = [
        vec![0u32; 1 << 16],
        vec![0u32; if same { 0 } else { 1 << 16 }],
    ];
    let shift = t.map(|t| 48 - t.bits.min(48));
    each(&mut |_, y| {
        let k = key(y);
        for s in 0..2 {
            if open[s] && t[s].matches(k) {
                let h = if same { 0 } else { s };
                if let Some(c) = hist[h].get_mut((k >> shift[s]) as usize & 0xffff) {
                    *c += 1;
                }
                if same {
                    break;
                }
            }
        }
    });
    for s in 0..2 {
        if open[s] {
            let h = if same { 0 } else { s };
            t[s].narrow(&hist[h]);
        }
    }
}

/// One pass: gathers the few values under each gathering target and selects its rank.
fn gather_pass(each: Each<'_>, t: &mut [Target; 2]) {
    let on = t.map(|t| t.gather && t.found.is_none());
    let mut got: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    each(&mut |_, y| {
        let k = key(y);
        for s in 0..2 {
            if on[s] && t[s].matches(k) {
                got[s].push(y);
            }
        }
    });
    for s in 0..2 {
        if on[s] {
            let v = &mut got[s];
            let r = t[s].rank.min(v.len().saturating_sub(1));
            t[s].found = Some(if v.is_empty() {
                f64::NAN
            } else {
                *v.select_nth_unstable_by(r, f64::total_cmp).1
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::series_math::XAxis;
    use crate::ingest::Series;
    use crate::testutil::Rng;
    use crate::workspace::SeriesPoints;

    #[test]
    fn keys_keep_the_order_of_floats() {
        let v = [
            f64::NEG_INFINITY,
            -1e300,
            -2.5,
            -0.0,
            0.0,
            1e-310,
            3.0,
            f64::INFINITY,
        ];
        for w in v.windows(2) {
            assert!(key(w[0]) < key(w[1]), "{w:?}");
        }
        for x in v {
            assert_eq!(unkey(key(x)).to_bits(), x.to_bits());
        }
    }

    /// The same figures read the slow way: every in-view value sorted.
    fn naive(lines: &[(Vec<f64>, Vec<f64>)], x0: f64, x1: f64, q: (f64, f64)) -> Robust {
        let mut all = Vec::new();
        for (x, y) in lines {
            for (a, b) in x.iter().zip(y) {
                if *a >= x0 && *a <= x1 && !b.is_nan() {
                    all.push(*b);
                }
            }
        }
        all.sort_by(f64::total_cmp);
        let last = all.len() - 1;
        let p_lo = all[(q.0 * last as f64).floor() as usize];
        let p_hi = all[(q.1 * last as f64).ceil() as usize];
        let (lo, hi) = padded(p_lo, p_hi);
        let count = |f: &dyn Fn(f64) -> bool| -> Vec<usize> {
            lines
                .iter()
                .map(|(x, y)| {
                    x.iter()
                        .zip(y)
                        .filter(|(a, b)| **a >= x0 && **a <= x1 && f(**b))
                        .count()
                })
                .collect()
        };
        Robust {
            p_lo,
            p_hi,
            lo,
            hi,
            above: count(&|b| b > hi),
            below: count(&|b| b < lo),
            in_view: all.len(),
        }
    }

    #[test]
    fn matches_sorting_every_value_in_view() {
        let mut rng = Rng(0x51f1_5e1d_2b3c_4d5e);
        for round in 0..300 {
            let lines: Vec<(Vec<f64>, Vec<f64>)> = (0..1 + rng.below(5))
                .map(|_| {
                    let n = 1 + rng.below(if round % 100 == 0 { 200_000 } else { 300 });
                    let x: Vec<f64> = (0..n).map(|i| i as f64).collect();
                    let y = (0..n)
                        .map(|_| match rng.below(20) {
                            0 => rng.unit() * 1e6 - 5e5,
                            1 => f64::NAN,
                            2 => 2.0,
                            _ => 2.0 + rng.unit() * 1e-3,
                        })
                        .collect();
                    (x, y)
                })
                .collect();
            let x0 = rng.below(50) as f64;
            let x1 = x0 + rng.below(400_000) as f64;
            let q = (
                rng.below(10) as f64 / 100.0,
                0.9 + rng.below(11) as f64 / 100.0,
            );
            let views: Vec<(&[f64], &[f64])> =
                lines.iter().map(|(x, y)| (&x[..], &y[..])).collect();
            let got = robust_range(&views, (x0, x1), q);
            let any = lines.iter().any(|(x, y)| {
                x.iter()
                    .zip(y)
                    .any(|(a, b)| *a >= x0 && *a <= x1 && !b.is_nan())
            });
            if !any {
                assert_eq!(got, None);
                continue;
            }
            assert_eq!(got, Some(naive(&lines, x0, x1, q)), "round {round}");
        }
    }

    #[test]
    fn a_spike_is_counted_on_the_edge_not_fitted() {
        let mut s = Series::new("loss");
        for i in 0..1000 {
            s.push(
                i,
                f64::NAN,
                if i == 500 {
                    1e9
                } else {
                    2.0 + (i % 10) as f64 * 0.01
                },
            );
        }
        let r = robust_range(
            &[SeriesPoints::new(&s, XAxis::Step)],
            (0.0, 999.0),
            (0.01, 0.99),
        );
        let r = r.unwrap_or_else(|| panic!("points in view"));
        assert_eq!((r.p_lo, r.p_hi), (2.0, 2.0 + 9.0 * 0.01));
        assert_eq!(r.above, vec![1]);
        assert_eq!(r.below, vec![0]);
        assert_eq!(r.in_view, 1000);
    }
}
