//! The staff side's key handling as the browser runs it: making the organisation key at
//! set-up, a password's secrets, enrolment links, child codes for invitations, and the
//! binding that opens an assessment's answers. Every primitive is the core's (`staff`,
//! `envelope`, `login`, `help`); this module only puts the calls in order and draws the
//! randomness they are handed.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use beratta_core::api::{
    AssessmentRecord, Bytes, CodeBasis, NewCode, NewInvitation, NewPassword, OrganisationSetup, SealedAnswers,
};
use beratta_core::child::wrap_for_new_code;
use beratta_core::envelope::{Binding, EnvelopeError, OrgPublicKey, OrgSecretKey, SymmetricKey};
use beratta_core::login::{derive_child_secrets, ChildCode, KdfParams, LoginError, SALT_LEN};
use beratta_core::staff::{derive_staff_secrets, unwrap_org_key, wrap_org_key, KeyHolder, PasswordError, RecoveryKey};
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

/// A password to store: a fresh salt, the Argon2id proof, and the organisation key wrapped
/// under the password's wrap key for `username`. Also gives the proof, to log in with.
pub fn new_password(
    password: &str,
    organisation: &str,
    username: &str,
    org_key: &OrgSecretKey,
) -> Result<(NewPassword, Vec<u8>), LoginError> {
    let salt = salt();
    let kdf = KdfParams::STANDARD;
    let secrets = derive_staff_secrets(password, &salt, &kdf)?;
    let wrapped = wrap_org_key(&secrets.wrap_key, organisation, &KeyHolder::Staff(username), org_key, &mut OsRng);
    let proof = secrets.login_proof.to_vec();
    Ok((
        NewPassword { salt: Bytes(salt.to_vec()), kdf, proof: Bytes(proof.clone()), wrapped_org_key: Bytes(wrapped) },
        proof,
    ))
}

/// Everything the first administrator's browser makes at set-up.
pub struct Setup {
    pub body: OrganisationSetup,
    /// Shown once, for printing; never sent.
    pub recovery: RecoveryKey,
}

/// Makes the organisation's key pair and wraps its secret key for the administrator and
/// under a new recovery key.
pub fn setup(organisation: &str, username: &str, display_name: &str, password: &str) -> Result<Setup, LoginError> {
    let org_key = OrgSecretKey::generate(&mut OsRng);
    let recovery = RecoveryKey::generate(&mut OsRng);
    let (new_password, _) = new_password(password, organisation, username, &org_key)?;
    let recovery_wrapped = wrap_org_key(recovery.key(), organisation, &KeyHolder::Recovery, &org_key, &mut OsRng);
    let body = OrganisationSetup {
        username: username.to_string(),
        display_name: display_name.trim().to_string(),
        password: new_password,
        org_public_key: Bytes(org_key.public_key().as_bytes().to_vec()),
        recovery_wrapped_org_key: Bytes(recovery_wrapped),
        recovery_proof: Bytes(recovery.proof().to_vec()),
    };
    Ok(Setup { body, recovery })
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
/// only in the link's fragment, and the organisation key wrapped under that key.
pub struct EnrolmentCopy {
    pub token: Vec<u8>,
    pub key: SymmetricKey,
    pub wrapped: Vec<u8>,
}

pub fn enrolment_copy(org_key: &OrgSecretKey, organisation: &str, username: &str) -> EnrolmentCopy {
    let mut token = vec![0u8; ENROLMENT_TOKEN_LEN];
    OsRng.fill_bytes(&mut token);
    let key = SymmetricKey::generate(&mut OsRng);
    let wrapped = wrap_org_key(&key, organisation, &KeyHolder::Enrolment(username), org_key, &mut OsRng);
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
