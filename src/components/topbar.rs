//! The top bar: name, runs search, open files / folder, paste, theme, shortcuts.
//!
//! On a narrow screen the actions fold into a menu behind one button (a disclosure: the
//! button says whether it is open and which panel it controls); the CSS decides when, so the
//! same buttons, with the same ids, are in the page at every width.

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, Node};
use yew::prelude::*;

use crate::loader::load_file_list;
use crate::state::{remember_theme, Store};
use crate::state::{Action, Theme};

/// Whether `target` lies inside the element of `node`.
fn inside(node: &NodeRef, target: Option<web_sys::EventTarget>) -> bool {
    let (Some(root), Some(t)) = (
        node.cast::<Node>(),
        target.and_then(|t| t.dyn_into::<Node>().ok()),
    ) else {
        return false;
    };
    root.contains(Some(&t))
}

/// The fold-away menu of a narrow screen: whether it is open, and the handlers that open
/// and close it (its button, Escape, focus leaving it, a press outside it, an action chosen).
struct FoldMenu {
    open: UseStateHandle<bool>,
    menu_ref: NodeRef,
    toggle_ref: NodeRef,
    on_menu_toggle: Callback<MouseEvent>,
    on_menu_key: Callback<KeyboardEvent>,
    on_menu_focusout: Callback<FocusEvent>,
    on_action: Callback<MouseEvent>,
}

#[hook]
fn use_fold_menu() -> FoldMenu {
    let menu_open = use_state(|| false);
    let menu_ref = use_node_ref();
    let toggle_ref = use_node_ref();
    // While the menu is open, a press anywhere outside it closes it.
    {
        let menu_open = menu_open.clone();
        let menu_ref = menu_ref.clone();
        use_effect_with(*menu_open, move |open| {
            let listener = open.then(|| {
                EventListener::new(&gloo::utils::document(), "pointerdown", move |e| {
                    if !inside(&menu_ref, e.target()) {
                        menu_open.set(false);
                    }
                })
            });
            move || drop(listener)
        });
    }
    let on_menu_toggle = {
        let menu_open = menu_open.clone();
        Callback::from(move |_| menu_open.set(!*menu_open))
    };
    // Escape closes the menu and gives the focus back to its button.
    let on_menu_key = {
        let menu_open = menu_open.clone();
        let toggle_ref = toggle_ref.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" && *menu_open {
                menu_open.set(false);
                if let Some(b) = toggle_ref.cast::<HtmlElement>() {
                    let _ = b.focus();
                }
            }
        })
    };
    // Tabbing out of the menu closes it (a focus that goes nowhere is a click: see above).
    let on_menu_focusout = {
        let menu_open = menu_open.clone();
        let menu_ref = menu_ref.clone();
        Callback::from(move |e: FocusEvent| {
            if let Some(next) = e.related_target() {
                if !inside(&menu_ref, Some(next)) {
                    menu_open.set(false);
                }
            }
        })
    };
    // Choosing an action closes the menu; a focus left inside it goes back to its button.
    let on_action = {
        let menu_open = menu_open.clone();
        let menu_ref = menu_ref.clone();
        let toggle_ref = toggle_ref.clone();
        Callback::from(move |e: MouseEvent| {
            let chosen = e
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|el| el.closest("button, label").ok().flatten())
                .is_some();
            if chosen && *menu_open {
                menu_open.set(false);
                let focused = gloo::utils::document()
                    .active_element()
                    .map(web_sys::EventTarget::from);
                if inside(&menu_ref, focused) {
                    if let Some(b) = toggle_ref.cast::<HtmlElement>() {
                        let _ = b.focus();
                    }
                }
            }
        })
    };
    FoldMenu {
        open: menu_open,
        menu_ref,
        toggle_ref,
        on_menu_toggle,
        on_menu_key,
        on_menu_focusout,
        on_action,
    }
}

/// The top bar.
#[component]
pub fn TopBar() -> Html {
    let FoldMenu {
        open: menu_open,
        menu_ref,
        toggle_ref,
        on_menu_toggle,
        on_menu_key,
        on_menu_focusout,
        on_action,
    } = use_fold_menu();
    let Some(store) = use_context::<Store>() else {
        return html! {};
    };
    let on_files = {
        let d = store.dispatcher();
        Callback::from(move |e: Event| {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                if let Some(list) = input.files() {
                    load_file_list(list, d.clone());
                }
                input.set_value("");
            }
        })
    };
    let on_search = {
        let d = store.dispatcher();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                d.dispatch(Action::Filter(input.value()));
            }
        })
    };
    let theme = store.theme;
    let on_theme = {
        let d = store.dispatcher();
        Callback::from(move |_| {
            remember_theme(theme.toggled());
            d.dispatch(Action::Theme(theme.toggled()));
        })
    };
    let on_paste = {
        let d = store.dispatcher();
        Callback::from(move |_| d.dispatch(Action::Paste(true)))
    };
    let on_help = {
        let d = store.dispatcher();
        let open = store.help_open;
        Callback::from(move |_| d.dispatch(Action::Help(!open)))
    };
    let busy = store.busy > 0;
    let on_index = {
        let d = store.dispatcher();
        let v = store.index_view;
        Callback::from(move |_| d.dispatch(Action::ShowIndex(!v)))
    };
    html! {
        <header class="topbar">
            <span class="brand">{ "runlens" }</span>
            <input id="run-search" type="search" placeholder="Search runs  ( / )" aria-label="Search runs"
                value={store.filter.clone()} oninput={on_search} />
            if busy { <span class="busy" role="status" aria-live="polite"><span class="spinner" aria-hidden="true"></span><span class="busy-text">{ "Loading…" }</span></span> }
            <span class="spacer"></span>
            <div class="topbar-menu" ref={menu_ref} onkeydown={on_menu_key} onfocusout={on_menu_focusout}>
                <button id="topbar-menu-toggle" class="menu-toggle" type="button" ref={toggle_ref} onclick={on_menu_toggle}
                    aria-expanded={menu_open.to_string()} aria-controls="topbar-actions">
                    <svg class="menu-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
                        <path d="M2 4h12M2 8h12M2 12h12" />
                    </svg>
                    { "Menu" }
                </button>
                <div id="topbar-actions" class={classes!("topbar-actions", menu_open.then_some("open"))} onclick={on_action}>
                    <button id="open-index" type="button" onclick={on_index} aria-pressed={store.index_view.to_string()}>{ format!("All runs ({})", crate::format::grouped(store.runs.len() as u64)) }</button>
                    <label class="button" for="file-input">{ "Open files" }</label>
                    <input id="file-input" class="visually-hidden" type="file" multiple=true accept=".md,.markdown,text/markdown,text/plain,*" onchange={on_files.clone()} />
                    <label class="button" for="folder-input">{ "Open run folder" }</label>
                    <input id="folder-input" class="visually-hidden" type="file" webkitdirectory=true multiple=true onchange={on_files} />
                    <button id="paste-open" type="button" onclick={on_paste}>{ "Paste" }</button>
                    <button id="theme-toggle" type="button" onclick={on_theme}
                        aria-label={ if theme == Theme::Dark { "Switch to light theme (t)" } else { "Switch to dark theme (t)" } }>
                        { if theme == Theme::Dark { "Light" } else { "Dark" } }
                        // In the menu there is room to say what the button does.
                        <span class="menu-only">{ " theme (t)" }</span>
                    </button>
                    <button type="button" onclick={on_help} aria-label="Keyboard shortcuts (?)">
                        <span class="bar-only">{ "?" }</span><span class="menu-only">{ "Keyboard shortcuts (?)" }</span>
                    </button>
                </div>
            </div>
        </header>
    }
}
