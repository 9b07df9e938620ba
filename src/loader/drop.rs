//! Taking files from a drop or a file picker: plain files, and whole folders walked through
//! the file-system entries API, each with its path inside the drop. `super::open` turns
//! them into runs.

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{
    DataTransfer, File, FileList, FileSystemDirectoryEntry, FileSystemDirectoryReader,
    FileSystemEntry, FileSystemFileEntry,
};

use super::dispatch::Dispatch;
use super::open::{open_picked, Picked};
use crate::loading::drop::{entry_path, picked_path, unreadable};
use crate::state::Action;

/// Reads files from a file input (with `webkitRelativePath` for folder pickers).
pub fn load_file_list(list: FileList, dispatch: Dispatch) {
    let mut picked = Vec::new();
    for i in 0..list.length() {
        if let Some(file) = list.get(i) {
            let relative = Reflect::get(&file, &JsValue::from_str("webkitRelativePath"))
                .ok()
                .and_then(|v| v.as_string());
            let path = picked_path(relative, file.name());
            picked.push(Picked { path, file });
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
        let Some(item) = items.get(i) else { continue };
        if item.kind() != "file" {
            continue;
        }
        match item.webkit_get_as_entry() {
            Ok(Some(entry)) => entries.push(entry),
            _ => plain.extend(item.get_as_file().ok().flatten()),
        }
    }
    if entries.is_empty() && plain.is_empty() {
        if let Some(files) = dt.files() {
            plain.extend((0..files.length()).filter_map(|i| files.get(i)));
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
        let mut refused = Vec::new();
        for e in entries {
            walk(e, &mut picked, &mut refused).await;
        }
        if let Some(e) = unreadable(&refused) {
            dispatch.dispatch(Action::Error(e));
        }
        open_picked(picked, &dispatch).await;
        dispatch.dispatch(Action::Finished);
    });
}

/// Every file under `entry`, into `out`; the paths of files and folders the browser would
/// not hand over, into `refused`.
async fn walk(entry: FileSystemEntry, out: &mut Vec<Picked>, refused: &mut Vec<String>) {
    let mut stack = vec![entry];
    while let Some(e) = stack.pop() {
        let path = entry_path(&e.full_path());
        if e.is_file() {
            let fe: FileSystemFileEntry = e.unchecked_into();
            match entry_file(&fe).await {
                Ok(file) => out.push(Picked { path, file }),
                Err(_) => refused.push(path),
            }
        } else if e.is_directory() {
            let de: FileSystemDirectoryEntry = e.unchecked_into();
            let reader = de.create_reader();
            // readEntries returns results in batches until an empty one.
            loop {
                match read_entries(&reader).await {
                    Ok(batch) if batch.is_empty() => break,
                    Ok(batch) => stack.extend(batch),
                    Err(_) => {
                        refused.push(format!("{path}/"));
                        break;
                    }
                }
            }
        }
    }
}

/// Calls `start` with a success and a failure callback and waits for either; a `start` that
/// throws counts as the failure (the entries API would otherwise never call back).
async fn called_back(
    mut start: impl FnMut(&Function, &Function) -> Result<(), JsValue>,
) -> Result<JsValue, JsValue> {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let thrown = reject.clone();
        let ok = Closure::once_into_js(move |v: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &v);
        });
        let bad = Closure::once_into_js(move |e: JsValue| {
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        if let Err(e) = start(ok.unchecked_ref(), bad.unchecked_ref()) {
            let _ = thrown.call1(&JsValue::NULL, &e);
        }
    });
    JsFuture::from(promise).await
}

/// The file behind a file entry.
async fn entry_file(fe: &FileSystemFileEntry) -> Result<File, JsValue> {
    called_back(|ok, bad| {
        fe.file_with_callback_and_callback(ok, bad);
        Ok(())
    })
    .await
    .map(|v| v.unchecked_into())
}

/// The next batch of a folder's entries (empty when all were read).
async fn read_entries(reader: &FileSystemDirectoryReader) -> Result<Vec<FileSystemEntry>, JsValue> {
    called_back(|ok, bad| reader.read_entries_with_callback_and_callback(ok, bad))
        .await
        .map(|v| Array::from(&v).iter().map(|e| e.unchecked_into()).collect())
}
