//! Fetching URLs: whole, or streamed piece by piece as the body arrives, with the page given
//! a turn to paint every slice. Errors name the URL (`crate::loading::fetch` words them).

use std::cell::RefCell;
use std::rc::Rc;

use gloo::net::http::{Request, Response};
use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::ReadableStreamDefaultReader;

use crate::archive::input::MAX_ARCHIVE_BYTES;
use crate::loading::fetch as words;
use crate::loading::slices::{Pacer, SLICE};
use crate::runs::LoadError;

thread_local! {
    /// Requests started before the app was drawn ([`prefetch`]), by URL, until fetched.
    static EARLY: std::cell::RefCell<Vec<(String, js_sys::Promise)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Starts fetching `url` now, before the app is mounted and its loaders run: the first
/// [`fetch_bytes`] of the same URL takes this request instead of starting its own (the
/// manifest then arrives while the app draws its first frame, not after).
pub fn prefetch(url: &str) {
    let Some(win) = web_sys::window() else { return };
    EARLY.with(|e| {
        let mut e = e.borrow_mut();
        // Once: a request already started and not yet taken is the one to take.
        if !e.iter().any(|(u, _)| u == url) {
            let started = started_by_page(&win, url);
            e.push((
                url.to_string(),
                started.unwrap_or_else(|| win.fetch_with_str(url)),
            ));
        }
    });
}

/// The request for `url` the page's start-up script made before the app's module was in
/// (`window.runlensEarlyFetch`, see `static/init.js`), taken once.
fn started_by_page(win: &web_sys::Window, url: &str) -> Option<js_sys::Promise> {
    let all = Reflect::get(win, &JsValue::from_str("runlensEarlyFetch")).ok()?;
    if !all.is_object() {
        return None;
    }
    let key = JsValue::from_str(url);
    let promise = Reflect::get(&all, &key)
        .ok()?
        .dyn_into::<js_sys::Promise>()
        .ok()?;
    let _ = Reflect::delete_property(all.unchecked_ref::<js_sys::Object>(), &key);
    Some(promise)
}

/// The response to a [`prefetch`] of `url`, if one was started and not taken yet.
async fn early(url: &str) -> Option<Result<Response, LoadError>> {
    let promise = EARLY.with(|e| {
        let mut e = e.borrow_mut();
        let at = e.iter().position(|(u, _)| u == url)?;
        Some(e.swap_remove(at).1)
    })?;
    Some(match JsFuture::from(promise).await {
        Ok(v) => v
            .dyn_into::<web_sys::Response>()
            .map(Response::from)
            .map_err(|_| words::unreachable(url)),
        Err(_) => Err(words::unreachable(url)),
    })
}

/// Fetches `url` up to a successful status.
async fn fetch_ok(url: &str) -> Result<Response, LoadError> {
    let resp = match early(url).await {
        Some(r) => r?,
        None => Request::get(url)
            .send()
            .await
            .map_err(|_| words::unreachable(url))?,
    };
    if !resp.ok() {
        return Err(words::status_failed(
            url,
            resp.status(),
            &resp.status_text(),
        ));
    }
    Ok(resp)
}

/// Fetches `url` as bytes; the error names the URL and says what failed.
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, LoadError> {
    let resp = fetch_ok(url).await?;
    resp.binary()
        .await
        .map_err(|e| words::body_unreadable(url, &e.to_string()))
}

/// Fetches `url` and hands the body to `sink` piece by piece as it arrives, with the bytes
/// read so far and the declared length (`Content-Length`, when the server sends one).
/// `sink` returns false to stop: the rest of the body is not downloaded. Returns the bytes
/// read and the declared length.
pub(super) async fn fetch_streaming(
    url: &str,
    mut sink: impl FnMut(&[u8], u64, Option<u64>) -> bool,
) -> Result<(u64, Option<u64>), LoadError> {
    let resp = fetch_ok(url).await?;
    let declared = words::declared_length(resp.headers().get("content-length").as_deref());
    let Some(body) = resp.body() else {
        return Ok((0, declared));
    };
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut read = 0u64;
    let mut paint = Pacer::new(SLICE);
    loop {
        // A body already downloaded arrives in promise callbacks that never let the page
        // paint: yield to it every slice, as reading a dropped file does.
        if paint.due(read) {
            gloo::timers::future::TimeoutFuture::new(0).await;
        }
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|e| words::broke_off(url, read, e.as_string()))?;
        let done = Reflect::get(&chunk, &JsValue::from_str("done"))
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            return Ok((read, declared));
        }
        let Ok(value) = Reflect::get(&chunk, &JsValue::from_str("value")) else {
            continue;
        };
        let bytes = Uint8Array::new(&value).to_vec();
        read += bytes.len() as u64;
        if !sink(&bytes, read, declared) {
            let _ = reader.cancel();
            return Ok((read, declared));
        }
    }
}

/// What [`fetch_archive`] gives.
type Archive = Result<(Vec<u8>, u64), LoadError>;

/// Work started before the app is mounted, whose result its first taker gets: a promise
/// resolved once it is done (what the mount waits on), and what it gave.
pub(super) struct EarlyWork<T> {
    promise: js_sys::Promise,
    gave: Rc<RefCell<Option<T>>>,
}

impl<T: 'static> EarlyWork<T> {
    /// Starts `work` now.
    pub(super) fn start(work: impl std::future::Future<Output = T> + 'static) -> Self {
        let gave: Rc<RefCell<Option<T>>> = Rc::default();
        let slot = gave.clone();
        let promise = wasm_bindgen_futures::future_to_promise(async move {
            *slot.borrow_mut() = Some(work.await);
            Ok(JsValue::UNDEFINED)
        });
        EarlyWork { promise, gave }
    }

    /// The promise resolved once the work is done.
    pub(super) fn promise(&self) -> js_sys::Promise {
        self.promise.clone()
    }

    /// What the work gave, once it is done.
    pub(super) async fn take(self) -> Option<T> {
        let _ = JsFuture::from(self.promise).await;
        self.gave.borrow_mut().take()
    }
}

/// Fetches a hosted archive: all of it, or its first [`MAX_ARCHIVE_BYTES`] and a bit (the
/// rest is not downloaded); returns the bytes and the file's size when known.
pub(super) async fn fetch_archive(url: &str) -> Archive {
    let mut buf = Vec::new();
    let (read, declared) = fetch_streaming(url, |chunk, _, _| {
        buf.extend_from_slice(chunk);
        buf.len() <= MAX_ARCHIVE_BYTES
    })
    .await?;
    Ok((buf, words::file_size(declared, read)))
}
