//! The reducer and the route it names, natively: manifest merge, a hosted run replaced,
//! files attached, forget, compare selection, load failures, navigation.

use std::rc::Rc;

use super::*;
use crate::runs::{parse_manifest, Companion, LoadError, Manifest, Run, Source};
use crate::share::route::{Route, Target};

const A: &str = include_str!("../../static/samples/20251103-0853-a1f3/archive.md");
const B: &str = include_str!("../../static/samples/20251110-1420-b7c2/archive.md");
const MANIFEST: &str = include_str!("../../static/runs.json");

fn hosted(text: &str, url: &str) -> Rc<Run> {
    Rc::new(Run::from_bytes(text.as_bytes(), Source::Hosted(url.into()), Vec::new()).expect("run"))
}

fn dropped(text: &str, path: &str) -> Rc<Run> {
    Rc::new(
        Run::from_bytes(text.as_bytes(), Source::Dropped(path.into()), Vec::new()).expect("run"),
    )
}

fn manifest() -> Manifest {
    parse_manifest(MANIFEST).expect("manifest")
}

fn open_label(s: &AppState) -> String {
    open_slot(s).map(|x| x.label()).unwrap_or_default()
}

fn state_with_manifest() -> AppState {
    let mut s = AppState::default();
    apply(
        &mut s,
        Action::Manifest {
            base: "http://h/runs.json".into(),
            manifest: manifest(),
        },
    );
    s
}

#[test]
fn manifest_lists_every_run_and_opens_the_first() {
    let s = state_with_manifest();
    let ids: Vec<_> = s.runs.iter().map(|r| r.label()).collect();
    assert_eq!(
        ids,
        [
            "20251112-2201-c9d4",
            "20251110-1420-b7c2",
            "20251103-0853-a1f3"
        ]
    );
    assert!(s.runs.iter().all(|r| r.load == Load::Listed));
    assert_eq!(open_label(&s), "20251112-2201-c9d4");
    assert_eq!(
        s.runs[0].url.as_deref(),
        Some("http://h/samples/20251112-2201-c9d4/archive.md")
    );
    assert_eq!(
        s.runs[0].files.len(),
        2,
        "the manifest's files, joined to its URL"
    );
}

#[test]
fn merging_the_same_manifest_twice_adds_nothing() {
    let mut s = state_with_manifest();
    apply(
        &mut s,
        Action::Manifest {
            base: "http://h/runs.json".into(),
            manifest: manifest(),
        },
    );
    assert_eq!(s.runs.len(), 3);
}

#[test]
fn a_link_opened_before_the_manifest_keeps_its_place_and_gains_the_files() {
    let mut s = AppState::default();
    let url = "http://h/samples/20251103-0853-a1f3/archive.md";
    apply(
        &mut s,
        Action::Navigate(Box::new(Route::parse(&format!("run={url}"), ""))),
    );
    assert_eq!(s.want.as_deref(), Some(url));
    apply(
        &mut s,
        Action::Loaded {
            run: hosted(A, url),
            open: true,
        },
    );
    assert_eq!(s.open.as_deref(), Some(url));
    apply(
        &mut s,
        Action::Manifest {
            base: "http://h/runs.json".into(),
            manifest: manifest(),
        },
    );
    assert_eq!(
        open_label(&s),
        "20251103-0853-a1f3",
        "the link's run stays open"
    );
    assert_eq!(s.runs.len(), 3);
    let slot = open_slot(&s).expect("open");
    let run = slot.run().expect("still loaded");
    assert_eq!(
        run.companions.len(),
        3,
        "files from the manifest reach the loaded run"
    );
}

#[test]
fn a_hosted_run_replaces_its_listed_slot() {
    let mut s = state_with_manifest();
    let url = s.runs[2].url.clone().expect("url");
    let key = s.runs[2].key.clone();
    apply(&mut s, Action::Fetching(key));
    assert_eq!(s.runs[2].load, Load::Loading);
    apply(
        &mut s,
        Action::Loaded {
            run: hosted(A, &url),
            open: false,
        },
    );
    assert_eq!(s.runs.len(), 3, "replaced, not added");
    let slot = slot_for(&s, &url).expect("found by URL");
    assert!(slot.run().is_some());
    assert_eq!(slot.files.len(), 3, "the listed slot's files stay with it");
    assert_eq!(
        open_label(&s),
        "20251112-2201-c9d4",
        "loading in the background does not move the open run"
    );
}

#[test]
fn the_same_run_loaded_again_keeps_its_curves_and_a_changed_one_drops_them() {
    let mut s = AppState::default();
    let url = "http://h/a/archive.md";
    let load = |s: &mut AppState, text: &str| {
        apply(
            s,
            Action::Loaded {
                run: hosted(text, url),
                open: false,
            },
        )
    };
    load(&mut s, A);
    let key = format!("{}::tb/events::url:http://h/a/tb/events", s.runs[0].key);
    let curves = Rc::new(LoadedCurves::new("events".into(), Default::default()));
    apply(
        &mut s,
        Action::CurveReady {
            key: key.clone(),
            curves,
        },
    );
    // A link's run list and a manifest naming the same archive: loaded twice, read once.
    load(&mut s, A);
    assert_eq!(s.runs.len(), 1);
    assert!(
        matches!(s.curves.get(&key), Some(CurveLoad::Ready(_))),
        "the same run loaded again keeps its curves"
    );
    // Another archive at that address: what was read for the old one goes.
    load(&mut s, B);
    assert!(
        !s.curves.contains_key(&key),
        "a changed run's curves are dropped"
    );
}

#[test]
fn a_link_naming_a_run_by_id_opens_it_or_says_no_run_has_it() {
    // A page opened from a link naming `entry`, the manifest in, not yet finished.
    let linked = |entry: &str| {
        let mut s = AppState::default();
        apply(&mut s, Action::Started);
        let route = Route {
            target: Target::Run(entry.into()),
            ..Route::default()
        };
        apply(&mut s, Action::Navigate(Box::new(route)));
        apply(
            &mut s,
            Action::Manifest {
                base: "http://h/runs.json".into(),
                manifest: manifest(),
            },
        );
        s
    };
    // The manifest arrives while the link's run is wanted: found by its id.
    let mut s = linked("20251110-1420-b7c2");
    apply(&mut s, Action::Finished);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    let url = slot_for(&s, "20251110-1420-b7c2")
        .and_then(|x| x.url.clone())
        .expect("a listed run has that id");
    assert_eq!(
        s.want.as_deref(),
        Some("20251110-1420-b7c2"),
        "still wanted"
    );
    // Its archive arrives: it is the run opened.
    apply(
        &mut s,
        Action::Loaded {
            run: hosted(B, &url),
            open: false,
        },
    );
    assert_eq!(s.open.as_deref(), Some(url.as_str()));
    assert_eq!(s.want, None);
    // An id no run has: said once everything is in, and the first run opens.
    let mut s = linked("no-such-run");
    assert!(
        s.errors.is_empty(),
        "nothing said while the manifest is still loading"
    );
    apply(&mut s, Action::Finished);
    assert_eq!(s.errors.len(), 1);
    assert_eq!(s.errors[0].what, "no-such-run");
    assert!(s.errors[0].message.contains("no listed or loaded run"));
    assert_eq!(s.want, None);
    assert_eq!(s.open, s.runs.first().map(|r| r.key.clone()));
    // A link to an archive's address is fetched, never reported as an unknown id.
    assert!(names_a_run("20251110-1420-b7c2"));
    assert!(!names_a_run("runs/a/archive.md"));
    assert!(!names_a_run("archive.md"));
}

#[test]
fn a_failed_fetch_marks_the_slot_and_reports_once() {
    let mut s = state_with_manifest();
    let key = s.runs[1].key.clone();
    let error = LoadError {
        what: "http://h/x/archive.md".into(),
        message: "404 Not Found".into(),
    };
    for _ in 0..2 {
        apply(
            &mut s,
            Action::SlotFailed {
                key: key.clone(),
                error: error.clone(),
            },
        );
    }
    assert_eq!(s.runs[1].load, Load::Failed(error.clone()));
    assert_eq!(s.errors, vec![error]);
    apply(&mut s, Action::Dismiss(0));
    assert!(s.errors.is_empty());
    apply(&mut s, Action::Dismiss(5));
}

#[test]
fn curve_loads_progress_then_fail_with_the_file_named() {
    let mut s = AppState::default();
    apply(
        &mut s,
        Action::CurveProgress {
            key: "r::a.csv".into(),
            read: 10,
            total: 100,
        },
    );
    assert_eq!(
        s.curves.get("r::a.csv"),
        Some(&CurveLoad::Loading {
            read: 10,
            total: 100
        })
    );
    let error = LoadError {
        what: "a.csv".into(),
        message: "line 3: not a number".into(),
    };
    apply(
        &mut s,
        Action::CurveFailed {
            key: "r::a.csv".into(),
            error: error.clone(),
        },
    );
    assert_eq!(s.curves.get("r::a.csv"), Some(&CurveLoad::Failed(error)));
}

#[test]
fn a_curve_read_in_parts_is_drawn_loading_until_the_whole_file_is_in() {
    let mut s = AppState::default();
    let mut c = crate::ingest::Curves::default();
    c.series.push(crate::ingest::Series::new("loss"));
    let part = Rc::new(LoadedCurves::new("e".into(), c.clone()));
    apply(
        &mut s,
        Action::CurvePart {
            key: "k".into(),
            read: 5,
            total: 9,
            curves: part.clone(),
        },
    );
    assert_eq!(
        s.curves.get("k"),
        Some(&CurveLoad::Loading { read: 5, total: 9 }),
        "still loading: views that wait for the whole file keep waiting"
    );
    assert!(s.curve_parts.get("k").is_some_and(|p| Rc::ptr_eq(p, &part)));
    let whole = Rc::new(LoadedCurves::new("e".into(), c));
    apply(
        &mut s,
        Action::CurveReady {
            key: "k".into(),
            curves: whole.clone(),
        },
    );
    assert_eq!(s.curves.get("k"), Some(&CurveLoad::Ready(whole)));
    assert!(
        s.curve_parts.is_empty(),
        "the part is dropped once the file is in"
    );
}

#[test]
fn a_file_attached_to_a_run_clears_its_failed_curves_only() {
    let mut s = AppState::default();
    apply(
        &mut s,
        Action::Loaded {
            run: dropped(A, "a/archive.md"),
            open: true,
        },
    );
    let key = s.open.clone().expect("open");
    let failed = LoadError {
        what: "x".into(),
        message: "missing".into(),
    };
    s.curves
        .insert(format!("{key}::x"), CurveLoad::Failed(failed.clone()));
    s.curves
        .insert("other::x".into(), CurveLoad::Failed(failed.clone()));
    apply(
        &mut s,
        Action::Attach {
            run_key: key.clone(),
            file: Companion {
                path: "tensorboard/cpt/events.out.tfevents.1".into(),
                size: Some(3),
                url: None,
                bytes: Some(Rc::from(&b"abc"[..])),
                handle: None,
            },
        },
    );
    let run = open_slot(&s).and_then(|x| x.run()).expect("run");
    assert_eq!(run.companions.len(), 1);
    assert!(!s.curves.contains_key(&format!("{key}::x")));
    assert!(s.curves.contains_key("other::x"));
}

#[test]
fn reloading_a_run_with_other_files_forgets_its_stale_curves() {
    // The folder dropped again: the same archive, its curve file a new handle.
    let folder = |handle: u32| {
        let file = Companion {
            path: "tb/f".into(),
            size: Some(10),
            url: None,
            bytes: None,
            handle: Some(handle),
        };
        Rc::new(
            Run::from_bytes(
                A.as_bytes(),
                Source::Dropped("a/archive.md".into()),
                vec![file],
            )
            .expect("run"),
        )
    };
    let mut s = AppState::default();
    let run = folder(1);
    apply(
        &mut s,
        Action::Loaded {
            run: run.clone(),
            open: true,
        },
    );
    s.curves.insert(
        format!("{}::f", run.key),
        CurveLoad::Loading { read: 0, total: 0 },
    );
    let again = folder(2);
    assert_eq!(again.key, run.key, "the same run");
    apply(
        &mut s,
        Action::Loaded {
            run: again,
            open: true,
        },
    );
    assert!(s.curves.is_empty());
}

#[test]
fn compare_selection_ticks_and_unticks() {
    let mut s = state_with_manifest();
    apply(&mut s, Action::Select("a".into()));
    apply(&mut s, Action::Select("b".into()));
    apply(&mut s, Action::Select("a".into()));
    assert_eq!(s.selected, ["b"]);
    apply(&mut s, Action::Compare(vec!["x".into(), "y".into()]));
    assert_eq!(
        route_of(&s).map(|r| r.target),
        Some(Target::Compare(vec!["x".into(), "y".into()]))
    );
    let first = s.runs[0].key.clone();
    apply(&mut s, Action::Open(first));
    assert!(s.compare.is_empty(), "opening a run closes the comparison");
    apply(&mut s, Action::Open("no such run".into()));
    assert!(s.open.is_some());
}

#[test]
fn next_and_previous_follow_the_list_and_stop_at_its_ends() {
    let mut s = state_with_manifest();
    apply(&mut s, Action::Step(-1));
    let first = s.open.clone();
    apply(&mut s, Action::Step(1));
    assert_ne!(s.open, first);
    for _ in 0..5 {
        apply(&mut s, Action::Step(1));
    }
    let last = s.open.clone();
    apply(&mut s, Action::Step(1));
    assert_eq!(s.open, last);
}

#[test]
fn the_filter_narrows_the_runs_list() {
    let mut s = state_with_manifest();
    apply(&mut s, Action::Filter("FAILED".into()));
    let shown: Vec<_> = visible_runs(&s)
        .into_iter()
        .flat_map(|(_, v)| v.into_iter().map(|r| r.label()))
        .collect();
    assert_eq!(shown, ["20251112-2201-c9d4"]);
}

#[test]
fn the_route_names_the_open_run_and_carries_its_chart() {
    let mut s = state_with_manifest();
    assert_eq!(
        route_of(&s).map(|r| r.target),
        Some(Target::Run(
            "http://h/samples/20251112-2201-c9d4/archive.md".into()
        ))
    );
    let chart = crate::share::url::ChartState::decode("step-2~loss~0.5~step~1~9~0");
    apply(&mut s, Action::Chart(chart.clone().expect("chart")));
    assert_eq!(route_of(&s).and_then(|r| r.chart), chart);
    apply(&mut s, Action::Step(1));
    assert_eq!(
        route_of(&s).and_then(|r| r.chart),
        None,
        "another run: the chart settings named a step of the previous one"
    );
    apply(&mut s, Action::ShowIndex(true));
    let r = route_of(&s).expect("index");
    assert_eq!(r.target, Target::Index);
    let dropped_run = dropped(B, "b/archive.md");
    apply(
        &mut s,
        Action::Loaded {
            run: dropped_run,
            open: true,
        },
    );
    apply(&mut s, Action::ShowIndex(false));
    let key = s.open.clone().expect("open");
    assert!(key.starts_with("b/archive.md@"), "{key}");
    assert_eq!(
        route_of(&s).map(|r| r.target),
        Some(Target::Open(key)),
        "a dropped run is named by its path and content hash"
    );
}

/// A link (`query`) opened, the manifest listed, and one of its other runs loaded before
/// the link's archive: while that is loading, nothing is open.
fn linked_with_a_listed_run_first(query: &str) -> AppState {
    let mut s = AppState::default();
    apply(&mut s, Action::Started);
    apply(&mut s, Action::Navigate(Box::new(Route::parse(query, ""))));
    apply(
        &mut s,
        Action::Manifest {
            base: "http://h/runs.json".into(),
            manifest: manifest(),
        },
    );
    apply(
        &mut s,
        Action::Loaded {
            run: hosted(B, "http://h/samples/20251110-1420-b7c2/archive.md"),
            open: false,
        },
    );
    assert_eq!(
        s.open, None,
        "a listed run does not open while the link's is loading"
    );
    s
}

#[test]
fn a_linked_run_slower_than_the_listed_ones_still_opens_with_its_chart() {
    let url = "http://h/samples/20251103-0853-a1f3/archive.md";
    let chart = "step-2~learning-rate~0.9~step~100~500~1";
    let mut s = linked_with_a_listed_run_first(&format!("run={url}&chart={chart}"));
    apply(
        &mut s,
        Action::Loaded {
            run: hosted(A, url),
            open: true,
        },
    );
    apply(&mut s, Action::Finished);
    assert_eq!(open_label(&s), "20251103-0853-a1f3");
    assert_eq!(
        route_of(&s).and_then(|r| r.chart),
        crate::share::url::ChartState::decode(chart),
        "the link's chart settings are kept"
    );
}

#[test]
fn a_linked_archive_that_cannot_be_read_leaves_the_first_run_open() {
    let mut s = linked_with_a_listed_run_first("run=http://h/missing.md");
    apply(
        &mut s,
        Action::Error(LoadError {
            what: "http://h/missing.md".into(),
            message: "HTTP 404".into(),
        }),
    );
    apply(&mut s, Action::Finished);
    assert_eq!(s.want, None);
    assert_eq!(
        s.open.as_deref(),
        s.runs.first().map(|r| r.key.as_str()),
        "once nothing is loading, the first run opens"
    );
    assert_eq!(s.errors.len(), 1, "the failed link is said once");
}

#[test]
fn nothing_is_named_while_a_link_is_loading() {
    let mut s = AppState::default();
    apply(
        &mut s,
        Action::Navigate(Box::new(Route::parse(
            "run=x.md&chart=step-1~~0.6~step~~~0",
            "",
        ))),
    );
    assert_eq!(route_of(&s), None, "the address is left as it was");
}

#[test]
fn back_and_forward_restore_the_view_and_its_settings() {
    let mut s = state_with_manifest();
    let r = Route::parse("view=index&status=failed&sort=run_id:asc", "");
    apply(&mut s, Action::Navigate(Box::new(r.clone())));
    assert!(s.index_view);
    assert_eq!(route_of(&s), Some(r));
    let url = s.runs[1].url.clone().expect("url");
    let r = Route::parse(&format!("run={url}&chart=step-2~~0.6~wall~~~1"), "#step-2");
    apply(&mut s, Action::Navigate(Box::new(r.clone())));
    assert!(!s.index_view);
    assert_eq!(open_label(&s), "20251110-1420-b7c2");
    assert_eq!(route_of(&s), Some(r), "the same address comes back out");
}

#[test]
fn the_theme_toggles() {
    let mut s = AppState::default();
    let next = s.theme.toggled();
    apply(&mut s, Action::Theme(next));
    assert_eq!(s.theme, Theme::Dark);
    assert_eq!(Theme::from_name("light"), Some(Theme::Light));
    assert_eq!(Theme::from_name("x"), None);
}

/// A manifest of copies: the same archive under two more folders.
fn copies() -> AppState {
    let mut m = manifest();
    let mut copy = m.runs[2].clone();
    copy.archive = "copies/a/archive.md".into();
    m.runs.push(copy.clone());
    copy.archive = "copies/b/archive.md".into();
    m.runs.push(copy);
    let mut s = AppState::default();
    apply(
        &mut s,
        Action::Manifest {
            base: "http://h/runs.json".into(),
            manifest: m,
        },
    );
    s
}

#[test]
fn archives_that_share_a_run_id_are_separate_runs() {
    let s = copies();
    assert_eq!(s.runs.len(), 5, "every archive listed");
    let same: Vec<_> = s
        .runs
        .iter()
        .filter(|r| r.label() == "20251103-0853-a1f3")
        .collect();
    assert_eq!(same.len(), 3);
    for r in &same {
        let other = same_run_id(&s, r).expect("marked");
        assert_ne!(other.key, r.key);
        assert_eq!(other.label(), r.label());
    }
    assert!(same_run_id(&s, &s.runs[0]).is_none());
}

#[test]
fn a_link_opens_the_file_it_names_not_another_with_its_run_id() {
    let mut s = copies();
    let url = "http://h/copies/b/archive.md";
    apply(
        &mut s,
        Action::Navigate(Box::new(Route::parse(&format!("run={url}"), ""))),
    );
    assert_eq!(s.open.as_deref(), Some(url));
    apply(
        &mut s,
        Action::Loaded {
            run: hosted(A, url),
            open: true,
        },
    );
    assert_eq!(s.open.as_deref(), Some(url));
    assert_eq!(s.runs.len(), 5, "loaded into its own row");
    assert_eq!(
        route_of(&s).map(|r| r.target),
        Some(Target::Run(url.into())),
        "the address keeps naming that file"
    );
    assert!(slot_for(&s, url).and_then(|x| x.run()).is_some());
    assert!(
        slot_for(&s, "http://h/copies/a/archive.md")
            .and_then(|x| x.run())
            .is_none(),
        "the other copy is untouched"
    );
}

#[test]
fn dropping_a_second_archive_with_a_known_run_id_keeps_both() {
    let mut s = AppState::default();
    apply(
        &mut s,
        Action::Loaded {
            run: dropped(A, "a/archive.md"),
            open: true,
        },
    );
    let edited = A.replace("status: success", "status: failed");
    assert_ne!(edited, A);
    apply(
        &mut s,
        Action::Loaded {
            run: dropped(&edited, "a-rerun/archive.md"),
            open: true,
        },
    );
    assert_eq!(s.runs.len(), 2);
    assert!(s.open.as_deref().is_some_and(|k| k.starts_with("a-rerun/")));
    // The same file dropped again is the same run.
    apply(
        &mut s,
        Action::Loaded {
            run: dropped(A, "a/archive.md"),
            open: false,
        },
    );
    assert_eq!(s.runs.len(), 2);
    // The same path with other content is another run.
    apply(
        &mut s,
        Action::Loaded {
            run: dropped(&edited, "a/archive.md"),
            open: false,
        },
    );
    assert_eq!(s.runs.len(), 3);
}

#[test]
fn a_run_id_in_a_link_opens_the_first_run_with_it() {
    let mut s = copies();
    apply(
        &mut s,
        Action::Navigate(Box::new(Route::parse("open=20251103-0853-a1f3", ""))),
    );
    assert_eq!(
        s.open.as_deref(),
        Some("http://h/samples/20251103-0853-a1f3/archive.md")
    );
}

#[test]
fn a_loaded_run_keeps_the_sparkline_its_manifest_entry_carries() {
    let mut s = state_with_manifest();
    let url = s.runs[2].url.clone().expect("url");
    let listed = s.runs[2].meta.sparkline.clone();
    assert!(!listed.is_empty(), "the bundled manifest has sparklines");
    apply(
        &mut s,
        Action::Loaded {
            run: hosted(A, &url),
            open: false,
        },
    );
    let slot = slot_for(&s, &url).expect("slot");
    assert!(slot.run().is_some());
    assert_eq!(slot.meta.sparkline, listed);
}

#[test]
fn the_workspace_opens_from_a_link_keeps_its_settings_and_closes_on_another_view() {
    let mut s = state_with_manifest();
    let route = Route::parse(
        "workspace=a,b,c&wtag=loss&wstep=both&wrobust=1&whide=0,2&wsolo=1&wsync=0&wpz=lm%20loss~1~5&wpz=lr~0.5~2",
        "",
    );
    apply(&mut s, Action::Navigate(Box::new(route.clone())));
    assert_eq!(s.workspace, ["a", "b", "c"]);
    let v = &s.workspace_view;
    assert_eq!(v.hidden, [0, 2].into_iter().collect());
    assert_eq!(v.solo, Some(1));
    assert_eq!(v.panel_zooms.get("lm loss"), Some(&(1.0, 5.0)));
    assert_eq!(v.panel_zooms.get("lr"), Some(&(0.5, 2.0)));
    let back = route_of(&s).expect("a route");
    assert_eq!(
        back.target,
        Target::Workspace(vec!["a".into(), "b".into(), "c".into()])
    );
    assert_eq!(back.workspace, route.workspace);
    assert!(s.workspace_view.robust);
    // A zoom is a setting: the same history entry, rewritten.
    let mut v = s.workspace_view.clone();
    v.zoom = Some((10.0, 20.0));
    apply(&mut s, Action::WorkspaceView(v));
    let zoomed = route_of(&s).expect("a route");
    assert_eq!(
        back.history_op(&zoomed),
        Some(crate::share::route::HistoryOp::Replace)
    );
    // Other runs drop the zoom; the runs table closes the workspace.
    apply(&mut s, Action::Workspace(vec!["a".into()]));
    assert_eq!(s.workspace_view.zoom, None);
    // ... and the hidden runs, the one shown alone and the panels' zooms (positions and x
    // ranges of the old list).
    assert!(s.workspace_view.hidden.is_empty() && s.workspace_view.panel_zooms.is_empty());
    assert_eq!(s.workspace_view.solo, None);
    assert_eq!(s.workspace_view.tags, "loss");
    apply(&mut s, Action::ShowIndex(true));
    assert!(s.workspace.is_empty());
    assert_eq!(route_of(&s).map(|r| r.workspace), Some(Default::default()));
}

#[test]
fn shards_are_listed_as_they_arrive_and_a_failed_one_is_named_while_the_rest_stay() {
    let mut s = AppState::default();
    apply(&mut s, Action::Shards(3));
    assert!(s.shards.pending());
    let m = manifest();
    let (first, rest) = m.runs.split_at(1);
    apply(
        &mut s,
        Action::ShardsRead(vec![(
            "http://h/shards/runs-a.json".into(),
            Manifest {
                runs: first.to_vec(),
                ..m.clone()
            },
        )]),
    );
    let failed = LoadError {
        what: "http://h/shards/runs-b.json".into(),
        message: "HTTP 500".into(),
    };
    apply(&mut s, Action::ShardFailed(failed.clone()));
    apply(
        &mut s,
        Action::ShardsRead(vec![(
            "http://h/shards/runs-c.json".into(),
            Manifest {
                runs: rest.to_vec(),
                ..m.clone()
            },
        )]),
    );
    assert!(!s.shards.pending());
    assert_eq!((s.shards.read, s.shards.runs), (2, 3));
    assert_eq!(s.shards.failed, vec![failed.clone()]);
    assert!(s.errors.contains(&failed));
    assert_eq!(s.runs.len(), 3);
    // Each run's archive is relative to its shard.
    assert_eq!(
        s.runs[0].url.as_deref(),
        Some("http://h/shards/samples/20251112-2201-c9d4/archive.md")
    );
}

/// Closing a run drops its curves (and nothing else's), unticks it everywhere, and opens
/// the next run; a dropped run leaves the list, a hosted one goes back to listed.
#[test]
fn closing_a_run_drops_its_curves_and_opens_the_next() {
    let mut s = state_with_manifest();
    for (text, path) in [(A, "a/archive.md"), (B, "b/archive.md")] {
        apply(
            &mut s,
            Action::Loaded {
                run: dropped(text, path),
                open: true,
            },
        );
    }
    let keys: Vec<String> = s.runs.iter().map(|r| r.key.clone()).collect();
    let dropped_key = s.open.clone().expect("the last dropped run is open");
    let other = keys
        .iter()
        .find(|k| **k != dropped_key)
        .expect("another run")
        .clone();
    for k in [&dropped_key, &other] {
        apply(
            &mut s,
            Action::CurveProgress {
                key: format!("{k}::train.log::mem"),
                read: 1,
                total: 2,
            },
        );
        apply(&mut s, Action::Select(k.clone()));
    }
    let n = s.runs.len();
    apply(&mut s, Action::Close(dropped_key.clone()));
    assert_eq!(s.runs.len(), n - 1, "the dropped run left the list");
    assert!(s.runs.iter().all(|r| r.key != dropped_key));
    assert_eq!(
        s.curves.keys().cloned().collect::<Vec<_>>(),
        [format!("{other}::train.log::mem")],
        "only the closed run's curves are gone"
    );
    assert_eq!(s.selected, std::slice::from_ref(&other));
    let open = s.open.clone().expect("another run opens");
    assert_ne!(open, dropped_key);

    // A hosted run is unloaded but stays listed.
    let hosted_key = s
        .runs
        .iter()
        .find(|r| r.url.is_some())
        .expect("hosted")
        .key
        .clone();
    let url = s
        .runs
        .iter()
        .find(|r| r.key == hosted_key)
        .and_then(|r| r.url.clone());
    apply(
        &mut s,
        Action::Loaded {
            run: hosted(A, url.as_deref().unwrap_or_default()),
            open: true,
        },
    );
    let open = s.open.clone().expect("open");
    let n = s.runs.len();
    apply(&mut s, Action::Close(open.clone()));
    assert_eq!(s.runs.len(), n, "a hosted run stays listed");
    let slot = s.runs.iter().find(|r| r.key == open).expect("still listed");
    assert_eq!(slot.load, Load::Listed);
    assert_ne!(s.open.as_deref(), Some(open.as_str()));
    // Closing what is not there changes nothing.
    let before = s.runs.len();
    apply(&mut s, Action::Close("no such run".into()));
    assert_eq!(s.runs.len(), before);
}
