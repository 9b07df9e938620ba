//! Copy a link to this run: hosted runs by their URL; dropped and pasted runs with the
//! archive compressed into the link's fragment (never sent to a server), or, when that is
//! too long for a link, a standalone HTML report to download instead.

use std::rc::Rc;

use yew::prelude::*;

use crate::format;
use crate::loader::curve_source;
use crate::loader::download::save_text;
use crate::loader::CurveSource;
use crate::runs::{Run, Source};
use crate::share::curves::{encode as encode_curves, for_run as shared_curves, CURVES_PREFIX};
use crate::share::{encode, report_html, MAX_LINK_CHARS};
use crate::state::{CurveLoad, Store};

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

/// The fragment with the run's read loss curves added (reduced to what a chart needs), when
/// the link stays short enough with them.
fn with_curves(frag: String, run: &Run, store: Option<&Store>) -> String {
    let Some(store) = store else { return frag };
    let curves = shared_curves(run, |i| {
        let (key, name, _) = curve_source(run, i).unwrap_or_else(|| {
            let path = run.curve_path(i).unwrap_or_default();
            (
                run.missing_curve_key(&path),
                path,
                CurveSource::Bytes(Rc::from(&[][..])),
            )
        });
        match store.curves.get(&key) {
            Some(CurveLoad::Ready(c)) => Some((name, &c.curves)),
            _ => None,
        }
    });
    if curves.is_empty() {
        return frag;
    }
    let with = format!("{frag}&{}", encode_curves(&curves));
    if with.len() > MAX_LINK_CHARS {
        frag
    } else {
        with
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
    let store = use_context::<Store>();
    let onclick = {
        let note = note.clone();
        let too_big = too_big.clone();
        Callback::from(move |_| {
            let here = crate::shell::history::page_base();
            match &run.source {
                Source::Hosted(_) => {
                    let href = crate::shell::history::current_href();
                    copy(&href);
                    note.set(Some(
                        "Link copied: it opens this run where the same archive is hosted.".into(),
                    ));
                }
                _ => {
                    let frag = with_curves(encode(&run.text), &run, store.as_ref());
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
                            js_sys::encode_uri_component(run.run_id())
                        );
                        copy(&link);
                        crate::shell::history::go_to_fragment(&frag);
                        let curves = if frag.contains(CURVES_PREFIX) {
                            " with a reduced copy of its loss curves"
                        } else {
                            ""
                        };
                        note.set(Some(format!("Link copied ({}): the archive travels inside the link{curves} and is never uploaded.", format::bytes(link.len() as u64))));
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
