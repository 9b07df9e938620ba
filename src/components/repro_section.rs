//! Repro: the commands with copy buttons, and the environment.

use yew::prelude::*;

use crate::archive::model::SectionKind;
use crate::archive::value::Value;
use crate::components::common::{node_inline, raw_lines_html, RunProps};
use crate::components::copy_button::CopyButton;
use crate::components::section::Section;

/// The section.
#[component]
pub fn ReproSection(props: &RunProps) -> Html {
    let a = &props.run.parsed.archive;
    let kind = SectionKind::Repro;
    let env_export: String = a
        .repro
        .get("env")
        .and_then(|n| n.as_map())
        .map(|m| {
            m.iter()
                .map(|(k, n)| format!("export {k}={}\n", shell_quote(&n.text)))
                .collect()
        })
        .unwrap_or_default();
    html! {
        <Section id="sec-repro" title={kind.title()} line={a.heading_line(kind)}
            note={(!a.has(kind)).then_some(AttrValue::from("section missing"))}>
            { for a.repro.fields.entries.iter().map(|e| match &e.node.value {
                Value::Map(m) => html! {
                    <div class="env">
                        <h3 class="sub">{ e.key.clone() }{ " " }
                            if e.key == "env" { <CopyButton text={env_export.clone()} what="environment as export lines" /> }
                        </h3>
                        <dl class="kv">
                            { for m.iter().map(|(k, n)| html! { <><dt class="mono">{ k.to_string() }</dt><dd class="mono">{ node_inline(n) }</dd></> }) }
                        </dl>
                    </div>
                },
                _ => html! {
                    <div class="command">
                        <span class="label">{ e.key.clone() }</span>
                        <code class="mono">{ e.node.text.clone() }</code>
                        <CopyButton text={e.node.text.clone()} what={format!("{} command", e.key)} />
                    </div>
                },
            }) }
            { raw_lines_html(&a.repro.unmapped, "Lines not read as key: value") }
        </Section>
    }
}

fn shell_quote(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-,:=@".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
