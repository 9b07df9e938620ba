//! Which fields a run has for queries, and their names: [`fields_of`] flattens a parsed
//! archive into [`Fields`]; [`loss_at_tokens`] adds the loss at fixed token counts from a
//! curve. Invariant: the same archive always yields the same names, and a name means the
//! same thing in every run (see the naming rules on [`fields_of`]).
//!
//! Pure: no I/O, no browser imports.

use crate::archive::completeness::SUMMARY_FIELDS;
use std::collections::BTreeMap;

use crate::archive::model::flatten;
use crate::archive::value::{Map, Node, Value};
use crate::archive::{Archive, Step};
use crate::ingest::Series;

use super::value::{FieldValue, Fields};

/// Summary, resource and change fields the template defines: always known to a query, even
/// when no loaded run has them yet (a query naming them is not an error; it matches nothing).
pub fn template_fields() -> TemplateFields {
    SUMMARY_FIELDS.iter().chain(MORE_FIELDS).copied()
}

/// The iterator [`template_fields`] returns (a concrete type, so its names can stand beside
/// names borrowed for less than `'static`).
pub type TemplateFields = std::iter::Copied<
    std::iter::Chain<
        std::slice::Iter<'static, &'static str>,
        std::slice::Iter<'static, &'static str>,
    >,
>;

/// Whether the template names `name` (see [`template_fields`]).
pub fn is_template_field(name: &str) -> bool {
    template_fields().any(|f| f == name)
}

/// The template's fields beyond the Summary: resources, the chain, completeness.
const MORE_FIELDS: &[&str] = &[
    "train_time_sec",
    "peak_vram_gb",
    "avg_vram_gb",
    "gpu_util_avg_pct",
    "previous_run_id",
    "completeness",
];

/// The token counts at which the loss of each train step is recorded, and the last part
/// of the field's name: `train.cpt.loss_at_1b` is the CPT loss after 10^9 tokens.
pub const LOSS_TOKEN_MARKS: &[(&str, f64)] = &[
    ("loss_at_100m", 1e8),
    ("loss_at_1b", 1e9),
    ("loss_at_10b", 1e10),
    ("loss_at_100b", 1e11),
];

/// A scalar node as a field value; empty values, placeholders, lists and maps have none.
pub fn node_value(node: &Node) -> Option<FieldValue> {
    match &node.value {
        Value::Int(i) => Some(FieldValue::Num(*i as f64)),
        Value::Float(f) => Some(FieldValue::Num(*f)),
        Value::Bool(b) => Some(FieldValue::Bool(*b)),
        Value::Str(s) if !s.trim().is_empty() => Some(FieldValue::Text(s.clone())),
        _ => None,
    }
}

/// The name prefix of each step, in archive order: `NAME.STAGE` (`train.cpt`), or `NAME`
/// when the stage is absent, empty or `none` (`eval`); a step without a name is `stepID`
/// (`step3`); the second step with the same prefix is `NAME#2.STAGE`, the third `NAME#3...`.
pub fn step_prefixes(steps: &[Step]) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    steps
        .iter()
        .enumerate()
        .map(|(i, st)| {
            let name = st
                .name()
                .map(str::to_string)
                .unwrap_or_else(|| format!("step{}", st.id().unwrap_or(i as i64 + 1)));
            let stage = st
                .stage()
                .filter(|s| !s.is_empty() && !s.eq_ignore_ascii_case("none"));
            let base = match stage {
                Some(s) => format!("{name}.{s}"),
                None => name.clone(),
            };
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            match (*n, stage) {
                (1, _) => base,
                (k, Some(s)) => format!("{name}#{k}.{s}"),
                (k, None) => format!("{name}#{k}"),
            }
        })
        .collect()
}

/// Tokens one iteration of a train step consumes: `global_batch_size` x `seq_length` from
/// its params, when both are numbers.
pub fn tokens_per_step(step: &Step) -> Option<f64> {
    let p = step.map("params")?;
    let gbs = p.get("global_batch_size").and_then(Node::as_f64)?;
    let seq = p.get("seq_length").and_then(Node::as_f64)?;
    Some(gbs * seq).filter(|t| *t > 0.0)
}

/// The loss after each of [`LOSS_TOKEN_MARKS`] tokens: the mean of the logged losses whose
/// tokens (step x `tokens_per_step`) lie in `[0.95 T, T]`, for each mark `T` the curve
/// reaches (its last point is at or past `T`). Returns `(name suffix, loss)` pairs.
pub fn loss_at_tokens(series: &Series, tokens_per_step: f64) -> Vec<(&'static str, f64)> {
    let n = series.len();
    if n == 0 || tokens_per_step <= 0.0 {
        return Vec::new();
    }
    let last_tokens = series.step(n - 1) as f64 * tokens_per_step;
    let mut out = Vec::new();
    for &(name, mark) in LOSS_TOKEN_MARKS {
        if last_tokens < mark {
            continue;
        }
        let (mut sum, mut count) = (0.0, 0usize);
        series.each_value(0, n, |i, v| {
            let t = series.step(i) as f64 * tokens_per_step;
            if v.is_finite() && t >= 0.95 * mark && t <= mark {
                sum += v;
                count += 1;
            }
        });
        if count > 0 {
            out.push((name, sum / count as f64));
        }
    }
    out
}

/// Inserts `value` under `name` unless the name is taken (earlier sources win) or the value
/// is text naming the run's own folder (a path holding the run id: unique to each run, it
/// relates nothing and would only swell the manifest).
fn put(out: &mut Fields, name: String, value: FieldValue, run_id: Option<&str>) {
    if let (FieldValue::Text(t), Some(id)) = (&value, run_id) {
        if id.len() >= 6 && t.contains(id) {
            return;
        }
    }
    out.entry(name).or_insert(value);
}

fn put_map(out: &mut Fields, prefix: &str, map: &Map, run_id: Option<&str>) {
    let mut flat = Vec::new();
    flatten(map, "", &mut flat);
    for (k, node) in flat {
        if let Some(v) = node_value(&node) {
            put(out, format!("{prefix}.{k}"), v, run_id);
        }
    }
}

/// The query fields of a parsed archive. Names, in the order that wins a clash:
///
/// - every `## Summary` key by its template name (`status`, `host`, `duration_sec`);
/// - every `## Resources & Cost` key by name (`peak_vram_gb`), `previous_run_id`;
/// - eval results as `eval.METRIC` (`eval.mmlu`), from every step with an `eval` block;
/// - per step, under its prefix ([`step_prefixes`]: `train.cpt`, `eval`, `train#2.cpt`):
///   `status`, `retries`, the `training` figures (`train.cpt.final_loss`), the `metrics`,
///   then the `params` (`train.cpt.lr`; nested maps dotted further);
/// - dependency versions as `dep.NAME` (`dep.transformers`), as text.
///
/// Numbers are typed as the archive core types them (`1e-05`, `95%`); versions stay text.
/// Text that contains the run id (paths into the run's own folder) is left out.
pub fn fields_of(archive: &Archive) -> Fields {
    let mut out = Fields::new();
    let run_id = archive.run_id();
    for (k, node) in archive.summary.fields.iter() {
        if let Some(v) = node_value(node) {
            if k == "run_id" {
                out.insert(k.to_string(), v);
            } else {
                put(&mut out, k.to_string(), v, run_id);
            }
        }
    }
    for (k, node) in archive.resources.fields.iter() {
        if let Some(v) = node_value(node) {
            put(&mut out, k.to_string(), v, run_id);
        }
    }
    if let Some(v) = archive.changes.get("previous_run_id").and_then(node_value) {
        put(&mut out, "previous_run_id".into(), v, None);
    }
    let steps = &archive.steps.steps;
    for st in steps {
        if let Some(e) = st.eval() {
            for (metric, node) in &e.results {
                if let Some(v) = node_value(node) {
                    put(&mut out, format!("eval.{metric}"), v, run_id);
                }
            }
        }
    }
    for (st, prefix) in steps.iter().zip(step_prefixes(steps)) {
        for key in ["status", "retries"] {
            if let Some(v) = st.get(key).and_then(node_value) {
                put(&mut out, format!("{prefix}.{key}"), v, run_id);
            }
        }
        for block in ["training", "metrics", "params"] {
            if let Some(m) = st.map(block) {
                put_map(&mut out, &prefix, m, run_id);
            }
        }
    }
    let deps = &archive.dependencies;
    for row in &deps.rows {
        let name = deps.cell(row, "name", 0).map(|c| c.text.trim());
        let version = deps.cell(row, "version", 1).filter(|c| c.is_filled());
        if let (Some(n), Some(v)) = (name.filter(|n| !n.is_empty()), version) {
            put(
                &mut out,
                format!("dep.{n}"),
                FieldValue::Text(v.text.clone()),
                run_id,
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::parse;

    const ARCHIVE: &str = "## Summary\n- run_id: 20251110-1420-b7c2\n- status: success\n- cuda: 12.10\n- duration_sec: 32588\n\n## Dependencies (Versions)\n| name | version |\n| --- | --- |\n| vllm | 0.6.6 |\n\n## Steps\n- step_id: 1\n  name: train\n  stage: cpt\n  status: success\n  params:\n    lr: 1e-05\n    save: /mnt/x/20251110-1420-b7c2/ckpt\n    optim:\n      beta1: 0.9\n  training:\n    final_loss: 1.5753\n\n- step_id: 2\n  name: train\n  stage: cpt\n  params:\n    lr: 2e-05\n\n- step_id: 3\n  name: eval\n  stage: none\n  params:\n    backend: vllm\n  eval:\n    results:\n      mmlu: 70.46%\n\n## Resources & Cost\n- peak_vram_gb: 71.3\n";

    #[test]
    fn names_follow_the_documented_rules() {
        let f = fields_of(&parse(ARCHIVE).archive);
        let num = |k: &str| f.get(k).and_then(FieldValue::as_f64);
        assert_eq!(num("train.cpt.lr"), Some(0.00001));
        assert_eq!(num("train#2.cpt.lr"), Some(2e-5));
        assert_eq!(num("train.cpt.optim.beta1"), Some(0.9));
        assert_eq!(num("train.cpt.final_loss"), Some(1.5753));
        assert_eq!(num("eval.mmlu"), Some(70.46));
        assert_eq!(num("peak_vram_gb"), Some(71.3));
        assert_eq!(num("duration_sec"), Some(32588.0));
        assert_eq!(f.get("cuda"), Some(&FieldValue::Text("12.10".into())));
        assert_eq!(
            f.get("eval.backend"),
            Some(&FieldValue::Text("vllm".into()))
        );
        assert_eq!(f.get("dep.vllm"), Some(&FieldValue::Text("0.6.6".into())));
        assert_eq!(
            f.get("train.cpt.status"),
            Some(&FieldValue::Text("success".into()))
        );
        assert!(
            !f.contains_key("train.cpt.save"),
            "the run's own path is left out"
        );
    }

    #[test]
    fn loss_at_a_token_count_is_the_mean_just_before_it() {
        let mut s = Series::new("lm loss");
        // 1e6 tokens a step: steps 940..=1000 fall in [0.95e9, 1e9] at 1e9.
        for step in 1..=1200i64 {
            s.push(step, 0.0, if step >= 950 { 2.0 } else { 3.0 });
        }
        let got = loss_at_tokens(&s, 1e6);
        assert_eq!(got, vec![("loss_at_100m", 3.0), ("loss_at_1b", 2.0)]);
        assert!(loss_at_tokens(&s, 0.0).is_empty());
    }
}
