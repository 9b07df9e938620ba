//! Fuzz target: the archive parser must never panic, must account for every non-blank
//! line, and must not report lines past the end of the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use runlens::archive::coverage::accounted_lines;
use runlens::archive::parse::split_lines;
use runlens::archive::{completeness, parse};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = parse(text);
    let _ = completeness(&parsed.archive);
    let lines = split_lines(text);
    let covered = accounted_lines(&parsed.archive, lines.len());
    for (i, l) in lines.iter().enumerate() {
        assert!(l.trim().is_empty() || covered[i], "line {} lost: {l:?}", i + 1);
    }
    for d in &parsed.diagnostics {
        assert!(d.line as usize <= lines.len(), "diagnostic past the end: {d:?}");
    }
});
