//! Numeric columns out of the field table for a set of runs (the rows the runs table shows):
//! dense per-run values, the fields some of those runs hold a number in, and the points of a
//! scatter (the runs holding both fields).

use crate::query::{Cell, FieldTable};

/// A set of table rows and, for each table row, its position in the set (`u32::MAX` when
/// absent): reading a field is one pass over its column, never a search per run.
#[derive(Debug, Clone, Default)]
pub struct RowSet {
    /// The rows, in the caller's order.
    pub rows: Vec<usize>,
    pos: Vec<u32>,
}

impl RowSet {
    /// The set of `rows` of a table of `table_len` rows.
    pub fn new(rows: Vec<usize>, table_len: usize) -> RowSet {
        let mut pos = vec![u32::MAX; table_len];
        for (i, &r) in rows.iter().enumerate() {
            if let Some(p) = pos.get_mut(r) {
                *p = i as u32;
            }
        }
        RowSet { rows, pos }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether it holds no row.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// At most `max` of the rows, evenly spaced (first one kept), when there are more; `None`
    /// when all fit.
    pub fn sample(&self, max: usize) -> Option<RowSet> {
        if self.rows.len() <= max || max == 0 {
            return None;
        }
        let n = self.rows.len();
        let rows = (0..max)
            .filter_map(|k| self.rows.get(k * n / max).copied())
            .collect();
        Some(RowSet::new(rows, self.pos.len()))
    }

    /// Calls `f(position, cell)` for each row of the set holding field `id`.
    pub fn each_cell(&self, table: &FieldTable, id: u32, mut f: impl FnMut(usize, Cell)) {
        let col = table.column(id);
        for (&r, &c) in col.rows.iter().zip(&col.cells) {
            if let Some(&p) = self.pos.get(r as usize) {
                if p != u32::MAX {
                    f(p as usize, c);
                }
            }
        }
    }

    /// The number field `id` holds for each row of the set, `NaN` where it holds none.
    pub fn numbers(&self, table: &FieldTable, id: u32) -> Vec<f64> {
        let mut v = vec![f64::NAN; self.len()];
        self.each_cell(table, id, |p, c| {
            if let (Cell::Num(n), Some(slot)) = (c, v.get_mut(p)) {
                *slot = n;
            }
        });
        v
    }
}

/// The fields at least two of the set's runs hold a (finite) number in, sorted by name: the
/// choices for scatter and parallel axes.
pub fn numeric_fields(table: &FieldTable, set: &RowSet) -> Vec<String> {
    let mut out: Vec<String> = table
        .numeric_fields()
        .into_iter()
        .filter(|name| {
            let Some(id) = table.id(name) else {
                return false;
            };
            let mut n = 0;
            set.each_cell(table, id, |_, c| {
                if matches!(c, Cell::Num(x) if x.is_finite()) {
                    n += 1;
                }
            });
            n >= 2
        })
        .map(str::to_string)
        .collect();
    out.sort_unstable();
    out
}

/// A third field's value at a point, for its colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tint {
    /// The run lacks the field.
    None,
    /// A number.
    Num(f64),
    /// Text or a boolean, as a category: a text id, or `u32::MAX - 1` / `u32::MAX - 2` for
    /// `false` / `true`.
    Cat(u32),
}

/// Category id of `false` in [`Tint::Cat`].
pub const CAT_FALSE: u32 = u32::MAX - 1;
/// Category id of `true` in [`Tint::Cat`].
pub const CAT_TRUE: u32 = u32::MAX - 2;

/// The runs that hold a number in both fields: one point each, with its values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Points {
    /// Each point's table row.
    pub rows: Vec<usize>,
    /// x values.
    pub x: Vec<f64>,
    /// y values.
    pub y: Vec<f64>,
    /// The colour field's value at each point (empty when there is no colour field).
    pub tint: Vec<Tint>,
}

impl Points {
    /// The points of fields `x` and `y` (by name) over the set's runs, in the set's order,
    /// coloured by `color` when given. Unknown names give no points.
    pub fn new(table: &FieldTable, set: &RowSet, x: &str, y: &str, color: Option<&str>) -> Points {
        let (Some(xi), Some(yi)) = (table.id(x), table.id(y)) else {
            return Points::default();
        };
        let xs = set.numbers(table, xi);
        let ys = set.numbers(table, yi);
        let tints = color.and_then(|c| table.id(c)).map(|ci| {
            let mut t = vec![Tint::None; set.len()];
            set.each_cell(table, ci, |p, c| {
                if let Some(slot) = t.get_mut(p) {
                    *slot = match c {
                        Cell::Num(n) if n.is_finite() => Tint::Num(n),
                        Cell::Num(_) => Tint::None,
                        Cell::Text(id) => Tint::Cat(id),
                        Cell::Bool(false) => Tint::Cat(CAT_FALSE),
                        Cell::Bool(true) => Tint::Cat(CAT_TRUE),
                    };
                }
            });
            t
        });
        let mut out = Points::default();
        for (i, (&a, &b)) in xs.iter().zip(&ys).enumerate() {
            if !(a.is_finite() && b.is_finite()) {
                continue;
            }
            out.rows.push(set.rows.get(i).copied().unwrap_or(0));
            out.x.push(a);
            out.y.push(b);
            if let Some(t) = &tints {
                out.tint.push(t.get(i).copied().unwrap_or(Tint::None));
            }
        }
        out
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there is no point.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The points as CSV (`run,x_field,y_field`), each value as it round-trips exactly;
    /// `name(row)` names a run.
    pub fn csv(&self, x: &str, y: &str, name: impl Fn(usize) -> String) -> String {
        let q = |s: &str| {
            if s.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.to_string()
            }
        };
        let mut out = format!("run,{},{}\n", q(x), q(y));
        for ((&r, a), b) in self.rows.iter().zip(&self.x).zip(&self.y) {
            out.push_str(&format!("{},{a},{b}\n", q(&name(r))));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{FieldValue, Fields};

    fn table() -> FieldTable {
        let mut t = FieldTable::new();
        let rows: [(Option<f64>, Option<f64>, Option<&str>); 4] = [
            (Some(1.0), Some(2.0), Some("a")),
            (Some(3.0), None, Some("b")),
            (Some(5.0), Some(6.0), None),
            (None, Some(8.0), Some("a")),
        ];
        for (x, y, h) in rows {
            let mut f = Fields::new();
            if let Some(x) = x {
                f.insert("x".into(), FieldValue::Num(x));
            }
            if let Some(y) = y {
                f.insert("y".into(), FieldValue::Num(y));
            }
            if let Some(h) = h {
                f.insert("host".into(), FieldValue::Text(h.into()));
            }
            t.push(&f);
        }
        t
    }

    #[test]
    fn a_point_per_run_holding_both_in_the_sets_order() {
        let t = table();
        let set = RowSet::new(vec![2, 0, 1, 3], t.len());
        let p = Points::new(&t, &set, "x", "y", Some("host"));
        assert_eq!(p.rows, vec![2, 0]);
        assert_eq!(p.x, vec![5.0, 1.0]);
        assert_eq!(p.y, vec![6.0, 2.0]);
        let a = t.text_id("a").unwrap();
        assert_eq!(p.tint, vec![Tint::None, Tint::Cat(a)]);
        let only = RowSet::new(vec![0], t.len());
        assert_eq!(Points::new(&t, &only, "x", "y", None).len(), 1);
        assert!(Points::new(&t, &set, "x", "nope", None).is_empty());
        assert_eq!(numeric_fields(&t, &set), vec!["x", "y"]);
        assert_eq!(numeric_fields(&t, &only), Vec::<String>::new());
        assert!(set.sample(4).is_none());
        assert_eq!(set.sample(2).unwrap().rows, vec![2, 1]);
        assert_eq!(
            p.csv("x", "y", |r| format!("r,{r}")),
            "run,x,y\n\"r,2\",5,6\n\"r,0\",1,2\n"
        );
    }
}
