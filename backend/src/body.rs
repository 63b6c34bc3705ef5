//! Request bodies, before any handler reads one: a compressed body is refused.
//!
//! actix-web inflates a `Content-Encoding: gzip` body inside the JSON extractor, a whole
//! network read at a time, before the size limit is checked; a few kilobytes of gzip became
//! tens of megabytes of memory for one anonymous login. Browsers never compress a request
//! body, so any `Content-Encoding` other than `identity` is refused here with 415, on every
//! route, before a byte of the body is read.

use crate::error::ApiError;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap};
use actix_web::middleware::Next;
use actix_web::ResponseError;

/// Whether the request's body is sent as it is: no `Content-Encoding`, or only `identity`.
/// A value that is not text, or is empty, is not `identity`.
pub fn is_uncompressed(headers: &HeaderMap) -> bool {
    headers.get_all(header::CONTENT_ENCODING).all(|value| {
        value.to_str().is_ok_and(|text| text.split(',').all(|coding| coding.trim().eq_ignore_ascii_case("identity")))
    })
}

/// Refuses a compressed body with 415, before routing and without reading it.
pub async fn guard_body(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if !is_uncompressed(req.headers()) {
        return Ok(req.into_response(ApiError::UnsupportedEncoding.error_response()));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}
