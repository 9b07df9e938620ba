//! Reading a curve file off the critical path: from memory, from URLs tried in turn, or
//! from a dropped file slice by slice, with progress in the store and the page painting
//! between slices. `crate::loading::slices` plans the slices and the progress reports.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;

use super::dispatch::Dispatch;
use super::fetch::fetch_streaming;
use super::handles::file_for;
use crate::ingest::{Incremental, IngestError, Location};
use crate::loading::fetch::UrlFallback;
use crate::loading::slices::{slices, DownloadProgress, SLICE};
use crate::runs::LoadError;
use crate::state::{Action, LoadedCurves};

/// Where a curve file's bytes come from.
#[derive(Debug, Clone)]
pub enum CurveSource {
    /// A dropped file, read in slices.
    Handle(u32),
    /// Bytes already in memory.
    Bytes(Rc<[u8]>),
    /// URLs to try in order.
    Urls(Vec<String>),
}

/// Gives the page a turn to paint.
async fn paint() {
    gloo::timers::future::TimeoutFuture::new(0).await;
}

/// Reads, parses and indexes the curve file `name` off the critical path, slice by slice,
/// with progress in the store under `key`; the page stays responsive between slices.
pub fn load_curve(key: String, name: String, src: CurveSource, dispatch: Dispatch) {
    dispatch.dispatch(Action::CurveProgress {
        key: key.clone(),
        read: 0,
        total: 0,
    });
    spawn_local(async move {
        let mut reading = Reading {
            key: &key,
            inc: Incremental::new(&name),
            dispatch: &dispatch,
        };
        let fed = match src {
            CurveSource::Bytes(b) => {
                reading.feed_memory(&b).await;
                Ok(())
            }
            CurveSource::Urls(urls) => reading.feed_urls(&urls).await,
            CurveSource::Handle(h) => reading.feed_file(&name, h).await,
        };
        let read = match fed {
            Ok(()) => reading.inc.finish().map_err(reading_error),
            Err(message) => Err(curve_error(&name, message)),
        };
        match read {
            Ok(curves) => {
                // Indexing is a pass over every point: let the progress bar paint first.
                paint().await;
                dispatch.dispatch(Action::CurveReady {
                    key,
                    curves: Rc::new(LoadedCurves::new(name, curves)),
                });
            }
            Err(error) => dispatch.dispatch(Action::CurveFailed { key, error }),
        }
    });
}

/// One curve file being read: its reader and where progress goes.
struct Reading<'a> {
    key: &'a str,
    inc: Incremental,
    dispatch: &'a Dispatch,
}

impl Reading<'_> {
    fn progress(&self, read: u64, total: u64) {
        self.dispatch.dispatch(Action::CurveProgress {
            key: self.key.to_string(),
            read,
            total,
        });
    }

    /// Bytes in memory, fed a slice at a time so the bar moves.
    async fn feed_memory(&mut self, bytes: &[u8]) {
        let total = bytes.len() as u64;
        for r in slices(total, SLICE) {
            self.inc.feed(
                bytes
                    .get(r.start as usize..r.end as usize)
                    .unwrap_or_default(),
            );
            self.progress(r.end, total);
            paint().await;
        }
    }

    /// Each URL in turn; the body is read as it arrives, with progress, and never held
    /// whole.
    async fn feed_urls(&mut self, urls: &[String]) -> Result<(), String> {
        let mut fallback = UrlFallback::new();
        for u in urls {
            let mut progress = DownloadProgress::new(SLICE);
            let mut fed = false;
            let (key, inc, dispatch) = (self.key, &mut self.inc, self.dispatch);
            let got = fetch_streaming(u, |chunk, read, declared| {
                fed = true;
                inc.feed(chunk);
                if let Some((read, total)) = progress.update(read, declared) {
                    dispatch.dispatch(Action::CurveProgress {
                        key: key.to_string(),
                        read,
                        total,
                    });
                }
                true
            })
            .await;
            match got {
                Ok(_) => return Ok(()),
                Err(e) => fallback.failed(u, &e, fed)?,
            }
        }
        Err(fallback.exhausted())
    }

    /// A dropped file, read a slice at a time.
    async fn feed_file(&mut self, name: &str, handle: u32) -> Result<(), String> {
        let file = file_for(handle).ok_or_else(|| {
            format!("{name}: the dropped file is no longer available; drop it again")
        })?;
        let total = file.size() as u64;
        for r in slices(total, SLICE) {
            let (off, end) = (r.start, r.end);
            let part = file
                .slice_with_f64_and_f64(off as f64, end as f64)
                .map_err(|_| format!("{name}: could not read bytes {off}..{end}"))?;
            let bytes = gloo::file::futures::read_as_bytes(&gloo::file::Blob::from(part))
                .await
                .map_err(|e| format!("{name}: could not be read at byte {off}: {e}"))?;
            self.inc.feed(&bytes);
            self.progress(end, total);
            paint().await;
        }
        Ok(())
    }
}

/// A curve file's failure as a typed error: the file, and what went wrong (a message that
/// already starts with the file's name does not name it twice).
fn curve_error(name: &str, message: String) -> LoadError {
    let message = message
        .strip_prefix(name)
        .and_then(|m| m.strip_prefix(": "))
        .map(str::to_string)
        .unwrap_or(message);
    LoadError {
        what: name.to_string(),
        message,
    }
}

/// A reader's error as the user reads it: the file and where in it, then what is wrong.
fn reading_error(e: IngestError) -> LoadError {
    let what = match e.at {
        Location::File => e.file.clone(),
        at => format!("{} ({at})", e.file),
    };
    LoadError {
        what,
        message: e.message(),
    }
}
