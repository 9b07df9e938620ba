//! Megatron-style training logs: `iteration N/ M | name: value | ... |` lines, each numeric
//! field a series (`lm loss`, `learning rate`, `grad norm`, ...). Other lines (validation
//! boxes, DeepSpeed `steps:` lines, energy logs) are not the training series and are passed
//! over. A `[YYYY-MM-DD HH:MM:SS]` prefix gives the wall time (as UTC).
//!
//! Pure. Bytes that are not UTF-8 are read as U+FFFD; an iteration line with no number is a
//! problem with its line; a log with no iteration line at all is an error.

use super::error::{ErrorKind, IngestError};
use super::series::{Curves, Location, Problem, SeriesSet};

/// Whether a file's first bytes have Megatron iteration lines.
pub fn detect(head: &[u8]) -> bool {
    super::text_head(head)
        .lines()
        .take(5000)
        .any(|l| iteration_of(l).is_some())
}

/// `(iteration, rest after the iteration field)` for an iteration line.
fn iteration_of(line: &str) -> Option<(i64, &str)> {
    let at = line.find("iteration")?;
    let after = &line[at + "iteration".len()..];
    let (n, rest) = after.split_once('/')?;
    let n = n.trim().parse::<i64>().ok()?;
    let rest = rest.split_once('|').map(|(_, r)| r)?;
    Some((n, rest))
}

/// Seconds since the epoch for `YYYY-MM-DD HH:MM:SS` read as UTC.
pub fn parse_timestamp(s: &str) -> Option<f64> {
    let s = s.trim();
    let (date, time) = s.split_once([' ', 'T'])?;
    let mut d = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let mut t = time.split(':');
    let h = t.next()?.parse::<i64>().ok()?;
    let mi = t.next()?.parse::<i64>().ok()?;
    let sec = t.next().map_or(Some(0.0), |x| x.parse::<f64>().ok())?;
    // Out-of-range parts are not a date (and a huge year must not overflow the sums).
    if !(1..=9999).contains(&y)
        || !(1..=12).contains(&m)
        || !(1..=31).contains(&day)
        || !(0..=24).contains(&h)
        || !(0..=59).contains(&mi)
        || !(0.0..61.0).contains(&sec)
    {
        return None;
    }
    // Days from civil date (Howard Hinnant's algorithm).
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some((days * 86_400 + h * 3600 + mi * 60) as f64 + sec)
}

/// Reads the log file `name`: every numeric field of every iteration line.
pub fn parse(name: &str, bytes: &[u8]) -> Result<Curves, IngestError> {
    let c = parse_text(&String::from_utf8_lossy(bytes));
    if c.series.is_empty() {
        return Err(IngestError::new(
            name,
            ErrorKind::NoIterationLines,
            Location::File,
        ));
    }
    Ok(c)
}

/// Reads log text (possibly with no iteration line: then no series).
fn parse_text(text: &str) -> Curves {
    let mut set = SeriesSet::default();
    let mut problems = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let Some((iter, rest)) = iteration_of(line) else {
            continue;
        };
        let wall = line
            .find('[')
            .zip(line.find(']'))
            .filter(|(a, b)| a < b && *b < line.find("iteration").unwrap_or(0))
            .and_then(|(a, b)| parse_timestamp(&line[a + 1..b]))
            .unwrap_or(f64::NAN);
        let mut any = false;
        for field in rest.split('|') {
            let Some((name, value)) = field.rsplit_once(':') else {
                continue;
            };
            let name = name.trim();
            let value = value.trim();
            if name.is_empty() {
                continue;
            }
            if let Ok(v) = value.parse::<f64>() {
                set.push(name, iter, wall, v);
                any = true;
            }
        }
        if !any {
            problems.push(Problem {
                at: Location::Line(n as u32 + 1),
                message: "iteration line without any `name: number` field; skipped".into(),
            });
        }
    }
    Curves {
        series: set.finish(),
        problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iteration_lines_become_series() {
        let log = "noise\n [2025-11-03 09:14:10] iteration       10/    2000 | consumed samples:         2560 | learning rate: 1.000000E-06 | lm loss: 3.443060E+00 | grad norm: 0.960 |\nvalidation loss at iteration 10 | lm loss value: 3.1 |\n iteration       20/    2000 | lm loss: 3.1E+00 |\n";
        let c = parse("train.log", log.as_bytes()).expect("log");
        let loss = c.get("lm loss").expect("lm loss");
        assert_eq!(loss.len(), 2);
        assert_eq!(loss.step(0), 10);
        assert_eq!(loss.value(0), 3.44306);
        assert_eq!(loss.wall(0), parse_timestamp("2025-11-03 09:14:10"));
        assert_eq!(loss.wall(1), None);
        assert_eq!(c.get("learning rate").map(|s| s.value(0)), Some(1e-6));
        assert!(
            c.get("lm loss value").is_none(),
            "validation lines are not the training series"
        );
    }

    #[test]
    fn a_log_without_iteration_lines_is_an_error() {
        let e = parse(
            "x.log",
            b"loading model\nvalidation loss at iteration 10 | lm loss value: 3.1 |\n",
        );
        assert_eq!(e.map_err(|e| e.kind), Err(ErrorKind::NoIterationLines));
        let c = parse(
            "x.log",
            b" iteration 1/ 2 | lm loss: nan? |\n iteration 2/ 2 | lm loss: 2.5 |\n",
        )
        .expect("one good line");
        assert_eq!(c.get("lm loss").map(|s| s.len()), Some(1));
        assert_eq!(c.problems.len(), 1);
        assert_eq!(c.problems[0].at, Location::Line(1));
    }

    #[test]
    fn timestamps_are_utc_epoch_seconds() {
        assert_eq!(parse_timestamp("1970-01-01 00:00:00"), Some(0.0));
        assert_eq!(
            parse_timestamp("2025-11-03 08:53:20"),
            Some(1_762_160_000.0)
        );
    }

    /// Found by the fuzzer: a 16-digit year overflowed the day count.
    #[test]
    fn out_of_range_timestamps_are_not_dates() {
        assert_eq!(parse_timestamp("2026666666666665-11-03 09:14:10"), None);
        assert_eq!(parse_timestamp("2025-11-03 25:00:00"), None);
        assert_eq!(parse_timestamp("2025-11-03 09:60:00"), None);
        assert_eq!(parse_timestamp("2025-11-03 09:14:99"), None);
        assert!(parse_timestamp("9999-12-31 23:59:60").is_some());
    }
}
