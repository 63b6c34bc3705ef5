//! Writing the audit log. Each event is appended to the hash chain (see `store::audit`)
//! before the request's answer leaves the server; if it cannot be written, the request
//! fails, so nothing the log should show can happen without it.

use crate::error::ApiError;
use crate::store::AuditStore;
use crate::AppState;
use actix_web::HttpRequest;
use beratta_core::audit::{AuditAction, AuditEntry, AuditEvent};

/// The organisation of an event that belongs to none (an unknown code, no session).
pub const NO_ORGANISATION: &str = "-";
/// The actor of an event nobody could be named for.
pub const ANONYMOUS: &str = "anonymous";
/// The actor of the server's own commands (`create-org`).
pub const COMMAND_LINE: &str = "cli";
/// The actor of what the running server does by itself, on no one's request: the sweep
/// closing a round whose last day has passed (`round_closed`).
pub const SYSTEM: &str = "system";

/// The actor of a logged-in child.
pub fn child_actor(assessment: &str) -> String {
    format!("child:{assessment}")
}

/// How a request's route is named in the log: the method and the route pattern, never the
/// path as sent, which could carry anything a client typed.
pub fn route_of(req: &HttpRequest) -> String {
    let pattern = req.match_pattern().unwrap_or_else(|| "/api/{unmatched}".to_string());
    format!("{} {pattern}", req.method())
}

/// Appends one event, stamped with the state's clock.
pub fn record(
    state: &AppState,
    organisation: &str,
    actor: &str,
    action: AuditAction,
    subject: Option<&str>,
) -> Result<AuditEntry, ApiError> {
    let event = AuditEvent {
        at_unix: state.now(),
        organisation: organisation.to_string(),
        actor: actor.to_string(),
        action,
        subject: subject.map(str::to_string),
    };
    Ok(state.store.append_audit(event)?)
}

/// Appends one event of the server's own commands (`create-org`, `demo`,
/// `demo-municipality`), by [`COMMAND_LINE`], at `now`.
pub fn by_command(
    store: &dyn AuditStore,
    organisation: &str,
    action: AuditAction,
    subject: &str,
    now: u64,
) -> anyhow::Result<()> {
    let event = AuditEvent {
        at_unix: now,
        organisation: organisation.to_string(),
        actor: COMMAND_LINE.to_string(),
        action,
        subject: Some(subject.to_string()),
    };
    anyhow::Context::context(store.append_audit(event), "cannot write the audit log")?;
    Ok(())
}
