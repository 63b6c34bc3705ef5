//! Login parameters and login: what a guesser can and cannot learn, and the limits.

use crate::support::{app, derive, log_in, login_request, send, Fixture};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use beratta_core::api::{ChildAssessment, LoginParams};
use beratta_core::login::{KdfParams, SALT_LEN};
use beratta_server::client::{client_key, TrustedProxies};
use beratta_server::limits;
use std::net::SocketAddr;

const UNKNOWN: &str = "3479";

fn peer(addr: &str) -> SocketAddr {
    addr.parse().expect("a socket address")
}

#[actix_web::test]
async fn params_for_an_unknown_lookup_look_real_and_never_change() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let first = send!(app, TestRequest::get().uri(&format!("/api/child/params/{UNKNOWN}")));
    let again = send!(app, TestRequest::get().uri(&format!("/api/child/params/{UNKNOWN}")));
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.body, again.body, "a changing salt would tell an unknown lookup from a real one");
    let params: LoginParams = first.json();
    assert_eq!(params.salt.0.len(), SALT_LEN);
    assert_eq!(params.kdf, KdfParams::STANDARD);

    // A real invitation's answer has exactly the same fields.
    let invitation = fx.invite();
    let real = send!(app, TestRequest::get().uri(&format!("/api/child/params/{}", invitation.code.lookup())));
    let shape = |body: &[u8]| -> Vec<String> {
        let value: serde_json::Value = serde_json::from_slice(body).expect("JSON");
        let mut keys: Vec<String> = value.as_object().expect("an object").keys().cloned().collect();
        keys.extend(value["kdf"].as_object().expect("an object").keys().cloned());
        keys
    };
    assert_eq!(shape(&real.body), shape(&first.body));
    assert_eq!(real.json::<LoginParams>().salt.0.len(), SALT_LEN);
}

#[actix_web::test]
async fn params_for_a_real_lookup_are_its_own_salt_and_cost() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let invitation = fx.invite();
    let stored = fx.state.store.assessment(&invitation.assessment).expect("store").expect("exists");
    let reply = send!(app, TestRequest::get().uri(&format!("/api/child/params/{}", invitation.code.lookup())));
    assert_eq!(reply.json::<LoginParams>(), LoginParams { salt: stored.salt, kdf: stored.kdf });
}

#[actix_web::test]
async fn a_malformed_lookup_is_400() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    // Too short, too long, lower case, and characters the code alphabet leaves out.
    for lookup in ["ACE", "ACEFG", "acef", "AC0F", "ACSF", "%C3%A5CEF"] {
        let reply = send!(app, TestRequest::get().uri(&format!("/api/child/params/{lookup}")));
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{lookup}");
        assert_eq!(reply.error(), "bad_lookup");
    }
    let reply = send!(app, login_request("acef", &[0; 32]));
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.error(), "bad_lookup");
}

#[actix_web::test]
async fn login_sets_a_host_only_session_cookie_and_returns_the_assessment() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let invitation = fx.invite();
    let secrets = derive(&fx, &invitation);
    let reply = send!(app, login_request(invitation.code.lookup(), &secrets.login_proof));
    assert_eq!(reply.status, StatusCode::OK);

    let set_cookie = reply.header("set-cookie").expect("a session cookie");
    let mut parts = set_cookie.split("; ");
    let pair = parts.next().expect("name=value");
    let attributes: Vec<&str> = parts.collect();
    let (name, token) = pair.split_once('=').expect("name=value");
    assert_eq!(name, "__Host-beratta-child");
    assert_eq!(token.len(), 43, "32 random bytes in unpadded base64");
    for attribute in ["Path=/", "Secure", "HttpOnly", "SameSite=Strict"] {
        assert!(attributes.contains(&attribute), "{attribute} missing from {set_cookie}");
    }
    // A session cookie: it must not outlive the browser.
    assert!(!set_cookie.contains("Max-Age") && !set_cookie.contains("Expires"), "{set_cookie}");

    let body: ChildAssessment = reply.json();
    assert_eq!(body.assessment, invitation.assessment);
    assert_eq!(body.organisation, crate::support::ORGANISATION);
    assert_eq!(&body.org_public_key.0[..], fx.org_key.public_key().as_bytes());
    assert_eq!(body.questionnaire, crate::support::questionnaire());
    assert_eq!(body.server_share.0, fx.state.secret.child_share(&invitation.assessment).to_vec());
    assert_eq!(body.resume_key.0.len(), 32);
    assert_eq!(body.sealed, None);
}

#[actix_web::test]
async fn a_wrong_code_and_an_unknown_lookup_get_byte_identical_answers() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let invitation = fx.invite();
    let wrong = send!(app, login_request(invitation.code.lookup(), &[7; 32]));
    let unknown = send!(app, login_request(UNKNOWN, &[7; 32]));
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.status, unknown.status);
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(
        std::str::from_utf8(&wrong.body).expect("UTF-8"),
        r#"{"error":"bad_code","message":"That code did not work. Check it and try again."}"#
    );
    assert!(wrong.header("set-cookie").is_none() && unknown.header("set-cookie").is_none());
}

#[actix_web::test]
async fn ten_wrong_codes_lock_the_code_even_against_the_right_one() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let invitation = fx.invite();
    for attempt in 1..limits::MAX_FAILED_LOGINS {
        let reply = send!(app, login_request(invitation.code.lookup(), &[attempt as u8; 32]));
        assert_eq!(reply.error(), "bad_code", "attempt {attempt}");
    }
    let tenth = send!(app, login_request(invitation.code.lookup(), &[0; 32]));
    assert_eq!(tenth.status, StatusCode::UNAUTHORIZED);
    assert_eq!(tenth.error(), "code_locked");
    assert!(tenth.json::<beratta_core::api::ApiErrorBody>().message.contains("adult"));

    let secrets = derive(&fx, &invitation);
    let right = send!(app, login_request(invitation.code.lookup(), &secrets.login_proof));
    assert_eq!(right.status, StatusCode::UNAUTHORIZED);
    assert_eq!(right.error(), "code_locked");
    assert!(right.header("set-cookie").is_none());
}

#[actix_web::test]
async fn an_unknown_lookup_locks_exactly_like_a_real_one() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let invitation = fx.invite();
    for attempt in 1..=limits::MAX_FAILED_LOGINS + 1 {
        let real = send!(app, login_request(invitation.code.lookup(), &[1; 32]).peer_addr(peer("10.0.0.1:1")));
        let unknown = send!(app, login_request(UNKNOWN, &[1; 32]).peer_addr(peer("10.0.0.2:1")));
        assert_eq!(real.status, unknown.status, "attempt {attempt}");
        assert_eq!(real.body, unknown.body, "attempt {attempt}");
    }
}

#[actix_web::test]
async fn a_right_code_does_not_wipe_the_count_of_wrong_ones() {
    // The limit is per code over its whole life: otherwise a guesser who knows the child
    // logs in every day gets ten more guesses a day.
    let fx = Fixture::new();
    let app = app!(fx.state);
    let invitation = fx.invite();
    for _ in 1..limits::MAX_FAILED_LOGINS {
        send!(app, login_request(invitation.code.lookup(), &[1; 32]));
    }
    let _ = log_in!(&fx, app, &invitation);
    let _ = log_in!(&fx, app, &invitation);
    let tenth = send!(app, login_request(invitation.code.lookup(), &[1; 32]));
    assert_eq!(
        tenth.error(),
        "code_locked",
        "the tenth wrong try locks the code, however many right ones came between"
    );
    let secrets = derive(&fx, &invitation);
    let right = send!(app, login_request(invitation.code.lookup(), &secrets.login_proof));
    assert_eq!(right.error(), "code_locked");
}

#[actix_web::test]
async fn a_right_code_takes_back_only_its_own_try() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let invitation = fx.invite();
    for _ in 0..3 {
        let _ = log_in!(&fx, app, &invitation);
    }
    let stored = fx.state.store.assessment_by_lookup(invitation.code.lookup()).expect("store").expect("exists");
    assert_eq!(stored.failed_logins, 0, "right codes are not counted as wrong ones");
}

#[actix_web::test]
async fn one_client_gets_thirty_wrong_codes_per_window_whatever_it_claims() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let guesser = peer("10.0.0.1:4000");
    // Spread over several unknown lookups, so no single code locks first.
    let lookups = ["3479", "347A", "347C"];
    for i in 0..limits::MAX_CLIENT_FAILURES as usize {
        let reply = send!(app, login_request(lookups[i % lookups.len()], &[1; 32]).peer_addr(guesser));
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "failure {i}");
    }

    // Now it is told to slow down, and a forged X-Forwarded-For does not help.
    let blocked = send!(
        app,
        login_request("347E", &[1; 32])
            .peer_addr(peer("10.0.0.1:4001"))
            .insert_header(("x-forwarded-for", "192.0.2.7"))
    );
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(blocked.error(), "too_many_tries");
    let retry: u64 = blocked.header("retry-after").expect("Retry-After").parse().expect("seconds");
    assert!(retry > 0 && retry <= limits::CLIENT_WINDOW_SECS);

    // Another client is not affected.
    let other = send!(app, login_request("347E", &[1; 32]).peer_addr(peer("10.0.0.2:1")));
    assert_eq!(other.error(), "bad_code");

    // Once the window has passed, the first client is back to plain answers.
    fx.advance(limits::CLIENT_WINDOW_SECS);
    let later = send!(app, login_request("347E", &[1; 32]).peer_addr(guesser));
    assert_eq!(later.error(), "bad_code");
}

#[actix_web::test]
async fn a_school_behind_one_address_keeps_logging_in_after_thirty_wrong_codes() {
    // A class of thirty behind the school's NAT: a stranger (or a child mistyping) uses up
    // the address's wrong tries, and every right code still works.
    let fx = Fixture::new();
    let app = app!(fx.state);
    let class: Vec<_> = (0..30).map(|_| fx.invite()).collect();
    let school = peer("198.51.100.20:1");
    for i in 0..=limits::MAX_CLIENT_FAILURES {
        send!(app, login_request(["3479", "347A", "347C"][i as usize % 3], &[1; 32]).peer_addr(school));
    }
    for (i, child) in class.iter().enumerate() {
        let secrets = derive(&fx, child);
        let reply = send!(app, login_request(child.code.lookup(), &secrets.login_proof).peer_addr(school));
        assert_eq!(reply.status, StatusCode::OK, "child {i} was refused: {:?}", reply.body);
    }
    // A wrong code from there is still refused, and still counted against its code.
    let wrong = send!(app, login_request(class[0].code.lookup(), &[1; 32]).peer_addr(school));
    assert_eq!(wrong.error(), "too_many_tries");
    let stored = fx.state.store.assessment_by_lookup(class[0].code.lookup()).expect("store").expect("exists");
    assert_eq!(stored.failed_logins, 1);
}

#[actix_web::test]
async fn behind_a_trusted_proxy_each_client_is_counted_by_the_address_the_proxy_saw() {
    let fx = Fixture::new();
    let proxy = "127.0.0.1".parse().expect("an address");
    let state = fx.state.clone().with_trusted_proxies(TrustedProxies::new(vec![proxy]));
    let app = app!(state);
    let through_proxy = |client: &str, lookup: &str| {
        login_request(lookup, &[1; 32])
            .peer_addr(peer("127.0.0.1:5000"))
            .insert_header(("x-forwarded-for", client.to_string()))
    };
    let lookups = ["3479", "347A", "347C", "347E"];
    for i in 0..limits::MAX_CLIENT_FAILURES {
        let reply = send!(app, through_proxy("203.0.113.5", lookups[i as usize % lookups.len()]));
        assert_eq!(reply.error(), "bad_code");
    }
    let guesser = send!(app, through_proxy("203.0.113.5", "347F"));
    assert_eq!(guesser.error(), "too_many_tries", "the proxy named the same client thirty-one times");
    // Another client behind the same proxy has its own count, and a client cannot pick
    // its own address by writing the header itself: the proxy appends what it saw.
    let other = send!(app, through_proxy("203.0.113.5, 203.0.113.6", "347F"));
    assert_eq!(other.error(), "bad_code");
    // Without the proxy trusted, the header is ignored and all share the proxy's address.
    let plain = app!(fx.state);
    let more = ["349A", "349C", "349E", "349F"];
    for i in 0..limits::MAX_CLIENT_FAILURES {
        send!(plain, through_proxy(&format!("203.0.113.{}", 100 + i), more[i as usize % more.len()]));
    }
    let shared = send!(plain, through_proxy("203.0.113.250", "349G"));
    assert_eq!(shared.error(), "too_many_tries");
}

#[test]
fn an_ipv6_client_is_counted_by_its_64_bit_prefix() {
    let key = |addr: &str| client_key(Some(peer(addr).ip()));
    let a = key("[2001:db8:1:2:aaaa::1]:5");
    let b = key("[2001:db8:1:2:bbbb::9]:6");
    let c = key("[2001:db8:1:3::1]:5");
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(key("[::ffff:10.0.0.1]:5"), key("10.0.0.1:9"));
}

#[actix_web::test]
async fn a_malformed_login_body_is_400_json_and_a_non_json_one_415() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let broken = TestRequest::post()
        .uri("/api/child/login")
        .insert_header(("content-type", "application/json"))
        .set_payload("{\"lookup\": \"ACEF\", ");
    let reply = send!(app, broken);
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.error(), "bad_json");

    let plain =
        TestRequest::post().uri("/api/child/login").insert_header(("content-type", "text/plain")).set_payload("{}");
    let reply = send!(app, plain);
    assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(reply.error(), "not_json");
}

#[actix_web::test]
async fn an_oversized_login_body_is_413_json() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let huge = format!("{{\"lookup\":\"ACEF\",\"proof\":\"{}\"}}", "A".repeat(limits::MAX_JSON_BODY_BYTES));
    let reply = send!(
        app,
        TestRequest::post()
            .uri("/api/child/login")
            .insert_header(("content-type", "application/json"))
            .set_payload(huge)
    );
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.error(), "too_large");
}

#[actix_web::test]
async fn a_right_code_does_not_use_up_the_clients_allowance() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let invitation = fx.invite();
    let secrets = derive(&fx, &invitation);
    let school = peer("10.0.0.9:1");
    let lookups = ["3479", "347A", "347C"];
    for i in 0..limits::MAX_CLIENT_FAILURES as usize - 1 {
        send!(app, login_request(lookups[i % lookups.len()], &[1; 32]).peer_addr(school));
    }
    // Children behind one school address log in correctly all day; only failures count.
    for _ in 0..3 {
        let right = send!(app, login_request(invitation.code.lookup(), &secrets.login_proof).peer_addr(school));
        assert_eq!(right.status, StatusCode::OK);
    }
    let last = send!(app, login_request("347E", &[1; 32]).peer_addr(school));
    assert_eq!(last.error(), "bad_code");
    let over = send!(app, login_request("347E", &[1; 32]).peer_addr(school));
    assert_eq!(over.error(), "too_many_tries");
}
