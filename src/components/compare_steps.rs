//! The steps of two runs compared: each matched step with its changes, all its params on
//! request and, for train steps, the overlaid loss curves; a step only one run has shows
//! what it was (name, stage, config, status, params, figures, eval datasets and results).

use std::rc::Rc;

use yew::prelude::*;

use crate::archive::Step;
use crate::components::change_table::changes_table;
use crate::components::common::node_inline;
use crate::components::overlay_chart::OverlayChart;
use crate::components::step_card::eval_block;
use crate::diff::export::show;
use crate::diff::run::{param_rows, Presence, RunDiff, StepDiff};
use crate::runs::Run;

/// Props of [`CompareSteps`].
#[derive(Properties, Clone)]
pub struct CompareStepsProps {
    /// The first run.
    pub a: Rc<Run>,
    /// The second run.
    pub b: Rc<Run>,
    /// Their diff.
    pub diff: Rc<RunDiff>,
    /// Show only what differs (no "All params").
    pub diff_only: bool,
    /// Hide changes that only replace the run id.
    pub hide_run_id: bool,
}

impl PartialEq for CompareStepsProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.a, &o.a)
            && Rc::ptr_eq(&self.b, &o.b)
            && Rc::ptr_eq(&self.diff, &o.diff)
            && self.diff_only == o.diff_only
            && self.hide_run_id == o.hide_run_id
    }
}

fn step_name(s: &StepDiff) -> String {
    if s.stage.is_empty() || s.stage == "none" {
        s.name.clone()
    } else {
        format!("{} ({})", s.name, s.stage)
    }
}

fn step_of(run: &Run, i: Option<usize>) -> Option<&Step> {
    run.parsed.archive.steps.steps.get(i?)
}

/// All params of two matched steps side by side, changed rows marked.
fn all_params(a: Option<&Step>, b: Option<&Step>) -> Html {
    let rows = param_rows(
        a.and_then(|s| s.map("params")),
        b.and_then(|s| s.map("params")),
    );
    html! {
        <details class="params">
            <summary>{ format!("All params ({})", rows.len()) }</summary>
            <table class="grid">
                <thead><tr><th scope="col">{ "param" }</th><th scope="col">{ "A" }</th><th scope="col">{ "B" }</th></tr></thead>
                <tbody>
                { for rows.iter().map(|r| html! {
                    <tr class={classes!((!r.same).then_some("kind-changed"))}><td class="mono">{ r.key.clone() }</td><td class="mono">{ show(&r.a) }</td><td class="mono">{ show(&r.b) }</td></tr>
                }) }
                </tbody>
            </table>
        </details>
    }
}

/// What a step only one run has holds: its config and status, its figures, its eval
/// datasets and results, and its params (open, as nothing else shows them).
fn only_content(step: &Step) -> Html {
    let scalars: Vec<(&str, &crate::archive::value::Node)> = ["status", "config", "error"]
        .iter()
        .filter_map(|k| step.get(k).map(|n| (*k, n)))
        .collect();
    let maps = ["training", "metrics"]
        .iter()
        .filter_map(|k| step.map(k).filter(|m| !m.is_empty()).map(|m| (*k, m)));
    let params = step.map("params");
    html! {
        <div class="only-content">
            <dl class="kv">
                { for scalars.iter().map(|(k, n)| html! { <><dt>{ k.to_string() }</dt><dd class="mono">{ node_inline(n) }</dd></> }) }
            </dl>
            { for maps.map(|(k, m)| html! {
                <div class="io">
                    <h4>{ k.to_string() }</h4>
                    <dl class="kv">
                        { for m.iter().map(|(k, n)| html! { <><dt>{ k.to_string() }</dt><dd class="mono">{ node_inline(n) }</dd></> }) }
                    </dl>
                </div>
            }) }
            { eval_block(step) }
            if let Some(p) = params {
                <details class="params only-params" open={true}>
                    <summary>{ format!("Params ({})", p.len()) }</summary>
                    <table class="grid">
                        <thead><tr><th scope="col">{ "param" }</th><th scope="col">{ "value" }</th></tr></thead>
                        <tbody>
                        { for p.iter().map(|(k, n)| html! { <tr><td class="mono">{ k.to_string() }</td><td class="mono">{ show(&Some(n.clone())) }</td></tr> }) }
                        </tbody>
                    </table>
                </details>
            }
        </div>
    }
}

/// A step only one run has: the "only in" line, then its content.
fn only_step(s: &StepDiff, ids: &str) -> Html {
    let (side, class) = match s.presence {
        Presence::OnlyA => ("A", "k-removed"),
        _ => ("B", "k-added"),
    };
    html! {
        <div class={classes!("cmp-only", format!("only-{}", side.to_lowercase()))} data-step={step_name(s)}>
            <p class="step-only"><span class={classes!("badge", class)}>{ format!("only in {side}") }</span>{ format!(" {} (step {ids})", step_name(s)) }</p>
            if let Some(step) = &s.only { { only_content(step) } }
        </div>
    }
}

/// The steps section.
#[component]
pub fn CompareSteps(props: &CompareStepsProps) -> Html {
    let (a, b, diff) = (&props.a, &props.b, &props.diff);
    html! {
        <section class="section" id="cmp-steps">
            <h2>{ "steps" }<span class="note">{ diff.steps.len() }</span></h2>
            { for diff.steps.iter().map(|s| {
                let ids = format!("{} ↔ {}", s.a_id.map_or("—".into(), |i| i.to_string()), s.b_id.map_or("—".into(), |i| i.to_string()));
                if s.presence != Presence::Both {
                    return only_step(s, &ids);
                }
                let (ia, ib) = (s.a.unwrap_or(0), s.b.unwrap_or(0));
                html! {
                    <div class="cmp-step">
                        <h3>{ format!("{} (step {ids})", step_name(s)) }<span class="note">{ format!(" {} changes", s.changes.len()) }</span></h3>
                        if !s.changes.is_empty() { { changes_table(&s.changes, props.hide_run_id) } }
                        if !props.diff_only { { all_params(step_of(a, s.a), step_of(b, s.b)) } }
                        if s.name == "train" { <OverlayChart a={a.clone()} ia={ia} b={b.clone()} ib={ib} /> }
                    </div>
                }
            }) }
        </section>
    }
}
