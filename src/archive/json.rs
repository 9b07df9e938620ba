//! The archive model as JSON, in the shape `runlens inspect --json` promises: keys are the
//! template's own names, values typed, unfilled placeholders `null`.
//!
//! Pure: builds `serde_json` values, no I/O. The shape lives here, apart from the model, so
//! the model can change without breaking scripts that read the JSON.

use serde_json::{json, Map as JsonMap, Value as Json};

use super::completeness::{Completeness, FieldState};
use super::model::{snapshot_file, Archive, KeyValues, RawLine, Step, Table, STEP_KEYS};
use super::parse::Parsed;
use super::value::{Map, Node, Value};

/// A node as JSON: placeholders and empty values are `null`.
pub fn node_json(node: &Node) -> Json {
    match &node.value {
        Value::Empty | Value::Unfilled => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::Str(s) => Json::String(s.clone()),
        Value::List(items) => Json::Array(items.iter().map(node_json).collect()),
        Value::Map(m) => Json::Object(map_json(m)),
    }
}

/// A map as a JSON object; for a repeated key the first value is kept.
pub fn map_json(map: &Map) -> JsonMap<String, Json> {
    let mut out = JsonMap::new();
    for (k, n) in map.iter() {
        if !out.contains_key(k) {
            out.insert(k.to_string(), node_json(n));
        }
    }
    out
}

fn kv_json(kv: &KeyValues) -> JsonMap<String, Json> {
    map_json(&kv.fields)
}

/// Rows of a table as objects keyed by column name; cells past the header are
/// `column_N`.
fn table_json(t: &Table, columns: &[&str]) -> Vec<Json> {
    t.rows
        .iter()
        .map(|row| {
            let mut o = JsonMap::new();
            for (i, name) in columns.iter().enumerate() {
                let v = t.cell(row, name, i).map_or(Json::Null, |c| {
                    node_json(&Node::scalar(row.line, &c.text, c.value.clone()))
                });
                o.insert(name.to_string(), v);
            }
            for (i, c) in row.cells.iter().enumerate() {
                let name = t
                    .columns
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| format!("column_{}", i + 1));
                if !o.contains_key(&name) {
                    o.insert(
                        name,
                        node_json(&Node::scalar(row.line, &c.text, c.value.clone())),
                    );
                }
            }
            Json::Object(o)
        })
        .collect()
}

fn step_json(step: &Step) -> Json {
    let mut o = JsonMap::new();
    for k in STEP_KEYS.iter() {
        let v = match *k {
            "warnings" => match step.get(k).map(|n| &n.value) {
                Some(Value::List(_)) | Some(Value::Str(_)) => {
                    Json::Array(step.warnings().into_iter().map(Json::String).collect())
                }
                _ => Json::Array(Vec::new()),
            },
            "eval" => match step.get(k) {
                Some(n) => eval_json(n),
                None => Json::Null,
            },
            _ => step.get(k).map_or(Json::Null, node_json),
        };
        o.insert(k.to_string(), v);
    }
    for (k, n) in step.fields.iter() {
        if !o.contains_key(k) {
            o.insert(k.to_string(), node_json(n));
        }
    }
    Json::Object(o)
}

fn eval_json(node: &Node) -> Json {
    let Some(m) = node.as_map() else {
        return node_json(node);
    };
    let mut o = JsonMap::new();
    o.insert(
        "datasets".into(),
        match m.get("datasets") {
            Some(n) => match &n.value {
                Value::Str(s) => Json::Array(
                    s.split(',')
                        .map(|p| Json::String(p.trim().to_string()))
                        .collect(),
                ),
                _ => node_json(n),
            },
            None => Json::Null,
        },
    );
    o.insert(
        "results".into(),
        m.get("results").map_or(Json::Null, node_json),
    );
    o.insert(
        "script".into(),
        match m.get("script") {
            Some(n) => match n.as_map() {
                Some(s) => {
                    let mut so = JsonMap::new();
                    so.insert("path".into(), s.get("path").map_or(Json::Null, node_json));
                    so.insert(
                        "version".into(),
                        s.get("version").map_or(Json::Null, node_json),
                    );
                    for (k, v) in map_json(s) {
                        so.entry(k).or_insert(v);
                    }
                    Json::Object(so)
                }
                None => node_json(n),
            },
            None => Json::Null,
        },
    );
    for (k, v) in map_json(m) {
        o.entry(k).or_insert(v);
    }
    Json::Object(o)
}

fn data_snapshot_json(kv: &KeyValues) -> JsonMap<String, Json> {
    let mut o = JsonMap::new();
    for (k, n) in kv.fields.iter() {
        if o.contains_key(k) {
            continue;
        }
        let v = match (&n.value, n.as_text()) {
            (Value::Str(_), Some(text)) => {
                let f = snapshot_file(text);
                if f.lines.is_some() || f.bytes.is_some() {
                    json!({"path": f.path, "lines": f.lines, "bytes": f.bytes})
                } else {
                    Json::String(text.to_string())
                }
            }
            _ => node_json(n),
        };
        o.insert(k.to_string(), v);
    }
    o
}

fn artifacts_json(a: &Archive) -> JsonMap<String, Json> {
    let mut o = JsonMap::new();
    let checkpoints: Vec<Json> = match a.artifacts.get("checkpoints").and_then(Node::as_list) {
        Some(items) => items
            .iter()
            .map(|n| match n.as_map() {
                Some(m) => {
                    let mut c = JsonMap::new();
                    for k in ["path", "tag", "step"] {
                        c.insert(k.into(), m.get(k).map_or(Json::Null, node_json));
                    }
                    for (k, v) in map_json(m) {
                        c.entry(k).or_insert(v);
                    }
                    Json::Object(c)
                }
                None => json!({"path": node_json(n), "tag": null, "step": null}),
            })
            .collect(),
        None => Vec::new(),
    };
    o.insert("checkpoints".into(), Json::Array(checkpoints));
    for key in ["hf_models", "reports"] {
        let v = match a.artifacts.get(key).map(|n| &n.value) {
            Some(Value::List(_)) | Some(Value::Empty) | None => Json::Array(
                a.artifact_paths(key)
                    .into_iter()
                    .map(Json::String)
                    .collect(),
            ),
            Some(_) => a.artifacts.get(key).map_or(Json::Null, node_json),
        };
        o.insert(key.into(), v);
    }
    for (k, v) in kv_json(&a.artifacts) {
        o.entry(k).or_insert(v);
    }
    o
}

fn with_keys(mut base: JsonMap<String, Json>, keys: &[&str]) -> Json {
    let mut o = JsonMap::new();
    for k in keys {
        o.insert(k.to_string(), base.remove(*k).unwrap_or(Json::Null));
    }
    o.extend(base);
    Json::Object(o)
}

fn lines_json<'a>(section: &str, lines: &'a [RawLine]) -> impl Iterator<Item = Json> + 'a {
    let section = section.to_string();
    lines
        .iter()
        .map(move |l| json!({"line": l.line, "section": section, "text": l.text}))
}

fn completeness_json(c: &Completeness) -> Json {
    json!({
        "filled": c.count(FieldState::Filled),
        "unfilled": c.count(FieldState::Unfilled),
        "missing": c.count(FieldState::Missing),
        "total": c.fields.len(),
        "unfilled_fields": c.paths(FieldState::Unfilled),
        "missing_fields": c.paths(FieldState::Missing),
        "checklist": c.checklist.iter().map(|i| json!({
            "section": i.section,
            "field": i.field,
            "state": i.state.map_or("not_applicable", FieldState::as_str),
            "fields": i.checks.iter().map(|f| json!({"path": f.path, "state": f.state.as_str()})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// The whole parse result as JSON (see the module docs for the shape).
pub fn to_json(parsed: &Parsed, completeness: &Completeness) -> Json {
    let a = &parsed.archive;
    let mut o = JsonMap::new();
    o.insert("summary".into(), Json::Object(kv_json(&a.summary)));
    o.insert(
        "dependencies".into(),
        Json::Array(table_json(&a.dependencies, &["name", "version"])),
    );
    o.insert(
        "config_snapshot".into(),
        with_keys(
            kv_json(&a.config),
            &[
                "pipeline_config",
                "steps_config_dir",
                "pipeline_resolved",
                "steps_resolved",
            ],
        ),
    );
    o.insert("paths".into(), Json::Object(kv_json(&a.paths)));
    o.insert(
        "data_snapshot".into(),
        Json::Object(data_snapshot_json(&a.data_snapshot)),
    );
    o.insert(
        "data_copy".into(),
        Json::Array(table_json(
            &a.data_copy,
            &[
                "source",
                "destination",
                "files_copied",
                "files_skipped",
                "note",
            ],
        )),
    );
    o.insert(
        "steps".into(),
        Json::Array(a.steps.steps.iter().map(step_json).collect()),
    );
    o.insert(
        "repro".into(),
        with_keys(kv_json(&a.repro), &["prepare", "run", "env"]),
    );
    o.insert("artifacts".into(), Json::Object(artifacts_json(a)));
    o.insert("resources".into(), Json::Object(kv_json(&a.resources)));
    o.insert(
        "changes".into(),
        with_keys(kv_json(&a.changes), &["previous_run_id", "config_diff"]),
    );
    o.insert(
        "extra_sections".into(),
        Json::Array(
            a.extra_sections
                .iter()
                .map(|s| json!({"title": s.title, "line": s.line, "text": s.text()}))
                .collect(),
        ),
    );
    o.insert(
        "diagnostics".into(),
        Json::Array(
            parsed
                .diagnostics
                .iter()
                .map(|d| json!({"line": d.line, "severity": d.severity.as_str(), "message": d.message}))
                .collect(),
        ),
    );
    o.insert("completeness".into(), completeness_json(completeness));
    // Beyond the promised shape: the rest of the file, so every line is accounted for.
    o.insert(
        "title".into(),
        a.title.as_ref().map_or(Json::Null, |t| {
            Json::String(t.text.trim_start_matches('#').trim().to_string())
        }),
    );
    o.insert(
        "checklist".into(),
        Json::Array(table_json(
            &a.checklist,
            &["section", "field", "description"],
        )),
    );
    let mut unmapped: Vec<Json> = lines_json("preamble", &a.preamble).collect();
    let mut comments: Vec<Json> = Vec::new();
    for (name, c, u) in [
        ("summary", &a.summary.comments, &a.summary.unmapped),
        (
            "dependencies",
            &a.dependencies.comments,
            &a.dependencies.unmapped,
        ),
        ("config_snapshot", &a.config.comments, &a.config.unmapped),
        ("paths", &a.paths.comments, &a.paths.unmapped),
        (
            "data_snapshot",
            &a.data_snapshot.comments,
            &a.data_snapshot.unmapped,
        ),
        ("data_copy", &a.data_copy.comments, &a.data_copy.unmapped),
        ("steps", &a.steps.comments, &a.steps.unmapped),
        ("repro", &a.repro.comments, &a.repro.unmapped),
        ("artifacts", &a.artifacts.comments, &a.artifacts.unmapped),
        ("resources", &a.resources.comments, &a.resources.unmapped),
        ("changes", &a.changes.comments, &a.changes.unmapped),
        ("checklist", &a.checklist.comments, &a.checklist.unmapped),
    ] {
        comments.extend(lines_json(name, c));
        unmapped.extend(lines_json(name, u));
    }
    o.insert("unmapped".into(), Json::Array(unmapped));
    o.insert("comments".into(), Json::Array(comments));
    Json::Object(o)
}
