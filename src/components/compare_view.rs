//! Two runs side by side: what changed in every section, steps matched by (name, stage),
//! metrics with better/worse deltas, text sections as line diffs, the loss curves of
//! matched train steps overlaid, and exports.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::loss_chart::{ChartLine, LossChart};
use crate::components::use_curve::{default_tag, use_step_curve};
use crate::diff::diff_runs;
use crate::diff::export::{diff_html, diff_markdown, show, show_delta};
use crate::diff::run::{FieldChange, Presence, RunDiff};
use crate::diff::text::{DiffLine, LineTag};
use crate::loader::download::save_text;
use crate::runs::Run;
use crate::state::Store;
use crate::state::{Action, CurveLoad};

/// Props of [`CompareView`].
#[derive(Properties, Clone)]
pub struct CompareViewProps {
    /// The first (older) run.
    pub a: Rc<Run>,
    /// The second (newer) run.
    pub b: Rc<Run>,
}

impl PartialEq for CompareViewProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.a, &o.a) && Rc::ptr_eq(&self.b, &o.b)
    }
}

#[derive(Clone)]
struct Pair(Rc<Run>, Rc<Run>);

impl PartialEq for Pair {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.0, &o.0) && Rc::ptr_eq(&self.1, &o.1)
    }
}

fn delta_cell(c: &FieldChange) -> Html {
    let text = show_delta(&c.delta);
    let class = match c.delta.and_then(|d| d.better) {
        Some(true) => "better",
        Some(false) => "worse",
        None => "",
    };
    html! { <td class={classes!("num", class)}>{ text }</td> }
}

fn changes_table(changes: &[FieldChange], hide_run_id: bool) -> Html {
    let shown: Vec<&FieldChange> = changes
        .iter()
        .filter(|c| !(hide_run_id && c.run_id_only))
        .collect();
    let hidden = changes.len() - shown.len();
    html! {
        <>
        if !shown.is_empty() {
            <table class="grid diff-table">
                <thead><tr><th scope="col">{ "field" }</th><th scope="col">{ "change" }</th><th scope="col">{ "A" }</th><th scope="col">{ "B" }</th><th scope="col">{ "delta" }</th></tr></thead>
                <tbody>
                { for shown.iter().map(|c| html! {
                    <tr class={format!("kind-{}", c.kind.as_str())}>
                        <td class="mono">{ c.dotted() }</td>
                        <td><span class={classes!("badge", format!("k-{}", c.kind.as_str()))}>{ c.kind.as_str() }</span></td>
                        <td class="mono">{ show(&c.a) }</td>
                        <td class="mono">{ show(&c.b) }</td>
                        { delta_cell(c) }
                    </tr>
                }) }
                </tbody>
            </table>
        }
        if hidden > 0 {
            <p class="muted small">{ format!("{hidden} change(s) only replace the run id inside a path (hidden; untick “hide run-id-only changes” to see them).") }</p>
        }
        </>
    }
}

fn line_parts(l: &DiffLine) -> Html {
    html! { <>{ for l.parts.iter().map(|(changed, t)| if *changed { html! { <mark>{ t.clone() }</mark> } } else { html! { { t.clone() } } }) }</> }
}

fn text_diff_html(lines: &[DiffLine], side_by_side: bool) -> Html {
    if !side_by_side {
        return html! {
            <pre class="block diff-unified" tabindex="0">
                { for lines.iter().map(|l| {
                    let (class, sign) = match l.tag { LineTag::Same => ("same", ' '), LineTag::Removed => ("removed", '-'), LineTag::Added => ("added", '+') };
                    html! { <div class={class}><span class="sign">{ sign }</span>{ line_parts(l) }</div> }
                }) }
            </pre>
        };
    }
    // Side by side: removed lines on the left, added on the right, pairing runs of changes.
    let mut rows: Vec<(Option<&DiffLine>, Option<&DiffLine>)> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        match lines[i].tag {
            LineTag::Same => {
                rows.push((Some(&lines[i]), Some(&lines[i])));
                i += 1;
            }
            _ => {
                let start = i;
                while i < lines.len() && lines[i].tag != LineTag::Same {
                    i += 1;
                }
                let del: Vec<&DiffLine> = lines[start..i]
                    .iter()
                    .filter(|l| l.tag == LineTag::Removed)
                    .collect();
                let ins: Vec<&DiffLine> = lines[start..i]
                    .iter()
                    .filter(|l| l.tag == LineTag::Added)
                    .collect();
                for k in 0..del.len().max(ins.len()) {
                    rows.push((del.get(k).copied(), ins.get(k).copied()));
                }
            }
        }
    }
    html! {
        <table class="grid diff-side mono">
            <tbody>
            { for rows.iter().map(|(x, y)| {
                let cell = |l: Option<&DiffLine>, old: bool| match l {
                    Some(l) => {
                        let class = match l.tag { LineTag::Same => "same", LineTag::Removed => "removed", LineTag::Added => "added" };
                        let no = if old { l.old } else { l.new };
                        html! { <><td class="ln">{ no.map(|n| n.to_string()).unwrap_or_default() }</td><td class={class}>{ line_parts(l) }</td></> }
                    }
                    None => html! { <><td class="ln"></td><td class="empty"></td></> },
                };
                html! { <tr>{ cell(*x, true) }{ cell(*y, false) }</tr> }
            }) }
            </tbody>
        </table>
    }
}

/// All params of two matched steps side by side, changed rows marked.
fn all_params(a: &Run, ia: usize, b: &Run, ib: usize) -> Html {
    let pa = a
        .parsed
        .archive
        .steps
        .steps
        .get(ia)
        .and_then(|s| s.map("params"));
    let pb = b
        .parsed
        .archive
        .steps
        .steps
        .get(ib)
        .and_then(|s| s.map("params"));
    let mut keys: Vec<&str> = pa
        .map(|m| m.iter().map(|(k, _)| k).collect())
        .unwrap_or_default();
    if let Some(m) = pb {
        for (k, _) in m.iter() {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    html! {
        <details class="params">
            <summary>{ format!("All params ({})", keys.len()) }</summary>
            <table class="grid">
                <thead><tr><th scope="col">{ "param" }</th><th scope="col">{ "A" }</th><th scope="col">{ "B" }</th></tr></thead>
                <tbody>
                { for keys.iter().map(|k| {
                    let x = pa.and_then(|m| m.get(k)).cloned();
                    let y = pb.and_then(|m| m.get(k)).cloned();
                    let same = matches!((&x, &y), (Some(p), Some(q)) if crate::diff::run::same_value(p, q));
                    html! { <tr class={classes!((!same).then_some("kind-changed"))}><td class="mono">{ k.to_string() }</td><td class="mono">{ show(&x) }</td><td class="mono">{ show(&y) }</td></tr> }
                }) }
                </tbody>
            </table>
        </details>
    }
}

/// Props of [`OverlayChart`].
#[derive(Properties, Clone)]
pub struct OverlayProps {
    /// First run and its step index.
    pub a: Rc<Run>,
    /// Step index in `a`.
    pub ia: usize,
    /// Second run.
    pub b: Rc<Run>,
    /// Step index in `b`.
    pub ib: usize,
}

impl PartialEq for OverlayProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.a, &o.a) && Rc::ptr_eq(&self.b, &o.b) && self.ia == o.ia && self.ib == o.ib
    }
}

/// The same tag of two runs' matched train steps on one chart.
#[component]
pub fn OverlayChart(props: &OverlayProps) -> Html {
    let ca = use_step_curve(&props.a, props.ia);
    let cb = use_step_curve(&props.b, props.ib);
    let (Some(CurveLoad::Ready(fa)), Some(CurveLoad::Ready(fb))) = (&ca.load, &cb.load) else {
        let state =
            |c: &crate::components::use_curve::StepCurve, run: &Run| match (&c.load, &c.file) {
                (_, Some(crate::runs::CurveFile::Missing(n))) => {
                    format!("{}: {n} not loaded", run.run_id())
                }
                (Some(CurveLoad::Failed(m)), _) => format!("{}: {m}", run.run_id()),
                (Some(CurveLoad::Ready(_)), _) => format!("{}: ready", run.run_id()),
                _ => format!("{}: reading…", run.run_id()),
            };
        return html! { <p class="muted small">{ format!("Overlay: {}; {}", state(&ca, &props.a), state(&cb, &props.b)) }</p> };
    };
    let tags_a: Vec<String> = fa.curves.series.iter().map(|s| s.tag.clone()).collect();
    let tags_b: Vec<String> = fb.curves.series.iter().map(|s| s.tag.clone()).collect();
    let shared: Vec<String> = tags_a
        .iter()
        .filter(|t| tags_b.contains(t))
        .cloned()
        .collect();
    // The same tag when both files have it; else each file's loss (a TensorBoard `lm_loss`
    // against a CSV export named after its file).
    let (ia, ib) = match shared.get(default_tag(&shared)) {
        Some(tag) => (
            tags_a.iter().position(|t| t == tag).unwrap_or(0),
            tags_b.iter().position(|t| t == tag).unwrap_or(0),
        ),
        None => (default_tag(&tags_a), default_tag(&tags_b)),
    };
    let (Some(ta), Some(tb)) = (tags_a.get(ia), tags_b.get(ib)) else {
        return html! { <p class="muted small">{ "A curve file holds no series." }</p> };
    };
    let lines = vec![
        ChartLine {
            curves: fa.clone(),
            series: ia,
            label: format!("A {} · {ta}", props.a.run_id()),
            color: 0,
        },
        ChartLine {
            curves: fb.clone(),
            series: ib,
            label: format!("B {} · {tb}", props.b.run_id()),
            color: 1,
        },
    ];
    html! { <LossChart {lines} name={format!("{}-vs-{}", props.a.run_id(), props.b.run_id())} /> }
}

/// The comparison of two runs.
#[component]
pub fn CompareView(props: &CompareViewProps) -> Html {
    let store = use_context::<Store>();
    let diff_only = use_state(|| true);
    let side = use_state(|| true);
    let hide_run_id = use_state(|| true);
    let diff: Rc<RunDiff> = use_memo(Pair(props.a.clone(), props.b.clone()), |p| {
        diff_runs(&p.0.parsed.archive, &p.1.parsed.archive)
    });
    let (a, b) = (&props.a, &props.b);
    let toggle = |s: &UseStateHandle<bool>| {
        let s = s.clone();
        Callback::from(move |_| s.set(!*s))
    };
    let close = {
        let store = store.clone();
        Callback::from(move |_| {
            if let Some(s) = &store {
                s.dispatch(Action::Compare(Vec::new()));
            }
        })
    };
    let swap = {
        let store = store.clone();
        let keys = vec![b.key.clone(), a.key.clone()];
        Callback::from(move |_| {
            if let Some(s) = &store {
                s.dispatch(Action::Compare(keys.clone()));
            }
        })
    };
    let md = {
        let d = diff.clone();
        let store = store.clone();
        Callback::from(move |_| {
            let saved = save_text(
                &diff_markdown(&d),
                "text/markdown",
                &format!("{}-vs-{}.md", d.a, d.b),
            );
            if let (Err(e), Some(s)) = (saved, &store) {
                s.dispatch(Action::Error(e));
            }
        })
    };
    let copy_md = {
        let d = diff.clone();
        Callback::from(move |_| {
            if let Some(w) = web_sys::window() {
                let _ = w.navigator().clipboard().write_text(&diff_markdown(&d));
            }
        })
    };
    let html_export = {
        let d = diff.clone();
        let store = store.clone();
        Callback::from(move |_| {
            let saved = save_text(
                &diff_html(&d),
                "text/html",
                &format!("{}-vs-{}.html", d.a, d.b),
            );
            if let (Err(e), Some(s)) = (saved, &store) {
                s.dispatch(Action::Error(e));
            }
        })
    };
    let b_says = b
        .parsed
        .archive
        .changes
        .text("config_diff")
        .filter(|t| !crate::archive::model::is_none_word(t));
    let b_prev = b.parsed.archive.previous_run_id();
    let step_name = |s: &crate::diff::run::StepDiff| {
        if s.stage.is_empty() || s.stage == "none" {
            s.name.clone()
        } else {
            format!("{} ({})", s.name, s.stage)
        }
    };
    html! {
        <section id="compare-view" aria-label="Comparison">
            <header class="compare-head">
                <h1 id="compare-title">
                    <span class="tag-a">{ "A" }</span>{ " " }<span class="mono">{ a.run_id().to_string() }</span>
                    { " vs " }
                    <span class="tag-b">{ "B" }</span>{ " " }<span class="mono">{ b.run_id().to_string() }</span>
                </h1>
                <div class="row wrap">
                    <label><input type="checkbox" checked={*diff_only} onchange={toggle(&diff_only)} />{ " differences only" }</label>
                    <label><input type="checkbox" checked={*hide_run_id} onchange={toggle(&hide_run_id)} />{ " hide run-id-only changes" }</label>
                    <label><input type="checkbox" checked={*side} onchange={toggle(&side)} />{ " side by side text" }</label>
                    <button type="button" onclick={swap}>{ "Swap A/B" }</button>
                    <button type="button" onclick={md}>{ "Markdown" }</button>
                    <button type="button" onclick={copy_md}>{ "Copy Markdown" }</button>
                    <button type="button" onclick={html_export}>{ "HTML" }</button>
                    <button type="button" onclick={close}>{ "Close" }</button>
                </div>
                <p class="compare-count">{ format!("{} changes", diff.count()) }</p>
                if let Some(t) = b_says {
                    <p class="archive-says">
                        <span class="label">{ format!("B's own “Changes vs Previous”{}: ", b_prev.map(|p| if p == a.run_id() { " (against A)".to_string() } else { format!(" (against {p}, not A)") }).unwrap_or_default()) }</span>
                        <span class="mono">{ t.to_string() }</span>
                    </p>
                }
            </header>
            { for diff.sections.iter().filter(|s| !s.changes.is_empty()).map(|s| html! {
                <section class="section" id={format!("cmp-{}", s.section)}>
                    <h2>{ s.section }<span class="note">{ s.changes.len() }</span></h2>
                    { changes_table(&s.changes, *hide_run_id) }
                </section>
            }) }
            <section class="section" id="cmp-steps">
                <h2>{ "steps" }<span class="note">{ diff.steps.len() }</span></h2>
                { for diff.steps.iter().map(|s| {
                    let ids = format!("{} ↔ {}", s.a_id.map_or("—".into(), |i| i.to_string()), s.b_id.map_or("—".into(), |i| i.to_string()));
                    match s.presence {
                        Presence::OnlyA => html! { <p class="step-only"><span class="badge k-removed">{ "only in A" }</span>{ format!(" {} (step {ids})", step_name(s)) }</p> },
                        Presence::OnlyB => html! { <p class="step-only"><span class="badge k-added">{ "only in B" }</span>{ format!(" {} (step {ids})", step_name(s)) }</p> },
                        Presence::Both => {
                            let (ia, ib) = (s.a.unwrap_or(0), s.b.unwrap_or(0));
                            let is_train = s.name == "train";
                            html! {
                                <div class="cmp-step">
                                    <h3>{ format!("{} (step {ids})", step_name(s)) }<span class="note">{ format!(" {} changes", s.changes.len()) }</span></h3>
                                    if !s.changes.is_empty() { { changes_table(&s.changes, *hide_run_id) } }
                                    if !*diff_only { { all_params(a, ia, b, ib) } }
                                    if is_train { <OverlayChart a={a.clone()} ia={ia} b={b.clone()} ib={ib} /> }
                                </div>
                            }
                        }
                    }
                }) }
            </section>
            { for diff.texts.iter().map(|t| html! {
                <section class="section">
                    <h2>{ t.title.clone() }</h2>
                    { text_diff_html(&t.lines, *side) }
                </section>
            }) }
        </section>
    }
}
