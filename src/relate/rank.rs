//! Spearman rank correlation: the Pearson correlation of the values' ranks, ties given the
//! average of the ranks they span, over the runs holding both fields. Robust to log-shaped
//! settings (a learning rate) and to outliers, and the same under any monotone rescaling.

use super::columns::RowSet;
use crate::query::FieldTable;

/// Ranks of `v` (1-based), ties sharing the average of their ranks. `NaN`s are not expected
/// (callers pass only the values runs hold).
pub fn ranks(v: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_unstable_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut out = vec![0.0; v.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i + 1;
        while j < order.len() && v[order[j]] == v[order[i]] {
            j += 1;
        }
        // Positions i..j (0-based) share ranks i+1..=j: their mean is (i + 1 + j) / 2.
        let r = (i + 1 + j) as f64 / 2.0;
        for &k in &order[i..j] {
            out[k] = r;
        }
        i = j;
    }
    out
}

fn pearson(a: &[f64], b: &[f64]) -> Option<f64> {
    let n = a.len() as f64;
    if a.len() < 2 {
        return None;
    }
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        let (dx, dy) = (x - ma, y - mb);
        sab += dx * dy;
        saa += dx * dx;
        sbb += dy * dy;
    }
    (saa > 0.0 && sbb > 0.0).then(|| (sab / (saa * sbb).sqrt()).clamp(-1.0, 1.0))
}

/// Spearman's rho of paired values (pairs where either is not finite are left out) and the
/// number of pairs used; `None` for rho when fewer than 3 pairs remain or one side is
/// constant.
pub fn spearman(x: &[f64], y: &[f64]) -> (Option<f64>, usize) {
    let (a, b): (Vec<f64>, Vec<f64>) = x
        .iter()
        .zip(y)
        .filter(|(p, q)| p.is_finite() && q.is_finite())
        .map(|(p, q)| (*p, *q))
        .unzip();
    let n = a.len();
    if n < 3 {
        return (None, n);
    }
    (pearson(&ranks(&a), &ranks(&b)), n)
}

/// One field's rank correlation with the chosen result.
#[derive(Debug, Clone, PartialEq)]
pub struct Correlation {
    /// The field.
    pub field: String,
    /// Spearman's rho (`None`: fewer than 3 runs hold both, or one is constant over them).
    pub rho: Option<f64>,
    /// Runs holding both.
    pub n: usize,
}

/// Every numeric field's rank correlation with `target` over the set's runs, sorted by
/// |rho| (largest first; fields without a rho last, by name), the target itself left out.
pub fn correlations(
    table: &FieldTable,
    set: &RowSet,
    fields: &[String],
    target: &str,
) -> Vec<Correlation> {
    let Some(tid) = table.id(target) else {
        return Vec::new();
    };
    let y = set.numbers(table, tid);
    let mut out: Vec<Correlation> = fields
        .iter()
        .filter(|f| f.as_str() != target)
        .filter_map(|f| {
            let x = set.numbers(table, table.id(f)?);
            let (rho, n) = spearman(&x, &y);
            Some(Correlation {
                field: f.clone(),
                rho,
                n,
            })
        })
        .collect();
    out.sort_by(|a, b| match (a.rho, b.rho) {
        (Some(p), Some(q)) => q
            .abs()
            .total_cmp(&p.abs())
            .then_with(|| a.field.cmp(&b.field)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.field.cmp(&b.field),
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{FieldValue, Fields};

    /// Spearman by the textbook: rank by counting (average for ties), then Pearson's formula.
    fn naive(x: &[f64], y: &[f64]) -> f64 {
        let rank = |v: &[f64]| -> Vec<f64> {
            v.iter()
                .map(|&a| {
                    let less = v.iter().filter(|&&b| b < a).count() as f64;
                    let same = v.iter().filter(|&&b| b == a).count() as f64;
                    less + (same + 1.0) / 2.0
                })
                .collect()
        };
        let (rx, ry) = (rank(x), rank(y));
        let n = x.len() as f64;
        let mx = rx.iter().sum::<f64>() / n;
        let my = ry.iter().sum::<f64>() / n;
        let cov: f64 = rx.iter().zip(&ry).map(|(a, b)| (a - mx) * (b - my)).sum();
        let vx: f64 = rx.iter().map(|a| (a - mx).powi(2)).sum();
        let vy: f64 = ry.iter().map(|b| (b - my).powi(2)).sum();
        cov / (vx * vy).sqrt()
    }

    use crate::testutil::Rng;

    #[test]
    fn rho_agrees_with_the_textbook_on_seeded_random_data_with_ties() {
        for seed in 1..=200u64 {
            let mut g = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
            let n = 3 + (g.unit() * 60.0) as usize;
            // Few distinct values on x: many ties; y mixes a trend with noise.
            let x: Vec<f64> = (0..n).map(|_| (g.unit() * 6.0).floor()).collect();
            let y: Vec<f64> = x.iter().map(|a| a * (g.unit() - 0.3) + g.unit()).collect();
            let (rho, m) = spearman(&x, &y);
            assert_eq!(m, n);
            let want = naive(&x, &y);
            match rho {
                Some(r) => assert!((r - want).abs() < 1e-12, "seed {seed}: {r} vs {want}"),
                None => assert!(want.is_nan(), "seed {seed}: none vs {want}"),
            }
        }
    }

    #[test]
    fn ties_share_the_average_rank_and_monotone_maps_keep_rho() {
        assert_eq!(ranks(&[10.0, 20.0, 10.0, 30.0]), vec![1.5, 3.0, 1.5, 4.0]);
        assert_eq!(ranks(&[5.0, 5.0, 5.0]), vec![2.0, 2.0, 2.0]);
        let x = [1e-5, 2e-5, 3e-5, 5e-5];
        let y = [1.9, 1.7, 1.6, 1.2];
        assert_eq!(spearman(&x, &y).0, Some(-1.0));
        let logx: Vec<f64> = x.iter().map(|v: &f64| v.ln()).collect();
        assert_eq!(spearman(&logx, &y).0, Some(-1.0));
        assert_eq!(spearman(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]), (None, 3));
        assert_eq!(
            spearman(&[1.0, f64::NAN, 3.0, 4.0], &[1.0, 2.0, 3.0, f64::NAN]),
            (None, 2)
        );
    }

    #[test]
    fn every_field_against_the_target_sorted_by_strength() {
        let mut t = FieldTable::new();
        for i in 0..10 {
            let mut f = Fields::new();
            let x = i as f64;
            f.insert("loss".into(), FieldValue::Num(10.0 - x));
            f.insert("lr".into(), FieldValue::Num(x));
            f.insert("noise".into(), FieldValue::Num(((i * 7) % 10) as f64));
            if i < 2 {
                f.insert("rare".into(), FieldValue::Num(x));
            }
            t.push(&f);
        }
        let set = RowSet::new((0..10).collect(), t.len());
        let fields = crate::relate::columns::numeric_fields(&t, &set);
        let c = correlations(&t, &set, &fields, "loss");
        let names: Vec<&str> = c.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(names, vec!["lr", "noise", "rare"]);
        assert_eq!(c[0].rho, Some(-1.0));
        assert_eq!(c[0].n, 10);
        assert_eq!(c[2].rho, None);
        assert_eq!(c[2].n, 2);
    }
}
