//! The canvas half of every chart, shared by the loss chart and the workspace's panels: the
//! width of the element a canvas fills, and one paint of lines (and a panel's extras) on a
//! canvas through [`crate::chart::draw`]. Drawing itself stays pure and generic; this file
//! only hands it a `CanvasBackend`.

use gloo::events::EventListener;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use wasm_bindgen::Clamped;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, ImageData, Path2d};

use crate::chart::draw::{draw_memo, path_data, ChartSpec, Drawn, Extras, Line, Stroker};
use crate::chart::raster::{crowded, paint_within, stroke_pixels, Gather, Gathered};
use crate::chart::series_math::M4Memo;

/// Strokes the polyline `xy` (pixel x, y pairs) on `ctx` as one path: its points go to the
/// browser as the SVG path data of a `Path2D` ([`path_data`]), one call per line. (Not a
/// snippet of JavaScript of our own: the app's glue then imports nothing, so the wasm starts
/// compiling as soon as the glue has run, one request earlier.)
fn stroke_xy(ctx: &CanvasRenderingContext2d, xy: &[f32], style: &str, width: f64) {
    if xy.len() < 4 {
        return;
    }
    let Ok(path) = Path2d::new_with_path_string(&path_data(xy)) else {
        return;
    };
    ctx.set_stroke_style_str(style);
    ctx.set_line_width(width);
    ctx.set_line_join("bevel");
    ctx.stroke_with_path(&path);
}

/// Above this many points in all, a chart's lines are painted into pixels
/// ([`crate::chart::raster::Raster`]) instead of stroked by the browser: without a GPU, its
/// anti-aliased two-pixel strokes cost microseconds a point (100 curves: seconds a frame),
/// while sparser lines keep their smooth edges.
const DENSE: usize = 6_000;

/// Above this many pixels stroked ([`stroke_pixels`]), the lines are painted into pixels
/// too, however few their points: the browser's strokes cost ~40 ns a pixel here, so one
/// noisy curve zoomed in (4,800 points zigzagging the chart's height, ~1M pixels) took
/// 40 ms a frame stroked. Below it, stroking costs about what painting and laying the layer
/// on the chart cost.
const DENSE_PIXELS: f64 = 60_000.0;

/// A chart's lines drawn straight on a canvas's 2D context (see [`Stroker`]): gathered,
/// then stroked by the browser when few, painted into its pixels when dense.
pub struct CanvasStroker {
    /// The canvas's 2D context.
    pub ctx: CanvasRenderingContext2d,
    size: (u32, u32),
    lines: Gather,
    /// Where the lines lie, when the chart said ([`Stroker::within`]).
    within: Option<(f32, f32, f32, f32)>,
}

impl CanvasStroker {
    /// The stroker of `canvas`'s 2D context, if it has one.
    pub fn of(canvas: &HtmlCanvasElement) -> Option<Self> {
        let ctx = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        Some(CanvasStroker {
            ctx,
            size: (canvas.width(), canvas.height()),
            lines: Gather::default(),
            within: None,
        })
    }
}

impl Stroker for CanvasStroker {
    fn polyline(&mut self, xy: &[f32], rgb: (u8, u8, u8), alpha: f64, width: f64) {
        self.lines.polyline(xy, rgb, alpha, width);
    }

    fn polyline_owned(&mut self, xy: Vec<f32>, rgb: (u8, u8, u8), alpha: f64, width: f64) {
        self.lines.polyline_owned(xy, rgb, alpha, width);
    }

    fn within(&mut self, within: (f32, f32, f32, f32)) {
        self.within = Some(within);
    }

    fn finish(&mut self) {
        let lines = std::mem::take(&mut self.lines.0);
        let points: usize = lines.iter().map(|l| l.0.len() / 2).sum();
        // Lines [`crowded`] with points (more than three a pixel column) are painted too: a
        // decimated 10M-point curve at full width (4,800 points) took 16-21 ms stroked,
        // 11-12 ms painted.
        let sparse = points <= DENSE && stroke_pixels(&lines) <= DENSE_PIXELS && !crowded(&lines);
        // Said for this frame's lines only.
        let within = self.within.take();
        if sparse || paint_dense(&self.ctx, self.size, &lines, within).is_none() {
            for (xy, (r, g, b), alpha, width) in &lines {
                stroke_xy(&self.ctx, xy, &format!("rgba({r},{g},{b},{alpha})"), *width);
            }
        }
    }
}

/// Paints `lines` into a layer over `within` or, not given, their bounding box
/// ([`paint_within`]) and lays it on `ctx`; `None` when the browser refused a step (the caller strokes them instead).
fn paint_dense(
    ctx: &CanvasRenderingContext2d,
    size: (u32, u32),
    lines: &[Gathered],
    within: Option<(f32, f32, f32, f32)>,
) -> Option<()> {
    let Some((left, top, raster)) = paint_within(lines, size, within) else {
        return Some(());
    };
    let (bw, bh) = (raster.width as u32, raster.height as u32);
    let img = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&raster.data), bw, bh).ok()?;
    let (layer, lctx) = layer(bw, bh)?;
    lctx.put_image_data(&img, 0.0, 0.0).ok()?;
    let (w, h) = (bw as f64, bh as f64);
    ctx.draw_image_with_html_canvas_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
        &layer,
        0.0,
        0.0,
        w,
        h,
        left as f64,
        top as f64,
        w,
        h,
    )
    .ok()
}

thread_local! {
    /// The canvas dense lines are put on before they are laid on a chart: one for the page,
    /// grown when a chart needs more (a new canvas per paint costs more than the painting).
    static LAYER: std::cell::RefCell<Option<(HtmlCanvasElement, CanvasRenderingContext2d)>> =
        const { std::cell::RefCell::new(None) };
}

/// [`LAYER`], at least `w` x `h` pixels.
fn layer(w: u32, h: u32) -> Option<(HtmlCanvasElement, CanvasRenderingContext2d)> {
    LAYER.with(|l| {
        let mut l = l.borrow_mut();
        if l.is_none() {
            let c: HtmlCanvasElement = gloo::utils::document()
                .create_element("canvas")
                .ok()?
                .dyn_into()
                .ok()?;
            let ctx = c.get_context("2d").ok()??.dyn_into().ok()?;
            *l = Some((c, ctx));
        }
        let (c, ctx) = l.as_ref()?;
        if c.width() < w || c.height() < h {
            c.set_width(c.width().max(w));
            c.set_height(c.height().max(h));
        }
        Some((c.clone(), ctx.clone()))
    })
}

/// The width of `wrap`'s element (at least `min`), measured when `key` changes and on every
/// window resize; 800 until first measured.
#[hook]
pub fn use_width(wrap: NodeRef, min: u32, key: u64) -> u32 {
    use_measured_width(wrap, min, key).unwrap_or(800)
}

/// [`use_width`], `None` until the element is first measured (once it is in the page): a
/// chart painted before that is painted again at once at its real width, and a 10M-point
/// chart's paint is 10-20 ms.
#[hook]
pub fn use_measured_width(wrap: NodeRef, min: u32, key: u64) -> Option<u32> {
    let width = use_state_eq(|| None::<u32>);
    {
        let width = width.clone();
        use_effect_with(key, move |_| {
            let measure = move || {
                if let Some(el) = wrap.cast::<web_sys::Element>() {
                    width.set(Some((el.client_width().max(0) as u32).max(min)));
                }
            };
            measure();
            let l = EventListener::new(&gloo::utils::window(), "resize", move |_| measure());
            move || drop(l)
        });
    }
    *width
}

/// Paints `lines` and `extras` on `canvas` at `width` x `height` pixels; what was drawn, or
/// `None` when the canvas has no 2D context or the drawing failed.
pub fn paint(
    canvas: &NodeRef,
    size: (u32, u32),
    spec: &ChartSpec,
    lines: &[Line<'_>],
    extras: &Extras,
) -> Option<Drawn> {
    paint_memo(canvas, size, spec, lines, extras, None)
}

/// [`paint`], the lines decimated through `memo` (kept by a chart from frame to frame, so
/// that a pan decimates only the columns it brings into view).
pub fn paint_memo(
    canvas: &NodeRef,
    (width, height): (u32, u32),
    spec: &ChartSpec,
    lines: &[Line<'_>],
    extras: &Extras,
    memo: Option<&mut M4Memo>,
) -> Option<Drawn> {
    let c = canvas.cast::<HtmlCanvasElement>()?;
    c.set_width(width);
    c.set_height(height);
    let mut stroker = CanvasStroker::of(&c)?;
    let backend = CanvasBackend::with_canvas_object(c)?;
    let root = backend.into_drawing_area();
    draw_memo(&root, spec, lines, extras, Some(&mut stroker), memo).ok()
}

/// Wheel zoom on `canvas` around the cursor (a non-passive listener, so the page does not
/// scroll): the range to show goes to `on`, mapped through what was last drawn. The latest
/// `on` is used, though the listener is attached once.
#[hook]
pub fn use_wheel(
    canvas: NodeRef,
    drawn: std::rc::Rc<std::cell::RefCell<Drawn>>,
    on: Callback<crate::chart::view::ViewAction>,
) {
    let latest = use_mut_ref(|| on.clone());
    *latest.borrow_mut() = on;
    use_effect_with((), move |_| {
        use gloo::events::EventListenerOptions;
        let listener = canvas.cast::<HtmlCanvasElement>().map(|c| {
            EventListener::new_with_options(
                &c,
                "wheel",
                EventListenerOptions::enable_prevent_default(),
                move |e| {
                    let e: &web_sys::WheelEvent = e.unchecked_ref();
                    e.prevent_default();
                    let d = drawn.borrow().clone();
                    let action = crate::chart::view::wheel(&d, e.offset_x() as f64, e.delta_y());
                    latest.borrow().emit(action);
                },
            )
        });
        move || drop(listener)
    });
}
