//! The staff member's own API: login parameters, login, the session, logout, the unit
//! names; and the two one-time links, the organisation's set-up and a colleague's
//! enrolment.
//!
//! Passwords never reach the server. The browser runs Argon2id over the password with the
//! account's salt and sends only the derived login proof, which the server checks against
//! a keyed verifier in constant time; the wrap key that opens the organisation key stays in
//! the browser. An unknown username gets a made-up salt, a wrong password and an unknown
//! username the same 401 `bad_login`, and both are counted and locked alike.

use crate::access::{staff_session, Staff, STAFF_COOKIE};
use crate::audit::{self, ANONYMOUS};
use crate::cookies::{self, TOKEN_LEN};
use crate::error::ApiError;
use crate::limits;
use crate::metrics::Refusal;
use crate::records::StaffSessionRecord;
use crate::staff::{
    check_name, normalise_username, org_key_fits_role, password_record, token_key, WRAPPED_ORG_KEY_LEN,
};
use crate::store::{LoginCounter, SessionKey, SetupCompletion, SetupOutcome};
use crate::AppState;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use beratta_core::api::{
    Bytes, Enrolment, LoginParams, NewPassword, OrganisationSetup, StaffLogin, StaffSession, Unit,
};
use beratta_core::audit::AuditAction;
use beratta_core::envelope::KEY_LEN;
use beratta_core::login::KdfParams;
use rand_core::{OsRng, RngCore};

/// The name a decoy salt is derived under, kept apart from children's lookups.
fn decoy_name(username: &str) -> String {
    format!("staff:{username}")
}

/// `GET /api/staff/params/{username}`. An unknown username, an account that has no
/// password yet and a disabled one all get a salt derived from the server secret and the
/// standard cost, the same every time, so the answer does not tell which usernames exist.
#[utoipa::path(
    get,
    path = "/api/staff/params/{username}",
    params(("username" = String, Path)),
    responses((status = 200, body = beratta_core::api::LoginParams)),
)]
pub async fn params(state: web::Data<AppState>, path: web::Path<String>) -> Result<web::Json<LoginParams>, ApiError> {
    let username = normalise_username(&path.into_inner()).ok_or(ApiError::BadUsername)?;
    let params = state
        .blocking(move |state| {
            let account = state.store.staff_by_username(&username)?;
            Ok(match account.filter(|a| !a.disabled).and_then(|a| a.password) {
                Some(password) => LoginParams { salt: password.salt, kdf: password.kdf },
                None => LoginParams {
                    salt: Bytes(state.secret.decoy_salt(&decoy_name(&username)).to_vec()),
                    kdf: KdfParams::STANDARD,
                },
            })
        })
        .await?;
    Ok(web::Json(params))
}

/// `POST /api/staff/login`: a new session with a new token at every login.
#[utoipa::path(
    post,
    path = "/api/staff/login",
    request_body = beratta_core::api::StaffLogin,
    responses((status = 200, body = beratta_core::api::StaffSession)),
)]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<StaffLogin>,
) -> Result<HttpResponse, ApiError> {
    let StaffLogin { username, proof } = body.into_inner();
    let username = normalise_username(&username).ok_or(ApiError::BadLogin)?;
    let client = state.client_key(&req);
    let old_session = cookies::session_key(&req, STAFF_COOKIE);
    let (token, body) =
        state.blocking(move |state| check_login(state, &client, &username, &proof.0, old_session)).await?;
    let cookie = cookies::session_cookie(STAFF_COOKIE, &token)?;
    Ok(HttpResponse::Ok().insert_header((header::SET_COOKIE, cookie)).json(body))
}

/// A staff member's try at a secret (a password, or an administrator's recovery key),
/// counted before it is checked: per client network (too many and the client is told to
/// slow down, but a right secret still counts) and per username (too many and the username
/// is locked for a while, whether or not it exists). A right secret takes both back.
pub(crate) struct StaffTry<'a> {
    client: LoginCounter<'a>,
    user: LoginCounter<'a>,
    now: u64,
    /// Set when the client has tried too often: how long it should wait.
    slow_down_secs: Option<u64>,
}

impl<'a> StaffTry<'a> {
    pub(crate) fn count(state: &AppState, client: &'a str, user: LoginCounter<'a>) -> Result<StaffTry<'a>, ApiError> {
        let now = state.now();
        let client = LoginCounter::StaffClient(client);
        let window = state.store.record_login_failure(client, now, limits::CLIENT_WINDOW_SECS)?;
        let slow_down_secs =
            (window.count > limits::MAX_CLIENT_FAILURES).then(|| window.remaining(now, limits::CLIENT_WINDOW_SECS));
        let window = state.store.record_login_failure(user, now, limits::STAFF_LOCK_SECS)?;
        if window.count > limits::MAX_FAILED_STAFF_LOGINS {
            return Err(ApiError::LoginLocked { retry_after_secs: window.remaining(now, limits::STAFF_LOCK_SECS) });
        }
        Ok(StaffTry { client, user, now, slow_down_secs })
    }

    /// What a wrong secret is answered with when the client has tried too often.
    pub(crate) fn slow_down(&self) -> Option<ApiError> {
        self.slow_down_secs.map(|retry_after_secs| ApiError::TooManyTries { retry_after_secs })
    }

    /// The secret was right: the try is taken back from both counters.
    pub(crate) fn succeeded(self, state: &AppState) -> Result<(), ApiError> {
        state.store.forget_login_failure(self.user, self.now, limits::STAFF_LOCK_SECS)?;
        state.store.forget_login_failure(self.client, self.now, limits::CLIENT_WINDOW_SECS)?;
        Ok(())
    }
}

/// Checks a staff login and starts the session; returns the token and the session.
///
/// As for children, every attempt is counted as a failure before the proof is checked and
/// taken back if it was right, so attempts sent at once cannot slip past the limits. A
/// username locks for [`limits::STAFF_LOCK_SECS`] after [`limits::MAX_FAILED_STAFF_LOGINS`]
/// wrong passwords; a right one takes back only its own try. An address that has sent
/// [`limits::MAX_CLIENT_FAILURES`] wrong passwords is told to slow down, but a right
/// password is never refused for its address.
fn check_login(
    state: &AppState,
    client: &str,
    username: &str,
    proof: &[u8],
    old_session: Option<SessionKey>,
) -> Result<([u8; TOKEN_LEN], StaffSession), ApiError> {
    let now = state.now();
    let tried = StaffTry::count(state, client, LoginCounter::StaffUsername(username))?;
    let slow_down = tried.slow_down();

    let account = state.store.staff_by_username(username)?;
    let usable = account.as_ref().filter(|a| !a.disabled).and_then(|a| a.password.as_ref().map(|p| (a, p)));
    // An unknown username costs the same HMAC as a known one.
    let right = match usable {
        Some((_, password)) => state.secret.verify_login(proof, &password.verifier.0),
        None => {
            let _ = state.secret.verify_login(proof, &[0u8; KEY_LEN]);
            false
        }
    };
    let Some((account, _)) = usable.filter(|_| right) else {
        match &account {
            Some(a) => {
                audit::record(state, &a.organisation, ANONYMOUS, AuditAction::StaffLoginFailed, Some(&a.id))?;
            }
            // Nobody's account: counted, not audited, so strangers cannot grow the log.
            None => state.refusals.count(Refusal::UnknownStaffLogin),
        }
        return Err(slow_down.unwrap_or(ApiError::BadLogin));
    };

    tried.succeeded(state)?;
    if let Some(old) = old_session {
        state.store.delete_staff_session(&old)?;
    }
    let (token, key) = cookies::new_token();
    let mut session_key = [0u8; KEY_LEN];
    OsRng.fill_bytes(&mut session_key);
    let record = StaffSessionRecord {
        staff_id: account.id.clone(),
        organisation: account.organisation.clone(),
        created_unix: now,
        last_seen_unix: now,
        session_key: Bytes(session_key.to_vec()),
    };
    state.store.put_staff_session(&key, &record)?;
    audit::record(state, &account.organisation, &account.id, AuditAction::StaffLogin, Some(&account.id))?;
    let organisation = state
        .store
        .organisation(&account.organisation)?
        .ok_or(ApiError::Internal("a staff account names an organisation that does not exist"))?;
    Ok((token, staff_session(account, &organisation, &record.session_key)?))
}

/// `GET /api/staff/me`: who is logged in, with this session's key, so that a reloaded page
/// can open the organisation key it kept wrapped under it.
#[utoipa::path(
    get,
    path = "/api/staff/me",
    responses((status = 200, body = beratta_core::api::StaffSession)),
)]
pub async fn me(staff: Staff) -> Result<web::Json<StaffSession>, ApiError> {
    Ok(web::Json(staff_session(staff.account(), staff.organisation(), staff.session_wrap_key())?))
}

/// `POST /api/staff/logout`: ends the session on the server and expires the cookie. Without
/// a session it does the same, so a browser can always log out.
#[utoipa::path(
    post,
    path = "/api/staff/logout",
    responses((status = 204)),
)]
pub async fn logout(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    if let Some(key) = cookies::session_key(&req, STAFF_COOKIE) {
        state
            .blocking(move |state| {
                if let Some(session) = state.store.staff_session(&key)? {
                    state.store.delete_staff_session(&key)?;
                    audit::record(state, &session.organisation, &session.staff_id, AuditAction::StaffLogout, None)?;
                }
                Ok(())
            })
            .await?;
    }
    let expired = cookies::expired_cookie(STAFF_COOKIE)?;
    Ok(HttpResponse::NoContent().insert_header((header::SET_COOKIE, expired)).finish())
}

/// `GET /api/units`: the organisation's units, for every role, so names can be shown.
#[utoipa::path(
    get,
    path = "/api/units",
    responses((status = 200, body = [beratta_core::api::Unit])),
)]
pub async fn units(staff: Staff) -> Result<web::Json<Vec<Unit>>, ApiError> {
    let state = staff.state().clone();
    Ok(web::Json(state.blocking(move |state| Ok(state.store.units(&staff.organisation().id)?)).await?))
}

/// Counts a one-time link that opens nothing (it names nobody, so it is not audited), and
/// answers 404.
fn unknown_link(state: &AppState) -> ApiError {
    state.refusals.count(Refusal::UnknownLink);
    ApiError::NotFound
}

/// `GET /api/setup/{token}`: who the set-up is for, so the browser can bind the copies of
/// the organisation key it makes to the organisation and the administrator's account.
/// (Answered in the shape of an [`Enrolment`], with no wrapped key: there is none yet.)
#[utoipa::path(
    get,
    path = "/api/setup/{token}",
    params(("token" = String, Path)),
    responses((status = 200, body = beratta_core::api::Enrolment)),
)]
pub async fn setup_info(state: web::Data<AppState>, path: web::Path<String>) -> Result<web::Json<Enrolment>, ApiError> {
    let token = path.into_inner();
    let enrolment = state
        .blocking(move |state| {
            let found = match token_key(&token) {
                Some(key) => state.store.setup_token(&key, state.now())?,
                None => None,
            };
            let Some(setup) = found else { return Err(unknown_link(state)) };
            let admin = state.store.staff(&setup.staff_id)?.ok_or(ApiError::Internal("a set-up names no account"))?;
            let organisation = state
                .store
                .organisation(&setup.organisation)?
                .ok_or(ApiError::Internal("a set-up names no organisation"))?;
            Ok(Enrolment {
                staff_id: admin.id,
                username: admin.username,
                display_name: admin.display_name,
                organisation: organisation.id,
                organisation_name: organisation.name,
                enrolment_wrapped_org_key: None,
            })
        })
        .await?;
    Ok(web::Json(enrolment))
}

/// `POST /api/setup/{token}`: the first administrator's browser has made the key pair and
/// sends the public key, the recovery copy of the secret key and the administrator's
/// password record. The token works once.
#[utoipa::path(
    post,
    path = "/api/setup/{token}",
    params(("token" = String, Path)),
    request_body = beratta_core::api::OrganisationSetup,
    responses((status = 204)),
)]
pub async fn setup(
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Json<OrganisationSetup>,
) -> Result<HttpResponse, ApiError> {
    let Some(key) = token_key(&path.into_inner()) else { return Err(unknown_link(&state)) };
    let body = body.into_inner();
    if body.org_public_key.0.len() != KEY_LEN {
        return Err(ApiError::Invalid("the organisation's public key must be 32 bytes"));
    }
    if body.recovery_wrapped_org_key.0.len() != WRAPPED_ORG_KEY_LEN {
        return Err(ApiError::Invalid("the recovery copy of the organisation key has the wrong length"));
    }
    if body.recovery_proof.0.len() != KEY_LEN {
        return Err(ApiError::Invalid("the recovery proof must be 32 bytes"));
    }
    if body.statistics_public_key.0.len() != KEY_LEN {
        return Err(ApiError::Invalid("the statistics public key must be 32 bytes"));
    }
    if body.recovery_wrapped_statistics_key.0.len() != WRAPPED_ORG_KEY_LEN {
        return Err(ApiError::Invalid("the recovery copy of the statistics key has the wrong length"));
    }
    if body.password.wrapped_org_key.is_none() || body.password.wrapped_statistics_key.is_none() {
        return Err(ApiError::Invalid("the administrator's copies of both keys are needed"));
    }
    let display_name = check_name(&body.display_name).map_err(|_| ApiError::Invalid("the display name"))?;
    let password = password_record(&state.secret, &body.password, &state.kdf_floor()).map_err(ApiError::Invalid)?;
    let completion = SetupCompletion {
        username: normalise_username(&body.username).ok_or(ApiError::WrongUsername)?,
        display_name,
        public_key: body.org_public_key,
        recovery_wrapped_org_key: body.recovery_wrapped_org_key,
        recovery_verifier: Bytes(state.secret.login_verifier(&body.recovery_proof.0).to_vec()),
        statistics_public_key: body.statistics_public_key,
        recovery_wrapped_statistics_key: body.recovery_wrapped_statistics_key,
        password,
    };
    state
        .blocking(move |state| match state.store.complete_setup(&key, state.now(), &completion)? {
            SetupOutcome::Done(admin) => {
                state.store.flush()?;
                audit::record(state, &admin.organisation, &admin.id, AuditAction::StaffEnrolled, Some(&admin.id))?;
                audit::record(state, &admin.organisation, &admin.id, AuditAction::StatisticsKeyCreated, None)?;
                Ok(())
            }
            SetupOutcome::WrongUsername => Err(ApiError::WrongUsername),
            SetupOutcome::UnknownToken => Err(unknown_link(state)),
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `GET /api/enrol/{token}`: what a new colleague's browser needs to take over their copy
/// of the organisation key.
#[utoipa::path(
    get,
    path = "/api/enrol/{token}",
    params(("token" = String, Path)),
    responses((status = 200, body = beratta_core::api::Enrolment)),
)]
pub async fn enrolment(state: web::Data<AppState>, path: web::Path<String>) -> Result<web::Json<Enrolment>, ApiError> {
    let token = path.into_inner();
    let enrolment = state
        .blocking(move |state| {
            let found = match token_key(&token) {
                Some(key) => state.store.enrolling_staff(&key, state.now())?,
                None => None,
            };
            let Some(account) = found.filter(|a| !a.disabled) else { return Err(unknown_link(state)) };
            let wrapped = account.enrolment.as_ref().and_then(|e| e.wrapped_org_key.clone());
            let organisation = state
                .store
                .organisation(&account.organisation)?
                .ok_or(ApiError::Internal("an account names no organisation"))?;
            Ok(Enrolment {
                staff_id: account.id,
                username: account.username,
                display_name: account.display_name,
                organisation: organisation.id,
                organisation_name: organisation.name,
                enrolment_wrapped_org_key: wrapped,
            })
        })
        .await?;
    Ok(web::Json(enrolment))
}

/// `POST /api/enrol/{token}`: the new colleague's password record, with the organisation
/// key now wrapped under their own password. The token and the enrolment copy of the key
/// are deleted; the administrator never learnt the password.
#[utoipa::path(
    post,
    path = "/api/enrol/{token}",
    params(("token" = String, Path)),
    request_body = beratta_core::api::NewPassword,
    responses((status = 204)),
)]
pub async fn enrol(
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Json<NewPassword>,
) -> Result<HttpResponse, ApiError> {
    let Some(key) = token_key(&path.into_inner()) else { return Err(unknown_link(&state)) };
    let new_password = body.into_inner();
    state
        .blocking(move |state| {
            let now = state.now();
            // A disabled account's link opens nothing.
            let Some(enrolling) = state.store.enrolling_staff(&key, now)?.filter(|a| !a.disabled) else {
                return Err(unknown_link(state));
            };
            let mut password =
                password_record(&state.secret, &new_password, &state.kdf_floor()).map_err(ApiError::Invalid)?;
            org_key_fits_role(enrolling.role, &password).map_err(ApiError::Invalid)?;
            // Only an administrator's set-up or recovery wraps the statistics key under a
            // password; a colleague is granted it.
            password.wrapped_statistics_key = None;
            let Some(account) = state.store.complete_enrolment(&key, now, &password)? else {
                return Err(unknown_link(state));
            };
            state.store.flush()?;
            audit::record(state, &account.organisation, &account.id, AuditAction::StaffEnrolled, Some(&account.id))
                .map(|_| ())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
