//! Fuzz target: the event-file reader keeps what it can and never reports past the end.
#![no_main]

use libfuzzer_sys::fuzz_target;
use runlens::ingest::{tfevents, Location};

fuzz_target!(|data: &[u8]| {
    let c = tfevents::read(data);
    for p in &c.problems {
        if let Location::Byte(b) = p.at {
            assert!(b as usize <= data.len(), "problem past the end: {p:?}");
        }
    }
    // Any chunking reads the same.
    let mut r = tfevents::Reader::new();
    for chunk in data.chunks(7) {
        r.feed(chunk);
    }
    assert_eq!(r.finish().points(), c.points());
});
