//! Parallel coordinates: one vertical axis per chosen field (each linear or log, and
//! flipped or not), one line per run holding a number in every axis' field, and brushes
//! (a value range on an axis) that a run passes when it lies inside every one of them. The
//! same brushes narrow the runs table ([`brush_keep`]).

use super::columns::RowSet;
use super::raster::{Density, Raster};
use super::scale::Scale;
use crate::query::{Cell, FieldTable};
use crate::share::route::{Brush, RelateQuery};

/// One axis laid out.
#[derive(Debug, Clone, PartialEq)]
pub struct AxisGeom {
    /// Its field.
    pub field: String,
    /// Its x pixel.
    pub x: f64,
    /// Values to y pixels (flipped when the axis is).
    pub scale: Scale,
    /// Runs left out because the log axis has no place for their value (<= 0).
    pub skipped: usize,
}

/// The axes and the lines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParallelGeom {
    /// The axes, left to right.
    pub axes: Vec<AxisGeom>,
    /// Each line's table row.
    pub rows: Vec<usize>,
    /// Line `i`'s value on axis `k` at `i * axes.len() + k`.
    pub values: Vec<f64>,
    /// Runs of the set lacking a number in some axis' field.
    pub lacking: usize,
}

/// Margins of the parallel plot: room for titles above and labels beside each axis.
pub const MARGIN: (f64, f64, f64, f64) = (70.0, 70.0, 40.0, 26.0);

impl ParallelGeom {
    /// Lays out the query's axes over the set's runs in a `w` x `h` canvas.
    pub fn new(table: &FieldTable, set: &RowSet, q: &RelateQuery, w: f64, h: f64) -> ParallelGeom {
        let (left, right, top, bottom) = MARGIN;
        let k = q.axes.len();
        let cols: Vec<Vec<f64>> = q
            .axes
            .iter()
            .map(|f| {
                table
                    .id(f)
                    .map_or_else(|| vec![f64::NAN; set.len()], |id| set.numbers(table, id))
            })
            .collect();
        let logs: Vec<bool> = q.axes.iter().map(|f| q.axis_log.contains(f)).collect();
        let mut g = ParallelGeom::default();
        let mut skipped = vec![0usize; k];
        for (i, &row) in set.rows.iter().enumerate() {
            let vals: Vec<f64> = cols
                .iter()
                .map(|c| c.get(i).copied().unwrap_or(f64::NAN))
                .collect();
            if vals.iter().any(|v| !v.is_finite()) {
                g.lacking += 1;
                continue;
            }
            let bad: Vec<usize> = (0..k)
                .filter(|&a| {
                    logs.get(a).copied().unwrap_or(false) && vals.get(a).is_some_and(|v| *v <= 0.0)
                })
                .collect();
            if !bad.is_empty() {
                for a in bad {
                    if let Some(s) = skipped.get_mut(a) {
                        *s += 1;
                    }
                }
                continue;
            }
            g.rows.push(row);
            g.values.extend(vals);
        }
        let span = (w - left - right).max(1.0);
        for (a, f) in q.axes.iter().enumerate() {
            let x = if k <= 1 {
                left + span / 2.0
            } else {
                left + span * a as f64 / (k - 1) as f64
            };
            let vals = g.values.iter().skip(a).step_by(k.max(1)).copied();
            let mut scale =
                Scale::fit(vals, logs.get(a).copied().unwrap_or(false), h - bottom, top);
            if q.axis_flip.contains(f) {
                scale = scale.flipped();
            }
            g.axes.push(AxisGeom {
                field: f.clone(),
                x,
                scale,
                skipped: skipped.get(a).copied().unwrap_or(0),
            });
        }
        g
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there is no line.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Line `i`'s value on axis `a`.
    pub fn value(&self, i: usize, a: usize) -> Option<f64> {
        self.values.get(i * self.axes.len() + a).copied()
    }

    /// Whether line `i` lies inside every brush on one of these axes.
    pub fn passes(&self, i: usize, brushes: &[Brush]) -> bool {
        brushes.iter().all(
            |b| match self.axes.iter().position(|a| a.field == b.field) {
                Some(a) => self.value(i, a).is_some_and(|v| b.holds(v)),
                None => true,
            },
        )
    }

    /// Draws the lines into `r` (pixels scaled by `dpr`): lines outside the brushes faint in
    /// `dim`, those inside in `lit`, on top.
    pub fn draw(&self, r: &mut Raster, dpr: f32, brushes: &[Brush], lit: [u8; 3], dim: [u8; 3]) {
        let pass: Vec<bool> = (0..self.len()).map(|i| self.passes(i, brushes)).collect();
        let lit_n = pass.iter().filter(|p| **p).count().max(1) as f32;
        let dim_n = (pass.len() as f32 - lit_n).max(1.0);
        // Fainter as lines multiply, so a dense bundle still shows where most runs go.
        let alpha = |n: f32| (6.0 / n.sqrt()).clamp(0.04, 0.7);
        for on in [false, true] {
            let mut d = Density::new(r.w, r.h);
            for i in (0..self.len()).filter(|&i| pass.get(i).copied() == Some(on)) {
                let pts: Vec<(f32, f32)> = self
                    .axes
                    .iter()
                    .enumerate()
                    .filter_map(|(a, ax)| {
                        Some((
                            ax.x as f32 * dpr,
                            ax.scale.px(self.value(i, a)?)? as f32 * dpr,
                        ))
                    })
                    .collect();
                let c = if on { lit } else { dim };
                for w in pts.windows(2) {
                    if let [p, q] = w {
                        d.line(p.0, p.1, q.0, q.1, c);
                    }
                }
            }
            let a = if on { alpha(lit_n) } else { alpha(dim_n) * 0.6 };
            d.over(r, a);
        }
    }
}

/// What an axis' buttons and keys do.
#[derive(Clone, Copy, PartialEq)]
pub enum AxisEdit {
    /// Toggle its log scale.
    Log,
    /// Toggle its flip.
    Flip,
    /// Remove it (and its brush).
    Remove,
    /// Set its brush (the brush given), or clear it.
    Brush,
}

fn toggle(list: &mut Vec<String>, f: &str) {
    match list.iter().position(|x| x == f) {
        Some(i) => {
            list.remove(i);
        }
        None => list.push(f.to_string()),
    }
}

/// The settings after an edit of axis `field` (`brush`: the new brush for [`AxisEdit::Brush`]).
pub fn edited(rel: &RelateQuery, field: &str, edit: AxisEdit, brush: Option<Brush>) -> RelateQuery {
    let mut r = rel.clone();
    match edit {
        AxisEdit::Log => toggle(&mut r.axis_log, field),
        AxisEdit::Flip => toggle(&mut r.axis_flip, field),
        AxisEdit::Remove => {
            r.axes.retain(|a| a != field);
            r.axis_log.retain(|a| a != field);
            r.axis_flip.retain(|a| a != field);
            r.brushes.retain(|b| b.field != field);
        }
        AxisEdit::Brush => {
            r.brushes.retain(|b| b.field != field);
            r.brushes.extend(brush);
        }
    }
    r
}

/// Which table rows pass every brush (a run lacking a brushed field fails it); `None` when
/// there is no brush.
pub fn brush_keep(table: &FieldTable, brushes: &[Brush]) -> Option<Vec<bool>> {
    if brushes.is_empty() {
        return None;
    }
    let mut hits = vec![0u32; table.len()];
    for b in brushes {
        let Some(id) = table.id(&b.field) else {
            return Some(vec![false; table.len()]);
        };
        let col = table.column(id);
        for (&r, &c) in col.rows.iter().zip(&col.cells) {
            if let (Cell::Num(v), Some(h)) = (c, hits.get_mut(r as usize)) {
                if b.holds(v) {
                    *h += 1;
                }
            }
        }
    }
    let need = brushes.len() as u32;
    Some(hits.into_iter().map(|h| h == need).collect())
}

/// The rows of `rows` that `keep` (indexed by table row) marks, in order; all of them when
/// there is no `keep`.
pub fn keep_rows(rows: &[usize], keep: Option<&[bool]>) -> Vec<usize> {
    match keep {
        Some(k) => rows
            .iter()
            .copied()
            .filter(|&r| k.get(r).copied().unwrap_or(false))
            .collect(),
        None => rows.to_vec(),
    }
}

/// `v` to 3 significant digits, rounded down (`up` false) or up: a brush's ends read
/// short in the link and hold every value the drag covered.
pub fn round_out(v: f64, up: bool) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let step = 10f64.powi(v.abs().log10().floor() as i32 - 2);
    let k = v / step;
    // A value a hair off a round one (float noise of the pixel round trip) stays on it.
    let near = k.round();
    let k = if (k - near).abs() < 1e-6 {
        near
    } else if up {
        k.ceil()
    } else {
        k.floor()
    };
    format!("{:.2e}", k * step).parse().unwrap_or(v)
}

/// The brush a drag from pixel `y0` to `y1` on an axis makes, its ends rounded outwards to
/// 3 significant digits (`None` for a drag under 3 pixels: a click clears instead).
pub fn brush_from_drag(axis: &AxisGeom, y0: f64, y1: f64) -> Option<Brush> {
    if (y1 - y0).abs() < 3.0 {
        return None;
    }
    let (a, b) = (axis.scale.value(y0), axis.scale.value(y1));
    let (lo, hi) = (round_out(a.min(b), false), round_out(a.max(b), true));
    (lo.is_finite() && hi.is_finite()).then(|| Brush {
        field: axis.field.clone(),
        lo,
        hi,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{FieldValue, Fields};

    fn table() -> FieldTable {
        let mut t = FieldTable::new();
        for i in 0..20 {
            let mut f = Fields::new();
            f.insert("lr".into(), FieldValue::Num(1e-5 * (1 + i % 5) as f64));
            f.insert("loss".into(), FieldValue::Num(2.0 - i as f64 * 0.05));
            if i % 4 != 0 {
                f.insert("mmlu".into(), FieldValue::Num(i as f64 / 20.0));
            }
            t.push(&f);
        }
        t
    }

    fn q(axes: &[&str]) -> RelateQuery {
        RelateQuery {
            axes: axes.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn lines_for_runs_with_every_axis_and_brushes_keep_runs_inside_all() {
        let t = table();
        let set = RowSet::new((0..20).collect(), t.len());
        let g = ParallelGeom::new(&t, &set, &q(&["lr", "loss", "mmlu"]), 600.0, 300.0);
        assert_eq!(g.len(), 15);
        assert_eq!(g.lacking, 5);
        let brushes = vec![
            Brush {
                field: "lr".into(),
                lo: 2e-5,
                hi: 3e-5,
            },
            Brush {
                field: "loss".into(),
                lo: 1.0,
                hi: 1.6,
            },
        ];
        let keep = brush_keep(&t, &brushes).unwrap();
        let want: Vec<bool> = (0..20)
            .map(|i| {
                let (lr, loss) = (1e-5 * (1 + i % 5) as f64, 2.0 - i as f64 * 0.05);
                (2e-5..=3e-5).contains(&lr) && (1.0..=1.6).contains(&loss)
            })
            .collect();
        assert_eq!(keep, want);
        for i in 0..g.len() {
            assert_eq!(g.passes(i, &brushes), want[g.rows[i]]);
        }
        assert_eq!(brush_keep(&t, &[]), None);
        let unknown = [Brush {
            field: "nope".into(),
            lo: 0.0,
            hi: 1.0,
        }];
        assert_eq!(brush_keep(&t, &unknown), Some(vec![false; 20]));
        let mut r = Raster::new(600, 300);
        g.draw(&mut r, 1.0, &brushes, [0, 0, 255], [128, 128, 128]);
        assert!(r.data.chunks(4).any(|p| p[3] > 0));
    }

    #[test]
    fn a_drag_on_a_flipped_log_axis_brushes_the_values_under_it() {
        let t = table();
        let set = RowSet::new((0..20).collect(), t.len());
        let mut query = q(&["lr", "loss"]);
        query.axis_log = vec!["lr".into()];
        query.axis_flip = vec!["lr".into()];
        let g = ParallelGeom::new(&t, &set, &query, 600.0, 300.0);
        let ax = &g.axes[0];
        // Flipped: small values at the top.
        assert!(ax.scale.px(1e-5).unwrap() < ax.scale.px(5e-5).unwrap());
        let (y0, y1) = (ax.scale.px(1.5e-5).unwrap(), ax.scale.px(3.5e-5).unwrap());
        let b = brush_from_drag(ax, y1, y0).unwrap();
        assert_eq!((b.lo, b.hi), (1.5e-5, 3.5e-5));
        assert_eq!(round_out(0.123456, false), 0.123);
        assert_eq!(round_out(0.123456, true), 0.124);
        assert_eq!(round_out(-2.5e-7, true), -2.5e-7);
        assert_eq!(round_out(1234.5, true), 1240.0);
        let keep = brush_keep(&t, std::slice::from_ref(&b)).unwrap();
        assert_eq!(
            keep.iter().filter(|k| **k).count(),
            8,
            "lr 2e-5 and 3e-5: 4 runs each"
        );
        assert_eq!(brush_from_drag(ax, 10.0, 11.0), None);
        let q2 = edited(&query, "lr", AxisEdit::Brush, Some(b.clone()));
        assert_eq!(q2.brushes, vec![b]);
        let q3 = edited(&q2, "lr", AxisEdit::Remove, None);
        assert!(
            q3.axes == vec!["loss".to_string()] && q3.brushes.is_empty() && q3.axis_log.is_empty()
        );
        assert_eq!(
            edited(&q3, "loss", AxisEdit::Flip, None).axis_flip,
            vec!["loss".to_string()]
        );
    }
}
