//! Request bodies a client can make expensive: compressed ones are refused before they are
//! inflated, and one that stops arriving is cut off at the deadline with 408.

use crate::support::{app, gzip_bomb, login_request, send, Fixture, Reply};
use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use actix_web::web::Bytes;
use futures_core::Stream;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

#[actix_web::test]
async fn a_gzip_body_to_the_login_is_refused_before_it_is_read() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let bomb = gzip_bomb();
    let req = TestRequest::post()
        .uri("/api/child/login")
        .insert_header(("content-type", "application/json"))
        .insert_header(("content-encoding", "gzip"))
        .set_payload(bomb);
    let reply = send!(app, req);
    assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{:?}", reply.body);
    assert_eq!(reply.error(), "unsupported_encoding");
    assert_eq!(reply.header("cache-control"), Some("no-store"), "a refusal carries the security headers");
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
}

#[actix_web::test]
async fn every_route_refuses_a_body_in_any_coding_but_identity() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let routes = [
        ("POST", "/api/child/login"),
        ("PUT", "/api/child/answers"),
        ("POST", "/api/invitations"),
        ("POST", "/api/nowhere"),
        ("GET", "/api/health"),
        ("POST", "/"),
        ("GET", "/staff/"),
    ];
    for coding in ["gzip", "deflate", "br", "zstd", "x-gzip", "identity, gzip", "GZIP", "", "something-else"] {
        for (method, path) in routes {
            let method = actix_web::http::Method::from_bytes(method.as_bytes()).expect("a method");
            let req = TestRequest::default()
                .method(method.clone())
                .uri(path)
                .insert_header(("content-type", "application/json"))
                .insert_header(("content-encoding", coding))
                .set_payload(gzip_bomb());
            let reply = send!(app, req);
            assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{coding:?} {method} {path}");
            assert_eq!(reply.error(), "unsupported_encoding", "{coding:?} {method} {path}");
        }
    }
    // `identity` is no compression at all, and gets the answer a body without it gets.
    for coding in ["identity", "Identity", "identity, identity"] {
        let reply = send!(app, login_request("3479", b"proof").insert_header(("content-encoding", coding)));
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{coding:?}: {:?}", reply.body);
    }
}

/// A body that sends its first bytes and then nothing more, never ending.
struct Stalled {
    sent: bool,
}

impl Stream for Stalled {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.sent {
            return Poll::Pending;
        }
        self.sent = true;
        Poll::Ready(Some(Ok(Bytes::from_static(b"{\"lookup\":\"3479\","))))
    }
}

#[actix_web::test]
async fn a_body_that_stops_arriving_is_answered_408_at_the_deadline() {
    let fx = Fixture::new();
    let state = fx.state.clone().with_body_timeout(Duration::from_millis(300));
    let app = app!(state);
    let req = TestRequest::post()
        .uri("/api/child/login")
        .insert_header(("content-type", "application/json"))
        .insert_header(("content-length", "1000"))
        .to_request();
    let stalled: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> = Box::pin(Stalled { sent: false });
    let (req, _) = req.replace_payload(Payload::Stream { payload: stalled });
    let started = Instant::now();
    let call = actix_web::test::call_service(&app, req);
    let res = actix_web::rt::time::timeout(Duration::from_secs(10), call).await.expect("an answer, not a wait");
    let reply = Reply::from(res).await;
    assert!(started.elapsed() >= Duration::from_millis(300), "not before the deadline");
    assert_eq!(reply.status, StatusCode::REQUEST_TIMEOUT, "{:?}", reply.body);
    assert_eq!(reply.error(), "body_timeout");
    assert_eq!(reply.header("cache-control"), Some("no-store"));
}
