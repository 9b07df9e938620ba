//! The workspace: a toolbar, one panel per tag (small multiples), a side list of each run's
//! (or group's) value at the crosshair, the legend of runs, and the step-range table. The
//! settings live in the store (and so in the link); the crosshair, hidden runs and the
//! highlighted run are this view's own. What is shown is derived in
//! [`crate::components::ws_data`].

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use yew::prelude::*;

use crate::chart::draw::MUTED;
use crate::components::nway_overlay::RunList;
use crate::components::ws_data::{
    axes, field_names, range_rows, side_rows, use_events, use_extras, use_fields, use_panels,
    ExtrasInput, FileCounts, Same,
};
use crate::components::ws_legend::WsLegend;
use crate::components::ws_panel::{SameExtras, WsLine, WsPanel};
use crate::components::ws_range_table::WsRangeTable;
use crate::components::ws_side_list::WsSideList;
use crate::components::ws_toolbar::WsToolbar;
use crate::share::workspace::{StepChoice, WorkspaceView};
use crate::state::{Action, Store, Theme};
use crate::workspace::model::{Crosshair, Panel, RunCurves, TagFilter};
use crate::workspace::palette::color_key;
use crate::workspace::panel::PanelExtras;

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

/// The callbacks every panel shares.
struct PanelCallbacks {
    on_view: Callback<WorkspaceView>,
    on_hover: Callback<Option<Crosshair>>,
    on_zoom: Callback<(String, Option<(f64, f64)>)>,
    on_range: Callback<Option<(f64, f64)>>,
}

/// The settings go to the store; the crosshair and unsynced zooms stay here.
#[hook]
fn use_callbacks(
    view: &WorkspaceView,
    hover: UseStateHandle<Option<Crosshair>>,
    zooms: UseStateHandle<BTreeMap<String, (f64, f64)>>,
) -> PanelCallbacks {
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
    ids: &[String],
) -> Option<Html> {
    let tag = range_tag
        .as_ref()
        .filter(|t| shown.iter().any(|(p, _)| p.tag == **t))
        .cloned()
        .or_else(|| shown.first().map(|(p, _)| p.tag.clone()))?;
    let r = range?;
    let (p, e) = shown.iter().find(|(p, _)| p.tag == tag)?;
    let rows = range_rows(p, *e, r, axis, hidden, ids);
    let tags: Vec<String> = shown.iter().map(|(p, _)| p.tag.clone()).collect();
    let on_tag = {
        let t = range_tag.clone();
        Callback::from(move |s: String| t.set(Some(s)))
    };
    Some(html! { <WsRangeTable {rows} range={r} {tags} {tag} {on_tag} /> })
}

/// A panel's run lines as drawn: hidden runs and runs drawn within a group's line left
/// out, coloured by the colour key (muted while another run is highlighted), the
/// highlighted run last, over the others.
fn panel_lines(
    p: &Panel,
    grouped: Option<&BTreeSet<usize>>,
    hidden: &BTreeSet<usize>,
    highlight: Option<usize>,
    ids: &[String],
    colors: &[usize],
) -> Vec<WsLine> {
    let mut lines: Vec<WsLine> = p
        .lines
        .iter()
        .filter(|l| !hidden.contains(&l.run) && !grouped.is_some_and(|g| g.contains(&l.run)))
        .map(|l| WsLine {
            track: l.track.clone(),
            label: ids.get(l.run).cloned().unwrap_or_default(),
            color: match highlight {
                Some(h) if h != l.run => MUTED,
                _ => colors.get(l.run).copied().unwrap_or(l.run),
            },
        })
        .collect();
    if let Some(h) = highlight.and_then(|h| ids.get(h)) {
        lines.sort_by_key(|l| l.label == *h);
    }
    lines
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
    let hidden = use_state_eq(BTreeSet::<usize>::new);
    let highlight = use_state_eq(|| None::<usize>);
    let zooms = use_state_eq(BTreeMap::<String, (f64, f64)>::new);
    let range_tag = use_state_eq(|| None::<String>);
    let cb = use_callbacks(&view, hover.clone(), zooms.clone());
    let axes = axes(&view, &props.runs);
    let all = use_panels(props.curves.clone(), view.step, axes.clone());
    let fields = use_fields(props.runs.clone());
    let events = use_events(props.runs.clone());
    let extras = use_extras(ExtrasInput {
        panels: Same(all.clone()),
        fields: Same(fields.clone()),
        events: Same(events),
        view: view.clone(),
        hidden: (*hidden).clone(),
        axis: axes.panel,
        zooms: (*zooms).clone(),
        run_axes: axes
            .per_run
            .iter()
            .map(|(c, s)| if view.step == StepChoice::Sft { *s } else { *c })
            .collect(),
    });
    let names = use_memo(Same(fields.clone()), |f| field_names(&f.0));
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
    let ids: Vec<String> = props
        .runs
        .0
        .iter()
        .map(|r| r.run_id().to_string())
        .collect();
    let side = hover
        .as_ref()
        .and_then(|c| {
            shown
                .iter()
                .find(|(p, _)| p.tag == c.tag)
                .map(|pe| (pe, c.x))
        })
        .map(|((p, e), x)| side_rows(p, *e, x, axis, &hidden, &ids, &key.colors))
        .unwrap_or_default();
    let panel_html = shown.iter().map(|(p, e)| {
        let lines = panel_lines(p, e.map(|e| &e.grouped), &hidden, *highlight, &ids, &key.colors);
        let zoom = if view.sync_x { view.zoom } else { zooms.get(&p.tag).copied() };
        let (ex, notes, markers) = e.map_or_else(Default::default, |e| (SameExtras(e.extras.clone()), e.notes.clone(), Rc::new(e.markers.clone())));
        html! {
            <WsPanel key={p.tag.clone()} tag={p.tag.clone()} lines={Rc::new(lines)} extras={ex} {notes} {markers}
                {axis} {zoom} {dark} hover={(*hover).clone()} range={view.range} runs={p.lines.len()}
                grouped={e.map_or((0, 0), |e| (e.grouped.len(), e.groups.len()))}
                on_hover={cb.on_hover.clone()} on_zoom={cb.on_zoom.clone()} on_range={cb.on_range.clone()}
                one_column={view.one_column} />
        }
    });
    let table = range_table(&shown, &range_tag, view.range, axis, &hidden, &ids);
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
                fields={(*names).clone()} />
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
                    <WsSideList rows={side} tag={hover.as_ref().map(|c| c.tag.clone())} />
                    <WsLegend ids={ids.clone()} colors={key.colors.clone()} buckets={key.buckets.clone()} {groups}
                        hidden={(*hidden).clone()} on_hidden={{ let h = hidden.clone(); Callback::from(move |s| h.set(s)) }}
                        on_highlight={{ let h = highlight.clone(); Callback::from(move |r| h.set(r)) }} />
                </aside>
            </div>
        </section>
    }
}
