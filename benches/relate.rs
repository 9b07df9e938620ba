//! Scatter and correlation over 100,000 generated runs, natively: the points out of the field
//! table, their layout and hit grid, the pixels, a box selection, and the rank correlation
//! of every field with the result. Prints one line each (best of 5) with the goal.
//! `RUNLENS_BENCH_RUNS=N` for fewer runs.

use std::time::Instant;

use runlens::relate::columns::RowSet;
use runlens::relate::raster::Density;
use runlens::relate::scatter::{raster, Frame, Look};
use runlens::relate::{
    correlations, numeric_fields, Coloring, HitGrid, Points, Raster, ScatterGeom,
};

fn best<T>(f: impl Fn() -> T) -> (f64, T) {
    let t = Instant::now();
    let mut out = f();
    let mut b = t.elapsed().as_secs_f64() * 1e3;
    for _ in 0..4 {
        let t = Instant::now();
        out = f();
        b = b.min(t.elapsed().as_secs_f64() * 1e3);
    }
    (b, out)
}

fn main() {
    let n: usize = std::env::var("RUNLENS_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let table = runlens::relate::synth_table(n);
    let set = RowSet::new((0..n).collect(), n);
    let frame = Frame::new(1200.0, 700.0);
    let look = Look {
        dpr: 1.0,
        radius: 2.4,
        ring: [20, 20, 20],
    };
    let (t_points, p) = best(|| {
        Points::new(
            &table,
            &set,
            "peak_vram_gb",
            "train.cpt.final_loss",
            Some("eval.mmlu"),
        )
    });
    let (t_geom, g) = best(|| ScatterGeom::new(&p, false, false, frame));
    let (t_grid, grid) = best(|| HitGrid::new(&g, frame.w, frame.h, 8.0));
    let c = Coloring::new(&table, &p.tint, [0, 114, 178], false);
    let (t_raster, _) = best(|| raster(&g, &p, &c, &[], frame, look));
    let disc = Raster::disc(look.radius);
    let (t_stamp, d) = best(|| {
        let mut d = Density::new(1200, 700);
        for (&x, &y) in g.px.iter().zip(&g.py) {
            d.stamp(&disc, x, y, [10, 20, 30]);
        }
        d
    });
    let (t_over, _) = best(|| d.into_raster(0.35));
    let (t_colour, _) = best(|| p.tint.iter().map(|&t| c.rgb(t)[0] as u64).sum::<u64>());
    let (t_hover, _) = best(|| {
        (0..1000)
            .filter_map(|i| grid.nearest(&g, (i % 1200) as f32, (i % 700) as f32, 8.0))
            .count()
    });
    let (t_box, inside) = best(|| grid.in_box(&g, 300.0, 100.0, 900.0, 600.0).len());
    let fields = numeric_fields(&table, &set);
    let (t_corr, corr) = best(|| correlations(&table, &set, &fields, "eval.mmlu"));
    let total = t_points + t_geom + t_grid + t_raster;
    println!(
        "relate bench, {n} generated runs, {} points drawn (native, best of 5)",
        g.len()
    );
    println!(
        "{:<48} {:>10.2} ms",
        "points out of the field table", t_points
    );
    println!("{:<48} {:>10.2} ms", "layout (scales, pixels)", t_geom);
    println!("{:<48} {:>10.2} ms", "hit grid", t_grid);
    println!("{:<48} {:>10.2} ms", "pixels (100k discs)", t_raster);
    println!(
        "{:<48} {:>10.2} ms",
        "  of which: marks (in the points' order)", t_stamp
    );
    println!(
        "{:<48} {:>10.2} ms",
        "  of which: coverage to pixels", t_over
    );
    println!("{:<48} {:>10.2} ms", "  of which: colours", t_colour);
    println!(
        "{:<48} {:>10.2} ms   goal <= 50 ms",
        "scatter total (native)", total
    );
    println!(
        "{:<48} {:>10.4} ms",
        "hover hit-test, per query (1000 queries)",
        t_hover / 1000.0
    );
    println!(
        "{:<48} {:>10.2} ms   ({inside} runs)",
        "box selection", t_box
    );
    println!(
        "{:<48} {:>10.2} ms   ({} fields)",
        "rank correlation, every field with eval.mmlu",
        t_corr,
        corr.len()
    );
}
