//! The wire types of the HTTP API, shared by server and browser so they cannot drift.
//! Binary values travel as unpadded URL-safe base64 ([`Bytes`]).

pub use crate::bytes::Bytes;
use crate::catalogue::RawCatalogue;
use crate::login::KdfParams;
use crate::questionnaire::raw::RawQuestionnaire;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `GET /api/health`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    pub version: String,
}

/// `GET /api/questionnaires/{id}/{version}`: what a browser needs to run an instrument.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionnaireBundle {
    /// The factor catalogue as `questionnaires/factors.toml` holds it.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub catalogue: RawCatalogue,
    /// The instrument as its TOML file holds it, checked by the browser as by the server.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub questionnaire: RawQuestionnaire,
}

/// `GET /api/child/params/{lookup}`: how to derive the login proof. An unknown lookup
/// gets a made-up salt, so it cannot be told from a wrong code.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginParams {
    pub salt: Bytes,
    pub kdf: KdfParams,
}

/// `POST /api/child/login`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildLogin {
    pub lookup: String,
    pub proof: Bytes,
}

/// Which instrument an assessment is given with.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionnaireRef {
    pub id: String,
    pub version: u32,
}

impl QuestionnaireRef {
    pub fn reference(&self) -> String {
        format!("{}@{}", self.id, self.version)
    }
}

/// The sealed state of an assessment, exactly as stored; the server cannot open any of it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedAnswers {
    /// Goes up by one with every save.
    pub counter: u64,
    /// The answer set under the data key.
    pub blob: Bytes,
    /// The data key sealed to the organisation.
    pub org_sealed_key: Bytes,
    /// The data key wrapped under the child's code-derived key.
    pub child_wrapped_key: Bytes,
    /// The assessment's status for the list of children, sealed to the organisation and
    /// bound to this save (`status::seal_status`). Saves made before statuses existed have
    /// none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Bytes>,
    /// Travels with a save, never stored here: the assessment's `StatisticsRecord` sealed
    /// to the statistics key (`statistics::seal_record`), present when the assessment is in
    /// a round and the organisation has a statistics key. The server stores it apart, in
    /// the same transaction as the answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statistics: Option<Bytes>,
    /// Travels with a save of an assessment in a round, never stored here: what the
    /// round's page counts without opening anything (see [`RoundProgress`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<RoundProgress>,
}

/// What the server learns in the clear from a save in a round, so that the round's page
/// can count without any key: whether the child has finished, and, in anonymous rounds
/// only (where no adult can open a status), whether an answer is acute.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundProgress {
    pub finished: bool,
    /// `None` in identified rounds: there the acute flag is only in the sealed status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acute: Option<bool>,
}

/// What a logged-in child's browser gets: `POST /api/child/login` and
/// `GET /api/child/session`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildAssessment {
    pub assessment: String,
    pub organisation: String,
    pub org_public_key: Bytes,
    /// The organisation's statistics key, which each save's statistics record is sealed
    /// to; `None` while the organisation has none (then saves carry no record).
    #[serde(default)]
    pub statistics_public_key: Option<Bytes>,
    pub questionnaire: QuestionnaireRef,
    /// The server's share of the child's wrap key (see `login`).
    pub server_share: Bytes,
    /// Lives as long as this login session: the browser keeps the data key wrapped under
    /// it, so a reload resumes without the code and a logout leaves nothing usable behind.
    pub resume_key: Bytes,
    pub sealed: Option<SealedAnswers>,
    /// What staff have planned or done about the child's help wishes, if anything yet.
    #[serde(default)]
    pub help: Option<SealedHelp>,
    /// The round the assessment belongs to, if any: what the statistics record names.
    #[serde(default)]
    pub round: Option<ChildRound>,
}

/// What a child's browser knows of its round.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildRound {
    pub round: String,
    pub unit: Option<String>,
    /// Anonymous: nothing is sealed to the organisation key, and the child is told so.
    pub mode: RoundMode,
}

/// `PUT /api/child/answers`: the answer is acknowledged only once it is on disk.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveReceipt {
    pub counter: u64,
}

/// The body of every error response.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    /// A stable machine-readable code, e.g. `bad_code`, `stale_save`.
    pub error: String,
    /// A plain sentence for people.
    pub message: String,
    /// For input checked field by field (a resource, a CSV file of them): every problem
    /// found, each with its row and column, so that the page can name them all at once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<InputProblem>,
}

// ---------------------------------------------------------------------------------------
// Staff side. Passwords never leave the browser: it sends an Argon2id-derived login proof
// and keeps the wrap key that opens the organisation key (see `staff`).

/// What staff may do. Capabilities are checked on the server for every request.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages staff and units, reads the audit log.
    Administrator,
    /// Invites children and reads the children they invited or that are shared with their unit.
    Staff,
    /// Aggregates only: never an individual child.
    Analyst,
}

/// The first administrator's set-up, with the token `create-org` printed:
/// `POST /api/setup/{token}`. The browser made the organisation's key pair.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationSetup {
    pub username: String,
    pub display_name: String,
    pub password: NewPassword,
    pub org_public_key: Bytes,
    /// The organisation key wrapped under the printable recovery key.
    pub recovery_wrapped_org_key: Bytes,
    /// `RecoveryKey::proof`: the server keeps a keyed hash of it, to check a recovery later.
    pub recovery_proof: Bytes,
    /// The statistics key pair's public half, made in the same browser; its secret half is
    /// in `password.wrapped_statistics_key` and `recovery_wrapped_statistics_key`.
    pub statistics_public_key: Bytes,
    /// The statistics key wrapped under the printable recovery key (`SecretKind::Statistics`).
    pub recovery_wrapped_statistics_key: Bytes,
}

/// What the server keeps of a password: a salt, the cost, the proof (it stores only a keyed
/// hash of it) and the organisation key wrapped under the password's wrap key.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPassword {
    pub salt: Bytes,
    pub kdf: KdfParams,
    pub proof: Bytes,
    /// `None` for an analyst, who holds no key that opens a child.
    pub wrapped_org_key: Option<Bytes>,
    /// The statistics key wrapped under the same wrap key (`SecretKind::Statistics`), for an
    /// administrator who holds it this way (set-up, recovery); `None` otherwise.
    #[serde(default)]
    pub wrapped_statistics_key: Option<Bytes>,
}

/// `POST /api/staff/login` (parameters from `GET /api/staff/params/{username}`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffLogin {
    pub username: String,
    pub proof: Bytes,
}

/// The logged-in staff member: `POST /api/staff/login`, `GET /api/staff/me`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffSession {
    pub staff_id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub organisation: String,
    pub organisation_name: String,
    pub unit: Option<String>,
    pub org_public_key: Bytes,
    /// Opens with the wrap key derived from the password, in the browser only. `None` for
    /// an analyst: analysts hold no key that opens one child.
    pub wrapped_org_key: Option<Bytes>,
    /// The organisation's statistics public key; `None` until an administrator made it.
    #[serde(default)]
    pub statistics_public_key: Option<Bytes>,
    /// This person's copy of the statistics key, if they hold one.
    #[serde(default)]
    pub statistics_key: StatisticsKeyCopy,
    /// This person's key pair for grants; `None` until their browser made it (at the first
    /// login after enrolment or after the upgrade: `PUT /api/staff/personal-key`).
    #[serde(default)]
    pub personal_key: Option<PersonalKey>,
    /// 32 random bytes that live as long as this login session, on the server only: the
    /// browser keeps the organisation key in `sessionStorage` wrapped under it (holder
    /// `KeyHolder::Session`), so a reload need not ask for the password; after logout or
    /// expiry the server has forgotten it and the kept copy opens nothing.
    #[serde(default)]
    pub session_key: Bytes,
}

/// A staff member as administrators see them: `GET /api/admin/staff`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub staff_id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit: Option<String>,
    pub disabled: bool,
    /// Still waiting for the person to choose a password.
    pub enrolling: bool,
    /// The public key grants of the statistics key are sealed to; `None` until the person's
    /// browser made it.
    #[serde(default)]
    pub personal_public_key: Option<Bytes>,
    /// Whether they hold a copy of the statistics key.
    #[serde(default)]
    pub holds_statistics_key: bool,
}

/// A staff member's own X25519 key pair, so that an administrator can grant them the
/// statistics key without knowing their password: the public half, and the secret half
/// wrapped under their password's wrap key (`SecretKind::Personal`, holder `Staff`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalKey {
    pub public_key: Bytes,
    pub wrapped_secret: Bytes,
}

/// A staff member's copy of the statistics key, as their browser gets it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "copy")]
pub enum StatisticsKeyCopy {
    /// They hold none.
    #[default]
    None,
    /// Wrapped under their password's wrap key (the administrator who made it, or one who
    /// recovered their access).
    Password(Bytes),
    /// Granted by an administrator: sealed to their personal public key
    /// (`staff::grant_statistics_key`).
    Granted(Bytes),
}

/// `PUT /api/admin/statistics-key`: an organisation set up before the statistics key gets
/// one, made in the browser of the first administrator who logs in. Works once.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatisticsKeySetup {
    pub public_key: Bytes,
    /// The secret half wrapped under this administrator's password's wrap key.
    pub wrapped_statistics_key: Bytes,
}

/// `PUT /api/admin/staff/{id}/statistics-key`: the statistics key sealed by the
/// administrator's browser to the colleague's personal public key.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatisticsGrant {
    pub sealed: Bytes,
}

/// One page of `GET /api/statistics/rounds/{round}/records`: sealed statistics records in
/// random order, without assessment ids; `next` is the cursor of the following page, `None`
/// after the last.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatisticsPage {
    pub records: Vec<Bytes>,
    pub next: Option<String>,
}

/// `POST /api/admin/staff`: the administrator's browser wrapped the organisation key under
/// a fresh enrolment key that travels only in the link's fragment, never to the server.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewStaffMember {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit: Option<String>,
    /// The server stores only its SHA-256.
    pub enrolment_token: Bytes,
    /// `None` for an analyst, who gets no copy of the organisation key.
    pub enrolment_wrapped_org_key: Option<Bytes>,
}

/// `GET /api/enrol/{token}`: what the new staff member's browser needs to take over.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    pub staff_id: String,
    pub username: String,
    pub display_name: String,
    pub organisation: String,
    pub organisation_name: String,
    /// `None` for an analyst (and for a set-up, which has no key yet).
    pub enrolment_wrapped_org_key: Option<Bytes>,
}

/// `PATCH /api/admin/staff/{id}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffChange {
    pub disabled: Option<bool>,
    pub role: Option<Role>,
    /// Absent: the unit stays. `null`: out of every unit. A unit id: moved there.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub unit: Option<Option<String>>,
}

/// A field that is present is `Some`, even when its value is `null`; an absent one is
/// `None` through `#[serde(default)]`.
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// A unit (a school, a team) that children can be shared with.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub unit_id: String,
    pub name: String,
}

/// `POST /api/invitations/lookups`: how many lookups to reserve for the next invitations
/// (1 to the batch maximum).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookupRequest {
    pub count: u32,
}

/// The answer: lookups the server drew, free in every organisation and held for this
/// staff member until `expires_unix`. Each child's code is made around one of them
/// (`login::ChildCode::with_lookup`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReservedLookups {
    pub lookups: Vec<String>,
    pub expires_unix: u64,
}

/// One child in `POST /api/invitations`. The staff browser made the code around a lookup
/// reserved for it and derived its login proof; the server never sees the code.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewInvitation {
    /// One of the lookups `POST /api/invitations/lookups` reserved for this staff member.
    pub lookup: String,
    pub salt: Bytes,
    pub kdf: KdfParams,
    pub proof: Bytes,
    /// The name or note typed by staff, sealed to the organisation key.
    pub sealed_note: Bytes,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationBatch {
    pub questionnaire: QuestionnaireRef,
    /// Share with the inviter's unit, so colleagues there can read too.
    pub share_with_unit: bool,
    /// Days until an unused code stops working.
    pub expires_in_days: u32,
    pub children: Vec<NewInvitation>,
    /// The round the children are invited into (its instrument must be `questionnaire`).
    /// In an anonymous round every sealed note is empty: cards carry codes, no names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round: Option<String>,
}

/// What staff see of an invitation: `GET /api/invitations`, `GET /api/assessments/{id}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentRecord {
    pub assessment: String,
    pub organisation: String,
    pub lookup: String,
    pub questionnaire: QuestionnaireRef,
    pub invited_by: String,
    pub unit: Option<String>,
    pub created_unix: u64,
    pub expires_unix: u64,
    pub revoked: bool,
    pub sealed_note: Bytes,
    pub sealed: Option<SealedAnswers>,
    pub help: Option<SealedHelp>,
}

/// The help loop's status, sealed under the assessment's data key so that both the child
/// and staff can read it: `PUT /api/assessments/{id}/help`, and in `ChildAssessment`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedHelp {
    pub counter: u64,
    pub blob: Bytes,
}

/// One child's row of `GET /api/invitations/statuses` (audited once per call): what the
/// staff browser needs to open the sealed status and, for unhandled help wishes, the help
/// status. Never the answers.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusEntry {
    pub assessment: String,
    /// The save counter the status is bound to; 0 when the child has not saved.
    pub counter: u64,
    /// `None` before the first save, and for saves made before statuses existed.
    pub status: Option<Bytes>,
    /// The data key sealed to the organisation, so that the help status opens; `None`
    /// before the first save.
    pub org_sealed_key: Option<Bytes>,
    pub help: Option<SealedHelp>,
}

/// `GET /api/invitations/{id}/code`: what a staff browser needs to give a child a new code
/// for the same assessment. The server's share lets the browser derive the new code's wrap
/// key; the sealed data key is what it wraps.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeBasis {
    pub assessment: String,
    pub organisation: String,
    /// The save counter the new code is made against; 0 when nothing is saved.
    pub counter: u64,
    pub org_sealed_key: Option<Bytes>,
    pub server_share: Bytes,
}

/// `POST /api/invitations/{id}/code`: a new code for the same assessment, made around a
/// lookup reserved for this staff member. The old code's lookup, verifier and sessions go.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCode {
    pub lookup: String,
    pub salt: Bytes,
    pub kdf: KdfParams,
    pub proof: Bytes,
    /// Must be the stored save counter (0 when nothing is saved), else `stale_save`.
    pub counter: u64,
    /// The data key wrapped under the new code's wrap key; present exactly when answers
    /// are stored.
    pub child_wrapped_key: Option<Bytes>,
}

/// `POST /api/recovery/open`: an administrator who lost their password proves they hold
/// the organisation's recovery key (`RecoveryKey::proof`), never sending the key.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryClaim {
    pub username: String,
    pub proof: Bytes,
}

/// The answer: whose account it is, and the organisation key wrapped under the recovery
/// key, which only the browser that has the key can open.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryCopy {
    pub staff_id: String,
    pub username: String,
    pub display_name: String,
    pub organisation: String,
    pub organisation_name: String,
    pub recovery_wrapped_org_key: Bytes,
    /// The statistics key wrapped under the recovery key, for organisations whose set-up
    /// made one.
    #[serde(default)]
    pub recovery_wrapped_statistics_key: Option<Bytes>,
}

/// `POST /api/recovery/reset`: the same proof, and the new password with the organisation
/// key wrapped under it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryReset {
    pub username: String,
    pub proof: Bytes,
    pub password: NewPassword,
}

/// `GET /api/admin/children`: how many children's invitations exist in one unit (not
/// revoked), with no names. `unit` is `None` for children in no unit.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitChildren {
    pub unit: Option<String>,
    pub children: u64,
}

/// `GET /api/admin/audit/children`: every invitation's sealed note, so that the
/// administrator's browser can name children in the audit log.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildNote {
    pub assessment: String,
    pub sealed_note: Bytes,
}

// ---------------------------------------------------------------------------------------
// Rounds: one survey wave over a class, a school or an area.

/// Whether staff can read one child of a round (identified) or nobody can (anonymous).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundMode {
    Identified,
    Anonymous,
}

/// What kind of work an intervention is.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InterventionKind {
    Insats,
    Projekt,
    Grupp,
}

/// Where a round stands to its intervention.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Before,
    After,
    FollowUp,
}

/// An intervention whose effect rounds measure: `GET`/`POST /api/interventions`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intervention {
    pub intervention_id: String,
    pub name: String,
    pub kind: InterventionKind,
}

/// `POST /api/interventions`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewIntervention {
    pub name: String,
    pub kind: InterventionKind,
}

/// A round's intervention and its phase.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundIntervention {
    pub intervention_id: String,
    pub phase: Phase,
}

/// `POST /api/rounds`. Dates are days (`YYYY-MM-DD`), the finest time a round knows.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRound {
    pub name: String,
    /// A unit of the organisation, or none.
    pub unit: Option<String>,
    pub opens: String,
    pub closes: String,
    pub questionnaire: QuestionnaireRef,
    pub mode: RoundMode,
    #[serde(default)]
    pub intervention: Option<RoundIntervention>,
}

/// A round as staff see it: `GET /api/rounds`, and in [`RoundPage`].
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    pub round_id: String,
    pub name: String,
    pub unit: Option<String>,
    pub opens: String,
    pub closes: String,
    pub questionnaire: QuestionnaireRef,
    pub mode: RoundMode,
    pub intervention: Option<RoundIntervention>,
    pub created_by: String,
    pub created_unix: u64,
    /// When the round was closed, freezing its release: from then on its statistics records
    /// change no more (a late save still stores the child's answers), and the group picture
    /// may show them. `None` while open: an open round shows no figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_unix: Option<u64>,
}

impl Round {
    /// Whether the round's release is frozen, so that group figures may be shown.
    pub fn is_closed(&self) -> bool {
        self.closed_unix.is_some()
    }
}

/// `GET /api/statistics/rounds`: what a statistics-key holder builds group pictures from:
/// every round of the organisation (open ones show no figures), the interventions they
/// belong to and the units' names. Never a child.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatisticsRounds {
    pub rounds: Vec<Round>,
    pub interventions: Vec<Intervention>,
    pub units: Vec<Unit>,
}

/// `GET /api/statistics/invited`: per round id of the holder's organisation, the
/// invitations into it that are not revoked (cards handed out, and kiosk starts), for the
/// response rates. A count of invitations, never of answers. Apart from
/// [`StatisticsRounds`] because counting reads every assessment of the organisation, and
/// the records of the rounds can be fetched and opened meanwhile.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatisticsInvited {
    pub invited: BTreeMap<String, u64>,
}

/// `POST /api/statistics/openings`: the browser of a statistics-key holder says which group
/// picture it opened, so that it is audited (`group_picture_opened`): the rounds (closed
/// ones of the organisation), the breakdown and the view. Never the numbers.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PictureOpening {
    pub rounds: Vec<String>,
    /// `unit`, `gender` or `age_band`; `None` for everyone together.
    pub breakdown: Option<String>,
    /// One of [`PictureOpening::VIEWS`].
    pub view: String,
}

impl PictureOpening {
    /// The views of the group picture.
    pub const VIEWS: [&'static str; 8] =
        ["overview", "domains", "areas", "trend", "before_after", "needs", "print", "lagesbild"];
    /// The breakdowns a view may be split by.
    pub const BREAKDOWNS: [&'static str; 3] = ["unit", "gender", "age_band"];
}

/// `GET /api/rounds/{id}`: the round and what the server can count without a key.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundPage {
    pub round: Round,
    /// Invitations into the round that are not revoked.
    pub invited: u64,
    /// Of those, how many children have saved at least once.
    pub started: u64,
    /// Of those, how many have finished.
    pub finished: u64,
    /// Anonymous rounds only: how many children's newest save holds an acute answer.
    pub acute: Option<u64>,
}

/// `POST /api/admin/kiosks`: a browser at a youth centre that will take anonymous answers
/// for `round` (one of the organisation's anonymous rounds), without cards.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewKiosk {
    pub name: String,
    pub round: String,
}

/// A kiosk as administrators see it: `GET /api/admin/kiosks`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kiosk {
    pub kiosk_id: String,
    pub name: String,
    pub round: String,
    pub created_by: String,
    pub created_unix: u64,
    /// A browser has taken the registration link and keeps the kiosk's device token.
    pub registered: bool,
    /// Until then, the link works up to this moment.
    pub registration_expires_unix: u64,
    /// Taken out of use: the device token no longer starts anything.
    pub revoked: bool,
}

/// The answer to `POST /api/admin/kiosks`: the kiosk and its one-time registration token,
/// which the administrator opens in the kiosk's browser as `/?kiosk=1#kiosk=<token>`. The
/// server keeps only its hash.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KioskRegistration {
    pub kiosk: Kiosk,
    pub token: String,
}

/// `POST /api/kiosk/register`: the kiosk's browser hands in the one-time token and gets the
/// device token as a cookie that scripts cannot read.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KioskClaim {
    pub token: String,
}

/// `GET /api/kiosk`: what a registered kiosk's start screen shows.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KioskInfo {
    pub name: String,
    pub organisation_name: String,
    /// Whether the round is open today, so that "Start" can begin an assessment.
    pub open: bool,
}

// ---------------------------------------------------------------------------------------
// Needs and resources: the organisation's register of what it has, and the priorities an
// analyst sets from the needs beside it. Public information, stored in the clear.

/// What kind of work a resource is.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResourceKind {
    YouthCentre,
    Sport,
    Culture,
    Library,
    FieldWorkers,
    ParentSupport,
    SchoolHealth,
    SocialServices,
    Other,
}

impl ResourceKind {
    pub const ALL: [ResourceKind; 9] = [
        ResourceKind::YouthCentre,
        ResourceKind::Sport,
        ResourceKind::Culture,
        ResourceKind::Library,
        ResourceKind::FieldWorkers,
        ResourceKind::ParentSupport,
        ResourceKind::SchoolHealth,
        ResourceKind::SocialServices,
        ResourceKind::Other,
    ];

    /// The stable name, as the CSV file and the wire write it.
    pub fn name(self) -> &'static str {
        match self {
            ResourceKind::YouthCentre => "youth_centre",
            ResourceKind::Sport => "sport",
            ResourceKind::Culture => "culture",
            ResourceKind::Library => "library",
            ResourceKind::FieldWorkers => "field_workers",
            ResourceKind::ParentSupport => "parent_support",
            ResourceKind::SchoolHealth => "school_health",
            ResourceKind::SocialServices => "social_services",
            ResourceKind::Other => "other",
        }
    }

    pub fn from_name(name: &str) -> Option<ResourceKind> {
        ResourceKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// A resource as typed in a form or read from a row of a CSV file: `POST /api/resources`
/// and `PUT /api/resources/{id}`. Checked by `resources::register::check`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceDraft {
    pub name: String,
    pub kind: Option<ResourceKind>,
    /// Who runs it (a department, an association).
    #[serde(default)]
    pub owner: String,
    /// The units (areas, schools) it serves, by id.
    pub areas: Vec<String>,
    /// The age bands it serves (`6-9`, `10-12`, `13-18`).
    pub bands: Vec<String>,
    /// Opening hours or capacity, in words.
    #[serde(default)]
    pub hours: String,
    #[serde(default)]
    pub contact: String,
    /// The catalogue's risk factors it meets and protective factors it strengthens.
    pub factors: Vec<String>,
}

/// A resource of the register: `GET /api/resources`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    pub resource_id: String,
    pub name: String,
    pub kind: ResourceKind,
    pub owner: String,
    pub areas: Vec<String>,
    pub bands: Vec<String>,
    pub hours: String,
    pub contact: String,
    pub factors: Vec<String>,
    pub changed_unix: u64,
}

/// `GET /api/resources`: the register, with the units and the factor catalogue it is
/// written in, so that a page can name every area and factor.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourceRegister {
    pub resources: Vec<Resource>,
    pub units: Vec<Unit>,
    /// The factor catalogue as `questionnaires/factors.toml` holds it.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub catalogue: RawCatalogue,
}

/// `POST /api/resources/import`: a CSV file of resources that replaces the register, all
/// or nothing (`resources::file`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceImport {
    pub csv: String,
}

/// One problem with input checked field by field.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputProblem {
    /// The row of a CSV file (1 is the heading), or `None` for a form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
    /// The column (`name`, `factors`, …), or `None` for the row or file as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub problem: Problem,
}

/// What is wrong with a value.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Problem {
    Empty,
    TooLong(u32),
    /// A control character (a line break in a name, say).
    Unprintable,
    UnknownKind(String),
    UnknownArea(String),
    /// Two units have this name, so a file cannot say which.
    AmbiguousArea(String),
    UnknownBand(String),
    UnknownFactor(String),
    /// A background factor (gender, who the child lives with) is no need to address.
    NotAddressable(String),
    Repeated(String),
    BadId(String),
    /// A column the file must have.
    MissingColumn,
    UnknownColumn(String),
    /// A row with another number of fields than the heading.
    FieldCount {
        found: u64,
        expected: u64,
    },
    /// A row that cannot be read as CSV at all.
    Malformed,
    TooManyRows(u32),
    /// A list must hold this many values.
    HowMany {
        least: u32,
        most: u32,
    },
    /// A file over this many bytes.
    TooLarge(u32),
    NoRows,
}

/// The organisation's own line for "high": a risk's share (or the share lacking a
/// protective factor) at or above this many percent is high wherever it is measured.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedsThreshold {
    /// `None`: no threshold of its own; 1 to 100 otherwise.
    pub percent: Option<u8>,
}

/// One priority factor and why it was chosen.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Priority {
    pub factor: String,
    pub why: String,
}

/// `PUT /api/needs/priorities/{year}`: the 2 to 5 factors chosen from the needs of one
/// release (the closed rounds of a year), each with its rationale.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPriorities {
    /// The closed rounds the release was made of, as the page counted them.
    pub rounds: Vec<String>,
    pub priorities: Vec<Priority>,
}

/// Priorities as stored with their release.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Priorities {
    pub year: String,
    pub rounds: Vec<String>,
    pub priorities: Vec<Priority>,
    pub set_by: String,
    pub set_unix: u64,
}

/// `GET /api/needs`: what the needs view keeps beside the figures.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedsState {
    pub threshold: NeedsThreshold,
    /// Every release's priorities, oldest year first.
    pub priorities: Vec<Priorities>,
}

/// One record of the audit log, as administrators read it: `GET /api/admin/audit`.
pub use crate::audit::AuditEntry;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_staff_change_tells_an_absent_unit_from_leaving_every_unit() {
        let read = |json: &str| serde_json::from_str::<StaffChange>(json).unwrap().unit;
        assert_eq!(read(r#"{"disabled":null,"role":null}"#), None);
        assert_eq!(read(r#"{"disabled":null,"role":null,"unit":null}"#), Some(None));
        assert_eq!(read(r#"{"disabled":null,"role":null,"unit":"u1"}"#), Some(Some("u1".into())));
        for unit in [None, Some(None), Some(Some("u1".to_string()))] {
            let change = StaffChange { disabled: None, role: None, unit };
            let back: StaffChange = serde_json::from_str(&serde_json::to_string(&change).unwrap()).unwrap();
            assert_eq!(back, change);
        }
    }
}
