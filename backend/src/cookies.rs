//! Session tokens and the `__Host-` cookies that carry them, for children and staff alike.
//!
//! A token is 256 random bits, made fresh at every login; the server stores only its
//! SHA-256, so a copy of the database holds no usable token. The `__Host-` prefix makes the
//! browser refuse the cookie unless it is `Secure`, has `Path=/` and no `Domain`, so no other
//! host or path can set or read it; `HttpOnly` keeps it from scripts and `SameSite=Strict`
//! from requests other sites start.

use crate::error::ApiError;
use crate::store::SessionKey;
use actix_web::http::header::{self, HeaderValue};
use actix_web::HttpRequest;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

/// Random bytes in a session, set-up or enrolment token.
pub const TOKEN_LEN: usize = 32;

/// A new random token and the key it is stored under.
pub fn new_token() -> ([u8; TOKEN_LEN], SessionKey) {
    let mut token = [0u8; TOKEN_LEN];
    OsRng.fill_bytes(&mut token);
    let key = Sha256::digest(token).into();
    (token, key)
}

/// The store key of a token as it travels (unpadded URL-safe base64), if it is one.
pub fn key_of(encoded: &str) -> Option<SessionKey> {
    let token = URL_SAFE_NO_PAD.decode(encoded).ok()?;
    (token.len() == TOKEN_LEN).then(|| Sha256::digest(&token).into())
}

/// The store key of the session named by the request's cookie `name`, if it names one.
pub fn session_key(req: &HttpRequest, name: &str) -> Option<SessionKey> {
    let token = req
        .headers()
        .get_all(header::COOKIE)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(cookie, _)| *cookie == name)
        .map(|(_, value)| value)?;
    key_of(token)
}

/// The `Set-Cookie` value for a new session. No `Max-Age` or `Expires`: a session cookie,
/// gone when the browser closes; the server ends it sooner by its own timeouts.
pub fn session_cookie(name: &str, token: &[u8; TOKEN_LEN]) -> Result<HeaderValue, ApiError> {
    let cookie = format!("{name}={}; Path=/; Secure; HttpOnly; SameSite=Strict", URL_SAFE_NO_PAD.encode(token));
    HeaderValue::from_str(&cookie).map_err(|_| ApiError::Internal("a session cookie is not a header value"))
}

/// The `Set-Cookie` value for a token the browser keeps for `max_age_secs`, across
/// restarts: a kiosk's device token.
pub fn lasting_cookie(name: &str, token: &[u8; TOKEN_LEN], max_age_secs: u64) -> Result<HeaderValue, ApiError> {
    let cookie = format!(
        "{name}={}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}",
        URL_SAFE_NO_PAD.encode(token)
    );
    HeaderValue::from_str(&cookie).map_err(|_| ApiError::Internal("a lasting cookie is not a header value"))
}

/// The `Set-Cookie` value that tells the browser to drop the cookie `name`.
pub fn expired_cookie(name: &str) -> Result<HeaderValue, ApiError> {
    let cookie = format!("{name}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
    HeaderValue::from_str(&cookie).map_err(|_| ApiError::Internal("an expired cookie is not a header value"))
}
