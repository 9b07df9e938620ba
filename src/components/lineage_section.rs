//! The lineage section: this run's graph, or every loaded run's in bands; it wires the
//! reading aids (focus, search, fit, fold) to the pure layout and scene in `crate::lineage`
//! and opens the step a node came from. Drawing is in `svg`, the toolbar and legend in
//! `controls`, the picked node's full path in `details`.

mod controls;
mod details;
mod svg;

use std::collections::BTreeSet;
use std::rc::Rc;

use yew::prelude::*;

use crate::components::common::RunProps;
use crate::components::section::Section;
use crate::lineage::layout::layout;
use crate::lineage::scene::{scene, Scene};
use crate::lineage::view::{fit_zoom, fold, lineage_of, search, MAX_ZOOM, MIN_ZOOM};
use crate::lineage::{build, Graph, NodeKind};
use crate::runs::Run;
use crate::state::Store;
use crate::state::{Action, Load};

use controls::Controls;
use details::NodeDetails;
use svg::LineageSvg;

/// The section: a run of many steps draws its graph on request, so it does not slow the
/// first paint.
#[component]
pub fn LineageSection(props: &RunProps) -> Html {
    let steps = props.run.parsed.archive.steps.steps.len();
    let shown = use_state(|| steps <= 40);
    if *shown {
        return html! { <LineageGraph run={props.run.clone()} /> };
    }
    let show = {
        let shown = shown.clone();
        Callback::from(move |_| shown.set(true))
    };
    html! {
        <Section id="sec-lineage" title="Lineage">
            <button type="button" id="draw-lineage" onclick={show}>{ format!("Draw the lineage graph ({steps} steps)") }</button>
        </Section>
    }
}

/// The graph and what is drawn of it, memoized on the runs and the folded bands.
struct Drawn {
    graph: Graph,
    scene: Rc<Scene>,
}

fn ready_runs(store: Option<&Store>) -> Vec<Rc<Run>> {
    store
        .map(|s| {
            s.runs
                .iter()
                .filter_map(|r| match &r.load {
                    Load::Ready(x) => Some(x.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The graph with its controls.
#[component]
fn LineageGraph(props: &RunProps) -> Html {
    let store = use_context::<Store>();
    let all = use_state(|| false);
    let zoom = use_state(|| 1.0f64);
    let folded = use_state(BTreeSet::<String>::new);
    let focus = use_state(|| None::<String>);
    let picked = use_state(|| None::<String>);
    let query = use_state(String::new);
    let wrap = use_node_ref();
    let runs: Vec<Rc<Run>> = if *all {
        ready_runs(store.as_ref())
    } else {
        vec![props.run.clone()]
    };
    let drawn = use_memo((RunsKey(runs.clone()), (*folded).clone()), |(k, folded)| {
        let archives: Vec<&crate::archive::Archive> =
            k.0.iter().map(|r| &r.parsed.archive).collect();
        let graph = fold(&build(&archives), folded);
        let l = layout(&graph);
        let scene = Rc::new(scene(&graph, &l, folded));
        Drawn { graph, scene }
    });
    let g = &drawn.graph;
    let lit: Option<Rc<BTreeSet<String>>> = match (&*focus, query.trim().is_empty()) {
        (Some(id), _) => Some(Rc::new(lineage_of(g, id))),
        (None, false) => Some(Rc::new(
            search(g, &query)
                .iter()
                .filter_map(|&i| g.nodes.get(i).map(|n| n.id.clone()))
                .collect(),
        )),
        _ => None,
    };
    let set_zoom = {
        let zoom = zoom.clone();
        Callback::from(move |z: f64| zoom.set(z.clamp(MIN_ZOOM, MAX_ZOOM)))
    };
    let on_zoom_by = {
        let zoom = zoom.clone();
        Callback::from(move |f: f64| zoom.set((*zoom * f).clamp(MIN_ZOOM, MAX_ZOOM)))
    };
    let on_fit = {
        let (set_zoom, wrap, w) = (set_zoom.clone(), wrap.clone(), drawn.scene.width);
        Callback::from(move |_| {
            if let Some(el) = wrap.cast::<web_sys::Element>() {
                set_zoom.emit(fit_zoom(w, f64::from(el.client_width()) - 2.0));
            }
        })
    };
    let on_hover = {
        let (focus, picked) = (focus.clone(), picked.clone());
        Callback::from(move |id: Option<String>| {
            if let Some(id) = &id {
                picked.set(Some(id.clone()));
            }
            focus.set(id);
        })
    };
    let on_fold = {
        let folded = folded.clone();
        Callback::from(move |run: String| {
            let mut f = (*folded).clone();
            if !f.remove(&run) {
                f.insert(run);
            }
            folded.set(f);
        })
    };
    let on_search = search_callback(
        query.clone(),
        drawn.clone(),
        zoom.clone(),
        wrap.clone(),
        picked.clone(),
    );
    let on_activate = activate_callback(
        store.clone(),
        runs.clone(),
        props.run.run_id().to_string(),
        drawn.clone(),
        on_fold.clone(),
    );
    let toggle_all = {
        let all = all.clone();
        Callback::from(move |_| all.set(!*all))
    };
    let all_count = ready_runs(store.as_ref()).len();
    let actionable: Rc<Vec<bool>> = Rc::new(
        (0..g.nodes.len())
            .map(|i| {
                click_target(g, &runs, i).is_some()
                    || g.nodes.get(i).is_some_and(|n| n.kind == NodeKind::Run)
            })
            .collect(),
    );
    let details = picked
        .as_ref()
        .and_then(|id| g.nodes.iter().find(|n| &n.id == id))
        .cloned();
    html! {
        <Section id="sec-lineage" title="Lineage" note={Some(AttrValue::from(format!("{} nodes, {} edges", g.nodes.len(), g.edges.len())))}>
            <Controls all={*all} {all_count} on_toggle_all={toggle_all} zoom={*zoom} on_zoom={set_zoom} {on_fit}
                query={(*query).clone()} {on_search}
                found={lit.as_ref().filter(|_| focus.is_none()).map_or(0, |s| s.len())} />
            <div class="lineage-wrap" ref={wrap.clone()}>
                <LineageSvg scene={drawn.scene.clone()} {actionable} zoom={*zoom} {lit} {wrap} {on_hover} {on_activate} {on_fold} {on_zoom_by} />
            </div>
            <NodeDetails node={details} />
        </Section>
    }
}

/// Typing in the search box: keep the query; Enter shows the best match (scrolled into
/// view and picked, so its full path can be copied).
fn search_callback(
    query: UseStateHandle<String>,
    drawn: Rc<Drawn>,
    zoom: UseStateHandle<f64>,
    wrap: NodeRef,
    picked: UseStateHandle<Option<String>>,
) -> Callback<(String, bool)> {
    Callback::from(move |(q, go): (String, bool)| {
        if go {
            let best = search(&drawn.graph, &q).first().copied();
            if let Some(n) = best.and_then(|i| drawn.scene.nodes.iter().find(|n| n.node == i)) {
                picked.set(Some(n.id.clone()));
                if let Some(el) = wrap.cast::<web_sys::Element>() {
                    let z = *zoom;
                    let pad = crate::lineage::scene::PAD;
                    el.set_scroll_left(
                        ((n.x + pad) * z - f64::from(el.client_width()) / 3.0).max(0.0) as i32,
                    );
                    el.set_scroll_top(
                        ((n.y + pad) * z - f64::from(el.client_height()) / 3.0).max(0.0) as i32,
                    );
                }
            }
        }
        query.set(q);
    })
}

/// Activating a node (click, Enter): a step opens its card, a checkpoint, model or result
/// the step that wrote it, a folded run unfolds, another run's node opens that run first.
fn activate_callback(
    store: Option<Store>,
    runs: Vec<Rc<Run>>,
    this_run: String,
    drawn: Rc<Drawn>,
    on_fold: Callback<String>,
) -> Callback<usize> {
    Callback::from(move |i: usize| {
        let g = &drawn.graph;
        let Some(n) = g.nodes.get(i) else { return };
        if n.kind == NodeKind::Run
            && drawn
                .scene
                .nodes
                .iter()
                .any(|s| s.node == i && s.class.contains("folded"))
        {
            if let Some(r) = &n.run_id {
                on_fold.emit(r.clone());
            }
            return;
        }
        let Some((key, anchor)) = click_target(g, &runs, i) else {
            return;
        };
        if n.run_id.as_deref() != Some(this_run.as_str()) {
            if let Some(s) = &store {
                s.dispatch(Action::Open(key));
            }
        }
        if let Some(a) = anchor {
            // After the other run has rendered, if it had to open.
            gloo::timers::callback::Timeout::new(0, move || jump_to(&a)).forget();
        }
    })
}

/// Where activating node `i` goes: the run to open and the anchor in it.
fn click_target(g: &Graph, runs: &[Rc<Run>], i: usize) -> Option<(String, Option<String>)> {
    let n = g.nodes.get(i)?;
    match n.kind {
        NodeKind::Step => {
            let run = runs
                .iter()
                .find(|r| Some(r.run_id()) == n.run_id.as_deref())?;
            let si = n.step_index?;
            let st = run.parsed.archive.steps.steps.get(si)?;
            Some((
                run.key.clone(),
                Some(crate::components::completeness_section::step_anchor(st, si)),
            ))
        }
        NodeKind::Checkpoint | NodeKind::HfModel | NodeKind::Eval => {
            let e = g
                .edges
                .iter()
                .find(|e| e.to == n.id && e.from.starts_with("step:"))?;
            let (rid, sid) = e.from.strip_prefix("step:")?.rsplit_once(':')?;
            let run = runs.iter().find(|r| r.run_id() == rid)?;
            Some((run.key.clone(), Some(format!("step-{sid}"))))
        }
        NodeKind::Run => {
            let rid = n.run_id.as_ref()?;
            runs.iter()
                .find(|r| r.run_id() == rid)
                .map(|r| (r.key.clone(), None))
        }
        _ => None,
    }
}

fn jump_to(id: &str) {
    let win = gloo::utils::window();
    let _ = win.location().set_hash(id);
    if let Some(el) = gloo::utils::document().get_element_by_id(id) {
        el.scroll_into_view();
    }
}

#[derive(Clone)]
struct RunsKey(Vec<Rc<Run>>);

impl PartialEq for RunsKey {
    fn eq(&self, o: &Self) -> bool {
        self.0.len() == o.0.len() && self.0.iter().zip(&o.0).all(|(a, b)| Rc::ptr_eq(a, b))
    }
}
