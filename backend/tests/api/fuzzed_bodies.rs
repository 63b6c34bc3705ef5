//! Fuzzed request bodies: every route that takes a body gets arbitrary bytes and arbitrary
//! JSON, without a session and with an administrator's and a child's, and must answer
//! with a clear error (an `ApiErrorBody` with a 4xx status) or, for a route that reads no
//! body, as it would without one; never a 5xx, never a panic. Through `build_app`, so the
//! same body limits and guards hold as in the server.

use crate::headers::ROUTES;
use crate::support::staff::{staff_log_in, with_cookie};
use crate::support::{app, log_in, send, Fixture, ORGANISATION};
use actix_web::test::TestRequest;
use beratta_core::api::{ApiErrorBody, Role};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

/// Cases per route and session.
const CASES: usize = 24;

/// Arbitrary JSON: what a client that knows the format but not the types would send.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, serde_json::Value::Number)),
        ".{0,40}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(serde_json::Value::Array),
            proptest::collection::btree_map("[a-z_]{1,20}", inner, 0..8)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Arbitrary bytes or arbitrary JSON, as a body.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..512),
        json_value().prop_map(|v| serde_json::to_vec(&v).expect("JSON")),
    ]
}

#[actix_web::test]
async fn every_body_route_answers_arbitrary_bodies_with_a_clear_error_and_never_a_5xx() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let admin = fx.add_staff(ORGANISATION, "chef", Role::Administrator, None);
    let (staff_cookie, _) = staff_log_in!(&fx, app, &admin);
    let invitation = fx.invite();
    let (child_cookie, _, _) = log_in!(&fx, app, &invitation);
    let sessions = [None, Some(format!("{staff_cookie}; {child_cookie}"))];
    let mut runner = TestRunner::deterministic();
    let strategy = body();
    let mut sent = 0;
    for (pattern, method, path) in ROUTES {
        if !matches!(*method, "POST" | "PUT" | "PATCH") || pattern.ends_with("/logout") {
            continue;
        }
        for session in &sessions {
            for _ in 0..CASES {
                let bytes = strategy.new_tree(&mut runner).expect("a body").current();
                let method = actix_web::http::Method::from_bytes(method.as_bytes()).expect("a method");
                let mut req = TestRequest::default()
                    .method(method.clone())
                    .uri(path)
                    .insert_header(("content-type", "application/json"))
                    .set_payload(bytes.clone());
                if let Some(cookie) = session {
                    req = with_cookie(req, cookie);
                }
                let reply = send!(app, req);
                let shown = String::from_utf8_lossy(&bytes);
                assert!(reply.status.as_u16() < 500, "{method} {path} answered {} to {shown:?}", reply.status);
                if reply.status.is_client_error() {
                    let error: ApiErrorBody = serde_json::from_slice(&reply.body).unwrap_or_else(|e| {
                        panic!("{method} {path}: {} without the error body ({e}) to {shown:?}", reply.status)
                    });
                    assert!(!error.error.is_empty() && !error.message.is_empty(), "{method} {path}: {error:?}");
                }
                sent += 1;
            }
        }
    }
    assert!(sent > 20 * CASES, "every body route was fuzzed: {sent} requests");
}
