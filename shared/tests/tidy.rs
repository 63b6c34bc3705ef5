//! Tidiness rules that hold across the repository: every Rust file opens with a `//!` line
//! saying what it is for.

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
