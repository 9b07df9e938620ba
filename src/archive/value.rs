//! Values read from the YAML-like parts of an archive: a small tree of typed scalars, lists
//! and ordered maps, each node remembering the lines it came from.
//!
//! Pure: no I/O, no browser imports. Scalars keep their source text so a view can show a
//! number exactly as the archive wrote it (`1e-05`, not `0.00001`).

/// One value in the tree, with the 1-based lines it spans in the archive.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// First line (1-based) of this value in the archive.
    pub line: u32,
    /// Last line (1-based, inclusive); equal to `line` for one-line values.
    pub end_line: u32,
    /// The scalar exactly as written (after unquoting); empty for lists and maps.
    pub text: String,
    /// The typed value.
    pub value: Value,
}

/// A typed value. Numbers and booleans are recognised in their common spellings; anything
/// left in angle brackets as the template wrote it (`<version>`) is [`Value::Unfilled`].
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A key with nothing after it and nothing under it.
    Empty,
    /// A template placeholder that was never filled in, e.g. `<version>`.
    Unfilled,
    /// `true` / `false` in any letter case.
    Bool(bool),
    /// An integer that fits in 64 bits.
    Int(i64),
    /// A finite floating-point number (`1e-05`, `0.9`, `92.4%`).
    Float(f64),
    /// Any other text.
    Str(String),
    /// A sequence of values.
    List(Vec<Node>),
    /// An ordered map; keys keep the order of the file.
    Map(Map),
}

/// An ordered map of keys to nodes. Duplicate keys are kept (the parser warns about them);
/// lookups return the first.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Map {
    /// The entries in file order.
    pub entries: Vec<Entry>,
}

/// One `key: value` entry of a [`Map`].
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key as written.
    pub key: String,
    /// The line (1-based) the key is on.
    pub line: u32,
    /// The value under the key.
    pub node: Node,
}

impl Map {
    /// The first node stored under `key`.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries.iter().find(|e| e.key == key).map(|e| &e.node)
    }

    /// The first entry stored under `key`.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    /// Whether the map has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Iterates over `(key, node)` in file order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Node)> {
        self.entries.iter().map(|e| (e.key.as_str(), &e.node))
    }
}

impl Node {
    /// A one-line scalar node.
    pub fn scalar(line: u32, text: &str, value: Value) -> Node {
        Node {
            line,
            end_line: line,
            text: text.to_string(),
            value,
        }
    }

    /// The value as text, for scalars: the source text; `None` for empty, unfilled,
    /// lists and maps.
    pub fn as_text(&self) -> Option<&str> {
        match self.value {
            Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Str(_) => {
                Some(self.text.as_str())
            }
            _ => None,
        }
    }

    /// The value as an integer, when it is one (a float with no fraction counts).
    pub fn as_i64(&self) -> Option<i64> {
        match self.value {
            Value::Int(i) => Some(i),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(f as i64),
            _ => None,
        }
    }

    /// The value as a float, for integers and floats.
    pub fn as_f64(&self) -> Option<f64> {
        match self.value {
            Value::Int(i) => Some(i as f64),
            Value::Float(f) => Some(f),
            _ => None,
        }
    }

    /// The map under this node, if it is one.
    pub fn as_map(&self) -> Option<&Map> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The list under this node, if it is one.
    pub fn as_list(&self) -> Option<&[Node]> {
        match &self.value {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// Whether the template placeholder was left as written.
    pub fn is_unfilled(&self) -> bool {
        matches!(self.value, Value::Unfilled)
    }

    /// Whether the node carries a real value: not empty, not a placeholder, not an empty
    /// list or map.
    pub fn is_filled(&self) -> bool {
        match &self.value {
            Value::Empty | Value::Unfilled => false,
            Value::List(l) => l.iter().any(Node::is_filled),
            Value::Map(m) => m.entries.iter().any(|e| e.node.is_filled()),
            Value::Str(s) => !s.trim().is_empty(),
            _ => true,
        }
    }

    /// Re-types a scalar as plain text (for fields the template defines as strings, such
    /// as versions and commit hashes, where `12.10` must not become `12.1`).
    pub fn into_text(mut self) -> Node {
        if matches!(self.value, Value::Bool(_) | Value::Int(_) | Value::Float(_)) {
            self.value = Value::Str(self.text.clone());
        }
        self
    }
}

/// Whether `s` is a template placeholder such as `<version>` or `<path_to_tb_or_csv>`.
pub fn is_placeholder(s: &str) -> bool {
    let s = s.trim();
    let Some(inner) = s.strip_prefix('<').and_then(|r| r.strip_suffix('>')) else {
        return false;
    };
    // Template placeholders are words with `_ | / . : -` and spaces (`<model x count>`,
    // `<true|false>`); markup such as `<img src=x>` is not one and stays a value.
    !inner.trim().is_empty()
        && inner
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '|' | '/' | '.' | ':' | '-' | ' '))
}

/// Types a plain scalar: placeholder, boolean, integer, float (a trailing `%` is allowed),
/// or text.
pub fn infer_scalar(text: &str) -> Value {
    let t = text.trim();
    if t.is_empty() {
        return Value::Empty;
    }
    if is_placeholder(t) {
        return Value::Unfilled;
    }
    if t.eq_ignore_ascii_case("true") {
        return Value::Bool(true);
    }
    if t.eq_ignore_ascii_case("false") {
        return Value::Bool(false);
    }
    parse_number(t).unwrap_or_else(|| Value::Str(t.to_string()))
}

/// Parses `42`, `-3`, `+7`, `1e-05`, `1.0E-5`, `.5`, `0.00001`, `1_000`, `92.4%`.
/// Text with other characters (versions like `3.10.14`, hashes, hex) is not a number.
pub fn parse_number(t: &str) -> Option<Value> {
    let body = t.strip_suffix('%').unwrap_or(t).trim_end();
    if body.is_empty() || !body.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    if !body
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-' | b'_'))
    {
        return None;
    }
    // Underscores only between digits, as in `1_000`.
    if body.contains('_') {
        let ok = body
            .as_bytes()
            .windows(3)
            .all(|w| w[1] != b'_' || (w[0].is_ascii_digit() && w[2].is_ascii_digit()))
            && !body.starts_with('_')
            && !body.ends_with('_');
        if !ok {
            return None;
        }
    }
    let clean: String = body.chars().filter(|&c| c != '_').collect();
    let digits = clean.trim_start_matches(['+', '-']);
    // A leading zero followed by more digits (`0002000`) is an identifier, not a number.
    let is_int_form = digits.bytes().all(|b| b.is_ascii_digit());
    if is_int_form {
        if digits.len() > 1 && digits.starts_with('0') {
            return None;
        }
        return clean.parse::<i64>().ok().map(Value::Int).or_else(|| {
            clean
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map(Value::Float)
        });
    }
    // Only one exponent marker, and sign only at the start or right after it.
    let lower = clean.to_ascii_lowercase();
    if lower.matches('e').count() > 1 || lower.matches('.').count() > 1 {
        return None;
    }
    let mantissa = lower.split('e').next().unwrap_or("");
    if mantissa.contains('.')
        && mantissa
            .trim_start_matches(['+', '-'])
            .split('.')
            .next()
            .is_some_and(|int_part| int_part.len() > 1 && int_part.starts_with('0'))
    {
        return None;
    }
    clean
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .map(Value::Float)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_common_spellings() {
        assert_eq!(infer_scalar("1e-05"), Value::Float(1e-5));
        assert_eq!(infer_scalar("1.0e-5"), Value::Float(1e-5));
        assert_eq!(infer_scalar("0.00001"), Value::Float(1e-5));
        assert_eq!(infer_scalar("92.4%"), Value::Float(92.4));
        assert_eq!(infer_scalar("92%"), Value::Int(92));
        assert_eq!(infer_scalar("-3"), Value::Int(-3));
        assert_eq!(infer_scalar("1_000"), Value::Int(1000));
        assert_eq!(infer_scalar(".5"), Value::Float(0.5));
    }

    #[test]
    fn identifiers_stay_text() {
        for s in [
            "3.10.14",
            "0002000",
            "9f2c41e",
            "1e5e5",
            "100,0,0",
            "inf",
            "NaN",
            "e",
            "0x10",
            "2025-11-03",
        ] {
            assert!(
                matches!(infer_scalar(s), Value::Str(_)),
                "{s} should stay text"
            );
        }
    }

    #[test]
    fn booleans_and_placeholders() {
        assert_eq!(infer_scalar("True"), Value::Bool(true));
        assert_eq!(infer_scalar("FALSE"), Value::Bool(false));
        assert_eq!(infer_scalar("<version>"), Value::Unfilled);
        assert_eq!(infer_scalar("<model x count>"), Value::Unfilled);
        assert!(matches!(infer_scalar("<a> and <b>"), Value::Str(_)));
        assert!(matches!(
            infer_scalar("<img src=x onerror=alert(1)>"),
            Value::Str(_)
        ));
        assert_eq!(infer_scalar("<YYYY-MM-DD HH:MM:SS>"), Value::Unfilled);
        assert_eq!(infer_scalar("   "), Value::Empty);
    }

    #[test]
    fn huge_integers_become_floats() {
        assert_eq!(
            infer_scalar("123456789012345678901234567890"),
            Value::Float(1.2345678901234568e29)
        );
    }
}
