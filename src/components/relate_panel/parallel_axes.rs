//! The parallel plot's axes (ticks, title, brush) in an SVG over the lines. A drag along an
//! axis brushes it, a click on it clears its brush. Each axis takes the focus: Esc clears its
//! brush, `l` toggles log, `f` flips, Delete removes it; ArrowUp/ArrowDown move its brush.

use yew::prelude::*;

use crate::components::common::Same;
use crate::relate::parallel::{brush_from_drag, AxisEdit, AxisGeom};
use crate::relate::ParallelGeom;
use crate::share::route::Brush;

/// Props of [`ParallelAxes`].
#[derive(Properties, PartialEq)]
pub struct ParallelAxesProps {
    /// The layout.
    pub geom: Same<ParallelGeom>,
    /// The brushes.
    pub brushes: Vec<Brush>,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
    /// An edit of an axis.
    pub on_edit: Callback<(String, AxisEdit, Option<Brush>)>,
}

/// A drag on axis `axis` from `y0` to `y1`.
#[derive(Clone, Copy, PartialEq)]
struct Drag {
    axis: usize,
    y0: f64,
    y1: f64,
}

/// The pointer's y in the svg (Yew delegates events, so `current_target` is not the svg).
fn y_of(svg: &NodeRef, e: &MouseEvent) -> f64 {
    svg.cast::<web_sys::Element>().map_or(0.0, |el| {
        e.client_y() as f64 - el.get_bounding_client_rect().top()
    })
}

/// The brush's pixel span on an axis, top to bottom (clipped to the axis).
fn span(a: &AxisGeom, b: &Brush) -> Option<(f64, f64)> {
    let (top, bottom) = (a.scale.p1.min(a.scale.p0), a.scale.p1.max(a.scale.p0));
    let px = |v: f64| {
        a.scale
            .px(v)
            .unwrap_or(if v <= 0.0 { a.scale.p0 } else { a.scale.p1 })
    };
    let (p, q) = (px(b.lo), px(b.hi));
    let (p, q) = (p.min(q).max(top), p.max(q).min(bottom));
    (q > p).then_some((p, q))
}

/// The brush moved by `dy` pixels.
fn moved(a: &AxisGeom, b: &Brush, dy: f64) -> Option<Brush> {
    let (p, q) = span(a, b)?;
    brush_from_drag(a, p + dy, q + dy)
}

/// The axes.
#[component]
pub fn ParallelAxes(props: &ParallelAxesProps) -> Html {
    let drag = use_state_eq(|| None::<Drag>);
    let svg = use_node_ref();
    let g = &props.geom.0;
    let onmousemove = {
        let (drag, svg) = (drag.clone(), svg.clone());
        Callback::from(move |e: MouseEvent| {
            if let Some(d) = *drag {
                drag.set(Some(Drag {
                    y1: y_of(&svg, &e),
                    ..d
                }));
            }
        })
    };
    let finish = {
        let (drag, geom, on_edit, svg) = (
            drag.clone(),
            props.geom.clone(),
            props.on_edit.clone(),
            svg.clone(),
        );
        Callback::from(move |e: MouseEvent| {
            let Some(d) = *drag else {
                return;
            };
            drag.set(None);
            if let Some(a) = geom.0.axes.get(d.axis) {
                on_edit.emit((
                    a.field.clone(),
                    AxisEdit::Brush,
                    brush_from_drag(a, d.y0, y_of(&svg, &e)),
                ));
            }
        })
    };
    let axes = g
        .axes
        .iter()
        .enumerate()
        .map(|(k, a)| axis(props, &drag, &svg, k, a));
    html! {
        <svg ref={svg.clone()} class="pc-axes" width={props.w.to_string()} height={props.h.to_string()} onmousemove={onmousemove} onmouseup={finish.clone()} onmouseleave={finish}>
            { for axes }
            if let Some(d) = *drag {
                if let Some(a) = g.axes.get(d.axis) {
                    <rect class="brush live" x={(a.x - 9.0).to_string()} y={d.y0.min(d.y1).to_string()} width="18" height={(d.y1 - d.y0).abs().to_string()} />
                }
            }
        </svg>
    }
}

fn axis(
    props: &ParallelAxesProps,
    drag: &UseStateHandle<Option<Drag>>,
    svg: &NodeRef,
    k: usize,
    a: &AxisGeom,
) -> Html {
    let brush = props.brushes.iter().find(|b| b.field == a.field);
    let ticks = a.scale.ticks(6);
    // Titles take turns on two lines when the axes stand close, and are cut to their room.
    let gap = match props.geom.0.axes.as_slice() {
        [first, second, ..] => second.x - first.x,
        _ => props.w,
    };
    let stagger = gap < 150.0;
    let room = ((if stagger { 2.0 * gap } else { gap }) / 7.0).max(6.0) as usize;
    let (top, bottom) = (a.scale.p1.min(a.scale.p0), a.scale.p1.max(a.scale.p0));
    let onmousedown = {
        let (drag, svg) = (drag.clone(), svg.clone());
        Callback::from(move |e: MouseEvent| {
            if e.button() == 0 {
                e.prevent_default();
                let y = y_of(&svg, &e);
                drag.set(Some(Drag {
                    axis: k,
                    y0: y,
                    y1: y,
                }));
            }
        })
    };
    let onkeydown = {
        let (f, on_edit, a, brush) = (
            a.field.clone(),
            props.on_edit.clone(),
            a.clone(),
            brush.cloned(),
        );
        Callback::from(move |e: KeyboardEvent| {
            let edit = match e.key().as_str() {
                "Escape" => Some((AxisEdit::Brush, None)),
                "l" | "L" => Some((AxisEdit::Log, None)),
                "f" | "F" => Some((AxisEdit::Flip, None)),
                "Delete" | "Backspace" => Some((AxisEdit::Remove, None)),
                "ArrowUp" | "ArrowDown" => {
                    let dy = if e.key() == "ArrowUp" { -8.0 } else { 8.0 };
                    let b = match &brush {
                        Some(b) => moved(&a, b, dy),
                        // No brush yet: the middle third of the axis.
                        None => brush_from_drag(
                            &a,
                            top + (bottom - top) / 3.0,
                            bottom - (bottom - top) / 3.0,
                        ),
                    };
                    Some((AxisEdit::Brush, b))
                }
                _ => None,
            };
            if let Some((edit, b)) = edit {
                e.prevent_default();
                on_edit.emit((f.clone(), edit, b));
            }
        })
    };
    let label = match brush {
        Some(b) => format!("Axis {}: brushed {} to {}. Drag along it to brush; Esc clears; arrow keys move the brush; L log, F flip, Delete removes.", a.field, b.lo, b.hi),
        None => format!("Axis {}. Drag along it to brush; arrow keys make a brush; L log, F flip, Delete removes.", a.field),
    };
    html! {
        <g class="pc-axis" tabindex="0" role="group" aria-label={label} data-field={a.field.clone()} data-x={a.x.to_string()}
            data-scale={format!("{},{},{},{},{}", a.scale.lo, a.scale.hi, a.scale.p0, a.scale.p1, a.scale.log)} {onkeydown}>
            <line class="axis-line" x1={a.x.to_string()} x2={a.x.to_string()} y1={top.to_string()} y2={bottom.to_string()} />
            { for ticks.iter().filter_map(|&v| a.scale.px(v).map(|p| (v, p))).map(|(v, p)| html! {
                <g class="tick"><line x1={(a.x - 4.0).to_string()} x2={a.x.to_string()} y1={p.to_string()} y2={p.to_string()} />
                <text x={(a.x - 6.0).to_string()} y={(p + 4.0).to_string()} text-anchor="end">{ a.scale.label(v) }</text></g>
            }) }
            <text class="title" x={a.x.to_string()} y={(top - if stagger && k % 2 == 1 { 8.0 } else { 24.0 }).to_string()} text-anchor="middle">{ short(&a.field, room) }<title>{ a.field.clone() }</title></text>
            if let Some((p, q)) = brush.and_then(|b| span(a, b)) {
                <rect class="brush" data-field={a.field.clone()} x={(a.x - 7.0).to_string()} y={p.to_string()} width="14" height={(q - p).to_string()} />
            }
            <rect class="hit" x={(a.x - 14.0).to_string()} y={top.to_string()} width="28" height={(bottom - top).to_string()} {onmousedown} />
        </g>
    }
}

/// A field name shortened in the middle to `room` characters for an axis title (the full
/// name on hover).
fn short(f: &str, room: usize) -> String {
    let n = f.chars().count();
    if n <= room {
        return f.to_string();
    }
    let head: String = f.chars().take((room - 1) / 2).collect();
    let tail: String = f.chars().skip(n - (room - 1 - (room - 1) / 2)).collect();
    format!("{head}…{tail}")
}
