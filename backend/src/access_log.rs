//! One log line per request: method, path, status and duration, to stderr via tracing, and
//! the same request counted for `/metrics` (by route pattern, see `metrics`).
//!
//! Only those four things are logged. Bodies, cookies and query strings are not, and
//! neither is a path that could carry part of a code: for API routes the route pattern is
//! logged instead (`/api/child/params/{lookup}`), never the path as sent.

use crate::headers::is_api_path;
use crate::AppState;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;
use std::time::Instant;

/// What the log shows for a request's path.
pub fn logged_path(path: &str, pattern: Option<&str>) -> String {
    if !is_api_path(path) {
        return path.to_string();
    }
    match pattern {
        Some(pattern) if is_api_path(pattern) && pattern != "/api" => pattern.to_string(),
        // An API path that matched no route could hold anything a client typed.
        _ => "/api/{unmatched}".to_string(),
    }
}

pub async fn access_log<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.path().to_string();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let result = next.call(req).await;
    let (status, pattern) = match &result {
        Ok(res) => (res.status(), res.request().match_pattern()),
        Err(err) => (err.as_response_error().status_code(), None),
    };
    let seconds = started.elapsed().as_secs_f64();
    let millis = seconds * 1000.0;
    if let Some(state) = state {
        state.metrics.request(method.as_str(), &path, pattern.as_deref(), status.as_u16(), seconds);
    }
    let shown = logged_path(&path, pattern.as_deref());
    tracing::info!(target: "beratta::request", "{method} {shown} {} {millis:.1}ms", status.as_u16());
    result
}
