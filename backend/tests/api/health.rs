//! `GET /api/health`: ok only after a real read of the store.

use crate::support::{app, send, Fixture, Reply};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use beratta_core::api::{
    Bytes, Health, Intervention, Kiosk, NeedsState, Resource, Round, SealedAnswers, SealedHelp, Unit,
};
use beratta_core::audit::{AuditEntry, AuditEvent};
use beratta_core::login::ServerSecret;
use beratta_server::frontend::Frontend;
use beratta_server::instruments::Instruments;
use beratta_server::records::{
    Assessment, ChildSession, FailureWindow, Organisation, PasswordRecord, SetupToken, StaffAccount, StaffSessionRecord,
};
use beratta_server::store::{
    AuditStore, BackupSummary, Closing, CreateOrganisation, Durable, Expiry, InsertOutcome, KioskStore, LoginCounter,
    LookupClaim, NeedsStore, ReservationRules, ReserveOutcome, RoundCounts, RoundStore, SaveOutcome, SessionKey,
    SetupCompletion, SetupOutcome, StaffStore, StatisticsKeyOutcome, StatisticsStore, Store, StoreError,
};
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
    fn insert_assessments(&self, _: &[Assessment], _: LookupClaim<'_>) -> Result<InsertOutcome, StoreError> {
        Err(gone())
    }
    fn reserve_lookups(
        &self,
        _: &str,
        _: usize,
        _: &dyn Fn() -> String,
        _: u64,
        _: &ReservationRules,
    ) -> Result<ReserveOutcome, StoreError> {
        Err(gone())
    }
    fn assessments_of(&self, _: &str) -> Result<Vec<Assessment>, StoreError> {
        Err(gone())
    }
    fn revoke_assessment(&self, _: &str) -> Result<Option<Assessment>, StoreError> {
        Err(gone())
    }
    fn save_help(&self, _: &str, _: SealedHelp) -> Result<SaveOutcome, StoreError> {
        Err(gone())
    }
    fn replace_code(
        &self,
        _: &str,
        _: &beratta_server::store::CodeReplacement,
        _: &str,
        _: u64,
    ) -> Result<beratta_server::store::ReplaceOutcome, StoreError> {
        Err(gone())
    }
    fn clear_login_failures(&self, _: LoginCounter<'_>) -> Result<(), StoreError> {
        Err(gone())
    }
    fn durable(&self) -> Durable {
        Durable::new(async { Err(gone()) })
    }
    fn backup(&self, _: &mut dyn std::io::Write) -> Result<BackupSummary, StoreError> {
        Err(gone())
    }
    fn size_on_disk(&self) -> Result<u64, StoreError> {
        Err(gone())
    }
    fn session_counts(&self) -> Result<(usize, usize), StoreError> {
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
    fn forget_failed_login(&self, _: &str) -> Result<(), StoreError> {
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
    fn save_answers(&self, _: &str, _: SealedAnswers) -> Result<SaveOutcome, StoreError> {
        Err(gone())
    }
    fn sweep(&self, _: u64, _: &Expiry) -> Result<usize, StoreError> {
        Err(gone())
    }
    fn flush(&self) -> Result<(), StoreError> {
        Err(gone())
    }
}

impl StaffStore for BrokenStore {
    fn create_organisation(
        &self,
        _: &Organisation,
        _: &StaffAccount,
        _: &[u8; 32],
        _: &SetupToken,
    ) -> Result<CreateOrganisation, StoreError> {
        Err(gone())
    }
    fn setup_token(&self, _: &[u8; 32], _: u64) -> Result<Option<SetupToken>, StoreError> {
        Err(gone())
    }
    fn complete_setup(&self, _: &[u8; 32], _: u64, _: &SetupCompletion) -> Result<SetupOutcome, StoreError> {
        Err(gone())
    }
    fn insert_staff(&self, _: &StaffAccount) -> Result<bool, StoreError> {
        Err(gone())
    }
    fn staff(&self, _: &str) -> Result<Option<StaffAccount>, StoreError> {
        Err(gone())
    }
    fn staff_by_username(&self, _: &str) -> Result<Option<StaffAccount>, StoreError> {
        Err(gone())
    }
    fn staff_of(&self, _: &str) -> Result<Vec<StaffAccount>, StoreError> {
        Err(gone())
    }
    fn update_staff(&self, _: &str, _: &dyn Fn(&mut StaffAccount)) -> Result<Option<StaffAccount>, StoreError> {
        Err(gone())
    }
    fn enrolling_staff(&self, _: &[u8; 32], _: u64) -> Result<Option<StaffAccount>, StoreError> {
        Err(gone())
    }
    fn complete_enrolment(&self, _: &[u8; 32], _: u64, _: &PasswordRecord) -> Result<Option<StaffAccount>, StoreError> {
        Err(gone())
    }
    fn put_staff_session(&self, _: &SessionKey, _: &StaffSessionRecord) -> Result<(), StoreError> {
        Err(gone())
    }
    fn staff_session(&self, _: &SessionKey) -> Result<Option<StaffSessionRecord>, StoreError> {
        Err(gone())
    }
    fn touch_staff_session(&self, _: &SessionKey, _: u64) -> Result<Option<StaffSessionRecord>, StoreError> {
        Err(gone())
    }
    fn delete_staff_session(&self, _: &SessionKey) -> Result<(), StoreError> {
        Err(gone())
    }
    fn end_staff_sessions(&self, _: &str) -> Result<usize, StoreError> {
        Err(gone())
    }
    fn insert_unit(&self, _: &str, _: &Unit) -> Result<(), StoreError> {
        Err(gone())
    }
    fn units(&self, _: &str) -> Result<Vec<Unit>, StoreError> {
        Err(gone())
    }
    fn set_statistics_key(&self, _: &str, _: &str, _: &Bytes, _: &Bytes) -> Result<StatisticsKeyOutcome, StoreError> {
        Err(gone())
    }
    fn drop_analyst_org_keys(&self) -> Result<usize, StoreError> {
        Err(gone())
    }
}

impl StatisticsStore for BrokenStore {
    fn set_statistics_public_key(&self, _: &str, _: &Bytes) -> Result<bool, StoreError> {
        Err(gone())
    }
    fn put_statistics_record(&self, _: &str, _: &str, _: &str, _: &[u8]) -> Result<(), StoreError> {
        Err(gone())
    }
    fn count_statistics_records(&self, _: &str, _: &str) -> Result<u64, StoreError> {
        Err(gone())
    }
    fn statistics_records(&self, _: &str, _: &str, _: &dyn Fn(&[u8]) -> bool) -> Result<Vec<Bytes>, StoreError> {
        Err(gone())
    }
}

impl AuditStore for BrokenStore {
    fn append_audit(&self, _: AuditEvent) -> Result<AuditEntry, StoreError> {
        Err(gone())
    }
    fn audit_entries(&self, _: &str, _: u64, _: usize) -> Result<Vec<AuditEntry>, StoreError> {
        Err(gone())
    }
}

impl KioskStore for BrokenStore {
    fn insert_kiosk(&self, _: &str, _: &Kiosk, _: &[u8; 32]) -> Result<bool, StoreError> {
        Err(gone())
    }
    fn kiosks(&self, _: &str) -> Result<Vec<Kiosk>, StoreError> {
        Err(gone())
    }
    fn register_kiosk(&self, _: &[u8; 32], _: &[u8; 32], _: u64) -> Result<Option<(String, Kiosk)>, StoreError> {
        Err(gone())
    }
    fn kiosk_by_device(&self, _: &[u8; 32]) -> Result<Option<(String, Kiosk)>, StoreError> {
        Err(gone())
    }
    fn revoke_kiosk(&self, _: &str, _: &str) -> Result<Option<Kiosk>, StoreError> {
        Err(gone())
    }
}

impl NeedsStore for BrokenStore {
    fn resources(&self, _: &str) -> Result<Vec<Resource>, StoreError> {
        Err(gone())
    }
    fn change_resources(
        &self,
        _: &str,
        _: &dyn Fn(&mut Vec<Resource>) -> bool,
    ) -> Result<Option<Vec<Resource>>, StoreError> {
        Err(gone())
    }
    fn needs(&self, _: &str) -> Result<NeedsState, StoreError> {
        Err(gone())
    }
    fn change_needs(&self, _: &str, _: &dyn Fn(&mut NeedsState)) -> Result<NeedsState, StoreError> {
        Err(gone())
    }
}

impl RoundStore for BrokenStore {
    fn insert_round(&self, _: &str, _: &Round) -> Result<bool, StoreError> {
        Err(gone())
    }
    fn round(&self, _: &str, _: &str) -> Result<Option<Round>, StoreError> {
        Err(gone())
    }
    fn rounds(&self, _: &str) -> Result<Vec<Round>, StoreError> {
        Err(gone())
    }
    fn close_round(&self, _: &str, _: &str, _: u64) -> Result<Closing, StoreError> {
        Err(gone())
    }
    fn open_rounds_ended_before(&self, _: &str) -> Result<Vec<(String, Round)>, StoreError> {
        Err(gone())
    }
    fn insert_intervention(&self, _: &str, _: &Intervention) -> Result<bool, StoreError> {
        Err(gone())
    }
    fn interventions(&self, _: &str) -> Result<Vec<Intervention>, StoreError> {
        Err(gone())
    }
    fn round_counts(&self, _: &str) -> Result<std::collections::BTreeMap<String, RoundCounts>, StoreError> {
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
    // And on the staff side, where the session is looked up first.
    let token = "A".repeat(43);
    let reply = send!(
        app,
        TestRequest::get().uri("/api/staff/me").insert_header(("cookie", format!("__Host-beratta-staff={token}")))
    );
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(reply.error(), "store_unavailable");
}
