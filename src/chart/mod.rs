//! Curves on screen: series math (smoothing, x axes, min/max index, M4 decimation),
//! drawing on any plotters backend (and dense lines straight into pixels), the view state a user changes (zoom, pan, axis,
//! smoothing) and the CSV export.
//!
//! **Invariant: what is drawn is decimated from the full data for the current view; no
//! point is dropped from the data to make drawing fast.** Pure: no browser imports.

pub mod draw;
pub mod export;
pub mod figures;
pub mod raster;
pub mod series_math;
pub mod view;
