//! The browser side of loading: fetching URLs, reading dropped and picked files and folders.
//! Bytes go to the pure `runs` module; results go to the store as actions.

use std::rc::Rc;

use gloo::net::http::Request;
use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{
    DataTransfer, File, FileList, FileSystemDirectoryEntry, FileSystemEntry, FileSystemFileEntry,
};
use yew::functional::UseReducerDispatcher;

use crate::archive::input::MAX_ARCHIVE_BYTES;
use crate::runs::{group_drop, parse_manifest, Companion, LoadError, Run, Source};
use crate::state::{Action, AppState};

/// A dispatcher for the store.
pub type Dispatch = UseReducerDispatcher<AppState>;

/// Fetches `url`; the error names the URL and says what failed.
async fn fetch_ok(url: &str) -> Result<gloo::net::http::Response, LoadError> {
    let err = |message: String| LoadError {
        what: url.to_string(),
        message,
    };
    let resp = Request::get(url).send().await.map_err(|_| {
        err("could not be fetched: the network failed or the server does not allow this page to read it (CORS)".into())
    })?;
    if !resp.ok() {
        let reason = match resp.status() {
            404 => "Not Found".to_string(),
            403 => "Forbidden".to_string(),
            s => resp
                .status_text()
                .to_string()
                .if_empty(format!("status {s}")),
        };
        return Err(err(format!("HTTP {} {reason}", resp.status())));
    }
    Ok(resp)
}

/// Fetches `url` as bytes; the error names the URL and says what failed.
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, LoadError> {
    let resp = fetch_ok(url).await?;
    resp.binary().await.map_err(|e| LoadError {
        what: url.to_string(),
        message: format!("the response could not be read: {e}"),
    })
}

/// Fetches `url` and hands the body to `sink` piece by piece as it arrives, with the bytes
/// read so far and the declared length (`Content-Length`, when the server sends one).
/// `sink` returns false to stop: the rest of the body is not downloaded. Returns the bytes
/// read and the declared length.
async fn fetch_streaming(
    url: &str,
    mut sink: impl FnMut(&[u8], u64, Option<u64>) -> bool,
) -> Result<(u64, Option<u64>), LoadError> {
    let err = |message: String| LoadError {
        what: url.to_string(),
        message,
    };
    let resp = fetch_ok(url).await?;
    let declared = resp
        .headers()
        .get("content-length")
        .and_then(|v| v.trim().parse::<u64>().ok());
    let Some(body) = resp.body() else {
        return Ok((0, declared));
    };
    let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut read = 0u64;
    let mut yielded = 0u64;
    loop {
        // A body already downloaded arrives in promise callbacks that never let the page
        // paint: yield to it every slice, as reading a dropped file does.
        if read - yielded >= SLICE {
            yielded = read;
            gloo::timers::future::TimeoutFuture::new(0).await;
        }
        let chunk = JsFuture::from(reader.read()).await.map_err(|e| {
            err(format!(
                "the download broke off after {}: {}",
                crate::format::bytes(read),
                e.as_string().unwrap_or_else(|| "network error".into())
            ))
        })?;
        let done = js_sys::Reflect::get(&chunk, &JsValue::from_str("done"))
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            return Ok((read, declared));
        }
        let Ok(value) = js_sys::Reflect::get(&chunk, &JsValue::from_str("value")) else {
            continue;
        };
        let bytes = js_sys::Uint8Array::new(&value).to_vec();
        read += bytes.len() as u64;
        if !sink(&bytes, read, declared) {
            let _ = reader.cancel();
            return Ok((read, declared));
        }
    }
}

/// Fetches a hosted archive: all of it, or its first [`MAX_ARCHIVE_BYTES`] and a bit (the
/// rest is not downloaded); returns the bytes and the file's size when known.
async fn fetch_archive(url: &str) -> Result<(Vec<u8>, u64), LoadError> {
    let mut buf = Vec::new();
    let (read, declared) = fetch_streaming(url, |chunk, _, _| {
        buf.extend_from_slice(chunk);
        buf.len() <= MAX_ARCHIVE_BYTES
    })
    .await?;
    Ok((buf, declared.unwrap_or(read).max(read)))
}

trait IfEmpty {
    fn if_empty(self, other: String) -> String;
}
impl IfEmpty for String {
    fn if_empty(self, other: String) -> String {
        if self.is_empty() {
            other
        } else {
            self
        }
    }
}

/// Loads the manifest at `url` and lists its runs; `eager` fetches each archive too.
pub fn load_manifest(url: String, dispatch: Dispatch, quiet_404: bool) {
    dispatch.dispatch(Action::Started);
    spawn_local(async move {
        let fetched = fetch_bytes(&url).await;
        if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
            let _ = p.mark("runlens:manifest-fetched");
        }
        match fetched {
            Ok(bytes) => match std::str::from_utf8(&bytes)
                .map_err(|e| e.to_string())
                .and_then(parse_manifest)
            {
                Ok(manifest) => {
                    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
                        let _ = p.mark("runlens:manifest-parsed");
                    }
                    // Small manifests are fetched whole; large ones only listed.
                    let small = manifest.runs.len() <= 24;
                    let archives: Vec<(String, Vec<String>, Option<String>)> = manifest
                        .runs
                        .iter()
                        .filter(|_| small)
                        .map(|r| {
                            (
                                crate::runs::join_url(&url, &r.archive),
                                r.files
                                    .iter()
                                    .map(|f| crate::runs::join_url(&url, f))
                                    .collect(),
                                r.run_id.clone(),
                            )
                        })
                        .collect();
                    dispatch.dispatch(Action::Manifest {
                        base: url.clone(),
                        manifest,
                    });
                    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
                        let _ = p.mark("runlens:manifest-listed");
                    }
                    if small {
                        for (a, files, key) in archives {
                            load_hosted(a, files, key, false, dispatch.clone());
                        }
                    }
                }
                Err(message) => dispatch.dispatch(Action::Error(LoadError {
                    what: url.clone(),
                    message,
                })),
            },
            Err(e) => {
                if !(quiet_404 && e.message.starts_with("HTTP 404")) {
                    dispatch.dispatch(Action::Error(e));
                }
            }
        }
        dispatch.dispatch(Action::Finished);
    });
}

/// Fetches and parses a hosted archive.
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
        let result = match fetch_archive(&url).await {
            Ok((bytes, total)) => {
                Run::from_file_head(&bytes, total, Source::Hosted(url.clone()), Vec::new()).map(
                    |r| {
                        if files.is_empty() {
                            r
                        } else {
                            r.with_hosted_files(&files)
                        }
                    },
                )
            }
            Err(e) => Err(e),
        };
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

/// Parses pasted text.
pub fn load_pasted(text: &str, dispatch: &Dispatch) {
    deliver_local(
        Run::from_bytes(text.as_bytes(), Source::Pasted, Vec::new()),
        true,
        dispatch,
    );
}

/// Hands a dropped, picked or pasted archive to the store (remembered for the next visit),
/// or its error; true when it was an archive.
fn deliver_local(result: Result<Run, LoadError>, open: bool, dispatch: &Dispatch) -> bool {
    match result {
        Ok(run) => {
            report_cut(&run, dispatch);
            remember(&run);
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
fn report_cut(run: &Run, dispatch: &Dispatch) {
    if let Some(note) = &run.cut {
        dispatch.dispatch(Action::Error(LoadError {
            what: run.source.describe(),
            message: note.clone(),
        }));
    }
}

thread_local! {
    /// Dropped files the runs refer to by handle (the pure model holds no browser objects).
    static FILES: std::cell::RefCell<(u32, std::collections::HashMap<u32, File>)> = Default::default();
}

/// Keeps a dropped file and returns its handle.
pub fn register_file(file: File) -> u32 {
    FILES.with(|f| {
        let mut f = f.borrow_mut();
        f.0 += 1;
        let id = f.0;
        f.1.insert(id, file);
        id
    })
}

/// The dropped file behind a handle.
pub fn file_for(handle: u32) -> Option<File> {
    FILES.with(|f| f.borrow().1.get(&handle).cloned())
}

/// A file read from a drop or a picker, with its path inside the drop.
struct Picked {
    path: String,
    file: File,
}

/// Reads files from a file input (with `webkitRelativePath` for folder pickers).
pub fn load_file_list(list: FileList, dispatch: Dispatch) {
    let mut picked = Vec::new();
    for i in 0..list.length() {
        if let Some(file) = list.get(i) {
            let rel = Reflect::get(&file, &JsValue::from_str("webkitRelativePath"))
                .ok()
                .and_then(|v| v.as_string())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| file.name());
            picked.push(Picked { path: rel, file });
        }
    }
    dispatch.dispatch(Action::Started);
    spawn_local(async move {
        open_picked(picked, &dispatch).await;
        dispatch.dispatch(Action::Finished);
    });
}

/// Reads a drop: files and whole folders (through the entries API).
pub fn load_drop(dt: DataTransfer, dispatch: Dispatch) {
    // Entries must be taken while the event is being handled.
    let mut entries: Vec<FileSystemEntry> = Vec::new();
    let mut plain: Vec<File> = Vec::new();
    let items = dt.items();
    for i in 0..items.length() {
        if let Some(item) = items.get(i) {
            if item.kind() != "file" {
                continue;
            }
            match item.webkit_get_as_entry() {
                Ok(Some(entry)) => entries.push(entry),
                _ => {
                    if let Ok(Some(f)) = item.get_as_file() {
                        plain.push(f);
                    }
                }
            }
        }
    }
    if entries.is_empty() && plain.is_empty() {
        if let Some(files) = dt.files() {
            for i in 0..files.length() {
                if let Some(f) = files.get(i) {
                    plain.push(f);
                }
            }
        }
    }
    dispatch.dispatch(Action::Started);
    spawn_local(async move {
        let mut picked: Vec<Picked> = plain
            .into_iter()
            .map(|file| Picked {
                path: file.name(),
                file,
            })
            .collect();
        for e in entries {
            walk(e, &mut picked).await;
        }
        open_picked(picked, &dispatch).await;
        dispatch.dispatch(Action::Finished);
    });
}

async fn walk(entry: FileSystemEntry, out: &mut Vec<Picked>) {
    let mut stack = vec![entry];
    while let Some(e) = stack.pop() {
        let path = e.full_path().trim_start_matches('/').to_string();
        if e.is_file() {
            let fe: FileSystemFileEntry = e.unchecked_into();
            if let Ok(file) = entry_file(&fe).await {
                out.push(Picked { path, file });
            }
        } else if e.is_directory() {
            let de: FileSystemDirectoryEntry = e.unchecked_into();
            let reader = de.create_reader();
            // readEntries returns results in batches until an empty one.
            loop {
                let batch = read_entries(&reader).await;
                if batch.is_empty() {
                    break;
                }
                stack.extend(batch);
            }
        }
    }
}

async fn entry_file(fe: &FileSystemFileEntry) -> Result<File, JsValue> {
    let fe = fe.clone();
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let ok = Closure::once_into_js(move |f: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &f);
        });
        let bad = Closure::once_into_js(move |e: JsValue| {
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        fe.file_with_callback_and_callback(ok.unchecked_ref(), bad.unchecked_ref());
    });
    JsFuture::from(promise).await.map(|v| v.unchecked_into())
}

async fn read_entries(reader: &web_sys::FileSystemDirectoryReader) -> Vec<FileSystemEntry> {
    let reader = reader.clone();
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let ok = Closure::once_into_js(move |list: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &list);
        });
        let bad = Closure::once_into_js(move |e: JsValue| {
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        let _ =
            reader.read_entries_with_callback_and_callback(ok.unchecked_ref(), bad.unchecked_ref());
    });
    match JsFuture::from(promise).await {
        Ok(v) => Array::from(&v).iter().map(|e| e.unchecked_into()).collect(),
        Err(_) => Vec::new(),
    }
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

async fn open_picked(picked: Vec<Picked>, dispatch: &Dispatch) {
    let paths: Vec<String> = picked.iter().map(|p| p.path.clone()).collect();
    let (groups, leftovers) = group_drop(&paths);
    if groups.is_empty() {
        // No `.md` at all: try each file as an archive so the message says why it is not.
        for p in &picked {
            let result = match read_archive_file(&p.file).await {
                Ok(bytes) => Run::from_file_head(
                    &bytes,
                    p.file.size() as u64,
                    Source::Dropped(p.path.clone()),
                    Vec::new(),
                ),
                Err(message) => Err(LoadError {
                    what: p.path.clone(),
                    message,
                }),
            };
            deliver_local(result, true, dispatch);
        }
        return;
    }
    let mut first = true;
    for g in groups {
        let Some(archive) = picked.get(g.archive) else {
            continue;
        };
        let mut companions = Vec::new();
        for (i, rel) in &g.companions {
            if let Some(p) = picked.get(*i) {
                // Kept as a handle: a 200 MB event file is read in slices when charted.
                companions.push(Companion {
                    path: rel.clone(),
                    size: Some(p.file.size() as u64),
                    url: None,
                    bytes: None,
                    handle: Some(register_file(p.file.clone())),
                });
            }
        }
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
        if deliver_local(result, first, dispatch) {
            first = false;
        }
    }
    if !leftovers.is_empty() {
        let names: Vec<&str> = leftovers
            .iter()
            .filter_map(|i| paths.get(*i).map(String::as_str))
            .collect();
        dispatch.dispatch(Action::Error(LoadError {
            what: names.join(", "),
            message: "not inside a run folder with an archive; drop the whole run folder (archive.md with its tensorboard/, curves/, logs/)".into(),
        }));
    }
}

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

/// Bytes per slice: big enough to read fast, small enough to keep the page responsive.
const SLICE: u64 = 4 << 20;

/// Reads, parses and indexes a curve file off the critical path, slice by slice, with
/// progress in the store; the page stays responsive between slices.
pub fn load_curve(key: String, name: String, src: CurveSource, dispatch: Dispatch) {
    dispatch.dispatch(Action::CurveProgress {
        key: key.clone(),
        read: 0,
        total: 0,
    });
    spawn_local(async move {
        let result = read_curve(&key, &name, src, &dispatch).await;
        match result {
            Ok(curves) => {
                // Indexing is a pass over every point: let the progress bar paint first.
                gloo::timers::future::TimeoutFuture::new(0).await;
                let loaded = crate::state::LoadedCurves::new(name, curves);
                dispatch.dispatch(Action::CurveReady {
                    key,
                    curves: Rc::new(loaded),
                });
            }
            Err(message) => dispatch.dispatch(Action::CurveFailed {
                key,
                error: curve_error(&name, message),
            }),
        }
    });
}

/// A curve file's failure as a typed error: the file, and what went wrong (a message that
/// already starts with the file's name is not named twice).
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

async fn feed_progressively(
    key: &str,
    inc: &mut crate::ingest::Incremental,
    bytes: &[u8],
    dispatch: &Dispatch,
) {
    let total = bytes.len() as u64;
    for (i, chunk) in bytes.chunks(SLICE as usize).enumerate() {
        inc.feed(chunk);
        let read = ((i as u64 + 1) * SLICE).min(total);
        dispatch.dispatch(Action::CurveProgress {
            key: key.to_string(),
            read,
            total,
        });
        gloo::timers::future::TimeoutFuture::new(0).await;
    }
}

async fn read_curve(
    key: &str,
    name: &str,
    src: CurveSource,
    dispatch: &Dispatch,
) -> Result<crate::ingest::Curves, String> {
    let mut inc = crate::ingest::Incremental::new(name);
    match src {
        CurveSource::Bytes(b) => feed_progressively(key, &mut inc, &b, dispatch).await,
        CurveSource::Urls(urls) => {
            // Each URL in turn; the body is read as it arrives, with progress, and never
            // held whole.
            let mut tried = Vec::new();
            let mut found = false;
            for u in &urls {
                let mut reported = 0u64;
                let mut fed = false;
                let got = fetch_streaming(u, |chunk, read, declared| {
                    fed = true;
                    inc.feed(chunk);
                    if read - reported >= SLICE || declared == Some(read) {
                        reported = read;
                        dispatch.dispatch(Action::CurveProgress {
                            key: key.to_string(),
                            read,
                            total: declared.unwrap_or(0).max(read),
                        });
                    }
                    true
                })
                .await;
                match got {
                    Ok(_) => {
                        found = true;
                        break;
                    }
                    // A URL that failed before its body: try the next one.
                    Err(e) if !fed => tried.push(format!("{} ({})", u, e.message)),
                    Err(e) => return Err(format!("{}: {}", e.what, e.message)),
                }
            }
            if !found {
                return Err(format!(
                    "not found next to the archive; tried {}",
                    tried.join(", ")
                ));
            }
        }
        CurveSource::Handle(h) => {
            let file = file_for(h).ok_or_else(|| {
                format!("{name}: the dropped file is no longer available; drop it again")
            })?;
            let total = file.size() as u64;
            let mut off = 0u64;
            while off < total {
                let end = (off + SLICE).min(total);
                let part = file
                    .slice_with_f64_and_f64(off as f64, end as f64)
                    .map_err(|_| format!("{name}: could not read bytes {off}..{end}"))?;
                let blob = gloo::file::Blob::from(part);
                let bytes = gloo::file::futures::read_as_bytes(&blob)
                    .await
                    .map_err(|e| format!("{name}: could not be read at byte {off}: {e}"))?;
                inc.feed(&bytes);
                off = end;
                dispatch.dispatch(Action::CurveProgress {
                    key: key.to_string(),
                    read: off,
                    total,
                });
                gloo::timers::future::TimeoutFuture::new(0).await;
            }
        }
    }
    inc.finish().map_err(|e| e.to_string())
}

const RECENT_KEY: &str = "runlens.recent";
/// Characters of archive text remembered at most (browser storage holds about 5 MB).
const RECENT_CAP: usize = 2_000_000;

/// An archive remembered for the next visit.
#[derive(serde::Serialize, serde::Deserialize, Clone)]
struct Remembered {
    name: String,
    text: String,
}

fn recent_list() -> Vec<Remembered> {
    use gloo::storage::Storage;
    gloo::storage::LocalStorage::get(RECENT_KEY).unwrap_or_default()
}

/// Remembers a dropped, picked or pasted archive (newest first, within the size cap).
pub fn remember(run: &Run) {
    use gloo::storage::Storage;
    let name = match &run.source {
        Source::Dropped(p) => p.clone(),
        Source::Pasted => format!("{} (pasted)", run.run_id()),
        Source::Shared => format!("{} (shared)", run.run_id()),
        _ => return,
    };
    if run.text.len() > RECENT_CAP / 2 {
        return;
    }
    let mut list = recent_list();
    list.retain(|r| r.name != name);
    list.insert(
        0,
        Remembered {
            name,
            text: run.text.to_string(),
        },
    );
    let mut total = 0;
    list.retain(|r| {
        total += r.text.len();
        total <= RECENT_CAP
    });
    let _ = gloo::storage::LocalStorage::set(RECENT_KEY, &list);
}

/// How many archives are remembered.
pub fn recent_count() -> usize {
    recent_list().len()
}

/// Forgets every remembered archive.
pub fn forget_recent() {
    use gloo::storage::Storage;
    gloo::storage::LocalStorage::delete(RECENT_KEY);
}

/// Lists the remembered archives again (without opening them).
pub fn load_recent(dispatch: &Dispatch) {
    for r in recent_list() {
        if let Ok(run) = Run::from_bytes(
            r.text.as_bytes(),
            Source::Recent(r.name.clone()),
            Vec::new(),
        ) {
            dispatch.dispatch(Action::Loaded {
                run: Rc::new(run),
                open: false,
            });
        }
    }
}

/// The reduced loss curves a share link carries, handed to the store under the keys the
/// run's charts look for (the files themselves did not travel with the link).
fn deliver_shared_curves(run: &Run, fragment: &str, dispatch: &Dispatch) {
    match crate::share::curves::decode(fragment) {
        Ok(curves) => {
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
                let loaded = crate::state::LoadedCurves::new(
                    name,
                    crate::ingest::Curves {
                        series: vec![c.series],
                        problems: Vec::new(),
                    },
                );
                dispatch.dispatch(Action::CurveReady {
                    key: run.missing_curve_key(&path),
                    curves: Rc::new(loaded),
                });
            }
        }
        Err(e) => dispatch.dispatch(Action::Error(LoadError {
            what: "shared link".into(),
            message: format!("its curves could not be read: {e}"),
        })),
    }
}

/// Opens the archive carried in the URL fragment of a share link, with its curves.
pub fn load_shared(fragment: &str, dispatch: &Dispatch) {
    match crate::share::decode(fragment) {
        Ok(text) => match Run::from_bytes(text.as_bytes(), Source::Shared, Vec::new()) {
            Ok(run) => {
                let run = Rc::new(run);
                dispatch.dispatch(Action::Loaded {
                    run: run.clone(),
                    open: true,
                });
                deliver_shared_curves(&run, fragment, dispatch);
            }
            Err(e) => dispatch.dispatch(Action::Error(e)),
        },
        Err(e) => dispatch.dispatch(Action::Error(LoadError {
            what: "shared link".into(),
            message: e.to_string(),
        })),
    }
}
