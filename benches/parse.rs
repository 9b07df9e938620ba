//! Parse throughput on the bundled samples and on a generated ~100k-line archive.
//! Run: `cargo bench --bench parse`. Prints one line per input: size, best and median time
//! over repeated runs, and MB/s. Goal: the 100k-line archive in <= 100 ms.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should stop the test

use std::time::{Duration, Instant};

use runlens::archive::synth::big_archive;
use runlens::archive::{completeness, parse};
use runlens::diff::diff_runs;

fn measure(name: &str, text: &str, runs: usize) -> Duration {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        let p = parse(text);
        let c = completeness(&p.archive);
        std::hint::black_box((&p, &c));
        times.push(t.elapsed());
    }
    times.sort();
    let best = times[0];
    let median = times[runs / 2];
    let mb = text.len() as f64 / 1e6;
    println!(
        "parse+completeness  {name:<28} {:>8} lines {:>7.2} MB  best {:>8.2} ms  median {:>8.2} ms  {:>7.1} MB/s",
        text.lines().count(),
        mb,
        best.as_secs_f64() * 1e3,
        median.as_secs_f64() * 1e3,
        mb / median.as_secs_f64()
    );
    median
}

fn main() {
    let root = env!("CARGO_MANIFEST_DIR");
    for run in [
        "20251103-0853-a1f3",
        "20251110-1420-b7c2",
        "20251112-2201-c9d4",
    ] {
        let path = format!("{root}/static/samples/{run}/archive.md");
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                measure(run, &text, 200);
            }
            Err(e) => println!("skip {path}: {e}"),
        }
    }
    let big = big_archive(160, 600);
    let median = measure("generated 160 steps x 600", &big, 15);
    let goal = Duration::from_millis(100);
    println!(
        "goal: 100k-line archive <= {} ms: {} ({:.1} ms)",
        goal.as_millis(),
        if median <= goal { "met" } else { "NOT met" },
        median.as_secs_f64() * 1e3
    );

    // Diff of two ~100k-line archives (160 steps x 700 params) that differ in a few params.
    let a = big_archive(160, 700);
    let b = a
        .replace("param_0001: 2e-05", "param_0001: 3e-05")
        .replace("final_loss: 1.0007", "final_loss: 1.0107");
    let (pa, pb) = (parse(&a), parse(&b));
    let mut times = Vec::new();
    let mut n = 0;
    for _ in 0..9 {
        let t = Instant::now();
        let d = diff_runs(&pa.archive, &pb.archive);
        n = d.count();
        times.push(t.elapsed());
    }
    times.sort();
    let med = times[times.len() / 2];
    println!(
        "diff of two archives ({} lines each, 160 steps x 700 params): median {:.2} ms, {n} changes; goal <= 100 ms: {}",
        a.lines().count(),
        med.as_secs_f64() * 1e3,
        if med <= Duration::from_millis(100) { "met" } else { "NOT met" }
    );
}
