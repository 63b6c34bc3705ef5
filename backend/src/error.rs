//! The one error type of the HTTP API and its mapping to a status and a JSON body.
//!
//! Every error a client can see is a variant of [`ApiError`]; no handler builds an error
//! response by hand. The body is always [`ApiErrorBody`]: a stable machine-readable code
//! the front end switches on, and a plain sentence for people. Messages never echo the
//! request, because a request may carry a code or a proof, and a parser's message may
//! quote it. Nor do they say anything about another organisation: a lookup that is not
//! reserved for the staff member gets [`ApiError::LookupNotReserved`] alike whether it is
//! free, expired, someone else's, or another organisation's live code.

use crate::store::StoreError;
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use beratta_core::api::ApiErrorBody;
use std::borrow::Cow;

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
    #[error("the request body is compressed")]
    UnsupportedEncoding,
    #[error("the request body took too long to arrive")]
    BodyTimeout,
    #[error("the request changes something and came from another site")]
    CrossOrigin,
    #[error("the address has a malformed part")]
    BadPath,
    #[error("there is no valid staff session")]
    NoStaffSession,
    #[error("the username or password did not match")]
    BadLogin,
    #[error("this username has had too many wrong passwords")]
    LoginLocked { retry_after_secs: u64 },
    #[error("the staff member's role does not allow this")]
    Forbidden,
    #[error("a value in the request is not acceptable: {0}")]
    Invalid(&'static str),
    #[error("the username has the wrong shape")]
    BadUsername,
    #[error("the username is taken")]
    UsernameTaken,
    #[error("the set-up link is for another username")]
    WrongUsername,
    #[error("a lookup of the batch is not reserved for this staff member")]
    LookupNotReserved,
    #[error("the staff member holds or has drawn as many lookups as allowed for now")]
    TooManyLookups { retry_after_secs: u64 },
    #[error("no free lookup was found")]
    NoFreeLookup,
    #[error("the organisation has no such unit")]
    UnknownUnit,
    #[error("the organisation has not been set up yet")]
    NotSetUp,
    #[error("the help status counter is not the next one")]
    StaleHelp,
    #[error("the invitation is revoked")]
    Revoked,
    #[error("the child saved since the new code was made")]
    StaleCode,
    #[error("an administrator may not disable or demote their own account")]
    OwnAccount,
    #[error("the username or recovery key did not match")]
    BadRecovery,
    #[error("this key is set once, and it is set already")]
    AlreadySet,
    #[error("this browser is not a registered kiosk")]
    NoKiosk,
    #[error("the kiosk link is unknown, used or expired")]
    BadKioskLink,
    #[error("the round is not open today")]
    RoundNotOpen,
    /// A round's figures are asked for before it is closed: an open round has no release.
    #[error("the round is still open")]
    RoundOpen,
    #[error("the kiosk has started too many assessments for now")]
    TooManyStarts { retry_after_secs: u64 },
    /// Input checked field by field (a resource, a file of them, priorities) had these
    /// problems; nothing was changed.
    #[error("the input has {} problem(s)", .0.len())]
    BadInput(Vec<beratta_core::api::InputProblem>),
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
            ApiError::UnsupportedEncoding => "unsupported_encoding",
            ApiError::BodyTimeout => "body_timeout",
            ApiError::CrossOrigin => "cross_origin",
            ApiError::BadPath => "bad_path",
            ApiError::NoStaffSession => "no_staff_session",
            ApiError::BadLogin => "bad_login",
            ApiError::LoginLocked { .. } => "login_locked",
            ApiError::Forbidden => "forbidden",
            ApiError::Invalid(_) => "invalid",
            ApiError::BadUsername => "bad_username",
            ApiError::UsernameTaken => "username_taken",
            ApiError::WrongUsername => "wrong_username",
            ApiError::LookupNotReserved => "lookup_not_reserved",
            ApiError::TooManyLookups { .. } => "too_many_lookups",
            ApiError::NoFreeLookup => "no_free_lookup",
            ApiError::UnknownUnit => "unknown_unit",
            ApiError::NotSetUp => "not_set_up",
            ApiError::StaleHelp => "stale_help",
            ApiError::Revoked => "revoked",
            ApiError::StaleCode => "stale_code",
            ApiError::OwnAccount => "own_account",
            ApiError::BadRecovery => "bad_recovery",
            ApiError::AlreadySet => "already_set",
            ApiError::NoKiosk => "no_kiosk",
            ApiError::BadKioskLink => "bad_kiosk_link",
            ApiError::RoundNotOpen => "round_not_open",
            ApiError::RoundOpen => "round_open",
            ApiError::TooManyStarts { .. } => "too_many_starts",
            ApiError::BadInput(_) => "bad_input",
            ApiError::Store(StoreError::Corrupt { .. }) | ApiError::Internal(_) => "internal",
            ApiError::Store(_) => "store_unavailable",
        }
    }

    /// The sentence shown to people. It says what kind of thing happened and what to do,
    /// never which detail failed, so it cannot leak anything about another invitation.
    pub fn message(&self) -> Cow<'static, str> {
        let fixed = match self {
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
            ApiError::UnsupportedEncoding => "The request must be sent uncompressed.",
            ApiError::BodyTimeout => "The request took too long to arrive. Check the connection and try again.",
            ApiError::CrossOrigin => "The request came from another site, so it was refused. Use Berätta's own pages.",
            ApiError::BadPath => "The address is not in the expected form.",
            ApiError::NoStaffSession => "You are not logged in, or your session has ended. Log in again.",
            ApiError::BadLogin => "The username or password is wrong. Check them and try again.",
            ApiError::LoginLocked { .. } => {
                "There have been too many wrong passwords for this username. Wait a while and try again."
            }
            ApiError::Forbidden => "Your role does not allow this.",
            ApiError::Invalid(what) => return Cow::Owned(format!("The request is not acceptable: {what}.")),
            ApiError::BadUsername => {
                "A username has 2 to 64 characters: letters a-z, digits, and . _ - @. Choose another."
            }
            ApiError::UsernameTaken => "That username is taken. Choose another.",
            ApiError::WrongUsername => "This set-up link is for another username.",
            ApiError::LookupNotReserved => {
                "The codes were not made from lookups reserved for you, or the reservation has run out. \
                 Make the codes again."
            }
            ApiError::TooManyLookups { .. } => {
                "You have asked for as many codes as one person may for now. \
                 Finish the invitations you started, or wait a while and try again."
            }
            ApiError::NoFreeLookup => "There are no free codes right now. Try again later.",
            ApiError::UnknownUnit => "The organisation has no such unit.",
            ApiError::NotSetUp => "The organisation has not been set up yet, so no child can be invited.",
            ApiError::StaleHelp => "Someone changed the help status in the meantime. Reload and try again.",
            ApiError::Revoked => "This invitation is revoked, so it cannot be given a new code.",
            ApiError::StaleCode => {
                "The child saved answers while the new code was being made. Nothing changed; try again."
            }
            ApiError::OwnAccount => "You cannot disable your own account or take away your own administrator role.",
            ApiError::BadRecovery => {
                "The username or the recovery key is wrong. Check both against the printed sheet and try again."
            }
            ApiError::AlreadySet => "This key has been made already. Nothing changed.",
            ApiError::NoKiosk => "This browser is not a kiosk, or the kiosk was taken out of use.",
            ApiError::BadKioskLink => {
                "This kiosk link does not work: it was used already, has run out, or the kiosk was taken \
                 out of use. Ask an administrator for a new one."
            }
            ApiError::RoundNotOpen => "The questions are not open today. Ask an adult here.",
            ApiError::RoundOpen => "This round is still open. Its figures are shown once it has been closed.",
            ApiError::TooManyStarts { .. } => "Many have started here just now. Wait a moment and press Start again.",
            ApiError::BadInput(problems) => {
                let each: Vec<String> =
                    problems.iter().map(|p| beratta_core::resources::register::describe(p, "en")).collect();
                return Cow::Owned(format!("Nothing was changed. {}", each.join(" ")));
            }
            ApiError::Store(StoreError::Corrupt { .. }) | ApiError::Internal(_) => {
                "Something went wrong on the server. Try again in a moment."
            }
            ApiError::Store(_) => "The server cannot reach its storage right now. Try again in a moment.",
        };
        Cow::Borrowed(fixed)
    }

    /// The body every error response carries.
    pub fn body(&self) -> ApiErrorBody {
        let problems = match self {
            ApiError::BadInput(problems) => problems.clone(),
            _ => Vec::new(),
        };
        ApiErrorBody { error: self.code().to_string(), message: self.message().to_string(), problems }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::NotFound | ApiError::UnknownQuestionnaire => StatusCode::NOT_FOUND,
            ApiError::Invalid(_)
            | ApiError::BadInput(_)
            | ApiError::BadUsername
            | ApiError::WrongUsername
            | ApiError::UnknownUnit => StatusCode::BAD_REQUEST,
            ApiError::NoStaffSession
            | ApiError::BadLogin
            | ApiError::BadRecovery
            | ApiError::NoKiosk
            | ApiError::BadKioskLink => StatusCode::UNAUTHORIZED,
            ApiError::LoginLocked { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::UsernameTaken
            | ApiError::LookupNotReserved
            | ApiError::NotSetUp
            | ApiError::StaleHelp
            | ApiError::Revoked
            | ApiError::StaleCode
            | ApiError::OwnAccount
            | ApiError::AlreadySet
            | ApiError::RoundNotOpen
            | ApiError::RoundOpen => StatusCode::CONFLICT,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::BadLookup | ApiError::BadAnswers(_) | ApiError::BadJson | ApiError::BadPath => {
                StatusCode::BAD_REQUEST
            }
            // A locked code keeps answering 401, like a wrong one: the child's next step is
            // the same (stop, ask an adult), and a different status would only help a guesser.
            ApiError::BadCode | ApiError::CodeLocked | ApiError::NoSession => StatusCode::UNAUTHORIZED,
            ApiError::TooManyTries { .. } | ApiError::TooManyLookups { .. } | ApiError::TooManyStarts { .. } => {
                StatusCode::TOO_MANY_REQUESTS
            }
            ApiError::NoFreeLookup => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::StaleSave => StatusCode::CONFLICT,
            ApiError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::NotJson | ApiError::UnsupportedEncoding => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
            ApiError::CrossOrigin => StatusCode::FORBIDDEN,
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
        if let ApiError::TooManyTries { retry_after_secs }
        | ApiError::LoginLocked { retry_after_secs }
        | ApiError::TooManyLookups { retry_after_secs }
        | ApiError::TooManyStarts { retry_after_secs } = self
        {
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
        JsonPayloadError::Payload(ref e) if crate::body::is_body_timeout(e) => ApiError::BodyTimeout,
        _ => ApiError::BadJson,
    };
    api.into()
}

/// Turns a path extractor failure (say, a version that is not a number) into the API's
/// error shape.
pub fn path_error(_err: PathError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::BadPath.into()
}

/// Turns a query-string extractor failure into the API's error shape.
pub fn query_error(_err: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::BadPath.into()
}
