//! The envelope around a child's answers. SECURITY.md states the construction; in short:
//!
//! - the answer set is encrypted with XChaCha20-Poly1305 under a random 256-bit data key,
//!   with associated data binding organisation, assessment, questionnaire `id@version` and
//!   save counter, so a blob moved to another assessment, instrument or save fails to open;
//! - the data key is sealed to the organisation's X25519 public key (`crypto_box` sealed
//!   box, libsodium compatible), so only the organisation's staff can read it;
//! - the data key is also wrapped, with XChaCha20-Poly1305, under a key the child can
//!   re-derive from the login code (see [`crate::login`]), so the child can come back.
//!
//! Randomness (keys, nonces) is always handed in by the caller.

use crate::engine::Session;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand_core::CryptoRngCore;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

pub const KEY_LEN: usize = 32;
pub const NONCE_LEN: usize = 24;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    /// Wrong key, altered bytes, or a blob bound to something else: AEAD tells no more.
    #[error("the sealed data did not open: wrong key, altered, or not for this assessment")]
    Rejected,
    #[error("the sealed data is too short to be real")]
    TooShort,
    #[error("the opened answers are not readable: {0}")]
    Malformed(String),
    #[error("the opened answers belong to {found}, not {expected}")]
    WrongQuestionnaire { expected: String, found: String },
}

/// A 256-bit symmetric key, wiped from memory when dropped.
#[derive(Clone)]
pub struct SymmetricKey(Zeroizing<[u8; KEY_LEN]>);

impl SymmetricKey {
    pub fn generate(rng: &mut impl CryptoRngCore) -> SymmetricKey {
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        rng.fill_bytes(bytes.as_mut());
        SymmetricKey(bytes)
    }

    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> SymmetricKey {
        SymmetricKey(Zeroizing::new(bytes))
    }

    pub fn from_slice(bytes: &[u8]) -> Option<SymmetricKey> {
        <[u8; KEY_LEN]>::try_from(bytes).ok().map(SymmetricKey::from_bytes)
    }

    pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// `nonce || ciphertext` of `plaintext` with `aad`, under this key.
    pub fn encrypt(&self, aad: &[u8], plaintext: &[u8], rng: &mut impl CryptoRngCore) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        rng.fill_bytes(&mut nonce);
        let cipher = XChaCha20Poly1305::new(self.0.as_ref().into());
        let sealed = cipher
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext, aad })
            .expect("XChaCha20-Poly1305 encrypts any message that fits in memory");
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    pub fn decrypt(&self, aad: &[u8], blob: &[u8]) -> Result<Vec<u8>, EnvelopeError> {
        if blob.len() < NONCE_LEN + 16 {
            return Err(EnvelopeError::TooShort);
        }
        let (nonce, sealed) = blob.split_at(NONCE_LEN);
        let cipher = XChaCha20Poly1305::new(self.0.as_ref().into());
        cipher.decrypt(XNonce::from_slice(nonce), Payload { msg: sealed, aad }).map_err(|_| EnvelopeError::Rejected)
    }
}

impl std::fmt::Debug for SymmetricKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SymmetricKey(…)")
    }
}

/// What a blob is bound to, through the AEAD's associated data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding {
    pub organisation: String,
    pub assessment: String,
    /// `id@version` of the questionnaire.
    pub questionnaire: String,
    pub counter: u64,
}

impl Binding {
    /// The associated data: a label, then each field with its length, then the counter, so
    /// that no two different bindings give the same bytes.
    pub fn associated_data(&self) -> Vec<u8> {
        let mut out = b"beratta/answers/v1".to_vec();
        for field in [&self.organisation, &self.assessment, &self.questionnaire] {
            out.extend_from_slice(&(field.len() as u32).to_be_bytes());
            out.extend_from_slice(field.as_bytes());
        }
        out.extend_from_slice(&self.counter.to_be_bytes());
        out
    }
}

/// The plaintext inside an answer blob.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerSet {
    /// `id@version` of the questionnaire the answers were given with.
    pub questionnaire: String,
    /// The language the child answered in.
    pub language: String,
    pub session: Session,
}

/// Encrypts an answer set under the data key, bound to `binding`.
pub fn seal_answers(
    key: &SymmetricKey,
    binding: &Binding,
    answers: &AnswerSet,
    rng: &mut impl CryptoRngCore,
) -> Vec<u8> {
    let plaintext = Zeroizing::new(serde_json::to_vec(answers).expect("an answer set always serialises"));
    key.encrypt(&binding.associated_data(), &plaintext, rng)
}

/// Opens an answer blob; fails unless key, binding and every byte are as sealed.
pub fn open_answers(key: &SymmetricKey, binding: &Binding, blob: &[u8]) -> Result<AnswerSet, EnvelopeError> {
    let plaintext = Zeroizing::new(key.decrypt(&binding.associated_data(), blob)?);
    let answers: AnswerSet = serde_json::from_slice(&plaintext).map_err(|e| EnvelopeError::Malformed(e.to_string()))?;
    if answers.questionnaire != binding.questionnaire {
        return Err(EnvelopeError::WrongQuestionnaire {
            expected: binding.questionnaire.clone(),
            found: answers.questionnaire,
        });
    }
    Ok(answers)
}

/// An organisation's X25519 public key: anyone may seal to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgPublicKey(crypto_box::PublicKey);

/// An organisation's X25519 secret key: exists in the clear only in staff browsers.
#[derive(Clone)]
pub struct OrgSecretKey(crypto_box::SecretKey);

impl OrgSecretKey {
    pub fn generate(rng: &mut impl CryptoRngCore) -> OrgSecretKey {
        OrgSecretKey(crypto_box::SecretKey::generate(rng))
    }

    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> OrgSecretKey {
        OrgSecretKey(crypto_box::SecretKey::from_bytes(bytes))
    }

    pub fn to_bytes(&self) -> [u8; KEY_LEN] {
        self.0.to_bytes()
    }

    pub fn public_key(&self) -> OrgPublicKey {
        OrgPublicKey(self.0.public_key())
    }

    /// Opens a note sealed with [`OrgPublicKey::seal_note`].
    pub fn open_note(&self, sealed: &[u8]) -> Result<String, EnvelopeError> {
        let bytes = self.0.unseal(sealed).map_err(|_| EnvelopeError::Rejected)?;
        String::from_utf8(bytes).map_err(|e| EnvelopeError::Malformed(e.to_string()))
    }

    /// Opens a data key sealed to this organisation.
    pub fn open_data_key(&self, sealed: &[u8]) -> Result<SymmetricKey, EnvelopeError> {
        let bytes = Zeroizing::new(self.0.unseal(sealed).map_err(|_| EnvelopeError::Rejected)?);
        SymmetricKey::from_slice(&bytes).ok_or(EnvelopeError::Rejected)
    }

    /// Opens what [`OrgPublicKey::seal_bound`] sealed; fails unless `aad` is the same.
    pub fn open_bound(&self, aad: &[u8], sealed: &[u8]) -> Result<Vec<u8>, EnvelopeError> {
        let (sealed_key, body) = split_bound(sealed)?;
        self.open_data_key(sealed_key)?.decrypt(aad, body)
    }
}

/// What [`OrgPublicKey::seal_bound`] made, in its two parts: the sealed data key and the
/// body (`nonce ‖ ciphertext`) under it.
fn split_bound(sealed: &[u8]) -> Result<(&[u8], &[u8]), EnvelopeError> {
    if sealed.len() < SEALED_KEY_LEN + NONCE_LEN + TAG_LEN {
        return Err(EnvelopeError::TooShort);
    }
    Ok(sealed.split_at(SEALED_KEY_LEN))
}

/// The ephemeral X25519 public key a sealed box begins with: what
/// [`OrgPublicKey::open_bound_with_share`] needs the share of.
pub fn ephemeral_key(sealed: &[u8]) -> Result<[u8; KEY_LEN], EnvelopeError> {
    sealed.get(..KEY_LEN).and_then(|k| k.try_into().ok()).ok_or(EnvelopeError::TooShort)
}

/// Bytes of a 32-byte key in a sealed box: the ephemeral public key (32), the key, and the
/// box's tag (16).
pub const SEALED_KEY_LEN: usize = KEY_LEN + KEY_LEN + TAG_LEN;

/// Bytes of a Poly1305 tag.
pub const TAG_LEN: usize = 16;

impl OrgPublicKey {
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> OrgPublicKey {
        OrgPublicKey(crypto_box::PublicKey::from_bytes(bytes))
    }

    pub fn from_slice(bytes: &[u8]) -> Option<OrgPublicKey> {
        <[u8; KEY_LEN]>::try_from(bytes).ok().map(OrgPublicKey::from_bytes)
    }

    pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
        self.0.as_bytes()
    }

    /// Opens what [`OrgPublicKey::seal_bound`] sealed to this key, like
    /// [`OrgSecretKey::open_bound`], given `share`: the X25519 product of the matching secret
    /// key and the sealed box's ephemeral public key ([`ephemeral_key`]), computed
    /// elsewhere. The share opens this one box and no other, so it is as secret as what the
    /// box holds. The analyst's browser computes it with
    /// WebCrypto, several times faster than WebAssembly can. The rest is `crypto_box`'s
    /// `SecretKey::unseal` step by step, from the same crates: HSalsa20 of the share is the
    /// XSalsa20-Poly1305 key, BLAKE2b-192 of the ephemeral and the recipient's public keys
    /// the nonce. A wrong share fails like a wrong key.
    pub fn open_bound_with_share(
        &self,
        share: &[u8; KEY_LEN],
        aad: &[u8],
        sealed: &[u8],
    ) -> Result<Vec<u8>, EnvelopeError> {
        use blake2::digest::consts::U24;
        use blake2::{Blake2b, Digest};
        use crypto_secretbox::aead::Aead as _;
        use crypto_secretbox::{Kdf, KeyInit as _, XSalsa20Poly1305};

        let (sealed_key, body) = split_bound(sealed)?;
        let ephemeral = &sealed_key[..KEY_LEN];
        let key = Zeroizing::new(<salsa20::Salsa20 as Kdf>::kdf(share.into(), &Default::default()));
        let nonce = Blake2b::<U24>::new().chain_update(ephemeral).chain_update(self.as_bytes()).finalize();
        let data_key = Zeroizing::new(
            XSalsa20Poly1305::new(&key).decrypt(&nonce, &sealed_key[KEY_LEN..]).map_err(|_| EnvelopeError::Rejected)?,
        );
        SymmetricKey::from_slice(&data_key).ok_or(EnvelopeError::Rejected)?.decrypt(aad, body)
    }

    /// Seals a short text typed by staff (a child's name or a note), so that only the
    /// organisation opens it.
    pub fn seal_note(&self, note: &str, rng: &mut impl CryptoRngCore) -> Vec<u8> {
        self.0.seal(rng, note.as_bytes()).expect("sealing a note that fits in memory cannot fail")
    }

    /// Seals a data key so that only the organisation's secret key opens it.
    pub fn seal_data_key(&self, key: &SymmetricKey, rng: &mut impl CryptoRngCore) -> Vec<u8> {
        self.0.seal(rng, key.as_bytes()).expect("sealing a 32-byte key cannot fail")
    }

    /// Seals `plaintext` so that only the matching secret key opens it, and only with the
    /// same `aad`: a sealed box carries no associated data, so it carries a fresh key
    /// instead, and the plaintext goes under that key with XChaCha20-Poly1305 and `aad`.
    /// Layout: sealed key ([`SEALED_KEY_LEN`]) ‖ nonce ‖ ciphertext ‖ tag.
    pub fn seal_bound(&self, aad: &[u8], plaintext: &[u8], rng: &mut impl CryptoRngCore) -> Vec<u8> {
        let key = SymmetricKey::generate(rng);
        let mut out = self.seal_data_key(&key, rng);
        out.extend(key.encrypt(aad, plaintext, rng));
        out
    }
}

/// Why a data key is wrapped: the label goes into the associated data, so a wrapped key
/// made for one purpose or assessment never opens as another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WrapPurpose {
    /// Under the key the child derives from the login code.
    Child,
    /// Under a key that lives only as long as one login session, to resume after a reload.
    Resume,
}

fn wrap_aad(purpose: WrapPurpose, assessment: &str) -> Vec<u8> {
    let label: &[u8] = match purpose {
        WrapPurpose::Child => b"beratta/wrap/child/v1",
        WrapPurpose::Resume => b"beratta/wrap/resume/v1",
    };
    let mut out = label.to_vec();
    out.extend_from_slice(&(assessment.len() as u32).to_be_bytes());
    out.extend_from_slice(assessment.as_bytes());
    out
}

/// Wraps the data key under `wrapping_key` for `assessment`.
pub fn wrap_data_key(
    wrapping_key: &SymmetricKey,
    purpose: WrapPurpose,
    assessment: &str,
    data_key: &SymmetricKey,
    rng: &mut impl CryptoRngCore,
) -> Vec<u8> {
    wrapping_key.encrypt(&wrap_aad(purpose, assessment), data_key.as_bytes(), rng)
}

pub fn unwrap_data_key(
    wrapping_key: &SymmetricKey,
    purpose: WrapPurpose,
    assessment: &str,
    wrapped: &[u8],
) -> Result<SymmetricKey, EnvelopeError> {
    let bytes = Zeroizing::new(wrapping_key.decrypt(&wrap_aad(purpose, assessment), wrapped)?);
    SymmetricKey::from_slice(&bytes).ok_or(EnvelopeError::Rejected)
}

#[cfg(test)]
mod tests;
