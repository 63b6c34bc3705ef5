//! `GET /api/health` and `GET /api/health/ready`: whether the server can read its store;
//! `GET /api/health/live`: whether the process answers at all.

use crate::error::ApiError;
use crate::AppState;
use actix_web::web;
use beratta_core::api::Health;

/// Answers only after a real read, so a load balancer stops sending children to a server
/// whose storage has failed. Also at `/api/health/ready`, the readiness probe.
#[utoipa::path(get, path = "/api/health", responses((status = 200, body = Health)))]
pub async fn health(state: web::Data<AppState>) -> Result<web::Json<Health>, ApiError> {
    state.store.check()?;
    Ok(web::Json(ok()))
}

/// Readiness: the store answers a read, so requests can be served.
#[utoipa::path(get, path = "/api/health/ready", responses((status = 200, body = Health)))]
pub async fn ready(state: web::Data<AppState>) -> Result<web::Json<Health>, ApiError> {
    health(state).await
}

/// Liveness: the process and its async workers answer; touches nothing, so a slow disk
/// never makes a supervisor restart a server that is only waiting for it.
#[utoipa::path(get, path = "/api/health/live", responses((status = 200, body = Health)))]
pub async fn live() -> web::Json<Health> {
    web::Json(ok())
}

fn ok() -> Health {
    Health { status: "ok".to_string(), version: env!("CARGO_PKG_VERSION").to_string() }
}
