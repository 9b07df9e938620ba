//! Dropped files kept by handle: the pure model holds no browser objects, so a run's
//! companion names its file by a number, and curves are read from the file when charted.

use std::cell::RefCell;
use std::collections::HashMap;

use web_sys::File;

/// The last handle given out, and the files by handle.
#[derive(Default)]
struct Handles {
    last: u32,
    files: HashMap<u32, File>,
}

thread_local! {
    static FILES: RefCell<Handles> = RefCell::default();
}

/// Keeps a dropped file and returns its handle.
pub fn register_file(file: File) -> u32 {
    FILES.with(|f| {
        let mut f = f.borrow_mut();
        f.last += 1;
        let id = f.last;
        f.files.insert(id, file);
        id
    })
}

/// The dropped file behind a handle.
pub fn file_for(handle: u32) -> Option<File> {
    FILES.with(|f| f.borrow().files.get(&handle).cloned())
}
