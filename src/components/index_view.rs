//! The runs table for large hostings: thousands of runs from the manifest, virtualised
//! (only the rows in view exist in the page), sortable by any column, filtered by text,
//! status, experiment and date, with a loss sparkline per run and multi-select to compare.
//! Which rows show, and in what order, is `crate::table`; the filters live in the store
//! (and so in the link).

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::archive::Status;
use crate::components::brush_chips::BrushChips;
use crate::components::common::Same;
use crate::components::copy_button::CopyButton;
use crate::components::relate_panel::RelatePanel;
use crate::components::shard_status::ShardStatus;
use crate::format;
use crate::query::{complete, completion_at, FieldTable, QueryError};
use crate::share::route::TableQuery;
use crate::state::{same_run_id, Action, RunSlot, Store};
use crate::table::{self, format_sort, parse_sort, Col};

const ROW_H: f64 = 32.0;
const VIEW_H: f64 = 640.0;

#[derive(Clone)]
struct SameRuns(Rc<Vec<RunSlot>>);

/// The runs' field table, compared by identity.
#[derive(Clone)]
struct SameFields(Rc<FieldTable>);

impl PartialEq for SameFields {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.0, &o.0)
    }
}

impl PartialEq for SameRuns {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.0, &o.0)
    }
}

fn sparkline(encoded: &str) -> Html {
    let v = crate::runs::sparkline_levels(encoded);
    if v.len() < 2 {
        return html! {};
    }
    let pts: String = v
        .iter()
        .enumerate()
        .map(|(i, &y)| {
            format!(
                "{:.1},{:.1} ",
                i as f32 * 100.0 / (v.len() - 1) as f32,
                18.0 - y as f32 / 255.0 * 16.0
            )
        })
        .collect();
    html! {
        <svg class="spark" viewBox="0 0 100 20" preserveAspectRatio="none" aria-hidden="true"><polyline points={pts} /></svg>
    }
}

/// Records how long the table took from the manifest's arrival to this paint (for the
/// benchmark), as `data-ms-since-manifest` on the table.
#[hook]
fn use_paint_mark(count: usize) {
    use_effect_with(count, move |_| {
        let perf = web_sys::window().and_then(|w| w.performance());
        if let (Some(p), Some(el)) = (
            perf,
            gloo::utils::document().get_element_by_id("runs-index"),
        ) {
            let marks = p.get_entries_by_name("runlens:manifest-fetched");
            if let Some(m) = marks
                .get(marks.length().saturating_sub(1))
                .dyn_ref::<web_sys::PerformanceEntry>()
            {
                let _ = el.set_attribute(
                    "data-ms-since-manifest",
                    &format!("{:.1}", p.now() - m.start_time()),
                );
            }
        }
    });
}

/// The table.
#[component]
pub fn IndexView() -> Html {
    let Some(store) = use_context::<Store>() else {
        return html! {};
    };
    let scroll = use_state(|| 0.0f64);
    let fields = use_memo(SameRuns(store.runs.clone()), |r| {
        Rc::new(table::field_table(&r.0))
    });
    let matched = use_memo(
        (SameFields((*fields).clone()), store.table.query.clone()),
        |(f, text)| table::query_matches(&f.0, text).map(|k| k.map(Rc::new)),
    );
    // A query that cannot be read keeps the rows of the last one that could.
    let last_ok = use_mut_ref(|| None::<Rc<Vec<bool>>>);
    let keep = match &*matched {
        Ok(k) => {
            *last_ok.borrow_mut() = k.clone();
            k.clone()
        }
        Err(_) => last_ok.borrow().clone(),
    };
    let query_error = matched.as_ref().clone().err();
    // The rows before the brushes (the parallel plot draws them all, the brushed ones lit);
    // the plots' settings do not re-sort the table.
    let base = use_memo(
        (
            SameRuns(store.runs.clone()),
            store.filter.clone(),
            TableQuery {
                relate: Default::default(),
                ..store.table.clone()
            },
            keep,
        ),
        |(runs, text, q, keep)| {
            table::rows_matching(&runs.0, text, q, keep.as_deref().map(|k| k.as_slice()))
        },
    );
    let brushed = use_memo(
        (
            SameFields((*fields).clone()),
            store.table.relate.brushes.clone(),
        ),
        |(f, b)| crate::relate::brush_keep(&f.0, b),
    );
    let order = use_memo((Same(base.clone()), Same(brushed.clone())), |(b, k)| {
        crate::relate::parallel::keep_rows(&b.0, k.0.as_deref())
    });
    let experiments = use_memo(SameRuns(store.runs.clone()), |r| table::experiments(&r.0));
    let stages = use_memo(SameRuns(store.runs.clone()), |r| table::stages(&r.0));
    let cols = table::columns(&stages);
    let grid = grid_columns(&cols);
    let on_scroll = {
        let scroll = scroll.clone();
        Callback::from(move |e: Event| {
            if let Some(el) = e.target_dyn_into::<web_sys::Element>() {
                scroll.set(el.scroll_top() as f64);
            }
        })
    };
    use_paint_mark(store.runs.len());
    let n = order.len();
    let first = ((*scroll / ROW_H).floor() as usize).saturating_sub(5);
    let last = (((*scroll + VIEW_H) / ROW_H).ceil() as usize + 5).min(n);
    let on_table = {
        let d = store.dispatcher();
        Callback::from(move |q: TableQuery| d.dispatch(Action::Table(Box::new(q))))
    };
    let rows = (first..last)
        .filter_map(|k| order.get(k).map(|&i| (k, i)))
        .filter_map(|(k, i)| store.runs.get(i).map(|r| (k, r)))
        .map(|(k, r)| index_row(&store, &cols, &stages, &grid, k, r));
    html! {
        <main id="run-view" class="index" tabindex="-1">
            <section id="runs-index" aria-label="Runs table">
                <IndexHeader query={store.table.clone()} experiments={(*experiments).clone()} shown={n} total={store.runs.len()} on_change={on_table.clone()} />
                <BrushChips query={store.table.clone()} on_change={on_table.clone()} />
                <ShardStatus />
                <QueryBox query={store.table.clone()} fields={SameFields((*fields).clone())} error={query_error} on_change={on_table.clone()} />
                <RelatePanel fields={Same((*fields).clone())} rows={Same(order.clone())} base={Same(base.clone())} query={store.table.clone()} on_change={on_table.clone()} />
                <div class="ix-table" role="table" aria-rowcount={(n + 1).to_string()}>
                    <div class="ix-row ix-head" role="row" style={grid.clone()}><div class="ix-cell ix-pick" role="columnheader"><span class="visually-hidden">{ "select to compare" }</span></div>{ column_headers(&cols, &store.table, &on_table) }<div class="ix-cell ix-h" role="columnheader">{ "loss curve" }</div><div class="ix-cell ix-h" role="columnheader"><span class="visually-hidden">{ "copy row" }</span></div></div>
                    <div class="ix-body" onscroll={on_scroll} style={format!("height: {VIEW_H}px")}>
                        <div class="ix-space" style={format!("height: {}px", n as f64 * ROW_H)}>
                            { for rows }
                        </div>
                    </div>
                </div>
            </section>
        </main>
    }
}

/// The grid's column widths for these columns (pick box first; sparkline and copy last).
fn grid_columns(cols: &[Col]) -> String {
    let widths: Vec<&str> = cols
        .iter()
        .map(|c| match c {
            Col::Experiment => "minmax(100px,1fr)",
            Col::Run => "minmax(150px,1.1fr)",
            Col::Status => "84px",
            Col::Start => "156px",
            Col::Duration => "76px",
            Col::Gpus => "minmax(80px,0.7fr)",
            Col::Loss(_) => "78px",
            Col::Eval => "minmax(120px,1.3fr)",
            Col::Complete => "76px",
        })
        .collect();
    format!(
        "grid-template-columns: 32px {} 104px 56px",
        widths.join(" ")
    )
}

/// The sortable column headers: a click sorts by the column, a second click reverses it.
fn column_headers(cols: &[Col], q: &TableQuery, on_change: &Callback<TableQuery>) -> Html {
    let (sc, desc) = parse_sort(&q.sort);
    let cells = cols.iter().map(|c| {
        let on = sc == *c;
        let aria = match (on, desc) {
            (false, _) => "none",
            (true, true) => "descending",
            (true, false) => "ascending",
        };
        let onclick = {
            let q = q.clone();
            let on_change = on_change.clone();
            let next = (c.clone(), on && !desc);
            Callback::from(move |_| {
                on_change.emit(TableQuery {
                    sort: format_sort(&next),
                    ..q.clone()
                })
            })
        };
        let arrow = match (on, desc) {
            (false, _) => "",
            (true, true) => " ▼",
            (true, false) => " ▲",
        };
        html! {
            <div class="ix-cell ix-h" role="columnheader" aria-sort={aria} data-col={c.name()}>
                <button type="button" class="linkish" {onclick}>{ c.label() }{ arrow }</button>
            </div>
        }
    });
    cells.collect::<Html>()
}

/// Props of [`QueryBox`].
#[derive(Properties, PartialEq)]
struct QueryBoxProps {
    query: TableQuery,
    fields: SameFields,
    error: Option<QueryError>,
    on_change: Callback<TableQuery>,
}

/// The query over the runs' fields: its error (with a caret at the position) under it, and
/// the field names that complete the word being typed.
#[component]
fn QueryBox(props: &QueryBoxProps) -> Html {
    let text = props.query.query.clone();
    let set = {
        let (q, on_change) = (props.query.clone(), props.on_change.clone());
        move |query: String| on_change.emit(TableQuery { query, ..q.clone() })
    };
    let oninput = {
        let set = set.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                set(i.value());
            }
        })
    };
    let word = completion_at(&text, text.len());
    let names = word
        .as_ref()
        .filter(|(_, _, w)| !w.is_empty())
        .map(|(_, _, w)| complete(&props.fields.0, w, 8))
        .unwrap_or_default();
    let chips = names.into_iter().map(|name| {
        let (set, text) = (set.clone(), text.clone());
        let (start, end) = word.as_ref().map_or((0, 0), |(a, b, _)| (*a, *b));
        let onclick = {
            let name = name.clone();
            Callback::from(move |_| {
                let (head, tail) = (
                    text.get(..start).unwrap_or(""),
                    text.get(end..).unwrap_or(""),
                );
                set(format!("{head}{name} {tail}").trim_end().to_string() + " ");
            })
        };
        html! { <button type="button" class="chip mono" {onclick}>{ name }</button> }
    });
    html! {
        <div class="query-box">
            <label class="query-label" for="runs-query">{ "query" }</label>
            <input id="runs-query" class="mono" type="search" value={text.clone()} {oninput} spellcheck="false"
                placeholder="e.g. train.cpt.lr >= 2e-5 and status = success" aria-describedby="query-help"
                aria-invalid={props.error.is_some().to_string()} />
            <div class="query-completions" aria-label="Field names">{ for chips }</div>
            if let Some(e) = &props.error {
                <div id="query-error" class="query-error" role="alert" data-position={e.char_start(&text).to_string()}>
                    <pre class="mono">{ format!("{text}\n{}^", " ".repeat(e.char_start(&text))) }</pre>
                    <span>{ format!("{} (the table keeps the last query's rows)", e.message) }</span>
                </div>
            } else {
                <p id="query-help" class="muted small">{ "Fields: status, host, train.cpt.lr, train.sft.final_loss, eval.mmlu, …; = != < <= > >= ~ (regex), and, or, not, ( ); text in \"double quotes\"." }</p>
            }
        </div>
    }
}

/// Props of [`IndexHeader`].
#[derive(Properties, PartialEq)]
struct IndexHeaderProps {
    query: TableQuery,
    experiments: Vec<String>,
    shown: usize,
    total: usize,
    on_change: Callback<TableQuery>,
}

/// Title, filters, Compare and Close, and the count of runs shown.
#[component]
fn IndexHeader(props: &IndexHeaderProps) -> Html {
    let Some(store) = use_context::<Store>() else {
        return html! {};
    };
    let q = &props.query;
    let set = |field: fn(&mut TableQuery) -> &mut String| {
        let q = q.clone();
        let on_change = props.on_change.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_dyn_into::<HtmlSelectElement>()
                .map(|s| s.value())
                .or_else(|| e.target_dyn_into::<HtmlInputElement>().map(|i| i.value()))
                .unwrap_or_default();
            let mut next = q.clone();
            *field(&mut next) = v;
            on_change.emit(next);
        })
    };
    let compare = {
        let d = store.dispatcher();
        let keys = store.selected.clone();
        Callback::from(move |_| {
            d.dispatch(Action::ShowIndex(false));
            d.dispatch(Action::Compare(keys.clone()));
        })
    };
    let workspace = {
        let d = store.dispatcher();
        let keys = store.selected.clone();
        Callback::from(move |_| d.dispatch(Action::Workspace(keys.clone())))
    };
    let close = {
        let d = store.dispatcher();
        Callback::from(move |_| d.dispatch(Action::ShowIndex(false)))
    };
    html! {
        <header class="compare-head">
            <h1 id="index-title">{ "All runs" }</h1>
            <div class="row wrap ix-filters">
                <label>{ "status " }
                    <select onchange={set(|q| &mut q.status)} aria-label="Status filter">
                        <option value="" selected={q.status.is_empty()}>{ "any" }</option>
                        { for ["success", "failed", "skipped", "running", "unknown"].iter().map(|s| html! { <option value={*s} selected={q.status == *s}>{ *s }</option> }) }
                    </select>
                </label>
                <label>{ "experiment " }
                    <select onchange={set(|q| &mut q.experiment)} aria-label="Experiment filter">
                        <option value="" selected={q.experiment.is_empty()}>{ "any" }</option>
                        { for props.experiments.iter().map(|e| html! { <option value={e.clone()} selected={q.experiment == *e}>{ e.clone() }</option> }) }
                    </select>
                </label>
                <label>{ "from " }<input type="date" value={q.from.clone()} onchange={set(|q| &mut q.from)} aria-label="Started on or after" /></label>
                <label>{ "to " }<input type="date" value={q.to.clone()} onchange={set(|q| &mut q.to)} aria-label="Started on or before" /></label>
                <button type="button" id="index-compare" disabled={store.selected.len() < 2} onclick={compare}>{ format!("Compare selected ({})", store.selected.len()) }</button>
                <button type="button" id="index-workspace" disabled={store.selected.is_empty()} onclick={workspace}>{ format!("Open workspace ({})", store.selected.len()) }</button>
                <button type="button" onclick={close}>{ "Close" }</button>
            </div>
            <p id="index-count" class="compare-count" aria-live="polite">{ format!("{} of {} runs", format::grouped(props.shown as u64), format::grouped(props.total as u64)) }<span class="muted small">{ " · the search box filters by run id, experiment and GPUs" }</span></p>
        </header>
    }
}

/// One cell of a row.
fn cell(store: &Store, col: &Col, r: &RunSlot) -> Html {
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    match col {
        Col::Experiment => {
            html! { <div class="ix-cell" role="cell" title={o(&r.meta.experiment)}>{ o(&r.meta.experiment) }</div> }
        }
        Col::Run => html! {
            <div class="ix-cell mono" role="cell"><button type="button" class="linkish mono" onclick={crate::components::common::open_callback(store, r, true)}>{ r.label() }</button>
                if let Some(other) = same_run_id(store, r) {
                    <span class="same-id" title={format!("{} has the same run id as {}: each is its own run", r.origin(), other.origin())}>{ format!("same run id as {}", other.origin()) }</span>
                }
            </div>
        },
        Col::Status => {
            let st = Status::parse(r.meta.status.as_deref());
            html! { <div class="ix-cell" role="cell"><span class={classes!("status-badge", format!("status-{}", st.class()))}>{ st.label() }</span></div> }
        }
        Col::Start => {
            html! { <div class="ix-cell num" role="cell">{ o(&r.meta.started_at) }</div> }
        }
        Col::Duration => {
            html! { <div class="ix-cell num" role="cell">{ r.meta.duration_sec.map(format::duration).unwrap_or_default() }</div> }
        }
        Col::Gpus => {
            html! { <div class="ix-cell" role="cell" title={o(&r.meta.gpus)}>{ o(&r.meta.gpus) }</div> }
        }
        Col::Loss(stage) => {
            let v = r.meta.final_losses.get(stage).copied();
            html! { <div class="ix-cell num" role="cell" data-col={col.name()} title={v.map(|v| v.to_string()).unwrap_or_default()}>{ v.map(format::value).unwrap_or_default() }</div> }
        }
        Col::Eval => {
            let text = table::eval_text(r);
            let n = r.meta.eval.len();
            let title = r
                .meta
                .eval
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
                .join("\n");
            html! {
                <div class="ix-cell num ix-eval" role="cell" data-col="eval" data-count={n.to_string()} title={title}>
                    if n > 0 { <span class="count">{ n }</span>{ " " } }
                    { text }
                </div>
            }
        }
        Col::Complete => {
            html! { <div class="ix-cell num" role="cell">{ r.meta.completeness.map(|c| format!("{c:.0}%")).unwrap_or_default() }</div> }
        }
    }
}

/// Row `k` of the table (positioned absolutely: only the rows in view exist).
fn index_row(
    store: &Store,
    cols: &[Col],
    stages: &[String],
    grid: &str,
    k: usize,
    r: &RunSlot,
) -> Html {
    let ticked = store.selected.contains(&r.key);
    let tick = crate::components::common::tick_callback(store, &r.key);
    html! {
        <div class="ix-row" role="row" aria-rowindex={(k + 2).to_string()} style={format!("top: {}px; {grid}", k as f64 * ROW_H)} data-run-key={r.label()} data-run-src={r.key.clone()}>
            <div class="ix-cell ix-pick" role="cell"><input type="checkbox" checked={ticked} onchange={tick} aria-label={format!("Select {}", r.label())} /></div>
            { for cols.iter().map(|c| cell(store, c, r)) }
            <div class="ix-cell" role="cell">{ sparkline(&r.meta.sparkline) }</div>
            <div class="ix-cell ix-copy" role="cell"><CopyButton text={table::row_tsv(r, stages)} what={format!("the row of {}", r.label())} /></div>
        </div>
    }
}
