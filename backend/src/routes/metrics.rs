//! `GET /metrics`: the operator's figures in Prometheus' text format (see `metrics`).
//!
//! Answered only to a request straight from this machine (a loopback peer that is no
//! trusted proxy, with no forwarding header), so a Prometheus on the server itself, or an
//! SSH tunnel to it, reads it, and nobody through the TLS proxy does. Anyone else gets the
//! API's 404, as for a path that does not exist. The figures name no child and no staff
//! member: route patterns, statuses, counts and sizes only.

use crate::error::ApiError;
use crate::AppState;
use actix_web::{web, HttpRequest, HttpResponse};

pub async fn metrics(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let forwarded = req.headers().contains_key("x-forwarded-for") || req.headers().contains_key("forwarded");
    if !state.trusted_proxies().is_local(req.peer_addr(), forwarded) {
        return Err(ApiError::NotFound);
    }
    let text = state
        .blocking(|state| {
            let size = state.store.size_on_disk()?;
            let (children, staff) = state.store.session_counts()?;
            Ok(state.metrics.render(size, children, staff))
        })
        .await?;
    Ok(HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(text))
}
