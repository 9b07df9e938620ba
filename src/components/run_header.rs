//! The first glance: experiment and run, status, timing, git, host, environment,
//! completeness, warnings, and a link to the previous run.

use std::rc::Rc;

use yew::prelude::*;

use crate::archive::completeness::FieldState;
use crate::archive::value::Value;
use crate::archive::Severity;
use crate::components::close_run::CloseRun;
use crate::components::common::{duration_html, status_badge};
use crate::components::copy_button::CopyButton;
use crate::components::share_button::ShareButton;
use crate::format;
use crate::runs::Run;
use crate::state::Action;
use crate::state::Store;

/// Props of [`RunHeader`].
#[derive(Properties, Clone)]
pub struct RunHeaderProps {
    /// The run.
    pub run: Rc<Run>,
    /// Key of the previous run when loaded.
    #[prop_or_default]
    pub previous: Option<String>,
}

impl PartialEq for RunHeaderProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.run, &other.run) && self.previous == other.previous
    }
}

fn fact(label: &str, value: Option<&str>) -> Html {
    match value {
        Some(v) => {
            html! { <span class="fact"><span class="label">{ label.to_string() }</span>{ " " }<span class="mono">{ v.to_string() }</span></span> }
        }
        None => html! {},
    }
}

/// The header.
#[component]
pub fn RunHeader(props: &RunHeaderProps) -> Html {
    let store = use_context::<Store>();
    let run = &props.run;
    let a = &run.parsed.archive;
    let s = &a.summary;
    let commit = s.text("git_commit");
    let dirty = matches!(
        s.get("git_dirty").map(|n| &n.value),
        Some(Value::Bool(true))
    );
    let c = &run.completeness;
    let warnings: usize = a.steps.steps.iter().map(|st| st.warnings().len()).sum();
    let errors = run.parsed.count(Severity::Error);
    let not_filled = c.count(FieldState::Unfilled) + c.count(FieldState::Missing);
    let prev_link = match (a.previous_run_id(), &props.previous, &store) {
        (Some(id), Some(key), Some(store)) => {
            let d = store.dispatcher();
            let key = key.clone();
            let onclick = Callback::from(move |_| d.dispatch(Action::Open(key.clone())));
            html! { <button type="button" class="linkish" {onclick}>{ format!("previous run {id} →") }</button> }
        }
        (Some(id), None, _) => {
            html! { <span class="muted" title="load that run to link to it">{ format!("previous run {id} (not loaded)") }</span> }
        }
        _ => html! {},
    };
    html! {
        <header class="run-header">
            <h1 id="run-title">
                <span class="exp">{ a.experiment().unwrap_or("(no experiment)").to_string() }</span>
                <span class="sep">{ " / " }</span>
                // `elementtiming`: the browser records when the run id is painted (the
                // benchmark's "first run painted").
                <span class="mono" elementtiming="run-title">{ run.run_id().to_string() }</span>
                { " " }
                { status_badge(&a.status()) }
            </h1>
            <div class="header-actions">
                <ShareButton run={run.clone()} />
                <CloseRun run_key={run.key.clone()} />
            </div>
            <div class="facts">
                <span class="fact">
                    { s.text("started_at").unwrap_or("?").to_string() }{ " → " }{ s.text("finished_at").unwrap_or("?").to_string() }
                    { " (" }{ duration_html(s.get("duration_sec").and_then(|n| n.as_f64())) }{ ")" }
                </span>
                if let Some(h) = commit {
                    <span class="fact">
                        <span class="label">{ "git" }</span>{ " " }
                        <span class="mono" title={h.to_string()}>{ format::short_commit(h).to_string() }</span>
                        <CopyButton text={h.to_string()} what="commit hash" />
                        if dirty { <span class="badge warn" title="uncommitted changes when the run started">{ "dirty" }</span> }
                    </span>
                }
                { fact("host", s.text("host")) }
                { fact("user", s.text("user")) }
            </div>
            <div class="facts">
                { fact("GPUs", s.text("gpus")) }
                { fact("CUDA", s.text("cuda").map(|c| match s.text("cuda_driver") { Some(d) => format!("{c} / driver {d}"), None => c.to_string() }).as_deref()) }
                { fact("torch", s.text("torch")) }
                { fact("python", s.text("python")) }
                { fact("conda", s.text("conda_env")) }
                { fact("OS", s.text("os")) }
            </div>
            { key_figures(run) }
            <div class="facts">
                <span class="fact">
                    <span class="label">{ "completeness" }</span>{ " " }
                    <meter min="0" max="100" low="80" high="99" optimum="100" value={format!("{:.0}", c.percent())}
                        aria-label="template fields filled"></meter>
                    { format!(" {:.0}%", c.percent()) }
                    if not_filled > 0 { <a href="#sec-checklist">{ format!(" ({not_filled} not filled)") }</a> }
                </span>
                if warnings > 0 { <a class="fact warn" href="#sec-steps">{ format!("{warnings} warning{}", if warnings == 1 { "" } else { "s" }) }</a> }
                if errors > 0 { <a class="fact bad" href="#sec-diagnostics">{ format!("{errors} parse error{}", if errors == 1 { "" } else { "s" }) }</a> }
                { prev_link }
            </div>
        </header>
    }
}

/// The numbers a reader looks for first: each train step's final loss and ppl, throughput,
/// and every eval score.
fn key_figures(run: &Run) -> Html {
    let mut cards: Vec<Html> = Vec::new();
    for st in &run.parsed.archive.steps.steps {
        let stage = st
            .stage()
            .filter(|s| *s != "none")
            .map(|s| format!(" {s}"))
            .unwrap_or_default();
        if let Some(t) = st.training() {
            if let Some(l) = t.final_loss {
                cards.push(card(&format!("final loss{stage}"), &format::number(l)));
            }
            if let Some(p) = t.ppl {
                cards.push(card(&format!("ppl{stage}"), &format::number(p)));
            }
            if let Some(tp) = t.throughput_tokens_per_sec {
                cards.push(card(&format!("tokens/s{stage}"), &format::number(tp)));
            }
        }
        if let Some(e) = st.eval() {
            for (k, n) in &e.results {
                cards.push(card(k, &n.text));
            }
        }
    }
    if cards.is_empty() {
        return html! {};
    }
    // A run of many steps shows the first figures here; every step card has its own.
    let more = cards.len().saturating_sub(18);
    cards.truncate(18);
    html! {
        <div class="key-figures" aria-label="Key figures">
            { for cards }
            if more > 0 { <a class="figure more" href="#sec-steps">{ format!("+{more} more in Steps") }</a> }
        </div>
    }
}

fn card(label: &str, value: &str) -> Html {
    html! {
        <div class="figure">
            <div class="label" title={label.to_string()}>{ label.to_string() }</div>
            <div class="value num">{ value.to_string() }</div>
        </div>
    }
}
