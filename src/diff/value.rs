//! How a value reads in a diff: one line, lists inline, maps by their size.

use crate::archive::value::{Node, Value};

/// A value as one line of text.
pub fn show(n: &Option<Node>) -> String {
    match n {
        None => "—".into(),
        Some(n) => match &n.value {
            Value::Empty => "(empty)".into(),
            Value::List(items) => format!(
                "[{}]",
                items
                    .iter()
                    .map(|i| i.text.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Value::Map(m) => format!("{{{} keys}}", m.len()),
            _ => n.text.replace('\n', " ⏎ "),
        },
    }
}
