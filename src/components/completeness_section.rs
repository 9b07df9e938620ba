//! The template checklist: a completeness meter, the unfilled and missing fields, and the
//! Field Table rows with how the archive meets each.

use yew::prelude::*;

use crate::archive::completeness::FieldState;
use crate::archive::model::SectionKind;
use crate::archive::Step;
use crate::components::common::RunProps;
use crate::components::section::Section;
use crate::components::table_section::table_html;

/// The anchor id of a step card.
pub fn step_anchor(step: &Step, index: usize) -> String {
    step.id()
        .map_or_else(|| format!("step-n{}", index + 1), |i| format!("step-{i}"))
}

/// The section.
#[component]
pub fn CompletenessSection(props: &RunProps) -> Html {
    let run = &props.run;
    let a = &run.parsed.archive;
    let c = &run.completeness;
    let kind = SectionKind::Checklist;
    let list = |state: FieldState| {
        let paths = c.paths(state);
        html! {
            if !paths.is_empty() {
                <div>
                    <h3 class="sub">{ format!("{} ({})", state.as_str(), paths.len()) }</h3>
                    <ul class="paths">{ for paths.iter().map(|p| html! { <li class="mono">{ p.clone() }</li> }) }</ul>
                </div>
            }
        }
    };
    html! {
        <Section id="sec-checklist" title={kind.title()} line={a.heading_line(kind)}>
            <p class="meter-row">
                <meter min="0" max="100" low="80" high="99" optimum="100" value={format!("{:.1}", c.percent())}
                    aria-label="template fields filled"></meter>
                { format!(" {:.0}% of template fields filled ({} filled, {} unfilled, {} missing of {})",
                    c.percent(), c.count(FieldState::Filled), c.count(FieldState::Unfilled),
                    c.count(FieldState::Missing), c.fields.len()) }
            </p>
            { list(FieldState::Unfilled) }
            { list(FieldState::Missing) }
            <h3 class="sub">{ if a.checklist.rows.is_empty() { "Checklist (the template's, this archive has no Field Table)" } else { "Checklist" } }</h3>
            <table class="grid checklist">
                <thead><tr><th scope="col">{ "section" }</th><th scope="col">{ "field" }</th><th scope="col">{ "state" }</th><th scope="col">{ "not filled" }</th></tr></thead>
                <tbody>
                { for c.checklist.iter().map(|i| {
                    let (label, class) = match i.state {
                        Some(FieldState::Filled) => ("filled", "ok"),
                        Some(FieldState::Unfilled) => ("unfilled", "warn"),
                        Some(FieldState::Missing) => ("missing", "bad"),
                        None => ("does not apply", "muted"),
                    };
                    let open: Vec<String> = i.checks.iter().filter(|f| f.state != FieldState::Filled).map(|f| f.path.clone()).collect();
                    html! { <tr>
                        <td>{ i.section.clone() }</td><td class="mono">{ i.field.clone() }</td>
                        <td><span class={classes!("badge", class)}>{ label }</span></td>
                        <td class="mono small">{ open.join(", ") }</td>
                    </tr> }
                }) }
                </tbody>
            </table>
            if !a.checklist.rows.is_empty() {
                <details>
                    <summary>{ format!("The archive's Field Table ({} rows)", a.checklist.rows.len()) }</summary>
                    { table_html(&a.checklist) }
                </details>
            }
        </Section>
    }
}
