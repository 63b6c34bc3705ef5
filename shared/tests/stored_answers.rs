//! Answers stored before a change still open after it. `fixtures/sealed-answers-10-12.json`
//! was sealed once, by the code as it was before issue 9 moved `Answer` and split the
//! questionnaire module, exactly as a child's browser saves it (`ChildKeys::seal`). It must
//! never be regenerated: a test that rewrites its own fixture proves nothing.

use beratta_core::api::{Bytes, ChildAssessment, QuestionnaireRef, SealedAnswers};
use beratta_core::catalogue::Catalogue;
use beratta_core::child::{binding, ChildKeys};
use beratta_core::engine::{Action, Answer, Position, Session};
use beratta_core::envelope::{open_answers, AnswerSet, OrgSecretKey};
use beratta_core::login::{derive_child_secrets, ChildCode, KdfParams};
use beratta_core::questionnaire::Questionnaire;
use rand_core::OsRng;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The fixture file: a sealed save and what it takes to open it.
#[derive(Deserialize)]
struct Fixture {
    organisation: String,
    assessment: String,
    questionnaire: QuestionnaireRef,
    org_secret_key: Bytes,
    child: ChildSide,
    sealed: SealedAnswers,
}

/// What the child's browser has: the printed code, and what the server hands out at login.
#[derive(Deserialize)]
struct ChildSide {
    code: String,
    salt: Bytes,
    kdf: KdfParams,
    server_share: Bytes,
}

fn fixture() -> Fixture {
    let text = include_str!("fixtures/sealed-answers-10-12.json");
    serde_json::from_str(text).expect("the fixture reads as it was written")
}

/// The assessment as the server returns it to the child, with the stored save.
fn child_assessment(f: &Fixture) -> ChildAssessment {
    let org = OrgSecretKey::from_bytes(f.org_secret_key.0.clone().try_into().expect("a 32-byte key"));
    ChildAssessment {
        assessment: f.assessment.clone(),
        organisation: f.organisation.clone(),
        org_public_key: Bytes(org.public_key().as_bytes().to_vec()),
        statistics_public_key: None,
        questionnaire: f.questionnaire.clone(),
        server_share: f.child.server_share.clone(),
        resume_key: Bytes(vec![0; 32]),
        sealed: Some(f.sealed.clone()),
        help: None,
        round: None,
    }
}

/// The answers sealed into the fixture, written out by hand.
fn expected_session() -> Session {
    let choice = |s: &str| Answer::Choice(s.into());
    let answers: BTreeMap<String, Answer> = [
        ("gender", choice("girl")),
        ("feel_most_days", choice("not_good")),
        ("feel_most_days.often", choice("sometimes")),
        ("feel_most_days.worry", choice("a_little")),
        ("feel_most_days.help", choice("yes")),
        ("about_me", Answer::Choices(["good_at".to_string(), "kind".to_string()].into())),
        ("angry", choice("never")),
        ("feel_lately", Answer::Declined),
        ("dark_thoughts", choice("no")),
    ]
    .into_iter()
    .map(|(id, a)| (id.to_string(), a))
    .collect();
    Session { answers, position: Some(Position::At("doing_lately".into())) }
}

fn expected_set() -> AnswerSet {
    AnswerSet { questionnaire: "beratta-10-12@1".into(), language: "sv".into(), session: expected_session() }
}

#[test]
fn staff_open_answers_sealed_before_the_refactor_with_the_organisation_key() {
    let f = fixture();
    let org = OrgSecretKey::from_bytes(f.org_secret_key.0.clone().try_into().expect("a 32-byte key"));
    let data_key = org.open_data_key(&f.sealed.org_sealed_key.0).expect("the sealed data key opens");
    let a = child_assessment(&f);
    let set = open_answers(&data_key, &binding(&a, f.sealed.counter), &f.sealed.blob.0).expect("the blob opens");
    assert_eq!(set, expected_set());
}

#[test]
fn the_child_opens_answers_saved_before_the_refactor_with_the_same_code() {
    let f = fixture();
    let code = ChildCode::parse(&f.child.code).expect("the printed code reads");
    let secrets = derive_child_secrets(&code, &f.child.salt.0, &f.child.kdf).expect("the stored KDF settings work");
    let a = child_assessment(&f);
    let keys = ChildKeys::after_login(&secrets, &a, &mut OsRng).expect("the child's wrapped key opens");
    assert_eq!(keys.open(&a).expect("the blob opens"), Some(expected_set()));
}

#[test]
fn answers_saved_before_the_refactor_still_fit_the_instrument_they_were_given_with() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../questionnaires");
    let read =
        |name: &str| std::fs::read_to_string(format!("{dir}/{name}")).expect("the questionnaire folder is there");
    let catalogue = Catalogue::from_toml("factors.toml", &read("factors.toml")).expect("the catalogue validates");
    let q = Questionnaire::from_toml("ages-10-12.toml", &read("ages-10-12.toml"), &catalogue).expect("validates");
    assert_eq!(q.reference(), fixture().questionnaire.reference());
    let stored = expected_session();
    let restored = Session::default().apply(&q, Action::Restore(stored.clone())).expect("a restore always applies");
    assert_eq!(restored, stored, "the engine keeps every stored answer and the place");
}
