//! Saving a file the user asked for (an export, a report, a chart image): text made into a
//! Blob, or a URL the page already has, handed to a clicked `<a download>`.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

use crate::runs::LoadError;

fn failed(filename: &str, message: &str) -> LoadError {
    LoadError {
        what: filename.to_string(),
        message: format!("could not be saved: {message}"),
    }
}

/// Saves the file at `href` (a data or object URL) as `filename`.
pub fn save_url(href: &str, filename: &str) -> Result<(), LoadError> {
    let a: HtmlAnchorElement = gloo::utils::document()
        .create_element("a")
        .map_err(|_| failed(filename, "the page would not make a download link"))?
        .unchecked_into();
    a.set_href(href);
    a.set_download(filename);
    a.click();
    Ok(())
}

/// Saves `text` as `filename`, typed `mime` (`text/csv`, `text/html`, ...).
pub fn save_text(text: &str, mime: &str, filename: &str) -> Result<(), LoadError> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &opts)
        .map_err(|_| failed(filename, "the browser would not hold it in memory"))?;
    let url = Url::create_object_url_with_blob(&blob)
        .map_err(|_| failed(filename, "the browser would not give it a URL"))?;
    let saved = save_url(&url, filename);
    // The download has its own copy once the link is clicked.
    let _ = Url::revoke_object_url(&url);
    saved
}
