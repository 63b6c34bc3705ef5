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

/// The front end's rooms by audience: the child's app (`frontend/src/child/`) and the staff
/// app (`frontend/src/staff/`) never import each other, so that neither binary carries the
/// other's pages and a change for one audience cannot break the other; what both use lives
/// in `frontend/src/common/`.
#[test]
fn the_child_and_staff_rooms_of_the_front_end_never_import_each_other() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../frontend/src");
    let mut offenders = Vec::new();
    for (room, other) in [("child", "staff"), ("staff", "child")] {
        let mut files = Vec::new();
        rust_files(&src.join(room), &mut files);
        assert!(files.len() > 5, "found only {} files in {room}/", files.len());
        for file in files {
            let name = file.strip_prefix(&src).unwrap_or(&file).to_string_lossy().replace('\\', "/");
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            offenders.extend(room_reached(&name, &text, other).into_iter().map(|path| format!("{name}: {path}")));
        }
    }
    assert!(offenders.is_empty(), "child/ and staff/ import each other:\n{}", offenders.join("\n"));
}

#[test]
fn the_room_check_sees_every_way_of_naming_the_other_room() {
    let reached = |name: &str, code: &str| room_reached(name, code, "staff");
    assert_eq!(reached("child/start.rs", "use crate::staff::Route;"), ["crate::staff"]);
    assert_eq!(reached("child/start.rs", "let t = crate::staff::texts(lang);"), ["crate::staff"]);
    assert_eq!(reached("child/start.rs", "use crate::{\n    common::api,\n    staff,\n};"), ["crate::staff"]);
    assert_eq!(reached("child/start.rs", "use super::super::staff::Route;"), ["super::super::staff"]);
    assert_eq!(reached("child/mod.rs", "use super::staff::{Route};"), ["super::staff"]);
    assert_eq!(reached("child/start.rs", "use crate::{common::{api, lang}, staff::Route};"), ["crate::staff"]);
    assert_eq!(reached("child/texts/ar.rs", "use super::super::super::staff;"), ["super::super::super::staff"]);
    assert_eq!(reached("child/start.rs", "use beratta_web::staff::Root;"), ["beratta_web::staff"]);
    // Not the staff room: a comment, a module of the child's own, a longer name.
    for code in ["// see crate::staff", "use super::staff::Route;", "use crate::staffing;", "use crate::child::staff;"]
    {
        assert!(reached("child/start.rs", code).is_empty(), "{code}");
    }
}

/// The paths in a front-end file (`name`, relative to `frontend/src`) that reach the room
/// `other` at the crate root: `crate::other`, `crate::{…, other, …}`, `beratta_web::other`,
/// or as many `super::` as lead from the file's module to the root. Comment lines are skipped.
fn room_reached(name: &str, text: &str, other: &str) -> Vec<String> {
    let code: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    // How deep the file's module is: `child/mod.rs` is `child`, `child/texts/ar.rs` is `child::texts::ar`.
    let depth = name.split('/').count() - usize::from(name.ends_with("/mod.rs"));
    let mut found = Vec::new();
    for prefix in ["crate::".to_string(), "beratta_web::".to_string(), "super::".repeat(depth)] {
        for (at, _) in code.match_indices(&prefix) {
            if code[..at].ends_with(|c: char| c == '_' || c == ':' || c.is_alphanumeric()) {
                continue;
            }
            let rest = &code[at + prefix.len()..];
            let names_other = |item: &str| {
                item.trim_start()
                    .strip_prefix(other)
                    .is_some_and(|r| !r.starts_with(|c: char| c == '_' || c.is_alphanumeric()))
            };
            let grouped =
                rest.strip_prefix('{').is_some_and(|group| top_level_items(group).into_iter().any(names_other));
            if names_other(rest) || grouped {
                found.push(format!("{prefix}{other}"));
            }
        }
    }
    found
}

/// The items of a `use` group whose `{` comes just before `group`, up to its `}`: `a::{b, c}, d`
/// gives `a::{b, c}` and `d`.
fn top_level_items(group: &str) -> Vec<&str> {
    let (mut items, mut depth, mut start) = (Vec::new(), 0, 0);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return [items, vec![&group[start..i]]].concat(),
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&group[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&group[start..]);
    items
}

/// No front-end files import each other, directly or round a circle: what two modules share
/// lives in a leaf both import. Found circles are listed, `a.rs → b.rs → a.rs`.
#[test]
fn no_files_of_the_front_end_import_each_other_in_a_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../frontend/src");
    let graph = import_graph(&src);
    for (from, to) in [
        ("child/login.rs", "child/forget.rs"),
        ("child/mod.rs", "child/login.rs"),
        ("staff/shell.rs", "staff/admin.rs"),
    ] {
        assert!(graph.get(from).is_some_and(|t| t.contains(to)), "the check does not see {from} → {to}: {graph:?}");
    }
    let circles = circles(&graph);
    assert!(circles.is_empty(), "front-end files that import each other in a circle:\n{}", circles.join("\n"));
}

#[test]
fn the_front_end_circle_check_follows_groups_parents_and_submodules() {
    let graph = |files: &[(&str, &str)]| {
        let dir = std::env::temp_dir().join(format!("beratta-tidy-front-end-{}-{}", std::process::id(), files.len()));
        for (name, text) in files {
            std::fs::create_dir_all(dir.join(name).parent().unwrap()).unwrap();
            std::fs::write(dir.join(name), text).unwrap();
        }
        let circles = circles(&import_graph(&dir));
        std::fs::remove_dir_all(&dir).unwrap();
        circles
    };
    let tree = [
        ("lib.rs", "pub mod a;\n"),
        ("a/mod.rs", "mod b;\nmod c;\npub use b::B;\n// use c::C;\n"),
        ("a/b.rs", "use super::{\n    c::C,\n};\npub struct B;\n#[cfg(test)]\nmod tests {\n    use super::*;\n}\n"),
        ("a/c.rs", "pub struct C;\n"),
    ];
    assert!(graph(&tree).is_empty());
    let mut circle = tree.to_vec();
    circle[3] = ("a/c.rs", "pub struct C(crate::a::B);\n");
    assert_eq!(graph(&circle), ["a/b.rs → a/c.rs → a/mod.rs → a/b.rs"]);
}
