//! One panel of the workspace: a tag's lines (every run that has it) on a canvas, drawn by
//! the shared chart code ([`crate::components::chart_canvas`]); the crosshair of the whole
//! workspace at its x; drag to zoom (every panel follows while x is synced), Shift+drag to
//! pick the step range of the range table, wheel to zoom, double-click to reset; keys: left
//! and right move the crosshair, `+` `-` `0` zoom, Esc clears the crosshair and the range.

use std::rc::Rc;

use web_sys::{KeyboardEvent, MouseEvent};
use yew::prelude::*;

use crate::chart::draw::{ChartSpec, Drawn, Extras, Line};
use crate::chart::series_math::{M4Memo, XAxis};
use crate::chart::view::{self, ViewAction};
use crate::components::chart_canvas::{paint_memo, use_measured_width, use_wheel};
use crate::components::in_view::{use_in_view, InView};
use crate::workspace::model::{Crosshair, Track};
use crate::workspace::panel::Marker;

/// Height of a panel's canvas in pixels.
pub const PANEL_HEIGHT: u32 = 230;

/// One line of a panel.
#[derive(Debug, Clone, PartialEq)]
pub struct WsLine {
    /// The points.
    pub track: Track,
    /// The run id.
    pub label: String,
    /// Colour index.
    pub color: usize,
}

/// Props of [`WsPanel`].
#[derive(Properties, PartialEq)]
pub struct WsPanelProps {
    /// The tag.
    pub tag: AttrValue,
    /// The lines to draw (hidden runs left out), the highlighted one last.
    pub lines: Rc<Vec<WsLine>>,
    /// Group lines, bands, markers and the robust y range.
    #[prop_or_default]
    pub extras: SameExtras,
    /// Notes under the panel (robust edge counts, interpolation).
    #[prop_or_default]
    pub notes: Vec<String>,
    /// Event markers on the x axis.
    #[prop_or_default]
    pub markers: Rc<Vec<Marker>>,
    /// The x axis.
    pub axis: XAxis,
    /// The zoomed x range.
    pub zoom: Option<(f64, f64)>,
    /// Dark theme.
    pub dark: bool,
    /// The workspace's crosshair.
    pub hover: Option<Crosshair>,
    /// The step range of the range table.
    pub range: Option<(f64, f64)>,
    /// Runs that have the tag (hidden ones too).
    pub runs: usize,
    /// Shown runs drawn within a group's line, and the number of groups.
    #[prop_or_default]
    pub grouped: (usize, usize),
    /// The crosshair moved (or left).
    pub on_hover: Callback<Option<Crosshair>>,
    /// Zoom this panel (and the others while synced): (tag, range; `None` resets).
    pub on_zoom: Callback<(String, Option<(f64, f64)>)>,
    /// A range was picked (`None` clears it).
    pub on_range: Callback<Option<(f64, f64)>>,
    /// Panels in one column (the width is measured again).
    pub one_column: bool,
}

/// A panel's extras, compared by identity (they are made once per change of settings, and
/// comparing a band point by point on every crosshair move would cost more than drawing).
#[derive(Debug, Clone, Default)]
pub struct SameExtras(pub Rc<Extras>);

impl PartialEq for SameExtras {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.0, &o.0)
    }
}

/// A drag on the canvas: from and to, in pixels; `range` picks the table's range.
#[derive(Debug, Clone, Copy, PartialEq)]
struct PanelDrag {
    from: f64,
    to: f64,
    range: bool,
}

fn px_of(d: &Drawn, x: f64) -> Option<f64> {
    let (l, _, r, _) = d.plot;
    let (a, b) = d.x_range;
    (b > a && x >= a && x <= b).then(|| l as f64 + (x - a) / (b - a) * (r - l) as f64)
}

/// The panel.
#[component]
pub fn WsPanel(props: &WsPanelProps) -> Html {
    let canvas = use_node_ref();
    let wrap = use_node_ref();
    let drawn = use_mut_ref(Drawn::default);
    let last = use_state_eq(Drawn::default);
    let drag = use_state_eq(|| None::<PanelDrag>);
    let width = use_measured_width(wrap.clone(), 260, u64::from(props.one_column));
    let spec = ChartSpec {
        x: props.axis,
        x_range: props.zoom,
        log_y: false,
        dark: props.dark,
        y_title: props.tag.to_string(),
    };
    // Decimated columns kept from frame to frame: a pan decimates only what it brings in.
    let memo = use_mut_ref(M4Memo::default);
    // Out of the window, the newest paint waits until the panel is scrolled to (or a pointer
    // or a key reaches it): a synced zoom redraws only the panels in view at once.
    let view = use_in_view(wrap.clone());
    {
        let (canvas, drawn, last, view) =
            (canvas.clone(), drawn.clone(), last.clone(), view.clone());
        let deps = (
            props.lines.clone(),
            props.extras.clone(),
            spec.clone(),
            width,
        );
        use_effect_with(deps, move |(lines, extras, spec, w)| {
            // Not before the panel's width is known: a paint at a guessed width is redone
            // at once.
            let Some(w) = *w else { return };
            let (lines, extras, spec, size) = (
                lines.clone(),
                extras.clone(),
                spec.clone(),
                (w, PANEL_HEIGHT),
            );
            view.paint(Box::new(move || {
                let drawable: Vec<Line<'_>> = lines
                    .iter()
                    .filter_map(|l| {
                        Some(Line {
                            series: l.track.series()?,
                            raw_index: l.track.index()?,
                            smoothed: None,
                            label: l.label.clone(),
                            color: l.color,
                        })
                    })
                    .collect();
                let memo = Some(&mut *memo.borrow_mut());
                if let Some(d) = paint_memo(&canvas, size, &spec, &drawable, &extras.0, memo) {
                    last.set(d.clone());
                    *drawn.borrow_mut() = d;
                }
            }));
        });
    }
    let tag = props.tag.to_string();
    let zoom_to = {
        let (on_zoom, tag) = (props.on_zoom.clone(), tag.clone());
        Callback::from(move |a: ViewAction| match a {
            ViewAction::Show(lo, hi) => on_zoom.emit((tag.clone(), Some((lo, hi)))),
            ViewAction::Reset => on_zoom.emit((tag.clone(), None)),
            _ => {}
        })
    };
    use_wheel(canvas.clone(), drawn.clone(), zoom_to.clone());
    let [on_move, on_down, on_up, on_leave] = gestures(props, &drawn, &drag, &zoom_to);
    let on_dbl = zoom_to.reform(|_: MouseEvent| ViewAction::Reset);
    let on_key = key_handler(props, &drawn, &zoom_to);
    // A gesture reads what was drawn: a paint still waiting is done first.
    let (on_move, on_down, on_up, on_key) = (
        flushed(&view, on_move),
        flushed(&view, on_down),
        flushed(&view, on_up),
        flushed(&view, on_key),
    );
    let on_over = {
        let view = view.clone();
        Callback::from(move |_: MouseEvent| view.flush())
    };
    let d = (*last).clone();
    let hovered = props.hover.as_ref().is_some_and(|c| c.tag == tag);
    html! {
        <figure class={classes!("ws-panel", hovered.then_some("hovered"))} data-tag={tag.clone()}>
            <figcaption><span class="mono ws-tag">{ tag.clone() }</span>
                <span class="muted small">{ format!(" · {} of {} runs", props.lines.len() + props.grouped.0, props.runs) }</span>
                if props.grouped.1 > 0 { <span class="muted small">{ format!(", {} in {} group(s)", props.grouped.0, props.grouped.1) }</span> }
            </figcaption>
            <div class="canvas-wrap" ref={wrap} tabindex="0" onkeydown={on_key} onmouseover={on_over}
                aria-label={format!("Panel {tag}: drag to zoom every panel, Shift+drag to pick a step range, wheel to zoom, double-click or 0 to reset, left and right arrows move the crosshair, Esc clears it")}>
                <canvas ref={canvas} height={PANEL_HEIGHT.to_string()} onmousemove={on_move} onmousedown={on_down}
                    onmouseup={on_up} onmouseleave={on_leave} ondblclick={on_dbl} role="img"
                    aria-label={format!("Chart of {tag} for {} runs", props.lines.len())}></canvas>
                { overlays(props, &d, *drag) }
            </div>
            { for props.notes.iter().map(|n| html! { <p class="muted small ws-note">{ n.clone() }</p> }) }
        </figure>
    }
}

/// `cb`, after `view`'s waiting paint (if any) is done.
fn flushed<E: 'static>(view: &Rc<InView>, cb: Callback<E>) -> Callback<E> {
    let view = view.clone();
    Callback::from(move |e: E| {
        view.flush();
        cb.emit(e);
    })
}

/// The panel's mouse handlers over `drawn`: move (the crosshair, and a drag's end), down (a
/// drag starts; Shift or Alt picks a range), up (the drag zooms or picks), leave.
fn gestures(
    props: &WsPanelProps,
    drawn: &Rc<std::cell::RefCell<Drawn>>,
    drag: &UseStateHandle<Option<PanelDrag>>,
    zoom_to: &Callback<ViewAction>,
) -> [Callback<MouseEvent>; 4] {
    let on_move = {
        let (drawn, drag, on_hover, tag) = (
            drawn.clone(),
            drag.clone(),
            props.on_hover.clone(),
            props.tag.to_string(),
        );
        Callback::from(move |e: MouseEvent| {
            let px = e.offset_x() as f64;
            let d = drawn.borrow();
            let (l, _, r, _) = d.plot;
            if r > l && px >= l as f64 && px <= r as f64 {
                on_hover.emit(Some(Crosshair {
                    tag: tag.clone(),
                    x: d.data_x(px),
                }));
            }
            if let Some(g) = *drag {
                drag.set(Some(PanelDrag { to: px, ..g }));
            }
        })
    };
    let on_down = {
        let drag = drag.clone();
        Callback::from(move |e: MouseEvent| {
            if e.button() == 0 {
                let px = e.offset_x() as f64;
                drag.set(Some(PanelDrag {
                    from: px,
                    to: px,
                    range: e.shift_key() || e.alt_key(),
                }));
            }
        })
    };
    let on_up = {
        let (drawn, drag, zoom_to, on_range) = (
            drawn.clone(),
            drag.clone(),
            zoom_to.clone(),
            props.on_range.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            if let Some(g) = *drag {
                if (g.from - g.to).abs() > 4.0 {
                    let d = drawn.borrow();
                    let (lo, hi) = (d.data_x(g.from.min(g.to)), d.data_x(g.from.max(g.to)));
                    if g.range {
                        on_range.emit(Some((lo, hi)));
                    } else {
                        zoom_to.emit(ViewAction::Show(lo, hi));
                    }
                }
            }
            drag.set(None);
        })
    };
    let on_leave = {
        let (drag, on_hover) = (drag.clone(), props.on_hover.clone());
        Callback::from(move |_: MouseEvent| {
            drag.set(None);
            on_hover.emit(None);
        })
    };
    [on_move, on_down, on_up, on_leave]
}

/// What is drawn over the canvas: the range, a drag's rectangle, the crosshair, the markers.
fn overlays(props: &WsPanelProps, d: &Drawn, drag: Option<PanelDrag>) -> Html {
    let cross = props.hover.as_ref().and_then(|c| px_of(d, c.x));
    let (_, top, _, bottom) = d.plot;
    let band = |a: f64, b: f64, class: &'static str| {
        html! { <div class={class} style={format!("left: {a}px; width: {}px; top: {top}px; height: {}px", (b - a).max(1.0), bottom - top)}></div> }
    };
    let range_px = props.range.and_then(|(a, b)| {
        let (x0, x1) = d.x_range;
        let (a, b) = (a.max(x0), b.min(x1));
        (b > a).then(|| (px_of(d, a), px_of(d, b)))
    });
    html! {
        <>
                if let Some((Some(a), Some(b))) = range_px { { band(a, b, "ws-range") } }
                if let Some(g) = drag { { band(g.from.min(g.to), g.from.max(g.to), if g.range { "ws-range" } else { "zoom-rect" }) } }
                if let Some(x) = cross { <div class="crosshair" style={format!("left: {x}px; top: {top}px; height: {}px", bottom - top)}></div> }
                { for props.markers.iter().filter_map(|m| Some((px_of(d, m.x)?, m))).map(|(x, m)| html! {
                    <span class={classes!("ws-marker", m.kind)} data-kind={m.kind} data-step={m.step.to_string()} data-stage={m.stage.clone()}
                        title={format!("{} at {}step {}: {}", m.kind, m.stage.as_deref().map(|s| format!("{} ", s.to_uppercase())).unwrap_or_default(), m.step, m.label)}
                        style={format!("left: {x}px; top: {}px", bottom - 2)}></span>
                }) }
        </>
    }
}

/// The panel's keys: arrows move the crosshair a hundredth of the view (Shift: pan a
/// tenth), `+` `-` `0` zoom, Esc clears the crosshair and the range.
fn key_handler(
    props: &WsPanelProps,
    drawn: &Rc<std::cell::RefCell<Drawn>>,
    zoom_to: &Callback<ViewAction>,
) -> Callback<KeyboardEvent> {
    let (drawn, zoom_to) = (drawn.clone(), zoom_to.clone());
    let (on_hover, on_range) = (props.on_hover.clone(), props.on_range.clone());
    let hover = props.hover.clone();
    let tag = props.tag.to_string();
    Callback::from(move |e: KeyboardEvent| {
        let shown = drawn.borrow().x_range;
        let key = e.key();
        match key.as_str() {
            "Escape" => {
                on_hover.emit(None);
                on_range.emit(None);
            }
            "ArrowLeft" | "ArrowRight" if !e.shift_key() => {
                let step = (shown.1 - shown.0) / 100.0;
                let dir = if key == "ArrowLeft" { -1.0 } else { 1.0 };
                let from = hover
                    .as_ref()
                    .map_or((shown.0 + shown.1) / 2.0, |c| c.x + dir * step);
                on_hover.emit(Some(Crosshair {
                    tag: tag.clone(),
                    x: from.clamp(shown.0, shown.1),
                }));
            }
            "l" => return,
            k => match view::key(k, shown) {
                Some(a) => zoom_to.emit(a),
                None => return,
            },
        }
        e.prevent_default();
    })
}
