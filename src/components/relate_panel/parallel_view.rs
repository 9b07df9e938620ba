//! The parallel coordinates tab: the chosen axes (each with log, flip and remove), a field
//! to add, the lines painted into a canvas (runs inside every brush lit, the others faint)
//! and the axes with their brushes on top.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::chart_canvas::use_width;

use super::field_pick::FieldPick;
use super::paint::{dpr, paint};
use super::parallel_axes::ParallelAxes;
use crate::components::common::Same;
use crate::query::FieldTable;
use crate::relate::columns::RowSet;
use crate::relate::parallel::{edited, AxisEdit};
use crate::relate::{ParallelGeom, Raster};
use crate::share::route::{Brush, RelateQuery};
use crate::state::{Store, Theme};

/// Props of [`ParallelView`].
#[derive(Properties, PartialEq)]
pub struct ParallelViewProps {
    /// Every run's fields.
    pub fields: Same<FieldTable>,
    /// The runs before the brushes.
    pub set: Same<RowSet>,
    /// The numeric fields.
    pub numeric: Rc<Vec<String>>,
    /// The settings.
    pub rel: RelateQuery,
    /// New settings.
    pub on_rel: Callback<RelateQuery>,
}

/// The tab.
#[component]
pub fn ParallelView(props: &ParallelViewProps) -> Html {
    let Some(store) = use_context::<Store>() else {
        return html! {};
    };
    let wrap = use_node_ref();
    let canvas = use_node_ref();
    let w = f64::from(use_width(wrap.clone(), 280, 0));
    let h = 320.0;
    let rel = &props.rel;
    let key = (
        rel.axes.clone(),
        rel.axis_log.clone(),
        rel.axis_flip.clone(),
    );
    let geom = use_memo(
        (props.fields.clone(), props.set.clone(), key, w as u32),
        move |(f, s, (axes, log, flip), _)| {
            let q = RelateQuery {
                axes: axes.clone(),
                axis_log: log.clone(),
                axis_flip: flip.clone(),
                ..Default::default()
            };
            ParallelGeom::new(&f.0, &s.0, &q, w, h)
        },
    );
    let dark = store.theme == Theme::Dark;
    {
        let canvas = canvas.clone();
        use_effect_with(
            (Same(geom.clone()), rel.brushes.clone(), dark),
            move |(g, b, dark)| {
                let d = dpr();
                let mut r = Raster::new(
                    (w as f32 * d).round() as usize,
                    (h as f32 * d).round() as usize,
                );
                let (lit, dim) = if *dark {
                    ([86, 180, 233], [110, 110, 120])
                } else {
                    ([0, 114, 178], [150, 150, 160])
                };
                g.0.draw(&mut r, d, b, lit, dim);
                if let Some(el) = canvas.cast::<web_sys::HtmlCanvasElement>() {
                    paint(&el, &r);
                }
            },
        );
    }
    let on_edit = {
        let (rel, on_rel) = (rel.clone(), props.on_rel.clone());
        Callback::from(move |(f, e, b): (String, AxisEdit, Option<Brush>)| {
            on_rel.emit(edited(&rel, &f, e, b))
        })
    };
    let add = {
        let (rel, on_rel) = (rel.clone(), props.on_rel.clone());
        Callback::from(move |f: String| {
            if !f.is_empty() && !rel.axes.contains(&f) {
                let mut r = rel.clone();
                r.axes.push(f);
                on_rel.emit(r);
            }
        })
    };
    let inside = (0..geom.len())
        .filter(|&i| geom.passes(i, &rel.brushes))
        .count();
    let choices: Rc<Vec<String>> = Rc::new(
        props
            .numeric
            .iter()
            .filter(|f| !rel.axes.contains(f))
            .cloned()
            .collect(),
    );
    html! {
        <div class="parallel-view">
            <div class="relate-controls row wrap">
                { for rel.axes.iter().map(|f| axis_chip(f, rel, &on_edit)) }
                <FieldPick id="parallel-add" label="add axis" names={choices} value="" none="choose…" on_pick={add} />
            </div>
            <div id="parallel" class="parallel" ref={wrap} data-count={geom.len().to_string()} data-inside={inside.to_string()} style={format!("height: {h}px")}>
                <canvas ref={canvas} class="scatter-canvas" style={format!("width: {w}px; height: {h}px")} aria-hidden="true"></canvas>
                <ParallelAxes geom={Same(geom.clone())} brushes={rel.brushes.clone()} w={w} h={h} on_edit={on_edit.clone()} />
            </div>
            <p id="parallel-note" class="muted small">{ note(&geom, inside, !rel.brushes.is_empty()) }</p>
        </div>
    }
}

fn note(g: &ParallelGeom, inside: usize, brushed: bool) -> String {
    let mut parts = vec![format!(
        "{} runs drawn",
        crate::format::grouped(g.len() as u64)
    )];
    if brushed {
        parts.push(format!(
            "{} inside every brush",
            crate::format::grouped(inside as u64)
        ));
    }
    if g.lacking > 0 {
        parts.push(format!("{} lack one of the fields", g.lacking));
    }
    for a in g.axes.iter().filter(|a| a.skipped > 0) {
        parts.push(format!(
            "{} with {} ≤ 0 left off its log axis",
            a.skipped, a.field
        ));
    }
    parts.push("drag along an axis to brush it; a click on the axis clears its brush".into());
    parts.join(" · ")
}

/// An axis' name with its log, flip and remove buttons.
fn axis_chip(
    f: &str,
    rel: &RelateQuery,
    on_edit: &Callback<(String, AxisEdit, Option<Brush>)>,
) -> Html {
    let b = |edit: AxisEdit, text: &'static str, label: String, pressed: Option<bool>| {
        let (f, on_edit) = (f.to_string(), on_edit.clone());
        let onclick = Callback::from(move |_| on_edit.emit((f.clone(), edit, None)));
        html! { <button type="button" class="chip-btn" aria-label={label} aria-pressed={pressed.map(|p| p.to_string())} {onclick}>{ text }</button> }
    };
    html! {
        <span class="pc-chip" data-field={f.to_string()}>
            <span class="mono">{ f.to_string() }</span>
            { b(AxisEdit::Log, "log", format!("Log scale for {f}"), Some(rel.axis_log.iter().any(|a| a == f))) }
            { b(AxisEdit::Flip, "flip", format!("Flip {f}"), Some(rel.axis_flip.iter().any(|a| a == f))) }
            { b(AxisEdit::Remove, "×", format!("Remove the axis {f}"), None) }
        </span>
    }
}
