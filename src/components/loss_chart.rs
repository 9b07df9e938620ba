//! An interactive chart of one or more series (one run's tag, or the same tag of several
//! runs): smoothing, log y, x axis choice, drag/wheel zoom, shift-drag pan, double-click
//! reset, keyboard, hover crosshair with every line's value, legend toggles, PNG and CSV
//! export. This file wires browser events to the pure [`crate::chart::view`] transitions
//! and draws with [`crate::chart::draw`] on a canvas; the toolbar, legend and tooltip are
//! components of their own.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use web_sys::{HtmlCanvasElement, KeyboardEvent, MouseEvent};
use yew::prelude::*;

use crate::chart::draw::{ChartSpec, Drawn, Extras, Line};
use crate::chart::export;
use crate::chart::series_math::{MinMaxIndex, Raw, Smoother, Values, XAxis};
use crate::chart::view::{self, ChartView, Drag, ViewAction, HEIGHT};
use crate::components::chart_canvas::{paint, use_measured_width, use_wheel};
use crate::components::chart_legend::ChartLegend;
use crate::components::chart_toolbar::ChartToolbar;
use crate::components::chart_tooltip::ChartTooltip;
use crate::ingest::series::Chunked;
use crate::loader::download::{save_text, save_url};
use crate::share::url::{AxisChoice, ChartState};
use crate::state::{Action, LoadedCurves, Shared, Store, Theme};

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
    crate::shell::history::current_route()
        .chart
        .filter(|c| c.key == key)
}

/// Puts a chart's settings into the store, and so into the link (settings are not
/// navigation: the shell rewrites the current history entry).
fn write_chart_to_url(dispatch: Option<&UseReducerDispatcher<Shared>>, st: &ChartState) {
    if let Some(d) = dispatch {
        d.dispatch(Action::Chart(st.clone()));
    }
}

/// The chart's view in a reducer, so that a listener attached once (the wheel) changes the
/// current view, not the one it saw when attached.
#[derive(PartialEq)]
struct ViewStore(ChartView);

impl Reducible for ViewStore {
    type Action = ViewAction;

    fn reduce(self: Rc<Self>, action: ViewAction) -> Rc<Self> {
        Rc::new(ViewStore(self.0.apply(action)))
    }
}

/// Smoothed values and their index, per line (`None` with smoothing off). The values share
/// their chunks with the smoother that keeps them up to date (no copy per drawing).
type Smoothed = Vec<Option<(Chunked<f32>, MinMaxIndex)>>;

/// What was last drawn, read by the mouse handlers between draws.
type LastDrawn = Rc<RefCell<Drawn>>;

/// The lines not hidden in the legend, ready to draw.
fn visible_lines<'a>(
    lines: &'a [ChartLine],
    hidden: &BTreeSet<String>,
    smoothed: &'a Smoothed,
) -> Vec<Line<'a>> {
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !hidden.contains(&l.label))
        .filter_map(|(i, l)| {
            Some(Line {
                series: l.curves.curves.series.get(l.series)?,
                raw_index: l.curves.indexes.get(l.series)?,
                smoothed: smoothed
                    .get(i)
                    .and_then(|o| o.as_ref())
                    .map(|(a, b)| (Values::Chunks(a), b)),
                label: l.label.clone(),
                color: l.color,
            })
        })
        .collect()
}

/// Writes the settings to the URL once changed, or from the start when the URL already
/// names this chart, so a copied link reopens the same chart.
#[hook]
fn use_url_settings(
    key: Option<AttrValue>,
    tag: Option<AttrValue>,
    settings: ChartView,
    named: bool,
) {
    let st = settings.to_state(key.as_deref().unwrap_or(""), tag.as_deref());
    let first = use_mut_ref(|| true);
    let dispatch = use_context::<Store>().map(|s| s.dispatcher());
    use_effect_with(st.encode(), move |_| {
        let initial = std::mem::replace(&mut *first.borrow_mut(), false);
        if key.is_some() && (!initial || named) {
            write_chart_to_url(dispatch.as_ref(), &st);
        }
    });
}

/// Per line: the read and series it smoothed, its smoother and the index of its values.
type SmoothCache = Vec<Option<(u64, usize, Smoother, MinMaxIndex)>>;

/// Each line smoothed with `weight` (to a thousandth), recomputed only when either changes.
/// A line whose file is still being read is smoothed a part at a time: the next drawing of
/// the same read only smooths (and indexes) the points that arrived since.
#[hook]
fn use_smoothed(lines: Vec<ChartLine>, weight: f64) -> Rc<Smoothed> {
    let cache = use_mut_ref(SmoothCache::new);
    use_memo((lines, (weight * 1000.0) as i64), move |(lines, w)| {
        let w = *w as f64 / 1000.0;
        let mut cache = cache.borrow_mut();
        cache.resize(lines.len(), None);
        lines
            .iter()
            .zip(cache.iter_mut())
            .map(|(l, slot)| {
                let s = l.curves.curves.series.get(l.series).filter(|_| w > 0.0);
                let Some(s) = s else {
                    *slot = None;
                    return None;
                };
                let same = slot.as_ref().is_some_and(|(read, series, sm, _)| {
                    *read == l.curves.read
                        && *series == l.series
                        && sm.weight() == w
                        && sm.values().len() <= s.len()
                });
                if !same {
                    *slot = Some((
                        l.curves.read,
                        l.series,
                        Smoother::new(w),
                        MinMaxIndex::default(),
                    ));
                }
                let (_, _, sm, index) = slot.as_mut()?;
                let old = sm.values().len();
                let changed = sm.extend(&Raw(s), &s.restarts);
                let values = sm.values().clone();
                *index = if old == 0 || changed < old {
                    MinMaxIndex::build(&Values::Chunks(&values))
                } else {
                    index.extended(&Values::Chunks(&values))
                };
                Some((values, index.clone()))
            })
            .collect::<Smoothed>()
    })
}

/// Whether each line's curve has wall times (computed once per set of lines: a curve
/// without any is scanned to its end).
#[hook]
fn use_walls(lines: Vec<ChartLine>) -> Rc<Vec<bool>> {
    use_memo(lines, |lines| {
        lines
            .iter()
            .map(|l| {
                l.curves
                    .curves
                    .series
                    .get(l.series)
                    .is_some_and(|s| XAxis::Wall.serves(s))
            })
            .collect::<Vec<bool>>()
    })
}

/// Draws `lines` on the canvas whenever what is shown changes; records what was drawn in
/// `drawn` and returns it (for the note).
#[hook]
fn use_draw(
    canvas: NodeRef,
    drawn: LastDrawn,
    shown: (Vec<ChartLine>, BTreeSet<String>, Rc<Smoothed>),
    spec: ChartSpec,
    width: Option<u32>,
) -> Drawn {
    let note = use_state_eq(Drawn::default);
    let (lines, hidden, smoothed) = shown;
    let deps = (lines, hidden, spec, width, SameRc(smoothed));
    {
        let note = note.clone();
        use_effect_with(deps, move |(lines, hidden, spec, w, smoothed)| {
            // Not before the canvas's width is known (it is, once in the page).
            let Some(w) = *w else { return };
            let visible = visible_lines(lines, hidden, &smoothed.0);
            if let Some(d) = paint(&canvas, (w, HEIGHT), spec, &visible, &Extras::default()) {
                note.set(d.clone());
                *drawn.borrow_mut() = d;
            }
        });
    }
    (*note).clone()
}

/// The mouse and keyboard on the canvas: hover, drag to zoom, shift-drag to pan,
/// double-click to reset, keys.
struct Pointer {
    /// The mouse over the canvas, in pixels.
    hover: Option<(f64, f64)>,
    /// The drag under way.
    drag: Option<Drag>,
    on_down: Callback<MouseEvent>,
    on_move: Callback<MouseEvent>,
    on_up: Callback<MouseEvent>,
    on_leave: Callback<MouseEvent>,
    on_dbl: Callback<MouseEvent>,
    on_key: Callback<KeyboardEvent>,
}

/// The mouse and keyboard handlers of the canvas, and the hover and drag they track; the
/// view changes go to `dispatch`.
#[hook]
fn use_pointer(drawn: LastDrawn, dispatch: UseReducerDispatcher<ViewStore>) -> Pointer {
    let hover = use_state_eq(|| None::<(f64, f64)>);
    let drag = use_state_eq(|| None::<Drag>);
    let on_down = {
        let drag = drag.clone();
        Callback::from(move |e: MouseEvent| {
            if e.button() == 0 {
                drag.set(Some(Drag::start(e.offset_x() as f64, e.shift_key())));
            }
        })
    };
    let on_move = {
        let (drag, hover, drawn, dispatch) =
            (drag.clone(), hover.clone(), drawn.clone(), dispatch.clone());
        Callback::from(move |e: MouseEvent| {
            let (x, y) = (e.offset_x() as f64, e.offset_y() as f64);
            hover.set(Some((x, y)));
            if let Some(g) = *drag {
                let (next, action) = g.moved(&drawn.borrow(), x);
                if let Some(a) = action {
                    dispatch.dispatch(a);
                }
                drag.set(Some(next));
            }
        })
    };
    let on_up = {
        let (drag, drawn, dispatch) = (drag.clone(), drawn.clone(), dispatch.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(a) = drag.and_then(|g| g.released(&drawn.borrow())) {
                dispatch.dispatch(a);
            }
            drag.set(None);
        })
    };
    let on_leave = {
        let (hover, drag) = (hover.clone(), drag.clone());
        Callback::from(move |_: MouseEvent| {
            hover.set(None);
            drag.set(None);
        })
    };
    let on_dbl = dispatch
        .to_callback()
        .reform(|_: MouseEvent| ViewAction::Reset);
    let on_key = Callback::from(move |e: KeyboardEvent| {
        let shown = drawn.borrow().x_range;
        if let Some(a) = view::key(&e.key(), shown) {
            e.prevent_default();
            dispatch.dispatch(a);
        }
    });
    Pointer {
        hover: *hover,
        drag: *drag,
        on_down,
        on_move,
        on_up,
        on_leave,
        on_dbl,
        on_key,
    }
}

/// PNG and CSV export of the chart (the lines not hidden); a save the browser refuses is an
/// alert naming the file, not silence.
#[hook]
fn use_exports(
    canvas: NodeRef,
    lines: Vec<ChartLine>,
    hidden: BTreeSet<String>,
    name: AttrValue,
) -> (Callback<()>, Callback<()>) {
    let d = use_context::<Store>().map(|s| s.dispatcher());
    let report = move |r: Result<(), crate::runs::LoadError>| {
        if let (Err(e), Some(d)) = (r, &d) {
            d.dispatch(Action::Error(e));
        }
    };
    let on_png = {
        let report = report.clone();
        let name = name.clone();
        Callback::from(move |()| {
            if let Some(url) = canvas
                .cast::<HtmlCanvasElement>()
                .and_then(|c| c.to_data_url_with_type("image/png").ok())
            {
                report(save_url(&url, &format!("{name}.png")));
            }
        })
    };
    let on_csv = Callback::from(move |()| {
        let shown = lines.iter().filter(|l| !hidden.contains(&l.label));
        let text = export::csv(
            shown.filter_map(|l| Some((l.label.as_str(), l.curves.curves.series.get(l.series)?))),
        );
        report(save_text(&text, "text/csv", &format!("{name}.csv")));
    });
    (on_png, on_csv)
}

/// The chart.
#[component]
pub fn LossChart(props: &LossChartProps) -> Html {
    let dark = use_context::<Store>().is_some_and(|s| s.theme == Theme::Dark);
    let canvas = use_node_ref();
    let wrap = use_node_ref();
    let from_url = chart_from_url(props.url_key.as_deref());
    let named = from_url.is_some();
    let store = use_reducer_eq(|| {
        ViewStore(
            from_url
                .as_ref()
                .map(ChartView::from_state)
                .unwrap_or_default(),
        )
    });
    let settings = store.0;
    use_url_settings(props.url_key.clone(), props.tag.clone(), settings, named);
    let hidden = use_state_eq(BTreeSet::<String>::new);
    let drawn = use_mut_ref(Drawn::default);
    let smoothed = use_smoothed(props.lines.clone(), settings.smoothing);
    let width = use_measured_width(wrap.clone(), 300, 0);
    let walls = use_walls(props.lines.clone());
    let has_wall = walls.iter().any(|w| *w);
    let axis = settings.x_axis_for(props.tokens_per_step, has_wall);
    let drawn_axis = match axis {
        XAxis::Step => AxisChoice::Step,
        XAxis::Relative => AxisChoice::Relative,
        XAxis::Wall => AxisChoice::Wall,
        XAxis::Tokens(_) => AxisChoice::Tokens,
    };
    let y_title = view::y_title(
        props
            .lines
            .iter()
            .filter_map(|l| l.curves.curves.series.get(l.series).map(|s| s.tag.as_str())),
    );
    let spec = ChartSpec {
        x: axis,
        x_range: settings.zoom,
        log_y: settings.log_y,
        dark,
        y_title,
    };
    let shown = (props.lines.clone(), (*hidden).clone(), smoothed.clone());
    let last = use_draw(canvas.clone(), drawn.clone(), shown, spec, width);
    let timed = matches!(axis, XAxis::Wall | XAxis::Relative);
    let visible = props.lines.iter().zip(walls.iter());
    let visible = visible.filter(|(l, _)| !hidden.contains(&l.label));
    let note = view::note(&view::NoteFacts {
        drawn: &last,
        zoom: settings.zoom,
        axis,
        shown: visible.clone().count(),
        without_x: visible
            .filter(|(_, w)| timed && !**w)
            .map(|(l, _)| l.label.clone())
            .collect(),
        unserved: (drawn_axis != settings.axis && settings.axis != AxisChoice::Tokens)
            .then_some(settings.axis),
    });
    use_wheel(
        canvas.clone(),
        drawn.clone(),
        store.dispatcher().to_callback(),
    );
    let pointer = use_pointer(drawn.clone(), store.dispatcher());

    let (on_png, on_csv) = use_exports(
        canvas.clone(),
        props.lines.clone(),
        (*hidden).clone(),
        props.name.clone(),
    );
    let on_toggle = {
        let hidden = hidden.clone();
        Callback::from(move |label: String| hidden.set(view::toggled(&hidden, &label)))
    };

    let d = drawn.borrow().clone();
    let hover = pointer.hover.and_then(|p| {
        view::hover(
            &d,
            &visible_lines(&props.lines, &hidden, &smoothed),
            axis,
            p,
        )
    });
    let rect = pointer.drag.and_then(|g| g.zoom_rect(&d));
    html! {
        <div class="loss-chart">
            <ChartToolbar view={settings} tokens_available={props.tokens_per_step.is_some()} {has_wall} {drawn_axis} on_view={store.dispatcher().to_callback()} {on_png} {on_csv} />
            <ChartLegend items={props.lines.iter().map(|l| (l.label.clone(), l.color)).collect::<Vec<_>>()} hidden={(*hidden).clone()} {on_toggle} />
            <div class="canvas-wrap" ref={wrap} tabindex="0" onkeydown={pointer.on_key}
                aria-label="Loss chart: drag to zoom, shift-drag to pan, wheel to zoom, double-click or 0 to reset, arrow keys to pan, l for log scale">
                <canvas ref={canvas} height={HEIGHT.to_string()} onmousedown={pointer.on_down} onmousemove={pointer.on_move}
                    onmouseup={pointer.on_up} onmouseleave={pointer.on_leave} ondblclick={pointer.on_dbl} role="img"
                    aria-label={view::canvas_label(props.lines.iter().map(|l| l.label.as_str()))}></canvas>
                if let Some(hover) = hover { <ChartTooltip {hover} /> }
                if let Some(r) = rect {
                    <div class="zoom-rect" style={format!("left: {}px; width: {}px; top: {}px; height: {}px", r.left, r.width, r.top, r.height)}></div>
                }
            </div>
            <p class="chart-note muted" aria-live="polite">{ note }</p>
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
