//! Kiosks: an administrator makes one for an anonymous round; its browser registers once
//! with the link and keeps a device token in a cookie; each "Start" makes a fresh anonymous
//! assessment and a child session, limited per kiosk and audited; a closed round or a
//! revoked kiosk starts nothing; saves from a kiosk carry their statistics record and
//! leave no plaintext on disk.

use crate::rounds::{answered, instrument, seal_save, walk, with_statistics_key};
use crate::support::staff::{staff_log_in, with_cookie};
use crate::support::{app, save_request, send, Fixture, ORGANISATION, START};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use beratta_core::api::{
    AssessmentRecord, ChildAssessment, Kiosk, KioskClaim, KioskInfo, KioskRegistration, NewKiosk, NewRound, Role,
    Round, RoundMode,
};
use beratta_core::audit::AuditAction;
use beratta_core::child::ChildKeys;
use beratta_core::statistics::open_record;
use beratta_server::limits::{KIOSK_WINDOW_SECS, MAX_KIOSK_STARTS};
use rand_core::OsRng;

/// A round whose period holds the fixture's clock (`START` is 2025-06-15).
fn round_now(mode: RoundMode) -> NewRound {
    NewRound {
        name: "Fritidsgården juni".into(),
        unit: None,
        opens: "2025-06-01".into(),
        closes: "2025-06-30".into(),
        questionnaire: crate::support::questionnaire(),
        mode,
        intervention: None,
    }
}

fn kiosk_request(cookie: Option<&str>, req: TestRequest) -> TestRequest {
    match cookie {
        Some(cookie) => with_cookie(req, cookie),
        None => req,
    }
}

/// The `name=value` of the cookie `name` an answer sets, with its attributes.
fn set_cookie<'a>(reply: &'a crate::support::Reply, name: &str) -> Option<&'a str> {
    reply.headers.get_all("set-cookie").filter_map(|v| v.to_str().ok()).find(|v| v.starts_with(name))
}

#[actix_web::test]
async fn a_registered_kiosk_starts_fresh_anonymous_assessments_whose_saves_only_the_statistics_key_opens() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let statistics_key = with_statistics_key(&fx);
    let admin = fx.add_staff(ORGANISATION, "rut", Role::Administrator, None);
    let (cookie, _) = staff_log_in!(&fx, app, &admin);
    let round: Round = send!(
        app,
        with_cookie(TestRequest::post().uri("/api/rounds"), &cookie).set_json(round_now(RoundMode::Anonymous))
    )
    .json();

    let new = NewKiosk { name: "Fritidsgården Norrby".into(), round: round.round_id.clone() };
    let reply = send!(app, with_cookie(TestRequest::post().uri("/api/admin/kiosks"), &cookie).set_json(&new));
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let made: KioskRegistration = reply.json();
    assert!(!made.kiosk.registered && !made.kiosk.revoked);
    assert_eq!(made.token.len(), 43, "32 random bytes in base64");
    let listed: Vec<Kiosk> = send!(app, with_cookie(TestRequest::get().uri("/api/admin/kiosks"), &cookie)).json();
    assert_eq!(listed, vec![made.kiosk.clone()]);
    // The server keeps the token's hash, never the token.
    for file in walk(&fx.data_dir()) {
        let bytes = std::fs::read(&file).expect("readable");
        assert!(!bytes.windows(made.token.len()).any(|w| w == made.token.as_bytes()), "{}", file.display());
    }

    // Not a kiosk yet: no cookie, or a made-up link.
    let reply = send!(app, TestRequest::get().uri("/api/kiosk"));
    assert_eq!((reply.status, reply.error().as_str()), (StatusCode::UNAUTHORIZED, "no_kiosk"));
    let reply = send!(app, TestRequest::post().uri("/api/kiosk/start"));
    assert_eq!((reply.status, reply.error().as_str()), (StatusCode::UNAUTHORIZED, "no_kiosk"));
    for token in ["", "nope", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"] {
        let reply =
            send!(app, TestRequest::post().uri("/api/kiosk/register").set_json(KioskClaim { token: token.into() }));
        assert_eq!((reply.status, reply.error().as_str()), (StatusCode::UNAUTHORIZED, "bad_kiosk_link"), "{token:?}");
    }

    // The link works once, and gives a lasting cookie scripts cannot read.
    let claim = KioskClaim { token: made.token.clone() };
    let reply = send!(app, TestRequest::post().uri("/api/kiosk/register").set_json(&claim));
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let set = set_cookie(&reply, "__Host-beratta-kiosk=").expect("a kiosk cookie");
    for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/", "Max-Age="] {
        assert!(set.contains(attribute), "{set}");
    }
    let device = set.split(';').next().expect("name=value").to_string();
    assert_eq!(
        reply.json::<KioskInfo>(),
        KioskInfo { name: "Fritidsgården Norrby".into(), organisation_name: "Testskolan".into(), open: true }
    );
    let again = send!(app, TestRequest::post().uri("/api/kiosk/register").set_json(&claim));
    assert_eq!(again.error(), "bad_kiosk_link", "a used link");
    let info: KioskInfo = send!(app, with_cookie(TestRequest::get().uri("/api/kiosk"), &device)).json();
    assert!(info.open);

    // "Start": a fresh anonymous assessment and a child session for it.
    let q = instrument();
    let mut assessments = Vec::new();
    for answers_from_end in [false, true] {
        let reply = send!(app, with_cookie(TestRequest::post().uri("/api/kiosk/start"), &device));
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        let child = set_cookie(&reply, "__Host-beratta-child=")
            .expect("a child session")
            .split(';')
            .next()
            .expect("pair")
            .to_string();
        let a: ChildAssessment = reply.json();
        assert_eq!(
            a.round.as_ref().map(|r| (r.round.as_str(), r.mode)),
            Some((round.round_id.as_str(), RoundMode::Anonymous))
        );
        assert!(a.sealed.is_none(), "a start is fresh");
        let keys = ChildKeys::for_kiosk(&a, &mut OsRng);
        let session = answered(&q, answers_from_end);
        let reply = send!(app, save_request(&child, &seal_save(&keys, &a, &q, &session, 1)));
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        // Nobody can log in to it: it has no code, and it expired as it was made.
        let stored = fx.state.store.assessment(&a.assessment).expect("store").expect("there");
        assert!(!stored.is_live(fx.state.now()));
        assert!(stored.sealed.as_ref().is_some_and(|s| s.org_sealed_key.0.is_empty()), "sealed to the organisation");
        assessments.push(a.assessment);
    }
    assert_ne!(assessments[0], assessments[1]);
    let records = fx.state.store.statistics_records(ORGANISATION, &round.round_id, &|_| true).expect("store");
    assert_eq!(records.len(), 2);
    for record in &records {
        assert!(open_record(&statistics_key, ORGANISATION, &round.round_id, &record.0, &q).expect("opens").finished);
        assert!(open_record(&fx.org_key, ORGANISATION, &round.round_id, &record.0, &q).is_err());
    }
    // Staff list no kiosk child; the audit log names the kiosk, never the assessment.
    let listed: Vec<AssessmentRecord> =
        send!(app, with_cookie(TestRequest::get().uri("/api/invitations"), &cookie)).json();
    assert!(listed.is_empty());
    let log = fx.state.store.audit_entries(ORGANISATION, 1, 1000).expect("store");
    let kiosk_actor = format!("kiosk:{}", made.kiosk.kiosk_id);
    let starts: Vec<_> = log.iter().filter(|e| e.action == AuditAction::KioskStarted).collect();
    assert_eq!(starts.len(), 2);
    assert!(starts
        .iter()
        .all(|e| e.actor == kiosk_actor && e.subject.as_deref() == Some(made.kiosk.kiosk_id.as_str())));
    assert!(log.iter().any(|e| e.action == AuditAction::KioskCreated && e.actor == admin.id));
    assert!(log.iter().any(|e| e.action == AuditAction::KioskRegistered && e.actor == kiosk_actor));
    assert!(
        log.iter().all(|e| assessments.iter().all(|a| e.subject.as_deref() != Some(a.as_str()))),
        "an assessment in the log"
    );

    // The plaintext canary: the young person's words are in no file of the data folder.
    drop(app);
    fx.state.store.flush().expect("flushes");
    for file in walk(&fx.data_dir()) {
        let bytes = std::fs::read(&file).expect("readable");
        assert!(!bytes.windows(6).any(|w| w == b"CANARY"), "{} holds the young person's words", file.display());
    }
}

/// An anonymous round open today, a kiosk for it made by the administrator whose session
/// is `cookie`, and that kiosk registered: the round, the kiosk and its device cookie.
macro_rules! registered_kiosk {
    ($app:expr, $cookie:expr) => {{
        let round: Round = send!(
            $app,
            with_cookie(TestRequest::post().uri("/api/rounds"), $cookie).set_json(round_now(RoundMode::Anonymous))
        )
        .json();
        let made: KioskRegistration = send!(
            $app,
            with_cookie(TestRequest::post().uri("/api/admin/kiosks"), $cookie)
                .set_json(NewKiosk { name: "Biblioteket".into(), round: round.round_id.clone() })
        )
        .json();
        let claim = KioskClaim { token: made.token.clone() };
        let reply = send!($app, TestRequest::post().uri("/api/kiosk/register").set_json(claim));
        let device =
            set_cookie(&reply, "__Host-beratta-kiosk=").expect("cookie").split(';').next().expect("pair").to_string();
        (round, made.kiosk, device)
    }};
}

#[actix_web::test]
async fn kiosk_starts_are_limited_per_kiosk_and_stop_when_the_round_closes_or_the_kiosk_is_revoked() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let admin = fx.add_staff(ORGANISATION, "rut", Role::Administrator, None);
    let (cookie, _) = staff_log_in!(&fx, app, &admin);
    let (_, made, device) = registered_kiosk!(app, &cookie);
    let start = || kiosk_request(Some(&device), TestRequest::post().uri("/api/kiosk/start"));
    let count = || fx.state.store.assessments_of(ORGANISATION).expect("store").len();

    for _ in 0..MAX_KIOSK_STARTS {
        assert_eq!(send!(app, start()).status, StatusCode::OK);
    }
    let before = count();
    let reply = send!(app, start());
    assert_eq!((reply.status, reply.error().as_str()), (StatusCode::TOO_MANY_REQUESTS, "too_many_starts"));
    assert!(reply.header("retry-after").is_some());
    assert_eq!(count(), before, "a refused start made an assessment");
    fx.advance(KIOSK_WINDOW_SECS);
    assert_eq!(send!(app, start()).status, StatusCode::OK, "a new window");

    // After the round's last day, nothing starts (and the start screen says so).
    fx.advance(20 * 86_400);
    assert!(fx.state.now() > START + 15 * 86_400);
    let before = count();
    let reply = send!(app, start());
    assert_eq!((reply.status, reply.error().as_str()), (StatusCode::CONFLICT, "round_not_open"));
    assert_eq!(count(), before);
    assert!(!send!(app, kiosk_request(Some(&device), TestRequest::get().uri("/api/kiosk"))).json::<KioskInfo>().open);

    // Another organisation's administrator cannot see or take it; its own can.
    fx.add_organisation("other");
    let stranger = fx.add_staff("other", "sten", Role::Administrator, None);
    let (stranger_cookie, _) = staff_log_in!(&fx, app, &stranger);
    let uri = format!("/api/admin/kiosks/{}", made.kiosk_id);
    assert_eq!(
        send!(app, with_cookie(TestRequest::delete().uri(&uri), &stranger_cookie)).status,
        StatusCode::NOT_FOUND
    );
    assert!(send!(app, with_cookie(TestRequest::get().uri("/api/admin/kiosks"), &stranger_cookie))
        .json::<Vec<Kiosk>>()
        .is_empty());
    let (cookie, _) = staff_log_in!(&fx, app, &admin);
    let revoked = send!(app, with_cookie(TestRequest::delete().uri(&uri), &cookie));
    assert!(revoked.json::<Kiosk>().revoked);
    let reply = send!(app, start());
    assert_eq!((reply.status, reply.error().as_str()), (StatusCode::UNAUTHORIZED, "no_kiosk"));
    let log = fx.state.store.audit_entries(ORGANISATION, 1, 10_000).expect("store");
    assert!(log.iter().any(|e| e.action == AuditAction::KioskRevoked && e.actor == admin.id));
    let other_log = fx.state.store.audit_entries("other", 1, 1000).expect("store");
    assert!(other_log.iter().any(|e| e.action == AuditAction::AccessDenied && e.actor == stranger.id));
}

#[actix_web::test]
async fn a_kiosk_starts_nothing_once_its_round_is_closed_even_within_its_days() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let admin = fx.add_staff(ORGANISATION, "rut", Role::Administrator, None);
    let (cookie, _) = staff_log_in!(&fx, app, &admin);
    let (round, _, device) = registered_kiosk!(app, &cookie);
    let start = || kiosk_request(Some(&device), TestRequest::post().uri("/api/kiosk/start"));
    let info = || kiosk_request(Some(&device), TestRequest::get().uri("/api/kiosk"));
    assert_eq!(send!(app, start()).status, StatusCode::OK);
    assert!(send!(app, info()).json::<KioskInfo>().open);

    let close = with_cookie(TestRequest::post().uri(&format!("/api/rounds/{}/close", round.round_id)), &cookie);
    assert_eq!(send!(app, close).status, StatusCode::OK);
    let before = fx.state.store.assessments_of(ORGANISATION).expect("store").len();
    let reply = send!(app, start());
    assert_eq!((reply.status, reply.error().as_str()), (StatusCode::CONFLICT, "round_not_open"));
    assert_eq!(fx.state.store.assessments_of(ORGANISATION).expect("store").len(), before);
    assert!(!send!(app, info()).json::<KioskInfo>().open);
}

#[actix_web::test]
async fn only_administrators_make_kiosks_and_only_for_their_own_anonymous_rounds() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let admin = fx.add_staff(ORGANISATION, "rut", Role::Administrator, None);
    let (cookie, _) = staff_log_in!(&fx, app, &admin);
    let identified: Round = send!(
        app,
        with_cookie(TestRequest::post().uri("/api/rounds"), &cookie).set_json(round_now(RoundMode::Identified))
    )
    .json();
    let anonymous: Round = send!(
        app,
        with_cookie(TestRequest::post().uri("/api/rounds"), &cookie).set_json(round_now(RoundMode::Anonymous))
    )
    .json();
    let make = |round: &str, name: &str| {
        with_cookie(TestRequest::post().uri("/api/admin/kiosks"), &cookie)
            .set_json(NewKiosk { name: name.into(), round: round.into() })
    };
    let reply = send!(app, make(&identified.round_id, "Kiosk"));
    assert_eq!((reply.status, reply.error().as_str()), (StatusCode::BAD_REQUEST, "invalid"), "an identified round");
    assert_eq!(send!(app, make("no-such-round", "Kiosk")).status, StatusCode::NOT_FOUND);
    assert_eq!(send!(app, make(&anonymous.round_id, " ")).error(), "invalid", "no name");

    for role in [Role::Staff, Role::Analyst] {
        let user = fx.add_staff(ORGANISATION, &format!("{role:?}").to_lowercase(), role, None);
        let (their, _) = staff_log_in!(&fx, app, &user);
        let new = NewKiosk { name: "Kiosk".into(), round: anonymous.round_id.clone() };
        let reply = send!(app, with_cookie(TestRequest::post().uri("/api/admin/kiosks"), &their).set_json(&new));
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{role:?}");
        assert_eq!(
            send!(app, with_cookie(TestRequest::get().uri("/api/admin/kiosks"), &their)).status,
            StatusCode::FORBIDDEN
        );
        let log = fx.state.store.audit_entries(ORGANISATION, 1, 1000).expect("store");
        assert!(log.iter().any(|e| e.action == AuditAction::AccessDenied && e.actor == user.id), "{role:?}");
    }
    // An expired link registers nothing.
    let made: KioskRegistration = send!(app, make(&anonymous.round_id, "Kiosk")).json();
    fx.advance(beratta_server::limits::KIOSK_REGISTRATION_SECS);
    let reply = send!(app, TestRequest::post().uri("/api/kiosk/register").set_json(KioskClaim { token: made.token }));
    assert_eq!(reply.error(), "bad_kiosk_link");
}
