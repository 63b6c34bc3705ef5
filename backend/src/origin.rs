//! Requests that change something must come from the server's own pages.
//!
//! The session cookies are `SameSite=Strict`, so a browser does not attach them to a
//! request another site starts. This is the second check, on the request itself, for every
//! method that is not safe in RFC 9110's sense (anything but GET, HEAD, OPTIONS and TRACE;
//! so POST, PUT, PATCH, DELETE and any made-up method):
//!
//! - If the browser sent `Sec-Fetch-Site`, it must be `same-origin`, or `none` (the user
//!   started the request themselves). `same-site` is refused: a sibling subdomain is
//!   another party.
//! - Otherwise, if it sent `Origin`, that origin's host and port must be the request's own
//!   `Host`. The scheme is not compared: behind a TLS proxy the server sees plain HTTP and
//!   cannot know which scheme the browser used. The one origin this lets through that a
//!   full comparison would refuse is plain `http://` on the same host and port: HSTS (sent
//!   on every answer) keeps browsers from loading such a page, a browser new enough to send
//!   `Sec-Fetch-Site` is judged by that instead, and our `Secure`, `SameSite=Strict`
//!   cookies are not sent from it. A proxy in front must pass `Host` through unchanged.
//! - A request with neither header (curl, scripts, the tests) is let through: no browser
//!   sends a cross-site request without them, and the cookie rules still hold for it.
//!
//! A refusal is 403 with the code `cross_origin`, before any handler runs.

use crate::error::ApiError;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap};
use actix_web::middleware::Next;
use actix_web::ResponseError;

/// The `host[:port]` of an origin as a browser serialises it (`scheme://host[:port]`),
/// lower-cased, with a port that is the scheme's default left out.
fn origin_authority(origin: &str) -> Option<String> {
    let (scheme, rest) = origin.split_once("://")?;
    let default_port = match scheme.to_ascii_lowercase().as_str() {
        "https" => "443",
        "http" => "80",
        _ => return None,
    };
    if rest.is_empty() || rest.contains(['/', '?', '#', '@']) {
        return None;
    }
    Some(without_default_port(rest, default_port))
}

/// `host[:port]` lower-cased, without `:port` if it is `default_port`.
fn without_default_port(authority: &str, default_port: &str) -> String {
    let authority = authority.to_ascii_lowercase();
    match authority.rsplit_once(':') {
        // A colon inside an IPv6 literal such as `[::1]` is followed by no such port.
        Some((host, port)) if port == default_port => host.to_string(),
        _ => authority,
    }
}

/// Whether `origin` names the same host and port as the request's `Host`.
fn same_authority(origin: &str, host: &str) -> bool {
    let Some(origin) = origin_authority(origin) else {
        return false;
    };
    let host = host.trim().to_ascii_lowercase();
    // The Host header leaves out the default port of whichever scheme the browser used,
    // which the server does not know; so either default may be left out.
    origin == host || origin == without_default_port(&host, "443") || origin == without_default_port(&host, "80")
}

/// Whether the headers show a request from another site (see the module's text).
pub fn is_cross_origin(headers: &HeaderMap) -> bool {
    let mut fetch_site = headers.get_all("sec-fetch-site").peekable();
    if fetch_site.peek().is_some() {
        return !fetch_site.all(|v| matches!(v.to_str(), Ok("same-origin" | "none")));
    }
    let mut origins = headers.get_all(header::ORIGIN).peekable();
    if origins.peek().is_none() {
        return false;
    }
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return true;
    };
    !origins.all(|v| v.to_str().is_ok_and(|origin| same_authority(origin, host)))
}

/// Refuses a state-changing request from another site with 403, before routing.
pub async fn same_origin(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if !req.method().is_safe() && is_cross_origin(req.headers()) {
        return Ok(req.into_response(ApiError::CrossOrigin.error_response()));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, HeaderValue};

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                HeaderName::from_bytes(name.as_bytes()).expect("a name"),
                HeaderValue::from_str(value).expect("a value"),
            );
        }
        map
    }

    #[test]
    fn an_origin_matches_its_host_with_or_without_the_default_port() {
        for (origin, host) in [
            ("https://beratta.example", "beratta.example"),
            ("https://beratta.example", "beratta.example:443"),
            ("http://beratta.example", "beratta.example"),
            ("http://127.0.0.1:8080", "127.0.0.1:8080"),
            ("https://Beratta.Example", "beratta.example"),
            ("http://[::1]:8080", "[::1]:8080"),
            ("https://[::1]", "[::1]"),
        ] {
            assert!(same_authority(origin, host), "{origin} {host}");
        }
        for (origin, host) in [
            ("https://evil.example", "beratta.example"),
            ("https://beratta.example.evil.example", "beratta.example"),
            ("http://127.0.0.1:8081", "127.0.0.1:8080"),
            ("http://127.0.0.1", "127.0.0.1:8080"),
            ("null", "beratta.example"),
            ("https://beratta.example/", "beratta.example"),
            ("https://user@beratta.example", "beratta.example"),
            ("ftp://beratta.example", "beratta.example"),
            ("https://", ""),
        ] {
            assert!(!same_authority(origin, host), "{origin} {host}");
        }
    }

    #[test]
    fn sec_fetch_site_decides_when_present_and_origin_otherwise() {
        let host = ("host", "beratta.example");
        assert!(!is_cross_origin(&headers(&[host])));
        assert!(!is_cross_origin(&headers(&[host, ("sec-fetch-site", "same-origin")])));
        assert!(!is_cross_origin(&headers(&[host, ("sec-fetch-site", "none")])));
        assert!(is_cross_origin(&headers(&[host, ("sec-fetch-site", "same-site")])));
        assert!(is_cross_origin(&headers(&[host, ("sec-fetch-site", "cross-site")])));
        assert!(is_cross_origin(&headers(&[
            host,
            ("sec-fetch-site", "same-origin"),
            ("sec-fetch-site", "cross-site")
        ])));
        // Sec-Fetch-Site outranks Origin, which a privacy extension may have rewritten.
        assert!(!is_cross_origin(&headers(&[
            host,
            ("sec-fetch-site", "same-origin"),
            ("origin", "https://elsewhere.example")
        ])));
        assert!(!is_cross_origin(&headers(&[host, ("origin", "https://beratta.example")])));
        assert!(is_cross_origin(&headers(&[host, ("origin", "https://evil.example")])));
        assert!(is_cross_origin(&headers(&[host, ("origin", "null")])));
        assert!(is_cross_origin(&headers(&[("origin", "https://beratta.example")])), "no Host to compare with");
    }
}
