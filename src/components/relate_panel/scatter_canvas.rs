//! The scatter plot: points painted into a canvas in one call, axes, the box being dragged
//! and the hovered point in an SVG on top. Hover names the run and its values, a click opens
//! it, a drag ticks the runs inside the box (Shift adds to the ticks), the arrow keys step
//! through the points by x, Enter opens one, Esc unticks.

use gloo::events::EventListener;
use yew::prelude::*;

use super::paint::{dpr, paint};
use crate::components::common::Same;
use crate::query::FieldTable;
use crate::relate::columns::Tint;
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

/// The width of `wrap`'s element (at least 280), following window resizes.
#[hook]
fn use_width(wrap: NodeRef) -> f64 {
    let width = use_state_eq(|| 640u32);
    {
        let width = width.clone();
        use_effect_with((), move |_| {
            let measure = move || {
                if let Some(el) = wrap.cast::<web_sys::Element>() {
                    width.set(el.client_width().max(280) as u32);
                }
            };
            measure();
            let l = EventListener::new(&gloo::utils::window(), "resize", move |_| measure());
            move || drop(l)
        });
    }
    *width as f64
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
    let w = use_width(wrap.clone());
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
                { axes_svg(&geom, frame, &props.x, &props.y, *drag, *hover) }
                { tooltip(&store, props, &geom, frame, *hover) }
            </div>
            { note(&geom, props) }
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
                if let Some(i) = grid.nearest(&geom, x as f32, y as f32, HIT) {
                    if let Some(&row) = geom
                        .point
                        .get(i)
                        .and_then(|&p| points.0.rows.get(p as usize))
                    {
                        open_row(&store, row);
                    }
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
                let order = geom.order_by_x();
                let now = hover.and_then(|h| order.iter().position(|&i| i as usize == h));
                let next = match (now, e.key() == "ArrowRight") {
                    (None, _) => 0,
                    (Some(k), true) => (k + 1).min(order.len().saturating_sub(1)),
                    (Some(k), false) => k.saturating_sub(1),
                };
                hover.set(order.get(next).map(|&i| i as usize));
            }
            "Enter" => {
                if let Some(&row) = hover
                    .and_then(|h| geom.point.get(h))
                    .and_then(|&p| points.0.rows.get(p as usize))
                {
                    open_row(&store, row);
                }
            }
            _ => {}
        })
    };
    (down, mv, up, leave, key)
}

/// Axes, ticks and titles, the box being dragged and the hovered point's ring.
fn axes_svg(
    g: &ScatterGeom,
    f: Frame,
    x: &str,
    y: &str,
    drag: Option<Drag>,
    hover: Option<usize>,
) -> Html {
    let (Some(xs), Some(ys)) = (g.x, g.y) else {
        return html! {};
    };
    let (x0, x1, y0, y1) = (f.left, f.w - f.right, f.h - f.bottom, f.top);
    let xt = xs.ticks(((f.w - f.left) / 90.0).max(3.0) as usize);
    let yt = ys.ticks(((f.h - f.bottom) / 48.0).max(3.0) as usize);
    html! {
        <svg class="scatter-axes" width={f.w.to_string()} height={f.h.to_string()} aria-hidden="true">
            <rect class="frame" x={x0.to_string()} y={y1.to_string()} width={(x1 - x0).to_string()} height={(y0 - y1).to_string()} />
            { for xt.iter().filter_map(|&v| xs.px(v).map(|p| (v, p))).map(|(v, p)| html! {
                <g class="tick"><line x1={p.to_string()} x2={p.to_string()} y1={y1.to_string()} y2={(y0 + 4.0).to_string()} />
                <text x={p.to_string()} y={(y0 + 16.0).to_string()} text-anchor="middle">{ xs.label(v) }</text></g>
            }) }
            { for yt.iter().filter_map(|&v| ys.px(v).map(|p| (v, p))).map(|(v, p)| html! {
                <g class="tick"><line x1={(x0 - 4.0).to_string()} x2={x1.to_string()} y1={p.to_string()} y2={p.to_string()} />
                <text x={(x0 - 6.0).to_string()} y={(p + 4.0).to_string()} text-anchor="end">{ ys.label(v) }</text></g>
            }) }
            <text class="title" x={((x0 + x1) / 2.0).to_string()} y={(f.h - 6.0).to_string()} text-anchor="middle">{ format!("{x}{}", if xs.log { " (log)" } else { "" }) }</text>
            <text class="title" transform={format!("translate(12 {}) rotate(-90)", (y0 + y1) / 2.0)} text-anchor="middle">{ format!("{y}{}", if ys.log { " (log)" } else { "" }) }</text>
            if let Some(d) = drag {
                <rect class="sel-box" x={d.x0.min(d.x1).to_string()} y={d.y0.min(d.y1).to_string()} width={(d.x1 - d.x0).abs().to_string()} height={(d.y1 - d.y0).abs().to_string()} />
            }
            if let Some((px, py)) = hover.and_then(|i| Some((*g.px.get(i)?, *g.py.get(i)?))) {
                <circle class="hover-ring" cx={px.to_string()} cy={py.to_string()} r="6" />
            }
        </svg>
    }
}

/// The hovered run and its values.
fn tooltip(
    store: &Store,
    props: &ScatterCanvasProps,
    g: &ScatterGeom,
    f: Frame,
    hover: Option<usize>,
) -> Html {
    let Some(i) = hover else {
        return html! {};
    };
    let p = &props.points.0;
    let (Some(&pi), Some(&px), Some(&py)) = (g.point.get(i), g.px.get(i), g.py.get(i)) else {
        return html! {};
    };
    let pi = pi as usize;
    let row = p.rows.get(pi).copied().unwrap_or(0);
    let name = store.runs.get(row).map(|r| r.label()).unwrap_or_default();
    let num = |v: Option<&f64>| v.map(|v| crate::format::number(*v)).unwrap_or_default();
    let colour = (!props.color.is_empty()).then(|| match p.tint.get(pi) {
        Some(Tint::Num(v)) => crate::format::number(*v),
        Some(Tint::Cat(c)) => crate::relate::color::category_name(&props.fields.0, *c),
        _ => "–".into(),
    });
    let left = if (px as f64) > f.w * 0.6 {
        format!("right: {}px", f.w - px as f64 + 10.0)
    } else {
        format!("left: {}px", px + 10.0)
    };
    html! {
        <div id="scatter-tip" class="scatter-tip" role="status" data-run={name.clone()} style={format!("{left}; top: {}px", py + 10.0)}>
            <strong class="mono">{ name }</strong>
            <div><span class="mono">{ props.x.clone() }</span>{ " " }<span class="num">{ num(p.x.get(pi)) }</span></div>
            <div><span class="mono">{ props.y.clone() }</span>{ " " }<span class="num">{ num(p.y.get(pi)) }</span></div>
            if let Some(c) = colour {
                <div><span class="mono">{ props.color.clone() }</span>{ " " }{ c }</div>
            }
        </div>
    }
}

/// How many runs are drawn, and why others are not.
fn note(g: &ScatterGeom, props: &ScatterCanvasProps) -> Html {
    let mut parts = vec![format!(
        "{} runs with both fields drawn",
        crate::format::grouped(g.len() as u64)
    )];
    if g.skipped_x > 0 {
        parts.push(format!(
            "{} with {} ≤ 0 left off log x",
            g.skipped_x, props.x
        ));
    }
    if g.skipped_y > 0 {
        parts.push(format!(
            "{} with {} ≤ 0 left off log y",
            g.skipped_y, props.y
        ));
    }
    html! { <p id="scatter-note" class="muted small">{ parts.join(" · ") }</p> }
}

/// What each colour means: categories with their counts, or a ramp between the lowest and
/// highest value.
fn legend(c: &Coloring, tints: &[Tint], field: &str) -> Html {
    let entries = c.legend(tints);
    if entries.is_empty() {
        return html! {};
    }
    let item = |e: &crate::relate::LegendEntry| {
        html! {
            <span class="legend-item" data-label={e.label.clone()} data-count={e.count.to_string()}>
                <span class="swatch" style={format!("background: {}", crate::relate::color::css(e.rgb))} aria-hidden="true"></span>
                { e.label.clone() }
                if e.count > 0 { <span class="muted">{ format!(" ({})", e.count) }</span> }
            </span>
        }
    };
    let body = match c {
        Coloring::Sequential { scale, .. } => {
            let stops: Vec<String> = (0..=8)
                .map(|k| {
                    let v = scale.lo + (scale.hi - scale.lo) * k as f64 / 8.0;
                    crate::relate::color::css(c.rgb(Tint::Num(v)))
                })
                .collect();
            let ramp = format!(
                "background: linear-gradient(to right, {})",
                stops.join(", ")
            );
            html! {
                <>
                    <span class="num">{ crate::format::number(scale.lo) }</span>
                    <span class="ramp" style={ramp} aria-hidden="true"></span>
                    <span class="num">{ crate::format::number(scale.hi) }</span>
                    { for entries.iter().skip(2).map(item) }
                </>
            }
        }
        _ => html! { { for entries.iter().map(item) } },
    };
    html! {
        <div id="scatter-legend" class="scatter-legend small" aria-label={format!("Colour: {field}")}>
            <span class="mono">{ field.to_string() }</span>
            { body }
        </div>
    }
}
