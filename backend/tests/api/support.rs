//! What every test needs: a fixture with its own store, invitations made the way `demo`
//! makes them, and small helpers to call the app and read its answers. The staff side's
//! helpers (accounts, logins, a staff browser's key work) are in `support/staff.rs`.

pub mod load;
pub mod staff;

use actix_web::body::MessageBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::header::HeaderMap;
use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use actix_web::web::Bytes as BodyBytes;
use beratta_core::api::{
    ApiErrorBody, Bytes, ChildAssessment, ChildLogin, QuestionnaireRef, Round, RoundMode, SealedAnswers,
};
use beratta_core::child::ChildKeys;
use beratta_core::engine::{Answer, Session};
use beratta_core::envelope::OrgSecretKey;
use beratta_core::login::{ChildSecrets, KdfParams, ServerSecret};
use beratta_server::frontend::Frontend;
use beratta_server::instruments::Instruments;
use beratta_server::invitation::{self, InvitationTerms, IssuedInvitation};
use beratta_server::store::{SledStore, Store};
use beratta_server::{AppState, Clock};
use rand_core::OsRng;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tempfile::TempDir;

/// Argon2id at its cheapest, so a test derives a proof in microseconds. Real codes use
/// `KdfParams::STANDARD`.
pub const CHEAP_KDF: KdfParams = KdfParams { memory_kib: 64, iterations: 1, parallelism: 1 };

pub const ORGANISATION: &str = "demo";

/// The start of every test's clock: a fixed, realistic moment.
pub const START: u64 = 1_750_000_000;

/// The repository's questionnaires folder: the tests use the real instruments.
pub fn questionnaires_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../questionnaires")
}

pub fn questionnaire() -> QuestionnaireRef {
    invitation::demo_questionnaire()
}

/// A server's state in a temporary directory, with a movable clock and one organisation
/// whose secret key the test keeps (standing in for its staff).
pub struct Fixture {
    pub dir: TempDir,
    pub state: AppState,
    /// The same store as `state.store`, for what only sled offers (verifying the audit log).
    pub sled: SledStore,
    pub org_key: OrgSecretKey,
    clock: Arc<AtomicU64>,
    /// Secret keys of organisations added by `add_organisation`, by id.
    other_org_keys: std::sync::Mutex<std::collections::HashMap<String, [u8; 32]>>,
}

impl Fixture {
    pub fn new() -> Fixture {
        Fixture::with_frontend(Frontend::not_built())
    }

    pub fn with_frontend(frontend: Frontend) -> Fixture {
        Fixture::build(frontend, true)
    }

    /// A fixture whose server accepts only the standard Argon2id cost from browsers, as in
    /// production.
    pub fn with_production_kdf() -> Fixture {
        Fixture::build(Frontend::not_built(), false)
    }

    fn build(frontend: Frontend, cheap_kdf: bool) -> Fixture {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store = SledStore::open(&dir.path().join("data")).expect("a fresh store opens");
        let (organisation, org_key) = invitation::new_organisation(ORGANISATION, "Testskolan", START, &mut OsRng);
        assert!(store.insert_organisation(&organisation).expect("the store works"));
        let instruments = Instruments::load(&questionnaires_dir()).expect("the repository's questionnaires are valid");
        let clock = Arc::new(AtomicU64::new(START));
        let read = clock.clone();
        let clock_fn: Clock = Arc::new(move || read.load(Ordering::SeqCst));
        let sled = store.clone();
        let mut state = AppState::new(Arc::new(store), ServerSecret::generate(&mut OsRng), instruments, frontend)
            .with_clock(clock_fn);
        if cheap_kdf {
            state = state.with_insecure_test_kdf();
        }
        Fixture { dir, state, sled, org_key, clock, other_org_keys: Default::default() }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Creates an invitation through the same code path as `beratta-server demo`.
    pub fn invite(&self) -> IssuedInvitation {
        invitation::create_invitation(
            self.state.store.as_ref(),
            &self.state.secret,
            ORGANISATION,
            &questionnaire(),
            CHEAP_KDF,
            &InvitationTerms::for_days(self.state.now(), 30),
            self.state.now(),
            &mut OsRng,
        )
        .expect("an invitation can be created")
    }

    /// Stores a closed anonymous round `id` of `organisation` directly, for tests that put
    /// statistics records into it without children answering: closed, so that its records
    /// are a release that holders may fetch.
    pub fn store_round(&self, organisation: &str, id: &str) {
        self.insert_round(organisation, id, Some(self.state.now()));
    }

    /// Stores an open anonymous round `id` of `organisation` directly, running through
    /// 2026 (after the fixture's clock starts).
    pub fn store_open_round(&self, organisation: &str, id: &str) {
        self.insert_round(organisation, id, None);
    }

    fn insert_round(&self, organisation: &str, id: &str, closed_unix: Option<u64>) {
        let round = Round {
            round_id: id.into(),
            name: id.into(),
            unit: None,
            opens: "2026-01-01".into(),
            closes: "2026-12-31".into(),
            questionnaire: questionnaire(),
            mode: RoundMode::Anonymous,
            intervention: None,
            created_by: "test".into(),
            created_unix: self.state.now(),
            closed_unix,
        };
        assert!(self.state.store.insert_round(organisation, &round).expect("the store works"), "{id} is new");
    }

    pub fn advance(&self, secs: u64) {
        self.clock.fetch_add(secs, Ordering::SeqCst);
    }
}

/// An answer as the tests look at it.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: BodyBytes,
}

impl Reply {
    pub async fn from<B: MessageBody>(res: ServiceResponse<B>) -> Reply {
        let status = res.status();
        let headers = res.headers().clone();
        let body = test::read_body(res).await;
        Reply { status, headers, body }
    }

    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not the expected JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// The error code of an API error body; fails if the body is not one.
    pub fn error(&self) -> String {
        self.json::<ApiErrorBody>().error
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `name=value` part of the session cookie set by this answer.
    pub fn session_cookie(&self) -> Option<String> {
        let set = self.header("set-cookie")?;
        set.split(';').next().map(str::to_string)
    }
}

/// Builds the app with `build_app`, exactly as `main` does.
macro_rules! app {
    ($state:expr) => {
        actix_web::test::init_service(beratta_server::build_app($state.clone())).await
    };
}
pub(crate) use app;

/// Sends a `TestRequest` and reads the answer into a [`Reply`].
macro_rules! send {
    ($app:expr, $req:expr) => {
        $crate::support::Reply::from(actix_web::test::call_service(&$app, $req.to_request()).await).await
    };
}
pub(crate) use send;

/// A gzip body under the smallest JSON limit that inflates to 12 MiB of JSON whitespace,
/// as a client trying to make the server spend memory would send it.
pub fn gzip_bomb() -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let spaces = vec![b' '; 1024 * 1024];
    for _ in 0..12 {
        encoder.write_all(&spaces).expect("writes to memory");
    }
    let bomb = encoder.finish().expect("writes to memory");
    assert!(bomb.len() < beratta_server::limits::MAX_JSON_BODY_BYTES, "{} bytes", bomb.len());
    bomb
}

pub fn login_request(lookup: &str, proof: &[u8]) -> TestRequest {
    TestRequest::post()
        .uri("/api/child/login")
        .set_json(ChildLogin { lookup: lookup.to_string(), proof: Bytes(proof.to_vec()) })
}

/// Logs in with a correct code; returns the cookie pair and the body.
macro_rules! log_in {
    ($fixture:expr, $app:expr, $invitation:expr) => {{
        let secrets = $crate::support::derive($fixture, $invitation);
        let reply = $crate::support::send!(
            $app,
            $crate::support::login_request($invitation.code.lookup(), &secrets.login_proof)
        );
        assert_eq!(reply.status, actix_web::http::StatusCode::OK, "login failed: {:?}", reply.body);
        let cookie = reply.session_cookie().expect("a login sets the session cookie");
        let assessment: beratta_core::api::ChildAssessment = reply.json();
        (cookie, assessment, secrets)
    }};
}
pub(crate) use log_in;

/// Derives the child's secrets with the salt and cost stored for the invitation.
pub fn derive(fixture: &Fixture, invitation: &IssuedInvitation) -> ChildSecrets {
    let assessment = fixture
        .state
        .store
        .assessment_by_lookup(invitation.code.lookup())
        .expect("the store works")
        .expect("the invitation exists");
    beratta_core::login::derive_child_secrets(&invitation.code, &assessment.salt.0, &assessment.kdf)
        .expect("cheap parameters are valid")
}

/// A session with one answer in it, standing in for a child's progress.
pub fn session_with(item: &str, option: &str) -> Session {
    let mut session = Session::default();
    session.answers.insert(item.to_string(), Answer::Choice(option.to_string()));
    session
}

/// Seals `session` as save number `counter`, as the browser does.
pub fn seal(secrets: &ChildSecrets, assessment: &ChildAssessment, session: &Session, counter: u64) -> SealedAnswers {
    let keys = ChildKeys::after_login(secrets, assessment, &mut OsRng).expect("the keys unwrap");
    keys.seal(assessment, session, "sv", counter, &mut OsRng).expect("sealing works")
}

pub fn save_request(cookie: &str, sealed: &SealedAnswers) -> TestRequest {
    TestRequest::put().uri("/api/child/answers").insert_header(("cookie", cookie)).set_json(sealed)
}
