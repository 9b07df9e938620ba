//! The CLI and the viewer agree: for every run folder among the fixtures (the bundled
//! samples, `tests/fixtures/runs/`, and `../shared/samples/` when present), each train step
//! gets the same curve file and the same series as its loss, and every curve file the same
//! loss series.
//!
//! The viewer's side is rebuilt here the way the browser does it, from the core functions
//! its components call: a dropped folder grouped by `group_drop`, the step's curve by
//! `Run::curve_path` and `Run::resolve_file` (`use_curve.rs`), the file read in slices by
//! `ingest::Incremental` (`loader.rs`), the loss by `loss_tag_index` (`default_tag` in
//! `step_chart.rs`). The CLI's side is what `runlens curves` prints.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should stop the test

use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;

use runlens::ingest::{loss_tag_index, Incremental};
use runlens::runs::{group_drop, Companion, CurveFile, Run, Source};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn runlens(args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_runlens"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run runlens");
    assert!(
        out.status.success(),
        "runlens {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("runlens {args:?}: {e}"))
}

/// Every file below `dir`, relative to it, `/`-separated, sorted.
fn files_below(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                todo.push(p);
            } else if let Ok(rel) = p.strip_prefix(dir) {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

/// Run folders (with an `archive.md`) directly under each of `parents` that exists.
fn run_folders() -> Vec<PathBuf> {
    let mut parents = vec![
        root().join("static/samples"),
        root().join("tests/fixtures/runs"),
    ];
    let shared = root().join("../shared/samples");
    if shared.is_dir() {
        parents.push(shared);
    } else {
        eprintln!("SKIPPED ../shared/samples: absent (a fresh clone has no shared/); the bundled samples and tests/fixtures/runs are still checked");
    }
    let mut out = Vec::new();
    for p in parents {
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(&p)
            .expect("fixture folder")
            .map(|e| e.expect("entry").path())
            .filter(|d| d.join("archive.md").is_file())
            .collect();
        dirs.sort();
        out.extend(dirs);
    }
    out
}

/// A file read as the browser reads it: fed to `Incremental` in slices.
fn read_in_slices(name: &str, bytes: &[u8]) -> Option<Vec<String>> {
    let mut inc = Incremental::new(name);
    for chunk in bytes.chunks(64 << 10) {
        inc.feed(chunk);
    }
    let curves = inc.finish().ok()?;
    Some(curves.series.iter().map(|s| s.tag.clone()).collect())
}

/// One train step's choice: (step index, curve file in the run folder, loss tag).
type Choice = (u64, Option<String>, Option<String>);

/// What the viewer shows for each train step of the run folder `dir`, dropped whole.
fn viewer_choices(dir: &Path) -> Vec<Choice> {
    let folder = dir
        .file_name()
        .map_or(String::new(), |f| f.to_string_lossy().into_owned());
    let paths: Vec<String> = files_below(dir)
        .into_iter()
        .map(|f| format!("{folder}/{f}"))
        .collect();
    let (groups, _) = group_drop(&paths);
    let archive_path = format!("{folder}/archive.md");
    let group = groups
        .iter()
        .find(|g| paths[g.archive] == archive_path)
        .expect("the archive's group");
    let companions: Vec<Companion> = group
        .companions
        .iter()
        .map(|(i, rel)| Companion {
            path: rel.clone(),
            size: None,
            url: None,
            bytes: std::fs::read(dir.join(&paths[*i][folder.len() + 1..]))
                .ok()
                .map(Rc::from),
            handle: None,
        })
        .collect();
    let text = std::fs::read(dir.join("archive.md")).expect("archive");
    let run = Run::from_bytes(&text, Source::Dropped(archive_path), companions).expect("run");
    run.train_step_curves()
        .into_iter()
        .map(|(i, path)| {
            let found = path.and_then(|p| match run.resolve_file(&p) {
                CurveFile::Companion(k) => run.companions.get(k),
                CurveFile::Urls(_) | CurveFile::Missing(_) => None,
            });
            let tag = found.and_then(|c| {
                let tags = read_in_slices(c.file_name(), c.bytes.as_deref()?)?;
                tags.get(loss_tag_index(&tags)).cloned()
            });
            (i as u64, found.map(|c| c.path.clone()), tag)
        })
        .collect()
}

/// What `runlens curves ARCHIVE --json` says for each train step.
fn cli_choices(dir: &Path) -> Vec<Choice> {
    let archive = dir.join("archive.md");
    let j = runlens(&["curves", &archive.display().to_string(), "--json"]);
    j["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| {
            let text = |k: &str| s[k].as_str().map(str::to_string);
            (
                s["index"].as_u64().unwrap_or(u64::MAX),
                text("file"),
                text("loss_tag"),
            )
        })
        .collect()
}

#[test]
fn cli_and_viewer_pick_the_same_curve_file_and_loss_for_every_train_step() {
    let folders = run_folders();
    assert!(folders.len() >= 4, "{folders:?}");
    let mut steps = 0;
    for dir in &folders {
        let viewer = viewer_choices(dir);
        let cli = cli_choices(dir);
        assert_eq!(
            cli,
            viewer,
            "{}: CLI (left) and viewer (right)",
            dir.display()
        );
        steps += viewer.len();
    }
    assert!(steps >= 9, "only {steps} train steps among the fixtures");
}

/// The fixture run written for these rules: each choice read off its archive by hand.
#[test]
fn a_train_step_without_loss_curve_is_charted_from_its_log_and_the_loss_is_found_by_name() {
    let dir = root().join("tests/fixtures/runs/20251120-0900-l0g5");
    let s = |x: &str| Some(x.to_string());
    let want: Vec<Choice> = vec![
        // cpt: no `loss_curve`; its `logs` is a `.log` (the tokenize step's log is not charted).
        (1, s("logs/cpt_train.log"), s("lm loss")),
        // sft: a CSV whose first column is the learning rate; the loss is `train_loss`.
        (2, s("curves/sft_metrics.csv"), s("train_loss")),
        // dpo: its event file did not come with the run (its `.txt` log is no curve).
        (3, None, None),
        // rm: a training block that names no file.
        (4, None, None),
    ];
    assert_eq!(viewer_choices(&dir), want, "viewer");
    assert_eq!(cli_choices(&dir), want, "CLI");
}

/// The bundled samples, by hand: event files for CPT, the CSV export for one SFT.
#[test]
fn the_bundled_samples_chart_their_event_files_and_the_csv_export() {
    let dir = root().join("static/samples/20251110-1420-b7c2");
    let s = |x: &str| Some(x.to_string());
    let want: Vec<Choice> = vec![
        (
            1,
            s("tensorboard/cpt/events.out.tfevents.1762786000.gpu-node-07.48211.0"),
            s("lm_loss"),
        ),
        (4, s("curves/sft_lm_loss.csv"), s("sft_lm_loss")),
    ];
    assert_eq!(cli_choices(&dir), want);
}

/// Every curve file among the fixtures: `runlens curves FILE --json` names as the loss the
/// series the viewer's chart opens on.
#[test]
fn cli_and_viewer_name_the_same_loss_series_of_every_curve_file() {
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in run_folders() {
        files.extend(
            files_below(&dir)
                .into_iter()
                .filter(|f| f != "archive.md")
                .map(|f| dir.join(f)),
        );
    }
    for sub in ["tests/fixtures/curves", "tests/fixtures/tf2"] {
        files.extend(
            files_below(&root().join(sub))
                .into_iter()
                .filter(|f| !f.ends_with(".json"))
                .map(|f| root().join(sub).join(f)),
        );
    }
    let mut compared = 0;
    for f in files {
        let name = f.display().to_string();
        let bytes = std::fs::read(&f).expect("curve file");
        let Some(tags) = read_in_slices(&name, &bytes) else {
            continue; // not a curve file (a tokenize log, a fixture of a failure)
        };
        let j = runlens(&["curves", &name, "--json"]);
        assert_eq!(
            j["loss_tag"].as_str(),
            tags.get(loss_tag_index(&tags)).map(String::as_str),
            "{name}"
        );
        compared += 1;
    }
    assert!(compared >= 10, "only {compared} curve files compared");
}

/// `runlens index` draws each run's sparkline from the loss series of its first train
/// step's curve, found by the same rules (here: the `.log` of a step with no `loss_curve`).
#[test]
fn the_manifest_sparkline_is_the_first_train_steps_loss() {
    let j = runlens(&["index", "tests/fixtures/runs", "-o", "-"]);
    let run = j["runs"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["run_id"] == "20251120-0900-l0g5"))
        .expect("fixture run in the manifest");
    let log =
        std::fs::read(root().join("tests/fixtures/runs/20251120-0900-l0g5/logs/cpt_train.log"))
            .expect("log");
    let curves = runlens::ingest::parse("cpt_train.log", &log).expect("log curves");
    let loss = curves.loss_series().expect("a loss series");
    assert_eq!(loss.tag, "lm loss");
    assert_eq!(
        run["sparkline"].as_str(),
        Some(runlens::runs::sparkline(loss, 48).as_str())
    );
}
