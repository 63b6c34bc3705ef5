//! Kiosks: a browser at a youth centre that takes anonymous answers for one round, with no
//! cards. An administrator makes a kiosk for one of the organisation's anonymous rounds and
//! gets a one-time registration link; the kiosk's browser hands the link's token in and
//! gets a device token in an `HttpOnly` cookie that only that browser keeps. Each "Start"
//! on the kiosk then begins a fresh anonymous assessment in the round and opens a child
//! session for it, as a login with a code would; the young person answers and leaves, and
//! the kiosk's page keeps nothing of them (see `frontend/src/child/kiosk.rs`).
//!
//! Every change is audited: made, registered, revoked, and every start (by the kiosk, with
//! the kiosk as subject, never the assessment). Starts are limited per kiosk
//! ([`limits::MAX_KIOSK_STARTS`] per [`limits::KIOSK_WINDOW_SECS`]).

use crate::access::{off_worker, Admin};
use crate::audit;
use crate::calendar::is_open;
use crate::cookies;
use crate::error::ApiError;
use crate::invitation::create_kiosk_assessment;
use crate::limits;
use crate::routes::child::{start_session, SESSION_COOKIE};
use crate::staff::{check_name, new_id};
use crate::store::{LoginCounter, SessionKey};
use crate::AppState;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use beratta_core::api::{Kiosk, KioskClaim, KioskInfo, KioskRegistration, NewKiosk, RoundMode};
use beratta_core::audit::AuditAction;
use rand_core::OsRng;

/// The kiosk's device cookie (see `cookies` for its attributes).
pub const KIOSK_COOKIE: &str = "__Host-beratta-kiosk";

/// How a kiosk is named in the audit log.
fn kiosk_actor(id: &str) -> String {
    format!("kiosk:{id}")
}

/// `GET /api/admin/kiosks`: the organisation's kiosks, oldest first. Not audited, like the
/// list of units: it names no child.
#[utoipa::path(
    get,
    path = "/api/admin/kiosks",
    responses((status = 200, body = [beratta_core::api::Kiosk])),
)]
pub async fn list(admin: Admin) -> Result<web::Json<Vec<Kiosk>>, ApiError> {
    let kiosks = off_worker(admin, |admin| {
        let staff = admin.staff();
        Ok(staff.state().store.kiosks(&staff.organisation().id)?)
    });
    Ok(web::Json(kiosks.await?))
}

/// `POST /api/admin/kiosks`: a new kiosk for one of the organisation's anonymous rounds,
/// with its one-time registration token (only its hash is stored).
#[utoipa::path(
    post,
    path = "/api/admin/kiosks",
    request_body = beratta_core::api::NewKiosk,
    responses((status = 200, body = beratta_core::api::KioskRegistration)),
)]
pub async fn create(admin: Admin, body: web::Json<NewKiosk>) -> Result<web::Json<KioskRegistration>, ApiError> {
    let new = body.into_inner();
    let name = check_name(&new.name).map_err(|_| ApiError::Invalid("a kiosk's name has 1 to 100 characters"))?;
    let registration = off_worker(admin, move |admin| {
        let round = admin.round(&new.round)?;
        if round.mode != RoundMode::Anonymous {
            return Err(ApiError::Invalid("a kiosk takes answers for an anonymous round only"));
        }
        let staff = admin.staff();
        let now = staff.state().now();
        let (token, hash) = cookies::new_token();
        let kiosk = Kiosk {
            kiosk_id: new_id(&mut OsRng),
            name,
            round: round.round_id,
            created_by: staff.account().id.clone(),
            created_unix: now,
            registered: false,
            registration_expires_unix: now.saturating_add(limits::KIOSK_REGISTRATION_SECS),
            revoked: false,
        };
        if !staff.state().store.insert_kiosk(&staff.organisation().id, &kiosk, &hash)? {
            return Err(ApiError::Internal("a random kiosk id or token was taken"));
        }
        staff.audit(AuditAction::KioskCreated, Some(&kiosk.kiosk_id))?;
        Ok(KioskRegistration { kiosk, token: URL_SAFE_NO_PAD.encode(token) })
    });
    Ok(web::Json(registration.await?))
}

/// `DELETE /api/admin/kiosks/{id}`: takes a kiosk out of use for good; its browser's
/// device token starts nothing from now on.
#[utoipa::path(
    delete,
    path = "/api/admin/kiosks/{id}",
    params(("id" = String, Path)),
    responses((status = 200, body = beratta_core::api::Kiosk)),
)]
pub async fn revoke(admin: Admin, path: web::Path<String>) -> Result<web::Json<Kiosk>, ApiError> {
    let id = path.into_inner();
    let kiosk = off_worker(admin, move |admin| {
        let kiosk = admin.revoke_kiosk(&id)?;
        admin.staff().audit(AuditAction::KioskRevoked, Some(&kiosk.kiosk_id))?;
        Ok(kiosk)
    });
    Ok(web::Json(kiosk.await?))
}

/// `POST /api/kiosk/register`: the kiosk's browser hands in the registration token and
/// gets the device token as a cookie. The link works once, within its time.
#[utoipa::path(
    post,
    path = "/api/kiosk/register",
    request_body = beratta_core::api::KioskClaim,
    responses((status = 200, body = beratta_core::api::KioskInfo)),
)]
pub async fn register(state: web::Data<AppState>, body: web::Json<KioskClaim>) -> Result<HttpResponse, ApiError> {
    let registration = cookies::key_of(body.token.trim()).ok_or(ApiError::BadKioskLink)?;
    let (token, device) = cookies::new_token();
    let info = state
        .blocking(move |state| {
            let (organisation, kiosk) =
                state.store.register_kiosk(&registration, &device, state.now())?.ok_or(ApiError::BadKioskLink)?;
            audit::record(
                state,
                &organisation,
                &kiosk_actor(&kiosk.kiosk_id),
                AuditAction::KioskRegistered,
                Some(&kiosk.kiosk_id),
            )?;
            kiosk_info(state, &organisation, &kiosk)
        })
        .await?;
    let cookie = cookies::lasting_cookie(KIOSK_COOKIE, &token, limits::KIOSK_COOKIE_SECS)?;
    Ok(HttpResponse::Ok().insert_header((header::SET_COOKIE, cookie)).json(info))
}

/// What the kiosk's start screen shows.
fn kiosk_info(state: &AppState, organisation: &str, kiosk: &Kiosk) -> Result<KioskInfo, ApiError> {
    let organisation_name = state.store.organisation(organisation)?.map(|o| o.name).unwrap_or_default();
    let open = state.store.round(organisation, &kiosk.round)?.is_some_and(|r| is_open(&r, state.now()));
    Ok(KioskInfo { name: kiosk.name.clone(), organisation_name, open })
}

/// The live kiosk whose device cookie the request carries, with its organisation.
fn this_kiosk(state: &AppState, device: Option<SessionKey>) -> Result<(String, Kiosk), ApiError> {
    let device = device.ok_or(ApiError::NoKiosk)?;
    state.store.kiosk_by_device(&device)?.ok_or(ApiError::NoKiosk)
}

/// `GET /api/kiosk`: whether this browser is a live kiosk, and what its start screen shows.
#[utoipa::path(
    get,
    path = "/api/kiosk",
    responses((status = 200, body = beratta_core::api::KioskInfo)),
)]
pub async fn info(req: HttpRequest, state: web::Data<AppState>) -> Result<web::Json<KioskInfo>, ApiError> {
    let device = cookies::session_key(&req, KIOSK_COOKIE);
    let info = state
        .blocking(move |state| {
            let (organisation, kiosk) = this_kiosk(state, device)?;
            kiosk_info(state, &organisation, &kiosk)
        })
        .await?;
    Ok(web::Json(info))
}

/// `POST /api/kiosk/start`: a fresh anonymous assessment in the kiosk's round, and a child
/// session for it, ending the one the browser had before. Counted against the kiosk's
/// limit before anything is made, and audited.
#[utoipa::path(
    post,
    path = "/api/kiosk/start",
    responses((status = 200, body = beratta_core::api::ChildAssessment)),
)]
pub async fn start(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let device = cookies::session_key(&req, KIOSK_COOKIE);
    let old_session = cookies::session_key(&req, SESSION_COOKIE);
    let (token, body) = state
        .blocking(move |state| {
            let (organisation, kiosk) = this_kiosk(state, device)?;
            let now = state.now();
            let counter = LoginCounter::KioskStart(&kiosk.kiosk_id);
            let window = state.store.record_login_failure(counter, now, limits::KIOSK_WINDOW_SECS)?;
            if window.count > limits::MAX_KIOSK_STARTS {
                return Err(ApiError::TooManyStarts {
                    retry_after_secs: window.remaining(now, limits::KIOSK_WINDOW_SECS),
                });
            }
            let round = state
                .store
                .round(&organisation, &kiosk.round)?
                .ok_or(ApiError::Internal("a kiosk names a round that does not exist"))?;
            if !is_open(&round, now) {
                return Err(ApiError::RoundNotOpen);
            }
            let assessment = create_kiosk_assessment(&*state.store, &organisation, &round, now, &mut OsRng)
                .map_err(|_| ApiError::NoFreeLookup)?;
            audit::record(
                state,
                &organisation,
                &kiosk_actor(&kiosk.kiosk_id),
                AuditAction::KioskStarted,
                Some(&kiosk.kiosk_id),
            )?;
            start_session(state, &assessment, now, old_session)
        })
        .await?;
    let cookie = cookies::session_cookie(SESSION_COOKIE, &token)?;
    Ok(HttpResponse::Ok().insert_header((header::SET_COOKIE, cookie)).json(body))
}
