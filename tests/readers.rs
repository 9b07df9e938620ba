//! Each curve reader against its reference fixture: every file in `tests/fixtures/curves/`
//! and `tests/fixtures/tf2/` has a `<file>.expected.json` beside it with the reading worked
//! out by hand from the file (or, for event files, TensorBoard's own reading in
//! `tests/fixtures/oracle/`): the series with every point, the restarts, the problems with
//! their lines, the loss series, or the error with its kind and place. Each file is read
//! whole and in slices (as the browser reads it), and both readings must be that one.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should stop the test

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use runlens::ingest::{self, Curves, Format, Incremental, IngestError, Location};
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// (tag, [(step, wall time, value)], restart steps), in the file's tag order.
type Reading = Vec<(String, Vec<(i64, Option<f64>, f64)>, Vec<i64>)>;

fn reading(c: &Curves) -> Reading {
    c.series
        .iter()
        .map(|s| {
            let pts = (0..s.len())
                .map(|i| (s.step(i), s.wall(i), s.value(i)))
                .collect();
            let restarts = s.restarts.iter().map(|&i| s.step(i)).collect();
            (s.tag.clone(), pts, restarts)
        })
        .collect()
}

/// The hand-written series of an expected file.
fn expected_series(v: &Value) -> Reading {
    v.as_array()
        .expect("series")
        .iter()
        .map(|s| {
            let pts = s["points"]
                .as_array()
                .expect("points")
                .iter()
                .map(|p| {
                    (
                        p[0].as_i64().expect("step"),
                        p[1].as_f64(),
                        p[2].as_f64().expect("value"),
                    )
                })
                .collect();
            let restarts = s["restarts"]
                .as_array()
                .map_or(Vec::new(), |r| r.iter().filter_map(Value::as_i64).collect());
            (s["tag"].as_str().expect("tag").to_string(), pts, restarts)
        })
        .collect()
}

/// TensorBoard's reading (one JSON object per scalar), by tag in first-seen order.
fn oracle_series(path: &Path) -> Reading {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut order: Vec<String> = Vec::new();
    let mut by_tag: BTreeMap<String, Vec<(i64, Option<f64>, f64)>> = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).expect("oracle line");
        let tag = v["tag"].as_str().expect("tag").to_string();
        if !by_tag.contains_key(&tag) {
            order.push(tag.clone());
        }
        by_tag.entry(tag).or_default().push((
            v["step"].as_i64().expect("step"),
            v["wall_time"].as_f64(),
            v["value"].as_f64().expect("value"),
        ));
    }
    order
        .into_iter()
        .map(|t| {
            let pts = by_tag.remove(&t).unwrap_or_default();
            let restarts = pts
                .windows(2)
                .filter(|w| w[1].0 < w[0].0)
                .map(|w| w[1].0)
                .collect();
            (t, pts, restarts)
        })
        .collect()
}

/// Equal to the bit (a wall time absent on both sides is equal).
fn assert_same_reading(name: &str, got: &Reading, want: &Reading) {
    let tags = |r: &Reading| r.iter().map(|s| s.0.clone()).collect::<Vec<_>>();
    assert_eq!(tags(got), tags(want), "{name}: tags in order");
    for ((tag, g, gr), (_, w, wr)) in got.iter().zip(want) {
        assert_eq!(g.len(), w.len(), "{name}/{tag}: point count");
        for (i, (a, b)) in g.iter().zip(w).enumerate() {
            let same_wall = a.1.map(f64::to_bits) == b.1.map(f64::to_bits);
            assert!(
                a.0 == b.0 && same_wall && a.2.to_bits() == b.2.to_bits(),
                "{name}/{tag} point {i}: read {a:?}, expected {b:?}"
            );
        }
        assert_eq!(gr, wr, "{name}/{tag}: restarts (steps)");
    }
}

fn location(v: &Value) -> Location {
    match (v["line"].as_u64(), v["byte"].as_u64()) {
        (Some(l), _) => Location::Line(u32::try_from(l).expect("line")),
        (None, Some(b)) => Location::Byte(b),
        (None, None) => Location::File,
    }
}

fn check_error(name: &str, got: &Result<Curves, IngestError>, want: &Value) {
    let Err(e) = got else {
        panic!("{name}: read, but expected an error {want}");
    };
    let kind = format!("{:?}", e.kind);
    let want_kind = want["kind"].as_str().expect("kind");
    assert!(
        kind == want_kind || kind.starts_with(&format!("{want_kind}(")),
        "{name}: error kind {kind}, expected {want_kind}"
    );
    assert_eq!(e.at, location(want), "{name}: where");
    let says = want["says"].as_str().unwrap_or("");
    assert!(
        e.to_string().contains(says),
        "{name}: `{e}` should say `{says}`"
    );
    let file = name.split(' ').next().unwrap_or(name);
    assert!(
        e.to_string().starts_with(file),
        "{name}: `{e}` should name the file"
    );
}

fn check_reading(name: &str, dir: &Path, got: &Result<Curves, IngestError>, want: &Value) {
    let c = match got {
        Ok(c) => c,
        Err(e) => panic!("{name}: {e}"),
    };
    let expected = match want["oracle"].as_str() {
        Some(o) => oracle_series(&dir.join(o)),
        None => expected_series(&want["series"]),
    };
    assert_same_reading(name, &reading(c), &expected);
    let problems = want["problems"].as_array().expect("problems");
    assert_eq!(c.problems.len(), problems.len(), "{name}: {:?}", c.problems);
    for (p, w) in c.problems.iter().zip(problems) {
        assert_eq!(p.at, location(w), "{name}: {p:?}");
        let says = w["says"].as_str().unwrap_or("");
        assert!(
            p.message.contains(says),
            "{name}: `{}` should say `{says}`",
            p.message
        );
    }
    assert_eq!(
        c.loss_series().map(|s| s.tag.as_str()),
        want["loss_tag"].as_str(),
        "{name}: the loss series"
    );
}

#[test]
fn every_reader_gives_its_reference_reading_whole_and_in_slices() {
    let mut formats = Vec::new();
    let mut n = 0;
    for sub in ["tests/fixtures/curves", "tests/fixtures/tf2"] {
        let dir = root().join(sub);
        let mut expected: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("fixture dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.to_string_lossy().ends_with(".expected.json"))
            .collect();
        expected.sort();
        for exp in expected {
            let input = PathBuf::from(exp.to_string_lossy().trim_end_matches(".expected.json"));
            let name = input
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            let want: Value =
                serde_json::from_str(&std::fs::read_to_string(&exp).expect("expected"))
                    .expect("expected json");
            let bytes =
                std::fs::read(&input).unwrap_or_else(|e| panic!("{}: {e}", input.display()));
            formats.extend(ingest::detect(&name, &bytes));
            let whole = ingest::parse(&name, &bytes);
            // The browser's slices are 4 MB; small ones cut every record and line somewhere.
            for slice in [1, 7, 4096, 4 << 20] {
                let mut inc = Incremental::new(&name);
                for chunk in bytes.chunks(slice) {
                    inc.feed(chunk);
                }
                let sliced = inc.finish();
                let what = format!("{name} in {slice}-byte slices");
                if want.get("error").is_some() {
                    check_error(&what, &sliced, &want["error"]);
                } else {
                    check_reading(&what, &dir, &sliced, &want);
                }
            }
            if want.get("error").is_some() {
                check_error(&name, &whole, &want["error"]);
            } else {
                check_reading(&name, &dir, &whole, &want);
            }
            n += 1;
        }
    }
    assert!(n >= 7, "{n} reference fixtures");
    for f in [
        Format::TfEvents,
        Format::Gzip,
        Format::Csv,
        Format::MegatronLog,
    ] {
        assert!(formats.contains(&f), "no reference fixture read as {f:?}");
    }
}
