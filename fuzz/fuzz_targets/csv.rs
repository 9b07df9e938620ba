//! Fuzz target: the CSV reader returns curves or a located error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = runlens::ingest::csv::parse(text, "curve");
    }
    let _ = runlens::ingest::parse("x.csv", data);
});
