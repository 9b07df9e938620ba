//! Turning dropped or picked files into runs: each archive read (only its head when it is
//! too big) with the files of its folder kept by handle, the first run opened, and files
//! that fit no run reported. `crate::loading::drop` plans it.

use web_sys::File;

use super::deliver::deliver_local;
use super::dispatch::Dispatch;
use super::handles::register_file;
use crate::archive::input::MAX_ARCHIVE_BYTES;
use crate::loading::drop::plan;
use crate::runs::{Companion, LoadError, Run, Source};
use crate::state::Action;

/// A file read from a drop or a picker, with its path inside the drop.
pub(super) struct Picked {
    /// `run/archive.md`, `run/tensorboard/cpt/events...`.
    pub path: String,
    /// The browser's file.
    pub file: File,
}

/// Reads a dropped or picked archive: all of it, or, past [`MAX_ARCHIVE_BYTES`], only its
/// head (a 1 GB file is not read into memory to find that it is too big).
async fn read_archive_file(file: &File) -> Result<Vec<u8>, String> {
    let limit = (MAX_ARCHIVE_BYTES + 1) as f64;
    let blob = if file.size() > limit {
        file.slice_with_f64_and_f64(0.0, limit)
            .map_err(|_| "could not be read".to_string())?
    } else {
        web_sys::Blob::from(file.clone())
    };
    gloo::file::futures::read_as_bytes(&gloo::file::Blob::from(blob))
        .await
        .map_err(|e| format!("could not be read: {e}"))
}

/// Groups `picked` into runs, reads each archive and hands the runs to the store.
pub(super) async fn open_picked(picked: Vec<Picked>, dispatch: &Dispatch) {
    let paths: Vec<String> = picked.iter().map(|p| p.path.clone()).collect();
    let plan = plan(&paths);
    let mut first = true;
    for g in plan.runs {
        let Some(archive) = picked.get(g.archive) else {
            continue;
        };
        // Kept as handles: a 200 MB event file is read in slices when charted.
        let companions = g
            .companions
            .iter()
            .filter_map(|(i, rel)| {
                let p = picked.get(*i)?;
                Some(Companion {
                    path: rel.clone(),
                    size: Some(p.file.size() as u64),
                    url: None,
                    bytes: None,
                    handle: Some(register_file(p.file.clone())),
                })
            })
            .collect();
        let result = match read_archive_file(&archive.file).await {
            Ok(bytes) => {
                // Let the page paint between reading, parsing and rendering a big archive.
                gloo::timers::future::TimeoutFuture::new(0).await;
                Run::from_file_head(
                    &bytes,
                    archive.file.size() as u64,
                    Source::Dropped(archive.path.clone()),
                    companions,
                )
            }
            Err(message) => Err(LoadError {
                what: archive.path.clone(),
                message,
            }),
        };
        if deliver_local(result, plan.open_every || first, dispatch) {
            first = false;
        }
    }
    if let Some(e) = plan.leftovers {
        dispatch.dispatch(Action::Error(e));
    }
}
