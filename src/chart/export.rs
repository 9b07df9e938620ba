//! A chart's CSV export: every point of every shown line, one row each, in the file's
//! own order. Pure: the component only hands the text to the browser as a download.

use crate::ingest::Series;

/// The header row of [`csv`].
pub const CSV_HEADER: &str = "series,step,wall_time,value\n";

/// The CSV of `lines` (legend label, series), with the header
/// `series,step,wall_time,value`. Labels are always quoted (a `"` doubled); a point
/// without a wall time leaves its cell empty. Every point is written, not only those in
/// view or drawn.
pub fn csv<'a>(lines: impl IntoIterator<Item = (&'a str, &'a Series)>) -> String {
    let mut out = String::from(CSV_HEADER);
    for (label, s) in lines {
        let label = label.replace('"', "\"\"");
        for i in 0..s.len() {
            let wall = s.wall(i).map(|w| w.to_string()).unwrap_or_default();
            out.push_str(&format!(
                "\"{label}\",{},{wall},{}\n",
                s.step(i),
                s.value(i)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(points: &[(i64, f64, f64)]) -> Series {
        let mut s = Series::new("loss");
        for &(step, wall, value) in points {
            s.push(step, wall, value);
        }
        s
    }

    #[test]
    fn every_point_of_every_line_with_labels_quoted() {
        let a = series(&[(1, 100.0, 2.5), (2, 101.5, 2.25)]);
        let b = series(&[(10, 200.0, 0.125)]);
        let text = csv([("A run \"x\"", &a), ("B, y", &b)]);
        assert_eq!(
            text,
            "series,step,wall_time,value\n\
             \"A run \"\"x\"\"\",1,100,2.5\n\
             \"A run \"\"x\"\"\",2,101.5,2.25\n\
             \"B, y\",10,200,0.125\n"
        );
    }

    #[test]
    fn a_point_without_wall_time_leaves_the_cell_empty() {
        let s = series(&[(3, f64::NAN, 1.0)]);
        assert_eq!(csv([("x", &s)]), format!("{CSV_HEADER}\"x\",3,,1\n"));
    }

    #[test]
    fn no_lines_is_the_header_alone() {
        assert_eq!(csv(std::iter::empty()), CSV_HEADER);
    }

    #[test]
    fn an_empty_series_adds_no_row() {
        let empty = Series::new("loss");
        assert_eq!(csv([("e", &empty)]), CSV_HEADER);
    }
}
