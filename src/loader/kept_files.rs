//! The files that came with a remembered run (event files, CSVs, logs), kept in the
//! browser's IndexedDB so a reload after a drop still charts them. The `File` objects are
//! stored as they are (the browser keeps their bytes; nothing is read into the page), up to
//! a cap per run; when the browser refuses the space the user is told, and the run still
//! opens, asking for its files as before.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{File, IdbDatabase, IdbOpenDbRequest, IdbRequest, IdbTransactionMode};

use super::dispatch::Dispatch;
use super::handles::{file_for, register_file};
use crate::format;
use crate::runs::{Companion, LoadError, Run};
use crate::state::Action;

const DB: &str = "runlens";
const STORE: &str = "run-files";
/// Bytes of files kept for one run at most: past it the rest are asked for again.
pub const RUN_CAP: f64 = 512.0 * 1024.0 * 1024.0;

/// A request as a future: its result, or the browser's error.
async fn done(req: &IdbRequest) -> Result<JsValue, JsValue> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let fail = Closure::once_into_js(move |e: web_sys::Event| {
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        req.set_onsuccess(Some(ok.unchecked_ref()));
        req.set_onerror(Some(fail.unchecked_ref()));
    });
    JsFuture::from(promise).await?;
    req.result()
}

/// Why a request failed, in words (the DOMException's name and message).
fn why(e: &JsValue, req: Option<&IdbRequest>) -> String {
    let from_req = req
        .and_then(|r| r.error().ok().flatten())
        .map(|d| format!("{}: {}", d.name(), d.message()));
    from_req.unwrap_or_else(|| format!("{e:?}"))
}

async fn open_db() -> Result<IdbDatabase, String> {
    let factory = web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or_else(|| "this browser keeps no files for pages (no IndexedDB)".to_string())?;
    let open: IdbOpenDbRequest = factory.open_with_u32(DB, 1).map_err(|e| why(&e, None))?;
    let upgrade = Closure::once_into_js({
        let open = open.clone();
        move |_: web_sys::Event| {
            if let Ok(db) = open.result().and_then(|r| r.dyn_into::<IdbDatabase>()) {
                let _ = db.create_object_store(STORE);
            }
        }
    });
    open.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    let db = done(&open).await.map_err(|e| why(&e, Some(&open)))?;
    db.dyn_into::<IdbDatabase>()
        .map_err(|_| "IndexedDB gave no database".to_string())
}

/// Keeps the dropped files of `run` for the next visit (up to [`RUN_CAP`]); a refusal is an
/// alert that says what was not kept.
pub fn keep(run: &Run, dispatch: &Dispatch) {
    let mut paths = Vec::new();
    let files = Array::new();
    let mut bytes = 0.0;
    for c in &run.companions {
        let Some(file) = c.handle.and_then(file_for) else {
            continue;
        };
        if bytes + file.size() > RUN_CAP {
            continue;
        }
        bytes += file.size();
        paths.push(c.path.clone());
        files.push(&file);
    }
    if paths.is_empty() {
        return;
    }
    let (key, what, dispatch) = (run.key.clone(), run.run_id().to_string(), dispatch.clone());
    spawn_local(async move {
        if let Err(message) = put(&key, &paths, &files).await {
            dispatch.dispatch(Action::Error(LoadError {
                what,
                message: format!(
                    "the browser refused to keep its {} files ({}) for the next visit ({message}); after a reload, drop them again",
                    paths.len(),
                    format::bytes(bytes as u64)
                ),
            }));
        }
    });
}

async fn put(key: &str, paths: &[String], files: &Array) -> Result<(), String> {
    let db = open_db().await?;
    let tx = db
        .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
        .map_err(|e| why(&e, None))?;
    let store = tx.object_store(STORE).map_err(|e| why(&e, None))?;
    let record = Object::new();
    let names: Array = paths.iter().map(|p| JsValue::from_str(p)).collect();
    Reflect::set(&record, &"paths".into(), &names).map_err(|e| why(&e, None))?;
    Reflect::set(&record, &"files".into(), files).map_err(|e| why(&e, None))?;
    let req = store
        .put_with_key(&record, &JsValue::from_str(key))
        .map_err(|e| why(&e, None))?;
    done(&req)
        .await
        .map(|_| ())
        .map_err(|e| why(&e, Some(&req)))
}

/// Gives a remembered run back the files kept for it, if any.
pub fn restore(run_key: String, dispatch: Dispatch) {
    spawn_local(async move {
        let Ok(files) = get(&run_key).await else {
            return;
        };
        for (path, file) in files {
            let size = Some(file.size() as u64);
            dispatch.dispatch(Action::Attach {
                run_key: run_key.clone(),
                file: Companion {
                    path,
                    size,
                    url: None,
                    bytes: None,
                    handle: Some(register_file(file)),
                },
            });
        }
    });
}

async fn get(key: &str) -> Result<Vec<(String, File)>, String> {
    let db = open_db().await?;
    let tx = db.transaction_with_str(STORE).map_err(|e| why(&e, None))?;
    let store = tx.object_store(STORE).map_err(|e| why(&e, None))?;
    let req = store
        .get(&JsValue::from_str(key))
        .map_err(|e| why(&e, None))?;
    let record = done(&req).await.map_err(|e| why(&e, Some(&req)))?;
    if record.is_undefined() || record.is_null() {
        return Ok(Vec::new());
    }
    let field = |k: &str| {
        Reflect::get(&record, &k.into())
            .ok()
            .and_then(|v| v.dyn_into::<Array>().ok())
    };
    let (Some(paths), Some(files)) = (field("paths"), field("files")) else {
        return Ok(Vec::new());
    };
    Ok(paths
        .iter()
        .zip(files.iter())
        .filter_map(|(p, f)| Some((p.as_string()?, f.dyn_into::<File>().ok()?)))
        .collect())
}

/// Forgets every kept file (with the remembered runs).
pub fn forget() {
    spawn_local(async {
        if let Ok(db) = open_db().await {
            if let Ok(tx) = db.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite) {
                if let Ok(store) = tx.object_store(STORE) {
                    let _ = store.clear();
                }
            }
        }
    });
}
