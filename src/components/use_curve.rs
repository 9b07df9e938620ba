//! A hook that finds a train step's curve file and starts reading it once: shared by the
//! step chart and the comparison overlays. Which file is a step's curve and which series is
//! the loss are the core's rules ([`crate::runs::step_curve_path`],
//! [`crate::ingest::loss_tag_index`]), the same the CLI uses.

use std::rc::Rc;

use yew::prelude::*;

use crate::loader::{curve_source, load_curve};
use crate::runs::{CurveFile, Run};
use crate::state::Store;
use crate::state::{CurveLoad, LoadedCurves};

/// What is known about a step's curve.
#[derive(Clone, PartialEq)]
pub struct StepCurve {
    /// The cluster path the archive names (`training.loss_curve`, else a `.log`).
    pub path: Option<String>,
    /// The curve's key in the store.
    pub key: String,
    /// Where the file is.
    pub file: Option<CurveFile>,
    /// Its load state, once started.
    pub load: Option<CurveLoad>,
    /// While it loads: the points read so far, drawn as they arrive.
    pub part: Option<Rc<LoadedCurves>>,
}

/// Finds and loads the curve of step `index` of `run`.
#[hook]
pub fn use_step_curve(run: &Rc<Run>, index: usize) -> StepCurve {
    let store = use_context::<Store>();
    let path = run.curve_path(index);
    let file = path.as_ref().map(|p| run.resolve_file(p));
    let found = curve_source(run, index);
    let key = found.as_ref().map_or_else(
        || run.missing_curve_key(path.as_deref().unwrap_or_default()),
        |(k, _, _)| k.clone(),
    );
    let load = store.as_ref().and_then(|s| s.curves.get(&key).cloned());
    let part = match load {
        Some(CurveLoad::Loading { .. }) => store
            .as_ref()
            .and_then(|s| s.curve_parts.get(&key).cloned()),
        _ => None,
    };
    let source = found.map(|(_, name, src)| (name, src));

    let needed = load.is_none();
    {
        let store = store.clone();
        use_effect_with((key.clone(), needed), move |(key, needed)| {
            if let (true, Some(store), Some((name, src))) = (*needed, store, source) {
                load_curve(key.clone(), name, src, store.dispatcher());
            }
        });
    }
    StepCurve {
        path,
        key,
        file,
        load,
        part,
    }
}

/// Starts reading the curve of every train step of `run` (the steps whose cards chart one)
/// that the store has not read or started (a read already on its way is not started twice):
/// the run's page calls it when the run opens, before the step cards are drawn (after the
/// first paint), so their charts do not wait for them.
pub fn start_step_curves(store: &Store, run: &Run) {
    for (index, _) in run.train_step_curves() {
        if let Some((key, name, src)) = curve_source(run, index) {
            if !store.curves.contains_key(&key) {
                load_curve(key, name, src, store.dispatcher());
            }
        }
    }
}

/// The tag a chart shows first: the training loss, by the rule the CLI uses too.
pub use crate::ingest::loss_tag_index as default_tag;
