//! Releases, not a live feed: closing a round freezes its statistics records (a later save
//! keeps the child's answers but changes no record), only a closed round's records are
//! handed out, the sweep closes a round once its last day has passed, and statistics-key
//! holders list the rounds and report each group picture they open, audited by what was
//! opened and never by a figure. Saves racing a close, on threads, never change the
//! release after it.

use crate::rounds::{child_log_in, create_round, get, instrument, invite_into, new_round, post, seal_save};
use crate::support::staff::{new_children, staff_log_in, StaffUser};
use crate::support::{app, login_request, save_request, send, Fixture, ORGANISATION};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use beratta_core::api::{
    AssessmentRecord, Bytes, ChildAssessment, InterventionKind, InvitationBatch, NewIntervention, PictureOpening,
    QuestionnaireRef, Role, Round, RoundMode, RoundProgress, SealedAnswers, StatisticsInvited, StatisticsPage,
    StatisticsRounds,
};
use beratta_core::audit::{AuditAction, AuditEntry};
use beratta_core::child::ChildKeys;
use beratta_core::engine::Session;
use beratta_core::login::{derive_child_secrets, random_lookup, ChildCode, ChildSecrets};
use beratta_server::audit::SYSTEM;
use beratta_server::calendar::today;
use beratta_server::records::{Assessment, AssessmentRound};
use beratta_server::store::{Closing, SaveOutcome};
use rand_core::OsRng;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

const OTHER: &str = "other";

fn actions(fx: &Fixture, org: &str, action: AuditAction) -> Vec<AuditEntry> {
    let all = fx.state.store.audit_entries(org, 1, usize::MAX).expect("store");
    all.into_iter().filter(|e| e.action == action).collect()
}

fn all_audit(fx: &Fixture, org: &str) -> Vec<AuditEntry> {
    fx.state.store.audit_entries(org, 1, usize::MAX).expect("store")
}

fn records_uri(round: &str) -> String {
    format!("/api/statistics/rounds/{round}/records")
}

fn opening(rounds: &[&str], breakdown: Option<&str>, view: &str) -> PictureOpening {
    PictureOpening {
        rounds: rounds.iter().map(|r| r.to_string()).collect(),
        breakdown: breakdown.map(str::to_string),
        view: view.to_string(),
    }
}

fn open_picture(cookie: &str, body: &PictureOpening) -> TestRequest {
    post(cookie, "/api/statistics/openings").set_json(body)
}

/// An administrator who holds the organisation's statistics key.
fn holder(fx: &Fixture, org: &str, username: &str) -> StaffUser {
    let admin = fx.add_staff(org, username, Role::Administrator, None);
    fx.make_statistics_key(&admin);
    admin
}

#[actix_web::test]
async fn a_save_before_the_close_is_in_the_release_and_a_save_after_it_keeps_the_answers_but_not_the_record() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let admin = holder(&fx, ORGANISATION, "chef");
    let anna = fx.add_staff(ORGANISATION, "anna", Role::Staff, None);
    let (cookie, _) = staff_log_in!(&fx, app, &anna);
    let (admin_cookie, _) = staff_log_in!(&fx, app, &admin);
    let round = create_round!(app, &cookie, &new_round(RoundMode::Identified, None));
    assert_eq!(round.closed_unix, None, "a new round is open");
    let codes = invite_into!(app, &cookie, round, 1);
    let q = instrument();
    let (child_cookie, a, secrets) = child_log_in!(fx, app, &codes[0]);
    let keys = ChildKeys::after_login(&secrets, &a, &mut OsRng).expect("keys");
    let records = || fx.state.store.statistics_records(ORGANISATION, &round.round_id, &|_| true).expect("store");

    // Before the close: the save's record is what the round holds.
    let before = seal_save(&keys, &a, &q, &Session::start(&q), 1);
    assert_eq!(send!(app, save_request(&child_cookie, &before)).status, StatusCode::OK);
    let released = before.statistics.clone().expect("a record");
    assert_eq!(records(), vec![released.clone()]);

    // Anna closes the round: audited once, with the round as subject.
    fx.advance(60);
    let reply = send!(app, post(&cookie, &format!("/api/rounds/{}/close", round.round_id)));
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let closed: Round = reply.json();
    assert_eq!(closed, Round { closed_unix: Some(fx.state.now()), ..round.clone() });
    let stored = fx.state.store.round(ORGANISATION, &round.round_id).expect("store").expect("there");
    assert_eq!(stored, closed);

    // After the close: the answers and progress are stored, the record is not replaced.
    let whole = crate::rounds::answered(&q, true);
    let after = seal_save(&keys, &a, &q, &whole, 2);
    assert_ne!(after.statistics, before.statistics, "the late save carries a record of its own");
    let reply = send!(app, save_request(&child_cookie, &after));
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let saved = fx.state.store.assessment(&a.assessment).expect("store").expect("there");
    assert_eq!(saved.sealed.as_ref().map(|s| (s.counter, &s.blob)), Some((2, &after.blob)));
    assert_eq!(saved.progress.map(|p| p.finished), Some(true), "the late save's progress is kept");
    assert_eq!(records(), vec![released.clone()], "the release is frozen, byte for byte");

    // The holder gets the release as it was at the close.
    let reply = send!(app, get(&admin_cookie, &records_uri(&round.round_id)));
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.json::<StatisticsPage>().records, vec![released]);

    // Closing again answers the round unchanged and audits nothing more.
    fx.advance(60);
    let again = send!(app, post(&admin_cookie, &format!("/api/rounds/{}/close", round.round_id)));
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json::<Round>(), closed);
    let audited = actions(&fx, ORGANISATION, AuditAction::RoundClosed);
    assert_eq!(audited.len(), 1, "{audited:?}");
    assert_eq!((audited[0].actor.as_str(), audited[0].subject.as_deref()), (anna.id.as_str(), Some(&*round.round_id)));
}

#[actix_web::test]
async fn an_open_rounds_records_are_refused_as_round_open_and_nothing_is_served_or_audited() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let admin = holder(&fx, ORGANISATION, "chef");
    let (cookie, _) = staff_log_in!(&fx, app, &admin);
    fx.store_open_round(ORGANISATION, "varen");
    let record = vec![0x5A; 200];
    fx.state.store.put_statistics_record(ORGANISATION, "varen", "a1", &record).expect("store");

    let log_before = all_audit(&fx, ORGANISATION);
    let reply = send!(app, get(&cookie, &records_uri("varen")));
    assert_eq!((reply.status, reply.error().as_str()), (StatusCode::CONFLICT, "round_open"));
    let body: serde_json::Value = reply.json();
    assert_eq!(body.as_object().map(|o| o.len()), Some(2), "only the error and its message: {body}");
    let picture = send!(app, open_picture(&cookie, &opening(&["varen"], None, "overview")));
    assert_eq!((picture.status, picture.error().as_str()), (StatusCode::CONFLICT, "round_open"));
    assert_eq!(all_audit(&fx, ORGANISATION), log_before, "a 409 refuses nobody access: nothing audited");

    // Once closed, the same request gets the record.
    let close = send!(app, post(&cookie, "/api/rounds/varen/close"));
    assert_eq!(close.status, StatusCode::OK, "{:?}", close.body);
    let reply = send!(app, get(&cookie, &records_uri("varen")));
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json::<StatisticsPage>().records, vec![Bytes(record)]);
    assert_eq!(actions(&fx, ORGANISATION, AuditAction::StatisticsRecordsViewed).len(), 1);
}

#[actix_web::test]
async fn the_sweep_closes_a_round_after_its_last_day_and_not_before() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let admin = holder(&fx, ORGANISATION, "chef");
    let day = 86_400;
    let start = fx.state.now();
    let last_day = today(start);
    let round = |id: &str, closes: &str| Round {
        round_id: id.into(),
        name: id.into(),
        unit: None,
        opens: "2025-01-01".into(),
        closes: closes.into(),
        questionnaire: QuestionnaireRef { id: crate::support::questionnaire().id, version: 1 },
        mode: RoundMode::Anonymous,
        intervention: None,
        created_by: "test".into(),
        created_unix: start,
        closed_unix: None,
    };
    let ends_today = round("ends-today", &last_day);
    let ends_tomorrow = round("ends-tomorrow", &today(start + day));
    for r in [&ends_today, &ends_tomorrow] {
        assert!(fx.state.store.insert_round(ORGANISATION, r).expect("store"));
    }
    let stored = |id: &str| fx.state.store.round(ORGANISATION, id).expect("store").expect("there");

    // Through the whole of its last day the round stays open.
    let end_of_day = (start / day + 1) * day;
    fx.state.sweep().expect("the sweep runs");
    fx.advance(end_of_day - 1 - start);
    assert_eq!(today(fx.state.now()), last_day);
    fx.state.sweep().expect("the sweep runs");
    assert!(!stored("ends-today").is_closed(), "closed on its last day");
    assert!(actions(&fx, ORGANISATION, AuditAction::RoundClosed).is_empty());

    // The first sweep of the next day closes it, by the system, audited once.
    fx.advance(1);
    fx.state.sweep().expect("the sweep runs");
    assert_eq!(stored("ends-today").closed_unix, Some(end_of_day));
    assert!(!stored("ends-tomorrow").is_closed(), "its last day is today");
    fx.advance(600);
    fx.state.sweep().expect("the sweep runs");
    assert_eq!(stored("ends-today").closed_unix, Some(end_of_day), "closed once");
    let audited = actions(&fx, ORGANISATION, AuditAction::RoundClosed);
    assert_eq!(audited.len(), 1, "{audited:?}");
    assert_eq!((audited[0].actor.as_str(), audited[0].subject.as_deref()), (SYSTEM, Some("ends-today")));

    // Its records are now a release; the other round's are not yet.
    let (cookie, _) = staff_log_in!(&fx, app, &admin);
    let reply = send!(app, get(&cookie, &records_uri("ends-today")));
    assert_eq!(reply.status, StatusCode::OK);
    let reply = send!(app, get(&cookie, &records_uri("ends-tomorrow")));
    assert_eq!(reply.status, StatusCode::CONFLICT);
}

#[actix_web::test]
async fn an_opening_is_validated_and_audited_by_view_breakdown_and_rounds_never_a_figure() {
    let fx = Fixture::new();
    fx.add_organisation(OTHER);
    let app = app!(fx.state);
    let admin = holder(&fx, ORGANISATION, "chef");
    let statistics = fx.make_statistics_key(&fx.add_staff(OTHER, "chef2", Role::Administrator, None));
    let stranger = fx.add_staff(OTHER, "ana2", Role::Analyst, None);
    fx.grant_statistics_key(&stranger, &statistics);
    let staff = fx.add_staff(ORGANISATION, "kurator", Role::Staff, None);
    for (org, id) in [(ORGANISATION, "hosten"), (ORGANISATION, "varen"), (OTHER, "deras")] {
        fx.store_round(org, id);
        for i in 0..7u8 {
            fx.state.store.put_statistics_record(org, id, &format!("a{i}"), &[i; 200]).expect("store");
        }
    }
    fx.store_open_round(ORGANISATION, "sommaren");
    let (cookie, _) = staff_log_in!(&fx, app, &admin);

    // A good opening: 204, one record naming the view, the breakdown and the rounds.
    let reply = send!(app, open_picture(&cookie, &opening(&["hosten", "varen"], Some("gender"), "trend")));
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{:?}", reply.body);
    let reply = send!(app, open_picture(&cookie, &opening(&["varen"], None, "print")));
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{:?}", reply.body);
    let opened = actions(&fx, ORGANISATION, AuditAction::GroupPictureOpened);
    let subjects: Vec<&str> = opened.iter().filter_map(|e| e.subject.as_deref()).collect();
    assert_eq!(subjects, ["trend gender: hosten,varen", "print everyone: varen"]);
    assert!(opened.iter().all(|e| e.actor == admin.id));
    assert!(!subjects.concat().contains('7'), "no count of records in the log");

    // Shapes the group picture does not have: 400 `invalid`, nothing audited.
    let too_many: Vec<String> = (0..=beratta_server::limits::MAX_PICTURE_ROUNDS).map(|i| format!("r{i}")).collect();
    let too_many: Vec<&str> = too_many.iter().map(String::as_str).collect();
    let log_before = all_audit(&fx, ORGANISATION);
    for (what, bad) in [
        ("no rounds", opening(&[], None, "overview")),
        ("too many rounds", opening(&too_many, None, "overview")),
        ("a round twice", opening(&["hosten", "hosten"], None, "overview")),
        ("an unknown view", opening(&["hosten"], None, "table")),
        ("an unknown breakdown", opening(&["hosten"], Some("school"), "overview")),
        ("everyone spelt out", opening(&["hosten"], Some("everyone"), "overview")),
    ] {
        let reply = send!(app, open_picture(&cookie, &bad));
        assert_eq!((reply.status, reply.error().as_str()), (StatusCode::BAD_REQUEST, "invalid"), "{what}");
    }
    // An open round among closed ones: 409, unaudited.
    let reply = send!(app, open_picture(&cookie, &opening(&["hosten", "sommaren"], None, "overview")));
    assert_eq!((reply.status, reply.error().as_str()), (StatusCode::CONFLICT, "round_open"));
    assert_eq!(all_audit(&fx, ORGANISATION), log_before);

    // Another organisation's round is answered like none, and each refusal is audited once.
    let theirs = send!(app, open_picture(&cookie, &opening(&["hosten", "deras"], None, "overview")));
    let none = send!(app, open_picture(&cookie, &opening(&["hosten", "ingen"], None, "overview")));
    assert_eq!((theirs.status, &theirs.body), (none.status, &none.body));
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    let denied = actions(&fx, ORGANISATION, AuditAction::AccessDenied);
    assert_eq!(denied.len(), 2, "{denied:?}");
    assert!(denied.iter().all(|e| e.subject.as_deref() == Some("POST /api/statistics/openings")));

    // An analyst of the other organisation, holding its key: our rounds are 404 to them,
    // audited in their organisation; staff are 403, audited.
    let (their_cookie, _) = staff_log_in!(&fx, app, &stranger);
    let reply = send!(app, open_picture(&their_cookie, &opening(&["hosten"], None, "overview")));
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let reply = send!(app, get(&their_cookie, &records_uri("hosten")));
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let theirs_denied = actions(&fx, OTHER, AuditAction::AccessDenied);
    assert_eq!(theirs_denied.len(), 2);
    assert!(theirs_denied.iter().all(|e| e.actor == stranger.id));
    let reply = send!(app, open_picture(&their_cookie, &opening(&["deras"], Some("age_band"), "areas")));
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    let theirs_opened = actions(&fx, OTHER, AuditAction::GroupPictureOpened);
    assert_eq!(theirs_opened.len(), 1);
    assert_eq!(theirs_opened[0].subject.as_deref(), Some("areas age_band: deras"));
    let (staff_cookie, _) = staff_log_in!(&fx, app, &staff);
    let reply = send!(app, open_picture(&staff_cookie, &opening(&["hosten"], None, "overview")));
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(actions(&fx, ORGANISATION, AuditAction::AccessDenied).len(), 3);
    assert_eq!(actions(&fx, ORGANISATION, AuditAction::GroupPictureOpened).len(), 2, "no refusal was an opening");
}

#[actix_web::test]
async fn a_holder_lists_the_rounds_interventions_and_units_of_their_own_organisation_unaudited() {
    let fx = Fixture::new();
    fx.add_organisation(OTHER);
    let app = app!(fx.state);
    let admin = holder(&fx, ORGANISATION, "chef");
    let analyst = fx.add_staff(ORGANISATION, "ana", Role::Analyst, None);
    fx.make_statistics_key(&fx.add_staff(OTHER, "chef2", Role::Administrator, None));
    let unit = fx.add_unit(ORGANISATION, "Björkskolan");
    let anna = fx.add_staff(ORGANISATION, "anna", Role::Staff, None);
    let (cookie, _) = staff_log_in!(&fx, app, &anna);
    let intervention = send!(
        app,
        post(&cookie, "/api/interventions")
            .set_json(NewIntervention { name: "Samtalsgrupp".into(), kind: InterventionKind::Grupp })
    );
    assert_eq!(intervention.status, StatusCode::OK);
    let first = create_round!(app, &cookie, &new_round(RoundMode::Anonymous, Some(unit.clone())));
    let _codes = invite_into!(app, &cookie, first, 2);
    fx.advance(10);
    let second = create_round!(app, &cookie, &new_round(RoundMode::Identified, None));
    fx.store_round(OTHER, "deras");
    fx.advance(10);
    let closed = send!(app, post(&cookie, &format!("/api/rounds/{}/close", first.round_id))).json::<Round>();

    let (admin_cookie, _) = staff_log_in!(&fx, app, &admin);
    let log_before = all_audit(&fx, ORGANISATION);
    let reply = send!(app, get(&admin_cookie, "/api/statistics/rounds"));
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let listed: StatisticsRounds = reply.json();
    assert_eq!(listed.rounds, vec![closed.clone(), second], "oldest first, the other organisation's left out");
    assert!(closed.is_closed());
    assert_eq!(listed.interventions.iter().map(|i| i.name.as_str()).collect::<Vec<_>>(), ["Samtalsgrupp"]);
    assert_eq!(listed.units.iter().map(|u| u.unit_id.as_str()).collect::<Vec<_>>(), [unit.as_str()]);
    // The invitations per round, for the response rates: the other organisation's round,
    // and a round nobody was invited into, are not there.
    let reply = send!(app, get(&admin_cookie, "/api/statistics/invited"));
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let invited: StatisticsInvited = reply.json();
    assert_eq!(invited.invited, [(first.round_id.clone(), 2)].into_iter().collect());
    assert_eq!(all_audit(&fx, ORGANISATION), log_before, "a list of rounds names no child: not audited");

    // An analyst without the key and staff are refused, audited.
    let (analyst_cookie, _) = staff_log_in!(&fx, app, &analyst);
    assert_eq!(send!(app, get(&analyst_cookie, "/api/statistics/rounds")).status, StatusCode::FORBIDDEN);
    assert_eq!(send!(app, get(&cookie, "/api/statistics/rounds")).status, StatusCode::FORBIDDEN);
    assert_eq!(send!(app, get(&cookie, "/api/statistics/invited")).status, StatusCode::FORBIDDEN);
    let denied = actions(&fx, ORGANISATION, AuditAction::AccessDenied);
    assert_eq!(
        denied.iter().map(|e| (e.actor.as_str(), e.subject.as_deref())).collect::<Vec<_>>(),
        [
            (analyst.id.as_str(), Some("GET /api/statistics/rounds")),
            (anna.id.as_str(), Some("GET /api/statistics/rounds")),
            (anna.id.as_str(), Some("GET /api/statistics/invited"))
        ]
    );
}

/// A save of round `r`'s anonymous assessment numbered `counter`, whose record names the
/// assessment and the counter, as the store sees it (the route's checks of lengths are not
/// the store's business).
fn store_save(who: u8, counter: u64) -> SealedAnswers {
    let mut record = vec![who; 64];
    record[..8].copy_from_slice(&counter.to_be_bytes());
    SealedAnswers {
        counter,
        blob: Bytes(vec![who; 64]),
        org_sealed_key: Bytes::default(),
        child_wrapped_key: Bytes(vec![1; 72]),
        status: None,
        statistics: Some(Bytes(record)),
        progress: Some(RoundProgress { finished: false, acute: Some(false) }),
    }
}

#[test]
fn saves_racing_a_close_land_wholly_before_it_or_leave_the_release_alone() {
    let fx = Fixture::new();
    let store = fx.state.store.clone();
    fx.store_open_round(ORGANISATION, "r");
    let children = 4u8;
    let saves = 300u64;
    let mut ids = Vec::new();
    for who in 0..children {
        let assessment = Assessment {
            id: format!("child-{who}"),
            organisation: ORGANISATION.into(),
            lookup: random_lookup(&mut OsRng),
            questionnaire: crate::support::questionnaire(),
            salt: Bytes(vec![0; 16]),
            kdf: crate::support::CHEAP_KDF,
            verifier: Bytes(vec![0; 32]),
            created_unix: fx.state.now(),
            failed_logins: 0,
            sealed: None,
            invited_by: None,
            unit: None,
            expires_unix: fx.state.now() + 86_400,
            revoked: false,
            sealed_note: Bytes::default(),
            help: None,
            round: Some(AssessmentRound { round: "r".into(), unit: None, mode: RoundMode::Anonymous }),
            progress: None,
        };
        assert!(store.insert_assessment(&assessment).expect("store"));
        ids.push(assessment.id);
    }
    let release = || {
        let mut records = store.statistics_records(ORGANISATION, "r", &|_| true).expect("store");
        records.sort_by(|a, b| a.0.cmp(&b.0));
        records
    };
    let done = AtomicU64::new(0);
    // Children with at least one save stored: the close waits for all, so that the release
    // holds every child however the threads were scheduled.
    let started = AtomicU64::new(0);
    let closed = AtomicBool::new(false);
    let at_close = std::thread::scope(|scope| {
        for (who, id) in ids.iter().enumerate() {
            let (store, done, started, closed) = (&store, &done, &started, &closed);
            scope.spawn(move || {
                for counter in 1..=saves {
                    // However the threads are scheduled, each child's last save comes after
                    // the close; all the others race it.
                    while counter == saves && !closed.load(Ordering::SeqCst) {
                        std::thread::yield_now();
                    }
                    let outcome = store.save_answers(id, store_save(who as u8, counter)).expect("store");
                    assert_eq!(outcome, SaveOutcome::Saved);
                    done.fetch_add(1, Ordering::SeqCst);
                    if counter == 1 {
                        started.fetch_add(1, Ordering::SeqCst);
                    }
                }
            });
        }
        // Close while the saves are in full flow, and read the release at once.
        while done.load(Ordering::SeqCst) < u64::from(children) * saves / 3
            || started.load(Ordering::SeqCst) < u64::from(children)
        {
            std::thread::yield_now();
        }
        assert!(matches!(store.close_round(ORGANISATION, "r", fx.state.now()).expect("store"), Closing::Closed(_)));
        let release = release();
        closed.store(true, Ordering::SeqCst);
        release
    });
    assert_eq!(release(), at_close, "no save changed the release after the close");
    assert_eq!(at_close.len(), usize::from(children), "every child had saved before the close");
    for id in &ids {
        // Every acknowledged save is kept: the answers went on after the close.
        let stored = store.assessment(id).expect("store").expect("there");
        assert_eq!(stored.sealed.map(|s| s.counter), Some(saves));
    }
    let frozen: Vec<u64> = at_close.iter().map(|r| u64::from_be_bytes(r.0[..8].try_into().expect("8 bytes"))).collect();
    assert!(frozen.iter().all(|c| *c < saves), "a save after the close is in the release: {frozen:?}");
}
