//! The workspace: a toolbar, one panel per tag (small multiples), a side list of each run's
//! value at the crosshair, and the legend of runs. The settings live in the store (and so in
//! the link); the crosshair, hidden runs and the highlighted run are this view's own.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use yew::prelude::*;

use crate::chart::draw::MUTED;
use crate::chart::series_math::XAxis;
use crate::components::nway_overlay::RunList;
use crate::components::workspace_pane::{stage_steps, FileCounts};
use crate::components::ws_legend::WsLegend;
use crate::components::ws_panel::{WsLine, WsPanel};
use crate::components::ws_side_list::{SideRow, WsSideList};
use crate::components::ws_toolbar::WsToolbar;
use crate::query::{fields_of, tokens_per_step, Fields};
use crate::share::url::AxisChoice;
use crate::share::workspace::{StepChoice, WorkspaceView};
use crate::state::{Action, Store, Theme};
use crate::workspace::model::{
    hover_rows, panels, shared_tokens_per_step, Panel, RunCurves, TagFilter,
};
use crate::workspace::palette::{color_key, ColorKey};

/// Props of [`WsView`].
#[derive(Properties, PartialEq)]
pub struct WsViewProps {
    /// The loaded runs, in workspace order.
    pub runs: RunList,
    /// Their curve files, as far as read.
    pub curves: Rc<Vec<RunCurves>>,
    /// How the curve files stand.
    pub files: FileCounts,
}

/// Where the crosshair is: the panel hovered (its tag) and the x.
#[derive(Debug, Clone, PartialEq)]
pub struct Crosshair {
    /// The hovered panel's tag.
    pub tag: String,
    /// The data x.
    pub x: f64,
}

/// The x axis the panels draw, and why the one asked for is not it (tokens seen needs one
/// tokens-per-step for every run).
fn x_axis(view: &WorkspaceView, runs: &RunList) -> (XAxis, Option<String>) {
    match view.axis {
        AxisChoice::Step => (XAxis::Step, None),
        AxisChoice::Relative => (XAxis::Relative, None),
        AxisChoice::Wall => (XAxis::Wall, None),
        AxisChoice::Tokens => {
            let per_run: Vec<Option<f64>> = runs
                .0
                .iter()
                .map(|r| {
                    let (cpt, sft) = stage_steps(r);
                    let i = if view.step == StepChoice::Sft {
                        sft
                    } else {
                        cpt
                    };
                    i.and_then(|i| r.parsed.archive.steps.steps.get(i))
                        .and_then(tokens_per_step)
                })
                .collect();
            match shared_tokens_per_step(&per_run) {
                Some(t) => (XAxis::Tokens(t), None),
                None => (
                    XAxis::Step,
                    Some("tokens seen needs the same global_batch_size x seq_length in every run; showing step".into()),
                ),
            }
        }
    }
}

/// The panels of the runs' curves for the step choice (the CPT and SFT curves of a run
/// joined one after the other for "both").
#[hook]
fn use_panels(curves: Rc<Vec<RunCurves>>, step: StepChoice) -> Rc<Vec<Panel>> {
    use_memo((curves, step), |(c, step)| {
        panels(c, *step, &crate::workspace::model::join_sequence)
    })
}

/// Each run's fields (for colour and groups), computed once per set of runs.
#[hook]
fn use_fields(runs: RunList) -> Rc<Vec<Fields>> {
    use_memo(runs, |r| {
        r.0.iter()
            .map(|run| fields_of(&run.parsed.archive))
            .collect::<Vec<_>>()
    })
}

/// The workspace.
#[component]
pub fn WsView(props: &WsViewProps) -> Html {
    let store = use_context::<Store>();
    let view = store
        .as_ref()
        .map(|s| s.workspace_view.clone())
        .unwrap_or_default();
    let dark = store.as_ref().is_some_and(|s| s.theme == Theme::Dark);
    let on_view = {
        let store = store.clone();
        Callback::from(move |v: WorkspaceView| {
            if let Some(s) = &store {
                s.dispatch(Action::WorkspaceView(v));
            }
        })
    };
    let hover = use_state_eq(|| None::<Crosshair>);
    let hidden = use_state_eq(BTreeSet::<usize>::new);
    let highlight = use_state_eq(|| None::<usize>);
    let zooms = use_state_eq(BTreeMap::<String, (f64, f64)>::new);
    let all = use_panels(props.curves.clone(), view.step);
    let fields = use_fields(props.runs.clone());
    let filter = TagFilter::new(&view.tags);
    let shown: Vec<&Panel> = all.iter().filter(|p| filter.keeps(&p.tag)).collect();
    let values: Vec<_> = fields
        .iter()
        .map(|f| view.color.as_ref().and_then(|c| f.get(c).cloned()))
        .collect();
    let key: ColorKey = color_key(view.color.as_deref(), &values);
    let color_of = |run: usize| -> usize {
        match *highlight {
            Some(h) if h != run => MUTED,
            _ => key.colors.get(run).copied().unwrap_or(run),
        }
    };
    let (axis, axis_note) = x_axis(&view, &props.runs);
    let ids: Vec<String> = props
        .runs
        .0
        .iter()
        .map(|r| r.run_id().to_string())
        .collect();
    let on_hover = {
        let hover = hover.clone();
        Callback::from(move |c: Option<Crosshair>| hover.set(c))
    };
    let on_zoom = {
        let (view, on_view, zooms) = (view.clone(), on_view.clone(), zooms.clone());
        Callback::from(move |(tag, z): (String, Option<(f64, f64)>)| {
            if view.sync_x {
                on_view.emit(WorkspaceView {
                    zoom: z,
                    ..view.clone()
                });
            } else {
                let mut next = (*zooms).clone();
                match z {
                    Some(z) => next.insert(tag, z),
                    None => next.remove(&tag),
                };
                zooms.set(next);
            }
        })
    };
    let on_range = {
        let (view, on_view) = (view.clone(), on_view.clone());
        Callback::from(move |r: Option<(f64, f64)>| {
            on_view.emit(WorkspaceView {
                range: r,
                ..view.clone()
            })
        })
    };
    let side: Vec<SideRow> = hover
        .as_ref()
        .and_then(|c| shown.iter().find(|p| p.tag == c.tag).map(|p| (p, c.x)))
        .map(|(p, x)| {
            let lines = p
                .lines
                .iter()
                .filter(|l| !hidden.contains(&l.run))
                .filter_map(|l| Some((l.run, l.track.series()?)));
            hover_rows(lines, axis, x)
                .into_iter()
                .map(|r| SideRow {
                    run_id: ids.get(r.run).cloned().unwrap_or_default(),
                    color: key.colors.get(r.run).copied().unwrap_or(r.run),
                    step: r.step,
                    value: r.value,
                })
                .collect()
        })
        .unwrap_or_default();
    let panel_html = shown.iter().map(|p| {
        let mut lines: Vec<WsLine> = p
            .lines
            .iter()
            .filter(|l| !hidden.contains(&l.run))
            .map(|l| WsLine {
                track: l.track.clone(),
                label: ids.get(l.run).cloned().unwrap_or_default(),
                color: color_of(l.run),
            })
            .collect();
        // The highlighted run is drawn last, over the others.
        if let Some(h) = *highlight {
            let label = ids.get(h).cloned().unwrap_or_default();
            lines.sort_by_key(|l| l.label == label);
        }
        let zoom = if view.sync_x {
            view.zoom
        } else {
            zooms.get(&p.tag).copied()
        };
        html! {
            <WsPanel key={p.tag.clone()} tag={p.tag.clone()} lines={Rc::new(lines)} {axis} {zoom} {dark}
                hover={(*hover).clone()} range={view.range} runs={p.lines.len()}
                on_hover={on_hover.clone()} on_zoom={on_zoom.clone()} on_range={on_range.clone()}
                one_column={view.one_column} />
        }
    });
    let counts = props.files;
    html! {
        <section id="workspace" aria-label="Workspace">
            <WsToolbar view={view.clone()} on_view={on_view.clone()} runs={props.runs.0.len()}
                panels={shown.len()} tags={all.len()} filter_note={filter.note.clone()} {axis_note}
                fields={field_names(&fields)} />
            <p class="muted small ws-files" role="status" aria-live="polite">
                { format!("{} of {} curve files read", counts.read, counts.total) }
                if counts.failed > 0 { { format!(" · {} could not be read", counts.failed) } }
            </p>
            <div class="ws-body">
                <div class={classes!("ws-grid", view.one_column.then_some("one-column"))}>
                    { for panel_html }
                    if shown.is_empty() {
                        <p class="muted">{ if all.is_empty() { "No curve read yet." } else { "No tag matches the filter." } }</p>
                    }
                </div>
                <aside class="ws-side" aria-label="Values and runs">
                    <WsSideList rows={side} tag={hover.as_ref().map(|c| c.tag.clone())} />
                    <WsLegend ids={ids.clone()} colors={key.colors.clone()} buckets={key.buckets.clone()}
                        hidden={(*hidden).clone()} on_hidden={{ let h = hidden.clone(); Callback::from(move |s| h.set(s)) }}
                        on_highlight={{ let h = highlight.clone(); Callback::from(move |r| h.set(r)) }} />
                </aside>
            </div>
        </section>
    }
}

/// Every field name some run has, sorted (the colour and group menus).
fn field_names(fields: &[Fields]) -> Rc<Vec<String>> {
    let mut names: BTreeSet<&String> = BTreeSet::new();
    for f in fields {
        names.extend(f.keys());
    }
    Rc::new(names.into_iter().cloned().collect())
}
