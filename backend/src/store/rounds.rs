//! Rounds, interventions and statistics records in the store.
//!
//! Keys are made of length-prefixed parts (each part: its length as a big-endian `u32`,
//! then its bytes), so that no id can run into the next and one prefix scan reads all of
//! an organisation's rounds, or all of one round's statistics records:
//!
//! - `rounds`: organisation ‖ round id → `api::Round` (JSON);
//! - `interventions`: organisation ‖ intervention id → `api::Intervention` (JSON);
//!
//! The `statistics` tree (the newest sealed statistics record per assessment, written by
//! [`super::Store::save_answers`] in the same transaction as the answers) is read through
//! [`super::StatisticsStore`] and keyed by [`super::statistics_key`].

use super::{decode, encode, SledStore, StoreError};
use beratta_core::api::{Intervention, Round};

/// The key of parts `parts`, each length-prefixed.
fn key(parts: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    for part in parts {
        out.extend_from_slice(&(part.len() as u32).to_be_bytes());
        out.extend_from_slice(part.as_bytes());
    }
    out
}

/// Rounds and interventions.
pub trait RoundStore {
    /// Stores a new round of `organisation`; false if its id is taken.
    fn insert_round(&self, organisation: &str, round: &Round) -> Result<bool, StoreError>;
    fn round(&self, organisation: &str, id: &str) -> Result<Option<Round>, StoreError>;
    /// An organisation's rounds, oldest first.
    fn rounds(&self, organisation: &str) -> Result<Vec<Round>, StoreError>;
    /// Stores a new intervention of `organisation`; false if its id is taken.
    fn insert_intervention(&self, organisation: &str, intervention: &Intervention) -> Result<bool, StoreError>;
    fn interventions(&self, organisation: &str) -> Result<Vec<Intervention>, StoreError>;
}

impl RoundStore for SledStore {
    fn insert_round(&self, organisation: &str, round: &Round) -> Result<bool, StoreError> {
        let k = key(&[organisation, &round.round_id]);
        Ok(self.rounds.compare_and_swap(k, None as Option<&[u8]>, Some(encode(round)?))?.is_ok())
    }

    fn round(&self, organisation: &str, id: &str) -> Result<Option<Round>, StoreError> {
        self.rounds.get(key(&[organisation, id]))?.map(|v| decode("round", &v)).transpose()
    }

    fn rounds(&self, organisation: &str) -> Result<Vec<Round>, StoreError> {
        let mut rounds: Vec<Round> = Vec::new();
        for entry in self.rounds.scan_prefix(key(&[organisation])) {
            rounds.push(decode("round", &entry?.1)?);
        }
        rounds.sort_by(|a, b| (a.created_unix, &a.round_id).cmp(&(b.created_unix, &b.round_id)));
        Ok(rounds)
    }

    fn insert_intervention(&self, organisation: &str, intervention: &Intervention) -> Result<bool, StoreError> {
        let k = key(&[organisation, &intervention.intervention_id]);
        Ok(self.interventions.compare_and_swap(k, None as Option<&[u8]>, Some(encode(intervention)?))?.is_ok())
    }

    fn interventions(&self, organisation: &str) -> Result<Vec<Intervention>, StoreError> {
        let mut out: Vec<Intervention> = Vec::new();
        for entry in self.interventions.scan_prefix(key(&[organisation])) {
            out.push(decode("intervention", &entry?.1)?);
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }
}
