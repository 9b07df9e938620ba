//! The scatter tab: x, y and colour pickers with log switches, the plot, the rank
//! correlation of every numeric field with y beside it, and the points as a table.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::corr_table::CorrTable;
use super::field_pick::FieldPick;
use super::points_table::PointsTable;
use super::scatter_canvas::ScatterCanvas;
use crate::components::common::Same;
use crate::query::FieldTable;
use crate::relate::columns::RowSet;
use crate::relate::Points;
use crate::share::route::RelateQuery;

/// Props of [`ScatterView`].
#[derive(Properties, PartialEq)]
pub struct ScatterViewProps {
    /// Every run's fields.
    pub fields: Same<FieldTable>,
    /// The runs the table shows.
    pub set: Same<RowSet>,
    /// The numeric fields (axis choices).
    pub numeric: Rc<Vec<String>>,
    /// The settings.
    pub rel: RelateQuery,
    /// New settings.
    pub on_rel: Callback<RelateQuery>,
}

fn pick(
    rel: &RelateQuery,
    on_rel: &Callback<RelateQuery>,
    set: fn(&mut RelateQuery, String),
) -> Callback<String> {
    let (rel, on_rel) = (rel.clone(), on_rel.clone());
    Callback::from(move |v: String| {
        let mut next = rel.clone();
        set(&mut next, v);
        on_rel.emit(next);
    })
}

fn switch(
    rel: &RelateQuery,
    on_rel: &Callback<RelateQuery>,
    set: fn(&mut RelateQuery, bool),
) -> Callback<Event> {
    let (rel, on_rel) = (rel.clone(), on_rel.clone());
    Callback::from(move |e: Event| {
        if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
            let mut next = rel.clone();
            set(&mut next, i.checked());
            on_rel.emit(next);
        }
    })
}

/// The tab.
#[component]
pub fn ScatterView(props: &ScatterViewProps) -> Html {
    let rel = &props.rel;
    let points = use_memo(
        (
            props.fields.clone(),
            props.set.clone(),
            rel.x.clone(),
            rel.y.clone(),
            rel.color.clone(),
        ),
        |(f, s, x, y, c)| {
            Rc::new(Points::new(
                &f.0,
                &s.0,
                x,
                y,
                (!c.is_empty()).then_some(c.as_str()),
            ))
        },
    );
    let all_names = use_memo(props.fields.clone(), |f| {
        let mut v: Vec<String> = f.0.names().to_vec();
        v.sort();
        Rc::new(v)
    });
    let on_x = pick(rel, &props.on_rel, |r, v| r.x = v);
    html! {
        <div class="scatter-view">
            <div class="relate-controls row wrap">
                <FieldPick id="scatter-x" label="x" names={props.numeric.clone()} value={rel.x.clone()} on_pick={on_x.clone()} />
                <label class="check"><input id="scatter-logx" type="checkbox" checked={rel.log_x} onchange={switch(rel, &props.on_rel, |r, v| r.log_x = v)} />{ " log x" }</label>
                <FieldPick id="scatter-y" label="y" names={props.numeric.clone()} value={rel.y.clone()} on_pick={pick(rel, &props.on_rel, |r, v| r.y = v)} />
                <label class="check"><input id="scatter-logy" type="checkbox" checked={rel.log_y} onchange={switch(rel, &props.on_rel, |r, v| r.log_y = v)} />{ " log y" }</label>
                <FieldPick id="scatter-color" label="colour" names={(*all_names).clone()} value={rel.color.clone()} none="none" on_pick={pick(rel, &props.on_rel, |r, v| r.color = v)} />
            </div>
            <div class="scatter-layout">
                <ScatterCanvas fields={props.fields.clone()} points={Same((*points).clone())} x={rel.x.clone()} y={rel.y.clone()} color={rel.color.clone()} log_x={rel.log_x} log_y={rel.log_y} />
                <CorrTable fields={props.fields.clone()} set={props.set.clone()} numeric={props.numeric.clone()} y={rel.y.clone()} x={rel.x.clone()} on_pick_x={on_x} />
            </div>
            <PointsTable points={Same((*points).clone())} x={rel.x.clone()} y={rel.y.clone()} />
        </div>
    }
}
