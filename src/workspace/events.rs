//! Events on a run's x axis: checkpoints saved (Artifacts, by step), restarts (a series
//! whose step goes back) and warnings or errors whose text names a step ("step 1200",
//! "at iteration 3,000", "step=500"). Each carries the training stage it belongs to
//! (`cpt`, `sft`, ...) when the archive says, so a panel showing one stage's curve marks
//! only that stage's events.

use std::sync::OnceLock;

use regex_lite::Regex;

use crate::archive::model::CheckpointTag;
use crate::archive::Archive;
use crate::chart::series_math::XAxis;
use crate::ingest::Series;
use crate::lineage::graph::{norm, within};

use super::{lower_bound, timeline, SeriesPoints};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// A checkpoint was saved.
    Checkpoint,
    /// Training resumed from an earlier step.
    Restart,
    /// A step's warning names this step.
    Warning,
    /// A step's error names this step.
    Error,
}

/// One marker on the x axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// What happened.
    pub kind: EventKind,
    /// The training step it happened at.
    pub step: i64,
    /// The stage of the pipeline step it belongs to (`cpt`, `sft`), when known.
    pub stage: Option<String>,
    /// The tooltip text.
    pub label: String,
}

/// The step a text names: `step 1200`, `at iteration 3,000`, `step=500`, `iter: 7`,
/// `global_step 9` (the first such mention).
pub fn step_named(text: &str) -> Option<i64> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let re = RE
        .get_or_init(|| {
            Regex::new(
                r"(?i)\b(?:global_)?(?:step|iteration|iter)\s*[=:#]?\s*(\d{1,3}(?:,\d{3})+|\d+)\b",
            )
            .ok()
        })
        .as_ref()?;
    let digits = re.captures(text)?.get(1)?.as_str().replace(',', "");
    digits.parse().ok()
}

/// The checkpoints (by step) and the step-naming warnings and errors of `archive`, in
/// file order.
pub fn archive_events(archive: &Archive) -> Vec<Event> {
    let mut out = Vec::new();
    for c in archive.checkpoints() {
        let Some(step) = c.step else { continue };
        let tag = match &c.tag {
            CheckpointTag::Last => "last",
            CheckpointTag::Best => "best",
            CheckpointTag::Other(t) => t.as_deref().unwrap_or(""),
        };
        let path = c.path.as_deref().unwrap_or("");
        let label = format!("checkpoint at step {step} {tag}: {path}");
        out.push(Event {
            kind: EventKind::Checkpoint,
            step,
            stage: c.path.as_deref().and_then(|p| stage_writing(archive, p)),
            label: label.split_whitespace().collect::<Vec<_>>().join(" "),
        });
    }
    for st in &archive.steps.steps {
        let stage = st.stage().map(str::to_string);
        let texts = st
            .warnings()
            .into_iter()
            .map(|w| (EventKind::Warning, w))
            .chain(st.text("error").map(|e| (EventKind::Error, e.to_string())));
        for (kind, text) in texts {
            if let Some(step) = step_named(&text) {
                let what = if kind == EventKind::Error {
                    "error"
                } else {
                    "warning"
                };
                out.push(Event {
                    kind,
                    step,
                    stage: stage.clone(),
                    label: format!("{what} ({}): {text}", st.label()),
                });
            }
        }
    }
    out
}

/// The stage of the pipeline step whose outputs hold `path` (a checkpoint directory).
fn stage_writing(archive: &Archive, path: &str) -> Option<String> {
    let p = norm(path);
    archive.steps.steps.iter().find_map(|st| {
        let writes = st.map("outputs")?.iter().any(|(_, n)| {
            n.as_text()
                .is_some_and(|o| !o.trim().is_empty() && within(&p, &norm(o)))
        });
        writes.then(|| st.stage().map(str::to_string)).flatten()
    })
}

/// Where `s` restarts (its step goes back), as events of `stage`.
pub fn restart_events(s: &Series, stage: Option<&str>) -> Vec<Event> {
    s.restarts
        .iter()
        .map(|&r| {
            let (from, to) = (s.step(r.saturating_sub(1)), s.step(r));
            Event {
                kind: EventKind::Restart,
                step: to,
                stage: stage.map(str::to_string),
                label: format!("restart: resumed at step {to} after step {from}"),
            }
        })
        .collect()
}

/// Where event `e` sits on `axis` for the series `s` it is drawn with: the step itself on
/// the step axes; on the time axes the time of the first point at or after that step
/// (`None` when the series has none).
pub fn event_x(e: &Event, s: &Series, axis: XAxis) -> Option<f64> {
    match axis {
        XAxis::Step | XAxis::Tokens(_) => Some(e.step as f64 * tokens_factor(axis)),
        XAxis::Relative | XAxis::Wall => {
            let p = SeriesPoints::new(s, XAxis::Step);
            let i = timeline(&p).into_iter().find_map(|(lo, hi)| {
                let i = lower_bound(&p, lo, hi, e.step as f64);
                (i < hi).then_some(i)
            })?;
            Some(axis.x(s, i)).filter(|x| x.is_finite())
        }
    }
}

fn tokens_factor(axis: XAxis) -> f64 {
    match axis {
        XAxis::Tokens(k) => k,
        _ => 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn steps_named_in_the_ways_logs_name_them() {
        assert_eq!(step_named("loss spike at step 1200"), Some(1200));
        assert_eq!(step_named("NaN at iteration 3,000 (skipped)"), Some(3000));
        assert_eq!(step_named("grad overflow step=500"), Some(500));
        assert_eq!(step_named("Iter: 7 slow"), Some(7));
        assert_eq!(step_named("global_step 9"), Some(9));
        assert_eq!(
            step_named("NCCL_IB_TIMEOUT not set, using default 18"),
            None
        );
        assert_eq!(step_named("took 1200 steps"), None);
        assert_eq!(step_named("steps: 742"), None);
    }

    fn samples() -> Vec<(String, String)> {
        // The project root: this crate's manifest is in crates/runlens-core.
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../static/samples");
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            if let Ok(t) = std::fs::read_to_string(e.path().join("archive.md")) {
                out.push((e.file_name().to_string_lossy().to_string(), t));
            }
        }
        assert!(!out.is_empty(), "the sample archives are there");
        out
    }

    /// The steps listed as `step: N` under `## Artifacts`, read from the text.
    fn checkpoint_steps(text: &str) -> Vec<i64> {
        let body = text.split("## Artifacts").nth(1).unwrap_or("");
        let body = body.split("\n## ").next().unwrap_or("");
        body.lines()
            .filter_map(|l| l.trim().strip_prefix("step:"))
            .filter_map(|v| v.trim().parse().ok())
            .collect()
    }

    #[test]
    fn checkpoints_and_step_naming_warnings_of_the_samples() {
        for (name, text) in samples() {
            let a = crate::archive::parse(&text).archive;
            let ev = archive_events(&a);
            let ck: Vec<i64> = ev
                .iter()
                .filter(|e| e.kind == EventKind::Checkpoint)
                .map(|e| e.step)
                .collect();
            assert_eq!(ck, checkpoint_steps(&text), "{name}");
            // Each checkpoint is in the stage whose step saves under its directory.
            for e in ev.iter().filter(|e| e.kind == EventKind::Checkpoint) {
                let stage = e.stage.as_deref().unwrap_or("?");
                assert!(
                    e.label.contains(&format!("/ckpt/{stage}/")),
                    "{name}: {e:?}"
                );
            }
            // Warnings naming an iteration, read from the text.
            let want: Vec<i64> = text
                .lines()
                .filter(|l| l.trim_start().starts_with("- ") && l.contains("iteration "))
                .filter_map(|l| l.split("iteration ").nth(1))
                .filter_map(|r| r.split(|c: char| !c.is_ascii_digit()).next())
                .filter_map(|d| d.parse().ok())
                .collect();
            let got: Vec<i64> = ev
                .iter()
                .filter(|e| e.kind == EventKind::Warning)
                .map(|e| e.step)
                .collect();
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn restarts_are_where_the_step_goes_back() {
        let mut s = Series::new("loss");
        let steps = [1, 2, 3, 4, 2, 3, 1, 2];
        for (i, &st) in steps.iter().enumerate() {
            s.push(st, 100.0 + i as f64, 1.0);
        }
        let ev = restart_events(&s, Some("cpt"));
        let want: Vec<(i64, i64)> = steps
            .windows(2)
            .filter(|w| w[1] < w[0])
            .map(|w| (w[0], w[1]))
            .collect();
        let got: Vec<i64> = ev.iter().map(|e| e.step).collect();
        assert_eq!(got, want.iter().map(|w| w.1).collect::<Vec<_>>());
        assert!(ev[0].label.contains("after step 4"));
        assert_eq!(event_x(&ev[0], &s, XAxis::Step), Some(2.0));
        assert_eq!(event_x(&ev[0], &s, XAxis::Tokens(10.0)), Some(20.0));
    }

    #[test]
    fn on_a_time_axis_an_event_sits_at_its_step_time() {
        let mut s = Series::new("loss");
        for st in 1..=10 {
            s.push(st * 10, 1000.0 + st as f64, 1.0);
        }
        let e = Event {
            kind: EventKind::Checkpoint,
            step: 35,
            stage: None,
            label: String::new(),
        };
        assert_eq!(event_x(&e, &s, XAxis::Wall), Some(1004.0));
        assert_eq!(event_x(&e, &s, XAxis::Relative), Some(3.0));
        let late = Event { step: 500, ..e };
        assert_eq!(event_x(&late, &s, XAxis::Wall), None);
    }
}
