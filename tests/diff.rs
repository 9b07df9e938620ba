//! `runlens diff` on the sample runs and on pairs derived from them with known changes:
//! every changed line of the archives is reported, and nothing else.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should stop the test

use std::collections::BTreeSet;
use std::path::PathBuf;

use runlens::archive::parse;
use runlens::diff::export::{diff_html, diff_json, diff_markdown};
use runlens::diff::run::{ChangeKind, FieldChange, Presence};
use runlens::diff::text::{diff_lines, LineTag};
use runlens::diff::{diff_runs, RunDiff};

fn sample(run: &str) -> String {
    let p =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("static/samples/{run}/archive.md"));
    std::fs::read_to_string(p).expect("sample")
}

fn lines_of(c: &FieldChange) -> (Vec<u32>, Vec<u32>) {
    let span = |n: &Option<runlens::archive::value::Node>| {
        n.as_ref()
            .map_or(Vec::new(), |n| (n.line..=n.end_line).collect())
    };
    (span(&c.a), span(&c.b))
}

/// Every line that differs textually is covered by a reported change, and every reported
/// change sits on a line that differs.
fn assert_exact(name: &str, a: &str, b: &str) -> RunDiff {
    let (pa, pb) = (parse(a), parse(b));
    let d = diff_runs(&pa.archive, &pb.archive);
    let text = diff_lines(a, b);
    let removed: BTreeSet<u32> = text
        .iter()
        .filter(|l| l.tag == LineTag::Removed)
        .filter_map(|l| l.old)
        .map(|n| n as u32)
        .collect();
    let added: BTreeSet<u32> = text
        .iter()
        .filter(|l| l.tag == LineTag::Added)
        .filter_map(|l| l.new)
        .map(|n| n as u32)
        .collect();
    let mut covered_a = BTreeSet::new();
    let mut covered_b = BTreeSet::new();
    let mut all: Vec<&FieldChange> = d.sections.iter().flat_map(|s| s.changes.iter()).collect();
    all.extend(d.steps.iter().flat_map(|s| s.changes.iter()));
    for c in &all {
        let (la, lb) = lines_of(c);
        let real = la.iter().any(|l| removed.contains(l)) || lb.iter().any(|l| added.contains(l));
        assert!(
            real,
            "{name}: reported {} ({:?}) but its lines did not change",
            c.dotted(),
            c.kind
        );
        covered_a.extend(la);
        covered_b.extend(lb);
    }
    for s in &d.steps {
        let (sa, sb) = (&pa.archive.steps.steps, &pb.archive.steps.steps);
        match s.presence {
            Presence::OnlyA => {
                if let Some(st) = s.a.and_then(|i| sa.get(i)) {
                    covered_a.extend(st.line..=st.end_line)
                }
            }
            Presence::OnlyB => {
                if let Some(st) = s.b.and_then(|i| sb.get(i)) {
                    covered_b.extend(st.line..=st.end_line)
                }
            }
            Presence::Both => {}
        }
    }
    let text_lines = |t: &str, n: &u32| {
        t.lines()
            .nth(*n as usize - 1)
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let missed_a: Vec<String> = removed
        .iter()
        .filter(|n| !covered_a.contains(n))
        .map(|n| format!("{n}: {}", text_lines(a, n)))
        .filter(|l| !l.ends_with(": "))
        .collect();
    let missed_b: Vec<String> = added
        .iter()
        .filter(|n| !covered_b.contains(n))
        .map(|n| format!("{n}: {}", text_lines(b, n)))
        .filter(|l| !l.ends_with(": "))
        .collect();
    assert!(
        missed_a.is_empty() && missed_b.is_empty(),
        "{name}: changed lines not reported:\nA {missed_a:#?}\nB {missed_b:#?}"
    );
    d
}

fn change<'d>(d: &'d RunDiff, section: &str, path: &str) -> Option<&'d FieldChange> {
    d.section(section).iter().find(|c| c.dotted() == path)
}

#[test]
fn sample_pairs_report_exactly_what_changed() {
    let runs = [
        "20251103-0853-a1f3",
        "20251110-1420-b7c2",
        "20251112-2201-c9d4",
    ];
    for i in 0..runs.len() {
        for j in 0..runs.len() {
            if i != j {
                assert_exact(
                    &format!("{} vs {}", runs[i], runs[j]),
                    &sample(runs[i]),
                    &sample(runs[j]),
                );
            }
        }
    }
}

#[test]
fn the_follow_up_run_shows_its_known_changes() {
    let d = assert_exact(
        "a vs b",
        &sample("20251103-0853-a1f3"),
        &sample("20251110-1420-b7c2"),
    );
    let lr = change(
        &d,
        "config_snapshot",
        "steps_resolved.configs/steps/05_train_sft.py.lr",
    )
    .expect("sft lr");
    assert_eq!(
        (
            lr.a.as_ref().map(|n| n.text.as_str()),
            lr.b.as_ref().map(|n| n.text.as_str())
        ),
        (Some("2e-06"), Some("4e-06"))
    );
    assert!(change(&d, "dependencies", "transformers").is_some());
    assert!(change(&d, "dependencies", "vllm").is_some());
    assert!(
        change(&d, "dependencies", "torch").is_none(),
        "unchanged dependency not reported"
    );
    let sft = d
        .steps
        .iter()
        .find(|s| s.name == "train" && s.stage == "sft")
        .expect("sft step");
    let loss = sft
        .changes
        .iter()
        .find(|c| c.dotted() == "training.final_loss")
        .expect("final loss");
    assert_eq!(
        loss.delta.and_then(|x| x.better),
        Some(true),
        "lower loss is better"
    );
    let eval = d.steps.iter().find(|s| s.name == "eval").expect("eval");
    assert!(eval
        .changes
        .iter()
        .any(|c| c.dotted().starts_with("eval.results.")));
    let workdir = change(&d, "paths", "workdir").expect("workdir");
    assert!(
        workdir.run_id_only,
        "a path that differs only by run id is marked"
    );
    assert!(!lr.run_id_only);
}

#[test]
fn an_added_step_a_model_size_change_and_a_score_change() {
    let a = sample("20251103-0853-a1f3");
    let b = a
        .replace("    hidden_size: 3584\n", "    hidden_size: 4096\n")
        .replace("      mmlu: 0.7012\n", "      mmlu: 0.7200\n")
        .replace("## Repro\n", "- step_id: 8\n  name: eval\n  stage: sft\n  status: success\n  config: configs/steps/08_eval_extra.py\n\n## Repro\n");
    let d = assert_exact("derived", &a, &b);
    let added: Vec<_> = d
        .steps
        .iter()
        .filter(|s| s.presence == Presence::OnlyB)
        .collect();
    assert_eq!(added.len(), 1);
    assert_eq!(
        (
            added[0].name.as_str(),
            added[0].stage.as_str(),
            added[0].b_id
        ),
        ("eval", "sft", Some(8))
    );
    let hs: Vec<_> = d
        .steps
        .iter()
        .flat_map(|s| s.changes.iter())
        .filter(|c| c.dotted() == "params.hidden_size")
        .collect();
    assert_eq!(hs.len(), 2, "both train steps");
    let mmlu = d
        .steps
        .iter()
        .flat_map(|s| s.changes.iter())
        .find(|c| c.dotted() == "eval.results.mmlu")
        .expect("mmlu");
    assert_eq!(mmlu.delta.and_then(|x| x.better), Some(true));
    assert_eq!(mmlu.kind, ChangeKind::Changed);
    // Numbers written differently but equal are not changes.
    let c = a.replace("    lr: 1e-05\n", "    lr: 0.00001\n");
    assert_eq!(diff_runs(&parse(&a).archive, &parse(&c).archive).count(), 0);
}

#[test]
fn json_shape() {
    let (a, b) = (sample("20251110-1420-b7c2"), sample("20251112-2201-c9d4"));
    let d = diff_runs(&parse(&a).archive, &parse(&b).archive);
    let j = diff_json(&d);
    assert_eq!(j["a"], "20251110-1420-b7c2");
    assert!(j["sections"]["summary"].as_array().is_some_and(|v| v
        .iter()
        .any(|c| c["path"] == "status" && c["a"] == "success" && c["b"] == "failed")));
    let cpt = j["steps"]
        .as_array()
        .and_then(|s| {
            s.iter()
                .find(|s| s["name"] == "train" && s["stage"] == "cpt")
        })
        .expect("cpt");
    assert!(cpt["changes"].as_array().is_some_and(|c| c
        .iter()
        .any(|c| c["path"] == "params.seq_length" && c["a"] == 4096 && c["b"] == 8192)));
    assert!(cpt["changes"].as_array().is_some_and(|c| c
        .iter()
        .any(|c| c["path"] == "params.recompute_granularity" && c["kind"] == "removed")));
}

/// Found by the fuzzer: comparing a run with an archive that has no steps panicked (the
/// fallback step was looked up eagerly in the empty list).
#[test]
fn a_run_compared_with_an_archive_without_steps() {
    let with = parse(&sample("20251103-0853-a1f3")).archive;
    let without = parse("# Experiment Archive\n\n## Summary\n- run_id: bare\n").archive;
    for (a, b) in [(&with, &without), (&without, &with)] {
        let d = diff_runs(a, b);
        assert_eq!(d.steps.len(), with.steps.steps.len());
        let only = if a.steps.steps.is_empty() {
            Presence::OnlyB
        } else {
            Presence::OnlyA
        };
        assert!(d.steps.iter().all(|s| s.presence == only), "{:?}", d.steps);
    }
}

/// Issue 13: a step only one run has shows what it was (name, stage, config, params, eval
/// datasets and results) in `diff --json`, the Markdown and the HTML, not one bare line.
#[test]
fn a_step_only_in_one_run_carries_its_content_in_every_export() {
    let a = sample("20251103-0853-a1f3");
    let extra = "- step_id: 8\n  name: eval\n  stage: sft\n  status: success\n  config: configs/steps/08_eval_extra.py\n  params:\n    num_fewshot: 3\n    backend: vllm\n  eval:\n    datasets:\n      - pubmedqa\n      - medmcqa\n    results:\n      pubmedqa: 0.7731\n      medmcqa: 0.5619\n\n";
    let b = a.replace("## Repro\n", &format!("{extra}## Repro\n"));
    let (pa, pb) = (parse(&a), parse(&b));
    let step = pb
        .archive
        .steps
        .steps
        .iter()
        .find(|s| s.id() == Some(8))
        .expect("step 8");
    for (x, y, presence) in [(&pa, &pb, Presence::OnlyB), (&pb, &pa, Presence::OnlyA)] {
        let d = diff_runs(&x.archive, &y.archive);
        let only = d
            .steps
            .iter()
            .find(|s| s.presence == presence)
            .expect("only step");
        assert_eq!(only.only.as_ref(), Some(step), "the step itself is kept");
        let j = diff_json(&d);
        let js = j["steps"]
            .as_array()
            .and_then(|v| v.iter().find(|s| s["presence"] != "both"))
            .expect("json step");
        assert_eq!(js["step"]["config"], "configs/steps/08_eval_extra.py");
        assert_eq!(js["step"]["params"]["num_fewshot"], 3);
        assert_eq!(js["step"]["eval"]["results"]["pubmedqa"], 0.7731);
        assert_eq!(js["step"]["eval"]["datasets"][1], "medmcqa");
        let both = j["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .filter(|s| s["presence"] == "both");
        assert!(
            both.into_iter().all(|s| s["step"].is_null()),
            "matched steps keep their shape"
        );
        let md = diff_markdown(&d);
        let html = diff_html(&d);
        for want in [
            "08_eval_extra.py",
            "num_fewshot",
            "pubmedqa",
            "0.7731",
            "medmcqa",
            "0.5619",
        ] {
            assert!(md.contains(want), "Markdown lacks {want}:\n{md}");
            assert!(html.contains(want), "HTML lacks {want}");
        }
        assert!(
            md.contains("eval.results.pubmedqa"),
            "results are named by their path"
        );
    }
}

/// Issue 13: the N-way exports star every tied best and leave the failed run unstarred.
#[test]
fn table_exports_star_every_tied_best() {
    use runlens::diff::export::{table_html, table_markdown};
    use runlens::diff::nway::compare;
    let base = sample("20251103-0853-a1f3");
    let loss = "final_loss: 0.90075\n";
    assert!(base.contains(loss), "the sample's SFT loss");
    let x = base.replace("20251103-0853-a1f3", "tie-one");
    let y = base
        .replace("20251103-0853-a1f3", "tie-two")
        .replace(loss, "final_loss: 0.900750\n");
    let z = base
        .replace("20251103-0853-a1f3", "stopped")
        .replacen("- status: success\n", "- status: failed\n", 1)
        .replace(loss, "final_loss: 0.4\n");
    let (px, py, pz) = (parse(&x), parse(&y), parse(&z));
    let t = compare(&[&px.archive, &py.archive, &pz.archive]);
    let md = table_markdown(&t);
    let line = md
        .lines()
        .find(|l| l.starts_with("| train/sft training | `final_loss` |"))
        .expect("final_loss row");
    assert_eq!(
        line,
        "| train/sft training | `final_loss` | 0.90075 ★ | 0.900750 ★ | 0.4 |"
    );
    assert_eq!(table_html(&t).matches(" ★</td>").count(), 2);
}
