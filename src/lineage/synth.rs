//! Generated chains of runs for the lineage benchmarks and layout tests: each run a
//! pipeline of stages (tokenize, train, mg2hf, eval) whose first training loads the previous
//! run's last checkpoint, linked by `previous_run_id`.
//!
//! Pure: builds `String`s, no I/O.

use std::fmt::Write;

/// Nodes each generated run adds to the lineage graph.
pub const NODES_PER_RUN: usize = 50;
const STAGES: usize = 5;

fn run_id(r: usize) -> String {
    format!("20251201-{:04}-ch{r:02}", r * 7 % 2400)
}

/// `runs` archives, each `previous_run_id` the one before; together their lineage graph has
/// `runs * NODES_PER_RUN` nodes (5 stages of 9 nodes, the run node and 4 reports; the first
/// run has 3 reports and the base checkpoint it starts from).
pub fn chained_archives(runs: usize) -> Vec<String> {
    (0..runs).map(archive).collect()
}

fn archive(r: usize) -> String {
    let id = run_id(r);
    let root = format!("/mnt/datapool/exp/synthetic-chain/{id}");
    let prev = if r == 0 {
        "n/a".to_string()
    } else {
        run_id(r - 1)
    };
    let mut s = String::new();
    let _ = write!(
        s,
        "# Experiment Archive\n\n## Summary\n- experiment: synthetic-chain\n- run_id: {id}\n\
         - status: {}\n- started_at: 2025-12-01 00:00:00\n\n## Data Snapshot\n",
        if r % 4 == 3 { "failed" } else { "success" }
    );
    for k in 0..STAGES {
        let _ = writeln!(s, "- raw_s{k}: /mnt/datapool/raw/{id}/s{k}");
    }
    s.push_str("\n## Steps\n");
    let mut step = 0;
    let mut last_ckpt = if r == 0 {
        "/mnt/datapool/ckpt/base/model-tp4".to_string()
    } else {
        format!(
            "/mnt/datapool/exp/synthetic-chain/{}/ckpt/s{}/iter_0002000",
            run_id(r - 1),
            STAGES - 1
        )
    };
    let mut ckpts = String::new();
    let mut hf = String::new();
    for k in 0..STAGES {
        let mut push = |name: &str, inputs: &[(&str, String)], outputs: &[(&str, String)]| {
            step += 1;
            let _ = write!(
                s,
                "- step_id: {step}\n  name: {name}\n  stage: s{k}\n  status: success\n  inputs:\n"
            );
            for (key, v) in inputs {
                let _ = writeln!(s, "    {key}: {v}");
            }
            s.push_str("  outputs:\n");
            for (key, v) in outputs {
                let _ = writeln!(s, "    {key}: {v}");
            }
            s.push('\n');
        };
        let data = format!("{root}/data/s{k}/text_document");
        push(
            "tokenize",
            &[("input", format!("/mnt/datapool/raw/{id}/s{k}"))],
            &[("output_prefix", data.clone())],
        );
        push(
            "train",
            &[("data_path", data), ("load", last_ckpt.clone())],
            &[("save", format!("{root}/ckpt/s{k}"))],
        );
        last_ckpt = format!("{root}/ckpt/s{k}/iter_0002000");
        let _ = write!(
            ckpts,
            "  - path: {last_ckpt}\n    tag: last\n    step: 2000\n  - path: {root}/ckpt/s{k}/iter_0001000\n    tag: other\n    step: 1000\n"
        );
        push(
            "mg2hf",
            &[("load", last_ckpt.clone())],
            &[("save_dir", format!("{root}/hf/s{k}"))],
        );
        let _ = writeln!(hf, "  - {root}/hf/s{k}");
        push(
            "eval",
            &[("model", format!("{root}/hf/s{k}"))],
            &[("results_json", format!("{root}/eval/s{k}/results.json"))],
        );
    }
    let _ = write!(
        s,
        "## Artifacts\n- checkpoints:\n{ckpts}- hf_models:\n{hf}- reports:\n"
    );
    for k in 0..if r == 0 { 3 } else { 4 } {
        let _ = writeln!(s, "  - {root}/reports/report_{k}.md");
    }
    let _ = write!(
        s,
        "\n## Changes vs Previous\n- previous_run_id: {prev}\n- config_diff: n/a\n"
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::parse;
    use crate::lineage::build;

    #[test]
    fn ten_chained_runs_make_five_hundred_nodes() {
        let texts = chained_archives(10);
        let parsed: Vec<_> = texts.iter().map(|t| parse(t)).collect();
        let archives: Vec<_> = parsed.iter().map(|p| &p.archive).collect();
        let g = build(&archives);
        assert_eq!(g.nodes.len(), 10 * NODES_PER_RUN);
        let previous = g.edges.iter().filter(|e| e.kind == "previous").count();
        assert_eq!(previous, 9);
        let cross_run_loads = g
            .edges
            .iter()
            .filter(|e| {
                e.kind == "loads" && e.from.contains("/s4/iter_0002000") && e.to.ends_with(":2")
            })
            .count();
        assert_eq!(
            cross_run_loads, 9,
            "each run starts from the previous run's checkpoint"
        );
    }
}
