//! Requests that change something are refused when a browser says they came from another
//! site (`Sec-Fetch-Site`, else `Origin` against `Host`); reads never are, and neither is a
//! request that carries neither header.

use crate::support::{app, derive, log_in, login_request, save_request, seal, send, session_with, Fixture};
use actix_web::http::{Method, StatusCode};
use actix_web::test::TestRequest;

/// Headers a browser sends for a request that another site's page started.
const CROSS_SITE: &[&[(&str, &str)]] = &[
    &[("sec-fetch-site", "cross-site")],
    &[("sec-fetch-site", "same-site")],
    &[("sec-fetch-site", "cross-site"), ("origin", "https://beratta.example")],
    &[("origin", "https://evil.example")],
    &[("origin", "https://beratta.example.evil.example")],
    &[("origin", "https://beratta.example:8443")],
    &[("origin", "null")],
];

fn with(req: TestRequest, headers: &[(&str, &str)]) -> TestRequest {
    headers.iter().fold(req.insert_header(("host", "beratta.example")), |req, pair| req.insert_header(*pair))
}

#[actix_web::test]
async fn a_cross_site_request_that_would_change_something_is_refused_before_it_runs() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let invitation = fx.invite();
    let secrets = derive(&fx, &invitation);
    for headers in CROSS_SITE {
        let reply = send!(app, with(login_request(invitation.code.lookup(), &secrets.login_proof), headers));
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{headers:?}: {:?}", reply.body);
        assert_eq!(reply.error(), "cross_origin");
        assert_eq!(reply.session_cookie(), None, "{headers:?}: the login must not have run");
        assert_eq!(reply.header("cache-control"), Some("no-store"));
    }

    // A logged-in child's save from another site changes nothing.
    let (cookie, assessment, secrets) = log_in!(&fx, app, &invitation);
    let sealed = seal(&secrets, &assessment, &session_with("gender", "girl"), 1);
    for headers in CROSS_SITE {
        let reply = send!(app, with(save_request(&cookie, &sealed), headers));
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{headers:?}");
    }
    let stored = fx.state.store.assessment(&assessment.assessment).expect("readable").expect("there");
    assert_eq!(stored.sealed, None, "no refused save was stored");

    // Every unsafe method, on the API and off it, whatever route it would reach.
    for (method, path) in [
        (Method::POST, "/api/child/logout"),
        (Method::PUT, "/api/child/answers"),
        (Method::PATCH, "/api/admin/staff/AAAA"),
        (Method::DELETE, "/api/health"),
        (Method::POST, "/"),
        (Method::from_bytes(b"PROPFIND").expect("a method"), "/api/health"),
    ] {
        let req = with(TestRequest::default().method(method.clone()).uri(path), &[("sec-fetch-site", "cross-site")]);
        let reply = send!(app, req);
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{method} {path}");
        assert_eq!(reply.error(), "cross_origin", "{method} {path}");
    }
    assert_eq!(
        send!(app, TestRequest::get().uri("/api/child/session").insert_header(("cookie", cookie))).status,
        StatusCode::OK,
        "the session is still there"
    );
}

#[actix_web::test]
async fn a_same_origin_request_or_one_with_neither_header_is_let_through() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let same_origin: &[&[(&str, &str)]] = &[
        &[],
        &[("sec-fetch-site", "same-origin")],
        &[("sec-fetch-site", "none")],
        &[("sec-fetch-site", "same-origin"), ("origin", "https://beratta.example")],
        &[("origin", "https://beratta.example")],
        &[("origin", "http://beratta.example")],
        &[("origin", "HTTPS://Beratta.Example")],
    ];
    for headers in same_origin {
        let invitation = fx.invite();
        let secrets = derive(&fx, &invitation);
        let reply = send!(app, with(login_request(invitation.code.lookup(), &secrets.login_proof), headers));
        assert_eq!(reply.status, StatusCode::OK, "{headers:?}: {:?}", reply.body);
    }
    // A server on a port of its own, as in development: the origin names the same port.
    let invitation = fx.invite();
    let secrets = derive(&fx, &invitation);
    let req = login_request(invitation.code.lookup(), &secrets.login_proof)
        .insert_header(("host", "127.0.0.1:8080"))
        .insert_header(("origin", "http://127.0.0.1:8080"));
    assert_eq!(send!(app, req).status, StatusCode::OK);
}

#[actix_web::test]
async fn a_read_is_never_refused_for_where_it_came_from() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let invitation = fx.invite();
    let (cookie, _, _) = log_in!(&fx, app, &invitation);
    for headers in CROSS_SITE {
        for path in ["/api/health", "/api/child/session"] {
            let req = with(TestRequest::get().uri(path), headers).insert_header(("cookie", cookie.as_str()));
            assert_eq!(send!(app, req).status, StatusCode::OK, "GET {path} {headers:?}");
        }
        for (method, path) in [(Method::HEAD, "/api/health"), (Method::OPTIONS, "/api/child/login"), (Method::GET, "/")]
        {
            let reply = send!(app, with(TestRequest::default().method(method.clone()).uri(path), headers));
            assert_ne!(reply.status, StatusCode::FORBIDDEN, "{method} {path} {headers:?}");
        }
    }
}
