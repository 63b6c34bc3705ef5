//! The audit log in the store: one hash chain for the whole server, each record naming its
//! organisation, in a tree keyed by big-endian sequence number, with the newest record's
//! number and hash kept apart (`audit_head` in the meta tree) and moved in the same
//! transaction as each append. A record removed from the end therefore shows as well as
//! one removed from the middle.

use super::{decode, encode, transact, SledStore, StoreError};
use beratta_core::audit::{verify_chain, AuditEntry, AuditEvent, ChainBreak, HASH_LEN};
use sled::transaction::ConflictableTransactionError;
use sled::Transactional;

/// The tree the records live in.
pub const AUDIT_TREE: &str = "audit";
/// The key of the head in the meta tree: the newest record's seq (8 bytes, big-endian) and
/// hash.
pub const AUDIT_HEAD: &[u8] = b"audit_head";

/// The audit side of the server's storage.
pub trait AuditStore {
    /// Appends a record after the newest one and moves the head, atomically.
    fn append_audit(&self, event: AuditEvent) -> Result<AuditEntry, StoreError>;
    /// Up to `limit` records of one organisation, from seq `from` on, oldest first.
    fn audit_entries(&self, organisation: &str, from: u64, limit: usize) -> Result<Vec<AuditEntry>, StoreError>;
}

/// Why a stored chain does not verify.
#[derive(Debug, thiserror::Error)]
pub enum AuditFault {
    #[error("{0}")]
    Break(#[from] ChainBreak),
    #[error("record {seq} cannot be read: {reason}")]
    Unreadable { seq: u64, reason: String },
    #[error("the audit head cannot be read")]
    BadHead,
}

fn head_bytes(entry: &AuditEntry) -> Vec<u8> {
    [entry.seq.to_be_bytes().as_slice(), &entry.hash.0].concat()
}

fn parse_head(bytes: &[u8]) -> Option<(u64, Vec<u8>)> {
    if bytes.len() != 8 + HASH_LEN {
        return None;
    }
    let seq = u64::from_be_bytes(bytes[..8].try_into().ok()?);
    Some((seq, bytes[8..].to_vec()))
}

impl SledStore {
    /// Reads the whole chain in order and checks it against the head; returns the number
    /// of records, or the first fault.
    pub fn verify_audit(&self) -> Result<Result<u64, AuditFault>, StoreError> {
        let head = match self.meta.get(AUDIT_HEAD)? {
            Some(bytes) => match parse_head(&bytes) {
                Some(head) => Some(head),
                None => return Ok(Err(AuditFault::BadHead)),
            },
            None => None,
        };
        let mut entries = Vec::new();
        for item in self.audit.iter() {
            let (key, value) = item?;
            let seq = <[u8; 8]>::try_from(key.as_ref()).map(u64::from_be_bytes).unwrap_or(0);
            match serde_json::from_slice::<AuditEntry>(&value) {
                Ok(entry) => entries.push(entry),
                Err(e) => return Ok(Err(AuditFault::Unreadable { seq, reason: e.to_string() })),
            }
        }
        Ok(verify_chain(&entries, head.as_ref().map(|(seq, hash)| (*seq, hash.as_slice()))).map_err(AuditFault::from))
    }
}

impl AuditStore for SledStore {
    fn append_audit(&self, event: AuditEvent) -> Result<AuditEntry, StoreError> {
        let result = (&self.audit, &self.meta).transaction(|(audit, meta)| {
            let previous = match meta.get(AUDIT_HEAD)? {
                None => None,
                Some(bytes) => {
                    let corrupt = |reason: &str| StoreError::Corrupt { what: "audit", reason: reason.to_string() };
                    let (seq, hash) = parse_head(&bytes).ok_or_else(|| corrupt("the head has the wrong length"))?;
                    let bytes = audit.get(seq.to_be_bytes())?.ok_or_else(|| corrupt("the newest record is missing"))?;
                    let entry: AuditEntry = decode("audit", &bytes)?;
                    if entry.seq != seq || entry.hash.0 != hash {
                        // Appending to a chain whose end has been changed would hide the
                        // change behind a fresh link; refuse, so it is noticed.
                        return Err(corrupt("the newest record does not match the head").into());
                    }
                    Some(entry)
                }
            };
            let entry = AuditEntry::append(previous.as_ref(), event.clone());
            audit.insert(&entry.seq.to_be_bytes(), encode(&entry)?)?;
            meta.insert(AUDIT_HEAD, head_bytes(&entry))?;
            Ok::<_, ConflictableTransactionError<_>>(entry)
        });
        match transact::<_, ()>(result)? {
            Ok(entry) => Ok(entry),
            Err(()) => Err(StoreError::Corrupt { what: "audit", reason: "the append was refused".to_string() }),
        }
    }

    fn audit_entries(&self, organisation: &str, from: u64, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        let mut out = Vec::new();
        for item in self.audit.range(from.to_be_bytes()..) {
            if out.len() >= limit {
                break;
            }
            let entry: AuditEntry = decode("audit", &item?.1)?;
            if entry.organisation == organisation {
                out.push(entry);
            }
        }
        Ok(out)
    }
}
