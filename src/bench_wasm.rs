//! Benchmarks the browser runs (called from `scripts/bench.sh` through Playwright): event
//! file read throughput and decimate + draw per frame, measured inside wasm in Chromium.

use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::chart::draw::{draw, ChartSpec, Line};
use crate::chart::series_math::{MinMaxIndex, Raw, XAxis};
use crate::ingest::{self, tfevents};

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Reads an in-memory event file of `n` scalars (4 tags); JSON with MB, ms, MB/s.
#[wasm_bindgen]
pub fn bench_read_events(n: u32) -> String {
    let tags = ["lm loss", "learning-rate", "grad-norm", "throughput"];
    let mut bytes = Vec::with_capacity(n as usize * 52);
    for i in 0..n as i64 {
        let tag = tags[(i % 4) as usize];
        let v = 3.0 / (1.0 + i as f32 * 1e-4);
        tfevents::write_record(
            &mut bytes,
            &tfevents::scalar_event(tag, i / 4 + 1, 1.7e9 + i as f64, v),
        );
    }
    let mut best = f64::INFINITY;
    let mut points = 0;
    for _ in 0..3 {
        let t = now();
        let c = ingest::parse("events.out.tfevents.bench", &bytes).unwrap_or_default();
        best = best.min(now() - t);
        points = c.points();
    }
    let mb = bytes.len() as f64 / 1e6;
    format!(
        "{{\"mb\":{mb:.2},\"ms\":{best:.1},\"mb_per_s\":{:.1},\"scalars\":{points},\"scalars_per_s\":{:.0}}}",
        mb / (best / 1e3),
        points as f64 / (best / 1e3)
    )
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

/// Times the runs query engine inside wasm on the manifest at `url` (`runlens index`
/// output, fetched here: a 100 MB text is not passed through the test driver): reading the
/// manifest, building the field table, then each of `queries` (a JSON list of query texts;
/// median of 5). JSON: runs, read_ms, table_ms, and per query its text, count and ms (goal:
/// <= 100 ms each), or its error.
#[wasm_bindgen]
pub async fn bench_query(url: String, queries: String) -> String {
    use crate::query::{FieldTable, Query};
    use serde_json::json;
    let bytes = match crate::loader::fetch_bytes(&url).await {
        Ok(b) => b,
        Err(e) => return json!({ "error": e.to_string() }).to_string(),
    };
    let t = now();
    let m = match crate::loading::manifest::read(&url, &bytes) {
        Ok(m) => m,
        Err(e) => return json!({ "error": e.to_string() }).to_string(),
    };
    drop(bytes);
    let read_ms = now() - t;
    let t = now();
    let mut table = FieldTable::new();
    for r in &m.runs {
        table.push(&r.query_fields());
    }
    let table_ms = now() - t;
    let texts: Vec<String> = serde_json::from_str(&queries).unwrap_or_default();
    let results: Vec<serde_json::Value> = texts
        .iter()
        .map(|q| {
            let mut times = Vec::new();
            let mut count = 0;
            for _ in 0..5 {
                let t = now();
                match Query::new(q, &table) {
                    Ok(query) => count = query.select(&table).len(),
                    Err(e) => return json!({ "query": q, "error": e.to_string() }),
                }
                times.push(now() - t);
            }
            times.sort_by(f64::total_cmp);
            json!({ "query": q, "count": count, "ms": times.get(2).copied().unwrap_or(f64::NAN) })
        })
        .collect();
    json!({
        "runs": m.runs.len(),
        "read_ms": read_ms,
        "table_ms": table_ms,
        "queries": results,
    })
    .to_string()
}
