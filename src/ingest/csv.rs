//! CSV curves: TensorBoard's download format (`Wall time,Step,Value`) and wide tables with a
//! header (a step column and one column per tag). Parsing by the `csv` crate.
//!
//! Pure. Rows that cannot be read are reported with their line and skipped; the rest is kept.
//! A file with no readable header, no step column, or that is not UTF-8 is an error.

use super::error::{ErrorKind, IngestError, STEP_NAMES};
use super::series::{Curves, Location, Problem, SeriesSet};

/// Names a wall-time column may have.
const WALL_NAMES: [&str; 6] = [
    "wall time",
    "wall_time",
    "walltime",
    "time",
    "timestamp",
    "_timestamp",
];

/// Whether a file's first bytes start like a CSV of curves: a header with a step column.
pub fn detect(head: &[u8]) -> bool {
    let first = super::text_head(head).lines().next().unwrap_or("");
    first.contains(',')
        && first
            .split(',')
            .any(|c| STEP_NAMES.contains(&c.trim().trim_matches('"').to_ascii_lowercase().as_str()))
}

/// The file stem, which names the series of a TensorBoard export (`sft_lm_loss.csv`).
fn stem(name: &str) -> &str {
    let base = name.rsplit('/').next().unwrap_or(name);
    base.split('.').next().unwrap_or(base)
}

/// Reads the CSV file `name`: every row with a whole-number step, each bad row or cell a
/// problem with its line.
pub fn parse(name: &str, bytes: &[u8]) -> Result<Curves, IngestError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        IngestError::new(
            name,
            ErrorKind::CsvNotUtf8,
            Location::Byte(e.valid_up_to() as u64),
        )
    })?;
    parse_text(text, stem(name)).map_err(|(kind, at)| IngestError::new(name, kind, at))
}

/// Reads CSV text; `name` (the file stem) names the series of a TensorBoard export.
fn parse_text(text: &str, name: &str) -> Result<Curves, (ErrorKind, Location)> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| (ErrorKind::CsvHeader(e.to_string()), Location::Line(1)))?
        .iter()
        .map(str::to_string)
        .collect();
    let lower: Vec<String> = headers.iter().map(|h| h.to_ascii_lowercase()).collect();
    let step_col = lower
        .iter()
        .position(|h| STEP_NAMES.contains(&h.as_str()))
        .ok_or_else(|| (ErrorKind::NoStepColumn(headers.clone()), Location::Line(1)))?;
    let wall_col = lower.iter().position(|h| WALL_NAMES.contains(&h.as_str()));
    let tb_export = lower.len() == 3 && wall_col.is_some() && lower.iter().any(|h| h == "value");
    let value_cols: Vec<(usize, String)> = headers
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != step_col && Some(*i) != wall_col)
        .map(|(i, h)| {
            let tag = if tb_export && h.eq_ignore_ascii_case("value") {
                name.to_string()
            } else {
                h.clone()
            };
            (i, tag)
        })
        .collect();
    let mut set = SeriesSet::default();
    let mut problems = Vec::new();
    // A row's line is counted from the byte where it starts: the `csv` crate's own line
    // count leaves out the blank lines it skips, and a quoted cell may span lines.
    let (mut line, mut counted) = (1u32, 0usize);
    for rec in rdr.records() {
        let at = match &rec {
            Ok(r) => r.position(),
            Err(e) => e.position(),
        };
        // The crate's position is where it began reading, before the blank lines it skips.
        let start = at.and_then(|p| usize::try_from(p.byte()).ok()).map(|b| {
            b + text.as_bytes().get(b..).map_or(0, |rest| {
                rest.iter()
                    .take_while(|c| matches!(c, b'\n' | b'\r'))
                    .count()
            })
        });
        match start {
            Some(byte) if byte >= counted => {
                let newlines = text.as_bytes().get(counted..byte).unwrap_or(&[]);
                let n = newlines.iter().filter(|&&b| b == b'\n').count();
                line = line.saturating_add(u32::try_from(n).unwrap_or(u32::MAX));
                counted = byte;
            }
            _ => line = line.saturating_add(1),
        }
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                problems.push(Problem {
                    at: Location::Line(line),
                    message: format!("row cannot be read: {e}; skipped"),
                });
                continue;
            }
        };
        if rec.iter().all(|c| c.is_empty()) {
            continue;
        }
        let step = rec.get(step_col).and_then(parse_step);
        let Some(step) = step else {
            problems.push(Problem {
                at: Location::Line(line),
                message: format!(
                    "step `{}` is not a whole number; row skipped",
                    rec.get(step_col).unwrap_or("")
                ),
            });
            continue;
        };
        let wall = wall_col
            .and_then(|c| rec.get(c))
            .and_then(|w| w.parse::<f64>().ok())
            .unwrap_or(f64::NAN);
        for (c, tag) in &value_cols {
            let cell = rec.get(*c).unwrap_or("");
            if cell.is_empty() {
                continue;
            }
            match cell.parse::<f64>() {
                Ok(v) => set.push(tag, step, wall, v),
                Err(_) => problems.push(Problem {
                    at: Location::Line(line),
                    message: format!("`{tag}` value `{cell}` is not a number; cell skipped"),
                }),
            }
        }
    }
    Ok(Curves {
        series: set.finish(),
        problems,
    })
}

fn parse_step(s: &str) -> Option<i64> {
    s.parse::<i64>().ok().or_else(|| {
        s.parse::<f64>()
            .ok()
            .filter(|f| f.fract() == 0.0 && f.abs() < 9e15)
            .map(|f| f as i64)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tensorboard_export() {
        let c = parse(
            "curves/sft_lm_loss.csv",
            b"Wall time,Step,Value\n10.5,1,2.25\n11.5,2,2.0\n",
        )
        .expect("csv");
        let s = c.get("sft_lm_loss").expect("series");
        assert_eq!(s.len(), 2);
        assert_eq!(s.wall(0), Some(10.5));
        assert_eq!(s.value(1), 2.0);
    }

    #[test]
    fn wide_table_with_bad_rows() {
        let c = parse(
            "t.csv",
            b"step,loss,lr\n1,2.5,1e-5\nx,1,1\n3,oops,2e-5\n4,2.0\n",
        )
        .expect("csv");
        assert_eq!(c.get("loss").map(|s| s.len()), Some(2));
        assert_eq!(c.get("lr").map(|s| s.len()), Some(2));
        assert_eq!(c.problems.len(), 2);
        assert_eq!(c.problems[0].at, Location::Line(3));
        assert_eq!(c.problems[1].at, Location::Line(4));
    }

    #[test]
    fn lines_after_a_blank_line_or_a_multiline_cell_are_counted_right() {
        let c = parse("t.csv", b"step,loss\n1,2.5\n\n3,oops\n").expect("csv");
        assert_eq!(c.problems.len(), 1, "{:?}", c.problems);
        assert_eq!(c.problems[0].at, Location::Line(4), "after a blank line");
        let c = parse("t.csv", b"step,note,loss\n1,\"two\nlines\",2.5\n3,x,oops\n").expect("csv");
        assert_eq!(c.get("loss").map(|s| s.len()), Some(1));
        let lines: Vec<Location> = c.problems.iter().map(|p| p.at).collect();
        assert_eq!(
            lines,
            [Location::Line(2), Location::Line(4), Location::Line(4)],
            "a cell over two lines"
        );
    }

    #[test]
    fn no_step_column_is_an_error_naming_the_header() {
        let e = parse("t.csv", b"a,b\n1,2\n").err();
        assert_eq!(
            e.as_ref().map(|e| (&e.kind, e.at)),
            Some((
                &ErrorKind::NoStepColumn(vec!["a".into(), "b".into()]),
                Location::Line(1)
            ))
        );
        let m = e.map(|e| e.message()).unwrap_or_default();
        assert!(m.contains("no step column") && m.contains("a, b"), "{m}");
    }

    #[test]
    fn text_that_is_not_utf8_is_an_error_at_its_first_bad_byte() {
        let e = parse("t.csv", b"step,loss\n1,2\n2,\xff\n").err();
        assert_eq!(
            e.map(|e| (e.kind, e.at)),
            Some((ErrorKind::CsvNotUtf8, Location::Byte(16)))
        );
    }
}
