//! Draws a lineage [`Scene`] as SVG: run bands (their label folds the band), edges and node
//! boxes; hovering or focusing a node reports it, so the graph can light up its lineage and
//! dim the rest; drag pans, Ctrl/Cmd + wheel zooms.

use std::collections::BTreeSet;
use std::rc::Rc;

use web_sys::{MouseEvent, WheelEvent};
use yew::prelude::*;

use crate::lineage::layout::{NODE_H, NODE_W};
use crate::lineage::scene::{Scene, SceneBand, SceneNode, PAD};

/// Props of [`LineageSvg`].
#[derive(Properties, Clone)]
pub struct LineageSvgProps {
    /// What to draw.
    pub scene: Rc<Scene>,
    /// Per node index: whether activating it goes somewhere.
    pub actionable: Rc<Vec<bool>>,
    /// Zoom factor.
    pub zoom: f64,
    /// Node ids to light up (the others are dimmed); `None` lights everything.
    pub lit: Option<Rc<BTreeSet<String>>>,
    /// The scrolling box around the drawing (dragging scrolls it).
    pub wrap: NodeRef,
    /// A node is hovered or focused (`Some(id)`), or left (`None`).
    pub on_hover: Callback<Option<String>>,
    /// A node is clicked or activated with the keyboard (its index in the graph).
    pub on_activate: Callback<usize>,
    /// A band's label is activated (its run id).
    pub on_fold: Callback<String>,
    /// Zoom by a factor (Ctrl/Cmd + wheel).
    pub on_zoom_by: Callback<f64>,
}

impl PartialEq for LineageSvgProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.scene, &o.scene)
            && self.actionable == o.actionable
            && self.zoom == o.zoom
            && self.lit == o.lit
            && self.wrap == o.wrap
            && self.on_hover == o.on_hover
            && self.on_activate == o.on_activate
            && self.on_fold == o.on_fold
            && self.on_zoom_by == o.on_zoom_by
    }
}

/// Enter or Space does what a click does.
fn on_enter(cb: Callback<()>) -> Callback<KeyboardEvent> {
    Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Enter" || e.key() == " " {
            e.prevent_default();
            cb.emit(());
        }
    })
}

fn band(b: &SceneBand, width: f64, on_fold: &Callback<String>) -> Html {
    let fold = {
        let (cb, run) = (on_fold.clone(), b.run_id.clone());
        Callback::from(move |()| cb.emit(run.clone()))
    };
    let onclick = {
        let fold = fold.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            fold.emit(());
        })
    };
    let what = if b.folded { "Unfold" } else { "Fold" };
    html! {
        <g class="band-g" data-band-run={b.run_id.clone()}>
            <rect class={format!("band st-{}", b.status)} x={(-PAD / 2.0).to_string()} y={b.y.to_string()} width={(width - PAD).to_string()} height={b.h.to_string()} rx="8" />
            <g class="band-head" role="button" tabindex="0" aria-expanded={(!b.folded).to_string()} {onclick} onkeydown={on_enter(fold)}>
                <title>{ format!("{what} this run's band") }</title>
                <text class="band-label" x={(-PAD / 2.0 + 10.0).to_string()} y={(b.y + 16.0).to_string()}>
                    { if b.folded { "▸ " } else { "▾ " } }{ b.label.clone() }
                </text>
            </g>
        </g>
    }
}

fn node(n: &SceneNode, p: &LineageSvgProps) -> Html {
    let lit = p.lit.as_ref().map(|s| s.contains(&n.id));
    let class = classes!(n.class.clone(), (lit == Some(true)).then_some("hl"));
    let actionable = p.actionable.get(n.node).copied().unwrap_or(false);
    let activate = {
        let (cb, i) = (p.on_activate.clone(), n.node);
        Callback::from(move |()| cb.emit(i))
    };
    let onclick = {
        let activate = activate.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            activate.emit(());
        })
    };
    let enter = {
        let (cb, id) = (p.on_hover.clone(), n.id.clone());
        Callback::from(move |_: web_sys::Event| cb.emit(Some(id.clone())))
    };
    let leave = {
        let cb = p.on_hover.clone();
        Callback::from(move |_: web_sys::Event| cb.emit(None))
    };
    html! {
        <g {class} transform={format!("translate({},{})", n.x, n.y)} tabindex={if actionable { "0" } else { "-1" }}
            role={if actionable { "button" } else { "img" }} data-node-id={n.id.clone()} {onclick}
            onkeydown={on_enter(activate)} onmouseenter={enter.reform(|e: MouseEvent| e.into())}
            onmouseleave={leave.reform(|e: MouseEvent| e.into())} onfocus={enter.reform(|e: FocusEvent| e.into())}
            onblur={leave.reform(|e: FocusEvent| e.into())}>
            <title>{ n.title.clone() }</title>
            <rect class="box" width={NODE_W.to_string()} height={NODE_H.to_string()} rx="7" />
            <rect class="kind" width="5" height={NODE_H.to_string()} rx="2" />
            <text x="12" y="18" class="n-label">{ n.label.clone() }</text>
            <text x="12" y="34" class="n-sub">{ n.sub.clone() }</text>
        </g>
    }
}

/// The drawing.
#[component]
pub fn LineageSvg(props: &LineageSvgProps) -> Html {
    let drag = use_state(|| None::<(i32, i32)>);
    let s = &props.scene;
    // Ctrl/Cmd + wheel zooms; a plain wheel scrolls the graph like a page.
    let on_wheel = {
        let zoom_by = props.on_zoom_by.clone();
        Callback::from(move |e: WheelEvent| {
            if e.ctrl_key() || e.meta_key() {
                e.prevent_default();
                zoom_by.emit(if e.delta_y() < 0.0 { 1.15 } else { 1.0 / 1.15 });
            }
        })
    };
    let on_down = {
        let drag = drag.clone();
        Callback::from(move |e: MouseEvent| drag.set(Some((e.client_x(), e.client_y()))))
    };
    let on_move = {
        let (drag, wrap) = (drag.clone(), props.wrap.clone());
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
    let lit = props.lit.as_deref();
    let edges = s.edges.iter().map(|e| {
        let on = lit.is_some_and(|l| l.contains(&e.from) && l.contains(&e.to));
        html! {
            <path class={classes!(e.class.clone(), on.then_some("hl"))} d={e.d.clone()}>
                <title>{ e.title.clone() }</title>
            </path>
        }
    });
    let z = props.zoom;
    html! {
        <svg class={classes!("lineage", lit.is_some().then_some("focusing"))} viewBox={s.view_box.clone()}
            width={format!("{:.0}", s.width * z)} height={format!("{:.0}", s.height * z)}
            onwheel={on_wheel} onmousedown={on_down} onmousemove={on_move} onmouseup={on_up.clone()} onmouseleave={on_up}
            role="group" aria-label="Lineage graph">
            <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead" />
                </marker>
            </defs>
            { for s.bands.iter().map(|b| band(b, s.width, &props.on_fold)) }
            { for edges }
            { for s.nodes.iter().map(|n| node(n, props)) }
        </svg>
    }
}
