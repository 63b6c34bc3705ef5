//! The help loop: what staff have planned or done about each thing a child wants help with,
//! with a short note for the child. Sealed under the assessment's data key, so the child
//! (who holds that key through their code) and staff (through the organisation key) can read
//! it, and the server cannot.

use crate::envelope::{EnvelopeError, SymmetricKey};
use crate::scoring::RiskFinding;
use rand_core::CryptoRngCore;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use zeroize::Zeroizing;

/// Longest note to the child, in characters.
pub const MAX_NOTE_CHARS: usize = 500;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HelpState {
    /// Staff have planned what to do.
    Planned,
    /// It has been done.
    Handled,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpEntry {
    pub state: HelpState,
    /// A short note written for the child to read.
    pub note: String,
}

/// Every help wish's status, keyed by [`finding_key`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpStatus {
    pub entries: BTreeMap<String, HelpEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HelpError {
    #[error("a note to the child can have at most {MAX_NOTE_CHARS} characters")]
    NoteTooLong,
    #[error(transparent)]
    Envelope(#[from] EnvelopeError),
    #[error("the help status is not readable: {0}")]
    Malformed(String),
}

/// The stable key of a finding: its item, and its option on a multiple-choice item.
pub fn finding_key(finding: &RiskFinding) -> String {
    match &finding.option {
        Some(option) => format!("{}/{option}", finding.item),
        None => finding.item.clone(),
    }
}

impl HelpStatus {
    pub fn set(&mut self, key: String, state: HelpState, note: &str) -> Result<(), HelpError> {
        let note = note.trim();
        if note.chars().count() > MAX_NOTE_CHARS {
            return Err(HelpError::NoteTooLong);
        }
        self.entries.insert(key, HelpEntry { state, note: note.to_string() });
        Ok(())
    }
}

fn aad(organisation: &str, assessment: &str, counter: u64) -> Vec<u8> {
    let mut out = b"beratta/help/v1".to_vec();
    for field in [organisation, assessment] {
        out.extend_from_slice(&(field.len() as u32).to_be_bytes());
        out.extend_from_slice(field.as_bytes());
    }
    out.extend_from_slice(&counter.to_be_bytes());
    out
}

pub fn seal_help(
    data_key: &SymmetricKey,
    organisation: &str,
    assessment: &str,
    counter: u64,
    status: &HelpStatus,
    rng: &mut impl CryptoRngCore,
) -> Vec<u8> {
    let plaintext = Zeroizing::new(serde_json::to_vec(status).expect("a help status always serialises"));
    data_key.encrypt(&aad(organisation, assessment, counter), &plaintext, rng)
}

pub fn open_help(
    data_key: &SymmetricKey,
    organisation: &str,
    assessment: &str,
    counter: u64,
    blob: &[u8],
) -> Result<HelpStatus, HelpError> {
    let plaintext = Zeroizing::new(data_key.decrypt(&aad(organisation, assessment, counter), blob)?);
    serde_json::from_slice(&plaintext).map_err(|e| HelpError::Malformed(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::OsRng;

    #[test]
    fn a_sealed_help_status_opens_only_for_its_assessment_and_counter() {
        let key = SymmetricKey::generate(&mut OsRng);
        let mut status = HelpStatus::default();
        status.set("secret".into(), HelpState::Planned, "  Vi ses på tisdag.  ").unwrap();
        let blob = seal_help(&key, "org", "as-1", 2, &status, &mut OsRng);
        let opened = open_help(&key, "org", "as-1", 2, &blob).unwrap();
        assert_eq!(opened.entries["secret"], HelpEntry { state: HelpState::Planned, note: "Vi ses på tisdag.".into() });
        assert!(open_help(&key, "org", "as-2", 2, &blob).is_err());
        assert!(open_help(&key, "org", "as-1", 1, &blob).is_err());
        assert!(open_help(&SymmetricKey::generate(&mut OsRng), "org", "as-1", 2, &blob).is_err());
    }

    #[test]
    fn a_note_is_short() {
        let mut status = HelpStatus::default();
        assert_eq!(status.set("x".into(), HelpState::Handled, &"a".repeat(501)), Err(HelpError::NoteTooLong));
    }
}
