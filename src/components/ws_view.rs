//! The workspace: a toolbar, one panel per tag (small multiples), a side list of each run's
//! (or group's) value at the crosshair, the legend of runs, and the step-range table. The
//! settings live in the store (and so in the link), hidden runs, the run shown alone and
//! unsynced panel zooms too; the crosshair and the highlighted run follow the pointer and
//! are this view's own. What is shown is derived in [`crate::components::ws_data`].

use std::collections::BTreeSet;
use std::rc::Rc;

use yew::prelude::*;

use crate::chart::draw::MUTED;
use crate::components::nway_overlay::RunList;
use crate::components::ws_data::{
    axes, field_names, range_rows, side_rows, use_events, use_extras, use_fields, use_panels,
    ExtrasInput, FileCounts, RunNames, Same,
};
use crate::components::ws_legend::WsLegend;
use crate::components::ws_panel::{SameExtras, WsLine, WsPanel};
use crate::components::ws_range_table::WsRangeTable;
use crate::components::ws_side_list::WsSideList;
use crate::components::ws_toolbar::WsToolbar;
use crate::share::workspace::{StepChoice, WorkspaceView};
use crate::state::{Action, Store, Theme};
use crate::workspace::model::{legend_click, Crosshair, Panel, RunCurves, TagFilter};
use crate::workspace::palette::color_key;
use crate::workspace::panel::PanelExtras;

/// Props of [`WsView`].
#[derive(Properties, PartialEq)]
pub struct WsViewProps {
    /// The loaded runs, in workspace order.
    pub runs: RunList,
    /// Each run's position in the `?workspace=` list.
    pub positions: Rc<Vec<usize>>,
    /// Their curve files, as far as read.
    pub curves: Rc<Vec<RunCurves>>,
    /// How the curve files stand.
    pub files: FileCounts,
}

/// The callbacks every panel shares.
struct PanelCallbacks {
    on_view: Callback<WorkspaceView>,
    on_hover: Callback<Option<Crosshair>>,
    on_zoom: Callback<(String, Option<(f64, f64)>)>,
    on_range: Callback<Option<(f64, f64)>>,
}

/// The settings go to the store; the crosshair stays here.
#[hook]
fn use_callbacks(view: &WorkspaceView, hover: UseStateHandle<Option<Crosshair>>) -> PanelCallbacks {
    let store = use_context::<Store>();
    let on_view = Callback::from(move |v: WorkspaceView| {
        if let Some(s) = &store {
            s.dispatch(Action::WorkspaceView(v));
        }
    });
    let on_hover = Callback::from(move |c: Option<Crosshair>| hover.set(c));
    let on_zoom = {
        let (view, on_view) = (view.clone(), on_view.clone());
        Callback::from(move |(tag, z): (String, Option<(f64, f64)>)| {
            if view.sync_x {
                on_view.emit(WorkspaceView {
                    zoom: z,
                    ..view.clone()
                });
            } else {
                let mut next = view.clone();
                match z {
                    Some(z) => next.panel_zooms.insert(tag, z),
                    None => next.panel_zooms.remove(&tag),
                };
                on_view.emit(next);
            }
        })
    };
    let on_range = {
        let (view, on_view) = (view.clone(), on_view.clone());
        Callback::from(move |range: Option<(f64, f64)>| {
            on_view.emit(WorkspaceView {
                range,
                ..view.clone()
            })
        })
    };
    PanelCallbacks {
        on_view,
        on_hover,
        on_zoom,
        on_range,
    }
}

/// The step-range table of the picked range, over the chosen panel (the first shown when
/// the chosen one is filtered out), or nothing without a range.
fn range_table(
    shown: &[(&Panel, Option<&PanelExtras>)],
    range_tag: &UseStateHandle<Option<String>>,
    range: Option<(f64, f64)>,
    axis: crate::chart::series_math::XAxis,
    hidden: &BTreeSet<usize>,
    names: &RunNames,
) -> Option<Html> {
    let tag = range_tag
        .as_ref()
        .filter(|t| shown.iter().any(|(p, _)| p.tag == **t))
        .cloned()
        .or_else(|| shown.first().map(|(p, _)| p.tag.clone()))?;
    let r = range?;
    let (p, e) = shown.iter().find(|(p, _)| p.tag == tag)?;
    let rows = range_rows(p, *e, r, axis, hidden, names);
    let tags: Vec<String> = shown.iter().map(|(p, _)| p.tag.clone()).collect();
    let on_tag = {
        let t = range_tag.clone();
        Callback::from(move |s: String| t.set(Some(s)))
    };
    Some(html! { <WsRangeTable {rows} range={r} {tags} {tag} {on_tag} /> })
}

/// A panel's run lines as drawn: hidden runs and runs drawn within a group's line left
/// out, coloured by the colour key (muted while another run is highlighted), the
/// highlighted run (by position: runs sharing its id are not) last, over the others.
fn panel_lines(
    p: &Panel,
    grouped: Option<&BTreeSet<usize>>,
    hidden: &BTreeSet<usize>,
    highlight: Option<usize>,
    ids: &[String],
    colors: &[usize],
) -> Vec<WsLine> {
    let mut lines: Vec<(usize, WsLine)> = p
        .lines
        .iter()
        .filter(|l| !hidden.contains(&l.run) && !grouped.is_some_and(|g| g.contains(&l.run)))
        .map(|l| {
            let line = WsLine {
                track: l.track.clone(),
                label: ids.get(l.run).cloned().unwrap_or_default(),
                color: match highlight {
                    Some(h) if h != l.run => MUTED,
                    _ => colors.get(l.run).copied().unwrap_or(l.run),
                },
            };
            (l.run, line)
        })
        .collect();
    if highlight.is_some() {
        lines.sort_by_key(|(run, _)| Some(*run) == highlight);
    }
    lines.into_iter().map(|(_, l)| l).collect()
}

/// The runs not drawn (positions in the workspace), from the view's hidden runs and the
/// run shown alone (positions in the `?workspace=` list).
fn hidden_runs(view: &WorkspaceView, positions: &[usize]) -> BTreeSet<usize> {
    positions
        .iter()
        .enumerate()
        .filter(|(_, p)| !view.shows(**p))
        .map(|(i, _)| i)
        .collect()
}

/// A legend click: the view with its hidden runs and the run shown alone changed.
fn on_legend(
    view: &WorkspaceView,
    positions: Rc<Vec<usize>>,
    on_view: Callback<WorkspaceView>,
) -> Callback<(usize, bool)> {
    let view = view.clone();
    Callback::from(move |(run, alt): (usize, bool)| {
        let Some(&pos) = positions.get(run) else {
            return;
        };
        let (hidden, solo) = legend_click(&view.hidden, view.solo, &positions, pos, alt);
        on_view.emit(WorkspaceView {
            hidden,
            solo,
            ..view.clone()
        });
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
    let hover = use_state_eq(|| None::<Crosshair>);
    let hidden = hidden_runs(&view, &props.positions);
    let highlight = use_state_eq(|| None::<usize>);
    let range_tag = use_state_eq(|| None::<String>);
    let cb = use_callbacks(&view, hover.clone());
    let axes = axes(&view, &props.runs);
    let all = use_panels(props.curves.clone(), view.step, axes.clone());
    let fields = use_fields(props.runs.clone());
    let events = use_events(props.runs.clone());
    let extras = use_extras(ExtrasInput {
        panels: Same(all.clone()),
        fields: Same(fields.clone()),
        events: Same(events),
        view: view.clone(),
        hidden: hidden.clone(),
        axis: axes.panel,
        run_axes: axes
            .per_run
            .iter()
            .map(|(c, s)| if view.step == StepChoice::Sft { *s } else { *c })
            .collect(),
    });
    let field_list = use_memo(Same(fields.clone()), |f| field_names(&f.0));
    let filter = TagFilter::new(&view.tags);
    let shown: Vec<(&Panel, Option<&PanelExtras>)> = all
        .iter()
        .zip(extras.iter().map(Some).chain(std::iter::repeat(None)))
        .filter(|(p, _)| filter.keeps(&p.tag))
        .collect();
    let values: Vec<_> = fields
        .iter()
        .map(|f| view.color.as_ref().and_then(|c| f.get(c).cloned()))
        .collect();
    let key = color_key(view.color.as_deref(), &values);
    let axis = axes.panel;
    let names = RunNames::of(&props.runs);
    let ids = &names.ids;
    let side = hover
        .as_ref()
        .and_then(|c| {
            shown
                .iter()
                .find(|(p, _)| p.tag == c.tag)
                .map(|pe| (pe, c.x))
        })
        .map(|((p, e), x)| side_rows(p, *e, x, axis, &hidden, &names, &key.colors))
        .unwrap_or_default();
    let panel_html = shown.iter().map(|(p, e)| {
        let lines = panel_lines(p, e.map(|e| &e.grouped), &hidden, *highlight, ids, &key.colors);
        let zoom = if view.sync_x { view.zoom } else { view.panel_zooms.get(&p.tag).copied() };
        let (ex, notes, markers) = e.map_or_else(Default::default, |e| (SameExtras(e.extras.clone()), e.notes.clone(), Rc::new(e.markers.clone())));
        html! {
            <WsPanel key={p.tag.clone()} tag={p.tag.clone()} lines={Rc::new(lines)} extras={ex} {notes} {markers}
                {axis} {zoom} {dark} hover={(*hover).clone()} range={view.range} runs={p.lines.len()}
                grouped={e.map_or((0, 0), |e| (e.grouped.len(), e.groups.len()))}
                on_hover={cb.on_hover.clone()} on_zoom={cb.on_zoom.clone()} on_range={cb.on_range.clone()}
                one_column={view.one_column} />
        }
    });
    let table = range_table(&shown, &range_tag, view.range, axis, &hidden, &names);
    let groups: Vec<(String, usize, usize)> = shown
        .first()
        .and_then(|(_, e)| *e)
        .map(|e| {
            e.groups
                .iter()
                .map(|g| (g.label.clone(), g.color, g.members.len()))
                .collect()
        })
        .unwrap_or_default();
    let counts = props.files;
    html! {
        <section id="workspace" aria-label="Workspace">
            <WsToolbar view={view.clone()} on_view={cb.on_view.clone()} runs={props.runs.0.len()}
                panels={shown.len()} tags={all.len()} filter_note={filter.note.clone()} axis_note={axes.note.clone()}
                fields={(*field_list).clone()} />
            <p class="muted small ws-files" role="status" aria-live="polite">
                { format!("{} of {} curve files read", counts.read, counts.total) }
                if counts.failed > 0 { { format!(" · {} could not be read", counts.failed) } }
            </p>
            { table.unwrap_or_default() }
            <div class="ws-body">
                <div class={classes!("ws-grid", view.one_column.then_some("one-column"))}>
                    { for panel_html }
                    if shown.is_empty() {
                        <p class="muted">{ if all.is_empty() { "No curve read yet." } else { "No tag matches the filter." } }</p>
                    }
                </div>
                <aside class="ws-side" aria-label="Values and runs">
                    <WsSideList rows={side} tag={hover.as_ref().map(|c| c.tag.clone())}
                        on_clear={cb.on_hover.reform(|_| None)} />
                    <WsLegend names={names.clone()} colors={key.colors.clone()} buckets={key.buckets.clone()} {groups}
                        hidden={hidden.clone()} on_click={on_legend(&view, props.positions.clone(), cb.on_view.clone())}
                        on_highlight={{ let h = highlight.clone(); Callback::from(move |r| h.set(r)) }} />
                </aside>
            </div>
        </section>
    }
}
