//! `GET /api/questionnaires/{id}/{version}` and the check of the questionnaires at start.

use crate::support::{app, questionnaires_dir, send, Fixture};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use beratta_core::api::QuestionnaireBundle;
use beratta_core::catalogue::Catalogue;
use beratta_core::questionnaire::draft::RawDraft;
use beratta_core::questionnaire::raw::RawQuestionnaire;
use beratta_server::instruments::Instruments;

#[actix_web::test]
async fn a_known_questionnaire_is_served_in_its_raw_form_with_its_drafts_and_the_catalogue() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let reply = send!(app, TestRequest::get().uri("/api/questionnaires/beratta-10-12/1"));
    assert_eq!(reply.status, StatusCode::OK);
    let bundle: QuestionnaireBundle = reply.json();

    let dir = questionnaires_dir();
    let source = std::fs::read_to_string(dir.join("ages-10-12.toml")).expect("the file is there");
    let mut raw: RawQuestionnaire = toml::from_str(&source).expect("the file parses");
    // The draft translations are laid over it, in file order.
    let mut drafts: Vec<_> = std::fs::read_dir(dir.join("drafts"))
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    drafts.sort();
    for path in drafts.iter().filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("ages-10-12.")))
    {
        let draft = RawDraft::from_toml(&std::fs::read_to_string(path).expect("readable")).expect("a valid draft");
        raw.apply_draft(&draft).expect("the draft fits");
    }
    assert!(!raw.drafts.is_empty(), "the repository has draft translations of the 10-12 instrument");
    assert_eq!(bundle.questionnaire, raw);
    let factors = std::fs::read_to_string(dir.join("factors.toml")).expect("the catalogue is there");
    let catalogue = Catalogue::from_toml("factors.toml", &factors).expect("the catalogue is valid");
    assert_eq!(bundle.catalogue, catalogue.to_raw());
}

#[actix_web::test]
async fn an_unknown_questionnaire_or_version_is_404_json() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    for uri in ["/api/questionnaires/beratta-10-12/99", "/api/questionnaires/nothing/1"] {
        let reply = send!(app, TestRequest::get().uri(uri));
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(reply.error(), "unknown_questionnaire");
    }
    let reply = send!(app, TestRequest::get().uri("/api/questionnaires/beratta-10-12/one"));
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.error(), "bad_path");
}

/// A questionnaire folder with three problems in two files.
pub fn broken_questionnaire_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::copy(questionnaires_dir().join("factors.toml"), dir.path().join("factors.toml"))
        .expect("the catalogue copies");
    std::fs::write(dir.path().join("a-syntax.toml"), "id = \"a\"\nversion = \n").expect("writable");
    std::fs::write(
        dir.path().join("b-checks.toml"),
        r#"
id = "b"
version = 1
languages = ["sv", "en"]
title = { sv = "Trasig" }

[[section]]
id = "s"
title = { sv = "S", en = "S" }

[[section.item]]
id = "q"
kind = "text"
text = { sv = "Berätta", en = "Tell" }
factor = "no.such.factor"
"#,
    )
    .expect("writable");
    dir
}

#[test]
fn a_broken_questionnaire_folder_reports_every_problem_in_every_file() {
    let dir = broken_questionnaire_dir();
    let errors = Instruments::load(dir.path()).expect_err("the folder is broken");
    let all = errors.0.join("\n");
    assert!(errors.0.len() >= 3, "{all}");
    assert!(errors.0.iter().any(|e| e.starts_with("a-syntax.toml:")), "{all}");
    assert!(errors.0.iter().any(|e| e.starts_with("b-checks.toml:") && e.contains("`en`")), "{all}");
    assert!(errors.0.iter().any(|e| e.starts_with("b-checks.toml:") && e.contains("no.such.factor")), "{all}");
}

#[test]
fn a_folder_without_a_catalogue_or_questionnaires_is_refused() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let errors = Instruments::load(dir.path()).expect_err("nothing to serve");
    assert_eq!(errors.0.len(), 2, "{}", errors.0.join("\n"));
    assert!(errors.0[0].starts_with("factors.toml:"));
}
