//! `Cache-Control: no-store` on every API answer: every route the API registers, with and
//! without a staff session, answered with success or refusal.

use crate::support::staff::{staff_log_in, with_cookie};
use crate::support::{app, send, Fixture, ORGANISATION};
use actix_web::test::TestRequest;
use beratta_core::api::Role;

/// Every route pattern `routes::api` registers, with a method it takes and a path that
/// matches it. The ids are made up, so the staff routes answer with refusals and
/// not-founds as well as successes.
pub(crate) const ROUTES: &[(&str, &str, &str)] = &[
    ("/health", "GET", "/api/health"),
    ("/health/live", "GET", "/api/health/live"),
    ("/health/ready", "GET", "/api/health/ready"),
    ("/openapi.json", "GET", "/api/openapi.json"),
    ("/questionnaires/{id}/{version}", "GET", "/api/questionnaires/beratta-10-12/1"),
    ("/child/params/{lookup}", "GET", "/api/child/params/3479"),
    ("/child/login", "POST", "/api/child/login"),
    ("/child/session", "GET", "/api/child/session"),
    ("/child/answers", "PUT", "/api/child/answers"),
    ("/child/logout", "POST", "/api/child/logout"),
    ("/staff/params/{username}", "GET", "/api/staff/params/chef"),
    ("/staff/login", "POST", "/api/staff/login"),
    ("/staff/me", "GET", "/api/staff/me"),
    ("/units", "GET", "/api/units"),
    ("/setup/{token}", "GET", "/api/setup/AAAA"),
    ("/setup/{token}", "POST", "/api/setup/AAAA"),
    ("/enrol/{token}", "GET", "/api/enrol/AAAA"),
    ("/enrol/{token}", "POST", "/api/enrol/AAAA"),
    ("/admin/staff", "GET", "/api/admin/staff"),
    ("/admin/staff", "POST", "/api/admin/staff"),
    ("/admin/staff/{id}", "PATCH", "/api/admin/staff/AAAA"),
    ("/admin/staff/{id}/statistics-key", "PUT", "/api/admin/staff/AAAA/statistics-key"),
    ("/admin/staff/{id}/statistics-key", "DELETE", "/api/admin/staff/AAAA/statistics-key"),
    ("/admin/statistics-key", "PUT", "/api/admin/statistics-key"),
    ("/statistics/rounds", "GET", "/api/statistics/rounds"),
    ("/statistics/invited", "GET", "/api/statistics/invited"),
    ("/statistics/rounds/{round}/records", "GET", "/api/statistics/rounds/r1/records"),
    ("/statistics/openings", "POST", "/api/statistics/openings"),
    ("/staff/personal-key", "PUT", "/api/staff/personal-key"),
    ("/admin/units", "GET", "/api/admin/units"),
    ("/admin/units", "POST", "/api/admin/units"),
    ("/resources", "GET", "/api/resources"),
    ("/resources", "POST", "/api/resources"),
    ("/resources/import", "POST", "/api/resources/import"),
    ("/resources/{id}", "PUT", "/api/resources/AAAA"),
    ("/resources/{id}", "DELETE", "/api/resources/AAAA"),
    ("/needs", "GET", "/api/needs"),
    ("/needs/threshold", "PUT", "/api/needs/threshold"),
    ("/needs/priorities/{year}", "PUT", "/api/needs/priorities/2026"),
    ("/admin/kiosks", "GET", "/api/admin/kiosks"),
    ("/admin/kiosks", "POST", "/api/admin/kiosks"),
    ("/admin/kiosks/{id}", "DELETE", "/api/admin/kiosks/AAAA"),
    ("/kiosk", "GET", "/api/kiosk"),
    ("/kiosk/register", "POST", "/api/kiosk/register"),
    ("/kiosk/start", "POST", "/api/kiosk/start"),
    ("/admin/audit", "GET", "/api/admin/audit"),
    ("/admin/audit/children", "GET", "/api/admin/audit/children"),
    ("/admin/children", "GET", "/api/admin/children"),
    ("/recovery/open", "POST", "/api/recovery/open"),
    ("/recovery/reset", "POST", "/api/recovery/reset"),
    ("/invitations", "GET", "/api/invitations"),
    ("/invitations", "POST", "/api/invitations"),
    ("/invitations/lookups", "POST", "/api/invitations/lookups"),
    ("/invitations/statuses", "GET", "/api/invitations/statuses"),
    ("/invitations/{id}/code", "GET", "/api/invitations/AAAA/code"),
    ("/invitations/{id}/code", "POST", "/api/invitations/AAAA/code"),
    ("/invitations/{id}/revoke", "POST", "/api/invitations/AAAA/revoke"),
    ("/rounds", "GET", "/api/rounds"),
    ("/rounds", "POST", "/api/rounds"),
    ("/rounds/{id}", "GET", "/api/rounds/AAAA"),
    ("/rounds/{id}/close", "POST", "/api/rounds/AAAA/close"),
    ("/interventions", "GET", "/api/interventions"),
    ("/interventions", "POST", "/api/interventions"),
    ("/assessments/{id}", "GET", "/api/assessments/AAAA"),
    ("/assessments/{id}/help", "PUT", "/api/assessments/AAAA/help"),
    // Last, because it ends the session the calls above use.
    ("/staff/logout", "POST", "/api/staff/logout"),
];

/// The routes outside `/api`, by their whole path: the operator's figures.
const OPERATOR_ROUTES: &[(&str, &str, &str)] = &[("/metrics", "GET", "/metrics")];

#[test]
fn the_list_names_every_route_the_api_registers() {
    let source = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/routes/mod.rs")).expect("readable");
    let registered: Vec<&str> = source.split("resource(\"").skip(1).filter_map(|rest| rest.split('"').next()).collect();
    assert!(registered.len() > 20, "{registered:?}");
    for pattern in registered {
        let listed = ROUTES.iter().chain(OPERATOR_ROUTES).any(|(p, _, _)| *p == pattern);
        assert!(listed, "{pattern} is not in this test's list");
    }
}

/// The OpenAPI document at `/api/openapi.json` names every route of the table with its
/// methods, and nothing the server does not route, so a client or a fuzzer built from it
/// reaches every operation.
#[actix_web::test]
async fn the_openapi_document_names_every_route_and_nothing_else() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let reply = send!(app, TestRequest::get().uri("/api/openapi.json"));
    assert_eq!(reply.status, actix_web::http::StatusCode::OK);
    let doc: serde_json::Value = reply.json();
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")), "{}", doc["openapi"]);
    let paths = doc["paths"].as_object().expect("the document has paths");
    for (pattern, method, _) in ROUTES {
        let path = format!("/api{pattern}");
        let operation =
            &paths.get(&path).unwrap_or_else(|| panic!("{path} is not in the document"))[method.to_lowercase()];
        assert!(operation.is_object(), "{method} {path} is not in the document");
        assert!(operation["responses"]["default"].is_object(), "{method} {path} has no error response");
    }
    for (path, item) in paths {
        for method in item.as_object().expect("a path item").keys() {
            let routed = ROUTES.iter().any(|(p, m, _)| format!("/api{p}") == *path && m.eq_ignore_ascii_case(method));
            assert!(routed, "the document names {method} {path}, which the route table does not have");
        }
    }
}

#[actix_web::test]
async fn every_api_route_answers_with_no_store_with_or_without_a_session() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let admin = fx.add_staff(ORGANISATION, "chef", Role::Administrator, None);
    let (cookie, _) = staff_log_in!(&fx, app, &admin);
    let me = with_cookie(TestRequest::get().uri("/api/staff/me"), &cookie);
    assert_eq!(send!(app, me).status, actix_web::http::StatusCode::OK);
    for (_, method, path) in ROUTES.iter().chain(OPERATOR_ROUTES) {
        for session in [None, Some(cookie.as_str())] {
            let method = actix_web::http::Method::from_bytes(method.as_bytes()).expect("a method");
            let mut req = TestRequest::default().method(method.clone()).uri(path);
            if matches!(method.as_str(), "POST" | "PUT" | "PATCH") {
                req = req.insert_header(("content-type", "application/json")).set_payload("{}");
            }
            if let Some(cookie) = session {
                req = with_cookie(req, cookie);
            }
            let reply = send!(app, req);
            assert_eq!(reply.header("cache-control"), Some("no-store"), "{method} {path} ({})", reply.status);
            assert_eq!(reply.header("x-content-type-options"), Some("nosniff"), "{method} {path}");
        }
    }
}
