//! `GET /api/questionnaires/{id}/{version}`: an instrument and its factor catalogue.

use crate::error::ApiError;
use crate::AppState;
use actix_web::http::header::ContentType;
use actix_web::{web, HttpResponse};

/// Sends the bundle serialised at start; the browser validates it again with the same
/// domain crate before running it.
#[utoipa::path(
    get,
    path = "/api/questionnaires/{id}/{version}",
    params(("id" = String, Path), ("version" = u32, Path)),
    responses((status = 200, body = beratta_core::api::QuestionnaireBundle)),
)]
pub async fn bundle(state: web::Data<AppState>, path: web::Path<(String, u32)>) -> Result<HttpResponse, ApiError> {
    let (id, version) = path.into_inner();
    let json = state.instruments.bundle(&id, version).ok_or(ApiError::UnknownQuestionnaire)?;
    Ok(HttpResponse::Ok().content_type(ContentType::json()).body(json.to_string()))
}
