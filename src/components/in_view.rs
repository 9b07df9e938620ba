//! Drawing only what is in view: a chart out of the window (a workspace panel scrolled away)
//! keeps its newest paint waiting and does it when it comes near the window, or as soon as
//! a pointer or a key reaches it. A synced zoom over many panels then costs only the panels
//! in view, as W&B's and Grafana's panels do; the rest follow as they are scrolled to.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit};
use yew::prelude::*;

/// How near the window (in CSS pixels, above and below) a chart counts as in view: it is
/// drawn just before it is scrolled in.
const MARGIN_PX: f64 = 100.0;

/// A paint waiting for its chart to come into view.
type Paint = Box<dyn FnOnce()>;

/// Whether a chart is in view, and its paint waiting while it is not.
#[derive(Default)]
pub struct InView {
    /// As the observer last reported (`None` before its first report).
    seen: Cell<Option<bool>>,
    waiting: RefCell<Option<Paint>>,
    el: RefCell<Option<Element>>,
}

impl InView {
    /// Whether the chart is in view: as last observed, or (before the first report) from
    /// where its element is now.
    fn shown(&self) -> bool {
        self.seen.get().unwrap_or_else(|| {
            self.el.borrow().as_ref().is_none_or(|el| {
                let r = el.get_bounding_client_rect();
                let h = gloo::utils::window()
                    .inner_height()
                    .ok()
                    .and_then(|v| v.as_f64())
                    .unwrap_or(f64::INFINITY);
                r.bottom() >= -MARGIN_PX && r.top() <= h + MARGIN_PX
            })
        })
    }

    /// Paints now when the chart is in view, else keeps `paint` (in place of any older one)
    /// until it is.
    pub fn paint(&self, paint: Paint) {
        if self.shown() {
            self.waiting.borrow_mut().take();
            paint();
        } else {
            *self.waiting.borrow_mut() = Some(paint);
        }
    }

    /// Does the waiting paint, if any: before a gesture reads what was drawn.
    pub fn flush(&self) {
        let waiting = self.waiting.borrow_mut().take();
        if let Some(paint) = waiting {
            paint();
        }
    }
}

/// The [`InView`] of `wrap`'s element, watched by an `IntersectionObserver` while mounted.
#[hook]
pub fn use_in_view(wrap: NodeRef) -> Rc<InView> {
    let state = use_memo((), |_| InView::default());
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            let el = wrap.cast::<Element>();
            *state.el.borrow_mut() = el.clone();
            let observer = el.and_then(|el| {
                let s = state.clone();
                let cb = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
                    let Some(e) = entries.iter().last() else {
                        return;
                    };
                    let e: IntersectionObserverEntry = e.unchecked_into();
                    s.seen.set(Some(e.is_intersecting()));
                    if e.is_intersecting() {
                        s.flush();
                    }
                });
                let init = IntersectionObserverInit::new();
                init.set_root_margin(&format!("{MARGIN_PX}px 0px"));
                let o = IntersectionObserver::new_with_options(cb.as_ref().unchecked_ref(), &init)
                    .ok()?;
                o.observe(&el);
                Some((o, cb))
            });
            move || {
                if let Some((o, _cb)) = observer {
                    o.disconnect();
                }
            }
        });
    }
    state
}
