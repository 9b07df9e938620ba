//! Component tests in headless Chromium (`cargo test --target wasm32-unknown-unknown`):
//! render a run and find what a reader looks for; the pure core on 32-bit wasm.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should stop the test
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use runlens::components::run_view::{RunView, RunViewProps};
use runlens::components::value_tree::{TreeOf, ValueTree, ValueTreeProps};
use runlens::runs::{Run, Source};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

const GOOD: &str = include_str!("../static/samples/20251103-0853-a1f3/archive.md");
const FAILED: &str = include_str!("../static/samples/20251112-2201-c9d4/archive.md");

fn root() -> Element {
    let doc = gloo::utils::document();
    let el = doc.create_element("div").expect("div");
    doc.body().expect("body").append_child(&el).expect("append");
    el
}

fn run(text: &str) -> Rc<Run> {
    Rc::new(Run::from_bytes(text.as_bytes(), Source::Pasted, vec![]).expect("archive"))
}

async fn mount_run(text: &str) -> Element {
    let el = root();
    yew::Renderer::<RunView>::with_root_and_props(
        el.clone(),
        RunViewProps {
            run: run(text),
            previous: None,
        },
    )
    .render();
    yew::scheduler::flush().await;
    // The first frame holds the header, the summary and the first step cards; the rest
    // (the sections below Steps, further step cards) is drawn after it is painted. Wait for
    // the whole view, a frame at a time (at most ~3 s).
    for _ in 0..200 {
        let whole = el.query_selector("#sec-raw").ok().flatten().is_some()
            && !text_of(&el, "#sec-steps").contains("Drawing steps");
        if whole {
            break;
        }
        gloo::timers::future::TimeoutFuture::new(16).await;
        yew::scheduler::flush().await;
    }
    el
}

fn text_of(el: &Element, selector: &str) -> String {
    el.query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn run_view_shows_header_steps_and_every_section() {
    let el = mount_run(GOOD).await;
    let title = text_of(&el, "#run-title");
    assert!(title.contains("qwen25-7b-med-cpt-sft"), "{title}");
    assert!(title.contains("20251103-0853-a1f3"), "{title}");
    assert_eq!(text_of(&el, ".run-header .status-badge"), "success");
    for id in [
        "sec-summary",
        "sec-steps",
        "sec-config_snapshot",
        "sec-dependencies",
        "sec-paths",
        "sec-data_snapshot",
        "sec-data_copy",
        "sec-repro",
        "sec-artifacts",
        "sec-resources",
        "sec-changes",
        "sec-checklist",
        "sec-diagnostics",
        "sec-files",
        "sec-raw",
    ] {
        assert!(
            el.query_selector(&format!("#{id}"))
                .ok()
                .flatten()
                .is_some(),
            "missing #{id}"
        );
    }
    let steps = el.query_selector_all(".step-card").expect("cards").length();
    assert_eq!(steps, 7);
    let all = el.text_content().unwrap_or_default();
    assert!(all.contains("core_r0.8.0 (3f9a0c2)"), "dependency version");
    assert!(all.contains("9f2c41e"), "short commit");
    assert!(all.contains("24.8 GB"), "merged_cpt bytes in human form");
    assert!(all.contains("4.18 M"), "merged_cpt lines in human form");
    assert!(text_of(&el, "#step-7").contains("0.8104"), "eval score");
    assert!(text_of(&el, "#step-2").contains("1.62008"), "final loss");
}

#[wasm_bindgen_test]
async fn failed_run_shows_its_error_and_stack_trace() {
    let el = mount_run(FAILED).await;
    assert_eq!(text_of(&el, ".run-header .status-badge"), "failed");
    let card = text_of(&el, "#step-2");
    assert!(
        card.contains("torch.OutOfMemoryError: CUDA out of memory."),
        "{card}"
    );
    assert!(text_of(&el, "#step-2 .stack pre").contains("Traceback (most recent call last):"));
    assert!(text_of(&el, "#step-2").contains("retries 2"));
    // Skipped steps are marked, not hidden.
    assert_eq!(
        el.query_selector_all(".step-card.status-skipped")
            .expect("q")
            .length(),
        5
    );
    // The checklist says what is missing.
    assert!(text_of(&el, "#sec-checklist").contains("artifacts.checkpoints[tag=best]"));
}

#[wasm_bindgen_test]
async fn hostile_values_render_as_text_and_never_as_markup() {
    let text = GOOD.replace(
        "- user: liwei\n",
        "- user: <img src=x onerror=alert(1)>\n- link: javascript:alert(1)\n- site: https://example.org/run\n",
    );
    let el = mount_run(&text).await;
    assert!(
        el.query_selector("img").ok().flatten().is_none(),
        "payload became an element"
    );
    assert!(el
        .text_content()
        .unwrap_or_default()
        .contains("<img src=x onerror=alert(1)>"));
    assert!(el
        .query_selector("a[href^='javascript']")
        .ok()
        .flatten()
        .is_none());
    assert!(el
        .query_selector("a[href='https://example.org/run']")
        .ok()
        .flatten()
        .is_some());
}

#[wasm_bindgen_test]
async fn params_filter_narrows_the_rows() {
    let el = root();
    yew::Renderer::<ValueTree>::with_root_and_props(
        el.clone(),
        ValueTreeProps {
            run: run(GOOD),
            of: TreeOf::Step(1, "params"),
            filterable: true,
            label: "Filter params".into(),
        },
    )
    .render();
    yew::scheduler::flush().await;
    let rows = |el: &Element| el.query_selector_all("tr").expect("rows").length();
    assert_eq!(rows(&el), 53);
    let input: HtmlInputElement = el
        .query_selector("input")
        .ok()
        .flatten()
        .expect("filter")
        .unchecked_into();
    input.set_value("adam_");
    let ev = web_sys::InputEvent::new("input").expect("event");
    input.dispatch_event(&ev).expect("dispatch");
    yew::scheduler::flush().await;
    assert_eq!(rows(&el), 2);
}

#[wasm_bindgen_test]
fn the_core_reads_a_100k_line_archive_on_32_bit_wasm() {
    let text = runlens::archive::synth::big_archive(160, 600);
    let p = runlens::archive::parse(&text);
    assert_eq!(p.archive.steps.steps.len(), 160);
    let lines = runlens::archive::parse::split_lines(&text);
    let covered = runlens::archive::coverage::accounted_lines(&p.archive, lines.len());
    assert!(lines
        .iter()
        .zip(&covered)
        .all(|(l, c)| l.trim().is_empty() || *c));
    let snap = runlens::archive::model::snapshot_file("/x (lines=4182733, bytes=24811590144)");
    assert_eq!(
        snap.bytes,
        Some(24_811_590_144),
        "u64 sizes survive 32-bit usize"
    );
}
