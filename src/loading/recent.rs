//! The remembered-runs list: which runs are remembered for the next visit, under what name,
//! in what order, within what size, and how the list is stored as text.
//!
//! Pure: the browser side (`crate::loader::recent`) reads and writes browser storage.

use serde::{Deserialize, Serialize};

use crate::runs::{LoadError, Run, Source};

/// The storage key the list is kept under.
pub const STORAGE_KEY: &str = "runlens.recent";

/// Characters of archive text remembered at most (browser storage holds about 5 MB).
pub const CAP: usize = 2_000_000;

/// An archive remembered for the next visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remembered {
    /// The name it is listed under: the dropped path, or the run id with how it came.
    pub name: String,
    /// The archive text.
    pub text: String,
}

/// The entry that remembers `run`; `None` for runs that are not remembered: hosted ones (the
/// URL is the way back), ones already reopened from the list, and archives over half the cap.
pub fn entry_for(run: &Run) -> Option<Remembered> {
    let name = match &run.source {
        Source::Dropped(p) => p.clone(),
        Source::Pasted => format!("{} (pasted)", run.run_id()),
        Source::Shared => format!("{} (shared)", run.run_id()),
        Source::Hosted(_) | Source::Recent(_) => return None,
    };
    if run.text.len() > CAP / 2 {
        return None;
    }
    Some(Remembered {
        name,
        text: run.text.to_string(),
    })
}

/// `list` with `entry` first (an older entry of the same name dropped), then older entries
/// while the total text stays within [`CAP`]: the first one past it and all after it go.
pub fn with_entry(mut list: Vec<Remembered>, entry: Remembered) -> Vec<Remembered> {
    list.retain(|r| r.name != entry.name);
    list.insert(0, entry);
    let mut total = 0;
    list.retain(|r| {
        total += r.text.len();
        total <= CAP
    });
    list
}

/// The list as stored; nothing stored, or text that is not a list, is an empty list (a
/// damaged list must not stop the page from starting).
pub fn decode(stored: Option<&str>) -> Vec<Remembered> {
    stored
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default()
}

/// The list as text to store.
pub fn encode(list: &[Remembered]) -> Result<String, String> {
    serde_json::to_string(list).map_err(|e| e.to_string())
}

/// The runs of the list, newest first, each marked as remembered; an entry that no longer
/// reads as an archive is returned as its error.
pub fn reopen(list: &[Remembered]) -> Vec<Result<Run, LoadError>> {
    list.iter()
        .map(|r| {
            Run::from_bytes(
                r.text.as_bytes(),
                Source::Recent(r.name.clone()),
                Vec::new(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(source: Source, id: &str) -> Run {
        let text = format!("## Summary\n- run_id: {id}\n");
        Run::from_bytes(text.as_bytes(), source, Vec::new()).unwrap_or_else(|e| panic!("{e}"))
    }

    fn entry(name: &str, len: usize) -> Remembered {
        Remembered {
            name: name.into(),
            text: "x".repeat(len),
        }
    }

    fn names(list: &[Remembered]) -> Vec<&str> {
        list.iter().map(|r| r.name.as_str()).collect()
    }

    #[test]
    fn names_say_where_the_run_came_from() {
        let name = |s| entry_for(&run(s, "r7")).map(|e| e.name);
        assert_eq!(
            name(Source::Dropped("d/archive.md".into())).as_deref(),
            Some("d/archive.md")
        );
        assert_eq!(name(Source::Pasted).as_deref(), Some("r7 (pasted)"));
        assert_eq!(name(Source::Shared).as_deref(), Some("r7 (shared)"));
        assert_eq!(name(Source::Hosted("https://h/a.md".into())), None);
        assert_eq!(name(Source::Recent("d/archive.md".into())), None);
        let e = entry_for(&run(Source::Pasted, "r7"));
        assert_eq!(
            e.map(|e| e.text),
            Some("## Summary\n- run_id: r7\n".to_string())
        );
    }

    #[test]
    fn archives_over_half_the_cap_are_not_remembered() {
        let mut r = run(Source::Pasted, "big");
        r.text = "y".repeat(CAP / 2 + 1).into();
        assert_eq!(entry_for(&r), None);
        r.text = "y".repeat(CAP / 2).into();
        assert!(entry_for(&r).is_some());
    }

    #[test]
    fn newest_first_and_one_entry_per_name() {
        let list = with_entry(Vec::new(), entry("a", 1));
        let list = with_entry(list, entry("b", 1));
        let list = with_entry(list, entry("a", 2));
        assert_eq!(names(&list), vec!["a", "b"]);
        assert_eq!(list[0].text.len(), 2);
    }

    #[test]
    fn the_oldest_entries_go_past_the_cap() {
        let third = CAP / 3;
        let mut list = Vec::new();
        for n in ["old", "mid", "new"] {
            list = with_entry(list, entry(n, third));
        }
        assert_eq!(names(&list), vec!["new", "mid", "old"]);
        let list = with_entry(list, entry("newest", third));
        assert_eq!(names(&list), vec!["newest", "new", "mid"]);
        // Once the total passes the cap, everything older goes, small or not.
        let list = with_entry(vec![entry("a", CAP - 10), entry("tiny", 1)], entry("b", 20));
        assert_eq!(names(&list), vec!["b"]);
    }

    #[test]
    fn the_stored_form_round_trips_and_damage_reads_as_empty() {
        let list = vec![entry("a", 3), entry("b (pasted)", 0)];
        let text = encode(&list).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(decode(Some(&text)), list);
        assert_eq!(
            text,
            r#"[{"name":"a","text":"xxx"},{"name":"b (pasted)","text":""}]"#
        );
        assert!(decode(None).is_empty());
        assert!(decode(Some("{not json")).is_empty());
        assert!(decode(Some(r#"{"name":"a"}"#)).is_empty());
    }

    #[test]
    fn reopened_runs_are_marked_remembered() {
        let list = vec![
            Remembered {
                name: "d/archive.md".into(),
                text: "## Summary\n- run_id: r1\n".into(),
            },
            entry("junk", 4),
        ];
        let runs = reopen(&list);
        assert_eq!(runs.len(), 2);
        let first = runs[0]
            .as_ref()
            .map(|r| (r.source.clone(), r.run_id().to_string()));
        assert_eq!(
            first,
            Ok((Source::Recent("d/archive.md".into()), "r1".to_string()))
        );
        // Remembered under its dropped path: the same run as the file dropped again.
        let key = runs[0].as_ref().map(|r| r.key.clone()).unwrap_or_default();
        assert!(key.starts_with("d/archive.md@"), "{key}");
        assert!(runs[1]
            .as_ref()
            .is_err_and(|e| e.what == "junk (remembered)"));
    }
}
