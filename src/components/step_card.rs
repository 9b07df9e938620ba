//! One step: status, inputs/outputs, params (collapsed, filterable), training figures,
//! metrics, eval results, logs, warnings, error and stack trace, and any other keys.

use std::rc::Rc;

use yew::prelude::*;

use crate::archive::{Status, Step};
use crate::components::common::{duration_html, node_inline, status_badge};
use crate::components::completeness_section::step_anchor;
use crate::components::step_chart::StepChart;
use crate::components::value_tree::{TreeOf, ValueTree};
use crate::format;
use crate::runs::Run;

/// Props of [`StepCard`].
#[derive(Properties, Clone)]
pub struct StepCardProps {
    /// The run.
    pub run: Rc<Run>,
    /// Index of the step in the run.
    pub index: usize,
}

impl PartialEq for StepCardProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.run, &other.run) && self.index == other.index
    }
}

/// Keys the card shows in its own places (the template's); the rest go to "other fields".
use crate::archive::model::STEP_KEYS as SHOWN;

/// Params are drawn up front while the whole run has fewer than this many; past it they
/// are drawn when their section is opened, so a 100k-line archive paints fast.
const EAGER_PARAMS: usize = 4000;

fn figure(label: &str, value: Html) -> Html {
    html! { <div class="figure"><div class="label">{ label.to_string() }</div><div class="value">{ value }</div></div> }
}

fn num(v: Option<f64>) -> Html {
    match v {
        Some(v) => html! { <span class="num">{ format::number(v) }</span> },
        None => html! { <span class="muted">{ "not recorded" }</span> },
    }
}

/// A step's map (`inputs`, `outputs`, `metrics`) as a titled list; nothing when empty.
fn kv_list(step: &Step, key: &'static str, title: &str) -> Html {
    match step.map(key) {
        Some(m) if !m.is_empty() => html! {
            <div class="io">
                <h4>{ title.to_string() }</h4>
                <dl class="kv">
                    { for m.iter().map(|(k, n)| html! { <><dt>{ k.to_string() }</dt><dd class="mono">{ node_inline(n) }</dd></> }) }
                </dl>
            </div>
        },
        _ => html! {},
    }
}

/// A train step's figures, its curve path and its chart.
fn training_block(run: &Rc<Run>, step: &Step, i: usize) -> Html {
    let Some(t) = step.training() else {
        return html! {};
    };
    html! {
        <div class="training">
            <h4>{ "Training" }</h4>
            <div class="figures">
                { figure("final loss", num(t.final_loss)) }
                { figure("best loss", num(t.best_loss)) }
                { figure("ppl", num(t.ppl)) }
                { figure("steps", num(t.steps.map(|s| s as f64))) }
                { figure("duration", duration_html(t.duration_sec)) }
                { figure("tokens/s", num(t.throughput_tokens_per_sec)) }
                { figure("step time (s)", num(t.step_time_sec_avg)) }
            </div>
            if let Some(curve) = &t.loss_curve {
                <p class="curve-path">
                    <span class="label">{ "loss curve " }</span><span class="mono path">{ curve.clone() }</span>
                </p>
            }
            <StepChart run={run.clone()} index={i} />
        </div>
    }
}

/// An eval step's datasets, results and script.
pub fn eval_block(step: &Step) -> Html {
    let Some(e) = step.eval() else {
        return html! {};
    };
    html! {
        <div class="eval">
            <h4>{ "Eval" }</h4>
            if !e.datasets.is_empty() {
                <p>{ "datasets: " }{ for e.datasets.iter().map(|d| html! { <span class="tag">{ d.clone() }</span> }) }</p>
            }
            if !e.results.is_empty() {
                <table class="grid results">
                    <thead><tr><th scope="col">{ "metric" }</th><th scope="col">{ "value" }</th></tr></thead>
                    <tbody>
                    { for e.results.iter().map(|(k, n)| html! { <tr><td>{ k.clone() }</td><td class="num">{ node_inline(n) }</td></tr> }) }
                    </tbody>
                </table>
            }
            if e.script_path.is_some() || e.script_version.is_some() {
                <p>{ "script: " }<span class="mono">{ e.script_path.clone().unwrap_or_default() }</span>
                   { " @ " }<span class="mono">{ e.script_version.clone().unwrap_or_default() }</span></p>
            }
        </div>
    }
}

/// The card.
#[component]
pub fn StepCard(props: &StepCardProps) -> Html {
    let opened = use_state(|| false);
    let Some(step) = props.run.parsed.archive.steps.steps.get(props.index) else {
        return html! {};
    };
    let run = props.run.clone();
    let i = props.index;
    let status = step.status();
    let total_params: usize = run
        .parsed
        .archive
        .steps
        .steps
        .iter()
        .map(|s| s.map("params").map_or(0, |m| m.len()))
        .sum();
    let eager = total_params < EAGER_PARAMS;
    let on_toggle = {
        let opened = opened.clone();
        Callback::from(move |_| opened.set(true))
    };
    let warnings = step.warnings();
    let params_len = step.map("params").map(|m| m.len());
    let rest_count = step
        .fields
        .entries
        .iter()
        .filter(|e| !SHOWN.contains(&e.key.as_str()))
        .count();
    let card_class = classes!("step-card", format!("status-{}", status.class()));
    html! {
        <article id={step_anchor(step, i)} class={card_class} aria-label={format!("Step {}", step.label())}>
            <header>
                <h3>
                    <a class="anchor" href={format!("#{}", step_anchor(step, i))}>{ format!("#{}", step.id().map_or((i + 1) as i64, |x| x)) }</a>
                    { " " }{ step.label() }{ " " }{ status_badge(&status) }
                </h3>
                <span class="meta">
                    { duration_html(step.duration_sec()) }
                    if let Some(r) = step.retries() { <span class={classes!("retries", (r > 0).then_some("warn"))}>{ format!(" · retries {r}") }</span> }
                    if let Some(c) = step.text("config") { <span class="mono">{ format!(" · {c}") }</span> }
                </span>
            </header>
            if matches!(status, Status::Failed) || step.get("error").is_some() {
                if let Some(err) = step.text("error") {
                    <div class="error-box" role="note">
                        <strong>{ "Error: " }</strong>{ err.to_string() }
                    </div>
                }
            }
            if let Some(stack) = step.get("error_stack").and_then(|n| n.as_text()) {
                <details class="stack" open={true}>
                    <summary>{ "Stack trace" }</summary>
                    <pre class="block mono" tabindex="0">{ stack.to_string() }</pre>
                </details>
            }
            if !warnings.is_empty() {
                <ul class="warnings">
                    { for warnings.iter().map(|w| html! { <li><span class="badge warn">{ "warning" }</span>{ " " }{ w.clone() }</li> }) }
                </ul>
            }
            <div class="io-row">
                { kv_list(step, "inputs", "Inputs") }
                { kv_list(step, "outputs", "Outputs") }
            </div>
            { training_block(&run, step, i) }
            { kv_list(step, "metrics", "Metrics") }
            { eval_block(step) }
            if let Some(logs) = step.get("logs") {
                <p class="logs"><span class="label">{ "logs " }</span><span class="mono path">{ node_inline(logs) }</span></p>
            }
            if let Some(n) = params_len {
                <details class="params" ontoggle={on_toggle}>
                    <summary>{ format!("Params ({n})") }</summary>
                    if eager || *opened {
                        <ValueTree run={run.clone()} of={TreeOf::Step(i, "params")} label="Filter params" />
                    }
                </details>
            }
            if rest_count > 0 {
                <details class="other" open={true}>
                    <summary>{ format!("Other fields ({rest_count})") }</summary>
                    <ValueTree run={run.clone()} of={TreeOf::StepRest(i, SHOWN.to_vec())} filterable={false} />
                </details>
            }
        </article>
    }
}
