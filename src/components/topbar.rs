//! The top bar: name, runs search, open files / folder, paste, theme, shortcuts.

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::loader::load_file_list;
use crate::state::{remember_theme, Store};
use crate::state::{Action, Theme};

/// The top bar.
#[component]
pub fn TopBar() -> Html {
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
            if busy { <span class="busy" role="status" aria-live="polite"><span class="spinner" aria-hidden="true"></span>{ "Loading…" }</span> }
            <span class="spacer"></span>
            <button id="open-index" type="button" onclick={on_index} aria-pressed={store.index_view.to_string()}>{ format!("All runs ({})", crate::format::grouped(store.runs.len() as u64)) }</button>
            <label class="button" for="file-input">{ "Open files" }</label>
            <input id="file-input" class="visually-hidden" type="file" multiple=true accept=".md,.markdown,text/markdown,text/plain,*" onchange={on_files.clone()} />
            <label class="button" for="folder-input">{ "Open run folder" }</label>
            <input id="folder-input" class="visually-hidden" type="file" webkitdirectory=true multiple=true onchange={on_files} />
            <button id="paste-open" type="button" onclick={on_paste}>{ "Paste" }</button>
            <button id="theme-toggle" type="button" onclick={on_theme}
                aria-label={ if theme == Theme::Dark { "Switch to light theme (t)" } else { "Switch to dark theme (t)" } }>
                { if theme == Theme::Dark { "Light" } else { "Dark" } }
            </button>
            <button type="button" onclick={on_help} aria-label="Keyboard shortcuts (?)">{ "?" }</button>
        </header>
    }
}
