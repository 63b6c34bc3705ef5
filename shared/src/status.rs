//! An assessment's status for the list of children: started or finished, whether an answer
//! is acute, how many help wishes, and the day of the last change. The child's browser
//! derives it from the session with each save and seals it to the organisation, so that
//! staff see who needs them first without opening anyone's answers, and the server, which
//! stores it beside the answers, cannot read it.
//!
//! The encoding is seven bytes: a version, a flag byte, the help wishes and the day as days
//! since 1970-01-01 (big-endian). The seal (`OrgPublicKey::seal_bound`) is a fresh key sealed to the organisation's
//! public key (the sealed box the data key uses) followed by the encoding under that key,
//! with organisation, assessment and save counter as associated data: a status moved to
//! another assessment or save, or altered in any byte, does not open.

use crate::engine::Session;
use crate::envelope::{EnvelopeError, OrgPublicKey, OrgSecretKey, NONCE_LEN, SEALED_KEY_LEN, TAG_LEN};
use crate::questionnaire::Questionnaire;
use crate::scoring::{score, HelpWish};
use rand_core::CryptoRngCore;

/// The version byte of the encoding this code writes.
pub const STATUS_VERSION: u8 = 1;
/// Length of the encoding.
pub const STATUS_LEN: usize = 7;
/// Length of a sealed status: the sealed key, then nonce, encoding and tag.
pub const SEALED_STATUS_LEN: usize = SEALED_KEY_LEN + NONCE_LEN + STATUS_LEN + TAG_LEN;

const FINISHED: u8 = 0b01;
const URGENT: u8 = 0b10;

/// How far the child has come.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Progress {
    /// Some answers, not yet at the end.
    Started,
    /// The child reached the end of the questionnaire.
    Finished,
}

/// What staff may see of an assessment in the list, without its answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AssessmentStatus {
    pub progress: Progress,
    /// Some shown answer is acute: the child may be in danger now.
    pub urgent: bool,
    /// Risks the child wants help with, or is unsure about (as the summary lists them);
    /// at most 255.
    pub help_wishes: u8,
    /// The day of the last change, in days since 1970-01-01, as the caller's clock said.
    pub changed_on: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StatusError {
    #[error(transparent)]
    Envelope(#[from] EnvelopeError),
    #[error("the status is written in version {0}, which this code does not read")]
    UnknownVersion(u8),
    #[error("the status is not {STATUS_LEN} bytes or has unknown flags")]
    Malformed,
}

impl AssessmentStatus {
    /// The status of `session` in `q`, changed on day `today` (days since 1970-01-01).
    pub fn of(q: &Questionnaire, session: &Session, today: u32) -> AssessmentStatus {
        let profile = score(q, session);
        let wishes =
            profile.risks().filter(|r| matches!(r.wants_help, Some(HelpWish::Yes | HelpWish::NotSure))).count();
        AssessmentStatus {
            progress: if session.view(q).current.is_none() { Progress::Finished } else { Progress::Started },
            urgent: profile.acute,
            help_wishes: u8::try_from(wishes).unwrap_or(u8::MAX),
            changed_on: today,
        }
    }

    /// The compact, versioned encoding.
    pub fn encode(&self) -> [u8; STATUS_LEN] {
        let mut flags = 0;
        if self.progress == Progress::Finished {
            flags |= FINISHED;
        }
        if self.urgent {
            flags |= URGENT;
        }
        let day = self.changed_on.to_be_bytes();
        [STATUS_VERSION, flags, self.help_wishes, day[0], day[1], day[2], day[3]]
    }

    pub fn decode(bytes: &[u8]) -> Result<AssessmentStatus, StatusError> {
        let Some(&version) = bytes.first() else { return Err(StatusError::Malformed) };
        if version != STATUS_VERSION {
            return Err(StatusError::UnknownVersion(version));
        }
        let [_, flags, help_wishes, d0, d1, d2, d3] =
            <[u8; STATUS_LEN]>::try_from(bytes).map_err(|_| StatusError::Malformed)?;
        if flags & !(FINISHED | URGENT) != 0 {
            return Err(StatusError::Malformed);
        }
        Ok(AssessmentStatus {
            progress: if flags & FINISHED != 0 { Progress::Finished } else { Progress::Started },
            urgent: flags & URGENT != 0,
            help_wishes,
            changed_on: u32::from_be_bytes([d0, d1, d2, d3]),
        })
    }
}

/// What a sealed status is bound to.
fn associated_data(organisation: &str, assessment: &str, counter: u64) -> Vec<u8> {
    let mut out = b"beratta/status/v1".to_vec();
    for field in [organisation, assessment] {
        out.extend_from_slice(&(field.len() as u32).to_be_bytes());
        out.extend_from_slice(field.as_bytes());
    }
    out.extend_from_slice(&counter.to_be_bytes());
    out
}

/// Seals `status` to the organisation, bound to the assessment and its save `counter`.
pub fn seal_status(
    org: &OrgPublicKey,
    organisation: &str,
    assessment: &str,
    counter: u64,
    status: &AssessmentStatus,
    rng: &mut impl CryptoRngCore,
) -> Vec<u8> {
    org.seal_bound(&associated_data(organisation, assessment, counter), &status.encode(), rng)
}

/// Opens a status sealed by [`seal_status`]; fails unless the organisation key, the
/// binding and every byte are as sealed.
pub fn open_status(
    org: &OrgSecretKey,
    organisation: &str,
    assessment: &str,
    counter: u64,
    sealed: &[u8],
) -> Result<AssessmentStatus, StatusError> {
    let plain = org.open_bound(&associated_data(organisation, assessment, counter), sealed)?;
    AssessmentStatus::decode(&plain)
}

#[cfg(test)]
mod tests;
