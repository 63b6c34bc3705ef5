//! Adding a colleague: the administrator's browser hands over the organisation key through
//! a one-time link without ever learning the colleague's password.

use crate::support::staff::{enrolment_key, new_password, staff_log_in, with_cookie, StaffUser, PASSWORD};
use crate::support::{app, send, Fixture, ORGANISATION};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use beratta_core::api::{Bytes, Enrolment, NewStaffMember, Role, StaffMember};
use beratta_core::audit::AuditAction;
use beratta_core::staff::{derive_staff_secrets, unwrap_org_key, wrap_org_key, KeyHolder};
use beratta_server::limits;
use rand_core::{OsRng, RngCore};

/// What the administrator's browser sends, and the link it shows (token and, in the
/// fragment, the enrolment key).
fn new_member(fx: &Fixture, username: &str) -> (NewStaffMember, [u8; 32], beratta_core::envelope::SymmetricKey) {
    let mut token = [0u8; 32];
    OsRng.fill_bytes(&mut token);
    let key = enrolment_key();
    // The account id is not known yet, so the enrolment copy is bound to the username.
    let wrapped = wrap_org_key(&key, ORGANISATION, &KeyHolder::Enrolment(username), &fx.org_key, &mut OsRng);
    let body = NewStaffMember {
        username: username.to_string(),
        display_name: "Sara Ek".to_string(),
        role: Role::Staff,
        unit: None,
        enrolment_token: Bytes(token.to_vec()),
        enrolment_wrapped_org_key: Some(Bytes(wrapped)),
    };
    (body, token, key)
}

#[actix_web::test]
async fn a_colleague_enrols_through_a_single_use_link_and_the_admin_never_sends_a_password() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let admin = fx.add_staff(ORGANISATION, "chef", Role::Administrator, None);
    let (cookie, _) = staff_log_in!(&fx, app, &admin);
    let (body, token, key) = new_member(&fx, "sara");
    // The administrator's request has no field that could carry a password or proof.
    let sent = serde_json::to_value(&body).expect("JSON");
    let mut fields: Vec<&str> = sent.as_object().expect("an object").keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(fields, ["display_name", "enrolment_token", "enrolment_wrapped_org_key", "role", "unit", "username"]);
    let reply = send!(app, with_cookie(TestRequest::post().uri("/api/admin/staff"), &cookie).set_json(&body));
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let member: StaffMember = reply.json();
    assert!(member.enrolling && !member.disabled);
    let stored = fx.state.store.staff(&member.staff_id).expect("store").expect("there");
    assert!(stored.password.is_none());
    assert_ne!(stored.enrolment.as_ref().expect("pending").token_hash.0, token.to_vec(), "only a hash is kept");

    let link = URL_SAFE_NO_PAD.encode(token);
    let enrolment: Enrolment = send!(app, TestRequest::get().uri(&format!("/api/enrol/{link}"))).json();
    assert_eq!(
        (enrolment.staff_id.as_str(), enrolment.organisation.as_str()),
        (member.staff_id.as_str(), ORGANISATION)
    );
    let org_key = unwrap_org_key(
        &key,
        ORGANISATION,
        &KeyHolder::Enrolment("sara"),
        &enrolment.enrolment_wrapped_org_key.clone().expect("an enrolment copy").0,
    )
    .expect("the key from the link's fragment opens the enrolment copy");
    let password = new_password(PASSWORD, ORGANISATION, &member.username, &org_key);
    let reply = send!(app, TestRequest::post().uri(&format!("/api/enrol/{link}")).set_json(&password));
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{:?}", reply.body);

    // The enrolment copy is gone with the token; the link works once.
    let stored = fx.state.store.staff(&member.staff_id).expect("store").expect("there");
    assert!(stored.enrolment.is_none());
    assert_eq!(send!(app, TestRequest::get().uri(&format!("/api/enrol/{link}"))).status, StatusCode::NOT_FOUND);
    let replay = send!(app, TestRequest::post().uri(&format!("/api/enrol/{link}")).set_json(&password));
    assert_eq!(replay.status, StatusCode::NOT_FOUND);
    assert_eq!(replay.error(), "not_found");

    let sara = StaffUser { id: member.staff_id.clone(), username: "sara".into(), organisation: ORGANISATION.into() };
    let (_, session) = staff_log_in!(&fx, app, &sara);
    let record = stored.password.expect("a password");
    let secrets = derive_staff_secrets(PASSWORD, &record.salt.0, &record.kdf).expect("derivable");
    let opened = unwrap_org_key(
        &secrets.wrap_key,
        ORGANISATION,
        &KeyHolder::Staff(&sara.username),
        &session.wrapped_org_key.clone().expect("staff hold the organisation key").0,
    )
    .expect("her own copy opens with her password");
    assert_eq!(opened.to_bytes(), fx.org_key.to_bytes());
    let listed: Vec<StaffMember> = send!(app, with_cookie(TestRequest::get().uri("/api/admin/staff"), &cookie)).json();
    assert!(listed.iter().any(|m| m.staff_id == sara.id && !m.enrolling));

    // Both steps are in the audit log: added by the administrator, enrolled by herself.
    let log = fx.state.store.audit_entries(ORGANISATION, 1, usize::MAX).expect("store");
    let find = |action| log.iter().find(|e| e.action == action).expect("recorded");
    assert_eq!(find(AuditAction::StaffAdded).actor, admin.id);
    assert_eq!(find(AuditAction::StaffAdded).subject.as_deref(), Some(sara.id.as_str()));
    assert_eq!(find(AuditAction::StaffEnrolled).actor, sara.id);
}

#[actix_web::test]
async fn an_enrolment_link_expires_after_seven_days() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let admin = fx.add_staff(ORGANISATION, "chef", Role::Administrator, None);
    let (cookie, _) = staff_log_in!(&fx, app, &admin);
    let (body, token, _) = new_member(&fx, "sara");
    let member: StaffMember =
        send!(app, with_cookie(TestRequest::post().uri("/api/admin/staff"), &cookie).set_json(&body)).json();
    let link = URL_SAFE_NO_PAD.encode(token);
    fx.advance(limits::ENROLMENT_SECS);
    assert_eq!(send!(app, TestRequest::get().uri(&format!("/api/enrol/{link}"))).status, StatusCode::NOT_FOUND);
    let password = new_password(PASSWORD, ORGANISATION, &member.username, &fx.org_key);
    let reply = send!(app, TestRequest::post().uri(&format!("/api/enrol/{link}")).set_json(&password));
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn adding_staff_refuses_a_taken_username_an_unknown_unit_and_a_bad_token() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let admin = fx.add_staff(ORGANISATION, "chef", Role::Administrator, None);
    let (cookie, _) = staff_log_in!(&fx, app, &admin);
    let add = |body: &NewStaffMember| with_cookie(TestRequest::post().uri("/api/admin/staff"), &cookie).set_json(body);
    let (taken, _, _) = new_member(&fx, "CHEF");
    assert_eq!(send!(app, add(&taken)).error(), "username_taken");
    let (mut unknown_unit, _, _) = new_member(&fx, "sara");
    unknown_unit.unit = Some("no-such-unit".into());
    assert_eq!(send!(app, add(&unknown_unit)).error(), "unknown_unit");
    let (mut short_token, _, _) = new_member(&fx, "sara");
    short_token.enrolment_token = Bytes(vec![1; 8]);
    let reply = send!(app, add(&short_token));
    assert_eq!((reply.status, reply.error().as_str()), (StatusCode::BAD_REQUEST, "invalid"));
    let (mut bad_name, _, _) = new_member(&fx, "sa ra");
    bad_name.username = "sa ra".into();
    assert_eq!(send!(app, add(&bad_name)).error(), "bad_username");
    // A unit of the organisation is fine.
    let unit = fx.add_unit(ORGANISATION, "Klass 5B");
    let (mut in_unit, _, _) = new_member(&fx, "sara");
    in_unit.unit = Some(unit.clone());
    assert_eq!(send!(app, add(&in_unit)).json::<StaffMember>().unit, Some(unit));
}

#[actix_web::test]
async fn a_password_below_the_standard_cost_is_refused_in_production() {
    let fx = Fixture::with_production_kdf();
    let app = app!(fx.state);
    let admin = fx.add_staff(ORGANISATION, "chef", Role::Administrator, None);
    let (cookie, _) = staff_log_in!(&fx, app, &admin);
    let (body, token, _) = new_member(&fx, "sara");
    let member: StaffMember =
        send!(app, with_cookie(TestRequest::post().uri("/api/admin/staff"), &cookie).set_json(&body)).json();
    let cheap = new_password(PASSWORD, ORGANISATION, &member.username, &fx.org_key);
    let link = URL_SAFE_NO_PAD.encode(token);
    let reply = send!(app, TestRequest::post().uri(&format!("/api/enrol/{link}")).set_json(&cheap));
    assert_eq!((reply.status, reply.error().as_str()), (StatusCode::BAD_REQUEST, "invalid"));
    // The link still works for a proper attempt.
    assert_eq!(send!(app, TestRequest::get().uri(&format!("/api/enrol/{link}"))).status, StatusCode::OK);
}
