//! Synthetic archives for tests, benchmarks and browser checks: a full run with many steps
//! and many params, shaped like the pipeline's real output.
//!
//! Pure: builds a `String`, no I/O.

use std::fmt::Write;

/// An archive with `steps` train steps of `params` params each (160 x 600 gives about
/// 100k lines and 4 MB).
pub fn big_archive(steps: usize, params: usize) -> String {
    let mut s = String::with_capacity(steps * params * 48);
    let run = "20251201-0000-big0";
    let root = format!("/mnt/datapool/exp/synthetic-big/{run}");
    s.push_str("# Experiment Archive\n\n## Summary\n");
    let _ = write!(
        s,
        "- experiment: synthetic-big\n- run_id: {run}\n- status: success\n\
         - started_at: 2025-12-01 00:00:00\n- finished_at: 2025-12-02 00:00:00\n\
         - duration_sec: 86400\n- git_commit: 0123456789abcdef0123456789abcdef01234567\n\
         - git_dirty: false\n- host: gpu-node-01\n- user: bench\n- os: Linux 5.15.0 x86_64\n\
         - python: 3.10.14\n- conda_env: bench\n- cuda: 12.4\n- cuda_driver: 550.90.07\n\
         - torch: 2.4.1+cu124\n- gpus: NVIDIA H800 80GB x 64\n\n"
    );
    s.push_str("## Dependencies (Versions)\n| name | version |\n| --- | --- |\n");
    for (n, v) in [
        ("transformers", "4.46.3"),
        ("megatron", "core_r0.8.0"),
        ("apex", "0.1"),
        ("transformer_engine", "not_installed"),
        ("vllm", "0.6.4"),
    ] {
        let _ = writeln!(s, "| {n} | {v} |");
    }
    s.push_str("\n## Config Snapshot\n- pipeline_config: configs/pipelines/big.py\n- steps_config_dir: configs/steps\n- pipeline_resolved:\n  EXP_NAME: synthetic-big\n  SEED: 1234\n- steps_resolved:\n");
    for i in 0..steps {
        let _ = write!(
            s,
            "  configs/steps/{i:03}_train.py:\n    lr: 1e-05\n    global_batch_size: 256\n"
        );
    }
    let _ = write!(
        s,
        "\n## Paths\n- datapool_root: /mnt/datapool\n- workdir: {root}\n- logs_root: {root}/logs\n\n\
         ## Data Snapshot\n- raw_cpt_dir: /mnt/datapool/raw/cpt\n- raw_sft_dir: /mnt/datapool/raw/sft\n\
         - merged_cpt: /mnt/datapool/merged/cpt.jsonl (lines=4182733, bytes=24811590144)\n\
         - merged_sft: /mnt/datapool/merged/sft.jsonl (lines=212904, bytes=402118877)\n\n\
         ## Data Copy (Prepare)\n| source | destination | files_copied | files_skipped | note |\n\
         | --- | --- | --- | --- | --- |\n| /a | /b | 10 | 0 |  |\n\n## Steps\n"
    );
    for i in 0..steps {
        let id = i + 1;
        let _ = write!(
            s,
            "- step_id: {id}\n  name: train\n  stage: cpt\n  status: success\n  config: configs/steps/{i:03}_train.py\n\
             \x20 inputs:\n    load: {root}/ckpt/{i}\n  outputs:\n    save: {root}/ckpt/{id}\n  params:\n\
             \x20   # Full parameters (resolved step config + runtime args dump)\n"
        );
        for p in 0..params {
            match p % 4 {
                0 => {
                    let _ = writeln!(s, "    param_{p:04}: {}", p * 7 + i);
                }
                1 => {
                    let _ = writeln!(s, "    param_{p:04}: {}e-05", p % 9 + 1);
                }
                2 => {
                    let _ = writeln!(s, "    param_{p:04}: {}", p % 3 == 0);
                }
                _ => {
                    let _ = writeln!(s, "    param_{p:04}: {root}/data/shard_{p}");
                }
            }
        }
        let _ = write!(
            s,
            "  training:\n    loss_curve: {root}/tensorboard/{id}/events.out.tfevents.1.node.1.0\n\
             \x20   final_loss: 1.{id:04}\n    best_loss: 1.{i:04}\n    ppl: 4.9\n    steps: 2000\n\
             \x20   duration_sec: 3600\n    throughput_tokens_per_sec: 88862.4\n    step_time_sec_avg: 1.8\n\
             \x20 metrics:\n    consumed_samples: 512000\n  logs: {root}/logs/{id}.log\n  warnings:\n  retries: 0\n\n"
        );
    }
    let _ = write!(
        s,
        "## Repro\n- prepare: python3 scripts/prepare_exp.py -c big.py\n- run: python3 scripts/run.py -c big.py\n\
         - env:\n  DATAPOOL: /mnt/datapool\n\n## Artifacts\n- checkpoints:\n  - path: {root}/ckpt/{steps}\n    tag: last\n    step: 2000\n\
         \x20 - path: {root}/ckpt/1\n    tag: best\n    step: 1000\n- hf_models:\n  - {root}/hf/final\n- reports:\n  - {root}/reports/summary.md\n\n\
         ## Resources & Cost\n- train_time_sec: 86000\n- peak_vram_gb: 73.4\n- avg_vram_gb: 65.3\n- gpu_util_avg_pct: 92.4\n\n\
         ## Changes vs Previous\n- previous_run_id: n/a\n- config_diff: n/a\n\n\
         ## Field Table (Checklist)\n| section | field | description |\n| --- | --- | --- |\n| Summary | run_id | Run identifier |\n"
    );
    s
}
