//! The statistics key and the records it opens: who may fetch a round's sealed records,
//! in what order and shape they come, and that analysts hold no key that opens a child.

use crate::support::staff::{new_password, staff_log_in, with_cookie, StaffUser, PASSWORD};
use crate::support::{app, send, Fixture, ORGANISATION};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use beratta_core::api::{
    Bytes, NewStaffMember, PersonalKey, Role, StaffChange, StatisticsGrant, StatisticsKeyCopy, StatisticsKeySetup,
    StatisticsPage,
};
use beratta_core::audit::{AuditAction, AuditEntry};
use beratta_core::envelope::OrgSecretKey;
use beratta_core::staff::{grant_statistics_key, open_statistics_grant, unwrap_secret, KeyHolder, SecretKind};
use beratta_server::staff::token_hash;
use rand_core::{OsRng, RngCore};
use std::collections::HashSet;

const ROUND: &str = "ht-2026/klass-7b";

fn actions(fx: &Fixture, org: &str, action: AuditAction) -> Vec<AuditEntry> {
    let all = fx.state.store.audit_entries(org, 1, usize::MAX).expect("store");
    all.into_iter().filter(|e| e.action == action).collect()
}

fn records_uri(round: &str, cursor: Option<&str>) -> String {
    let round = round.replace('/', "%2F");
    match cursor {
        Some(c) => format!("/api/statistics/rounds/{round}/records?cursor={c}"),
        None => format!("/api/statistics/rounds/{round}/records"),
    }
}

/// A record whose bytes name its number, so the test can tell them apart.
fn record(i: u32) -> Vec<u8> {
    let mut bytes = vec![0xAB; 200];
    bytes[..4].copy_from_slice(&i.to_be_bytes());
    bytes
}

#[actix_web::test]
async fn a_holder_pages_through_every_record_of_a_round_once_in_random_order_without_ids_and_each_page_is_audited() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let admin = fx.add_staff(ORGANISATION, "chef", Role::Administrator, None);
    let analyst = fx.add_staff(ORGANISATION, "ana", Role::Analyst, None);
    let statistics = fx.make_statistics_key(&admin);
    fx.grant_statistics_key(&analyst, &statistics);
    let total = 2_500u32;
    let ids: Vec<String> = (0..total).map(|i| format!("assessment-{i:05}")).collect();
    fx.store_round(ORGANISATION, ROUND);
    for (i, id) in ids.iter().enumerate() {
        fx.state.store.put_statistics_record(ORGANISATION, ROUND, id, &record(i as u32)).expect("store");
    }
    // A newer record of the same assessment replaces the older one.
    fx.state.store.put_statistics_record(ORGANISATION, ROUND, &ids[0], &record(0)).expect("store");
    let (cookie, _) = staff_log_in!(&fx, app, &analyst);

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let reply = send!(app, with_cookie(TestRequest::get().uri(&records_uri(ROUND, cursor.as_deref())), &cookie));
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        let body = String::from_utf8_lossy(&reply.body).into_owned();
        assert!(!body.contains("assessment-"), "a page names an assessment");
        let page: StatisticsPage = reply.json();
        assert!(page.records.len() < 1_400, "a page of {} records", page.records.len());
        seen.extend(page.records.iter().map(|r| u32::from_be_bytes(r.0[..4].try_into().expect("4 bytes"))));
        pages += 1;
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(pages, 3, "2,500 records come in three pages");
    assert_eq!(seen.len(), total as usize, "every record once");
    assert_eq!(seen.iter().copied().collect::<HashSet<_>>().len(), total as usize);
    // Stored in the order of assessment ids, served in another: few neighbours stay neighbours.
    let in_order = seen.windows(2).filter(|w| w[1] == w[0] + 1).count();
    assert!(in_order < 50, "{in_order} of {total} records follow their stored neighbour");
    assert_eq!(actions(&fx, ORGANISATION, AuditAction::StatisticsRecordsViewed).len(), 3);
    let audited = actions(&fx, ORGANISATION, AuditAction::StatisticsRecordsViewed);
    assert!(audited.iter().all(|e| e.actor == analyst.id && e.subject.as_deref() == Some(ROUND)));
    // A cursor this server did not make is refused.
    let forged = send!(app, with_cookie(TestRequest::get().uri(&records_uri(ROUND, Some("AAAA"))), &cookie));
    assert_eq!(forged.status, StatusCode::BAD_REQUEST);
}

#[actix_web::test]
async fn only_holders_of_their_own_organisation_get_records_and_every_refusal_is_audited() {
    let fx = Fixture::new();
    fx.add_organisation("other");
    let app = app!(fx.state);
    let admin = fx.add_staff(ORGANISATION, "chef", Role::Administrator, None);
    let analyst = fx.add_staff(ORGANISATION, "ana", Role::Analyst, None);
    let staff = fx.add_staff(ORGANISATION, "kurator", Role::Staff, None);
    let stranger_admin = fx.add_staff("other", "chef2", Role::Administrator, None);
    let statistics = fx.make_statistics_key(&admin);
    let theirs = fx.make_statistics_key(&stranger_admin);
    fx.store_round(ORGANISATION, ROUND);
    fx.store_round("other", "their-round");
    fx.state.store.put_statistics_record(ORGANISATION, ROUND, "a1", &record(1)).expect("store");
    fx.state.store.put_statistics_record("other", "their-round", "b1", &record(2)).expect("store");
    let _ = theirs;

    let fetch = |cookie: &str, round: &str| with_cookie(TestRequest::get().uri(&records_uri(round, None)), cookie);
    let (analyst_cookie, session) = staff_log_in!(&fx, app, &analyst);
    assert_eq!(session.statistics_key, StatisticsKeyCopy::None);
    // Without a grant: 403, audited.
    let denied_before = actions(&fx, ORGANISATION, AuditAction::AccessDenied).len();
    assert_eq!(send!(app, fetch(&analyst_cookie, ROUND)).status, StatusCode::FORBIDDEN);
    assert_eq!(actions(&fx, ORGANISATION, AuditAction::AccessDenied).len(), denied_before + 1);

    // The administrator grants it: the analyst's session carries the grant, which opens
    // with the analyst's personal key to the organisation's statistics key.
    let personal = fx.make_personal_key(&analyst);
    let (admin_cookie, admin_session) = staff_log_in!(&fx, app, &admin);
    assert!(matches!(admin_session.statistics_key, StatisticsKeyCopy::Password(_)));
    let sealed = grant_statistics_key(&personal.public_key(), ORGANISATION, "ana", &statistics, &mut OsRng);
    let grant =
        with_cookie(TestRequest::put().uri(&format!("/api/admin/staff/{}/statistics-key", analyst.id)), &admin_cookie)
            .set_json(StatisticsGrant { sealed: Bytes(sealed) });
    assert_eq!(send!(app, grant).status, StatusCode::NO_CONTENT);
    assert_eq!(actions(&fx, ORGANISATION, AuditAction::StatisticsKeyGranted).len(), 1);
    let (analyst_cookie, session) = staff_log_in!(&fx, app, &analyst);
    let StatisticsKeyCopy::Granted(copy) = &session.statistics_key else { panic!("no grant: {session:?}") };
    let opened = open_statistics_grant(&personal, ORGANISATION, "ana", &copy.0).expect("the grant opens");
    assert_eq!(opened.to_bytes(), statistics.to_bytes());
    assert_eq!(session.wrapped_org_key, None, "an analyst gets no organisation key");
    assert_eq!(send!(app, fetch(&analyst_cookie, ROUND)).status, StatusCode::OK);

    // Another organisation's round answers like a round that does not exist, audited.
    let denied_before = actions(&fx, ORGANISATION, AuditAction::AccessDenied).len();
    let other = send!(app, fetch(&analyst_cookie, "their-round"));
    let none = send!(app, fetch(&analyst_cookie, "no-such-round"));
    assert_eq!((other.status, &other.body), (none.status, &none.body));
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert_eq!(actions(&fx, ORGANISATION, AuditAction::AccessDenied).len(), denied_before + 2);

    // Staff who read children hold no statistics key: 403, audited.
    let (staff_cookie, staff_session) = staff_log_in!(&fx, app, &staff);
    assert_eq!(staff_session.statistics_key, StatisticsKeyCopy::None);
    assert_eq!(send!(app, fetch(&staff_cookie, ROUND)).status, StatusCode::FORBIDDEN);

    // Revoked: 403 again, and the grant is gone from the session.
    let revoke = with_cookie(
        TestRequest::delete().uri(&format!("/api/admin/staff/{}/statistics-key", analyst.id)),
        &admin_cookie,
    );
    assert_eq!(send!(app, revoke).status, StatusCode::NO_CONTENT);
    assert_eq!(actions(&fx, ORGANISATION, AuditAction::StatisticsKeyRevoked).len(), 1);
    assert_eq!(send!(app, fetch(&analyst_cookie, ROUND)).status, StatusCode::FORBIDDEN);
    let (_, session) = staff_log_in!(&fx, app, &analyst);
    assert_eq!(session.statistics_key, StatisticsKeyCopy::None);
}

#[actix_web::test]
async fn an_organisation_gets_its_statistics_key_once_from_an_administrators_browser() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let admin = fx.add_staff(ORGANISATION, "chef", Role::Administrator, None);
    let (cookie, session) = staff_log_in!(&fx, app, &admin);
    assert_eq!(session.statistics_public_key, None, "an organisation from before has none");
    let statistics = OrgSecretKey::generate(&mut OsRng);
    let secrets = fx.staff_secrets(&admin);
    let holder = KeyHolder::Staff("chef");
    let wrapped = beratta_core::staff::wrap_secret(
        SecretKind::Statistics,
        &secrets.wrap_key,
        ORGANISATION,
        &holder,
        &statistics,
        &mut OsRng,
    );
    let body = StatisticsKeySetup {
        public_key: Bytes(statistics.public_key().as_bytes().to_vec()),
        wrapped_statistics_key: Bytes(wrapped),
    };
    let put = || with_cookie(TestRequest::put().uri("/api/admin/statistics-key"), &cookie).set_json(&body);
    assert_eq!(send!(app, put()).status, StatusCode::NO_CONTENT);
    let again = send!(app, put());
    assert_eq!((again.status, again.error()), (StatusCode::CONFLICT, "already_set".to_string()));
    assert_eq!(actions(&fx, ORGANISATION, AuditAction::StatisticsKeyCreated).len(), 1);
    let (_, session) = staff_log_in!(&fx, app, &admin);
    assert_eq!(session.statistics_public_key.as_ref().map(|k| k.0.clone()), Some(body.public_key.0.clone()));
    let StatisticsKeyCopy::Password(copy) = session.statistics_key else { panic!("no copy") };
    let opened = unwrap_secret(SecretKind::Statistics, &secrets.wrap_key, ORGANISATION, &holder, &copy.0)
        .expect("the administrator's copy opens with their password");
    assert_eq!(opened.to_bytes(), statistics.to_bytes());
}

#[actix_web::test]
async fn a_personal_key_is_set_once() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let analyst = fx.add_staff(ORGANISATION, "ana", Role::Analyst, None);
    let (cookie, session) = staff_log_in!(&fx, app, &analyst);
    assert_eq!(session.personal_key, None);
    let key = PersonalKey { public_key: Bytes(vec![7; 32]), wrapped_secret: Bytes(vec![8; 72]) };
    let put = || with_cookie(TestRequest::put().uri("/api/staff/personal-key"), &cookie).set_json(&key);
    assert_eq!(send!(app, put()).status, StatusCode::NO_CONTENT);
    assert_eq!(send!(app, put()).status, StatusCode::CONFLICT);
    let (_, session) = staff_log_in!(&fx, app, &analyst);
    assert_eq!(session.personal_key, Some(key));
}

#[actix_web::test]
async fn an_analyst_is_enrolled_without_an_organisation_key_and_cannot_be_given_one() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let admin = fx.add_staff(ORGANISATION, "chef", Role::Administrator, None);
    let (cookie, _) = staff_log_in!(&fx, app, &admin);
    let mut token = [0u8; 32];
    OsRng.fill_bytes(&mut token);
    let member = |copy: Option<Bytes>| NewStaffMember {
        username: "ana".into(),
        display_name: "Ana Lys".into(),
        role: Role::Analyst,
        unit: None,
        enrolment_token: Bytes(token.to_vec()),
        enrolment_wrapped_org_key: copy,
    };
    let add = |body: NewStaffMember| with_cookie(TestRequest::post().uri("/api/admin/staff"), &cookie).set_json(body);
    assert_eq!(send!(app, add(member(Some(Bytes(vec![0; 72]))))).status, StatusCode::BAD_REQUEST);
    assert_eq!(send!(app, add(member(None))).status, StatusCode::OK);

    // The enrolment carries no key, and a password record with one is refused.
    let link = URL_SAFE_NO_PAD.encode(token);
    let enrolment: beratta_core::api::Enrolment =
        send!(app, TestRequest::get().uri(&format!("/api/enrol/{link}"))).json();
    assert_eq!(enrolment.enrolment_wrapped_org_key, None);
    let with_key = new_password(PASSWORD, ORGANISATION, "ana", &fx.org_key);
    let reply = send!(app, TestRequest::post().uri(&format!("/api/enrol/{link}")).set_json(&with_key));
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let without = beratta_core::api::NewPassword { wrapped_org_key: None, ..with_key };
    let reply = send!(app, TestRequest::post().uri(&format!("/api/enrol/{link}")).set_json(&without));
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{:?}", reply.body);
    let stored = fx.state.store.staff_by_username("ana").expect("store").expect("there");
    assert_eq!(stored.password.expect("a password").wrapped_org_key, None);
    assert!(fx.state.store.enrolling_staff(&token_hash(&token), fx.state.now()).expect("store").is_none());

    // An analyst cannot be made staff (they have no key to read with), and staff made
    // analyst lose their organisation key at once.
    let change = |id: &str, role: Role| {
        with_cookie(TestRequest::patch().uri(&format!("/api/admin/staff/{id}")), &cookie).set_json(StaffChange {
            disabled: None,
            role: Some(role),
            unit: None,
        })
    };
    assert_eq!(send!(app, change(&stored.id, Role::Staff)).status, StatusCode::BAD_REQUEST);
    let kurator = fx.add_staff(ORGANISATION, "kurator", Role::Staff, None);
    assert_eq!(send!(app, change(&kurator.id, Role::Analyst)).status, StatusCode::OK);
    let account = fx.state.store.staff(&kurator.id).expect("store").expect("there");
    assert_eq!(account.password.expect("a password").wrapped_org_key, None);
}

#[actix_web::test]
async fn analysts_accounts_from_before_lose_their_organisation_key_at_start_up_and_others_keep_theirs() {
    let fx = Fixture::new();
    let analyst = fx.add_staff(ORGANISATION, "ana", Role::Analyst, None);
    let staff = fx.add_staff(ORGANISATION, "kurator", Role::Staff, None);
    // As an account from before this version: an analyst with a copy of the organisation key.
    let old = new_password(PASSWORD, ORGANISATION, "ana", &fx.org_key).wrapped_org_key;
    fx.state
        .store
        .update_staff(&analyst.id, &|a: &mut beratta_server::records::StaffAccount| {
            a.password.as_mut().expect("a password").wrapped_org_key = old.clone()
        })
        .expect("store");
    assert_eq!(fx.state.store.drop_analyst_org_keys().expect("store"), 1);
    assert_eq!(fx.state.store.drop_analyst_org_keys().expect("store"), 0, "once is enough");
    let read = |user: &StaffUser| fx.state.store.staff(&user.id).expect("store").expect("there").password.expect("pw");
    assert_eq!(read(&analyst).wrapped_org_key, None);
    assert!(read(&staff).wrapped_org_key.is_some());
}

/// Run by hand (`cargo test -p beratta-server --test api -- --ignored a_round_of_100000`):
/// 100,000 records come in about a hundred pages, none much over a thousand records, and
/// the test prints how long storing them and fetching pages took.
#[actix_web::test]
#[ignore = "takes a minute in a debug build; run by hand to measure"]
async fn a_round_of_100000_records_is_served_in_pages_of_about_a_thousand() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let admin = fx.add_staff(ORGANISATION, "chef", Role::Administrator, None);
    fx.make_statistics_key(&admin);
    fx.store_round(ORGANISATION, ROUND);
    let started = std::time::Instant::now();
    for i in 0..100_000u32 {
        fx.state.store.put_statistics_record(ORGANISATION, ROUND, &format!("a{i:08}"), &record(i)).expect("store");
    }
    let stored = started.elapsed();
    let (cookie, _) = staff_log_in!(&fx, app, &admin);
    let (mut cursor, mut pages, mut largest, mut seen) = (None::<String>, 0, 0, 0);
    let started = std::time::Instant::now();
    loop {
        let reply = send!(app, with_cookie(TestRequest::get().uri(&records_uri(ROUND, cursor.as_deref())), &cookie));
        let page: StatisticsPage = reply.json();
        largest = largest.max(page.records.len());
        seen += page.records.len();
        pages += 1;
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    println!(
        "stored 100,000 records in {stored:?}; fetched {seen} in {pages} pages (largest {largest}) in {:?}",
        started.elapsed()
    );
    assert_eq!((seen, pages), (100_000, 100));
    assert!(largest < 1_200, "largest page {largest}");
}
