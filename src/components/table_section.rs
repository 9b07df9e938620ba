//! A pipe-table section (Dependencies) shown as a table, every column and row kept.

use std::rc::Rc;

use yew::prelude::*;

use crate::archive::model::{SectionKind, Table};
use crate::components::common::raw_lines_html;
use crate::components::section::Section;
use crate::runs::Run;

/// Props of [`TableSection`].
#[derive(Properties, Clone)]
pub struct TableSectionProps {
    /// The run.
    pub run: Rc<Run>,
    /// Which section.
    pub kind: SectionKind,
}

impl PartialEq for TableSectionProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.run, &other.run) && self.kind == other.kind
    }
}

/// A table as HTML: every cell as text; unfilled placeholders greyed.
pub fn table_html(t: &Table) -> Html {
    let width = t
        .rows
        .iter()
        .map(|r| r.cells.len())
        .max()
        .unwrap_or(0)
        .max(t.columns.len());
    html! {
        <>
        <table class="grid">
            <thead><tr>
                { for (0..width).map(|i| html! { <th scope="col">{ t.columns.get(i).cloned().unwrap_or_default() }</th> }) }
            </tr></thead>
            <tbody>
            { for t.rows.iter().map(|r| html! {
                <tr>
                    { for (0..width).map(|i| {
                        let c = r.cells.get(i);
                        let class = classes!(c.is_some_and(|c| !c.is_filled() && !c.text.is_empty()).then_some("unfilled"));
                        html! { <td {class}>{ c.map(|c| c.text.clone()).unwrap_or_default() }</td> }
                    }) }
                </tr>
            }) }
            </tbody>
        </table>
        { raw_lines_html(&t.unmapped, "Lines not read as table rows") }
        { raw_lines_html(&t.comments, "Comments") }
        </>
    }
}

/// The section.
#[component]
pub fn TableSection(props: &TableSectionProps) -> Html {
    let a = &props.run.parsed.archive;
    let t = match props.kind {
        SectionKind::Dependencies => &a.dependencies,
        SectionKind::DataCopy => &a.data_copy,
        SectionKind::Checklist => &a.checklist,
        _ => return html! {},
    };
    html! {
        <Section id={format!("sec-{}", props.kind.key())} title={props.kind.title()} line={a.heading_line(props.kind)}
            note={Some(AttrValue::from(if a.has(props.kind) { format!("{} rows", t.rows.len()) } else { "section missing".to_string() }))}>
            { table_html(t) }
        </Section>
    }
}
