//! `GET /api/health`: whether the server can read its store.

use crate::error::ApiError;
use crate::AppState;
use actix_web::web;
use beratta_core::api::Health;

/// Answers only after a real read, so a load balancer stops sending children to a server
/// whose storage has failed.
pub async fn health(state: web::Data<AppState>) -> Result<web::Json<Health>, ApiError> {
    state.store.check()?;
    Ok(web::Json(Health { status: "ok".to_string(), version: env!("CARGO_PKG_VERSION").to_string() }))
}
