//! The `runlens` binary as a pipeline uses it: JSON shape, exit codes, one-line errors.

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
