//! Resources & Cost as cards; a missing value says "not recorded", never 0.

use yew::prelude::*;

use crate::archive::model::SectionKind;
use crate::components::common::{duration_html, node_inline, raw_lines_html, RunProps};
use crate::components::section::Section;

const KNOWN: [(&str, &str, &str); 4] = [
    ("train_time_sec", "train time", ""),
    ("peak_vram_gb", "peak VRAM", "GB"),
    ("avg_vram_gb", "average VRAM", "GB"),
    ("gpu_util_avg_pct", "GPU utilisation", "%"),
];

/// The section.
#[component]
pub fn ResourcesSection(props: &RunProps) -> Html {
    let a = &props.run.parsed.archive;
    let kind = SectionKind::Resources;
    let r = &a.resources;
    html! {
        <Section id="sec-resources" title={kind.title()} line={a.heading_line(kind)}
            note={(!a.has(kind)).then_some(AttrValue::from("section missing"))}>
            <div class="figures">
                { for KNOWN.iter().map(|(k, label, unit)| {
                    let value = match (r.get(k), *k) {
                        (Some(n), "train_time_sec") if n.as_f64().is_some() => duration_html(n.as_f64()),
                        (Some(n), _) if n.is_filled() => html! { <>{ node_inline(n) }{ format!(" {unit}") }</> },
                        _ => html! { <span class="muted">{ "not recorded" }</span> },
                    };
                    html! { <div class="figure"><div class="label">{ label.to_string() }</div><div class="value">{ value }</div></div> }
                }) }
                { for r.fields.entries.iter().filter(|e| !KNOWN.iter().any(|(k, _, _)| *k == e.key)).map(|e| html! {
                    <div class="figure"><div class="label">{ e.key.clone() }</div><div class="value">{ node_inline(&e.node) }</div></div>
                }) }
            </div>
            { raw_lines_html(&r.unmapped, "Lines not read as key: value") }
        </Section>
    }
}
