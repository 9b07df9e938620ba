//! The pipeline as a strip of chips: name, stage, status colour, duration, retries.

use yew::prelude::*;

use crate::components::common::RunProps;
use crate::components::completeness_section::step_anchor;
use crate::format;

/// The step strip.
#[component]
pub fn StepStrip(props: &RunProps) -> Html {
    let steps = &props.run.parsed.archive.steps.steps;
    if steps.is_empty() {
        return html! {};
    }
    html! {
        <ol class="step-strip" aria-label="Pipeline steps">
            { for steps.iter().enumerate().map(|(i, st)| {
                let status = st.status();
                let class = classes!("chip", format!("status-{}", status.class()));
                let warns = st.warnings().len();
                html! {
                    <li>
                        <a {class} href={format!("#{}", step_anchor(st, i))} title={format!("{} — {}", st.label(), status.label())}>
                            <span class="chip-name">{ st.name().unwrap_or("step").to_string() }</span>
                            if let Some(stage) = st.stage().filter(|s| *s != "none") { <span class="chip-stage">{ stage.to_string() }</span> }
                            <span class="chip-meta">
                                { status.label() }
                                if let Some(d) = st.duration_sec() { { format!(" · {}", format::duration(d)) } }
                            </span>
                            if let Some(r) = st.retries().filter(|r| *r > 0) { <span class="badge warn">{ format!("{r} retr{}", if r == 1 { "y" } else { "ies" }) }</span> }
                            if warns > 0 { <span class="badge warn">{ format!("{warns} warn") }</span> }
                        </a>
                    </li>
                }
            }) }
        </ol>
    }
}
