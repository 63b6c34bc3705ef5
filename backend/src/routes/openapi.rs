//! The OpenAPI 3.1 document of the API, served at `GET /api/openapi.json`.
//!
//! utoipa generates it from the handlers' own `#[utoipa::path]` attributes and the wire
//! types of `beratta_core::api` (their schemas are derived behind the core's `openapi`
//! feature), so a field added to a type is in the document without anyone writing it
//! twice. Every error of every operation is an `ApiErrorBody` (one enum makes them all,
//! see `error`), so that response is added to each operation here, once, as `default`.
//! A test (`tests/api/headers.rs`) fails when a route of the route table is missing.

use actix_web::http::header::ContentType;
use actix_web::HttpResponse;
use beratta_core::api::ApiErrorBody;
use std::sync::OnceLock;
use utoipa::openapi::{ContentBuilder, OpenApi as Document, RefOr, ResponseBuilder};
use utoipa::{OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Berätta",
        description = "The API of Berätta's server. It stores sealed answers it cannot read; every binary value is unpadded URL-safe base64. Sessions are cookies: __Host-beratta-child, __Host-beratta-staff, __Host-beratta-kiosk."
    ),
    paths(
        openapi_json,
        super::health::health,
        super::health::live,
        super::health::ready,
        super::questionnaires::bundle,
        super::child::params,
        super::child::login,
        super::child::session,
        super::child::save_answers,
        super::child::logout,
        super::staff::params,
        super::staff::login,
        super::staff::logout,
        super::staff::me,
        super::statistics::set_personal_key,
        super::staff::units,
        super::staff::setup_info,
        super::staff::setup,
        super::staff::enrolment,
        super::staff::enrol,
        super::admin::list_staff,
        super::admin::add_staff,
        super::admin::change_staff,
        super::statistics::grant,
        super::statistics::revoke,
        super::statistics::set_statistics_key,
        super::statistics::rounds,
        super::statistics::invited,
        super::statistics::records,
        super::statistics::openings,
        super::admin::list_units,
        super::admin::add_unit,
        super::resources::list,
        super::resources::create,
        super::resources::change,
        super::resources::remove,
        super::resources::import,
        super::needs::state,
        super::needs::threshold,
        super::needs::priorities,
        super::kiosks::list,
        super::kiosks::create,
        super::kiosks::revoke,
        super::kiosks::info,
        super::kiosks::register,
        super::kiosks::start,
        super::admin::audit,
        super::admin::audit_children,
        super::admin::children,
        super::recovery::open,
        super::recovery::reset,
        super::assessments::list,
        super::assessments::create,
        super::assessments::reserve_lookups,
        super::assessments::statuses,
        super::assessments::code_basis,
        super::assessments::replace_code,
        super::assessments::revoke,
        super::rounds::list,
        super::rounds::create,
        super::rounds::view,
        super::rounds::close,
        super::rounds::interventions,
        super::rounds::create_intervention,
        super::assessments::view,
        super::assessments::set_help
    ),
    components(schemas(ApiErrorBody))
)]
struct ApiDoc;

/// The document, with every operation's error response.
pub fn document() -> Document {
    let mut doc = ApiDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    let error = ResponseBuilder::new()
        .description("The request was refused or failed; `error` names why (e.g. `not_logged_in`, `too_many_tries`).")
        .content(
            ContentType::json().to_string(),
            ContentBuilder::new()
                .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(ApiErrorBody::name()))))
                .build(),
        )
        .build();
    for item in doc.paths.paths.values_mut() {
        for operation in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ]
        .into_iter()
        .flatten()
        {
            operation.responses.responses.insert("default".to_string(), RefOr::T(error.clone()));
        }
    }
    doc
}

/// The document as served, made once.
fn document_json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| document().to_json().expect("the document is plain data and always serialises"))
}

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", responses((status = 200, description = "this OpenAPI 3.1 document", content_type = "application/json")))]
pub async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().content_type(ContentType::json()).body(document_json())
}
