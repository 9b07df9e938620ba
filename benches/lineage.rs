//! Lineage layout speed: the three chained samples, and 10 generated chained runs of 50
//! nodes each (500 nodes). Run: `cargo bench --bench lineage`. Goal: 500 nodes in <= 50 ms.

use std::time::{Duration, Instant};

use runlens::archive::{parse, Archive};
use runlens::lineage::layout::{crossings, layout};
use runlens::lineage::scene::scene;
use runlens::lineage::{build, synth};

fn measure(name: &str, texts: &[String], runs: usize) -> Duration {
    let parsed: Vec<_> = texts.iter().map(|t| parse(t)).collect();
    let archives: Vec<&Archive> = parsed.iter().map(|p| &p.archive).collect();
    let g = build(&archives);
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        let l = layout(&g);
        let s = scene(&g, &l, &Default::default());
        std::hint::black_box((&l, &s));
        times.push(t.elapsed());
    }
    times.sort();
    let (best, median) = (times[0], times[runs / 2]);
    let l = layout(&g);
    println!(
        "lineage layout+scene {name:<32} {:>4} nodes {:>4} edges  best {:>7.2} ms  median {:>7.2} ms  {} crossings",
        g.nodes.len(),
        g.edges.len(),
        best.as_secs_f64() * 1e3,
        median.as_secs_f64() * 1e3,
        crossings(&g, &l)
    );
    median
}

fn main() {
    let root = env!("CARGO_MANIFEST_DIR");
    let chain: Vec<String> = [
        "20251103-0853-a1f3",
        "20251110-1420-b7c2",
        "20251112-2201-c9d4",
    ]
    .iter()
    .filter_map(|r| std::fs::read_to_string(format!("{root}/static/samples/{r}/archive.md")).ok())
    .collect();
    measure("three chained samples", &chain, 200);
    let big = synth::chained_archives(10);
    let median = measure("10 chained runs x 50 nodes", &big, 30);
    let goal = Duration::from_millis(50);
    println!(
        "goal: 500-node lineage laid out in <= {} ms: {} ({:.1} ms)",
        goal.as_millis(),
        if median <= goal { "met" } else { "NOT met" },
        median.as_secs_f64() * 1e3
    );
}
