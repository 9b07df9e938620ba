//! The loss curves of two runs' matched train steps on one chart. A side whose curve is
//! missing, unreadable or still being read does not hide the other: the curve that is
//! there is drawn, and the missing file is named with a drop target for it.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::curve_drop::CurveDrop;
use crate::components::loss_chart::{ChartLine, LossChart};
use crate::components::use_curve::{use_step_curve, StepCurve};
use crate::diff::overlay::matched_series;
use crate::runs::{CurveFile, Run};
use crate::state::{CurveLoad, LoadedCurves};

/// Props of [`OverlayChart`].
#[derive(Properties, Clone)]
pub struct OverlayProps {
    /// First run and its step index.
    pub a: Rc<Run>,
    /// Step index in `a`.
    pub ia: usize,
    /// Second run.
    pub b: Rc<Run>,
    /// Step index in `b`.
    pub ib: usize,
}

impl PartialEq for OverlayProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.a, &o.a) && Rc::ptr_eq(&self.b, &o.b) && self.ia == o.ia && self.ib == o.ib
    }
}

/// One side of the overlay: "A" or "B", its run and what is known of its curve.
struct Side<'a> {
    tag: &'static str,
    run: &'a Run,
    curve: &'a StepCurve,
}

impl Side<'_> {
    fn ready(&self) -> Option<&Rc<LoadedCurves>> {
        match &self.curve.load {
            Some(CurveLoad::Ready(c)) => Some(c),
            _ => None,
        }
    }

    /// The file's base name, as the archive names it.
    fn file_name(&self) -> Option<String> {
        let p = self.curve.path.as_deref()?;
        Some(p.rsplit('/').next().unwrap_or(p).to_string())
    }

    /// One line on how this side's curve stands.
    fn state(&self) -> String {
        let id = self.run.run_id();
        match (&self.curve.load, &self.curve.file, &self.curve.path) {
            (_, Some(CurveFile::Missing(n)), _) => format!("{id}: {n} not loaded"),
            (Some(CurveLoad::Failed(m)), _, _) => format!("{id}: {m}"),
            (Some(CurveLoad::Ready(_)), _, _) => format!("{id}: ready"),
            (_, _, None) => format!("{id}: the archive names no loss curve for this step"),
            _ => format!("{id}: reading…"),
        }
    }

    /// A drop target when the file is missing or unreadable.
    fn drop_target(&self) -> Html {
        let missing = matches!(self.curve.file, Some(CurveFile::Missing(_)));
        let failed = matches!(self.curve.load, Some(CurveLoad::Failed(_)));
        let Some(name) = self.file_name().filter(|_| missing || failed) else {
            return html! {};
        };
        let why = if missing {
            format!(
                "{}'s loss curve {name} is not among the files loaded with {}.",
                self.tag,
                self.run.run_id()
            )
        } else {
            format!(
                "{}'s loss curve {name} could not be read: drop a readable copy.",
                self.tag
            )
        };
        html! { <CurveDrop run_key={self.run.key.clone()} file_name={name} {why} /> }
    }

    fn line(&self, curves: &Rc<LoadedCurves>, series: usize, color: usize) -> Option<ChartLine> {
        let tag = curves.curves.series.get(series)?.tag.clone();
        Some(ChartLine {
            curves: curves.clone(),
            series,
            label: format!("{} {} · {tag}", self.tag, self.run.run_id()),
            color,
        })
    }
}

fn tags(c: &LoadedCurves) -> Vec<String> {
    c.curves.series.iter().map(|s| s.tag.clone()).collect()
}

/// The overlay.
#[component]
pub fn OverlayChart(props: &OverlayProps) -> Html {
    let ca = use_step_curve(&props.a, props.ia);
    let cb = use_step_curve(&props.b, props.ib);
    let a = Side {
        tag: "A",
        run: &props.a,
        curve: &ca,
    };
    let b = Side {
        tag: "B",
        run: &props.b,
        curve: &cb,
    };
    let name = format!("{}-vs-{}", props.a.run_id(), props.b.run_id());
    let lines: Vec<ChartLine> = match (a.ready(), b.ready()) {
        (Some(fa), Some(fb)) => {
            let (sa, sb) = matched_series(&tags(fa), &tags(fb));
            a.line(fa, sa, 0)
                .into_iter()
                .chain(b.line(fb, sb, 1))
                .collect()
        }
        (Some(fa), None) => a
            .line(fa, crate::ingest::loss_tag_index(&tags(fa)), 0)
            .into_iter()
            .collect(),
        (None, Some(fb)) => b
            .line(fb, crate::ingest::loss_tag_index(&tags(fb)), 1)
            .into_iter()
            .collect(),
        (None, None) => Vec::new(),
    };
    let both = a.ready().is_some() && b.ready().is_some();
    if both && lines.len() < 2 {
        return html! { <p class="muted small">{ "A curve file holds no series." }</p> };
    }
    let waiting = [&a, &b]
        .into_iter()
        .filter(|s| s.ready().is_none())
        .collect::<Vec<_>>();
    html! {
        <>
            if lines.is_empty() {
                <p class="muted small">{ format!("Overlay: {}; {}", a.state(), b.state()) }</p>
            } else if !waiting.is_empty() {
                <p class="muted small overlay-partial" role="note">
                    { format!("Only {}'s curve is drawn. ", if a.ready().is_some() { "A" } else { "B" }) }
                    { for waiting.iter().map(|s| s.state()) }
                </p>
            }
            { for waiting.iter().map(|s| s.drop_target()) }
            if !lines.is_empty() { <LossChart {lines} {name} /> }
        </>
    }
}
