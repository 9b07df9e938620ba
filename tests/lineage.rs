//! The lineage graph on the samples and on multi-run sets derived from them: every expected
//! edge is there, every edge is backed by the archives, and the layout never overlaps.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should stop the test

use std::path::PathBuf;

use runlens::archive::{parse, Archive};
use runlens::lineage::layout::{layout, overlaps};
use runlens::lineage::{build, Graph, NodeKind};

fn sample(run: &str) -> String {
    std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("static/samples/{run}/archive.md")),
    )
    .expect("sample")
}

fn has(g: &Graph, kind: &str, from_suffix: &str, to_suffix: &str) -> bool {
    g.edges
        .iter()
        .any(|e| e.kind == kind && e.from.ends_with(from_suffix) && e.to.ends_with(to_suffix))
}

fn node<'g>(g: &'g Graph, id: &str) -> &'g runlens::lineage::GraphNode {
    g.nodes
        .iter()
        .find(|n| n.id == id)
        .unwrap_or_else(|| panic!("no node {id}"))
}

/// Every edge is backed by what the archives say.
fn assert_backed(g: &Graph, archives: &[&Archive]) {
    let step_of = |id: &str| {
        let rest = id.strip_prefix("step:")?;
        let (run, sid) = rest.rsplit_once(':')?;
        let a = archives.iter().find(|a| a.run_id() == Some(run))?;
        a.steps
            .steps
            .iter()
            .find(|s| s.id().map(|i| i.to_string()).as_deref() == Some(sid))
    };
    let values = |s: &runlens::archive::Step, key: &str| -> Vec<String> {
        s.map(key)
            .map(|m| {
                m.iter()
                    .filter_map(|(_, n)| n.as_text().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    for e in &g.edges {
        let ok = match e.kind {
            "loads" | "reads" | "evaluates" => {
                let p = node(g, &e.from).path.clone().unwrap_or_default();
                step_of(&e.to).is_some_and(|s| values(s, "inputs").contains(&p))
            }
            "saves" | "converts" | "writes" => {
                let p = node(g, &e.to).path.clone().unwrap_or_default();
                step_of(&e.from).is_some_and(|s| {
                    values(s, "outputs")
                        .iter()
                        .any(|o| p == *o || p.starts_with(&format!("{o}/")))
                })
            }
            "feeds" => match (step_of(&e.from), step_of(&e.to)) {
                (Some(a), Some(b)) => values(b, "inputs").iter().any(|i| {
                    values(a, "outputs").iter().any(|o| {
                        o == i || o.starts_with(&format!("{i}.")) || i.starts_with(&format!("{o}/"))
                    })
                }),
                _ => false,
            },
            "copies" => archives.iter().any(|a| {
                a.data_copy.rows.iter().any(|r| {
                    r.cells.first().map(|c| c.text.as_str()) == node(g, &e.from).path.as_deref()
                })
            }),
            "reports" => node(g, &e.to).kind == NodeKind::Report,
            "previous" => archives.iter().any(|a| {
                Some(format!("run:{}", a.run_id().unwrap_or(""))) == Some(e.to.clone())
                    && a.previous_run_id().map(|p| format!("run:{p}")) == Some(e.from.clone())
            }),
            _ => false,
        };
        assert!(ok, "edge not backed by the archives: {e:?}");
    }
}

#[test]
fn one_run_checkpoints_conversions_and_eval() {
    let p = parse(&sample("20251103-0853-a1f3"));
    let g = build(&[&p.archive]);
    assert_backed(&g, &[&p.archive]);
    assert!(
        has(&g, "saves", ":2", "ckpt/cpt/iter_0002000"),
        "train cpt saves its last checkpoint"
    );
    assert!(
        has(&g, "loads", "ckpt/cpt/iter_0002000", ":3"),
        "mg2hf loads it"
    );
    assert!(
        has(&g, "loads", "ckpt/cpt/iter_0002000", ":5"),
        "sft train starts from it"
    );
    assert!(has(&g, "converts", ":6", "hf/sft-final"));
    assert!(has(&g, "evaluates", "hf/sft-final", ":7"));
    assert!(has(&g, "writes", ":7", "eval/results.json"));
    assert!(
        has(&g, "feeds", ":1", ":2"),
        "tokenized data feeds training"
    );
    assert!(
        has(&g, "loads", "Qwen2.5-7B-tp4pp1", ":2"),
        "the base model"
    );
    let best = g
        .nodes
        .iter()
        .find(|n| n.tag.as_deref() == Some("best"))
        .expect("best");
    assert!(best.label.contains("iter_0000400"));
}

#[test]
fn an_sft_run_that_loads_another_runs_checkpoint() {
    // Split the good run in two archives: a CPT run, and an SFT run started from its checkpoint.
    let full = sample("20251103-0853-a1f3");
    let cut = full.find("- step_id: 4").expect("step 4");
    let repro = full.find("## Repro").expect("repro");
    let cpt = format!("{}{}", &full[..cut], &full[repro..]);
    let sft = format!(
        "{}{}",
        &full[..full.find("- step_id: 1").expect("step 1")],
        &full[cut..]
    )
    .replace(
        "- run_id: 20251103-0853-a1f3",
        "- run_id: 20251104-0900-sft1",
    )
    .replace(
        "- previous_run_id: n/a",
        "- previous_run_id: 20251103-0853-a1f3",
    );
    let (a, b) = (parse(&cpt), parse(&sft));
    let g = build(&[&a.archive, &b.archive]);
    assert_backed(&g, &[&a.archive, &b.archive]);
    assert!(has(
        &g,
        "saves",
        "step:20251103-0853-a1f3:2",
        "ckpt/cpt/iter_0002000"
    ));
    assert!(
        has(
            &g,
            "loads",
            "ckpt/cpt/iter_0002000",
            "step:20251104-0900-sft1:5"
        ),
        "across archives"
    );
    assert!(has(
        &g,
        "previous",
        "run:20251103-0853-a1f3",
        "run:20251104-0900-sft1"
    ));
}

#[test]
fn a_failed_run_keeps_its_steps_and_invents_nothing() {
    let p = parse(&sample("20251112-2201-c9d4"));
    let g = build(&[&p.archive]);
    assert_backed(&g, &[&p.archive]);
    let failed = node(&g, "step:20251112-2201-c9d4:2");
    assert_eq!(failed.status.as_ref().map(|s| s.class()), Some("failed"));
    let skipped = g
        .nodes
        .iter()
        .filter(|n| n.status.as_ref().is_some_and(|s| s.class() == "skipped"))
        .count();
    assert_eq!(skipped, 5);
    assert!(
        !g.edges
            .iter()
            .any(|e| e.to.ends_with(":3") || e.from.ends_with(":3")),
        "skipped mg2hf read and wrote nothing"
    );
    assert!(has(&g, "saves", ":2", "ckpt/cpt/iter_0000500"));
}

#[test]
fn layouts_never_overlap() {
    let texts = [
        "20251103-0853-a1f3",
        "20251110-1420-b7c2",
        "20251112-2201-c9d4",
    ]
    .map(sample);
    let parsed: Vec<_> = texts.iter().map(|t| parse(t)).collect();
    let all: Vec<&Archive> = parsed.iter().map(|p| &p.archive).collect();
    for set in [vec![all[0]], vec![all[2]], all.clone()] {
        let g = build(&set);
        let l = layout(&g);
        assert_eq!(l.nodes.len(), g.nodes.len());
        assert_eq!(overlaps(&l), None);
        // Edges run left to right.
        for e in &g.edges {
            let x = |id: &str| l.nodes[g.nodes.iter().position(|n| n.id == id).unwrap_or(0)].x;
            assert!(x(&e.from) < x(&e.to), "{e:?}");
        }
    }
    let big = parse(&runlens::archive::synth::big_archive(160, 10));
    let g = build(&[&big.archive]);
    assert_eq!(overlaps(&layout(&g)), None);
}
