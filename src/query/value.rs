//! A run's query fields: the typed scalar each field name holds ([`FieldValue`]) and the
//! map of them ([`Fields`]). Invariant: numbers are finite `f64`s and serialize back as the
//! same number (integers without a fraction), so a manifest round trip changes no answer.
//!
//! Pure: no I/O, no browser imports.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One field's value in one run.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    /// A number (`2e-5`, `95%` as 95, `32588`); compared by value.
    Num(f64),
    /// `true` / `false`.
    Bool(bool),
    /// Any other text, as written (versions such as `12.4` stay text).
    Text(String),
}

/// A run's fields by name (`status`, `train.cpt.lr`, `eval.mmlu`, ...), sorted by name.
pub type Fields = BTreeMap<String, FieldValue>;

impl FieldValue {
    /// The number, when it is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            FieldValue::Num(n) => Some(*n),
            _ => None,
        }
    }

    /// The text form a person reads (and a regex matches): numbers in their shortest form.
    pub fn display(&self) -> String {
        match self {
            FieldValue::Num(n) => format_number(*n),
            FieldValue::Bool(b) => b.to_string(),
            FieldValue::Text(t) => t.clone(),
        }
    }
}

impl fmt::Display for FieldValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

/// Whether a float is an integer small enough to print without loss.
fn is_whole(n: f64) -> bool {
    n.fract() == 0.0 && n.abs() < 9.0e15
}

/// A number in its shortest exact form: `32588`, `1e-05` as `0.00001`, `0.7046`.
pub fn format_number(n: f64) -> String {
    if is_whole(n) {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

impl Serialize for FieldValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            FieldValue::Num(n) if is_whole(*n) => s.serialize_i64(*n as i64),
            FieldValue::Num(n) => s.serialize_f64(*n),
            FieldValue::Bool(b) => s.serialize_bool(*b),
            FieldValue::Text(t) => s.serialize_str(t),
        }
    }
}

struct FieldValueVisitor;

impl Visitor<'_> for FieldValueVisitor {
    type Value = FieldValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, a boolean or a string")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<FieldValue, E> {
        Ok(FieldValue::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<FieldValue, E> {
        Ok(FieldValue::Num(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<FieldValue, E> {
        Ok(FieldValue::Num(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<FieldValue, E> {
        Ok(FieldValue::Num(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<FieldValue, E> {
        Ok(FieldValue::Text(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<FieldValue, E> {
        Ok(FieldValue::Text(v))
    }
}

impl<'de> Deserialize<'de> for FieldValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<FieldValue, D::Error> {
        d.deserialize_any(FieldValueVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_through_json_unchanged() {
        let mut f = Fields::new();
        f.insert("a".into(), FieldValue::Num(1e-5));
        f.insert("b".into(), FieldValue::Num(32588.0));
        f.insert("c".into(), FieldValue::Bool(true));
        f.insert("d".into(), FieldValue::Text("12.4".into()));
        let j = serde_json::to_string(&f).unwrap();
        assert_eq!(j, r#"{"a":0.00001,"b":32588,"c":true,"d":"12.4"}"#);
        let back: Fields = serde_json::from_str(&j).unwrap();
        assert_eq!(back, f);
    }

    #[test]
    fn display_is_the_shortest_exact_form() {
        assert_eq!(FieldValue::Num(1e-5).display(), "0.00001");
        assert_eq!(FieldValue::Num(256.0).display(), "256");
        assert_eq!(FieldValue::Num(0.7046).display(), "0.7046");
    }
}
