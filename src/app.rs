//! The app shell: the store, start-up (theme, URL, manifest), page-wide listeners (drag and
//! drop, keyboard), and the panic banner.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, KeyboardEvent};
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
use crate::loader::{load_drop, load_hosted, load_manifest};
use crate::state::{open_slot, Action, AppState, Theme};

/// The store as components receive it.
pub type Store = UseReducerHandle<AppState>;

/// Mounts the app (called from `main`).
pub fn start() {
    // Through yew: `render` replaces any hook set with `std::panic::set_hook`.
    yew::set_custom_panic_hook(Box::new(panic_banner));
    yew::Renderer::<App>::new().render();
}

/// Bytes of wasm memory in use (for the performance probe in the browser tests).
#[wasm_bindgen]
pub fn wasm_memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| {
            m.buffer()
                .unchecked_into::<js_sys::ArrayBuffer>()
                .byte_length() as f64
        })
        .unwrap_or(0.0)
}

/// Shows an error banner with a reload action instead of a dead page. The banner belongs to
/// `static/init.js` (`window.runlensFatal`): after a panic the wasm instance aborts, so the
/// banner and its Reload button must not need it.
fn panic_banner(info: &std::panic::PanicHookInfo<'_>) {
    let message = JsValue::from_str(&info.to_string());
    web_sys::console::error_1(&message);
    let fatal = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("runlensFatal")).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let Some(f) = fatal {
        let _ = f.call1(&JsValue::NULL, &message);
    }
}

/// Fails on purpose, so the browser tests can check what a user sees after a real failure:
/// `"panic"` panics (through the panic hook); anything else aborts as an out-of-memory
/// error does (a wasm trap that bypasses the hook). Reachable only from the console, as
/// `wasmBindings.fault_probe(kind)`.
#[wasm_bindgen]
pub fn fault_probe(kind: &str) {
    if kind == "panic" {
        panic!("fault probe: the browser test of the error banner");
    }
    std::process::abort();
}

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
    match v.as_str() {
        "dark" => Some(Theme::Dark),
        "light" => Some(Theme::Light),
        _ => None,
    }
}

use gloo::storage::Storage;

/// Reads `?run=`, `?index=` and starts the loads.
fn boot(dispatch: &yew::functional::UseReducerDispatcher<AppState>) {
    dispatch.dispatch(Action::Theme(stored_theme().unwrap_or_else(system_theme)));
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok();
    let get = |k: &str| {
        params
            .as_ref()
            .and_then(|p| p.get(k))
            .filter(|v| !v.is_empty())
    };
    let index = get("index");
    let quiet = index.is_none();
    load_manifest(
        index.unwrap_or_else(|| "runs.json".to_string()),
        dispatch.clone(),
        quiet,
    );
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    if hash.contains(crate::share::PREFIX) {
        crate::loader::load_shared(&hash, dispatch);
    }
    crate::loader::load_recent(dispatch);
    if get("view").as_deref() == Some("index") {
        dispatch.dispatch(Action::ShowIndex(true));
    }
    if let Some(list) = get("compare") {
        let entries: Vec<String> = list
            .split(',')
            .map(|e| e.trim().to_string())
            .filter(|e| !e.is_empty())
            .collect();
        dispatch.dispatch(Action::Compare(entries));
    }
    if let Some(run) = get("run") {
        dispatch.dispatch(Action::Want(run.clone()));
        load_hosted(run, Vec::new(), None, true, dispatch.clone());
    } else if let Some(open) = get("open") {
        dispatch.dispatch(Action::Want(open));
    }
}

fn typing(e: &KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| {
            let tag = el.tag_name().to_ascii_lowercase();
            // Checkboxes and buttons take no text: shortcuts still work with focus on them.
            let text_input = tag == "input"
                && !matches!(
                    el.get_attribute("type")
                        .unwrap_or_default()
                        .to_ascii_lowercase()
                        .as_str(),
                    "checkbox"
                        | "radio"
                        | "button"
                        | "submit"
                        | "reset"
                        | "range"
                        | "file"
                        | "color"
                );
            text_input
                || tag == "textarea"
                || tag == "select"
                || el.has_attribute("contenteditable")
        })
}

/// The root component.
#[component]
pub fn App() -> Html {
    let store = use_reducer(AppState::default);

    {
        let d = store.dispatcher();
        use_effect_with((), move |_| boot(&d));
    }

    // Page-wide drag and drop: the whole window is the drop target.
    {
        let d = store.dispatcher();
        use_effect_with((), move |_| {
            let win = gloo::utils::window();
            let opts = EventListenerOptions::enable_prevent_default();
            let d1 = d.clone();
            let enter = EventListener::new_with_options(&win, "dragenter", opts, move |e| {
                e.prevent_default();
                d1.dispatch(Action::Dragging(true));
            });
            let over = EventListener::new_with_options(&win, "dragover", opts, move |e| {
                e.prevent_default();
            });
            let d2 = d.clone();
            let leave = EventListener::new(&win, "dragleave", move |e| {
                let e: &DragEvent = e.unchecked_ref();
                // Leaving the window, not moving between elements inside it.
                if e.related_target().is_none() {
                    d2.dispatch(Action::Dragging(false));
                }
            });
            let d3 = d.clone();
            let drop = EventListener::new_with_options(&win, "drop", opts, move |e| {
                e.prevent_default();
                d3.dispatch(Action::Dragging(false));
                let e: &DragEvent = e.unchecked_ref();
                if let Some(dt) = e.data_transfer() {
                    load_drop(dt, d3.clone());
                }
            });
            move || drop_all([enter, over, leave, drop])
        });
    }

    // Keyboard shortcuts (never while typing).
    {
        let store = store.clone();
        use_effect_with(
            (store.theme, store.help_open, store.selected.clone()),
            move |_| {
                let d = store.dispatcher();
                let theme = store.theme;
                let help = store.help_open;
                let selected = store.selected.clone();
                // Not passive: `/` must not also type itself into the search box it focuses.
                let opts = EventListenerOptions::enable_prevent_default();
                let listener = EventListener::new_with_options(
                    &gloo::utils::document(),
                    "keydown",
                    opts,
                    move |e| {
                        let e: &KeyboardEvent = e.unchecked_ref();
                        if e.ctrl_key() || e.meta_key() || e.alt_key() {
                            return;
                        }
                        if e.key() == "Escape" {
                            d.dispatch(Action::Help(false));
                            d.dispatch(Action::Paste(false));
                            return;
                        }
                        if typing(e) {
                            return;
                        }
                        match e.key().as_str() {
                            "/" => {
                                e.prevent_default();
                                if let Some(el) =
                                    gloo::utils::document().get_element_by_id("run-search")
                                {
                                    if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                                        let _ = el.focus();
                                    }
                                }
                            }
                            "j" => d.dispatch(Action::Step(1)),
                            "k" => d.dispatch(Action::Step(-1)),
                            "t" => {
                                remember_theme(toggle(theme));
                                d.dispatch(Action::Theme(toggle(theme)));
                            }
                            "?" => d.dispatch(Action::Help(!help)),
                            "c" if selected.len() >= 2 => {
                                d.dispatch(Action::Compare(selected.clone()))
                            }
                            _ => {}
                        }
                    },
                );
                move || drop(listener)
            },
        );
    }

    // Back and forward: reopen what the URL names.
    {
        let d = store.dispatcher();
        use_effect_with((), move |_| {
            let l = EventListener::new(&gloo::utils::window(), "popstate", move |_| {
                let search = gloo::utils::window()
                    .location()
                    .search()
                    .unwrap_or_default();
                let Ok(p) = web_sys::UrlSearchParams::new_with_str(&search) else {
                    return;
                };
                d.dispatch(Action::ShowIndex(p.get("view").as_deref() == Some("index")));
                if let Some(list) = p.get("compare").filter(|c| !c.is_empty()) {
                    d.dispatch(Action::Compare(
                        list.split(',').map(str::to_string).collect(),
                    ));
                } else if let Some(entry) = p.get("run").or_else(|| p.get("open")) {
                    d.dispatch(Action::OpenEntry(entry));
                }
            });
            move || drop(l)
        });
    }

    // Reflect state on <html>: theme, busy flag; remember the theme.
    {
        let theme = store.theme;
        let busy = store.busy > 0;
        use_effect_with((theme, busy), move |(theme, busy)| {
            if let Some(root) = gloo::utils::document().document_element() {
                let _ = root.set_attribute("data-theme", theme.as_str());
                let _ = root.set_attribute("data-busy", if *busy { "1" } else { "0" });
            }
        });
    }

    // The URL names the open run (hosted runs by their URL, `?run=`; others by id), or the
    // comparison (`?compare=a,b`), so a copied link reopens the same view.
    {
        let slot = open_slot(&store).map(|s| (s.url.clone(), s.key.clone()));
        let compare = store.compare.clone();
        let index = store.index_view;
        use_effect_with((slot, compare, index), move |(slot, compare, index)| {
            if *index {
                set_url_index();
            } else if !compare.is_empty() {
                set_url_compare(compare);
            } else if let Some((url, key)) = slot {
                set_url_run(url.as_deref(), key);
            }
        });
    }

    html! {
        <ContextProvider<Store> context={store.clone()}>
            <TopBar />
            <ErrorList />
            <div class={classes!("layout", store.index_view.then_some("full"))}>
                // The runs table lists every run itself: the page gives it the full width.
                if !store.index_view { <Sidebar /> }
                if store.index_view { <IndexView /> } else if store.compare.is_empty() { <RunPane /> } else { <ComparePane /> }
            </div>
            <DropOverlay active={store.dragging} />
            if store.paste_open { <PasteDialog /> }
            if store.help_open { <HelpDialog /> }
        </ContextProvider<Store>>
    }
}

fn drop_all<const N: usize>(listeners: [EventListener; N]) {
    for l in listeners {
        drop(l);
    }
}

/// The other theme.
pub fn toggle(t: Theme) -> Theme {
    match t {
        Theme::Light => Theme::Dark,
        Theme::Dark => Theme::Light,
    }
}

/// Saves the theme choice.
pub fn remember_theme(t: Theme) {
    let _ = gloo::storage::LocalStorage::set("runlens.theme", t.as_str());
}

/// A query string as `UrlSearchParams` writes it.
fn normalized(search: &str) -> String {
    web_sys::UrlSearchParams::new_with_str(search)
        .map_or_else(|_| search.to_string(), |p| String::from(p.to_string()))
}

fn set_url_index() {
    let Some(win) = web_sys::window() else { return };
    let loc = win.location();
    let search = loc.search().unwrap_or_default();
    if search.contains("view=index") {
        return;
    }
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
        return;
    };
    for k in ["run", "open", "compare"] {
        params.delete(k);
    }
    params.set("view", "index");
    let next = format!(
        "{}?{}",
        loc.pathname().unwrap_or_default(),
        String::from(params.to_string())
    );
    if let Ok(h) = win.history() {
        let _ = h.push_state_with_url(&JsValue::NULL, "", Some(&next));
    }
}

fn set_url_compare(entries: &[String]) {
    let Some(win) = web_sys::window() else { return };
    let loc = win.location();
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&loc.search().unwrap_or_default())
    else {
        return;
    };
    params.delete("run");
    params.delete("open");
    params.delete("view");
    params.set("compare", &entries.join(","));
    let next = format!(
        "{}?{}",
        loc.pathname().unwrap_or_default(),
        String::from(params.to_string())
    );
    let before = format!(
        "{}?{}",
        loc.pathname().unwrap_or_default(),
        normalized(&loc.search().unwrap_or_default())
    );
    if next != before {
        if let Ok(h) = win.history() {
            // A comparison is a new history entry: back returns to the run it came from.
            let _ = h.push_state_with_url(&JsValue::NULL, "", Some(&next));
        }
    }
}

fn set_url_run(url: Option<&str>, key: &str) {
    let Some(win) = web_sys::window() else { return };
    let loc = win.location();
    let search = loc.search().unwrap_or_default();
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
        return;
    };
    params.delete("compare");
    params.delete("view");
    // Another run: the previous run's chart settings do not apply to it.
    let same_run = match url {
        Some(u) => params.get("run").as_deref() == Some(u),
        None => params.get("open").as_deref() == Some(key),
    };
    if !same_run {
        params.delete("chart");
    }
    for k in ["status", "exp", "from", "to", "sort"] {
        params.delete(k);
    }
    match url {
        Some(u) => {
            params.set("run", u);
            params.delete("open");
        }
        None => {
            params.delete("run");
            params.set("open", key);
        }
    }
    let hash = loc.hash().unwrap_or_default();
    let path = loc.pathname().unwrap_or_default();
    let next = format!("{path}?{}{hash}", String::from(params.to_string()));
    // Compare in one encoding (`/` and `,` may be escaped or not in the address bar).
    if next != format!("{path}?{}{hash}", normalized(&search)) {
        if let Ok(h) = win.history() {
            // A different run is a new history entry (back returns to the previous run);
            // filling in the first one is not.
            let first = search.is_empty()
                || !(search.contains("run=")
                    || search.contains("open=")
                    || search.contains("compare="));
            let _ = if first {
                h.replace_state_with_url(&JsValue::NULL, "", Some(&next))
            } else {
                h.push_state_with_url(&JsValue::NULL, "", Some(&next))
            };
        }
    }
}
