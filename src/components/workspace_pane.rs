//! The workspace container: resolves the runs the workspace names (run keys, ids or archive
//! URLs), fetches those not loaded, reads their train steps' curve files, and hands the
//! loaded runs and curves to [`crate::components::ws_view::WsView`] with the progress of
//! both.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::compare_pane::use_fetch_entries;
use crate::components::nway_overlay::{use_train_curves, RunList};
use crate::components::ws_data::FileCounts;
use crate::components::ws_view::WsView;
use crate::loader::curve_source;
use crate::runs::Run;
use crate::state::{names_a_run, slot_for, CurveLoad, Load, Store};
use crate::workspace::model::{stage_steps, RunCurves};

/// The container.
#[component]
pub fn WorkspacePane() -> Html {
    let Some(store) = use_context::<Store>() else {
        return html! {};
    };
    let entries = store.workspace.clone();
    use_fetch_entries(entries.clone());
    let mut runs: Vec<Rc<Run>> = Vec::new();
    // Each run's position in the `?workspace=` list (the first entry naming it): what the
    // link's hidden runs and the run shown alone refer to.
    let mut positions: Vec<usize> = Vec::new();
    let mut waiting = 0;
    let mut failed: Vec<String> = Vec::new();
    for (pos, e) in entries.iter().enumerate() {
        match slot_for(&store, e).map(|s| &s.load) {
            Some(Load::Ready(r)) => {
                if !runs.iter().any(|x| Rc::ptr_eq(x, r)) {
                    runs.push(r.clone());
                    positions.push(pos);
                }
            }
            Some(Load::Failed(m)) => failed.push(format!("{e}: {}", m.message)),
            // Nothing loading could bring it: say so instead of waiting for ever.
            None if names_a_run(e) && store.busy == 0 => {
                failed.push(format!("{e}: no loaded run has this run id or key"))
            }
            _ => waiting += 1,
        }
    }
    let list = RunList(runs.clone());
    use_train_curves(list.clone(), true);
    let mut counts = FileCounts::default();
    let curves: Vec<RunCurves> = runs
        .iter()
        .map(|r| {
            let (cpt, sft) = stage_steps(r);
            let mut get = |i: Option<usize>| {
                // A train step that names no curve file has none to read (not a failure).
                let i = i.filter(|&i| r.curve_path(i).is_some())?;
                counts.total += 1;
                let Some((key, _, _)) = curve_source(r, i) else {
                    counts.failed += 1;
                    return None;
                };
                match store.curves.get(&key) {
                    Some(CurveLoad::Ready(c)) => {
                        counts.read += 1;
                        Some(c.clone())
                    }
                    Some(CurveLoad::Failed(_)) => {
                        counts.failed += 1;
                        None
                    }
                    _ => None,
                }
            };
            let cpt = get(cpt);
            RunCurves { cpt, sft: get(sft) }
        })
        .collect();
    html! {
        <main id="run-view" class="workspace" tabindex="-1">
            if waiting > 0 || !failed.is_empty() {
                <div class="ws-loading" role="status">
                    if waiting > 0 {
                        <div class="progress indeterminate" aria-hidden="true"><div></div></div>
                        <p>{ format!("{} of {} runs read", runs.len(), entries.len()) }</p>
                    }
                    if !failed.is_empty() {
                        <ul class="overlay-absent">{ for failed.iter().map(|f| html! { <li class="bad mono">{ f.clone() }</li> }) }</ul>
                    }
                </div>
            }
            <WsView runs={list} positions={Rc::new(positions)} curves={Rc::new(curves)} files={counts} />
        </main>
    }
}
