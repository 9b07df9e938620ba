//! The Config Snapshot as a collapsible tree with a filter box.

use yew::prelude::*;

use crate::archive::model::SectionKind;
use crate::components::common::{raw_lines_html, RunProps};
use crate::components::section::Section;
use crate::components::value_tree::{TreeOf, ValueTree};

/// The section.
#[component]
pub fn ConfigSection(props: &RunProps) -> Html {
    let a = &props.run.parsed.archive;
    let kind = SectionKind::ConfigSnapshot;
    html! {
        <Section id="sec-config_snapshot" title={kind.title()} line={a.heading_line(kind)}
            note={(!a.has(kind)).then_some(AttrValue::from("section missing"))}>
            <ValueTree run={props.run.clone()} of={TreeOf::Config} label="Filter config keys and values" />
            { raw_lines_html(&a.config.unmapped, "Lines not read as config") }
        </Section>
    }
}
