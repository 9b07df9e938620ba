//! The runs query language as a user meets it: queries with known answers over the bundled
//! sample runs, an old (version 1) manifest, and generated runs whose settings are known;
//! errors that point at what was typed wrong; field names that complete.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should stop the test

use runlens::archive::parse;
use runlens::query::synth::{knobs, synth_run};
use runlens::query::{complete, fields_of, FieldTable, FieldValue, Query};
use runlens::runs::parse_manifest;

const SAMPLES: [&str; 3] = [
    "20251103-0853-a1f3",
    "20251110-1420-b7c2",
    "20251112-2201-c9d4",
];

fn sample_table() -> FieldTable {
    let mut t = FieldTable::new();
    for run in SAMPLES {
        let text = std::fs::read_to_string(format!(
            "{}/static/samples/{run}/archive.md",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        t.push(&fields_of(&parse(&text).archive));
    }
    t
}

/// The run ids a query selects, in table order.
fn ids(t: &FieldTable, q: &str) -> Vec<String> {
    let query = Query::new(q, t).unwrap_or_else(|e| panic!("{q}: {}", e.caret(q)));
    query
        .select(t)
        .into_iter()
        .map(|r| {
            t.value(r, "run_id")
                .map(|v| v.display())
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn sample_runs_answer_queries_by_what_their_archives_say() {
    let t = sample_table();
    // Each archive's SFT lr, as written: a1f3 2e-06, b7c2 4e-06; c9d4 failed in CPT.
    assert_eq!(ids(&t, "train.sft.lr > 3e-6"), ["20251110-1420-b7c2"]);
    assert_eq!(ids(&t, "train.sft.lr = 0.000002"), ["20251103-0853-a1f3"]);
    assert_eq!(ids(&t, "train.cpt.lr = 1e-05"), SAMPLES);
    assert_eq!(ids(&t, "status = failed"), ["20251112-2201-c9d4"]);
    assert_eq!(
        ids(&t, "host = \"gpu-node-07\" and peak_vram_gb >= 73.4"),
        ["20251103-0853-a1f3", "20251112-2201-c9d4"]
    );
    assert_eq!(ids(&t, "eval.gsm8k > 0.81"), ["20251103-0853-a1f3"]);
    assert_eq!(ids(&t, "not eval.mmlu"), ["20251112-2201-c9d4"]);
    assert_eq!(
        ids(&t, "dep.transformers ~ \"^4\\\\.47\""),
        ["20251110-1420-b7c2"]
    );
    assert_eq!(
        t.value(1, "train.cpt.final_loss"),
        Some(FieldValue::Num(1.5753)),
        "training figures under the step's name and stage"
    );
}

#[test]
fn an_unknown_field_names_itself_and_the_nearest_known_one() {
    let t = sample_table();
    let q = "status = success and train.sft.lrr > 1e-6";
    let e = Query::new(q, &t).unwrap_err();
    assert_eq!(&q[e.start..e.end], "train.sft.lrr");
    assert_eq!(
        e.message,
        "unknown field `train.sft.lrr`; did you mean `train.sft.lr`?"
    );
    let e = Query::new("peak_vram > 70", &t).unwrap_err();
    assert_eq!(
        e.message,
        "unknown field `peak_vram`; did you mean `peak_vram_gb`?"
    );
    let e = Query::new("status = (failed)", &t).unwrap_err();
    assert_eq!(e.start, 9, "{e}");
}

#[test]
fn field_names_complete_from_what_the_runs_have() {
    let t = sample_table();
    let got = complete(&t, "eval.", 100);
    assert_eq!(
        got.len(),
        5 + 6 + 2,
        "5 results, the eval step's 6 params, its status and metrics.duration_sec: {got:?}"
    );
    assert!(got.contains(&"eval.medqa_4opt".to_string()));
    assert_eq!(
        complete(&t, "train.cpt.micro", 5),
        ["train.cpt.micro_batch_size"]
    );
}

#[test]
fn a_version_1_manifest_still_loads_and_answers_on_the_fields_it_has() {
    // The shape `runlens index` wrote before fields existed.
    let v1 = r#"{"version":1,"runs":[
        {"archive":"a/archive.md","run_id":"a","status":"failed","started_at":"2025-11-12 21:56:40","duration_sec":21285.0,"final_losses":{"cpt":1.65224}},
        {"archive":"b/archive.md","run_id":"b","status":"success","final_losses":{"cpt":1.5753,"sft":0.87729},"eval":{"mmlu":0.7046},"completeness":100.0}]}"#;
    let m = parse_manifest(v1).unwrap();
    let mut t = FieldTable::new();
    for r in &m.runs {
        t.push(&r.query_fields());
    }
    assert_eq!(ids(&t, "train.cpt.final_loss < 1.6"), ["b"]);
    assert_eq!(ids(&t, "status = failed and duration_sec > 2e4"), ["a"]);
    assert_eq!(
        ids(&t, "eval.mmlu >= 70.46%"),
        Vec::<String>::new(),
        "0.7046 is not 70.46"
    );
    assert_eq!(ids(&t, "completeness = 100%"), ["b"]);
}

#[test]
fn the_bundled_manifest_carries_the_fields_of_its_archives() {
    let text = std::fs::read_to_string(format!("{}/static/runs.json", env!("CARGO_MANIFEST_DIR")))
        .unwrap();
    let m = parse_manifest(&text).unwrap();
    let mut from_manifest = FieldTable::new();
    for r in &m.runs {
        from_manifest.push(&r.query_fields());
    }
    let from_archives = sample_table();
    for q in [
        "train.sft.lr > 3e-6",
        "status = failed",
        "eval.gsm8k > 0.81",
        "train.cpt.loss_at_1b < 1.7",
    ] {
        let mut a = ids(&from_manifest, q);
        let mut b = if q.contains("loss_at") {
            a.clone()
        } else {
            ids(&from_archives, q)
        };
        a.sort();
        b.sort();
        assert_eq!(a, b, "{q}");
    }
    // The loss after 1B tokens comes from the curves (the archives alone do not have it).
    assert_eq!(ids(&from_manifest, "train.cpt.loss_at_1b").len(), 3);
}

#[test]
fn generated_runs_answer_with_the_counts_the_generator_put_in() {
    let n = 600;
    let mut t = FieldTable::new();
    for i in 0..n {
        t.push(&fields_of(&parse(&synth_run(i)).archive));
    }
    let all: Vec<_> = (0..n).map(knobs).collect();
    let count = |q: &str| {
        Query::new(q, &t)
            .unwrap_or_else(|e| panic!("{q}: {e}"))
            .select(&t)
            .len()
    };
    let truth =
        |f: &dyn Fn(&runlens::query::synth::Knobs) -> bool| all.iter().filter(|k| f(k)).count();
    assert_eq!(count("train.cpt.lr >= 2e-5"), truth(&|k| k.cpt_lr >= 2e-5));
    // The generator writes 1e-5 as `1e-05` and as `0.00001`: one value.
    assert_eq!(count("train.cpt.lr = 1.0E-5"), truth(&|k| k.cpt_lr == 1e-5));
    assert_eq!(count("status = failed"), truth(&|k| k.failed));
    assert_eq!(
        count("status = failed and host = gpu-node-07"),
        truth(&|k| k.failed && k.host == "gpu-node-07")
    );
    assert_eq!(
        count("eval.mmlu > 0.7 or train.cpt.global_batch_size = 128"),
        truth(&|k| k.mmlu.is_some_and(|m| m > 0.7) || k.cpt_gbs == 128)
    );
    assert_eq!(
        count("train.cpt.final_loss < 1.5"),
        truth(&|k| k.cpt_final_loss < 1.5)
    );
    assert_eq!(count("gpu_util_avg_pct >= 90%"), {
        // Written as `NN%`: check against the archive text itself.
        (0..n)
            .filter(|&i| {
                let s = synth_run(i);
                let v = s.split("gpu_util_avg_pct: ").nth(1).unwrap();
                v[..v.find('%').unwrap()].parse::<f64>().unwrap() >= 90.0
            })
            .count()
    });
}
