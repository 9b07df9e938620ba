//! Two runs side by side: what changed in every section, steps matched by (name, stage),
//! metrics with better/worse deltas, text sections as line diffs, the loss curves of
//! matched train steps overlaid, and exports. This file wires the parts: the head
//! ([`crate::components::compare_head`]), the change tables
//! ([`crate::components::change_table`]) and the steps
//! ([`crate::components::compare_steps`]).

use std::rc::Rc;

use yew::prelude::*;

use crate::components::change_table::changes_table;
use crate::components::compare_head::CompareHead;
use crate::components::compare_steps::CompareSteps;
use crate::diff::diff_runs;
use crate::diff::run::RunDiff;
use crate::diff::text::{side_by_side, DiffLine, LineTag};
use crate::runs::Run;

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

fn line_parts(l: &DiffLine) -> Html {
    html! { <>{ for l.parts.iter().map(|(changed, t)| if *changed { html! { <mark>{ t.clone() }</mark> } } else { html! { { t.clone() } } }) }</> }
}

fn line_class(tag: LineTag) -> &'static str {
    match tag {
        LineTag::Same => "same",
        LineTag::Removed => "removed",
        LineTag::Added => "added",
    }
}

fn text_diff_html(lines: &[DiffLine], side: bool) -> Html {
    if !side {
        return html! {
            <pre class="block diff-unified" tabindex="0">
                { for lines.iter().map(|l| {
                    let sign = match l.tag { LineTag::Same => ' ', LineTag::Removed => '-', LineTag::Added => '+' };
                    html! { <div class={line_class(l.tag)}><span class="sign">{ sign }</span>{ line_parts(l) }</div> }
                }) }
            </pre>
        };
    }
    let cell = |l: Option<&DiffLine>, old: bool| match l {
        Some(l) => {
            let no = if old { l.old } else { l.new };
            html! { <><td class="ln">{ no.map(|n| n.to_string()).unwrap_or_default() }</td><td class={line_class(l.tag)}>{ line_parts(l) }</td></> }
        }
        None => html! { <><td class="ln"></td><td class="empty"></td></> },
    };
    html! {
        <table class="grid diff-side mono">
            <tbody>
            { for side_by_side(lines).into_iter().map(|(x, y)| html! { <tr>{ cell(x, true) }{ cell(y, false) }</tr> }) }
            </tbody>
        </table>
    }
}

#[derive(Clone)]
struct Pair(Rc<Run>, Rc<Run>);

impl PartialEq for Pair {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.0, &o.0) && Rc::ptr_eq(&self.1, &o.1)
    }
}

/// The comparison of two runs.
#[component]
pub fn CompareView(props: &CompareViewProps) -> Html {
    let diff_only = use_state(|| true);
    let side = use_state(|| true);
    let hide_run_id = use_state(|| true);
    let diff: Rc<RunDiff> = use_memo(Pair(props.a.clone(), props.b.clone()), |p| {
        diff_runs(&p.0.parsed.archive, &p.1.parsed.archive)
    });
    let (a, b) = (&props.a, &props.b);
    html! {
        <section id="compare-view" aria-label="Comparison">
            <CompareHead a={a.clone()} b={b.clone()} diff={diff.clone()} diff_only={diff_only.clone()} hide_run_id={hide_run_id.clone()} side={side.clone()} />
            { for diff.sections.iter().filter(|s| !s.changes.is_empty()).map(|s| html! {
                <section class="section" id={format!("cmp-{}", s.section)}>
                    <h2>{ s.section }<span class="note">{ s.changes.len() }</span></h2>
                    { changes_table(&s.changes, *hide_run_id) }
                </section>
            }) }
            <CompareSteps a={a.clone()} b={b.clone()} diff={diff.clone()} diff_only={*diff_only} hide_run_id={*hide_run_id} />
            { for diff.texts.iter().map(|t| html! {
                <section class="section">
                    <h2>{ t.title.clone() }</h2>
                    { text_diff_html(&t.lines, *side) }
                </section>
            }) }
        </section>
    }
}
