//! An organisation's set-up: `create-org` makes it without keys; the first administrator's
//! browser makes the key pair through the one-time link, and the server keeps only the
//! public key and wrapped copies.

use crate::support::staff::{new_password_with_statistics, staff_log_in, staff_login_request, StaffUser, PASSWORD};
use crate::support::{app, send, Fixture};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use beratta_core::api::{Bytes, Enrolment, OrganisationSetup, Role};
use beratta_core::envelope::OrgSecretKey;
use beratta_core::staff::{
    derive_staff_secrets, unwrap_org_key, wrap_org_key, wrap_secret, KeyHolder, RecoveryKey, SecretKind,
};
use beratta_server::limits;
use beratta_server::staff::create_organisation;
use rand_core::OsRng;

pub const ORG: &str = "socialtjansten";

/// Creates the organisation as `create-org` does; returns the set-up token.
pub fn create(fx: &Fixture) -> String {
    create_organisation(
        fx.state.store.as_ref(),
        ORG,
        "Socialtjänsten",
        "Maria",
        "Maria Lind",
        fx.state.now(),
        &mut OsRng,
    )
    .expect("the organisation is created")
}

/// What the administrator's browser sends: new key pairs (organisation and statistics),
/// the recovery copies and the password record with both keys, bound to the organisation
/// and the account the link names.
pub fn setup_body(info: &Enrolment, username: &str) -> (OrganisationSetup, OrgSecretKey, RecoveryKey) {
    let org_key = OrgSecretKey::generate(&mut OsRng);
    let statistics = OrgSecretKey::generate(&mut OsRng);
    let recovery = RecoveryKey::generate(&mut OsRng);
    let password = new_password_with_statistics(PASSWORD, &info.organisation, &info.username, &org_key, &statistics);
    let body = OrganisationSetup {
        username: username.to_string(),
        display_name: "Maria Lind".to_string(),
        password,
        statistics_public_key: Bytes(statistics.public_key().as_bytes().to_vec()),
        recovery_wrapped_statistics_key: Bytes(wrap_secret(
            SecretKind::Statistics,
            recovery.key(),
            &info.organisation,
            &KeyHolder::Recovery,
            &statistics,
            &mut OsRng,
        )),
        org_public_key: Bytes(org_key.public_key().as_bytes().to_vec()),
        recovery_wrapped_org_key: Bytes(wrap_org_key(
            recovery.key(),
            &info.organisation,
            &KeyHolder::Recovery,
            &org_key,
            &mut OsRng,
        )),
        recovery_proof: Bytes(recovery.proof().to_vec()),
    };
    (body, org_key, recovery)
}

#[actix_web::test]
async fn the_setup_link_works_once_and_leaves_only_wrapped_keys_on_the_server() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let token = create(&fx);
    let before = fx.state.store.organisation(ORG).expect("store").expect("created");
    assert_eq!(before.public_key, None, "no key pair before the set-up");

    let info: Enrolment = send!(app, TestRequest::get().uri(&format!("/api/setup/{token}"))).json();
    assert_eq!((info.organisation.as_str(), info.username.as_str()), (ORG, "maria"));
    let (body, org_key, recovery) = setup_body(&info, "maria");
    let reply = send!(app, TestRequest::post().uri(&format!("/api/setup/{token}")).set_json(&body));
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{:?}", reply.body);

    let after = fx.state.store.organisation(ORG).expect("store").expect("there");
    assert_eq!(after.public_key.as_ref().map(|k| k.0.as_slice()), Some(&org_key.public_key().as_bytes()[..]));
    let recovered = unwrap_org_key(
        recovery.key(),
        ORG,
        &KeyHolder::Recovery,
        &after.recovery_wrapped_org_key.expect("the recovery copy is stored").0,
    )
    .expect("the printed recovery key opens the recovery copy");
    assert_eq!(recovered.to_bytes(), org_key.to_bytes());
    let account = fx.state.store.staff(&info.staff_id).expect("store").expect("there");
    let stored = account.password.expect("a password record");
    assert_ne!(stored.verifier, body.password.proof, "the proof is kept only as a keyed verifier");
    assert_eq!(stored.verifier.0, fx.state.secret.login_verifier(&body.password.proof.0).to_vec());

    // The administrator logs in, and their copy opens only with their password.
    let admin = StaffUser { id: info.staff_id.clone(), username: "maria".into(), organisation: ORG.into() };
    let (_, session) = staff_log_in!(&fx, app, &admin);
    assert_eq!(session.role, Role::Administrator);
    let secrets = derive_staff_secrets(PASSWORD, &stored.salt.0, &stored.kdf).expect("derivable");
    let opened = unwrap_org_key(
        &secrets.wrap_key,
        ORG,
        &KeyHolder::Staff(&info.username),
        &session.wrapped_org_key.clone().expect("staff hold the organisation key").0,
    )
    .expect("the administrator's copy opens");
    assert_eq!(opened.to_bytes(), org_key.to_bytes());

    // Used once, the link opens nothing.
    let again = send!(app, TestRequest::post().uri(&format!("/api/setup/{token}")).set_json(&body));
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert_eq!(send!(app, TestRequest::get().uri(&format!("/api/setup/{token}"))).status, StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn the_setup_refuses_another_username_and_the_link_keeps_working() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let token = create(&fx);
    let info: Enrolment = send!(app, TestRequest::get().uri(&format!("/api/setup/{token}"))).json();
    let (wrong, _, _) = setup_body(&info, "mallory");
    let reply = send!(app, TestRequest::post().uri(&format!("/api/setup/{token}")).set_json(&wrong));
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.error(), "wrong_username");
    assert_eq!(fx.state.store.organisation(ORG).expect("store").expect("there").public_key, None);
    let (right, _, _) = setup_body(&info, "MARIA");
    let reply = send!(app, TestRequest::post().uri(&format!("/api/setup/{token}")).set_json(&right));
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
}

#[actix_web::test]
async fn before_the_setup_the_administrator_cannot_log_in() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    create(&fx);
    let reply = send!(app, staff_login_request("maria", &[0; 32]));
    assert_eq!(reply.error(), "bad_login");
}

#[actix_web::test]
async fn a_setup_link_expires_after_seven_days_and_a_made_up_one_opens_nothing() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let token = create(&fx);
    let info: Enrolment = send!(app, TestRequest::get().uri(&format!("/api/setup/{token}"))).json();
    fx.advance(limits::SETUP_TOKEN_SECS);
    let (body, _, _) = setup_body(&info, "maria");
    let reply = send!(app, TestRequest::post().uri(&format!("/api/setup/{token}")).set_json(&body));
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.error(), "not_found");
    for made_up in ["A".repeat(43), "short".to_string()] {
        let reply = send!(app, TestRequest::get().uri(&format!("/api/setup/{made_up}")));
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
    }
}

#[actix_web::test]
async fn create_org_refuses_a_taken_id_or_username_and_a_bad_id() {
    let fx = Fixture::new();
    create(&fx);
    let store = fx.state.store.as_ref();
    let now = fx.state.now();
    assert!(create_organisation(store, ORG, "Again", "other", "Other", now, &mut OsRng).is_err());
    assert!(create_organisation(store, "another", "Another", "maria", "Maria", now, &mut OsRng).is_err());
    assert!(create_organisation(store, "Bad Id", "Bad", "bad", "Bad", now, &mut OsRng).is_err());
    assert!(fx.state.store.organisation("another").expect("store").is_none(), "nothing half made");
}
