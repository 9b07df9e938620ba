//! The lineage graph as SVG: this run, or every loaded run together; wheel to zoom, drag
//! to pan; last and best checkpoints marked; failed and skipped steps shown as such;
//! clicking a node opens its step (a checkpoint opens the step that saved it); hovering
//! shows the full path.

use std::rc::Rc;

use web_sys::{MouseEvent, WheelEvent};
use yew::prelude::*;

use crate::components::common::RunProps;
use crate::components::section::Section;
use crate::lineage::layout::{layout, NODE_H, NODE_W};
use crate::lineage::{build, NodeKind};
use crate::runs::Run;
use crate::state::Store;
use crate::state::{Action, Load};

fn jump_to(id: &str) {
    let win = gloo::utils::window();
    let _ = win.location().set_hash(id);
    if let Some(el) = gloo::utils::document().get_element_by_id(id) {
        el.scroll_into_view();
    }
}

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

/// The graph.
#[component]
fn LineageGraph(props: &RunProps) -> Html {
    let store = use_context::<Store>();
    let all = use_state(|| false);
    let view = use_state(|| (0.0f64, 0.0f64, 1.0f64)); // pan x, pan y, zoom
    let drag = use_state(|| None::<(i32, i32)>);
    let runs: Vec<Rc<Run>> = if *all {
        store
            .as_ref()
            .map(|s| {
                s.runs
                    .iter()
                    .filter_map(|r| {
                        if let Load::Ready(x) = &r.load {
                            Some(x.clone())
                        } else {
                            None
                        }
                    })
                    .collect()
            })
            .unwrap_or_default()
    } else {
        vec![props.run.clone()]
    };
    let graph = {
        let runs = runs.clone();
        use_memo(RunsKey(runs), |k| {
            let archives: Vec<&crate::archive::Archive> =
                k.0.iter().map(|r| &r.parsed.archive).collect();
            let g = build(&archives);
            let l = layout(&g);
            (g, l)
        })
    };
    let (g, l) = (&graph.0, &graph.1);
    let pos = |id: &str| {
        g.nodes
            .iter()
            .position(|n| n.id == id)
            .and_then(|i| l.nodes.get(i))
    };
    let this_run = props.run.run_id().to_string();

    let wrap = use_node_ref();
    // Ctrl/Cmd + wheel zooms; a plain wheel scrolls the graph like a page.
    let on_wheel = {
        let view = view.clone();
        Callback::from(move |e: WheelEvent| {
            if !(e.ctrl_key() || e.meta_key()) {
                return;
            }
            e.prevent_default();
            let (x, y, z) = *view;
            let f = if e.delta_y() < 0.0 { 1.15 } else { 1.0 / 1.15 };
            view.set((x, y, (z * f).clamp(0.25, 3.0)));
        })
    };
    let on_down = {
        let drag = drag.clone();
        Callback::from(move |e: MouseEvent| drag.set(Some((e.client_x(), e.client_y()))))
    };
    let on_move = {
        let drag = drag.clone();
        let wrap = wrap.clone();
        Callback::from(move |e: MouseEvent| {
            if let (Some((sx, sy)), Some(el)) = (*drag, wrap.cast::<web_sys::Element>()) {
                el.set_scroll_left(el.scroll_left() - (e.client_x() - sx));
                el.set_scroll_top(el.scroll_top() - (e.client_y() - sy));
                drag.set(Some((e.client_x(), e.client_y())));
            }
        })
    };
    let on_up = {
        let drag = drag.clone();
        Callback::from(move |_: MouseEvent| drag.set(None))
    };
    let zoom = |f: f64| {
        let view = view.clone();
        Callback::from(move |_| {
            let (x, y, z) = *view;
            view.set((x, y, (z * f).clamp(0.25, 3.0)));
        })
    };
    let toggle_all = {
        let all = all.clone();
        Callback::from(move |_| all.set(!*all))
    };
    let reset = {
        let view = view.clone();
        Callback::from(move |_| view.set((0.0, 0.0, 1.0)))
    };
    let (_, _, z) = *view;
    let pad = 20.0;
    let w = l.width + 2.0 * pad;
    let h = l.height.max(NODE_H) + 2.0 * pad;
    let vb = format!("{} {} {w} {h}", -pad, -pad);

    let edges = g.edges.iter().filter_map(|e| {
        let (a, b) = (pos(&e.from)?, pos(&e.to)?);
        let (x1, y1) = (a.x + a.w, a.y + a.h / 2.0);
        let (x2, y2) = (b.x, b.y + b.h / 2.0);
        let mx = (x1 + x2) / 2.0;
        Some(html! {
            <path class={classes!("edge", format!("e-{}", e.kind))} d={format!("M{x1},{y1} C{mx},{y1} {mx},{y2} {x2},{y2}")}>
                <title>{ format!("{} → {} ({})", e.from, e.to, e.kind) }</title>
            </path>
        })
    });
    let nodes = g.nodes.iter().zip(&l.nodes).map(|(n, p)| {
        let status = n.status.as_ref().map(|s| s.class()).unwrap_or("");
        let class = classes!("node", format!("k-{}", n.kind.as_str()), (!status.is_empty() && n.kind == NodeKind::Step).then(|| format!("s-{status}")), n.tag.as_ref().filter(|t| *t == "last" || *t == "best").map(|t| format!("tag-{t}")));
        // Where a click goes: a step's card; a checkpoint's saving step; a run.
        let target: Option<(String, Option<String>)> = match n.kind {
            NodeKind::Step => n.step_index.and_then(|i| {
                let run = runs.iter().find(|r| Some(r.run_id()) == n.run_id.as_deref())?;
                let st = run.parsed.archive.steps.steps.get(i)?;
                Some((run.key.clone(), Some(crate::components::completeness_section::step_anchor(st, i))))
            }),
            NodeKind::Checkpoint | NodeKind::HfModel | NodeKind::Eval => g.edges.iter().find(|e| e.to == n.id && e.from.starts_with("step:")).and_then(|e| {
                let rest = e.from.strip_prefix("step:")?;
                let (rid, sid) = rest.rsplit_once(':')?;
                let run = runs.iter().find(|r| r.run_id() == rid)?;
                Some((run.key.clone(), Some(format!("step-{sid}"))))
            }),
            NodeKind::Run => n.run_id.as_ref().and_then(|rid| runs.iter().find(|r| r.run_id() == rid)).map(|r| (r.key.clone(), None)),
            _ => None,
        };
        let onclick = {
            let store = store.clone();
            let this = this_run.clone();
            let target = target.clone();
            let run_of = n.run_id.clone();
            Callback::from(move |e: MouseEvent| {
                e.stop_propagation();
                let Some((key, anchor)) = &target else { return };
                if run_of.as_deref() != Some(this.as_str()) {
                    if let Some(s) = &store {
                        s.dispatch(Action::Open(key.clone()));
                    }
                }
                if let Some(a) = anchor.clone() {
                    // After the other run has rendered, if it had to open.
                    gloo::timers::callback::Timeout::new(0, move || jump_to(&a)).forget();
                }
            })
        };
        let onkeydown = {
            let click = onclick.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" || e.key() == " " {
                    e.prevent_default();
                    if let Ok(m) = MouseEvent::new("click") {
                        click.emit(m);
                    }
                }
            })
        };
        let label: String = n.label.chars().take(30).collect();
        let sub = match (n.kind, &n.tag, n.run_id.as_ref()) {
            (NodeKind::Checkpoint, Some(t), _) if !t.is_empty() => format!("checkpoint · {t}"),
            (NodeKind::Step, _, _) => format!("step · {status}"),
            (k, _, Some(r)) if *all && k != NodeKind::Run => format!("{} · {}", k.as_str(), r),
            (k, _, _) => k.as_str().replace('_', " "),
        };
        let full = n.path.clone().unwrap_or_else(|| n.label.clone());
        html! {
            <g {class} transform={format!("translate({},{})", p.x, p.y)} tabindex={if target.is_some() { "0" } else { "-1" }}
                role={if target.is_some() { "button" } else { "img" }}
                data-node-id={n.id.clone()} {onclick} {onkeydown}>
                <title>{ full }</title>
                <rect width={NODE_W.to_string()} height={NODE_H.to_string()} rx="7" />
                <text x="10" y="18" class="n-label">{ label }</text>
                <text x="10" y="34" class="n-sub">{ sub }</text>
            </g>
        }
    });
    let all_count = store.as_ref().map_or(0, |s| {
        s.runs
            .iter()
            .filter(|r| matches!(r.load, Load::Ready(_)))
            .count()
    });
    html! {
        <Section id="sec-lineage" title="Lineage" note={Some(AttrValue::from(format!("{} nodes, {} edges", g.nodes.len(), g.edges.len())))}>
            <div class="row wrap">
                <label><input type="checkbox" checked={*all} onchange={toggle_all} />{ format!(" every loaded run ({all_count})") }</label>
                <button type="button" onclick={zoom(1.25)} aria-label="Zoom in">{ "+" }</button>
                <button type="button" onclick={zoom(0.8)} aria-label="Zoom out">{ "−" }</button>
                <button type="button" onclick={reset}>{ "Reset view" }</button>
                <span class="muted small">{ "Drag or scroll to pan, Ctrl + wheel to zoom; click a step or checkpoint to open its step." }</span>
            </div>
            <div class="lineage-wrap" ref={wrap}>
                <svg class="lineage" viewBox={vb} width={format!("{:.0}", w * z)} height={format!("{:.0}", h * z)}
                    onwheel={on_wheel} onmousedown={on_down} onmousemove={on_move} onmouseup={on_up.clone()} onmouseleave={on_up}
                    role="group" aria-label="Lineage graph">
                    <defs>
                        <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                            <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead" />
                        </marker>
                    </defs>
                    { for edges }
                    { for nodes }
                </svg>
            </div>
        </Section>
    }
}

#[derive(Clone)]
struct RunsKey(Vec<Rc<Run>>);

impl PartialEq for RunsKey {
    fn eq(&self, o: &Self) -> bool {
        self.0.len() == o.0.len() && self.0.iter().zip(&o.0).all(|(a, b)| Rc::ptr_eq(a, b))
    }
}
