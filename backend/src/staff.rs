//! Creating organisations and staff accounts, and the rules their names and passwords
//! follow. The `create-org` and `demo` commands, the routes and the tests all create them
//! through here, so tests log in with accounts made exactly as real ones are.

use crate::cookies::{self, TOKEN_LEN};
use crate::limits;
use crate::records::{Organisation, PasswordRecord, SetupToken, StaffAccount};
use crate::store::{CreateOrganisation, Store, StoreError};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use beratta_core::api::{Bytes, NewPassword, Role};
use beratta_core::envelope::{OrgSecretKey, KEY_LEN, NONCE_LEN};
use beratta_core::login::{KdfParams, LoginError, ServerSecret, SALT_LEN};
use beratta_core::staff::{derive_staff_secrets, wrap_org_key, KeyHolder};
use rand_core::CryptoRngCore;
use sha2::{Digest, Sha256};

/// The Poly1305 tag of XChaCha20-Poly1305.
const TAG_LEN: usize = 16;
/// The organisation's secret key wrapped under a symmetric key: nonce, key, tag.
pub const WRAPPED_ORG_KEY_LEN: usize = NONCE_LEN + KEY_LEN + TAG_LEN;
/// The longest display name or unit name.
pub const MAX_NAME_CHARS: usize = 100;

#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Kdf(#[from] LoginError),
    #[error("an organisation id has 1 to 40 characters: a-z, 0-9 and -")]
    BadOrganisationId,
    #[error("a username has 2 to 64 characters: a-z, 0-9, and . _ - @")]
    BadUsername,
    #[error("a name has 1 to {MAX_NAME_CHARS} characters and no control characters")]
    BadName,
    #[error("the organisation {0} exists already")]
    OrganisationExists(String),
    #[error("the username {0} is taken")]
    UsernameTaken(String),
    #[error("the organisation {0} does not exist")]
    NoOrganisation(String),
}

/// A random id for an account, a unit or an assessment: 128 bits, URL-safe.
pub fn new_id(rng: &mut impl CryptoRngCore) -> String {
    let mut id = [0u8; 16];
    rng.fill_bytes(&mut id);
    URL_SAFE_NO_PAD.encode(id)
}

/// An organisation id: it names the organisation in URLs, keys and associated data.
pub fn check_organisation_id(id: &str) -> Result<(), StaffError> {
    let ok =
        (1..=40).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    ok.then_some(()).ok_or(StaffError::BadOrganisationId)
}

/// A username as stored and compared: lower case, from a small alphabet, so that two
/// people cannot have names that look the same.
pub fn normalise_username(username: &str) -> Option<String> {
    let lower = username.trim().to_ascii_lowercase();
    let ok = (2..=64).contains(&lower.len())
        && lower.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b".-_@".contains(&b));
    ok.then_some(lower)
}

/// A display name or unit name, trimmed.
pub fn check_name(name: &str) -> Result<String, StaffError> {
    let name = name.trim();
    let ok = (1..=MAX_NAME_CHARS).contains(&name.chars().count()) && !name.chars().any(char::is_control);
    ok.then(|| name.to_string()).ok_or(StaffError::BadName)
}

/// Whether `kdf` costs at least `floor` and no more than a browser can pay.
pub fn kdf_acceptable(kdf: &KdfParams, floor: &KdfParams) -> bool {
    kdf.memory_kib >= floor.memory_kib
        && kdf.iterations >= floor.iterations
        && kdf.parallelism >= floor.parallelism.max(1)
        && kdf.memory_kib <= limits::MAX_KDF_MEMORY_KIB
        && kdf.iterations <= limits::MAX_KDF_ITERATIONS
        && kdf.parallelism <= limits::MAX_KDF_PARALLELISM
        // Argon2 needs at least 8 KiB per lane.
        && kdf.memory_kib >= 8 * kdf.parallelism
}

/// Checks a password record a browser sent and turns it into what is stored: the proof
/// becomes a keyed verifier. Says which part is wrong, in a fixed sentence.
pub fn password_record(
    secret: &ServerSecret,
    password: &NewPassword,
    floor: &KdfParams,
) -> Result<PasswordRecord, &'static str> {
    if password.salt.0.len() != SALT_LEN {
        return Err("the password salt must be 16 bytes");
    }
    if !kdf_acceptable(&password.kdf, floor) {
        return Err("the password's key-derivation cost is outside what the server accepts");
    }
    if password.proof.0.len() != KEY_LEN {
        return Err("the login proof must be 32 bytes");
    }
    if password.wrapped_org_key.as_ref().is_some_and(|w| w.0.len() != WRAPPED_ORG_KEY_LEN) {
        return Err("the wrapped organisation key has the wrong length");
    }
    if password.wrapped_statistics_key.as_ref().is_some_and(|w| w.0.len() != WRAPPED_ORG_KEY_LEN) {
        return Err("the wrapped statistics key has the wrong length");
    }
    Ok(PasswordRecord {
        salt: password.salt.clone(),
        kdf: password.kdf,
        verifier: Bytes(secret.login_verifier(&password.proof.0).to_vec()),
        wrapped_org_key: password.wrapped_org_key.clone(),
        wrapped_statistics_key: password.wrapped_statistics_key.clone(),
        personal_key: None,
    })
}

/// Whether a password record holds the organisation key exactly when the role may: every
/// role but analyst holds it; an analyst holds no key that opens a child.
pub fn org_key_fits_role(role: Role, password: &PasswordRecord) -> Result<(), &'static str> {
    match (role, password.wrapped_org_key.is_some()) {
        (Role::Analyst, true) => Err("an analyst's account holds no copy of the organisation key"),
        (Role::Staff | Role::Administrator, false) => Err("the wrapped organisation key is missing"),
        _ => Ok(()),
    }
}

/// The SHA-256 of a token: how set-up and enrolment tokens are stored.
pub fn token_hash(token: &[u8]) -> [u8; 32] {
    Sha256::digest(token).into()
}

/// Creates an organisation without a key pair, and its first administrator without a
/// password. Returns the set-up token (for the link `/staff/#/setup/<token>`), valid
/// [`limits::SETUP_TOKEN_SECS`]; the store keeps only its hash.
pub fn create_organisation(
    store: &dyn Store,
    id: &str,
    name: &str,
    admin_username: &str,
    admin_name: &str,
    now: u64,
    rng: &mut impl CryptoRngCore,
) -> Result<String, StaffError> {
    check_organisation_id(id)?;
    let name = check_name(name)?;
    let username = normalise_username(admin_username).ok_or(StaffError::BadUsername)?;
    let admin_name = check_name(admin_name)?;
    let organisation = Organisation {
        id: id.to_string(),
        name,
        public_key: None,
        recovery_wrapped_org_key: None,
        recovery_verifier: None,
        statistics_public_key: None,
        recovery_wrapped_statistics_key: None,
        created_unix: now,
    };
    let admin = StaffAccount {
        id: new_id(rng),
        organisation: id.to_string(),
        username: username.clone(),
        display_name: admin_name,
        role: Role::Administrator,
        unit: None,
        disabled: false,
        password: None,
        enrolment: None,
        statistics_grant: None,
        created_unix: now,
    };
    let mut token = [0u8; TOKEN_LEN];
    rng.fill_bytes(&mut token);
    let setup = SetupToken {
        organisation: id.to_string(),
        staff_id: admin.id.clone(),
        expires_unix: now.saturating_add(limits::SETUP_TOKEN_SECS),
    };
    match store.create_organisation(&organisation, &admin, &token_hash(&token), &setup)? {
        CreateOrganisation::Created => Ok(URL_SAFE_NO_PAD.encode(token)),
        CreateOrganisation::OrganisationExists => Err(StaffError::OrganisationExists(id.to_string())),
        CreateOrganisation::UsernameTaken => Err(StaffError::UsernameTaken(username)),
    }
}

/// A staff member to create with a known password (the `demo` command and tests).
pub struct KnownPassword<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub unit: Option<String>,
    pub password: &'a str,
    pub kdf: KdfParams,
}

/// Creates an account with a password, doing in-process what the browser does: derives
/// the login proof and wrap key from the password and wraps the organisation key under it
/// (not for an analyst, who holds no key that opens a child).
pub fn add_staff_with_password(
    store: &dyn Store,
    secret: &ServerSecret,
    organisation: &str,
    org_key: &OrgSecretKey,
    member: &KnownPassword<'_>,
    now: u64,
    rng: &mut impl CryptoRngCore,
) -> Result<StaffAccount, StaffError> {
    if store.organisation(organisation)?.is_none() {
        return Err(StaffError::NoOrganisation(organisation.to_string()));
    }
    let username = normalise_username(member.username).ok_or(StaffError::BadUsername)?;
    let id = new_id(rng);
    let mut salt = [0u8; SALT_LEN];
    rng.fill_bytes(&mut salt);
    let secrets = derive_staff_secrets(member.password, &salt, &member.kdf)?;
    let wrapped = (member.role != Role::Analyst)
        .then(|| Bytes(wrap_org_key(&secrets.wrap_key, organisation, &KeyHolder::Staff(&username), org_key, rng)));
    let account = StaffAccount {
        id,
        organisation: organisation.to_string(),
        username: username.clone(),
        display_name: check_name(member.display_name)?,
        role: member.role,
        unit: member.unit.clone(),
        disabled: false,
        password: Some(PasswordRecord {
            salt: Bytes(salt.to_vec()),
            kdf: member.kdf,
            verifier: Bytes(secret.login_verifier(&secrets.login_proof).to_vec()),
            wrapped_org_key: wrapped,
            wrapped_statistics_key: None,
            personal_key: None,
        }),
        enrolment: None,
        statistics_grant: None,
        created_unix: now,
    };
    if !store.insert_staff(&account)? {
        return Err(StaffError::UsernameTaken(username));
    }
    Ok(account)
}

/// Whether a token as it travels in a URL is well-formed; the store key if so.
pub fn token_key(encoded: &str) -> Option<[u8; 32]> {
    cookies::key_of(encoded)
}
