//! What a user sees after a failure the app cannot recover from, and probes for the browser
//! tests that check it.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Bytes of wasm memory in use (for the performance probe in the browser tests).
#[wasm_bindgen]
pub fn wasm_memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| {
            m.buffer()
                .unchecked_into::<js_sys::ArrayBuffer>()
                .byte_length() as f64
        })
        .unwrap_or(0.0)
}

/// Shows an error banner with a reload action instead of a dead page. The banner belongs to
/// `static/init.js` (`window.runlensFatal`): after a panic the wasm instance aborts, so the
/// banner and its Reload button must not need it.
pub fn panic_banner(info: &std::panic::PanicHookInfo<'_>) {
    let message = JsValue::from_str(&info.to_string());
    web_sys::console::error_1(&message);
    let fatal = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("runlensFatal")).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let Some(f) = fatal {
        let _ = f.call1(&JsValue::NULL, &message);
    }
}

/// Fails on purpose, so the browser tests can check what a user sees after a real failure:
/// `"panic"` panics (through the panic hook); anything else aborts as an out-of-memory
/// error does (a wasm trap that bypasses the hook). Reachable only from the console, as
/// `wasmBindings.fault_probe(kind)`.
#[wasm_bindgen]
#[allow(clippy::panic)]
pub fn fault_probe(kind: &str) {
    if kind == "panic" {
        panic!("fault probe: the browser test of the error banner");
    }
    std::process::abort();
}
