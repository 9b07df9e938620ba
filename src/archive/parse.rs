//! Turns archive text into the [`Archive`] model and a list of diagnostics.
//!
//! **Invariant: parsing never fails on readable text.** It returns the model and what it
//! could not read; every non-blank line of the input ends up in the model, in a section's
//! comments, or in a section's unmapped lines (checked line by line by the tests).
//! Pure: no I/O.

use super::diagnostics::{Diagnostic, Severity};
use super::model::{
    Archive, Cell, ExtraSection, KeyValues, RawLine, SectionHead, SectionKind, Step, Steps, Table,
    TableRow,
};
use super::value::{infer_scalar, is_placeholder, Entry, Map, Node, Value};
use super::yamlish::{read_block, SrcLine};

/// The result of [`parse`]: the model and what could not be read as intended.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parsed {
    /// The archive as read.
    pub archive: Archive,
    /// Findings, ordered by line.
    pub diagnostics: Vec<Diagnostic>,
}

impl Parsed {
    /// Number of diagnostics of `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// Splits text into lines: `\n`, `\r\n` and lone `\r` all end a line; a leading byte-order
/// mark is dropped.
pub fn split_lines(text: &str) -> Vec<&str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            b'\r' => {
                out.push(&text[start..i]);
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// Reads an archive. Never fails: see the module docs.
pub fn parse(text: &str) -> Parsed {
    let lines = split_lines(text);
    let mut b = Builder {
        lines: &lines,
        archive: Archive::default(),
        diags: Vec::new(),
    };
    b.run();
    let mut diagnostics = b.diags;
    diagnostics.sort_by_key(|d| d.line);
    Parsed {
        archive: b.archive,
        diagnostics,
    }
}

struct Builder<'a> {
    lines: &'a [&'a str],
    archive: Archive,
    diags: Vec<Diagnostic>,
}

/// One section's heading and body lines (all occurrences of a heading merged).
struct Chunk<'a> {
    head: SectionHead,
    body: Vec<SrcLine<'a>>,
}

fn heading(line: &str, level: usize) -> Option<&str> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let t = &line[indent..];
    let hashes = t.len() - t.trim_start_matches('#').len();
    if hashes != level {
        return None;
    }
    let rest = &t[hashes..];
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    Some(rest.trim().trim_end_matches('#').trim())
}

impl<'a> Builder<'a> {
    fn raw(&self, line: u32) -> &'a str {
        self.lines.get(line as usize - 1).copied().unwrap_or("")
    }

    fn run(&mut self) {
        if self.lines.iter().all(|l| l.trim().is_empty()) {
            self.diags.push(Diagnostic::new(
                0,
                Severity::Error,
                "the file is empty: an archive starts with `# Experiment Archive` and `## Summary`",
            ));
            return;
        }
        let chunks = self.split();
        if !chunks.iter().any(|c| c.head.kind != SectionKind::Extra) {
            self.diags.push(Diagnostic::new(
                0,
                Severity::Error,
                "no archive sections found: expected headings such as `## Summary` and `## Steps`",
            ));
        }
        for chunk in chunks {
            self.section(chunk);
        }
    }

    /// Splits the file at `##` headings (not inside fenced code blocks); merges repeated
    /// headings of a template section into one chunk.
    fn split(&mut self) -> Vec<Chunk<'a>> {
        let mut chunks: Vec<Chunk<'a>> = Vec::new();
        let mut current: Option<usize> = None;
        let mut fence: Option<&str> = None;
        for (i, &line) in self.lines.iter().enumerate() {
            let no = i as u32 + 1;
            let trimmed = line.trim_start();
            if let Some(f) = fence {
                if trimmed.starts_with(f) {
                    fence = None;
                }
            } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                fence = Some(&trimmed[..3]);
            } else if let Some(title) = heading(line, 2) {
                let kind = SectionKind::from_heading(title);
                let head = SectionHead {
                    kind,
                    title: title.to_string(),
                    line: no,
                };
                self.archive.headings.push(head.clone());
                let existing = (kind != SectionKind::Extra)
                    .then(|| chunks.iter().position(|c| c.head.kind == kind))
                    .flatten();
                if let Some(at) = existing {
                    self.diags.push(Diagnostic::new(
                        no,
                        Severity::Warning,
                        format!(
                            "`## {title}` appears again (first at line {}); both parts are read as one section",
                            chunks[at].head.line
                        ),
                    ));
                    current = Some(at);
                } else {
                    chunks.push(Chunk {
                        head,
                        body: Vec::new(),
                    });
                    current = Some(chunks.len() - 1);
                }
                continue;
            } else if current.is_none() && self.archive.title.is_none() {
                if let Some(t) = heading(line, 1) {
                    let _ = t;
                    self.archive.title = Some(RawLine::new(no, line));
                    continue;
                }
            }
            match current.and_then(|c| chunks.get_mut(c)) {
                Some(chunk) => chunk.body.push(SrcLine { no, text: line }),
                None => {
                    if !line.trim().is_empty() {
                        self.archive.preamble.push(RawLine::new(no, line));
                    }
                }
            }
        }
        chunks
    }

    fn section(&mut self, chunk: Chunk<'a>) {
        let Chunk { head, body } = chunk;
        let name = head.title.clone();
        match head.kind {
            SectionKind::Summary => {
                self.archive.summary = self.key_values(&body, &name, summary_kind);
            }
            SectionKind::ConfigSnapshot => {
                self.archive.config = self.key_values(&body, &name, |k| match k {
                    "pipeline_config" | "steps_config_dir" => Kind::Text,
                    _ => Kind::Infer,
                });
            }
            SectionKind::Paths => {
                self.archive.paths = self.key_values(&body, &name, |_| Kind::Text)
            }
            SectionKind::DataSnapshot => {
                let mut kv = self.key_values(&body, &name, |_| Kind::Text);
                // `<path> (lines=<int>, bytes=<int>)` is the template's placeholder as a whole.
                for e in &mut kv.fields.entries {
                    let path = e.node.text.split(" (").next().unwrap_or("");
                    if matches!(e.node.value, Value::Str(_)) && is_placeholder(path) {
                        e.node.value = Value::Unfilled;
                    }
                }
                self.archive.data_snapshot = kv;
            }
            SectionKind::Repro => {
                self.archive.repro = self.key_values(&body, &name, |k| match k {
                    "prepare" | "run" => Kind::Text,
                    _ => Kind::Infer,
                });
            }
            SectionKind::Artifacts => {
                let mut kv = self.key_values(&body, &name, |k| match k {
                    "hf_models" | "reports" => Kind::Text,
                    _ => Kind::Infer,
                });
                if let Some(e) = kv
                    .fields
                    .entries
                    .iter_mut()
                    .find(|e| e.key == "checkpoints")
                {
                    if let Value::List(items) = &mut e.node.value {
                        for item in items {
                            if let Value::Map(m) = &mut item.value {
                                self.retype_map(m, &name, |k| match k {
                                    "step" => Kind::Int,
                                    "path" | "tag" => Kind::Text,
                                    _ => Kind::Infer,
                                });
                            }
                        }
                    }
                }
                self.archive.artifacts = kv;
            }
            SectionKind::Resources => {
                self.archive.resources = self.key_values(&body, &name, |_| Kind::Infer);
            }
            SectionKind::Changes => {
                self.archive.changes = self.key_values(&body, &name, |k| match k {
                    "previous_run_id" | "config_diff" => Kind::Text,
                    _ => Kind::Infer,
                });
            }
            SectionKind::Dependencies => {
                self.archive.dependencies =
                    self.table(&body, &name, &["name", "version"], |_| Kind::Text);
            }
            SectionKind::DataCopy => {
                self.archive.data_copy = self.table(
                    &body,
                    &name,
                    &[
                        "source",
                        "destination",
                        "files_copied",
                        "files_skipped",
                        "note",
                    ],
                    |c| match c {
                        "files_copied" | "files_skipped" => Kind::Int,
                        _ => Kind::Text,
                    },
                );
            }
            SectionKind::Checklist => {
                self.archive.checklist =
                    self.table(&body, &name, &["section", "field", "description"], |_| {
                        Kind::Text
                    });
            }
            SectionKind::Steps => self.steps(&body, &name),
            SectionKind::Extra => self.archive.extra_sections.push(ExtraSection {
                title: head.title.clone(),
                line: head.line,
                lines: body.iter().map(|l| RawLine::new(l.no, l.text)).collect(),
            }),
        }
    }

    /// A `- key: value` section, flattened into one map.
    fn key_values(
        &mut self,
        body: &[SrcLine<'a>],
        section: &str,
        kind: fn(&str) -> Kind,
    ) -> KeyValues {
        let block = read_block(body, section);
        self.diags.extend(block.diagnostics);
        let mut out = KeyValues {
            fields: Map::default(),
            comments: block.comments,
            unmapped: block.unmapped,
        };
        for node in block.nodes {
            self.flatten_top(node, section, &mut out.fields, &mut out.unmapped);
        }
        self.retype_map(&mut out.fields, section, kind);
        out
    }

    /// Moves the entries of a top-level list of single-key maps into `fields`.
    fn flatten_top(
        &mut self,
        node: Node,
        section: &str,
        fields: &mut Map,
        unmapped: &mut Vec<RawLine>,
    ) {
        match node.value {
            Value::List(items) => {
                for item in items {
                    match item.value {
                        Value::Map(m) => {
                            let opens_on_own_line =
                                m.entries.first().is_some_and(|e| e.line != item.line);
                            if opens_on_own_line {
                                // A bare `-` with its keys on the lines below.
                                unmapped.push(RawLine::new(item.line, self.raw(item.line)));
                            }
                            for e in m.entries {
                                if fields.get(&e.key).is_some() {
                                    self.diags.push(Diagnostic::new(
                                        e.line,
                                        Severity::Warning,
                                        format!("{section}: `{}` is given more than once; all values kept, the first is used", e.key),
                                    ));
                                }
                                fields.entries.push(e);
                            }
                        }
                        _ => self.keep_lines(&item, section, unmapped),
                    }
                }
            }
            Value::Map(m) => fields.entries.extend(m.entries),
            _ => self.keep_lines(&node, section, unmapped),
        }
    }

    fn keep_lines(&mut self, node: &Node, section: &str, unmapped: &mut Vec<RawLine>) {
        for no in node.line..=node.end_line {
            let raw = self.raw(no);
            if !raw.trim().is_empty() {
                unmapped.push(RawLine::new(no, raw));
            }
        }
        self.diags.push(Diagnostic::new(
            node.line,
            Severity::Warning,
            format!("{section}: list item is not a `key: value` pair; kept as unmapped text"),
        ));
    }

    fn retype_map(&mut self, map: &mut Map, section: &str, kind: fn(&str) -> Kind) {
        for e in &mut map.entries {
            let k = kind(&e.key);
            self.retype(e, section, k);
        }
    }

    fn retype(&mut self, e: &mut Entry, section: &str, kind: Kind) {
        match kind {
            Kind::Infer => {}
            Kind::Text => {
                let node = std::mem::replace(&mut e.node, Node::scalar(0, "", Value::Empty));
                e.node = text_all(node);
            }
            Kind::Int => match e.node.value {
                Value::Int(_) | Value::Empty | Value::Unfilled => {}
                Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => {
                    e.node.value = Value::Int(f as i64);
                }
                _ => self.diags.push(Diagnostic::new(
                    e.line,
                    Severity::Warning,
                    format!(
                        "{section}: `{}` should be a whole number but is `{}`; kept as written",
                        e.key,
                        e.node.text.trim()
                    ),
                )),
            },
        }
    }

    fn steps(&mut self, body: &[SrcLine<'a>], section: &str) {
        let block = read_block(body, section);
        self.diags.extend(block.diagnostics);
        let mut steps = Steps {
            steps: Vec::new(),
            comments: block.comments,
            unmapped: block.unmapped,
        };
        for node in block.nodes {
            let items = match node.value {
                Value::List(items) => items,
                Value::Map(_) => vec![node],
                _ => {
                    self.keep_lines(&node, section, &mut steps.unmapped);
                    continue;
                }
            };
            for item in items {
                let (line, end_line) = (item.line, item.end_line);
                let Value::Map(mut fields) = item.value else {
                    let n = Node {
                        value: Value::Empty,
                        ..item
                    };
                    self.keep_lines(&n, section, &mut steps.unmapped);
                    continue;
                };
                let label = fields
                    .get("step_id")
                    .map(|n| format!("{section} (step {})", n.text.trim()))
                    .unwrap_or_else(|| section.to_string());
                self.retype_map(&mut fields, &label, step_kind);
                for e in &mut fields.entries {
                    match (e.key.as_str(), &mut e.node.value) {
                        ("training", Value::Map(m)) => {
                            let label = label.clone();
                            self.retype_map(m, &label, |k| match k {
                                "loss_curve" => Kind::Text,
                                "steps" => Kind::Int,
                                _ => Kind::Infer,
                            });
                        }
                        ("eval", Value::Map(m)) => {
                            for inner in &mut m.entries {
                                match inner.key.as_str() {
                                    "datasets" => self.retype(inner, &label, Kind::Text),
                                    "script" => {
                                        if let Value::Map(s) = &mut inner.node.value {
                                            self.retype_map(s, &label, |_| Kind::Text);
                                        }
                                    }
                                    _ => {}
                                }
                            }
                        }
                        ("warnings", Value::List(_)) => {}
                        _ => {}
                    }
                }
                if fields.get("step_id").is_none() {
                    self.diags.push(Diagnostic::new(
                        line,
                        Severity::Warning,
                        format!("{section}: a step has no `step_id`"),
                    ));
                }
                steps.steps.push(Step {
                    line,
                    end_line,
                    fields,
                });
            }
        }
        self.archive.steps = steps;
    }

    fn table(
        &mut self,
        body: &[SrcLine<'a>],
        section: &str,
        default_columns: &[&str],
        kind: fn(&str) -> Kind,
    ) -> Table {
        let mut t = Table::default();
        let pipe_rows: Vec<usize> = body
            .iter()
            .enumerate()
            .filter(|(_, l)| l.text.trim_start().starts_with('|'))
            .map(|(i, _)| i)
            .collect();
        let mut header_at = None;
        if let (Some(&first), Some(&second)) = (pipe_rows.first(), pipe_rows.get(1)) {
            if is_separator(body[second].text) {
                header_at = Some((first, second));
            }
        }
        match header_at {
            Some((h, s)) => {
                t.columns = split_cells(body[h].text)
                    .into_iter()
                    .map(|c| c.trim().to_lowercase())
                    .collect();
                t.head_lines = vec![body[h].no, body[s].no];
            }
            None => {
                t.columns = default_columns.iter().map(|s| s.to_string()).collect();
                if let Some(&first) = pipe_rows.first() {
                    self.diags.push(Diagnostic::new(
                        body[first].no,
                        Severity::Info,
                        format!("{section}: the table has no header row; columns read in the template's order"),
                    ));
                }
            }
        }
        let kinds: Vec<Kind> = t.columns.iter().map(|c| kind(c)).collect();
        for (i, l) in body.iter().enumerate() {
            if header_at.is_some_and(|(h, s)| i == h || i == s) {
                continue;
            }
            let trimmed = l.text.trim();
            if trimmed.is_empty() {
                continue;
            }
            if trimmed.starts_with("<!--") || trimmed.starts_with('#') {
                t.comments.push(RawLine::new(l.no, l.text));
                continue;
            }
            if !trimmed.starts_with('|') {
                t.unmapped.push(RawLine::new(l.no, l.text));
                self.diags.push(Diagnostic::new(
                    l.no,
                    Severity::Warning,
                    format!("{section}: line is not a table row; kept as unmapped text"),
                ));
                continue;
            }
            if is_separator(l.text) {
                t.head_lines.push(l.no);
                continue;
            }
            let raw_cells = split_cells(l.text);
            if raw_cells.len() != t.columns.len() {
                self.diags.push(Diagnostic::new(
                    l.no,
                    Severity::Warning,
                    format!(
                        "{section}: row has {} cells but the header has {}; cells read left to right",
                        raw_cells.len(),
                        t.columns.len()
                    ),
                ));
            }
            let mut cells: Vec<Cell> = raw_cells
                .into_iter()
                .enumerate()
                .map(|(ci, text)| {
                    let k = kinds.get(ci).copied().unwrap_or(Kind::Text);
                    cell(text.trim(), k)
                })
                .collect();
            while cells.len() < t.columns.len() {
                cells.push(Cell {
                    text: String::new(),
                    value: Value::Empty,
                });
            }
            for (ci, c) in cells.iter().enumerate() {
                if kinds.get(ci) == Some(&Kind::Int)
                    && !matches!(c.value, Value::Int(_) | Value::Empty | Value::Unfilled)
                {
                    self.diags.push(Diagnostic::new(
                        l.no,
                        Severity::Warning,
                        format!(
                            "{section}: `{}` should be a whole number but is `{}`; kept as written",
                            t.columns.get(ci).map_or("", String::as_str),
                            c.text
                        ),
                    ));
                }
            }
            t.rows.push(TableRow { line: l.no, cells });
        }
        t
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// Type the value from how it is written.
    Infer,
    /// Keep it as text (versions, hashes, paths, commands).
    Text,
    /// A whole number (warn if not).
    Int,
}

fn summary_kind(key: &str) -> Kind {
    match key {
        "duration_sec" => Kind::Int,
        "git_dirty" => Kind::Infer,
        "experiment" | "run_id" | "status" | "started_at" | "finished_at" | "git_commit"
        | "host" | "user" | "os" | "python" | "conda_env" | "cuda" | "cuda_driver" | "torch"
        | "gpus" => Kind::Text,
        _ => Kind::Infer,
    }
}

fn step_kind(key: &str) -> Kind {
    match key {
        "step_id" | "retries" => Kind::Int,
        "name" | "stage" | "status" | "config" | "logs" | "error" | "error_stack" => Kind::Text,
        _ => Kind::Infer,
    }
}

/// Re-types every scalar of a node (and its list items) as text.
fn text_all(node: Node) -> Node {
    match node.value {
        Value::List(items) => Node {
            value: Value::List(items.into_iter().map(text_all).collect()),
            ..node
        },
        _ => node.into_text(),
    }
}

fn cell(text: &str, kind: Kind) -> Cell {
    let value = match (kind, infer_scalar(text)) {
        (_, v @ (Value::Empty | Value::Unfilled)) => v,
        (Kind::Text, _) => Value::Str(text.to_string()),
        (_, v) => v,
    };
    Cell {
        text: text.to_string(),
        value,
    }
}

fn is_separator(line: &str) -> bool {
    let cells = split_cells(line);
    !cells.is_empty()
        && cells.iter().all(|c| {
            let c = c.trim();
            !c.is_empty() && c.contains('-') && c.chars().all(|ch| matches!(ch, '-' | ':' | ' '))
        })
}

/// Splits a `| a | b |` row into cells; `\|` is a literal bar.
fn split_cells(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = if t.ends_with('|') && !t.ends_with("\\|") {
        &t[..t.len() - 1]
    } else {
        t
    };
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cur.push('|');
                chars.next();
            }
            '|' => cells.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    cells.push(cur);
    cells.into_iter().map(|c| c.trim().to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_and_bom() {
        assert_eq!(split_lines("\u{feff}a\r\nb\rc\n"), vec!["a", "b", "c"]);
        assert_eq!(split_lines("a\n\nb"), vec!["a", "", "b"]);
    }

    #[test]
    fn cells_split_with_escapes() {
        assert_eq!(split_cells("| a | b\\|c |  |"), vec!["a", "b|c", ""]);
        assert!(is_separator("| --- | :---: |"));
        assert!(!is_separator("| a | --- |"));
    }

    #[test]
    fn empty_text_is_an_error_not_a_failure() {
        let p = parse("  \n\n");
        assert_eq!(p.count(Severity::Error), 1);
    }

    #[test]
    fn heading_inside_fence_is_not_a_section() {
        let p = parse("## Notes\n```\n## Summary\n```\n## Summary\n- run_id: x\n");
        assert_eq!(p.archive.run_id(), Some("x"));
        assert_eq!(p.archive.extra_sections[0].lines.len(), 3);
    }
}
