//! Benchmarks the browser runs (called from `scripts/bench.sh` through Playwright):
//! decimate + draw per frame, measured inside wasm in Chromium. Reading is measured in the
//! curve worker's module (`src/worker.rs`), which holds the readers.

use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::chart::draw::{draw, ChartSpec, Line};
use crate::chart::series_math::{MinMaxIndex, Raw, XAxis};

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Builds a series of `n` points, indexes it, and times decimate + draw on a canvas;
/// JSON with bytes per point and ms per frame (full view and zoomed).
#[wasm_bindgen]
pub fn bench_chart(n: u32) -> String {
    let s = crate::ingest::series::synthetic_loss(n as usize);
    let t = now();
    let idx = MinMaxIndex::build(&Raw(&s));
    let index_ms = now() - t;
    let canvas: Option<web_sys::HtmlCanvasElement> = gloo::utils::document()
        .create_element("canvas")
        .ok()
        .and_then(|c| c.dyn_into().ok());
    let mut frames = Vec::new();
    if let Some(c) = canvas {
        c.set_width(1200);
        c.set_height(320);
        for range in [None, Some((n as f64 * 0.5, n as f64 * 0.51))] {
            let mut best = f64::INFINITY;
            for _ in 0..5 {
                if let Some(backend) = CanvasBackend::with_canvas_object(c.clone()) {
                    let root = backend.into_drawing_area();
                    let spec = ChartSpec {
                        x: XAxis::Step,
                        x_range: range,
                        log_y: false,
                        dark: false,
                        y_title: "lm loss".into(),
                    };
                    let t = now();
                    let _ = draw(
                        &root,
                        &spec,
                        &[Line {
                            series: &s,
                            raw_index: &idx,
                            smoothed: None,
                            label: "lm loss".into(),
                            color: 0,
                        }],
                    );
                    best = best.min(now() - t);
                }
            }
            frames.push(best);
        }
    }
    format!(
        "{{\"points\":{n},\"bytes_per_point\":{:.2},\"index_ms\":{index_ms:.1},\"frame_full_ms\":{:.2},\"frame_zoom_ms\":{:.2},\"wasm_memory_bytes\":{}}}",
        s.heap_bytes() as f64 / n.max(1) as f64,
        frames.first().copied().unwrap_or(f64::NAN),
        frames.get(1).copied().unwrap_or(f64::NAN),
        crate::shell::fatal::wasm_memory_bytes()
    )
}

/// Lays out the lineage of 10 generated chained runs of 50 nodes (500 nodes), 5 times;
/// JSON with the node count and the best time in ms (goal: <= 50 ms).
#[wasm_bindgen]
pub fn bench_lineage() -> String {
    use crate::lineage::{build, layout::layout, scene::scene, synth};
    let texts = synth::chained_archives(10);
    let parsed: Vec<_> = texts.iter().map(|t| crate::archive::parse(t)).collect();
    let archives: Vec<&crate::archive::Archive> = parsed.iter().map(|p| &p.archive).collect();
    let g = build(&archives);
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let t = now();
        let l = layout(&g);
        let s = scene(&g, &l, &Default::default());
        best = best.min(now() - t);
        std::hint::black_box(&s);
    }
    format!("{{\"nodes\":{},\"ms\":{best:.2}}}", g.nodes.len())
}
