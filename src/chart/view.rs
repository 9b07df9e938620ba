//! A chart's view state and what user input does to it, pure: zoom, pan, reset and the
//! keyboard steps as transitions of [`ChartView`]; the x axis choice; the tooltip's rows, the
//! zoom rectangle and the note under the chart. The component wires events to these
//! functions and renders what they return; nothing here touches the browser.
//!
//! Gestures map pixels through what was last drawn ([`Drawn`]), not through the view state,
//! so a step taken before the first draw moves the range that is actually on screen.

use std::collections::BTreeSet;

use super::draw::{Drawn, Line};
use super::series_math::{nearest, smooth, Column, MinMaxIndex, Raw, Values, XAxis};
use crate::format;
use crate::ingest::Series;
use crate::share::url::{AxisChoice, ChartState};

/// Height of the chart's canvas in pixels.
pub const HEIGHT: u32 = 320;

/// Largest smoothing weight the slider sets.
pub const MAX_SMOOTHING: f64 = 0.999;

/// The settings a user changes on a chart (the part of it a link records).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartView {
    /// The zoomed x range; `None` shows everything.
    pub zoom: Option<(f64, f64)>,
    /// Log-scale y.
    pub log_y: bool,
    /// Smoothing weight, 0 (off) to [`MAX_SMOOTHING`].
    pub smoothing: f64,
    /// What the x axis shows.
    pub axis: AxisChoice,
}

impl Default for ChartView {
    fn default() -> ChartView {
        ChartView::from_state(&ChartState::new(""))
    }
}

/// One change to a [`ChartView`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ViewAction {
    /// Show this x range (a zoom or a pan).
    Show(f64, f64),
    /// Show everything again.
    Reset,
    /// Switch between linear and log y.
    ToggleLogY,
    /// Set the smoothing weight (clamped to 0..=[`MAX_SMOOTHING`]).
    Smoothing(f64),
    /// Choose the x axis; the zoom is dropped, as its numbers meant another quantity.
    Axis(AxisChoice),
}

impl ChartView {
    /// The view a chart's URL settings describe.
    pub fn from_state(st: &ChartState) -> ChartView {
        ChartView {
            zoom: st.x,
            log_y: st.log_y,
            smoothing: st.smoothing,
            axis: st.axis,
        }
    }

    /// The URL settings of this view for the chart `key` showing `tag`.
    pub fn to_state(&self, key: &str, tag: Option<&str>) -> ChartState {
        ChartState {
            key: key.to_string(),
            tag: tag.map(str::to_string),
            smoothing: self.smoothing,
            axis: self.axis,
            x: self.zoom,
            log_y: self.log_y,
        }
    }

    /// The view after `action`.
    pub fn apply(self, action: ViewAction) -> ChartView {
        let mut next = self;
        match action {
            ViewAction::Show(a, b) => next.zoom = Some((a, b)),
            ViewAction::Reset => next.zoom = None,
            ViewAction::ToggleLogY => next.log_y = !self.log_y,
            ViewAction::Smoothing(w) => next.smoothing = w.clamp(0.0, MAX_SMOOTHING),
            ViewAction::Axis(a) => {
                next.axis = a;
                next.zoom = None;
            }
        }
        next
    }

    /// The x axis to draw: tokens seen needs the run's tokens per step, and falls back to
    /// the step without it.
    pub fn x_axis(&self, tokens_per_step: Option<f64>) -> XAxis {
        self.x_axis_for(tokens_per_step, true)
    }

    /// The x axis to draw for curves with (`has_wall`) or without wall times: a choice the
    /// data cannot serve (a time axis from a link, for a curve that has no times) falls
    /// back to the step, as the menu shows.
    pub fn x_axis_for(&self, tokens_per_step: Option<f64>, has_wall: bool) -> XAxis {
        match (self.axis, tokens_per_step) {
            (AxisChoice::Relative, _) if has_wall => XAxis::Relative,
            (AxisChoice::Wall, _) if has_wall => XAxis::Wall,
            (AxisChoice::Tokens, Some(t)) => XAxis::Tokens(t),
            _ => XAxis::Step,
        }
    }
}

/// One choice of the x axis menu.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AxisOption {
    /// The choice.
    pub choice: AxisChoice,
    /// What the menu says.
    pub label: &'static str,
    /// Why the data cannot be drawn on it (shown on hover); `None` when it can.
    pub disabled: Option<&'static str>,
}

/// Why no curve of the chart can be drawn against wall time.
pub const NO_WALL_TIME: &str = "The curve has no wall times (its file records steps only)";

/// The x axis menu: each choice with its label; tokens seen only when the run says how
/// many tokens a step takes; the time axes disabled, with the reason, when no curve has
/// wall times (`has_wall`).
pub fn axis_menu(tokens_available: bool, has_wall: bool) -> Vec<AxisOption> {
    AxisChoice::ALL
        .into_iter()
        .filter(|a| tokens_available || *a != AxisChoice::Tokens)
        .map(|a| {
            let label = match a {
                AxisChoice::Step => "step",
                AxisChoice::Relative => "relative time",
                AxisChoice::Wall => "wall time",
                AxisChoice::Tokens => "tokens seen",
            };
            let timed = matches!(a, AxisChoice::Relative | AxisChoice::Wall);
            AxisOption {
                choice: a,
                label,
                disabled: (timed && !has_wall).then_some(NO_WALL_TIME),
            }
        })
        .collect()
}

/// Wheel zoom around the data x under pixel `px`: in by 0.8 when the wheel turns up
/// (`delta_y < 0`), out by 1.25 otherwise.
pub fn wheel(drawn: &Drawn, px: f64, delta_y: f64) -> ViewAction {
    let x = drawn.data_x(px);
    let f = if delta_y < 0.0 { 0.8 } else { 1.25 };
    let (a, b) = drawn.x_range;
    ViewAction::Show(x - (x - a) * f, x + (b - x) * f)
}

/// What key `key` does to a chart showing `shown`: arrows pan a tenth, `+`/`=` zoom in a
/// tenth each side, `-` zoom out (undoing `+`), `0` resets, `l` toggles log y. `None`: the
/// key is not the chart's (let the page have it).
pub fn key(key: &str, shown: (f64, f64)) -> Option<ViewAction> {
    let (a, b) = shown;
    let span = b - a;
    let show = |lo: f64, hi: f64| Some(ViewAction::Show(a + span * lo, b + span * hi));
    match key {
        "ArrowLeft" => show(-0.1, -0.1),
        "ArrowRight" => show(0.1, 0.1),
        "+" | "=" => show(0.1, -0.1),
        "-" => show(-0.125, 0.125),
        "0" => Some(ViewAction::Reset),
        "l" => Some(ViewAction::ToggleLogY),
        _ => None,
    }
}

/// A mouse drag on the canvas, in pixels: a zoom selection, or a pan (shift held).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Drag {
    /// Where the drag started (for a pan: where the mouse was last seen).
    pub from: f64,
    /// Where the mouse is.
    pub to: f64,
    /// Panning rather than selecting.
    pub pan: bool,
}

/// A drag moves this far (pixels) before its release zooms.
const MIN_ZOOM_DRAG: f64 = 4.0;

impl Drag {
    /// A drag starting at pixel `px`; `pan` when shift is held.
    pub fn start(px: f64, pan: bool) -> Drag {
        Drag {
            from: px,
            to: px,
            pan,
        }
    }

    /// The mouse moved to `px`: the drag now, and for a pan the range to show (the data
    /// under the mouse stays under it).
    pub fn moved(self, drawn: &Drawn, px: f64) -> (Drag, Option<ViewAction>) {
        if self.pan {
            let dx = drawn.data_x(self.from) - drawn.data_x(px);
            let (a, b) = drawn.x_range;
            (
                Drag::start(px, true),
                Some(ViewAction::Show(a + dx, b + dx)),
            )
        } else {
            (Drag { to: px, ..self }, None)
        }
    }

    /// The mouse was released: a selection wider than a few pixels zooms to it.
    pub fn released(self, drawn: &Drawn) -> Option<ViewAction> {
        (!self.pan && (self.from - self.to).abs() > MIN_ZOOM_DRAG).then(|| {
            let lo = drawn.data_x(self.from.min(self.to));
            let hi = drawn.data_x(self.from.max(self.to));
            ViewAction::Show(lo, hi)
        })
    }

    /// The selection rectangle to show over the plot, once the selection is wider than a
    /// pixel; none while panning.
    pub fn zoom_rect(&self, drawn: &Drawn) -> Option<Rect> {
        let (_, top, _, bottom) = drawn.plot;
        (!self.pan && (self.from - self.to).abs() > 1.0).then(|| Rect {
            left: self.from.min(self.to),
            top: top as f64,
            width: (self.from - self.to).abs(),
            height: (bottom - top) as f64,
        })
    }
}

/// A rectangle in canvas pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub left: f64,
    /// Top edge.
    pub top: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

/// One line's row in the hover tooltip, as text.
#[derive(Debug, Clone, PartialEq)]
pub struct TooltipRow {
    /// Legend label.
    pub label: String,
    /// Palette index.
    pub color: usize,
    /// `step 1200`.
    pub step: String,
    /// The raw value, to the row's significant digits (enough to read back what the file
    /// stored, at least 4).
    pub value: String,
    /// The raw value exactly as the file stored it (shown on hover).
    pub value_exact: String,
    /// `smoothed 2.310`, to the same significant digits as the raw value, when smoothing is
    /// on.
    pub smoothed: Option<String>,
    /// The smoothed value exactly (shown on hover).
    pub smoothed_exact: Option<String>,
}

/// Significant digits of the shortest text that reads back as `v` (`2.25` has 3, `2000`
/// has 1, `1.5e-7` has 2).
pub fn significant_digits(v: f64) -> usize {
    let text = format::value(v);
    let mantissa = text.split(['e', 'E']).next().unwrap_or_default();
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    digits
        .trim_start_matches('0')
        .trim_end_matches('0')
        .len()
        .max(1)
}

/// `v` to `digits` significant digits, trailing zeros kept so numbers of one row line up:
/// plain decimals from 0.0001 to under a million, `1.500e-7` outside.
pub fn with_digits(v: f64, digits: usize) -> String {
    if !v.is_finite() {
        return format::value(v);
    }
    let digits = digits.max(1);
    let e = if v == 0.0 {
        0
    } else {
        v.abs().log10().floor() as i32
    };
    if (-4..6).contains(&e) {
        let decimals = (digits as i32 - 1 - e).max(0) as usize;
        format!("{v:.decimals$}")
    } else {
        format!("{v:.*e}", digits - 1)
    }
}

/// The digits a tooltip row shows its raw and smoothed values with: what the raw value
/// needs to read back exactly, at least 4, at most 17.
fn row_digits(raw: f64) -> usize {
    significant_digits(raw).clamp(4, 17)
}

/// What hovering shows: a crosshair over the plot and a tooltip beside the mouse.
#[derive(Debug, Clone, PartialEq)]
pub struct Hover {
    /// The crosshair: the mouse's x, from the plot's top to its bottom.
    pub crosshair: Rect,
    /// Top-left of the tooltip: right of the mouse on the plot's left half, left of it on
    /// the right half; kept left of the plot's right edge where it fits, and above the
    /// canvas's bottom.
    pub tooltip: (f64, f64),
    /// One row per shown line that has a point near the mouse's x.
    pub rows: Vec<TooltipRow>,
}

/// Width kept for the tooltip when it sits left of the mouse.
const TOOLTIP_WIDTH: f64 = 330.0;

/// The hover at pixel `(px, py)`: each line's point nearest the data x under the mouse.
/// `None` when the mouse is outside the plot's x span (or nothing was drawn yet).
pub fn hover(
    drawn: &Drawn,
    lines: &[Line<'_>],
    axis: XAxis,
    (px, py): (f64, f64),
) -> Option<Hover> {
    let (l, t, r, b) = drawn.plot;
    if (px as i32) < l || (px as i32) > r || r <= l {
        return None;
    }
    let x = drawn.data_x(px);
    let rows = lines
        .iter()
        .filter_map(|line| {
            let s = line.series;
            let i = nearest(s, axis, x)?;
            let smoothed = line
                .smoothed
                .and_then(|(v, _)| (i < v.len()).then(|| v.get(i) as f32));
            let raw = s.value(i);
            let digits = row_digits(raw);
            Some(TooltipRow {
                label: line.label.clone(),
                color: line.color,
                step: format!("step {}", s.step(i)),
                value: with_digits(raw, digits),
                value_exact: format::value(raw),
                smoothed: smoothed.map(|v| format!("smoothed {}", with_digits(v as f64, digits))),
                smoothed_exact: smoothed.map(|v| format::value(v as f64)),
            })
        })
        .collect();
    let left = if px > (r as f64 + l as f64) / 2.0 {
        px - TOOLTIP_WIDTH
    } else {
        px + 12.0
    };
    // Inside the plot's right edge where it fits (a phone's chart is narrower than two
    // tooltips), never past the canvas's left edge.
    let left = left.min(r as f64 - TOOLTIP_WIDTH).max(0.0);
    Some(Hover {
        crosshair: Rect {
            left: px,
            top: t as f64,
            width: 0.0,
            height: (b - t) as f64,
        },
        tooltip: (left, py.min(HEIGHT as f64 - 60.0)),
        rows,
    })
}

/// The smoothed values of `s` and their min/max index; `None` when smoothing is off.
pub fn smoothed(s: &Series, weight: f64) -> Option<(Vec<f32>, MinMaxIndex)> {
    (weight > 0.0).then(|| {
        let values = smooth(&Raw(s), weight, &s.restarts);
        let index = MinMaxIndex::build(&Values::F32(&values));
        (values, index)
    })
}

/// What the note under a chart is about: what was drawn, the zoom, the axis, and which
/// shown lines have no x on that axis.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteFacts<'a> {
    /// What the last draw reports (points in view, kept by decimation, in all).
    pub drawn: &'a Drawn,
    /// The zoomed x range, if any.
    pub zoom: Option<(f64, f64)>,
    /// The x axis drawn.
    pub axis: XAxis,
    /// Number of lines shown (not hidden in the legend).
    pub shown: usize,
    /// Labels of shown lines that have no point on the x axis (no wall times).
    pub without_x: Vec<String>,
    /// The axis the user (or a link) asked for when the data cannot serve it and the chart
    /// fell back to the step.
    pub unserved: Option<AxisChoice>,
}

/// The note under the chart. It says what is in view (of how many points, after a zoom),
/// whether decimation left any out, the zoomed range and the x quantity; and, when nothing
/// can be drawn, why.
pub fn note(f: &NoteFacts<'_>) -> String {
    let d = f.drawn;
    let mut text = format!("{} points in view", format::grouped(d.in_view as u64));
    if f.shown == 0 {
        text.push_str(": every line is hidden (click one in the legend to show it)");
    } else if f.without_x.len() == f.shown {
        text.push_str(&format!(
            ": {} cannot be drawn against {}, {} no wall times (choose step)",
            if f.shown == 1 {
                "the curve"
            } else {
                "these curves"
            },
            f.axis.label(),
            if f.shown == 1 { "it has" } else { "they have" },
        ));
    } else if d.in_view == 0 && f.zoom.is_some() {
        text.push_str(&format!(
            " of {}: no point in this range (press 0 or double-click to show all)",
            format::grouped(d.total as u64)
        ));
    } else {
        if f.zoom.is_some() {
            text.push_str(&format!(" of {}", format::grouped(d.total as u64)));
        }
        if d.drawn >= d.in_view {
            text.push_str(", all drawn");
        } else {
            text.push_str(&format!(
                ", {} drawn (every pixel column keeps its first, last, lowest and highest point)",
                format::grouped(d.drawn as u64)
            ));
        }
    }
    if let Some((a, b)) = f.zoom {
        let at = |v: f64| match f.axis {
            XAxis::Wall | XAxis::Relative => super::draw::x_label(f.axis, v),
            _ => format::number((v * 100.0).round() / 100.0),
        };
        text.push_str(&format!(" · x {} – {}", at(a), at(b)));
    }
    if let Some(asked) = f.unserved {
        let name = axis_menu(true, true)
            .into_iter()
            .find(|o| o.choice == asked)
            .map_or("that axis", |o| o.label);
        text.push_str(&format!(" · no wall times for {name}, showing step"));
    }
    if !f.without_x.is_empty() && f.without_x.len() < f.shown {
        text.push_str(&format!(
            " · no wall times, not drawn: {}",
            f.without_x.join(", ")
        ));
    }
    text.push_str(&format!(" · {}", f.axis.label()));
    text
}

/// The y axis title: the tag of the lines (`lm loss`), or their tags joined when they
/// differ.
pub fn y_title<'a>(tags: impl IntoIterator<Item = &'a str>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for t in tags {
        if !seen.contains(&t) {
            seen.push(t);
        }
    }
    seen.join(", ")
}

/// The CSS background of palette colour `color` (legend and tooltip swatches).
pub fn swatch_style(color: usize) -> String {
    let (r, g, b) = super::draw::rgb(color);
    format!("background: rgb({r},{g},{b})")
}

/// The hidden labels after the legend item `label` was clicked.
pub fn toggled(hidden: &BTreeSet<String>, label: &str) -> BTreeSet<String> {
    let mut next = hidden.clone();
    if !next.remove(label) {
        next.insert(label.to_string());
    }
    next
}

/// The canvas's accessible name.
pub fn canvas_label<'a>(labels: impl IntoIterator<Item = &'a str>) -> String {
    format!(
        "Chart of {}",
        labels.into_iter().collect::<Vec<_>>().join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plot from pixel 100 to 500 (top 20, bottom 300) showing x 0..1000.
    fn drawn() -> Drawn {
        Drawn {
            x_range: (0.0, 1000.0),
            y_range: (0.0, 1.0),
            plot: (100, 20, 500, 300),
            in_view: 0,
            drawn: 0,
            total: 0,
        }
    }

    fn series(points: &[(i64, f64)]) -> Series {
        let mut s = Series::new("lm loss");
        for &(step, value) in points {
            s.push(step, 1000.0 + step as f64, value);
        }
        s
    }

    fn shown(a: Option<ViewAction>) -> (f64, f64) {
        match a {
            Some(ViewAction::Show(lo, hi)) => (lo, hi),
            other => panic!("expected a range, got {other:?}"),
        }
    }

    #[test]
    fn url_settings_round_trip_through_the_view() {
        let st = ChartState {
            key: "step-2".into(),
            tag: Some("lm loss".into()),
            smoothing: 0.9,
            axis: AxisChoice::Wall,
            x: Some((10.0, 20.0)),
            log_y: true,
        };
        let v = ChartView::from_state(&st);
        assert_eq!(v.to_state("step-2", Some("lm loss")), st);
        assert_eq!(ChartView::default().to_state("", None), ChartState::new(""));
    }

    #[test]
    fn actions_change_one_thing_each() {
        let v = ChartView::default();
        assert_eq!(v.apply(ViewAction::Show(1.0, 2.0)).zoom, Some((1.0, 2.0)));
        let zoomed = v.apply(ViewAction::Show(1.0, 2.0));
        assert_eq!(zoomed.apply(ViewAction::Reset), v);
        assert!(v.apply(ViewAction::ToggleLogY).log_y);
        assert_eq!(
            v.apply(ViewAction::ToggleLogY)
                .apply(ViewAction::ToggleLogY),
            v
        );
        assert_eq!(v.apply(ViewAction::Smoothing(0.25)).smoothing, 0.25);
        assert_eq!(v.apply(ViewAction::Smoothing(3.0)).smoothing, MAX_SMOOTHING);
        assert_eq!(v.apply(ViewAction::Smoothing(-1.0)).smoothing, 0.0);
        let wall = zoomed.apply(ViewAction::Axis(AxisChoice::Wall));
        assert_eq!(
            (wall.axis, wall.zoom),
            (AxisChoice::Wall, None),
            "a new axis drops the zoom"
        );
        assert_eq!(wall.smoothing, v.smoothing);
    }

    #[test]
    fn tokens_axis_needs_tokens_per_step() {
        let v = ChartView::default().apply(ViewAction::Axis(AxisChoice::Tokens));
        assert_eq!(v.x_axis(Some(4096.0)), XAxis::Tokens(4096.0));
        assert_eq!(v.x_axis(None), XAxis::Step);
        let rel = v.apply(ViewAction::Axis(AxisChoice::Relative));
        assert_eq!(rel.x_axis(None), XAxis::Relative);
        assert_eq!(ChartView::default().x_axis(Some(1.0)), XAxis::Step);
    }

    #[test]
    fn the_menu_offers_tokens_only_when_known() {
        let names = |m: Vec<AxisOption>| {
            m.into_iter()
                .map(|o| (o.choice.as_str(), o.label))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(axis_menu(false, true)),
            [
                ("step", "step"),
                ("relative", "relative time"),
                ("wall", "wall time")
            ]
        );
        assert_eq!(
            axis_menu(true, true).last().map(|o| (o.choice, o.label)),
            Some((AxisChoice::Tokens, "tokens seen"))
        );
        assert!(axis_menu(true, true).iter().all(|o| o.disabled.is_none()));
    }

    /// Issue 13 item 7: x = wall time on a curve without timestamps drew an empty chart
    /// that said "0 points in view". The time axes are disabled, with the reason on hover,
    /// and a link asking for them draws against the step and says so.
    #[test]
    fn without_wall_times_the_time_axes_are_disabled_and_a_link_falls_back() {
        let menu = axis_menu(true, false);
        let disabled: Vec<_> = menu
            .iter()
            .filter(|o| o.disabled.is_some())
            .map(|o| o.choice)
            .collect();
        assert_eq!(disabled, [AxisChoice::Relative, AxisChoice::Wall]);
        assert!(menu
            .iter()
            .filter_map(|o| o.disabled)
            .all(|why| why.contains("no wall times")));
        let wall = ChartView::default().apply(ViewAction::Axis(AxisChoice::Wall));
        assert_eq!(wall.x_axis_for(None, false), XAxis::Step);
        assert_eq!(wall.x_axis_for(None, true), XAxis::Wall);
        let d = Drawn {
            in_view: 3,
            drawn: 3,
            total: 3,
            ..drawn()
        };
        let text = note(&NoteFacts {
            drawn: &d,
            zoom: None,
            axis: XAxis::Step,
            shown: 1,
            without_x: vec![],
            unserved: Some(AxisChoice::Wall),
        });
        assert_eq!(
            text,
            "3 points in view, all drawn · no wall times for wall time, showing step · step"
        );
        // Two runs compared, one without times: the other is drawn, the note names it.
        let both = note(&NoteFacts {
            drawn: &d,
            zoom: None,
            axis: XAxis::Wall,
            shown: 2,
            without_x: vec!["B".into()],
            unserved: None,
        });
        assert!(both.contains(" · no wall times, not drawn: B"), "{both}");
        let none = note(&NoteFacts {
            drawn: &Drawn::default(),
            zoom: None,
            axis: XAxis::Wall,
            shown: 1,
            without_x: vec!["A".into()],
            unserved: None,
        });
        assert!(
            none.starts_with("0 points in view: the curve cannot be drawn against wall time, it has no wall times"),
            "{none}"
        );
    }

    #[test]
    fn pixels_map_to_data_clamped_to_the_plot() {
        let d = drawn();
        assert_eq!(d.data_x(100.0), 0.0);
        assert_eq!(d.data_x(300.0), 500.0);
        assert_eq!(d.data_x(500.0), 1000.0);
        assert_eq!(d.data_x(0.0), 0.0);
        assert_eq!(d.data_x(900.0), 1000.0);
        assert_eq!(
            Drawn::default().data_x(50.0),
            0.0,
            "nothing drawn yet: no division by zero"
        );
    }

    #[test]
    fn the_wheel_zooms_around_the_mouse() {
        let d = drawn();
        assert_eq!(wheel(&d, 300.0, -1.0), ViewAction::Show(100.0, 900.0));
        assert_eq!(wheel(&d, 300.0, 1.0), ViewAction::Show(-125.0, 1125.0));
        // At the left edge the left bound stays put.
        assert_eq!(wheel(&d, 100.0, -3.0), ViewAction::Show(0.0, 800.0));
    }

    #[test]
    fn keys_pan_and_zoom_a_tenth_and_minus_undoes_plus() {
        let r = (0.0, 1000.0);
        assert_eq!(shown(key("ArrowLeft", r)), (-100.0, 900.0));
        assert_eq!(shown(key("ArrowRight", r)), (100.0, 1100.0));
        assert_eq!(shown(key("+", r)), (100.0, 900.0));
        assert_eq!(key("=", r), key("+", r));
        assert_eq!(shown(key("-", (100.0, 900.0))), r);
        assert_eq!(key("0", r), Some(ViewAction::Reset));
        assert_eq!(key("l", r), Some(ViewAction::ToggleLogY));
        for other in ["a", "L", "Enter", "ArrowUp", " ", "Tab"] {
            assert_eq!(key(other, r), None, "{other} is left to the page");
        }
    }

    #[test]
    fn a_drag_selects_and_its_release_zooms() {
        let d = drawn();
        let (drag, action) = Drag::start(300.0, false).moved(&d, 200.0);
        assert_eq!(action, None);
        assert_eq!(
            drag,
            Drag {
                from: 300.0,
                to: 200.0,
                pan: false
            }
        );
        assert_eq!(
            drag.zoom_rect(&d),
            Some(Rect {
                left: 200.0,
                top: 20.0,
                width: 100.0,
                height: 280.0
            })
        );
        assert_eq!(drag.released(&d), Some(ViewAction::Show(250.0, 500.0)));
    }

    #[test]
    fn a_click_or_a_tiny_drag_does_not_zoom() {
        let d = drawn();
        assert_eq!(Drag::start(300.0, false).released(&d), None);
        let (tiny, _) = Drag::start(300.0, false).moved(&d, 304.0);
        assert_eq!(tiny.released(&d), None, "4 px is a click");
        assert!(
            tiny.zoom_rect(&d).is_some(),
            "but the rectangle shows past 1 px"
        );
        let (one, _) = Drag::start(300.0, false).moved(&d, 301.0);
        assert_eq!(one.zoom_rect(&d), None);
    }

    #[test]
    fn a_shift_drag_pans_with_the_mouse() {
        let d = drawn();
        let (drag, action) = Drag::start(300.0, true).moved(&d, 340.0);
        // 40 px is 100 data units: the range moves left by that, keeping the data under
        // the mouse.
        assert_eq!(action, Some(ViewAction::Show(-100.0, 900.0)));
        assert_eq!(
            drag,
            Drag {
                from: 340.0,
                to: 340.0,
                pan: true
            }
        );
        assert_eq!(drag.zoom_rect(&d), None);
        let (far, _) = Drag::start(300.0, true).moved(&d, 400.0);
        assert_eq!(far.released(&d), None, "releasing a pan does not zoom");
    }

    #[test]
    fn hover_rows_name_the_nearest_point_of_each_line() {
        let a = series(&[(0, 2.5), (400, 2.0), (800, 1.5)]);
        let b = series(&[(0, 3.0), (600, 2.75)]);
        let (ia, ib) = (MinMaxIndex::build(&Raw(&a)), MinMaxIndex::build(&Raw(&b)));
        let (sm, sm_idx) = smoothed(&b, 0.5).expect("smoothing on");
        let lines = [
            Line {
                series: &a,
                raw_index: &ia,
                smoothed: None,
                label: "A".into(),
                color: 0,
            },
            Line {
                series: &b,
                raw_index: &ib,
                smoothed: Some((Values::F32(&sm), &sm_idx)),
                label: "B".into(),
                color: 9,
            },
        ];
        let d = drawn();
        // Pixel 260 is x 400.
        let h = hover(&d, &lines, XAxis::Step, (260.0, 50.0)).expect("inside the plot");
        assert_eq!(h.rows.len(), 2);
        assert_eq!(
            h.rows[0],
            TooltipRow {
                label: "A".into(),
                color: 0,
                step: "step 400".into(),
                value: "2.000".into(),
                value_exact: "2".into(),
                smoothed: None,
                smoothed_exact: None,
            }
        );
        assert_eq!(
            (h.rows[1].step.as_str(), h.rows[1].value.as_str()),
            ("step 600", "2.750")
        );
        // Raw and smoothed to the same significant digits; exact values on hover.
        let want = format!("smoothed {}", with_digits(sm[1] as f64, 4));
        assert_eq!(h.rows[1].smoothed.as_deref(), Some(want.as_str()));
        assert_eq!(
            h.rows[1].smoothed_exact.as_deref(),
            Some(format::value(sm[1] as f64).as_str())
        );
        assert_eq!(
            h.crosshair,
            Rect {
                left: 260.0,
                top: 20.0,
                width: 0.0,
                height: 280.0
            }
        );
        assert_eq!(
            h.tooltip,
            (170.0, 50.0),
            "left half of a 400-pixel plot: right of the mouse would pass the plot's right \
             edge, so against it"
        );
    }

    #[test]
    fn hover_places_the_tooltip_inside_the_canvas() {
        let d = drawn();
        let h = hover(&d, &[], XAxis::Step, (450.0, 310.0)).expect("inside");
        assert_eq!(
            h.tooltip,
            (120.0, HEIGHT as f64 - 60.0),
            "right half: left of the mouse, above the bottom"
        );
        let near_left = Drawn {
            plot: (0, 20, 400, 300),
            ..d
        };
        assert_eq!(
            hover(&near_left, &[], XAxis::Step, (210.0, 0.0)).map(|h| h.tooltip.0),
            Some(0.0)
        );
        // A phone's chart: on either half the tooltip stays inside the plot's right edge
        // (and the canvas's left one).
        let phone = Drawn {
            plot: (40, 20, 340, 300),
            ..d
        };
        for (px, want) in [(60.0, 10.0), (149.0, 10.0), (200.0, 0.0), (330.0, 0.0)] {
            let left = hover(&phone, &[], XAxis::Step, (px, 0.0)).map(|h| h.tooltip.0);
            assert_eq!(left, Some(want), "mouse at {px}");
        }
        // Room on the right of a wide chart's left half: beside the mouse, as before.
        let wide = Drawn {
            plot: (40, 20, 1200, 300),
            ..d
        };
        assert_eq!(
            hover(&wide, &[], XAxis::Step, (500.0, 0.0)).map(|h| h.tooltip.0),
            Some(512.0)
        );
    }

    #[test]
    fn no_hover_outside_the_plot_or_before_drawing() {
        let d = drawn();
        assert_eq!(hover(&d, &[], XAxis::Step, (99.0, 50.0)), None);
        assert_eq!(hover(&d, &[], XAxis::Step, (501.0, 50.0)), None);
        assert_eq!(hover(&Drawn::default(), &[], XAxis::Step, (0.0, 0.0)), None);
    }

    #[test]
    fn hover_on_the_step_axis_needs_no_wall_time() {
        let mut no_wall = Series::new("x");
        no_wall.push(1, f64::NAN, 1.0);
        let idx = MinMaxIndex::build(&Raw(&no_wall));
        let lines = [Line {
            series: &no_wall,
            raw_index: &idx,
            smoothed: None,
            label: "x".into(),
            color: 0,
        }];
        let on_step = hover(&drawn(), &lines, XAxis::Step, (200.0, 0.0)).map(|h| h.rows.len());
        assert_eq!(on_step, Some(1));
    }

    #[test]
    fn smoothing_off_computes_nothing() {
        let s = series(&[(0, 1.0), (1, 2.0)]);
        assert!(smoothed(&s, 0.0).is_none());
        let (values, _) = smoothed(&s, 0.6).expect("on");
        assert_eq!(values.len(), 2);
        assert_eq!(
            values[0], 1.0,
            "debiased: the first value is the first point"
        );
    }

    fn facts(d: &Drawn, zoom: Option<(f64, f64)>, axis: XAxis) -> NoteFacts<'_> {
        NoteFacts {
            drawn: d,
            zoom,
            axis,
            shown: 1,
            without_x: vec![],
            unserved: None,
        }
    }

    #[test]
    fn the_note_counts_points_and_names_the_range_and_axis() {
        let d = Drawn {
            in_view: 12345,
            drawn: 678,
            total: 12345,
            ..drawn()
        };
        assert_eq!(
            note(&facts(&d, None, XAxis::Step)),
            "12,345 points in view, 678 drawn (every pixel column keeps its first, last, lowest and highest point) · step"
        );
        let one = Drawn {
            in_view: 1,
            drawn: 1,
            total: 5,
            ..drawn()
        };
        let zoomed = note(&facts(&one, Some((1.234, 99.999)), XAxis::Relative));
        assert!(
            zoomed.ends_with(" · x 1 s – 1 m 40 s · relative time"),
            "{zoomed}"
        );
    }

    /// Issue 13 item 8: after a zoom the note read "666 points in view, 668 drawn" (the
    /// points just outside the view that carry the line to its edges were counted). It
    /// says how many of all points are in view and that all of them are drawn.
    #[test]
    fn after_a_zoom_the_note_says_what_is_in_view() {
        let d = Drawn {
            in_view: 666,
            drawn: 666,
            total: 10_000,
            ..drawn()
        };
        assert_eq!(
            note(&facts(&d, Some((100.0, 765.5)), XAxis::Step)),
            "666 points in view of 10,000, all drawn · x 100 – 765.5 · step"
        );
        let empty = Drawn {
            total: 10_000,
            ..drawn()
        };
        assert_eq!(
            note(&facts(&empty, Some((20_000.0, 30_000.0)), XAxis::Step)),
            "0 points in view of 10,000: no point in this range (press 0 or double-click to show all) · x 20000 – 30000 · step"
        );
        let hidden = NoteFacts {
            shown: 0,
            ..facts(&empty, None, XAxis::Step)
        };
        assert!(note(&hidden).starts_with("0 points in view: every line is hidden"));
    }

    #[test]
    fn tooltip_numbers_share_their_significant_digits() {
        assert_eq!(significant_digits(2.25), 3);
        assert_eq!(significant_digits(2000.0), 1);
        assert_eq!(significant_digits(1.5e-7), 2);
        assert_eq!(
            significant_digits(3.7600200176239014),
            6,
            "an f32 reads as one"
        );
        assert_eq!(with_digits(2.0, 4), "2.000");
        assert_eq!(with_digits(2.3104, 4), "2.310");
        assert_eq!(with_digits(1234.5678, 4), "1235");
        assert_eq!(with_digits(0.000123456, 3), "0.000123");
        assert_eq!(with_digits(1.5e-7, 4), "1.500e-7");
        assert_eq!(with_digits(f64::NAN, 4), "NaN");
        // The raw value at its row's digits reads back as what the file stored.
        for v in [3.7600200176239014f64, 1.0000000116860974e-7, 0.1, 12345.678] {
            let digits = row_digits(v);
            let back: f64 = with_digits(v, digits).parse().expect("a number");
            assert_eq!(back as f32, v as f32, "{v}");
        }
    }

    #[test]
    fn legend_toggles_and_labels() {
        let none = BTreeSet::new();
        let off = toggled(&none, "A");
        assert!(off.contains("A"));
        assert_eq!(toggled(&off, "A"), none);
        assert_eq!(swatch_style(0), "background: rgb(0,114,178)");
        assert_eq!(
            swatch_style(crate::chart::draw::PALETTE.len() + 1),
            swatch_style(1),
            "the palette wraps"
        );
        assert_eq!(canvas_label(["A", "B"]), "Chart of A, B");
    }
}
