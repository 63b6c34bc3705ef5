//! Issue 10: the sealed status stored with each save and listed for staff (audited once per
//! view), and a new code for the same assessment (the old one stops at once, the answers
//! stay).

use crate::support::staff::{batch, child_with, new_child, reserve_lookups, staff_log_in, with_cookie, StaffUser};
use crate::support::{app, login_request, save_request, send, session_with, Fixture, ORGANISATION};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use beratta_core::api::Role;
use beratta_core::api::{AssessmentRecord, Bytes, ChildAssessment, CodeBasis, NewCode, StatusEntry};
use beratta_core::audit::AuditAction;
use beratta_core::child::{wrap_for_new_code, ChildKeys};
use beratta_core::login::{derive_child_secrets, ChildCode, ChildSecrets};
use beratta_core::status::{open_status, AssessmentStatus, Progress};
use rand_core::OsRng;

/// A child invited by `user`'s cookie: its code and assessment id.
macro_rules! invite {
    ($app:expr, $cookie:expr) => {{
        let (code, child) = new_child!($app, $cookie);
        let req = with_cookie(TestRequest::post().uri("/api/invitations"), $cookie).set_json(batch(vec![child], false));
        let records: Vec<AssessmentRecord> = send!($app, req).json();
        (code, records[0].assessment.clone())
    }};
}

/// Logs the child in with `code`; the cookie, what login returned and the secrets.
macro_rules! child_log_in {
    ($fx:expr, $app:expr, $code:expr, $id:expr) => {{
        let stored = $fx.state.store.assessment($id).expect("store").expect("there");
        let secrets = derive_child_secrets($code, &stored.salt.0, &stored.kdf).expect("derivable");
        let reply = send!($app, login_request($code.lookup(), &secrets.login_proof));
        assert_eq!(reply.status, StatusCode::OK, "login failed: {:?}", reply.body);
        let cookie = reply.session_cookie().expect("a cookie");
        let assessment: ChildAssessment = reply.json();
        (cookie, assessment, secrets)
    }};
}

fn status() -> AssessmentStatus {
    AssessmentStatus { progress: Progress::Finished, urgent: true, help_wishes: 2, changed_on: 20_500 }
}

fn count(fx: &Fixture, action: AuditAction) -> usize {
    let entries = fx.state.store.audit_entries(ORGANISATION, 1, usize::MAX).expect("the store works");
    entries.iter().filter(|e| e.action == action).count()
}

fn staff(fx: &Fixture) -> StaffUser {
    fx.add_staff(ORGANISATION, "kurator", Role::Staff, None)
}

#[actix_web::test]
async fn a_status_saved_with_the_answers_is_listed_sealed_and_opens_only_in_the_staff_browser() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let user = staff(&fx);
    let (cookie, _) = staff_log_in!(&fx, app, &user);
    let (code, id) = invite!(app, &cookie);
    let (_, quiet) = invite!(app, &cookie);
    let (child_cookie, assessment, secrets) = child_log_in!(&fx, app, &code, &id);
    let keys = ChildKeys::after_login(&secrets, &assessment, &mut OsRng).expect("keys");
    let session = session_with("gender", "girl");
    let sealed = keys.seal_with_status(&assessment, &session, "sv", 1, &status(), &mut OsRng).expect("sealed");
    assert_eq!(send!(app, save_request(&child_cookie, &sealed)).status, StatusCode::OK);
    // The status is in the same record as the answers, exactly as sent.
    let stored = fx.state.store.assessment(&id).expect("store").expect("there");
    assert_eq!(stored.sealed.as_ref().and_then(|s| s.status.clone()), sealed.status);

    let viewed_before = count(&fx, AuditAction::StatusesViewed);
    let reply = send!(app, with_cookie(TestRequest::get().uri("/api/invitations/statuses"), &cookie));
    assert_eq!(reply.status, StatusCode::OK);
    let entries: Vec<StatusEntry> = reply.json();
    assert_eq!(count(&fx, AuditAction::StatusesViewed), viewed_before + 1, "one record per view of the list");
    assert_eq!(count(&fx, AuditAction::ChildDataViewed), 0, "no child's answers were viewed");
    let mine = entries.iter().find(|e| e.assessment == id).expect("listed");
    assert_eq!(mine.counter, 1);
    let blob = mine.status.as_ref().expect("a status");
    let org = fx.org_secret(ORGANISATION);
    assert_eq!(open_status(&org, ORGANISATION, &id, 1, &blob.0), Ok(status()));
    // Moved onto another child's row it does not open.
    assert!(open_status(&org, ORGANISATION, &quiet, 1, &blob.0).is_err());
    let other = entries.iter().find(|e| e.assessment == quiet).expect("listed");
    assert_eq!((other.counter, other.status.is_none(), other.org_sealed_key.is_none()), (0, true, true));
    // The list itself still carries no answers.
    let list: Vec<AssessmentRecord> =
        send!(app, with_cookie(TestRequest::get().uri("/api/invitations"), &cookie)).json();
    assert!(list.iter().all(|r| r.sealed.is_none()));
}

#[actix_web::test]
async fn a_save_with_a_status_of_the_wrong_size_is_refused_and_changes_nothing() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let user = staff(&fx);
    let (cookie, _) = staff_log_in!(&fx, app, &user);
    let (code, id) = invite!(app, &cookie);
    let (child_cookie, assessment, secrets) = child_log_in!(&fx, app, &code, &id);
    let keys = ChildKeys::after_login(&secrets, &assessment, &mut OsRng).expect("keys");
    let mut sealed =
        keys.seal_with_status(&assessment, &session_with("gender", "girl"), "sv", 1, &status(), &mut OsRng).unwrap();
    sealed.status.as_mut().unwrap().0.push(0);
    let reply = send!(app, save_request(&child_cookie, &sealed));
    assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, "bad_answers".to_string()));
    assert!(fx.state.store.assessment(&id).unwrap().unwrap().sealed.is_none());
}

/// What the staff browser does for a new code: the basis, a code around a reserved lookup,
/// the data key wrapped for it. Returns the code and the request body.
macro_rules! new_code_for {
    ($fx:expr, $app:expr, $cookie:expr, $id:expr) => {{
        let basis: CodeBasis =
            send!($app, with_cookie(TestRequest::get().uri(&format!("/api/invitations/{}/code", $id)), $cookie)).json();
        let lookup = reserve_lookups!($app, $cookie, 1).remove(0);
        let (code, child) = child_with(&lookup);
        let secrets: ChildSecrets = derive_child_secrets(&code, &child.salt.0, &child.kdf).expect("derivable");
        let org = $fx.org_secret(ORGANISATION);
        let child_wrapped_key = basis.org_sealed_key.as_ref().map(|sealed| {
            Bytes(
                wrap_for_new_code(&org, &sealed.0, &secrets, &basis.server_share.0, &basis.assessment, &mut OsRng)
                    .expect("the organisation opens the data key"),
            )
        });
        let body = NewCode {
            lookup: child.lookup,
            salt: child.salt,
            kdf: child.kdf,
            proof: child.proof,
            counter: basis.counter,
            child_wrapped_key,
        };
        (code, body)
    }};
}

fn replace_request(cookie: &str, id: &str, body: &NewCode) -> TestRequest {
    with_cookie(TestRequest::post().uri(&format!("/api/invitations/{id}/code")), cookie).set_json(body)
}

#[actix_web::test]
async fn a_new_code_opens_the_same_answers_and_the_old_code_and_its_sessions_stop_at_once() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let user = staff(&fx);
    let (cookie, _) = staff_log_in!(&fx, app, &user);
    let (old_code, id) = invite!(app, &cookie);
    let (child_cookie, assessment, secrets) = child_log_in!(&fx, app, &old_code, &id);
    let keys = ChildKeys::after_login(&secrets, &assessment, &mut OsRng).expect("keys");
    let session = session_with("gender", "girl");
    let sealed = keys.seal_with_status(&assessment, &session, "sv", 1, &status(), &mut OsRng).unwrap();
    assert_eq!(send!(app, save_request(&child_cookie, &sealed)).status, StatusCode::OK);

    let (new_code, body) = new_code_for!(fx, app, &cookie, &id);
    let reply = send!(app, replace_request(&cookie, &id, &body));
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let record: AssessmentRecord = reply.json();
    assert_eq!((record.assessment.as_str(), record.lookup.as_str()), (id.as_str(), new_code.lookup()));
    assert_eq!(count(&fx, AuditAction::ChildCodeReplaced), 1);

    // The old code's session ended, and the old code no longer logs in.
    let old_session = send!(app, TestRequest::get().uri("/api/child/session").insert_header(("cookie", child_cookie)));
    assert_eq!(old_session.status, StatusCode::UNAUTHORIZED);
    let old = send!(app, login_request(old_code.lookup(), &secrets.login_proof));
    assert_eq!((old.status, old.error()), (StatusCode::UNAUTHORIZED, "bad_code".to_string()));

    // The new code opens every answer, and the child carries on from the next counter.
    let (new_cookie, again, new_secrets) = child_log_in!(&fx, app, &new_code, &id);
    let new_keys = ChildKeys::after_login(&new_secrets, &again, &mut OsRng).expect("the new code unwraps");
    assert_eq!(new_keys.open(&again).unwrap().unwrap().session, session);
    let next = new_keys.seal_with_status(&again, &session, "sv", 2, &status(), &mut OsRng).unwrap();
    assert_eq!(send!(app, save_request(&new_cookie, &next)).status, StatusCode::OK);

    // A save carrying the old code's wrapped key (as one from the old session, already
    // under way when the code was replaced, would) keeps the new code's key.
    let late = keys.seal_with_status(&again, &session, "sv", 3, &status(), &mut OsRng).unwrap();
    assert_ne!(late.child_wrapped_key, next.child_wrapped_key);
    assert_eq!(send!(app, save_request(&new_cookie, &late)).status, StatusCode::OK);
    let (_, after, new_secrets) = child_log_in!(&fx, app, &new_code, &id);
    let reopened = ChildKeys::after_login(&new_secrets, &after, &mut OsRng).expect("the new code still unwraps");
    assert_eq!(reopened.open(&after).unwrap().unwrap().session, session);
}

#[actix_web::test]
async fn a_new_code_for_a_child_who_has_not_answered_carries_no_key_and_logs_in() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let user = staff(&fx);
    let (cookie, _) = staff_log_in!(&fx, app, &user);
    let (old_code, id) = invite!(app, &cookie);
    let (new_code, body) = new_code_for!(fx, app, &cookie, &id);
    assert!(body.child_wrapped_key.is_none());
    assert_eq!(send!(app, replace_request(&cookie, &id, &body)).status, StatusCode::OK);
    let (_, assessment, _) = child_log_in!(&fx, app, &new_code, &id);
    assert!(assessment.sealed.is_none());
    assert!(fx.state.store.assessment_by_lookup(old_code.lookup()).unwrap().is_none());
}

#[actix_web::test]
async fn bad_new_codes_get_a_clear_error_and_change_nothing() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let user = staff(&fx);
    let (cookie, _) = staff_log_in!(&fx, app, &user);
    let (old_code, id) = invite!(app, &cookie);
    let (child_cookie, assessment, secrets) = child_log_in!(&fx, app, &old_code, &id);
    let keys = ChildKeys::after_login(&secrets, &assessment, &mut OsRng).expect("keys");
    let sealed = keys.seal_with_status(&assessment, &session_with("gender", "girl"), "sv", 1, &status(), &mut OsRng);
    assert_eq!(send!(app, save_request(&child_cookie, &sealed.unwrap())).status, StatusCode::OK);
    let before = fx.state.store.assessment(&id).unwrap().unwrap();

    let (_, good) = new_code_for!(fx, app, &cookie, &id);
    let cases: Vec<(&str, NewCode, StatusCode, &str)> = vec![
        ("a stale counter", NewCode { counter: 0, ..good.clone() }, StatusCode::CONFLICT, "stale_code"),
        ("no wrapped key", NewCode { child_wrapped_key: None, ..good.clone() }, StatusCode::BAD_REQUEST, "invalid"),
        (
            "a short wrapped key",
            NewCode { child_wrapped_key: Some(Bytes(vec![1; 40])), ..good.clone() },
            StatusCode::BAD_REQUEST,
            "invalid",
        ),
        ("a short proof", NewCode { proof: Bytes(vec![1; 8]), ..good.clone() }, StatusCode::BAD_REQUEST, "invalid"),
        ("a short salt", NewCode { salt: Bytes(vec![1; 3]), ..good.clone() }, StatusCode::BAD_REQUEST, "invalid"),
        ("a malformed lookup", NewCode { lookup: "abc".into(), ..good.clone() }, StatusCode::BAD_REQUEST, "bad_lookup"),
        (
            "a lookup never reserved",
            NewCode { lookup: beratta_core::login::random_lookup(&mut OsRng), ..good.clone() },
            StatusCode::CONFLICT,
            "lookup_not_reserved",
        ),
    ];
    for (what, body, status, error) in cases {
        let reply = send!(app, replace_request(&cookie, &id, &body));
        assert_eq!((reply.status, reply.error().as_str()), (status, error), "{what}");
        assert_eq!(fx.state.store.assessment(&id).unwrap().unwrap(), before, "{what} changed the record");
    }
    assert_eq!(count(&fx, AuditAction::ChildCodeReplaced), 0);
    // The old code still works after all of that.
    let (_, _, _) = child_log_in!(&fx, app, &old_code, &id);

    // A revoked invitation gets no new code.
    send!(app, with_cookie(TestRequest::post().uri(&format!("/api/invitations/{id}/revoke")), &cookie));
    let reply = send!(app, replace_request(&cookie, &id, &good));
    assert_eq!((reply.status, reply.error()), (StatusCode::CONFLICT, "revoked".to_string()));
    let basis = send!(app, with_cookie(TestRequest::get().uri(&format!("/api/invitations/{id}/code")), &cookie));
    assert_eq!((basis.status, basis.error()), (StatusCode::CONFLICT, "revoked".to_string()));
    let _: ChildCode = old_code;
}
