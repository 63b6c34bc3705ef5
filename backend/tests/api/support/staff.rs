//! The staff side in tests: organisations, units and accounts made through the same code
//! as the `create-org` and `demo` commands, logins, and what a staff browser does with
//! keys and codes (lookups reserved by the server, codes made around them), so that tests
//! send exactly what a browser sends.

use super::{questionnaire, Fixture, CHEAP_KDF, ORGANISATION};
use actix_web::test::TestRequest;
use beratta_core::api::{
    Bytes, InvitationBatch, LookupRequest, NewInvitation, NewPassword, PersonalKey, Role, StaffLogin, Unit,
};
use beratta_core::envelope::{OrgSecretKey, SymmetricKey};
use beratta_core::login::{derive_child_secrets, random_lookup, ChildCode, SALT_LEN};
use beratta_core::staff::{
    derive_staff_secrets, grant_statistics_key, wrap_org_key, wrap_secret, KeyHolder, SecretKind, StaffSecrets,
};
use beratta_server::invitation;
use beratta_server::records::StaffAccount;
use beratta_server::staff::{self, KnownPassword};
use beratta_server::store::ReserveOutcome;
use beratta_server::store::StatisticsKeyOutcome;
use rand_core::{OsRng, RngCore};
use std::cell::Cell;

/// Every test account's password.
pub const PASSWORD: &str = "correct horse battery staple";

/// A staff account a test can log in with.
#[derive(Clone, Debug)]
pub struct StaffUser {
    pub id: String,
    pub username: String,
    pub organisation: String,
}

impl Fixture {
    /// Adds an organisation with a key pair, as `demo` makes one; the test keeps its key.
    pub fn add_organisation(&self, id: &str) {
        let (organisation, key) =
            invitation::new_organisation(id, &format!("Skolan {id}"), self.state.now(), &mut OsRng);
        assert!(self.state.store.insert_organisation(&organisation).expect("the store works"));
        self.other_org_keys.lock().expect("not poisoned").insert(id.to_string(), key.to_bytes());
    }

    /// The secret key of an organisation of this fixture (staff browsers hold it).
    pub fn org_secret(&self, organisation: &str) -> OrgSecretKey {
        if organisation == ORGANISATION {
            return OrgSecretKey::from_bytes(self.org_key.to_bytes());
        }
        let keys = self.other_org_keys.lock().expect("not poisoned");
        OrgSecretKey::from_bytes(*keys.get(organisation).expect("an organisation of this fixture"))
    }

    /// Adds a unit straight to the store; returns its id.
    pub fn add_unit(&self, organisation: &str, name: &str) -> String {
        let unit = Unit { unit_id: staff::new_id(&mut OsRng), name: name.to_string() };
        self.state.store.insert_unit(organisation, &unit).expect("the store works");
        unit.unit_id
    }

    /// Adds an account with [`PASSWORD`], as `demo --with-staff` does.
    pub fn add_staff(&self, organisation: &str, username: &str, role: Role, unit: Option<&str>) -> StaffUser {
        let member = KnownPassword {
            username,
            display_name: username,
            role,
            unit: unit.map(str::to_string),
            password: PASSWORD,
            kdf: CHEAP_KDF,
        };
        let account = staff::add_staff_with_password(
            self.state.store.as_ref(),
            &self.state.secret,
            organisation,
            &self.org_secret(organisation),
            &member,
            self.state.now(),
            &mut OsRng,
        )
        .expect("the account can be made");
        StaffUser { id: account.id, username: account.username, organisation: organisation.to_string() }
    }

    /// Reserves `count` lookups for `user` straight in the store, under the server's rules,
    /// with `candidates` (round and round) standing in for the server's random draws.
    pub fn reserve_from(&self, user: &StaffUser, count: usize, candidates: &[&str]) -> ReserveOutcome {
        let next = Cell::new(0);
        let draw = || {
            let i = next.get();
            next.set(i + 1);
            candidates[i % candidates.len()].to_string()
        };
        let rules = beratta_server::reservation_rules();
        self.state.store.reserve_lookups(&user.id, count, &draw, self.state.now(), &rules).expect("the store works")
    }

    /// One lookup reserved for `user` straight in the store, drawn as the server draws.
    pub fn reserved_lookup(&self, user: &StaffUser) -> String {
        let draw = || random_lookup(&mut OsRng);
        let rules = beratta_server::reservation_rules();
        match self.state.store.reserve_lookups(&user.id, 1, &draw, self.state.now(), &rules).expect("the store works") {
            ReserveOutcome::Reserved { mut lookups, .. } => lookups.remove(0),
            other => panic!("no lookup reserved: {other:?}"),
        }
    }

    /// Makes the organisation's statistics key as the first administrator's browser does
    /// after the upgrade (`PUT /api/admin/statistics-key`, straight in the store): the public
    /// half on the organisation, the secret half wrapped under `admin`'s password. Returns it.
    pub fn make_statistics_key(&self, admin: &StaffUser) -> OrgSecretKey {
        let statistics = OrgSecretKey::generate(&mut OsRng);
        let secrets = self.staff_secrets(admin);
        let holder = KeyHolder::Staff(&admin.username);
        let wrapped = wrap_secret(
            SecretKind::Statistics,
            &secrets.wrap_key,
            &admin.organisation,
            &holder,
            &statistics,
            &mut OsRng,
        );
        let public = Bytes(statistics.public_key().as_bytes().to_vec());
        let outcome = self
            .state
            .store
            .set_statistics_key(&admin.organisation, &admin.id, &public, &Bytes(wrapped))
            .expect("store");
        assert_eq!(outcome, StatisticsKeyOutcome::Set);
        statistics
    }

    /// Gives `user` a personal key pair as their browser makes it at login (secret half
    /// wrapped under their password), straight in the store; returns its secret half.
    pub fn make_personal_key(&self, user: &StaffUser) -> OrgSecretKey {
        let personal = OrgSecretKey::generate(&mut OsRng);
        let secrets = self.staff_secrets(user);
        let holder = KeyHolder::Staff(&user.username);
        let wrapped =
            wrap_secret(SecretKind::Personal, &secrets.wrap_key, &user.organisation, &holder, &personal, &mut OsRng);
        let key = PersonalKey {
            public_key: Bytes(personal.public_key().as_bytes().to_vec()),
            wrapped_secret: Bytes(wrapped),
        };
        self.state
            .store
            .update_staff(&user.id, &|a: &mut StaffAccount| {
                a.password.as_mut().expect("a password").personal_key = Some(key.clone())
            })
            .expect("store");
        personal
    }

    /// Grants `user` the statistics key as an administrator's browser does: sealed to a
    /// personal key made for them (see [`Fixture::make_personal_key`]), straight in the store.
    pub fn grant_statistics_key(&self, user: &StaffUser, statistics: &OrgSecretKey) {
        let personal = self.make_personal_key(user);
        let sealed =
            grant_statistics_key(&personal.public_key(), &user.organisation, &user.username, statistics, &mut OsRng);
        self.state
            .store
            .update_staff(&user.id, &|a: &mut StaffAccount| a.statistics_grant = Some(Bytes(sealed.clone())))
            .expect("store");
    }

    /// Derives a staff member's secrets from [`PASSWORD`] and the stored salt and cost.
    pub fn staff_secrets(&self, user: &StaffUser) -> StaffSecrets {
        let account = self.state.store.staff(&user.id).expect("the store works").expect("the account exists");
        let password = account.password.expect("the account has a password");
        derive_staff_secrets(PASSWORD, &password.salt.0, &password.kdf).expect("cheap parameters are valid")
    }
}

pub fn staff_login_request(username: &str, proof: &[u8]) -> TestRequest {
    TestRequest::post()
        .uri("/api/staff/login")
        .set_json(StaffLogin { username: username.to_string(), proof: Bytes(proof.to_vec()) })
}

/// Logs a staff member in; returns the cookie pair and the session.
macro_rules! staff_log_in {
    ($fixture:expr, $app:expr, $user:expr) => {{
        let secrets = $fixture.staff_secrets($user);
        let reply = $crate::support::send!(
            $app,
            $crate::support::staff::staff_login_request(&$user.username, &secrets.login_proof)
        );
        assert_eq!(reply.status, actix_web::http::StatusCode::OK, "staff login failed: {:?}", reply.body);
        let cookie = reply.session_cookie().expect("a login sets the session cookie");
        let session: beratta_core::api::StaffSession = reply.json();
        (cookie, session)
    }};
}
pub(crate) use staff_log_in;

/// A password record as a browser makes it: a fresh salt, the proof, and the organisation
/// key wrapped for the staff member (named by username) under the password's wrap key.
pub fn new_password(password: &str, organisation: &str, username: &str, org_key: &OrgSecretKey) -> NewPassword {
    let mut salt = [0u8; SALT_LEN];
    OsRng.fill_bytes(&mut salt);
    let secrets = derive_staff_secrets(password, &salt, &CHEAP_KDF).expect("cheap parameters are valid");
    let wrapped = wrap_org_key(&secrets.wrap_key, organisation, &KeyHolder::Staff(username), org_key, &mut OsRng);
    NewPassword {
        salt: Bytes(salt.to_vec()),
        kdf: CHEAP_KDF,
        proof: Bytes(secrets.login_proof.to_vec()),
        wrapped_org_key: Some(Bytes(wrapped)),
        wrapped_statistics_key: None,
    }
}

/// [`new_password`] with the statistics key wrapped under the same wrap key too, as an
/// administrator's browser makes it at set-up.
pub fn new_password_with_statistics(
    password: &str,
    organisation: &str,
    username: &str,
    org_key: &OrgSecretKey,
    statistics: &OrgSecretKey,
) -> NewPassword {
    let mut salt = [0u8; SALT_LEN];
    OsRng.fill_bytes(&mut salt);
    let secrets = derive_staff_secrets(password, &salt, &CHEAP_KDF).expect("cheap parameters are valid");
    let holder = KeyHolder::Staff(username);
    let wrapped = wrap_org_key(&secrets.wrap_key, organisation, &holder, org_key, &mut OsRng);
    let stats = wrap_secret(SecretKind::Statistics, &secrets.wrap_key, organisation, &holder, statistics, &mut OsRng);
    NewPassword {
        salt: Bytes(salt.to_vec()),
        kdf: CHEAP_KDF,
        proof: Bytes(secrets.login_proof.to_vec()),
        wrapped_org_key: Some(Bytes(wrapped)),
        wrapped_statistics_key: Some(Bytes(stats)),
    }
}

/// `POST /api/invitations/lookups` for `count` lookups.
pub fn lookups_request(cookie: &str, count: u32) -> TestRequest {
    with_cookie(TestRequest::post().uri("/api/invitations/lookups"), cookie).set_json(LookupRequest { count })
}

/// Reserves `count` lookups through the API, as a staff browser does first; returns them.
macro_rules! reserve_lookups {
    ($app:expr, $cookie:expr, $count:expr) => {{
        let reply = $crate::support::send!($app, $crate::support::staff::lookups_request($cookie, $count));
        assert_eq!(reply.status, actix_web::http::StatusCode::OK, "no lookups reserved: {:?}", reply.body);
        reply.json::<beratta_core::api::ReservedLookups>().lookups
    }};
}
pub(crate) use reserve_lookups;

/// `count` children as a staff browser makes them: a lookup reserved per child through the
/// API, each code made around its lookup, and what the browser sends of it.
macro_rules! new_children {
    ($app:expr, $cookie:expr, $count:expr) => {{
        let lookups = $crate::support::staff::reserve_lookups!($app, $cookie, $count);
        lookups.iter().map(|l| $crate::support::staff::child_with(l)).collect::<Vec<_>>()
    }};
}
pub(crate) use new_children;

/// One child as [`new_children`] makes them.
macro_rules! new_child {
    ($app:expr, $cookie:expr) => {
        $crate::support::staff::new_children!($app, $cookie, 1).remove(0)
    };
}
pub(crate) use new_child;

/// A child's code made around `lookup` as a staff browser makes it, and what it sends of it.
pub fn child_with(lookup: &str) -> (ChildCode, NewInvitation) {
    let code = ChildCode::with_lookup(lookup, &mut OsRng).expect("a lookup");
    let child = invitation_for(&code);
    (code, child)
}

/// What a staff browser sends for `code`: never the code, only its lookup, salt and proof.
pub fn invitation_for(code: &ChildCode) -> NewInvitation {
    let mut salt = [0u8; SALT_LEN];
    OsRng.fill_bytes(&mut salt);
    let secrets = derive_child_secrets(code, &salt, &CHEAP_KDF).expect("cheap parameters are valid");
    // The name, sealed to the organisation in the browser; the server cannot tell what it is.
    let mut note = vec![0u8; 64];
    OsRng.fill_bytes(&mut note);
    NewInvitation {
        lookup: code.lookup().to_string(),
        salt: Bytes(salt.to_vec()),
        kdf: CHEAP_KDF,
        proof: Bytes(secrets.login_proof.to_vec()),
        sealed_note: Bytes(note),
    }
}

pub fn batch(children: Vec<NewInvitation>, share_with_unit: bool) -> InvitationBatch {
    InvitationBatch { questionnaire: questionnaire(), share_with_unit, expires_in_days: 14, children, round: None }
}

/// A request with a cookie.
pub fn with_cookie(req: TestRequest, cookie: &str) -> TestRequest {
    req.insert_header(("cookie", cookie))
}

/// A fresh symmetric key, standing in for the enrolment key in a link's fragment.
pub fn enrolment_key() -> SymmetricKey {
    SymmetricKey::generate(&mut OsRng)
}
