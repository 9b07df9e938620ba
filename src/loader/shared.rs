//! Share links: the archive carried in the page URL's fragment, opened as a run.
//! `crate::loading::shared` decodes it.

use std::rc::Rc;

use super::Dispatch;
use crate::loading::shared::open;
use crate::state::Action;

/// Opens the archive carried in the URL fragment of a share link.
pub fn load_shared(fragment: &str, dispatch: &Dispatch) {
    match open(fragment) {
        Ok(run) => dispatch.dispatch(Action::Loaded {
            run: Rc::new(run),
            open: true,
        }),
        Err(e) => dispatch.dispatch(Action::Error(e)),
    }
}
