//! The root component: the store, the shell's hooks, and the page layout. Nothing imports
//! this module but `main.rs`.

use yew::prelude::*;

use crate::components::compare_pane::ComparePane;
use crate::components::drop_overlay::DropOverlay;
use crate::components::error_list::ErrorList;
use crate::components::help_dialog::HelpDialog;
use crate::components::index_view::IndexView;
use crate::components::paste_dialog::PasteDialog;
use crate::components::run_pane::RunPane;
use crate::components::sidebar::Sidebar;
use crate::components::topbar::TopBar;
use crate::components::workspace_pane::WorkspacePane;
use crate::share::route::{Route, Target};
use crate::shell::boot::boot;
use crate::shell::fatal::panic_banner;
use crate::shell::history::{use_history, write};
use crate::shell::keys::use_shortcuts;
use crate::shell::page_drop::use_page_drop;
use crate::state::{route_of, slot_for, AppState, Store};

/// Mounts the app (called from `main`).
pub fn start() {
    // Through yew: `render` replaces any hook set with `std::panic::set_hook`.
    yew::set_custom_panic_hook(Box::new(panic_banner));
    // The app is mounted once the manifest is read, its archives requested (they are then on
    // their way while the first frame is built) and the run the page opens read, so that the
    // first frame shows that run (`boot::first_state`); or after MOUNT_WAIT_MS at most.
    let early = crate::shell::boot::prefetch();
    wasm_bindgen_futures::spawn_local(async move {
        let wait = js_sys::Promise::new(&mut |resolve, _| {
            if let Some(win) = web_sys::window() {
                let _ = win.set_timeout_with_callback_and_timeout_and_arguments_0(
                    &resolve,
                    mount_wait_ms(&win),
                );
            }
        });
        let _ = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::race(&js_sys::Array::of2(
            &early, &wait,
        )))
        .await;
        yew::Renderer::<App>::new().render();
    });
}

/// The longest the app waits for the manifest and the first run before it is mounted (ms).
const MOUNT_WAIT_MS: i32 = 150;

/// [`MOUNT_WAIT_MS`], or `window.runlensMountWaitMs` when a page sets it: the build's split
/// (scripts/split-wasm.mjs) records what the first run's page runs with an instrumented,
/// slower module, which must still mount with the first run read.
fn mount_wait_ms(win: &web_sys::Window) -> i32 {
    js_sys::Reflect::get(win, &"runlensMountWaitMs".into())
        .ok()
        .and_then(|v| v.as_f64())
        .map_or(MOUNT_WAIT_MS, |ms| ms as i32)
}

/// The longest the page shows only its top bar while the run it opens is on its way (ms).
const SETTLE_MS: u32 = 300;

/// The root component.
#[component]
pub fn App() -> Html {
    let store = use_reducer(crate::shell::boot::first_state);
    {
        let d = store.dispatcher();
        use_effect_with((), move |_| boot(&d));
    }
    use_page_drop(store.dispatcher());
    use_shortcuts(&store);
    use_history(store.dispatcher());

    // Reflect state on <html>: theme and busy flag.
    use_effect_with((store.theme, store.busy > 0), move |(theme, busy)| {
        if let Some(root) = gloo::utils::document().document_element() {
            let _ = root.set_attribute("data-theme", theme.as_str());
            let _ = root.set_attribute("data-busy", if *busy { "1" } else { "0" });
        }
    });

    // The address names what is shown, so a copied link reopens the same view. Written in a
    // task of its own, after the view it names is drawn: the browser's history write can
    // take as long as the drawing (18 ms measured in headless Chromium), and together they
    // made one long task; a route replaced before then is never written.
    {
        let store = store.clone();
        use_effect_with(route_of(&store), move |route| {
            let pending = route.clone().map(|r| {
                crate::shell::frames::task_after_first_screen(move || {
                    write(&r, |current| names_open_run(&store, current))
                })
            });
            move || drop(pending)
        });
    }

    // Until the run the page opens is in, the page shows its top bar only: the empty page
    // would otherwise be built, laid out and painted, only to be replaced a moment later,
    // and the run painted that much later. It waits until a run is open, the first loads
    // are done (the store was busy and is not any more), or SETTLE_MS have passed.
    let over = use_mut_ref(|| false);
    let busy_seen = use_mut_ref(|| false);
    {
        // The wait's end redraws the page only if it is still waiting.
        let (over, redraw) = (over.clone(), use_force_update());
        use_effect_with((), move |_| {
            let wait = gloo::timers::callback::Timeout::new(SETTLE_MS, move || {
                if !over.replace(true) {
                    redraw.force_update();
                }
            });
            move || drop(wait)
        });
    }
    let full = store.index_view || !store.workspace.is_empty();
    *busy_seen.borrow_mut() |= store.busy > 0;
    let loads_done = *busy_seen.borrow() && store.busy == 0;
    if loads_done || store.open.is_some() || !store.compare.is_empty() || full {
        *over.borrow_mut() = true;
    }
    let settling = !*over.borrow();
    if settling {
        return html! {
            <ContextProvider<Store> context={store.clone()}>
                <TopBar />
                <ErrorList />
                <div class="layout" aria-busy="true"></div>
            </ContextProvider<Store>>
        };
    }
    html! {
        <ContextProvider<Store> context={store.clone()}>
            <TopBar />
            <ErrorList />
            <div class={classes!("layout", full.then_some("full"))}>
                // The runs table and the workspace list their runs themselves: the page gives
                // them the full width.
                if !full { <Sidebar /> }
                if store.index_view { <IndexView /> } else if !store.workspace.is_empty() { <WorkspacePane /> } else if store.compare.is_empty() { <RunPane /> } else { <ComparePane /> }
            </div>
            <DropOverlay active={store.dragging} />
            if store.paste_open { <PasteDialog /> }
            if store.help_open { <HelpDialog /> }
        </ContextProvider<Store>>
    }
}

/// Whether `route` names the run that is open (by its URL, identity or run id).
fn names_open_run(s: &AppState, route: &Route) -> bool {
    match &route.target {
        Target::Run(e) | Target::Open(e) => slot_for(s, e).map(|x| &x.key) == s.open.as_ref(),
        _ => false,
    }
}
