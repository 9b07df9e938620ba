//! The manifest of hosted runs (`runs.json`): what it holds ([`Manifest`], [`ManifestRun`],
//! [`ShardRef`]) and its file format. Versions 1 and 2 are read; version 3 is written
//! ([`ManifestWriter`]): field names once, in a `names` table, and each run's fields as
//! `[id, value, id, value, ...]`, one run a line.
//!
//! Invariant: a manifest read back equals the one written (round trip); a damaged one is an
//! error saying where. Pure: no yew/web_sys/gloo/wasm_bindgen, no I/O.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::query::{FieldValue, Fields};

/// The manifest of hosted runs (`runs.json` next to the page).
///
/// Version 2 adds each run's query `fields` and, in a top manifest written with
/// `runlens index --shard`, the `shards` it lists instead of runs; version 3 writes the
/// fields' names once (`names`) and each run's fields by id (`f`). Read with
/// [`parse_manifest`] (any version), written with [`ManifestWriter`] / [`manifest_text`]
/// (version 3; this struct's own `Serialize` gives the version 2 shape). Version 1 manifests
/// (no `fields`) still load: [`ManifestRun::query_fields`] derives what it can from them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Manifest {
    /// Format version: 1, or [`MANIFEST_VERSION`].
    #[serde(default = "one")]
    pub version: u32,
    /// The runs, in the order to list them.
    #[serde(default)]
    pub runs: Vec<ManifestRun>,
    /// Other manifests holding the runs (a top manifest of shards), relative to this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shards: Vec<ShardRef>,
}

/// The manifest format version `runlens index` writes.
pub const MANIFEST_VERSION: u32 = 3;

/// One shard listed by a top manifest: a manifest of the runs of one experiment or month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ShardRef {
    /// URL of the shard's manifest, relative to the top manifest.
    pub manifest: String,
    /// What its runs share: the experiment name, or the month (`2025-11`).
    pub key: String,
    /// How many runs it lists.
    pub count: usize,
}

fn one() -> u32 {
    1
}

/// One run of the manifest: where its archive is, and the fields the runs list shows
/// before the archive is fetched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ManifestRun {
    /// URL of the archive, relative to the manifest.
    pub archive: String,
    /// URLs of the files that came with it, relative to the manifest.
    #[serde(default)]
    pub files: Vec<String>,
    /// `summary.experiment`.
    #[serde(default)]
    pub experiment: Option<String>,
    /// `summary.run_id`.
    #[serde(default)]
    pub run_id: Option<String>,
    /// `summary.status`.
    #[serde(default)]
    pub status: Option<String>,
    /// `summary.started_at`.
    #[serde(default)]
    pub started_at: Option<String>,
    /// `summary.duration_sec`.
    #[serde(default)]
    pub duration_sec: Option<f64>,
    /// `summary.gpus`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpus: Option<String>,
    /// Final loss of each train step, by stage (`cpt`, `sft`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub final_losses: BTreeMap<String, f64>,
    /// Eval scores by metric.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub eval: BTreeMap<String, f64>,
    /// Template fields filled, percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completeness: Option<f64>,
    /// The first train step's loss curve for a sparkline: min and max of 48 buckets, scaled
    /// to 0..=255 and base64url-encoded (compact: a 10,000-run manifest stays fast to read).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sparkline: String,
    /// The run's query fields by name (version 2; [`crate::query::fields_of`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: crate::query::Fields,
}

impl ManifestRun {
    /// The fields a query sees: `fields`, plus those a version 1 entry carries (summary
    /// fields, `train.STAGE.final_loss`, `eval.METRIC`, `completeness`) where absent.
    pub fn query_fields(&self) -> crate::query::Fields {
        use crate::query::FieldValue::{Num, Text};
        let mut f = self.fields.clone();
        let text = [
            ("experiment", &self.experiment),
            ("run_id", &self.run_id),
            ("status", &self.status),
            ("started_at", &self.started_at),
            ("gpus", &self.gpus),
        ];
        for (k, v) in text {
            if let Some(v) = v {
                f.entry(k.to_string()).or_insert_with(|| Text(v.clone()));
            }
        }
        let nums = self
            .final_losses
            .iter()
            .map(|(st, v)| (format!("train.{st}.final_loss"), *v));
        let nums = nums
            .chain(self.eval.iter().map(|(m, v)| (format!("eval.{m}"), *v)))
            .chain(self.duration_sec.map(|d| ("duration_sec".to_string(), d)))
            .chain(self.completeness.map(|c| ("completeness".to_string(), c)));
        for (k, v) in nums {
            f.entry(k).or_insert(Num(v));
        }
        f
    }
}

/// Reads a manifest of any version (1, 2 or 3); the error says what is wrong and where.
pub fn parse_manifest(text: &str) -> Result<Manifest, String> {
    // serde_json's message already says where (line and column).
    let w: Wire = serde_json::from_str(text).map_err(|e| format!("not a runs manifest: {e}"))?;
    let names = w.names;
    let mut runs = Vec::with_capacity(w.runs.len());
    for (i, r) in w.runs.into_iter().enumerate() {
        let mut fields = r.fields;
        for (id, v) in r.f.0 {
            let Some(name) = names.get(id as usize) else {
                return Err(format!(
                    "not a runs manifest: run {} ({}) names field {id}, but `names` holds {}",
                    i + 1,
                    r.archive,
                    names.len()
                ));
            };
            fields.insert(name.clone(), v);
        }
        runs.push(ManifestRun {
            archive: r.archive,
            files: r.files,
            experiment: r.experiment,
            run_id: r.run_id,
            status: r.status,
            started_at: r.started_at,
            duration_sec: r.duration_sec,
            gpus: r.gpus,
            final_losses: r.final_losses,
            eval: r.eval,
            completeness: r.completeness,
            sparkline: r.sparkline,
            fields,
        });
    }
    Ok(Manifest {
        version: w.version,
        runs,
        shards: w.shards,
    })
}

/// A manifest file as written, any version.
#[derive(Deserialize)]
struct Wire {
    #[serde(default = "one")]
    version: u32,
    /// Version 3: the field names each run's `f` refers to by position.
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    runs: Vec<WireRun>,
    #[serde(default)]
    shards: Vec<ShardRef>,
}

/// One run as written: [`ManifestRun`]'s keys, its fields by name (version 2) or by id (3).
#[derive(Deserialize)]
struct WireRun {
    archive: String,
    #[serde(default)]
    files: Vec<String>,
    #[serde(default)]
    experiment: Option<String>,
    #[serde(default)]
    run_id: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    started_at: Option<String>,
    #[serde(default)]
    duration_sec: Option<f64>,
    #[serde(default)]
    gpus: Option<String>,
    #[serde(default)]
    final_losses: BTreeMap<String, f64>,
    #[serde(default)]
    eval: BTreeMap<String, f64>,
    #[serde(default)]
    completeness: Option<f64>,
    #[serde(default)]
    sparkline: String,
    #[serde(default)]
    fields: Fields,
    #[serde(default)]
    f: IdValues,
}

/// A run's fields as `[id, value, id, value, ...]` (version 3).
#[derive(Default)]
struct IdValues(Vec<(u32, FieldValue)>);

impl<'de> Deserialize<'de> for IdValues {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<IdValues, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = IdValues;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of field ids each followed by its value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<IdValues, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0) / 2);
                while let Some(id) = seq.next_element::<u32>()? {
                    let Some(v) = seq.next_element::<FieldValue>()? else {
                        return Err(de::Error::custom(format!("field id {id} has no value")));
                    };
                    out.push((id, v));
                }
                Ok(IdValues(out))
            }
        }
        d.deserialize_seq(V)
    }
}

/// A run's fields by id, written as `[id, value, ...]`.
struct IdSlice<'a>(&'a [(u32, &'a FieldValue)]);

impl Serialize for IdSlice<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.0.len() * 2))?;
        for (id, v) in self.0 {
            seq.serialize_element(id)?;
            seq.serialize_element(v)?;
        }
        seq.end()
    }
}

/// One run as version 3 writes it (borrowed from a [`ManifestRun`]).
#[derive(Serialize)]
struct WireRunOut<'a> {
    archive: &'a str,
    #[serde(skip_serializing_if = "no_files")]
    files: &'a [String],
    #[serde(skip_serializing_if = "no")]
    experiment: &'a Option<String>,
    #[serde(skip_serializing_if = "no")]
    run_id: &'a Option<String>,
    #[serde(skip_serializing_if = "no")]
    status: &'a Option<String>,
    #[serde(skip_serializing_if = "no")]
    started_at: &'a Option<String>,
    #[serde(skip_serializing_if = "no")]
    duration_sec: &'a Option<f64>,
    #[serde(skip_serializing_if = "no")]
    gpus: &'a Option<String>,
    #[serde(skip_serializing_if = "no_entries")]
    final_losses: &'a BTreeMap<String, f64>,
    #[serde(skip_serializing_if = "no_entries")]
    eval: &'a BTreeMap<String, f64>,
    #[serde(skip_serializing_if = "no")]
    completeness: &'a Option<f64>,
    #[serde(skip_serializing_if = "no_text")]
    sparkline: &'a str,
    f: IdSlice<'a>,
}

fn no<T>(o: &&Option<T>) -> bool {
    o.is_none()
}

fn no_files(f: &&[String]) -> bool {
    f.is_empty()
}

fn no_entries(m: &&BTreeMap<String, f64>) -> bool {
    m.is_empty()
}

fn no_text(s: &&str) -> bool {
    s.is_empty()
}

/// One run encoded for a version 3 manifest: its line, and how much of the names table it
/// needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedRun {
    /// The run as one line of JSON (field names as ids into the writer's table).
    pub json: String,
    /// One more than the highest field id it uses (0 when it has no fields).
    pub names_used: u32,
}

/// Writes version 3 manifests. Field names get ids in the order they are first seen and
/// keep them, so a run encoded once (and kept by `runlens index`'s cache) stays valid for
/// every later manifest written with the same table; a manifest's `names` is the table cut
/// at the highest id its runs use, so one whose runs did not change is written again byte
/// for byte.
#[derive(Debug, Clone, Default)]
pub struct ManifestWriter {
    names: Vec<String>,
    ids: HashMap<String, u32>,
}

impl ManifestWriter {
    /// An empty table.
    pub fn new() -> ManifestWriter {
        ManifestWriter::default()
    }

    /// Continues the table `names` (as [`ManifestWriter::names`] gave it earlier).
    pub fn with_names(names: Vec<String>) -> ManifestWriter {
        let ids = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i as u32))
            .collect();
        ManifestWriter { names, ids }
    }

    /// The field names by id.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Each of `fields` with its id (new names get the next ids), in name order.
    pub fn ids<'a>(&mut self, fields: &'a Fields) -> Vec<(u32, &'a FieldValue)> {
        fields
            .iter()
            .map(|(name, v)| {
                let id = match self.ids.get(name) {
                    Some(&id) => id,
                    None => {
                        let id = self.names.len() as u32;
                        self.names.push(name.clone());
                        self.ids.insert(name.clone(), id);
                        id
                    }
                };
                (id, v)
            })
            .collect()
    }

    /// `run` as one line of a version 3 manifest.
    pub fn encode_run(&mut self, run: &ManifestRun) -> EncodedRun {
        let ids = self.ids(&run.fields);
        encode_with_ids(run, &ids)
    }

    /// The text of a version 3 manifest of `runs` (encoded by this writer) and `shards`.
    pub fn text<'a>(
        &self,
        runs: impl IntoIterator<Item = &'a EncodedRun>,
        shards: &[ShardRef],
    ) -> String {
        let runs: Vec<&EncodedRun> = runs.into_iter().collect();
        let used = runs.iter().map(|r| r.names_used).max().unwrap_or(0) as usize;
        let names = self.names.get(..used).unwrap_or(&self.names);
        let size: usize = runs.iter().map(|r| r.json.len() + 2).sum();
        let mut out = String::with_capacity(size + 64 * names.len() + 64);
        out.push_str(&format!("{{\"version\":{MANIFEST_VERSION},\"names\":"));
        out.push_str(&serde_json::to_string(names).unwrap_or_else(|_| "[]".into()));
        out.push_str(",\"runs\":[");
        for (i, r) in runs.iter().enumerate() {
            out.push_str(if i == 0 { "\n" } else { ",\n" });
            out.push_str(&r.json);
        }
        if !runs.is_empty() {
            out.push('\n');
        }
        out.push(']');
        if !shards.is_empty() {
            out.push_str(",\"shards\":");
            out.push_str(&serde_json::to_string(shards).unwrap_or_else(|_| "[]".into()));
        }
        out.push_str("}\n");
        out
    }
}

/// `run` as one line of a version 3 manifest, its fields given as ids.
pub fn encode_with_ids(run: &ManifestRun, ids: &[(u32, &FieldValue)]) -> EncodedRun {
    let out = WireRunOut {
        archive: &run.archive,
        files: &run.files,
        experiment: &run.experiment,
        run_id: &run.run_id,
        status: &run.status,
        started_at: &run.started_at,
        duration_sec: &run.duration_sec,
        gpus: &run.gpus,
        final_losses: &run.final_losses,
        eval: &run.eval,
        completeness: &run.completeness,
        sparkline: &run.sparkline,
        f: IdSlice(ids),
    };
    EncodedRun {
        // Nothing in a run can fail to serialize (numbers are finite, keys are text).
        json: serde_json::to_string(&out).unwrap_or_default(),
        names_used: ids.iter().map(|(id, _)| id + 1).max().unwrap_or(0),
    }
}

/// A whole manifest as version 3 text (its runs' field names in the order first seen).
pub fn manifest_text(m: &Manifest) -> String {
    let mut w = ManifestWriter::new();
    let runs: Vec<EncodedRun> = m.runs.iter().map(|r| w.encode_run(r)).collect();
    w.text(&runs, &m.shards)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(i: usize, extra: &[(&str, FieldValue)]) -> ManifestRun {
        let mut fields = Fields::new();
        fields.insert("status".into(), FieldValue::Text("success".into()));
        fields.insert("train.cpt.lr".into(), FieldValue::Num(1e-5 * i as f64));
        fields.insert("done".into(), FieldValue::Bool(i % 2 == 0));
        for (k, v) in extra {
            fields.insert((*k).into(), v.clone());
        }
        ManifestRun {
            archive: format!("r{i}/archive.md"),
            files: vec![format!("r{i}/logs/train.log")],
            experiment: Some("exp".into()),
            run_id: Some(format!("r{i}")),
            status: Some("success".into()),
            started_at: Some(format!("2025-11-0{} 10:00:00", i + 1)),
            duration_sec: Some(3600.5),
            gpus: None,
            final_losses: [("cpt".to_string(), 1.5)].into(),
            eval: [("mmlu".to_string(), 0.7)].into(),
            completeness: Some(99.0),
            sparkline: "AAEC".into(),
            fields,
        }
    }

    #[test]
    fn version_3_round_trips_and_names_each_field_once() {
        let m = Manifest {
            version: MANIFEST_VERSION,
            runs: vec![run(1, &[]), run(2, &[("eval.law", FieldValue::Num(0.25))])],
            shards: Vec::new(),
        };
        let text = manifest_text(&m);
        assert_eq!(text.matches("train.cpt.lr").count(), 1, "{text}");
        // One run a line: a diff of two manifests shows the runs that changed.
        assert_eq!(text.lines().count(), 4, "{text}");
        assert_eq!(parse_manifest(&text), Ok(m));
    }

    #[test]
    fn a_top_manifest_round_trips_its_shards() {
        let m = Manifest {
            version: MANIFEST_VERSION,
            runs: Vec::new(),
            shards: vec![ShardRef {
                manifest: "runs-exp.json".into(),
                key: "exp".into(),
                count: 2,
            }],
        };
        assert_eq!(parse_manifest(&manifest_text(&m)), Ok(m));
    }

    #[test]
    fn versions_1_and_2_still_load() {
        let v1 = r#"{"runs":[{"archive":"a.md","run_id":"a","status":"failed","final_losses":{"cpt":1.6}}]}"#;
        let m = parse_manifest(v1).unwrap();
        assert_eq!(m.version, 1);
        let q = m.runs[0].query_fields();
        assert_eq!(q.get("status"), Some(&FieldValue::Text("failed".into())));
        assert_eq!(q.get("train.cpt.final_loss"), Some(&FieldValue::Num(1.6)));
        let v2 = r#"{"version":2,"runs":[{"archive":"a.md","experiment":null,
            "fields":{"train.cpt.lr":0.00001,"done":true}}],
            "shards":[{"manifest":"runs-x.json","key":"x","count":1}]}"#;
        let m = parse_manifest(v2).unwrap();
        assert_eq!(m.version, 2);
        assert_eq!(
            m.runs[0].fields.get("train.cpt.lr"),
            Some(&FieldValue::Num(1e-5))
        );
        assert_eq!(m.runs[0].fields.get("done"), Some(&FieldValue::Bool(true)));
        assert_eq!(m.shards[0].count, 1);
    }

    #[test]
    fn a_field_id_outside_the_names_is_an_error_naming_the_run() {
        let bad = r#"{"version":3,"names":["status"],"runs":[
            {"archive":"a.md","f":[0,"ok"]},
            {"archive":"b.md","f":[0,"ok",7,1]}]}"#;
        let e = parse_manifest(bad).unwrap_err();
        assert!(e.contains("run 2 (b.md)") && e.contains("field 7"), "{e}");
        let odd = r#"{"version":3,"names":["status"],"runs":[{"archive":"a.md","f":[0]}]}"#;
        let e = parse_manifest(odd).unwrap_err();
        assert!(e.contains("field id 0 has no value"), "{e}");
    }

    #[test]
    fn a_runs_line_stays_valid_as_the_table_grows_and_unchanged_manifests_keep_their_bytes() {
        let mut w = ManifestWriter::new();
        let a = w.encode_run(&run(1, &[]));
        let before = w.text([&a], &[]);
        // Another shard's run brings a new name: this shard's text is unchanged.
        let b = w.encode_run(&run(2, &[("eval.new", FieldValue::Num(1.0))]));
        assert_eq!(w.text([&a], &[]), before);
        assert_eq!(b.names_used as usize, w.names().len());
        // A writer continued from the kept names encodes the same way.
        let mut again = ManifestWriter::with_names(w.names().to_vec());
        assert_eq!(
            again.encode_run(&run(2, &[("eval.new", FieldValue::Num(1.0))])),
            b
        );
        let both = parse_manifest(&w.text([&a, &b], &[])).unwrap();
        assert_eq!(
            both.runs,
            vec![run(1, &[]), run(2, &[("eval.new", FieldValue::Num(1.0))])]
        );
    }
}
