//! The child's session: resuming, expiry and logout.

use crate::support::{app, log_in, send, Fixture};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use beratta_core::api::ChildAssessment;
use beratta_server::limits;

fn session_request(cookie: &str) -> TestRequest {
    TestRequest::get().uri("/api/child/session").insert_header(("cookie", cookie))
}

#[actix_web::test]
async fn the_session_returns_what_login_returned_with_the_same_resume_key() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let invitation = fx.invite();
    let (cookie, at_login, _) = log_in!(&fx, app, &invitation);
    // Other cookies of the site must not confuse the lookup.
    let reply = send!(app, session_request(&format!("theme=dark; {cookie}; lang=sv")));
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json::<ChildAssessment>(), at_login);
}

#[actix_web::test]
async fn without_a_valid_session_cookie_the_session_is_401() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let reply = send!(app, TestRequest::get().uri("/api/child/session"));
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.error(), "no_session");
    // A well-formed token that was never issued, and garbage.
    for cookie in [format!("__Host-beratta-child={}", "A".repeat(43)), "__Host-beratta-child=%%%".to_string()] {
        let reply = send!(app, session_request(&cookie));
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert_eq!(reply.error(), "no_session");
    }
}

#[actix_web::test]
async fn a_session_ends_after_thirty_idle_minutes_but_use_keeps_it_alive() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let invitation = fx.invite();
    let (cookie, _, _) = log_in!(&fx, app, &invitation);
    for _ in 0..3 {
        fx.advance(limits::SESSION_IDLE_SECS - 60);
        assert_eq!(send!(app, session_request(&cookie)).status, StatusCode::OK);
    }
    fx.advance(limits::SESSION_IDLE_SECS);
    let reply = send!(app, session_request(&cookie));
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.error(), "no_session");
}

#[actix_web::test]
async fn a_session_ends_twelve_hours_after_login_however_busy() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let invitation = fx.invite();
    let (cookie, _, _) = log_in!(&fx, app, &invitation);
    let step = limits::SESSION_IDLE_SECS / 2;
    let mut elapsed = 0;
    while elapsed + step < limits::SESSION_MAX_SECS {
        fx.advance(step);
        elapsed += step;
        assert_eq!(send!(app, session_request(&cookie)).status, StatusCode::OK, "after {elapsed} s");
    }
    fx.advance(step);
    assert_eq!(send!(app, session_request(&cookie)).status, StatusCode::UNAUTHORIZED);
}

#[actix_web::test]
async fn logout_ends_the_session_on_the_server_and_expires_the_cookie() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let invitation = fx.invite();
    let (cookie, _, _) = log_in!(&fx, app, &invitation);
    let reply = send!(app, TestRequest::post().uri("/api/child/logout").insert_header(("cookie", cookie.as_str())));
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    let expired = reply.header("set-cookie").expect("the cookie is expired");
    assert!(expired.starts_with("__Host-beratta-child=;") && expired.contains("Max-Age=0"), "{expired}");

    // The browser might keep the old cookie; the server must not accept it.
    let reply = send!(app, session_request(&cookie));
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.error(), "no_session");
}

#[actix_web::test]
async fn a_new_login_ends_the_browsers_previous_session() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let invitation = fx.invite();
    let (first, _, secrets) = log_in!(&fx, app, &invitation);
    let reply = send!(
        app,
        crate::support::login_request(invitation.code.lookup(), &secrets.login_proof)
            .insert_header(("cookie", first.as_str()))
    );
    assert_eq!(reply.status, StatusCode::OK);
    let second = reply.session_cookie().expect("a new cookie");
    assert_ne!(first, second);
    assert_eq!(send!(app, session_request(&first)).status, StatusCode::UNAUTHORIZED);
    assert_eq!(send!(app, session_request(&second)).status, StatusCode::OK);
}

#[actix_web::test]
async fn a_sweep_removes_expired_sessions_and_keeps_live_ones() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let invitation = fx.invite();
    let (old, _, _) = log_in!(&fx, app, &invitation);
    fx.advance(limits::SESSION_IDLE_SECS - 60);
    let (fresh, _, _) = log_in!(&fx, app, &invitation);
    fx.advance(120);
    assert_eq!(fx.state.sweep().expect("the store works"), 1);
    assert_eq!(send!(app, session_request(&fresh)).status, StatusCode::OK);
    assert_eq!(send!(app, session_request(&old)).status, StatusCode::UNAUTHORIZED);
}
