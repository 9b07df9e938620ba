//! Fuzz target: any series (restarts, NaN and infinite values, huge or negative steps and
//! times) drawn with any settings (axis, x range from a link, log y, smoothing) neither
//! panics nor draws more points than the decimation allows; the crosshair lookup too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use plotters::prelude::*;
use runlens::chart::draw::{draw, ChartSpec, Line};
use runlens::chart::series_math::{monotonic_runs, nearest, smooth, MinMaxIndex, Raw, XAxis};
use runlens::ingest::Series;

fn f64_at(d: &[u8], i: usize) -> f64 {
    d.get(i..i + 8)
        .map(|b| f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
        .unwrap_or(0.0)
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 28 {
        return;
    }
    let (head, points) = data.split_at(28);
    let axis = match head[0] % 4 {
        0 => XAxis::Step,
        1 => XAxis::Relative,
        2 => XAxis::Wall,
        _ => XAxis::Tokens(f64_at(head, 20)),
    };
    let x_range = (head[1] & 1 == 1).then(|| (f64_at(head, 4), f64_at(head, 12)));
    let weight = f64::from(head[2]) / 256.0;
    let spec = ChartSpec {
        x: axis,
        x_range,
        log_y: head[3] & 1 == 1,
        dark: head[3] & 2 == 2,
    };
    // Points of 10 bytes: step (i16), wall (f32), value (f32).
    let mut s = Series::new("loss");
    for p in points.chunks_exact(10) {
        let step = i16::from_le_bytes([p[0], p[1]]) as i64 * 1_000_003;
        let wall = f32::from_le_bytes([p[2], p[3], p[4], p[5]]) as f64;
        let value = f32::from_le_bytes([p[6], p[7], p[8], p[9]]) as f64;
        s.push(step, wall, value);
    }
    let idx = MinMaxIndex::build(&Raw(&s));
    let sm = smooth(&Raw(&s), weight);
    let smi = MinMaxIndex::build(&sm);
    let line = Line {
        series: &s,
        raw_index: &idx,
        smoothed: (weight > 0.0).then_some((&sm, &smi)),
        label: "loss".into(),
        color: usize::from(head[0]),
    };
    let mut svg = String::new();
    let (w, h) = (320u32, 160u32);
    let drawn = {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        draw(&root, &spec, &[line])
    };
    if let Ok(d) = drawn {
        // Decimation keeps at most every point in view plus one either side of each run, and
        // cutting at the view's edges at most doubles that (a line whose x goes back and
        // forth, as wall time can, leaves and re-enters the view); on the step axis (x never
        // goes back within a run) at most 4 per pixel column.
        let runs = monotonic_runs(&s).len();
        let lines = if weight > 0.0 { 2 } else { 1 };
        let most = lines * 2 * (d.in_view + 2 * runs);
        assert!(d.drawn <= most, "{} drawn of {} in view", d.drawn, d.in_view);
        if matches!(axis, XAxis::Step) {
            let cap = lines * runs * (4 * (w as usize + 1) + 2);
            assert!(d.drawn <= cap, "{} drawn for {w} px and {runs} runs", d.drawn);
        }
    }
    let _ = nearest(&s, axis, f64_at(head, 4));
});
