//! The workspace's panels and crosshair, from the runs' loaded curves: which curve feeds a
//! run (its CPT step, its SFT step, or both in sequence), one panel per tag in the union of
//! the runs' tags (narrowed by the tag filter), and each run's value at a hovered x.
//!
//! Pure: the components turn these into canvases and lists.

use std::collections::BTreeSet;
use std::rc::Rc;

use crate::chart::series_math::{nearest, MinMaxIndex, Raw, XAxis};
use crate::ingest::Series;
use crate::runs::Run;
use crate::share::workspace::StepChoice;
use crate::state::LoadedCurves;
use crate::workspace::sequence::{sequence, Shift};

/// A series made for the workspace (a CPT curve followed by its SFT curve), indexed.
#[derive(Debug)]
pub struct Joined {
    /// The points.
    pub series: Series,
    /// Min/max index over its values.
    pub index: MinMaxIndex,
    /// Where its SFT part sits (`None`: it has none).
    pub sft: Option<Shift>,
}

/// Where a panel's line comes from: a series of a loaded file, or a joined one.
#[derive(Debug, Clone)]
pub enum Track {
    /// Series `usize` of a loaded curve file.
    File(Rc<LoadedCurves>, usize),
    /// A series made from two (CPT then SFT).
    Joined(Rc<Joined>),
}

impl PartialEq for Track {
    fn eq(&self, o: &Self) -> bool {
        match (self, o) {
            (Track::File(a, i), Track::File(b, j)) => Rc::ptr_eq(a, b) && i == j,
            (Track::Joined(a), Track::Joined(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Track {
    /// The points.
    pub fn series(&self) -> Option<&Series> {
        match self {
            Track::File(c, i) => c.curves.series.get(*i),
            Track::Joined(j) => Some(&j.series),
        }
    }

    /// Where the SFT part of a joined line sits (`None` for a file's series, or without one).
    pub fn sft_shift(&self) -> Option<Shift> {
        match self {
            Track::File(..) => None,
            Track::Joined(j) => j.sft,
        }
    }

    /// Their min/max index.
    pub fn index(&self) -> Option<&MinMaxIndex> {
        match self {
            Track::File(c, i) => c.indexes.get(*i),
            Track::Joined(j) => Some(&j.index),
        }
    }
}

/// The curve files of one run's train steps, when read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunCurves {
    /// The CPT train step's curve file.
    pub cpt: Option<Rc<LoadedCurves>>,
    /// The SFT train step's curve file.
    pub sft: Option<Rc<LoadedCurves>>,
}

/// Which of a run's train steps is its CPT step and which its SFT step (by stage; a train
/// step without a stage counts as CPT when the run has no CPT step).
pub fn stage_steps(run: &Run) -> (Option<usize>, Option<usize>) {
    let steps = &run.parsed.archive.steps.steps;
    let train: Vec<(usize, String)> = steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.training().is_some())
        .map(|(i, s)| (i, s.stage().unwrap_or("").to_lowercase()))
        .collect();
    let find = |st: &str| train.iter().find(|(_, s)| s == st).map(|(i, _)| *i);
    let cpt = find("cpt").or_else(|| find("pt")).or_else(|| find(""));
    (cpt, find("sft"))
}

/// One line of a panel: a run (its position in the workspace) and its points.
#[derive(Debug, Clone, PartialEq)]
pub struct PanelLine {
    /// The run's position in the workspace's run list.
    pub run: usize,
    /// The points.
    pub track: Track,
}

/// One panel: a tag and every run that has it.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// The tag.
    pub tag: String,
    /// The runs' lines, in run order.
    pub lines: Vec<PanelLine>,
}

/// Joins run `usize`'s CPT and SFT series of one tag into one line (how is
/// [`crate::workspace::sequence`]'s).
/// It gives the series and where its SFT part sits.
pub type Joiner<'a> =
    &'a dyn Fn(usize, Option<&Series>, Option<&Series>) -> Option<(Series, Option<Shift>)>;

/// The panels of `runs` for the step choice: one per tag, in order of first appearance
/// (the runs in order, each file's series in order), each with every run that has it.
pub fn panels(runs: &[RunCurves], step: StepChoice, join: Joiner<'_>) -> Vec<Panel> {
    let mut out: Vec<Panel> = Vec::new();
    let mut add = |tag: &str, line: PanelLine| match out.iter_mut().find(|p| p.tag == tag) {
        Some(p) => p.lines.push(line),
        None => out.push(Panel {
            tag: tag.to_string(),
            lines: vec![line],
        }),
    };
    for (run, rc) in runs.iter().enumerate() {
        let file = match step {
            StepChoice::Cpt => rc.cpt.as_ref(),
            StepChoice::Sft => rc.sft.as_ref(),
            StepChoice::Both => None,
        };
        if let Some(f) = file {
            for (i, s) in f.curves.series.iter().enumerate() {
                let track = Track::File(f.clone(), i);
                add(&s.tag, PanelLine { run, track });
            }
            continue;
        }
        if step != StepChoice::Both {
            continue;
        }
        let tags = tags_of(rc.cpt.as_deref())
            .into_iter()
            .chain(tags_of(rc.sft.as_deref()));
        let mut seen: Vec<String> = Vec::new();
        for tag in tags {
            if seen.contains(&tag) {
                continue;
            }
            seen.push(tag.clone());
            let cpt = rc.cpt.as_ref().and_then(|f| f.curves.get(&tag));
            let sft = rc.sft.as_ref().and_then(|f| f.curves.get(&tag));
            if let Some((series, sft)) = join(run, cpt, sft) {
                let index = MinMaxIndex::build(&Raw(&series));
                let track = Track::Joined(Rc::new(Joined { series, index, sft }));
                add(&tag, PanelLine { run, track });
            }
        }
    }
    out
}

/// Run `run`'s CPT series followed by its SFT series (of one tag) as one series drawn on
/// `axis` (see [`crate::workspace::sequence::Sequence::to_series`]); `axes` gives each
/// run's (CPT, SFT) own axis, `None` where the run cannot be placed on it (tokens seen
/// without a tokens-per-step); with the series, where its SFT part sits.
pub fn join_sequence(
    axes: &[(Option<XAxis>, Option<XAxis>)],
    axis: XAxis,
    run: usize,
    cpt: Option<&Series>,
    sft: Option<&Series>,
) -> Option<(Series, Option<Shift>)> {
    let (ca, sa) = axes.get(run).copied().unwrap_or((None, None));
    let cpt = cpt.zip(ca);
    let sft = sft.zip(sa);
    let tag = cpt.or(sft).map(|(s, _)| s.tag.clone())?;
    let seq = sequence(cpt, sft);
    Some((seq.to_series(&tag, axis).0, seq.sft_shift(cpt.is_none())))
}

fn tags_of(f: Option<&LoadedCurves>) -> Vec<String> {
    f.map(|f| f.curves.series.iter().map(|s| s.tag.clone()).collect())
        .unwrap_or_default()
}

/// The tag filter: a regex (`regex-lite` syntax) when it reads as one, else plain text
/// found anywhere in the tag, any case. Empty keeps every tag.
pub struct TagFilter {
    re: Option<regex_lite::Regex>,
    text: String,
    /// Why the text is not read as a regex (shown beside the box), when it is not.
    pub note: Option<String>,
}

impl TagFilter {
    /// The filter for `text`.
    pub fn new(text: &str) -> TagFilter {
        let text = text.trim().to_string();
        match regex_lite::Regex::new(&format!("(?i){text}")) {
            Ok(re) => TagFilter {
                re: Some(re),
                text,
                note: None,
            },
            Err(e) => TagFilter {
                re: None,
                note: Some(format!(
                    "not a regex ({}); matching it as text",
                    e.to_string().lines().last().unwrap_or("").trim()
                )),
                text: text.to_lowercase(),
            },
        }
    }

    /// Whether `tag` passes.
    pub fn keeps(&self, tag: &str) -> bool {
        match &self.re {
            Some(re) => re.is_match(tag),
            None => tag.to_lowercase().contains(&self.text),
        }
    }
}

/// Where the crosshair is: the panel hovered (its tag) and the x.
#[derive(Debug, Clone, PartialEq)]
pub struct Crosshair {
    /// The hovered panel's tag.
    pub tag: String,
    /// The data x.
    pub x: f64,
}

/// One run's value at the hovered x.
#[derive(Debug, Clone, PartialEq)]
pub struct HoverRow {
    /// The run's position in the workspace.
    pub run: usize,
    /// The point's step.
    pub step: i64,
    /// Its value, as stored.
    pub value: f64,
}

/// Each line's point nearest to `x` on `axis` (lines without a point on the axis have no
/// row), sorted by value, lowest first (NaN last).
pub fn hover_rows<'a>(
    lines: impl IntoIterator<Item = (usize, &'a Series)>,
    axis: XAxis,
    x: f64,
) -> Vec<HoverRow> {
    let mut rows: Vec<HoverRow> = lines
        .into_iter()
        .filter_map(|(run, s)| {
            let i = nearest(s, axis, x)?;
            axis.x(s, i).is_finite().then(|| HoverRow {
                run,
                step: s.step(i),
                value: s.value(i),
            })
        })
        .collect();
    rows.sort_by(|a, b| match (a.value.is_nan(), b.value.is_nan()) {
        (false, false) => a.value.total_cmp(&b.value),
        (a, b) => a.cmp(&b),
    });
    rows
}

/// The hidden runs and the run shown alone after a click on the legend row of the run at
/// `pos` (positions in the `?workspace=` list; `all`: every listed run's). Alt shows it
/// alone, or, when it already is, what was shown before; a plain click hides or shows it
/// (while a run is shown alone, starting from what is shown: that run).
pub fn legend_click(
    hidden: &BTreeSet<usize>,
    solo: Option<usize>,
    all: &[usize],
    pos: usize,
    alt: bool,
) -> (BTreeSet<usize>, Option<usize>) {
    if alt {
        return (hidden.clone(), (solo != Some(pos)).then_some(pos));
    }
    let mut next = match solo {
        Some(s) => all.iter().copied().filter(|&p| p != s).collect(),
        None => hidden.clone(),
    };
    if !next.remove(&pos) {
        next.insert(pos);
    }
    (next, None)
}

/// The tokens seen per step the tokens axis can use for every run: `Some` when every run
/// that says gives the same number (and one does).
pub fn shared_tokens_per_step(per_run: &[Option<f64>]) -> Option<f64> {
    let mut known = per_run.iter().flatten();
    let first = *known.next()?;
    known.all(|t| *t == first).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Curves;

    fn file(tags: &[&str], n: i64) -> Rc<LoadedCurves> {
        let series = tags
            .iter()
            .enumerate()
            .map(|(k, t)| {
                let mut s = Series::new(*t);
                for i in 1..=n {
                    s.push(i, 1000.0 + i as f64, (k as f64 + 1.0) / i as f64);
                }
                s
            })
            .collect();
        Rc::new(LoadedCurves::new(
            "f".into(),
            Curves {
                series,
                ..Curves::default()
            },
        ))
    }

    fn no_join(
        _: usize,
        _: Option<&Series>,
        _: Option<&Series>,
    ) -> Option<(Series, Option<Shift>)> {
        None
    }

    #[test]
    fn one_panel_per_tag_in_the_union_each_with_the_runs_that_have_it() {
        let runs = vec![
            RunCurves {
                cpt: Some(file(&["loss", "lr"], 10)),
                ..RunCurves::default()
            },
            RunCurves {
                cpt: Some(file(&["loss", "grad"], 10)),
                ..RunCurves::default()
            },
            RunCurves::default(),
        ];
        let p = panels(&runs, StepChoice::Cpt, &no_join);
        let tags: Vec<&str> = p.iter().map(|p| p.tag.as_str()).collect();
        assert_eq!(tags, ["loss", "lr", "grad"]);
        let runs_of = |i: usize| p[i].lines.iter().map(|l| l.run).collect::<Vec<_>>();
        assert_eq!(runs_of(0), [0, 1]);
        assert_eq!(runs_of(1), [0]);
        assert_eq!(runs_of(2), [1]);
        assert!(panels(&runs, StepChoice::Sft, &no_join).is_empty());
    }

    #[test]
    fn hover_rows_are_each_runs_nearest_point_sorted_by_value() {
        let a = file(&["loss"], 10);
        let b = file(&["x", "loss"], 5);
        let sa = &a.curves.series[0];
        let sb = &b.curves.series[1];
        let rows = hover_rows([(0, sa), (1, sb)], XAxis::Step, 7.2);
        assert_eq!(rows.len(), 2);
        // Run 1 ends at step 5 (value 2/5); run 0 at step 7 has 1/7: lower first.
        assert_eq!(
            (rows[0].run, rows[0].step, rows[0].value),
            (0, 7, sa.value(6))
        );
        assert_eq!((rows[1].run, rows[1].step), (1, 5));
    }

    #[test]
    fn tag_filter_is_a_regex_or_text() {
        let f = TagFilter::new("^lm|lr$");
        assert!(f.keeps("lm_loss") && f.keeps("train/lr") && !f.keeps("grad-norm"));
        let t = TagFilter::new("loss(");
        assert!(t.note.is_some());
        assert!(t.keeps("LOSS(x)") && !t.keeps("loss"));
        assert!(TagFilter::new("").keeps("anything"));
    }

    #[test]
    fn tokens_axis_needs_one_tokens_per_step() {
        assert_eq!(
            shared_tokens_per_step(&[Some(4.0), None, Some(4.0)]),
            Some(4.0)
        );
        assert_eq!(shared_tokens_per_step(&[Some(4.0), Some(8.0)]), None);
        assert_eq!(shared_tokens_per_step(&[None]), None);
    }
    #[test]
    fn click_toggles_alt_click_solos_and_again_shows_what_was_shown() {
        let all = [0, 1, 2, 5];
        let none = BTreeSet::new();
        let (one, solo) = legend_click(&none, None, &all, 1, false);
        assert_eq!((one.clone(), solo), (BTreeSet::from([1]), None));
        assert_eq!(
            legend_click(&one, None, &all, 1, false),
            (none.clone(), None)
        );
        // Alt: 5 alone, the hidden run kept underneath; Alt again: back to it.
        let (h, solo) = legend_click(&one, None, &all, 5, true);
        assert_eq!((h.clone(), solo), (one.clone(), Some(5)));
        assert_eq!(legend_click(&h, solo, &all, 5, true), (one.clone(), None));
        // Alt on another run moves the solo; a plain click adds a run to the one shown.
        assert_eq!(legend_click(&h, solo, &all, 2, true), (one, Some(2)));
        assert_eq!(
            legend_click(&h, solo, &all, 0, false),
            (BTreeSet::from([1, 2]), None)
        );
    }

    #[test]
    fn both_in_sequence_puts_the_sft_curve_after_the_cpt_curve() {
        let runs = vec![RunCurves {
            cpt: Some(file(&["loss", "lr"], 10)),
            sft: Some(file(&["loss"], 5)),
        }];
        let axes = [(Some(XAxis::Step), Some(XAxis::Step))];
        let join = |run: usize, c: Option<&Series>, s: Option<&Series>| {
            join_sequence(&axes, XAxis::Step, run, c, s)
        };
        let p = panels(&runs, StepChoice::Both, &join);
        assert_eq!(p.len(), 2);
        let loss = p[0].lines[0].track.series().expect("a series");
        assert_eq!(loss.len(), 15);
        assert_eq!(loss.step(14), 15, "SFT steps counted on from CPT's last");
        let shift = p[0].lines[0].track.sft_shift().expect("an SFT part");
        assert_eq!((shift.start, shift.steps), (10, 10));
        assert_eq!(
            loss.value(10),
            runs[0].sft.as_ref().unwrap().curves.series[0].value(0)
        );
        // A run that cannot be placed (no axis for either stage) has no line.
        let none = [(None, None)];
        let join = |run: usize, c: Option<&Series>, s: Option<&Series>| {
            join_sequence(&none, XAxis::Step, run, c, s)
        };
        assert!(panels(&runs, StepChoice::Both, &join).is_empty());
    }
}
