//! Creating organisations and invitations. `beratta-server demo` and the tests both create
//! them through here, so the tests log in with codes made exactly as real ones are.

use crate::records::{Assessment, AssessmentRound, Organisation};
use crate::store::{Store, StoreError};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use beratta_core::api::{Bytes, QuestionnaireRef, Round};
use beratta_core::envelope::OrgSecretKey;
use beratta_core::login::{derive_child_secrets, ChildCode, KdfParams, LoginError, ServerSecret, SALT_LEN};
use rand_core::CryptoRngCore;

/// The demo organisation `make run` sets up.
pub const DEMO_ORGANISATION: &str = "demo";
pub const DEMO_ORGANISATION_NAME: &str = "Demoskolan";

/// The questionnaire demo invitations are for.
pub fn demo_questionnaire() -> QuestionnaireRef {
    QuestionnaireRef { id: "beratta-10-12".to_string(), version: 1 }
}

#[derive(Debug, thiserror::Error)]
pub enum InvitationError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Kdf(#[from] LoginError),
    #[error("no free lookup was found; the code space is nearly full")]
    NoFreeLookup,
}

/// A new organisation record and its secret key. The caller hands the secret key to the
/// organisation's staff and stores only the record.
pub fn new_organisation(id: &str, name: &str, now: u64, rng: &mut impl CryptoRngCore) -> (Organisation, OrgSecretKey) {
    let secret = OrgSecretKey::generate(rng);
    let organisation = Organisation {
        id: id.to_string(),
        name: name.to_string(),
        public_key: Some(Bytes(secret.public_key().as_bytes().to_vec())),
        recovery_wrapped_org_key: None,
        recovery_verifier: None,
        statistics_public_key: None,
        recovery_wrapped_statistics_key: None,
        created_unix: now,
    };
    (organisation, secret)
}

/// Who an invitation is from and how long its code works.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvitationTerms {
    pub invited_by: Option<String>,
    pub unit: Option<String>,
    pub expires_unix: u64,
}

impl InvitationTerms {
    /// An invitation from nobody in particular, valid `days` from `now`.
    pub fn for_days(now: u64, days: u32) -> InvitationTerms {
        InvitationTerms { invited_by: None, unit: None, expires_unix: now.saturating_add(u64::from(days) * 86_400) }
    }
}

/// A created invitation: the code to give the child, and the assessment it opens.
#[derive(Debug)]
pub struct IssuedInvitation {
    pub code: ChildCode,
    pub assessment: String,
}

/// Lookups tried before giving up; with 23^4 lookups this is reached only when nearly all
/// are taken.
const LOOKUP_ATTEMPTS: usize = 1000;

/// Creates an invitation for `organisation` to `questionnaire`: a fresh code, whose
/// verifier is all the server keeps of it. The server draws the whole code here, so its
/// lookup is claimed as [`crate::store::LookupClaim::Free`]: one that a live invitation
/// or a staff member's reservation has is passed over. (Staff make codes in their browser
/// around lookups the server reserved for them, and send only the proof:
/// `POST /api/invitations`.)
#[allow(clippy::too_many_arguments)]
pub fn create_invitation(
    store: &dyn Store,
    secret: &ServerSecret,
    organisation: &str,
    questionnaire: &QuestionnaireRef,
    kdf: KdfParams,
    terms: &InvitationTerms,
    now: u64,
    rng: &mut impl CryptoRngCore,
) -> Result<IssuedInvitation, InvitationError> {
    for _ in 0..LOOKUP_ATTEMPTS {
        let code = ChildCode::generate(rng);
        // A cheap check first, so the costly derivation runs only for a lookup no live
        // invitation has; the insert below checks again, atomically, reservations too.
        if store.assessment_by_lookup(code.lookup())?.is_some_and(|a| a.is_live(now)) {
            continue;
        }
        let mut salt = [0u8; SALT_LEN];
        rng.fill_bytes(&mut salt);
        let secrets = derive_child_secrets(&code, &salt, &kdf)?;
        let mut id = [0u8; 16];
        rng.fill_bytes(&mut id);
        let assessment = Assessment {
            id: URL_SAFE_NO_PAD.encode(id),
            organisation: organisation.to_string(),
            lookup: code.lookup().to_string(),
            questionnaire: questionnaire.clone(),
            salt: Bytes(salt.to_vec()),
            kdf,
            verifier: Bytes(secret.login_verifier(&secrets.login_proof).to_vec()),
            created_unix: now,
            failed_logins: 0,
            sealed: None,
            invited_by: terms.invited_by.clone(),
            unit: terms.unit.clone(),
            expires_unix: terms.expires_unix,
            revoked: false,
            sealed_note: Bytes::default(),
            help: None,
            round: None,
            progress: None,
        };
        if store.insert_assessment(&assessment)? {
            return Ok(IssuedInvitation { code, assessment: assessment.id });
        }
    }
    Err(InvitationError::NoFreeLookup)
}

/// Creates the assessment that "Start" on a kiosk begins, in the anonymous `round`. There is
/// no code: the lookup is drawn like any other so that the assessment fits the store, but
/// the verifier is random (no proof matches it) and the invitation expires as it is made,
/// so nothing ever logs in to it; the kiosk's browser gets a session for it directly.
pub fn create_kiosk_assessment(
    store: &dyn Store,
    organisation: &str,
    round: &Round,
    now: u64,
    rng: &mut impl CryptoRngCore,
) -> Result<Assessment, InvitationError> {
    for _ in 0..LOOKUP_ATTEMPTS {
        let (mut salt, mut verifier, mut id) = ([0u8; SALT_LEN], [0u8; 32], [0u8; 16]);
        rng.fill_bytes(&mut salt);
        rng.fill_bytes(&mut verifier);
        rng.fill_bytes(&mut id);
        let assessment = Assessment {
            id: URL_SAFE_NO_PAD.encode(id),
            organisation: organisation.to_string(),
            lookup: ChildCode::generate(rng).lookup().to_string(),
            questionnaire: round.questionnaire.clone(),
            salt: Bytes(salt.to_vec()),
            kdf: KdfParams::STANDARD,
            verifier: Bytes(verifier.to_vec()),
            created_unix: now,
            failed_logins: 0,
            sealed: None,
            invited_by: None,
            unit: round.unit.clone(),
            expires_unix: now,
            revoked: false,
            sealed_note: Bytes::default(),
            help: None,
            round: Some(AssessmentRound { round: round.round_id.clone(), unit: round.unit.clone(), mode: round.mode }),
            progress: None,
        };
        if store.insert_assessment(&assessment)? {
            return Ok(assessment);
        }
    }
    Err(InvitationError::NoFreeLookup)
}
