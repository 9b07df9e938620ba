//! What a workspace panel draws beyond its runs' own lines, from the core's computations:
//! one line and band per group of runs ([`super::group`]), the robust y range with the count
//! of points past its edges ([`super::robust`]), and the event markers of its runs
//! ([`super::events`]); also the group rows the crosshair and the range table show.
//!
//! Pure.

use std::collections::BTreeSet;
use std::rc::Rc;

use super::events::{event_x, restart_events, Event, EventKind};
use super::group::{band, Band, BandKind, GroupKey, Stat};
use super::model::Panel;
use super::robust::robust_range;
use super::sequence::Shift;
use super::SeriesPoints;
use crate::chart::draw::{Band as DrawBand, Extras, PathLine, PALETTE};
use crate::chart::series_math::XAxis;
use crate::ingest::Series;
use crate::share::workspace::{BandChoice, GroupStat};

/// One group of a panel: its runs' line and band.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupLine {
    /// The group's key as the legend shows it (`2e-5`, `success`).
    pub label: String,
    /// Colour index.
    pub color: usize,
    /// The member runs (positions in the workspace) that have the tag and are shown.
    pub members: Vec<usize>,
    /// The line and band.
    pub band: Rc<Band>,
}

/// An event marker of a panel.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// Its x on the panel's axis.
    pub x: f64,
    /// `checkpoint`, `restart`, `warning`, `error`.
    pub kind: &'static str,
    /// The training step, as the archive names it (an SFT step in its own count).
    pub step: i64,
    /// The stage whose step it is (`cpt`, `sft`), when known.
    pub stage: Option<String>,
    /// The tooltip: each run's label of the event.
    pub label: String,
}

/// Everything a panel draws and says beyond its runs' lines.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PanelExtras {
    /// For the drawing.
    pub extras: Rc<Extras>,
    /// Lines under the panel (robust counts, interpolation).
    pub notes: Vec<String>,
    /// The groups.
    pub groups: Vec<GroupLine>,
    /// Runs drawn as part of a group (their own lines are not drawn).
    pub grouped: BTreeSet<usize>,
    /// The event markers.
    pub markers: Vec<Marker>,
}

/// How a workspace groups its runs, and what else the panels show.
pub struct PanelSettings<'a> {
    /// Each run's group key (`None`: not grouping).
    pub keys: Option<&'a [GroupKey]>,
    /// The group line.
    pub stat: GroupStat,
    /// The band.
    pub band: BandChoice,
    /// Robust y range.
    pub robust: bool,
    /// The x range in view (`None`: everything).
    pub zoom: Option<(f64, f64)>,
    /// The x axis.
    pub axis: XAxis,
    /// Hidden runs.
    pub hidden: &'a BTreeSet<usize>,
    /// Each run's events (from its archive) of the stage the panels show.
    pub events: &'a [Vec<Event>],
    /// The stage whose events are marked (`cpt`, `sft`).
    pub stage: Option<&'a str>,
    /// "CPT then SFT": the SFT stage's events are marked too, on each line's SFT part.
    pub sequenced: bool,
    /// Each run's own axis for that stage: where its events sit when the panels' axis is
    /// tokens seen on copies placed by each run's tokens per step (`Tokens(1)`).
    pub run_axes: &'a [Option<XAxis>],
}

fn stat_of(s: GroupStat) -> Stat {
    match s {
        GroupStat::Mean => Stat::Mean,
        GroupStat::Median => Stat::Median,
        GroupStat::Min => Stat::Min,
        GroupStat::Max => Stat::Max,
    }
}

/// The panel's extras.
pub fn panel_extras(panel: &Panel, s: &PanelSettings<'_>) -> PanelExtras {
    let mut out = group_extras(panel, s);
    add_robust(&mut out, panel, s);
    out
}

/// The panel's shown runs' lines, with where an SFT part starts on a joined line.
fn shown_lines<'a>(
    panel: &'a Panel,
    s: &PanelSettings<'_>,
) -> Vec<(usize, SeriesPoints<'a>, Option<Shift>)> {
    panel
        .lines
        .iter()
        .filter(|l| !s.hidden.contains(&l.run))
        .filter_map(|l| {
            let p = SeriesPoints::new(l.track.series()?, s.axis);
            Some((l.run, p, l.track.sft_shift()))
        })
        .collect()
}

/// The panel's extras but the robust y range ([`add_robust`]): what does not change with
/// the zoom (the groups' bands, the markers), so a view keeps it while the x range moves.
pub fn group_extras(panel: &Panel, s: &PanelSettings<'_>) -> PanelExtras {
    let mut out = PanelExtras::default();
    let mut extras = Extras::default();
    let lines = shown_lines(panel, s);
    let shown: Vec<(usize, SeriesPoints<'_>)> = lines.iter().map(|(r, p, _)| (*r, *p)).collect();
    if let Some(keys) = s.keys {
        let mut by_key: Vec<(GroupKey, Vec<usize>)> = Vec::new();
        for (k, (run, _)) in shown.iter().enumerate() {
            match keys.get(*run) {
                Some(GroupKey::None) | None => {}
                Some(key) => match by_key.iter_mut().find(|(g, _)| g == key) {
                    Some((_, m)) => m.push(k),
                    None => by_key.push((key.clone(), vec![k])),
                },
            }
        }
        by_key.sort_by(|a, b| a.0.cmp(&b.0));
        let kind = match s.band {
            BandChoice::Std => BandKind::Std,
            _ => BandKind::MinMax,
        };
        for (gi, (key, members)) in by_key.into_iter().enumerate() {
            let points: Vec<SeriesPoints<'_>> = members
                .iter()
                .filter_map(|&k| shown.get(k).map(|(_, p)| *p))
                .collect();
            let b = band(&points, stat_of(s.stat), kind);
            let color = gi % PALETTE.len();
            extras.paths.push(PathLine {
                points: b.x.iter().copied().zip(b.center.iter().copied()).collect(),
                color,
            });
            if s.band != BandChoice::None {
                extras.bands.push(DrawBand {
                    points: (0..b.x.len())
                        .filter_map(|i| Some((*b.x.get(i)?, *b.lo.get(i)?, *b.hi.get(i)?)))
                        .collect(),
                    color,
                });
            }
            if b.interpolated {
                out.notes.push(format!(
                    "{key}: members log different x values; values between their points are interpolated"
                ));
            }
            let runs: Vec<usize> = members
                .iter()
                .filter_map(|&k| shown.get(k).map(|(r, _)| *r))
                .collect();
            out.grouped.extend(runs.iter().copied());
            out.groups.push(GroupLine {
                label: key.to_string(),
                color,
                members: runs,
                band: Rc::new(b),
            });
        }
    }
    out.markers = markers(&lines, s);
    extras.markers = out.markers.iter().map(|m| m.x).collect();
    out.extras = Rc::new(extras);
    out
}

/// Adds to a panel's [`group_extras`] its robust y range over the x range in view, when
/// `s.robust`.
pub fn add_robust(out: &mut PanelExtras, panel: &Panel, s: &PanelSettings<'_>) {
    if !s.robust {
        return;
    }
    let points: Vec<SeriesPoints<'_>> = shown_lines(panel, s)
        .into_iter()
        .map(|(_, p, _)| p)
        .collect();
    let view = s.zoom.unwrap_or((f64::NEG_INFINITY, f64::INFINITY));
    if let Some(r) = robust_range(&points, view, (0.01, 0.99)) {
        Rc::make_mut(&mut out.extras).y_range = Some((r.lo, r.hi));
        let (above, below): (usize, usize) = (r.above.iter().sum(), r.below.iter().sum());
        out.notes.push(format!(
            "robust y: 1st–99th percentile of {} points in view; {above} above and {below} below it, drawn on the edges",
            r.in_view
        ));
    }
}

fn kind_name(k: EventKind) -> &'static str {
    match k {
        EventKind::Checkpoint => "checkpoint",
        EventKind::Restart => "restart",
        EventKind::Warning => "warning",
        EventKind::Error => "error",
    }
}

/// The markers of the shown runs' events (checkpoints and warnings of the stage shown,
/// restarts of the lines; in "CPT then SFT" the SFT stage's too, on the SFT part), one per
/// kind, stage and step (and, in a sequence, x: the SFT part starts where each run's CPT
/// ends), naming every run that has it.
fn markers(
    lines: &[(usize, SeriesPoints<'_>, Option<Shift>)],
    s: &PanelSettings<'_>,
) -> Vec<Marker> {
    let mut out: Vec<Marker> = Vec::new();
    for (run, p, shift) in lines {
        for (e, x) in line_events(*run, p.series, *shift, s) {
            let kind = kind_name(e.kind);
            let same = |m: &&mut Marker| {
                m.kind == kind
                    && m.step == e.step
                    && m.stage == e.stage
                    && (!s.sequenced || m.x == x)
            };
            match out.iter_mut().find(same) {
                Some(m) => {
                    if !m.label.contains(&e.label) {
                        m.label.push_str(&format!("\n{}", e.label));
                    }
                }
                None => out.push(Marker {
                    x,
                    kind,
                    step: e.step,
                    stage: e.stage.clone(),
                    label: e.label.clone(),
                }),
            }
        }
    }
    out.sort_by(|a, b| a.x.total_cmp(&b.x));
    out
}

/// Run `run`'s events on its line `series` with their x: its archive's events of the stage
/// shown, where its own axis puts them; in a sequence its SFT events, shifted onto the SFT
/// part; the line's restarts (a restart in the SFT part named by SFT's own steps).
fn line_events(
    run: usize,
    series: &Series,
    shift: Option<Shift>,
    s: &PanelSettings<'_>,
) -> Vec<(Event, f64)> {
    let archive = s.events.get(run).map(Vec::as_slice).unwrap_or_default();
    let own = match s.axis {
        XAxis::Tokens(1.0) => s.run_axes.get(run).copied().flatten(),
        a => Some(a),
    };
    let sft = shift.filter(|_| s.sequenced);
    let mut out = Vec::new();
    for e in archive {
        let stage = e.stage.as_deref();
        let x = if s.stage.is_none_or(|st| stage.is_none_or(|x| x == st)) {
            own.and_then(|a| event_x(e, series, a))
        } else if let (Some(sh), Some("sft")) = (sft, stage) {
            sft_x(e, sh, series, s.axis)
        } else {
            None
        };
        out.extend(x.map(|x| (e.clone(), x)));
    }
    for (e, &i) in restart_events(series, s.stage)
        .into_iter()
        .zip(&series.restarts)
    {
        let Some(x) = event_x(&e, series, s.axis) else {
            continue;
        };
        // A restart in the SFT part is named by SFT's own steps (on tokens seen, the copy's
        // steps are tokens: turned back into SFT's steps).
        let tokens = matches!(s.axis, XAxis::Tokens(_));
        let e = match sft.filter(|sh| i >= sh.start) {
            Some(sh) => {
                let (from, to) = (
                    sh.sft_step(series.step(i.saturating_sub(1)), tokens),
                    sh.sft_step(series.step(i), tokens),
                );
                Event {
                    step: to,
                    stage: Some("sft".into()),
                    label: format!("restart: resumed at SFT step {to} after step {from}"),
                    ..e
                }
            }
            None => e,
        };
        out.push((e, x));
    }
    out
}

/// Where SFT event `e` sits on a sequence's `axis`: on tokens seen, its tokens on the SFT
/// part's own axis plus the offset; else at its step counted on from CPT's last, as the
/// copy counts it.
fn sft_x(e: &Event, sh: Shift, series: &Series, axis: XAxis) -> Option<f64> {
    match axis {
        XAxis::Tokens(_) => Some(sh.tokens_x(e.step)).filter(|x| x.is_finite()),
        a => {
            let shifted = Event {
                step: e.step + sh.steps,
                ..e.clone()
            };
            event_x(&shifted, series, a)
        }
    }
}

/// A group's values at `x`: the band's entry nearest to it, as (x, center, lo, hi, members).
pub fn group_at(b: &Band, x: f64) -> Option<(f64, f64, f64, f64, u32)> {
    let i = b.x.partition_point(|v| *v < x);
    let k = [i.saturating_sub(1), i]
        .into_iter()
        .filter(|&k| k < b.x.len())
        .min_by(|&p, &q| (b.x[p] - x).abs().total_cmp(&(b.x[q] - x).abs()))?;
    Some((
        *b.x.get(k)?,
        *b.center.get(k)?,
        *b.lo.get(k)?,
        *b.hi.get(k)?,
        *b.n.get(k)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::series_math::{MinMaxIndex, Raw};
    use crate::workspace::model::{Joined, PanelLine, Track};
    use crate::workspace::sequence::sequence;

    const CPT: [i64; 10] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    /// SFT restarts once: step 2 after step 3.
    const SFT: [i64; 7] = [1, 2, 3, 2, 3, 4, 5];

    fn stage(steps: &[i64], wall0: f64) -> Series {
        let mut s = Series::new("loss");
        for (k, &st) in steps.iter().enumerate() {
            s.push(st, wall0 + 10.0 * k as f64, 1.0 / st as f64);
        }
        s
    }

    fn event(kind: EventKind, step: i64, stage: &str) -> Event {
        Event {
            kind,
            step,
            stage: Some(stage.into()),
            label: format!("{kind:?} {stage} {step}"),
        }
    }

    /// The one run's events: a CPT checkpoint, an SFT checkpoint and an SFT warning.
    fn events() -> Vec<Vec<Event>> {
        vec![vec![
            event(EventKind::Checkpoint, 5, "cpt"),
            event(EventKind::Checkpoint, 4, "sft"),
            event(EventKind::Warning, 2, "sft"),
        ]]
    }

    /// The markers of a panel of the run's CPT then SFT line on `axis` (each stage on its
    /// own axis `own`), with the joined copy.
    fn marked(own: (XAxis, XAxis), axis: XAxis, sequenced: bool) -> (Vec<Marker>, Series) {
        let (cpt, sft) = (stage(&CPT, 1000.0), stage(&SFT, 5000.0));
        let seq = sequence(Some((&cpt, own.0)), Some((&sft, own.1)));
        let (series, _) = seq.to_series("loss", axis);
        let shift = seq.sft_shift(false);
        let index = MinMaxIndex::build(&Raw(&series));
        let joined = Rc::new(Joined {
            series,
            index,
            sft: shift,
        });
        let panel = Panel {
            tag: "loss".into(),
            lines: vec![PanelLine {
                run: 0,
                track: Track::Joined(joined.clone()),
            }],
        };
        let hidden = BTreeSet::new();
        let events = events();
        let settings = PanelSettings {
            keys: None,
            stat: GroupStat::Mean,
            band: BandChoice::None,
            robust: false,
            zoom: None,
            axis: if matches!(axis, XAxis::Tokens(_)) {
                XAxis::Tokens(1.0)
            } else {
                axis
            },
            hidden: &hidden,
            events: &events,
            stage: Some("cpt"),
            sequenced,
            run_axes: &[Some(own.0)],
        };
        let m = panel_extras(&panel, &settings).markers;
        (m, joined.series.clone())
    }

    fn find<'a>(m: &'a [Marker], kind: &str, stage: &str) -> Vec<&'a Marker> {
        m.iter()
            .filter(|k| k.kind == kind && k.stage.as_deref() == Some(stage))
            .collect()
    }

    #[test]
    fn cpt_then_sft_marks_sfts_events_shifted_onto_the_sequence() {
        let last = *CPT.last().unwrap() as f64;
        let (m, _) = marked((XAxis::Step, XAxis::Step), XAxis::Step, true);
        let ck = find(&m, "checkpoint", "cpt");
        assert_eq!((ck.len(), ck[0].step, ck[0].x), (1, 5, 5.0));
        let ck = find(&m, "checkpoint", "sft");
        assert_eq!((ck.len(), ck[0].step, ck[0].x), (1, 4, 4.0 + last));
        let w = find(&m, "warning", "sft");
        assert_eq!((w.len(), w[0].step, w[0].x), (1, 2, 2.0 + last));
        // SFT's restart (2 after 3), named by SFT's steps, at its place in the sequence.
        let r = find(&m, "restart", "sft");
        assert_eq!((r.len(), r[0].step, r[0].x), (1, 2, 2.0 + last));
        assert!(
            r[0].label.contains("SFT step 2 after step 3"),
            "{}",
            r[0].label
        );
        assert!(find(&m, "restart", "cpt").is_empty());

        // Not in sequence (the same line): CPT's events only, as before.
        let (m, _) = marked((XAxis::Step, XAxis::Step), XAxis::Step, false);
        assert!(find(&m, "checkpoint", "sft").is_empty() && find(&m, "warning", "sft").is_empty());
        assert_eq!(find(&m, "checkpoint", "cpt").len(), 1);
    }

    #[test]
    fn sft_events_sit_on_tokens_seen_and_on_time_too() {
        let (kc, ks) = (100.0, 40.0);
        let own = (XAxis::Tokens(kc), XAxis::Tokens(ks));
        let (m, _) = marked(own, XAxis::Tokens(1.0), true);
        let cpt_tokens = *CPT.last().unwrap() as f64 * kc;
        assert_eq!(find(&m, "checkpoint", "cpt")[0].x, 5.0 * kc);
        assert_eq!(find(&m, "checkpoint", "sft")[0].x, cpt_tokens + 4.0 * ks);
        assert_eq!(find(&m, "warning", "sft")[0].x, cpt_tokens + 2.0 * ks);
        // SFT's restart, named by SFT's own steps (not the joined tokens), at its tokens.
        let r = find(&m, "restart", "sft");
        assert_eq!((r.len(), r[0].step), (1, 2), "{r:?}");
        assert!(
            r[0].label.contains("SFT step 2 after step 3"),
            "{}",
            r[0].label
        );

        // On relative time: the time of the SFT point at that step in the joined copy.
        let (m, copy) = marked((XAxis::Relative, XAxis::Relative), XAxis::Relative, true);
        // The point kept along the timeline: after the restart, the re-run one.
        let at = |step: i64| {
            let k = SFT.iter().rposition(|&s| s == step).unwrap();
            XAxis::Relative.x(&copy, CPT.len() + k)
        };
        assert_eq!(find(&m, "checkpoint", "sft")[0].x, at(4));
        assert_eq!(find(&m, "warning", "sft")[0].x, at(2));
        assert!(find(&m, "checkpoint", "sft")[0].x > find(&m, "checkpoint", "cpt")[0].x);
    }
}
