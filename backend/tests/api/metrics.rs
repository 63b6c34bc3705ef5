//! `GET /metrics`: the named series after a few saves, for a request from this machine
//! only; the labels name routes by pattern, never a child's code or id.

use crate::support::{app, log_in, save_request, seal, send, session_with, Fixture};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use beratta_server::client::TrustedProxies;

fn from(peer: &str) -> TestRequest {
    TestRequest::get().uri("/metrics").peer_addr(peer.parse().expect("an address"))
}

#[actix_web::test]
async fn metrics_show_the_named_series_after_a_few_saves_and_nothing_of_a_child() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let invitation = fx.invite();
    let wrong = crate::support::login_request(invitation.code.lookup(), &[0; 32]);
    assert!(send!(app, wrong).status.is_client_error());
    let (cookie, assessment, secrets) = log_in!(&fx, app, &invitation);
    for counter in 1..=3 {
        let sealed = seal(&secrets, &assessment, &session_with("q1", "yes"), counter);
        assert_eq!(send!(app, save_request(&cookie, &sealed)).status, StatusCode::OK);
    }
    let reply = send!(app, from("127.0.0.1:50000"));
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let text = String::from_utf8(reply.body.to_vec()).expect("UTF-8");
    for series in [
        "beratta_http_requests_total{method=\"PUT\",route=\"/api/child/answers\",status=\"200\"} 3",
        "beratta_save_duration_seconds_count 3",
        "beratta_failed_logins_total{who=\"child\"} 1",
        "beratta_active_sessions{who=\"child\"} 1",
        "beratta_database_size_bytes{database=\"sled\"}",
        "beratta_refusals_total{reason=\"unknown_child_code\"} 0",
    ] {
        assert!(text.contains(series), "{series} is missing from:\n{text}");
    }
    for secret in [invitation.code.lookup(), invitation.assessment.as_str(), cookie.as_str()] {
        assert!(!text.contains(secret), "the figures name {secret}");
    }
}

#[actix_web::test]
async fn metrics_are_answered_only_straight_from_this_machine() {
    let fx = Fixture::new();
    let proxied = Fixture::new();
    let proxied_state =
        proxied.state.clone().with_trusted_proxies(TrustedProxies::new(vec!["127.0.0.1".parse().unwrap()]));
    let app = app!(fx.state);
    let behind_proxy = app!(proxied_state);
    assert_eq!(send!(app, from("[::1]:50000")).status, StatusCode::OK);
    assert_eq!(send!(app, from("192.0.2.7:50000")).status, StatusCode::NOT_FOUND);
    assert_eq!(send!(app, TestRequest::get().uri("/metrics")).status, StatusCode::NOT_FOUND);
    let forwarded = from("127.0.0.1:50000").insert_header(("x-forwarded-for", "192.0.2.7"));
    assert_eq!(send!(app, forwarded).status, StatusCode::NOT_FOUND, "a proxy on this machine relays strangers");
    assert_eq!(send!(behind_proxy, from("127.0.0.1:50000")).status, StatusCode::NOT_FOUND, "nor a trusted proxy");
}
