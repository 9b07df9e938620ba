//! Generated runs for query and index benchmarks and tests: [`synth_run`] writes the
//! archive of run `i` of a large synthetic index, and [`knobs`] says what was put in it,
//! so a test can count the right answer to a query without the query engine. Invariant:
//! the same `i` always gives the same text.
//!
//! Pure: builds strings, no I/O.

use std::fmt::Write;

/// The settings and results a generated run was given.
#[derive(Debug, Clone, PartialEq)]
pub struct Knobs {
    /// `summary.experiment`: one of 20.
    pub experiment: String,
    /// `summary.run_id`.
    pub run_id: String,
    /// Whether the run failed (about 1 in 10; a failed run has no SFT or eval step).
    pub failed: bool,
    /// `summary.host`: one of 64 (`gpu-node-00` .. `gpu-node-63`).
    pub host: String,
    /// The month it started (1..=12, in 2025).
    pub month: u32,
    /// The CPT learning rate (`train.cpt.lr`), written in one of several spellings.
    pub cpt_lr: f64,
    /// `train.cpt.global_batch_size`.
    pub cpt_gbs: i64,
    /// `train.cpt.final_loss`.
    pub cpt_final_loss: f64,
    /// `eval.mmlu`, for runs that did not fail.
    pub mmlu: Option<f64>,
    /// `peak_vram_gb`.
    pub peak_vram_gb: f64,
}

fn mix(mut x: u64) -> u64 {
    // splitmix64: a fixed, well-spread hash of the run number.
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

const LRS: [(f64, &str); 5] = [
    (1e-5, "1e-05"),
    (1e-5, "0.00001"),
    (2e-5, "2.0e-5"),
    (3e-5, "3e-05"),
    (5e-5, "5E-5"),
];

/// What run `i` is given.
pub fn knobs(i: usize) -> Knobs {
    let h = mix(i as u64);
    let (lr, _) = LRS[(h % 5) as usize];
    let gbs = [128i64, 256, 512][((h >> 8) % 3) as usize];
    let failed = (h >> 16) % 10 == 0;
    let loss = 1.4 + lr * 1e4 * 0.05 + ((h >> 24) % 1000) as f64 / 10_000.0;
    Knobs {
        experiment: format!("exp-{:02}", i % 20),
        run_id: format!("2025{:02}{:02}-{:06}", 1 + (i / 28) % 12, 1 + i % 28, i),
        failed,
        host: format!("gpu-node-{:02}", (h >> 32) % 64),
        month: 1 + ((i / 28) % 12) as u32,
        cpt_lr: lr,
        cpt_gbs: gbs,
        cpt_final_loss: (loss * 10_000.0).round() / 10_000.0,
        mmlu: (!failed).then(|| 0.6 + ((h >> 40) % 2000) as f64 / 10_000.0),
        peak_vram_gb: 60.0 + ((h >> 48) % 200) as f64 / 10.0,
    }
}

/// The archive of run `i` (about 5 KB: summary, three dependencies, a CPT train step with
/// 30 params, an SFT train step and an eval step unless the run failed, resources).
pub fn synth_run(i: usize) -> String {
    let k = knobs(i);
    let h = mix(i as u64);
    let lr_text = LRS[(h % 5) as usize].1;
    let root = format!("/mnt/datapool/exp/{}/{}", k.experiment, k.run_id);
    let day = 1 + i % 28;
    let mut s = String::with_capacity(6000);
    let _ = write!(
        s,
        "# Experiment Archive\n\n## Summary\n- experiment: {}\n- run_id: {}\n- status: {}\n\
         - started_at: 2025-{:02}-{day:02} 08:00:00\n- finished_at: 2025-{:02}-{day:02} 17:00:00\n\
         - duration_sec: {}\n- git_commit: {:040x}\n- git_dirty: {}\n- host: {}\n- user: user{}\n\
         - os: Linux 5.15.0 x86_64\n- python: 3.10.14\n- conda_env: train\n- cuda: 12.4\n\
         - cuda_driver: 550.90.07\n- torch: 2.4.1+cu124\n- gpus: NVIDIA H800 80GB x {}\n\n\
         ## Dependencies (Versions)\n| name | version |\n| --- | --- |\n| transformers | 4.4{}.1 |\n\
         | megatron | core_r0.8.0 |\n| vllm | 0.6.{} |\n\n## Steps\n",
        k.experiment,
        k.run_id,
        if k.failed { "failed" } else { "success" },
        k.month,
        k.month,
        20_000 + (h % 20_000),
        h as u128 * 31,
        (h >> 5) % 2 == 0,
        k.host,
        (h >> 12) % 9,
        8 << ((h >> 20) % 3),
        6 + (h >> 6) % 3,
        4 + (h >> 9) % 3,
    );
    let _ = write!(
        s,
        "- step_id: 1\n  name: train\n  stage: cpt\n  status: {}\n  config: configs/steps/02_train_cpt.py\n\
         \x20 params:\n    lr: {lr_text}\n    min_lr: 1e-06\n    global_batch_size: {}\n    micro_batch_size: {}\n\
         \x20   seq_length: 4096\n    train_iters: 2000\n    lr_decay_style: cosine\n    lr_warmup_iters: {}\n\
         \x20   weight_decay: 0.1\n    adam_beta1: 0.9\n    adam_beta2: 0.95\n    clip_grad: 1.0\n    bf16: true\n\
         \x20   tensor_model_parallel_size: {}\n    pipeline_model_parallel_size: 1\n    seed: {}\n\
         \x20   num_layers: 28\n    hidden_size: 3584\n    num_attention_heads: 28\n    rotary_base: 1000000\n\
         \x20   norm_epsilon: 1e-06\n    swiglu: true\n    save_interval: 500\n    log_interval: 1\n\
         \x20   tokenizer_type: PretrainedFromHF\n    recompute_granularity: full\n    split: 100,0,0\n\
         \x20   load: /mnt/datapool/ckpt/mcore/Qwen2.5-7B-tp4pp1\n    save: {root}/ckpt/cpt\n\
         \x20   data_path: {root}/data/cpt/med_text_document\n\
         \x20 training:\n    loss_curve: {root}/tensorboard/cpt/events.out.tfevents.1\n    final_loss: {}\n\
         \x20   best_loss: {}\n    steps: 2000\n    duration_sec: {}\n    throughput_tokens_per_sec: {}\n\
         \x20 logs: {root}/logs/cpt_train.log\n  retries: {}\n\n",
        if k.failed { "failed" } else { "success" },
        k.cpt_gbs,
        1 + (h >> 3) % 2,
        50 * (1 + (h >> 7) % 4),
        [2, 4, 8][((h >> 11) % 3) as usize],
        1234 + (h >> 13) % 3,
        k.cpt_final_loss,
        k.cpt_final_loss - 0.02,
        20_000 + (h >> 2) % 5000,
        80_000 + (h >> 4) % 10_000,
        u64::from(k.failed),
    );
    if !k.failed {
        let _ = write!(
            s,
            "- step_id: 2\n  name: train\n  stage: sft\n  status: success\n  params:\n    lr: {}e-06\n\
             \x20   global_batch_size: 64\n    micro_batch_size: 1\n    seq_length: 4096\n    train_iters: 600\n\
             \x20   prompt_type: qwen\n  training:\n    final_loss: {:.4}\n    steps: 600\n\n\
             - step_id: 3\n  name: eval\n  stage: none\n  status: success\n  params:\n    backend: vllm\n\
             \x20   num_fewshot: 5\n  eval:\n    datasets:\n      - mmlu\n      - gsm8k\n    results:\n\
             \x20     mmlu: {}\n      gsm8k: {:.4}\n\n",
            1 + (h >> 17) % 4,
            0.8 + ((h >> 19) % 100) as f64 / 1000.0,
            k.mmlu.unwrap_or(0.0),
            0.7 + ((h >> 23) % 100) as f64 / 1000.0,
        );
    }
    let _ = write!(
        s,
        "## Resources & Cost\n- train_time_sec: {}\n- peak_vram_gb: {}\n- avg_vram_gb: 60.1\n\
         - gpu_util_avg_pct: {}%\n\n## Changes vs Previous\n- previous_run_id: n/a\n- config_diff: n/a\n",
        20_000 + (h >> 2) % 5000,
        k.peak_vram_gb,
        80 + (h >> 29) % 20,
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_number_gives_the_same_run_and_runs_vary() {
        assert_eq!(synth_run(7), synth_run(7));
        assert_ne!(synth_run(7), synth_run(8));
        let failed = (0..1000).filter(|&i| knobs(i).failed).count();
        assert!((50..150).contains(&failed), "{failed}");
    }
}
