//! Copy a link to this run: hosted runs by their URL; dropped and pasted runs with the
//! archive compressed into the link's fragment (never sent to a server), or, when that is
//! too long for a link, a standalone HTML report to download instead.

use std::rc::Rc;

use yew::prelude::*;

use crate::format;
use crate::loader::download::save_text;
use crate::runs::{Run, Source};
use crate::share::{encode, report_html, MAX_LINK_CHARS};

/// Props of [`ShareButton`].
#[derive(Properties, Clone)]
pub struct ShareProps {
    /// The run.
    pub run: Rc<Run>,
}

impl PartialEq for ShareProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.run, &o.run)
    }
}

fn copy(text: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// The share controls.
#[component]
pub fn ShareButton(props: &ShareProps) -> Html {
    let note = use_state(|| None::<String>);
    let too_big = use_state(|| false);
    {
        // Another run: its own note, not the last one's.
        let note = note.clone();
        let too_big = too_big.clone();
        use_effect_with(props.run.key.clone(), move |_| {
            note.set(None);
            too_big.set(false);
        });
    }
    let run = props.run.clone();
    let onclick = {
        let note = note.clone();
        let too_big = too_big.clone();
        Callback::from(move |_| {
            let loc = gloo::utils::window().location();
            let here = format!(
                "{}{}",
                loc.origin().unwrap_or_default(),
                loc.pathname().unwrap_or_default()
            );
            match &run.source {
                Source::Hosted(_) => {
                    let href = loc.href().unwrap_or_default();
                    copy(&href);
                    note.set(Some(
                        "Link copied: it opens this run where the same archive is hosted.".into(),
                    ));
                }
                _ => {
                    let frag = encode(&run.text);
                    if frag.len() > MAX_LINK_CHARS {
                        too_big.set(true);
                        note.set(Some(format!(
                            "This archive needs a {} link; links over {} break in chat tools and some browsers. Download a standalone report instead.",
                            format::bytes(frag.len() as u64),
                            format::bytes(MAX_LINK_CHARS as u64)
                        )));
                    } else {
                        let link = format!(
                            "{here}?open={}#{frag}",
                            js_sys::encode_uri_component(&run.key)
                        );
                        copy(&link);
                        let _ = loc.set_hash(&frag);
                        note.set(Some(format!("Link copied ({}): the archive travels inside the link and is never uploaded.", format::bytes(link.len() as u64))));
                    }
                }
            }
        })
    };
    let download = {
        let run = props.run.clone();
        let note = note.clone();
        Callback::from(move |_| {
            let saved = save_text(
                &report_html(&run.parsed, &run.text),
                "text/html",
                &format!("{}.html", run.run_id()),
            );
            if let Err(e) = saved {
                note.set(Some(e.to_string()));
            }
        })
    };
    html! {
        <span class="share">
            <button type="button" id="share-link" {onclick}>{ "Copy link" }</button>
            <button type="button" id="download-report" onclick={download}>{ "Report (.html)" }</button>
            if let Some(n) = &*note { <span class={classes!("share-note", (*too_big).then_some("warn"))} role="status">{ n.clone() }</span> }
        </span>
    }
}
