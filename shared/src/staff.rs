//! Staff keys. The organisation's secret key exists in the clear only in staff browsers:
//! it is stored wrapped under each staff member's password-derived wrap key, under the
//! printable recovery key, and (while a new colleague enrols) under a one-time enrolment
//! key that travels only in a link's fragment; and, for one staff login session, under a
//! key the server holds for that session only, so that a reload need not ask for the
//! password again. The statistics key (which opens de-identified statistics records and
//! nothing else) is wrapped the same way under another label, and granted to a colleague by
//! sealing it to their personal key pair, whose secret half is wrapped under their password.
//! SECURITY.md states the construction.

use crate::envelope::{EnvelopeError, OrgPublicKey, OrgSecretKey, SymmetricKey, KEY_LEN};
use crate::login::{stretch_and_split, KdfParams, LoginError};
use hkdf::Hkdf;
use rand_core::CryptoRngCore;
use sha2::Sha256;
use zeroize::Zeroizing;

pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 128;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error(
        "a password needs at least {MIN_PASSWORD_CHARS} characters; a few ordinary words together make a good one"
    )]
    TooShort,
    #[error("a password can have at most {MAX_PASSWORD_CHARS} characters")]
    TooLong,
}

/// Checks a new password: long enough to resist guessing, any characters allowed.
pub fn check_new_password(password: &str) -> Result<(), PasswordError> {
    match password.chars().count() {
        n if n < MIN_PASSWORD_CHARS => Err(PasswordError::TooShort),
        n if n > MAX_PASSWORD_CHARS => Err(PasswordError::TooLong),
        _ => Ok(()),
    }
}

/// What the browser derives from a password.
pub struct StaffSecrets {
    /// Sent at login; the server keeps only a keyed hash of it.
    pub login_proof: [u8; KEY_LEN],
    /// Opens the organisation key; never sent.
    pub wrap_key: SymmetricKey,
}

pub fn derive_staff_secrets(password: &str, salt: &[u8], params: &KdfParams) -> Result<StaffSecrets, LoginError> {
    let (login_proof, seed) = stretch_and_split(
        password.as_bytes(),
        salt,
        params,
        b"beratta/staff/login-proof/v1",
        b"beratta/staff/wrap-key/v1",
    )?;
    Ok(StaffSecrets { login_proof, wrap_key: SymmetricKey::from_bytes(*seed) })
}

/// Under what a copy of the organisation key is wrapped; part of the associated data, so a
/// copy made for one holder never opens as another's. Staff are named by username, which is
/// unique in an organisation and known to every party before the server assigns ids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyHolder<'a> {
    Staff(&'a str),
    Recovery,
    Enrolment(&'a str),
    /// The copy a staff browser keeps in `sessionStorage` for one login session, wrapped
    /// under the random key the server holds for that session (named by username).
    Session(&'a str),
}

/// Which secret key a wrapped copy holds: the organisation key (opens children's
/// answers), the statistics key (opens de-identified statistics records only), or a staff
/// member's personal key (opens the statistics key granted to them). Part of the associated
/// data, so one never unwraps as another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretKind {
    Organisation,
    Statistics,
    Personal,
}

fn holder_aad(kind: SecretKind, organisation: &str, holder: &KeyHolder) -> Vec<u8> {
    let (label, id): (&[u8], &str) = match holder {
        KeyHolder::Staff(id) => (b"staff", id),
        KeyHolder::Recovery => (b"recovery", ""),
        KeyHolder::Enrolment(id) => (b"enrolment", id),
        KeyHolder::Session(id) => (b"session", id),
    };
    let mut out = match kind {
        SecretKind::Organisation => b"beratta/org-key/v1/".to_vec(),
        SecretKind::Statistics => b"beratta/statistics-key/v1/".to_vec(),
        SecretKind::Personal => b"beratta/personal-key/v1/".to_vec(),
    };
    out.extend_from_slice(label);
    for field in [organisation, id] {
        out.extend_from_slice(&(field.len() as u32).to_be_bytes());
        out.extend_from_slice(field.as_bytes());
    }
    out
}

pub fn wrap_org_key(
    wrapping_key: &SymmetricKey,
    organisation: &str,
    holder: &KeyHolder,
    org_key: &OrgSecretKey,
    rng: &mut impl CryptoRngCore,
) -> Vec<u8> {
    wrap_secret(SecretKind::Organisation, wrapping_key, organisation, holder, org_key, rng)
}

pub fn unwrap_org_key(
    wrapping_key: &SymmetricKey,
    organisation: &str,
    holder: &KeyHolder,
    wrapped: &[u8],
) -> Result<OrgSecretKey, EnvelopeError> {
    unwrap_secret(SecretKind::Organisation, wrapping_key, organisation, holder, wrapped)
}

/// Wraps one of the organisation's secret keys for one holder.
pub fn wrap_secret(
    kind: SecretKind,
    wrapping_key: &SymmetricKey,
    organisation: &str,
    holder: &KeyHolder,
    secret: &OrgSecretKey,
    rng: &mut impl CryptoRngCore,
) -> Vec<u8> {
    let bytes = Zeroizing::new(secret.to_bytes());
    wrapping_key.encrypt(&holder_aad(kind, organisation, holder), bytes.as_ref(), rng)
}

/// Unwraps a copy made by [`wrap_secret`] for the same kind, organisation and holder.
pub fn unwrap_secret(
    kind: SecretKind,
    wrapping_key: &SymmetricKey,
    organisation: &str,
    holder: &KeyHolder,
    wrapped: &[u8],
) -> Result<OrgSecretKey, EnvelopeError> {
    let bytes = Zeroizing::new(wrapping_key.decrypt(&holder_aad(kind, organisation, holder), wrapped)?);
    let array: [u8; KEY_LEN] = bytes.as_slice().try_into().map_err(|_| EnvelopeError::Rejected)?;
    Ok(OrgSecretKey::from_bytes(array))
}

/// What a grant of the statistics key is bound to: the organisation and the holder's
/// username, so a grant moved to another account or organisation does not open.
fn grant_aad(organisation: &str, username: &str) -> Vec<u8> {
    let mut out = b"beratta/statistics-grant/v1".to_vec();
    for field in [organisation, username] {
        out.extend_from_slice(&(field.len() as u32).to_be_bytes());
        out.extend_from_slice(field.as_bytes());
    }
    out
}

/// Grants the statistics key to a colleague whose password the granter does not know: the
/// granter's browser seals it to the colleague's personal public key
/// ([`OrgPublicKey::seal_bound`], bound to organisation and username).
pub fn grant_statistics_key(
    holder_public: &OrgPublicKey,
    organisation: &str,
    username: &str,
    statistics_key: &OrgSecretKey,
    rng: &mut impl CryptoRngCore,
) -> Vec<u8> {
    let bytes = Zeroizing::new(statistics_key.to_bytes());
    holder_public.seal_bound(&grant_aad(organisation, username), bytes.as_ref(), rng)
}

/// Opens a grant made by [`grant_statistics_key`] with the holder's personal secret key.
pub fn open_statistics_grant(
    personal: &OrgSecretKey,
    organisation: &str,
    username: &str,
    sealed: &[u8],
) -> Result<OrgSecretKey, EnvelopeError> {
    let bytes = Zeroizing::new(personal.open_bound(&grant_aad(organisation, username), sealed)?);
    let array: [u8; KEY_LEN] = bytes.as_slice().try_into().map_err(|_| EnvelopeError::Rejected)?;
    Ok(OrgSecretKey::from_bytes(array))
}

/// The printable recovery key: 256 random bits as 16 groups of 4 hex digits.
pub struct RecoveryKey(SymmetricKey);

impl RecoveryKey {
    pub fn generate(rng: &mut impl CryptoRngCore) -> RecoveryKey {
        RecoveryKey(SymmetricKey::generate(rng))
    }

    pub fn key(&self) -> &SymmetricKey {
        &self.0
    }

    pub fn display(&self) -> String {
        let hex: String = self.0.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
        hex.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
    }

    /// What the browser sends to prove it holds the recovery key:
    /// `HKDF-SHA256(ikm = key, salt = none, info = "beratta/staff/recovery-proof/v1")`, 32
    /// bytes. The server keeps only a keyed hash of it (set at set-up), so it can check a
    /// recovery without ever holding anything that opens the recovery copy. It names no
    /// organisation, because the person recovering knows only their username (each
    /// organisation's key is 256 random bits of its own).
    pub fn proof(&self) -> [u8; KEY_LEN] {
        let hk = Hkdf::<Sha256>::new(None, self.0.as_bytes());
        let mut proof = [0u8; KEY_LEN];
        hk.expand(b"beratta/staff/recovery-proof/v1", &mut proof).expect("32 bytes is a valid HKDF length");
        proof
    }

    /// Reads a recovery key as printed, ignoring case, spaces and dashes.
    pub fn parse(text: &str) -> Option<RecoveryKey> {
        let digits: Vec<u8> = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_digit(16).map(|d| d as u8))
            .collect::<Option<_>>()?;
        if digits.len() != 2 * KEY_LEN {
            return None;
        }
        let bytes: Vec<u8> = digits.chunks(2).map(|p| p[0] << 4 | p[1]).collect();
        SymmetricKey::from_slice(&bytes).map(RecoveryKey)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::OsRng;

    const FAST: KdfParams = KdfParams { memory_kib: 64, iterations: 1, parallelism: 1 };

    #[test]
    fn the_proof_sent_at_login_does_not_open_the_organisation_key() {
        let org = OrgSecretKey::generate(&mut OsRng);
        let secrets = derive_staff_secrets("correct horse battery", &[1; 16], &FAST).unwrap();
        let wrapped = wrap_org_key(&secrets.wrap_key, "org", &KeyHolder::Staff("s1"), &org, &mut OsRng);
        // Everything the server receives at login, used as a key, opens nothing.
        let as_key = SymmetricKey::from_bytes(secrets.login_proof);
        assert!(unwrap_org_key(&as_key, "org", &KeyHolder::Staff("s1"), &wrapped).is_err());
        let again = derive_staff_secrets("correct horse battery", &[1; 16], &FAST).unwrap();
        let opened = unwrap_org_key(&again.wrap_key, "org", &KeyHolder::Staff("s1"), &wrapped).unwrap();
        assert_eq!(opened.to_bytes(), org.to_bytes());
        let wrong = derive_staff_secrets("correct horse batterY", &[1; 16], &FAST).unwrap();
        assert!(unwrap_org_key(&wrong.wrap_key, "org", &KeyHolder::Staff("s1"), &wrapped).is_err());
    }

    #[test]
    fn a_wrapped_copy_opens_only_for_its_holder_and_organisation() {
        let org = OrgSecretKey::generate(&mut OsRng);
        let key = SymmetricKey::generate(&mut OsRng);
        let wrapped = wrap_org_key(&key, "org", &KeyHolder::Enrolment("s2"), &org, &mut OsRng);
        assert!(unwrap_org_key(&key, "org", &KeyHolder::Enrolment("s2"), &wrapped).is_ok());
        assert!(unwrap_org_key(&key, "org", &KeyHolder::Staff("s2"), &wrapped).is_err());
        assert!(unwrap_org_key(&key, "org", &KeyHolder::Enrolment("s3"), &wrapped).is_err());
        assert!(unwrap_org_key(&key, "org2", &KeyHolder::Enrolment("s2"), &wrapped).is_err());
    }

    #[test]
    fn a_statistics_key_copy_never_unwraps_as_the_organisation_key_and_back() {
        let statistics = OrgSecretKey::generate(&mut OsRng);
        let key = SymmetricKey::generate(&mut OsRng);
        let holder = KeyHolder::Staff("analyst");
        let wrapped = wrap_secret(SecretKind::Statistics, &key, "org", &holder, &statistics, &mut OsRng);
        let opened = unwrap_secret(SecretKind::Statistics, &key, "org", &holder, &wrapped).unwrap();
        assert_eq!(opened.to_bytes(), statistics.to_bytes());
        assert!(unwrap_org_key(&key, "org", &holder, &wrapped).is_err());
        let org_copy = wrap_org_key(&key, "org", &holder, &statistics, &mut OsRng);
        assert!(unwrap_secret(SecretKind::Statistics, &key, "org", &holder, &org_copy).is_err());
    }

    #[test]
    fn a_grant_opens_only_with_the_holders_personal_key_for_their_name_and_organisation() {
        let statistics = OrgSecretKey::generate(&mut OsRng);
        let personal = OrgSecretKey::generate(&mut OsRng);
        let grant = grant_statistics_key(&personal.public_key(), "org", "ana", &statistics, &mut OsRng);
        let opened = open_statistics_grant(&personal, "org", "ana", &grant).unwrap();
        assert_eq!(opened.to_bytes(), statistics.to_bytes());
        assert!(open_statistics_grant(&personal, "org", "bo", &grant).is_err());
        assert!(open_statistics_grant(&personal, "org2", "ana", &grant).is_err());
        assert!(open_statistics_grant(&OrgSecretKey::generate(&mut OsRng), "org", "ana", &grant).is_err());
        // The grant is not the statistics key in any form the organisation key opens.
        assert!(statistics.open_bound(b"beratta/statistics-grant/v1", &grant).is_err());
    }

    #[test]
    fn a_personal_key_copy_never_unwraps_as_the_organisation_or_statistics_key() {
        let personal = OrgSecretKey::generate(&mut OsRng);
        let key = SymmetricKey::generate(&mut OsRng);
        let holder = KeyHolder::Staff("ana");
        let wrapped = wrap_secret(SecretKind::Personal, &key, "org", &holder, &personal, &mut OsRng);
        assert!(unwrap_secret(SecretKind::Personal, &key, "org", &holder, &wrapped).is_ok());
        assert!(unwrap_secret(SecretKind::Statistics, &key, "org", &holder, &wrapped).is_err());
        assert!(unwrap_org_key(&key, "org", &holder, &wrapped).is_err());
    }

    #[test]
    fn the_recovery_key_reads_back_as_printed() {
        let recovery = RecoveryKey::generate(&mut OsRng);
        let printed = recovery.display();
        assert_eq!(printed.len(), 64 + 15);
        let read = RecoveryKey::parse(&printed.to_uppercase().replace('-', " ")).unwrap();
        assert_eq!(read.key().as_bytes(), recovery.key().as_bytes());
        assert!(RecoveryKey::parse("abcd").is_none());
        assert!(RecoveryKey::parse(&printed.replace('a', "g")).is_none() || !printed.contains('a'));
    }

    #[test]
    fn the_recovery_proof_does_not_open_the_recovery_copy() {
        let org = OrgSecretKey::generate(&mut OsRng);
        let recovery = RecoveryKey::generate(&mut OsRng);
        let wrapped = wrap_org_key(recovery.key(), "org", &KeyHolder::Recovery, &org, &mut OsRng);
        let proof = recovery.proof();
        // The proof is the same every time, from the key as printed too, and differs per key.
        assert_eq!(proof, RecoveryKey::parse(&recovery.display()).unwrap().proof());
        assert_ne!(proof, RecoveryKey::generate(&mut OsRng).proof());
        // What the server receives, used as a key, opens nothing; the key itself does.
        let as_key = SymmetricKey::from_bytes(proof);
        assert!(unwrap_org_key(&as_key, "org", &KeyHolder::Recovery, &wrapped).is_err());
        let opened = unwrap_org_key(recovery.key(), "org", &KeyHolder::Recovery, &wrapped).unwrap();
        assert_eq!(opened.to_bytes(), org.to_bytes());
    }

    #[test]
    fn a_session_copy_opens_only_with_its_session_key_and_holder() {
        let org = OrgSecretKey::generate(&mut OsRng);
        let session = SymmetricKey::generate(&mut OsRng);
        let kept = wrap_org_key(&session, "org", &KeyHolder::Session("kim"), &org, &mut OsRng);
        let opened = unwrap_org_key(&session, "org", &KeyHolder::Session("kim"), &kept).unwrap();
        assert_eq!(opened.to_bytes(), org.to_bytes());
        // Another session's key (after a new login, or once the server forgot it) opens nothing.
        assert!(unwrap_org_key(&SymmetricKey::generate(&mut OsRng), "org", &KeyHolder::Session("kim"), &kept).is_err());
        assert!(unwrap_org_key(&session, "org", &KeyHolder::Staff("kim"), &kept).is_err());
        assert!(unwrap_org_key(&session, "org", &KeyHolder::Session("kam"), &kept).is_err());
    }

    #[test]
    fn passwords_must_be_long_enough() {
        assert_eq!(check_new_password("short"), Err(PasswordError::TooShort));
        assert!(check_new_password("tre ord räcker gott").is_ok());
        assert_eq!(check_new_password(&"x".repeat(129)), Err(PasswordError::TooLong));
    }
}
