//! Rounds: staff create rounds and interventions and invite a class into a round; each
//! save in a round carries its statistics record, stored with the answers in one
//! transaction; an anonymous round's answers open with the child's code and never with the
//! organisation's key; a round's page counts without opening anything.

use crate::support::staff::{new_children, staff_log_in, with_cookie, StaffUser};
use crate::support::{
    app, login_request, questionnaire, questionnaires_dir, save_request, send, Fixture, ORGANISATION,
};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use beratta_core::api::{
    AssessmentRecord, Bytes, ChildAssessment, InterventionKind, InvitationBatch, NewIntervention, NewRound, Phase,
    Role, Round, RoundIntervention, RoundMode, RoundPage, SaveReceipt, SealedAnswers,
};
use beratta_core::audit::AuditAction;
use beratta_core::catalogue::Catalogue;
use beratta_core::child::ChildKeys;
use beratta_core::engine::{Action, Answer, Session};
use beratta_core::envelope::OrgSecretKey;
use beratta_core::login::{derive_child_secrets, ChildCode, ChildSecrets};
use beratta_core::questionnaire::Questionnaire;
use beratta_core::statistics::{open_record, RecordContext, StatisticsRecord, MAX_SEALED_LEN, SEALED_OVERHEAD};
use beratta_core::status::AssessmentStatus;
use rand_core::OsRng;

/// The instrument the tests' invitations use, validated as the server validates it.
pub(crate) fn instrument() -> Questionnaire {
    let read = |name: &str| std::fs::read_to_string(questionnaires_dir().join(name)).expect("the file is there");
    let catalogue = Catalogue::from_toml("factors.toml", &read("factors.toml")).expect("the catalogue is valid");
    Questionnaire::from_toml("ages-10-12.toml", &read("ages-10-12.toml"), &catalogue).expect("the instrument is valid")
}

/// A session through the whole instrument, each item answered with the option `pick` names
/// (by position, from the end when `from_end`), and the text items left with a canary.
pub(crate) fn answered(q: &Questionnaire, from_end: bool) -> Session {
    let mut s = Session::start(q);
    while let Some(i) = s.current(q) {
        let item = &q.items[i];
        let option = if from_end { item.options.last() } else { item.options.first() };
        let answer = match (item.kind, option) {
            (beratta_core::Kind::Text, _) | (_, None) => Answer::Text("CANARY Kim Andersson".into()),
            (beratta_core::Kind::Multiple, Some(o)) => Answer::Choices([o.id.clone()].into()),
            (_, Some(o)) => Answer::Choice(o.id.clone()),
        };
        s = s.apply(q, Action::Answer { item: item.id.clone(), answer }).expect("the answer fits");
    }
    s
}

/// Gives the organisation a statistics key, as its administrator's set-up does (another
/// branch); the test keeps the secret half, as a statistics-key holder's browser would.
pub(crate) fn with_statistics_key(fx: &Fixture) -> OrgSecretKey {
    let key = OrgSecretKey::generate(&mut OsRng);
    let public = Bytes(key.public_key().as_bytes().to_vec());
    assert!(fx.state.store.set_statistics_public_key(ORGANISATION, &public).expect("the store works"));
    key
}

pub(crate) fn new_round(mode: RoundMode, unit: Option<String>) -> NewRound {
    NewRound {
        name: "Åk 6 hösten".into(),
        unit,
        opens: "2026-09-01".into(),
        closes: "2026-10-15".into(),
        questionnaire: questionnaire(),
        mode,
        intervention: None,
    }
}

pub(crate) fn post(cookie: &str, uri: &str) -> TestRequest {
    with_cookie(TestRequest::post().uri(uri), cookie)
}

pub(crate) fn get(cookie: &str, uri: &str) -> TestRequest {
    with_cookie(TestRequest::get().uri(uri), cookie)
}

/// A round created through the API.
macro_rules! create_round {
    ($app:expr, $cookie:expr, $new:expr) => {{
        let reply = send!($app, post($cookie, "/api/rounds").set_json($new));
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        reply.json::<Round>()
    }};
}

/// `count` children invited into `round` through the API, as the invite page does: in an
/// anonymous round without names. Returns their codes.
macro_rules! invite_into {
    ($app:expr, $cookie:expr, $round:expr, $count:expr) => {{
        let children: Vec<(ChildCode, beratta_core::api::NewInvitation)> = new_children!($app, $cookie, $count);
        let anonymous = $round.mode == RoundMode::Anonymous;
        let batch = InvitationBatch {
            questionnaire: $round.questionnaire.clone(),
            share_with_unit: false,
            expires_in_days: 14,
            children: children
                .iter()
                .map(|(_, c)| beratta_core::api::NewInvitation {
                    sealed_note: if anonymous { Bytes::default() } else { c.sealed_note.clone() },
                    ..c.clone()
                })
                .collect(),
            round: Some($round.round_id.clone()),
        };
        let reply = send!($app, post($cookie, "/api/invitations").set_json(&batch));
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        let _: Vec<AssessmentRecord> = reply.json();
        children.into_iter().map(|(code, _)| code).collect::<Vec<_>>()
    }};
}

/// A child logs in with `code`; returns the cookie, what the browser gets, and the secrets.
macro_rules! child_log_in {
    ($fx:expr, $app:expr, $code:expr) => {{
        let stored = $fx.state.store.assessment_by_lookup($code.lookup()).expect("store").expect("exists");
        let secrets: ChildSecrets = derive_child_secrets($code, &stored.salt.0, &stored.kdf).expect("derivable");
        let reply = send!($app, login_request($code.lookup(), &secrets.login_proof));
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        let cookie = reply.session_cookie().expect("a cookie");
        (cookie, reply.json::<ChildAssessment>(), secrets)
    }};
}

pub(crate) use {child_log_in, create_round, invite_into};

/// Seals a save as the child's browser does.
pub(crate) fn seal_save(
    keys: &ChildKeys,
    a: &ChildAssessment,
    q: &Questionnaire,
    session: &Session,
    counter: u64,
) -> SealedAnswers {
    let status = AssessmentStatus::of(q, session, 20_000);
    keys.seal_save(a, q, session, "sv", counter, &status, &mut OsRng).expect("sealing works")
}

/// Every file below `dir`.
pub(crate) fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn staff_of(fx: &Fixture) -> StaffUser {
    fx.add_staff(ORGANISATION, "anna", Role::Staff, None)
}

#[actix_web::test]
async fn an_anonymous_rounds_stored_answers_open_with_the_childs_code_and_never_with_the_organisation_key() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let statistics_key = with_statistics_key(&fx);
    let anna = staff_of(&fx);
    let (cookie, _) = staff_log_in!(&fx, app, &anna);
    let round = create_round!(app, &cookie, &new_round(RoundMode::Anonymous, None));
    let codes = invite_into!(app, &cookie, round, 1);
    let q = instrument();

    let (child_cookie, a, secrets) = child_log_in!(fx, app, &codes[0]);
    assert_eq!(a.round.as_ref().map(|r| r.mode), Some(RoundMode::Anonymous));
    let keys = ChildKeys::after_login(&secrets, &a, &mut OsRng).expect("keys");
    let session = answered(&q, false);
    let sealed = seal_save(&keys, &a, &q, &session, 1);
    let reply = send!(app, save_request(&child_cookie, &sealed));
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);

    // What the server holds: nothing sealed to the organisation.
    let stored = fx.state.store.assessment(&a.assessment).expect("store").expect("there");
    let answers = stored.sealed.clone().expect("saved");
    assert!(answers.org_sealed_key.0.is_empty() && answers.status.is_none(), "sealed to the organisation");
    let org = fx.org_secret(ORGANISATION);
    assert!(org.open_data_key(&answers.org_sealed_key.0).is_err());
    // Not with the organisation's key used any other way either: no part of the stored
    // record opens as a data key or a bound box under it.
    let stored_bytes = serde_json::to_vec(&stored).expect("JSON");
    for window in stored_bytes.windows(beratta_core::envelope::SEALED_KEY_LEN) {
        assert!(org.open_data_key(window).is_err());
    }
    assert!(org.open_bound(b"", &answers.blob.0).is_err());

    // With the child's code, the answers open: a fresh login, as after a break.
    let (_, again, secrets) = child_log_in!(fx, app, &codes[0]);
    let keys = ChildKeys::after_login(&secrets, &again, &mut OsRng).expect("the code's key unwraps");
    let opened = keys.open(&again).expect("opens").expect("answers");
    assert_eq!(opened.session, session);

    // Staff can neither list nor read the child; the statistics record opens for the
    // statistics key holder only, as de-identified data.
    let listed: Vec<AssessmentRecord> = send!(app, get(&cookie, "/api/invitations")).json();
    assert!(listed.iter().all(|r| r.assessment != a.assessment), "an anonymous child is listed");
    let view = send!(app, get(&cookie, &format!("/api/assessments/{}", a.assessment)));
    assert_eq!(view.status, StatusCode::FORBIDDEN);
    let records = fx.state.store.statistics_records(ORGANISATION, &round.round_id, &|_| true).expect("store");
    assert_eq!(records.len(), 1);
    let record = open_record(&statistics_key, ORGANISATION, &round.round_id, &records[0].0, &q).expect("opens");
    assert!(record.finished);
    assert!(open_record(&org, ORGANISATION, &round.round_id, &records[0].0, &q).is_err());

    // A browser that seals to the organisation anyway is refused, and nothing changes.
    let leaky = keys.seal(&again, &session, "sv", 2, &mut OsRng).expect("seals");
    let reply = send!(app, save_request(&child_cookie, &leaky));
    assert_eq!((reply.status, reply.error().as_str()), (StatusCode::BAD_REQUEST, "bad_answers"));
    let after = fx.state.store.assessment(&a.assessment).expect("store").expect("there");
    assert_eq!(after.sealed, stored.sealed);
}

#[actix_web::test]
async fn each_save_in_a_round_stores_its_newest_statistics_record_with_the_answers_and_a_stale_or_bad_one_changes_nothing(
) {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let statistics_key = with_statistics_key(&fx);
    let unit = fx.add_unit(ORGANISATION, "Björkskolan");
    let anna = staff_of(&fx);
    let (cookie, _) = staff_log_in!(&fx, app, &anna);
    let round = create_round!(app, &cookie, &new_round(RoundMode::Identified, Some(unit.clone())));
    let codes = invite_into!(app, &cookie, round, 1);
    let q = instrument();
    let (child_cookie, a, secrets) = child_log_in!(fx, app, &codes[0]);
    assert_eq!(a.statistics_public_key, Some(Bytes(statistics_key.public_key().as_bytes().to_vec())));
    let keys = ChildKeys::after_login(&secrets, &a, &mut OsRng).expect("keys");
    let records = || fx.state.store.statistics_records(ORGANISATION, &round.round_id, &|_| true).expect("store");

    let first = Session::start(&q);
    let save1 = seal_save(&keys, &a, &q, &first, 1);
    assert_eq!(send!(app, save_request(&child_cookie, &save1)).status, StatusCode::OK);
    assert_eq!(records(), vec![save1.statistics.clone().expect("a record")]);

    let whole = answered(&q, true);
    let save2 = seal_save(&keys, &a, &q, &whole, 2);
    let reply = send!(app, save_request(&child_cookie, &save2));
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.json::<SaveReceipt>().counter, 2);
    // Newest per assessment: one record, the second save's, and it is the derived record.
    assert_eq!(records(), vec![save2.statistics.clone().expect("a record")]);
    let opened = open_record(&statistics_key, ORGANISATION, &round.round_id, &records()[0].0, &q).expect("opens");
    let context = RecordContext { round: round.round_id.clone(), unit: Some(unit), pseudonym: keys.pseudonym() };
    assert_eq!(opened, StatisticsRecord::derive(&q, &whole, &context));
    let encoded = opened.encode(&q).expect("encodes").len();
    assert_eq!(records()[0].0.len(), encoded + SEALED_OVERHEAD, "a sealed record is its encoding and the overhead");
    eprintln!("statistics record: {encoded} bytes encoded, {} sealed", records()[0].0.len());
    // The answers and the record moved together: the identified save keeps its status.
    let stored = fx.state.store.assessment(&a.assessment).expect("store").expect("there");
    assert_eq!(
        stored.sealed.as_ref().map(|s| (s.counter, s.status.is_some(), s.statistics.is_none())),
        Some((2, true, true))
    );
    assert_eq!(stored.progress.map(|p| (p.finished, p.acute)), Some((true, None)));

    // A stale save, an oversized record, a record too short to be sealed, and an acute
    // count from an identified round: each refused, with the answers and record unchanged.
    let stale = seal_save(&keys, &a, &q, &first, 2);
    let mut oversized = seal_save(&keys, &a, &q, &first, 3);
    oversized.statistics = Some(Bytes(vec![7; MAX_SEALED_LEN + 1]));
    let mut short = seal_save(&keys, &a, &q, &first, 3);
    short.statistics = Some(Bytes(vec![7; 40]));
    let mut acute = seal_save(&keys, &a, &q, &first, 3);
    acute.progress = Some(beratta_core::api::RoundProgress { finished: false, acute: Some(true) });
    for (what, save, status, error) in [
        ("stale", stale, StatusCode::CONFLICT, "stale_save"),
        ("oversized", oversized, StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
        ("short", short, StatusCode::BAD_REQUEST, "bad_answers"),
        ("acute in an identified round", acute, StatusCode::BAD_REQUEST, "bad_answers"),
    ] {
        let reply = send!(app, save_request(&child_cookie, &save));
        assert_eq!((reply.status, reply.error().as_str()), (status, error), "{what}");
        assert_eq!(records(), vec![save2.statistics.clone().expect("a record")], "{what}");
        let now = fx.state.store.assessment(&a.assessment).expect("store").expect("there");
        assert_eq!(now.sealed, stored.sealed, "{what}");
    }

    // The plaintext canary: the child's own words ("CANARY Kim Andersson" in every text
    // item) are in no file of the data folder, answers and statistics records alike.
    fx.state.store.flush().expect("flushes");
    assert!(!records().is_empty());
    for entry in walk(&fx.data_dir()) {
        let bytes = std::fs::read(&entry).expect("readable");
        assert!(!bytes.windows(6).any(|w| w == b"CANARY"), "{} holds the child's words", entry.display());
        assert!(!bytes.windows(13).any(|w| w == b"Kim Andersson"), "{} holds the child's words", entry.display());
    }

    // An assessment outside any round carries no record.
    let other = fx.invite();
    let (other_cookie, other_a, other_secrets) = crate::support::log_in!(&fx, app, &other);
    assert_eq!(other_a.round, None);
    let other_keys = ChildKeys::after_login(&other_secrets, &other_a, &mut OsRng).expect("keys");
    let mut stray = other_keys.seal(&other_a, &first, "sv", 1, &mut OsRng).expect("seals");
    stray.statistics = save2.statistics.clone();
    let reply = send!(app, save_request(&other_cookie, &stray));
    assert_eq!((reply.status, reply.error().as_str()), (StatusCode::BAD_REQUEST, "bad_answers"));
    assert_eq!(fx.state.store.assessment(&other_a.assessment).expect("store").expect("there").sealed, None);
}

#[actix_web::test]
async fn a_rounds_page_counts_invited_started_finished_and_acute_answers_without_opening_anything() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    with_statistics_key(&fx);
    let anna = staff_of(&fx);
    let (cookie, _) = staff_log_in!(&fx, app, &anna);
    let intervention = send!(
        app,
        post(&cookie, "/api/interventions")
            .set_json(NewIntervention { name: "Trygg skolväg".into(), kind: InterventionKind::Projekt })
    );
    assert_eq!(intervention.status, StatusCode::OK, "{:?}", intervention.body);
    let intervention: beratta_core::api::Intervention = intervention.json();
    let mut new = new_round(RoundMode::Anonymous, None);
    new.intervention =
        Some(RoundIntervention { intervention_id: intervention.intervention_id.clone(), phase: Phase::Before });
    let round = create_round!(app, &cookie, &new);
    assert_eq!(round.intervention.as_ref().map(|i| i.phase), Some(Phase::Before));
    let codes = invite_into!(app, &cookie, round, 3);
    let q = instrument();

    // Two children answer everything (one telling of every risk, one of none); the third
    // never logs in.
    let mut expected_acute = 0;
    for (code, from_end) in codes.iter().take(2).zip([false, true]) {
        let (child_cookie, a, secrets) = child_log_in!(fx, app, code);
        let keys = ChildKeys::after_login(&secrets, &a, &mut OsRng).expect("keys");
        let session = answered(&q, from_end);
        expected_acute += u64::from(beratta_core::scoring::score(&q, &session).acute);
        let reply = send!(app, save_request(&child_cookie, &seal_save(&keys, &a, &q, &session, 1)));
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    }
    assert_eq!(expected_acute, 1, "the first child tells of an acute risk, the second of none");

    let reply = send!(app, get(&cookie, &format!("/api/rounds/{}", round.round_id)));
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let page: RoundPage = reply.json();
    assert_eq!((page.invited, page.started, page.finished, page.acute), (3, 2, 2, Some(1)));
    let listed: Vec<Round> = send!(app, get(&cookie, "/api/rounds")).json();
    assert_eq!(listed, vec![round.clone()]);

    let log = fx.state.store.audit_entries(ORGANISATION, 1, 1000).expect("store");
    for action in [AuditAction::InterventionCreated, AuditAction::RoundCreated, AuditAction::RoundViewed] {
        assert!(log.iter().any(|e| e.action == action && e.actor == anna.id), "{action:?} is not in the log");
    }
}

#[actix_web::test]
async fn rounds_are_for_inviters_of_their_own_organisation_and_every_refusal_is_audited() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    fx.add_organisation("other");
    let anna = staff_of(&fx);
    let analyst = fx.add_staff(ORGANISATION, "alva", Role::Analyst, None);
    let stranger = fx.add_staff("other", "sten", Role::Staff, None);
    let (cookie, _) = staff_log_in!(&fx, app, &anna);
    let round = create_round!(app, &cookie, &new_round(RoundMode::Identified, None));

    let (analyst_cookie, _) = staff_log_in!(&fx, app, &analyst);
    assert_eq!(send!(app, get(&analyst_cookie, "/api/rounds")).status, StatusCode::FORBIDDEN);
    let (stranger_cookie, _) = staff_log_in!(&fx, app, &stranger);
    let uri = format!("/api/rounds/{}", round.round_id);
    assert_eq!(send!(app, get(&stranger_cookie, &uri)).status, StatusCode::NOT_FOUND);
    assert_eq!(send!(app, get(&stranger_cookie, "/api/rounds")).json::<Vec<Round>>(), vec![]);
    for (who, org) in [(&analyst, ORGANISATION), (&stranger, "other")] {
        let log = fx.state.store.audit_entries(org, 1, 1000).expect("store");
        assert!(log.iter().any(|e| e.action == AuditAction::AccessDenied && e.actor == who.id), "{}", who.username);
    }

    // What a round must be.
    let unknown_unit = new_round(RoundMode::Identified, Some("no-such-unit".into()));
    let backwards =
        NewRound { opens: "2026-10-15".into(), closes: "2026-09-01".into(), ..new_round(RoundMode::Anonymous, None) };
    let bad_day = NewRound { opens: "1 september".into(), ..new_round(RoundMode::Anonymous, None) };
    let no_name = NewRound { name: " ".into(), ..new_round(RoundMode::Anonymous, None) };
    for (what, body, error) in [
        ("unit", unknown_unit, "unknown_unit"),
        ("backwards", backwards, "invalid"),
        ("day", bad_day, "invalid"),
        ("name", no_name, "invalid"),
    ] {
        let reply = send!(app, post(&cookie, "/api/rounds").set_json(&body));
        assert_eq!(reply.error(), error, "{what}");
    }
    // A round's children are invited with its instrument, and an anonymous round's cards
    // carry no names.
    let anonymous = create_round!(app, &cookie, &new_round(RoundMode::Anonymous, None));
    let children: Vec<(ChildCode, beratta_core::api::NewInvitation)> = new_children!(app, &cookie, 1);
    let named = InvitationBatch {
        questionnaire: questionnaire(),
        share_with_unit: false,
        expires_in_days: 14,
        children: children.iter().map(|(_, c)| c.clone()).collect(),
        round: Some(anonymous.round_id.clone()),
    };
    let reply = send!(app, post(&cookie, "/api/invitations").set_json(&named));
    assert_eq!((reply.status, reply.error().as_str()), (StatusCode::BAD_REQUEST, "invalid"));
    let elsewhere = InvitationBatch { round: Some("no-such-round".into()), ..named };
    assert_eq!(send!(app, post(&cookie, "/api/invitations").set_json(&elsewhere)).status, StatusCode::NOT_FOUND);
}
