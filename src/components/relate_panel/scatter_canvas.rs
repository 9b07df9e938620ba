//! The scatter plot: points painted into a canvas in one call, axes, the box being dragged
//! and the hovered point in an SVG on top. Hover names the run and its values, a click opens
//! it, a drag ticks the runs inside the box (Shift adds to the ticks), the arrow keys step
//! through the points by x, Enter opens one, Esc unticks.

use yew::prelude::*;

use crate::components::chart_canvas::use_width;

use super::paint::{dpr, paint};
use super::scatter_marks::{axes_svg, legend, note, tooltip};
use crate::components::common::Same;
use crate::query::FieldTable;
use crate::relate::scatter::{raster, Frame, Look};
use crate::relate::{Coloring, HitGrid, Points, ScatterGeom};
use crate::state::{Action, RunSlot, Store, Theme};

const RADIUS: f32 = 2.4;
const HIT: f32 = 8.0;

/// Props of [`ScatterCanvas`].
#[derive(Properties, PartialEq)]
pub struct ScatterCanvasProps {
    /// Every run's fields (category names for the legend).
    pub fields: Same<FieldTable>,
    /// The points.
    pub points: Same<Points>,
    /// x field.
    pub x: String,
    /// y field.
    pub y: String,
    /// Colour field (empty: none).
    pub color: String,
    /// Log x.
    pub log_x: bool,
    /// Log y.
    pub log_y: bool,
}

/// A box being dragged, in CSS pixels of the plot.
#[derive(Clone, Copy, PartialEq)]
struct Drag {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    add: bool,
}

/// Which table rows are ticked.
fn ticked_rows(runs: &[RunSlot], selected: &[String]) -> Vec<bool> {
    if selected.is_empty() {
        return Vec::new();
    }
    let set: std::collections::HashSet<&str> = selected.iter().map(String::as_str).collect();
    runs.iter().map(|r| set.contains(r.key.as_str())).collect()
}

/// A scale as `lo,hi,p0,p1,log` (tests map values to pixels with it).
fn scale_attr(s: crate::relate::Scale) -> String {
    format!("{},{},{},{},{}", s.lo, s.hi, s.p0, s.p1, s.log)
}

/// The pointer's position in the element `wrap`.
fn at(wrap: &NodeRef, e: &MouseEvent) -> (f64, f64) {
    wrap.cast::<web_sys::Element>().map_or((0.0, 0.0), |el| {
        let r = el.get_bounding_client_rect();
        (
            e.client_x() as f64 - r.left(),
            e.client_y() as f64 - r.top(),
        )
    })
}

/// Opens run `row` (fetched first when only listed) and leaves the table.
/// The runs-list row of drawn point `i`.
fn row_of(geom: &ScatterGeom, points: &Points, i: usize) -> Option<usize> {
    let p = *geom.point.get(i)?;
    points.rows.get(p as usize).copied()
}

fn open_row(store: &Store, row: usize) {
    if let (Some(slot), Ok(ev)) = (store.runs.get(row), web_sys::MouseEvent::new("click")) {
        crate::components::common::open_callback(store, slot, true).emit(ev);
    }
}

/// The keys of the runs whose points lie in the box.
fn keys_in_box(store: &Store, g: &ScatterGeom, grid: &HitGrid, p: &Points, d: Drag) -> Vec<String> {
    let (x0, y0, x1, y1) = (d.x0 as f32, d.y0 as f32, d.x1 as f32, d.y1 as f32);
    grid.in_box(g, x0, y0, x1, y1)
        .into_iter()
        .filter_map(|i| g.point.get(i))
        .filter_map(|&pi| p.rows.get(pi as usize))
        .filter_map(|&row| store.runs.get(row).map(|r| r.key.clone()))
        .collect()
}

/// The plot.
#[component]
pub fn ScatterCanvas(props: &ScatterCanvasProps) -> Html {
    let Some(store) = use_context::<Store>() else {
        return html! {};
    };
    let (wrap, canvas) = (use_node_ref(), use_node_ref());
    let w = f64::from(use_width(wrap.clone(), 280, 0));
    let h = (w * 0.62).clamp(240.0, 420.0).round();
    let frame = Frame::new(w, h);
    let dark = store.theme == Theme::Dark;
    let geom = use_memo(
        (
            props.points.clone(),
            props.log_x,
            props.log_y,
            w as u32,
            h as u32,
        ),
        move |(p, lx, ly, _, _)| ScatterGeom::new(&p.0, *lx, *ly, frame),
    );
    let grid = use_memo(Same(geom.clone()), move |g| HitGrid::new(&g.0, w, h, HIT));
    let coloring = use_memo(
        (props.fields.clone(), props.points.clone(), dark),
        |(f, p, dark)| {
            let plain = if *dark { [86, 180, 233] } else { [0, 114, 178] };
            Coloring::new(&f.0, &p.0.tint, plain, *dark)
        },
    );
    let ticked = use_memo(
        (Same(store.runs.clone()), store.selected.clone()),
        |(r, s)| ticked_rows(&r.0, s),
    );
    {
        let (canvas, points) = (canvas.clone(), props.points.clone());
        let deps = (
            Same(geom.clone()),
            Same(coloring.clone()),
            Same(ticked.clone()),
            dark,
        );
        use_effect_with(deps, move |(g, c, t, dark)| {
            let ring = if *dark { [240, 240, 240] } else { [20, 20, 20] };
            let look = Look {
                dpr: dpr(),
                radius: RADIUS,
                ring,
            };
            let r = raster(&g.0, &points.0, &c.0, &t.0, frame, look);
            if let Some(el) = canvas.cast::<web_sys::HtmlCanvasElement>() {
                paint(&el, &r);
            }
        });
    }
    let hover = use_state_eq(|| None::<usize>);
    let drag = use_state_eq(|| None::<Drag>);
    let handlers = handlers(&store, &wrap, &props.points, &geom, &grid, &hover, &drag);
    let n = geom.len();
    let label = format!("Scatter of {} against {}: {n} runs. Drag to tick runs, click a point to open its run; arrow keys step through points, Enter opens, Esc unticks.", props.y, props.x);
    html! {
        <div class="scatter-box">
            <div id="scatter" class="scatter" ref={wrap} tabindex="0" role="group" aria-label={label}
                data-count={n.to_string()} data-x-scale={geom.x.map(scale_attr)} data-y-scale={geom.y.map(scale_attr)} data-skipped-x={geom.skipped_x.to_string()} data-skipped-y={geom.skipped_y.to_string()}
                style={format!("height: {h}px")}
                onmousedown={handlers.0} onmousemove={handlers.1} onmouseup={handlers.2} onmouseleave={handlers.3} onkeydown={handlers.4}>
                <canvas ref={canvas} class="scatter-canvas" style={format!("width: {w}px; height: {h}px")} aria-hidden="true"></canvas>
                { axes_svg(&geom, frame, &props.x, &props.y, drag.map(|d| [d.x0, d.y0, d.x1, d.y1]), *hover) }
                { tooltip(&store, &props.fields.0, &props.points.0, [&props.x, &props.y, &props.color], &geom, frame, *hover) }
            </div>
            { note(&geom, &props.x, &props.y) }
            { legend(&coloring, &props.points.0.tint, &props.color) }
        </div>
    }
}

type Handlers = (
    Callback<MouseEvent>,
    Callback<MouseEvent>,
    Callback<MouseEvent>,
    Callback<MouseEvent>,
    Callback<KeyboardEvent>,
);

/// Mouse down, move, up, leave and key down.
fn handlers(
    store: &Store,
    wrap: &NodeRef,
    points: &Same<Points>,
    geom: &std::rc::Rc<ScatterGeom>,
    grid: &std::rc::Rc<HitGrid>,
    hover: &UseStateHandle<Option<usize>>,
    drag: &UseStateHandle<Option<Drag>>,
) -> Handlers {
    let down = {
        let (wrap, drag) = (wrap.clone(), drag.clone());
        Callback::from(move |e: MouseEvent| {
            if e.button() == 0 {
                let (x, y) = at(&wrap, &e);
                drag.set(Some(Drag {
                    x0: x,
                    y0: y,
                    x1: x,
                    y1: y,
                    add: e.shift_key(),
                }));
            }
        })
    };
    let mv = {
        let (wrap, drag, hover, geom, grid) = (
            wrap.clone(),
            drag.clone(),
            hover.clone(),
            geom.clone(),
            grid.clone(),
        );
        Callback::from(move |e: MouseEvent| {
            let (x, y) = at(&wrap, &e);
            match *drag {
                Some(d) => drag.set(Some(Drag { x1: x, y1: y, ..d })),
                None => hover.set(grid.nearest(&geom, x as f32, y as f32, HIT)),
            }
        })
    };
    let up = {
        let (store, wrap, drag, geom, grid, points) = (
            store.clone(),
            wrap.clone(),
            drag.clone(),
            geom.clone(),
            grid.clone(),
            points.clone(),
        );
        Callback::from(move |e: MouseEvent| {
            let Some(d) = *drag else {
                return;
            };
            drag.set(None);
            let (x, y) = at(&wrap, &e);
            if (x - d.x0).abs() < 4.0 && (y - d.y0).abs() < 4.0 {
                let hit = grid.nearest(&geom, x as f32, y as f32, HIT);
                if let Some(row) = hit.and_then(|i| row_of(&geom, &points.0, i)) {
                    open_row(&store, row);
                }
                return;
            }
            let mut keys = keys_in_box(&store, &geom, &grid, &points.0, Drag { x1: x, y1: y, ..d });
            if d.add {
                let mut all = store.selected.clone();
                keys.retain(|k| !all.contains(k));
                all.extend(keys);
                keys = all;
            }
            store.dispatcher().dispatch(Action::SelectOnly(keys));
        })
    };
    let leave = {
        let (drag, hover) = (drag.clone(), hover.clone());
        Callback::from(move |_| {
            drag.set(None);
            hover.set(None);
        })
    };
    let key = {
        let (store, hover, drag, geom, points) = (
            store.clone(),
            hover.clone(),
            drag.clone(),
            geom.clone(),
            points.clone(),
        );
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Escape" => {
                e.prevent_default();
                drag.set(None);
                store.dispatcher().dispatch(Action::SelectOnly(Vec::new()));
            }
            "ArrowRight" | "ArrowLeft" => {
                e.prevent_default();
                hover.set(geom.step_by_x(*hover, e.key() == "ArrowRight"));
            }
            "Enter" => {
                if let Some(row) = hover.and_then(|h| row_of(&geom, &points.0, h)) {
                    open_row(&store, row);
                }
            }
            _ => {}
        })
    };
    (down, mv, up, leave, key)
}
