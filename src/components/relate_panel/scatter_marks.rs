//! What the scatter draws besides its points: axes with ticks and titles, the box being
//! dragged and the hovered point's ring (an SVG over the canvas), the hovered run's values,
//! the note under the plot and the colour legend.

use yew::prelude::*;

use crate::query::FieldTable;
use crate::relate::columns::Tint;
use crate::relate::scatter::Frame;
use crate::relate::{Coloring, Points, ScatterGeom};
use crate::state::Store;

/// Axes, ticks and titles, the box being dragged and the hovered point's ring.
pub fn axes_svg(
    g: &ScatterGeom,
    f: Frame,
    x: &str,
    y: &str,
    sel: Option<[f64; 4]>,
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
            if let Some([x0, y0, x1, y1]) = sel {
                <rect class="sel-box" x={x0.min(x1).to_string()} y={y0.min(y1).to_string()} width={(x1 - x0).abs().to_string()} height={(y1 - y0).abs().to_string()} />
            }
            if let Some((px, py)) = hover.and_then(|i| Some((*g.px.get(i)?, *g.py.get(i)?))) {
                <circle class="hover-ring" cx={px.to_string()} cy={py.to_string()} r="6" />
            }
        </svg>
    }
}

/// The hovered run and its values.
pub fn tooltip(
    store: &Store,
    fields: &FieldTable,
    p: &Points,
    [x, y, color]: [&str; 3],
    g: &ScatterGeom,
    f: Frame,
    hover: Option<usize>,
) -> Html {
    let Some(i) = hover else {
        return html! {};
    };
    let (Some(&pi), Some(&px), Some(&py)) = (g.point.get(i), g.px.get(i), g.py.get(i)) else {
        return html! {};
    };
    let pi = pi as usize;
    let row = p.rows.get(pi).copied().unwrap_or(0);
    let name = store.runs.get(row).map(|r| r.label()).unwrap_or_default();
    let num = |v: Option<&f64>| v.map(|v| crate::format::number(*v)).unwrap_or_default();
    let colour = (!color.is_empty()).then(|| match p.tint.get(pi) {
        Some(Tint::Num(v)) => crate::format::number(*v),
        Some(Tint::Cat(c)) => crate::relate::color::category_name(fields, *c),
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
            <div><span class="mono">{ x.to_string() }</span>{ " " }<span class="num">{ num(p.x.get(pi)) }</span></div>
            <div><span class="mono">{ y.to_string() }</span>{ " " }<span class="num">{ num(p.y.get(pi)) }</span></div>
            if let Some(c) = colour {
                <div><span class="mono">{ color.to_string() }</span>{ " " }{ c }</div>
            }
        </div>
    }
}

/// How many runs are drawn, and why others are not.
pub fn note(g: &ScatterGeom, x: &str, y: &str) -> Html {
    let mut parts = vec![format!(
        "{} runs with both fields drawn",
        crate::format::grouped(g.len() as u64)
    )];
    if g.skipped_x > 0 {
        parts.push(format!("{} with {} ≤ 0 left off log x", g.skipped_x, x));
    }
    if g.skipped_y > 0 {
        parts.push(format!("{} with {} ≤ 0 left off log y", g.skipped_y, y));
    }
    html! { <p id="scatter-note" class="muted small">{ parts.join(" · ") }</p> }
}

/// What each colour means: categories with their counts, or a ramp between the lowest and
/// highest value.
pub fn legend(c: &Coloring, tints: &[Tint], field: &str) -> Html {
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
