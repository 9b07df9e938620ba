//! A `- key: value` section (Summary, Paths, Changes vs Previous) as a table of every key,
//! template keys and others, with its unmapped lines.

use std::rc::Rc;

use yew::prelude::*;

use crate::archive::model::{KeyValues, SectionKind};
use crate::components::common::{node_inline, raw_lines_html};
use crate::components::section::Section;
use crate::runs::Run;
use crate::state::Action;
use crate::state::Store;

/// Props of [`KvSection`].
#[derive(Properties, Clone)]
pub struct KvSectionProps {
    /// The run.
    pub run: Rc<Run>,
    /// Which section.
    pub kind: SectionKind,
    /// Key of the previous run when loaded (Changes only).
    #[prop_or_default]
    pub previous: Option<String>,
}

impl PartialEq for KvSectionProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.run, &other.run)
            && self.kind == other.kind
            && self.previous == other.previous
    }
}

fn section_of(run: &Run, kind: SectionKind) -> Option<&KeyValues> {
    let a = &run.parsed.archive;
    Some(match kind {
        SectionKind::Summary => &a.summary,
        SectionKind::Paths => &a.paths,
        SectionKind::Changes => &a.changes,
        SectionKind::Resources => &a.resources,
        SectionKind::Repro => &a.repro,
        SectionKind::Artifacts => &a.artifacts,
        SectionKind::ConfigSnapshot => &a.config,
        SectionKind::DataSnapshot => &a.data_snapshot,
        _ => return None,
    })
}

/// The section.
#[component]
pub fn KvSection(props: &KvSectionProps) -> Html {
    let store = use_context::<Store>();
    let run = &props.run;
    let kind = props.kind;
    let Some(kv) = section_of(run, kind) else {
        return html! {};
    };
    let a = &run.parsed.archive;
    let present = a.has(kind);
    let prev = (kind == SectionKind::Changes)
        .then(|| a.previous_run_id())
        .flatten()
        .map(|id| match (&props.previous, &store) {
            (Some(key), Some(store)) => {
                let d = store.dispatcher();
                let key = key.clone();
                let open = {
                    let d = d.clone();
                    let key = key.clone();
                    Callback::from(move |_| d.dispatch(Action::Open(key.clone())))
                };
                let compare = {
                    let pair = vec![key.clone(), run.key.clone()];
                    Callback::from(move |_| d.dispatch(Action::Compare(pair.clone())))
                };
                html! { <p class="row">
                    <button type="button" id="compare-previous" class="primary" onclick={compare}>{ format!("Compare with the previous run {id}") }</button>
                    <button type="button" class="linkish" onclick={open}>{ format!("Open {id} →") }</button>
                </p> }
            }
            _ => html! { <p class="muted">{ format!("The previous run {id} is not loaded; drop or open it to follow the link.") }</p> },
        });
    html! {
        <Section id={format!("sec-{}", kind.key())} title={kind.title()} line={a.heading_line(kind)}
            note={(!present).then_some(AttrValue::from("section missing"))}>
            if !kv.fields.is_empty() {
                <table class="grid kv-table">
                    <tbody>
                    { for kv.fields.entries.iter().map(|e| html! {
                        <tr>
                            <th scope="row" class="key">{ e.key.clone() }</th>
                            <td class="mono">{ node_inline(&e.node) }</td>
                        </tr>
                    }) }
                    </tbody>
                </table>
            }
            { prev.unwrap_or_default() }
            { raw_lines_html(&kv.unmapped, "Lines not read as key: value") }
        </Section>
    }
}
