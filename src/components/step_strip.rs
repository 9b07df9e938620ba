//! The pipeline as a strip of chips: name, stage, status colour, duration, retries.
//!
//! A long pipeline (more steps than [`STRIP_COLLAPSE_ABOVE`]) starts collapsed to one summary
//! line with a toggle, so the run's content stays on the first screen; the rule and the line's
//! text live in [`crate::resources`].

use yew::prelude::*;

use crate::archive::model::Step;
use crate::components::common::RunProps;
use crate::components::completeness_section::step_anchor;
use crate::format;
use crate::resources::{step_tally, strip_starts_collapsed, STRIP_COLLAPSE_ABOVE};

fn chip(i: usize, st: &Step) -> Html {
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
}

/// The step strip.
#[component]
pub fn StepStrip(props: &RunProps) -> Html {
    let steps = &props.run.parsed.archive.steps.steps;
    let long = strip_starts_collapsed(steps.len());
    let expanded = use_state(|| false);
    if steps.is_empty() {
        return html! {};
    }
    let strip = html! {
        <ol class="step-strip" id="step-strip-list" aria-label="Pipeline steps" hidden={long && !*expanded}>
            { for steps.iter().enumerate().map(|(i, st)| chip(i, st)) }
        </ol>
    };
    if !long {
        return strip;
    }
    let tally = step_tally(&props.run.parsed.archive);
    let toggle = {
        let expanded = expanded.clone();
        Callback::from(move |_| expanded.set(!*expanded))
    };
    let first_failed = tally
        .failed
        .first()
        .and_then(|&i| steps.get(i).map(|st| (i, st)));
    let statuses = tally.statuses();
    html! {
        <div class="step-strip-long">
            // The text reads as `StepTally::line`: head, statuses, then the extras.
            <p class="strip-summary" id="step-strip-summary">
                <span class="strip-line">
                    <strong>{ tally.head() }</strong>
                    if !statuses.is_empty() { { ": " } }
                    { for tally.by_status.iter().zip(statuses.iter()).enumerate().map(|(k, ((st, _), text))| html! {
                        <>
                            if k > 0 { { ", " } }
                            <span class={classes!("strip-status", format!("status-{}", st.class()))}>
                                <span class={classes!("dot", format!("status-{}", st.class()))} aria-hidden="true"></span>
                                { text.clone() }
                            </span>
                        </>
                    }) }
                    { for tally.extras().into_iter().map(|e| html! { <>{ " · " }{ e }</> }) }
                </span>
                if let Some((i, st)) = first_failed {
                    <a class="strip-first-failed" href={format!("#{}", step_anchor(st, i))}>{ match st.id() { Some(id) => format!("first failed: step {id}, {}", st.label()), None => format!("first failed: {}", st.label()) } }</a>
                }
                <button type="button" class="strip-toggle" onclick={toggle} aria-expanded={expanded.to_string()} aria-controls="step-strip-list"
                    title={format!("Runs of more than {STRIP_COLLAPSE_ABOVE} steps open with the strip collapsed")}>
                    { if *expanded { "Hide the steps".to_string() } else { format!("Show all {} steps", steps.len()) } }
                </button>
            </p>
            { strip }
        </div>
    }
}
