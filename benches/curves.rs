//! Curve benchmarks, printed as numbers: event-file read throughput (every CRC checked)
//! side by side with TensorBoard's own readers on the same file, M4 decimation + draw per
//! frame at 10M points, and memory per loaded point.
//!
//! Run: `cargo bench --bench curves`. TensorBoard's readers are measured when
//! `pip install tensorboard` has been done (its Python `EventFileLoader`, and the `server`
//! binary of the `tensorboard-data-server` wheel timed to its "Finished load cycle" line);
//! otherwise their rows say so.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should stop the test

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use plotters::prelude::*;
use runlens::chart::draw::{draw, Line};
use runlens::chart::series_math::{MinMaxIndex, Raw};
use runlens::ingest::{self, tfevents};

const TAGS: [&str; 4] = ["lm loss", "learning-rate", "grad-norm", "throughput"];

/// A ~50 MB event file of 1M scalars (250k steps x 4 tags), written once.
fn bench_file(dir: &Path) -> PathBuf {
    let path = dir.join("run/events.out.tfevents.1700000000.bench.1.0");
    if path.is_file() {
        return path;
    }
    let _ = std::fs::create_dir_all(path.parent().unwrap_or(dir));
    let mut out = Vec::with_capacity(56 << 20);
    // A file-version record first, as writers do.
    tfevents::write_record(
        &mut out,
        &[
            0x09, 0, 0, 0, 0, 0, 0, 0, 0, 0x1a, 0x0d, b'b', b'r', b'a', b'i', b'n', b'.', b'E',
            b'v', b'e', b'n', b't', b':', b'2',
        ],
    );
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    for step in 1..=250_000i64 {
        for (k, tag) in TAGS.iter().enumerate() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let noise = (x % 10_000) as f32 / 1e5;
            let v = match k {
                0 => 3.0 / (1.0 + step as f32 * 1e-4) + noise,
                1 => 1e-5 * (step as f32 / 250_000.0),
                2 => 1.0 + noise,
                _ => 2900.0 + noise * 100.0,
            };
            // Tags and padding sized like Megatron's records (about 52 bytes each).
            tfevents::write_record(
                &mut out,
                &tfevents::scalar_event(tag, step, 1.7e9 + step as f64 * 11.8, v),
            );
        }
    }
    let _ = std::fs::write(&path, &out);
    path
}

fn best_of(n: usize, mut f: impl FnMut() -> Duration) -> Duration {
    (0..n).map(|_| f()).min().unwrap_or_default()
}

fn python_loader(file: &Path) -> Option<Duration> {
    let script = String::from(
        "import time,sys\nfrom tensorboard.backend.event_processing.event_file_loader import EventFileLoader\nt=time.perf_counter()\nn=0\nfor e in EventFileLoader(sys.argv[1]).Load():\n  for v in e.summary.value: n+=1\nprint(time.perf_counter()-t, n)\n"
    );
    let out = Command::new("python3")
        .args(["-c", &script, &file.display().to_string()])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let secs: f64 = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_secs_f64(secs))
}

fn data_server(logdir: &Path) -> Option<Duration> {
    let bin = Command::new("python3")
        .args([
            "-c",
            "import tensorboard_data_server as t; print(t.server_binary())",
        ])
        .output()
        .ok()?;
    let bin = String::from_utf8_lossy(&bin.stdout).trim().to_string();
    if bin.is_empty() {
        return None;
    }
    let start = Instant::now();
    let mut child = Command::new(&bin)
        .args([
            "--logdir",
            &logdir.display().to_string(),
            "--reload",
            "once",
            "--samples-per-plugin",
            "scalars=all",
            "-v",
            "--port",
            "0",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    let stderr = child.stderr.take()?;
    let mut elapsed = None;
    for line in BufReader::new(stderr).lines().map_while(Result::ok) {
        if line.contains("Finished load cycle") {
            elapsed = Some(start.elapsed());
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    elapsed
}

fn row(name: &str, value: String, goal: &str, peer: &str) {
    println!("{name:<44} {value:>22}  {goal:<26} {peer}");
}

fn main() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let file = bench_file(&dir);
    let bytes = std::fs::read(&file).unwrap_or_default();
    let mb = bytes.len() as f64 / 1e6;
    let mut scalars = 0;
    let ours = best_of(5, || {
        let t = Instant::now();
        let c = ingest::parse("events.out.tfevents.bench", &bytes).unwrap_or_default();
        scalars = c.points();
        t.elapsed()
    });
    println!(
        "event file: {} ({mb:.1} MB, {scalars} scalars)",
        file.display()
    );
    row("figure", "value".into(), "goal", "peer");
    let ours_mbs = mb / ours.as_secs_f64();
    row(
        "read, runlens native (CRC checked)",
        format!(
            "{:.3} s {ours_mbs:.0} MB/s {:.1} M/s",
            ours.as_secs_f64(),
            scalars as f64 / ours.as_secs_f64() / 1e6
        ),
        ">= 5x data server",
        "",
    );
    match data_server(file.parent().unwrap_or(&dir)) {
        Some(d) => row(
            "read, TensorBoard Rust data server",
            format!("{:.3} s {:.0} MB/s", d.as_secs_f64(), mb / d.as_secs_f64()),
            "",
            &format!("runlens is {:.1}x", d.as_secs_f64() / ours.as_secs_f64()),
        ),
        None => row(
            "read, TensorBoard Rust data server",
            "not installed".into(),
            "",
            "pip install tensorboard",
        ),
    }
    match python_loader(&file) {
        Some(d) => row(
            "read, TensorBoard Python EventFileLoader",
            format!("{:.3} s {:.1} MB/s", d.as_secs_f64(), mb / d.as_secs_f64()),
            "",
            &format!("runlens is {:.1}x", d.as_secs_f64() / ours.as_secs_f64()),
        ),
        None => row(
            "read, TensorBoard Python EventFileLoader",
            "not installed".into(),
            "",
            "pip install tensorboard",
        ),
    }

    // 10M points: memory per point, index build, decimation + draw per frame.
    let s = runlens::ingest::series::synthetic_loss(10_000_000);
    let t = Instant::now();
    let idx = MinMaxIndex::build(&Raw(&s));
    let build = t.elapsed();
    row(
        "memory per loaded point (10M points)",
        format!("{:.2} bytes", s.heap_bytes() as f64 / 1e7),
        "<= 16 bytes",
        "",
    );
    row(
        "min/max index build (10M points)",
        format!("{:.1} ms", build.as_secs_f64() * 1e3),
        "",
        "once per file",
    );
    for (label, range) in [("full view", None), ("zoomed 1%", Some((5e6, 5.1e6)))] {
        let frame = best_of(7, || {
            let mut svg = String::with_capacity(1 << 20);
            let t = Instant::now();
            {
                let root = SVGBackend::with_string(&mut svg, (1200, 400)).into_drawing_area();
                let spec = runlens::workspace::synth::loss_spec(range);
                let _ = draw(
                    &root,
                    &spec,
                    &[Line {
                        series: &s,
                        raw_index: &idx,
                        smoothed: None,
                        label: "lm loss".into(),
                        color: 0,
                    }],
                );
            }
            t.elapsed()
        });
        row(
            &format!("decimate + draw a frame, 10M points, {label}"),
            format!("{:.2} ms", frame.as_secs_f64() * 1e3),
            "<= 16 ms",
            "naive plotters 1M points: 200-360 ms",
        );
    }
}
