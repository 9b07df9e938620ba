//! Data Snapshot (paths with human line and byte counts) and Data Copy (the copy table).

use yew::prelude::*;

use crate::archive::model::{snapshot_file, SectionKind};
use crate::components::common::{bytes_html, count_html, node_inline, raw_lines_html, RunProps};
use crate::components::section::Section;
use crate::components::table_section::table_html;

/// Both data sections.
#[component]
pub fn DataSection(props: &RunProps) -> Html {
    let a = &props.run.parsed.archive;
    let snap = SectionKind::DataSnapshot;
    let copy = SectionKind::DataCopy;
    html! {
        <>
        <Section id="sec-data_snapshot" title={snap.title()} line={a.heading_line(snap)}
            note={(!a.has(snap)).then_some(AttrValue::from("section missing"))}>
            <table class="grid">
                <thead><tr><th scope="col">{ "key" }</th><th scope="col">{ "path" }</th><th scope="col">{ "lines" }</th><th scope="col">{ "size" }</th></tr></thead>
                <tbody>
                { for a.data_snapshot.fields.entries.iter().map(|e| {
                    let cells = match e.node.as_text() {
                        Some(t) => {
                            let f = snapshot_file(t);
                            html! { <>
                                <td class="mono">{ f.path }</td>
                                <td>{ f.lines.map(count_html).unwrap_or_default() }</td>
                                <td>{ f.bytes.map(bytes_html).unwrap_or_default() }</td>
                            </> }
                        }
                        None => html! { <><td class="mono">{ node_inline(&e.node) }</td><td></td><td></td></> },
                    };
                    html! { <tr><th scope="row" class="key">{ e.key.clone() }</th>{ cells }</tr> }
                }) }
                </tbody>
            </table>
            { raw_lines_html(&a.data_snapshot.unmapped, "Lines not read as key: value") }
        </Section>
        <Section id="sec-data_copy" title={copy.title()} line={a.heading_line(copy)}
            note={(!a.has(copy)).then_some(AttrValue::from("section missing"))}>
            { table_html(&a.data_copy) }
        </Section>
        </>
    }
}
