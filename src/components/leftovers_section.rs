//! Everything the template has no place for: sections it does not define (as text), lines
//! before the first section, comments.

use yew::prelude::*;

use crate::components::common::{raw_lines_html, RunProps};
use crate::components::section::Section;

/// The section.
#[component]
pub fn LeftoversSection(props: &RunProps) -> Html {
    let a = &props.run.parsed.archive;
    let comments: Vec<_> = [
        &a.summary.comments,
        &a.config.comments,
        &a.paths.comments,
        &a.data_snapshot.comments,
        &a.steps.comments,
        &a.repro.comments,
        &a.artifacts.comments,
        &a.resources.comments,
        &a.changes.comments,
    ]
    .into_iter()
    .flatten()
    .cloned()
    .collect();
    let n = a.extra_sections.len();
    html! {
        <Section id="sec-other" title="Other sections" note={Some(AttrValue::from(format!("{n}")))}>
            if n == 0 && a.preamble.is_empty() { <p class="muted">{ "The archive has no sections beyond the template's." }</p> }
            { for a.extra_sections.iter().enumerate().map(|(i, x)| html! {
                <div id={format!("sec-extra-{}", i + 1)} class="extra">
                    <h3>{ x.title.clone() }<span class="line-no">{ format!("line {}", x.line) }</span></h3>
                    <pre class="block prose" tabindex="0">{ x.text() }</pre>
                </div>
            }) }
            { raw_lines_html(&a.preamble, "Lines before the first section") }
            if !comments.is_empty() {
                <details>
                    <summary>{ format!("Comments ({})", comments.len()) }</summary>
                    { raw_lines_html(&comments, "Comment lines") }
                </details>
            }
        </Section>
    }
}
