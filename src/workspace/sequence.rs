//! "Both in sequence": a run's CPT curve followed by its SFT curve on one x axis. The SFT
//! part's x is offset by the CPT part's last x (steps by CPT's last step, tokens by CPT's
//! last tokens, relative time by CPT's last relative time; wall time needs no offset).
//!
//! [`Sequence`] is a view: it implements [`Points`] over the two series in place, no point
//! copied (grouping, the robust range, the range table and hover read it directly).
//! Drawing goes through [`crate::chart::draw`], which reads a [`Series`]: for that,
//! [`Sequence::to_series`] builds one combined series, a copy that costs what the two
//! parts cost (about 16 bytes a point), once per choice of axis, not per frame.

use super::{timeline, Points};
use crate::chart::series_math::XAxis;
use crate::ingest::Series;

/// One stage's curve in a sequence, shifted right by `offset`.
#[derive(Clone, Copy)]
pub struct Part<'a> {
    /// The stage's points.
    pub series: &'a Series,
    /// Its own axis (tokens per step differ between stages).
    pub axis: XAxis,
    /// Added to every x of this part.
    pub offset: f64,
}

/// Where the SFT part of a sequence sits in its drawable copy ([`Sequence::to_series`]):
/// what places an SFT event (a checkpoint, a warning naming an SFT step) on the sequenced
/// x axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shift {
    /// The index of the SFT part's first point in the copy.
    pub start: usize,
    /// Added to an SFT step to give the copy's step (the CPT part's last step; 0 alone).
    pub steps: i64,
    /// The SFT part's own axis (its tokens per step on tokens seen).
    pub axis: XAxis,
    /// Added to the SFT part's x on its own axis.
    pub offset: f64,
}

impl Shift {
    /// The x of SFT step `step` on the sequenced tokens axis (the copy read with
    /// `Tokens(1)`): its tokens seen on its own axis plus the offset.
    pub fn tokens_x(&self, step: i64) -> f64 {
        step as f64 * self.per_step() + self.offset
    }

    /// The SFT step of a point of the copy whose step is `copy_step`: on the sequenced
    /// tokens axis (`tokens`) the inverse of [`Shift::tokens_x`] (steps counted as they
    /// are when tokens per step is not above 0), else `copy_step` less the CPT part's last
    /// step.
    pub fn sft_step(&self, copy_step: i64, tokens: bool) -> i64 {
        if !tokens {
            return copy_step - self.steps;
        }
        let per = Some(self.per_step()).filter(|k| *k > 0.0).unwrap_or(1.0);
        ((copy_step as f64 - self.offset) / per).round() as i64
    }

    /// Tokens per SFT step on its own axis (1 when it is not tokens seen).
    fn per_step(&self) -> f64 {
        match self.axis {
            XAxis::Tokens(k) => k,
            _ => 1.0,
        }
    }
}

/// Stages one after another on one x axis.
#[derive(Clone)]
pub struct Sequence<'a> {
    /// The parts in order (CPT then SFT); each point's index runs on across them.
    pub parts: Vec<Part<'a>>,
}

/// The last x of `s` on `axis` along its timeline (the largest), if any point has one.
fn last_x(s: &Series, axis: XAxis) -> Option<f64> {
    let p = super::SeriesPoints::new(s, axis);
    let (lo, hi) = timeline(&p).last().copied()?;
    (lo..hi).rev().map(|i| p.x(i)).find(|x| x.is_finite())
}

/// CPT followed by SFT, each on its own axis (`XAxis::Tokens` with the stage's own tokens
/// per step). Either may be missing: the other then stands alone, unshifted.
pub fn sequence<'a>(
    cpt: Option<(&'a Series, XAxis)>,
    sft: Option<(&'a Series, XAxis)>,
) -> Sequence<'a> {
    let mut parts = Vec::new();
    let mut offset = 0.0;
    if let Some((series, axis)) = cpt {
        parts.push(Part {
            series,
            axis,
            offset: 0.0,
        });
        if axis != XAxis::Wall {
            offset = last_x(series, axis).unwrap_or(0.0);
        }
    }
    if let Some((series, axis)) = sft {
        parts.push(Part {
            series,
            axis,
            offset,
        });
    }
    Sequence { parts }
}

impl Sequence<'_> {
    /// Where the SFT part (the second, or the only one when `sft_only`) sits in
    /// [`Sequence::to_series`]'s copy; `None` without one.
    pub fn sft_shift(&self, sft_only: bool) -> Option<Shift> {
        let (start, steps, part) = match (self.parts.as_slice(), sft_only) {
            ([cpt, sft], _) => (
                cpt.series.len(),
                last_x(cpt.series, XAxis::Step).unwrap_or(0.0) as i64,
                sft,
            ),
            ([sft], true) => (0, 0, sft),
            _ => return None,
        };
        Some(Shift {
            start,
            steps,
            axis: part.axis,
            offset: part.offset,
        })
    }

    /// The part holding point `i`, and `i` within it.
    fn locate(&self, mut i: usize) -> Option<(&Part<'_>, usize)> {
        for p in &self.parts {
            if i < p.series.len() {
                return Some((p, i));
            }
            i -= p.series.len();
        }
        None
    }

    /// Where each part starts in the sequence's indexes.
    fn starts(&self) -> impl Iterator<Item = (usize, &Part<'_>)> + '_ {
        self.parts.iter().scan(0, |start, p| {
            let s = *start;
            *start += p.series.len();
            Some((s, p))
        })
    }

    /// The sequence as one series (a copy; see the module doc) and the axis that reads it
    /// as this view does: steps for the step axis, whole tokens (rounded) as steps read
    /// with `Tokens(1)`, and for the time axes the steps offset and the SFT wall times
    /// moved to start where CPT ends on the relative axis.
    pub fn to_series(&self, tag: &str, axis: XAxis) -> (Series, XAxis) {
        let mut out = Series::new(tag);
        let mut wall_shift = 0.0;
        let mut step_offset = 0;
        for (k, part) in self.parts.iter().enumerate() {
            let s = part.series;
            if k > 0 && axis == XAxis::Relative {
                let first = (0..s.len()).find_map(|i| s.wall(i));
                let prev_end = self.parts.get(k - 1).and_then(|p| last_wall(p.series));
                if let (Some(f), Some(e)) = (first, prev_end) {
                    wall_shift = e - f;
                }
            }
            out.extend_points((0..s.len()).map(|i| {
                let step = match axis {
                    XAxis::Tokens(_) => (part.axis.x(s, i) + part.offset).round() as i64,
                    _ => s.step(i) + step_offset,
                };
                let wall = s.wall(i).map_or(f64::NAN, |w| w + wall_shift);
                (step, wall, s.value(i))
            }));
            step_offset += last_x(s, XAxis::Step).unwrap_or(0.0) as i64;
        }
        out.shrink();
        let axis = match axis {
            XAxis::Tokens(_) => XAxis::Tokens(1.0),
            a => a,
        };
        (out, axis)
    }
}

/// The wall time of the last point of `s` that has one.
fn last_wall(s: &Series) -> Option<f64> {
    (0..s.len()).rev().find_map(|i| s.wall(i))
}

impl Points for Sequence<'_> {
    fn len(&self) -> usize {
        self.parts.iter().map(|p| p.series.len()).sum()
    }
    fn x(&self, i: usize) -> f64 {
        self.locate(i)
            .map_or(f64::NAN, |(p, i)| p.axis.x(p.series, i) + p.offset)
    }
    fn y(&self, i: usize) -> f64 {
        self.locate(i).map_or(f64::NAN, |(p, i)| p.series.value(i))
    }
    fn segments(&self) -> Vec<(usize, usize)> {
        self.starts()
            .flat_map(|(start, p)| {
                crate::chart::series_math::monotonic_runs(p.series)
                    .into_iter()
                    .map(move |(a, b)| (start + a, start + b))
            })
            .collect()
    }
    fn each_y(&self, lo: usize, hi: usize, f: &mut dyn FnMut(usize, f64)) {
        for (start, p) in self.starts() {
            let end = start + p.series.len();
            if hi > start && lo < end {
                let (a, b) = (lo.max(start) - start, hi.min(end) - start);
                p.series.each_value(a, b, &mut |i, y| f(start + i, y));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::SeriesPoints;

    fn stage(steps: &[i64], wall0: f64) -> Series {
        let mut s = Series::new("lm loss");
        for (k, &st) in steps.iter().enumerate() {
            s.push(st, wall0 + 10.0 * k as f64, st as f64 * 0.5);
        }
        s
    }

    #[test]
    fn sft_follows_cpt_on_every_axis() {
        let cpt = stage(&[1, 2, 3, 4], 1000.0);
        let sft = stage(&[1, 2, 3], 5000.0);
        for (ac, asft) in [
            (XAxis::Step, XAxis::Step),
            (XAxis::Tokens(100.0), XAxis::Tokens(40.0)),
            (XAxis::Relative, XAxis::Relative),
            (XAxis::Wall, XAxis::Wall),
        ] {
            let seq = sequence(Some((&cpt, ac)), Some((&sft, asft)));
            assert_eq!(seq.len(), 7);
            let cpt_xs: Vec<f64> = (0..4).map(|i| ac.x(&cpt, i)).collect();
            let shift = if ac == XAxis::Wall { 0.0 } else { cpt_xs[3] };
            let want: Vec<f64> = cpt_xs
                .iter()
                .copied()
                .chain((0..3).map(|i| asft.x(&sft, i) + shift))
                .collect();
            let got: Vec<f64> = (0..7).map(|i| seq.x(i)).collect();
            assert_eq!(got, want, "{ac:?}");
            let ys: Vec<f64> = (0..7).map(|i| seq.y(i)).collect();
            let mut each = Vec::new();
            seq.each_y(2, 6, &mut |i, y| each.push((i, y)));
            assert_eq!(each, (2..6).map(|i| (i, ys[i])).collect::<Vec<_>>());
            // The drawable copy reads the same x and y.
            let (copy, axis) = seq.to_series("both", ac);
            let cx: Vec<f64> = (0..7).map(|i| axis.x(&copy, i)).collect();
            assert_eq!(cx, want, "copy on {ac:?}");
            assert_eq!(copy.values().collect::<Vec<_>>(), ys);
        }
    }

    #[test]
    fn a_lone_stage_is_unshifted() {
        let sft = stage(&[5, 6], 0.0);
        let seq = sequence(None, Some((&sft, XAxis::Step)));
        let p = SeriesPoints::new(&sft, XAxis::Step);
        assert_eq!((seq.x(0), seq.x(1)), (p.x(0), p.x(1)));
        assert_eq!(seq.segments(), vec![(0, 2)]);
    }
}
