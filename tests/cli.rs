//! The `runlens` binary as a pipeline uses it: JSON shape, exit codes, one-line errors.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should stop the test

use std::path::PathBuf;
use std::process::{Command, Output};

fn runlens(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_runlens"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run runlens")
}

fn sample(run: &str) -> String {
    format!("static/samples/{run}/archive.md")
}

fn tmp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("runlens-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write");
    p
}

#[test]
fn inspect_json_has_the_promised_shape() {
    let out = runlens(&["inspect", &sample("20251112-2201-c9d4"), "--json"]);
    assert!(out.status.success());
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    for key in [
        "summary",
        "dependencies",
        "config_snapshot",
        "paths",
        "data_snapshot",
        "data_copy",
        "steps",
        "repro",
        "artifacts",
        "resources",
        "changes",
        "extra_sections",
        "diagnostics",
        "completeness",
    ] {
        assert!(j.get(key).is_some(), "missing {key}");
    }
    let step = &j["steps"][1];
    for key in [
        "step_id",
        "name",
        "stage",
        "status",
        "config",
        "inputs",
        "outputs",
        "params",
        "training",
        "metrics",
        "eval",
        "logs",
        "warnings",
        "error",
        "error_stack",
        "retries",
    ] {
        assert!(step.get(key).is_some(), "step missing {key}");
    }
    assert_eq!(step["retries"], 2);
    assert_eq!(j["changes"]["previous_run_id"], "20251110-1420-b7c2");
    assert_eq!(j["artifacts"]["checkpoints"][0]["step"], 500);
    assert_eq!(j["artifacts"]["hf_models"], serde_json::json!([]));
    let c = &j["completeness"];
    assert_eq!(
        c["total"],
        c["filled"].as_u64().unwrap_or(0)
            + c["unfilled"].as_u64().unwrap_or(0)
            + c["missing"].as_u64().unwrap_or(0)
    );
    assert_eq!(
        c["unfilled_fields"],
        serde_json::json!(["artifacts.hf_models"])
    );
    assert_eq!(j["diagnostics"][0]["severity"], "info");
}

#[test]
fn inspect_prints_a_readable_summary() {
    let out = runlens(&["inspect", &sample("20251103-0853-a1f3")]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("qwen25-7b-med-cpt-sft / 20251103-0853-a1f3  [success]"),
        "{text}"
    );
    assert!(text.contains("(9 h 3 m)"));
    assert!(text.contains("git 9f2c41e"));
    assert!(text.contains("completeness: 100%"));
}

#[test]
fn check_gates_on_the_checklist() {
    let ok = runlens(&[
        "check",
        &sample("20251103-0853-a1f3"),
        &sample("20251110-1420-b7c2"),
    ]);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    assert_eq!(String::from_utf8_lossy(&ok.stdout).lines().count(), 2);
    let failed = runlens(&[
        "check",
        &sample("20251103-0853-a1f3"),
        &sample("20251112-2201-c9d4"),
    ]);
    assert_eq!(failed.status.code(), Some(1));
    let text = String::from_utf8_lossy(&failed.stdout);
    assert!(
        text.lines().nth(1).is_some_and(
            |l| l.starts_with("FAIL") && l.contains("artifacts.checkpoints[tag=best] missing")
        ),
        "{text}"
    );
    let template = runlens(&["check", "tests/fixtures/template.md"]);
    assert_eq!(template.status.code(), Some(1));
}

#[test]
fn bad_input_is_one_line_naming_the_file_and_exit_2() {
    let binary = tmp("events.bin", b"\x18\0\0\0\0\0\0\0garbage");
    let latin1 = tmp("latin1.md", b"## Summary\n- user: Jos\xe9\n");
    let empty = tmp("empty.md", b"");
    let cases: Vec<(String, &str)> = vec![
        ("does/not/exist.md".into(), "no such file"),
        ("static".into(), "is a directory"),
        (binary.display().to_string(), "binary file"),
        (latin1.display().to_string(), "not valid UTF-8"),
        (empty.display().to_string(), "empty"),
    ];
    for (path, what) in cases {
        for cmd in ["inspect", "check"] {
            let out = runlens(&[cmd, &path]);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{cmd} {path}: {err}");
            assert_eq!(err.lines().count(), 1, "{err}");
            assert!(
                err.contains(&path) && err.contains(what),
                "{cmd} {path}: {err}"
            );
        }
    }
}

#[test]
fn index_writes_the_manifest_the_app_reads_and_the_bundled_one_is_current() {
    let out = runlens(&["index", "static", "-o", "-"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fresh: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let runs = fresh["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 3);
    let failed = runs
        .iter()
        .find(|r| r["run_id"] == "20251112-2201-c9d4")
        .expect("failed run");
    assert_eq!(failed["archive"], "samples/20251112-2201-c9d4/archive.md");
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["final_losses"]["cpt"], 1.65224);
    assert!(failed["files"]
        .as_array()
        .is_some_and(|f| f.iter().any(|x| x
            .as_str()
            .is_some_and(|s| s.ends_with("events.out.tfevents.1762985800.gpu-node-07.48211.0")))));
    assert_eq!(
        runlens::runs::sparkline_levels(failed["sparkline"].as_str().unwrap_or("")).len(),
        96
    );
    let good = runs
        .iter()
        .find(|r| r["run_id"] == "20251103-0853-a1f3")
        .expect("good run");
    assert_eq!(good["eval"]["gsm8k"], 0.8104);
    // Newest first, as the runs list shows them.
    assert_eq!(runs[0]["run_id"], "20251112-2201-c9d4");
    let bundled: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{}/static/runs.json", env!("CARGO_MANIFEST_DIR")))
            .expect("bundled"),
    )
    .expect("json");
    assert_eq!(bundled, fresh, "static/runs.json is stale: run `cargo run --bin runlens -- index static -o static/runs.json`");
}

#[test]
fn lineage_and_diff_commands() {
    let out = runlens(&["lineage", &sample("20251103-0853-a1f3"), "--dot"]);
    let dot = String::from_utf8_lossy(&out.stdout);
    assert!(dot.starts_with("digraph lineage {"));
    assert!(dot.contains("-> \"step:20251103-0853-a1f3:3\" [label=\"loads\"]"));
    let out = runlens(&[
        "lineage",
        &sample("20251103-0853-a1f3"),
        &sample("20251110-1420-b7c2"),
    ]);
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(j["edges"]
        .as_array()
        .is_some_and(|e| e.iter().any(|e| e["kind"] == "previous")));
    let out = runlens(&[
        "diff",
        &sample("20251103-0853-a1f3"),
        &sample("20251110-1420-b7c2"),
        "--json",
    ]);
    let d: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(d["b"], "20251110-1420-b7c2");
    let out = runlens(&[
        "curves",
        "static/samples/20251110-1420-b7c2/curves/sft_lm_loss.csv",
        "--json",
    ]);
    let c: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(c["series"][0]["tag"], "sft_lm_loss");
    assert_eq!(c["series"][0]["points"].as_array().map(Vec::len), Some(600));
}

#[test]
fn curves_of_an_archive_name_each_train_steps_file_and_its_loss() {
    let out = runlens(&[
        "curves",
        "tests/fixtures/runs/20251120-0900-l0g5/archive.md",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "20251120-0900-l0g5: 4 train step(s)",
            "  step 2 train (cpt): logs/cpt_train.log, loss `lm loss`, 4 points, last step 40 = 2.6",
            "  step 3 train (sft): curves/sft_metrics.csv, loss `train_loss`, 3 points, last step 3 = 1.1",
            "  step 4 train (dpo): events.out.tfevents.1.host.1.0: not found in the run folder",
            "  step 5 train (rm): the step names no loss_curve and no .log",
        ],
        "{text}"
    );
    // A curve file alone: the loss series is marked.
    let out = runlens(&[
        "curves",
        "tests/fixtures/runs/20251120-0900-l0g5/curves/sft_metrics.csv",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    let marked: Vec<&str> = text.lines().filter(|l| l.ends_with("(the loss)")).collect();
    assert_eq!(marked.len(), 1, "{text}");
    assert!(marked[0].trim_start().starts_with("train_loss "), "{text}");
}
