//! A hosted manifest read and turned into fetches: which archives (and their files) are
//! fetched as soon as the manifest is listed, and in which order the shards a top manifest
//! lists are fetched ([`shard_plan`]) and how their progress reads ([`shard_progress`]).
//!
//! Pure: the browser side (`crate::loader::manifest`) fetches the manifest and the archives.

use crate::runs::{join_url, parse_manifest, LoadError, Manifest, ShardRef};

/// Manifests with at most this many runs have every archive fetched at once; bigger ones are
/// only listed, and each archive is fetched when its run is opened.
pub const FETCH_ALL_UP_TO: usize = 24;

/// Reads a fetched manifest; the error names its URL and says where the text is wrong.
pub fn read(url: &str, bytes: &[u8]) -> Result<Manifest, LoadError> {
    std::str::from_utf8(bytes)
        .map_err(|e| e.to_string())
        .and_then(parse_manifest)
        .map_err(|message| LoadError {
            what: url.to_string(),
            message,
        })
}

/// One hosted archive to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostedFetch {
    /// The archive's URL, joined to the manifest's.
    pub archive: String,
    /// The URLs of the files that came with it, joined to the manifest's.
    pub files: Vec<String>,
    /// The manifest's run id: the listed row the archive fills in (and marks failed).
    pub key: Option<String>,
}

/// The archives to fetch right after listing the manifest at `base`: all of them for a small
/// manifest, none for a large one.
pub fn fetch_plan(base: &str, manifest: &Manifest) -> Vec<HostedFetch> {
    if manifest.runs.len() > FETCH_ALL_UP_TO {
        return Vec::new();
    }
    manifest
        .runs
        .iter()
        .map(|r| HostedFetch {
            archive: join_url(base, &r.archive),
            files: r.files.iter().map(|f| join_url(base, f)).collect(),
            key: r.run_id.clone(),
        })
        .collect()
}

/// At most this many shard manifests are fetched at once.
pub const SHARDS_AT_ONCE: usize = 4;

/// One shard manifest to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardFetch {
    /// Its URL, joined to the top manifest's.
    pub url: String,
    /// What its runs share (experiment or month).
    pub key: String,
    /// How many runs the top manifest says it lists.
    pub count: usize,
}

/// The shards of the top manifest at `base`, in the order to fetch them. Every shard is
/// fetched (the runs table, its query and the scatter need every run), a few at once; the
/// shard whose key is `first` (the experiment filter of the link) comes first, so the runs
/// the link asks for are listed soonest; the others follow in the order listed.
pub fn shard_plan(base: &str, shards: &[ShardRef], first: Option<&str>) -> Vec<ShardFetch> {
    let mut plan: Vec<ShardFetch> = shards
        .iter()
        .map(|s| ShardFetch {
            url: join_url(base, &s.manifest),
            key: s.key.clone(),
            count: s.count,
        })
        .collect();
    if let Some(first) = first.filter(|f| !f.is_empty()) {
        // A stable sort: the chosen shard first, the rest as listed.
        plan.sort_by_key(|s| s.key != first);
    }
    plan
}

/// The progress of fetching shards, as the runs table shows it: `3 of 12 shards, 41,200 runs`.
pub fn shard_progress(read: usize, total: usize, runs: usize) -> String {
    format!(
        "{read} of {total} shard{}, {} run{}",
        if total == 1 { "" } else { "s" },
        crate::format::grouped(runs as u64),
        if runs == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runs::ManifestRun;

    fn manifest(n: usize) -> Manifest {
        Manifest {
            version: 1,
            runs: (0..n)
                .map(|i| ManifestRun {
                    archive: format!("runs/r{i}/archive.md"),
                    files: vec![format!("runs/r{i}/curves/loss.csv")],
                    run_id: Some(format!("r{i}")),
                    ..ManifestRun::default()
                })
                .collect(),
            shards: Vec::new(),
        }
    }

    #[test]
    fn small_manifests_fetch_every_archive_with_its_files() {
        let plan = fetch_plan("https://h/data/runs.json", &manifest(2));
        assert_eq!(
            plan.first(),
            Some(&HostedFetch {
                archive: "https://h/data/runs/r0/archive.md".into(),
                files: vec!["https://h/data/runs/r0/curves/loss.csv".into()],
                key: Some("r0".into()),
            })
        );
        assert_eq!(plan.len(), 2);
        assert_eq!(
            fetch_plan("runs.json", &manifest(FETCH_ALL_UP_TO)).len(),
            24
        );
    }

    #[test]
    fn large_manifests_are_only_listed() {
        assert!(fetch_plan("runs.json", &manifest(FETCH_ALL_UP_TO + 1)).is_empty());
        assert!(fetch_plan("runs.json", &manifest(0)).is_empty());
    }

    #[test]
    fn runs_without_an_id_are_fetched_without_a_row_key() {
        let mut m = manifest(1);
        m.runs[0].run_id = None;
        m.runs[0].archive = "/abs/archive.md".into();
        let plan = fetch_plan("sub/runs.json", &m);
        assert_eq!(plan[0].key, None);
        assert_eq!(plan[0].archive, "/abs/archive.md");
    }

    #[test]
    fn shards_are_fetched_the_chosen_experiment_first_then_as_listed() {
        let shards: Vec<ShardRef> = ["a", "b", "c"]
            .iter()
            .map(|k| ShardRef {
                manifest: format!("shards/runs-{k}.json"),
                key: k.to_string(),
                count: 2,
            })
            .collect();
        let keys = |p: Vec<ShardFetch>| p.into_iter().map(|s| s.key).collect::<Vec<_>>();
        assert_eq!(
            keys(shard_plan("x/runs.json", &shards, None)),
            ["a", "b", "c"]
        );
        assert_eq!(
            keys(shard_plan("x/runs.json", &shards, Some("c"))),
            ["c", "a", "b"]
        );
        assert_eq!(
            keys(shard_plan("x/runs.json", &shards, Some(""))),
            ["a", "b", "c"]
        );
        let plan = shard_plan("https://h/x/runs.json", &shards, Some("zzz"));
        assert_eq!(plan[0].url, "https://h/x/shards/runs-a.json");
        assert_eq!(plan[0].count, 2);
    }

    #[test]
    fn shard_progress_reads_as_a_sentence() {
        assert_eq!(shard_progress(3, 12, 41_200), "3 of 12 shards, 41,200 runs");
        assert_eq!(shard_progress(0, 1, 1), "0 of 1 shard, 1 run");
    }

    #[test]
    fn unreadable_manifests_name_their_url() {
        let e = read("data/runs.json", b"\xff\xfe").err();
        assert!(
            e.as_ref().is_some_and(|e| e.what == "data/runs.json"),
            "{e:?}"
        );
        let e = read("data/runs.json", b"{\"runs\": 3}").err();
        assert!(e.is_some_and(
            |e| e.what == "data/runs.json" && e.message.starts_with("not a runs manifest")
        ),);
        let m = read("runs.json", br#"{"runs":[{"archive":"a.md"}]}"#);
        assert_eq!(m.map(|m| m.runs.len()), Ok(1));
    }
}
