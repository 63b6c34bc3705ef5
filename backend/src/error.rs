//! The one error type of the HTTP API and its mapping to a status and a JSON body.
//!
//! Every error a client can see is a variant of [`ApiError`]; no handler builds an error
//! response by hand. The body is always [`ApiErrorBody`]: a stable machine-readable code
//! the front end switches on, and a plain sentence for people. Messages never echo the
//! request, because a request may carry a code or a proof, and a parser's message may
//! quote it.

use crate::store::StoreError;
use actix_web::error::{JsonPayloadError, PathError};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use beratta_core::api::ApiErrorBody;

/// Everything that can go wrong in a request, as the client is told it.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("there is nothing at this address")]
    NotFound,
    #[error("this address does not take that method")]
    MethodNotAllowed,
    #[error("there is no such questionnaire")]
    UnknownQuestionnaire,
    #[error("the lookup part of a code has the wrong shape")]
    BadLookup,
    #[error("the code or proof did not match")]
    BadCode,
    #[error("the code has been tried wrongly too often")]
    CodeLocked,
    #[error("this address has made too many failed logins")]
    TooManyTries { retry_after_secs: u64 },
    #[error("there is no valid child session")]
    NoSession,
    #[error("the save counter is not the next one")]
    StaleSave,
    #[error("the request body is too large")]
    TooLarge,
    #[error("the sealed answers have the wrong shape: {0}")]
    BadAnswers(&'static str),
    #[error("the request body is not the JSON this address expects")]
    BadJson,
    #[error("the request body is not declared as JSON")]
    NotJson,
    #[error("the address has a malformed part")]
    BadPath,
    #[error("the store failed: {0}")]
    Store(#[from] StoreError),
    /// Something the server itself got wrong; the detail goes to the log, not the client.
    #[error("internal error: {0}")]
    Internal(&'static str),
}

impl ApiError {
    /// The stable code the front end switches on. Changing one breaks clients.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::NotFound => "not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::UnknownQuestionnaire => "unknown_questionnaire",
            ApiError::BadLookup => "bad_lookup",
            ApiError::BadCode => "bad_code",
            ApiError::CodeLocked => "code_locked",
            ApiError::TooManyTries { .. } => "too_many_tries",
            ApiError::NoSession => "no_session",
            ApiError::StaleSave => "stale_save",
            ApiError::TooLarge => "too_large",
            ApiError::BadAnswers(_) => "bad_answers",
            ApiError::BadJson => "bad_json",
            ApiError::NotJson => "not_json",
            ApiError::BadPath => "bad_path",
            ApiError::Store(StoreError::Corrupt { .. }) | ApiError::Internal(_) => "internal",
            ApiError::Store(_) => "store_unavailable",
        }
    }

    /// The sentence shown to people. It says what kind of thing happened and what to do,
    /// never which detail failed, so it cannot leak anything about another invitation.
    pub fn message(&self) -> &'static str {
        match self {
            ApiError::NotFound => "There is nothing at this address.",
            ApiError::MethodNotAllowed => "This address does not accept that kind of request.",
            ApiError::UnknownQuestionnaire => "There is no questionnaire with that name and version.",
            ApiError::BadLookup => "A code starts with four letters and digits. Check it and try again.",
            ApiError::BadCode => "That code did not work. Check it and try again.",
            ApiError::CodeLocked => {
                "This code has been tried too many times and no longer works. \
                 Ask the adult who gave you the code for a new one."
            }
            ApiError::TooManyTries { .. } => {
                "There have been too many wrong codes from here. Wait a while and try again."
            }
            ApiError::NoSession => "You are not logged in, or you were logged out. Log in with your code.",
            ApiError::StaleSave => {
                "These answers were changed somewhere else in the meantime. Reload to go on from there."
            }
            ApiError::TooLarge => "The request is larger than the server accepts.",
            ApiError::BadAnswers(_) => "The saved answers are not in the expected form.",
            ApiError::BadJson => "The request is not in the expected form.",
            ApiError::NotJson => "The request must be sent as JSON.",
            ApiError::BadPath => "The address is not in the expected form.",
            ApiError::Store(StoreError::Corrupt { .. }) | ApiError::Internal(_) => {
                "Something went wrong on the server. Try again in a moment."
            }
            ApiError::Store(_) => "The server cannot reach its storage right now. Try again in a moment.",
        }
    }

    /// The body every error response carries.
    pub fn body(&self) -> ApiErrorBody {
        ApiErrorBody { error: self.code().to_string(), message: self.message().to_string() }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::NotFound | ApiError::UnknownQuestionnaire => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::BadLookup | ApiError::BadAnswers(_) | ApiError::BadJson | ApiError::BadPath => {
                StatusCode::BAD_REQUEST
            }
            // A locked code keeps answering 401, like a wrong one: the child's next step is
            // the same (stop, ask an adult), and a different status would only help a guesser.
            ApiError::BadCode | ApiError::CodeLocked | ApiError::NoSession => StatusCode::UNAUTHORIZED,
            ApiError::TooManyTries { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::StaleSave => StatusCode::CONFLICT,
            ApiError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::NotJson => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Store(StoreError::Corrupt { .. }) | ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Store(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            // These carry no request data, so they are safe to log; the client gets only
            // the kind of failure.
            ApiError::Store(e) => tracing::error!("store error: {e}"),
            ApiError::Internal(what) => tracing::error!("internal error: {what}"),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        if let ApiError::TooManyTries { retry_after_secs } = self {
            response.insert_header((header::RETRY_AFTER, HeaderValue::from(*retry_after_secs)));
        }
        response.json(self.body())
    }
}

/// Turns a JSON extractor failure into the API's error shape, so that a malformed or
/// oversized body gets the same JSON answer as every other error.
pub fn json_error(err: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let api = match err {
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => ApiError::TooLarge,
        JsonPayloadError::ContentType => ApiError::NotJson,
        _ => ApiError::BadJson,
    };
    api.into()
}

/// Turns a path extractor failure (say, a version that is not a number) into the API's
/// error shape.
pub fn path_error(_err: PathError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::BadPath.into()
}
