//! Handing a dropped, picked or pasted run to the store: opened or listed, remembered for
//! the next visit, and an alert when only the head of a big file was read.

use std::rc::Rc;

use super::dispatch::Dispatch;
use super::recent::remember;
use crate::runs::{LoadError, Run, Source};
use crate::state::Action;

/// Parses pasted text and opens it.
pub fn load_pasted(text: &str, dispatch: &Dispatch) {
    deliver_local(
        Run::from_bytes(text.as_bytes(), Source::Pasted, Vec::new()),
        true,
        dispatch,
    );
}

/// Hands a dropped, picked or pasted archive to the store (remembered for the next visit),
/// or its error; true when it was an archive.
pub(super) fn deliver_local(
    result: Result<Run, LoadError>,
    open: bool,
    dispatch: &Dispatch,
) -> bool {
    match result {
        Ok(run) => {
            report_cut(&run, dispatch);
            remember(&run);
            super::kept_files::keep(&run, dispatch);
            if open {
                super::curves::start_dropped_curves(&run, dispatch);
            }
            dispatch.dispatch(Action::Loaded {
                run: Rc::new(run),
                open,
            });
            true
        }
        Err(e) => {
            dispatch.dispatch(Action::Error(e));
            false
        }
    }
}

/// An alert naming the file when only its head was read (the run view lists it too).
pub(super) fn report_cut(run: &Run, dispatch: &Dispatch) {
    if let Some(note) = &run.cut {
        dispatch.dispatch(Action::Error(LoadError {
            what: run.source.describe(),
            message: note.clone(),
        }));
    }
}
