//! Tidiness rules that hold across the repository: every Rust file opens with a `//!` line
//! saying what it is for, and no files of a crate import each other in a circle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_rust_file_says_what_it_is_for() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for crate_dir in ["shared", "backend", "frontend"] {
        for sub in ["src", "tests", "examples", "benches"] {
            rust_files(&root.join(crate_dir).join(sub), &mut files);
        }
    }
    assert!(files.len() > 10, "found only {} files", files.len());
    let missing: Vec<String> = files
        .iter()
        .filter(|p| !std::fs::read_to_string(p).is_ok_and(|s| s.trim_start().starts_with("//!")))
        .map(|p| p.strip_prefix(&root).unwrap_or(p).display().to_string())
        .collect();
    assert!(missing.is_empty(), "files without a `//!` opening line:\n{}", missing.join("\n"));
}

#[test]
fn no_files_of_the_core_import_each_other_in_a_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = import_graph(&src);
    assert!(graph.len() > 10, "found only {} files", graph.len());
    assert!(graph["engine.rs"].contains("questionnaire/mod.rs"), "the checker sees `use crate::…`: {graph:?}");
    let circles = circles(&graph);
    assert!(circles.is_empty(), "files that import each other in a circle:\n{}", circles.join("\n"));
}

#[test]
fn the_circle_check_finds_a_circle_and_ignores_what_is_not_one() {
    let dir = std::env::temp_dir().join(format!("beratta-tidy-{}", std::process::id()));
    let files: &[(&str, &str)] = &[
        ("lib.rs", "//! Root.\npub mod a;\npub mod b;\npub mod p;\npub use a::A;\n"),
        ("a.rs", "//! A.\nuse crate::b::{self, B};\npub struct A;\n#[cfg(test)]\nmod tests {\n    use super::*;\n}\n"),
        ("b.rs", "//! B.\n// use crate::p; is a comment\nconst S: &str = \"crate::p::P\";\npub fn b() { crate::p::c::f(); }\n"),
        ("p/mod.rs", "//! A parent re-exporting one child and declaring another.\nmod c;\nmod d;\npub use c::f;\n"),
        ("p/c.rs", "//! A child reading its parent.\nuse super::super::a::A;\npub fn f() {}\n"),
        ("p/d.rs", "//! A child reading its sibling.\nuse super::c::f;\nconst R: &str = r#\"use crate::b;\"#;\n"),
    ];
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let graph = import_graph(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    let edges: Vec<String> =
        graph.iter().flat_map(|(from, to)| to.iter().map(move |t| format!("{from} → {t}"))).collect();
    assert_eq!(
        edges,
        ["a.rs → b.rs", "b.rs → p/c.rs", "lib.rs → a.rs", "p/c.rs → a.rs", "p/d.rs → p/c.rs", "p/mod.rs → p/c.rs"]
    );
    assert_eq!(circles(&graph), ["a.rs → b.rs → p/c.rs → a.rs"]);
}

/// Which files of a crate import which: an edge for every `crate::…`, `super::…`, `self::…`
/// path, and every path through a child module, to the file of the deepest module it names.
/// Declaring a module (`mod x;`) is not an edge, so a parent that only declares its children
/// does not depend on them; one that re-exports or uses them does, and a child that uses its
/// parent's re-exports depends on the parent. `src` is the crate's source folder; files are
/// named by their path in it.
fn import_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut paths = Vec::new();
    rust_files(src, &mut paths);
    let mut modules: BTreeMap<Vec<String>, String> = BTreeMap::new();
    for path in &paths {
        let name = path.strip_prefix(src).unwrap_or(path).to_string_lossy().replace('\\', "/");
        // Each file under `src/bin/` is a crate of its own.
        if name.starts_with("bin/") {
            continue;
        }
        let mut module: Vec<String> = name.trim_end_matches(".rs").split('/').map(str::to_string).collect();
        if matches!(name.as_str(), "lib.rs" | "main.rs") || module.last().is_some_and(|m| m == "mod") {
            module.pop();
        }
        modules.insert(module, name);
    }
    let mut graph = BTreeMap::new();
    for (module, name) in &modules {
        let text = std::fs::read_to_string(src.join(name)).unwrap_or_default();
        let mut edges = BTreeSet::new();
        for path in module_paths(module, &tokens(&text)) {
            // The deepest module a path names is the file it depends on; what lies beyond is an
            // item in that file or a module written inline in it.
            let file = (0..=path.len()).rev().find_map(|n| modules.get(&path[..n]));
            if let Some(file) = file.filter(|f| *f != name) {
                edges.insert(file.clone());
            }
        }
        graph.insert(name.clone(), edges);
    }
    graph
}

/// Every circle in the graph, written `a.rs → b.rs → a.rs`; at least one per group of files
/// that reach each other.
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    fn visit<'a>(
        node: &'a str,
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
        out: &mut Vec<String>,
    ) {
        stack.push(node);
        for next in graph.get(node).into_iter().flatten() {
            if let Some(start) = stack.iter().position(|s| s == next) {
                let mut circle = stack[start..].to_vec();
                circle.push(next.as_str());
                out.push(circle.join(" → "));
            } else if !done.contains(next.as_str()) {
                visit(next, graph, stack, done, out);
            }
        }
        stack.pop();
        done.insert(node);
    }
    let mut done = BTreeSet::new();
    let mut out = Vec::new();
    for node in graph.keys() {
        if !done.contains(node.as_str()) {
            visit(node, graph, &mut Vec::new(), &mut done, &mut out);
        }
    }
    out
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Word(String),
    PathSep,
    Punct(char),
}

/// The words and punctuation of Rust source, without comments, strings and characters.
fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let word_char = |c: char| c == '_' || c.is_alphanumeric();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if let Some(end) = raw_string_end(&chars, i) {
            i = end;
        } else if c == '"' || (c == 'b' && next == Some('"')) {
            i += if c == 'b' { 2 } else { 1 };
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
        } else if c == '\'' || (c == 'b' && next == Some('\'')) {
            let start = if c == 'b' { i + 1 } else { i };
            match (chars.get(start + 1), chars.get(start + 2)) {
                // A character, `'\n'` or `'x'`; otherwise a lifetime, whose name is a word.
                (Some('\\'), _) => {
                    i = start + 2;
                    while i < chars.len() && chars[i] != '\'' {
                        i += if chars[i] == '\\' { 2 } else { 1 };
                    }
                    i += 1;
                }
                (Some(_), Some('\'')) => i = start + 3,
                _ => i = start + 1,
            }
        } else if word_char(c) {
            let start = i;
            while i < chars.len() && word_char(chars[i]) {
                i += 1;
            }
            out.push(Token::Word(chars[start..i].iter().collect()));
        } else if c == ':' && next == Some(':') {
            out.push(Token::PathSep);
            i += 2;
        } else {
            out.push(Token::Punct(c));
            i += 1;
        }
    }
    out
}

/// Where a raw string (`r"…"`, `r#"…"#`, `br#"…"#`) starting at `i` ends, if one does.
fn raw_string_end(chars: &[char], i: usize) -> Option<usize> {
    let after_prefix = match (chars.get(i), chars.get(i + 1)) {
        (Some('r'), _) => i + 1,
        (Some('b'), Some('r')) => i + 2,
        _ => return None,
    };
    if i > 0 && (chars[i - 1] == '_' || chars[i - 1].is_alphanumeric()) {
        return None;
    }
    let hashes = chars[after_prefix..].iter().take_while(|&&c| c == '#').count();
    if chars.get(after_prefix + hashes) != Some(&'"') {
        return None;
    }
    let mut j = after_prefix + hashes + 1;
    while j < chars.len() {
        if chars[j] == '"' && chars[j + 1..].iter().take(hashes).filter(|&&c| c == '#').count() == hashes {
            return Some(j + 1 + hashes);
        }
        j += 1;
    }
    Some(chars.len())
}

/// The absolute module paths (crate root first) that a file's `use` trees and paths name.
/// `module` is the file's own module; modules written inline (`mod tests { … }`) are
/// followed, so `super::` inside them means the file itself.
fn module_paths(module: &[String], tokens: &[Token]) -> Vec<Vec<String>> {
    let word = |i: usize| match tokens.get(i) {
        Some(Token::Word(w)) => Some(w.as_str()),
        _ => None,
    };
    let mut out = Vec::new();
    // The inline modules we are in, with the brace depth each one's body is at.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0;
    let here = |inline: &[(String, usize)]| -> Vec<String> {
        module.iter().cloned().chain(inline.iter().map(|(m, _)| m.clone())).collect()
    };
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            Token::Punct('{') => {
                depth += 1;
                i += 1;
            }
            Token::Punct('}') => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                depth -= 1;
                i += 1;
            }
            Token::Word(w) if w == "mod" && tokens.get(i + 2) == Some(&Token::Punct('{')) => {
                inline.push((word(i + 1).unwrap_or_default().to_string(), depth + 1));
                depth += 1;
                i += 3;
            }
            Token::Word(w) if w == "use" => {
                let mut trees = Vec::new();
                i = use_tree(tokens, i + 1, Vec::new(), &mut trees);
                let place = here(&inline[..]);
                out.extend(trees.iter().filter_map(|t| absolute(&place, t)));
            }
            Token::Word(_) if i == 0 || tokens[i - 1] != Token::PathSep => {
                let mut path = Vec::new();
                while let Some(w) = word(i) {
                    path.push(w.to_string());
                    i += 1;
                    if tokens.get(i) != Some(&Token::PathSep) {
                        break;
                    }
                    i += 1;
                }
                if path.len() > 1 {
                    out.extend(absolute(&here(&inline[..]), &path));
                }
            }
            _ => i += 1,
        }
    }
    out
}

/// Reads the `use` tree starting at `i` below `prefix` into `out`, one path per leaf; gives
/// the position after it.
fn use_tree(tokens: &[Token], mut i: usize, mut prefix: Vec<String>, out: &mut Vec<Vec<String>>) -> usize {
    loop {
        match tokens.get(i) {
            Some(Token::PathSep) => i += 1,
            Some(Token::Word(w)) if w == "as" => i += 2,
            Some(Token::Word(w)) if w == "self" && !prefix.is_empty() => i += 1,
            Some(Token::Word(w)) => {
                prefix.push(w.clone());
                i += 1;
            }
            Some(Token::Punct('*')) => i += 1,
            Some(Token::Punct('{')) => {
                i += 1;
                loop {
                    match tokens.get(i) {
                        Some(Token::Punct('}')) => return i + 1,
                        Some(Token::Punct(',')) => i += 1,
                        None => return i,
                        Some(_) => {
                            let next = use_tree(tokens, i, prefix.clone(), out);
                            if next == i {
                                return i;
                            }
                            i = next;
                        }
                    }
                }
            }
            _ => {
                out.push(prefix);
                return i;
            }
        }
    }
}

/// A path as written in module `here`, from the crate root; `None` if `super` leads above
/// it. A path that starts with neither `crate`, `super` nor `self` is relative: through a
/// child module, or else to a dependency, a type or a local name, which all stay in `here`.
fn absolute(here: &[String], path: &[String]) -> Option<Vec<String>> {
    let mut out = here.to_vec();
    let mut rest = path;
    match rest.first().map(String::as_str) {
        Some("crate") => {
            out.clear();
            rest = &rest[1..];
        }
        Some("self") => rest = &rest[1..],
        _ => {}
    }
    while rest.first().is_some_and(|s| s == "super") {
        out.pop()?;
        rest = &rest[1..];
    }
    out.extend(rest.iter().cloned());
    Some(out)
}
