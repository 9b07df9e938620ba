//! Index and query speed over a large generated index (issue 15's goals).
//! Run: `cargo bench --bench query` (100,000 runs; `RUNLENS_BENCH_RUNS=N` for fewer).
//!
//! Writes N generated archives (`runlens::query::synth::synth_run`) to a temporary folder,
//! then prints: `runlens index` cold (goal <= 60 s at 100k) and again after 10 archives
//! changed (goal <= 5 s), the manifest's size, reading it and building the field table,
//! each query's time (median of 21; goal <= 100 ms) with its count checked against what
//! the generator put in, `runlens runs MANIFEST --query` end to end, and `index --shard
//! experiment` from the cache and after 10 more archives changed (goal <= 5 s). The folder
//! is removed at the end. Wall times: on a shared machine they include other work.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should stop the test

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use runlens::query::synth::{knobs, synth_run, Knobs};
use runlens::query::{FieldTable, Query};
use runlens::runs::parse_manifest;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// CPU seconds (user + system) used by this process's finished children, from
/// `/proc/self/stat` (`cutime`, `cstime`, in clock ticks of 1/100 s): what a run of `runlens`
/// cost, whatever else the machine was doing.
fn children_cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<f64> = after
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    // After the command name: state is field 3, cutime 16 and cstime 17 (1-based).
    (f.get(13).copied().unwrap_or(0.0) + f.get(14).copied().unwrap_or(0.0)) / 100.0
}

fn index(dir: &Path, extra: &[&str]) -> Duration {
    let cpu = children_cpu();
    let t = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_runlens"))
        .arg("index")
        .arg(dir)
        .args(extra)
        .output()
        .expect("run runlens index");
    let took = t.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    println!(
        "    {} [cpu {:.1} s]",
        String::from_utf8_lossy(&out.stderr).trim(),
        children_cpu() - cpu
    );
    took
}

/// Changes 10 archives spread over the index: appends a note (`host` None: no field
/// changes), or also moves the run to another host (its manifest entry changes).
fn change_ten(dir: &Path, n: usize, note: &str, host: Option<&str>) {
    for i in (0..n).step_by((n / 10).max(1)).take(10) {
        let k = knobs(i);
        let p = dir.join(&k.experiment).join(&k.run_id).join("archive.md");
        let mut text = std::fs::read_to_string(&p).unwrap();
        if let Some(h) = host {
            text = text.replacen(&format!("- host: {}", k.host), &format!("- host: {h}"), 1);
        }
        text.push_str(&format!("\n## Notes\nre-run after a {note}\n"));
        std::fs::write(&p, text).unwrap();
    }
}

fn goal(name: &str, took: Duration, limit: Duration) {
    println!(
        "{name:<44} {:>10.1} ms   goal <= {} ms: {}",
        ms(took),
        limit.as_millis(),
        if took <= limit { "met" } else { "NOT met" }
    );
}

/// The machine's load average (1, 5, 15 minutes), to read wall times by.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn main() {
    println!(
        "load average {} on {} cores (wall times include whatever else the machine runs)",
        load(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let n: usize = std::env::var("RUNLENS_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = std::env::temp_dir().join(format!("runlens-bench-query-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let t = Instant::now();
    let mut bytes = 0usize;
    for i in 0..n {
        let k = knobs(i);
        let run_dir = dir.join(&k.experiment).join(&k.run_id);
        std::fs::create_dir_all(&run_dir).unwrap();
        let text = synth_run(i);
        bytes += text.len();
        std::fs::write(run_dir.join("archive.md"), text).unwrap();
    }
    println!(
        "generated {n} archives ({:.0} MB) in {:.1} s under {}",
        bytes as f64 / 1e6,
        t.elapsed().as_secs_f64(),
        dir.display()
    );
    let scale = |d: Duration| d.mul_f64(n as f64 / 100_000.0);
    let cold = index(&dir, &[]);
    goal(
        &format!("runlens index, cold, {n} archives"),
        cold,
        scale(Duration::from_secs(60)),
    );
    change_ten(&dir, n, "config fix", None);
    let warm = index(&dir, &[]);
    goal(
        "runlens index, 10 archives changed",
        warm,
        Duration::from_secs(5),
    );

    let manifest = dir.join("runs.json");
    let t = Instant::now();
    let text = std::fs::read_to_string(&manifest).unwrap();
    let m = parse_manifest(&text).unwrap();
    let read = t.elapsed();
    let t = Instant::now();
    let mut table = FieldTable::new();
    for r in &m.runs {
        table.push(&r.query_fields());
    }
    let build = t.elapsed();
    println!(
        "manifest {:.1} MB, {} runs, {} field names: read {:.0} ms, field table built {:.0} ms",
        text.len() as f64 / 1e6,
        m.runs.len(),
        table.names().len(),
        ms(read),
        ms(build)
    );
    assert_eq!(m.runs.len(), n);

    // Each query with the count the generator's own numbers give.
    let all: Vec<Knobs> = (0..n).map(knobs).collect();
    let count = |f: &dyn Fn(&Knobs) -> bool| all.iter().filter(|k| f(k)).count();
    let cases: Vec<(&str, usize)> = vec![
        ("train.cpt.lr >= 2e-5", count(&|k| k.cpt_lr >= 2e-5)),
        ("train.cpt.lr = 0.00001", count(&|k| k.cpt_lr == 1e-5)),
        ("status = failed and host = \"gpu-node-07\"", count(&|k| k.failed && k.host == "gpu-node-07")),
        (
            "(experiment = exp-03 or experiment = exp-11) and eval.mmlu > 0.7 and not train.cpt.global_batch_size = 512",
            count(&|k| {
                (k.experiment == "exp-03" || k.experiment == "exp-11")
                    && k.mmlu.is_some_and(|m| m > 0.7)
                    && k.cpt_gbs != 512
            }),
        ),
        ("host ~ \"node-(1|2)[0-9]$\"", count(&|k| {
            let d = &k.host["gpu-node-".len()..];
            d.starts_with('1') || d.starts_with('2')
        })),
        ("started_at >= \"2025-06\" and started_at < \"2025-07\"", count(&|k| k.month == 6)),
        ("peak_vram_gb > 75 and train.cpt.final_loss < 1.5", count(&|k| k.peak_vram_gb > 75.0 && k.cpt_final_loss < 1.5)),
    ];
    for (q, want) in cases {
        let mut times = Vec::new();
        let mut got = 0;
        for _ in 0..21 {
            let t = Instant::now();
            let query = Query::new(q, &table).unwrap();
            got = query.select(&table).len();
            times.push(t.elapsed());
        }
        times.sort();
        assert_eq!(got, want, "{q}");
        goal(
            &format!("query ({got} of {n} match)"),
            times[10],
            Duration::from_millis(100),
        );
        println!("    {q}");
    }
    let t = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_runlens"))
        .args([
            "runs",
            &manifest.display().to_string(),
            "--query",
            "status = failed",
            "--json",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["count"], count(&|k| k.failed));
    println!(
        "{:<44} {:>10.1} ms   (reads the manifest, answers, prints JSON)",
        "runlens runs MANIFEST --query ... --json",
        ms(t.elapsed())
    );
    // Sharded: every run from the cache, then 10 archives of a few experiments changed
    // (only their shards are written again).
    let t = Instant::now();
    index(&dir, &["--shard", "experiment"]);
    println!(
        "{:<44} {:>10.1} ms",
        "runlens index --shard experiment, from cache",
        ms(t.elapsed())
    );
    change_ten(&dir, n, "node swap", Some("gpu-node-99"));
    let warm = index(&dir, &["--shard", "experiment"]);
    goal(
        "runlens index --shard, 10 archives changed",
        warm,
        Duration::from_secs(5),
    );
    println!("load average {} at the end", load());
    let _ = std::fs::remove_dir_all(&dir);
}
