//! The child's side of the envelope, as the browser runs it: from a login code and what the
//! server returns, to a data key; from a session, to a sealed save. Pure functions, so the
//! browser only moves bytes and the whole flow is tested natively.

use crate::api::{Bytes, ChildAssessment, RoundMode, RoundProgress, SealedAnswers};
use crate::engine::Session;
use crate::envelope::{
    open_answers, seal_answers, unwrap_data_key, wrap_data_key, AnswerSet, Binding, EnvelopeError, OrgPublicKey,
    OrgSecretKey, SymmetricKey, WrapPurpose,
};
use crate::help::{open_help, HelpError, HelpStatus};
use crate::login::ChildSecrets;
use crate::questionnaire::Questionnaire;
use crate::scoring;
use crate::statistics::{seal_record, Pseudonym, RecordContext, StatisticsError, StatisticsRecord};
use crate::status::{seal_status, AssessmentStatus};
use hkdf::Hkdf;
use rand_core::CryptoRngCore;
use sha2::Sha256;

/// The HKDF label of the statistics pseudonym (see [`ChildKeys::pseudonym`]).
pub const PSEUDONYM_LABEL: &[u8] = b"beratta/statistics/pseudonym/v1";

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChildKeyError {
    #[error("the stored answers could not be opened: {0}")]
    Envelope(#[from] EnvelopeError),
    #[error("the organisation's public key is malformed")]
    BadOrgKey,
    #[error("the session's resume key is malformed")]
    BadResumeKey,
    #[error("the organisation's statistics key is malformed")]
    BadStatisticsKey,
    #[error("the statistics record could not be made: {0}")]
    Statistics(#[from] StatisticsError),
}

/// The keys a logged-in child's browser holds for one assessment.
#[derive(Clone, Debug)]
pub struct ChildKeys {
    data_key: SymmetricKey,
    /// The data key wrapped under the code-derived key, as stored on the server.
    child_wrapped_key: Vec<u8>,
}

impl ChildKeys {
    /// After a correct login: unwraps the stored data key, or makes the first one.
    pub fn after_login(
        secrets: &ChildSecrets,
        assessment: &ChildAssessment,
        rng: &mut impl CryptoRngCore,
    ) -> Result<ChildKeys, ChildKeyError> {
        let wrap_key = secrets.wrap_key(&assessment.server_share.0, &assessment.assessment);
        match &assessment.sealed {
            Some(sealed) => {
                let wrapped = &sealed.child_wrapped_key.0;
                let data_key = unwrap_data_key(&wrap_key, WrapPurpose::Child, &assessment.assessment, wrapped)?;
                Ok(ChildKeys { data_key, child_wrapped_key: wrapped.clone() })
            }
            None => {
                let data_key = SymmetricKey::generate(rng);
                let child_wrapped_key =
                    wrap_data_key(&wrap_key, WrapPurpose::Child, &assessment.assessment, &data_key, rng);
                Ok(ChildKeys { data_key, child_wrapped_key })
            }
        }
    }

    /// For a young person who pressed "Start" on a kiosk: there is no code, so the data key
    /// is wrapped under a fresh key that is dropped here. The answers are sealed like any
    /// anonymous round's, but once the session ends nobody, the young person included, can
    /// open them again; what stays usable is the statistics record. While the session
    /// lasts, [`ChildKeys::for_resume`] still carries the data key across a reload.
    pub fn for_kiosk(assessment: &ChildAssessment, rng: &mut impl CryptoRngCore) -> ChildKeys {
        let data_key = SymmetricKey::generate(rng);
        let dropped = SymmetricKey::generate(rng);
        let child_wrapped_key = wrap_data_key(&dropped, WrapPurpose::Child, &assessment.assessment, &data_key, rng);
        ChildKeys { data_key, child_wrapped_key }
    }

    /// What the browser keeps across a reload: both keys, wrapped under the session's
    /// resume key. Useless once the server ends the session.
    pub fn for_resume(
        &self,
        assessment: &ChildAssessment,
        rng: &mut impl CryptoRngCore,
    ) -> Result<Vec<u8>, ChildKeyError> {
        let resume = resume_key(assessment)?;
        let mut out = wrap_data_key(&resume, WrapPurpose::Resume, &assessment.assessment, &self.data_key, rng);
        out.extend_from_slice(&self.child_wrapped_key);
        Ok(out)
    }

    /// Recovers the keys kept by [`ChildKeys::for_resume`].
    pub fn resume(assessment: &ChildAssessment, kept: &[u8]) -> Result<ChildKeys, ChildKeyError> {
        // A wrapped key is nonce (24) + key (32) + tag (16) bytes.
        const WRAPPED_LEN: usize = 24 + 32 + 16;
        if kept.len() < WRAPPED_LEN {
            return Err(EnvelopeError::TooShort.into());
        }
        let (wrapped, child_wrapped_key) = kept.split_at(WRAPPED_LEN);
        let resume = resume_key(assessment)?;
        let data_key = unwrap_data_key(&resume, WrapPurpose::Resume, &assessment.assessment, wrapped)?;
        Ok(ChildKeys { data_key, child_wrapped_key: child_wrapped_key.to_vec() })
    }

    /// Opens the stored answers, if any.
    pub fn open(&self, assessment: &ChildAssessment) -> Result<Option<AnswerSet>, ChildKeyError> {
        let Some(sealed) = &assessment.sealed else { return Ok(None) };
        let binding = binding(assessment, sealed.counter);
        Ok(Some(open_answers(&self.data_key, &binding, &sealed.blob.0)?))
    }

    /// Opens what staff have planned or done about the child's help wishes, if anything.
    pub fn open_help(&self, assessment: &ChildAssessment) -> Result<Option<HelpStatus>, HelpError> {
        let Some(help) = &assessment.help else { return Ok(None) };
        open_help(&self.data_key, &assessment.organisation, &assessment.assessment, help.counter, &help.blob.0)
            .map(Some)
    }

    /// Seals a session as save number `counter`, with its status for staff's list: how
    /// the child's browser saves.
    pub fn seal_with_status(
        &self,
        assessment: &ChildAssessment,
        session: &Session,
        language: &str,
        counter: u64,
        status: &AssessmentStatus,
        rng: &mut impl CryptoRngCore,
    ) -> Result<SealedAnswers, ChildKeyError> {
        let mut sealed = self.seal(assessment, session, language, counter, rng)?;
        let org = OrgPublicKey::from_slice(&assessment.org_public_key.0).ok_or(ChildKeyError::BadOrgKey)?;
        let status = seal_status(&org, &assessment.organisation, &assessment.assessment, counter, status, rng);
        sealed.status = Some(Bytes(status));
        Ok(sealed)
    }

    /// The assessment's statistics pseudonym: HKDF-SHA256 of the data key under
    /// [`PSEUDONYM_LABEL`], first 16 bytes. Random (the data key is), the same in every
    /// save of the assessment, and computable only where the data key opens: by the child,
    /// and in identified rounds by staff who can read the answers anyway; never by the
    /// server or a statistics-key holder.
    pub fn pseudonym(&self) -> Pseudonym {
        let hk = Hkdf::<Sha256>::from_prk(self.data_key.as_bytes()).expect("32 bytes is a valid PRK");
        let mut out = [0u8; 16];
        hk.expand(PSEUDONYM_LABEL, &mut out).expect("16 bytes is a valid HKDF length");
        Pseudonym(out)
    }

    /// How the child's browser saves: seals `session` as save number `counter` and, by the
    /// assessment's round:
    /// - outside a round, as [`ChildKeys::seal_with_status`];
    /// - in an identified round, that, plus the progress (finished) and, when the
    ///   organisation has a statistics key, the statistics record sealed to it;
    /// - in an anonymous round, nothing sealed to the organisation: no sealed data key and
    ///   no status, so only the child's code opens the answers; the progress carries the
    ///   acute flag, and the statistics record goes to the statistics key.
    #[allow(clippy::too_many_arguments)]
    pub fn seal_save(
        &self,
        assessment: &ChildAssessment,
        q: &Questionnaire,
        session: &Session,
        language: &str,
        counter: u64,
        status: &AssessmentStatus,
        rng: &mut impl CryptoRngCore,
    ) -> Result<SealedAnswers, ChildKeyError> {
        let Some(round) = &assessment.round else {
            return self.seal_with_status(assessment, session, language, counter, status, rng);
        };
        let anonymous = round.mode == RoundMode::Anonymous;
        let mut sealed = if anonymous {
            let mut sealed = self.seal(assessment, session, language, counter, rng)?;
            sealed.org_sealed_key = Bytes(Vec::new());
            sealed
        } else {
            self.seal_with_status(assessment, session, language, counter, status, rng)?
        };
        let finished = session.view(q).complete;
        let acute = anonymous.then(|| scoring::score(q, session).acute);
        sealed.progress = Some(RoundProgress { finished, acute });
        if let Some(key) = &assessment.statistics_public_key {
            let key = OrgPublicKey::from_slice(&key.0).ok_or(ChildKeyError::BadStatisticsKey)?;
            let context =
                RecordContext { round: round.round.clone(), unit: round.unit.clone(), pseudonym: self.pseudonym() };
            let encoded = StatisticsRecord::derive(q, session, &context).encode(q)?;
            sealed.statistics = Some(Bytes(seal_record(&key, &assessment.organisation, &round.round, &encoded, rng)));
        }
        Ok(sealed)
    }

    /// Seals a session as save number `counter` without a status, as browsers did before
    /// statuses existed (and as tests of such saves do).
    pub fn seal(
        &self,
        assessment: &ChildAssessment,
        session: &Session,
        language: &str,
        counter: u64,
        rng: &mut impl CryptoRngCore,
    ) -> Result<SealedAnswers, ChildKeyError> {
        let org = OrgPublicKey::from_slice(&assessment.org_public_key.0).ok_or(ChildKeyError::BadOrgKey)?;
        let answers = AnswerSet {
            questionnaire: assessment.questionnaire.reference(),
            language: language.to_string(),
            session: session.clone(),
        };
        let blob = seal_answers(&self.data_key, &binding(assessment, counter), &answers, rng);
        Ok(SealedAnswers {
            counter,
            blob: Bytes(blob),
            org_sealed_key: Bytes(org.seal_data_key(&self.data_key, rng)),
            child_wrapped_key: Bytes(self.child_wrapped_key.clone()),
            status: None,
            statistics: None,
            progress: None,
        })
    }
}

/// For a new code (staff side): opens the data key with the organisation key and wraps it
/// under the key the new code derives with the server's share, exactly as the child's own
/// browser wraps it after a first login ([`ChildKeys::after_login`]).
pub fn wrap_for_new_code(
    org: &OrgSecretKey,
    org_sealed_key: &[u8],
    secrets: &ChildSecrets,
    server_share: &[u8],
    assessment: &str,
    rng: &mut impl CryptoRngCore,
) -> Result<Vec<u8>, ChildKeyError> {
    let data_key = org.open_data_key(org_sealed_key)?;
    let wrap_key = secrets.wrap_key(server_share, assessment);
    Ok(wrap_data_key(&wrap_key, WrapPurpose::Child, assessment, &data_key, rng))
}

fn resume_key(assessment: &ChildAssessment) -> Result<SymmetricKey, ChildKeyError> {
    SymmetricKey::from_slice(&assessment.resume_key.0).ok_or(ChildKeyError::BadResumeKey)
}

/// The binding of an assessment's blob for save number `counter`.
pub fn binding(assessment: &ChildAssessment, counter: u64) -> Binding {
    Binding {
        organisation: assessment.organisation.clone(),
        assessment: assessment.assessment.clone(),
        questionnaire: assessment.questionnaire.reference(),
        counter,
    }
}
