//! Staff login: parameters that do not tell which usernames exist, the session cookie, the
//! lock, the timeouts, logout, and a disabled account's sessions ending.

use crate::support::staff::{staff_log_in, staff_login_request, with_cookie, StaffUser};
use crate::support::{app, send, Fixture, ORGANISATION};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use beratta_core::api::{LoginParams, Role, StaffChange, StaffSession};
use beratta_core::login::{KdfParams, SALT_LEN};
use beratta_core::staff::{unwrap_org_key, KeyHolder};
use beratta_server::limits;

fn me(cookie: &str) -> TestRequest {
    with_cookie(TestRequest::get().uri("/api/staff/me"), cookie)
}

fn staff(fx: &Fixture) -> StaffUser {
    fx.add_staff(ORGANISATION, "anna.berg", Role::Staff, None)
}

#[actix_web::test]
async fn params_for_an_unknown_username_look_real_and_never_change() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let user = staff(&fx);
    let unknown = send!(app, TestRequest::get().uri("/api/staff/params/nobody"));
    let again = send!(app, TestRequest::get().uri("/api/staff/params/nobody"));
    assert_eq!(unknown.status, StatusCode::OK);
    assert_eq!(unknown.body, again.body);
    let decoy: LoginParams = unknown.json();
    assert_eq!(decoy.salt.0.len(), SALT_LEN);
    assert_eq!(decoy.kdf, KdfParams::STANDARD);
    // The decoy differs from a child lookup's decoy for the same text.
    assert_ne!(decoy.salt.0, fx.state.secret.decoy_salt("nobody").to_vec());

    let real: LoginParams = send!(app, TestRequest::get().uri(&format!("/api/staff/params/{}", user.username))).json();
    let stored = fx.state.store.staff(&user.id).expect("store").expect("exists").password.expect("a password");
    assert_eq!(real, LoginParams { salt: stored.salt, kdf: stored.kdf });
    // Usernames are compared without case.
    let upper = send!(app, TestRequest::get().uri("/api/staff/params/ANNA.BERG"));
    assert_eq!(upper.json::<LoginParams>(), real);
    let bad = send!(app, TestRequest::get().uri("/api/staff/params/a%20b"));
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.error(), "bad_username");
}

#[actix_web::test]
async fn login_sets_a_host_only_cookie_and_hands_back_the_wrapped_organisation_key() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let user = staff(&fx);
    let secrets = fx.staff_secrets(&user);
    let reply = send!(app, staff_login_request(&user.username, &secrets.login_proof));
    assert_eq!(reply.status, StatusCode::OK);
    let set_cookie = reply.header("set-cookie").expect("a session cookie");
    let mut parts = set_cookie.split("; ");
    let (name, token) = parts.next().and_then(|p| p.split_once('=')).expect("name=value");
    let attributes: Vec<&str> = parts.collect();
    assert_eq!(name, "__Host-beratta-staff");
    assert_eq!(token.len(), 43, "32 random bytes in unpadded base64");
    for attribute in ["Path=/", "Secure", "HttpOnly", "SameSite=Strict"] {
        assert!(attributes.contains(&attribute), "{attribute} missing from {set_cookie}");
    }
    assert!(!set_cookie.contains("Domain") && !set_cookie.contains("Max-Age"), "{set_cookie}");

    let session: StaffSession = reply.json();
    assert_eq!(
        (session.staff_id.as_str(), session.role, session.organisation.as_str()),
        (user.id.as_str(), Role::Staff, ORGANISATION)
    );
    assert_eq!(&session.org_public_key.0[..], fx.org_key.public_key().as_bytes());
    // Only the password's wrap key, which never left the "browser", opens the copy.
    let opened = unwrap_org_key(
        &secrets.wrap_key,
        ORGANISATION,
        &KeyHolder::Staff(&user.username),
        &session.wrapped_org_key.clone().expect("staff hold the organisation key").0,
    )
    .expect("the staff member's copy opens");
    assert_eq!(opened.to_bytes(), fx.org_key.to_bytes());
}

#[actix_web::test]
async fn every_login_makes_a_new_token_and_ends_the_browsers_previous_session() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let user = staff(&fx);
    let (first, _) = staff_log_in!(&fx, app, &user);
    let secrets = fx.staff_secrets(&user);
    let reply = send!(app, with_cookie(staff_login_request(&user.username, &secrets.login_proof), &first));
    let second = reply.session_cookie().expect("a new cookie");
    assert_ne!(first, second);
    assert_eq!(send!(app, me(&first)).status, StatusCode::UNAUTHORIZED);
    // Another browser's session is its own.
    let (third, _) = staff_log_in!(&fx, app, &user);
    assert_ne!(third, second);
    assert_eq!(send!(app, me(&second)).status, StatusCode::OK);
    assert_eq!(send!(app, me(&third)).status, StatusCode::OK);
}

#[actix_web::test]
async fn a_wrong_password_and_an_unknown_username_get_byte_identical_answers() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let user = staff(&fx);
    let wrong = send!(app, staff_login_request(&user.username, &[7; 32]));
    let unknown = send!(app, staff_login_request("nobody", &[7; 32]));
    let enrolling = {
        fx.state.store.update_staff(&user.id, &|a| a.password = None).expect("store");
        send!(app, staff_login_request(&user.username, &[7; 32]))
    };
    for reply in [&wrong, &unknown, &enrolling] {
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert_eq!(reply.body, wrong.body);
        assert!(reply.header("set-cookie").is_none());
    }
    assert_eq!(wrong.error(), "bad_login");
}

#[actix_web::test]
async fn ten_wrong_passwords_lock_a_username_for_a_while_known_or_not() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let user = staff(&fx);
    let secrets = fx.staff_secrets(&user);
    for (i, name) in [user.username.as_str(), "nobody"].into_iter().enumerate() {
        let peer = format!("10.0.1.{i}:1").parse().expect("an address");
        for attempt in 1..=limits::MAX_FAILED_STAFF_LOGINS {
            let reply = send!(app, staff_login_request(name, &[1; 32]).peer_addr(peer));
            assert_eq!(reply.error(), "bad_login", "{name}, attempt {attempt}");
        }
        let locked = send!(app, staff_login_request(name, &[1; 32]).peer_addr(peer));
        assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS, "{name}");
        assert_eq!(locked.error(), "login_locked");
        assert!(locked.header("retry-after").is_some());
    }
    // Locked even against the right password, from anywhere ...
    let right = send!(app, staff_login_request(&user.username, &secrets.login_proof));
    assert_eq!(right.error(), "login_locked");
    // ... until the lock's window has passed.
    fx.advance(limits::STAFF_LOCK_SECS);
    let right = send!(app, staff_login_request(&user.username, &secrets.login_proof));
    assert_eq!(right.status, StatusCode::OK);
}

#[actix_web::test]
async fn one_address_gets_thirty_wrong_passwords_per_window_across_usernames() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let user = staff(&fx);
    let secrets = fx.staff_secrets(&user);
    let peer = "10.0.2.1:1".parse().expect("an address");
    for i in 0..limits::MAX_CLIENT_FAILURES {
        let reply = send!(app, staff_login_request(&format!("guess{i}"), &[1; 32]).peer_addr(peer));
        assert_eq!(reply.error(), "bad_login");
    }
    let blocked = send!(app, staff_login_request("guess-more", &[1; 32]).peer_addr(peer));
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(blocked.error(), "too_many_tries");
    // A right password is never refused for its address: colleagues share the school's.
    let right = send!(app, staff_login_request(&user.username, &secrets.login_proof).peer_addr(peer));
    assert_eq!(right.status, StatusCode::OK);
    // Children's wrong codes are counted apart: the address may still try a child code.
    let child = send!(app, crate::support::login_request("3479", &[1; 32]).peer_addr(peer));
    assert_eq!(child.error(), "bad_code");
}

#[actix_web::test]
async fn me_answers_the_session_and_logout_ends_it_on_the_server() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let user = staff(&fx);
    let (cookie, at_login) = staff_log_in!(&fx, app, &user);
    let reply = send!(app, me(&format!("theme=dark; {cookie}")));
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json::<StaffSession>(), at_login);

    let out = send!(app, with_cookie(TestRequest::post().uri("/api/staff/logout"), &cookie));
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    let expired = out.header("set-cookie").expect("the cookie is expired");
    assert!(expired.starts_with("__Host-beratta-staff=;") && expired.contains("Max-Age=0"), "{expired}");
    let after = send!(app, me(&cookie));
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(after.error(), "no_staff_session");
    // A child's cookie is no staff session.
    let child = send!(app, me(&format!("__Host-beratta-child={}", cookie.split_once('=').expect("a pair").1)));
    assert_eq!(child.status, StatusCode::UNAUTHORIZED);
}

#[actix_web::test]
async fn a_session_ends_after_thirty_idle_minutes_but_use_keeps_it_alive() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let user = staff(&fx);
    let (cookie, _) = staff_log_in!(&fx, app, &user);
    for _ in 0..3 {
        fx.advance(limits::SESSION_IDLE_SECS - 60);
        assert_eq!(send!(app, me(&cookie)).status, StatusCode::OK);
    }
    fx.advance(limits::SESSION_IDLE_SECS);
    assert_eq!(send!(app, me(&cookie)).error(), "no_staff_session");
}

#[actix_web::test]
async fn a_session_ends_twelve_hours_after_login_however_busy() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let user = staff(&fx);
    let (cookie, _) = staff_log_in!(&fx, app, &user);
    let step = limits::SESSION_IDLE_SECS / 2;
    let mut elapsed = 0;
    while elapsed + step < limits::SESSION_MAX_SECS {
        fx.advance(step);
        elapsed += step;
        assert_eq!(send!(app, me(&cookie)).status, StatusCode::OK, "after {elapsed} s");
    }
    fx.advance(step);
    assert_eq!(send!(app, me(&cookie)).status, StatusCode::UNAUTHORIZED);
    // The sweep removes what is left of such sessions.
    let (fresh, _) = staff_log_in!(&fx, app, &user);
    fx.advance(limits::SESSION_IDLE_SECS);
    assert!(fx.state.sweep().expect("the store works") >= 1);
    assert_eq!(send!(app, me(&fresh)).status, StatusCode::UNAUTHORIZED);
}

#[actix_web::test]
async fn disabling_an_account_ends_its_sessions_and_its_logins() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let admin = fx.add_staff(ORGANISATION, "chef", Role::Administrator, None);
    let user = staff(&fx);
    let (admin_cookie, _) = staff_log_in!(&fx, app, &admin);
    let (one, _) = staff_log_in!(&fx, app, &user);
    let (two, _) = staff_log_in!(&fx, app, &user);
    let disable = StaffChange { disabled: Some(true), role: None, unit: None };
    let reply = send!(
        app,
        with_cookie(TestRequest::patch().uri(&format!("/api/admin/staff/{}", user.id)), &admin_cookie)
            .set_json(&disable)
    );
    assert_eq!(reply.status, StatusCode::OK);
    for cookie in [&one, &two] {
        assert_eq!(send!(app, me(cookie)).status, StatusCode::UNAUTHORIZED);
    }
    let secrets = fx.staff_secrets(&user);
    let again = send!(app, staff_login_request(&user.username, &secrets.login_proof));
    assert_eq!(again.error(), "bad_login", "a disabled account answers like an unknown one");
    // Re-enabled, it works again, with a new login.
    let enable = StaffChange { disabled: Some(false), role: None, unit: None };
    send!(
        app,
        with_cookie(TestRequest::patch().uri(&format!("/api/admin/staff/{}", user.id)), &admin_cookie)
            .set_json(&enable)
    );
    let _ = staff_log_in!(&fx, app, &user);
}

#[actix_web::test]
async fn a_change_of_role_takes_effect_on_the_next_request() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let admin = fx.add_staff(ORGANISATION, "chef", Role::Administrator, None);
    let user = staff(&fx);
    let (admin_cookie, _) = staff_log_in!(&fx, app, &admin);
    let (cookie, _) = staff_log_in!(&fx, app, &user);
    assert_eq!(send!(app, with_cookie(TestRequest::get().uri("/api/invitations"), &cookie)).status, StatusCode::OK);
    let to_analyst = StaffChange { disabled: None, role: Some(Role::Analyst), unit: None };
    send!(
        app,
        with_cookie(TestRequest::patch().uri(&format!("/api/admin/staff/{}", user.id)), &admin_cookie)
            .set_json(&to_analyst)
    );
    let reply = send!(app, with_cookie(TestRequest::get().uri("/api/invitations"), &cookie));
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(reply.error(), "forbidden");
    assert_eq!(send!(app, me(&cookie)).json::<StaffSession>().role, Role::Analyst);
}

#[actix_web::test]
async fn an_administrator_cannot_disable_or_demote_themselves() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let admin = fx.add_staff(ORGANISATION, "chef", Role::Administrator, None);
    let (cookie, _) = staff_log_in!(&fx, app, &admin);
    for change in [
        StaffChange { disabled: Some(true), role: None, unit: None },
        StaffChange { disabled: None, role: Some(Role::Staff), unit: None },
    ] {
        let reply = send!(
            app,
            with_cookie(TestRequest::patch().uri(&format!("/api/admin/staff/{}", admin.id)), &cookie).set_json(&change)
        );
        assert_eq!(reply.status, StatusCode::CONFLICT);
        assert_eq!(reply.error(), "own_account");
    }
    assert_eq!(send!(app, me(&cookie)).status, StatusCode::OK);
}

#[actix_web::test]
async fn each_login_session_has_its_own_key_that_the_server_forgets_at_logout() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let user = staff(&fx);
    let (cookie, session) = staff_log_in!(&fx, app, &user);
    assert_eq!(session.session_key.0.len(), 32, "a 256-bit key comes with the session");
    let again: StaffSession = send!(app, me(&cookie)).json();
    assert_eq!(again.session_key, session.session_key, "a reload gets the same key back");
    let (other_cookie, other) = staff_log_in!(&fx, app, &user);
    assert_ne!(other.session_key, session.session_key, "another login, another key");

    // A copy kept under the key opens with what `me` returns, and with nothing after logout.
    let org_key = fx.org_secret(ORGANISATION);
    let key = beratta_core::envelope::SymmetricKey::from_slice(&again.session_key.0).expect("32 bytes");
    let kept = beratta_core::staff::wrap_org_key(
        &key,
        ORGANISATION,
        &KeyHolder::Session(&user.username),
        &org_key,
        &mut rand_core::OsRng,
    );
    let reloaded: StaffSession = send!(app, me(&cookie)).json();
    let reopened = beratta_core::envelope::SymmetricKey::from_slice(&reloaded.session_key.0).expect("32 bytes");
    assert!(unwrap_org_key(&reopened, ORGANISATION, &KeyHolder::Session(&user.username), &kept).is_ok());
    let stored = |cookie: &str| {
        let token = cookie.split_once('=').expect("name=value").1;
        let key = beratta_server::staff::token_key(token).expect("a well-formed token");
        fx.state.store.staff_session(&key).expect("store").map(|s| s.session_key)
    };
    assert_eq!(stored(&cookie), Some(session.session_key.clone()), "the server holds the key with the session");
    send!(app, with_cookie(TestRequest::post().uri("/api/staff/logout"), &cookie));
    assert_eq!(send!(app, me(&cookie)).status, StatusCode::UNAUTHORIZED, "the key went with the session");
    assert_eq!(stored(&cookie), None, "the server no longer holds it");
    assert_eq!(stored(&other_cookie), Some(other.session_key), "another session keeps its own");
}
