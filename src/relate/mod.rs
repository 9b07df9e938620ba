//! Relating settings to results across the runs table's runs: numeric columns out of the
//! [`FieldTable`](crate::query::FieldTable) ([`columns`]), Spearman rank correlation of every
//! numeric field with a chosen result ([`rank`]), axis scales (linear and log, [`scale`]),
//! the scatter's geometry, hit-testing and box selection ([`scatter`]), point colours and
//! their legend ([`color`]), drawing points and lines into an RGBA buffer ([`raster`]), and
//! parallel coordinates with per-axis brushes ([`parallel`]).
//!
//! Invariant: a run is a point (or a line) only where it holds a number in every field the
//! plot needs; a log axis skips values <= 0 and says how many it skipped; brushes are ranges
//! in the field's own values, so they mean the same at any size, scale or flip.
//!
//! Pure: no yew/web_sys/gloo/wasm_bindgen, no I/O; tested and benchmarked natively.

pub mod color;
pub mod columns;
pub mod parallel;
pub mod rank;
pub mod raster;
pub mod scale;
pub mod scatter;

pub use color::{Coloring, LegendEntry};
pub use columns::{numeric_fields, Points};
pub use parallel::{brush_keep, ParallelGeom};
pub use rank::{correlations, spearman, Correlation};
pub use raster::Raster;
pub use scale::Scale;
pub use scatter::{HitGrid, ScatterGeom};

/// A field table of `n` generated runs (the query benchmark's runs: `crate::query::synth`),
/// holding the fields a scatter of them uses: `train.cpt.lr`, `train.cpt.final_loss`,
/// `train.cpt.global_batch_size`, `eval.mmlu` (not for failed runs), `peak_vram_gb`, `host`
/// and `status`. For benchmarks and tests.
pub fn synth_table(n: usize) -> crate::query::FieldTable {
    use crate::query::{FieldValue, Fields};
    let mut t = crate::query::FieldTable::new();
    for i in 0..n {
        let k = crate::query::synth::knobs(i);
        let mut f = Fields::new();
        f.insert("train.cpt.lr".into(), FieldValue::Num(k.cpt_lr));
        f.insert(
            "train.cpt.final_loss".into(),
            FieldValue::Num(k.cpt_final_loss),
        );
        f.insert(
            "train.cpt.global_batch_size".into(),
            FieldValue::Num(k.cpt_gbs as f64),
        );
        if let Some(m) = k.mmlu {
            f.insert("eval.mmlu".into(), FieldValue::Num(m));
        }
        f.insert("peak_vram_gb".into(), FieldValue::Num(k.peak_vram_gb));
        f.insert("host".into(), FieldValue::Text(k.host));
        let status = if k.failed { "failed" } else { "success" };
        f.insert("status".into(), FieldValue::Text(status.into()));
        t.push(&f);
    }
    t
}
