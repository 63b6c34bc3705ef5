//! What the server keeps, record by record. Nothing here can open an answer: the
//! organisation's key is public, login verifiers are HMACs under a secret that is not in
//! the database, the organisation's secret key is stored only wrapped under keys that never
//! reach the server, and answers, notes and help status are sealed before they arrive.

use beratta_core::api::{
    AssessmentRecord, Bytes, PersonalKey, QuestionnaireRef, Role, RoundMode, RoundProgress, SealedAnswers, SealedHelp,
    StaffMember, StatisticsKeyCopy,
};
use beratta_core::login::KdfParams;
use serde::{Deserialize, Serialize};

/// An organisation that invites children. Its secret key lives only with its staff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    /// The X25519 public key every child's data key is sealed to. `None` until the first
    /// administrator's browser has made the key pair (`POST /api/setup/{token}`); until
    /// then no child can be invited.
    pub public_key: Option<Bytes>,
    /// The secret key wrapped under the printable recovery key, from the set-up.
    #[serde(default)]
    pub recovery_wrapped_org_key: Option<Bytes>,
    /// `ServerSecret::login_verifier` of the recovery proof (`RecoveryKey::proof`), from
    /// the set-up: checks a recovery without holding anything that opens the recovery copy.
    /// `None` for organisations set up before recovery existed; they cannot recover online.
    #[serde(default)]
    pub recovery_verifier: Option<Bytes>,
    /// The X25519 public key every statistics record is sealed to (`statistics`). Its
    /// secret half is made in an administrator's browser and wrapped per holder:
    /// administrators, analysts granted it, the recovery key; never the server. `None` for
    /// an organisation whose administrators have not made it yet: until then children's
    /// saves carry no statistics record.
    #[serde(default)]
    pub statistics_public_key: Option<Bytes>,
    /// The statistics secret key wrapped under the printable recovery key, from a set-up
    /// that made it. Organisations that got their statistics key after set-up have none.
    #[serde(default)]
    pub recovery_wrapped_statistics_key: Option<Bytes>,
    pub created_unix: u64,
}

/// An invitation made before expiry existed never expires.
fn never() -> u64 {
    u64::MAX
}

/// One invitation of one child to one questionnaire, and the sealed answers given to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    /// Random and unguessable; it also goes into the answers' associated data.
    pub id: String,
    pub organisation: String,
    /// The public first part of the child's code, unique among live invitations.
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
    /// The staff member who made the invitation (`None` for invitations made by the
    /// `demo` command without staff: nobody reads those).
    #[serde(default)]
    pub invited_by: Option<String>,
    /// The unit the invitation is shared with, whose staff may read it too.
    #[serde(default)]
    pub unit: Option<String>,
    /// From this moment the code no longer logs in.
    #[serde(default = "never")]
    pub expires_unix: u64,
    /// A revoked code no longer logs in, and a child's open session ends.
    #[serde(default)]
    pub revoked: bool,
    /// The child's name or a note, sealed to the organisation by the inviting browser.
    #[serde(default)]
    pub sealed_note: Bytes,
    /// The help loop's status, sealed under the assessment's data key.
    #[serde(default)]
    pub help: Option<SealedHelp>,
    /// The round the child was invited into, if any, and its mode then (a round's mode
    /// never changes). In an anonymous round nothing is sealed to the organisation.
    #[serde(default)]
    pub round: Option<AssessmentRound>,
    /// What the newest save said in the clear for the round's page (`RoundProgress`).
    #[serde(default)]
    pub progress: Option<RoundProgress>,
}

/// The round an assessment belongs to, copied from the round when the child is invited,
/// so that a save needs no second read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentRound {
    pub round: String,
    pub unit: Option<String>,
    pub mode: RoundMode,
}

impl AssessmentRound {
    pub fn is_anonymous(&self) -> bool {
        self.mode == RoundMode::Anonymous
    }
}

impl Assessment {
    /// Whether the assessment is in an anonymous round: no adult can open it.
    pub fn is_anonymous(&self) -> bool {
        self.round.as_ref().is_some_and(AssessmentRound::is_anonymous)
    }

    /// Whether the code still logs in at `now`.
    pub fn is_live(&self, now: u64) -> bool {
        !self.revoked && now < self.expires_unix
    }

    /// What staff see: with the sealed answers and help status only when `with_child_data`
    /// (the audited per-assessment view), without them in lists.
    pub fn record(&self, with_child_data: bool) -> AssessmentRecord {
        AssessmentRecord {
            assessment: self.id.clone(),
            organisation: self.organisation.clone(),
            lookup: self.lookup.clone(),
            questionnaire: self.questionnaire.clone(),
            invited_by: self.invited_by.clone().unwrap_or_default(),
            unit: self.unit.clone(),
            created_unix: self.created_unix,
            expires_unix: self.expires_unix,
            revoked: self.revoked,
            sealed_note: self.sealed_note.clone(),
            sealed: if with_child_data { self.sealed.clone() } else { None },
            help: if with_child_data { self.help.clone() } else { None },
        }
    }
}

/// A lookup the server drew and holds for one staff member's next invitation, stored under
/// the lookup. Nobody else is handed it and nobody else may invite with it until it
/// expires or the holder's invitation uses it up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookupReservation {
    pub staff_id: String,
    pub expires_unix: u64,
}

impl LookupReservation {
    pub fn is_held(&self, now: u64) -> bool {
        now < self.expires_unix
    }
}

/// One staff member's reserved lookups and how many they have drawn in the current
/// window, stored under the staff id, so that both limits are checked in the same step as
/// a reservation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffLookups {
    /// Reserved lookups with their expiry; an expired one counts for nothing.
    pub held: Vec<(String, u64)>,
    pub window_start_unix: u64,
    /// Lookups drawn since `window_start_unix`.
    pub drawn: u32,
}

impl StaffLookups {
    /// Forgets reservations that have expired at `now`, and the count of a window that
    /// has ended.
    pub fn at(mut self, now: u64, window_secs: u64) -> StaffLookups {
        self.held.retain(|(_, expires)| now < *expires);
        if now.saturating_sub(self.window_start_unix) >= window_secs {
            self.window_start_unix = now;
            self.drawn = 0;
        }
        self
    }

    /// Whether nothing is held and the window's count has run out, so the record can go.
    pub fn is_spent(&self, now: u64, window_secs: u64) -> bool {
        self.held.iter().all(|(_, expires)| now >= *expires)
            && now.saturating_sub(self.window_start_unix) >= window_secs
    }
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

/// What the server keeps of a staff password: the browser's salt and cost, a keyed hash of
/// the login proof, and the organisation key wrapped under the password's wrap key (which
/// the server never sees).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordRecord {
    pub salt: Bytes,
    pub kdf: KdfParams,
    /// `ServerSecret::login_verifier(proof)`.
    pub verifier: Bytes,
    /// The organisation key under the password's wrap key. `None` for an analyst: the
    /// server drops it when an account becomes an analyst, and at start-up for analysts who
    /// still have one from before analysts held no organisation key.
    pub wrapped_org_key: Option<Bytes>,
    /// The statistics key under the password's wrap key, for an administrator who made it
    /// (set-up, or the first login after the upgrade) or recovered with the recovery key.
    #[serde(default)]
    pub wrapped_statistics_key: Option<Bytes>,
    /// This person's key pair for grants, its secret half under the password's wrap key.
    /// Goes with the password record: after a recovery the browser makes a new one.
    #[serde(default)]
    pub personal_key: Option<PersonalKey>,
}

/// A staff member who has been added but has not chosen a password yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingEnrolment {
    /// SHA-256 of the enrolment token; the token itself is only in the link.
    pub token_hash: Bytes,
    /// The organisation key wrapped under the enrolment key, which travels only in the
    /// link's fragment; `None` for an analyst.
    pub wrapped_org_key: Option<Bytes>,
    pub expires_unix: u64,
}

/// A staff account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffAccount {
    pub id: String,
    pub organisation: String,
    /// Lower case; unique across the server, because login names no organisation.
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit: Option<String>,
    pub disabled: bool,
    /// `None` until the person has chosen a password (enrolment or set-up).
    pub password: Option<PasswordRecord>,
    pub enrolment: Option<PendingEnrolment>,
    /// The statistics key sealed by an administrator's browser to this person's personal
    /// public key (`staff::grant_statistics_key`); `None` if not granted or revoked.
    #[serde(default)]
    pub statistics_grant: Option<Bytes>,
    pub created_unix: u64,
}

impl StaffAccount {
    /// The account as administrators see it.
    pub fn member(&self) -> StaffMember {
        StaffMember {
            staff_id: self.id.clone(),
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            unit: self.unit.clone(),
            disabled: self.disabled,
            enrolling: self.password.is_none(),
            personal_public_key: self
                .password
                .as_ref()
                .and_then(|p| p.personal_key.as_ref())
                .map(|k| k.public_key.clone()),
            holds_statistics_key: !matches!(self.statistics_copy(), StatisticsKeyCopy::None),
        }
    }

    /// This person's copy of the statistics key: the one wrapped under their password if
    /// they have it, else a grant.
    pub fn statistics_copy(&self) -> StatisticsKeyCopy {
        let wrapped = self.password.as_ref().and_then(|p| p.wrapped_statistics_key.clone());
        match (wrapped, &self.statistics_grant) {
            (Some(wrapped), _) => StatisticsKeyCopy::Password(wrapped),
            (None, Some(sealed)) => StatisticsKeyCopy::Granted(sealed.clone()),
            (None, None) => StatisticsKeyCopy::None,
        }
    }

    /// Takes away every key an analyst must not hold: analysts hold no key that opens a
    /// child. Says whether anything was taken.
    pub fn drop_organisation_key(&mut self) -> bool {
        let mut dropped = false;
        if let Some(password) = &mut self.password {
            dropped |= password.wrapped_org_key.take().is_some();
        }
        if let Some(enrolment) = &mut self.enrolment {
            dropped |= enrolment.wrapped_org_key.take().is_some();
        }
        dropped
    }

    /// Takes away this person's copies of the statistics key.
    pub fn drop_statistics_key(&mut self) {
        self.statistics_grant = None;
        if let Some(password) = &mut self.password {
            password.wrapped_statistics_key = None;
        }
    }
}

/// The one-time link `create-org` prints, by which the first administrator makes the
/// organisation's key pair and chooses a password. Stored under the SHA-256 of its token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupToken {
    pub organisation: String,
    /// The pending administrator's account.
    pub staff_id: String,
    pub expires_unix: u64,
}

/// A logged-in staff member's session, stored under the SHA-256 of its token. The role is
/// not kept here: it is read from the account on every request, so a change takes effect
/// at once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffSessionRecord {
    pub staff_id: String,
    pub organisation: String,
    pub created_unix: u64,
    pub last_seen_unix: u64,
    /// 32 random bytes made at login and handed to the browser with the session, which
    /// keeps the organisation key wrapped under it; deleted with the session.
    #[serde(default)]
    pub session_key: Bytes,
}
