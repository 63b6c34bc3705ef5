//! Request bodies a client can make expensive: compressed ones are refused before they are
//! inflated.

use crate::support::{app, gzip_bomb, login_request, send, Fixture};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;

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
