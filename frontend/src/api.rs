//! The HTTP API as the browser calls it. Every call goes through [`request`]; the typed
//! functions below only name the endpoint and the wire types from `beratta_core::api`.

use beratta_core::api::{
    ApiErrorBody, ChildAssessment, ChildLogin, LoginParams, QuestionnaireBundle, QuestionnaireRef, SaveReceipt,
    SealedAnswers,
};
use gloo::net::http::{Method, RequestBuilder};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Serialize;
use web_sys::RequestCredentials;

/// Why a call did not give what was asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// No answer: offline, the server down, or the request could not be built.
    Network,
    /// The server answered with an error status and, usually, its JSON error body.
    Status { status: u16, body: Option<ApiErrorBody> },
    /// The server answered 2xx with a body that is not what the API promises.
    Malformed,
}

impl ApiError {
    /// The server's stable error code, e.g. `stale_save`.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Status { body: Some(body), .. } => Some(&body.error),
            _ => None,
        }
    }

    /// A save that an earlier or concurrent save has overtaken.
    pub fn is_stale_save(&self) -> bool {
        matches!(self, ApiError::Status { status: 409, .. }) || self.code() == Some("stale_save")
    }

    /// The login session is gone: the cookie expired or was ended elsewhere.
    pub fn is_unauthorised(&self) -> bool {
        matches!(self, ApiError::Status { status: 401 | 403, .. })
    }

    /// A refusal the server explained in words for people (a wrong code, too many tries).
    pub fn refusal(&self) -> Option<&str> {
        match self {
            ApiError::Status { status: 400..=499, body: Some(body) } if !body.message.trim().is_empty() => {
                Some(&body.message)
            }
            _ => None,
        }
    }
}

/// The one function that talks to the server: sends `body` as JSON (if any) with the
/// same-origin session cookie, and reads the JSON answer. An empty 2xx body reads as
/// `null`, so calls that return nothing can ask for `IgnoredAny`.
async fn request<T: DeserializeOwned>(method: Method, path: &str, body: Option<&impl Serialize>) -> Result<T, ApiError> {
    let builder = RequestBuilder::new(path)
        .method(method)
        .credentials(RequestCredentials::SameOrigin)
        .header("Accept", "application/json");
    let request = match body {
        Some(body) => builder.json(body),
        None => builder.build(),
    }
    .map_err(|_| ApiError::Network)?;
    let response = request.send().await.map_err(|_| ApiError::Network)?;
    let status = response.status();
    // A body that cannot be read at all counts as empty; its status still says enough.
    let text = response.text().await.unwrap_or_default();
    if !(200..300).contains(&status) {
        let body = serde_json::from_str::<ApiErrorBody>(&text).ok();
        return Err(ApiError::Status { status, body });
    }
    let text = if text.trim().is_empty() { "null" } else { text.as_str() };
    serde_json::from_str(text).map_err(|_| ApiError::Malformed)
}

/// No body to send.
const NO_BODY: Option<&()> = None;

/// `GET /api/child/params/{lookup}`: the salt and Argon2id settings for a code.
pub async fn login_params(lookup: &str) -> Result<LoginParams, ApiError> {
    request(Method::GET, &format!("/api/child/params/{}", segment(lookup)), NO_BODY).await
}

/// `POST /api/child/login`: on success the server sets the session cookie.
pub async fn login(login: &ChildLogin) -> Result<ChildAssessment, ApiError> {
    request(Method::POST, "/api/child/login", Some(login)).await
}

/// `GET /api/child/session`: the assessment of the current login session.
pub async fn session() -> Result<ChildAssessment, ApiError> {
    request(Method::GET, "/api/child/session", NO_BODY).await
}

/// `GET /api/questionnaires/{id}/{version}`.
pub async fn questionnaire(which: &QuestionnaireRef) -> Result<QuestionnaireBundle, ApiError> {
    let path = format!("/api/questionnaires/{}/{}", segment(&which.id), which.version);
    request(Method::GET, &path, NO_BODY).await
}

/// `PUT /api/child/answers`: acknowledged only once stored.
pub async fn save(sealed: &SealedAnswers) -> Result<SaveReceipt, ApiError> {
    request(Method::PUT, "/api/child/answers", Some(sealed)).await
}

/// `POST /api/child/logout`: ends the login session on the server.
pub async fn logout() -> Result<(), ApiError> {
    request::<IgnoredAny>(Method::POST, "/api/child/logout", NO_BODY).await.map(|_| ())
}

/// One URL path segment, percent-encoded.
fn segment(raw: &str) -> String {
    String::from(js_sys::encode_uri_component(raw))
}
