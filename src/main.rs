//! The browser entry point: mounts the app and nothing else.

#[cfg(target_arch = "wasm32")]
fn main() {
    runlens::app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("runlens-web is the browser app: build it with `trunk build` (see README.md)");
}
