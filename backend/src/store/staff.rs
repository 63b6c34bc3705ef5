//! The staff side of the store: organisations' set-up, accounts, enrolment, units and
//! staff sessions, each operation atomic on its own like the rest of [`super::Store`].

use super::{decode, encode, refuse, transact, update_record, Expiry, SessionKey, SledStore, StoreError};
use crate::records::{Organisation, PasswordRecord, SetupToken, StaffAccount, StaffSessionRecord};
use beratta_core::api::{Bytes, Role, Unit};
use sled::transaction::ConflictableTransactionError;
use sled::Transactional;

/// The SHA-256 of a one-time token (set-up or enrolment): the only form in which it is
/// stored.
pub type TokenHash = [u8; 32];

/// What came of creating an organisation with its pending first administrator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CreateOrganisation {
    Created,
    OrganisationExists,
    UsernameTaken,
}

/// What the first administrator's browser sends to finish the set-up, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetupCompletion {
    pub username: String,
    pub display_name: String,
    pub public_key: Bytes,
    pub recovery_wrapped_org_key: Bytes,
    pub recovery_verifier: Bytes,
    pub statistics_public_key: Bytes,
    pub recovery_wrapped_statistics_key: Bytes,
    pub password: PasswordRecord,
}

/// What came of giving an organisation set up before the statistics key its key pair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatisticsKeyOutcome {
    Set,
    /// It has one already; nothing changed.
    AlreadySet,
}

/// What came of a set-up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SetupOutcome {
    /// The organisation has its key pair and the administrator a password; the token is
    /// gone.
    Done(Box<StaffAccount>),
    /// No such token, or it has expired, or it was used.
    UnknownToken,
    /// The token is for another username; nothing changed and the token still works.
    WrongUsername,
}

/// Why a set-up transaction changed nothing.
enum SetupRefused {
    UnknownToken,
    WrongUsername,
}

/// The staff side of the server's storage.
pub trait StaffStore {
    /// Creates an organisation that has no key pair yet, its first administrator's account
    /// (without a password) and the set-up token, all or nothing.
    fn create_organisation(
        &self,
        organisation: &Organisation,
        admin: &StaffAccount,
        token: &TokenHash,
        setup: &SetupToken,
    ) -> Result<CreateOrganisation, StoreError>;
    /// The set-up a token opens, if it exists and has not expired at `now`.
    fn setup_token(&self, token: &TokenHash, now: u64) -> Result<Option<SetupToken>, StoreError>;
    /// Gives the organisation its public key and recovery copy and the administrator their
    /// password, and deletes the token, all or nothing.
    fn complete_setup(&self, token: &TokenHash, now: u64, setup: &SetupCompletion) -> Result<SetupOutcome, StoreError>;

    /// Stores a new account unless its username (or id) is taken; indexes its enrolment
    /// token, if any. Says whether it was stored.
    fn insert_staff(&self, account: &StaffAccount) -> Result<bool, StoreError>;
    fn staff(&self, id: &str) -> Result<Option<StaffAccount>, StoreError>;
    fn staff_by_username(&self, username: &str) -> Result<Option<StaffAccount>, StoreError>;
    /// Every account of an organisation, in no particular order.
    fn staff_of(&self, organisation: &str) -> Result<Vec<StaffAccount>, StoreError>;
    /// Applies `change` to an account atomically; `None` if it does not exist. The change
    /// must leave the id, username and enrolment alone.
    fn update_staff(&self, id: &str, change: &dyn Fn(&mut StaffAccount)) -> Result<Option<StaffAccount>, StoreError>;
    /// The account an enrolment token belongs to, if the enrolment is still open at `now`.
    fn enrolling_staff(&self, token: &TokenHash, now: u64) -> Result<Option<StaffAccount>, StoreError>;
    /// Sets the password of an enrolling account and deletes the token and the enrolment
    /// copy of the organisation key, all or nothing; `None` if the token is unknown,
    /// used or expired.
    fn complete_enrolment(
        &self,
        token: &TokenHash,
        now: u64,
        password: &PasswordRecord,
    ) -> Result<Option<StaffAccount>, StoreError>;

    fn put_staff_session(&self, key: &SessionKey, session: &StaffSessionRecord) -> Result<(), StoreError>;
    fn staff_session(&self, key: &SessionKey) -> Result<Option<StaffSessionRecord>, StoreError>;
    /// Marks a session as used at `now`, only if it still exists.
    fn touch_staff_session(&self, key: &SessionKey, now: u64) -> Result<Option<StaffSessionRecord>, StoreError>;
    fn delete_staff_session(&self, key: &SessionKey) -> Result<(), StoreError>;
    /// Ends every session of one account; returns how many there were.
    fn end_staff_sessions(&self, staff_id: &str) -> Result<usize, StoreError>;

    fn insert_unit(&self, organisation: &str, unit: &Unit) -> Result<(), StoreError>;
    /// An organisation's units, in the order they were added.
    fn units(&self, organisation: &str) -> Result<Vec<Unit>, StoreError>;

    /// Gives an organisation that has none its statistics public key, and the administrator
    /// `admin` their copy of the secret key wrapped under their password, all or nothing.
    fn set_statistics_key(
        &self,
        organisation: &str,
        admin: &str,
        public_key: &Bytes,
        wrapped: &Bytes,
    ) -> Result<StatisticsKeyOutcome, StoreError>;
    /// Drops the copies of the organisation key that analysts' accounts still hold from
    /// before analysts held none (at start-up); returns how many accounts changed.
    fn drop_analyst_org_keys(&self) -> Result<usize, StoreError>;
}

/// Units are keyed by organisation, a separator no organisation id contains, and a
/// sequence number, so that one prefix scan lists an organisation's units in order.
fn unit_prefix(organisation: &str) -> Vec<u8> {
    [organisation.as_bytes(), b"\0"].concat()
}

impl SledStore {
    /// Removes staff sessions that have passed a timeout; returns how many went.
    pub(super) fn sweep_staff_sessions(&self, now: u64, expiry: &Expiry) -> Result<usize, StoreError> {
        let mut removed = 0;
        for entry in self.staff_sessions.iter() {
            let (key, value) = entry?;
            let expired = match decode::<StaffSessionRecord>("staff session", &value) {
                Ok(s) => {
                    now.saturating_sub(s.last_seen_unix) >= expiry.session_idle_secs
                        || now.saturating_sub(s.created_unix) >= expiry.session_max_secs
                }
                Err(_) => true,
            };
            if expired && self.staff_sessions.compare_and_swap(&key, Some(&value), None as Option<&[u8]>)?.is_ok() {
                removed += 1;
            }
        }
        Ok(removed)
    }
}

impl StaffStore for SledStore {
    fn create_organisation(
        &self,
        organisation: &Organisation,
        admin: &StaffAccount,
        token: &TokenHash,
        setup: &SetupToken,
    ) -> Result<CreateOrganisation, StoreError> {
        let (org_bytes, admin_bytes, setup_bytes) = (encode(organisation)?, encode(admin)?, encode(setup)?);
        let result = (&self.organisations, &self.staff, &self.usernames, &self.setup_tokens).transaction(
            |(organisations, staff, usernames, setup_tokens)| {
                if organisations.get(organisation.id.as_bytes())?.is_some() {
                    return refuse(CreateOrganisation::OrganisationExists);
                }
                if usernames.get(admin.username.as_bytes())?.is_some() || staff.get(admin.id.as_bytes())?.is_some() {
                    return refuse(CreateOrganisation::UsernameTaken);
                }
                organisations.insert(organisation.id.as_bytes(), org_bytes.as_slice())?;
                staff.insert(admin.id.as_bytes(), admin_bytes.as_slice())?;
                usernames.insert(admin.username.as_bytes(), admin.id.as_bytes())?;
                setup_tokens.insert(token.as_slice(), setup_bytes.as_slice())?;
                Ok(())
            },
        );
        Ok(match transact(result)? {
            Ok(()) => CreateOrganisation::Created,
            Err(refused) => refused,
        })
    }

    fn setup_token(&self, token: &TokenHash, now: u64) -> Result<Option<SetupToken>, StoreError> {
        let Some(bytes) = self.setup_tokens.get(token)? else { return Ok(None) };
        let setup: SetupToken = decode("set-up token", &bytes)?;
        Ok((now < setup.expires_unix).then_some(setup))
    }

    fn complete_setup(&self, token: &TokenHash, now: u64, done: &SetupCompletion) -> Result<SetupOutcome, StoreError> {
        let result = (&self.setup_tokens, &self.organisations, &self.staff).transaction(
            |(setup_tokens, organisations, staff)| {
                let Some(bytes) = setup_tokens.get(token.as_slice())? else {
                    return refuse(SetupRefused::UnknownToken);
                };
                let setup: SetupToken = decode("set-up token", &bytes)?;
                if now >= setup.expires_unix {
                    return refuse(SetupRefused::UnknownToken);
                }
                let Some(bytes) = staff.get(setup.staff_id.as_bytes())? else {
                    return refuse(SetupRefused::UnknownToken);
                };
                let mut admin: StaffAccount = decode("staff", &bytes)?;
                if admin.username != done.username {
                    return refuse(SetupRefused::WrongUsername);
                }
                let Some(bytes) = organisations.get(setup.organisation.as_bytes())? else {
                    return refuse(SetupRefused::UnknownToken);
                };
                let mut organisation: Organisation = decode("organisation", &bytes)?;
                organisation.public_key = Some(done.public_key.clone());
                organisation.recovery_wrapped_org_key = Some(done.recovery_wrapped_org_key.clone());
                organisation.recovery_verifier = Some(done.recovery_verifier.clone());
                organisation.statistics_public_key = Some(done.statistics_public_key.clone());
                organisation.recovery_wrapped_statistics_key = Some(done.recovery_wrapped_statistics_key.clone());
                admin.display_name = done.display_name.clone();
                admin.password = Some(done.password.clone());
                organisations.insert(organisation.id.as_bytes(), encode(&organisation)?)?;
                staff.insert(admin.id.as_bytes(), encode(&admin)?)?;
                setup_tokens.remove(token.as_slice())?;
                Ok(admin)
            },
        );
        Ok(match transact(result)? {
            Ok(admin) => SetupOutcome::Done(Box::new(admin)),
            Err(SetupRefused::UnknownToken) => SetupOutcome::UnknownToken,
            Err(SetupRefused::WrongUsername) => SetupOutcome::WrongUsername,
        })
    }

    fn insert_staff(&self, account: &StaffAccount) -> Result<bool, StoreError> {
        let bytes = encode(account)?;
        let result = (&self.staff, &self.usernames, &self.enrolments).transaction(|(staff, usernames, enrolments)| {
            if usernames.get(account.username.as_bytes())?.is_some() || staff.get(account.id.as_bytes())?.is_some() {
                return refuse(());
            }
            if let Some(enrolment) = &account.enrolment {
                if enrolments.get(enrolment.token_hash.0.as_slice())?.is_some() {
                    return refuse(());
                }
                enrolments.insert(enrolment.token_hash.0.as_slice(), account.id.as_bytes())?;
            }
            staff.insert(account.id.as_bytes(), bytes.as_slice())?;
            usernames.insert(account.username.as_bytes(), account.id.as_bytes())?;
            Ok(())
        });
        Ok(transact(result)?.is_ok())
    }

    fn staff(&self, id: &str) -> Result<Option<StaffAccount>, StoreError> {
        self.staff.get(id)?.map(|v| decode("staff", &v)).transpose()
    }

    fn staff_by_username(&self, username: &str) -> Result<Option<StaffAccount>, StoreError> {
        let Some(id) = self.usernames.get(username)? else { return Ok(None) };
        self.staff.get(id)?.map(|v| decode("staff", &v)).transpose()
    }

    fn staff_of(&self, organisation: &str) -> Result<Vec<StaffAccount>, StoreError> {
        let mut out = Vec::new();
        for entry in self.staff.iter() {
            let (_, value) = entry?;
            let account: StaffAccount = decode("staff", &value)?;
            if account.organisation == organisation {
                out.push(account);
            }
        }
        Ok(out)
    }

    fn update_staff(&self, id: &str, change: &dyn Fn(&mut StaffAccount)) -> Result<Option<StaffAccount>, StoreError> {
        update_record(&self.staff, "staff", id.as_bytes(), change)
    }

    fn enrolling_staff(&self, token: &TokenHash, now: u64) -> Result<Option<StaffAccount>, StoreError> {
        let Some(id) = self.enrolments.get(token)? else { return Ok(None) };
        let Some(bytes) = self.staff.get(id)? else { return Ok(None) };
        let account: StaffAccount = decode("staff", &bytes)?;
        let open = account.password.is_none()
            && account.enrolment.as_ref().is_some_and(|e| e.token_hash.0 == token.as_slice() && now < e.expires_unix);
        Ok(open.then_some(account))
    }

    fn complete_enrolment(
        &self,
        token: &TokenHash,
        now: u64,
        password: &PasswordRecord,
    ) -> Result<Option<StaffAccount>, StoreError> {
        let result = (&self.enrolments, &self.staff).transaction(|(enrolments, staff)| {
            let Some(id) = enrolments.get(token.as_slice())? else { return refuse(()) };
            let Some(bytes) = staff.get(&id)? else { return refuse(()) };
            let mut account: StaffAccount = decode("staff", &bytes)?;
            let open = account.password.is_none()
                && account
                    .enrolment
                    .as_ref()
                    .is_some_and(|e| e.token_hash.0 == token.as_slice() && now < e.expires_unix);
            if !open {
                return refuse(());
            }
            account.password = Some(password.clone());
            // The enrolment copy of the organisation key goes with the token: once the
            // person has their own copy, the link opens nothing even if it leaks later.
            account.enrolment = None;
            staff.insert(account.id.as_bytes(), encode(&account)?)?;
            enrolments.remove(token.as_slice())?;
            Ok::<_, ConflictableTransactionError<_>>(account)
        });
        Ok(transact(result)?.ok())
    }

    fn put_staff_session(&self, key: &SessionKey, session: &StaffSessionRecord) -> Result<(), StoreError> {
        self.staff_sessions.insert(key, encode(session)?)?;
        Ok(())
    }

    fn staff_session(&self, key: &SessionKey) -> Result<Option<StaffSessionRecord>, StoreError> {
        self.staff_sessions.get(key)?.map(|v| decode("staff session", &v)).transpose()
    }

    fn touch_staff_session(&self, key: &SessionKey, now: u64) -> Result<Option<StaffSessionRecord>, StoreError> {
        update_record(&self.staff_sessions, "staff session", key, &|s: &mut StaffSessionRecord| {
            s.last_seen_unix = s.last_seen_unix.max(now)
        })
    }

    fn delete_staff_session(&self, key: &SessionKey) -> Result<(), StoreError> {
        self.staff_sessions.remove(key)?;
        Ok(())
    }

    fn end_staff_sessions(&self, staff_id: &str) -> Result<usize, StoreError> {
        let mut ended = 0;
        for entry in self.staff_sessions.iter() {
            let (key, value) = entry?;
            // An unreadable session can never be used; it goes too.
            let theirs = decode::<StaffSessionRecord>("staff session", &value).map_or(true, |s| s.staff_id == staff_id);
            if theirs {
                self.staff_sessions.remove(&key)?;
                ended += 1;
            }
        }
        Ok(ended)
    }

    fn insert_unit(&self, organisation: &str, unit: &Unit) -> Result<(), StoreError> {
        let seq = self.db.generate_id()?;
        let key = [unit_prefix(organisation).as_slice(), &seq.to_be_bytes()].concat();
        self.units.insert(key, encode(unit)?)?;
        Ok(())
    }

    fn units(&self, organisation: &str) -> Result<Vec<Unit>, StoreError> {
        self.units.scan_prefix(unit_prefix(organisation)).map(|e| decode("unit", &e?.1)).collect()
    }

    fn set_statistics_key(
        &self,
        organisation: &str,
        admin: &str,
        public_key: &Bytes,
        wrapped: &Bytes,
    ) -> Result<StatisticsKeyOutcome, StoreError> {
        let result = (&self.organisations, &self.staff).transaction(|(organisations, staff)| {
            let Some(bytes) = organisations.get(organisation.as_bytes())? else { return refuse(()) };
            let mut org: Organisation = decode("organisation", &bytes)?;
            if org.statistics_public_key.is_some() {
                return refuse(());
            }
            let Some(bytes) = staff.get(admin.as_bytes())? else { return refuse(()) };
            let mut account: StaffAccount = decode("staff", &bytes)?;
            let Some(password) = account.password.as_mut() else { return refuse(()) };
            password.wrapped_statistics_key = Some(wrapped.clone());
            org.statistics_public_key = Some(public_key.clone());
            organisations.insert(organisation.as_bytes(), encode(&org)?)?;
            staff.insert(admin.as_bytes(), encode(&account)?)?;
            Ok(())
        });
        Ok(match transact(result)? {
            Ok(()) => StatisticsKeyOutcome::Set,
            Err(()) => StatisticsKeyOutcome::AlreadySet,
        })
    }

    fn drop_analyst_org_keys(&self) -> Result<usize, StoreError> {
        let mut changed = 0;
        for entry in self.staff.iter() {
            let (key, value) = entry?;
            let mut account: StaffAccount = decode("staff", &value)?;
            if account.role != Role::Analyst || !account.drop_organisation_key() {
                continue;
            }
            // Only if unchanged since read; a concurrent change is seen at the next start.
            if self.staff.compare_and_swap(&key, Some(&value), Some(encode(&account)?))?.is_ok() {
                changed += 1;
            }
        }
        Ok(changed)
    }
}
