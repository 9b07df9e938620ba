//! A comparison as JSON (`runlens diff --json`), Markdown (for a PR or a chat) and a
//! standalone HTML file (no scripts; every value escaped).
//!
//! Pure.

use serde_json::{json, Value as Json};

use super::nway::Table;
use super::run::{step_rows, Delta, FieldChange, Presence, RunDiff, StepDiff};
use super::text::LineTag;
pub use super::value::show;
use crate::archive::json::{map_json, node_json};

fn delta_json(d: &Option<Delta>) -> Json {
    match d {
        Some(d) => json!({"abs": round12(d.abs), "rel": d.rel.map(round12), "better": d.better}),
        None => Json::Null,
    }
}

/// `b - a` without binary noise (`-2.1`, not `-2.1000000000000085`): 12 significant digits.
fn round12(v: f64) -> f64 {
    format!("{v:.11e}").parse().unwrap_or(v)
}

fn change_json(c: &FieldChange) -> Json {
    json!({
        "path": c.dotted(),
        "segments": c.path,
        "kind": c.kind.as_str(),
        "a": c.a.as_ref().map_or(Json::Null, node_json),
        "b": c.b.as_ref().map_or(Json::Null, node_json),
        "delta": delta_json(&c.delta),
        "run_id_only": c.run_id_only,
    })
}

/// The diff as JSON.
pub fn diff_json(d: &RunDiff) -> Json {
    let mut sections = serde_json::Map::new();
    for s in &d.sections {
        sections.insert(
            s.section.to_string(),
            Json::Array(s.changes.iter().map(change_json).collect()),
        );
    }
    json!({
        "a": d.a,
        "b": d.b,
        "count": d.count(),
        "sections": sections,
        "steps": d.steps.iter().map(|s| json!({
            "name": s.name,
            "stage": s.stage,
            "a_step_id": s.a_id,
            "b_step_id": s.b_id,
            "presence": match s.presence { Presence::Both => "both", Presence::OnlyA => "only_a", Presence::OnlyB => "only_b" },
            "changes": s.changes.iter().map(change_json).collect::<Vec<_>>(),
            "step": s.only.as_ref().map_or(Json::Null, |st| Json::Object(map_json(&st.fields))),
        })).collect::<Vec<_>>(),
        "text": d.texts.iter().map(|t| json!({
            "title": t.title,
            "lines": t.lines.iter().filter(|l| l.tag != LineTag::Same).map(|l| json!({
                "tag": match l.tag { LineTag::Same => "same", LineTag::Removed => "removed", LineTag::Added => "added" },
                "old": l.old, "new": l.new, "text": l.text(),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// A delta as `+0.12 (+3.4%) better`.
pub fn show_delta(d: &Option<Delta>) -> String {
    let Some(d) = d else { return String::new() };
    let rel = d
        .rel
        .map(|r| format!(" ({:+.2}%)", r * 100.0))
        .unwrap_or_default();
    let verdict = match d.better {
        Some(true) => " ▲ better",
        Some(false) => " ▼ worse",
        None => "",
    };
    let abs = round12(d.abs);
    let sign = if abs > 0.0 { "+" } else { "" };
    format!("{sign}{abs}{rel}{verdict}")
}

fn md(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The diff as Markdown.
pub fn diff_markdown(d: &RunDiff) -> String {
    let mut o = format!("# runlens: {} vs {}\n\n{} changes.\n", d.a, d.b, d.count());
    let table = |o: &mut String, changes: &[FieldChange]| {
        o.push_str("\n| field | change | A | B | delta |\n| --- | --- | --- | --- | --- |\n");
        for c in changes {
            o.push_str(&format!(
                "| `{}` | {} | {} | {} | {} |\n",
                md(&c.dotted()),
                c.kind.as_str(),
                md(&show(&c.a)),
                md(&show(&c.b)),
                md(&show_delta(&c.delta))
            ));
        }
    };
    for s in &d.sections {
        if !s.changes.is_empty() {
            o.push_str(&format!("\n## {}\n", s.section));
            table(&mut o, &s.changes);
        }
    }
    let steps: Vec<_> = d
        .steps
        .iter()
        .filter(|s| s.presence != Presence::Both || !s.changes.is_empty())
        .collect();
    if !steps.is_empty() {
        o.push_str("\n## steps\n");
        for s in steps {
            let ids = format!(
                "{} ↔ {}",
                s.a_id.map_or("—".into(), |i| i.to_string()),
                s.b_id.map_or("—".into(), |i| i.to_string())
            );
            match s.presence {
                Presence::Both => {
                    o.push_str(&format!(
                        "\n### {} {} (step {ids})\n",
                        md(&s.name),
                        md(&s.stage)
                    ));
                    table(&mut o, &s.changes);
                }
                Presence::OnlyA | Presence::OnlyB => {
                    let run = if s.presence == Presence::OnlyA {
                        &d.a
                    } else {
                        &d.b
                    };
                    o.push_str(&format!(
                        "\n### {} {} (step {ids}): only in {}\n",
                        md(&s.name),
                        md(&s.stage),
                        md(run)
                    ));
                    only_markdown(&mut o, s);
                }
            }
        }
    }
    for t in &d.texts {
        o.push_str(&format!("\n## {}\n\n```diff\n", md(&t.title)));
        for l in &t.lines {
            let sign = match l.tag {
                LineTag::Same => ' ',
                LineTag::Removed => '-',
                LineTag::Added => '+',
            };
            o.push_str(&format!("{sign}{}\n", l.text().replace("```", "ˋˋˋ")));
        }
        o.push_str("```\n");
    }
    o
}

/// The fields of a step only one run has, as a two-column table.
fn only_markdown(o: &mut String, s: &StepDiff) {
    let Some(step) = &s.only else { return };
    o.push_str("\n| field | value |\n| --- | --- |\n");
    for (path, node) in step_rows(step) {
        o.push_str(&format!(
            "| `{}` | {} |\n",
            md(&path),
            md(&show(&Some(node)))
        ));
    }
}

/// The N-way table as Markdown.
pub fn table_markdown(t: &Table) -> String {
    let mut o = format!("# runlens: {} runs compared\n\n{} fields differ. ★ marks the best value.\n\n| section | field |", t.runs.len(), t.differing());
    for r in &t.runs {
        o.push_str(&format!(" {} |", md(r)));
    }
    o.push_str("\n| --- | --- |");
    for _ in &t.runs {
        o.push_str(" --- |");
    }
    o.push('\n');
    for row in t.rows.iter().filter(|r| r.differs) {
        o.push_str(&format!("| {} | `{}` |", md(&row.section), md(&row.field)));
        for (i, v) in row.values.iter().enumerate() {
            let star = if row.best.contains(&i) { " ★" } else { "" };
            o.push_str(&format!(" {}{star} |", md(&show(v))));
        }
        o.push('\n');
    }
    o
}

pub use crate::format::esc;

const CSS: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1b1f24}table{border-collapse:collapse;margin:8px 0 18px}td,th{border:1px solid #d8dce3;padding:3px 8px;text-align:left;vertical-align:top}th{background:#f6f7f9}code,.mono{font-family:ui-monospace,monospace;font-size:12.5px}.better{color:#1a7f37}.worse{color:#b42318}.added{background:#dcf3e3}.removed{background:#fde4e1}.best{font-weight:700}";

/// A standalone HTML document: the Markdown-equivalent content as tables, no scripts.
pub fn diff_html(d: &RunDiff) -> String {
    let mut o = format!("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"><title>runlens: {} vs {}</title><style>{CSS}</style></head><body><h1>{} vs {}</h1><p>{} changes.</p>", esc(&d.a), esc(&d.b), esc(&d.a), esc(&d.b), d.count());
    let table = |o: &mut String, changes: &[FieldChange]| {
        o.push_str(
            "<table><tr><th>field</th><th>change</th><th>A</th><th>B</th><th>delta</th></tr>",
        );
        for c in changes {
            let class = match c.delta.and_then(|d| d.better) {
                Some(true) => "better",
                Some(false) => "worse",
                None => "",
            };
            o.push_str(&format!("<tr class=\"{}\"><td class=\"mono\">{}</td><td>{}</td><td class=\"mono\">{}</td><td class=\"mono\">{}</td><td class=\"{class}\">{}</td></tr>", c.kind.as_str(), esc(&c.dotted()), c.kind.as_str(), esc(&show(&c.a)), esc(&show(&c.b)), esc(&show_delta(&c.delta))));
        }
        o.push_str("</table>");
    };
    for s in &d.sections {
        if !s.changes.is_empty() {
            o.push_str(&format!("<h2>{}</h2>", esc(s.section)));
            table(&mut o, &s.changes);
        }
    }
    for s in &d.steps {
        match s.presence {
            Presence::Both if !s.changes.is_empty() => {
                o.push_str(&format!("<h3>{} {}</h3>", esc(&s.name), esc(&s.stage)));
                table(&mut o, &s.changes);
            }
            Presence::OnlyA | Presence::OnlyB => {
                let run = if s.presence == Presence::OnlyA {
                    &d.a
                } else {
                    &d.b
                };
                o.push_str(&format!(
                    "<h3>{} {}: only in {}</h3>",
                    esc(&s.name),
                    esc(&s.stage),
                    esc(run)
                ));
                if let Some(step) = &s.only {
                    o.push_str("<table class=\"only\"><tr><th>field</th><th>value</th></tr>");
                    for (path, node) in step_rows(step) {
                        o.push_str(&format!(
                            "<tr><td class=\"mono\">{}</td><td class=\"mono\">{}</td></tr>",
                            esc(&path),
                            esc(&show(&Some(node)))
                        ));
                    }
                    o.push_str("</table>");
                }
            }
            _ => {}
        }
    }
    for t in &d.texts {
        o.push_str(&format!("<h2>{}</h2><pre>", esc(&t.title)));
        for l in &t.lines {
            let (class, sign) = match l.tag {
                LineTag::Same => ("", ' '),
                LineTag::Removed => ("removed", '-'),
                LineTag::Added => ("added", '+'),
            };
            o.push_str(&format!(
                "<span class=\"{class}\">{sign}{}</span>\n",
                esc(&l.text())
            ));
        }
        o.push_str("</pre>");
    }
    o.push_str("</body></html>\n");
    o
}

/// The N-way table as a standalone HTML document.
pub fn table_html(t: &Table) -> String {
    let mut o = format!("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"><title>runlens: {} runs</title><style>{CSS}</style></head><body><h1>{} runs compared</h1><table><tr><th>section</th><th>field</th>", t.runs.len(), t.runs.len());
    for r in &t.runs {
        o.push_str(&format!("<th class=\"mono\">{}</th>", esc(r)));
    }
    o.push_str("</tr>");
    for row in t.rows.iter().filter(|r| r.differs) {
        o.push_str(&format!(
            "<tr><td>{}</td><td class=\"mono\">{}</td>",
            esc(&row.section),
            esc(&row.field)
        ));
        for (i, v) in row.values.iter().enumerate() {
            let best = row.best.contains(&i);
            let class = if best { "best better" } else { "" };
            o.push_str(&format!(
                "<td class=\"mono {class}\">{}{}</td>",
                esc(&show(v)),
                if best { " ★" } else { "" }
            ));
        }
        o.push_str("</tr>");
    }
    o.push_str("</table></body></html>\n");
    o
}
