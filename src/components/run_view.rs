//! One run, every section: header, step strip, section index, and the sections in the
//! template's order, then whatever else the file holds.

use std::rc::Rc;

use yew::prelude::*;

use crate::archive::model::SectionKind;
use crate::components::artifacts_section::ArtifactsSection;
use crate::components::completeness_section::CompletenessSection;
use crate::components::config_section::ConfigSection;
use crate::components::data_section::DataSection;
use crate::components::diagnostics_section::DiagnosticsSection;
use crate::components::files_section::FilesSection;
use crate::components::kv_section::KvSection;
use crate::components::leftovers_section::LeftoversSection;
use crate::components::lineage_section::LineageSection;
use crate::components::raw_section::RawSection;
use crate::components::repro_section::ReproSection;
use crate::components::resources_section::ResourcesSection;
use crate::components::run_header::RunHeader;
use crate::components::step_card::StepCard;
use crate::components::step_strip::StepStrip;
use crate::components::table_section::TableSection;
use crate::components::use_curve::start_step_curves;
use crate::runs::Run;
use crate::shell::frames::after_first_screen;
use crate::state::Store;

/// Props of [`RunView`].
#[derive(Properties, Clone)]
pub struct RunViewProps {
    /// The run.
    pub run: Rc<Run>,
    /// Key of the previous run when it is loaded.
    #[prop_or_default]
    pub previous: Option<String>,
}

impl PartialEq for RunViewProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.run, &other.run) && self.previous == other.previous
    }
}

/// Step cards drawn in the first paint, and per later batch, one batch a frame. None in the
/// first: at 1400 x 900 the header, the step strip and the summary fill the first screen,
/// and the first card starts below it; 3 cards were 60% of the first paint's elements.
const FIRST_BATCH: usize = 0;
const BATCH: usize = 16;
/// The sections after Steps are drawn in this many groups, one a frame.
const REST_GROUPS: usize = 4;

const INDEX: [(&str, &str); 16] = [
    ("sec-summary", "Summary"),
    ("sec-steps", "Steps"),
    ("sec-config_snapshot", "Config"),
    ("sec-dependencies", "Dependencies"),
    ("sec-paths", "Paths"),
    ("sec-data_snapshot", "Data"),
    ("sec-repro", "Repro"),
    ("sec-artifacts", "Artifacts"),
    ("sec-resources", "Resources"),
    ("sec-lineage", "Lineage"),
    ("sec-changes", "Changes"),
    ("sec-checklist", "Checklist"),
    ("sec-diagnostics", "Diagnostics"),
    ("sec-other", "Other"),
    ("sec-files", "Files"),
    ("sec-raw", "Raw"),
];

/// Whether the address links to a step or a section (`#step-…`, `#sec-…`): the run view
/// then draws everything at once, to scroll there.
fn deep_link() -> bool {
    let route = crate::shell::history::current_route();
    let anchor = route.fragment.anchor().unwrap_or("");
    anchor.starts_with("step-") || anchor.starts_with("sec-")
}

/// A count that starts at `start` whenever `key` changes (everything at once for a deep
/// link) and grows by `by` a frame, once the first run is on screen, until it reaches `end`.
#[hook]
fn use_grown_per_frame(key: String, start: usize, by: usize, end: usize) -> usize {
    let count = use_state(|| start);
    {
        let count = count.clone();
        use_effect_with(key.clone(), move |_| {
            count.set(if deep_link() { usize::MAX } else { start });
        });
    }
    {
        let (now, count) = (*count, count.clone());
        use_effect_with((key, now, end), move |(_, now, end)| {
            let next = now.saturating_add(by);
            let pending = (now < end).then(|| after_first_screen(move || count.set(next)));
            move || drop(pending)
        });
    }
    *count
}

/// The run view.
#[component]
pub fn RunView(props: &RunViewProps) -> Html {
    let run = props.run.clone();
    let a = &run.parsed.archive;

    // Step cards are drawn a batch at a time, so a run of 160 steps paints its first screen
    // at once and the rest follows without freezing the page. The sections after Steps are
    // below the first screen: they follow a group a frame, so a run shows up without
    // waiting for its config, artifacts, lineage, files and raw text to be built, and no
    // task builds them all (40-80 ms on two cores while a dropped curve file was read).
    let n_steps = a.steps.steps.len();
    let limit = use_grown_per_frame(run.key.clone(), FIRST_BATCH, BATCH, n_steps);
    let rest = use_grown_per_frame(run.key.clone(), 0, 1, REST_GROUPS);
    // The step cards come after the first paint; their curve files are read from now.
    {
        let (store, run) = (use_context::<Store>(), run.clone());
        use_effect_with(run.key.clone(), move |_| {
            if let Some(store) = store {
                start_step_curves(&store, &run);
            }
        });
    }
    // Deep link: scroll to the anchor in the URL once everything it needs is drawn.
    {
        let key = run.key.clone();
        let done = limit >= n_steps;
        use_effect_with((key, done), |(_, done)| {
            if *done {
                let route = crate::shell::history::current_route();
                if let Some(id) = route.fragment.anchor() {
                    if let Some(el) = gloo::utils::document().get_element_by_id(id) {
                        el.scroll_into_view();
                    }
                }
            }
        });
    }

    let line = |k: SectionKind| a.heading_line(k);
    // Whether every step card and section is drawn yet (what tests wait for).
    let drawn = if limit >= n_steps && rest >= REST_GROUPS {
        "all"
    } else {
        "partial"
    };
    html! {
        <article class="run" aria-label={format!("Run {}", run.run_id())} data-drawn={drawn}>
            <RunHeader run={run.clone()} previous={props.previous.clone()} />
            <StepStrip run={run.clone()} />
            <nav class="section-index" aria-label="Sections">
                { for INDEX.iter().map(|(id, label)| html! { <a href={format!("#{id}")}>{ *label }</a> }) }
            </nav>
            <KvSection run={run.clone()} kind={SectionKind::Summary} />
            <section id="sec-steps" class="section" aria-labelledby="sec-steps-title">
                <h2 id="sec-steps-title">
                    <a class="anchor" href="#sec-steps" aria-label="Link to Steps">{ "#" }</a>
                    { "Steps" }<span class="note">{ a.steps.steps.len() }</span>
                    if let Some(l) = line(SectionKind::Steps) { <span class="line-no">{ format!("line {l}") }</span> }
                </h2>
                if a.steps.steps.is_empty() { <p class="muted">{ if a.has(SectionKind::Steps) { "no steps" } else { "section missing" } }</p> }
                { for (0..n_steps.min(limit)).map(|i| html! { <StepCard run={run.clone()} index={i} /> }) }
                if limit < n_steps {
                    <p class="muted" role="status">{ format!("Drawing steps… {} of {}", (limit).min(n_steps), n_steps) }</p>
                }
                { crate::components::common::raw_lines_html(&a.steps.unmapped, "Lines not read as step fields") }
            </section>
            if rest >= 1 {
                <ConfigSection run={run.clone()} />
                <TableSection run={run.clone()} kind={SectionKind::Dependencies} />
                <KvSection run={run.clone()} kind={SectionKind::Paths} />
                <DataSection run={run.clone()} />
            }
            if rest >= 2 {
                <ReproSection run={run.clone()} />
                <ArtifactsSection run={run.clone()} />
                <ResourcesSection run={run.clone()} />
            }
            if rest >= 3 {
                <LineageSection run={run.clone()} />
                <KvSection run={run.clone()} kind={SectionKind::Changes} previous={props.previous.clone()} />
            }
            if rest >= REST_GROUPS {
                <CompletenessSection run={run.clone()} />
                <DiagnosticsSection run={run.clone()} />
                <LeftoversSection run={run.clone()} />
                <FilesSection run={run.clone()} />
                <RawSection run={run.clone()} />
            }
        </article>
    }
}
