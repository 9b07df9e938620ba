//! Fuzz target: the manifest reader returns a manifest or a located error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(m) = runlens::runs::parse_manifest(text) {
            for r in &m.runs {
                let _ = runlens::runs::join_url("runs.json", &r.archive);
                let _ = runlens::runs::sparkline_levels(&r.sparkline);
            }
        }
    }
});
