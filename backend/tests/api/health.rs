//! `GET /api/health`: ok only after a real read of the store.

use crate::support::{app, send, Fixture, Reply};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use beratta_core::api::{Health, SealedAnswers};
use beratta_core::login::ServerSecret;
use beratta_server::frontend::Frontend;
use beratta_server::instruments::Instruments;
use beratta_server::records::{Assessment, ChildSession, FailureWindow, Organisation};
use beratta_server::store::{Expiry, LoginCounter, SaveOutcome, SessionKey, Store, StoreError, StoreFuture};
use beratta_server::AppState;
use rand_core::OsRng;
use std::sync::Arc;

#[actix_web::test]
async fn health_says_ok_after_reading_the_store() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let reply: Reply = send!(app, TestRequest::get().uri("/api/health"));
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json::<Health>(), Health { status: "ok".into(), version: env!("CARGO_PKG_VERSION").into() });
}

/// A store whose every operation fails, like a disk that has gone away.
struct BrokenStore;

fn gone() -> StoreError {
    StoreError::WrongSchema("the disk has gone away".into())
}

impl Store for BrokenStore {
    fn check(&self) -> Result<(), StoreError> {
        Err(gone())
    }
    fn organisation(&self, _: &str) -> Result<Option<Organisation>, StoreError> {
        Err(gone())
    }
    fn insert_organisation(&self, _: &Organisation) -> Result<bool, StoreError> {
        Err(gone())
    }
    fn insert_assessment(&self, _: &Assessment) -> Result<bool, StoreError> {
        Err(gone())
    }
    fn assessment(&self, _: &str) -> Result<Option<Assessment>, StoreError> {
        Err(gone())
    }
    fn assessment_by_lookup(&self, _: &str) -> Result<Option<Assessment>, StoreError> {
        Err(gone())
    }
    fn record_failed_login(&self, _: &str) -> Result<u32, StoreError> {
        Err(gone())
    }
    fn clear_failed_logins(&self, _: &str) -> Result<(), StoreError> {
        Err(gone())
    }
    fn record_login_failure(&self, _: LoginCounter<'_>, _: u64, _: u64) -> Result<FailureWindow, StoreError> {
        Err(gone())
    }
    fn forget_login_failure(&self, _: LoginCounter<'_>, _: u64, _: u64) -> Result<(), StoreError> {
        Err(gone())
    }
    fn put_session(&self, _: &SessionKey, _: &ChildSession) -> Result<(), StoreError> {
        Err(gone())
    }
    fn session(&self, _: &SessionKey) -> Result<Option<ChildSession>, StoreError> {
        Err(gone())
    }
    fn touch_session(&self, _: &SessionKey, _: u64) -> Result<Option<ChildSession>, StoreError> {
        Err(gone())
    }
    fn delete_session(&self, _: &SessionKey) -> Result<(), StoreError> {
        Err(gone())
    }
    fn save_answers<'a>(&'a self, _: &'a str, _: SealedAnswers) -> StoreFuture<'a, SaveOutcome> {
        Box::pin(async { Err(gone()) })
    }
    fn sweep(&self, _: u64, _: &Expiry) -> Result<usize, StoreError> {
        Err(gone())
    }
    fn flush(&self) -> Result<(), StoreError> {
        Err(gone())
    }
}

#[actix_web::test]
async fn health_is_503_json_when_the_store_fails() {
    let instruments = Instruments::load(&crate::support::questionnaires_dir()).expect("valid questionnaires");
    let state =
        AppState::new(Arc::new(BrokenStore), ServerSecret::generate(&mut OsRng), instruments, Frontend::not_built());
    let app = app!(state);
    let reply = send!(app, TestRequest::get().uri("/api/health"));
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(reply.error(), "store_unavailable");

    // The same holds for any route that needs the store: JSON, never a bare 500 page.
    let reply = send!(app, TestRequest::get().uri("/api/child/params/ACEF"));
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(reply.error(), "store_unavailable");
}
