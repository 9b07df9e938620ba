//! Benchmarks the browser runs (called from `scripts/bench.sh` through Playwright):
//! decimate + draw per frame, measured inside wasm in Chromium. Reading is measured in the
//! curve worker's module (`src/worker.rs`), which holds the readers.

use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::chart::draw::{draw_fast, draw_memo, ChartSpec, Extras, Line};
use crate::chart::series_math::{M4Memo, MinMaxIndex, Raw, XAxis};
use crate::components::chart_canvas::CanvasStroker;

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
    // The points and their index, before a frame adds its canvas's pixel buffers.
    let loaded_memory = crate::shell::fatal::wasm_memory_bytes();
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
                let spec = crate::workspace::synth::loss_spec(range);
                let line = Line {
                    series: &s,
                    raw_index: &idx,
                    smoothed: None,
                    label: "lm loss".into(),
                    color: 0,
                };
                best = best.min(frame_ms(&c, &spec, &[line]));
            }
            frames.push(best);
        }
    }
    format!(
        "{{\"points\":{n},\"bytes_per_point\":{:.2},\"index_ms\":{index_ms:.1},\"frame_full_ms\":{:.2},\"frame_zoom_ms\":{:.2},\"loaded_memory_bytes\":{loaded_memory},\"wasm_memory_bytes\":{}}}",
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

/// Draws `lines` on `canvas` over `range` (M4 decimation of every line included); ms.
fn workspace_frame(
    canvas: &web_sys::HtmlCanvasElement,
    lines: &[Line<'_>],
    range: (f64, f64),
    memo: &mut M4Memo,
) -> f64 {
    let spec = crate::workspace::synth::frame_spec(range);
    frame_memo_ms(canvas, &spec, lines, Some(memo))
}

/// One frame as the page paints it (decimation, axes, lines through [`CanvasStroker`]),
/// until the pixels are on the canvas: reading one pixel back makes the browser finish
/// drawing, which it may otherwise defer past the call; ms.
fn frame_ms(canvas: &web_sys::HtmlCanvasElement, spec: &ChartSpec, lines: &[Line<'_>]) -> f64 {
    frame_memo_ms(canvas, spec, lines, None)
}

/// [`frame_ms`], decimating through `memo` as a workspace panel does.
fn frame_memo_ms(
    canvas: &web_sys::HtmlCanvasElement,
    spec: &ChartSpec,
    lines: &[Line<'_>],
    memo: Option<&mut M4Memo>,
) -> f64 {
    let (Some(mut stroker), Some(backend)) = (
        CanvasStroker::of(canvas),
        CanvasBackend::with_canvas_object(canvas.clone()),
    ) else {
        return f64::NAN;
    };
    let root = backend.into_drawing_area();
    let t = now();
    let _ = draw_memo(
        &root,
        spec,
        lines,
        &Extras::default(),
        Some(&mut stroker),
        memo,
    );
    let _ = stroker.ctx.get_image_data(0.0, 0.0, 1.0, 1.0);
    now() - t
}

/// A frame's two halves over `range`, in ms: the lines gathered (decimation, axes, pixel
/// positions; [`crate::chart::raster::Gather`]) and painted into pixels with no canvas.
fn frame_parts(lines: &[Line<'_>], range: (f64, f64), (w, h): (u32, u32)) -> (f64, f64) {
    let Some(backend) = sized_canvas(w, h).and_then(CanvasBackend::with_canvas_object) else {
        return (f64::NAN, f64::NAN);
    };
    let root = backend.into_drawing_area();
    let mut rec = crate::chart::raster::Gather::default();
    let spec = crate::workspace::synth::frame_spec(range);
    let t = now();
    let _ = draw_fast(&root, &spec, lines, &Extras::default(), Some(&mut rec));
    let gather = now() - t;
    let t = now();
    let mut r = crate::chart::raster::Raster::new(w as usize, h as usize, Vec::new());
    r.paint_lines(&rec.0);
    std::hint::black_box(&r.data);
    (gather, now() - t)
}

/// A 1200 x 400 canvas for the workspace benchmarks.
fn workspace_canvas() -> Option<web_sys::HtmlCanvasElement> {
    sized_canvas(1200, 400)
}

/// A `w` x `h` canvas for the benchmarks.
fn sized_canvas(w: u32, h: u32) -> Option<web_sys::HtmlCanvasElement> {
    let c: web_sys::HtmlCanvasElement = gloo::utils::document()
        .create_element("canvas")
        .ok()?
        .dyn_into()
        .ok()?;
    c.set_width(w);
    c.set_height(h);
    Some(c)
}

/// Workspace figures over 100 runs x 100k points (issue 14 item 7): grouping into bands,
/// the worst of 10 panning frames in one panel, the robust y-range, bytes per point
/// (series + index); JSON, times in ms.
#[wasm_bindgen]
pub fn bench_workspace() -> String {
    use crate::workspace::group::{band, BandKind, Stat};
    use crate::workspace::synth::{drawable, indexes, synthetic_runs};
    use crate::workspace::{robust::robust_range, SeriesPoints};
    let runs = synthetic_runs("lm loss", 100, 100_000, false);
    let pts: Vec<SeriesPoints> = runs
        .iter()
        .map(|s| SeriesPoints::new(s, XAxis::Step))
        .collect();
    let best = |f: &mut dyn FnMut()| {
        (0..3)
            .map(|_| {
                let t = now();
                f();
                now() - t
            })
            .fold(f64::INFINITY, f64::min)
    };
    let group_ms = best(&mut || {
        std::hint::black_box(band(&pts, Stat::Mean, BandKind::MinMax));
    });
    let robust_ms = best(&mut || {
        std::hint::black_box(robust_range(&pts, (0.0, 1e5), (0.01, 0.99)));
    });
    let idx = indexes(&runs);
    let lines = drawable(&runs, &idx);
    let (opening_ms, mut frames) = panning(&lines);
    // In the order drawn (the first is drawn by code the browser has not optimised yet).
    let pan_frames = frames
        .iter()
        .map(|x| format!("{x:.1}"))
        .collect::<Vec<_>>()
        .join(",");
    frames.sort_by(f64::total_cmp);
    let pan_ms = frames.last().copied().unwrap_or(f64::NAN);
    let pan_median_ms = frames.get(frames.len() / 2).copied().unwrap_or(f64::NAN);
    // Its parts: the decimation of the 100 lines alone, and a frame with no lines (axes,
    // grid, labels and the pixel read-back).
    let decimate_ms = (0..10)
        .map(|k| {
            let x0 = 1e5 * (0.3 + 0.01 * k as f64);
            let t = now();
            for (s, i) in runs.iter().zip(&idx) {
                std::hint::black_box(crate::chart::series_math::m4(
                    s,
                    &Raw(s),
                    i,
                    XAxis::Step,
                    (x0, x0 + 1e4),
                    1120,
                ));
            }
            now() - t
        })
        .fold(f64::NEG_INFINITY, f64::max);
    // Lines gathered but not painted (decimation, axes, pixel positions), and the same
    // lines painted into a raster with no canvas.
    let (gather_ms, paint_ms) = frame_parts(&lines, (3e4, 4e4), (1200, 400));
    let axes_ms = workspace_canvas().map_or(f64::NAN, |c| {
        workspace_frame(&c, &lines[..0], (3e4, 4e4), &mut M4Memo::default())
    });
    let points: usize = runs.iter().map(|s| s.len()).sum();
    let bytes: usize = runs.iter().map(|s| s.heap_bytes()).sum::<usize>()
        + idx.iter().map(MinMaxIndex::heap_bytes).sum::<usize>();
    format!(
        "{{\"group_ms\":{group_ms:.2},\"pan_frame_ms\":{pan_ms:.2},\"opening_ms\":{opening_ms:.2},\"pan_median_ms\":{pan_median_ms:.2},\"pan_frames_ms\":[{pan_frames}],\"pan_decimate_ms\":{decimate_ms:.2},\"axes_ms\":{axes_ms:.2},\"gather_ms\":{gather_ms:.2},\"paint_ms\":{paint_ms:.2},\"robust_ms\":{robust_ms:.2},\"bytes_per_point\":{:.2}}}",
        bytes as f64 / points.max(1) as f64
    )
}

/// One panel of `lines` (100 runs x 100k points) as the workspace opens it, timed apart
/// (the first drawing runs code the browser has not optimised yet), then ten pans of a
/// tenth of the view (Shift+arrow), decimated through the panel's memo as the page does;
/// ms.
fn panning(lines: &[Line<'_>]) -> (f64, Vec<f64>) {
    let mut memo = M4Memo::default();
    let mut opening_ms = f64::NAN;
    let frames = workspace_canvas().map_or(Vec::new(), |c| {
        opening_ms = workspace_frame(&c, lines, PAN_OPENING, &mut memo);
        (0..10)
            .map(|k| workspace_frame(&c, lines, pan_range(k), &mut memo))
            .collect()
    });
    (opening_ms, frames)
}

/// The x range a panel of the pan benchmarks opens on.
const PAN_OPENING: (f64, f64) = (2.9e4, 3.9e4);

/// The x range of pan `k`: each a tenth of the view on from the one before.
fn pan_range(k: u32) -> (f64, f64) {
    let x0 = 1e5 * (0.3 + 0.01 * k as f64);
    (x0, x0 + 1e4)
}

/// The pan of [`bench_workspace`] (100 runs x 100k points, one panel) driven from
/// JavaScript a frame at a time, as a drag draws it: each frame in a task of its own, the
/// browser free to go on with its work (optimising the code just run, say) in between.
#[wasm_bindgen]
pub struct BenchPan {
    runs: Vec<crate::ingest::Series>,
    idx: Vec<MinMaxIndex>,
    memo: M4Memo,
    canvas: Option<web_sys::HtmlCanvasElement>,
}

#[wasm_bindgen]
impl BenchPan {
    /// The runs, their indexes and the panel's canvas.
    #[wasm_bindgen(constructor)]
    pub fn new() -> BenchPan {
        use crate::workspace::synth::{indexes, synthetic_runs};
        let runs = synthetic_runs("lm loss", 100, 100_000, false);
        let idx = indexes(&runs);
        BenchPan {
            runs,
            idx,
            memo: M4Memo::default(),
            canvas: workspace_canvas(),
        }
    }

    /// Draws the panel at its opening range (pan `k` < 0) or pan `k` (0..10); ms.
    pub fn frame(&mut self, k: i32) -> f64 {
        let lines = crate::workspace::synth::drawable(&self.runs, &self.idx);
        let range = u32::try_from(k).map_or(PAN_OPENING, pan_range);
        self.canvas.as_ref().map_or(f64::NAN, |c| {
            workspace_frame(c, &lines, range, &mut self.memo)
        })
    }
}

impl Default for BenchPan {
    fn default() -> BenchPan {
        BenchPan::new()
    }
}

/// The pan of [`bench_workspace`] alone, `rounds` times over the same 100 runs x 100k
/// points (for a profiler: the other figures take most of `bench_workspace`'s time); JSON
/// with every frame's ms, round by round (the panel's opening first).
#[wasm_bindgen]
pub fn bench_pan(rounds: u32) -> String {
    use crate::workspace::synth::{drawable, indexes, synthetic_runs};
    let runs = synthetic_runs("lm loss", 100, 100_000, false);
    let idx = indexes(&runs);
    let lines = drawable(&runs, &idx);
    let rounds: Vec<String> = (0..rounds)
        .map(|_| {
            let (opening, frames) = panning(&lines);
            let all: Vec<String> = std::iter::once(opening)
                .chain(frames)
                .map(|x| format!("{x:.2}"))
                .collect();
            format!("[{}]", all.join(","))
        })
        .collect();
    format!("{{\"rounds\":[{}]}}", rounds.join(","))
}

/// Synced zoom over 12 panels x 20 runs x 50k points on `w` x `h` canvases (0: 1200 x 400):
/// the panels opened (all drawn at the full range, timed apart: the first drawing runs code
/// the browser has not optimised yet), then 6 zoom steps, each drawing the first `shown`
/// panels (those in view, which the page draws at once; all 12 when 0) and then the rest
/// (which the page draws as they are scrolled to); JSON, ms.
#[wasm_bindgen]
pub fn bench_workspace_zoom(w: u32, h: u32, shown: u32) -> String {
    use crate::workspace::synth::{panel_lines, zoom_panels, zoom_range};
    let (w, h) = if w == 0 || h == 0 {
        (1200, 400)
    } else {
        (w, h)
    };
    let (panels, idx) = zoom_panels();
    let all = panel_lines(&panels, &idx);
    let shown = if shown == 0 {
        all.len()
    } else {
        (shown as usize).min(all.len())
    };
    // Each panel decimates through its own memo, as on the page (a zoom starts it afresh).
    let mut memos: Vec<M4Memo> = all.iter().map(|_| M4Memo::default()).collect();
    let Some(c) = sized_canvas(w, h) else {
        return "{}".into();
    };
    let opening_ms: f64 = all
        .iter()
        .zip(memos.iter_mut())
        .map(|(ls, memo)| workspace_frame(&c, ls, (0.0, 50_000.0), memo))
        .sum();
    let mut steps = Vec::new();
    let mut rest = Vec::new();
    for k in 0..6 {
        let mut times = all
            .iter()
            .zip(memos.iter_mut())
            .map(|(ls, memo)| workspace_frame(&c, ls, zoom_range(k), memo));
        steps.push(times.by_ref().take(shown).sum::<f64>());
        rest.push(times.sum::<f64>());
    }
    let zoom_ms = steps.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    // Each step's parts over the panels in view: the lines gathered (decimation, axes, pixel
    // positions) and painted into pixels (no canvas).
    let parts: Vec<(f64, f64)> = (0..6)
        .map(|k| {
            all.iter()
                .take(shown)
                .map(|ls| frame_parts(ls, zoom_range(k), (w, h)))
                .fold((0.0, 0.0), |a, p| (a.0 + p.0, a.1 + p.1))
        })
        .collect();
    let list = |v: &[f64]| {
        v.iter()
            .map(|x| format!("{x:.1}"))
            .collect::<Vec<_>>()
            .join(",")
    };
    let (gather, paint): (Vec<f64>, Vec<f64>) = parts.into_iter().unzip();
    format!(
        "{{\"zoom_ms\":{zoom_ms:.2},\"opening_ms\":{opening_ms:.2},\"shown\":{shown},\"panels\":{},\"w\":{w},\"h\":{h},\"steps_ms\":[{}],\"rest_ms\":[{}],\"gather_ms\":[{}],\"paint_ms\":[{}]}}",
        all.len(),
        list(&steps),
        list(&rest),
        list(&gather),
        list(&paint)
    )
}
/// A scatter of `n` generated runs (`train.cpt.final_loss` against `peak_vram_gb`, coloured
/// by `eval.mmlu`) on a 1200 x 700 canvas: the points taken from the field table, laid out,
/// painted into pixels and put on the canvas, best of 5; JSON with each part's ms and the
/// total (goal: <= 50 ms at 100,000 points).
#[wasm_bindgen]
pub fn bench_scatter(n: u32) -> String {
    use crate::relate::columns::RowSet;
    use crate::relate::scatter::{raster, Frame, Look};
    use crate::relate::{Coloring, HitGrid, Points, ScatterGeom};
    let table = crate::relate::synth_table(n as usize);
    let set = RowSet::new((0..table.len()).collect(), table.len());
    let canvas: Option<web_sys::HtmlCanvasElement> = gloo::utils::document()
        .create_element("canvas")
        .ok()
        .and_then(|c| c.dyn_into().ok());
    let Some(canvas) = canvas else {
        return "{}".into();
    };
    let frame = Frame::new(1200.0, 700.0);
    let look = Look {
        dpr: 1.0,
        radius: 2.4,
        ring: [20, 20, 20],
    };
    let mut best = [f64::INFINITY; 5];
    let mut drawn = 0;
    for _ in 0..5 {
        let t0 = now();
        let p = Points::new(
            &table,
            &set,
            "peak_vram_gb",
            "train.cpt.final_loss",
            Some("eval.mmlu"),
        );
        let t1 = now();
        let g = ScatterGeom::new(&p, false, false, frame);
        let grid = HitGrid::new(&g, frame.w, frame.h, 8.0);
        let t2 = now();
        let c = Coloring::new(&table, &p.tint, [0, 114, 178], false);
        let r = raster(&g, &p, &c, &[], frame, look);
        let t3 = now();
        crate::components::relate_panel::paint::paint(&canvas, &r);
        let t4 = now();
        std::hint::black_box(&grid);
        drawn = g.len();
        for (b, v) in best
            .iter_mut()
            .zip([t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0])
        {
            *b = b.min(v);
        }
    }
    format!(
        "{{\"points\":{drawn},\"columns_ms\":{:.2},\"layout_ms\":{:.2},\"raster_ms\":{:.2},\"paint_ms\":{:.2},\"total_ms\":{:.2}}}",
        best[0], best[1], best[2], best[3], best[4]
    )
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
