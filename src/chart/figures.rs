//! The step's training figures next to its curve: each archive figure with what the curve
//! says, flagged when they disagree.
//!
//! Pure.

use crate::archive::model::Training;
use crate::ingest::Series;

/// One figure: the archive's number, the curve's, and whether they agree.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureCheck {
    /// What it is (`final loss`, ...).
    pub label: &'static str,
    /// What the archive says.
    pub archive: Option<f64>,
    /// What the curve says (when it can say).
    pub curve: Option<f64>,
    /// `Some(false)` when both are known and differ beyond rounding.
    pub agrees: Option<bool>,
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1e-12)
}

/// Checks the figures against the loss series (`loss`), when there is one.
pub fn check(t: &Training, loss: Option<&Series>) -> Vec<FigureCheck> {
    let last = loss.and_then(Series::last);
    let min = loss.and_then(Series::min_value);
    let mk = |label, archive: Option<f64>, curve: Option<f64>, rel: f64| FigureCheck {
        label,
        archive,
        curve,
        agrees: match (archive, curve) {
            (Some(a), Some(c)) => Some(close(a, c, rel)),
            _ => None,
        },
    };
    vec![
        mk("final loss", t.final_loss, last.map(|(_, v)| v), 1e-3),
        mk("best loss", t.best_loss, min, 1e-3),
        mk("ppl", t.ppl, last.map(|(_, v)| v.exp()), 2e-3),
        mk(
            "steps",
            t.steps.map(|s| s as f64),
            last.map(|(s, _)| s as f64),
            0.0,
        ),
        mk("tokens/s", t.throughput_tokens_per_sec, None, 0.0),
        mk("step time (s)", t.step_time_sec_avg, None, 0.0),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agreement_and_disagreement_are_flagged() {
        let mut s = Series::new("lm loss");
        for (st, v) in [(1, 3.0), (2, 1.5), (3, 1.62008)] {
            s.push(st, f64::NAN, v);
        }
        let t = Training {
            final_loss: Some(1.62008),
            best_loss: Some(1.2),
            ppl: Some(5.0535),
            steps: Some(3),
            ..Training::default()
        };
        let c = check(&t, Some(&s));
        assert_eq!(c[0].agrees, Some(true), "final loss");
        assert_eq!(
            c[1].agrees,
            Some(false),
            "best loss 1.2 but the curve's lowest is 1.5"
        );
        assert_eq!(c[2].agrees, Some(true), "ppl = exp(final loss)");
        assert_eq!(c[3].agrees, Some(true));
        assert_eq!(c[4].agrees, None);
    }
}
