//! The HTTP routes. Each handler moves bytes between the client and the store; the
//! decisions about questionnaires and keys are the domain crate's.

pub mod child;
pub mod frontend;
pub mod health;
pub mod questionnaires;

use crate::error::ApiError;
use crate::limits;
use actix_web::{web, Resource, Scope};

/// Everything under `/api`. An unknown API path or method gets a JSON error, never the
/// front end's page, so a client mistake is never mistaken for data.
pub fn api() -> Scope {
    web::scope("/api")
        .service(resource("/health").route(web::get().to(health::health)))
        .service(resource("/questionnaires/{id}/{version}").route(web::get().to(questionnaires::bundle)))
        .service(resource("/child/params/{lookup}").route(web::get().to(child::params)))
        .service(resource("/child/login").route(web::post().to(child::login)))
        .service(resource("/child/session").route(web::get().to(child::session)))
        .service(
            resource("/child/answers")
                // A save carries the whole sealed answer set, so it may be larger than
                // anything else; the blob's own limit is checked in the handler.
                .app_data(
                    web::JsonConfig::default()
                        .limit(limits::MAX_SAVE_BODY_BYTES)
                        .error_handler(crate::error::json_error),
                )
                .route(web::put().to(child::save_answers)),
        )
        .service(resource("/child/logout").route(web::post().to(child::logout)))
        .default_service(web::to(not_found))
}

/// A resource that answers a wrong method with the API's JSON error.
fn resource(path: &str) -> Resource {
    web::resource(path).default_service(web::to(method_not_allowed))
}

async fn not_found() -> Result<&'static str, ApiError> {
    Err(ApiError::NotFound)
}

async fn method_not_allowed() -> Result<&'static str, ApiError> {
    Err(ApiError::MethodNotAllowed)
}
