//! Which lines of the input the model accounts for: the check behind the parser's promise
//! that nothing the file says is dropped.
//!
//! Pure: no I/O.

use super::model::{Archive, KeyValues, RawLine, Table};
use super::value::{Map, Node, Value};

fn mark(out: &mut [bool], line: u32) {
    if let Some(slot) = (line as usize).checked_sub(1).and_then(|i| out.get_mut(i)) {
        *slot = true;
    }
}

fn mark_raw(out: &mut [bool], lines: &[RawLine]) {
    for l in lines {
        mark(out, l.line);
    }
}

fn mark_node(out: &mut [bool], node: &Node) {
    match &node.value {
        // A collection's first line may be a bare `-` that opens it.
        Value::List(items) => {
            mark(out, node.line);
            items.iter().for_each(|n| mark_node(out, n));
        }
        Value::Map(m) => {
            mark(out, node.line);
            mark_map(out, m);
        }
        _ => {
            for l in node.line..=node.end_line {
                mark(out, l);
            }
        }
    }
}

fn mark_map(out: &mut [bool], map: &Map) {
    for e in &map.entries {
        mark(out, e.line);
        mark_node(out, &e.node);
    }
}

fn mark_kv(out: &mut [bool], kv: &KeyValues) {
    mark_map(out, &kv.fields);
    mark_raw(out, &kv.comments);
    mark_raw(out, &kv.unmapped);
}

fn mark_table(out: &mut [bool], t: &Table) {
    for l in &t.head_lines {
        mark(out, *l);
    }
    for r in &t.rows {
        mark(out, r.line);
    }
    mark_raw(out, &t.comments);
    mark_raw(out, &t.unmapped);
}

/// For each line of the input (index 0 is line 1), whether the model holds it.
pub fn accounted_lines(archive: &Archive, line_count: usize) -> Vec<bool> {
    let mut out = vec![false; line_count];
    if let Some(t) = &archive.title {
        mark(&mut out, t.line);
    }
    mark_raw(&mut out, &archive.preamble);
    for h in &archive.headings {
        mark(&mut out, h.line);
    }
    for kv in [
        &archive.summary,
        &archive.config,
        &archive.paths,
        &archive.data_snapshot,
        &archive.repro,
        &archive.artifacts,
        &archive.resources,
        &archive.changes,
    ] {
        mark_kv(&mut out, kv);
    }
    for t in [
        &archive.dependencies,
        &archive.data_copy,
        &archive.checklist,
    ] {
        mark_table(&mut out, t);
    }
    for s in &archive.steps.steps {
        mark(&mut out, s.line);
        mark_map(&mut out, &s.fields);
    }
    mark_raw(&mut out, &archive.steps.comments);
    mark_raw(&mut out, &archive.steps.unmapped);
    for x in &archive.extra_sections {
        mark_raw(&mut out, &x.lines);
    }
    out
}
