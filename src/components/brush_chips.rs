//! The brushes that narrow the runs table, named under its count, each removable.

use yew::prelude::*;

use crate::format::number;
use crate::share::route::{RelateQuery, TableQuery};

/// Props of [`BrushChips`].
#[derive(Properties, PartialEq)]
pub struct BrushChipsProps {
    /// The table's settings.
    pub query: TableQuery,
    /// New settings.
    pub on_change: Callback<TableQuery>,
}

/// One chip per brush, and *Clear brushes*.
#[component]
pub fn BrushChips(props: &BrushChipsProps) -> Html {
    let rel = &props.query.relate;
    if rel.brushes.is_empty() {
        return html! {};
    }
    let set = |keep: Option<usize>| {
        let (q, on_change) = (props.query.clone(), props.on_change.clone());
        Callback::from(move |_| {
            let brushes = match keep {
                Some(drop) => q
                    .relate
                    .brushes
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != drop)
                    .map(|(_, b)| b.clone())
                    .collect(),
                None => Vec::new(),
            };
            on_change.emit(TableQuery {
                relate: RelateQuery {
                    brushes,
                    ..q.relate.clone()
                },
                ..q.clone()
            });
        })
    };
    html! {
        <div id="brush-chips" class="brush-chips row wrap" aria-label="Brushes narrowing the table">
            <span class="small muted">{ "brushed:" }</span>
            { for rel.brushes.iter().enumerate().map(|(i, b)| html! {
                <span class="brush-chip" data-field={b.field.clone()} data-lo={b.lo.to_string()} data-hi={b.hi.to_string()}>
                    <span class="mono">{ b.field.clone() }</span>{ format!(" {} – {}", number(b.lo), number(b.hi)) }
                    <button type="button" class="chip-btn" aria-label={format!("Remove the brush on {}", b.field)} onclick={set(Some(i))}>{ "×" }</button>
                </span>
            }) }
            if rel.brushes.len() > 1 {
                <button type="button" class="linkish small" onclick={set(None)}>{ "Clear brushes" }</button>
            }
        </div>
    }
}
