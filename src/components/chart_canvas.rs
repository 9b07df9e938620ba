//! The canvas half of every chart, shared by the loss chart and the workspace's panels: the
//! width of the element a canvas fills, and one paint of lines (and a panel's extras) on a
//! canvas through [`crate::chart::draw`]. Drawing itself stays pure and generic; this file
//! only hands it a `CanvasBackend`.

use gloo::events::EventListener;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::chart::draw::{draw_with, ChartSpec, Drawn, Extras, Line};

/// The width of `wrap`'s element (at least `min`), measured when `key` changes and on every
/// window resize.
#[hook]
pub fn use_width(wrap: NodeRef, min: u32, key: u64) -> u32 {
    let width = use_state_eq(|| 800u32);
    {
        let width = width.clone();
        use_effect_with(key, move |_| {
            let measure = move || {
                if let Some(el) = wrap.cast::<web_sys::Element>() {
                    width.set((el.client_width().max(0) as u32).max(min));
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
    (width, height): (u32, u32),
    spec: &ChartSpec,
    lines: &[Line<'_>],
    extras: &Extras,
) -> Option<Drawn> {
    let c = canvas.cast::<HtmlCanvasElement>()?;
    c.set_width(width);
    c.set_height(height);
    let backend = CanvasBackend::with_canvas_object(c)?;
    let root = backend.into_drawing_area();
    draw_with(&root, spec, lines, extras).ok()
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
        use wasm_bindgen::JsCast;
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
