//! The loss chart's wiring in headless Chromium (`cargo test --target wasm32-unknown-unknown
//! --test chart_component`): keys, clicks, drags and the axis menu reach the view state, and
//! the DOM the end-to-end tests read (classes, aria labels, the note) shows the result.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should stop the test
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use runlens::components::loss_chart::{ChartLine, LossChart, LossChartProps};
use runlens::ingest::{Curves, Series};
use runlens::state::LoadedCurves;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::AttrValue;

wasm_bindgen_test_configure!(run_in_browser);

/// 1,000 points, step 0..999 at 10 s each.
fn curves() -> Rc<LoadedCurves> {
    let mut s = Series::new("lm loss");
    for i in 0..1000 {
        s.push(i, 1.7e9 + 10.0 * i as f64, 3.0 / (1.0 + i as f64 * 0.01));
    }
    let curves = Curves {
        series: vec![s],
        problems: vec![],
    };
    Rc::new(LoadedCurves::new("loss.csv".into(), curves))
}

async fn mount(tokens_per_step: Option<f64>) -> Element {
    let doc = gloo::utils::document();
    let el = doc.create_element("div").expect("div");
    doc.body().expect("body").append_child(&el).expect("append");
    let lines = vec![ChartLine {
        curves: curves(),
        series: 0,
        label: "lm loss".into(),
        color: 0,
    }];
    yew::Renderer::<LossChart>::with_root_and_props(
        el.clone(),
        LossChartProps {
            lines,
            tokens_per_step,
            name: AttrValue::from("chart"),
            url_key: None,
            tag: None,
        },
    )
    .render();
    settle().await;
    el
}

/// Renders, runs effects (the draw), and renders what they set.
async fn settle() {
    for _ in 0..3 {
        yew::scheduler::flush().await;
    }
}

fn find(el: &Element, selector: &str) -> Element {
    el.query_selector(selector)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no {selector}"))
}

fn note(el: &Element) -> String {
    find(el, ".chart-note").text_content().unwrap_or_default()
}

fn reset_enabled(el: &Element) -> bool {
    let buttons = el
        .query_selector_all(".chart-controls button")
        .expect("buttons");
    (0..buttons.length())
        .filter_map(|i| buttons.item(i)?.dyn_into::<Element>().ok())
        .find(|b| b.text_content().unwrap_or_default() == "Reset zoom")
        .is_some_and(|b| !b.has_attribute("disabled"))
}

/// Dispatches the event built by `init` (a JS expression over `kind`, `r`, `x`, `y`, `key`);
/// false when a handler prevented its default.
fn fire(target: &Element, kind: &str, init: &str, x: f64, key: &str) -> bool {
    let f = js_sys::Function::new_with_args(
        "el, kind, x, y, key",
        &format!("const r = el.getBoundingClientRect(); return el.dispatchEvent({init});"),
    );
    let args = js_sys::Array::of5(
        target,
        &JsValue::from_str(kind),
        &JsValue::from_f64(x),
        &JsValue::from_f64(100.0),
        &JsValue::from_str(key),
    );
    f.apply(&JsValue::NULL, &args)
        .expect("dispatch")
        .as_bool()
        .unwrap_or(true)
}

fn key(el: &Element, k: &str) {
    let init = "new KeyboardEvent(kind, { key, bubbles: true, cancelable: true })";
    fire(&find(el, ".canvas-wrap"), "keydown", init, 0.0, k);
}

/// Turns the wheel over the canvas at `x`: up (zoom in) when `up`.
fn wheel(el: &Element, x: f64, up: bool) -> bool {
    let dy = if up { "-100" } else { "100" };
    let init = format!("new WheelEvent(kind, {{ clientX: r.left + x, clientY: r.top + y, deltaY: {dy}, bubbles: true, cancelable: true }})");
    fire(&find(el, ".canvas-wrap canvas"), "wheel", &init, x, "")
}

fn mouse(el: &Element, kind: &str, x: f64) {
    let init = "new MouseEvent(kind, { clientX: r.left + x, clientY: r.top + y, bubbles: true, button: 0 })";
    fire(&find(el, ".canvas-wrap canvas"), kind, init, x, "");
}

fn points_in_view(el: &Element) -> u64 {
    let n = note(el);
    let count = n.split(" points in view").next().unwrap_or_default();
    count
        .replace(',', "")
        .parse()
        .unwrap_or_else(|_| panic!("no count in {n}"))
}

#[wasm_bindgen_test]
async fn first_render_shows_the_defaults_and_every_point() {
    let el = mount(None).await;
    let smoothing: HtmlInputElement = find(&el, "input[aria-label=\"Smoothing\"]").unchecked_into();
    assert_eq!(smoothing.value(), "0.6");
    let axis: HtmlSelectElement = find(&el, "select[aria-label=\"X axis\"]").unchecked_into();
    assert_eq!(axis.value(), "step");
    assert_eq!(
        axis.length(),
        3,
        "no tokens-seen option without tokens per step"
    );
    assert_eq!(
        find(&el, ".legend-item")
            .get_attribute("aria-pressed")
            .as_deref(),
        Some("true")
    );
    assert_eq!(
        find(&el, "canvas").get_attribute("aria-label").as_deref(),
        Some("Chart of lm loss")
    );
    let n = note(&el);
    assert!(n.starts_with("1,000 points in view, "), "{n}");
    assert!(n.ends_with(" · step"), "{n}");
    assert!(!reset_enabled(&el));
    let with_tokens = mount(Some(4096.0)).await;
    let axis: HtmlSelectElement =
        find(&with_tokens, "select[aria-label=\"X axis\"]").unchecked_into();
    assert_eq!(axis.length(), 4);
}

#[wasm_bindgen_test]
async fn keys_zoom_toggle_log_and_reset() {
    let el = mount(None).await;
    key(&el, "+");
    settle().await;
    assert!(reset_enabled(&el), "+ zooms");
    assert!(note(&el).contains(" · x "), "{}", note(&el));
    key(&el, "l");
    settle().await;
    let log: HtmlInputElement = find(&el, ".chart-controls input[type=checkbox]").unchecked_into();
    assert!(log.checked(), "l switches to log y");
    key(&el, "0");
    settle().await;
    assert!(!reset_enabled(&el), "0 resets");
    assert!(!note(&el).contains(" · x "));
}

#[wasm_bindgen_test]
async fn drag_zooms_and_hover_shows_the_tooltip() {
    let el = mount(None).await;
    mouse(&el, "mousemove", 300.0);
    settle().await;
    let row = find(&el, ".canvas-wrap .tooltip[role=\"status\"] .tt-row");
    assert_eq!(
        find(&row, ".tt-label").text_content().as_deref(),
        Some("lm loss")
    );
    assert!(el
        .query_selector(".canvas-wrap .crosshair")
        .ok()
        .flatten()
        .is_some());
    mouse(&el, "mousedown", 200.0);
    mouse(&el, "mousemove", 400.0);
    settle().await;
    assert!(
        el.query_selector(".zoom-rect").ok().flatten().is_some(),
        "selection shown"
    );
    mouse(&el, "mouseup", 400.0);
    settle().await;
    assert!(reset_enabled(&el), "the drag zoomed");
    assert!(el.query_selector(".zoom-rect").ok().flatten().is_none());
    mouse(&el, "mouseleave", 400.0);
    settle().await;
    assert!(el.query_selector(".tooltip").ok().flatten().is_none());
}

#[wasm_bindgen_test]
async fn legend_hides_a_line_and_the_axis_menu_switches() {
    let el = mount(None).await;
    find(&el, ".legend-item")
        .unchecked_into::<HtmlElement>()
        .click();
    settle().await;
    let item = find(&el, ".legend-item");
    assert_eq!(item.get_attribute("aria-pressed").as_deref(), Some("false"));
    assert!(item.class_list().contains("off"));
    assert!(note(&el).starts_with("0 points in view"), "{}", note(&el));
    let axis: HtmlSelectElement = find(&el, "select[aria-label=\"X axis\"]").unchecked_into();
    axis.set_value("wall");
    let init = "new Event(kind, { bubbles: true })";
    let _ = fire(&axis, "change", init, 0.0, "");
    settle().await;
    assert!(note(&el).ends_with(" · wall time"), "{}", note(&el));
}

#[wasm_bindgen_test]
async fn the_wheel_zooms_in_and_out_without_scrolling_the_page() {
    let el = mount(None).await;
    assert_eq!(points_in_view(&el), 1000);
    assert!(!wheel(&el, 300.0, true), "the page must not scroll");
    settle().await;
    assert!(reset_enabled(&el));
    let zoomed = points_in_view(&el);
    assert!(zoomed < 1000, "wheel up zooms in: {zoomed} points in view");
    assert!(!wheel(&el, 300.0, false));
    settle().await;
    assert!(points_in_view(&el) > zoomed, "wheel down zooms out");
}
