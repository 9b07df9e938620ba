//! What a run cost: train and wall time, GPU-hours, VRAM against the GPU's memory,
//! utilisation, throughput per GPU, step times, per-step durations, retries and failures.
//!
//! Also the two display rules of the run's figures that must not drift between views: how GPU
//! utilisation is rated and labelled (high is good), and when the step strip collapses to a
//! summary line (and what that line says).
//!
//! Pure. A value the archive does not record is `None` ("not recorded"), never 0.

use crate::archive::model::{Archive, Status};

/// GPUs as the summary names them (`NVIDIA H800 80GB x 32`).
#[derive(Debug, Clone, PartialEq)]
pub struct Gpus {
    /// Model name (`NVIDIA H800 80GB`).
    pub model: String,
    /// How many.
    pub count: Option<u32>,
    /// Memory per GPU in GB, from the model name.
    pub memory_gb: Option<f64>,
}

/// Reads `<model> x <count>` (also `8x A100`, `A100 80GB * 8`).
pub fn parse_gpus(s: &str) -> Gpus {
    let t = s.trim();
    let (model, count) = match t.rsplit_once([' ', '*', '×']).filter(|(m, c)| {
        c.trim().parse::<u32>().is_ok()
            && (m.ends_with(" x") || m.ends_with('x') || m.ends_with('*') || m.ends_with(' '))
    }) {
        Some((m, c)) => (
            m.trim()
                .trim_end_matches(['x', '*', '×'])
                .trim()
                .to_string(),
            c.trim().parse().ok(),
        ),
        None => match t
            .split_once(['x', 'X', '×'])
            .filter(|(c, _)| c.trim().parse::<u32>().is_ok())
        {
            Some((c, m)) => (m.trim().to_string(), c.trim().parse().ok()),
            None => (t.to_string(), None),
        },
    };
    let memory_gb = model
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .find_map(|w| {
            w.to_ascii_uppercase()
                .strip_suffix("GB")
                .and_then(|n| n.parse::<f64>().ok())
        });
    Gpus {
        model,
        count,
        memory_gb,
    }
}

/// One step's bar on the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct StepBar {
    /// Label.
    pub label: String,
    /// Status class.
    pub status: Status,
    /// Seconds from the run's start (steps laid end to end in their order).
    pub start: f64,
    /// Seconds it took, when recorded.
    pub duration: Option<f64>,
    /// Retries.
    pub retries: i64,
}

/// A train step's speed.
#[derive(Debug, Clone, PartialEq)]
pub struct StepThroughput {
    /// Step label.
    pub label: String,
    /// Tokens per second, all GPUs.
    pub tokens_per_sec: Option<f64>,
    /// Tokens per second per GPU.
    pub tokens_per_sec_per_gpu: Option<f64>,
    /// Mean seconds per iteration.
    pub step_time_sec: Option<f64>,
}

/// The resource summary of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Resources {
    /// GPUs.
    pub gpus: Option<Gpus>,
    /// Training time (Resources & Cost).
    pub train_time_sec: Option<f64>,
    /// Wall time (Summary duration).
    pub wall_time_sec: Option<f64>,
    /// GPU count x wall time.
    pub gpu_hours: Option<f64>,
    /// GPU count x train time.
    pub train_gpu_hours: Option<f64>,
    /// Peak VRAM in GB.
    pub peak_vram_gb: Option<f64>,
    /// Average VRAM in GB.
    pub avg_vram_gb: Option<f64>,
    /// Mean GPU utilisation, percent.
    pub gpu_util_pct: Option<f64>,
    /// Per train step.
    pub throughput: Vec<StepThroughput>,
    /// Every step on a timeline.
    pub timeline: Vec<StepBar>,
    /// Total retries over all steps.
    pub retries: i64,
    /// Failed steps.
    pub failures: usize,
}

/// Computes the resource summary.
pub fn resources(a: &Archive) -> Resources {
    let gpus = a.summary.text("gpus").map(parse_gpus);
    let count = gpus.as_ref().and_then(|g| g.count).map(f64::from);
    let f = |k: &str| a.resources.get(k).and_then(|n| n.as_f64());
    let wall = a.summary.get("duration_sec").and_then(|n| n.as_f64());
    let train = f("train_time_sec");
    let mut timeline = Vec::new();
    let mut t = 0.0;
    let mut throughput = Vec::new();
    for st in &a.steps.steps {
        let d = st.duration_sec();
        timeline.push(StepBar {
            label: st.label(),
            status: st.status(),
            start: t,
            duration: d,
            retries: st.retries().unwrap_or(0),
        });
        t += d.unwrap_or(0.0);
        if let Some(tr) = st.training() {
            let tps = tr.throughput_tokens_per_sec;
            throughput.push(StepThroughput {
                label: st.label(),
                tokens_per_sec: tps,
                tokens_per_sec_per_gpu: tps.zip(count).map(|(x, c)| x / c),
                step_time_sec: tr.step_time_sec_avg,
            });
        }
    }
    Resources {
        gpus,
        train_time_sec: train,
        wall_time_sec: wall,
        gpu_hours: wall.zip(count).map(|(w, c)| w * c / 3600.0),
        train_gpu_hours: train.zip(count).map(|(w, c)| w * c / 3600.0),
        peak_vram_gb: f("peak_vram_gb"),
        avg_vram_gb: f("avg_vram_gb"),
        gpu_util_pct: f("gpu_util_avg_pct"),
        throughput,
        timeline,
        retries: a.steps.steps.iter().filter_map(|s| s.retries()).sum(),
        failures: a
            .steps
            .steps
            .iter()
            .filter(|s| s.status() == Status::Failed)
            .count(),
    }
}

/// How well the GPUs were kept busy. One rule everywhere: high utilisation is good.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UtilLevel {
    /// At or above [`GPU_UTIL_GOOD_PCT`].
    Good,
    /// At or above [`GPU_UTIL_FAIR_PCT`], below good.
    Fair,
    /// Below [`GPU_UTIL_FAIR_PCT`]: the GPUs waited much of the time.
    Poor,
}

/// Mean GPU utilisation (percent) from which it counts as good.
pub const GPU_UTIL_GOOD_PCT: f64 = 80.0;
/// Mean GPU utilisation (percent) below which it counts as poor.
pub const GPU_UTIL_FAIR_PCT: f64 = 50.0;

impl UtilLevel {
    /// Rates a mean utilisation in percent (high is good).
    pub fn of(pct: f64) -> UtilLevel {
        if pct >= GPU_UTIL_GOOD_PCT {
            UtilLevel::Good
        } else if pct >= GPU_UTIL_FAIR_PCT {
            UtilLevel::Fair
        } else {
            UtilLevel::Poor
        }
    }

    /// The word shown beside the colour (`high`, `medium`, `low`), also a CSS class suffix.
    pub fn word(self) -> &'static str {
        match self {
            UtilLevel::Good => "high",
            UtilLevel::Fair => "medium",
            UtilLevel::Poor => "low",
        }
    }
}

/// Utilisation labelled once, as a whole percent: `92.4` -> `92 %`.
pub fn util_label(pct: f64) -> String {
    format!("{pct:.0} %")
}

/// Above this many steps the step strip starts collapsed to its summary line: past about
/// three rows of chips at full width the strip pushes the run's content off the first screen.
pub const STRIP_COLLAPSE_ABOVE: usize = 24;

/// Whether a strip of `steps` chips starts collapsed.
pub fn strip_starts_collapsed(steps: usize) -> bool {
    steps > STRIP_COLLAPSE_ABOVE
}

/// The steps of a run in one line: how many, by status, how long, retries and warnings.
#[derive(Debug, Clone, PartialEq)]
pub struct StepTally {
    /// How many steps.
    pub total: usize,
    /// Steps per status, in the order success, failed, running, skipped, unknown (only those
    /// with at least one step; other words count as unknown).
    pub by_status: Vec<(Status, usize)>,
    /// Sum of the recorded step durations (`None` when no step records one).
    pub duration_sec: Option<f64>,
    /// Total retries.
    pub retries: i64,
    /// Total warnings.
    pub warnings: usize,
    /// Indexes (in the archive's order) of the failed steps.
    pub failed: Vec<usize>,
}

/// Tallies a run's steps for the collapsed strip.
pub fn step_tally(a: &Archive) -> StepTally {
    let steps = &a.steps.steps;
    let order = [
        Status::Success,
        Status::Failed,
        Status::Running,
        Status::Skipped,
        Status::Unknown,
    ];
    let by_status = order
        .into_iter()
        .map(|want| {
            let n = steps
                .iter()
                .filter(|s| s.status().class() == want.class())
                .count();
            (want, n)
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    let durations: Vec<f64> = steps.iter().filter_map(|s| s.duration_sec()).collect();
    StepTally {
        total: steps.len(),
        by_status,
        duration_sec: (!durations.is_empty()).then(|| durations.iter().sum()),
        retries: steps.iter().filter_map(|s| s.retries()).sum(),
        warnings: steps.iter().map(|s| s.warnings().len()).sum(),
        failed: steps
            .iter()
            .enumerate()
            .filter(|(_, s)| s.status() == Status::Failed)
            .map(|(i, _)| i)
            .collect(),
    }
}

impl StepTally {
    /// `160 steps`.
    pub fn head(&self) -> String {
        format!(
            "{} step{}",
            self.total,
            if self.total == 1 { "" } else { "s" }
        )
    }

    /// `158 success`, `2 failed`, ... (one per status present).
    pub fn statuses(&self) -> Vec<String> {
        self.by_status
            .iter()
            .map(|(st, n)| format!("{n} {}", st.label()))
            .collect()
    }

    /// What follows the statuses: the steps' total time, retries, warnings (those present).
    pub fn extras(&self) -> Vec<String> {
        let plural =
            |n: i64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut out = Vec::new();
        if let Some(d) = self.duration_sec {
            out.push(format!("{} of steps", crate::format::duration(d)));
        }
        if self.retries > 0 {
            out.push(plural(self.retries, "retry", "retries"));
        }
        if self.warnings > 0 {
            out.push(plural(self.warnings as i64, "warning", "warnings"));
        }
        out
    }

    /// The summary line: `160 steps: 158 success, 2 failed · 6 d 16 h of steps · 3 retries`.
    pub fn line(&self) -> String {
        let mut s = self.head();
        let statuses = self.statuses();
        if !statuses.is_empty() {
            s.push_str(": ");
            s.push_str(&statuses.join(", "));
        }
        for e in self.extras() {
            s.push_str(" · ");
            s.push_str(&e);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gpu_strings() {
        let g = parse_gpus("NVIDIA H800 80GB x 32");
        assert_eq!(
            (g.model.as_str(), g.count, g.memory_gb),
            ("NVIDIA H800 80GB", Some(32), Some(80.0))
        );
        let g = parse_gpus("8x A100-40GB");
        assert_eq!((g.count, g.memory_gb), (Some(8), Some(40.0)));
        let g = parse_gpus("Ascend 910B");
        assert_eq!((g.count, g.memory_gb), (None, None));
    }

    #[test]
    fn missing_values_are_not_zero() {
        let a = crate::archive::parse("## Summary\n- gpus: NVIDIA H800 80GB x 32\n").archive;
        let r = resources(&a);
        assert_eq!(r.gpu_hours, None);
        assert_eq!(r.peak_vram_gb, None);
        let a = crate::archive::parse(
            "## Summary\n- gpus: NVIDIA H800 80GB x 32\n- duration_sec: 3600\n",
        )
        .archive;
        assert_eq!(resources(&a).gpu_hours, Some(32.0));
    }

    #[test]
    fn gpu_utilisation_high_is_good_and_is_labelled_once() {
        assert_eq!(UtilLevel::of(92.4), UtilLevel::Good);
        assert_eq!(UtilLevel::of(80.0), UtilLevel::Good);
        assert_eq!(UtilLevel::of(79.9), UtilLevel::Fair);
        assert_eq!(UtilLevel::of(61.3), UtilLevel::Fair);
        assert_eq!(UtilLevel::of(50.0), UtilLevel::Fair);
        assert_eq!(UtilLevel::of(12.0), UtilLevel::Poor);
        assert_eq!(util_label(92.4), "92 %");
        assert_eq!(util_label(92.6), "93 %");
        assert_eq!(util_label(100.0), "100 %");
    }

    #[test]
    fn the_strip_collapses_only_for_long_runs() {
        assert!(!strip_starts_collapsed(7));
        assert!(!strip_starts_collapsed(STRIP_COLLAPSE_ABOVE));
        assert!(strip_starts_collapsed(STRIP_COLLAPSE_ABOVE + 1));
        assert!(strip_starts_collapsed(160));
    }

    #[test]
    fn a_160_step_run_in_one_line() {
        let text = crate::archive::synth::big_archive(160, 2)
            .replacen("  status: success\n", "  status: failed\n", 1)
            .replacen("  retries: 0\n", "  retries: 2\n", 1);
        let a = crate::archive::parse(&text).archive;
        let t = step_tally(&a);
        assert_eq!(t.total, 160);
        assert_eq!(
            t.by_status,
            vec![(Status::Success, 159), (Status::Failed, 1)]
        );
        assert_eq!(t.failed, vec![0]);
        assert_eq!(t.retries, 2);
        assert_eq!(t.duration_sec, Some(160.0 * 3600.0));
        assert_eq!(
            t.line(),
            "160 steps: 159 success, 1 failed · 6 d 16 h of steps · 2 retries"
        );
    }

    #[test]
    fn a_run_without_steps_or_durations() {
        let a = crate::archive::parse("## Summary\n- run_id: x\n").archive;
        let t = step_tally(&a);
        assert_eq!((t.total, t.duration_sec), (0, None));
        assert_eq!(t.line(), "0 steps");
    }
}
