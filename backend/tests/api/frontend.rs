//! The built front end, the Content-Security-Policy made from it, and the security
//! headers on every kind of response.

use crate::support::{app, send, Fixture, Reply};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use beratta_server::frontend::{inline_scripts, Frontend};
use sha2::{Digest, Sha256};
use tempfile::TempDir;

const INLINE: &str = "\nimport init, * as bindings from '/beratta-web-1a2b.js';\nwindow.wasmBindings = bindings;\ninit('/beratta-web-1a2b_bg.wasm');\n";

/// A `dist/` folder shaped like Trunk's: an index with one inline module script.
fn dist() -> (TempDir, String) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let index = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Berätta</title>\
         <link rel=\"stylesheet\" href=\"/style-9f.css\">\
         <script src=\"/external.js\"></script>\
         <script type=\"module\">{INLINE}</script></head><body></body></html>"
    );
    std::fs::write(dir.path().join("index.html"), &index).expect("writable");
    std::fs::write(dir.path().join("style-9f.css"), "body { margin: 0 }").expect("writable");
    (dir, index)
}

fn expected_hash(script: &str) -> String {
    format!("'sha256-{}'", STANDARD.encode(Sha256::digest(script.as_bytes())))
}

#[test]
fn inline_scripts_are_found_exactly_and_external_ones_skipped() {
    let html = "<SCRIPT>a()</SCRIPT><scripts>no</scripts><script src=x.js></script>\
                <script\ntype=module>b()</script><script defer src = \"y.js\"></script>";
    // `src = "y.js"` with spaces is still an external script, but the simple scan sees a
    // bare `src`, which it also treats as external.
    assert_eq!(inline_scripts(html), vec!["a()", "b()"]);
}

#[actix_web::test]
async fn the_policy_names_the_inline_script_by_its_hash() {
    let (dir, index) = dist();
    let fx = Fixture::with_frontend(Frontend::load(dir.path()).expect("readable"));
    let app = app!(fx.state);
    let reply = send!(app, TestRequest::get().uri("/"));
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body, index.as_bytes());
    let csp = reply.header("content-security-policy").expect("a policy");
    assert_eq!(
        csp,
        format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {}; style-src 'self'; img-src 'self' data:; \
             connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            expected_hash(INLINE)
        )
    );
}

#[actix_web::test]
async fn front_end_paths_get_the_index_and_api_paths_never_do() {
    let (dir, index) = dist();
    let fx = Fixture::with_frontend(Frontend::load(dir.path()).expect("readable"));
    let app = app!(fx.state);
    let page = send!(app, TestRequest::get().uri("/child/questions"));
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body, index.as_bytes());
    assert!(page.header("content-type").expect("a type").starts_with("text/html"));

    let css = send!(app, TestRequest::get().uri("/style-9f.css"));
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.body, "body { margin: 0 }".as_bytes());

    let traversal = send!(app, TestRequest::get().uri("/../Cargo.toml"));
    assert!(!String::from_utf8_lossy(&traversal.body).contains("[package]"));

    let api = send!(app, TestRequest::get().uri("/api/no/such/thing"));
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.error(), "not_found");
}

#[actix_web::test]
async fn without_a_built_front_end_the_root_says_so_and_the_api_works() {
    let fx = Fixture::with_frontend(Frontend::load(&std::path::PathBuf::from("/nonexistent/dist")).expect("tolerated"));
    let app = app!(fx.state);
    let root = send!(app, TestRequest::get().uri("/"));
    assert_eq!(root.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(root.header("content-type").expect("a type").starts_with("text/plain"));
    assert!(String::from_utf8_lossy(&root.body).contains("not built"));
    assert_eq!(send!(app, TestRequest::get().uri("/api/health")).status, StatusCode::OK);
}

fn assert_security_headers(what: &str, reply: &Reply, api: bool) {
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"), "{what}");
    assert_eq!(reply.header("referrer-policy"), Some("no-referrer"), "{what}");
    assert_eq!(reply.header("strict-transport-security"), Some("max-age=63072000; includeSubDomains"), "{what}");
    let csp = reply.header("content-security-policy").unwrap_or_default();
    assert!(csp.starts_with("default-src 'self';") && csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    if api {
        assert_eq!(reply.header("cache-control"), Some("no-store"), "{what}");
    } else {
        assert_ne!(reply.header("cache-control"), Some("no-store"), "{what}");
    }
}

#[actix_web::test]
async fn every_response_carries_the_security_headers() {
    let (dir, _) = dist();
    let fx = Fixture::with_frontend(Frontend::load(dir.path()).expect("readable"));
    let app = app!(fx.state);
    let api_requests = [
        ("health", TestRequest::get().uri("/api/health")),
        ("unknown API path", TestRequest::get().uri("/api/nothing")),
        ("wrong method", TestRequest::delete().uri("/api/health")),
        ("no session", TestRequest::get().uri("/api/child/session")),
        ("bad code", crate::support::login_request("3479", &[0; 32])),
        ("logout", TestRequest::post().uri("/api/child/logout")),
    ];
    for (what, req) in api_requests {
        let reply = send!(app, req);
        assert_security_headers(what, &reply, true);
    }
    for (what, uri) in [("index", "/"), ("file", "/style-9f.css"), ("fallback", "/somewhere")] {
        let reply = send!(app, TestRequest::get().uri(uri));
        assert_security_headers(what, &reply, false);
    }
}

const STAFF_INLINE: &str =
    "\nimport init from '/staff/beratta-staff-3c4d.js';\ninit('/staff/beratta-staff-3c4d_bg.wasm');\n";

#[actix_web::test]
async fn the_staff_app_is_served_under_staff_and_its_script_is_in_the_policy() {
    let (dir, index) = dist();
    let staff = dir.path().join("staff");
    std::fs::create_dir(&staff).expect("writable");
    let staff_index = format!(
        "<!DOCTYPE html><html><head><title>Berätta – personal</title>\
         <script type=\"module\">{STAFF_INLINE}</script></head><body></body></html>"
    );
    std::fs::write(staff.join("index.html"), &staff_index).expect("writable");
    std::fs::write(staff.join("beratta-staff-3c4d.js"), "export default 1;").expect("writable");
    let fx = Fixture::with_frontend(Frontend::load(dir.path()).expect("readable"));
    let app = app!(fx.state);

    // The staff pages, wherever the fragment router may be asked from.
    for uri in ["/staff", "/staff/", "/staff/index.html", "/staff/somewhere/else"] {
        let page = send!(app, TestRequest::get().uri(uri));
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        assert_eq!(page.body, staff_index.as_bytes(), "{uri}");
        assert!(page.header("content-type").expect("a type").starts_with("text/html"), "{uri}");
        assert_eq!(page.header("cache-control"), Some("no-cache"), "{uri}");
    }
    let script = send!(app, TestRequest::get().uri("/staff/beratta-staff-3c4d.js"));
    assert_eq!(script.status, StatusCode::OK);
    assert_eq!(script.body, "export default 1;".as_bytes());

    // The child's page stays the child's, and one policy allows both pages' start-up scripts.
    let root = send!(app, TestRequest::get().uri("/"));
    assert_eq!(root.body, index.as_bytes());
    let csp = root.header("content-security-policy").expect("a policy");
    let script_src =
        format!("script-src 'self' 'wasm-unsafe-eval' {} {};", expected_hash(INLINE), expected_hash(STAFF_INLINE));
    assert!(csp.contains(&script_src), "{csp}");
    assert_eq!(send!(app, TestRequest::post().uri("/staff/")).status, StatusCode::METHOD_NOT_ALLOWED);
}
