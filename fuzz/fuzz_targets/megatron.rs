//! Fuzz target: the Megatron log reader never panics, whatever the text, and format
//! detection never panics on a log's head.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = runlens::ingest::megatron::parse("train.log", data) {
        let _ = c.points();
    }
    let _ = runlens::ingest::detect("train.log", data);
});
