//! The controls above a loss chart: smoothing, log y, the x axis, reset zoom, PNG and CSV
//! export. A leaf: it shows a [`ChartView`] and reports what the user changed.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::chart::view::{axis_menu, ChartView, ViewAction, MAX_SMOOTHING};
use crate::share::url::AxisChoice;

/// Props of [`ChartToolbar`].
#[derive(Properties, PartialEq)]
pub struct ChartToolbarProps {
    /// The chart's settings.
    pub view: ChartView,
    /// Whether the run says how many tokens a step takes (offers the tokens-seen axis).
    pub tokens_available: bool,
    /// Whether any curve of the chart has wall times (else the time axes are disabled).
    #[prop_or(true)]
    pub has_wall: bool,
    /// The axis actually drawn (a choice the data cannot serve falls back to the step).
    pub drawn_axis: AxisChoice,
    /// A setting changed.
    pub on_view: Callback<ViewAction>,
    /// "PNG" was clicked.
    pub on_png: Callback<()>,
    /// "CSV" was clicked.
    pub on_csv: Callback<()>,
}

/// The chart's controls.
#[component]
pub fn ChartToolbar(props: &ChartToolbarProps) -> Html {
    let view = props.view;
    let on_weight = {
        let on_view = props.on_view.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(w) = input.value().parse::<f64>() {
                on_view.emit(ViewAction::Smoothing(w));
            }
        })
    };
    let on_log = props.on_view.reform(|_: Event| ViewAction::ToggleLogY);
    let on_axis = props.on_view.reform(|e: Event| {
        let sel: HtmlSelectElement = e.target_unchecked_into();
        ViewAction::Axis(AxisChoice::from_name(&sel.value()).unwrap_or_default())
    });
    let on_reset = props.on_view.reform(|_: MouseEvent| ViewAction::Reset);
    let on_png = props.on_png.reform(|_: MouseEvent| ());
    let on_csv = props.on_csv.reform(|_: MouseEvent| ());
    let options = axis_menu(props.tokens_available, props.has_wall)
        .into_iter()
        .map(|o| {
            html! {
                <option value={o.choice.as_str()} selected={props.drawn_axis == o.choice}
                    disabled={o.disabled.is_some()} title={o.disabled}>{ o.label }</option>
            }
        });
    let axis_title = (!props.has_wall).then_some(crate::chart::view::NO_WALL_TIME);
    html! {
        <div class="chart-controls">
            <label>{ "smoothing " }
                <input type="range" min="0" max={MAX_SMOOTHING.to_string()} step="0.001" value={view.smoothing.to_string()} oninput={on_weight} aria-label="Smoothing" />
                <span class="num">{ format!("{:.3}", view.smoothing) }</span>
            </label>
            <label><input type="checkbox" checked={view.log_y} onchange={on_log} />{ " log y" }</label>
            <label title={axis_title}>{ "x " }
                <select onchange={on_axis} aria-label="X axis">{ for options }</select>
            </label>
            <button type="button" onclick={on_reset} disabled={view.zoom.is_none()}>{ "Reset zoom" }</button>
            <button type="button" onclick={on_png}>{ "PNG" }</button>
            <button type="button" onclick={on_csv}>{ "CSV" }</button>
        </div>
    }
}
