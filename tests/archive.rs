//! The archive reader on the bundled sample runs, the template, and variants derived from
//! them: every non-blank line accounted for, every field read as the file says.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should stop the test

use std::path::PathBuf;

use runlens::archive::completeness::FieldState;
use runlens::archive::coverage::accounted_lines;
use runlens::archive::json::to_json;
use runlens::archive::model::CheckpointTag;
use runlens::archive::parse::split_lines;
use runlens::archive::synth::big_archive;
use runlens::archive::value::Value;
use runlens::archive::{completeness, parse, Parsed, SectionKind, Severity, Status};
use serde_json::Value as Json;

const RUNS: [&str; 3] = [
    "20251103-0853-a1f3",
    "20251110-1420-b7c2",
    "20251112-2201-c9d4",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sample(run: &str) -> String {
    let p = root().join("static/samples").join(run).join("archive.md");
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn template() -> String {
    std::fs::read_to_string(root().join("tests/fixtures/template.md")).expect("template")
}

/// Asserts that every non-blank line of `text` is held by the model.
fn assert_lossless(name: &str, text: &str) -> Parsed {
    let parsed = parse(text);
    let lines = split_lines(text);
    let covered = accounted_lines(&parsed.archive, lines.len());
    let lost: Vec<String> = lines
        .iter()
        .enumerate()
        .filter(|(i, l)| !l.trim().is_empty() && !covered[*i])
        .map(|(i, l)| format!("{}: {l}", i + 1))
        .collect();
    assert!(
        lost.is_empty(),
        "{name}: lines not in the model:\n{}",
        lost.join("\n")
    );
    parsed
}

fn inspect_json(text: &str) -> Json {
    let p = parse(text);
    let c = completeness(&p.archive);
    to_json(&p, &c)
}

#[test]
fn every_line_of_every_fixture_is_accounted_for() {
    for run in RUNS {
        assert_lossless(run, &sample(run));
    }
    assert_lossless("template", &template());
}

#[test]
fn summary_fields_are_typed_as_the_template_implies() {
    let j = inspect_json(&sample("20251103-0853-a1f3"));
    let s = &j["summary"];
    assert_eq!(s["run_id"], "20251103-0853-a1f3");
    assert_eq!(s["experiment"], "qwen25-7b-med-cpt-sft");
    assert_eq!(s["duration_sec"], 32588);
    assert_eq!(s["git_dirty"], false);
    assert_eq!(s["cuda"], "12.4", "versions stay text");
    assert_eq!(s["cuda_driver"], "550.90.07");
    assert_eq!(s["python"], "3.10.14");
    assert_eq!(s["gpus"], "NVIDIA H800 80GB x 32");
}

#[test]
fn tables_sections_and_nested_config() {
    let j = inspect_json(&sample("20251103-0853-a1f3"));
    let deps = j["dependencies"].as_array().expect("deps");
    assert_eq!(deps.len(), 9);
    assert_eq!(deps[1]["name"], "megatron");
    assert_eq!(deps[1]["version"], "core_r0.8.0 (3f9a0c2)");
    assert_eq!(deps[8]["version"], "n/a");
    let cfg = &j["config_snapshot"];
    assert_eq!(
        cfg["pipeline_config"],
        "configs/pipelines/qwen25-7b-med-cpt-sft.py"
    );
    assert_eq!(cfg["pipeline_resolved"]["NNODES"], 4);
    assert_eq!(
        cfg["steps_resolved"]["configs/steps/02_train_cpt.py"]["lr"],
        1e-5
    );
    assert_eq!(
        cfg["steps_resolved"]["configs/steps/07_eval.py"]["datasets"],
        "mmlu,cmmlu,ceval,medqa_4opt,gsm8k"
    );
    let ds = &j["data_snapshot"];
    assert_eq!(ds["raw_cpt_dir"], "/mnt/datapool/raw/cpt");
    assert_eq!(
        ds["merged_cpt"]["path"],
        "/mnt/datapool/merged/cpt/merged_cpt.jsonl"
    );
    assert_eq!(ds["merged_cpt"]["lines"], 4_182_733u64);
    assert_eq!(ds["merged_cpt"]["bytes"], 24_811_590_144u64);
    let dc = j["data_copy"].as_array().expect("data_copy");
    assert_eq!(dc.len(), 2);
    assert_eq!(dc[0]["files_copied"], 1288);
    assert_eq!(dc[0]["files_skipped"], 12);
    assert_eq!(dc[0]["note"], "12 files unchanged (same size+mtime)");
    assert_eq!(dc[1]["note"], Json::Null);
    assert_eq!(
        j["paths"]["logs_root"],
        "/mnt/datapool/exp/qwen25-7b-med-cpt-sft/20251103-0853-a1f3/logs"
    );
    assert_eq!(
        j["repro"]["env"]["NCCL_IB_HCA"],
        "mlx5_0,mlx5_1,mlx5_2,mlx5_3"
    );
    assert_eq!(
        j["repro"]["run"],
        "python3 scripts/run.py -c configs/pipelines/qwen25-7b-med-cpt-sft.py"
    );
    assert_eq!(j["resources"]["gpu_util_avg_pct"], 92.4);
    assert_eq!(j["changes"]["previous_run_id"], "n/a");
    assert_eq!(j["checklist"].as_array().map(Vec::len), Some(10));
}

#[test]
fn steps_keep_every_key_typed_and_nested() {
    let j = inspect_json(&sample("20251103-0853-a1f3"));
    let steps = j["steps"].as_array().expect("steps");
    assert_eq!(steps.len(), 7);
    let train = &steps[1];
    assert_eq!(train["step_id"], 2);
    assert_eq!(train["name"], "train");
    assert_eq!(train["stage"], "cpt");
    assert_eq!(train["params"]["lr"], 1e-5);
    assert_eq!(train["params"]["bf16"], true);
    assert_eq!(train["params"]["split"], "100,0,0");
    assert_eq!(train["params"].as_object().map(|m| m.len()), Some(53));
    assert_eq!(train["training"]["final_loss"], 1.62008);
    assert_eq!(train["training"]["steps"], 2000);
    assert_eq!(
        train["inputs"]["load"],
        "/mnt/datapool/ckpt/mcore/Qwen2.5-7B-tp4pp1"
    );
    assert_eq!(
        train["warnings"][0],
        "NCCL_IB_TIMEOUT not set, using default 18"
    );
    assert_eq!(train["retries"], 0);
    let sft = &steps[4];
    assert_eq!(
        sft["warnings"],
        Json::Array(vec![]),
        "`warnings:` with nothing under it"
    );
    let eval = &steps[6];
    assert_eq!(eval["eval"]["datasets"].as_array().map(Vec::len), Some(5));
    assert_eq!(eval["eval"]["results"]["gsm8k"], 0.8104);
    assert_eq!(eval["eval"]["script"]["version"], "opencompass@0.3.9");
    assert_eq!(eval["metrics"]["duration_sec"], 1844);
}

#[test]
fn failed_run_keeps_error_text_that_is_not_valid_yaml() {
    let text = sample("20251112-2201-c9d4");
    let p = parse(&text);
    assert_eq!(p.archive.status(), Status::Failed);
    let step = &p.archive.steps.steps[1];
    assert_eq!(step.status(), Status::Failed);
    assert_eq!(
        step.text("error"),
        Some("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.31 GiB. GPU 3 has a total capacity of 79.33 GiB of which 1.02 GiB is free.")
    );
    let stack = step.text("error_stack").expect("stack");
    assert!(stack.starts_with(
        "Traceback (most recent call last):\n  File \"/opt/Megatron-LM/pretrain_gpt.py\""
    ));
    assert!(stack.ends_with("1.02 GiB is free.\n"));
    assert_eq!(step.retries(), Some(2));
    assert_eq!(step.warnings().len(), 2);
    // The invalid-YAML line is noted, with its line number, but not an error.
    let error_line = text
        .lines()
        .position(|l| l.starts_with("  error: "))
        .expect("line") as u32
        + 1;
    assert!(p
        .diagnostics
        .iter()
        .any(|d| d.line == error_line && d.severity == Severity::Info));
    assert_eq!(p.count(Severity::Error), 0);
    assert_eq!(p.archive.previous_run_id(), Some("20251110-1420-b7c2"));
    assert_eq!(p.archive.artifact_paths("hf_models"), Vec::<String>::new());
    let skipped = p
        .archive
        .steps
        .steps
        .iter()
        .filter(|s| s.status() == Status::Skipped)
        .count();
    assert_eq!(skipped, 5);
}

#[test]
fn checkpoints_with_tag_and_step() {
    let p = parse(&sample("20251103-0853-a1f3"));
    let c = p.archive.checkpoints();
    assert_eq!(c.len(), 4);
    assert_eq!(c[0].tag, CheckpointTag::Last);
    assert_eq!(c[0].step, Some(2000));
    assert_eq!(c[3].tag, CheckpointTag::Best);
    assert_eq!(c[1].tag, CheckpointTag::Other(Some("other".into())));
    assert_eq!(p.archive.artifact_paths("reports").len(), 2);
}

#[test]
fn template_placeholders_are_unfilled_not_values() {
    let p = assert_lossless("template", &template());
    let j = inspect_json(&template());
    assert_eq!(j["summary"]["run_id"], Json::Null);
    assert_eq!(j["summary"]["gpus"], Json::Null);
    assert_eq!(j["dependencies"][0]["version"], Json::Null);
    assert_eq!(j["data_snapshot"]["merged_cpt"], Json::Null);
    let c = completeness(&p.archive);
    assert!(
        c.count(FieldState::Unfilled) > 30,
        "{:?}",
        c.count(FieldState::Unfilled)
    );
    assert_eq!(
        c.count(FieldState::Filled),
        c.paths(FieldState::Filled).len()
    );
    assert!(c
        .paths(FieldState::Unfilled)
        .contains(&"summary.cuda_driver".to_string()));
}

#[test]
fn good_run_is_complete_and_failed_run_is_not() {
    let good = completeness(&parse(&sample("20251103-0853-a1f3")).archive);
    assert_eq!(
        good.count(FieldState::Unfilled),
        0,
        "{:?}",
        good.paths(FieldState::Unfilled)
    );
    assert_eq!(
        good.count(FieldState::Missing),
        0,
        "{:?}",
        good.paths(FieldState::Missing)
    );
    assert!(good.failing_checklist().is_empty());
    let failed = completeness(&parse(&sample("20251112-2201-c9d4")).archive);
    let failing: Vec<String> = failed
        .failing_checklist()
        .iter()
        .flat_map(|i| {
            i.checks
                .iter()
                .filter(|f| f.state != FieldState::Filled)
                .map(|f| f.path.clone())
        })
        .collect();
    assert!(
        failing.contains(&"artifacts.checkpoints[tag=best]".to_string()),
        "{failing:?}"
    );
    assert!(failed
        .paths(FieldState::Unfilled)
        .contains(&"artifacts.hf_models".to_string()));
}

#[test]
fn crlf_and_bom_read_the_same_as_lf() {
    let lf = sample("20251103-0853-a1f3");
    let crlf = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
    let a = parse(&lf);
    let b = assert_lossless("crlf+bom", &crlf);
    assert_eq!(a.archive, b.archive);
    assert_eq!(a.diagnostics, b.diagnostics);
}

fn sections(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        if line.starts_with("## ") || out.is_empty() {
            out.push((line.to_string(), String::new()));
        } else if let Some(last) = out.last_mut() {
            last.1.push_str(line);
        }
    }
    out
}

#[test]
fn reordered_missing_and_unknown_sections() {
    let text = sample("20251103-0853-a1f3");
    let mut secs = sections(&text);
    let head = secs.remove(0);
    secs.reverse();
    secs.retain(|(h, _)| !h.starts_with("## Paths"));
    let mut out = format!("{}{}", head.0, head.1);
    out.push_str("## Notes\n备注：学习率偏高，下次降低。\n<script>alert(1)</script>\n\n");
    for (h, b) in &secs {
        out.push_str(h);
        out.push_str(b);
    }
    let p = assert_lossless("reordered", &out);
    assert_eq!(p.archive.run_id(), Some("20251103-0853-a1f3"));
    assert_eq!(p.archive.steps.steps.len(), 7);
    assert!(!p.archive.has(SectionKind::Paths));
    assert_eq!(p.archive.extra_sections[0].title, "Notes");
    assert!(p.archive.extra_sections[0].text().contains("学习率偏高"));
    let c = completeness(&p.archive);
    assert!(c
        .paths(FieldState::Missing)
        .contains(&"paths.workdir".to_string()));
}

#[test]
fn unknown_keys_and_stray_lines_are_kept() {
    let text = sample("20251112-2201-c9d4")
        .replace(
            "- user: liwei\n",
            "- user: liwei\n- node_list: gpu-node-[07-10]\nthis line is prose\n",
        )
        .replace("  retries: 2\n", "  retries: 2\n  exit_code: 137\n");
    let p = assert_lossless("extra keys", &text);
    assert_eq!(
        p.archive.summary.text("node_list"),
        Some("gpu-node-[07-10]")
    );
    assert_eq!(p.archive.summary.unmapped[0].text, "this line is prose");
    assert_eq!(
        p.archive.steps.steps[1].get("exit_code").map(|n| &n.value),
        Some(&Value::Int(137))
    );
    let j = inspect_json(&text);
    assert_eq!(j["steps"][1]["exit_code"], 137);
    assert_eq!(j["unmapped"][0]["text"], "this line is prose");
    let prose_line = text
        .lines()
        .position(|l| l == "this line is prose")
        .map(|i| i as u32 + 1);
    assert!(p
        .diagnostics
        .iter()
        .any(|d| Some(d.line) == prose_line && d.severity == Severity::Warning));
}

#[test]
fn hostile_text_is_kept_verbatim() {
    let payloads = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "javascript:alert(1)",
        "[click](javascript:alert(1))",
        "{{constructor.constructor('alert(1)')()}}",
        "\" onmouseover=\"alert(1)",
    ];
    let mut text = sample("20251103-0853-a1f3");
    for (i, p) in payloads.iter().enumerate() {
        text = text.replace(
            "- user: liwei\n",
            &format!("- user: liwei\n- evil_{i}: {p}\n"),
        );
    }
    let p = assert_lossless("hostile", &text);
    for (i, payload) in payloads.iter().enumerate() {
        let node = p.archive.summary.get(&format!("evil_{i}")).expect("kept");
        assert_eq!(node.text, *payload);
    }
}

#[test]
fn numbers_and_booleans_in_common_spellings() {
    let text = "## Resources & Cost\n- a: 1e-05\n- b: 1.0e-5\n- c: 0.00001\n- d: True\n- e: 92.4%\n- f: 1_000\n";
    let p = assert_lossless("numbers", text);
    let r = &p.archive.resources;
    for k in ["a", "b", "c"] {
        assert_eq!(r.get(k).and_then(|n| n.as_f64()), Some(1e-5), "{k}");
    }
    assert_eq!(r.get("d").map(|n| &n.value), Some(&Value::Bool(true)));
    assert_eq!(r.get("e").and_then(|n| n.as_f64()), Some(92.4));
    assert_eq!(r.get("f").and_then(|n| n.as_i64()), Some(1000));
}

#[test]
fn a_100k_line_archive_is_read_whole() {
    let text = big_archive(160, 600);
    let lines = text.lines().count();
    assert!(lines > 95_000, "{lines}");
    let p = assert_lossless("big", &text);
    assert_eq!(p.archive.steps.steps.len(), 160);
    assert_eq!(
        p.archive.steps.steps[159].map("params").map(|m| m.len()),
        Some(600)
    );
    assert_eq!(p.count(Severity::Warning), 0);
}

#[test]
fn text_that_is_not_an_archive_is_an_error_with_everything_kept() {
    let text = "hello\nthis is not an archive\n";
    let p = assert_lossless("prose", text);
    assert_eq!(p.count(Severity::Error), 1);
    assert_eq!(p.archive.preamble.len(), 2);
}

#[test]
fn damaged_tables_keep_their_cells() {
    let text = "## Dependencies (Versions)\n| name | version |\n| --- | --- |\n| torch | 2.4 | extra |\n| lonely |\nnot a row\n";
    let p = assert_lossless("tables", text);
    let t = &p.archive.dependencies;
    assert_eq!(t.rows.len(), 2);
    assert_eq!(t.rows[0].cells[2].text, "extra");
    assert_eq!(t.rows[1].cells[1].text, "");
    assert_eq!(t.unmapped[0].text, "not a row");
    assert_eq!(p.count(Severity::Warning), 3);
}

/// Found by fuzzing: a bare `- ` whose content is a deeper list was not accounted for.
#[test]
fn regression_bare_dash_with_nested_list_keeps_its_line() {
    let text = "## Resources & Cost\n- train_time_sec: 1\n- \n  - <path>\n- reports:\n";
    let p = assert_lossless("bare dash", text);
    assert_eq!(p.archive.resources.unmapped.len(), 2);
}

/// Every input the fuzzer found a lost line in stays fixed.
#[test]
fn regression_fuzz_findings_are_lossless() {
    let dir = root().join("tests/fixtures/fuzz");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("fuzz fixtures") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("read");
        let text = String::from_utf8_lossy(&bytes);
        assert_lossless(&path.display().to_string(), &text);
        n += 1;
    }
    assert!(n >= 2);
}
