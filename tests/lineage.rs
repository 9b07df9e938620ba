//! The lineage graph on the samples and on multi-run sets derived from them: every expected
//! edge is there, every edge is backed by the archives, and the layout never overlaps.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should stop the test

use std::path::PathBuf;

use runlens::archive::{parse, Archive};
use runlens::lineage::layout::{crossings, edges_through_boxes, layout, overlaps};
use runlens::lineage::scene::{scene, to_svg};
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
        let ok = match e.kind.as_str() {
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

/// The three chained sample runs and each alone, laid out as the CLI and the viewer do.
fn sample_sets() -> Vec<(&'static str, Vec<String>)> {
    let chain = [
        "20251103-0853-a1f3",
        "20251110-1420-b7c2",
        "20251112-2201-c9d4",
    ];
    let mut sets: Vec<(&'static str, Vec<String>)> =
        vec![("chain of three", chain.iter().map(|r| sample(r)).collect())];
    for r in chain {
        sets.push((r, vec![sample(r)]));
    }
    sets
}

/// Crossings and edges through boxes on the samples, recorded when the layered layout
/// landed; a change that makes any of them worse fails here (lower the numbers when a
/// change makes them better).
#[test]
fn layout_quality_does_not_regress() {
    const CHAIN_CROSSINGS: usize = 7;
    const A1F3_CROSSINGS: usize = 0;
    const B7C2_CROSSINGS: usize = 0;
    // (set, crossings, edges drawn through a box that is not theirs)
    let recorded: [(&str, usize, usize); 4] = [
        ("chain of three", CHAIN_CROSSINGS, 0),
        ("20251103-0853-a1f3", A1F3_CROSSINGS, 0),
        ("20251110-1420-b7c2", B7C2_CROSSINGS, 0),
        ("20251112-2201-c9d4", 0, 0),
    ];
    for ((name, texts), (rname, max_cross, max_through)) in sample_sets().iter().zip(recorded) {
        assert_eq!(*name, rname);
        let parsed: Vec<_> = texts.iter().map(|t| parse(t)).collect();
        let archives: Vec<&Archive> = parsed.iter().map(|p| &p.archive).collect();
        let g = build(&archives);
        let l = layout(&g);
        assert_eq!(overlaps(&l), None, "{name}: boxes overlap");
        let cross = crossings(&g, &l);
        let through = edges_through_boxes(&g, &l);
        println!(
            "{name}: {} nodes, {} edges, {cross} crossings, {through} edges through boxes",
            g.nodes.len(),
            g.edges.len()
        );
        assert!(
            cross <= max_cross,
            "{name}: {cross} crossings, recorded {max_cross}"
        );
        assert!(
            through <= max_through,
            "{name}: {through} edges through boxes, recorded {max_through}"
        );
        assert_eq!(l.edges.len(), g.edges.len(), "{name}: every edge is drawn");
    }
}

/// Each run's main path (its steps in order, with what each produced) is one row, in the
/// run's own band; the run node ends the row and its reports sit to its right.
#[test]
fn each_run_has_its_band_and_its_main_path_is_one_row() {
    for (name, texts) in sample_sets() {
        let parsed: Vec<_> = texts.iter().map(|t| parse(t)).collect();
        let archives: Vec<&Archive> = parsed.iter().map(|p| &p.archive).collect();
        let g = build(&archives);
        let l = layout(&g);
        assert_eq!(l.bands.len(), archives.len(), "{name}: one band per run");
        for (a, band) in archives.iter().zip(&l.bands) {
            let rid = a.run_id().unwrap_or_default();
            // Bands follow the previous_run_id chain, which is the samples' order.
            assert_eq!(band.run_id, rid, "{name}");
            let placed = |id: &str| {
                let i = g
                    .nodes
                    .iter()
                    .position(|n| n.id == id)
                    .unwrap_or(usize::MAX);
                l.nodes
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| panic!("{name}: no node {id}"))
            };
            let mut row: Vec<_> = g
                .nodes
                .iter()
                .filter(|n| n.kind == NodeKind::Step && n.run_id.as_deref() == Some(rid))
                .map(|n| (n.step_index, placed(&n.id)))
                .collect();
            row.sort_by_key(|(i, _)| *i);
            let run = placed(&format!("run:{rid}"));
            for (_, p) in &row {
                assert_eq!(
                    p.y, band.main_y,
                    "{name}: step {:?} is off the main row",
                    g.nodes[p.node].id
                );
                assert!(
                    p.y >= band.y && p.y + p.h <= band.y + band.h,
                    "{name}: step outside its band"
                );
            }
            assert!(
                row.windows(2).all(|w| w[0].1.x < w[1].1.x),
                "{name}: steps left to right in order"
            );
            assert_eq!(run.y, band.main_y, "{name}: the run node ends the row");
            assert!(
                row.iter().all(|(_, p)| p.x < run.x),
                "{name}: the run node is right of its steps"
            );
            for e in g
                .edges
                .iter()
                .filter(|e| e.kind == "reports" && e.from == format!("run:{rid}"))
            {
                assert!(placed(&e.to).x > run.x, "{name}: reports right of the run");
            }
            // What a step wrote on the main path sits on the row between it and the next step.
            for e in g
                .edges
                .iter()
                .filter(|e| e.kind == "saves" || e.kind == "converts" || e.kind == "writes")
            {
                let (s, o) = (placed(&e.from), placed(&e.to));
                assert!(o.x > s.x, "{name}: {e:?} output left of its writer");
            }
            for e in g
                .edges
                .iter()
                .filter(|e| e.kind == "reads" || e.kind == "loads")
            {
                assert!(
                    placed(&e.from).x < placed(&e.to).x,
                    "{name}: {e:?} input right of its reader"
                );
            }
        }
        // Bands do not overlap, top to bottom.
        assert!(
            l.bands.windows(2).all(|w| w[0].y + w[0].h <= w[1].y),
            "{name}: bands overlap"
        );
        // Every step node says its run when several runs are drawn.
        if archives.len() > 1 {
            let s = scene(&g, &l, &Default::default());
            for n in s.nodes.iter().filter(|n| n.class.contains("k-step")) {
                let rid = g.nodes[n.node].run_id.clone().unwrap_or_default();
                assert!(
                    n.sub.contains(&rid),
                    "{name}: {} does not say its run",
                    n.id
                );
            }
        }
    }
}

/// The CLI's JSON layout and SVG agree with the layout the viewer draws.
#[test]
fn the_svg_draws_every_node_and_edge_of_the_layout() {
    let texts: Vec<String> = sample_sets().remove(0).1;
    let parsed: Vec<_> = texts.iter().map(|t| parse(t)).collect();
    let archives: Vec<&Archive> = parsed.iter().map(|p| &p.archive).collect();
    let g = build(&archives);
    let l = layout(&g);
    let svg = to_svg(&scene(&g, &l, &Default::default()));
    assert_eq!(svg.matches("<g class=\"node ").count(), g.nodes.len());
    assert_eq!(svg.matches("<path class=\"edge ").count(), g.edges.len());
    assert_eq!(svg.matches("class=\"band ").count(), 3);
    for b in &l.bands {
        assert!(
            svg.contains(&format!("run {}", b.run_id)),
            "band labelled with its run id"
        );
    }
}

#[test]
fn five_hundred_chained_nodes_lay_out_without_overlap() {
    let texts = runlens::lineage::synth::chained_archives(10);
    let parsed: Vec<_> = texts.iter().map(|t| parse(t)).collect();
    let archives: Vec<&Archive> = parsed.iter().map(|p| &p.archive).collect();
    let g = build(&archives);
    assert_eq!(g.nodes.len(), 500);
    let l = layout(&g);
    assert_eq!(overlaps(&l), None);
    assert_eq!(l.bands.len(), 10);
    assert_eq!(edges_through_boxes(&g, &l), 0);
}

/// `runlens lineage FILE... --json --layout`: the graph as before plus the layout as drawn;
/// `--svg` the same picture; `--json` alone keeps the old shape.
#[test]
fn cli_prints_the_layout_and_the_svg() {
    let files: Vec<String> = [
        "20251103-0853-a1f3",
        "20251110-1420-b7c2",
        "20251112-2201-c9d4",
    ]
    .iter()
    .map(|r| {
        format!(
            "{}/static/samples/{r}/archive.md",
            env!("CARGO_MANIFEST_DIR")
        )
    })
    .collect();
    let run = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_runlens"))
            .arg("lineage")
            .args(&files)
            .args(extra)
            .output()
            .expect("runlens runs")
    };
    let plain: serde_json::Value = serde_json::from_slice(&run(&["--json"]).stdout).expect("json");
    assert!(
        plain.get("layout").is_none(),
        "--json alone keeps the old shape"
    );
    let out = run(&["--json", "--layout"]);
    assert!(out.status.success());
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(j["nodes"], plain["nodes"]);
    assert_eq!(j["edges"], plain["edges"]);
    let l = &j["layout"];
    let nodes = l["nodes"].as_array().expect("layout.nodes");
    assert_eq!(nodes.len(), plain["nodes"].as_array().map_or(0, Vec::len));
    for n in nodes {
        for k in ["id", "x", "y", "w", "h"] {
            assert!(n.get(k).is_some(), "layout node without {k}: {n}");
        }
    }
    let edges = l["edges"].as_array().expect("layout.edges");
    assert_eq!(edges.len(), plain["edges"].as_array().map_or(0, Vec::len));
    for e in edges {
        let pts = e["points"].as_array().expect("points");
        assert!(
            pts.len() >= 2
                && pts
                    .iter()
                    .all(|p| p.as_array().is_some_and(|p| p.len() == 2))
        );
        // The polyline starts on the source's right side and ends on the target's left side.
        let bx = |id: &serde_json::Value| nodes.iter().find(|n| n["id"] == *id).expect("node");
        let (a, b) = (bx(&e["from"]), bx(&e["to"]));
        let x = |v: &serde_json::Value| v.as_f64().unwrap_or(f64::NAN);
        assert_eq!(x(&pts[0][0]), x(&a["x"]) + x(&a["w"]));
        assert_eq!(x(&pts[pts.len() - 1][0]), x(&b["x"]));
    }
    let bands: Vec<&str> = l["bands"]
        .as_array()
        .expect("bands")
        .iter()
        .filter_map(|b| b["run_id"].as_str())
        .collect();
    assert_eq!(
        bands,
        [
            "20251103-0853-a1f3",
            "20251110-1420-b7c2",
            "20251112-2201-c9d4"
        ]
    );
    let svg = String::from_utf8(run(&["--svg"]).stdout).expect("utf-8");
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert_eq!(svg.matches("data-node-id=").count(), nodes.len());
    assert!(
        !run(&["--json", "--dot"]).status.success(),
        "one format at a time"
    );
}
