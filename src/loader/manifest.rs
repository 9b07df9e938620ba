//! Hosted runs: a manifest fetched and listed (its archives fetched too when it is small),
//! and single hosted archives fetched and parsed. `crate::loading::manifest` decides what
//! is fetched.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;

use super::deliver::report_cut;
use super::dispatch::Dispatch;
use super::fetch::{fetch_archive, fetch_bytes};
use crate::loading::fetch::is_not_found;
use crate::loading::manifest::{fetch_plan, read};
use crate::runs::{Run, Source};
use crate::state::Action;

/// A performance mark, for the start-up timings the browser tests read.
fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// Loads the manifest at `url` and lists its runs; a small manifest's archives are fetched
/// too. `quiet_404` says nothing when there is no manifest (the default one is optional).
pub fn load_manifest(url: String, dispatch: Dispatch, quiet_404: bool) {
    dispatch.dispatch(Action::Started);
    spawn_local(async move {
        let fetched = fetch_bytes(&url).await;
        mark("runlens:manifest-fetched");
        match fetched.and_then(|bytes| read(&url, &bytes)) {
            Ok(manifest) => {
                mark("runlens:manifest-parsed");
                let plan = fetch_plan(&url, &manifest);
                dispatch.dispatch(Action::Manifest {
                    base: url.clone(),
                    manifest,
                });
                mark("runlens:manifest-listed");
                for f in plan {
                    load_hosted(f.archive, f.files, f.key, false, dispatch.clone());
                }
            }
            Err(e) if quiet_404 && is_not_found(&e) => {}
            Err(e) => dispatch.dispatch(Action::Error(e)),
        }
        dispatch.dispatch(Action::Finished);
    });
}

/// Fetches and parses the hosted archive at `url`, with the URLs of its `files`; `key` is
/// the manifest row it fills in (marked failed if it cannot be read); `open` opens it.
pub fn load_hosted(
    url: String,
    files: Vec<String>,
    key: Option<String>,
    open: bool,
    dispatch: Dispatch,
) {
    dispatch.dispatch(Action::Started);
    if let Some(k) = &key {
        dispatch.dispatch(Action::Fetching(k.clone()));
    }
    spawn_local(async move {
        let result = fetch_archive(&url).await.and_then(|(bytes, total)| {
            let run = Run::from_file_head(&bytes, total, Source::Hosted(url.clone()), Vec::new())?;
            Ok(if files.is_empty() {
                run
            } else {
                run.with_hosted_files(&files)
            })
        });
        match (result, key) {
            (Ok(run), _) => {
                report_cut(&run, &dispatch);
                dispatch.dispatch(Action::Loaded {
                    run: Rc::new(run),
                    open,
                })
            }
            (Err(error), Some(key)) => dispatch.dispatch(Action::SlotFailed { key, error }),
            (Err(e), None) => dispatch.dispatch(Action::Error(e)),
        }
        dispatch.dispatch(Action::Finished);
    });
}
