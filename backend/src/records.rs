//! What the server keeps, record by record. Nothing here can open an answer: the
//! organisation's key is public, the login verifier is an HMAC under a secret that is not in
//! the database, and the answers are sealed before they arrive.

use beratta_core::api::{Bytes, QuestionnaireRef, SealedAnswers};
use beratta_core::login::KdfParams;
use serde::{Deserialize, Serialize};

/// An organisation that invites children. Its secret key lives only with its staff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    /// The X25519 public key every child's data key is sealed to.
    pub public_key: Bytes,
    pub created_unix: u64,
}

/// One invitation of one child to one questionnaire, and the sealed answers given to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    /// Random and unguessable; it also goes into the answers' associated data.
    pub id: String,
    pub organisation: String,
    /// The public first part of the child's code, unique among invitations.
    pub lookup: String,
    pub questionnaire: QuestionnaireRef,
    /// The Argon2id salt and cost the browser needs to derive the login proof.
    pub salt: Bytes,
    pub kdf: KdfParams,
    /// `ServerSecret::login_verifier(proof)`: useless without the server secret.
    pub verifier: Bytes,
    pub created_unix: u64,
    /// Wrong codes tried against this invitation; at the limit the code stops working.
    pub failed_logins: u32,
    pub sealed: Option<SealedAnswers>,
}

/// A logged-in child's session, stored under the SHA-256 of its token so that a copy of
/// the database holds no usable token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildSession {
    pub assessment: String,
    /// Handed to the browser at login and on every session check, so a reload can resume
    /// without the code; it dies with the session.
    pub resume_key: Bytes,
    pub created_unix: u64,
    pub last_seen_unix: u64,
}

/// Failed logins counted in a fixed time window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailureWindow {
    pub window_start_unix: u64,
    pub count: u32,
}

impl FailureWindow {
    pub fn has_ended(&self, now: u64, window_secs: u64) -> bool {
        now.saturating_sub(self.window_start_unix) >= window_secs
    }

    /// Seconds until the window ends, for a `Retry-After` header.
    pub fn remaining(&self, now: u64, window_secs: u64) -> u64 {
        (self.window_start_unix.saturating_add(window_secs)).saturating_sub(now)
    }
}
