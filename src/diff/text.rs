//! Line diffs of section texts with word-level highlights inside changed lines (`similar`).
//!
//! Pure.

use similar::{ChangeTag, TextDiff};

/// What happened to a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineTag {
    /// In both.
    Same,
    /// Only in the first text.
    Removed,
    /// Only in the second text.
    Added,
}

/// One line of a diff: its number on each side, and its text in pieces, the changed
/// words marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    /// What happened.
    pub tag: LineTag,
    /// 1-based line number in the first text.
    pub old: Option<usize>,
    /// 1-based line number in the second text.
    pub new: Option<usize>,
    /// `(changed, text)` pieces; `changed` marks the words that differ.
    pub parts: Vec<(bool, String)>,
}

impl DiffLine {
    /// The whole line.
    pub fn text(&self) -> String {
        self.parts.iter().map(|(_, t)| t.as_str()).collect()
    }
}

/// The line diff of `a` and `b`, with word highlights.
pub fn diff_lines(a: &str, b: &str) -> Vec<DiffLine> {
    let diff = TextDiff::from_lines(a, b);
    let mut out = Vec::new();
    for op in diff.ops() {
        for change in diff.iter_inline_changes(op) {
            let tag = match change.tag() {
                ChangeTag::Equal => LineTag::Same,
                ChangeTag::Delete => LineTag::Removed,
                ChangeTag::Insert => LineTag::Added,
            };
            let parts = change
                .iter_strings_lossy()
                .map(|(emph, s)| {
                    (
                        emph && tag != LineTag::Same,
                        s.trim_end_matches(['\n', '\r']).to_string(),
                    )
                })
                .filter(|(_, s)| !s.is_empty())
                .collect();
            out.push(DiffLine {
                tag,
                old: change.old_index().map(|i| i + 1),
                new: change.new_index().map(|i| i + 1),
                parts,
            });
        }
    }
    out
}

/// Whether the texts differ at all.
pub fn differs(lines: &[DiffLine]) -> bool {
    lines.iter().any(|l| l.tag != LineTag::Same)
}

/// One row of a side-by-side diff: the old line on the left, the new on the right.
pub type SideRow<'a> = (Option<&'a DiffLine>, Option<&'a DiffLine>);

/// The lines as side-by-side rows: same lines on both sides, and each run of changes as
/// its removed lines paired with its added lines, the shorter side padded.
pub fn side_by_side(lines: &[DiffLine]) -> Vec<SideRow<'_>> {
    let mut rows = Vec::new();
    let (mut del, mut ins): (Vec<&DiffLine>, Vec<&DiffLine>) = (Vec::new(), Vec::new());
    for l in lines {
        match l.tag {
            LineTag::Same => {
                pair_up(&mut rows, &mut del, &mut ins);
                rows.push((Some(l), Some(l)));
            }
            LineTag::Removed => del.push(l),
            LineTag::Added => ins.push(l),
        }
    }
    pair_up(&mut rows, &mut del, &mut ins);
    rows
}

/// Pairs a run of removed lines with the run of added lines, and empties both.
fn pair_up<'a>(
    rows: &mut Vec<SideRow<'a>>,
    del: &mut Vec<&'a DiffLine>,
    ins: &mut Vec<&'a DiffLine>,
) {
    for k in 0..del.len().max(ins.len()) {
        rows.push((del.get(k).copied(), ins.get(k).copied()));
    }
    del.clear();
    ins.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_words_are_marked() {
        let d = diff_lines("lr: 2e-06\nseed: 1\n", "lr: 4e-06\nseed: 1\n");
        assert_eq!(d.len(), 3);
        assert_eq!(d[0].tag, LineTag::Removed);
        assert_eq!(d[1].tag, LineTag::Added);
        assert!(d[1].parts.iter().any(|(c, t)| *c && t.contains("4e-06")));
        assert!(d[1].parts.iter().any(|(c, t)| !*c && t.contains("lr:")));
        assert_eq!(d[2].tag, LineTag::Same);
        assert_eq!((d[2].old, d[2].new), (Some(2), Some(2)));
        assert!(differs(&d));
        assert!(!differs(&diff_lines("a\n", "a\n")));
    }

    #[test]
    fn side_by_side_pairs_removed_with_added() {
        let d = diff_lines("x\na\nb\ny\n", "x\nc\ny\nz\n");
        let rows = side_by_side(&d);
        let shown: Vec<(Option<String>, Option<String>)> = rows
            .iter()
            .map(|(l, r)| (l.map(DiffLine::text), r.map(DiffLine::text)))
            .collect();
        let s = |t: &str| Some(t.to_string());
        assert_eq!(
            shown,
            vec![
                (s("x"), s("x")),
                (s("a"), s("c")),
                (s("b"), None),
                (s("y"), s("y")),
                (None, s("z")),
            ]
        );
    }
}
