//! Work put off until the browser has painted: the page's first screen is laid out and
//! painted before what can wait (sections below it, bookkeeping that changes nothing shown).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// Pending work that runs `f` once the next frame has been painted (a timer started from
/// that frame's callback fires after it is on screen). Dropping it cancels `f`.
pub fn after_next_paint(f: impl FnOnce() + 'static) -> AfterPaint {
    let timer: Rc<RefCell<Option<gloo::timers::callback::Timeout>>> = Rc::default();
    let slot = timer.clone();
    let frame = gloo::render::request_animation_frame(move |_| {
        *slot.borrow_mut() = Some(gloo::timers::callback::Timeout::new(0, f));
    });
    AfterPaint {
        _frame: frame,
        timer,
    }
}

/// See [`after_next_paint`]: the frame request (cancelled when dropped) and the timer it
/// starts (cleared on drop).
pub struct AfterPaint {
    _frame: gloo::render::AnimationFrame,
    timer: Rc<RefCell<Option<gloo::timers::callback::Timeout>>>,
}

impl Drop for AfterPaint {
    fn drop(&mut self) {
        self.timer.borrow_mut().take();
    }
}

/// Work waiting for the first run to be on screen, cancelled when its flag is set.
type Waiting = Vec<(Rc<Cell<bool>>, Box<dyn FnOnce()>)>;

thread_local! {
    /// Whether the first run is on screen, and the work waiting for it. Shown until
    /// [`watch_first_screen`] says the page waits for it (components drawn without the
    /// app's start-up, in tests, wait for nothing).
    static FIRST_SCREEN: RefCell<(bool, Waiting)> = const { RefCell::new((true, Vec::new())) };
}

/// The longest work waits for the first run to be on screen (ms), should the page's
/// promise never settle.
const FIRST_SCREEN_WAIT_MS: u32 = 3000;

fn is_shown() -> bool {
    FIRST_SCREEN.with(|s| s.borrow().0)
}

/// The first run is on screen (or the wait is over): the waiting work runs.
fn shown() {
    let waiting = FIRST_SCREEN.with(|s| {
        let mut s = s.borrow_mut();
        if s.0 {
            return Vec::new();
        }
        s.0 = true;
        std::mem::take(&mut s.1)
    });
    for (cancelled, f) in waiting {
        if !cancelled.get() {
            f();
        }
    }
}

/// Called once, before the app is mounted: when the page opens a run (`opens_run`), the work
/// put off with [`after_first_screen`] and the like waits until the page's promise
/// `window.runlensFirstScreen` (static/init.js) resolves: the browser has painted the run's
/// title (Element Timing) and the app's later part is linked. On two cores, the sections
/// below the first screen, the other runs' archives, the curve reads and the address write
/// each took CPU that the run's first frame (its layout and raster) needed, and they would
/// have compiled the later part on the page's thread. Without that promise nothing waits.
pub fn watch_first_screen(opens_run: bool) {
    use wasm_bindgen::JsCast;
    let promise = web_sys::window()
        .filter(|_| opens_run)
        .and_then(|w| js_sys::Reflect::get(&w, &"runlensFirstScreen".into()).ok())
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok());
    let Some(promise) = promise else {
        return;
    };
    FIRST_SCREEN.with(|s| s.borrow_mut().0 = false);
    wasm_bindgen_futures::spawn_local(async move {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        shown();
    });
    gloo::timers::callback::Timeout::new(FIRST_SCREEN_WAIT_MS, shown).forget();
}

/// Queues `f` until the first run's title is on screen.
fn queue(f: impl FnOnce() + 'static) -> FirstScreenWait {
    let cancelled = Rc::new(Cell::new(false));
    let mark = cancelled.clone();
    FIRST_SCREEN.with(|s| s.borrow_mut().1.push((mark, Box::new(f))));
    FirstScreenWait::Queued(cancelled)
}

/// [`after_next_paint`], except that before the first run's title is on screen `f` waits
/// for it ([`watch_first_screen`]).
pub fn after_first_screen(f: impl FnOnce() + 'static) -> FirstScreenWait {
    if is_shown() {
        FirstScreenWait::Paint(after_next_paint(f))
    } else {
        queue(f)
    }
}

/// Runs `f` in a task of its own (a zero timeout), once the first run's title is on screen
/// ([`watch_first_screen`]).
pub fn task_after_first_screen(f: impl FnOnce() + 'static) -> FirstScreenWait {
    if is_shown() {
        FirstScreenWait::Task(gloo::timers::callback::Timeout::new(0, f))
    } else {
        queue(f)
    }
}

/// Resolves once the first run's title is on screen ([`watch_first_screen`]).
pub async fn first_screen() {
    if is_shown() {
        return;
    }
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let wait = queue(move || {
            let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
        });
        // Never cancelled: the promise is awaited to its end.
        std::mem::forget(wait);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Work put off by [`after_first_screen`] or [`task_after_first_screen`]; dropping it
/// cancels the work.
pub enum FirstScreenWait {
    /// A task started (the title was on screen).
    Task(gloo::timers::callback::Timeout),
    /// Work after the next paint (the title was on screen).
    Paint(AfterPaint),
    /// Work waiting for the title; set when cancelled.
    Queued(Rc<Cell<bool>>),
}

impl Drop for FirstScreenWait {
    fn drop(&mut self) {
        if let FirstScreenWait::Queued(cancelled) = self {
            cancelled.set(true);
        }
    }
}
