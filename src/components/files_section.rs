//! The files that came with the run (event files, CSVs, logs).

use yew::prelude::*;

use crate::components::common::{bytes_html, text_html, RunProps};
use crate::components::section::Section;

/// The section.
#[component]
pub fn FilesSection(props: &RunProps) -> Html {
    let files = &props.run.companions;
    html! {
        <Section id="sec-files" title="Files with this run" note={Some(AttrValue::from(format!("{}", files.len())))}>
            if files.is_empty() {
                <p class="muted">{ "No files came with this archive. Drop the whole run folder to keep its tensorboard/, curves/ and logs/ files with it." }</p>
            } else {
                <table class="grid">
                    <thead><tr><th scope="col">{ "path" }</th><th scope="col">{ "size" }</th></tr></thead>
                    <tbody>
                    { for files.iter().map(|f| html! { <tr>
                        <td class="mono">{ match &f.url { Some(u) => html!{ <a href={crate::components::common::safe_href(u).unwrap_or_else(|| relative(u))}>{ f.path.clone() }</a> }, None => text_html(&f.path) } }</td>
                        <td>{ f.size.map(bytes_html).unwrap_or_default() }</td>
                    </tr> }) }
                    </tbody>
                </table>
            }
        </Section>
    }
}

/// A same-site relative URL, with any scheme-like prefix neutralised.
fn relative(u: &str) -> String {
    if u.contains(':') && !u.starts_with("./") {
        format!("./{u}")
    } else {
        u.to_string()
    }
}
