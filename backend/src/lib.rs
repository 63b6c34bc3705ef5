//! Berätta's server: stores sealed answer blobs and serves the built front end.
//!
//! Architecture invariant: the server never holds a key that opens an answer. It keeps
//! organisations' public keys, HMAC verifiers of children's login proofs and ciphertext;
//! the secret that takes part in every child key lives in a file outside the database.
//!
//! [`build_app`] is the one place an [`App`] is put together; `main` and the tests both use
//! it, so the tests exercise exactly what runs.

pub mod access_log;
pub mod error;
pub mod frontend;
pub mod headers;
pub mod instruments;
pub mod invitation;
pub mod limits;
pub mod records;
pub mod routes;
pub mod secret;
pub mod store;

use crate::frontend::Frontend;
use crate::instruments::Instruments;
use crate::store::{Expiry, Store};
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header::HeaderValue;
use actix_web::middleware::{from_fn, Compress};
use actix_web::{web, App};
use beratta_core::login::ServerSecret;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

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
    csp: HeaderValue,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, secret: ServerSecret, instruments: Instruments, frontend: Frontend) -> AppState {
        let csp = HeaderValue::from_str(&frontend.content_security_policy())
            .expect("the policy holds only fixed ASCII text and base64 hashes");
        AppState {
            store,
            secret: Arc::new(secret),
            instruments: Arc::new(instruments),
            frontend: Arc::new(frontend),
            clock: system_clock(),
            csp,
        }
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

    /// Removes expired sessions and ended client windows.
    pub fn sweep(&self) -> Result<usize, store::StoreError> {
        self.store.sweep(self.now(), &expiry())
    }
}

/// How long sessions and client windows live.
pub fn expiry() -> Expiry {
    Expiry {
        session_idle_secs: limits::SESSION_IDLE_SECS,
        session_max_secs: limits::SESSION_MAX_SECS,
        client_window_secs: limits::CLIENT_WINDOW_SECS,
    }
}

/// Registers the API under `/api`, with the extractor settings that turn malformed and
/// oversized bodies into the API's JSON errors. Handlers find the [`AppState`] as
/// `web::Data<AppState>`, which [`build_app`] provides.
pub fn config_app(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::JsonConfig::default().limit(limits::MAX_JSON_BODY_BYTES).error_handler(error::json_error))
        .app_data(web::PathConfig::default().error_handler(error::path_error))
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
        // After the API, so that `/api/...` never falls through to the front end.
        .configure(|cfg| routes::frontend::config(cfg, &frontend))
        .wrap(Compress::default())
        .wrap(from_fn(headers::security_headers))
        // Outermost, so the logged status is the one the client really gets.
        .wrap(from_fn(access_log::access_log))
}
