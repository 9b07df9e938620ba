//! Workspace benchmarks (issue 14 item 7), printed as numbers with the goal beside each:
//! grouping 100 runs x 100k points into bands, a panning frame of 100 runs x 100k points
//! in one panel (M4 decimation of every line, the axes, and each line's pixels handed to
//! the stroker the page's canvas uses; the browser's stroking itself is timed by the wasm
//! figures of `tests/e2e/bench.mjs`), a synced zoom redrawing 12 panels x 20 runs x 50k points, the robust y-range over
//! 10M points, and memory per loaded point.
//!
//! Run: `cargo bench --bench workspace`. Times are this thread's CPU time (Linux's
//! thread CPU clock), so other work on a shared machine does not inflate them; the best and worst of several runs are printed. The grouping rows also say which
//! path the work took (see `runlens::workspace::group::Trace`); `WS_BENCH=grouping
//! WS_ROW=3` runs only the fourth grouping row (for a profiler).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::time::{Duration, Instant};

use plotters::prelude::*;
use runlens::chart::draw::{draw_memo, Extras, Line};
use runlens::chart::raster::{Gather, Raster};
use runlens::chart::series_math::{m4, M4Memo, MinMaxIndex, Raw, XAxis};
use runlens::ingest::Series;
use runlens::workspace::group::{band_traced, BandKind, Stat, Trace};
use runlens::workspace::robust::robust_range;
use runlens::workspace::synth::{
    drawable, frame_spec, indexes, panel_lines, synthetic_runs, zoom_panels, zoom_range,
};
use runlens::workspace::SeriesPoints;

fn row(name: &str, value: String, goal: &str, note: &str) {
    println!("{name:<48} {value:>14}  {goal:<12} {note}");
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// This thread's CPU time (64-bit Linux, from `clock_gettime(CLOCK_THREAD_CPUTIME_ID)`,
/// exact to the nanosecond), so a number is not inflated by other work on a shared
/// machine; wall-clock time where it cannot be read. (`/proc/thread-self/schedstat`, read
/// before, only moves at the scheduler's tick: 4 ms steps, as large as the frames timed.)
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
fn cpu_time() -> Option<Duration> {
    #[repr(C)]
    struct Timespec {
        sec: i64,
        nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut ts = Timespec { sec: 0, nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec for the call.
    let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    (rc == 0).then(|| Duration::new(ts.sec as u64, ts.nsec as u32))
}

#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
fn cpu_time() -> Option<Duration> {
    None
}

/// Best and worst of `n` timed runs of `f(k)`: CPU time of this thread when it can be read
/// (see [`cpu_time`]), else wall-clock time.
fn timed(n: usize, mut f: impl FnMut(usize)) -> (Duration, Duration) {
    let mut all: Vec<Duration> = (0..n)
        .map(|k| {
            let (t, c) = (Instant::now(), cpu_time());
            f(k);
            match (c, cpu_time()) {
                (Some(a), Some(b)) => b.saturating_sub(a),
                _ => t.elapsed(),
            }
        })
        .collect();
    all.sort();
    (all[0], all[all.len() - 1])
}

/// Draws `lines` in one 1200 x 400 panel over `range` as the page does on the Rust side:
/// decimation, axes (as SVG here), every line's pixels gathered and painted into a
/// transparent [`Raster`] (the page then lays that on the canvas; that and the browser's
/// part are in the wasm figures of `tests/e2e/bench.mjs`).
/// Decimation goes through `memo`, as a workspace panel's does: a pan decimates only the
/// columns it brings into view.
fn frame(lines: &[Line<'_>], range: (f64, f64), memo: &mut M4Memo) -> usize {
    let (gathered, drawn) = gather(lines, range, memo);
    paint(&gathered);
    drawn
}

/// A frame's first half: decimation, axes, the lines' pixels gathered.
fn gather(lines: &[Line<'_>], range: (f64, f64), memo: &mut M4Memo) -> (Gather, usize) {
    let mut svg = String::with_capacity(1 << 20);
    let root = SVGBackend::with_string(&mut svg, (1200, 400)).into_drawing_area();
    let mut gathered = Gather::default();
    let drawn = draw_memo(
        &root,
        &frame_spec(range),
        lines,
        &Extras::default(),
        Some(&mut gathered),
        Some(memo),
    )
    .map(|d| d.drawn)
    .unwrap_or(0);
    (gathered, drawn)
}

/// A frame's second half: the gathered lines painted into a transparent raster.
fn paint(gathered: &Gather) {
    let mut px = Raster::new(1200, 400, Vec::new());
    px.paint_lines(&gathered.0);
    std::hint::black_box(&px.data);
}

fn grouping() {
    let row_only: Option<usize> = std::env::var("WS_ROW").ok().and_then(|v| v.parse().ok());
    let mut at = 0;
    for (label, misaligned) in [("same steps", false), ("every other step", true)] {
        let runs = synthetic_runs("lm loss", 100, 100_000, misaligned);
        let members: Vec<SeriesPoints> = runs
            .iter()
            .map(|s| SeriesPoints::new(s, XAxis::Step))
            .collect();
        for (stat, kind) in [
            (Stat::Mean, BandKind::MinMax),
            (Stat::Median, BandKind::Std),
        ] {
            at += 1;
            if row_only.is_some_and(|r| r + 1 != at) {
                continue;
            }
            let (mut width, mut trace) = (0, Trace::default());
            let (best, worst) = timed(5, |_| {
                let (b, t) = band_traced(&members, stat, kind);
                (width, trace) = (b.x.len(), t);
            });
            row(
                &format!("group 100 x 100k ({label}) {stat:?} {kind:?}"),
                ms(best),
                "<= 100 ms",
                &format!("worst {} ; {width} x values; {trace}", ms(worst)),
            );
        }
    }
}

fn panning(runs: &[Series], idx: &[MinMaxIndex]) {
    let ls = drawable(runs, idx);
    let n = runs[0].len() as f64;
    // The panel as opened, then ten pans of a tenth of the view through its memo.
    let mut memo = M4Memo::default();
    frame(&ls, (n * 0.29, n * 0.39), &mut memo);
    let (best, worst) = timed(10, |k| {
        let x0 = n * (0.3 + 0.01 * k as f64);
        frame(&ls, (x0, x0 + n * 0.1), &mut memo);
    });
    row(
        "pan frame (Rust side), 100 runs x 100k in one panel",
        ms(worst),
        "<= 16 ms",
        &format!(
            "worst of 10 pans by a tenth of the view (10% in view); best {}",
            ms(best)
        ),
    );
    // Its halves over the same pans: the lines gathered (decimation through the memo, axes,
    // pixel positions), then painted.
    let mut memo = M4Memo::default();
    gather(&ls, (n * 0.29, n * 0.39), &mut memo);
    let mut gathered: Vec<Gather> = vec![Gather::default(); 10];
    let (best, worst) = timed(10, |k| {
        let x0 = n * (0.3 + 0.01 * k as f64);
        gathered[k] = gather(&ls, (x0, x0 + n * 0.1), &mut memo).0;
    });
    row(
        "  of which gathering the lines",
        ms(worst),
        "",
        &format!("worst; best {}", ms(best)),
    );
    let (best, worst) = timed(10, |k| paint(&gathered[k]));
    row(
        "  of which painting them",
        ms(worst),
        "",
        &format!("worst; best {}", ms(best)),
    );
    let mut cold = M4Memo::default();
    let (best, worst) = timed(10, |k| {
        let x0 = n * (0.3 + 0.01 * k as f64);
        frame(&ls, (x0, x0 + n * 0.1), &mut cold);
        cold = M4Memo::default();
    });
    row(
        "  the same frames decimated afresh (no memo)",
        ms(worst),
        "",
        &format!("worst; best {}", ms(best)),
    );
    let (best, worst) = timed(10, |k| {
        let x0 = n * (0.3 + 0.01 * k as f64);
        for (s, i) in runs.iter().zip(idx) {
            std::hint::black_box(m4(s, &Raw(s), i, XAxis::Step, (x0, x0 + n * 0.1), 1120));
        }
    });
    row(
        "  of which M4 decimation of the 100 lines",
        ms(worst),
        "",
        &format!("worst; best {}", ms(best)),
    );
    let (best, _) = timed(3, |_| {
        frame(&ls, (0.0, n), &mut M4Memo::default());
    });
    row(
        "full-view frame (Rust side), 100 x 100k, one panel",
        ms(best),
        "<= 16 ms",
        "every point in view",
    );
}

fn synced_zoom() {
    let (panels, idx) = zoom_panels();
    let all = panel_lines(&panels, &idx);
    let mut memos: Vec<M4Memo> = all.iter().map(|_| M4Memo::default()).collect();
    let (best, worst) = timed(6, |k| {
        for (ls, memo) in all.iter().zip(&mut memos) {
            frame(ls, zoom_range(k), memo);
        }
    });
    row(
        "synced zoom (Rust side), 12 panels x 20 x 50k",
        ms(worst),
        "<= 33 ms",
        &format!("worst of 6 zoom steps, all panels; best {}", ms(best)),
    );
    // Its parts, each the worst of the 6 steps: decimation alone, the lines gathered
    // (decimation, axes, pixel positions), and the gathered lines painted.
    let (best, worst) = timed(6, |k| {
        for (runs, ix) in panels.iter().zip(&idx) {
            for (s, i) in runs.iter().zip(ix) {
                std::hint::black_box(m4(s, &Raw(s), i, XAxis::Step, zoom_range(k), 1120));
            }
        }
    });
    row(
        "  of which M4 decimation of the 240 lines",
        ms(worst),
        "",
        &format!("worst; best {}", ms(best)),
    );
    let mut gathered: Vec<Vec<Gather>> = vec![Vec::new(); 6];
    let (best, worst) = timed(6, |k| {
        gathered[k] = all
            .iter()
            .map(|ls| gather(ls, zoom_range(k), &mut M4Memo::default()).0)
            .collect();
    });
    row(
        "  of which gathering the 12 panels' lines",
        ms(worst),
        "",
        &format!("worst; best {}", ms(best)),
    );
    let (best, worst) = timed(6, |k| gathered[k].iter().for_each(paint));
    row(
        "  of which painting the 12 panels' lines",
        ms(worst),
        "",
        &format!("worst; best {}", ms(best)),
    );
}

fn robust(runs: &[Series]) {
    let pts: Vec<SeriesPoints> = runs
        .iter()
        .map(|s| SeriesPoints::new(s, XAxis::Step))
        .collect();
    let n = runs[0].len() as f64;
    for (label, range) in [
        ("all in view", (0.0, n)),
        ("10% in view", (0.3 * n, 0.4 * n)),
    ] {
        let (best, _) = timed(3, |_| {
            std::hint::black_box(robust_range(&pts, range, (0.01, 0.99)));
        });
        row(
            &format!("robust y-range, 100 x 100k, {label}"),
            ms(best),
            "",
            "exact 1st/99th pct + edge counts",
        );
    }
}

fn memory(runs: &[Series], idx: &[MinMaxIndex]) {
    let points: usize = runs.iter().map(Series::len).sum();
    let series: usize = runs.iter().map(Series::heap_bytes).sum();
    let index: usize = idx.iter().map(MinMaxIndex::heap_bytes).sum();
    row(
        "memory per loaded point (series + min/max index)",
        format!("{:.2} bytes", (series + index) as f64 / points as f64),
        "<= 20 bytes",
        &format!(
            "series {:.2} + index {:.3}",
            series as f64 / points as f64,
            index as f64 / points as f64
        ),
    );
}

fn main() {
    // `WS_BENCH=group` (or pan, zoom, ...) runs only the figures whose function name has it.
    let only = std::env::var("WS_BENCH").unwrap_or_default();
    let on = |name: &str| name.contains(only.as_str());
    row("figure", "value".into(), "goal", "note");
    if on("grouping") {
        grouping();
    }
    if !(on("panning") || on("robust") || on("memory") || on("synced_zoom")) {
        return;
    }
    let runs = synthetic_runs("lm loss", 100, 100_000, false);
    let t = Instant::now();
    let idx = indexes(&runs);
    row(
        "min/max index build, 100 x 100k",
        ms(t.elapsed()),
        "",
        "once per loaded curve",
    );
    if on("panning") {
        panning(&runs, &idx);
    }
    if on("robust") {
        robust(&runs);
    }
    memory(&runs, &idx);
    drop(idx);
    drop(runs);
    if on("synced_zoom") {
        synced_zoom();
    }
}
