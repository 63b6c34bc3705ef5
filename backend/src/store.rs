//! The storage interface and its sled implementation.
//!
//! [`Store`] names the operations the server needs, each atomic on its own, so that a
//! clustered database can implement it later without the routes changing. Every
//! read-modify-write (a failure counter, a save) is one atomic step here, never a read in a
//! handler followed by a write, because several workers and several requests for the same
//! invitation run at once. The staff side ([`StaffStore`]) and the audit log
//! ([`AuditStore`]) are parts of the same interface, in their own files.
//!
//! Lookups are handed out by the server: [`Store::reserve_lookups`] picks free ones and
//! holds them for one staff member, and [`Store::insert_assessments`] takes a staff
//! member's batch only with lookups held for them, using the reservations up in the same
//! transaction. So nobody can ask whether a lookup is in use by trying it.

mod audit;
mod backup;
mod durable;
mod keys;
mod kiosks;
mod needs;
mod rounds;
mod staff;
mod statistics;

pub use audit::{AuditFault, AuditStore};
pub use backup::{restore_backup, verify_backup, BackupSummary};
pub use kiosks::KioskStore;
pub use needs::NeedsStore;
pub use rounds::{Closing, RoundCounts, RoundStore};
pub use staff::{CreateOrganisation, SetupCompletion, SetupOutcome, StaffStore, StatisticsKeyOutcome};
pub use statistics::{statistics_key, StatisticsStore};

use crate::records::{Assessment, ChildSession, FailureWindow, LookupReservation, Organisation, StaffLookups};
use beratta_core::api::{RoundProgress, SealedAnswers, SealedHelp};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sled::transaction::{ConflictableTransactionError, TransactionError, Transactional};
use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;

/// The SHA-256 of a session token: the only form in which a token is stored.
pub type SessionKey = [u8; 32];

/// A wait until writes are on disk; see [`Store::durable`]. It is `Send`, so that a
/// handler can take it out of blocking work and await it on its worker.
#[must_use = "a write is acknowledged only after its durability has been awaited"]
pub struct Durable(Pin<Box<dyn Future<Output = Result<(), StoreError>> + Send>>);

impl Durable {
    pub fn new(wait: impl Future<Output = Result<(), StoreError>> + Send + 'static) -> Durable {
        Durable(Box::pin(wait))
    }

    /// Resolves once everything written before the [`Store::durable`] call that made this
    /// is on disk.
    pub async fn wait(self) -> Result<(), StoreError> {
        self.0.await
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database failed: {0}")]
    Database(#[from] sled::Error),
    /// A stored record does not read back as what was written; its key is left out because
    /// some keys are derived from secrets.
    #[error("a stored {what} record cannot be read: {reason}")]
    Corrupt { what: &'static str, reason: String },
    #[error("the database is not a Berätta database of this version: {0}")]
    WrongSchema(String),
    /// Writes could not be made durable (a flush or sync failed); nothing may be
    /// acknowledged.
    #[error("writes could not be made durable: {0}")]
    Durability(String),
    /// A backup could not be written, or a file given as one is not a whole backup.
    #[error("backup: {0}")]
    Backup(String),
}

/// A failed-login counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoginCounter<'a> {
    /// One client network's wrong child codes (see `routes::child::client_key`).
    Client(&'a str),
    /// A lookup that belongs to no invitation. It is counted and locked like a real one so
    /// that locking does not reveal which lookups exist.
    UnknownLookup(&'a str),
    /// One client network's wrong staff passwords. Counted apart from children's codes, so
    /// that a class mistyping codes behind one school address does not lock out its staff.
    StaffClient(&'a str),
    /// One username's wrong passwords, whether or not the username exists, so that the
    /// lock does not reveal which usernames exist.
    StaffUsername(&'a str),
    /// One username's wrong recovery keys, whether or not the username exists.
    Recovery(&'a str),
    /// "Start"s on one kiosk (its id): not failures, but counted in a window the same way,
    /// so that a kiosk cannot make assessments faster than young people can answer them.
    KioskStart(&'a str),
}

/// Key prefixes of the counters whose windows end, so that a sweep may remove them.
const WINDOWED_COUNTERS: [&[u8]; 5] = [b"client:", b"staff-client:", b"staff-user:", b"recovery:", b"kiosk-start:"];

impl LoginCounter<'_> {
    fn key(&self) -> Vec<u8> {
        let (prefix, name): (&[u8], &str) = match self {
            LoginCounter::Client(c) => (b"client:", c),
            LoginCounter::UnknownLookup(l) => (b"lookup:", l),
            LoginCounter::StaffClient(c) => (b"staff-client:", c),
            LoginCounter::StaffUsername(u) => (b"staff-user:", u),
            LoginCounter::Recovery(u) => (b"recovery:", u),
            LoginCounter::KioskStart(k) => (b"kiosk-start:", k),
        };
        [prefix, name.as_bytes()].concat()
    }
}

/// How the lookups of a batch of invitations were come by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LookupClaim<'a> {
    /// Each lookup is reserved for this staff member ([`Store::reserve_lookups`]); the
    /// reservations are used up by the insert. How staff invite.
    ReservedBy(&'a str),
    /// Each lookup was drawn by the server itself and must be neither live nor reserved.
    /// How the `demo` command (and the tests' fixture) invite, with no staff browser.
    Free,
}

/// What came of inserting a batch of invitations: all of them, or none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InsertOutcome {
    Inserted,
    /// [`LookupClaim::ReservedBy`]: a lookup is not reserved for that staff member (never
    /// was, has expired, was used already, or is someone else's). Which of these is not
    /// said, so that the answer tells nothing about other organisations.
    NotReserved,
    /// [`LookupClaim::Free`]: a live invitation or a reservation has a lookup (or an
    /// earlier child of the same batch has it).
    LookupInUse,
    /// An assessment id is taken (with random ids, only by a broken generator).
    IdTaken,
}

/// The limits on reserving lookups; see `limits` for the numbers and why.
#[derive(Clone, Copy, Debug)]
pub struct ReservationRules {
    /// How long a reservation holds.
    pub hold_secs: u64,
    /// Reservations one staff member may hold at once.
    pub max_held: usize,
    /// Lookups one staff member may draw per window.
    pub max_drawn: u32,
    pub window_secs: u64,
}

/// What came of asking for lookups.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReserveOutcome {
    /// As many as asked for, each free and now held for the staff member until
    /// `expires_unix`.
    Reserved { lookups: Vec<String>, expires_unix: u64 },
    /// The staff member would hold or have drawn more than the rules allow; nothing was
    /// reserved. The soonest a request of the same size could succeed.
    TooMany { retry_after_secs: u64 },
    /// So few lookups are free that the draws ran out; nothing was reserved.
    NoneFree,
}

/// Draws tried per lookup asked for before giving up. A draw misses only a lookup in use,
/// so this fails only when about 99% of all lookups are taken.
const DRAWS_PER_LOOKUP: usize = 100;

/// What came of a save.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveOutcome {
    /// Stored and on disk.
    Saved,
    /// The counter was not the next one; nothing changed.
    Stale,
    /// The assessment no longer exists.
    NoAssessment,
    /// The save does not fit the assessment (a statistics record outside a round, anything
    /// sealed to the organisation in an anonymous round, nothing sealed to it in another);
    /// nothing changed.
    Misfit(&'static str),
}

/// A child's new code for the same assessment, as the staff browser made it: a reserved
/// lookup, the salt and cost, the verifier of the new proof, and the data key wrapped for
/// the new code when answers are stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeReplacement {
    pub lookup: String,
    pub salt: beratta_core::api::Bytes,
    pub kdf: beratta_core::login::KdfParams,
    pub verifier: beratta_core::api::Bytes,
    /// The save counter the browser made the new code against.
    pub counter: u64,
    pub child_wrapped_key: Option<beratta_core::api::Bytes>,
}

/// What came of giving a child a new code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplaceOutcome {
    /// The assessment as it now stands; the old code's sessions are gone too.
    Replaced(Box<Assessment>),
    /// The lookup is not reserved for this staff member (as for invitations).
    NotReserved,
    /// A save came in after the browser read the counter; nothing changed.
    Stale,
    /// A wrapped key came without stored answers, or stored answers without one.
    KeyMismatch,
    /// The assessment does not exist or is revoked.
    NoAssessment,
}

/// How long things live, for [`Store::sweep`].
#[derive(Clone, Copy, Debug)]
pub struct Expiry {
    pub session_idle_secs: u64,
    pub session_max_secs: u64,
    pub client_window_secs: u64,
    pub staff_lock_secs: u64,
    /// The window of [`ReservationRules::window_secs`]: a staff member's count of drawn
    /// lookups may go once it has ended and nothing is held.
    pub lookup_window_secs: u64,
}

/// The server's storage. Implementations must make each method atomic on its own.
pub trait Store:
    StaffStore + AuditStore + RoundStore + StatisticsStore + KioskStore + NeedsStore + Send + Sync
{
    /// Reads something real, so that a health check fails when the storage does.
    fn check(&self) -> Result<(), StoreError>;

    fn organisation(&self, id: &str) -> Result<Option<Organisation>, StoreError>;
    /// Stores `org` unless one with its id exists; says whether it was stored.
    fn insert_organisation(&self, org: &Organisation) -> Result<bool, StoreError>;

    /// Stores `assessment`, whose lookup the server drew itself ([`LookupClaim::Free`]),
    /// unless its lookup is live or reserved or its id is taken; says whether it was stored.
    fn insert_assessment(&self, assessment: &Assessment) -> Result<bool, StoreError> {
        Ok(self.insert_assessments(std::slice::from_ref(assessment), LookupClaim::Free)? == InsertOutcome::Inserted)
    }
    /// Stores every assessment of `batch` or none, each lookup claimed as `claim` says
    /// (checked at each assessment's creation time). A reserved lookup is used up in the
    /// same transaction. A lookup whose earlier invitation is no longer live names the new
    /// invitation from now on.
    fn insert_assessments(&self, batch: &[Assessment], claim: LookupClaim<'_>) -> Result<InsertOutcome, StoreError>;
    /// Reserves `count` lookups for `staff_id` until `now + hold_secs`, all or none, within
    /// the staff member's limits. Candidates come from `draw` (random lookups, in the
    /// server); one that a live invitation or a reservation of anyone has is passed over,
    /// so nobody is ever handed a lookup in use, in any organisation.
    fn reserve_lookups(
        &self,
        staff_id: &str,
        count: usize,
        draw: &dyn Fn() -> String,
        now: u64,
        rules: &ReservationRules,
    ) -> Result<ReserveOutcome, StoreError>;
    fn assessment(&self, id: &str) -> Result<Option<Assessment>, StoreError>;
    fn assessment_by_lookup(&self, lookup: &str) -> Result<Option<Assessment>, StoreError>;
    /// Every assessment of an organisation, in no particular order.
    fn assessments_of(&self, organisation: &str) -> Result<Vec<Assessment>, StoreError>;
    /// Marks an assessment revoked; `None` if it does not exist.
    fn revoke_assessment(&self, id: &str) -> Result<Option<Assessment>, StoreError>;
    /// Gives the assessment `id` a new code, in one transaction: the reserved lookup is used
    /// up and names the assessment, the old lookup no longer does, the new verifier, salt
    /// and cost replace the old ones, the count of wrong tries starts again, and the stored
    /// answers get the data key wrapped for the new code. Then every session of the
    /// assessment is ended. Answers stay as they are. Acknowledge only after
    /// [`Store::durable`].
    fn replace_code(
        &self,
        id: &str,
        replacement: &CodeReplacement,
        staff_id: &str,
        now: u64,
    ) -> Result<ReplaceOutcome, StoreError>;
    /// Stores the help status if its counter is the stored one plus one (or 1); like
    /// [`Store::save_answers`], it is acknowledged only after [`Store::durable`].
    fn save_help(&self, assessment: &str, help: SealedHelp) -> Result<SaveOutcome, StoreError>;
    /// Counts one try against an assessment's code as wrong; returns the new count.
    fn record_failed_login(&self, assessment: &str) -> Result<u32, StoreError>;
    /// Takes back one try counted by [`Store::record_failed_login`], for a try that turned
    /// out to be right. Earlier wrong tries stay counted: the limit is per code, over the
    /// code's whole life.
    fn forget_failed_login(&self, assessment: &str) -> Result<(), StoreError>;

    /// Counts one failure, starting a new window at `now` if the last one has ended, and
    /// returns the window as it now stands.
    fn record_login_failure(
        &self,
        counter: LoginCounter<'_>,
        now: u64,
        window_secs: u64,
    ) -> Result<FailureWindow, StoreError>;
    /// Takes back one failure counted by [`Store::record_login_failure`] in the current
    /// window, for an attempt that turned out to be right.
    fn forget_login_failure(&self, counter: LoginCounter<'_>, now: u64, window_secs: u64) -> Result<(), StoreError>;
    /// Forgets a counter altogether, after a right password.
    fn clear_login_failures(&self, counter: LoginCounter<'_>) -> Result<(), StoreError>;

    fn put_session(&self, key: &SessionKey, session: &ChildSession) -> Result<(), StoreError>;
    fn session(&self, key: &SessionKey) -> Result<Option<ChildSession>, StoreError>;
    /// Marks a session as used at `now`, only if it still exists, so that a check racing a
    /// logout cannot bring the session back.
    fn touch_session(&self, key: &SessionKey, now: u64) -> Result<Option<ChildSession>, StoreError>;
    fn delete_session(&self, key: &SessionKey) -> Result<(), StoreError>;

    /// Stores `sealed` if its counter is the stored one plus one (or 1 when nothing is
    /// stored), keeping the stored child-wrapped key (which only [`Store::replace_code`]
    /// changes); a revoked assessment answers `NoAssessment`. The save's statistics record
    /// replaces the assessment's earlier one only while its round is open: once the round
    /// is closed ([`RoundStore::close_round`]) its records are its frozen release, and a
    /// late save stores the answers and progress but no record. The save may be
    /// acknowledged only once [`Store::durable`], called after this returned, has
    /// resolved: an acknowledged save must survive a power cut.
    fn save_answers(&self, assessment: &str, sealed: SealedAnswers) -> Result<SaveOutcome, StoreError>;

    /// Removes expired child and staff sessions, ended client windows and expired lookup
    /// reservations; returns how many went.
    fn sweep(&self, now: u64, expiry: &Expiry) -> Result<usize, StoreError>;

    /// Makes everything written so far durable, blocking the calling thread: for commands
    /// and for work already off the async workers.
    fn flush(&self) -> Result<(), StoreError>;
    /// A wait until everything written before this call is durable, without blocking a
    /// thread: for a save before it is acknowledged, and for an audit record that must be
    /// on disk before the data it records leaves the server. Many waits share one flush.
    fn durable(&self) -> Durable;

    /// Writes a backup of every tree to `out` (see `store/backup.rs`). Consistent only
    /// while nothing writes: `AppState::backup` sees to that.
    fn backup(&self, out: &mut dyn std::io::Write) -> Result<BackupSummary, StoreError>;
    /// The database's size on disk, for `/metrics`.
    fn size_on_disk(&self) -> Result<u64, StoreError>;
    /// How many child and staff sessions are held (expired ones until the next sweep).
    fn session_counts(&self) -> Result<(usize, usize), StoreError>;
}

/// The schema written into a new database and checked on every open.
const SCHEMA: &[u8] = b"beratta/1";

/// [`Store`] on an embedded sled database: one folder, no server.
#[derive(Clone)]
pub struct SledStore {
    db: sled::Db,
    flusher: Arc<durable::Flusher>,
    meta: sled::Tree,
    organisations: sled::Tree,
    assessments: sled::Tree,
    lookups: sled::Tree,
    /// Reserved lookups: lookup → [`LookupReservation`].
    reservations: sled::Tree,
    /// Staff id → [`StaffLookups`].
    staff_lookups: sled::Tree,
    sessions: sled::Tree,
    login_failures: sled::Tree,
    staff: sled::Tree,
    usernames: sled::Tree,
    enrolments: sled::Tree,
    setup_tokens: sled::Tree,
    staff_sessions: sled::Tree,
    units: sled::Tree,
    audit: sled::Tree,
    /// Organisation ‖ round id → [`beratta_core::api::Round`] (see `rounds.rs`).
    rounds: sled::Tree,
    /// Organisation ‖ intervention id → [`beratta_core::api::Intervention`].
    interventions: sled::Tree,
    /// Organisation ‖ round ‖ assessment (each part length-prefixed, [`statistics_key`])
    /// → the newest sealed statistics record, written with the answers while the round is
    /// open; once it is closed, its records are its frozen release.
    statistics: sled::Tree,
    /// Organisation ‖ kiosk id → [`beratta_core::api::Kiosk`] (see `kiosks.rs`).
    kiosks: sled::Tree,
    /// Hashes of kiosks' registration and device tokens → the kiosk's key.
    kiosk_tokens: sled::Tree,
    /// Organisation → its resources register (see `needs.rs`).
    resources: sled::Tree,
    /// Organisation → the needs view's threshold and priorities.
    needs: sled::Tree,
}

impl SledStore {
    /// Opens (or creates) the database in `dir`. Fails if another process has it open.
    pub fn open(dir: &Path) -> Result<SledStore, StoreError> {
        let db = sled::Config::new().path(dir).open()?;
        let meta = db.open_tree("meta")?;
        match meta.compare_and_swap(b"schema", None as Option<&[u8]>, Some(SCHEMA))? {
            Ok(()) => {}
            Err(existing) => {
                let found = existing.current.map(|v| String::from_utf8_lossy(&v).into_owned()).unwrap_or_default();
                if found.as_bytes() != SCHEMA {
                    return Err(StoreError::WrongSchema(found));
                }
            }
        }
        Ok(SledStore {
            flusher: Arc::new(durable::Flusher::start(db.clone(), dir)?),
            organisations: db.open_tree("organisations")?,
            assessments: db.open_tree("assessments")?,
            lookups: db.open_tree("lookups")?,
            reservations: db.open_tree("reservations")?,
            staff_lookups: db.open_tree("staff_lookups")?,
            sessions: db.open_tree("sessions")?,
            login_failures: db.open_tree("login_failures")?,
            staff: db.open_tree("staff")?,
            usernames: db.open_tree("usernames")?,
            enrolments: db.open_tree("enrolments")?,
            setup_tokens: db.open_tree("setup_tokens")?,
            staff_sessions: db.open_tree("staff_sessions")?,
            units: db.open_tree("units")?,
            audit: db.open_tree(audit::AUDIT_TREE)?,
            rounds: db.open_tree("rounds")?,
            interventions: db.open_tree("interventions")?,
            statistics: db.open_tree("statistics")?,
            kiosks: db.open_tree("kiosks")?,
            kiosk_tokens: db.open_tree("kiosk_tokens")?,
            resources: db.open_tree("resources")?,
            needs: db.open_tree("needs")?,
            meta,
            db,
        })
    }

    /// Applies `change` to the assessment `id` atomically; `None` if it does not exist.
    /// A concurrent write (another failure, a save) makes the swap fail; then the change is
    /// applied again to what is there now.
    fn update_assessment(&self, id: &str, change: impl Fn(&mut Assessment)) -> Result<Option<Assessment>, StoreError> {
        update_record(&self.assessments, "assessment", id.as_bytes(), &change)
    }

    /// Stores `record` if its counter is the stored one plus one. `slot` picks which
    /// counter-guarded part of the assessment is saved (the answers have their own
    /// transaction, `Store::save_answers`, which also writes the statistics record).
    fn save_counted<T: Clone>(
        &self,
        assessment: &str,
        record: T,
        counter: u64,
        slot: impl Fn(&mut Assessment) -> &mut Option<T>,
        stored_counter: impl Fn(&T) -> u64,
    ) -> Result<SaveOutcome, StoreError> {
        loop {
            let Some(old) = self.assessments.get(assessment)? else { return Ok(SaveOutcome::NoAssessment) };
            let mut stored: Assessment = decode("assessment", &old)?;
            let expected = slot(&mut stored).as_ref().map_or(0, &stored_counter).saturating_add(1);
            if counter != expected {
                return Ok(SaveOutcome::Stale);
            }
            *slot(&mut stored) = Some(record.clone());
            if self.assessments.compare_and_swap(assessment, Some(old), Some(encode(&stored)?))?.is_ok() {
                return Ok(SaveOutcome::Saved);
            }
        }
    }
}

impl SledStore {
    /// Removes expired lookup reservations, and the per-staff records of them once
    /// nothing is held and the draw window has ended; returns how many reservations went.
    fn sweep_reservations(&self, now: u64, expiry: &Expiry) -> Result<usize, StoreError> {
        let mut removed = 0;
        for entry in self.reservations.iter() {
            let (key, value) = entry?;
            let expired = decode::<LookupReservation>("lookup reservation", &value).map_or(true, |r| !r.is_held(now));
            // Only if unchanged, so a reservation made meanwhile stays.
            if expired && self.reservations.compare_and_swap(&key, Some(&value), None as Option<&[u8]>)?.is_ok() {
                removed += 1;
            }
        }
        for entry in self.staff_lookups.iter() {
            let (key, value) = entry?;
            let spent = decode::<StaffLookups>("staff lookups", &value)
                .map_or(true, |s| s.is_spent(now, expiry.lookup_window_secs));
            if spent {
                // A reservation made meanwhile changes the record, and then it stays.
                let _ = self.staff_lookups.compare_and_swap(&key, Some(&value), None as Option<&[u8]>)?;
            }
        }
        Ok(removed)
    }
}

/// Why a save cannot be stored for `stored`, if it cannot: the server cannot look inside,
/// but it holds each save to what its round allows.
fn misfit(
    stored: &Assessment,
    sealed: &SealedAnswers,
    has_record: bool,
    progress: Option<RoundProgress>,
) -> Option<&'static str> {
    let anonymous = stored.is_anonymous();
    if anonymous && (!sealed.org_sealed_key.0.is_empty() || sealed.status.is_some()) {
        return Some("nothing in an anonymous round is sealed to the organisation");
    }
    if !anonymous && sealed.org_sealed_key.0.is_empty() {
        return Some("the data key must be sealed to the organisation");
    }
    if stored.round.is_none() && (has_record || progress.is_some()) {
        return Some("a statistics record or progress belongs to an assessment in a round");
    }
    if !anonymous && progress.is_some_and(|p| p.acute.is_some()) {
        return Some("only an anonymous round counts acute answers");
    }
    None
}

/// Applies `change` to the JSON record at `key` of `tree` atomically; `None` if there is none.
fn update_record<T: Serialize + DeserializeOwned>(
    tree: &sled::Tree,
    what: &'static str,
    key: &[u8],
    change: &dyn Fn(&mut T),
) -> Result<Option<T>, StoreError> {
    loop {
        let Some(old) = tree.get(key)? else { return Ok(None) };
        let mut record: T = decode(what, &old)?;
        change(&mut record);
        if tree.compare_and_swap(key, Some(old), Some(encode(&record)?))?.is_ok() {
            return Ok(Some(record));
        }
    }
}

/// Why a transaction was given up: a rule said no, or a record could not be read.
#[derive(Debug)]
enum Refusal<R> {
    Rule(R),
    Store(StoreError),
}

impl<R> From<StoreError> for ConflictableTransactionError<Refusal<R>> {
    fn from(e: StoreError) -> Self {
        ConflictableTransactionError::Abort(Refusal::Store(e))
    }
}

/// Runs a sled transaction whose closure may refuse with a rule `R`: `Ok(Ok(t))` when it
/// committed, `Ok(Err(rule))` when it was refused and changed nothing.
fn transact<T, R>(result: Result<T, TransactionError<Refusal<R>>>) -> Result<Result<T, R>, StoreError> {
    match result {
        Ok(t) => Ok(Ok(t)),
        Err(TransactionError::Abort(Refusal::Rule(r))) => Ok(Err(r)),
        Err(TransactionError::Abort(Refusal::Store(e))) => Err(e),
        Err(TransactionError::Storage(e)) => Err(e.into()),
    }
}

/// Refuses a transaction with a rule.
fn refuse<T, R>(rule: R) -> Result<T, ConflictableTransactionError<Refusal<R>>> {
    Err(ConflictableTransactionError::Abort(Refusal::Rule(rule)))
}

fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(value).map_err(|e| StoreError::Corrupt { what: "new", reason: e.to_string() })
}

fn decode<T: DeserializeOwned>(what: &'static str, bytes: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt { what, reason: e.to_string() })
}

impl Store for SledStore {
    fn check(&self) -> Result<(), StoreError> {
        match self.meta.get(b"schema")? {
            Some(v) if v.as_ref() == SCHEMA => Ok(()),
            other => Err(StoreError::WrongSchema(
                other.map(|v| String::from_utf8_lossy(&v).into_owned()).unwrap_or_default(),
            )),
        }
    }

    fn organisation(&self, id: &str) -> Result<Option<Organisation>, StoreError> {
        self.organisations.get(id)?.map(|v| decode("organisation", &v)).transpose()
    }

    fn insert_organisation(&self, org: &Organisation) -> Result<bool, StoreError> {
        let bytes = encode(org)?;
        Ok(self.organisations.compare_and_swap(&org.id, None as Option<&[u8]>, Some(bytes))?.is_ok())
    }

    fn insert_assessments(&self, batch: &[Assessment], claim: LookupClaim<'_>) -> Result<InsertOutcome, StoreError> {
        let encoded: Vec<Vec<u8>> = batch.iter().map(encode).collect::<Result<_, _>>()?;
        // The lookup index, the records and the reservations are written in one
        // transaction, so a crash never leaves a lookup pointing at nothing, a batch is
        // stored whole or not at all, and a reservation is used up exactly when its
        // invitation is stored.
        let trees = (&self.lookups, &self.assessments, &self.reservations, &self.staff_lookups);
        let result = trees.transaction(|(lookups, assessments, reservations, staff_lookups)| {
            let mut holder: Option<StaffLookups> = match claim {
                LookupClaim::ReservedBy(staff) => Some(match staff_lookups.get(staff.as_bytes())? {
                    Some(v) => decode("staff lookups", &v)?,
                    None => StaffLookups::default(),
                }),
                LookupClaim::Free => None,
            };
            for (assessment, bytes) in batch.iter().zip(&encoded) {
                let now = assessment.created_unix;
                let lookup = assessment.lookup.as_bytes();
                if assessments.get(assessment.id.as_bytes())?.is_some() {
                    return refuse(InsertOutcome::IdTaken);
                }
                // Reads inside the transaction see its own writes, so a lookup used twice
                // in one batch is caught here too.
                let live = match lookups.get(lookup)? {
                    Some(id) => match assessments.get(&id)? {
                        Some(v) => decode::<Assessment>("assessment", &v)?.is_live(now),
                        None => false,
                    },
                    None => false,
                };
                let reservation = match reservations.get(lookup)? {
                    Some(v) => Some(decode::<LookupReservation>("lookup reservation", &v)?),
                    None => None,
                };
                let reservation = reservation.filter(|r| r.is_held(now));
                match claim {
                    LookupClaim::ReservedBy(staff) => {
                        // Live should be impossible for a held reservation; if it were, it
                        // gets the same answer as every other lookup that is not yours.
                        let mine = reservation.is_some_and(|r| r.staff_id == staff);
                        if live || !mine {
                            return refuse(InsertOutcome::NotReserved);
                        }
                        reservations.remove(lookup)?;
                        if let Some(held) = holder.as_mut() {
                            held.held.retain(|(l, _)| l != &assessment.lookup);
                        }
                    }
                    LookupClaim::Free => {
                        if live || reservation.is_some() {
                            return refuse(InsertOutcome::LookupInUse);
                        }
                    }
                }
                lookups.insert(lookup, assessment.id.as_bytes())?;
                assessments.insert(assessment.id.as_bytes(), bytes.as_slice())?;
            }
            if let (LookupClaim::ReservedBy(staff), Some(held)) = (claim, &holder) {
                staff_lookups.insert(staff.as_bytes(), encode(held)?)?;
            }
            Ok(())
        });
        Ok(match transact(result)? {
            Ok(()) => InsertOutcome::Inserted,
            Err(outcome) => outcome,
        })
    }

    fn reserve_lookups(
        &self,
        staff_id: &str,
        count: usize,
        draw: &dyn Fn() -> String,
        now: u64,
        rules: &ReservationRules,
    ) -> Result<ReserveOutcome, StoreError> {
        let expires_unix = now.saturating_add(rules.hold_secs);
        let trees = (&self.lookups, &self.assessments, &self.reservations, &self.staff_lookups);
        let result = trees.transaction(|(lookups, assessments, reservations, staff_lookups)| {
            let mut mine = match staff_lookups.get(staff_id.as_bytes())? {
                Some(v) => decode::<StaffLookups>("staff lookups", &v)?,
                None => StaffLookups::default(),
            }
            .at(now, rules.window_secs);
            if mine.held.len().saturating_add(count) > rules.max_held {
                // Room comes as the oldest reservations expire (or are used).
                let mut expiries: Vec<u64> = mine.held.iter().map(|(_, e)| *e).collect();
                expiries.sort_unstable();
                let must_go = (mine.held.len() + count).saturating_sub(rules.max_held);
                let room_at = expiries.get(must_go.saturating_sub(1)).copied().unwrap_or(expires_unix);
                return refuse(ReserveOutcome::TooMany { retry_after_secs: room_at.saturating_sub(now).max(1) });
            }
            let drawn = u32::try_from(count).unwrap_or(u32::MAX);
            if mine.drawn.saturating_add(drawn) > rules.max_drawn {
                let window_ends = mine.window_start_unix.saturating_add(rules.window_secs);
                return refuse(ReserveOutcome::TooMany { retry_after_secs: window_ends.saturating_sub(now).max(1) });
            }
            let mut chosen: Vec<String> = Vec::with_capacity(count);
            let mut draws = 0;
            while chosen.len() < count {
                if draws >= count.saturating_mul(DRAWS_PER_LOOKUP) {
                    return refuse(ReserveOutcome::NoneFree);
                }
                draws += 1;
                let lookup = draw();
                // Each choice is written at once, so a lookup drawn twice in one request
                // is passed over the second time as reserved.
                let reserved = match reservations.get(lookup.as_bytes())? {
                    Some(v) => decode::<LookupReservation>("lookup reservation", &v)?.is_held(now),
                    None => false,
                };
                let live = !reserved
                    && match lookups.get(lookup.as_bytes())? {
                        Some(id) => match assessments.get(&id)? {
                            Some(v) => decode::<Assessment>("assessment", &v)?.is_live(now),
                            None => false,
                        },
                        None => false,
                    };
                if reserved || live {
                    continue;
                }
                let reservation = LookupReservation { staff_id: staff_id.to_string(), expires_unix };
                reservations.insert(lookup.as_bytes(), encode(&reservation)?)?;
                mine.held.push((lookup.clone(), expires_unix));
                chosen.push(lookup);
            }
            mine.drawn = mine.drawn.saturating_add(drawn);
            staff_lookups.insert(staff_id.as_bytes(), encode(&mine)?)?;
            Ok(chosen)
        });
        Ok(match transact(result)? {
            Ok(lookups) => ReserveOutcome::Reserved { lookups, expires_unix },
            Err(outcome) => outcome,
        })
    }

    fn assessment(&self, id: &str) -> Result<Option<Assessment>, StoreError> {
        self.assessments.get(id)?.map(|v| decode("assessment", &v)).transpose()
    }

    fn assessment_by_lookup(&self, lookup: &str) -> Result<Option<Assessment>, StoreError> {
        let Some(id) = self.lookups.get(lookup)? else { return Ok(None) };
        self.assessments.get(id)?.map(|v| decode("assessment", &v)).transpose()
    }

    fn assessments_of(&self, organisation: &str) -> Result<Vec<Assessment>, StoreError> {
        let mut out = Vec::new();
        for entry in self.assessments.iter() {
            let (_, value) = entry?;
            let assessment: Assessment = decode("assessment", &value)?;
            if assessment.organisation == organisation {
                out.push(assessment);
            }
        }
        Ok(out)
    }

    fn revoke_assessment(&self, id: &str) -> Result<Option<Assessment>, StoreError> {
        self.update_assessment(id, |a| a.revoked = true)
    }

    fn replace_code(
        &self,
        id: &str,
        replacement: &CodeReplacement,
        staff_id: &str,
        now: u64,
    ) -> Result<ReplaceOutcome, StoreError> {
        let trees = (&self.lookups, &self.assessments, &self.reservations, &self.staff_lookups);
        let result = trees.transaction(|(lookups, assessments, reservations, staff_lookups)| {
            let Some(bytes) = assessments.get(id.as_bytes())? else { return refuse(ReplaceOutcome::NoAssessment) };
            let mut assessment: Assessment = decode("assessment", &bytes)?;
            if assessment.revoked {
                return refuse(ReplaceOutcome::NoAssessment);
            }
            if assessment.sealed.as_ref().map_or(0, |s| s.counter) != replacement.counter {
                return refuse(ReplaceOutcome::Stale);
            }
            if assessment.sealed.is_some() != replacement.child_wrapped_key.is_some() {
                return refuse(ReplaceOutcome::KeyMismatch);
            }
            let lookup = replacement.lookup.as_bytes();
            let reservation = match reservations.get(lookup)? {
                Some(v) => Some(decode::<LookupReservation>("lookup reservation", &v)?),
                None => None,
            };
            if !reservation.is_some_and(|r| r.is_held(now) && r.staff_id == staff_id) {
                return refuse(ReplaceOutcome::NotReserved);
            }
            // A held reservation is never live (the server draws only free lookups), but a
            // live one would get the same answer as any lookup that is not yours.
            if let Some(other) = lookups.get(lookup)? {
                if let Some(v) = assessments.get(&other)? {
                    if decode::<Assessment>("assessment", &v)?.is_live(now) {
                        return refuse(ReplaceOutcome::NotReserved);
                    }
                }
            }
            reservations.remove(lookup)?;
            if let Some(v) = staff_lookups.get(staff_id.as_bytes())? {
                let mut held: StaffLookups = decode("staff lookups", &v)?;
                held.held.retain(|(l, _)| l != &replacement.lookup);
                staff_lookups.insert(staff_id.as_bytes(), encode(&held)?)?;
            }
            if lookups.get(assessment.lookup.as_bytes())?.is_some_and(|owner| owner.as_ref() == id.as_bytes()) {
                lookups.remove(assessment.lookup.as_bytes())?;
            }
            lookups.insert(lookup, id.as_bytes())?;
            assessment.lookup = replacement.lookup.clone();
            assessment.salt = replacement.salt.clone();
            assessment.kdf = replacement.kdf;
            assessment.verifier = replacement.verifier.clone();
            assessment.failed_logins = 0;
            if let (Some(sealed), Some(wrapped)) = (assessment.sealed.as_mut(), &replacement.child_wrapped_key) {
                sealed.child_wrapped_key = wrapped.clone();
            }
            assessments.insert(id.as_bytes(), encode(&assessment)?)?;
            Ok(assessment)
        });
        let assessment = match transact(result)? {
            Ok(assessment) => assessment,
            Err(outcome) => return Ok(outcome),
        };
        // After the transaction, so that no session of the old code outlives it: a login
        // with the old code that began before the transaction is refused by the new
        // verifier, or its session is found here.
        for entry in self.sessions.iter() {
            let (key, value) = entry?;
            let of_this = decode::<ChildSession>("session", &value).is_ok_and(|s| s.assessment == id);
            if of_this {
                self.sessions.remove(&key)?;
            }
        }
        Ok(ReplaceOutcome::Replaced(Box::new(assessment)))
    }

    fn save_help(&self, assessment: &str, help: SealedHelp) -> Result<SaveOutcome, StoreError> {
        let counter = help.counter;
        self.save_counted(assessment, help, counter, |a| &mut a.help, |h| h.counter)
    }

    fn record_failed_login(&self, assessment: &str) -> Result<u32, StoreError> {
        let updated = self.update_assessment(assessment, |a| a.failed_logins = a.failed_logins.saturating_add(1))?;
        Ok(updated.map(|a| a.failed_logins).unwrap_or(0))
    }

    fn forget_failed_login(&self, assessment: &str) -> Result<(), StoreError> {
        self.update_assessment(assessment, |a| a.failed_logins = a.failed_logins.saturating_sub(1))?;
        Ok(())
    }

    fn record_login_failure(
        &self,
        counter: LoginCounter<'_>,
        now: u64,
        window_secs: u64,
    ) -> Result<FailureWindow, StoreError> {
        let key = counter.key();
        loop {
            let old = self.login_failures.get(&key)?;
            let previous: Option<FailureWindow> = old.as_ref().map(|v| decode("login failure", v)).transpose()?;
            let next = match previous {
                Some(w) if !w.has_ended(now, window_secs) => FailureWindow { count: w.count.saturating_add(1), ..w },
                _ => FailureWindow { window_start_unix: now, count: 1 },
            };
            if self.login_failures.compare_and_swap(&key, old, Some(encode(&next)?))?.is_ok() {
                return Ok(next);
            }
        }
    }

    fn forget_login_failure(&self, counter: LoginCounter<'_>, now: u64, window_secs: u64) -> Result<(), StoreError> {
        let key = counter.key();
        loop {
            let Some(old) = self.login_failures.get(&key)? else { return Ok(()) };
            let window: FailureWindow = decode("login failure", &old)?;
            if window.has_ended(now, window_secs) || window.count == 0 {
                return Ok(());
            }
            let next = FailureWindow { count: window.count - 1, ..window };
            if self.login_failures.compare_and_swap(&key, Some(old), Some(encode(&next)?))?.is_ok() {
                return Ok(());
            }
        }
    }

    fn clear_login_failures(&self, counter: LoginCounter<'_>) -> Result<(), StoreError> {
        self.login_failures.remove(counter.key())?;
        Ok(())
    }

    fn put_session(&self, key: &SessionKey, session: &ChildSession) -> Result<(), StoreError> {
        self.sessions.insert(key, encode(session)?)?;
        Ok(())
    }

    fn session(&self, key: &SessionKey) -> Result<Option<ChildSession>, StoreError> {
        self.sessions.get(key)?.map(|v| decode("session", &v)).transpose()
    }

    fn touch_session(&self, key: &SessionKey, now: u64) -> Result<Option<ChildSession>, StoreError> {
        loop {
            let Some(old) = self.sessions.get(key)? else { return Ok(None) };
            let mut session: ChildSession = decode("session", &old)?;
            session.last_seen_unix = session.last_seen_unix.max(now);
            if self.sessions.compare_and_swap(key, Some(old), Some(encode(&session)?))?.is_ok() {
                return Ok(Some(session));
            }
        }
    }

    fn delete_session(&self, key: &SessionKey) -> Result<(), StoreError> {
        self.sessions.remove(key)?;
        Ok(())
    }

    fn save_answers(&self, assessment: &str, mut sealed: SealedAnswers) -> Result<SaveOutcome, StoreError> {
        let counter = sealed.counter;
        // The statistics record and the progress travel with the save but are not part of
        // the sealed answers: the record goes to its own tree, the progress beside them.
        let record = sealed.statistics.take();
        let progress = sealed.progress.take();
        let trees = (&self.assessments, &self.statistics, &self.rounds);
        let outcome = trees.transaction(|(assessments, statistics, rounds)| {
            let Some(old) = assessments.get(assessment)? else { return refuse(SaveOutcome::NoAssessment) };
            let mut stored: Assessment = decode("assessment", &old)?;
            if stored.revoked {
                return refuse(SaveOutcome::NoAssessment);
            }
            let expected = stored.sealed.as_ref().map_or(0, |s| s.counter).saturating_add(1);
            if counter != expected {
                return refuse(SaveOutcome::Stale);
            }
            if let Some(why) = misfit(&stored, &sealed, record.is_some(), progress) {
                return refuse(SaveOutcome::Misfit(why));
            }
            let mut next = sealed.clone();
            // The child's wrapped key is made once, at the first save, and replaced only
            // with a new code (`replace_code`). A save keeps the stored one, so that a save
            // from the old code's session that was already under way when the code was
            // replaced cannot put back a key only the old code opens.
            if let Some(previous) = &stored.sealed {
                next.child_wrapped_key = previous.child_wrapped_key.clone();
            }
            stored.sealed = Some(next);
            if progress.is_some() {
                stored.progress = progress;
            }
            assessments.insert(assessment.as_bytes(), encode(&stored)?)?;
            if let (Some(record), Some(round)) = (&record, &stored.round) {
                // Reading the round's key here is what serialises this save against a
                // close (`RoundStore::close_round`): a closed round's records are frozen.
                let closed = match rounds.get(rounds::round_key(&stored.organisation, &round.round))? {
                    Some(bytes) => decode::<beratta_core::api::Round>("round", &bytes)?.is_closed(),
                    None => false,
                };
                if !closed {
                    statistics
                        .insert(statistics_key(&stored.organisation, &round.round, assessment), record.0.as_slice())?;
                }
            }
            Ok(SaveOutcome::Saved)
        });
        Ok(match transact(outcome)? {
            Ok(outcome) | Err(outcome) => outcome,
        })
    }

    fn sweep(&self, now: u64, expiry: &Expiry) -> Result<usize, StoreError> {
        let mut removed = 0;
        for entry in self.sessions.iter() {
            let (key, value) = entry?;
            let expired = match decode::<ChildSession>("session", &value) {
                Ok(s) => {
                    now.saturating_sub(s.last_seen_unix) >= expiry.session_idle_secs
                        || now.saturating_sub(s.created_unix) >= expiry.session_max_secs
                }
                // An unreadable session can never be used, so it is as good as expired.
                Err(_) => true,
            };
            // Removing only if unchanged keeps a session that was used meanwhile.
            if expired && self.sessions.compare_and_swap(&key, Some(&value), None as Option<&[u8]>)?.is_ok() {
                removed += 1;
            }
        }
        removed += self.sweep_staff_sessions(now, expiry)?;
        removed += self.sweep_reservations(now, expiry)?;
        for prefix in WINDOWED_COUNTERS {
            let window_secs = if prefix == b"staff-user:" { expiry.staff_lock_secs } else { expiry.client_window_secs };
            for entry in self.login_failures.scan_prefix(prefix) {
                let (key, value) = entry?;
                let ended = decode::<FailureWindow>("login failure", &value)
                    .map(|w| w.has_ended(now, window_secs))
                    .unwrap_or(true);
                if ended && self.login_failures.compare_and_swap(&key, Some(&value), None as Option<&[u8]>)?.is_ok() {
                    removed += 1;
                }
            }
        }
        Ok(removed)
    }

    fn flush(&self) -> Result<(), StoreError> {
        self.flusher.flush_now()
    }

    fn durable(&self) -> Durable {
        Durable::new(self.flusher.enqueue().wait())
    }

    fn backup(&self, out: &mut dyn std::io::Write) -> Result<BackupSummary, StoreError> {
        self.write_backup(out)
    }

    fn size_on_disk(&self) -> Result<u64, StoreError> {
        Ok(self.db.size_on_disk()?)
    }

    fn session_counts(&self) -> Result<(usize, usize), StoreError> {
        Ok((self.sessions.len(), self.staff_sessions.len()))
    }
}
