//! Start-up: the theme, what the address names, and the loads it needs (the manifest, a
//! linked run, a shared archive, runs remembered in this browser).

use gloo::storage::Storage;
use yew::UseReducerDispatcher;

use super::history::current_route;
use crate::loader::{load_hosted, load_manifest, load_recent, load_shared};
use crate::share::route::{Fragment, Target};
use crate::state::{names_a_run, Action, Shared, Theme};

fn system_theme() -> Theme {
    let dark = web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches());
    if dark {
        Theme::Dark
    } else {
        Theme::Light
    }
}

fn stored_theme() -> Option<Theme> {
    let v: String = gloo::storage::LocalStorage::get("runlens.theme").ok()?;
    Theme::from_name(&v)
}

/// The manifest the address names (`?index=`), or `runs.json` next to the page.
fn manifest_url(route: &crate::share::route::Route) -> String {
    route
        .manifest
        .clone()
        .unwrap_or_else(|| "runs.json".to_string())
}

/// Called before the app is mounted: starts reading the manifest, which [`boot`] (run once
/// the app's first frame is drawn) then takes, requests the archives it lists, and reads the
/// first of them when the page will open it; the promise resolves when that is done.
pub fn prefetch() -> js_sys::Promise {
    let route = current_route();
    // The first listed run is the one the page opens only when the address names nothing
    // else (no run, view or shared archive).
    let home = opens_first_listed(&route);
    // Work the first screen does not need waits until the run the page opens is on it.
    let opens_run = home || matches!(route.target, Target::Run(_) | Target::Open(_));
    super::frames::watch_first_screen(opens_run);
    crate::loader::prefetch_manifest(&manifest_url(&route), home)
}

/// The theme the page starts in: the one chosen in this browser, else the system's.
pub fn initial_theme() -> Theme {
    stored_theme().unwrap_or_else(system_theme)
}

/// The app's first state: its theme and, when the run it opens was read before the mount
/// ([`crate::loader::take_seed`]), what the address names, that run and its manifest's list,
/// so that the first frame shows the run.
pub fn first_state() -> Shared {
    let mut s = crate::state::AppState::default();
    crate::state::apply(&mut s, Action::Theme(initial_theme()));
    if let Some(actions) = crate::loader::take_seed() {
        crate::state::apply(&mut s, Action::Navigate(Box::new(current_route())));
        for action in actions {
            crate::state::apply(&mut s, action);
        }
    }
    Shared(s)
}

/// Whether the page opens the first run its manifest lists: the address names no run, view
/// or shared archive.
fn opens_first_listed(route: &crate::share::route::Route) -> bool {
    route.target == Target::Home && !matches!(route.fragment, Fragment::Share(_))
}

/// Reads the address and starts what it needs.
pub fn boot(dispatch: &UseReducerDispatcher<Shared>) {
    // The app's first effects have run (Yew runs the root's last): scripts/split-wasm.mjs
    // reads what the first screen ran from then on.
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark("runlens:booted");
    }
    dispatch.dispatch(Action::Theme(initial_theme()));
    let route = current_route();
    // Without `?index=`, a missing `runs.json` next to the page is no error: the page then
    // starts empty, ready for a drop.
    let quiet = route.manifest.is_none();
    load_manifest(
        manifest_url(&route),
        // A link filtered to one experiment lists that experiment's shard first.
        Some(route.table.experiment.clone()).filter(|e| !e.is_empty()),
        dispatch.clone(),
        quiet,
        opens_first_listed(&route),
    );
    if let Fragment::Share(f) = &route.fragment {
        load_shared(&format!("#{f}"), dispatch);
    }
    load_recent(dispatch);
    let linked = match &route.target {
        Target::Run(url) => Some(url.clone()),
        _ => None,
    };
    dispatch.dispatch(Action::Navigate(Box::new(route)));
    // A run named by its id or key is found among the listed runs, not fetched.
    if let Some(url) = linked.filter(|u| !names_a_run(u)) {
        load_hosted(url, Vec::new(), None, true, dispatch.clone());
    }
}
