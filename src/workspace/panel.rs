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
use super::SeriesPoints;
use crate::chart::draw::{Band as DrawBand, Extras, PathLine, PALETTE};
use crate::chart::series_math::XAxis;
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
    /// The training step.
    pub step: i64,
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

/// The panel's shown runs' lines.
fn shown<'a>(panel: &'a Panel, s: &PanelSettings<'_>) -> Vec<(usize, SeriesPoints<'a>)> {
    panel
        .lines
        .iter()
        .filter(|l| !s.hidden.contains(&l.run))
        .filter_map(|l| Some((l.run, SeriesPoints::new(l.track.series()?, s.axis))))
        .collect()
}

/// The panel's extras but the robust y range ([`add_robust`]): what does not change with
/// the zoom (the groups' bands, the markers), so a view keeps it while the x range moves.
pub fn group_extras(panel: &Panel, s: &PanelSettings<'_>) -> PanelExtras {
    let mut out = PanelExtras::default();
    let mut extras = Extras::default();
    let shown = shown(panel, s);
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
    out.markers = markers(&shown, s);
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
    let points: Vec<SeriesPoints<'_>> = shown(panel, s).into_iter().map(|(_, p)| p).collect();
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
/// restarts of the lines), one per kind and step, naming every run that has it.
fn markers(shown: &[(usize, SeriesPoints<'_>)], s: &PanelSettings<'_>) -> Vec<Marker> {
    let mut out: Vec<Marker> = Vec::new();
    for (run, p) in shown {
        let archive = s.events.get(*run).map(Vec::as_slice).unwrap_or_default();
        let of_stage = archive
            .iter()
            .filter(|e| {
                s.stage
                    .is_none_or(|st| e.stage.as_deref().is_none_or(|x| x == st))
            })
            .cloned();
        let own = match s.axis {
            XAxis::Tokens(1.0) => s.run_axes.get(*run).copied().flatten(),
            a => Some(a),
        };
        let restarts = restart_events(p.series, s.stage)
            .into_iter()
            .map(|e| (e, Some(s.axis)));
        for (e, axis) in of_stage.map(|e| (e, own)).chain(restarts) {
            let Some(x) = axis.and_then(|a| event_x(&e, p.series, a)) else {
                continue;
            };
            let kind = kind_name(e.kind);
            match out.iter_mut().find(|m| m.kind == kind && m.step == e.step) {
                Some(m) => {
                    if !m.label.contains(&e.label) {
                        m.label.push_str(&format!("\n{}", e.label));
                    }
                }
                None => out.push(Marker {
                    x,
                    kind,
                    step: e.step,
                    label: e.label.clone(),
                }),
            }
        }
    }
    out.sort_by(|a, b| a.x.total_cmp(&b.x));
    out
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
