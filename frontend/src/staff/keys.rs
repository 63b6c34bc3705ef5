//! The staff side's key handling as the browser runs it: making the organisation and
//! statistics keys at set-up, a password's secrets, enrolment links, the personal key pair
//! and grants of the statistics key, child codes for invitations, and the binding that
//! opens an assessment's answers. Every primitive is the core's (`staff`,
//! `envelope`, `login`, `help`); this module only puts the calls in order and draws the
//! randomness they are handed.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use beratta_core::api::{
    AssessmentRecord, Bytes, CodeBasis, NewCode, NewInvitation, NewPassword, OrganisationSetup, PersonalKey,
    SealedAnswers, StatisticsGrant, StatisticsKeyCopy, StatisticsKeySetup,
};
use beratta_core::child::wrap_for_new_code;
use beratta_core::envelope::{Binding, EnvelopeError, OrgPublicKey, OrgSecretKey, SymmetricKey};
use beratta_core::login::{derive_child_secrets, ChildCode, KdfParams, LoginError, SALT_LEN};
use beratta_core::staff::{
    derive_staff_secrets, grant_statistics_key, open_statistics_grant, unwrap_org_key, unwrap_secret, wrap_org_key,
    wrap_secret, KeyHolder, PasswordError, RecoveryKey, SecretKind,
};
use rand_core::{OsRng, RngCore};

/// Longest name or note on an invitation, in characters. The server takes sealed notes up
/// to 1 KiB; this keeps a note short enough for a printed card.
pub const MAX_NOTE_CHARS: usize = 200;

/// The length of an enrolment token, in bytes, as the server requires.
const ENROLMENT_TOKEN_LEN: usize = 32;

/// A username as the server keeps it: trimmed and in lower case. It also names the holder
/// in a wrapped copy's associated data, so every wrap and unwrap must use this form.
pub fn username(typed: &str) -> String {
    typed.trim().to_ascii_lowercase()
}

fn salt() -> [u8; SALT_LEN] {
    let mut salt = [0u8; SALT_LEN];
    OsRng.fill_bytes(&mut salt);
    salt
}

/// A password to store: a fresh salt, the Argon2id proof, and the keys this person holds
/// wrapped under the password's wrap key for `username`: the organisation key (not for an
/// analyst) and, for an administrator at set-up or recovery, the statistics key. Also gives
/// the proof, to log in with.
pub fn new_password(
    password: &str,
    organisation: &str,
    username: &str,
    org_key: Option<&OrgSecretKey>,
    statistics_key: Option<&OrgSecretKey>,
) -> Result<(NewPassword, Vec<u8>), LoginError> {
    let salt = salt();
    let kdf = KdfParams::STANDARD;
    let secrets = derive_staff_secrets(password, &salt, &kdf)?;
    let holder = KeyHolder::Staff(username);
    let wrapped = org_key.map(|k| Bytes(wrap_org_key(&secrets.wrap_key, organisation, &holder, k, &mut OsRng)));
    let statistics = statistics_key
        .map(|k| Bytes(wrap_secret(SecretKind::Statistics, &secrets.wrap_key, organisation, &holder, k, &mut OsRng)));
    let proof = secrets.login_proof.to_vec();
    Ok((
        NewPassword {
            salt: Bytes(salt.to_vec()),
            kdf,
            proof: Bytes(proof.clone()),
            wrapped_org_key: wrapped,
            wrapped_statistics_key: statistics,
        },
        proof,
    ))
}

/// Everything the first administrator's browser makes at set-up.
pub struct Setup {
    pub body: OrganisationSetup,
    /// Shown once, for printing; never sent.
    pub recovery: RecoveryKey,
}

/// Makes the organisation's two key pairs (the organisation key and the statistics key)
/// and wraps both secret keys for the administrator and under a new recovery key.
pub fn setup(organisation: &str, username: &str, display_name: &str, password: &str) -> Result<Setup, LoginError> {
    let org_key = OrgSecretKey::generate(&mut OsRng);
    let statistics = OrgSecretKey::generate(&mut OsRng);
    let recovery = RecoveryKey::generate(&mut OsRng);
    let (new_password, _) = new_password(password, organisation, username, Some(&org_key), Some(&statistics))?;
    let recovery_wrapped = wrap_org_key(recovery.key(), organisation, &KeyHolder::Recovery, &org_key, &mut OsRng);
    let recovery_statistics = wrap_secret(
        SecretKind::Statistics,
        recovery.key(),
        organisation,
        &KeyHolder::Recovery,
        &statistics,
        &mut OsRng,
    );
    let body = OrganisationSetup {
        username: username.to_string(),
        display_name: display_name.trim().to_string(),
        password: new_password,
        org_public_key: Bytes(org_key.public_key().as_bytes().to_vec()),
        recovery_wrapped_org_key: Bytes(recovery_wrapped),
        recovery_proof: Bytes(recovery.proof().to_vec()),
        statistics_public_key: Bytes(statistics.public_key().as_bytes().to_vec()),
        recovery_wrapped_statistics_key: Bytes(recovery_statistics),
    };
    Ok(Setup { body, recovery })
}

/// A personal key pair for `username`: the secret half (kept in memory) and what the server
/// stores, the public half and the secret half wrapped under the password's wrap key.
pub fn personal_key(wrap_key: &SymmetricKey, organisation: &str, username: &str) -> (OrgSecretKey, PersonalKey) {
    let secret = OrgSecretKey::generate(&mut OsRng);
    let wrapped =
        wrap_secret(SecretKind::Personal, wrap_key, organisation, &KeyHolder::Staff(username), &secret, &mut OsRng);
    let body =
        PersonalKey { public_key: Bytes(secret.public_key().as_bytes().to_vec()), wrapped_secret: Bytes(wrapped) };
    (secret, body)
}

/// Opens this person's personal secret key with their password's wrap key; `None` if it
/// does not open or does not match its public half.
pub fn open_personal_key(
    wrap_key: &SymmetricKey,
    organisation: &str,
    username: &str,
    key: &PersonalKey,
) -> Option<OrgSecretKey> {
    let secret =
        unwrap_secret(SecretKind::Personal, wrap_key, organisation, &KeyHolder::Staff(username), &key.wrapped_secret.0)
            .ok()?;
    (secret.public_key().as_bytes().as_slice() == key.public_key.0.as_slice()).then_some(secret)
}

/// The statistics key of an organisation set up before it existed, made by the first
/// administrator who logs in: the key, and what the server stores.
pub fn statistics_key_setup(
    wrap_key: &SymmetricKey,
    organisation: &str,
    username: &str,
) -> (OrgSecretKey, StatisticsKeySetup) {
    let statistics = OrgSecretKey::generate(&mut OsRng);
    let wrapped = wrap_secret(
        SecretKind::Statistics,
        wrap_key,
        organisation,
        &KeyHolder::Staff(username),
        &statistics,
        &mut OsRng,
    );
    let body = StatisticsKeySetup {
        public_key: Bytes(statistics.public_key().as_bytes().to_vec()),
        wrapped_statistics_key: Bytes(wrapped),
    };
    (statistics, body)
}

/// Opens this person's copy of the statistics key: wrapped under their password, or a
/// grant sealed to their personal key. `None` if there is none or it does not open.
pub fn open_statistics_copy(
    copy: &StatisticsKeyCopy,
    wrap_key: &SymmetricKey,
    personal: Option<&OrgSecretKey>,
    organisation: &str,
    username: &str,
) -> Option<OrgSecretKey> {
    match copy {
        StatisticsKeyCopy::None => None,
        StatisticsKeyCopy::Password(wrapped) => {
            unwrap_secret(SecretKind::Statistics, wrap_key, organisation, &KeyHolder::Staff(username), &wrapped.0).ok()
        }
        StatisticsKeyCopy::Granted(sealed) => open_statistics_grant(personal?, organisation, username, &sealed.0).ok(),
    }
}

/// A grant of the statistics key to a colleague: sealed to the personal public key the
/// server lists for them. `None` if that is not a key.
pub fn grant(
    statistics: &OrgSecretKey,
    holder_public: &[u8],
    organisation: &str,
    username: &str,
) -> Option<StatisticsGrant> {
    let public = OrgPublicKey::from_slice(holder_public)?;
    let sealed = grant_statistics_key(&public, organisation, username, statistics, &mut OsRng);
    Some(StatisticsGrant { sealed: Bytes(sealed) })
}

/// What is wrong with a new password typed twice.
pub enum NewPasswordProblem {
    Differ,
    Rule(PasswordError),
}

/// Checks a new password by the core's rule, and that it was typed the same twice.
pub fn check_passwords(password: &str, again: &str) -> Result<(), NewPasswordProblem> {
    beratta_core::staff::check_new_password(password).map_err(NewPasswordProblem::Rule)?;
    if password != again {
        return Err(NewPasswordProblem::Differ);
    }
    Ok(())
}

/// A colleague's enrolment: the token the server stores a hash of, the key that travels
/// only in the link's fragment, and the organisation key wrapped under that key (none for
/// an analyst, who holds no key that opens a child).
pub struct EnrolmentCopy {
    pub token: Vec<u8>,
    pub key: SymmetricKey,
    pub wrapped: Option<Vec<u8>>,
}

pub fn enrolment_copy(org_key: Option<&OrgSecretKey>, organisation: &str, username: &str) -> EnrolmentCopy {
    let mut token = vec![0u8; ENROLMENT_TOKEN_LEN];
    OsRng.fill_bytes(&mut token);
    let key = SymmetricKey::generate(&mut OsRng);
    let wrapped = org_key.map(|k| wrap_org_key(&key, organisation, &KeyHolder::Enrolment(username), k, &mut OsRng));
    EnrolmentCopy { token, key, wrapped }
}

/// The link a new colleague opens: the token for the server, the key after `#` for their
/// browser only. It points at the staff app under `/staff/`, not at the child's app.
pub fn enrolment_link(origin: &str, copy: &EnrolmentCopy) -> String {
    format!(
        "{origin}/staff/#/enrol/{}.{}",
        URL_SAFE_NO_PAD.encode(&copy.token),
        URL_SAFE_NO_PAD.encode(copy.key.as_bytes())
    )
}

/// The enrolment key from a link's fragment.
pub fn enrolment_key(encoded: &str) -> Option<SymmetricKey> {
    URL_SAFE_NO_PAD.decode(encoded.trim()).ok().and_then(|bytes| SymmetricKey::from_slice(&bytes))
}

/// Why a child's invitation could not be made.
#[derive(Debug)]
pub enum InvitationProblem {
    /// The server handed out something that is not a lookup.
    NotALookup,
    /// Argon2id refused its settings.
    Derive,
    /// The stored data key did not open with the organisation key.
    Key,
}

/// One child's invitation: a code around `lookup` (reserved for this staff member by the
/// server) with a fresh secret, its salt and login proof, and the note sealed to the
/// organisation. Runs Argon2id once, which takes about a second in a browser.
pub fn invitation(
    note: &str,
    lookup: &str,
    org_public: &OrgPublicKey,
) -> Result<(ChildCode, NewInvitation), InvitationProblem> {
    let code = ChildCode::with_lookup(lookup, &mut OsRng).map_err(|_| InvitationProblem::NotALookup)?;
    let salt = salt();
    let kdf = KdfParams::STANDARD;
    let secrets = derive_child_secrets(&code, &salt, &kdf).map_err(|_| InvitationProblem::Derive)?;
    let invitation = NewInvitation {
        lookup: code.lookup().to_string(),
        salt: Bytes(salt.to_vec()),
        kdf,
        proof: Bytes(secrets.login_proof.to_vec()),
        sealed_note: Bytes(org_public.seal_note(note.trim(), &mut OsRng)),
    };
    Ok((code, invitation))
}

/// A new code for a child who lost or forgot theirs: a code around `lookup` (reserved by
/// the server for this staff member), its salt and proof, and, when answers are stored,
/// the data key opened with the organisation key and wrapped for the new code exactly as
/// the child's browser wraps it (`beratta_core::child::wrap_for_new_code`). Runs Argon2id
/// once.
pub fn new_code(
    lookup: &str,
    basis: &CodeBasis,
    org_key: &OrgSecretKey,
) -> Result<(ChildCode, NewCode), InvitationProblem> {
    let code = ChildCode::with_lookup(lookup, &mut OsRng).map_err(|_| InvitationProblem::NotALookup)?;
    let salt = salt();
    let kdf = KdfParams::STANDARD;
    let secrets = derive_child_secrets(&code, &salt, &kdf).map_err(|_| InvitationProblem::Derive)?;
    let child_wrapped_key = match &basis.org_sealed_key {
        Some(sealed) => Some(Bytes(
            wrap_for_new_code(org_key, &sealed.0, &secrets, &basis.server_share.0, &basis.assessment, &mut OsRng)
                .map_err(|_| InvitationProblem::Key)?,
        )),
        None => None,
    };
    let body = NewCode {
        lookup: code.lookup().to_string(),
        salt: Bytes(salt.to_vec()),
        kdf,
        proof: Bytes(secrets.login_proof.to_vec()),
        counter: basis.counter,
        child_wrapped_key,
    };
    Ok((code, body))
}

/// What the answers of an assessment are bound to, as the child's browser bound them
/// (`beratta_core::child::binding`, which takes the child's view of an assessment).
pub fn binding(record: &AssessmentRecord, sealed: &SealedAnswers) -> Binding {
    Binding {
        organisation: record.organisation.clone(),
        assessment: record.assessment.clone(),
        questionnaire: record.questionnaire.reference(),
        counter: sealed.counter,
    }
}

/// A staff-typed note, opened; `None` when there is none (the `demo` command makes
/// invitations without one).
pub fn open_note(org_key: &OrgSecretKey, record: &AssessmentRecord) -> Option<Result<String, EnvelopeError>> {
    (!record.sealed_note.0.is_empty()).then(|| org_key.open_note(&record.sealed_note.0))
}

/// The recovery copy of the organisation key, opened with the printed recovery key; `None`
/// if the key does not open it (another organisation's key, or a typing error that still
/// reads as hex).
pub fn open_recovery_copy(recovery: &RecoveryKey, organisation: &str, wrapped: &[u8]) -> Option<OrgSecretKey> {
    unwrap_org_key(recovery.key(), organisation, &KeyHolder::Recovery, wrapped).ok()
}

/// The recovery copy of the statistics key, opened with the printed recovery key.
pub fn open_recovery_statistics_copy(
    recovery: &RecoveryKey,
    organisation: &str,
    wrapped: &[u8],
) -> Option<OrgSecretKey> {
    unwrap_secret(SecretKind::Statistics, recovery.key(), organisation, &KeyHolder::Recovery, wrapped).ok()
}

/// The organisation key for this tab's `sessionStorage`, wrapped under the key the server
/// holds for this login session only.
pub fn session_copy(session_key: &[u8], organisation: &str, username: &str, org_key: &OrgSecretKey) -> Option<Vec<u8>> {
    let key = SymmetricKey::from_slice(session_key)?;
    Some(wrap_org_key(&key, organisation, &KeyHolder::Session(username), org_key, &mut OsRng))
}

/// Opens what [`session_copy`] made, with the session's key as the server returns it.
pub fn open_session_copy(session_key: &[u8], organisation: &str, username: &str, kept: &[u8]) -> Option<OrgSecretKey> {
    let key = SymmetricKey::from_slice(session_key)?;
    unwrap_org_key(&key, organisation, &KeyHolder::Session(username), kept).ok()
}

/// The statistics key for this tab's `sessionStorage`, wrapped like [`session_copy`] but
/// as the statistics key (`SecretKind::Statistics`), so neither opens as the other.
pub fn session_statistics_copy(
    session_key: &[u8],
    organisation: &str,
    username: &str,
    statistics: &OrgSecretKey,
) -> Option<Vec<u8>> {
    let key = SymmetricKey::from_slice(session_key)?;
    let holder = KeyHolder::Session(username);
    Some(wrap_secret(SecretKind::Statistics, &key, organisation, &holder, statistics, &mut OsRng))
}

/// Opens what [`session_statistics_copy`] made.
pub fn open_session_statistics_copy(
    session_key: &[u8],
    organisation: &str,
    username: &str,
    kept: &[u8],
) -> Option<OrgSecretKey> {
    let key = SymmetricKey::from_slice(session_key)?;
    unwrap_secret(SecretKind::Statistics, &key, organisation, &KeyHolder::Session(username), kept).ok()
}
