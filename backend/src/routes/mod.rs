//! The HTTP routes. Each handler moves bytes between the client and the store; the
//! decisions about questionnaires and keys are the domain crate's.

pub mod admin;
pub mod assessments;
pub mod child;
pub mod frontend;
pub mod health;
pub mod kiosks;
pub mod metrics;
pub mod needs;
pub mod openapi;
pub mod questionnaires;
pub mod recovery;
pub mod resources;
pub mod rounds;
pub mod staff;
pub mod statistics;

use crate::error::ApiError;
use crate::limits;
use actix_web::{web, Resource, Scope};

/// Everything under `/api`. An unknown API path or method gets a JSON error, never the
/// front end's page, so a client mistake is never mistaken for data.
pub fn api() -> Scope {
    web::scope("/api")
        .service(resource("/health").route(web::get().to(health::health)))
        .service(resource("/health/live").route(web::get().to(health::live)))
        .service(resource("/health/ready").route(web::get().to(health::ready)))
        .service(resource("/openapi.json").route(web::get().to(openapi::openapi_json)))
        .service(resource("/questionnaires/{id}/{version}").route(web::get().to(questionnaires::bundle)))
        .service(resource("/child/params/{lookup}").route(web::get().to(child::params)))
        .service(resource("/child/login").route(web::post().to(child::login)))
        .service(resource("/child/session").route(web::get().to(child::session)))
        .service(
            resource("/child/answers")
                // A save carries the whole sealed answer set, so it may be larger than
                // anything else; the blob's own limit is checked in the handler.
                .app_data(json_limit(limits::MAX_SAVE_BODY_BYTES))
                .route(web::put().to(child::save_answers)),
        )
        .service(resource("/child/logout").route(web::post().to(child::logout)))
        .service(resource("/staff/params/{username}").route(web::get().to(staff::params)))
        .service(resource("/staff/login").route(web::post().to(staff::login)))
        .service(resource("/staff/logout").route(web::post().to(staff::logout)))
        .service(resource("/staff/me").route(web::get().to(staff::me)))
        .service(resource("/staff/personal-key").route(web::put().to(statistics::set_personal_key)))
        .service(resource("/units").route(web::get().to(staff::units)))
        .service(resource("/setup/{token}").route(web::get().to(staff::setup_info)).route(web::post().to(staff::setup)))
        .service(resource("/enrol/{token}").route(web::get().to(staff::enrolment)).route(web::post().to(staff::enrol)))
        .service(
            resource("/admin/staff").route(web::get().to(admin::list_staff)).route(web::post().to(admin::add_staff)),
        )
        .service(resource("/admin/staff/{id}").route(web::patch().to(admin::change_staff)))
        .service(
            resource("/admin/staff/{id}/statistics-key")
                .route(web::put().to(statistics::grant))
                .route(web::delete().to(statistics::revoke)),
        )
        .service(resource("/admin/statistics-key").route(web::put().to(statistics::set_statistics_key)))
        .service(resource("/statistics/rounds").route(web::get().to(statistics::rounds)))
        .service(resource("/statistics/invited").route(web::get().to(statistics::invited)))
        .service(resource("/statistics/rounds/{round}/records").route(web::get().to(statistics::records)))
        .service(resource("/statistics/openings").route(web::post().to(statistics::openings)))
        .service(resource("/resources").route(web::get().to(resources::list)).route(web::post().to(resources::create)))
        .service(
            resource("/resources/import")
                .app_data(json_limit(limits::MAX_RESOURCES_IMPORT_BODY_BYTES))
                .route(web::post().to(resources::import)),
        )
        .service(
            resource("/resources/{id}")
                .route(web::put().to(resources::change))
                .route(web::delete().to(resources::remove)),
        )
        .service(resource("/needs").route(web::get().to(needs::state)))
        .service(resource("/needs/threshold").route(web::put().to(needs::threshold)))
        .service(resource("/needs/priorities/{year}").route(web::put().to(needs::priorities)))
        .service(
            resource("/admin/units").route(web::get().to(admin::list_units)).route(web::post().to(admin::add_unit)),
        )
        .service(resource("/admin/kiosks").route(web::get().to(kiosks::list)).route(web::post().to(kiosks::create)))
        .service(resource("/admin/kiosks/{id}").route(web::delete().to(kiosks::revoke)))
        .service(resource("/kiosk").route(web::get().to(kiosks::info)))
        .service(resource("/kiosk/register").route(web::post().to(kiosks::register)))
        .service(resource("/kiosk/start").route(web::post().to(kiosks::start)))
        .service(resource("/admin/audit").route(web::get().to(admin::audit)))
        .service(resource("/admin/audit/children").route(web::get().to(admin::audit_children)))
        .service(resource("/admin/children").route(web::get().to(admin::children)))
        .service(resource("/recovery/open").route(web::post().to(recovery::open)))
        .service(resource("/recovery/reset").route(web::post().to(recovery::reset)))
        .service(
            resource("/invitations")
                .app_data(json_limit(limits::MAX_BATCH_BODY_BYTES))
                .route(web::get().to(assessments::list))
                .route(web::post().to(assessments::create)),
        )
        .service(resource("/invitations/lookups").route(web::post().to(assessments::reserve_lookups)))
        .service(resource("/invitations/statuses").route(web::get().to(assessments::statuses)))
        .service(
            resource("/invitations/{id}/code")
                .route(web::get().to(assessments::code_basis))
                .route(web::post().to(assessments::replace_code)),
        )
        .service(resource("/invitations/{id}/revoke").route(web::post().to(assessments::revoke)))
        .service(resource("/rounds").route(web::get().to(rounds::list)).route(web::post().to(rounds::create)))
        .service(resource("/rounds/{id}").route(web::get().to(rounds::view)))
        .service(resource("/rounds/{id}/close").route(web::post().to(rounds::close)))
        .service(
            resource("/interventions")
                .route(web::get().to(rounds::interventions))
                .route(web::post().to(rounds::create_intervention)),
        )
        .service(resource("/assessments/{id}").route(web::get().to(assessments::view)))
        .service(
            resource("/assessments/{id}/help")
                .app_data(json_limit(limits::MAX_HELP_BODY_BYTES))
                .route(web::put().to(assessments::set_help)),
        )
        .default_service(web::to(not_found))
}

/// `GET /metrics`, outside the API: Prometheus expects it there, and it is no JSON.
pub fn operator() -> Resource {
    web::resource("/metrics").route(web::get().to(metrics::metrics)).default_service(web::to(method_not_allowed))
}

/// A JSON body limit for one resource, with the API's error shape.
fn json_limit(bytes: usize) -> web::JsonConfig {
    web::JsonConfig::default().limit(bytes).error_handler(crate::error::json_error)
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
