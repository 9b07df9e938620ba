//! Fuzz target: decoding a share-link fragment returns text or an error, never a panic,
//! and never inflates past the cap.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(frag) = std::str::from_utf8(data) {
        if let Ok(text) = runlens::share::decode(frag) {
            assert!(text.len() <= runlens::share::MAX_INFLATED);
        }
    }
});
