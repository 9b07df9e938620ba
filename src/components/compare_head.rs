//! The head of the two-run comparison: the title, the view switches, the exports, the
//! count of changes, and what B's archive itself says changed.

use std::rc::Rc;

use yew::prelude::*;

use crate::diff::export::{diff_html, diff_markdown};
use crate::diff::RunDiff;
use crate::loader::download::save_text;
use crate::runs::Run;
use crate::state::{Action, Store};

/// Props of [`CompareHead`].
#[derive(Properties, Clone)]
pub struct CompareHeadProps {
    /// The first run.
    pub a: Rc<Run>,
    /// The second run.
    pub b: Rc<Run>,
    /// Their diff.
    pub diff: Rc<RunDiff>,
    /// "differences only".
    pub diff_only: UseStateHandle<bool>,
    /// "hide run-id-only changes".
    pub hide_run_id: UseStateHandle<bool>,
    /// "side by side text".
    pub side: UseStateHandle<bool>,
}

impl PartialEq for CompareHeadProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.a, &o.a)
            && Rc::ptr_eq(&self.b, &o.b)
            && Rc::ptr_eq(&self.diff, &o.diff)
            && self.diff_only == o.diff_only
            && self.hide_run_id == o.hide_run_id
            && self.side == o.side
    }
}

fn toggle(s: &UseStateHandle<bool>) -> Callback<Event> {
    let s = s.clone();
    Callback::from(move |_| s.set(!*s))
}

/// A button that downloads the diff as Markdown or HTML; a refused download is reported.
fn export(d: &Rc<RunDiff>, html: bool, store: Option<Store>) -> Callback<MouseEvent> {
    let d = d.clone();
    Callback::from(move |_| {
        let (text, mime, ext) = if html {
            (diff_html(&d), "text/html", "html")
        } else {
            (diff_markdown(&d), "text/markdown", "md")
        };
        let saved = save_text(&text, mime, &format!("{}-vs-{}.{ext}", d.a, d.b));
        if let (Err(e), Some(s)) = (saved, &store) {
            s.dispatch(Action::Error(e));
        }
    })
}

/// The head.
#[component]
pub fn CompareHead(props: &CompareHeadProps) -> Html {
    let store = use_context::<Store>();
    let (a, b) = (&props.a, &props.b);
    let dispatch = |keys: Vec<String>| {
        let store = store.clone();
        Callback::from(move |_| {
            if let Some(s) = &store {
                s.dispatch(Action::Compare(keys.clone()));
            }
        })
    };
    let copy_md = {
        let d = props.diff.clone();
        Callback::from(move |_| {
            if let Some(w) = web_sys::window() {
                let _ = w.navigator().clipboard().write_text(&diff_markdown(&d));
            }
        })
    };
    let b_says = b
        .parsed
        .archive
        .changes
        .text("config_diff")
        .filter(|t| !crate::archive::model::is_none_word(t));
    let against = match b.parsed.archive.previous_run_id() {
        Some(p) if p == a.run_id() => " (against A)".to_string(),
        Some(p) => format!(" (against {p}, not A)"),
        None => String::new(),
    };
    html! {
        <header class="compare-head">
            <h1 id="compare-title">
                <span class="tag-a">{ "A" }</span>{ " " }<span class="mono">{ a.run_id().to_string() }</span>
                { " vs " }
                <span class="tag-b">{ "B" }</span>{ " " }<span class="mono">{ b.run_id().to_string() }</span>
            </h1>
            <div class="row wrap">
                <label><input type="checkbox" checked={*props.diff_only} onchange={toggle(&props.diff_only)} />{ " differences only" }</label>
                <label><input type="checkbox" checked={*props.hide_run_id} onchange={toggle(&props.hide_run_id)} />{ " hide run-id-only changes" }</label>
                <label><input type="checkbox" checked={*props.side} onchange={toggle(&props.side)} />{ " side by side text" }</label>
                <button type="button" onclick={dispatch(vec![b.key.clone(), a.key.clone()])}>{ "Swap A/B" }</button>
                <button type="button" onclick={export(&props.diff, false, store.clone())}>{ "Markdown" }</button>
                <button type="button" onclick={copy_md}>{ "Copy Markdown" }</button>
                <button type="button" onclick={export(&props.diff, true, store.clone())}>{ "HTML" }</button>
                <button type="button" onclick={dispatch(Vec::new())}>{ "Close" }</button>
            </div>
            <p class="compare-count">{ format!("{} changes", props.diff.count()) }</p>
            if let Some(t) = b_says {
                <p class="archive-says">
                    <span class="label">{ format!("B's own “Changes vs Previous”{against}: ") }</span>
                    <span class="mono">{ t.to_string() }</span>
                </p>
            }
        </header>
    }
}
