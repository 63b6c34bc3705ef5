//! The server's log: levels that mean something, so that an ERROR line is always worth
//! waking someone for.
//!
//! ERROR is for faults of the server itself (the store failing, a bug). Nothing a client can
//! cause by sending garbage is logged at WARN or ERROR: our own refusals are `ApiError`s,
//! which log nothing, and each request's line is INFO (see `access_log`). The one place
//! that is not ours is actix-http, which logs a connection it gave up on at ERROR
//! (`stream error: …`) even when the client caused it by sending a malformed head, by
//! resetting the connection or by not closing it in time. [`ClientNoise`] drops exactly
//! those lines; actix's own TRACE lines still describe them (`RUST_LOG=actix_http=trace`).

use std::fmt;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer};

/// actix-http's module that logs a failed connection.
const DISPATCHER: &str = "actix_http::h1::dispatcher";

/// The starts of the dispatcher's ERROR lines that describe something the client did or
/// the network did to it: a head that does not parse or is too large, a read or write
/// that failed because the peer went away, a head or a close that did not come in time.
const CLIENT_CAUSED: &[&str] = &[
    "stream error: request parse error",
    "stream error: I/O error",
    "stream error: request did not complete within the specified timeout",
    "stream error: connection shutdown timeout",
    "write zero; closing",
];

/// Whether a log line from `target` at `level` saying `message` was caused by a client,
/// not by the server.
pub fn is_client_noise(target: &str, level: &Level, message: &str) -> bool {
    target == DISPATCHER && *level <= Level::WARN && CLIENT_CAUSED.iter().any(|start| message.starts_with(start))
}

/// A layer that drops actix-http's lines about connections a client broke.
pub struct ClientNoise;

impl<S: Subscriber> Layer<S> for ClientNoise {
    fn event_enabled(&self, event: &Event<'_>, _: Context<'_, S>) -> bool {
        let meta = event.metadata();
        if meta.target() != DISPATCHER || *meta.level() > Level::WARN {
            return true;
        }
        let mut message = Message(String::new());
        event.record(&mut message);
        !is_client_noise(meta.target(), meta.level(), &message.0)
    }
}

/// The `message` field of an event, as text.
struct Message(String);

impl Visit for Message {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.0 = value.to_string();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_dispatchers_client_caused_errors_are_noise() {
        for message in [
            "stream error: request parse error: invalid Header provided",
            "stream error: I/O error: Connection reset by peer (os error 104)",
            "stream error: connection shutdown timeout",
        ] {
            assert!(is_client_noise(DISPATCHER, &Level::ERROR, message), "{message}");
        }
        assert!(!is_client_noise(DISPATCHER, &Level::ERROR, "Response payload stream error: disk gone"));
        assert!(!is_client_noise(DISPATCHER, &Level::ERROR, "stream error: internal error"));
        assert!(!is_client_noise("beratta_server::error", &Level::ERROR, "stream error: I/O error: x"));
        assert!(
            !is_client_noise(DISPATCHER, &Level::INFO, "stream error: I/O error: x"),
            "only WARN and ERROR lines are dropped"
        );
    }
}
