//! An interactive chart of one or more series (one run's tag, or the same tag of several
//! runs): smoothing, log y, x axis choice, drag/wheel zoom, shift-drag pan, double-click
//! reset, keyboard, hover crosshair with every line's value, legend toggles, PNG and CSV
//! export. Drawing is the pure `chart` module on a canvas.

use std::collections::BTreeSet;
use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::{
    HtmlCanvasElement, HtmlInputElement, HtmlSelectElement, KeyboardEvent, MouseEvent, WheelEvent,
};
use yew::prelude::*;

use crate::app::Store;
use crate::chart::draw::{color, draw, ChartSpec, Drawn, Line, PALETTE};
use crate::chart::series_math::{nearest, smooth, MinMaxIndex, Raw, XAxis};
use crate::format;
use crate::loader::download::{save_text, save_url};
use crate::share::url::ChartState;
use crate::state::{Action, LoadedCurves, Theme};

/// One line of the chart.
#[derive(Clone)]
pub struct ChartLine {
    /// The file it comes from.
    pub curves: Rc<LoadedCurves>,
    /// Index of the series in the file.
    pub series: usize,
    /// Legend label.
    pub label: String,
    /// Palette index.
    pub color: usize,
}

impl PartialEq for ChartLine {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.curves, &o.curves)
            && self.series == o.series
            && self.label == o.label
            && self.color == o.color
    }
}

/// Props of [`LossChart`].
#[derive(Properties, PartialEq, Clone)]
pub struct LossChartProps {
    /// The lines.
    pub lines: Vec<ChartLine>,
    /// Tokens per step (seq_length x global_batch_size), for the tokens-seen axis.
    #[prop_or_default]
    pub tokens_per_step: Option<f64>,
    /// A name for exported files.
    #[prop_or(AttrValue::from("chart"))]
    pub name: AttrValue,
    /// The key of this chart in the URL's `chart=` (its step's anchor); `None`: not in the URL.
    #[prop_or_default]
    pub url_key: Option<AttrValue>,
    /// The tag shown, recorded in the URL with the settings.
    #[prop_or_default]
    pub tag: Option<AttrValue>,
}

/// This chart's settings from the URL, when the URL names this chart.
pub fn chart_from_url(key: Option<&str>) -> Option<ChartState> {
    let key = key?;
    let search = gloo::utils::window().location().search().ok()?;
    let p = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    ChartState::decode(&p.get("chart")?).filter(|c| c.key == key)
}

fn write_chart_to_url(st: &ChartState) {
    let win = gloo::utils::window();
    let loc = win.location();
    let Ok(p) = web_sys::UrlSearchParams::new_with_str(&loc.search().unwrap_or_default()) else {
        return;
    };
    p.set("chart", &st.encode());
    let next = format!(
        "{}?{}{}",
        loc.pathname().unwrap_or_default(),
        String::from(p.to_string()),
        loc.hash().unwrap_or_default()
    );
    if let Ok(h) = win.history() {
        // Settings are not navigation: no new history entry.
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&next));
    }
}

#[derive(Clone, Copy, PartialEq)]
enum AxisMode {
    Step,
    Relative,
    Wall,
    Tokens,
}

const HEIGHT: u32 = 320;

fn axis_of(mode: AxisMode, tokens: Option<f64>) -> XAxis {
    match (mode, tokens) {
        (AxisMode::Relative, _) => XAxis::Relative,
        (AxisMode::Wall, _) => XAxis::Wall,
        (AxisMode::Tokens, Some(t)) => XAxis::Tokens(t),
        _ => XAxis::Step,
    }
}

/// Data x at canvas pixel `px` for what was drawn.
fn data_x(d: &Drawn, px: f64) -> f64 {
    let (l, _, r, _) = d.plot;
    let f = ((px - l as f64) / (r - l).max(1) as f64).clamp(0.0, 1.0);
    d.x_range.0 + f * (d.x_range.1 - d.x_range.0)
}

/// The chart.
#[component]
pub fn LossChart(props: &LossChartProps) -> Html {
    let store = use_context::<Store>();
    let dark = store.as_ref().is_some_and(|s| s.theme == Theme::Dark);
    // A failed save is shown as an alert naming the file.
    let alert = {
        let store = store.clone();
        move |saved: Result<(), crate::runs::LoadError>| {
            if let (Err(e), Some(s)) = (saved, &store) {
                s.dispatch(Action::Error(e));
            }
        }
    };
    let canvas = use_node_ref();
    let wrap = use_node_ref();
    let from_url = chart_from_url(props.url_key.as_deref());
    let init = from_url.clone().unwrap_or_else(|| ChartState::new(""));
    let view = use_state_eq(|| init.x);
    let log_y = use_state_eq(|| init.log_y);
    let weight = use_state_eq(|| init.smoothing);
    let mode = use_state_eq(|| match init.axis.as_str() {
        "relative" => AxisMode::Relative,
        "wall" => AxisMode::Wall,
        "tokens" => AxisMode::Tokens,
        _ => AxisMode::Step,
    });
    // Settings go to the URL (once changed, or when the URL already names this chart), so a
    // copied link reopens the same chart.
    {
        let key = props.url_key.clone();
        let tag = props.tag.clone();
        let named = from_url.is_some();
        let st = ChartState {
            key: key.as_deref().unwrap_or("").to_string(),
            tag: tag.as_deref().map(str::to_string),
            smoothing: *weight,
            axis: match *mode {
                AxisMode::Relative => "relative",
                AxisMode::Wall => "wall",
                AxisMode::Tokens => "tokens",
                AxisMode::Step => "step",
            }
            .to_string(),
            x: *view,
            log_y: *log_y,
        };
        let first = use_mut_ref(|| true);
        use_effect_with(st.encode(), move |_| {
            let initial = std::mem::replace(&mut *first.borrow_mut(), false);
            if key.is_some() && (!initial || named) {
                write_chart_to_url(&st);
            }
        });
    }
    let hidden = use_state_eq(BTreeSet::<String>::new);
    let hover = use_state_eq(|| None::<(f64, f64)>);
    let drag = use_state_eq(|| None::<(f64, f64, bool)>);
    let width = use_state_eq(|| 800u32);
    let drawn = use_mut_ref(Drawn::default);
    let note = use_state_eq(|| (0usize, 0usize));

    // Smoothed values (and their index) per line, for the current weight.
    let smoothed = {
        let lines = props.lines.clone();
        use_memo((lines, (*weight * 1000.0) as i64), |(lines, w)| {
            let w = *w as f64 / 1000.0;
            lines
                .iter()
                .map(|l| {
                    l.curves
                        .curves
                        .series
                        .get(l.series)
                        .filter(|_| w > 0.0)
                        .map(|s| {
                            let sm = smooth(&Raw(s), w);
                            let idx = MinMaxIndex::build(&sm);
                            (sm, idx)
                        })
                })
                .collect::<Vec<_>>()
        })
    };

    // Width follows the container.
    {
        let wrap = wrap.clone();
        let width = width.clone();
        use_effect_with((), move |_| {
            let measure = {
                let wrap = wrap.clone();
                let width = width.clone();
                move || {
                    if let Some(el) = wrap.cast::<web_sys::Element>() {
                        let w = el.client_width().max(300) as u32;
                        width.set(w);
                    }
                }
            };
            measure();
            let l = EventListener::new(&gloo::utils::window(), "resize", move |_| measure());
            move || drop(l)
        });
    }

    let axis = axis_of(*mode, props.tokens_per_step);

    // Draw whenever what is shown changes.
    {
        let canvas = canvas.clone();
        let drawn = drawn.clone();
        let note = note.clone();
        let lines = props.lines.clone();
        let hidden_set = (*hidden).clone();
        let smoothed = SameRc(smoothed.clone());
        let spec = ChartSpec {
            x: axis,
            x_range: *view,
            log_y: *log_y,
            dark,
        };
        let w = *width;
        use_effect_with(
            (lines, hidden_set, spec, w, smoothed),
            move |(lines, hidden_set, spec, w, smoothed)| {
                let smoothed = &smoothed.0;
                if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                    c.set_width(*w);
                    c.set_height(HEIGHT);
                    if let Some(backend) = CanvasBackend::with_canvas_object(c) {
                        let root = backend.into_drawing_area();
                        let visible: Vec<Line<'_>> = lines
                            .iter()
                            .enumerate()
                            .filter(|(_, l)| !hidden_set.contains(&l.label))
                            .filter_map(|(i, l)| {
                                let s = l.curves.curves.series.get(l.series)?;
                                let idx = l.curves.indexes.get(l.series)?;
                                Some(Line {
                                    series: s,
                                    raw_index: idx,
                                    smoothed: smoothed
                                        .get(i)
                                        .and_then(|o| o.as_ref())
                                        .map(|(a, b)| (a, b)),
                                    label: l.label.clone(),
                                    color: l.color,
                                })
                            })
                            .collect();
                        if let Ok(d) = draw(&root, spec, &visible) {
                            note.set((d.in_view, d.drawn));
                            *drawn.borrow_mut() = d;
                        }
                    }
                }
            },
        );
    }

    // Wheel zoom around the cursor (a non-passive listener, so the page does not scroll).
    {
        let canvas = canvas.clone();
        let drawn = drawn.clone();
        let view = view.clone();
        use_effect_with((), move |_| {
            let listener = canvas.cast::<HtmlCanvasElement>().map(|c| {
                EventListener::new_with_options(
                    &c,
                    "wheel",
                    EventListenerOptions::enable_prevent_default(),
                    move |e| {
                        let e: &WheelEvent = e.unchecked_ref();
                        e.prevent_default();
                        let d = drawn.borrow().clone();
                        let x = data_x(&d, e.offset_x() as f64);
                        let f = if e.delta_y() < 0.0 { 0.8 } else { 1.25 };
                        let (a, b) = d.x_range;
                        view.set(Some((x - (x - a) * f, x + (b - x) * f)));
                    },
                )
            });
            move || drop(listener)
        });
    }

    let on_down = {
        let drag = drag.clone();
        Callback::from(move |e: MouseEvent| {
            if e.button() == 0 {
                drag.set(Some((
                    e.offset_x() as f64,
                    e.offset_x() as f64,
                    e.shift_key(),
                )));
            }
        })
    };
    let on_move = {
        let drag = drag.clone();
        let hover = hover.clone();
        let view = view.clone();
        let drawn = drawn.clone();
        Callback::from(move |e: MouseEvent| {
            let (x, y) = (e.offset_x() as f64, e.offset_y() as f64);
            hover.set(Some((x, y)));
            if let Some((start, _, pan)) = *drag {
                if pan {
                    let d = drawn.borrow().clone();
                    let dx = data_x(&d, start) - data_x(&d, x);
                    view.set(Some((d.x_range.0 + dx, d.x_range.1 + dx)));
                    drag.set(Some((x, x, true)));
                } else {
                    drag.set(Some((start, x, false)));
                }
            }
        })
    };
    let on_up = {
        let drag = drag.clone();
        let view = view.clone();
        let drawn = drawn.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some((a, b, false)) = *drag {
                if (a - b).abs() > 4.0 {
                    let d = drawn.borrow().clone();
                    let (x0, x1) = (data_x(&d, a.min(b)), data_x(&d, a.max(b)));
                    view.set(Some((x0, x1)));
                }
            }
            drag.set(None);
        })
    };
    let on_leave = {
        let hover = hover.clone();
        let drag = drag.clone();
        Callback::from(move |_: MouseEvent| {
            hover.set(None);
            drag.set(None);
        })
    };
    let on_dbl = {
        let view = view.clone();
        Callback::from(move |_: MouseEvent| view.set(None))
    };
    let on_key = {
        let view = view.clone();
        let log_y = log_y.clone();
        let drawn = drawn.clone();
        Callback::from(move |e: KeyboardEvent| {
            let d = drawn.borrow().clone();
            let (a, b) = d.x_range;
            let span = b - a;
            let next = match e.key().as_str() {
                "ArrowLeft" => Some((a - span * 0.1, b - span * 0.1)),
                "ArrowRight" => Some((a + span * 0.1, b + span * 0.1)),
                "+" | "=" => Some((a + span * 0.1, b - span * 0.1)),
                "-" => Some((a - span * 0.125, b + span * 0.125)),
                "0" => {
                    view.set(None);
                    None
                }
                "l" => {
                    log_y.set(!*log_y);
                    None
                }
                _ => return,
            };
            e.prevent_default();
            if let Some(v) = next {
                view.set(Some(v));
            }
        })
    };
    let on_weight = {
        let weight = weight.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = input.value().parse::<f64>() {
                weight.set(v.clamp(0.0, 0.999));
            }
        })
    };
    let on_log = {
        let log_y = log_y.clone();
        Callback::from(move |_| log_y.set(!*log_y))
    };
    let on_mode = {
        let mode = mode.clone();
        let view = view.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            mode.set(match sel.value().as_str() {
                "relative" => AxisMode::Relative,
                "wall" => AxisMode::Wall,
                "tokens" => AxisMode::Tokens,
                _ => AxisMode::Step,
            });
            view.set(None);
        })
    };
    let on_reset = {
        let view = view.clone();
        Callback::from(move |_| view.set(None))
    };
    let on_png = {
        let canvas = canvas.clone();
        let name = props.name.clone();
        let alert = alert.clone();
        Callback::from(move |_| {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                if let Ok(url) = c.to_data_url_with_type("image/png") {
                    alert(save_url(&url, &format!("{name}.png")));
                }
            }
        })
    };
    let on_csv = {
        let lines = props.lines.clone();
        let hidden = (*hidden).clone();
        let name = props.name.clone();
        Callback::from(move |_| {
            let mut csv = String::from("series,step,wall_time,value\n");
            for l in lines.iter().filter(|l| !hidden.contains(&l.label)) {
                if let Some(s) = l.curves.curves.series.get(l.series) {
                    let label = l.label.replace('"', "\"\"");
                    for i in 0..s.len() {
                        let wall = s.wall(i).map(|w| w.to_string()).unwrap_or_default();
                        csv.push_str(&format!(
                            "\"{label}\",{},{wall},{}\n",
                            s.step(i),
                            s.value(i)
                        ));
                    }
                }
            }
            alert(save_text(&csv, "text/csv", &format!("{name}.csv")));
        })
    };

    // Hover: crosshair and each visible line's value at the nearest point.
    let d = drawn.borrow().clone();
    let tooltip = hover.and_then(|(px, py)| {
        let (l, t, r, b) = d.plot;
        if (px as i32) < l || (px as i32) > r || r <= l {
            return None;
        }
        let x = data_x(&d, px);
        let rows: Vec<Html> = props
            .lines
            .iter()
            .enumerate()
            .filter(|(_, ln)| !hidden.contains(&ln.label))
            .filter_map(|(li, ln)| {
                let s = ln.curves.curves.series.get(ln.series)?;
                let i = nearest(s, axis, x)?;
                let sm = smoothed.get(li).and_then(|o| o.as_ref()).and_then(|(v, _)| v.get(i)).copied();
                let (cr, cg, cb) = PALETTE[ln.color % PALETTE.len()];
                Some(html! {
                    <div class="tt-row">
                        <span class="swatch" style={format!("background: rgb({cr},{cg},{cb})")}></span>
                        <span class="tt-label">{ ln.label.clone() }</span>
                        <span class="num">{ format!("step {}", s.step(i)) }</span>
                        <span class="num">{ format::value(s.value(i)) }</span>
                        if let Some(v) = sm { <span class="num muted">{ format!("smoothed {}", format::value(v as f64)) }</span> }
                    </div>
                })
            })
            .collect();
        let left = if px > (r as f64 + l as f64) / 2.0 { (px - 330.0).max(0.0) } else { px + 12.0 };
        Some(html! {
            <>
                <div class="crosshair" style={format!("left: {px}px; top: {t}px; height: {}px", b - t)}></div>
                <div class="tooltip" role="status" style={format!("left: {left}px; top: {}px", py.min(HEIGHT as f64 - 60.0))}>{ for rows }</div>
            </>
        })
    });
    let selection = drag.and_then(|(a, b, pan)| {
        (!pan && (a - b).abs() > 1.0).then(|| {
            let (t, bt) = (d.plot.1, d.plot.3);
            html! { <div class="zoom-rect" style={format!("left: {}px; width: {}px; top: {t}px; height: {}px", a.min(b), (a - b).abs(), bt - t)}></div> }
        })
    });
    let (in_view, drawn_n) = *note;
    let legend = props.lines.iter().map(|l| {
        let hidden = hidden.clone();
        let label = l.label.clone();
        let off = hidden.contains(&label);
        let toggle = Callback::from(move |_| {
            let mut h = (*hidden).clone();
            if !h.remove(&label) {
                h.insert(label.clone());
            }
            hidden.set(h);
        });
        let c = color(l.color);
        html! {
            <button type="button" class={classes!("legend-item", off.then_some("off"))} aria-pressed={(!off).to_string()} onclick={toggle}>
                <span class="swatch" style={format!("background: rgb({},{},{})", c.0, c.1, c.2)}></span>{ l.label.clone() }
            </button>
        }
    });
    html! {
        <div class="loss-chart">
            <div class="chart-controls">
                <label>{ "smoothing " }
                    <input type="range" min="0" max="0.999" step="0.001" value={weight.to_string()} oninput={on_weight} aria-label="Smoothing" />
                    <span class="num">{ format!("{:.3}", *weight) }</span>
                </label>
                <label><input type="checkbox" checked={*log_y} onchange={on_log} />{ " log y" }</label>
                <label>{ "x " }
                    <select onchange={on_mode} aria-label="X axis">
                        <option value="step" selected={*mode == AxisMode::Step}>{ "step" }</option>
                        <option value="relative" selected={*mode == AxisMode::Relative}>{ "relative time" }</option>
                        <option value="wall" selected={*mode == AxisMode::Wall}>{ "wall time" }</option>
                        if props.tokens_per_step.is_some() {
                            <option value="tokens" selected={*mode == AxisMode::Tokens}>{ "tokens seen" }</option>
                        }
                    </select>
                </label>
                <button type="button" onclick={on_reset} disabled={view.is_none()}>{ "Reset zoom" }</button>
                <button type="button" onclick={on_png}>{ "PNG" }</button>
                <button type="button" onclick={on_csv}>{ "CSV" }</button>
            </div>
            <div class="legend">{ for legend }</div>
            <div class="canvas-wrap" ref={wrap} tabindex="0" onkeydown={on_key}
                aria-label="Loss chart: drag to zoom, shift-drag to pan, wheel to zoom, double-click or 0 to reset, arrow keys to pan, l for log scale">
                <canvas ref={canvas} height={HEIGHT.to_string()} onmousedown={on_down} onmousemove={on_move}
                    onmouseup={on_up} onmouseleave={on_leave} ondblclick={on_dbl} role="img"
                    aria-label={format!("Chart of {}", props.lines.iter().map(|l| l.label.clone()).collect::<Vec<_>>().join(", "))}></canvas>
                { tooltip.unwrap_or_default() }
                { selection.unwrap_or_default() }
            </div>
            <p class="chart-note muted" aria-live="polite">
                { format!("{} points in view, {} drawn (every pixel column keeps its first, last, lowest and highest point)", format::grouped(in_view as u64), format::grouped(drawn_n as u64)) }
                if let Some((a, b)) = *view { { format!(" · x {} – {}", format::number((a * 100.0).round() / 100.0), format::number((b * 100.0).round() / 100.0)) } }
                { format!(" · {}", axis.label()) }
            </p>
        </div>
    }
}

/// An `Rc` compared by identity (effect dependencies).
struct SameRc<T>(Rc<T>);

impl<T> PartialEq for SameRc<T> {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.0, &o.0)
    }
}
