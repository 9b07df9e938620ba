//! Small rendering helpers shared by the components: values as safe text, links only for
//! http(s) targets, human numbers with the exact value on hover.

use yew::prelude::*;

use crate::archive::value::{Node, Value};
use crate::format;

pub use crate::format::safe_href;

/// A text value: http(s) URLs become links (opened in a new tab, no referrer), anything
/// else is plain text. Archive text is never parsed as HTML.
pub fn text_html(s: &str) -> Html {
    match safe_href(s) {
        Some(href) => html! {
            <a href={href} target="_blank" rel="noopener noreferrer nofollow">{ s.to_string() }</a>
        },
        None => html! { { s.to_string() } },
    }
}

/// A scalar node: placeholders greyed as "unfilled", empty values as "empty".
pub fn scalar_html(node: &Node) -> Html {
    match &node.value {
        Value::Empty => html! { <span class="muted">{ "(empty)" }</span> },
        Value::Unfilled => html! {
            <span class="unfilled" title="template placeholder left unfilled">{ node.text.clone() }</span>
        },
        Value::Bool(_) => html! { <span class="v-bool">{ node.text.clone() }</span> },
        Value::Int(_) | Value::Float(_) => html! { <span class="num">{ node.text.clone() }</span> },
        Value::Str(s) if s.contains('\n') => {
            html! { <pre class="block" tabindex="0">{ s.clone() }</pre> }
        }
        Value::Str(s) => text_html(s),
        Value::List(items) => html! {
            <ul class="plain">{ for items.iter().map(|n| html! { <li>{ node_inline(n) }</li> }) }</ul>
        },
        Value::Map(m) => html! {
            <dl class="kv">
                { for m.iter().map(|(k, n)| html! { <><dt>{ k.to_string() }</dt><dd>{ node_inline(n) }</dd></> }) }
            </dl>
        },
    }
}

/// Any node, inline.
pub fn node_inline(node: &Node) -> Html {
    scalar_html(node)
}

/// Seconds as `9 h 3 m`, exact value on hover.
pub fn duration_html(secs: Option<f64>) -> Html {
    match secs {
        Some(s) => {
            html! { <span class="num" title={format!("{} s", format::number(s))}>{ format::duration(s) }</span> }
        }
        None => html! { <span class="muted">{ "not recorded" }</span> },
    }
}

/// A byte count as `24.8 GB`, exact on hover.
pub fn bytes_html(n: u64) -> Html {
    html! { <span class="num" title={format!("{} bytes", format::grouped(n))}>{ format::bytes(n) }</span> }
}

/// A count as `4.18 M`, exact on hover.
pub fn count_html(n: u64) -> Html {
    html! { <span class="num" title={format::grouped(n)}>{ format::count(n) }</span> }
}

/// A status badge.
pub fn status_badge(status: &crate::archive::Status) -> Html {
    let class = classes!("status-badge", format!("status-{}", status.class()));
    html! { <span {class}>{ status.label() }</span> }
}

/// Props for components that show a part of one run (compared by pointer: cheap).
#[derive(Properties, Clone)]
pub struct RunProps {
    /// The run.
    pub run: std::rc::Rc<crate::runs::Run>,
}

impl PartialEq for RunProps {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.run, &other.run)
    }
}

/// Kept lines (unmapped or comments) as a monospace block with line numbers.
pub fn raw_lines_html(lines: &[crate::archive::model::RawLine], what: &str) -> Html {
    if lines.is_empty() {
        return html! {};
    }
    html! {
        <div class="unmapped">
            <div class="unmapped-title">{ format!("{what} ({})", lines.len()) }</div>
            <pre class="block" tabindex="0">
                { for lines.iter().map(|l| html! { <><span class="ln">{ format!("{:>5}  ", l.line) }</span>{ format!("{}\n", l.text) }</> }) }
            </pre>
        </div>
    }
}

/// Ticks or unticks a run for comparison (the runs list and the runs table).
pub fn tick_callback(store: &crate::state::Store, key: &str) -> Callback<Event> {
    let d = store.dispatcher();
    let key = key.to_string();
    Callback::from(move |_| d.dispatch(crate::state::Action::Select(key.clone())))
}

/// Opens a run from a list: fetched first when it is only listed (or failed before);
/// `leave_table` also closes the runs table.
pub fn open_callback(
    store: &crate::state::Store,
    slot: &crate::state::RunSlot,
    leave_table: bool,
) -> Callback<MouseEvent> {
    use crate::state::{Action, Load};
    let d = store.dispatcher();
    let key = slot.key.clone();
    let fetch = match (&slot.load, &slot.url) {
        (Load::Listed | Load::Failed(_), Some(url)) => Some((url.clone(), slot.files.clone())),
        _ => None,
    };
    Callback::from(move |_| {
        if let Some((url, files)) = &fetch {
            let (url, files, key) = (url.clone(), files.clone(), Some(key.clone()));
            crate::loader::load_hosted(url, files, key, true, d.clone());
        }
        if leave_table {
            d.dispatch(Action::ShowIndex(false));
        }
        d.dispatch(Action::Open(key.clone()));
    })
}

/// A shared value compared by identity (a prop or memo key that is costly to compare by
/// value: a field table, 100,000 row numbers).
pub struct Same<T>(pub std::rc::Rc<T>);

impl<T> Clone for Same<T> {
    fn clone(&self) -> Self {
        Same(self.0.clone())
    }
}

impl<T> PartialEq for Same<T> {
    fn eq(&self, o: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.0, &o.0)
    }
}
