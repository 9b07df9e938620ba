//! What the parser could not read as intended, each beside its line.

use yew::prelude::*;

use crate::archive::parse::split_lines;
use crate::components::common::RunProps;
use crate::components::section::Section;

/// The section.
#[component]
pub fn DiagnosticsSection(props: &RunProps) -> Html {
    let run = &props.run;
    let diags = &run.parsed.diagnostics;
    let lines = use_memo(DiagKey(run.clone()), |k| {
        let all = split_lines(&k.0.text);
        k.0.parsed
            .diagnostics
            .iter()
            .map(|d| {
                (d.line as usize)
                    .checked_sub(1)
                    .and_then(|i| all.get(i))
                    .map(|s| s.to_string())
                    .unwrap_or_default()
            })
            .collect::<Vec<String>>()
    });
    html! {
        <Section id="sec-diagnostics" title="Diagnostics" note={Some(AttrValue::from(format!("{}", diags.len())))}>
            if diags.is_empty() { <p class="muted">{ "The whole archive was read as the format says." }</p> } else {
                <table class="grid diags">
                    <thead><tr><th scope="col">{ "line" }</th><th scope="col">{ "severity" }</th><th scope="col">{ "message" }</th><th scope="col">{ "text" }</th></tr></thead>
                    <tbody>
                    { for diags.iter().zip(lines.iter()).map(|(d, text)| html! {
                        <tr class={format!("sev-{}", d.severity.as_str())}>
                            <td class="num">{ d.line }</td>
                            <td><span class={classes!("badge", d.severity.as_str())}>{ d.severity.as_str() }</span></td>
                            <td>{ d.message.clone() }</td>
                            <td class="mono small">{ text.clone() }</td>
                        </tr>
                    }) }
                    </tbody>
                </table>
            }
        </Section>
    }
}

#[derive(Clone)]
struct DiagKey(std::rc::Rc<crate::runs::Run>);

impl PartialEq for DiagKey {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.0, &other.0)
    }
}
