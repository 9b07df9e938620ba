//! Runs as the app holds them: a parsed archive with where it came from and the files that
//! came with it; the manifest of hosted runs; grouping dropped files into runs; and the rules
//! the viewer and the CLI share about runs: which file is a step's curve
//! ([`step_curve_path`], [`Run::resolve_file`]) and which runs a text filter keeps
//! ([`RunFilter`]).
//!
//! Pure: no yew/web_sys/gloo/wasm_bindgen, no I/O. The browser shell reads files and URLs
//! and hands their bytes here.

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::archive::input::{archive_head, decode};
use crate::archive::{completeness, parse, Completeness, Parsed, SectionKind, Step};
use crate::archive::{Diagnostic, Severity};
pub use crate::manifest::{parse_manifest, Manifest, ManifestRun, ShardRef, MANIFEST_VERSION};

/// Where a run's archive came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Fetched from a URL (a manifest entry, `?run=`); relative URLs are kept relative.
    Hosted(String),
    /// Dropped or picked from disk; the path inside the drop (`run/archive.md`).
    Dropped(String),
    /// Pasted into the page.
    Pasted,
    /// Opened from a share link (the archive in the URL fragment).
    Shared,
    /// Remembered from an earlier visit (browser storage).
    Recent(String),
}

/// A run's identity: where it came from, never a field inside the file. A hosted run is its
/// archive URL; a dropped, remembered, pasted or shared one is its path (or kind) plus a hash
/// of its text, so the same file dropped twice is one run and an edited copy is another.
pub fn identity(source: &Source, text: &str) -> String {
    let hash = crc32c::crc32c(text.as_bytes());
    match source {
        Source::Hosted(u) => u.clone(),
        Source::Dropped(p) | Source::Recent(p) => format!("{p}@{hash:08x}"),
        Source::Pasted => format!("pasted@{hash:08x}"),
        Source::Shared => format!("shared@{hash:08x}"),
    }
}

impl Source {
    /// The archive's folder name (or file name, or kind): what names a run without a run id.
    pub fn short_name(&self) -> &str {
        match self {
            Source::Hosted(p) | Source::Dropped(p) | Source::Recent(p) => {
                let mut parts = p.rsplit('/').filter(|x| !x.is_empty());
                let file = parts.next().unwrap_or("run");
                match parts.next() {
                    Some(dir) if file.ends_with(".md") => dir,
                    _ => file,
                }
            }
            Source::Pasted => "pasted",
            Source::Shared => "shared",
        }
    }

    /// A short text naming the source, for messages and the sidebar.
    pub fn describe(&self) -> String {
        match self {
            Source::Hosted(u) => u.clone(),
            Source::Dropped(p) => p.clone(),
            Source::Pasted => "pasted text".to_string(),
            Source::Shared => "shared link".to_string(),
            Source::Recent(n) => format!("{n} (remembered)"),
        }
    }
}

/// A file that came with a run (event file, CSV, log), by its path relative to the run's
/// folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Companion {
    /// Path relative to the run folder, e.g. `tensorboard/cpt/events.out.tfevents...`.
    pub path: String,
    /// Size in bytes, when known.
    pub size: Option<u64>,
    /// Where to fetch it (hosted runs), when it is not in memory.
    pub url: Option<String>,
    /// The bytes, when held in memory (small dropped files, tests).
    pub bytes: Option<Rc<[u8]>>,
    /// A handle to a dropped file the browser shell reads in slices when needed.
    pub handle: Option<u32>,
}

impl Companion {
    /// The last path segment.
    pub fn file_name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }
}

/// One loaded run.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// Which run this is, by where it came from (see [`identity`]): two archives with the
    /// same run id are two runs.
    pub key: String,
    /// Where it came from.
    pub source: Source,
    /// The archive text as read (for the Raw view and copying).
    pub text: Rc<str>,
    /// The parse result.
    pub parsed: Parsed,
    /// Completeness against the template.
    pub completeness: Completeness,
    /// Files that came with it.
    pub companions: Vec<Companion>,
    /// Set when the file was bigger than an archive is read up to: what was read.
    pub cut: Option<String>,
}

/// The cluster path of a step's curve: `training.loss_curve`, else the step's `logs` when
/// that is a `.log` file (a Megatron log carries the loss on its iteration lines).
pub fn step_curve_path(step: &Step) -> Option<String> {
    step.training().and_then(|t| t.loss_curve).or_else(|| {
        step.text("logs")
            .filter(|l| l.ends_with(".log"))
            .map(str::to_string)
    })
}

/// Where a step's curve (or log) file is, for a path on the training cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CurveFile {
    /// A file that came with the run (index into `companions`).
    Companion(usize),
    /// URLs to try in order (a hosted run without a file list).
    Urls(Vec<String>),
    /// Nowhere: the file name to ask the user for.
    Missing(String),
}

impl Run {
    /// Finds the file a cluster path names: by its path relative to where the archive came
    /// from (the longest matching tail of the path), then by file name among the files that
    /// came with the run; for hosted runs with no file list, the URLs to try.
    pub fn resolve_file(&self, cluster_path: &str) -> CurveFile {
        let segments: Vec<&str> = cluster_path.split('/').filter(|s| !s.is_empty()).collect();
        let name = segments.last().copied().unwrap_or(cluster_path).to_string();
        let tails: Vec<String> = (0..segments.len())
            .map(|i| segments[i..].join("/"))
            .collect();
        for tail in &tails {
            if let Some(i) = self
                .companions
                .iter()
                .position(|c| c.path == *tail || c.path.ends_with(&format!("/{tail}")))
            {
                return CurveFile::Companion(i);
            }
        }
        if let Some(i) = self.companions.iter().position(|c| c.file_name() == name) {
            return CurveFile::Companion(i);
        }
        match &self.source {
            Source::Hosted(url) if self.companions.is_empty() => {
                // Best guess first: the part of the cluster path below the run's own folder
                // (`<run_id>/tensorboard/cpt/x` -> `tensorboard/cpt/x` next to the archive);
                // then the shortest tails.
                let mut urls: Vec<String> = Vec::new();
                if let Some(id) = self.parsed.archive.run_id() {
                    if let Some(at) = segments.iter().rposition(|s| *s == id) {
                        urls.push(join_url(url, &segments[at + 1..].join("/")));
                    }
                }
                for t in tails.iter().rev().take(4) {
                    let u = join_url(url, t);
                    if !urls.contains(&u) {
                        urls.push(u);
                    }
                }
                CurveFile::Urls(urls)
            }
            _ => CurveFile::Missing(name),
        }
    }

    /// The cluster path of step `index`'s curve ([`step_curve_path`]).
    pub fn curve_path(&self, index: usize) -> Option<String> {
        self.parsed
            .archive
            .steps
            .steps
            .get(index)
            .and_then(step_curve_path)
    }

    /// The train steps (those with a `training` block: the ones the viewer charts), each
    /// with its curve path when it names one, in archive order.
    pub fn train_step_curves(&self) -> Vec<(usize, Option<String>)> {
        self.parsed
            .archive
            .steps
            .steps
            .iter()
            .enumerate()
            .filter(|(_, s)| s.training().is_some())
            .map(|(i, s)| (i, step_curve_path(s)))
            .collect()
    }

    /// The store key of the curve of a step whose file is not among the run's files (a
    /// shared run's reduced copy is kept under it).
    pub fn missing_curve_key(&self, path: &str) -> String {
        format!("{}::{}::missing", self.key, path)
    }

    /// The curve a manifest's sparkline draws: that of the first train step that names one.
    pub fn first_curve(&self) -> Option<(usize, String)> {
        self.train_step_curves()
            .into_iter()
            .find_map(|(i, p)| p.map(|p| (i, p)))
    }

    /// A copy of the run with the files a manifest lists for it (URLs next to the archive).
    pub fn with_hosted_files(&self, files: &[String]) -> Run {
        let mut r = self.clone();
        let base = match &self.source {
            Source::Hosted(u) => u.rfind('/').map_or(String::new(), |i| u[..=i].to_string()),
            _ => String::new(),
        };
        r.companions = files
            .iter()
            .map(|f| Companion {
                path: f.strip_prefix(&base).unwrap_or(f).to_string(),
                size: None,
                url: Some(f.clone()),
                bytes: None,
                handle: None,
            })
            .collect();
        r
    }

    /// A copy of the run with one more file (a curve dropped onto its step).
    pub fn with_companion(&self, c: Companion) -> Run {
        let mut r = self.clone();
        r.companions.retain(|x| x.path != c.path);
        r.companions.push(c);
        r
    }
}

/// Why a file or URL could not be opened as a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The file name or URL.
    pub what: String,
    /// What went wrong, in words a person understands.
    pub message: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.what, self.message)
    }
}

impl Run {
    /// Reads an archive from bytes. Fails only when the bytes are not archive text at all
    /// (binary, not UTF-8, empty, or text with no archive section); anything else is kept
    /// with its diagnostics.
    pub fn from_bytes(
        bytes: &[u8],
        source: Source,
        companions: Vec<Companion>,
    ) -> Result<Run, LoadError> {
        let what = source.describe();
        let text = decode(bytes).map_err(|e| LoadError {
            what: what.clone(),
            message: e.to_string(),
        })?;
        let parsed = parse(text);
        let has_section = parsed
            .archive
            .headings
            .iter()
            .any(|h| h.kind != SectionKind::Extra);
        if !has_section {
            return Err(LoadError {
                what,
                message: "not an experiment archive: no section such as `## Summary` or `## Steps` was found".into(),
            });
        }
        let completeness = completeness(&parsed.archive);
        let key = identity(&source, text);
        Ok(Run {
            key,
            source,
            text: Rc::from(text),
            parsed,
            completeness,
            companions,
            cut: None,
        })
    }

    /// [`Run::from_bytes`] for a file of `total` bytes of which `bytes` may be only the head:
    /// past [`crate::archive::input::MAX_ARCHIVE_BYTES`] it reads up to the last whole line
    /// before the limit, and says so in `cut` and in a diagnostic.
    pub fn from_file_head(
        bytes: &[u8],
        total: u64,
        source: Source,
        companions: Vec<Companion>,
    ) -> Result<Run, LoadError> {
        let (head, note) = archive_head(bytes, total);
        let mut run = Run::from_bytes(head, source, companions)?;
        if let Some(note) = note {
            run.parsed
                .diagnostics
                .insert(0, Diagnostic::new(0, Severity::Warning, note.clone()));
            run.cut = Some(note);
        }
        Ok(run)
    }

    /// The run id, or the archive's folder (or file) name when it has none.
    pub fn run_id(&self) -> &str {
        self.parsed
            .archive
            .run_id()
            .unwrap_or_else(|| self.source.short_name())
    }

    /// The experiment name, if given.
    pub fn experiment(&self) -> Option<&str> {
        self.parsed.archive.experiment()
    }
}

/// The manifest entry of a parsed run (its archive URL and files are the caller's).
pub fn summarize(run: &Run) -> ManifestRun {
    let a = &run.parsed.archive;
    let s = &a.summary;
    let mut final_losses = BTreeMap::new();
    let mut eval = BTreeMap::new();
    for st in &a.steps.steps {
        if let Some(l) = st.training().and_then(|t| t.final_loss) {
            final_losses.insert(st.stage().unwrap_or("train").to_string(), l);
        }
        if let Some(e) = st.eval() {
            for (k, n) in e.results {
                if let Some(v) = n.as_f64() {
                    eval.insert(k, v);
                }
            }
        }
    }
    ManifestRun {
        archive: String::new(),
        files: Vec::new(),
        experiment: a.experiment().map(str::to_string),
        run_id: a.run_id().map(str::to_string),
        status: s.text("status").map(str::to_string),
        started_at: s.text("started_at").map(str::to_string),
        duration_sec: s.get("duration_sec").and_then(|n| n.as_f64()),
        gpus: s.text("gpus").map(str::to_string),
        final_losses,
        eval,
        completeness: Some((run.completeness.percent() * 10.0).round() / 10.0),
        sparkline: String::new(),
        fields: crate::query::fields_of(a),
    }
}

/// A sparkline of a series: the lowest and highest value of each of `buckets` equal runs
/// of points, so a spike still shows.
pub fn sparkline(s: &crate::ingest::Series, buckets: usize) -> String {
    use base64::Engine;
    let n = s.len();
    if n == 0 || buckets == 0 {
        return String::new();
    }
    let mut out = Vec::with_capacity(buckets * 2);
    for b in 0..buckets.min(n) {
        let (lo, hi) = (
            b * n / buckets.min(n),
            ((b + 1) * n / buckets.min(n)).max(b * n / buckets.min(n) + 1),
        );
        let (mut mn, mut mx) = (f64::INFINITY, f64::NEG_INFINITY);
        s.each_value(lo, hi, |_, v| {
            if v.is_finite() {
                mn = mn.min(v);
                mx = mx.max(v);
            }
        });
        if mn.is_finite() {
            out.push(mn);
            out.push(mx);
        }
    }
    let (lo, hi) = out
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        });
    let span = (hi - lo).max(1e-300);
    let levels: Vec<u8> = out
        .iter()
        .map(|&v| (((v - lo) / span) * 255.0).round() as u8)
        .collect();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(levels)
}

/// The 0..=255 levels of a manifest sparkline (empty when absent or damaged).
pub fn sparkline_levels(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s)
        .unwrap_or_default()
}

/// What the runs list shows for a run whose archive names no experiment (and groups it by).
pub const NO_EXPERIMENT: &str = "(no experiment)";

/// The text filter of the runs list and the runs table: a run matches when the typed text
/// (trimmed, any case) is in its experiment (or [`NO_EXPERIMENT`]), label (run id), status,
/// start time or GPUs, or spans neighbouring ones in that order (`"cpt 20251103"` matches
/// an experiment ending in `cpt` of a run starting with `20251103`). Empty text matches
/// every run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunFilter {
    needle: String,
}

impl RunFilter {
    /// The filter for the text typed in the search box.
    pub fn new(text: &str) -> RunFilter {
        RunFilter {
            needle: text.trim().to_lowercase(),
        }
    }

    /// Whether it keeps every run (nothing typed).
    pub fn is_empty(&self) -> bool {
        self.needle.is_empty()
    }

    /// Whether a run, by its manifest summary and the label the list shows, matches.
    pub fn matches(&self, meta: &ManifestRun, label: &str) -> bool {
        if self.needle.is_empty() {
            return true;
        }
        let hay = [
            meta.experiment.as_deref().unwrap_or(NO_EXPERIMENT),
            label,
            meta.status.as_deref().unwrap_or(""),
            meta.started_at.as_deref().unwrap_or(""),
            meta.gpus.as_deref().unwrap_or(""),
        ]
        .join(" ")
        .to_lowercase();
        hay.contains(&self.needle)
    }
}

/// Joins a relative URL to the directory of `base` (both as written, no network).
pub fn join_url(base: &str, rel: &str) -> String {
    if rel.starts_with("http://") || rel.starts_with("https://") || rel.starts_with('/') {
        return rel.to_string();
    }
    match base.rfind('/') {
        Some(i) => format!("{}{}", &base[..=i], rel),
        None => rel.to_string(),
    }
}

/// Dropped files grouped by run: each archive with the files of its folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DropGroup {
    /// Index of the archive among the dropped files.
    pub archive: usize,
    /// Indexes of its companion files, with their paths relative to the run folder.
    pub companions: Vec<(usize, String)>,
}

/// Whether a dropped file looks like an archive (by name).
pub fn is_archive_name(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// Groups dropped paths (`run/archive.md`, `run/tensorboard/cpt/events...`) into runs: an
/// archive takes every non-archive file under its own folder. Files that belong to no
/// archive are returned as leftovers (reported to the user, or attached by a later drop).
pub fn group_drop(paths: &[String]) -> (Vec<DropGroup>, Vec<usize>) {
    let dir_of = |p: &str| p.rfind('/').map_or(String::new(), |i| p[..=i].to_string());
    let archives: Vec<usize> = (0..paths.len())
        .filter(|&i| is_archive_name(&paths[i]))
        .collect();
    let mut groups: Vec<DropGroup> = archives
        .iter()
        .map(|&a| DropGroup {
            archive: a,
            companions: Vec::new(),
        })
        .collect();
    let top_level = archives
        .iter()
        .filter(|&&a| dir_of(&paths[a]).is_empty())
        .count();
    let mut leftovers = Vec::new();
    for (i, p) in paths.iter().enumerate() {
        if archives.contains(&i) {
            continue;
        }
        // The deepest archive folder that contains this file.
        let owner = groups
            .iter_mut()
            .filter(|g| {
                let d = dir_of(&paths[g.archive]);
                // Loose files dropped beside one loose archive belong to it.
                (d.is_empty() && top_level == 1) || (!d.is_empty() && p.starts_with(&d))
            })
            .max_by_key(|g| dir_of(&paths[g.archive]).len());
        match owner {
            Some(g) => {
                let d = dir_of(&paths[g.archive]);
                g.companions.push((i, p[d.len()..].to_string()));
            }
            None => leftovers.push(i),
        }
    }
    (groups, leftovers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_drop_groups_companions_with_their_archive() {
        let paths: Vec<String> = [
            "a/archive.md",
            "a/tensorboard/cpt/events.out.tfevents.1",
            "a/curves/x.csv",
            "b/archive.md",
            "b/logs/train.log",
            "stray.bin",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let (groups, left) = group_drop(&paths);
        assert_eq!(groups.len(), 2);
        assert_eq!(
            groups[0].companions,
            vec![
                (1, "tensorboard/cpt/events.out.tfevents.1".to_string()),
                (2, "curves/x.csv".to_string())
            ]
        );
        assert_eq!(
            groups[1].companions,
            vec![(4, "logs/train.log".to_string())]
        );
        assert_eq!(left, vec![5]);
    }

    #[test]
    fn non_archives_are_refused_with_a_reason() {
        let e = Run::from_bytes(b"\0\x01binary", Source::Dropped("x.bin".into()), vec![])
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("x.bin: this is a binary file (NUL byte at offset 0), not a Markdown archive")
        );
        let e = Run::from_bytes(b"just prose\n", Source::Pasted, vec![]).err();
        assert!(e.is_some_and(|e| e.message.starts_with("not an experiment archive")));
    }

    #[test]
    fn manifest_round_trip_and_errors() {
        let m = parse_manifest(r#"{"runs":[{"archive":"samples/a/archive.md","run_id":"a"}]}"#);
        assert_eq!(
            m.map(|m| m.runs[0].archive.clone()).ok().as_deref(),
            Some("samples/a/archive.md")
        );
        let bad = parse_manifest("{\"runs\": [1]}").err().unwrap_or_default();
        assert!(bad.contains("line 1"), "{bad}");
    }

    fn run_with(companions: &[&str], source: Source) -> Run {
        let text = "## Summary\n- run_id: r1\n";
        let comps = companions
            .iter()
            .map(|p| Companion {
                path: p.to_string(),
                size: None,
                url: None,
                bytes: None,
                handle: None,
            })
            .collect();
        Run::from_bytes(text.as_bytes(), source, comps).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn curve_files_resolve_by_path_then_name() {
        let cluster = "/mnt/x/exp/r1/tensorboard/cpt/events.out.tfevents.1";
        let r = run_with(
            &[
                "logs/a.log",
                "tensorboard/sft/events.out.tfevents.1",
                "tensorboard/cpt/events.out.tfevents.1",
            ],
            Source::Dropped("r1/archive.md".into()),
        );
        assert_eq!(
            r.resolve_file(cluster),
            CurveFile::Companion(2),
            "path beats name"
        );
        let r = run_with(
            &["elsewhere/events.out.tfevents.1"],
            Source::Dropped("a.md".into()),
        );
        assert_eq!(
            r.resolve_file(cluster),
            CurveFile::Companion(0),
            "name as a fallback"
        );
        let r = run_with(&[], Source::Dropped("a.md".into()));
        assert_eq!(
            r.resolve_file(cluster),
            CurveFile::Missing("events.out.tfevents.1".into())
        );
        let r = run_with(&[], Source::Hosted("runs/r1/archive.md".into()));
        match r.resolve_file(cluster) {
            CurveFile::Urls(u) => assert_eq!(
                u[..2],
                [
                    "runs/r1/tensorboard/cpt/events.out.tfevents.1".to_string(),
                    "runs/r1/events.out.tfevents.1".to_string()
                ]
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_steps_curve_is_its_loss_curve_else_its_log() {
        let text = "## Summary\n- run_id: r1\n\n## Steps\n- step_id: 1\n  name: tokenize\n  logs: /x/r1/logs/01_tokenize.log\n\n- step_id: 2\n  name: train\n  stage: cpt\n  training:\n    final_loss: 2.0\n  logs: /x/r1/logs/cpt_train.log\n\n- step_id: 3\n  name: train\n  stage: sft\n  training:\n    loss_curve: /x/r1/tensorboard/sft/events.out.tfevents.1\n  logs: /x/r1/logs/sft_train.log\n\n- step_id: 4\n  name: train\n  stage: dpo\n  training:\n    final_loss: 1.0\n  logs: /x/r1/logs/dpo.txt\n";
        let r = Run::from_bytes(text.as_bytes(), Source::Pasted, vec![])
            .unwrap_or_else(|e| panic!("{e}"));
        let steps = r.parsed.archive.steps.steps.len();
        assert_eq!(steps, 4, "{:?}", r.parsed.diagnostics);
        assert_eq!(
            r.curve_path(1).as_deref(),
            Some("/x/r1/logs/cpt_train.log"),
            "no loss_curve: the .log"
        );
        assert_eq!(
            r.curve_path(2).as_deref(),
            Some("/x/r1/tensorboard/sft/events.out.tfevents.1"),
            "loss_curve beats the log"
        );
        assert_eq!(r.curve_path(3), None, "logs that are not a .log");
        assert_eq!(r.curve_path(9), None);
        assert_eq!(
            r.train_step_curves(),
            vec![
                (1, Some("/x/r1/logs/cpt_train.log".to_string())),
                (
                    2,
                    Some("/x/r1/tensorboard/sft/events.out.tfevents.1".to_string())
                ),
                (3, None)
            ],
            "the tokenize step is not a train step"
        );
        assert_eq!(
            r.first_curve(),
            Some((1, "/x/r1/logs/cpt_train.log".to_string()))
        );
    }

    #[test]
    fn the_runs_filter_matches_any_listed_field_in_any_case() {
        let meta = ManifestRun {
            experiment: Some("qwen25-7b-med-cpt".into()),
            run_id: Some("20251103-0853-a1f3".into()),
            status: Some("failed".into()),
            started_at: Some("2025-11-03 08:53:20".into()),
            gpus: Some("NVIDIA H800 80GB x 8".into()),
            ..ManifestRun::default()
        };
        let label = "20251103-0853-a1f3";
        let keeps = |t: &str| RunFilter::new(t).matches(&meta, label);
        for t in [
            "",
            "  ",
            "QWEN25",
            "a1f3",
            "Failed",
            "2025-11-03",
            "h800",
            " med-cpt ",
            "cpt 20251103",
        ] {
            assert!(keeps(t), "{t:?} should match");
        }
        for t in ["llama", "success", "a100", "a1f3x"] {
            assert!(!keeps(t), "{t:?} should not match");
        }
        let bare = ManifestRun::default();
        assert!(RunFilter::new("no experiment").matches(&bare, "archive.md"));
        assert!(RunFilter::new("archive").matches(&bare, "archive.md"));
        assert!(!RunFilter::new("h800").matches(&bare, "archive.md"));
    }

    #[test]
    fn urls_join_relative_to_the_manifest() {
        assert_eq!(join_url("runs.json", "samples/a.md"), "samples/a.md");
        assert_eq!(join_url("/ml/runs/runs.json", "a/b.md"), "/ml/runs/a/b.md");
        assert_eq!(join_url("x/runs.json", "https://h/a.md"), "https://h/a.md");
    }
}
