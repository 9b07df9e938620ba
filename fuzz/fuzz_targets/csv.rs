//! Fuzz target: the CSV reader returns curves or a located error, never a panic.
//! Named `.csv`, any text that is not an event file or gzip goes to the CSV reader.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = runlens::ingest::parse("x.csv", data);
});
