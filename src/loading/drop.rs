//! A drop or a pick turned into runs: the path of each file inside the drop, which files are
//! read as archives and which come with them, which run is opened, and what is reported
//! about files that fit nowhere or could not be read.
//!
//! Pure: the browser side (`crate::loader::drop`, `crate::loader::open`) reads the files.

use crate::runs::{group_drop, DropGroup, LoadError};

/// A file's path inside a drop, from an entry's full path (`/run/archive.md`).
pub fn entry_path(full_path: &str) -> String {
    full_path.trim_start_matches('/').to_string()
}

/// A picked file's path: its path inside a picked folder, or its name when picked alone.
pub fn picked_path(relative: Option<String>, name: String) -> String {
    relative.filter(|s| !s.is_empty()).unwrap_or(name)
}

/// What to do with the files of a drop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DropPlan {
    /// Each run to read: an archive (index into the drop) and the files that came with it.
    pub runs: Vec<DropGroup>,
    /// Open every run read, not only the first: set when no file looked like an archive, so
    /// each file is tried as one and every refusal is shown.
    pub open_every: bool,
    /// Files that belong to no run, named in one message.
    pub leftovers: Option<LoadError>,
}

/// Plans the reading of the files at `paths` (paths inside the drop).
pub fn plan(paths: &[String]) -> DropPlan {
    let (groups, leftovers) = group_drop(paths);
    if groups.is_empty() {
        // No `.md` at all: try each file as an archive so the message says why it is not.
        return DropPlan {
            runs: (0..paths.len())
                .map(|archive| DropGroup {
                    archive,
                    companions: Vec::new(),
                })
                .collect(),
            open_every: true,
            leftovers: None,
        };
    }
    let names: Vec<&str> = leftovers
        .iter()
        .filter_map(|i| paths.get(*i).map(String::as_str))
        .collect();
    DropPlan {
        runs: groups,
        open_every: false,
        leftovers: (!names.is_empty()).then(|| LoadError {
            what: names.join(", "),
            message: "not inside a run folder with an archive; drop the whole run folder (archive.md with its tensorboard/, curves/, logs/)".into(),
        }),
    }
}

/// The message for files of a dropped folder the browser would not hand over.
pub fn unreadable(paths: &[String]) -> Option<LoadError> {
    (!paths.is_empty()).then(|| LoadError {
        what: paths.join(", "),
        message: "could not be read from the dropped folder (the browser refused them); they were left out".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn paths_inside_the_drop() {
        assert_eq!(entry_path("/run/archive.md"), "run/archive.md");
        assert_eq!(entry_path("archive.md"), "archive.md");
        assert_eq!(
            picked_path(Some("run/logs/a.log".into()), "a.log".into()),
            "run/logs/a.log"
        );
        assert_eq!(picked_path(Some(String::new()), "a.md".into()), "a.md");
        assert_eq!(picked_path(None, "a.md".into()), "a.md");
    }

    #[test]
    fn folders_become_runs_and_only_the_first_opens() {
        let p = plan(&paths(&[
            "a/archive.md",
            "a/curves/loss.csv",
            "b/archive.md",
            "stray.bin",
            "x/notes.txt",
        ]));
        assert!(!p.open_every);
        assert_eq!(
            p.runs.iter().map(|g| g.archive).collect::<Vec<_>>(),
            vec![0, 2]
        );
        assert_eq!(p.runs[0].companions, vec![(1, "curves/loss.csv".into())]);
        let left = p.leftovers.map(|e| e.what);
        assert_eq!(left.as_deref(), Some("stray.bin, x/notes.txt"));
    }

    #[test]
    fn a_complete_drop_has_no_leftovers() {
        let p = plan(&paths(&["r/archive.md", "r/logs/train.log"]));
        assert_eq!(p.leftovers, None);
        assert_eq!(p.runs.len(), 1);
    }

    #[test]
    fn drops_without_an_archive_try_every_file() {
        let p = plan(&paths(&["a.bin", "b/c.txt"]));
        assert!(p.open_every);
        assert_eq!(p.leftovers, None);
        assert_eq!(
            p.runs,
            vec![
                DropGroup {
                    archive: 0,
                    companions: vec![]
                },
                DropGroup {
                    archive: 1,
                    companions: vec![]
                }
            ]
        );
        assert!(plan(&[]).runs.is_empty());
    }

    #[test]
    fn unreadable_files_are_named_together() {
        assert_eq!(unreadable(&[]), None);
        let e = unreadable(&paths(&["r/a.bin", "r/b.bin"]));
        assert!(e.is_some_and(
            |e| e.what == "r/a.bin, r/b.bin" && e.message.contains("could not be read")
        ));
    }
}
