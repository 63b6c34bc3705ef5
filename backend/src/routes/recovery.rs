//! An administrator who lost their password restores access with the organisation's
//! printed recovery key. The key never reaches the server: the browser sends
//! `RecoveryKey::proof` (an HKDF output of it), and the server compares a keyed hash of
//! that with the verifier stored at set-up. A right proof first gets the recovery copy of
//! the organisation key (`POST /api/recovery/open`), which only the key opens; the browser
//! then wraps the organisation key under a new password and sends that password record with
//! the same proof (`POST /api/recovery/reset`). Colleagues' copies are not touched.
//!
//! Tries are limited like staff logins: every try is counted against the username (and
//! the client's address) before it is checked and taken back only when right; after
//! [`limits::MAX_FAILED_STAFF_LOGINS`] wrong keys in [`limits::STAFF_LOCK_SECS`] the
//! username gets `login_locked`. A wrong key against a real administrator is audited as
//! `recovery_failed`; an unknown username, or an account that cannot be recovered, gets the
//! same 401 `bad_recovery` and is counted, not audited. A wrong key changes nothing else.

use crate::audit::{self, ANONYMOUS};
use crate::error::ApiError;
use crate::metrics::Refusal;
use crate::records::{Organisation, StaffAccount};
use crate::routes::staff::StaffTry;
use crate::staff::{normalise_username, org_key_fits_role, password_record};
use crate::store::LoginCounter;
use crate::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use beratta_core::api::{Bytes, RecoveryClaim, RecoveryCopy, RecoveryReset, Role};
use beratta_core::audit::AuditAction;
use beratta_core::envelope::KEY_LEN;

/// The account and organisation a right recovery proof opens.
struct Recovered {
    account: StaffAccount,
    organisation: Organisation,
}

/// Counts a try, checks the proof for `username` and takes the try back if it was right.
fn check_claim(state: &AppState, client: &str, username: &str, proof: &[u8]) -> Result<Recovered, ApiError> {
    let tried = StaffTry::count(state, client, LoginCounter::Recovery(username))?;
    let slow_down = tried.slow_down();

    // Only an enabled administrator of an organisation whose set-up stored a verifier.
    let account = state.store.staff_by_username(username)?;
    let admin = account.filter(|a| !a.disabled && a.role == Role::Administrator);
    let organisation = match &admin {
        Some(a) => state.store.organisation(&a.organisation)?,
        None => None,
    };
    let verifier = organisation.as_ref().and_then(|o| o.recovery_verifier.as_ref().map(|v| v.0.clone()));
    // Someone who cannot be recovered costs the same HMAC as someone who can.
    let right = state.secret.verify_login(proof, verifier.as_deref().unwrap_or(&[0u8; KEY_LEN])) && verifier.is_some();
    match (admin, organisation) {
        (Some(account), Some(organisation)) if right => {
            tried.succeeded(state)?;
            Ok(Recovered { account, organisation })
        }
        (Some(account), Some(_)) => {
            audit::record(state, &account.organisation, ANONYMOUS, AuditAction::RecoveryFailed, Some(&account.id))?;
            Err(slow_down.unwrap_or(ApiError::BadRecovery))
        }
        _ => {
            state.refusals.count(Refusal::UnknownStaffLogin);
            Err(slow_down.unwrap_or(ApiError::BadRecovery))
        }
    }
}

fn claimed(username: &str, proof: &Bytes) -> Result<String, ApiError> {
    if proof.0.len() != KEY_LEN {
        return Err(ApiError::Invalid("the recovery proof must be 32 bytes"));
    }
    normalise_username(username).ok_or(ApiError::BadUsername)
}

/// `POST /api/recovery/open`: a right proof gets the recovery copy of the organisation key.
#[utoipa::path(
    post,
    path = "/api/recovery/open",
    request_body = beratta_core::api::RecoveryClaim,
    responses((status = 200, body = beratta_core::api::RecoveryCopy)),
)]
pub async fn open(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<RecoveryClaim>,
) -> Result<web::Json<RecoveryCopy>, ApiError> {
    let RecoveryClaim { username, proof } = body.into_inner();
    let username = claimed(&username, &proof)?;
    let client = state.client_key(&req);
    let copy = state
        .blocking(move |state| {
            let Recovered { account, organisation } = check_claim(state, &client, &username, &proof.0)?;
            let wrapped = organisation
                .recovery_wrapped_org_key
                .clone()
                .ok_or(ApiError::Internal("a recovery verifier without a recovery copy"))?;
            Ok(RecoveryCopy {
                staff_id: account.id,
                username: account.username,
                display_name: account.display_name,
                organisation: organisation.id,
                organisation_name: organisation.name,
                recovery_wrapped_org_key: wrapped,
                recovery_wrapped_statistics_key: organisation.recovery_wrapped_statistics_key,
            })
        })
        .await?;
    Ok(web::Json(copy))
}

/// `POST /api/recovery/reset`: a right proof and a well-formed password record replace the
/// administrator's password (and their copy of the organisation key) and end their
/// sessions, so whoever may have had the old password is logged out. The username's
/// password lock is lifted: they may log in with the new one at once.
#[utoipa::path(
    post,
    path = "/api/recovery/reset",
    request_body = beratta_core::api::RecoveryReset,
    responses((status = 204)),
)]
pub async fn reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<RecoveryReset>,
) -> Result<HttpResponse, ApiError> {
    let RecoveryReset { username, proof, password } = body.into_inner();
    let username = claimed(&username, &proof)?;
    // A malformed password record is refused before the proof is tried, so it costs no try.
    let record = password_record(&state.secret, &password, &state.kdf_floor()).map_err(ApiError::Invalid)?;
    org_key_fits_role(Role::Administrator, &record).map_err(ApiError::Invalid)?;
    let client = state.client_key(&req);
    state
        .blocking(move |state| {
            let Recovered { account, .. } = check_claim(state, &client, &username, &proof.0)?;
            let store = &state.store;
            store
                .update_staff(&account.id, &|a: &mut StaffAccount| a.password = Some(record.clone()))?
                .ok_or(ApiError::Internal("a recovered account vanished"))?;
            store.end_staff_sessions(&account.id)?;
            store.clear_login_failures(LoginCounter::StaffUsername(&account.username))?;
            store.flush()?;
            audit::record(state, &account.organisation, &account.id, AuditAction::RecoveryUsed, Some(&account.id))?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
