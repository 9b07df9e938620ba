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

#[test]
fn runs_query_prints_the_promised_json_and_exits_like_grep() {
    let out = runlens(&[
        "runs",
        "static",
        "--query",
        "train.sft.lr >= 2e-6 and eval.mmlu > 0.702",
        "--fields",
        "train.sft.lr,eval.mmlu,host",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    // b7c2: sft lr 4e-06, mmlu 0.7046; a1f3 has mmlu 0.7012, c9d4 no SFT.
    assert_eq!(j["count"], 1);
    let r = &j["runs"][0];
    assert_eq!(r["run_id"], "20251110-1420-b7c2");
    assert_eq!(r["archive"], "samples/20251110-1420-b7c2/archive.md");
    assert_eq!(r["fields"]["train.sft.lr"], 4e-6);
    assert_eq!(r["fields"]["eval.mmlu"], 0.7046);
    assert_eq!(r["fields"]["host"], "gpu-node-07");

    let none = runlens(&["runs", "static/runs.json", "--query", "status = preempted"]);
    assert_eq!(none.status.code(), Some(1), "no run matches");
    let bad = runlens(&[
        "runs",
        "static/runs.json",
        "--query",
        "status = ok and lrr > 1",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    let msg = String::from_utf8_lossy(&bad.stderr);
    assert!(msg.contains("at byte 16: unknown field `lrr`"), "{msg}");
    assert!(
        msg.contains("                ^^^"),
        "caret under the field: {msg}"
    );
}

#[test]
fn runs_csv_lists_the_chosen_fields_and_a_manifest_answers_as_the_folder_does() {
    let q = "status = success";
    let from_dir = runlens(&[
        "runs",
        "static",
        "-q",
        q,
        "--fields",
        "run_id,peak_vram_gb",
        "--csv",
    ]);
    let from_manifest = runlens(&[
        "runs",
        "static/runs.json",
        "-q",
        q,
        "--fields",
        "run_id,peak_vram_gb",
        "--csv",
    ]);
    let text = String::from_utf8_lossy(&from_dir.stdout).to_string();
    assert_eq!(
        text,
        "run_id,archive,run_id,peak_vram_gb\n\
         20251110-1420-b7c2,samples/20251110-1420-b7c2/archive.md,20251110-1420-b7c2,71.3\n\
         20251103-0853-a1f3,samples/20251103-0853-a1f3/archive.md,20251103-0853-a1f3,73.4\n"
    );
    assert_eq!(String::from_utf8_lossy(&from_manifest.stdout), text);
}

#[test]
fn index_rereads_only_changed_archives_and_shards_by_experiment() {
    let dir = std::env::temp_dir().join(format!("runlens-cli-index-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (i, exp) in [(0, "exp-a"), (1, "exp-a"), (2, "exp-b")] {
        let text = runlens::query::synth::synth_run(i).replacen(
            &runlens::query::synth::knobs(i).experiment,
            exp,
            1,
        );
        let run = dir.join(format!("r{i}"));
        std::fs::create_dir_all(&run).unwrap();
        std::fs::write(run.join("archive.md"), text).unwrap();
    }
    let d = dir.display().to_string();
    let said = |args: &[&str]| {
        let out = runlens(args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    assert!(said(&["index", &d]).contains("(3 read, 0 from the cache)"));
    assert!(said(&["index", &d]).contains("(0 read, 3 from the cache)"));
    let p = dir.join("r1/archive.md");
    let mut text = std::fs::read_to_string(&p).unwrap();
    text.push_str("\n## Notes\nchanged\n");
    std::fs::write(&p, text).unwrap();
    assert!(said(&["index", &d]).contains("(1 read, 2 from the cache)"));

    assert!(said(&["index", &d, "--shard", "experiment"]).contains("and 2 shards"));
    let top: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("runs.json")).unwrap()).unwrap();
    assert_eq!(top["version"], runlens::runs::MANIFEST_VERSION);
    assert_eq!(
        top["shards"],
        serde_json::json!([
            {"manifest": "runs-exp-a.json", "key": "exp-a", "count": 2},
            {"manifest": "runs-exp-b.json", "key": "exp-b", "count": 1}
        ])
    );
    let out = runlens(&[
        "runs",
        &dir.join("runs.json").display().to_string(),
        "--json",
    ]);
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["count"], 3, "a top manifest answers across its shards");

    // One archive of exp-a changes: exp-a's shard is written again, exp-b's keeps its bytes
    // (and its mtime: it is not even rewritten).
    let shard_b = dir.join("runs-exp-b.json");
    let (bytes_a, bytes_b) = (
        std::fs::read(dir.join("runs-exp-a.json")).unwrap(),
        std::fs::read(&shard_b).unwrap(),
    );
    let mtime_b = std::fs::metadata(&shard_b).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(&p)
        .unwrap()
        .replacen("- host: ", "- host: moved-", 1);
    std::fs::write(&p, text).unwrap();
    let msg = said(&["index", &d, "--shard", "experiment"]);
    assert!(msg.contains("(1 read, 2 from the cache)"), "{msg}");
    assert!(msg.contains("and 2 shards (1 written"), "{msg}");
    assert_eq!(std::fs::read(&shard_b).unwrap(), bytes_b);
    assert_eq!(
        std::fs::metadata(&shard_b).unwrap().modified().unwrap(),
        mtime_b
    );
    assert_ne!(std::fs::read(dir.join("runs-exp-a.json")).unwrap(), bytes_a);
    // Nothing changed: no shard is written.
    // (The changed run's line was appended to the cache: the later line is the one used.)
    let msg = said(&["index", &d, "--shard", "experiment"]);
    assert!(msg.contains("(0 written"), "{msg}");
    assert!(msg.contains("(0 read, 3 from the cache)"), "{msg}");

    // A damaged cache is named, and every archive is read again.
    let cache = dir.join(".runlens-index-cache.json");
    let kept = std::fs::read_to_string(&cache).unwrap();
    let cut = &kept[..kept.len() - 40];
    std::fs::write(&cache, cut).unwrap();
    let msg = said(&["index", &d]);
    assert!(
        msg.contains("index cache")
            && msg.contains("damaged")
            && msg.contains("(3 read, 0 from the cache)"),
        "{msg}"
    );
    // And a cache of an older runlens is ignored without a word.
    std::fs::write(
        &cache,
        "{\"format\":\"runlens-index-cache 1 0.1.0\",\"entries\":[]}",
    )
    .unwrap();
    let msg = said(&["index", &d]);
    assert!(
        msg.contains("(3 read, 0 from the cache)") && !msg.contains("damaged"),
        "{msg}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
