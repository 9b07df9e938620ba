//! Artifacts: checkpoints with tag and step (last and best marked), HF models, reports.

use yew::prelude::*;

use crate::archive::model::{CheckpointTag, SectionKind};
use crate::components::common::{node_inline, raw_lines_html, text_html, RunProps};
use crate::components::copy_button::CopyButton;
use crate::components::section::Section;

/// The section.
#[component]
pub fn ArtifactsSection(props: &RunProps) -> Html {
    let a = &props.run.parsed.archive;
    let kind = SectionKind::Artifacts;
    let ckpts = a.checkpoints();
    let list = |key: &str, title: &str| {
        let paths = a.artifact_paths(key);
        html! {
            <div>
                <h3 class="sub">{ format!("{title} ({})", paths.len()) }</h3>
                if paths.is_empty() { <p class="muted">{ "none recorded" }</p> }
                <ul class="paths">
                    { for paths.iter().map(|p| html! { <li class="mono">{ text_html(p) }{ " " }<CopyButton text={p.clone()} what="path" /></li> }) }
                </ul>
            </div>
        }
    };
    html! {
        <Section id="sec-artifacts" title={kind.title()} line={a.heading_line(kind)}
            note={(!a.has(kind)).then_some(AttrValue::from("section missing"))}>
            <h3 class="sub">{ format!("Checkpoints ({})", ckpts.len()) }</h3>
            if ckpts.is_empty() { <p class="muted">{ "none recorded" }</p> } else {
                <table class="grid">
                    <thead><tr><th scope="col">{ "tag" }</th><th scope="col">{ "step" }</th><th scope="col">{ "path" }</th></tr></thead>
                    <tbody>
                    { for ckpts.iter().map(|c| {
                        let tag = match &c.tag {
                            CheckpointTag::Last => html! { <span class="badge ok">{ "last" }</span> },
                            CheckpointTag::Best => html! { <span class="badge best">{ "best" }</span> },
                            CheckpointTag::Other(t) => html! { <span class="badge">{ t.clone().unwrap_or_else(|| "untagged".into()) }</span> },
                        };
                        html! { <tr>
                            <td>{ tag }</td>
                            <td class="num">{ c.step.map(|s| s.to_string()).unwrap_or_default() }</td>
                            <td class="mono">{ c.path.clone().unwrap_or_default() }
                                if let Some(p) = &c.path { { " " }<CopyButton text={p.clone()} what="checkpoint path" /> }</td>
                        </tr> }
                    }) }
                    </tbody>
                </table>
            }
            { list("hf_models", "HF models") }
            { list("reports", "Reports") }
            { for a.artifacts.fields.entries.iter().filter(|e| !["checkpoints", "hf_models", "reports"].contains(&e.key.as_str())).map(|e| html! {
                <p><span class="label">{ e.key.clone() }</span>{ " " }{ node_inline(&e.node) }</p>
            }) }
            { raw_lines_html(&a.artifacts.unmapped, "Lines not read as artifacts") }
        </Section>
    }
}
