//! Security headers on every response, whichever part of the app made it.
//!
//! They are set here, once, rather than by each handler, so that an error page, a static
//! file and a 404 carry them as surely as an API answer does.

use crate::frontend::Frontend;
use crate::AppState;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;

/// Whether a path belongs to the API, whose answers must never be cached.
pub fn is_api_path(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// Adds the security headers, replacing any a handler set.
pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let csp = match req.app_data::<web::Data<AppState>>() {
        Some(state) => state.content_security_policy().clone(),
        None => HeaderValue::from_str(&Frontend::not_built().content_security_policy())
            .expect("the policy holds only fixed ASCII text"),
    };
    // `/metrics` is no API answer but must not be cached either.
    let api = is_api_path(req.path()) || req.path() == "/metrics";
    // Handlers' and extractors' errors reach this point already turned into responses, so
    // they get the headers too. (The request must not be cloned before routing: the router
    // needs it unshared.)
    let mut res = next.call(req).await?.map_into_boxed_body();
    let headers = res.headers_mut();
    let fixed: [(HeaderName, &'static str); 3] = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::STRICT_TRANSPORT_SECURITY, "max-age=63072000; includeSubDomains"),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    if api {
        // API answers carry assessments, keys and session state: no cache, shared or
        // private, may keep them.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(res)
}
