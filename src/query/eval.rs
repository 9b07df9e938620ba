//! Answering a query over a [`FieldTable`]: [`Query`] (checked against the fields the table
//! knows) and [`Query::select`]. Invariant: a run lacking a field fails every comparison on
//! it (`!=` included: `lr != 1e-5` lists runs that have an lr and a different one), so
//! `not (lr = 1e-5)` is the way to include runs without it.
//!
//! Comparing a field with a value: numbers by value (`1e-05` = `0.00001`); text exactly
//! (`=`), and in natural order for `<`/`>` (digit runs by number, so `3.9 < 3.10` and
//! dates order as written); booleans equal `true`/`false` in any case; `~` is a regex
//! (`regex-lite` syntax, searched anywhere; `(?i)` for any case) over the text a person
//! reads (numbers in their shortest form). A number against text, or the reverse, is never
//! equal and never ordered.
//!
//! Pure: no I/O, no browser imports.

use std::cmp::Ordering;

use regex_lite::Regex;

use super::error::QueryError;
use super::fields::{is_template_field, template_fields};
use super::suggest::nearest;
use super::syntax::{parse, Expr, Literal, Op};
use super::table::{Cell, FieldTable};
use super::value::format_number;

/// A parsed query whose field names and regexes were checked.
#[derive(Debug, Clone)]
pub struct Query {
    text: String,
    expr: Expr,
    regexes: Vec<Regex>,
}

impl Query {
    /// Parses `text` and checks it against the fields `table` knows (plus the template's
    /// [`template_fields`]): an unknown field is an error naming it and the nearest known
    /// name; a bad regex is an error at its position. The empty query matches every run.
    pub fn new(text: &str, table: &FieldTable) -> Result<Query, QueryError> {
        let expr = parse(text)?;
        for f in expr.fields() {
            if table.id(&f.name).is_none() && !is_template_field(&f.name) {
                let known = table
                    .names()
                    .iter()
                    .map(String::as_str)
                    .chain(template_fields());
                let hint = match nearest(&f.name, known) {
                    Some(n) => format!("; did you mean `{n}`?"),
                    None => String::new(),
                };
                return Err(QueryError::new(
                    f.start,
                    f.end,
                    format!("unknown field `{}`{hint}", f.name),
                ));
            }
        }
        let mut regexes = Vec::new();
        collect_regexes(&expr, &mut regexes)?;
        Ok(Query {
            text: text.to_string(),
            expr,
            regexes,
        })
    }

    /// The text it was made from.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The parsed tree.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// The distinct field names it uses, in the order typed.
    pub fn field_names(&self) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for f in self.expr.fields() {
            if !v.contains(&f.name) {
                v.push(f.name.clone());
            }
        }
        v
    }

    /// Binds the query to a table for evaluating many runs (resolves names and texts once).
    pub fn bind<'a>(&'a self, table: &'a FieldTable) -> Bound<'a> {
        let mut next_regex = 0;
        let plan = plan(&self.expr, table, &self.regexes, &mut next_regex);
        Bound { table, plan }
    }

    /// The rows of `table` that match, in order. Each comparison scans only its field's
    /// column, into a bit set; `and`/`or`/`not` combine bit sets.
    pub fn select(&self, table: &FieldTable) -> Vec<usize> {
        let mut b = self.bind(table);
        let bits = eval_all(&mut b.plan, table);
        let mut out = Vec::new();
        for (w, &word) in bits.iter().enumerate() {
            let mut x = word;
            while x != 0 {
                out.push(w * 64 + x.trailing_zeros() as usize);
                x &= x - 1;
            }
        }
        out
    }

    /// Whether one row matches (binds each call: for many rows use [`Query::bind`]).
    pub fn matches(&self, table: &FieldTable, row: usize) -> bool {
        self.bind(table).matches(row)
    }
}

fn collect_regexes(e: &Expr, out: &mut Vec<Regex>) -> Result<(), QueryError> {
    match e {
        Expr::All | Expr::Has(_) => Ok(()),
        Expr::Or(v) | Expr::And(v) => v.iter().try_for_each(|x| collect_regexes(x, out)),
        Expr::Not(x) => collect_regexes(x, out),
        Expr::Cmp(_, Op::Match | Op::NotMatch, lit) => {
            let re = Regex::new(&lit.text).map_err(|err| {
                let first = err.to_string();
                let first = first.lines().last().unwrap_or("").trim().to_string();
                QueryError::new(lit.start, lit.end, format!("not a valid regex: {first}"))
            })?;
            out.push(re);
            Ok(())
        }
        Expr::Cmp(..) => Ok(()),
    }
}

/// What a value on the right of an operator is, resolved against one table.
#[derive(Debug)]
struct Want {
    num: Option<f64>,
    text: String,
    text_id: Option<u32>,
    bool: Option<bool>,
}

#[derive(Debug)]
enum Plan<'a> {
    All,
    Or(Vec<Plan<'a>>),
    And(Vec<Plan<'a>>),
    Not(Box<Plan<'a>>),
    /// A field no run has: nothing matches.
    Nothing,
    Has(u32),
    Cmp(u32, Op, Want),
    /// Regex over a field; `memo[text id]` caches each text's answer (0 unknown, 1 no, 2 yes).
    Regex(u32, bool, &'a Regex, Vec<u8>),
}

fn plan<'a>(e: &Expr, t: &FieldTable, regexes: &'a [Regex], next: &mut usize) -> Plan<'a> {
    match e {
        Expr::All => Plan::All,
        Expr::Or(v) => Plan::Or(v.iter().map(|x| plan(x, t, regexes, next)).collect()),
        Expr::And(v) => Plan::And(v.iter().map(|x| plan(x, t, regexes, next)).collect()),
        Expr::Not(x) => Plan::Not(Box::new(plan(x, t, regexes, next))),
        Expr::Has(f) => t.id(&f.name).map_or(Plan::Nothing, Plan::Has),
        Expr::Cmp(f, op, lit) => {
            let is_regex = matches!(op, Op::Match | Op::NotMatch);
            let re = if is_regex {
                let r = regexes.get(*next);
                *next += 1;
                r
            } else {
                None
            };
            let Some(id) = t.id(&f.name) else {
                return Plan::Nothing;
            };
            match re {
                Some(re) => Plan::Regex(id, *op == Op::Match, re, vec![0; t.text_count()]),
                None if is_regex => Plan::Nothing,
                None => Plan::Cmp(id, *op, want(lit, t)),
            }
        }
    }
}

fn want(lit: &Literal, t: &FieldTable) -> Want {
    let lower = lit.text.to_ascii_lowercase();
    Want {
        num: lit.num,
        text_id: t.text_id(&lit.text),
        bool: match lower.as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        text: lit.text.clone(),
    }
}

/// A query bound to one table: call [`Bound::matches`] for each row.
#[derive(Debug)]
pub struct Bound<'a> {
    table: &'a FieldTable,
    plan: Plan<'a>,
}

impl Bound<'_> {
    /// Whether run `row` matches.
    pub fn matches(&mut self, row: usize) -> bool {
        eval(&mut self.plan, self.table, row)
    }
}

/// A set of rows, one bit each.
type Bits = Vec<u64>;

fn all_rows(n: usize) -> Bits {
    let mut b = vec![u64::MAX; n.div_ceil(64)];
    if n % 64 != 0 {
        if let Some(last) = b.last_mut() {
            *last = (1u64 << (n % 64)) - 1;
        }
    }
    b
}

/// The rows among `column` for which `keep(cell)` holds.
fn scan(t: &FieldTable, id: u32, mut keep: impl FnMut(Cell) -> bool) -> Bits {
    let mut b = vec![0u64; t.len().div_ceil(64)];
    let c = t.column(id);
    for (&row, &cell) in c.rows.iter().zip(&c.cells) {
        if keep(cell) {
            if let Some(w) = b.get_mut(row as usize / 64) {
                *w |= 1 << (row % 64);
            }
        }
    }
    b
}

/// The rows that match `p`, as a bit set over every row of `t`.
fn eval_all(p: &mut Plan<'_>, t: &FieldTable) -> Bits {
    let n = t.len();
    match p {
        Plan::All => all_rows(n),
        Plan::Nothing => vec![0; n.div_ceil(64)],
        Plan::Or(v) => {
            let mut acc = vec![0; n.div_ceil(64)];
            for x in v.iter_mut() {
                for (a, b) in acc.iter_mut().zip(eval_all(x, t)) {
                    *a |= b;
                }
            }
            acc
        }
        Plan::And(v) => {
            let mut acc = all_rows(n);
            for x in v.iter_mut() {
                for (a, b) in acc.iter_mut().zip(eval_all(x, t)) {
                    *a &= b;
                }
            }
            acc
        }
        Plan::Not(x) => {
            let mut b = eval_all(x, t);
            for (w, m) in b.iter_mut().zip(all_rows(n)) {
                *w = !*w & m;
            }
            b
        }
        Plan::Has(id) => scan(t, *id, |_| true),
        Plan::Cmp(id, op, w) => {
            let (op, w) = (*op, &*w);
            scan(t, *id, |c| compare(c, op, w, t))
        }
        Plan::Regex(id, want_match, re, memo) => {
            let want_match = *want_match;
            scan(t, *id, |c| regex_hit(c, re, memo, t) == want_match)
        }
    }
}

fn compare(c: Cell, op: Op, w: &Want, t: &FieldTable) -> bool {
    match c {
        Cell::Num(n) => match w.num {
            Some(x) => n.partial_cmp(&x).is_some_and(|o| ordered(op, o)),
            None => op == Op::Ne,
        },
        Cell::Bool(b) => match w.bool {
            Some(x) if matches!(op, Op::Eq | Op::Ne) => (b == x) == (op == Op::Eq),
            _ => op == Op::Ne,
        },
        Cell::Text(tid) => match op {
            Op::Eq => w.text_id == Some(tid),
            Op::Ne => w.text_id != Some(tid),
            _ => ordered(op, natural_cmp(t.text(tid), &w.text)),
        },
    }
}

fn regex_hit(c: Cell, re: &Regex, memo: &mut [u8], t: &FieldTable) -> bool {
    match c {
        Cell::Text(tid) => match memo.get(tid as usize).copied() {
            Some(1) => false,
            Some(2) => true,
            _ => {
                let h = re.is_match(t.text(tid));
                if let Some(m) = memo.get_mut(tid as usize) {
                    *m = if h { 2 } else { 1 };
                }
                h
            }
        },
        Cell::Num(n) => re.is_match(&format_number(n)),
        Cell::Bool(b) => re.is_match(if b { "true" } else { "false" }),
    }
}

fn ordered(op: Op, o: Ordering) -> bool {
    match op {
        Op::Eq => o == Ordering::Equal,
        Op::Ne => o != Ordering::Equal,
        Op::Lt => o == Ordering::Less,
        Op::Le => o != Ordering::Greater,
        Op::Gt => o == Ordering::Greater,
        Op::Ge => o != Ordering::Less,
        Op::Match | Op::NotMatch => false,
    }
}

fn eval(p: &mut Plan<'_>, t: &FieldTable, row: usize) -> bool {
    match p {
        Plan::All => true,
        Plan::Nothing => false,
        Plan::Or(v) => v.iter_mut().any(|x| eval(x, t, row)),
        Plan::And(v) => v.iter_mut().all(|x| eval(x, t, row)),
        Plan::Not(x) => !eval(x, t, row),
        Plan::Has(id) => t.cell(row, *id).is_some(),
        Plan::Cmp(id, op, w) => t.cell(row, *id).is_some_and(|c| compare(c, *op, w, t)),
        Plan::Regex(id, want_match, re, memo) => t
            .cell(row, *id)
            .is_some_and(|c| regex_hit(c, re, memo, t) == *want_match),
    }
}

/// Natural order: runs of ASCII digits compare by number, other characters by byte, so
/// `3.9 < 3.10`, `gpu-node-7 < gpu-node-10`, and ISO dates order as written.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].is_ascii_digit() && b[j].is_ascii_digit() {
            let si = i;
            while i < a.len() && a[i].is_ascii_digit() {
                i += 1;
            }
            let sj = j;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let da = trim_zeros(&a[si..i]);
            let db = trim_zeros(&b[sj..j]);
            let o = da.len().cmp(&db.len()).then_with(|| da.cmp(db));
            if o != Ordering::Equal {
                return o;
            }
        } else {
            let o = a[i].cmp(&b[j]);
            if o != Ordering::Equal {
                return o;
            }
            i += 1;
            j += 1;
        }
    }
    (a.len() - i).cmp(&(b.len() - j))
}

fn trim_zeros(d: &[u8]) -> &[u8] {
    let k = d.iter().position(|&c| c != b'0').unwrap_or(d.len());
    &d[k..]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{FieldValue, Fields};

    fn table() -> FieldTable {
        let mut t = FieldTable::new();
        let rows: [&[(&str, FieldValue)]; 4] = [
            &[
                ("train.cpt.lr", FieldValue::Num(1e-5)),
                ("status", FieldValue::Text("success".into())),
                ("python", FieldValue::Text("3.10.14".into())),
                ("git_dirty", FieldValue::Bool(false)),
            ],
            &[
                ("train.cpt.lr", FieldValue::Num(2e-5)),
                ("status", FieldValue::Text("failed".into())),
                ("python", FieldValue::Text("3.9.1".into())),
                ("git_dirty", FieldValue::Bool(true)),
            ],
            &[
                ("train.cpt.lr", FieldValue::Num(3e-5)),
                ("status", FieldValue::Text("failed".into())),
            ],
            &[("status", FieldValue::Text("success".into()))],
        ];
        for r in rows {
            let f: Fields = r.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
            t.push(&f);
        }
        t
    }

    /// The rows a query selects; the column scan and the row-at-a-time path must agree.
    fn rows(q: &str) -> Vec<usize> {
        let t = table();
        let query = Query::new(q, &t).unwrap_or_else(|e| panic!("{q}: {e}"));
        let by_row: Vec<usize> = (0..t.len()).filter(|&r| query.matches(&t, r)).collect();
        let selected = query.select(&t);
        assert_eq!(selected, by_row, "{q}");
        selected
    }

    #[test]
    fn numbers_compare_by_value_whatever_the_spelling() {
        assert_eq!(rows("train.cpt.lr = 0.00001"), vec![0]);
        assert_eq!(rows("train.cpt.lr = 1.0e-5"), vec![0]);
        assert_eq!(rows("train.cpt.lr >= 2e-5"), vec![1, 2]);
        assert_eq!(rows("train.cpt.lr < 2E-05"), vec![0]);
    }

    #[test]
    fn missing_fields_fail_every_comparison_but_not() {
        assert_eq!(rows("train.cpt.lr != 1e-5"), vec![1, 2]);
        assert_eq!(rows("not train.cpt.lr = 1e-5"), vec![1, 2, 3]);
        assert_eq!(rows("not train.cpt.lr"), vec![3]);
        assert_eq!(
            rows("peak_vram_gb > 1"),
            Vec::<usize>::new(),
            "a template field no run has"
        );
    }

    #[test]
    fn text_booleans_regex_and_natural_order() {
        assert_eq!(rows("status = failed and train.cpt.lr > 2.5e-5"), vec![2]);
        assert_eq!(
            rows("status = \"success\" or git_dirty = TRUE"),
            vec![0, 1, 3]
        );
        assert_eq!(rows("status ~ \"^fail\""), vec![1, 2]);
        assert_eq!(rows("status !~ fail"), vec![0, 3]);
        assert_eq!(rows("train.cpt.lr ~ \"^0.00002$\""), vec![1]);
        assert_eq!(rows("python >= 3.10"), vec![0]);
        assert_eq!(
            rows("(status = failed or status = success) and not git_dirty"),
            vec![2, 3]
        );
        assert_eq!(rows(""), vec![0, 1, 2, 3]);
        assert_eq!(
            natural_cmp("2025-11-03 08:53:20", "2025-11-10"),
            Ordering::Less
        );
        assert_eq!(natural_cmp("gpu-node-7", "gpu-node-10"), Ordering::Less);
    }

    #[test]
    fn unknown_fields_and_bad_regexes_are_errors_with_positions() {
        let t = table();
        let e = Query::new("status = ok and train.cpt.lrr > 1", &t).unwrap_err();
        assert_eq!((e.start, e.end), (16, 29));
        assert_eq!(
            e.message,
            "unknown field `train.cpt.lrr`; did you mean `train.cpt.lr`?"
        );
        let e = Query::new("lr > 1", &t).unwrap_err();
        assert!(
            e.message.ends_with("did you mean `train.cpt.lr`?"),
            "{}",
            e.message
        );
        let e = Query::new("status ~ \"a(\"", &t).unwrap_err();
        assert_eq!(e.start, 9);
        assert!(e.message.starts_with("not a valid regex"), "{}", e.message);
    }
}
