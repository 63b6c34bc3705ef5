//! Kiosks in the store: browsers at a youth centre that take anonymous answers for one
//! round without cards.
//!
//! - `kiosks`: organisation ‖ kiosk id (each length-prefixed, `keys`) →
//!   `api::Kiosk` (JSON);
//! - `kiosk_tokens`: `reg:` ‖ SHA-256 of a one-time registration token, or `dev:` ‖ SHA-256
//!   of a device token → the kiosk's key in `kiosks`. Neither token is stored, so a copy
//!   of the database starts no kiosk.
//!
//! Registering takes the registration token away and puts the device token in, in one
//! transaction, so a link works once; revoking takes both away.

use super::keys::{key, parts};
use super::{decode, encode, refuse, transact, update_record, SessionKey, SledStore, StoreError};
use beratta_core::api::Kiosk;
use sled::transaction::ConflictableTransactionError;
use sled::Transactional;

/// The organisation a kiosk key starts with.
fn organisation_of(kiosk_key: &[u8]) -> Result<String, StoreError> {
    parts(kiosk_key)
        .and_then(|p| p.into_iter().next())
        .ok_or_else(|| StoreError::Corrupt { what: "kiosk token", reason: "a malformed kiosk key".into() })
}

fn registration_key(hash: &SessionKey) -> Vec<u8> {
    [b"reg:".as_slice(), hash].concat()
}

fn device_key(hash: &SessionKey) -> Vec<u8> {
    [b"dev:".as_slice(), hash].concat()
}

/// Kiosks and their tokens.
pub trait KioskStore {
    /// Stores a new kiosk of `organisation`, whose one-time registration token hashes to
    /// `registration`; false if its id is taken.
    fn insert_kiosk(&self, organisation: &str, kiosk: &Kiosk, registration: &SessionKey) -> Result<bool, StoreError>;
    /// An organisation's kiosks, oldest first.
    fn kiosks(&self, organisation: &str) -> Result<Vec<Kiosk>, StoreError>;
    /// Uses up the registration token hashing to `registration`, if it names a kiosk that is
    /// not registered, not revoked and whose link has not expired at `now`: from then on
    /// the device token hashing to `device` is that kiosk's. Returns its organisation and
    /// the kiosk as it now stands; `None` changes nothing.
    fn register_kiosk(
        &self,
        registration: &SessionKey,
        device: &SessionKey,
        now: u64,
    ) -> Result<Option<(String, Kiosk)>, StoreError>;
    /// The live kiosk whose device token hashes to `device`, with its organisation.
    fn kiosk_by_device(&self, device: &SessionKey) -> Result<Option<(String, Kiosk)>, StoreError>;
    /// Takes kiosk `id` of `organisation` out of use for good: its tokens go. `None` if
    /// there is no such kiosk.
    fn revoke_kiosk(&self, organisation: &str, id: &str) -> Result<Option<Kiosk>, StoreError>;
}

impl KioskStore for SledStore {
    fn insert_kiosk(&self, organisation: &str, kiosk: &Kiosk, registration: &SessionKey) -> Result<bool, StoreError> {
        let key = key(&[organisation, &kiosk.kiosk_id]);
        let value = encode(kiosk)?;
        let result = (&self.kiosks, &self.kiosk_tokens).transaction(|(kiosks, tokens)| {
            if kiosks.get(&key)?.is_some() || tokens.get(registration_key(registration))?.is_some() {
                return refuse(());
            }
            kiosks.insert(key.as_slice(), value.as_slice())?;
            tokens.insert(registration_key(registration), key.as_slice())?;
            Ok::<_, ConflictableTransactionError<_>>(())
        });
        Ok(transact(result)?.is_ok())
    }

    fn kiosks(&self, organisation: &str) -> Result<Vec<Kiosk>, StoreError> {
        let mut out: Vec<Kiosk> = Vec::new();
        for entry in self.kiosks.scan_prefix(key(&[organisation])) {
            out.push(decode("kiosk", &entry?.1)?);
        }
        out.sort_by(|a, b| (a.created_unix, &a.kiosk_id).cmp(&(b.created_unix, &b.kiosk_id)));
        Ok(out)
    }

    fn register_kiosk(
        &self,
        registration: &SessionKey,
        device: &SessionKey,
        now: u64,
    ) -> Result<Option<(String, Kiosk)>, StoreError> {
        let result = (&self.kiosks, &self.kiosk_tokens).transaction(|(kiosks, tokens)| {
            let Some(key) = tokens.get(registration_key(registration))? else { return refuse(()) };
            let Some(bytes) = kiosks.get(&key)? else { return refuse(()) };
            let mut kiosk: Kiosk = decode("kiosk", &bytes)?;
            if kiosk.registered || kiosk.revoked || now >= kiosk.registration_expires_unix {
                return refuse(());
            }
            kiosk.registered = true;
            kiosks.insert(&key, encode(&kiosk)?)?;
            tokens.remove(registration_key(registration))?;
            tokens.insert(device_key(device), &key)?;
            Ok::<_, ConflictableTransactionError<_>>((organisation_of(&key)?, kiosk))
        });
        Ok(transact(result)?.ok())
    }

    fn kiosk_by_device(&self, device: &SessionKey) -> Result<Option<(String, Kiosk)>, StoreError> {
        let Some(key) = self.kiosk_tokens.get(device_key(device))? else { return Ok(None) };
        let Some(bytes) = self.kiosks.get(&key)? else { return Ok(None) };
        let kiosk: Kiosk = decode("kiosk", &bytes)?;
        Ok((!kiosk.revoked).then_some((organisation_of(&key)?, kiosk)))
    }

    fn revoke_kiosk(&self, organisation: &str, id: &str) -> Result<Option<Kiosk>, StoreError> {
        let at = key(&[organisation, id]);
        let Some(kiosk) = update_record(&self.kiosks, "kiosk", &at, &|k: &mut Kiosk| k.revoked = true)? else {
            return Ok(None);
        };
        // The tokens point at the kiosk, which is revoked now and starts nothing; they go
        // too, so that nothing is kept for a kiosk out of use.
        for entry in self.kiosk_tokens.iter() {
            let (token, target) = entry?;
            if target.as_ref() == at.as_slice() {
                self.kiosk_tokens.remove(token)?;
            }
        }
        Ok(Some(kiosk))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kiosk(id: &str, expires: u64) -> Kiosk {
        Kiosk {
            kiosk_id: id.into(),
            name: "Fritidsgården".into(),
            round: "r1".into(),
            created_by: "admin".into(),
            created_unix: 10,
            registered: false,
            registration_expires_unix: expires,
            revoked: false,
        }
    }

    #[test]
    fn a_registration_link_works_once_before_it_expires_and_a_revoked_kiosk_starts_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SledStore::open(dir.path()).expect("store");
        assert!(store.insert_kiosk("org", &kiosk("k1", 100), &[1; 32]).expect("insert"));
        assert!(!store.insert_kiosk("org", &kiosk("k1", 100), &[2; 32]).expect("insert"), "a taken id");

        assert_eq!(store.register_kiosk(&[9; 32], &[3; 32], 50).expect("register"), None, "an unknown link");
        assert_eq!(store.register_kiosk(&[1; 32], &[3; 32], 100).expect("register"), None, "an expired link");
        let (org, registered) = store.register_kiosk(&[1; 32], &[3; 32], 99).expect("register").expect("registered");
        assert_eq!((org.as_str(), registered.registered), ("org", true));
        assert_eq!(store.register_kiosk(&[1; 32], &[4; 32], 99).expect("register"), None, "a used link");
        assert_eq!(store.kiosk_by_device(&[4; 32]).expect("device"), None);
        assert_eq!(
            store.kiosk_by_device(&[3; 32]).expect("device").map(|(o, k)| (o, k.kiosk_id)),
            Some(("org".into(), "k1".into()))
        );

        assert_eq!(store.revoke_kiosk("other", "k1").expect("revoke"), None, "another organisation's");
        assert!(store.revoke_kiosk("org", "k1").expect("revoke").expect("revoked").revoked);
        assert_eq!(store.kiosk_by_device(&[3; 32]).expect("device"), None);
        assert_eq!(store.kiosk_tokens.len(), 0, "a revoked kiosk keeps no token");
        assert_eq!(store.kiosks("org").expect("list").len(), 1);
        assert!(store.kiosks("other").expect("list").is_empty());
    }
}
