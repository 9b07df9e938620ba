//! The one store of the app: every run listed or loaded, the open run, load errors, theme,
//! and the view state a link carries (chart settings, runs-table filters).
//!
//! Pure: [`apply`] changes an [`AppState`] by an [`Action`] and is tested natively; the
//! browser's `Store` (a `yew::Reducible` wrapper in `runlens`'s shell) calls it. Selectors derive what
//! views need; nothing derivable is stored. **Invariant: one `Load` / `CurveLoad` per item,
//! no boolean flags beside them.**

mod action;
mod apply;
mod model;
mod select;
#[cfg(test)]
mod tests;

pub use action::Action;
pub use apply::{apply, names_a_run};
pub use model::{AppState, CurveLoad, Load, LoadedCurves, RunSlot, ShardsLoad, Theme};
pub use select::{
    open_slot, route_of, run_by_id, same_run_id, slot_for, visible_run_indexes, visible_runs,
};
