//! Berätta's server: stores sealed answer blobs and serves the built front end, and for
//! staff: accounts, sessions, invitations and the audit log.
//!
//! Architecture invariant: the server never holds a key that opens an answer. It keeps
//! organisations' public keys, HMAC verifiers of children's and staff's login proofs,
//! wrapped copies of organisation keys it cannot unwrap, and ciphertext; the secret that
//! takes part in every verifier and child key lives in a file outside the database. Staff
//! handlers reach data only through the capabilities in [`access`].
//!
//! [`build_app`] is the one place an [`App`] is put together; `main` and the tests both use
//! it, so the tests exercise exactly what runs.

pub mod access;
pub mod access_log;
pub mod audit;
pub mod body;
pub mod calendar;
pub mod client;
pub mod control;
pub mod cookies;
pub mod demo_municipality;
pub mod error;
pub mod frontend;
pub mod headers;
pub mod instruments;
pub mod invitation;
pub mod limits;
pub mod logging;
pub mod metrics;
pub mod origin;
pub mod records;
pub mod routes;
pub mod secret;
pub mod staff;
pub mod statistics;
pub mod store;

use crate::client::TrustedProxies;
use crate::error::ApiError;
use crate::frontend::Frontend;
use crate::instruments::Instruments;
use crate::metrics::{Metrics, Refusals};
use crate::store::{Expiry, ReservationRules, Store};
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header::HeaderValue;
use actix_web::middleware::{from_fn, Compress};
use actix_web::{web, App, HttpRequest};
use beratta_core::audit::AuditAction;
use beratta_core::login::{KdfParams, ServerSecret};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch. Handed in, so tests can move time forward.
pub type Clock = Arc<dyn Fn() -> u64 + Send + Sync>;

/// The wall clock.
pub fn system_clock() -> Clock {
    Arc::new(|| SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()))
}

/// Everything a request handler may use. Cheap to clone: each worker gets a copy.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub secret: Arc<ServerSecret>,
    pub instruments: Arc<Instruments>,
    pub frontend: Arc<Frontend>,
    pub clock: Clock,
    /// Refusals of requests that carry no identity, counted rather than audited.
    pub refusals: Arc<Refusals>,
    /// The operator's figures at `/metrics` (the refusals among them).
    pub metrics: Arc<Metrics>,
    /// Held shared by every piece of store work ([`AppState::blocking`], the sweep) and
    /// exclusively by a backup, so that a backup sees the store between two of them.
    writes: Arc<RwLock<()>>,
    trusted_proxies: Arc<TrustedProxies>,
    csp: HeaderValue,
    /// The least Argon2id cost accepted for a child's code or a staff password.
    kdf_floor: KdfParams,
    /// The longest a request body may take to arrive.
    body_timeout: Duration,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, secret: ServerSecret, instruments: Instruments, frontend: Frontend) -> AppState {
        let csp = HeaderValue::from_str(&frontend.content_security_policy())
            .expect("the policy holds only fixed ASCII text and base64 hashes");
        let metrics = Arc::new(Metrics::new());
        AppState {
            store,
            secret: Arc::new(secret),
            instruments: Arc::new(instruments),
            frontend: Arc::new(frontend),
            clock: system_clock(),
            refusals: metrics.refusals.clone(),
            metrics,
            writes: Arc::default(),
            trusted_proxies: Arc::default(),
            csp,
            kdf_floor: KdfParams::STANDARD,
            body_timeout: Duration::from_secs(limits::BODY_TIMEOUT_SECS),
        }
    }

    /// Accepts any Argon2id cost from browsers, for tests that derive proofs by the
    /// hundred. Never for a real deployment: a cheap cost makes a stolen database (with
    /// the server secret) cheap to guess through.
    pub fn with_insecure_test_kdf(mut self) -> AppState {
        self.kdf_floor = KdfParams { memory_kib: 8, iterations: 1, parallelism: 1 };
        self
    }

    /// The least Argon2id cost accepted from a browser.
    pub fn kdf_floor(&self) -> KdfParams {
        self.kdf_floor
    }

    /// Believes `X-Forwarded-For` from these peers only (see [`client`]).
    pub fn with_trusted_proxies(mut self, proxies: TrustedProxies) -> AppState {
        self.trusted_proxies = Arc::new(proxies);
        self
    }

    /// The proxies whose forwarded addresses are believed.
    pub fn trusted_proxies(&self) -> &TrustedProxies {
        &self.trusted_proxies
    }

    /// The network a request's failed logins are counted against (see [`client`]).
    pub fn client_key(&self, req: &HttpRequest) -> String {
        let forwarded = req.headers().get_all("x-forwarded-for").filter_map(|v| v.to_str().ok());
        client::client_key(self.trusted_proxies.client_ip(req.peer_addr(), forwarded))
    }

    /// Runs `work` on the blocking pool: everything that touches the store does, so that a
    /// slow disk slows requests down but never stops the async workers, which keep
    /// accepting connections and answering `/api/health`.
    pub async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&AppState) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let state = self.clone();
        web::block(move || {
            let _open = state.writes.read().unwrap_or_else(|poisoned| poisoned.into_inner());
            work(&state)
        })
        .await
        .map_err(|_| ApiError::Internal("the blocking pool has stopped"))?
    }

    /// Replaces [`limits::BODY_TIMEOUT_SECS`], for tests that dribble a body and should not
    /// wait half a minute for the answer.
    pub fn with_body_timeout(mut self, timeout: Duration) -> AppState {
        self.body_timeout = timeout;
        self
    }

    /// The longest a request body may take to arrive.
    pub fn body_timeout(&self) -> Duration {
        self.body_timeout
    }

    /// Replaces the clock, for tests of expiry and time windows.
    pub fn with_clock(mut self, clock: Clock) -> AppState {
        self.clock = clock;
        self
    }

    pub fn now(&self) -> u64 {
        (self.clock)()
    }

    /// The Content-Security-Policy sent with every response.
    pub fn content_security_policy(&self) -> &HeaderValue {
        &self.csp
    }

    /// Removes expired sessions, ended client windows and expired lookup reservations, and
    /// closes the rounds whose last day has passed ([`AppState::close_ended_rounds`]).
    /// Returns how many records were removed.
    pub fn sweep(&self) -> Result<usize, ApiError> {
        let _open = self.writes.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        let removed = self.store.sweep(self.now(), &expiry())?;
        let closed = self.close_ended_rounds()?;
        if closed > 0 {
            tracing::info!("closed {closed} round(s) whose last day had passed");
        }
        Ok(removed)
    }

    /// A backup of the whole store, as it stands between two pieces of store work: every
    /// request's store work and the sweep wait while it is read (see `store::backup`).
    /// Blocks; call it off the async workers.
    pub fn backup(&self, out: &mut dyn std::io::Write) -> Result<store::BackupSummary, store::StoreError> {
        let mut copy = Vec::new();
        let summary = {
            let _closed = self.writes.write().unwrap_or_else(|poisoned| poisoned.into_inner());
            self.store.backup(&mut copy)?
        };
        out.write_all(&copy).map_err(|e| store::StoreError::Backup(format!("cannot send the backup: {e}")))?;
        Ok(summary)
    }

    /// Closes every open round whose last day (`closes`, UTC) is before today, freezing
    /// its release, each audited as `round_closed` by [`audit::SYSTEM`]. A round someone
    /// closed meanwhile is left as it is and not audited again. Returns how many it closed.
    pub fn close_ended_rounds(&self) -> Result<usize, ApiError> {
        let now = self.now();
        let mut closed = 0;
        for (organisation, round) in self.store.open_rounds_ended_before(&calendar::today(now))? {
            if let store::Closing::Closed(round) = self.store.close_round(&organisation, &round.round_id, now)? {
                audit::record(self, &organisation, audit::SYSTEM, AuditAction::RoundClosed, Some(&round.round_id))?;
                closed += 1;
            }
        }
        Ok(closed)
    }
}

/// How long sessions, client windows and counts of drawn lookups live.
pub fn expiry() -> Expiry {
    Expiry {
        session_idle_secs: limits::SESSION_IDLE_SECS,
        session_max_secs: limits::SESSION_MAX_SECS,
        client_window_secs: limits::CLIENT_WINDOW_SECS,
        staff_lock_secs: limits::STAFF_LOCK_SECS,
        lookup_window_secs: limits::LOOKUP_DRAW_WINDOW_SECS,
    }
}

/// How long lookups stay reserved for a staff member, and how many they may hold and draw.
pub fn reservation_rules() -> ReservationRules {
    ReservationRules {
        hold_secs: limits::LOOKUP_RESERVATION_SECS,
        max_held: limits::MAX_RESERVED_LOOKUPS,
        max_drawn: limits::MAX_LOOKUPS_DRAWN,
        window_secs: limits::LOOKUP_DRAW_WINDOW_SECS,
    }
}

/// Registers the API under `/api`, with the extractor settings that turn malformed and
/// oversized bodies into the API's JSON errors. Handlers find the [`AppState`] as
/// `web::Data<AppState>`, which [`build_app`] provides.
pub fn config_app(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::JsonConfig::default().limit(limits::MAX_JSON_BODY_BYTES).error_handler(error::json_error))
        .app_data(web::PathConfig::default().error_handler(error::path_error))
        .app_data(web::QueryConfig::default().error_handler(error::query_error))
        .service(routes::api());
}

/// The whole application: state, API, front end and the middleware around them.
pub fn build_app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let frontend = state.frontend.clone();
    App::new()
        .app_data(web::Data::new(state))
        .configure(config_app)
        .service(routes::operator())
        // After the API, so that `/api/...` never falls through to the front end.
        .configure(|cfg| routes::frontend::config(cfg, &frontend))
        // The last `wrap` is the outermost. All of these run before routing, so no handler
        // or extractor sees a request they refuse.
        .wrap(Compress::default())
        // Cross-site requests that would change something are refused unread.
        .wrap(from_fn(origin::same_origin))
        // Outside the origin check, so that a body refused there unread is held until the
        // answer is sent; inside the headers, so that its own refusals carry them.
        .wrap(from_fn(body::guard_body))
        .wrap(from_fn(headers::security_headers))
        // Outermost, so the logged status is the one the client really gets.
        .wrap(from_fn(access_log::access_log))
}
