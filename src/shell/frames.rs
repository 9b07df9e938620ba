//! Work put off until the browser has painted: the page's first screen is laid out and
//! painted before what can wait (sections below it, bookkeeping that changes nothing shown).

use std::cell::RefCell;
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
