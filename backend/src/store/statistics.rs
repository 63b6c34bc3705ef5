//! The statistics side of the store: each assessment's newest sealed statistics record,
//! in the sled tree `statistics`, keyed by organisation, round and assessment, so that one
//! prefix scan reads one round of one organisation. The server cannot open a record; it
//! hands a round's records to statistics-key holders (`routes::statistics`).

use super::keys::key;
use super::{SledStore, StoreError};
use beratta_core::api::Bytes;

/// The statistics side of the server's storage.
pub trait StatisticsStore {
    /// Sets the organisation's statistics public key, with no holder; false if there is no
    /// such organisation. For the `demo` commands and tests, which hold the secret key
    /// themselves; an administrator's browser goes through `StaffStore::set_statistics_key`,
    /// which also stores their copy and refuses a second key.
    fn set_statistics_public_key(&self, organisation: &str, key: &Bytes) -> Result<bool, StoreError>;
    /// Stores `sealed` as the newest statistics record of `assessment` in `round` of
    /// `organisation`, replacing an older one. For tests and generated data: a child's
    /// save writes its record itself, in the same transaction as the answers
    /// ([`super::Store::save_answers`]), under the same [`statistics_key`].
    fn put_statistics_record(
        &self,
        organisation: &str,
        round: &str,
        assessment: &str,
        sealed: &[u8],
    ) -> Result<(), StoreError>;
    /// How many records one round of one organisation holds.
    fn count_statistics_records(&self, organisation: &str, round: &str) -> Result<u64, StoreError>;
    /// The sealed records of one round of one organisation whose assessment id `keep`
    /// accepts, without the ids, in the store's order (the caller shuffles). Memory is what
    /// `keep` lets through, so a caller that pages keeps it bounded.
    fn statistics_records(
        &self,
        organisation: &str,
        round: &str,
        keep: &dyn Fn(&[u8]) -> bool,
    ) -> Result<Vec<Bytes>, StoreError>;
}

/// The prefix of one round of one organisation: each with its 32-bit big-endian length,
/// so no two (organisation, round) pairs share a prefix.
fn round_prefix(organisation: &str, round: &str) -> Vec<u8> {
    key(&[organisation, round])
}

/// The key of one assessment's record in the tree `statistics`: organisation ‖ round ‖
/// assessment, each part length-prefixed (a big-endian `u32`, then the bytes), so the
/// records of one round are the keys that start with the round's prefix.
pub fn statistics_key(organisation: &str, round: &str, assessment: &str) -> Vec<u8> {
    key(&[organisation, round, assessment])
}

impl StatisticsStore for SledStore {
    fn set_statistics_public_key(&self, organisation: &str, public_key: &Bytes) -> Result<bool, StoreError> {
        let set = |org: &mut crate::records::Organisation| org.statistics_public_key = Some(public_key.clone());
        Ok(super::update_record(&self.organisations, "organisation", organisation.as_bytes(), &set)?.is_some())
    }

    fn put_statistics_record(
        &self,
        organisation: &str,
        round: &str,
        assessment: &str,
        sealed: &[u8],
    ) -> Result<(), StoreError> {
        self.statistics.insert(statistics_key(organisation, round, assessment), sealed)?;
        Ok(())
    }

    fn count_statistics_records(&self, organisation: &str, round: &str) -> Result<u64, StoreError> {
        let mut count = 0;
        for entry in self.statistics.scan_prefix(round_prefix(organisation, round)).keys() {
            entry?;
            count += 1;
        }
        Ok(count)
    }

    fn statistics_records(
        &self,
        organisation: &str,
        round: &str,
        keep: &dyn Fn(&[u8]) -> bool,
    ) -> Result<Vec<Bytes>, StoreError> {
        let prefix = round_prefix(organisation, round);
        let mut out = Vec::new();
        for entry in self.statistics.scan_prefix(&prefix) {
            let (key, value) = entry?;
            if keep(&key[prefix.len()..]) {
                out.push(Bytes(value.to_vec()));
            }
        }
        Ok(out)
    }
}
