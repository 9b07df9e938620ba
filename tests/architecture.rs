//! The architecture, read from the source: the pure core imports nothing from the browser,
//! no component imports the app, and the module graph has no circle.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure should stop the test

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("src dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// `state/apply.rs` -> `state::apply`; `state/mod.rs` -> `state`; `lib.rs` -> ``.
fn module_of(path: &Path) -> String {
    let rel = path.strip_prefix(src()).expect("under src");
    let mut parts: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts.join("::")
}

/// The code of a file without its `#[cfg(test)] mod tests` block and comments.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("read");
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => &text,
    };
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

const BROWSER: [&str; 5] = ["yew::", "web_sys", "gloo", "wasm_bindgen", "js_sys"];

#[test]
fn the_pure_core_imports_nothing_from_the_browser() {
    let pure = [
        "archive",
        "chart",
        "diff",
        "ingest",
        "lineage",
        "loading",
        "query",
        "relate",
        "share",
        "state",
        "table",
        "runs.rs",
        "format.rs",
        "resources.rs",
    ];
    let mut files = Vec::new();
    for p in pure {
        let path = src().join(p);
        if path.is_dir() {
            rust_files(&path, &mut files);
        } else {
            files.push(path);
        }
    }
    assert!(files.len() > 30, "found the core: {}", files.len());
    for f in files {
        let c = code(&f);
        for b in BROWSER {
            assert!(!c.contains(b), "{} uses {b}", f.display());
        }
    }
}

/// Module -> the modules it imports (`crate::a::b`, `super::x`), at file level.
fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.retain(|f| !f.starts_with(src().join("bin")));
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(f)).collect();
    let mut graph = BTreeMap::new();
    for f in &files {
        let me = module_of(f);
        let c = code(f);
        let mut deps = BTreeSet::new();
        let mut paths: Vec<Vec<String>> = Vec::new();
        for (prefix, base) in [
            ("crate::", Vec::new()),
            ("super::", {
                let mut p: Vec<String> = me.split("::").map(str::to_string).collect();
                p.pop();
                p
            }),
        ] {
            let mut rest = c.as_str();
            while let Some(i) = rest.find(prefix) {
                let after = &rest[i + prefix.len()..];
                let name: String = after
                    .chars()
                    .take_while(|ch| ch.is_alphanumeric() || *ch == '_' || *ch == ':')
                    .collect();
                let mut p = base.clone();
                p.extend(
                    name.split("::")
                        .filter(|s| !s.is_empty())
                        .map(str::to_string),
                );
                // `use super::{a, b}` imports from the parent itself.
                paths.push(p);
                rest = &after[name.len()..];
            }
        }
        // A module's own `use child::…` / `pub use child::…` (a re-export) imports its child.
        for line in c.lines() {
            let l = line.trim_start();
            let Some(rest) = l
                .strip_prefix("pub use ")
                .or_else(|| l.strip_prefix("use "))
            else {
                continue;
            };
            let first: String = rest
                .chars()
                .take_while(|ch| ch.is_alphanumeric() || *ch == '_')
                .collect();
            let child = if me.is_empty() {
                first.clone()
            } else {
                format!("{me}::{first}")
            };
            if !first.is_empty() && modules.contains(&child) {
                paths.push(child.split("::").map(str::to_string).collect());
            }
        }
        for p in paths {
            // The longest prefix that is a module.
            let target = (0..=p.len())
                .rev()
                .map(|k| p[..k].join("::"))
                .find(|m| modules.contains(m));
            if let Some(t) = target {
                if t != me && !t.is_empty() {
                    deps.insert(t);
                }
            }
        }
        graph.insert(me, deps);
    }
    graph
}

#[test]
fn no_component_imports_the_app() {
    let g = import_graph();
    for (m, deps) in &g {
        if m.starts_with("components") || m.starts_with("shell") || m.starts_with("loader") {
            assert!(!deps.contains("app"), "{m} imports app");
        }
    }
    assert!(g.len() > 60, "read the whole tree: {}", g.len());
}

#[test]
fn the_module_graph_has_no_circle() {
    let g = import_graph();
    // Depth-first search with colours; a grey node reached again closes a circle.
    fn visit(
        m: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        colour: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        colour.insert(m.to_string(), 1);
        stack.push(m.to_string());
        for d in g.get(m).into_iter().flatten() {
            match colour.get(d.as_str()).copied().unwrap_or(0) {
                1 => {
                    let at = stack.iter().position(|x| x == d).unwrap_or(0);
                    let mut circle = stack[at..].to_vec();
                    circle.push(d.clone());
                    return Some(circle);
                }
                0 => {
                    if let Some(c) = visit(d, g, colour, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        colour.insert(m.to_string(), 2);
        None
    }
    let mut colour = BTreeMap::new();
    for m in g.keys() {
        if colour.get(m.as_str()).copied().unwrap_or(0) == 0 {
            if let Some(c) = visit(m, &g, &mut colour, &mut Vec::new()) {
                panic!("import circle: {}", c.join(" -> "));
            }
        }
    }
}
