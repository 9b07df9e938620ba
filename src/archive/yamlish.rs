//! A lenient reader for the YAML-like lists and maps inside archive sections.
//!
//! Real archives are YAML-like, not YAML: unquoted values that contain `": "`, stack traces
//! without a `|`, stray prose lines. A strict YAML parser rejects the whole block at the first
//! such line; this reader keeps every line it can place and returns the rest as unmapped lines
//! with a diagnostic, line by line. It follows YAML's indentation rules for block maps,
//! sequences and `|`/`>` block scalars; quoted and flow scalars are decoded by `serde_yaml`.
//! Unlike YAML it keeps ` # ...` inside plain values (a commit message's `fix #12` is data).
//!
//! **Invariant: every non-blank line handed in ends up in exactly one of the returned nodes,
//! comments or unmapped lines.** Pure: no I/O.

use std::collections::HashSet;

use super::diagnostics::{Diagnostic, Severity};
use super::model::RawLine;
use super::value::{infer_scalar, Entry, Map, Node, Value};

/// One source line of a section body.
#[derive(Debug, Clone, Copy)]
pub struct SrcLine<'a> {
    /// 1-based line number in the archive.
    pub no: u32,
    /// The line without its line ending.
    pub text: &'a str,
}

/// What [`read_block`] found in a run of lines.
#[derive(Debug, Default)]
pub struct Block {
    /// Top-level values in order (a section is usually one list of `- key: value` items).
    pub nodes: Vec<Node>,
    /// `#` comment lines.
    pub comments: Vec<RawLine>,
    /// Lines that fit no structure, kept verbatim.
    pub unmapped: Vec<RawLine>,
    /// What could not be read as intended, with line numbers.
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    no: u32,
    indent: usize,
    /// The text after the indentation, trailing white space removed.
    content: &'a str,
    raw: &'a str,
}

impl Line<'_> {
    fn is_blank(&self) -> bool {
        self.content.is_empty()
    }
    fn is_comment(&self) -> bool {
        self.content.starts_with('#')
    }
    fn is_dash(&self) -> bool {
        self.content == "-" || self.content.starts_with("- ") || self.content.starts_with("-\t")
    }
}

fn indent_of(text: &str) -> usize {
    let mut n = 0;
    for c in text.chars() {
        match c {
            ' ' => n += 1,
            '\t' => n += 4 - n % 4,
            _ => break,
        }
    }
    n
}

/// Reads the YAML-like lines of one section body.
pub fn read_block(lines: &[SrcLine<'_>], section: &str) -> Block {
    let lines: Vec<Line<'_>> = lines
        .iter()
        .map(|l| Line {
            no: l.no,
            indent: indent_of(l.text),
            content: l.text.trim(),
            raw: l.text,
        })
        .collect();
    let mut r = Reader {
        lines,
        pos: 0,
        section,
        out: Block::default(),
        depth: 0,
    };
    loop {
        r.skip_trivia();
        let Some(cur) = r.peek() else { break };
        let before = r.pos;
        if cur.is_dash() || split_key(cur.content).is_some() {
            let node = r.block(cur.indent);
            r.out.nodes.push(node);
        }
        if r.pos == before {
            r.stray(cur, "is not a `- key: value` line");
        }
    }
    r.out
}

struct Reader<'a> {
    lines: Vec<Line<'a>>,
    pos: usize,
    section: &'a str,
    out: Block,
    /// Nesting levels open (children read under a key or dash).
    depth: usize,
}

/// Deepest nesting read as structure. Anything deeper is kept as text: every reader of the
/// tree (JSON, diff, the viewer's tree) recurses, and the browser's stack is small, so a
/// hostile archive nested thousands of levels deep must not become a tree that deep.
pub const MAX_DEPTH: usize = 48;

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<Line<'a>> {
        self.lines.get(self.pos).copied()
    }

    /// Moves past blank and comment lines, keeping the comments.
    fn skip_trivia(&mut self) {
        while let Some(l) = self.peek() {
            if l.is_blank() {
                self.pos += 1;
            } else if l.is_comment() {
                self.out.comments.push(RawLine::new(l.no, l.raw));
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn stray(&mut self, l: Line<'_>, why: &str) {
        self.out.unmapped.push(RawLine::new(l.no, l.raw));
        self.out.diagnostics.push(Diagnostic::new(
            l.no,
            Severity::Warning,
            format!("{}: line {why}; kept as unmapped text", self.section),
        ));
        self.pos += 1;
    }

    /// A list or a map whose lines start at column `indent`.
    fn block(&mut self, indent: usize) -> Node {
        match self.peek() {
            Some(l) if l.is_dash() => self.list(indent),
            _ => self.map(indent, None),
        }
    }

    fn list(&mut self, indent: usize) -> Node {
        let mut items = Vec::new();
        let start = self.peek().map_or(0, |l| l.no);
        let mut end = start;
        loop {
            self.skip_trivia();
            let Some(cur) = self.peek() else { break };
            if cur.indent != indent || !cur.is_dash() {
                break;
            }
            self.pos += 1;
            let rest = cur.content[1..].trim_start();
            let item = if rest.is_empty() {
                // The item starts at its dash line, even when its content is on later lines.
                let mut item = self.children_of(indent, cur.no, false);
                item.line = cur.no;
                item
            } else if split_key(rest).is_some() {
                // `- key: value` opens a map whose keys line up with `key`.
                let col = indent + (cur.content.len() - rest.len());
                self.map(col, Some((rest, cur)))
            } else {
                self.scalar(rest, cur, indent)
            };
            end = end.max(item.end_line);
            items.push(item);
        }
        Node {
            line: start,
            end_line: end,
            text: String::new(),
            value: Value::List(items),
        }
    }

    fn map(&mut self, indent: usize, first: Option<(&'a str, Line<'a>)>) -> Node {
        let mut map = Map::default();
        // Keys seen so far, to warn about repeats without a quadratic scan of big maps.
        let mut seen: HashSet<&'a str> = HashSet::new();
        let mut start = 0;
        let mut end = 0;
        if let Some((content, line)) = first {
            start = line.no;
            if let Some((k, _)) = split_key(content) {
                seen.insert(k);
            }
            let e = self.entry(content, line, indent, true);
            end = e.node.end_line.max(line.no);
            map.entries.push(e);
        }
        loop {
            self.skip_trivia();
            let Some(cur) = self.peek() else { break };
            if cur.indent < indent {
                break;
            }
            if cur.indent > indent {
                self.stray(cur, "is indented deeper than the keys around it");
                continue;
            }
            if cur.is_dash() {
                break;
            }
            if split_key(cur.content).is_none() {
                self.stray(cur, "is not a `key: value` line");
                continue;
            }
            self.pos += 1;
            if start == 0 {
                start = cur.no;
            }
            let repeated = split_key(cur.content).is_some_and(|(k, _)| !seen.insert(k));
            let e = self.entry(cur.content, cur, indent, false);
            end = end.max(e.node.end_line).max(cur.no);
            if repeated {
                self.out.diagnostics.push(Diagnostic::new(
                    cur.no,
                    Severity::Warning,
                    format!(
                        "{}: key `{}` appears more than once in the same map; both kept",
                        self.section, e.key
                    ),
                ));
            }
            map.entries.push(e);
        }
        Node {
            line: start,
            end_line: end.max(start),
            text: String::new(),
            value: Value::Map(map),
        }
    }

    /// Reads `key: value` (the current line already consumed) and whatever belongs under it.
    ///
    /// `opens_item` is set for the key on a `- key:` line. The archive format writes that
    /// key's children at the key's own column (`- pipeline_resolved:` then `  EXP_NAME: x`),
    /// which YAML would read as siblings; here they are its children, as the pipeline means.
    fn entry(
        &mut self,
        content: &'a str,
        line: Line<'a>,
        indent: usize,
        opens_item: bool,
    ) -> Entry {
        let (key, rest) = split_key(content).unwrap_or((content, ""));
        let node = if rest.is_empty() && opens_item && self.next_is_key_at(indent) {
            self.map(indent, None)
        } else if rest.is_empty() {
            self.children_of(indent, line.no, true)
        } else if let Some(style) = block_scalar_style(rest) {
            self.block_scalar(style, line, indent)
        } else {
            if !rest.starts_with(['"', '\'']) && rest.contains(": ") {
                self.out.diagnostics.push(Diagnostic::new(
                    line.no,
                    Severity::Info,
                    format!(
                        "{}: the value of `{key}` contains \": \", which is not valid YAML; read as text",
                        self.section
                    ),
                ));
            }
            self.scalar(rest, line, indent)
        };
        Entry {
            key: key.to_string(),
            line: line.no,
            node,
        }
    }

    /// Whether the next structural line is a `key:` line at exactly `indent`.
    fn next_is_key_at(&self, indent: usize) -> bool {
        self.lines[self.pos.min(self.lines.len())..]
            .iter()
            .find(|l| !l.is_blank() && !l.is_comment())
            .is_some_and(|l| l.indent == indent && !l.is_dash() && split_key(l.content).is_some())
    }

    /// What sits under a key or dash with nothing after it on its own line.
    fn children_of(&mut self, indent: usize, line_no: u32, allow_same_indent_list: bool) -> Node {
        let save = self.pos;
        let comments_before = self.out.comments.len();
        self.skip_trivia();
        match self.peek() {
            Some(next) if next.indent > indent => {
                if self.depth >= MAX_DEPTH {
                    self.too_deep(next.no);
                    self.text_block(indent, line_no)
                } else if next.is_dash() || split_key(next.content).is_some() {
                    self.depth += 1;
                    let node = self.block(next.indent);
                    self.depth -= 1;
                    node
                } else {
                    self.text_block(indent, line_no)
                }
            }
            Some(next) if allow_same_indent_list && next.indent == indent && next.is_dash() => {
                if self.depth >= MAX_DEPTH {
                    self.too_deep(next.no);
                    // The list and everything under it, up to the next line that is not
                    // one of its items or deeper.
                    return self.text_while(line_no, |l| {
                        l.indent > indent || (l.indent == indent && l.is_dash())
                    });
                }
                self.depth += 1;
                let node = self.list(indent);
                self.depth -= 1;
                node
            }
            _ => {
                // Nothing under it: leave trailing comments to whoever reads next.
                self.pos = save;
                self.out.comments.truncate(comments_before);
                Node::scalar(line_no, "", Value::Empty)
            }
        }
    }

    /// Lines under a key that are neither keys nor list items (a stack trace written without
    /// `|`): read as one multi-line text, indentation relative to its first line kept.
    fn text_block(&mut self, indent: usize, key_line: u32) -> Node {
        self.text_while(key_line, |l| l.indent > indent)
    }

    fn too_deep(&mut self, line: u32) {
        self.out.diagnostics.push(Diagnostic::new(
            line,
            Severity::Warning,
            format!(
                "{}: nested more than {MAX_DEPTH} levels deep; the deeper lines are kept as text",
                self.section
            ),
        ));
    }

    /// The lines from here while `keep` holds (blank lines in between included), as one
    /// text, indentation relative to its least indented line kept.
    fn text_while(&mut self, key_line: u32, keep: impl Fn(&Line<'a>) -> bool) -> Node {
        let mut parts: Vec<Line<'a>> = Vec::new();
        while let Some(l) = self.peek() {
            if !l.is_blank() && !keep(&l) {
                break;
            }
            parts.push(l);
            self.pos += 1;
        }
        while parts.last().is_some_and(|l| l.is_blank()) {
            parts.pop();
            self.pos -= 1;
        }
        let base = parts
            .iter()
            .filter(|l| !l.is_blank())
            .map(|l| l.indent)
            .min()
            .unwrap_or(0);
        let text = parts
            .iter()
            .map(|l| dedent(l.raw, base))
            .collect::<Vec<_>>()
            .join("\n");
        let end = parts.last().map_or(key_line, |l| l.no);
        let first = parts.first().map_or(key_line, |l| l.no);
        Node {
            line: first,
            end_line: end,
            text: text.clone(),
            value: Value::Str(text),
        }
    }

    fn block_scalar(&mut self, style: BlockStyle, line: Line<'a>, indent: usize) -> Node {
        let mut body: Vec<Line<'a>> = Vec::new();
        while let Some(l) = self.peek() {
            if !l.is_blank() && l.indent <= indent {
                break;
            }
            body.push(l);
            self.pos += 1;
        }
        // Trailing blank lines belong to the chomping rule, not to the next key.
        let mut trailing_blank = 0;
        while body.last().is_some_and(|l| l.is_blank()) {
            body.pop();
            self.pos -= 1;
            trailing_blank += 1;
        }
        let base = style.indent.map_or_else(
            || {
                body.iter()
                    .filter(|l| !l.is_blank())
                    .map(|l| l.indent)
                    .min()
                    .unwrap_or(indent + 2)
            },
            |i| indent + i,
        );
        let rows: Vec<String> = body.iter().map(|l| dedent(l.raw, base)).collect();
        let mut text = if style.folded {
            fold(&rows)
        } else {
            rows.join("\n")
        };
        if !rows.is_empty() {
            match style.chomp {
                Chomp::Strip => {}
                Chomp::Clip => text.push('\n'),
                Chomp::Keep => {
                    text.push('\n');
                    text.push_str(&"\n".repeat(trailing_blank));
                }
            }
        }
        let end = body.last().map_or(line.no, |l| l.no);
        Node {
            line: line.no,
            end_line: end,
            text: text.clone(),
            value: Value::Str(text),
        }
    }

    /// A scalar starting on `line` (already consumed): quoted, flow or plain, with plain
    /// continuation lines indented deeper than `indent`.
    fn scalar(&mut self, rest: &'a str, line: Line<'a>, indent: usize) -> Node {
        if let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
            if let Some(node) = self.quoted(rest, q, line) {
                return node;
            }
        }
        if rest.starts_with(['[', '{']) {
            if let Some(node) = flow(rest, line.no) {
                return node;
            }
        }
        let mut text = rest.to_string();
        let mut end = line.no;
        // Plain multi-line value: deeper lines continue it (blank lines inside kept).
        let mut look = self.pos;
        let mut pending_blank = 0;
        while let Some(l) = self.lines.get(look).copied() {
            if l.is_blank() {
                pending_blank += 1;
                look += 1;
                continue;
            }
            if l.indent <= indent {
                break;
            }
            for _ in 0..pending_blank {
                text.push('\n');
            }
            pending_blank = 0;
            text.push('\n');
            text.push_str(l.content);
            end = l.no;
            look += 1;
            self.pos = look;
        }
        let value = if end == line.no {
            infer_scalar(&text)
        } else {
            Value::Str(text.clone())
        };
        Node {
            line: line.no,
            end_line: end,
            text,
            value,
        }
    }

    fn quoted(&mut self, rest: &'a str, q: char, line: Line<'a>) -> Option<Node> {
        // Find the closing quote, possibly on a later line.
        let mut raw = rest.to_string();
        let mut end = line.no;
        let mut look = self.pos;
        loop {
            if let Some(close) = closing_quote(&raw, q) {
                let after = raw[close + 1..].trim();
                if !after.is_empty() && !after.starts_with('#') {
                    return None;
                }
                let src = &raw[..=close];
                let text = decode_quoted(src, q).unwrap_or_else(|| {
                    self.out.diagnostics.push(Diagnostic::new(
                        line.no,
                        Severity::Warning,
                        format!(
                            "{}: quoted value has an invalid escape; shown as written",
                            self.section
                        ),
                    ));
                    src[1..src.len() - 1].to_string()
                });
                self.pos = look;
                return Some(Node {
                    line: line.no,
                    end_line: end,
                    text: text.clone(),
                    value: Value::Str(text),
                });
            }
            let next = self.lines.get(look).copied()?;
            if !next.is_blank() && next.indent == 0 {
                break;
            }
            raw.push('\n');
            raw.push_str(next.raw);
            end = next.no;
            look += 1;
        }
        self.out.diagnostics.push(Diagnostic::new(
            line.no,
            Severity::Warning,
            format!(
                "{}: quoted value has no closing {q}; read as plain text",
                self.section
            ),
        ));
        None
    }
}

fn dedent(raw: &str, base: usize) -> String {
    let mut col = 0;
    for (i, c) in raw.char_indices() {
        if col >= base {
            return raw[i..].trim_end().to_string();
        }
        match c {
            ' ' => col += 1,
            '\t' => col += 4 - col % 4,
            _ => return raw[i..].trim_end().to_string(),
        }
    }
    String::new()
}

/// YAML folding for `>`: single newlines become spaces, blank lines become newlines,
/// more-indented lines keep their breaks.
fn fold(rows: &[String]) -> String {
    let mut out = String::new();
    let mut prev_literal = false;
    for (i, r) in rows.iter().enumerate() {
        let literal = r.starts_with([' ', '\t']);
        if i > 0 {
            if r.is_empty() || prev_literal || literal || rows[i - 1].is_empty() {
                out.push('\n');
            } else {
                out.push(' ');
            }
        }
        out.push_str(r);
        prev_literal = literal;
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Chomp {
    Clip,
    Strip,
    Keep,
}

#[derive(Debug, Clone, Copy)]
struct BlockStyle {
    folded: bool,
    chomp: Chomp,
    indent: Option<usize>,
}

fn block_scalar_style(rest: &str) -> Option<BlockStyle> {
    let head = rest.split(" #").next().unwrap_or(rest).trim();
    let mut chars = head.chars();
    let folded = match chars.next()? {
        '|' => false,
        '>' => true,
        _ => return None,
    };
    let mut style = BlockStyle {
        folded,
        chomp: Chomp::Clip,
        indent: None,
    };
    for c in chars {
        match c {
            '-' => style.chomp = Chomp::Strip,
            '+' => style.chomp = Chomp::Keep,
            d @ '1'..='9' => style.indent = d.to_digit(10).map(|d| d as usize),
            _ => return None,
        }
    }
    Some(style)
}

/// Splits `key: value` or `key:`; `None` when the line is not a key line.
pub fn split_key(content: &str) -> Option<(&str, &str)> {
    if content.starts_with(['"', '\'']) {
        let q = content.chars().next()?;
        let close = closing_quote(content, q)?;
        let after = &content[close + 1..];
        let rest = after.strip_prefix(':')?;
        if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
            return None;
        }
        let key = &content[1..close];
        return Some((key, rest.trim()));
    }
    if content.starts_with([
        '-', '#', '|', '>', '!', '&', '*', '?', '%', '@', '`', '[', '{',
    ]) {
        return None;
    }
    let bytes = content.as_bytes();
    let mut colon = None;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b':' && (i + 1 == bytes.len() || matches!(bytes[i + 1], b' ' | b'\t')) {
            colon = Some(i);
            break;
        }
    }
    let colon = colon?;
    let key = content[..colon].trim_end();
    if key.is_empty()
        || key.len() > 200
        || key.contains(['"', '\'', '(', ')', ',', '{', '}', '[', ']'])
    {
        return None;
    }
    Some((key, content[colon + 1..].trim()))
}

/// Byte index of the quote that closes the one at index 0.
fn closing_quote(s: &str, q: char) -> Option<usize> {
    let bytes = s.as_bytes();
    let qb = q as u8;
    let mut i = 1;
    while i < bytes.len() {
        let b = bytes[i];
        if q == '"' && b == b'\\' {
            i += 2;
            continue;
        }
        if b == qb {
            if q == '\'' && bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i);
        }
        i += 1;
    }
    None
}

fn decode_quoted(src: &str, q: char) -> Option<String> {
    match serde_yaml::from_str::<serde_yaml::Value>(src) {
        Ok(serde_yaml::Value::String(s)) => Some(s),
        _ => {
            if q == '\'' {
                Some(src[1..src.len() - 1].replace("''", "'"))
            } else {
                None
            }
        }
    }
}

/// A one-line flow value (`[a, b]`, `{k: v}`), decoded by serde_yaml; `None` when it is not
/// valid YAML (then it is read as plain text).
fn flow(rest: &str, line: u32) -> Option<Node> {
    let v: serde_yaml::Value = serde_yaml::from_str(rest).ok()?;
    let mut node = from_yaml(&v, line);
    node.text = rest.to_string();
    Some(node)
}

fn from_yaml(v: &serde_yaml::Value, line: u32) -> Node {
    use serde_yaml::Value as Y;
    let (text, value) = match v {
        Y::Null => (String::new(), Value::Empty),
        Y::Bool(b) => (b.to_string(), Value::Bool(*b)),
        Y::Number(n) => {
            let t = n.to_string();
            let val = n
                .as_i64()
                .map(Value::Int)
                .or_else(|| n.as_f64().filter(|f| f.is_finite()).map(Value::Float))
                .unwrap_or_else(|| Value::Str(t.clone()));
            (t, val)
        }
        Y::String(s) => (s.clone(), infer_scalar(s)),
        Y::Sequence(items) => (
            String::new(),
            Value::List(items.iter().map(|i| from_yaml(i, line)).collect()),
        ),
        Y::Mapping(m) => {
            let entries = m
                .iter()
                .map(|(k, v)| Entry {
                    key: match k {
                        Y::String(s) => s.clone(),
                        other => serde_yaml::to_string(other)
                            .map(|s| s.trim().to_string())
                            .unwrap_or_default(),
                    },
                    line,
                    node: from_yaml(v, line),
                })
                .collect();
            (String::new(), Value::Map(Map { entries }))
        }
        Y::Tagged(t) => return from_yaml(&t.value, line),
    };
    Node {
        line,
        end_line: line,
        text,
        value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(src: &str) -> Block {
        let lines: Vec<SrcLine<'_>> = src
            .lines()
            .enumerate()
            .map(|(i, t)| SrcLine {
                no: i as u32 + 1,
                text: t,
            })
            .collect();
        read_block(&lines, "Test")
    }

    fn first_map(b: &Block) -> &Map {
        let list = b.nodes[0].as_list().unwrap_or_default();
        list[0]
            .as_map()
            .unwrap_or_else(|| b.nodes[0].as_map().unwrap())
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_kept_as_text() {
        let mut src = String::from("- root:\n");
        for d in 1..=3000 {
            src.push_str(&format!("{}- k{d}:\n", "  ".repeat(d)));
        }
        src.push_str(&format!("{}- leaf: 1\n", "  ".repeat(3001)));
        let b = read(&src);
        let mut depth = 0;
        let mut node = &b.nodes[0];
        loop {
            let next = match &node.value {
                Value::List(items) => items.first(),
                Value::Map(m) => m.entries.first().map(|e| &e.node),
                _ => None,
            };
            match next {
                Some(n) => {
                    depth += 1;
                    node = n;
                }
                None => break,
            }
        }
        assert!(depth <= 3 * MAX_DEPTH, "tree {depth} deep");
        let Value::Str(text) = &node.value else {
            panic!("the deepest node is not text: {:?}", node.value)
        };
        assert!(text.ends_with("- leaf: 1"), "the deeper lines are kept");
        assert_eq!(node.end_line as usize, 3002);
        assert!(b
            .diagnostics
            .iter()
            .any(|d| d.message.contains("nested more than")));
    }

    #[test]
    fn nested_maps_and_lists() {
        let b = read("- step_id: 1\n  name: train\n  inputs:\n    load: /a/b\n  warnings:\n    - w1\n    - w2\n");
        let m = first_map(&b);
        assert_eq!(m.get("step_id").and_then(Node::as_i64), Some(1));
        assert_eq!(
            m.get("inputs")
                .and_then(|n| n.as_map())
                .and_then(|m| m.get("load"))
                .and_then(Node::as_text),
            Some("/a/b")
        );
        assert_eq!(
            m.get("warnings").and_then(Node::as_list).map(|l| l.len()),
            Some(2)
        );
        assert!(b.unmapped.is_empty());
    }

    #[test]
    fn value_with_colon_space_is_text_with_a_note() {
        let b = read("- error: torch.OutOfMemoryError: CUDA out of memory.\n");
        let m = first_map(&b);
        assert_eq!(
            m.get("error").and_then(Node::as_text),
            Some("torch.OutOfMemoryError: CUDA out of memory.")
        );
        assert_eq!(b.diagnostics.len(), 1);
        assert_eq!(b.diagnostics[0].line, 1);
    }

    #[test]
    fn literal_block_scalar_keeps_lines() {
        let b = read("- error_stack: |\n    Traceback:\n      File x\n    Boom: y\n- retries: 2\n");
        let l = b.nodes[0].as_list().unwrap_or_default();
        let m = l[0].as_map().unwrap_or_else(|| panic!("map"));
        assert_eq!(
            m.get("error_stack").map(|n| n.text.as_str()),
            Some("Traceback:\n  File x\nBoom: y\n")
        );
        assert_eq!(
            l[1].as_map()
                .and_then(|m| m.get("retries"))
                .and_then(Node::as_i64),
            Some(2)
        );
    }

    #[test]
    fn stack_trace_without_pipe_is_text() {
        let b = read("- error_stack:\n    Traceback (most recent call last):\n      File \"a.py\", line 1\n    ValueError: x\n");
        let m = first_map(&b);
        assert_eq!(
            m.get("error_stack").and_then(Node::as_text),
            Some("Traceback (most recent call last):\n  File \"a.py\", line 1\nValueError: x")
        );
    }

    #[test]
    fn quoted_values_are_unescaped() {
        let b = read("- a: \"line1\\nline2\"\n- b: 'it''s'\n- c: \"multi\n    line\"\n");
        let l = b.nodes[0].as_list().unwrap_or_default();
        let get = |i: usize, k: &str| l[i].as_map().and_then(|m| m.get(k)).map(|n| n.text.clone());
        assert_eq!(get(0, "a").as_deref(), Some("line1\nline2"));
        assert_eq!(get(1, "b").as_deref(), Some("it's"));
        assert_eq!(get(2, "c").as_deref(), Some("multi line"));
    }

    #[test]
    fn stray_lines_are_kept() {
        let b = read("Some prose\n- a: 1\n  junk line\n- b: 2\n");
        assert_eq!(
            b.unmapped.iter().map(|l| l.line).collect::<Vec<_>>(),
            vec![1, 3]
        );
        assert_eq!(b.diagnostics.len(), 2);
    }

    #[test]
    fn empty_key_and_same_indent_list() {
        let b = read("- warnings:\n- hf_models:\n  - /x\n- datasets:\n  - a\n");
        let l = b.nodes[0].as_list().unwrap_or_default();
        assert_eq!(l.len(), 3);
        assert_eq!(
            l[0].as_map()
                .and_then(|m| m.get("warnings"))
                .map(|n| &n.value),
            Some(&Value::Empty)
        );
        assert_eq!(
            l[1].as_map()
                .and_then(|m| m.get("hf_models"))
                .and_then(Node::as_list)
                .map(|l| l.len()),
            Some(1)
        );
    }

    #[test]
    fn flow_lists_are_decoded() {
        let b = read("- datasets: [mmlu, gsm8k]\n");
        let m = first_map(&b);
        assert_eq!(
            m.get("datasets").and_then(Node::as_list).map(|l| l.len()),
            Some(2)
        );
    }

    #[test]
    fn key_detection() {
        assert_eq!(split_key("a: b"), Some(("a", "b")));
        assert_eq!(
            split_key("configs/steps/02.py:"),
            Some(("configs/steps/02.py", ""))
        );
        assert_eq!(
            split_key("url: http://x:80/y"),
            Some(("url", "http://x:80/y"))
        );
        assert_eq!(split_key("http://x"), None);
        assert_eq!(split_key("File \"a\", line 3"), None);
        assert_eq!(split_key("Traceback (most recent call last):"), None);
        assert_eq!(split_key("\"odd key\": 1"), Some(("odd key", "1")));
    }
}
