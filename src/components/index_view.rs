//! The runs table for large hostings: thousands of runs from the manifest, virtualised
//! (only the rows in view exist in the page), sortable by any column, filtered by text,
//! status, experiment and date, with a loss sparkline per run and multi-select to compare.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::app::Store;
use crate::archive::Status;
use crate::format;
use crate::loader::load_hosted;
use crate::state::{Action, Load, RunSlot};

const ROW_H: f64 = 32.0;
const VIEW_H: f64 = 640.0;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Col {
    Experiment,
    Run,
    Status,
    Start,
    Duration,
    Gpus,
    Loss,
    Eval,
    Complete,
}

const COLS: [(Col, &str); 9] = [
    (Col::Experiment, "experiment"),
    (Col::Run, "run id"),
    (Col::Status, "status"),
    (Col::Start, "started"),
    (Col::Duration, "duration"),
    (Col::Gpus, "GPUs"),
    (Col::Loss, "final loss"),
    (Col::Eval, "eval"),
    (Col::Complete, "complete"),
];

/// The run's final loss as the table sorts it: that of the stage whose name sorts last
/// (`sft` after `cpt`), not the first stage's.
fn final_loss(r: &RunSlot) -> Option<f64> {
    r.meta.final_losses.values().last().copied()
}

fn mean_eval(r: &RunSlot) -> Option<f64> {
    let v: Vec<f64> = r.meta.eval.values().copied().collect();
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

fn cmp_opt(a: Option<f64>, b: Option<f64>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        _ => std::cmp::Ordering::Equal,
    }
}

#[derive(Clone, PartialEq)]
struct Query {
    runs: SameRuns,
    text: String,
    status: String,
    experiment: String,
    from: String,
    to: String,
    sort: (Col, bool),
}

#[derive(Clone)]
struct SameRuns(Rc<Vec<RunSlot>>);

impl PartialEq for SameRuns {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.0, &o.0)
    }
}

/// The rows that pass the filters, sorted.
fn rows(q: &Query) -> Vec<usize> {
    let text = crate::runs::RunFilter::new(&q.text);
    let runs = &q.runs.0;
    let mut out: Vec<usize> = (0..runs.len())
        .filter(|&i| {
            let r = &runs[i];
            let day = r.meta.started_at.as_deref().unwrap_or("");
            (q.status.is_empty() || Status::parse(r.meta.status.as_deref()).class() == q.status)
                && (q.experiment.is_empty()
                    || r.meta.experiment.as_deref() == Some(q.experiment.as_str()))
                && (q.from.is_empty() || day >= q.from.as_str())
                && (q.to.is_empty() || day.get(..10).unwrap_or(day) <= q.to.as_str())
                && (text.is_empty() || text.matches(&r.meta, &r.label()))
        })
        .collect();
    let (col, desc) = q.sort;
    out.sort_by(|&a, &b| {
        let (x, y) = (&runs[a], &runs[b]);
        let o = match col {
            Col::Experiment => x.meta.experiment.cmp(&y.meta.experiment),
            Col::Run => x.label().cmp(&y.label()),
            Col::Status => x.meta.status.cmp(&y.meta.status),
            Col::Start => x.meta.started_at.cmp(&y.meta.started_at),
            Col::Duration => cmp_opt(x.meta.duration_sec, y.meta.duration_sec),
            Col::Gpus => x.meta.gpus.cmp(&y.meta.gpus),
            Col::Loss => cmp_opt(final_loss(x), final_loss(y)),
            Col::Eval => cmp_opt(mean_eval(x), mean_eval(y)),
            Col::Complete => cmp_opt(x.meta.completeness, y.meta.completeness),
        };
        if desc {
            o.reverse()
        } else {
            o
        }
    });
    out
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

/// The table.
#[component]
pub fn IndexView() -> Html {
    let Some(store) = use_context::<Store>() else {
        return html! {};
    };
    // Filters and sort come from the URL and go back to it, so a link reopens the same table.
    let params = web_sys::UrlSearchParams::new_with_str(
        &gloo::utils::window()
            .location()
            .search()
            .unwrap_or_default(),
    )
    .ok();
    let param = |k: &str| params.as_ref().and_then(|p| p.get(k)).unwrap_or_default();
    let status = use_state(|| param("status"));
    let experiment = use_state(|| param("exp"));
    let from = use_state(|| param("from"));
    let to = use_state(|| param("to"));
    let sort = use_state(|| {
        let s = param("sort");
        let (name, dir) = s.split_once(':').unwrap_or((s.as_str(), "desc"));
        let col = COLS
            .iter()
            .find(|(_, l)| l.replace(' ', "_") == name)
            .map_or(Col::Start, |(c, _)| *c);
        (col, dir != "asc")
    });
    {
        let state = (
            (*status).clone(),
            (*experiment).clone(),
            (*from).clone(),
            (*to).clone(),
            COLS.iter()
                .find(|(c, _)| *c == sort.0)
                .map_or("started", |(_, l)| l)
                .replace(' ', "_"),
            sort.1,
        );
        use_effect_with(state, |(st, ex, fr, to, col, desc)| {
            let win = gloo::utils::window();
            let loc = win.location();
            if let Ok(p) = web_sys::UrlSearchParams::new_with_str(&loc.search().unwrap_or_default())
            {
                for (k, v) in [("status", st), ("exp", ex), ("from", fr), ("to", to)] {
                    if v.is_empty() {
                        p.delete(k);
                    } else {
                        p.set(k, v);
                    }
                }
                if col == "started" && *desc {
                    p.delete("sort");
                } else {
                    p.set(
                        "sort",
                        &format!("{col}:{}", if *desc { "desc" } else { "asc" }),
                    );
                }
                let next = format!(
                    "{}?{}",
                    loc.pathname().unwrap_or_default(),
                    String::from(p.to_string())
                );
                if let Ok(h) = win.history() {
                    let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&next));
                }
            }
        });
    }
    let scroll = use_state(|| 0.0f64);
    let q = Query {
        runs: SameRuns(store.runs.clone()),
        text: store.filter.clone(),
        status: (*status).clone(),
        experiment: (*experiment).clone(),
        from: (*from).clone(),
        to: (*to).clone(),
        sort: *sort,
    };
    let order = use_memo(q, rows);
    let experiments = use_memo(SameRuns(store.runs.clone()), |r| {
        let mut v: Vec<String> =
            r.0.iter()
                .filter_map(|x| x.meta.experiment.clone())
                .collect();
        v.sort();
        v.dedup();
        v
    });
    let set = |h: &UseStateHandle<String>| {
        let h = h.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_dyn_into::<HtmlSelectElement>()
                .map(|s| s.value())
                .or_else(|| e.target_dyn_into::<HtmlInputElement>().map(|i| i.value()))
                .unwrap_or_default();
            h.set(v);
        })
    };
    let on_scroll = {
        let scroll = scroll.clone();
        Callback::from(move |e: Event| {
            if let Some(el) = e.target_dyn_into::<web_sys::Element>() {
                scroll.set(el.scroll_top() as f64);
            }
        })
    };
    // How long the table took from the manifest's arrival to this paint (for the benchmark).
    {
        let count = store.runs.len();
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
    let n = order.len();
    let first = ((*scroll / ROW_H).floor() as usize).saturating_sub(5);
    let last = (((*scroll + VIEW_H) / ROW_H).ceil() as usize + 5).min(n);
    let runs = store.runs.clone();
    let open = |r: &RunSlot| {
        let d = store.dispatcher();
        let key = r.key.clone();
        let fetch = matches!(r.load, Load::Listed | Load::Failed(_))
            .then(|| (r.url.clone(), r.files.clone()));
        Callback::from(move |_| {
            if let Some((Some(url), files)) = &fetch {
                load_hosted(
                    url.clone(),
                    files.clone(),
                    Some(key.clone()),
                    true,
                    d.clone(),
                );
            }
            d.dispatch(Action::ShowIndex(false));
            d.dispatch(Action::Open(key.clone()));
        })
    };
    let header = COLS.iter().map(|(c, label)| {
        let (sc, desc) = *sort;
        let aria = if sc == *c { if desc { "descending" } else { "ascending" } } else { "none" };
        let onclick = {
            let sort = sort.clone();
            let c = *c;
            Callback::from(move |_| sort.set(if sort.0 == c { (c, !sort.1) } else { (c, false) }))
        };
        html! {
            <div class="ix-cell ix-h" role="columnheader" aria-sort={aria}>
                <button type="button" class="linkish" {onclick}>{ *label }{ if sc == *c { if desc { " ▼" } else { " ▲" } } else { "" } }</button>
            </div>
        }
    });
    let compare = {
        let d = store.dispatcher();
        let keys = store.selected.clone();
        Callback::from(move |_| {
            d.dispatch(Action::ShowIndex(false));
            d.dispatch(Action::Compare(keys.clone()));
        })
    };
    let close = {
        let d = store.dispatcher();
        Callback::from(move |_| d.dispatch(Action::ShowIndex(false)))
    };
    html! {
        <main id="run-view" class="index" tabindex="-1">
            <section id="runs-index" aria-label="Runs table">
                <header class="compare-head">
                    <h1 id="index-title">{ "All runs" }</h1>
                    <div class="row wrap ix-filters">
                        <label>{ "status " }
                            <select onchange={set(&status)} aria-label="Status filter">
                                <option value="" selected={status.is_empty()}>{ "any" }</option>
                                { for ["success", "failed", "skipped", "running", "unknown"].iter().map(|s| html! { <option value={*s} selected={*status == *s}>{ *s }</option> }) }
                            </select>
                        </label>
                        <label>{ "experiment " }
                            <select onchange={set(&experiment)} aria-label="Experiment filter">
                                <option value="" selected={experiment.is_empty()}>{ "any" }</option>
                                { for experiments.iter().map(|e| html! { <option value={e.clone()} selected={*experiment == *e}>{ e.clone() }</option> }) }
                            </select>
                        </label>
                        <label>{ "from " }<input type="date" value={(*from).clone()} onchange={set(&from)} aria-label="Started on or after" /></label>
                        <label>{ "to " }<input type="date" value={(*to).clone()} onchange={set(&to)} aria-label="Started on or before" /></label>
                        <button type="button" id="index-compare" disabled={store.selected.len() < 2} onclick={compare}>{ format!("Compare selected ({})", store.selected.len()) }</button>
                        <button type="button" onclick={close}>{ "Close" }</button>
                    </div>
                    <p id="index-count" class="compare-count" aria-live="polite">{ format!("{} of {} runs", format::grouped(n as u64), format::grouped(runs.len() as u64)) }<span class="muted small">{ " · the search box filters by run id, experiment and GPUs" }</span></p>
                </header>
                <div class="ix-table" role="table" aria-rowcount={(n + 1).to_string()}>
                    <div class="ix-row ix-head" role="row"><div class="ix-cell ix-pick" role="columnheader"><span class="visually-hidden">{ "select to compare" }</span></div>{ for header }<div class="ix-cell ix-h" role="columnheader">{ "loss" }</div></div>
                    <div class="ix-body" onscroll={on_scroll} style={format!("height: {VIEW_H}px")}>
                        <div class="ix-space" style={format!("height: {}px", n as f64 * ROW_H)}>
                            { for (first..last).filter_map(|k| order.get(k).map(|&i| (k, i))).map(|(k, i)| {
                                let r = &runs[i];
                                let st = Status::parse(r.meta.status.as_deref());
                                let ticked = store.selected.contains(&r.key);
                                let tick = {
                                    let d = store.dispatcher();
                                    let key = r.key.clone();
                                    Callback::from(move |_| d.dispatch(Action::Select(key.clone())))
                                };
                                let losses: String = r.meta.final_losses.iter().map(|(s, v)| format!("{s} {}", format::value(*v))).collect::<Vec<_>>().join(" · ");
                                let evals: String = r.meta.eval.iter().take(3).map(|(k, v)| format!("{k} {}", format::value(*v))).collect::<Vec<_>>().join(" · ");
                                html! {
                                    <div class="ix-row" role="row" aria-rowindex={(k + 2).to_string()} style={format!("top: {}px", k as f64 * ROW_H)} data-run-key={r.key.clone()}>
                                        <div class="ix-cell ix-pick" role="cell"><input type="checkbox" checked={ticked} onchange={tick} aria-label={format!("Select {}", r.label())} /></div>
                                        <div class="ix-cell" role="cell" title={r.meta.experiment.clone().unwrap_or_default()}>{ r.meta.experiment.clone().unwrap_or_default() }</div>
                                        <div class="ix-cell mono" role="cell"><button type="button" class="linkish mono" onclick={open(r)}>{ r.label() }</button></div>
                                        <div class="ix-cell" role="cell"><span class={classes!("status-badge", format!("status-{}", st.class()))}>{ st.label() }</span></div>
                                        <div class="ix-cell num" role="cell">{ r.meta.started_at.clone().unwrap_or_default() }</div>
                                        <div class="ix-cell num" role="cell">{ r.meta.duration_sec.map(format::duration).unwrap_or_default() }</div>
                                        <div class="ix-cell" role="cell" title={r.meta.gpus.clone().unwrap_or_default()}>{ r.meta.gpus.clone().unwrap_or_default() }</div>
                                        <div class="ix-cell num" role="cell" title={losses.clone()}>{ losses }</div>
                                        <div class="ix-cell num" role="cell" title={evals.clone()}>{ evals }</div>
                                        <div class="ix-cell num" role="cell">{ r.meta.completeness.map(|c| format!("{c:.0}%")).unwrap_or_default() }</div>
                                        <div class="ix-cell" role="cell">{ sparkline(&r.meta.sparkline) }</div>
                                    </div>
                                }
                            }) }
                        </div>
                    </div>
                </div>
            </section>
        </main>
    }
}
