//! A nested map (config snapshot, params, inputs) as a collapsible, filterable tree.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::archive::value::{Map, Node, Value};
use crate::components::common::scalar_html;
use crate::runs::Run;

/// Which map of the run the tree shows (props stay cheap: no map is cloned).
#[derive(Debug, Clone, PartialEq)]
pub enum TreeOf {
    /// The Config Snapshot section.
    Config,
    /// A map field of the step at this index (`params`, `inputs`, ...).
    Step(usize, &'static str),
    /// The step's fields that no other part of its card shows.
    StepRest(usize, Vec<&'static str>),
}

/// Props of [`ValueTree`].
#[derive(Properties)]
pub struct ValueTreeProps {
    /// The run.
    pub run: Rc<Run>,
    /// Which map.
    pub of: TreeOf,
    /// Show a filter box.
    #[prop_or(true)]
    pub filterable: bool,
    /// Label for the filter box.
    #[prop_or(AttrValue::from("Filter keys and values"))]
    pub label: AttrValue,
}

impl PartialEq for ValueTreeProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.run, &other.run)
            && self.of == other.of
            && self.filterable == other.filterable
            && self.label == other.label
    }
}

fn resolve(run: &Run, of: &TreeOf) -> Option<Map> {
    match of {
        TreeOf::Config => Some(run.parsed.archive.config.fields.clone()),
        TreeOf::Step(i, key) => run.parsed.archive.steps.steps.get(*i)?.map(key).cloned(),
        TreeOf::StepRest(i, shown) => {
            let step = run.parsed.archive.steps.steps.get(*i)?;
            Some(Map {
                entries: step
                    .fields
                    .entries
                    .iter()
                    .filter(|e| !shown.contains(&e.key.as_str()))
                    .cloned()
                    .collect(),
            })
        }
    }
}

fn matches(key: &str, node: &Node, needle: &str) -> bool {
    if key.to_lowercase().contains(needle) || node.text.to_lowercase().contains(needle) {
        return true;
    }
    match &node.value {
        Value::Map(m) => m.iter().any(|(k, n)| matches(k, n, needle)),
        Value::List(items) => items.iter().any(|n| matches("", n, needle)),
        _ => false,
    }
}

fn render_map(map: &Map, needle: &str, depth: usize) -> Html {
    html! {
        <table class="tree grid">
            <tbody>
            { for map.iter().filter(|(k, n)| needle.is_empty() || matches(k, n, needle)).map(|(k, n)| {
                let inner = match &n.value {
                    Value::Map(m) => html! {
                        <details open={depth < 2 || !needle.is_empty()}>
                            <summary>{ format!("{} keys", m.len()) }</summary>
                            { render_map(m, needle, depth + 1) }
                        </details>
                    },
                    _ => scalar_html(n),
                };
                html! {
                    <tr>
                        <th scope="row" class="key">{ k.to_string() }</th>
                        <td>{ inner }</td>
                    </tr>
                }
            }) }
            </tbody>
        </table>
    }
}

/// The tree.
#[component]
pub fn ValueTree(props: &ValueTreeProps) -> Html {
    let filter = use_state(String::new);
    let map = {
        let run = props.run.clone();
        let of = props.of.clone();
        use_memo((PtrRun(run), of), |(run, of)| resolve(&run.0, of))
    };
    let Some(map) = map.as_ref() else {
        return html! { <p class="muted">{ "not recorded" }</p> };
    };
    let oninput = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            filter.set(input.value().to_lowercase());
        })
    };
    let needle = (*filter).clone();
    html! {
        <div class="value-tree">
            if props.filterable {
                <input type="search" class="filter" placeholder={props.label.clone()} aria-label={props.label.clone()} {oninput} />
            }
            { render_map(map, &needle, 0) }
        </div>
    }
}

/// An `Rc<Run>` compared by pointer (memo keys).
#[derive(Clone)]
struct PtrRun(Rc<Run>);

impl PartialEq for PtrRun {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
