//! Rounds, interventions and statistics records in the store.
//!
//! Keys are made of length-prefixed parts (`keys`), so that one prefix scan reads all of an
//! organisation's rounds, or all of one round's statistics records:
//!
//! - `rounds`: organisation ‖ round id → `api::Round` (JSON);
//! - `interventions`: organisation ‖ intervention id → `api::Intervention` (JSON);
//!
//! The `statistics` tree (the newest sealed statistics record per assessment, written by
//! [`super::Store::save_answers`] in the same transaction as the answers) is read through
//! [`super::StatisticsStore`] and keyed by [`super::statistics_key`].
//!
//! Closing a round ([`RoundStore::close_round`]) is a transaction on the round's key, and
//! every save's transaction reads that same key: sled runs the two one after the other, so
//! a save either lands wholly before the close (its record is in the release) or sees the
//! round closed and writes no record. That is what makes a closed round's records frozen.

use super::keys::{key, parts};
use super::{decode, encode, refuse, transact, SledStore, StoreError};
use crate::records::AssessmentRound;
use beratta_core::api::{Intervention, Round, RoundProgress};
use serde::de::IgnoredAny;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The key of round `id` of `organisation` in the tree `rounds`, for the save's
/// transaction, which reads it.
pub(super) fn round_key(organisation: &str, id: &str) -> Vec<u8> {
    key(&[organisation, id])
}

/// What came of closing a round.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Closing {
    /// Closed now, at the given moment: the caller audits it.
    Closed(Round),
    /// It was closed before; nothing changed.
    AlreadyClosed(Round),
    /// The organisation has no such round.
    NoRound,
}

/// Rounds and interventions.
pub trait RoundStore {
    /// Stores a new round of `organisation`; false if its id is taken.
    fn insert_round(&self, organisation: &str, round: &Round) -> Result<bool, StoreError>;
    fn round(&self, organisation: &str, id: &str) -> Result<Option<Round>, StoreError>;
    /// An organisation's rounds, oldest first.
    fn rounds(&self, organisation: &str) -> Result<Vec<Round>, StoreError>;
    /// Closes round `id` of `organisation` at `now`, freezing its release: from then on no
    /// save writes a statistics record of the round (see [`super::Store::save_answers`]).
    /// Serialised against saves, so that every save lands wholly before the close or
    /// writes no record. A round closed already stays as it was.
    fn close_round(&self, organisation: &str, id: &str, now: u64) -> Result<Closing, StoreError>;
    /// Every open round of every organisation whose last day is before `day`
    /// (`YYYY-MM-DD`), with its organisation: the rounds the sweep closes.
    fn open_rounds_ended_before(&self, day: &str) -> Result<Vec<(String, Round)>, StoreError>;
    /// Stores a new intervention of `organisation`; false if its id is taken.
    fn insert_intervention(&self, organisation: &str, intervention: &Intervention) -> Result<bool, StoreError>;
    fn interventions(&self, organisation: &str) -> Result<Vec<Intervention>, StoreError>;
    /// How many children each round of `organisation` has, by round id: revoked
    /// assessments are not counted. Reads only the few fields it counts, never a child's
    /// sealed answers, so the rounds list of a municipality stays quick.
    fn round_counts(&self, organisation: &str) -> Result<BTreeMap<String, RoundCounts>, StoreError>;
}

/// A round's children: invited, started (something saved), finished, and (as reported by
/// anonymous rounds' progress) with an acute answer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RoundCounts {
    pub invited: u64,
    pub started: u64,
    pub finished: u64,
    pub acute: u64,
}

/// The fields of a stored assessment that [`RoundStore::round_counts`] reads; serde skips
/// the rest of the record without keeping it.
#[derive(Deserialize)]
struct Counted {
    organisation: String,
    sealed: Option<IgnoredAny>,
    #[serde(default)]
    revoked: bool,
    #[serde(default)]
    round: Option<AssessmentRound>,
    #[serde(default)]
    progress: Option<RoundProgress>,
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

    fn close_round(&self, organisation: &str, id: &str, now: u64) -> Result<Closing, StoreError> {
        let k = key(&[organisation, id]);
        let result = self.rounds.transaction(|rounds| {
            let Some(bytes) = rounds.get(&k)? else { return refuse(()) };
            let mut round: Round = decode("round", &bytes)?;
            if round.is_closed() {
                return Ok(Closing::AlreadyClosed(round));
            }
            round.closed_unix = Some(now);
            rounds.insert(k.as_slice(), encode(&round)?)?;
            Ok(Closing::Closed(round))
        });
        Ok(transact(result)?.unwrap_or(Closing::NoRound))
    }

    fn open_rounds_ended_before(&self, day: &str) -> Result<Vec<(String, Round)>, StoreError> {
        let mut out = Vec::new();
        for entry in self.rounds.iter() {
            let (k, value) = entry?;
            let round: Round = decode("round", &value)?;
            if round.is_closed() || round.closes.as_str() >= day {
                continue;
            }
            let organisation = parts(&k)
                .and_then(|p| p.into_iter().next())
                .ok_or_else(|| StoreError::Corrupt { what: "round key", reason: "not length-prefixed parts".into() })?;
            out.push((organisation, round));
        }
        Ok(out)
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

    fn round_counts(&self, organisation: &str) -> Result<BTreeMap<String, RoundCounts>, StoreError> {
        let mut counts: BTreeMap<String, RoundCounts> = BTreeMap::new();
        for entry in self.assessments.iter() {
            let (_, value) = entry?;
            let a: Counted = decode("assessment", &value)?;
            let (false, Some(round)) = (a.revoked || a.organisation != organisation, a.round) else { continue };
            let c = counts.entry(round.round).or_default();
            c.invited += 1;
            c.started += u64::from(a.sealed.is_some());
            c.finished += u64::from(a.progress.is_some_and(|p| p.finished));
            c.acute += u64::from(a.progress.is_some_and(|p| p.acute == Some(true)));
        }
        Ok(counts)
    }
}
