//! The step-range table: for an x range `[a, b]` and each run (or group line), the value at
//! the start and the end of the range (its first and last point inside it), min, max,
//! mean, change (end − start) and the point count; sortable by any column; CSV and
//! Markdown exports.
//!
//! A line is read along its own timeline ([`super::timeline`]: after a resume, what the
//! resumed run logged). Values print as the file stored them ([`crate::format::value`]).

use std::cmp::Ordering;

use super::{lower_bound, timeline, Points};
use crate::format::{number, value};

/// One line's figures over the range.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeRow {
    /// The run (or group) as the legend names it.
    pub label: String,
    /// The run's key (`None` for a group): unique where run ids may repeat.
    pub key: Option<String>,
    /// The first point inside the range: (x, y).
    pub start: Option<(f64, f64)>,
    /// The last point inside the range: (x, y).
    pub end: Option<(f64, f64)>,
    /// Lowest y inside the range (NaN when there is none).
    pub min: f64,
    /// Highest y inside the range.
    pub max: f64,
    /// Mean of the y values inside the range (NaN values left out).
    pub mean: f64,
    /// `end − start` (NaN without points).
    pub change: f64,
    /// Points inside the range.
    pub count: usize,
}

/// A column of the table (what it sorts by).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeColumn {
    /// The label.
    Label,
    /// Value at the start.
    Start,
    /// Value at the end.
    End,
    /// Lowest value.
    Min,
    /// Highest value.
    Max,
    /// Mean.
    Mean,
    /// End − start.
    Change,
    /// Point count.
    Count,
}

/// The figures of `line` (named `label`) over `[a, b]` (either order).
pub fn range_row<P: Points + ?Sized>(label: &str, line: &P, (a, b): (f64, f64)) -> RangeRow {
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    let mut row = RangeRow {
        label: label.to_string(),
        key: None,
        start: None,
        end: None,
        min: f64::NAN,
        max: f64::NAN,
        mean: f64::NAN,
        change: f64::NAN,
        count: 0,
    };
    let (mut sum, mut finite) = (0.0, 0usize);
    for (lo, hi) in timeline(line) {
        let first = lower_bound(line, lo, hi, a);
        let last = lower_bound(line, first, hi, b.next_up());
        for i in first..last {
            let (x, y) = (line.x(i), line.y(i));
            if !x.is_finite() {
                continue;
            }
            row.start.get_or_insert((x, y));
            row.end = Some((x, y));
            row.count += 1;
            if !y.is_nan() {
                row.min = if finite == 0 { y } else { row.min.min(y) };
                row.max = if finite == 0 { y } else { row.max.max(y) };
                sum += y;
                finite += 1;
            }
        }
    }
    if finite > 0 {
        row.mean = sum / finite as f64;
    }
    if let (Some(s), Some(e)) = (row.start, row.end) {
        row.change = e.1 - s.1;
    }
    row
}

impl RangeRow {
    /// The number a column sorts by (NaN for the label and for a missing value).
    pub fn figure(&self, col: RangeColumn) -> f64 {
        match col {
            RangeColumn::Label => f64::NAN,
            RangeColumn::Start => self.start.map_or(f64::NAN, |p| p.1),
            RangeColumn::End => self.end.map_or(f64::NAN, |p| p.1),
            RangeColumn::Min => self.min,
            RangeColumn::Max => self.max,
            RangeColumn::Mean => self.mean,
            RangeColumn::Change => self.change,
            RangeColumn::Count => self.count as f64,
        }
    }
}

/// Sorts rows by `col`, ascending or descending; rows without a value go last either way,
/// ties keep their order.
pub fn sort_rows(rows: &mut [RangeRow], col: RangeColumn, descending: bool) {
    rows.sort_by(|p, q| {
        let ord = if col == RangeColumn::Label {
            p.label.cmp(&q.label)
        } else {
            let (x, y) = (p.figure(col), q.figure(col));
            match (x.is_nan(), y.is_nan()) {
                (true, true) => return Ordering::Equal,
                (true, false) => return Ordering::Greater,
                (false, true) => return Ordering::Less,
                _ => x.total_cmp(&y),
            }
        };
        if descending {
            ord.reverse()
        } else {
            ord
        }
    });
}

/// Column titles, in export order.
pub const HEADERS: [&str; 10] = [
    "run", "start x", "start", "end x", "end", "min", "max", "mean", "change", "points",
];

/// A row's cells as text (empty where there is no value).
fn cells(r: &RangeRow) -> [String; 10] {
    let v = |f: f64| if f.is_nan() { String::new() } else { value(f) };
    let x = |p: Option<(f64, f64)>| p.map(|p| number(p.0)).unwrap_or_default();
    let y = |p: Option<(f64, f64)>| p.map(|p| v(p.1)).unwrap_or_default();
    [
        r.label.clone(),
        x(r.start),
        y(r.start),
        x(r.end),
        y(r.end),
        v(r.min),
        v(r.max),
        v(r.mean),
        v(r.change),
        r.count.to_string(),
    ]
}

/// The table as CSV (header row first; the label always quoted, a `"` doubled).
pub fn to_csv(rows: &[RangeRow]) -> String {
    let mut out = HEADERS.join(",");
    out.push('\n');
    for r in rows {
        let [label, rest @ ..] = cells(r);
        out.push_str(&format!(
            "\"{}\",{}\n",
            label.replace('"', "\"\""),
            rest.join(",")
        ));
    }
    out
}

/// The table as Markdown, under a line naming the range (`|` escaped, new lines as spaces).
pub fn to_markdown(rows: &[RangeRow], (a, b): (f64, f64)) -> String {
    let md = |s: &str| s.replace('|', "\\|").replace(['\n', '\r'], " ");
    let mut out = format!(
        "Range {} to {}\n\n| {} |\n|",
        number(a),
        number(b),
        HEADERS.join(" | ")
    );
    out.push_str(&" --- |".repeat(HEADERS.len()));
    out.push('\n');
    for r in rows {
        let c: Vec<String> = cells(r).iter().map(|c| md(c)).collect();
        out.push_str(&format!("| {} |\n", c.join(" | ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::series_math::XAxis;
    use crate::ingest::Series;
    use crate::testutil::Rng;
    use crate::workspace::SeriesPoints;

    #[test]
    fn figures_match_a_plain_filter_over_random_lines() {
        let mut rng = Rng(0x1234_5678_9abc_def1);
        for _ in 0..300 {
            let n = rng.below(60) as usize;
            let mut x = 0.0;
            let mut xs = Vec::new();
            let mut ys = Vec::new();
            for _ in 0..n {
                x += 1.0 + rng.below(3) as f64;
                xs.push(x);
                ys.push(if rng.below(15) == 0 {
                    f64::NAN
                } else {
                    rng.unit()
                });
            }
            let a = rng.below(100) as f64;
            let b = a + rng.below(100) as f64;
            let row = range_row("r", &(&xs[..], &ys[..]), (b, a));
            let inside: Vec<(f64, f64)> = xs
                .iter()
                .zip(&ys)
                .filter(|(x, _)| **x >= a && **x <= b)
                .map(|(x, y)| (*x, *y))
                .collect();
            let vals: Vec<f64> = inside.iter().map(|p| p.1).filter(|y| !y.is_nan()).collect();
            assert_eq!(row.count, inside.len());
            assert_eq!(row.start.map(|p| p.0), inside.first().map(|p| p.0));
            assert_eq!(row.end.map(|p| p.0), inside.last().map(|p| p.0));
            if vals.is_empty() {
                assert!(row.min.is_nan() && row.mean.is_nan());
                continue;
            }
            let mut sorted = vals.clone();
            sorted.sort_by(f64::total_cmp);
            assert_eq!(row.min, sorted[0]);
            assert_eq!(row.max, sorted[sorted.len() - 1]);
            let mean = vals.iter().sum::<f64>() / vals.len() as f64;
            assert!((row.mean - mean).abs() < 1e-12);
        }
    }

    #[test]
    fn a_resumed_run_is_read_along_what_it_logged_last() {
        let mut s = Series::new("loss");
        for (st, v) in [
            (1, 5.0),
            (2, 4.0),
            (3, 3.0),
            (2, 40.0),
            (3, 30.0),
            (4, 20.0),
        ] {
            s.push(st, f64::NAN, v);
        }
        let r = range_row("a", &SeriesPoints::new(&s, XAxis::Step), (1.0, 4.0));
        assert_eq!(r.start, Some((1.0, 5.0)));
        assert_eq!(r.end, Some((4.0, 20.0)));
        assert_eq!((r.min, r.max, r.count), (5.0, 40.0, 4));
        assert_eq!(r.change, 15.0);
    }

    #[test]
    fn sorting_puts_missing_values_last_both_ways() {
        let x = [1.0, 2.0];
        let mk = |l: &str, y: [f64; 2]| range_row(l, &(&x[..], &y[..]), (0.0, 3.0));
        let mut rows = vec![
            mk("b", [1.0, 3.0]),
            mk("a", [f64::NAN, f64::NAN]),
            mk("c", [2.0, 1.0]),
        ];
        sort_rows(&mut rows, RangeColumn::Change, false);
        let order = |r: &[RangeRow]| r.iter().map(|r| r.label.clone()).collect::<String>();
        assert_eq!(order(&rows), "cba");
        sort_rows(&mut rows, RangeColumn::Change, true);
        assert_eq!(order(&rows), "bca");
        sort_rows(&mut rows, RangeColumn::Label, false);
        assert_eq!(order(&rows), "abc");
    }

    #[test]
    fn exports_quote_and_escape_labels() {
        let x = [10.0, 20.0];
        let y = [2.5f32, 2.25];
        let rows = vec![range_row(
            "lr=2e-5 | \"big\"",
            &(&x[..], &y[..]),
            (0.0, 100.0),
        )];
        let csv = to_csv(&rows);
        assert_eq!(
            csv.lines().nth(1),
            Some("\"lr=2e-5 | \"\"big\"\"\",10,2.5,20,2.25,2.25,2.5,2.375,-0.25,2")
        );
        let md = to_markdown(&rows, (0.0, 100.0));
        assert!(
            md.starts_with("Range 0 to 100\n\n| run | start x |"),
            "{md}"
        );
        assert!(md.contains("| lr=2e-5 \\| \"big\" | 10 | 2.5 |"), "{md}");
        assert_eq!(md.lines().count(), 5);
    }
}
