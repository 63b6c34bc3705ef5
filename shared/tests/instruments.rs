//! Every questionnaire file in `questionnaires/` passes the validator against the
//! project's factor catalogue: a broken file fails `make test` before a child can meet it.

use beratta_core::catalogue::Catalogue;
use beratta_core::questionnaire::Questionnaire;
use std::path::{Path, PathBuf};

fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../questionnaires")
}

fn catalogue() -> Catalogue {
    let path = folder().join("factors.toml");
    let source = std::fs::read_to_string(&path).expect("questionnaires/factors.toml exists");
    Catalogue::from_toml("factors.toml", &source).unwrap_or_else(|errors| {
        panic!("{}", errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))
    })
}

fn instruments() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(folder())
        .expect("questionnaires/ exists")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.file_name().is_some_and(|n| n != "factors.toml"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    out.sort();
    out
}

#[test]
fn every_questionnaire_file_validates() {
    let catalogue = catalogue();
    let files = instruments();
    assert!(!files.is_empty(), "no questionnaire files found");
    let mut problems = Vec::new();
    for (name, source) in &files {
        if let Err(errors) = Questionnaire::from_toml(name, source, &catalogue) {
            problems.extend(errors.iter().map(|e| e.to_string()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_10_12_questionnaire_is_a_real_instrument() {
    let (name, source) = instruments().into_iter().find(|(n, _)| n == "ages-10-12.toml").expect("ages-10-12.toml");
    let q = Questionnaire::from_toml(&name, &source, &catalogue()).expect("validates");
    let authored = q.items.iter().filter(|i| matches!(i.origin, beratta_core::questionnaire::Origin::Authored)).count();
    assert!(authored >= 25, "only {authored} items");
    assert!(q.sections.len() >= 3);
    assert_eq!(q.languages, ["sv", "en"]);
    assert!(q.items.iter().any(|i| !matches!(i.origin, beratta_core::questionnaire::Origin::Authored)), "no chains");
}
