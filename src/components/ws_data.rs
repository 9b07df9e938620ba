//! What the workspace derives from its runs, curves and settings, memoized: the x axes,
//! the panels, each run's fields and events, each panel's extras (groups, robust range,
//! markers), the side list's rows at the crosshair and the range table's rows. The view
//! ([`crate::components::ws_view`]) renders them.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use yew::prelude::*;

use crate::chart::series_math::XAxis;
use crate::components::nway_overlay::RunList;
use crate::components::ws_side_list::SideRow;
use crate::ingest::Series;
use crate::query::{fields_of, tokens_per_step, Fields};
use crate::share::url::AxisChoice;
use crate::share::workspace::{StepChoice, WorkspaceView};
use crate::workspace::events::{archive_events, Event};
use crate::workspace::group::{group_key, GroupKey};
use crate::workspace::model::{
    hover_rows, join_sequence, panels, shared_tokens_per_step, stage_steps, Panel, RunCurves,
};
use crate::workspace::panel::{add_robust, group_at, group_extras, PanelExtras, PanelSettings};
use crate::workspace::range::{range_row, RangeRow};
use crate::workspace::SeriesPoints;

/// What names each run of the workspace (by position): its run id, which runs may share,
/// and its key (where it came from, see [`crate::runs::identity`]), which no two share.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RunNames {
    /// Each run's id (or label when it has none).
    pub ids: Vec<String>,
    /// Each run's key.
    pub keys: Vec<String>,
}

impl RunNames {
    /// The names of `runs`.
    pub fn of(runs: &RunList) -> RunNames {
        RunNames {
            ids: runs.0.iter().map(|r| r.run_id().to_string()).collect(),
            keys: runs.0.iter().map(|r| r.key.clone()).collect(),
        }
    }

    fn id(&self, run: usize) -> String {
        self.ids.get(run).cloned().unwrap_or_default()
    }

    fn key(&self, run: usize) -> Option<String> {
        self.keys.get(run).cloned()
    }
}

/// How the runs' curve files stand: (read, failed, known).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FileCounts {
    /// Read and indexed.
    pub read: usize,
    /// Could not be read (or not among the run's files).
    pub failed: usize,
    /// Every train step's curve file of the runs.
    pub total: usize,
}

/// The x axes of a workspace: the panels', each run's CPT and SFT curve's own (for "both in
/// sequence"; `None` where the run cannot be placed), and why the axis asked for is not
/// drawn, when it is not.
#[derive(Debug, Clone, PartialEq)]
pub struct Axes {
    /// The axis of every panel.
    pub panel: XAxis,
    /// Each run's (CPT, SFT) axis.
    pub per_run: Vec<(Option<XAxis>, Option<XAxis>)>,
    /// What the note beside the toolbar says.
    pub note: Option<String>,
    /// The lines are copies placed on the panel's axis by each run's own tokens per step
    /// (tokens seen, with runs that differ).
    pub joined: bool,
}

/// The axes of the workspace `view` over `runs`.
pub fn axes(view: &WorkspaceView, runs: &RunList) -> Axes {
    let tps: Vec<(Option<f64>, Option<f64>)> = runs
        .0
        .iter()
        .map(|r| {
            let (cpt, sft) = stage_steps(r);
            let steps = &r.parsed.archive.steps.steps;
            let t = |i: Option<usize>| i.and_then(|i| steps.get(i)).and_then(tokens_per_step);
            (t(cpt), t(sft))
        })
        .collect();
    let base = |t: Option<f64>| match view.axis {
        AxisChoice::Step => Some(XAxis::Step),
        AxisChoice::Relative => Some(XAxis::Relative),
        AxisChoice::Wall => Some(XAxis::Wall),
        AxisChoice::Tokens => t.map(XAxis::Tokens),
    };
    let per_run = tps.iter().map(|(c, s)| (base(*c), base(*s))).collect();
    let plain = match view.axis {
        AxisChoice::Step | AxisChoice::Tokens => XAxis::Step,
        AxisChoice::Relative => XAxis::Relative,
        AxisChoice::Wall => XAxis::Wall,
    };
    let (panel, note) = match (view.step, view.axis) {
        (StepChoice::Both, AxisChoice::Tokens) => {
            let missing = tps
                .iter()
                .filter(|(c, s)| c.is_none() && s.is_none())
                .count();
            let note = (missing > 0).then(|| format!("{missing} run(s) say no global_batch_size x seq_length: not drawn on tokens seen"));
            (XAxis::Tokens(1.0), note)
        }
        (step, AxisChoice::Tokens) => {
            let stage: Vec<Option<f64>> = tps
                .iter()
                .map(|(c, s)| if step == StepChoice::Sft { *s } else { *c })
                .collect();
            match shared_tokens_per_step(&stage) {
                Some(t) => (XAxis::Tokens(t), None),
                None => {
                    let missing = stage.iter().filter(|t| t.is_none()).count();
                    let note = (missing > 0).then(|| format!("{missing} run(s) say no global_batch_size x seq_length: not drawn on tokens seen"));
                    (XAxis::Tokens(1.0), note)
                }
            }
        }
        _ => (plain, None),
    };
    let joined = panel == XAxis::Tokens(1.0);
    Axes {
        panel,
        per_run,
        note,
        joined,
    }
}

/// The panels of the runs' curves for the step choice (the CPT and SFT curves of a run
/// joined one after the other for "both", on the panels' axis).
#[hook]
pub fn use_panels(curves: Rc<Vec<RunCurves>>, step: StepChoice, axes: Axes) -> Rc<Vec<Panel>> {
    use_memo((curves, step, axes), |(c, step, axes)| {
        // One stage on tokens seen with runs that differ: each run's stage alone, placed by
        // its own tokens per step (the sequence of one part).
        let (step, keep) = match (*step, axes.joined) {
            (StepChoice::Cpt, true) => (StepChoice::Both, (true, false)),
            (StepChoice::Sft, true) => (StepChoice::Both, (false, true)),
            (s, _) => (s, (true, true)),
        };
        let step = &step;
        let join = |run: usize, cpt: Option<&Series>, sft: Option<&Series>| {
            let (cpt, sft) = (cpt.filter(|_| keep.0), sft.filter(|_| keep.1));
            join_sequence(&axes.per_run, axes.panel, run, cpt, sft)
        };
        panels(c, *step, &join)
    })
}

/// Each run's fields (for colour and groups), computed once per set of runs.
#[hook]
pub fn use_fields(runs: RunList) -> Rc<Vec<Fields>> {
    use_memo(runs, |r| {
        r.0.iter()
            .map(|run| fields_of(&run.parsed.archive))
            .collect::<Vec<_>>()
    })
}

/// Every field name some run has, sorted (the colour and group menus).
pub fn field_names(fields: &[Fields]) -> Rc<Vec<String>> {
    let mut names: BTreeSet<&String> = BTreeSet::new();
    for f in fields {
        names.extend(f.keys());
    }
    Rc::new(names.into_iter().cloned().collect())
}

/// Each run's events from its archive (checkpoints, warnings and errors naming a step).
#[hook]
pub fn use_events(runs: RunList) -> Rc<Vec<Vec<Event>>> {
    use_memo(runs, |r| {
        r.0.iter()
            .map(|run| archive_events(&run.parsed.archive))
            .collect::<Vec<_>>()
    })
}

/// An `Rc` compared by identity (memo dependencies).
#[derive(Clone)]
pub struct Same<T>(pub Rc<T>);

impl<T> PartialEq for Same<T> {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.0, &o.0)
    }
}

/// What the extras of every panel depend on.
#[derive(Clone, PartialEq)]
pub struct ExtrasInput {
    /// Every panel.
    pub panels: Same<Vec<Panel>>,
    /// Each run's fields.
    pub fields: Same<Vec<Fields>>,
    /// Each run's events.
    pub events: Same<Vec<Vec<Event>>>,
    /// The settings.
    pub view: WorkspaceView,
    /// Hidden runs.
    pub hidden: BTreeSet<usize>,
    /// The panels' axis.
    pub axis: XAxis,
    /// Each run's own axis for the stage shown (where its events sit on tokens seen).
    pub run_axes: Vec<Option<XAxis>>,
}

/// The extras of every panel (same order as the panels), computed when their inputs change
/// (not when the crosshair moves). The groups' bands do not depend on the x range in view:
/// they are kept while it moves, and only the robust y range is computed again.
#[hook]
pub fn use_extras(input: ExtrasInput) -> Rc<Vec<PanelExtras>> {
    // What the extras do not depend on does not recompute them.
    let input = ExtrasInput {
        view: WorkspaceView {
            tags: String::new(),
            color: None,
            range: None,
            one_column: false,
            ..input.view
        },
        ..input
    };
    let fixed = ExtrasInput {
        view: WorkspaceView {
            zoom: None,
            robust: false,
            sync_x: false,
            panel_zooms: BTreeMap::new(),
            ..input.view.clone()
        },
        ..input.clone()
    };
    let groups = use_memo(fixed, |i| {
        let keys = group_keys(i);
        let stage = stage_of(i);
        let each = i.panels.0.iter();
        each.map(|p| group_extras(p, &settings(i, p, keys.as_deref(), stage)))
            .collect::<Vec<_>>()
    });
    use_memo((input, Same(groups)), |(i, groups)| {
        if !i.view.robust {
            return (*groups.0).clone();
        }
        let each = i.panels.0.iter().zip(groups.0.iter());
        each.map(|(p, g)| {
            let mut e = g.clone();
            add_robust(&mut e, p, &settings(i, p, None, stage_of(i)));
            e
        })
        .collect::<Vec<_>>()
    })
}

/// Each run's group key, when grouping.
fn group_keys(i: &ExtrasInput) -> Option<Vec<GroupKey>> {
    let g = i.view.group.as_ref()?;
    Some(i.fields.0.iter().map(|f| group_key(f.get(g))).collect())
}

/// The stage whose events the panels mark.
fn stage_of(i: &ExtrasInput) -> &'static str {
    match i.view.step {
        StepChoice::Sft => "sft",
        _ => "cpt",
    }
}

/// Panel `p`'s settings.
fn settings<'a>(
    i: &'a ExtrasInput,
    p: &Panel,
    keys: Option<&'a [GroupKey]>,
    stage: &'a str,
) -> PanelSettings<'a> {
    let zoom = if i.view.sync_x {
        i.view.zoom
    } else {
        i.view.panel_zooms.get(&p.tag).copied()
    };
    PanelSettings {
        keys,
        stat: i.view.stat,
        band: i.view.band,
        robust: i.view.robust,
        zoom,
        axis: i.axis,
        hidden: &i.hidden,
        events: &i.events.0,
        stage: Some(stage),
        sequenced: i.view.step == StepChoice::Both,
        run_axes: &i.run_axes,
    }
}

/// The side list at `x` on panel `p`: a row per group (its line's value, band and members)
/// and per run not in a group, lowest first.
pub fn side_rows(
    p: &Panel,
    extras: Option<&PanelExtras>,
    x: f64,
    axis: XAxis,
    hidden: &BTreeSet<usize>,
    names: &RunNames,
    colors: &[usize],
) -> Vec<SideRow> {
    let grouped = extras.map(|e| &e.grouped);
    let lines = p
        .lines
        .iter()
        .filter(|l| !hidden.contains(&l.run) && !grouped.is_some_and(|g| g.contains(&l.run)))
        .filter_map(|l| Some((l.run, l.track.series()?)));
    let mut rows: Vec<SideRow> = hover_rows(lines, axis, x)
        .into_iter()
        .map(|r| SideRow {
            run_id: names.id(r.run),
            key: names.key(r.run),
            color: colors.get(r.run).copied().unwrap_or(r.run),
            step: Some(r.step),
            value: r.value,
            group: None,
        })
        .collect();
    for g in extras.map(|e| e.groups.as_slice()).unwrap_or_default() {
        if let Some((gx, center, lo, hi, n)) = group_at(&g.band, x) {
            rows.push(SideRow {
                run_id: g.label.clone(),
                key: None,
                color: g.color,
                step: Some(gx.round() as i64),
                value: center,
                group: Some((lo, hi, n, g.members.len())),
            });
        }
    }
    rows.sort_by(|a, b| a.value.total_cmp(&b.value));
    rows
}

/// The range table's rows for panel `p` over `range`: each group's line, then each shown
/// run not in a group.
pub fn range_rows(
    p: &Panel,
    extras: Option<&PanelExtras>,
    range: (f64, f64),
    axis: XAxis,
    hidden: &BTreeSet<usize>,
    names: &RunNames,
) -> Vec<RangeRow> {
    let mut rows: Vec<RangeRow> = Vec::new();
    for g in extras.map(|e| e.groups.as_slice()).unwrap_or_default() {
        let line = (g.band.x.as_slice(), g.band.center.as_slice());
        rows.push(range_row(&format!("group {}", g.label), &line, range));
    }
    let grouped = extras.map(|e| &e.grouped);
    for l in &p.lines {
        if hidden.contains(&l.run) || grouped.is_some_and(|g| g.contains(&l.run)) {
            continue;
        }
        if let Some(s) = l.track.series() {
            let mut row = range_row(&names.id(l.run), &SeriesPoints::new(s, axis), range);
            row.key = names.key(l.run);
            rows.push(row);
        }
    }
    rows
}
