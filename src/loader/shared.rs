//! Share links: the archive carried in the page URL's fragment, opened as a run, with the
//! reduced loss curves the link carries beside it. `crate::loading::shared` and
//! `crate::share::curves` decode them.

use std::rc::Rc;

use super::dispatch::Dispatch;
use crate::ingest::Curves;
use crate::loading::shared::open;
use crate::runs::{LoadError, Run};
use crate::state::{Action, LoadedCurves};

/// Opens the archive carried in the URL fragment of a share link, with its curves.
pub fn load_shared(fragment: &str, dispatch: &Dispatch) {
    match open(fragment) {
        Ok(run) => {
            let run = Rc::new(run);
            dispatch.dispatch(Action::Loaded {
                run: run.clone(),
                open: true,
            });
            deliver_curves(&run, fragment, dispatch);
        }
        Err(e) => dispatch.dispatch(Action::Error(e)),
    }
}

/// The reduced loss curves a share link carries, handed to the store under the keys the
/// run's charts look for (the files themselves did not travel with the link).
fn deliver_curves(run: &Run, fragment: &str, dispatch: &Dispatch) {
    let curves = match crate::share::curves::decode(fragment) {
        Ok(c) => c,
        Err(e) => {
            return dispatch.dispatch(Action::Error(LoadError {
                what: "shared link".into(),
                message: format!("its curves could not be read: {e}"),
            }))
        }
    };
    for c in curves {
        let Some(path) = run.curve_path(c.step_index) else {
            continue;
        };
        let name = format!(
            "{} (a reduced copy from the link: {} of {} points)",
            c.file,
            c.series.len(),
            c.original_points
        );
        let curves = Curves {
            series: vec![c.series],
            problems: Vec::new(),
        };
        dispatch.dispatch(Action::CurveReady {
            key: run.missing_curve_key(&path),
            curves: Rc::new(LoadedCurves::new(name, curves)),
        });
    }
}
