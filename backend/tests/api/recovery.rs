//! An administrator who lost their password restores access with the printed recovery key:
//! the server checks only a proof derived from the key, a right proof replaces the
//! administrator's password and nothing else, and wrong keys change nothing, are audited
//! and are limited.

use crate::setup::{create, setup_body, ORG};
use crate::support::staff::{new_password, staff_log_in, with_cookie, StaffUser, PASSWORD};
use crate::support::{app, send, Fixture, CHEAP_KDF};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use beratta_core::api::{Bytes, Enrolment, RecoveryClaim, RecoveryCopy, RecoveryReset, Role};
use beratta_core::audit::AuditAction;
use beratta_core::envelope::OrgSecretKey;
use beratta_core::staff::{derive_staff_secrets, unwrap_org_key, KeyHolder, RecoveryKey};
use beratta_server::limits;
use beratta_server::metrics::Refusal;
use beratta_server::staff::{add_staff_with_password, KnownPassword};
use rand_core::OsRng;

const NEW_PASSWORD: &str = "ett helt nytt långt lösenord";

/// An organisation set up through its link, with a colleague; the administrator is `maria`.
struct SetUp {
    admin: StaffUser,
    colleague: StaffUser,
    org_key: OrgSecretKey,
    recovery: RecoveryKey,
}

macro_rules! set_up {
    ($fx:expr, $app:expr) => {{
        let token = create(&$fx);
        let info: Enrolment = send!($app, TestRequest::get().uri(&format!("/api/setup/{token}"))).json();
        let (body, org_key, recovery) = setup_body(&info, "maria");
        let reply = send!($app, TestRequest::post().uri(&format!("/api/setup/{token}")).set_json(&body));
        assert_eq!(reply.status, StatusCode::NO_CONTENT, "{:?}", reply.body);
        let member = KnownPassword {
            username: "kim",
            display_name: "Kim Kurator",
            role: Role::Staff,
            unit: None,
            password: PASSWORD,
            kdf: CHEAP_KDF,
        };
        let store = $fx.state.store.as_ref();
        let kim =
            add_staff_with_password(store, &$fx.state.secret, ORG, &org_key, &member, $fx.state.now(), &mut OsRng)
                .expect("a colleague");
        SetUp {
            admin: StaffUser { id: info.staff_id.clone(), username: "maria".into(), organisation: ORG.into() },
            colleague: StaffUser { id: kim.id, username: "kim".into(), organisation: ORG.into() },
            org_key,
            recovery,
        }
    }};
}

fn open_request(username: &str, proof: &[u8]) -> TestRequest {
    TestRequest::post()
        .uri("/api/recovery/open")
        .set_json(RecoveryClaim { username: username.into(), proof: Bytes(proof.to_vec()) })
}

fn reset_request(username: &str, proof: &[u8], org_key: &OrgSecretKey) -> TestRequest {
    TestRequest::post().uri("/api/recovery/reset").set_json(RecoveryReset {
        username: username.into(),
        proof: Bytes(proof.to_vec()),
        password: new_password(NEW_PASSWORD, ORG, username, org_key),
    })
}

fn actions(fx: &Fixture) -> Vec<AuditAction> {
    fx.state.store.audit_entries(ORG, 1, usize::MAX).expect("store").iter().map(|e| e.action).collect()
}

#[actix_web::test]
async fn the_recovery_key_gives_the_administrator_a_new_password_and_leaves_colleagues_alone() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let org = set_up!(fx, app);
    let (old_cookie, _) = staff_log_in!(&fx, app, &org.admin);
    let colleague_before = fx.state.store.staff(&org.colleague.id).expect("store").expect("there");
    let proof = org.recovery.proof();

    // The proof opens the recovery copy, and only the printed key opens that.
    let reply = send!(app, open_request("Maria", &proof));
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let copy: RecoveryCopy = reply.json();
    assert_eq!((copy.username.as_str(), copy.organisation.as_str()), ("maria", ORG));
    let opened = unwrap_org_key(org.recovery.key(), ORG, &KeyHolder::Recovery, &copy.recovery_wrapped_org_key.0)
        .expect("the printed key opens the copy");
    assert_eq!(opened.to_bytes(), org.org_key.to_bytes());

    // The new password replaces the old one; the old session ends.
    let reply = send!(app, reset_request("maria", &proof, &opened));
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{:?}", reply.body);
    let me = send!(app, with_cookie(TestRequest::get().uri("/api/staff/me"), &old_cookie));
    assert_eq!(me.status, StatusCode::UNAUTHORIZED, "the session from before the recovery is over");
    let account = fx.state.store.staff(&org.admin.id).expect("store").expect("there");
    let password = account.password.expect("a password");
    let secrets = derive_staff_secrets(NEW_PASSWORD, &password.salt.0, &password.kdf).expect("derivable");
    let reply = send!(app, crate::support::staff::staff_login_request("maria", &secrets.login_proof));
    assert_eq!(reply.status, StatusCode::OK, "the new password logs in");
    let session: beratta_core::api::StaffSession = reply.json();
    let key = unwrap_org_key(
        &secrets.wrap_key,
        ORG,
        &KeyHolder::Staff("maria"),
        &session.wrapped_org_key.clone().expect("staff hold the organisation key").0,
    )
    .expect("the new password opens the organisation key");
    assert_eq!(key.to_bytes(), org.org_key.to_bytes());

    // The colleague's copy is exactly as it was, and still opens with their password.
    let colleague_after = fx.state.store.staff(&org.colleague.id).expect("store").expect("there");
    assert_eq!(colleague_after, colleague_before);
    let (_, theirs) = staff_log_in!(&fx, app, &org.colleague);
    let secrets = fx.staff_secrets(&org.colleague);
    unwrap_org_key(
        &secrets.wrap_key,
        ORG,
        &KeyHolder::Staff("kim"),
        &theirs.wrapped_org_key.clone().expect("staff hold the organisation key").0,
    )
    .expect("the colleague's copy still opens");

    let log = fx.state.store.audit_entries(ORG, 1, usize::MAX).expect("store");
    let used = log.iter().find(|e| e.action == AuditAction::RecoveryUsed).expect("the recovery is audited");
    assert_eq!((used.actor.as_str(), used.subject.as_deref()), (org.admin.id.as_str(), Some(org.admin.id.as_str())));
    fx.sled.verify_audit().expect("store").expect("the chain verifies");
}

#[actix_web::test]
async fn a_wrong_recovery_key_changes_nothing_is_audited_and_is_limited() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let org = set_up!(fx, app);
    let before = fx.state.store.staff(&org.admin.id).expect("store").expect("there");
    let wrong = RecoveryKey::generate(&mut OsRng).proof();

    let reply = send!(app, reset_request("maria", &wrong, &org.org_key));
    assert_eq!((reply.status, reply.error().as_str()), (StatusCode::UNAUTHORIZED, "bad_recovery"));
    let reply = send!(app, open_request("maria", &wrong));
    assert_eq!((reply.status, reply.error().as_str()), (StatusCode::UNAUTHORIZED, "bad_recovery"));
    assert_eq!(fx.state.store.staff(&org.admin.id).expect("store").expect("there"), before, "nothing changed");
    let failed = actions(&fx).iter().filter(|a| **a == AuditAction::RecoveryFailed).count();
    assert_eq!(failed, 2, "each wrong key is audited");

    // A colleague's username, or nobody's, gets the same answer even with the right key;
    // nobody's is counted, not audited.
    let proof = org.recovery.proof();
    for username in ["kim", "nobody"] {
        let reply = send!(app, open_request(username, &proof));
        assert_eq!((reply.status, reply.error().as_str()), (StatusCode::UNAUTHORIZED, "bad_recovery"), "{username}");
    }
    assert_eq!(fx.state.refusals.get(Refusal::UnknownStaffLogin), 2);

    // After the limit even the right key waits.
    for _ in 2..limits::MAX_FAILED_STAFF_LOGINS {
        send!(app, open_request("maria", &wrong));
    }
    let reply = send!(app, open_request("maria", &proof));
    assert_eq!((reply.status, reply.error().as_str()), (StatusCode::TOO_MANY_REQUESTS, "login_locked"));
    fx.advance(limits::STAFF_LOCK_SECS);
    assert_eq!(send!(app, open_request("maria", &proof)).status, StatusCode::OK);
    assert_eq!(fx.state.store.staff(&org.admin.id).expect("store").expect("there"), before);
}

#[actix_web::test]
async fn malformed_recovery_requests_get_a_clear_error_and_cost_no_try() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let org = set_up!(fx, app);
    let proof = org.recovery.proof();
    let reply = send!(app, open_request("maria", &proof[..5]));
    assert_eq!((reply.status, reply.error().as_str()), (StatusCode::BAD_REQUEST, "invalid"));
    let reply = send!(app, open_request("no spaces allowed", &proof));
    assert_eq!((reply.status, reply.error().as_str()), (StatusCode::BAD_REQUEST, "bad_username"));
    let mut body = RecoveryReset {
        username: "maria".into(),
        proof: Bytes(proof.to_vec()),
        password: new_password(NEW_PASSWORD, ORG, "maria", &org.org_key),
    };
    body.password.wrapped_org_key = Some(Bytes(vec![0; 10]));
    let reply = send!(app, TestRequest::post().uri("/api/recovery/reset").set_json(&body));
    assert_eq!((reply.status, reply.error().as_str()), (StatusCode::BAD_REQUEST, "invalid"));
    let message = reply.json::<beratta_core::api::ApiErrorBody>().message;
    assert!(message.contains("wrapped organisation key"), "{message}");
    let before = fx.state.store.staff(&org.admin.id).expect("store").expect("there");
    assert_eq!(before.password.expect("a password").verifier.0.len(), 32);
    assert!(!actions(&fx).contains(&AuditAction::RecoveryFailed), "a malformed request is no try");
}

#[actix_web::test]
async fn an_organisation_set_up_before_recovery_existed_cannot_be_recovered_online() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    // The fixture's organisation was made as `demo` makes one: no recovery verifier.
    let admin = fx.add_staff(crate::support::ORGANISATION, "chef", Role::Administrator, None);
    let reply = send!(app, open_request(&admin.username, &RecoveryKey::generate(&mut OsRng).proof()));
    assert_eq!((reply.status, reply.error().as_str()), (StatusCode::UNAUTHORIZED, "bad_recovery"));
}

#[actix_web::test]
async fn the_recovery_key_also_gives_back_the_statistics_key_made_at_set_up() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let org = set_up!(fx, app);
    let proof = org.recovery.proof();
    let copy: RecoveryCopy = send!(app, open_request("maria", &proof)).json();
    let wrapped = copy.recovery_wrapped_statistics_key.expect("the set-up made a recovery copy of the statistics key");
    let statistics = beratta_core::staff::unwrap_secret(
        beratta_core::staff::SecretKind::Statistics,
        org.recovery.key(),
        ORG,
        &KeyHolder::Recovery,
        &wrapped.0,
    )
    .expect("the printed key opens it");
    let stored = fx.state.store.organisation(ORG).expect("store").expect("there");
    assert_eq!(stored.statistics_public_key.map(|k| k.0), Some(statistics.public_key().as_bytes().to_vec()));

    // As the recovery page does: both keys wrapped under the new password.
    let password =
        crate::support::staff::new_password_with_statistics(NEW_PASSWORD, ORG, "maria", &org.org_key, &statistics);
    let reset = TestRequest::post().uri("/api/recovery/reset").set_json(RecoveryReset {
        username: "maria".into(),
        proof: Bytes(proof.to_vec()),
        password,
    });
    assert_eq!(send!(app, reset).status, StatusCode::NO_CONTENT);
    let account = fx.state.store.staff(&org.admin.id).expect("store").expect("there");
    let record = account.password.expect("a password");
    let secrets = derive_staff_secrets(NEW_PASSWORD, &record.salt.0, &record.kdf).expect("derivable");
    let session: beratta_core::api::StaffSession =
        send!(app, crate::support::staff::staff_login_request("maria", &secrets.login_proof)).json();
    let beratta_core::api::StatisticsKeyCopy::Password(copy) = session.statistics_key else {
        panic!("the administrator holds no statistics key after recovery")
    };
    let opened = beratta_core::staff::unwrap_secret(
        beratta_core::staff::SecretKind::Statistics,
        &secrets.wrap_key,
        ORG,
        &KeyHolder::Staff("maria"),
        &copy.0,
    )
    .expect("the new password opens it");
    assert_eq!(opened.to_bytes(), statistics.to_bytes());
}
