//! Resources & Cost as cards: train and wall time, GPU-hours, VRAM against the GPU's memory
//! and utilisation as gauges, throughput per GPU, step times, a timeline of the steps,
//! retries and failures. A missing value says "not recorded", never 0.

use yew::prelude::*;

use crate::archive::model::SectionKind;
use crate::components::common::{duration_html, node_inline, raw_lines_html, RunProps};
use crate::components::section::Section;
use crate::format;
use crate::resources::{resources, util_label, UtilLevel, GPU_UTIL_FAIR_PCT, GPU_UTIL_GOOD_PCT};

const KNOWN: [&str; 4] = [
    "train_time_sec",
    "peak_vram_gb",
    "avg_vram_gb",
    "gpu_util_avg_pct",
];

fn card(label: &str, value: Html) -> Html {
    html! { <div class="figure"><div class="label">{ label.to_string() }</div><div class="value">{ value }</div></div> }
}

fn num(v: Option<f64>, unit: &str) -> Html {
    match v {
        Some(x) => {
            html! { <span class="num">{ format!("{}{unit}", format::number((x * 100.0).round() / 100.0)) }</span> }
        }
        None => html! { <span class="muted">{ "not recorded" }</span> },
    }
}

fn gauge(label: &str, value: Option<f64>, max: Option<f64>, unit: &str) -> Html {
    match (value, max) {
        (Some(v), Some(m)) if m > 0.0 => html! {
            <div class="figure gauge">
                <div class="label">{ label.to_string() }</div>
                <meter min="0" max={m.to_string()} low={(m * 0.8).to_string()} high={(m * 0.95).to_string()} optimum="0" value={v.to_string()}
                    aria-label={format!("{label}: {v} of {m} {unit}")}></meter>
                <div class="value num">{ format!("{} / {} {unit} ({:.0}%)", format::number(v), format::number(m), 100.0 * v / m) }</div>
            </div>
        },
        (v, _) => card(label, num(v, &format!(" {unit}"))),
    }
}

/// Mean GPU utilisation: one label (`92 %`), a meter whose colour follows the one rule (high
/// is good: its optimum is 100), and the rating as a word beside the colour.
fn gpu_util(pct: Option<f64>) -> Html {
    let label = "GPU utilisation";
    let Some(v) = pct else {
        return card(label, num(None, ""));
    };
    let level = UtilLevel::of(v);
    let text = util_label(v);
    html! {
        <div class={classes!("figure", "gauge", "gpu-util", format!("util-{}", level.word()))} data-level={level.word()}>
            <div class="label">{ label }</div>
            <meter min="0" max="100" low={GPU_UTIL_FAIR_PCT.to_string()} high={GPU_UTIL_GOOD_PCT.to_string()} optimum="100"
                value={v.to_string()} aria-label={format!("{label}: {text}, {}", level.word())}></meter>
            <div class="value num" title={format!("{} % mean over the run", format::number(v))}>
                { text }{ " " }<span class="util-word">{ level.word() }</span>
            </div>
        </div>
    }
}

/// The section.
#[component]
pub fn ResourcesSection(props: &RunProps) -> Html {
    let a = &props.run.parsed.archive;
    let kind = SectionKind::Resources;
    let r = resources(a);
    let mem = r.gpus.as_ref().and_then(|g| g.memory_gb);
    let total: f64 = r.timeline.iter().filter_map(|b| b.duration).sum();
    html! {
        <Section id="sec-resources" title={kind.title()} line={a.heading_line(kind)}
            note={(!a.has(kind)).then_some(AttrValue::from("section missing"))}>
            <div class="figures">
                { card("train time", duration_html(r.train_time_sec)) }
                { card("wall time", duration_html(r.wall_time_sec)) }
                { card("GPUs", match &r.gpus { Some(g) => html! { <span>{ format!("{} × {}", g.count.map_or("?".into(), |c| c.to_string()), g.model) }</span> }, None => html! { <span class="muted">{ "not recorded" }</span> } }) }
                { card("GPU-hours (wall)", num(r.gpu_hours, "")) }
                { card("GPU-hours (train)", num(r.train_gpu_hours, "")) }
                { gauge("peak VRAM", r.peak_vram_gb, mem, "GB") }
                { gauge("average VRAM", r.avg_vram_gb, mem, "GB") }
                { gpu_util(r.gpu_util_pct) }
                { card("retries", html! { <span class={classes!("num", (r.retries > 0).then_some("warn"))}>{ r.retries }</span> }) }
                { card("failed steps", html! { <span class={classes!("num", (r.failures > 0).then_some("bad"))}>{ r.failures }</span> }) }
                { for a.resources.fields.entries.iter().filter(|e| !KNOWN.contains(&e.key.as_str())).map(|e| card(&e.key, node_inline(&e.node))) }
            </div>
            if !r.throughput.is_empty() {
                <table class="grid">
                    <thead><tr><th scope="col">{ "train step" }</th><th scope="col">{ "tokens/s" }</th><th scope="col">{ "tokens/s per GPU" }</th><th scope="col">{ "step time" }</th></tr></thead>
                    <tbody>
                    { for r.throughput.iter().map(|t| html! { <tr><td>{ t.label.clone() }</td><td>{ num(t.tokens_per_sec, "") }</td><td>{ num(t.tokens_per_sec_per_gpu, "") }</td><td>{ num(t.step_time_sec, " s") }</td></tr> }) }
                    </tbody>
                </table>
            }
            if total > 0.0 {
                <div class="timeline" role="list" aria-label="Step durations">
                    { for r.timeline.iter().map(|b| {
                        let left = 100.0 * b.start / total;
                        let width = 100.0 * b.duration.unwrap_or(0.0) / total;
                        html! {
                            <div class="tl-row" role="listitem">
                                <span class="tl-label">{ b.label.clone() }</span>
                                <span class="tl-track">
                                    <span class={classes!("tl-bar", format!("status-{}", b.status.class()))}
                                        style={format!("left: {left:.2}%; width: {:.2}%", width.max(0.3))}
                                        title={b.duration.map_or("not recorded".into(), |d| format!("{} s", format::number(d)))}></span>
                                </span>
                                <span class="tl-dur">{ b.duration.map_or("not recorded".into(), format::duration) }{ if b.retries > 0 { format!(" · {} retries", b.retries) } else { String::new() } }</span>
                            </div>
                        }
                    }) }
                </div>
            }
            { raw_lines_html(&a.resources.unmapped, "Lines not read as key: value") }
        </Section>
    }
}
