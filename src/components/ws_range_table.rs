//! The workspace's step-range table: for the range dragged on a panel (Shift+drag) or typed
//! in the toolbar, each run's (or group's) value at the start and end, min, max, mean and
//! change over it, for one panel's tag; sortable by any column; copied as CSV or Markdown.
//! The figures are [`crate::workspace::range`]'s.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::components::copy_button::CopyButton;
use crate::format;
use crate::workspace::range::{sort_rows, to_csv, to_markdown, RangeColumn, RangeRow};

/// Props of [`WsRangeTable`].
#[derive(Properties, PartialEq)]
pub struct WsRangeTableProps {
    /// The rows, in run order.
    pub rows: Vec<RangeRow>,
    /// The range.
    pub range: (f64, f64),
    /// The tags a table can be made for.
    pub tags: Vec<String>,
    /// The tag shown.
    pub tag: String,
    /// Another tag was picked.
    pub on_tag: Callback<String>,
}

const COLUMNS: [(RangeColumn, &str); 8] = [
    (RangeColumn::Label, "run"),
    (RangeColumn::Start, "start"),
    (RangeColumn::End, "end"),
    (RangeColumn::Min, "min"),
    (RangeColumn::Max, "max"),
    (RangeColumn::Mean, "mean"),
    (RangeColumn::Change, "change"),
    (RangeColumn::Count, "points"),
];

fn cell(col: &'static str, v: f64) -> Html {
    if v.is_nan() {
        html! { <td class="muted" data-col={col}>{ "—" }</td> }
    } else {
        // Values as stored read back short; computed ones (means) are shown to 7 digits,
        // exact in the title and `data-value`.
        let exact = format::value(v);
        let shown = if exact.len() > 10 {
            crate::chart::view::with_digits(v, 7)
        } else {
            exact.clone()
        };
        html! { <td class="num" data-col={col} data-value={exact.clone()} title={exact}>{ shown }</td> }
    }
}

/// The table.
#[component]
pub fn WsRangeTable(props: &WsRangeTableProps) -> Html {
    let sort = use_state_eq(|| (RangeColumn::Label, false));
    let mut rows = props.rows.clone();
    if sort.0 != RangeColumn::Label || sort.1 {
        sort_rows(&mut rows, sort.0, sort.1);
    }
    let head = COLUMNS.iter().map(|&(col, name)| {
        let on = sort.0 == col;
        let aria = match (on, sort.1) {
            (false, _) => "none",
            (true, true) => "descending",
            (true, false) => "ascending",
        };
        let onclick = {
            let sort = sort.clone();
            Callback::from(move |_| sort.set((col, sort.0 == col && !sort.1)))
        };
        let arrow = match (on, sort.1) {
            (false, _) => "",
            (true, true) => " ▼",
            (true, false) => " ▲",
        };
        html! { <th scope="col" aria-sort={aria}><button type="button" class="linkish" {onclick}>{ format!("{name}{arrow}") }</button></th> }
    });
    let body = rows.iter().map(|r| {
        html! {
            <tr data-run={r.label.clone()} data-key={r.key.clone()}>
                <th scope="row" class="mono">{ r.label.clone() }</th>
                { cell("start", r.start.map_or(f64::NAN, |p| p.1)) }{ cell("end", r.end.map_or(f64::NAN, |p| p.1)) }
                { cell("min", r.min) }{ cell("max", r.max) }{ cell("mean", r.mean) }{ cell("change", r.change) }
                <td class="num" data-col="points">{ r.count }</td>
            </tr>
        }
    });
    let on_tag = {
        let on = props.on_tag.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() {
                on.emit(s.value());
            }
        })
    };
    let (a, b) = props.range;
    html! {
        <section class="ws-range-table" aria-label="Step range table">
            <div class="row wrap">
                <h2 class="side-title">{ format!("Range {} – {}", format::number(a), format::number(b)) }</h2>
                <label>{ "tag " }
                    <select id="ws-range-tag" onchange={on_tag}>
                        { for props.tags.iter().map(|t| html! { <option value={t.clone()} selected={*t == props.tag}>{ t.clone() }</option> }) }
                    </select>
                </label>
                <CopyButton text={to_csv(&rows)} what="the range table as CSV" />
                <span class="muted small">{ "CSV" }</span>
                <CopyButton text={to_markdown(&rows, props.range)} what="the range table as Markdown" />
                <span class="muted small">{ "Markdown" }</span>
            </div>
            <div class="table-scroll">
                <table class="grid ws-table">
                    <thead><tr>{ for head }</tr></thead>
                    <tbody>{ for body }</tbody>
                </table>
            </div>
        </section>
    }
}
