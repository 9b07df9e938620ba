//! Fuzz target: everything the viewer computes from archives, on any two archives (the
//! input split at its first NUL byte): JSON, resources, lineage (whose boxes must never
//! overlap), the run diff and N-way table with their exports, line diffs, the figure checks,
//! the standalone report, the manifest entry and the share link (which must round-trip).
#![no_main]

use libfuzzer_sys::fuzz_target;
use runlens::archive::{completeness, json, parse};
use runlens::diff::{export, nway, run, text};
use runlens::lineage::{graph, layout};
use runlens::runs::{summarize, Run, Source};

fuzz_target!(|data: &[u8]| {
    let (a, b) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, data),
    };
    let (Ok(ta), Ok(tb)) = (std::str::from_utf8(a), std::str::from_utf8(b)) else {
        return;
    };
    let pa = parse(ta);
    let pb = parse(tb);
    let ca = completeness(&pa.archive);
    let _ = json::to_json(&pa, &ca);
    let _ = runlens::resources::resources(&pa.archive);
    for s in &pa.archive.steps.steps {
        if let Some(t) = s.training() {
            let _ = runlens::chart::figures::check(&t, None);
        }
    }
    let g = graph::build(&[&pa.archive, &pb.archive]);
    let l = layout::layout(&g);
    assert!(layout::overlaps(&l).is_none(), "lineage boxes overlap");
    let _ = runlens::lineage::to_json(&g);
    let _ = runlens::lineage::to_dot(&g);
    let d = run::diff_runs(&pa.archive, &pb.archive);
    let _ = export::diff_json(&d);
    let _ = export::diff_markdown(&d);
    let _ = export::diff_html(&d);
    let t = nway::compare(&[&pa.archive, &pb.archive, &pa.archive]);
    let _ = export::table_markdown(&t);
    let _ = export::table_html(&t);
    let _ = text::diff_lines(ta, tb);
    let _ = runlens::share::report_html(&pa, ta);
    assert_eq!(runlens::share::decode(&runlens::share::encode(ta)).ok().as_deref(), Some(ta));
    if let Ok(r) = Run::from_bytes(a, Source::Pasted, Vec::new()) {
        let _ = summarize(&r);
    }
});
