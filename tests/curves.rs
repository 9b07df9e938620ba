//! Curve readers against TensorBoard's own reading (the oracle files: every scalar as
//! TensorBoard's Python reader sees it), on the bundled samples and, when `../shared/real/`
//! is present, on event files from public training runs.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should stop the test

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use runlens::ingest::{self, Location};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

type Points = BTreeMap<String, Vec<(i64, f64, f64)>>;

fn oracle(path: &Path) -> Points {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out: Points = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("oracle json");
        out.entry(v["tag"].as_str().unwrap_or_default().to_string())
            .or_default()
            .push((
                v["step"].as_i64().unwrap_or(i64::MIN),
                v["wall_time"].as_f64().unwrap_or(f64::NAN),
                v["value"].as_f64().unwrap_or(f64::NAN),
            ));
    }
    out
}

fn ours(path: &Path) -> (Points, ingest::Curves) {
    let bytes = std::fs::read(path).expect("event file");
    let c = ingest::parse(&path.display().to_string(), &bytes).expect("curves");
    let mut out: Points = BTreeMap::new();
    for s in &c.series {
        let pts = (0..s.len())
            .map(|i| (s.step(i), s.wall(i).unwrap_or(f64::NAN), s.value(i)))
            .collect();
        out.insert(s.tag.clone(), pts);
    }
    (out, c)
}

/// Every scalar equal to the bit: same tags, same points in the same order.
fn assert_same(name: &str, event_file: &Path, oracle_file: &Path) -> ingest::Curves {
    let want = oracle(oracle_file);
    let (got, curves) = ours(event_file);
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>(),
        "{name}: tags"
    );
    for (tag, w) in &want {
        let g = &got[tag];
        assert_eq!(g.len(), w.len(), "{name}/{tag}: point count");
        for (i, (a, b)) in g.iter().zip(w).enumerate() {
            assert!(
                a.0 == b.0 && a.1.to_bits() == b.1.to_bits() && a.2.to_bits() == b.2.to_bits(),
                "{name}/{tag} point {i}: ours {a:?} TensorBoard {b:?}"
            );
        }
    }
    curves
}

#[test]
fn sample_event_files_match_tensorboard_exactly() {
    let cases = [
        (
            "20251103-0853-a1f3",
            "cpt",
            "tensorboard/cpt/events.out.tfevents.1762161200.gpu-node-07.48211.0",
        ),
        (
            "20251103-0853-a1f3",
            "sft",
            "tensorboard/sft/events.out.tfevents.1762190000.gpu-node-07.51877.0",
        ),
        (
            "20251110-1420-b7c2",
            "cpt",
            "tensorboard/cpt/events.out.tfevents.1762786000.gpu-node-07.48211.0",
        ),
        (
            "20251112-2201-c9d4",
            "cpt",
            "tensorboard/cpt/events.out.tfevents.1762985800.gpu-node-07.48211.0",
        ),
    ];
    for (run, stage, file) in cases {
        let ev = root().join("static/samples").join(run).join(file);
        let or = root().join(format!("tests/fixtures/oracle/{run}.{stage}.jsonl"));
        let c = assert_same(run, &ev, &or);
        if run == "20251112-2201-c9d4" {
            // The crashed run's file ends mid-record: reported, every whole record kept.
            assert_eq!(c.problems.len(), 1, "{:?}", c.problems);
            assert!(matches!(c.problems[0].at, Location::Byte(144_073)));
        } else {
            assert!(c.problems.is_empty(), "{run}: {:?}", c.problems);
        }
    }
}

#[test]
fn tf2_tensor_scalars_match_tensorboard_exactly() {
    let dir = root().join("tests/fixtures/tf2");
    let ev = dir.join("events.out.tfevents.1795905438.vm.27456.0");
    assert_same(
        "tf2",
        &ev,
        &root().join("tests/fixtures/oracle/extra.tf2-tensor-scalars.jsonl"),
    );
}

#[test]
fn real_event_files_from_public_runs_match_tensorboard_exactly() {
    let real = root().join("../shared/real/tfevents");
    if !real.is_dir() {
        eprintln!("SKIPPED: ../shared/real/tfevents is absent (a fresh clone has no shared/); nothing to compare");
        return;
    }
    let mut n = 0;
    for dir in std::fs::read_dir(&real).expect("real dir") {
        let dir = dir.expect("entry").path();
        for f in std::fs::read_dir(&dir).expect("files") {
            let f = f.expect("entry").path();
            let name = f.display().to_string();
            if name.ends_with(".oracle.jsonl") {
                continue;
            }
            let oracle = PathBuf::from(format!("{name}.oracle.jsonl"));
            let c = assert_same(&name, &f, &oracle);
            assert!(c.problems.is_empty(), "{name}: {:?}", c.problems);
            n += 1;
        }
    }
    assert!(n >= 5, "expected the five public event files, read {n}");
}

#[test]
fn real_megatron_log_gives_every_iteration() {
    let log = root()
        .join("../shared/real/logs/megatron-deepspeed-qwen7b-single-node/qwen7b_baseline_500.log");
    if !log.is_file() {
        eprintln!("SKIPPED: ../shared/real/logs is absent (a fresh clone has no shared/)");
        return;
    }
    let text = std::fs::read_to_string(&log).expect("log");
    let iteration_lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains(" iteration ") && l.contains('/') && l.contains("lm loss:"))
        .collect();
    let c = ingest::parse("qwen7b_baseline_500.log", text.as_bytes()).expect("log");
    let loss = c.get("lm loss").expect("lm loss");
    assert_eq!(loss.len(), iteration_lines.len());
    // Spot-check against the text itself: the last line's loss.
    let last = iteration_lines
        .last()
        .and_then(|l| l.split("lm loss:").nth(1))
        .and_then(|r| r.split('|').next())
        .map(|v| v.trim().parse::<f64>().unwrap_or(f64::NAN));
    assert_eq!(loss.last().map(|(_, v)| v), last);
    assert!(
        c.get("lm loss value").is_none(),
        "validation lines are not the training series"
    );
}

#[test]
fn truncated_and_corrupted_copies_keep_what_is_whole() {
    let ev = root().join("static/samples/20251103-0853-a1f3/tensorboard/sft/events.out.tfevents.1762190000.gpu-node-07.51877.0");
    let bytes = std::fs::read(ev).expect("event file");
    let full = ingest::parse("events.out.tfevents.x", &bytes).expect("full");
    // Cut anywhere: never more points than the whole file, never a failure, one problem.
    for cut in [13, 100, bytes.len() / 2, bytes.len() - 1] {
        let c = ingest::parse("events.out.tfevents.x", &bytes[..cut]).expect("cut");
        assert!(c.points() < full.points());
        assert_eq!(c.problems.len(), 1, "cut at {cut}: {:?}", c.problems);
    }
    // Flip one byte in the middle: the damaged record is reported at its offset, the rest read.
    let mut bad = bytes.clone();
    let mid = bytes.len() / 2;
    bad[mid] ^= 0x55;
    let c = ingest::parse("events.out.tfevents.x", &bad).expect("damaged");
    assert!(
        c.points() >= full.points() - 2,
        "{} of {}",
        c.points(),
        full.points()
    );
    assert!(!c.problems.is_empty());
    assert!(c
        .problems
        .iter()
        .all(|p| matches!(p.at, Location::Byte(b) if (b as usize) <= mid)));
}

/// Inputs the fuzzer found a failure in stay fixed: each curve file in
/// `tests/fixtures/fuzz-curves` is read without a panic (tests build with overflow checks,
/// as the fuzzer does).
#[test]
fn regression_fuzz_findings_in_curve_files() {
    let dir = root().join("tests/fixtures/fuzz-curves");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("fuzz-curves fixtures") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("read");
        let name = path.file_name().map(|f| f.to_string_lossy().into_owned());
        let name = name.unwrap_or_default();
        if name.ends_with(".log") {
            let _ = ingest::megatron::parse(&name, &bytes);
        }
        let _ = ingest::parse(&name, &bytes);
        n += 1;
    }
    assert!(n >= 1);
}
