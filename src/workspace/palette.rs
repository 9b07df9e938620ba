//! Colour keys of the workspace: each run its own palette colour, or a colour from the value
//! of a field (numbers on a sequential scale, text as categories), with the legend of the
//! buckets.
//!
//! Pure: colours are indexes of [`crate::chart::draw::rgb`].

use crate::chart::draw::{MUTED, PALETTE, SEQUENTIAL};
use crate::query::FieldValue;

/// One entry of the colour legend.
#[derive(Debug, Clone, PartialEq)]
pub struct Bucket {
    /// What the colour means (`2e-5 – 4e-5`, `success`, `no value`).
    pub label: String,
    /// Colour index.
    pub color: usize,
    /// Runs in it.
    pub count: usize,
}

/// The colour of every run and the legend of what they mean.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ColorKey {
    /// Colour index per run, in workspace order.
    pub colors: Vec<usize>,
    /// The legend; empty when colouring by run (the run legend says it).
    pub buckets: Vec<Bucket>,
}

/// How many steps the legend of a number field shows.
const STEPS: usize = 5;

/// The colour key of `values` (each run's value of the field; `None` with no field chosen
/// colours by run).
pub fn color_key(field: Option<&str>, values: &[Option<FieldValue>]) -> ColorKey {
    if field.is_none() {
        return ColorKey {
            colors: (0..values.len()).collect(),
            buckets: Vec::new(),
        };
    }
    let numbers: Vec<f64> = values.iter().flatten().filter_map(|v| v.as_f64()).collect();
    let all_numbers = values.iter().flatten().all(|v| v.as_f64().is_some());
    let missing = values.iter().filter(|v| v.is_none()).count();
    let mut key = if !numbers.is_empty() && all_numbers {
        sequential(values, &numbers)
    } else {
        categories(values)
    };
    if missing > 0 {
        key.buckets.push(Bucket {
            label: "no value".into(),
            color: MUTED,
            count: missing,
        });
    }
    key
}

fn sequential(values: &[Option<FieldValue>], numbers: &[f64]) -> ColorKey {
    let lo = numbers.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = numbers.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let step_of = |v: f64| -> usize {
        if hi > lo {
            (((v - lo) / (hi - lo)) * 255.0).round().clamp(0.0, 255.0) as usize
        } else {
            128
        }
    };
    let colors = values
        .iter()
        .map(|v| match v.as_ref().and_then(FieldValue::as_f64) {
            Some(n) => SEQUENTIAL + step_of(n),
            None => MUTED,
        })
        .collect();
    let buckets = if hi > lo {
        (0..STEPS)
            .map(|k| {
                let a = lo + (hi - lo) * k as f64 / STEPS as f64;
                let b = lo + (hi - lo) * (k + 1) as f64 / STEPS as f64;
                let count = numbers
                    .iter()
                    .filter(|&&v| {
                        let at = (((v - lo) / (hi - lo)) * STEPS as f64).floor() as usize;
                        at.min(STEPS - 1) == k
                    })
                    .count();
                Bucket {
                    label: format!("{} – {}", short(a), short(b)),
                    color: SEQUENTIAL + step_of((a + b) / 2.0),
                    count,
                }
            })
            .collect()
    } else {
        vec![Bucket {
            label: short(lo),
            color: SEQUENTIAL + 128,
            count: numbers.len(),
        }]
    };
    ColorKey { colors, buckets }
}

fn categories(values: &[Option<FieldValue>]) -> ColorKey {
    let mut cats: Vec<(String, usize)> = Vec::new();
    let colors = values
        .iter()
        .map(|v| {
            let Some(text) = v.as_ref().map(FieldValue::display) else {
                return MUTED;
            };
            let at = match cats.iter().position(|(c, _)| *c == text) {
                Some(i) => i,
                None => {
                    cats.push((text, 0));
                    cats.len() - 1
                }
            };
            if let Some(c) = cats.get_mut(at) {
                c.1 += 1;
            }
            at % PALETTE.len()
        })
        .collect();
    let buckets = cats
        .into_iter()
        .enumerate()
        .map(|(i, (label, count))| Bucket {
            label,
            color: i % PALETTE.len(),
            count,
        })
        .collect();
    ColorKey { colors, buckets }
}

/// A bucket edge, short (`2e-5`, `0.35`, `1200`).
fn short(v: f64) -> String {
    let a = v.abs();
    if a != 0.0 && !(1e-3..1e6).contains(&a) {
        format!("{v:.2e}")
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_run_each_run_its_own_colour() {
        let k = color_key(None, &[None, None, None]);
        assert_eq!(k.colors, [0, 1, 2]);
        assert!(k.buckets.is_empty());
    }

    #[test]
    fn numbers_on_a_scale_text_as_categories_missing_in_grey() {
        let n = |v: f64| Some(FieldValue::Num(v));
        let k = color_key(Some("lr"), &[n(1e-5), n(3e-5), None, n(2e-5)]);
        assert_eq!(k.colors[0], SEQUENTIAL);
        assert_eq!(k.colors[1], SEQUENTIAL + 255);
        assert_eq!(k.colors[2], MUTED);
        assert_eq!(k.buckets.len(), STEPS + 1);
        assert_eq!(k.buckets.iter().map(|b| b.count).sum::<usize>(), 4);
        let t = |s: &str| Some(FieldValue::Text(s.into()));
        let k = color_key(Some("status"), &[t("ok"), t("failed"), t("ok")]);
        assert_eq!(k.colors, [0, 1, 0]);
        assert_eq!(k.buckets[0].label, "ok");
        assert_eq!(k.buckets[0].count, 2);
    }
}
