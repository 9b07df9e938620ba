//! Help with field names: the nearest known name to a mistyped one ([`nearest`]) and the
//! names that complete what is being typed ([`complete`], [`completion_at`]). Invariant:
//! suggestions are only ever names the table (or the template) knows.
//!
//! Pure: no I/O, no browser imports.

use super::fields::template_fields;
use super::syntax::{lex, Tok};
use super::table::FieldTable;

/// Edit distance (insertions, deletions, substitutions; by character).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The known name nearest to `typed`: a name whose last dotted parts are exactly what was
/// typed (`lr` -> `train.cpt.lr`, the shortest such), else the name at the smallest edit
/// distance, if that is at most a third of the typed length (and at least 2). Ties go to
/// the name first in sort order.
pub fn nearest<'a>(typed: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let suffix = format!(".{typed}");
    let mut by_suffix: Option<&str> = None;
    let mut best: Option<(usize, &str)> = None;
    for k in known {
        if k.ends_with(&suffix) && by_suffix.is_none_or(|b| (k.len(), k) < (b.len(), b)) {
            by_suffix = Some(k);
        }
        let d = distance(typed, k);
        if best.is_none_or(|(bd, bk)| (d, k) < (bd, bk)) {
            best = Some((d, k));
        }
    }
    let limit = (typed.chars().count() / 3).max(2);
    by_suffix.or(best.filter(|(d, _)| *d <= limit).map(|(_, k)| k))
}

/// Known field names (the table's and the template's) that start with `prefix`, sorted,
/// at most `limit` of them.
pub fn complete(table: &FieldTable, prefix: &str, limit: usize) -> Vec<String> {
    let mut v: Vec<&str> = table
        .names()
        .iter()
        .map(String::as_str)
        .chain(template_fields())
        .filter(|n| n.starts_with(prefix))
        .collect();
    v.sort_unstable();
    v.dedup();
    v.into_iter().take(limit).map(str::to_string).collect()
}

/// Where a field name is being typed in a query box: the byte range of the word that ends
/// at `cursor` (to replace with a completion) and its text, when that word is in a field's
/// place (not a value after an operator). An empty word right after `(`, `and`, `or`,
/// `not` or at the start counts, so completion can start before anything is typed.
pub fn completion_at(text: &str, cursor: usize) -> Option<(usize, usize, String)> {
    let head = text.get(..cursor)?;
    let toks = lex(head).ok()?;
    let ends_in_space = head.chars().last().is_some_and(char::is_whitespace);
    match toks.last() {
        None => Some((cursor, cursor, String::new())),
        Some(t) if t.end == cursor && !ends_in_space => {
            let before = toks.len().checked_sub(2).and_then(|i| toks.get(i));
            let field_place = !matches!(before.map(|b| &b.tok), Some(Tok::Op(_)))
                && matches!(
                    before.map(|b| &b.tok),
                    None | Some(Tok::Open | Tok::And | Tok::Or | Tok::Not)
                );
            match &t.tok {
                Tok::Word(w) if field_place => Some((t.start, t.end, w.clone())),
                _ => None,
            }
        }
        Some(t) if matches!(t.tok, Tok::Open | Tok::And | Tok::Or | Tok::Not) => {
            Some((cursor, cursor, String::new()))
        }
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: &[&str] = &[
        "status",
        "train.cpt.lr",
        "train.sft.lr",
        "train.cpt.final_loss",
        "eval.mmlu",
    ];

    #[test]
    fn the_nearest_name_prefers_a_dotted_tail_then_edit_distance() {
        let n = |t: &str| nearest(t, NAMES.iter().copied());
        assert_eq!(n("lr"), Some("train.cpt.lr"));
        assert_eq!(n("final_loss"), Some("train.cpt.final_loss"));
        assert_eq!(n("stauts"), Some("status"));
        assert_eq!(n("eval.mmmlu"), Some("eval.mmlu"));
        assert_eq!(n("zzzzzz"), None);
    }

    #[test]
    fn completion_knows_where_a_field_is_being_typed() {
        assert_eq!(completion_at("", 0), Some((0, 0, String::new())));
        assert_eq!(completion_at("tra", 3), Some((0, 3, "tra".into())));
        assert_eq!(
            completion_at("status = ok and train.c", 23),
            Some((16, 23, "train.c".into()))
        );
        assert_eq!(
            completion_at("status = ok and ", 16),
            Some((16, 16, String::new()))
        );
        assert_eq!(
            completion_at("status = ok", 11),
            None,
            "a value, not a field"
        );
        assert_eq!(completion_at("status ", 7), None);
        let mut t = FieldTable::new();
        let f = NAMES
            .iter()
            .map(|n| (n.to_string(), crate::query::FieldValue::Num(1.0)))
            .collect();
        t.push(&f);
        assert_eq!(
            complete(&t, "train.", 10),
            vec!["train.cpt.final_loss", "train.cpt.lr", "train.sft.lr"]
        );
        assert_eq!(complete(&t, "st", 10), vec!["started_at", "status"]);
    }
}
