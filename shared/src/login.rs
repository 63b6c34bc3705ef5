//! Child login codes and the keys derived from them. SECURITY.md does the arithmetic.
//!
//! A code is printed for the child: `LLLL-SSS-SSS-SSS`, thirteen characters from an
//! alphabet without look-alikes. The first four are a public lookup (which invitation);
//! the nine others are the secret, 9 × log2(23) ≈ 40.7 bits. The server draws the lookup
//! (so that no organisation can probe which lookups another one holds) and the staff
//! browser draws the secret around it ([`ChildCode::with_lookup`]).
//!
//! In the browser, Argon2id over the code and a per-invitation salt gives 64 bytes, split by
//! HKDF into a *login proof* (sent to the server) and a *wrap seed* (never sent). The server
//! stores only `HMAC(server secret, proof)`, so a stolen database alone allows no guessing.
//! The key that wraps the child's copy of the data key is HKDF over the wrap seed with a
//! per-invitation share derived from the server secret, handed out after a correct login.

use crate::envelope::{SymmetricKey, KEY_LEN};
use argon2::{Algorithm, Argon2, Params, Version};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use rand_core::CryptoRngCore;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// The code alphabet: no 0/O/Q/D, 1/I/L, 2/Z, 5/S, 8/B, so nothing is mistaken for
/// something else when read from paper or typed by a child.
pub const CODE_ALPHABET: &[u8] = b"34679ACEFGHJKMNPRTUVWXY";
const ALPHABET: &[u8] = CODE_ALPHABET;
pub const LOOKUP_LEN: usize = 4;
pub const SECRET_LEN: usize = 9;
pub const CODE_LEN: usize = LOOKUP_LEN + SECRET_LEN;
pub const SALT_LEN: usize = 16;

/// A child's login code.
#[derive(Clone, PartialEq, Eq)]
pub struct ChildCode(Zeroizing<String>);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("a code has {CODE_LEN} letters and digits; this one has {0}")]
    WrongLength(usize),
    #[error("a code never contains `{0}`{1}")]
    BadCharacter(char, &'static str),
}

impl ChildCode {
    /// Bits of the secret part.
    pub fn secret_bits() -> f64 {
        SECRET_LEN as f64 * (ALPHABET.len() as f64).log2()
    }

    pub fn generate(rng: &mut impl CryptoRngCore) -> ChildCode {
        ChildCode(random_symbols(rng, CODE_LEN))
    }

    /// A code with a given lookup and a fresh random secret: how a staff browser makes a
    /// child's code from a lookup the server reserved for it. The lookup must be exactly
    /// as the server hands it out: four characters of the alphabet, in upper case.
    pub fn with_lookup(lookup: &str, rng: &mut impl CryptoRngCore) -> Result<ChildCode, NotALookup> {
        if !is_lookup(lookup) {
            return Err(NotALookup);
        }
        let secret = random_symbols(rng, SECRET_LEN);
        let mut code = String::with_capacity(CODE_LEN);
        code.push_str(lookup);
        code.push_str(&secret);
        Ok(ChildCode(Zeroizing::new(code)))
    }

    /// Reads a code as typed: any case, with or without spaces and dashes.
    pub fn parse(input: &str) -> Result<ChildCode, CodeError> {
        let mut code = String::with_capacity(CODE_LEN);
        for c in input.chars().filter(|c| !c.is_whitespace() && *c != '-') {
            let upper = c.to_ascii_uppercase();
            if !upper.is_ascii() || !ALPHABET.contains(&(upper as u8)) {
                let hint = match upper {
                    '0' | 'O' | 'Q' | 'D' => " (try 3, C or U)",
                    '1' | 'I' | 'L' => " (try 7 or J)",
                    '2' | 'Z' => " (try 7)",
                    '5' | 'S' => " (try 6)",
                    '8' | 'B' => " (try 3 or E)",
                    _ => "",
                };
                return Err(CodeError::BadCharacter(c, hint));
            }
            code.push(upper);
        }
        if code.chars().count() != CODE_LEN {
            return Err(CodeError::WrongLength(code.chars().count()));
        }
        Ok(ChildCode(Zeroizing::new(code)))
    }

    /// The public part that says which invitation the code belongs to.
    pub fn lookup(&self) -> &str {
        &self.0[..LOOKUP_LEN]
    }

    /// As printed: `LLLL-SSS-SSS-SSS`.
    pub fn display(&self) -> String {
        let s = self.0.as_str();
        format!("{}-{}-{}-{}", &s[..4], &s[4..7], &s[7..10], &s[10..])
    }
}

/// `len` characters of the alphabet, each equally likely.
fn random_symbols(rng: &mut impl CryptoRngCore, len: usize) -> Zeroizing<String> {
    let n = ALPHABET.len() as u8;
    // Rejection sampling keeps every character equally likely.
    let limit = u8::MAX - (u8::MAX % n);
    let mut symbols = Zeroizing::new(String::with_capacity(len));
    while symbols.len() < len {
        let mut byte = [0u8; 1];
        rng.fill_bytes(&mut byte);
        if byte[0] < limit {
            symbols.push(ALPHABET[(byte[0] % n) as usize] as char);
        }
    }
    symbols
}

/// Whether `lookup` can be the first part of a code: exactly [`LOOKUP_LEN`] characters of
/// the alphabet, in upper case (the form the server stores and hands out).
pub fn is_lookup(lookup: &str) -> bool {
    lookup.len() == LOOKUP_LEN && lookup.bytes().all(|b| ALPHABET.contains(&b))
}

/// A lookup drawn uniformly from all 23^4 of them. The server draws lookups for staff
/// browsers this way and reserves those that are free (`POST /api/invitations/lookups`).
pub fn random_lookup(rng: &mut impl CryptoRngCore) -> String {
    random_symbols(rng, LOOKUP_LEN).as_str().to_string()
}

/// A lookup that is not four characters of the code alphabet in upper case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a lookup is {LOOKUP_LEN} characters of the code alphabet, in upper case")]
pub struct NotALookup;

impl std::fmt::Debug for ChildCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ChildCode({}-…)", self.lookup())
    }
}

/// Argon2id cost, stored with each invitation so it can be raised later.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl KdfParams {
    /// OWASP's first Argon2id setting: 19 MiB, two passes, one lane.
    pub const STANDARD: KdfParams = KdfParams { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LoginError {
    #[error("the key-derivation settings are not usable: {0}")]
    BadParams(String),
}

/// What the browser derives from a code.
pub struct ChildSecrets {
    /// Sent to the server, which keeps only an HMAC of it.
    pub login_proof: [u8; KEY_LEN],
    /// Never leaves the browser.
    wrap_seed: Zeroizing<[u8; KEY_LEN]>,
}

/// Runs Argon2id over the code; this is the cost every guess must pay.
pub fn derive_child_secrets(code: &ChildCode, salt: &[u8], params: &KdfParams) -> Result<ChildSecrets, LoginError> {
    let (login_proof, wrap_seed) = stretch_and_split(
        code.0.as_bytes(),
        salt,
        params,
        b"beratta/child/login-proof/v1",
        b"beratta/child/wrap-seed/v1",
    )?;
    Ok(ChildSecrets { login_proof, wrap_seed })
}

/// Argon2id over a secret, then HKDF into two independent keys: a proof that may be sent
/// to the server and a seed that never leaves the browser. Knowing the proof gives nothing
/// about the seed but by guessing the secret.
pub(crate) fn stretch_and_split(
    secret: &[u8],
    salt: &[u8],
    params: &KdfParams,
    proof_label: &[u8],
    seed_label: &[u8],
) -> Result<([u8; KEY_LEN], Zeroizing<[u8; KEY_LEN]>), LoginError> {
    let argon_params = Params::new(params.memory_kib, params.iterations, params.parallelism, Some(64))
        .map_err(|e| LoginError::BadParams(e.to_string()))?;
    let mut stretched = Zeroizing::new([0u8; 64]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, argon_params)
        .hash_password_into(secret, salt, stretched.as_mut())
        .map_err(|e| LoginError::BadParams(e.to_string()))?;
    let hk = Hkdf::<Sha256>::new(None, stretched.as_ref());
    let mut proof = [0u8; KEY_LEN];
    let mut seed = Zeroizing::new([0u8; KEY_LEN]);
    hk.expand(proof_label, &mut proof).expect("32 bytes is a valid HKDF length");
    hk.expand(seed_label, seed.as_mut()).expect("32 bytes is a valid HKDF length");
    Ok((proof, seed))
}

impl ChildSecrets {
    /// The key that wraps the child's copy of the data key: the wrap seed, mixed with the
    /// server's share for this invitation.
    pub fn wrap_key(&self, server_share: &[u8], assessment: &str) -> SymmetricKey {
        let hk = Hkdf::<Sha256>::new(Some(server_share), self.wrap_seed.as_ref());
        let mut key = [0u8; KEY_LEN];
        let info = [b"beratta/child/wrap-key/v1:".as_slice(), assessment.as_bytes()].concat();
        hk.expand(&info, &mut key).expect("32 bytes is a valid HKDF length");
        SymmetricKey::from_bytes(key)
    }
}

/// The server's own secret, kept outside its database. Everything the server derives from
/// it is an HMAC-SHA256 under a distinct label.
#[derive(Clone)]
pub struct ServerSecret(Zeroizing<[u8; KEY_LEN]>);

impl ServerSecret {
    pub fn generate(rng: &mut impl CryptoRngCore) -> ServerSecret {
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        rng.fill_bytes(bytes.as_mut());
        ServerSecret(bytes)
    }

    pub fn from_slice(bytes: &[u8]) -> Option<ServerSecret> {
        <[u8; KEY_LEN]>::try_from(bytes).ok().map(|b| ServerSecret(Zeroizing::new(b)))
    }

    pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    fn derive(&self, label: &str, data: &[u8]) -> [u8; KEY_LEN] {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.0.as_ref()).expect("HMAC takes any key length");
        mac.update(label.as_bytes());
        mac.update(&[0]);
        mac.update(data);
        mac.finalize().into_bytes().into()
    }

    /// What the server stores to check a login proof.
    pub fn login_verifier(&self, proof: &[u8]) -> [u8; KEY_LEN] {
        self.derive("beratta/login-verifier/v1", proof)
    }

    /// Compares in constant time.
    pub fn verify_login(&self, proof: &[u8], verifier: &[u8]) -> bool {
        self.login_verifier(proof).ct_eq(verifier).into()
    }

    /// The server's part of the child's wrap key for one invitation.
    pub fn child_share(&self, assessment: &str) -> [u8; KEY_LEN] {
        self.derive("beratta/child-share/v1", assessment.as_bytes())
    }

    /// A salt for a lookup that does not exist, the same every time, so that an unknown
    /// code cannot be told from a wrong one.
    pub fn decoy_salt(&self, lookup: &str) -> [u8; SALT_LEN] {
        let full = self.derive("beratta/decoy-salt/v1", lookup.as_bytes());
        let mut salt = [0u8; SALT_LEN];
        salt.copy_from_slice(&full[..SALT_LEN]);
        salt
    }
}

#[cfg(test)]
mod tests;
