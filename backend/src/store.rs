//! The storage interface and its sled implementation.
//!
//! [`Store`] names the operations the server needs, each atomic on its own, so that a
//! clustered database can implement it later without the routes changing. Every
//! read-modify-write (a failure counter, a save) is one atomic step here, never a read in a
//! handler followed by a write, because several workers and several requests for the same
//! invitation run at once.

use crate::records::{Assessment, ChildSession, FailureWindow, Organisation};
use beratta_core::api::SealedAnswers;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sled::transaction::{ConflictableTransactionError, TransactionError, Transactional};
use std::future::Future;
use std::path::Path;
use std::pin::Pin;

/// The SHA-256 of a session token: the only form in which a token is stored.
pub type SessionKey = [u8; 32];

/// A store operation that finishes later; see [`Store::save_answers`].
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + 'a>>;

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
}

/// A failed-login counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoginCounter<'a> {
    /// One client network (see `routes::child::client_key`).
    Client(&'a str),
    /// A lookup that belongs to no invitation. It is counted and locked like a real one so
    /// that locking does not reveal which lookups exist.
    UnknownLookup(&'a str),
}

impl LoginCounter<'_> {
    fn key(&self) -> Vec<u8> {
        match self {
            LoginCounter::Client(c) => [b"client:".as_slice(), c.as_bytes()].concat(),
            LoginCounter::UnknownLookup(l) => [b"lookup:".as_slice(), l.as_bytes()].concat(),
        }
    }
}

/// What came of a save.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveOutcome {
    /// Stored and on disk.
    Saved,
    /// The counter was not the next one; nothing changed.
    Stale,
    /// The assessment no longer exists.
    NoAssessment,
}

/// How long things live, for [`Store::sweep`].
#[derive(Clone, Copy, Debug)]
pub struct Expiry {
    pub session_idle_secs: u64,
    pub session_max_secs: u64,
    pub client_window_secs: u64,
}

/// The server's storage. Implementations must make each method atomic on its own.
pub trait Store: Send + Sync {
    /// Reads something real, so that a health check fails when the storage does.
    fn check(&self) -> Result<(), StoreError>;

    fn organisation(&self, id: &str) -> Result<Option<Organisation>, StoreError>;
    /// Stores `org` unless one with its id exists; says whether it was stored.
    fn insert_organisation(&self, org: &Organisation) -> Result<bool, StoreError>;

    /// Stores `assessment` unless its lookup or id is taken; says whether it was stored.
    fn insert_assessment(&self, assessment: &Assessment) -> Result<bool, StoreError>;
    fn assessment(&self, id: &str) -> Result<Option<Assessment>, StoreError>;
    fn assessment_by_lookup(&self, lookup: &str) -> Result<Option<Assessment>, StoreError>;
    /// Counts one wrong code against an assessment; returns the new count.
    fn record_failed_login(&self, assessment: &str) -> Result<u32, StoreError>;
    /// Forgets earlier wrong codes after a correct one.
    fn clear_failed_logins(&self, assessment: &str) -> Result<(), StoreError>;

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

    fn put_session(&self, key: &SessionKey, session: &ChildSession) -> Result<(), StoreError>;
    fn session(&self, key: &SessionKey) -> Result<Option<ChildSession>, StoreError>;
    /// Marks a session as used at `now`, only if it still exists, so that a check racing a
    /// logout cannot bring the session back.
    fn touch_session(&self, key: &SessionKey, now: u64) -> Result<Option<ChildSession>, StoreError>;
    fn delete_session(&self, key: &SessionKey) -> Result<(), StoreError>;

    /// Stores `sealed` if its counter is the stored one plus one (or 1 when nothing is
    /// stored), and resolves only once the save is durable: an acknowledged save must
    /// survive the process being killed.
    fn save_answers<'a>(&'a self, assessment: &'a str, sealed: SealedAnswers) -> StoreFuture<'a, SaveOutcome>;

    /// Removes expired sessions and ended client windows; returns how many went.
    fn sweep(&self, now: u64, expiry: &Expiry) -> Result<usize, StoreError>;

    /// Makes everything written so far durable.
    fn flush(&self) -> Result<(), StoreError>;
}

/// The schema written into a new database and checked on every open.
const SCHEMA: &[u8] = b"beratta/1";

/// [`Store`] on an embedded sled database: one folder, no server.
#[derive(Clone)]
pub struct SledStore {
    db: sled::Db,
    meta: sled::Tree,
    organisations: sled::Tree,
    assessments: sled::Tree,
    lookups: sled::Tree,
    sessions: sled::Tree,
    login_failures: sled::Tree,
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
            organisations: db.open_tree("organisations")?,
            assessments: db.open_tree("assessments")?,
            lookups: db.open_tree("lookups")?,
            sessions: db.open_tree("sessions")?,
            login_failures: db.open_tree("login_failures")?,
            meta,
            db,
        })
    }

    /// Applies `change` to the assessment `id` atomically; `None` if it does not exist.
    fn update_assessment(&self, id: &str, change: impl Fn(&mut Assessment)) -> Result<Option<Assessment>, StoreError> {
        loop {
            let Some(old) = self.assessments.get(id)? else { return Ok(None) };
            let mut assessment: Assessment = decode("assessment", &old)?;
            change(&mut assessment);
            let new = encode(&assessment)?;
            // A concurrent write (another failure, a save) makes the swap fail; then the
            // change is applied again to what is there now.
            if self.assessments.compare_and_swap(id, Some(old), Some(new))?.is_ok() {
                return Ok(Some(assessment));
            }
        }
    }
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

    fn insert_assessment(&self, assessment: &Assessment) -> Result<bool, StoreError> {
        let bytes = encode(assessment)?;
        // The lookup index and the record are written in one transaction, so a crash never
        // leaves a lookup pointing at nothing.
        let result = (&self.lookups, &self.assessments).transaction(|(lookups, assessments)| {
            if lookups.get(assessment.lookup.as_bytes())?.is_some()
                || assessments.get(assessment.id.as_bytes())?.is_some()
            {
                return Ok(false);
            }
            lookups.insert(assessment.lookup.as_bytes(), assessment.id.as_bytes())?;
            assessments.insert(assessment.id.as_bytes(), bytes.as_slice())?;
            Ok::<bool, ConflictableTransactionError<()>>(true)
        });
        match result {
            Ok(inserted) => Ok(inserted),
            Err(TransactionError::Storage(e)) => Err(e.into()),
            Err(TransactionError::Abort(())) => Ok(false),
        }
    }

    fn assessment(&self, id: &str) -> Result<Option<Assessment>, StoreError> {
        self.assessments.get(id)?.map(|v| decode("assessment", &v)).transpose()
    }

    fn assessment_by_lookup(&self, lookup: &str) -> Result<Option<Assessment>, StoreError> {
        let Some(id) = self.lookups.get(lookup)? else { return Ok(None) };
        self.assessments.get(id)?.map(|v| decode("assessment", &v)).transpose()
    }

    fn record_failed_login(&self, assessment: &str) -> Result<u32, StoreError> {
        let updated = self.update_assessment(assessment, |a| a.failed_logins = a.failed_logins.saturating_add(1))?;
        Ok(updated.map(|a| a.failed_logins).unwrap_or(0))
    }

    fn clear_failed_logins(&self, assessment: &str) -> Result<(), StoreError> {
        self.update_assessment(assessment, |a| a.failed_logins = 0)?;
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

    fn save_answers<'a>(&'a self, assessment: &'a str, sealed: SealedAnswers) -> StoreFuture<'a, SaveOutcome> {
        Box::pin(async move {
            loop {
                let Some(old) = self.assessments.get(assessment)? else { return Ok(SaveOutcome::NoAssessment) };
                let mut record: Assessment = decode("assessment", &old)?;
                let expected = record.sealed.as_ref().map_or(0, |s| s.counter).saturating_add(1);
                if sealed.counter != expected {
                    return Ok(SaveOutcome::Stale);
                }
                record.sealed = Some(sealed.clone());
                if self.assessments.compare_and_swap(assessment, Some(old), Some(encode(&record)?))?.is_ok() {
                    break;
                }
            }
            // The save is acknowledged only after this returns, so what the child was told
            // is saved is on disk even if the process dies the next instant.
            self.db.flush_async().await?;
            Ok(SaveOutcome::Saved)
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
        for entry in self.login_failures.scan_prefix(b"client:") {
            let (key, value) = entry?;
            let ended = decode::<FailureWindow>("login failure", &value)
                .map(|w| w.has_ended(now, expiry.client_window_secs))
                .unwrap_or(true);
            if ended && self.login_failures.compare_and_swap(&key, Some(&value), None as Option<&[u8]>)?.is_ok() {
                removed += 1;
            }
        }
        Ok(removed)
    }

    fn flush(&self) -> Result<(), StoreError> {
        self.db.flush()?;
        Ok(())
    }
}
