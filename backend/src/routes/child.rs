//! The child's API: login parameters, login, the session, saving sealed answers, logout.
//!
//! The server checks a login proof against an HMAC verifier and hands out its share of the
//! child's wrap key; it never sees the code, the wrap key, the data key or an answer.
//! A handler that needs a logged-in child takes a [`LoggedInChild`], which exists only
//! after the session was found and checked for expiry, so no such handler can skip the
//! check. A revoked or expired invitation's code is refused exactly like a wrong code, and
//! a revoked invitation's open session ends.

use crate::audit::{self, child_actor, ANONYMOUS};
use crate::cookies::{self, TOKEN_LEN};
use crate::error::ApiError;
use crate::limits;
use crate::metrics::Refusal;
use crate::records::{Assessment, ChildSession};
use crate::store::{LoginCounter, SaveOutcome, SessionKey};
use crate::AppState;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use beratta_core::api::{Bytes, ChildAssessment, ChildLogin, ChildRound, LoginParams, SaveReceipt, SealedAnswers};
use beratta_core::audit::AuditAction;
use beratta_core::envelope::{KEY_LEN, NONCE_LEN};
use beratta_core::login::KdfParams;
use beratta_core::statistics::{MAX_SEALED_LEN, SEALED_OVERHEAD};
use beratta_core::status::SEALED_STATUS_LEN;
use rand_core::{OsRng, RngCore};
use std::future::Future;
use std::pin::Pin;

/// The session cookie (see `cookies` for its attributes).
pub const SESSION_COOKIE: &str = "__Host-beratta-child";

/// The Poly1305 tag of XChaCha20-Poly1305 and of the sealed box.
pub const TAG_LEN: usize = 16;
/// A data key sealed to the organisation: ephemeral public key, tag, key.
const ORG_SEALED_KEY_LEN: usize = KEY_LEN + TAG_LEN + KEY_LEN;
/// A data key wrapped under the child's key: nonce, key, tag.
pub const CHILD_WRAPPED_KEY_LEN: usize = NONCE_LEN + KEY_LEN + TAG_LEN;
/// The shortest blob that can be a real encryption: nonce and tag around nothing.
pub const MIN_BLOB_LEN: usize = NONCE_LEN + TAG_LEN;

/// Whether `lookup` can be the first part of a code: four characters of the code alphabet.
pub fn is_lookup(lookup: &str) -> bool {
    beratta_core::login::is_lookup(lookup)
}

/// `GET /api/child/params/{lookup}`. An unknown lookup gets a salt derived from the server
/// secret and the standard cost, the same every time, so that a guesser cannot tell which
/// lookups exist.
#[utoipa::path(
    get,
    path = "/api/child/params/{lookup}",
    params(("lookup" = String, Path)),
    responses((status = 200, body = beratta_core::api::LoginParams)),
)]
pub async fn params(state: web::Data<AppState>, path: web::Path<String>) -> Result<web::Json<LoginParams>, ApiError> {
    let lookup = path.into_inner();
    if !is_lookup(&lookup) {
        return Err(ApiError::BadLookup);
    }
    let params = state
        .blocking(move |state| {
            Ok(match state.store.assessment_by_lookup(&lookup)? {
                Some(assessment) => LoginParams { salt: assessment.salt, kdf: assessment.kdf },
                None => {
                    LoginParams { salt: Bytes(state.secret.decoy_salt(&lookup).to_vec()), kdf: KdfParams::STANDARD }
                }
            })
        })
        .await?;
    Ok(web::Json(params))
}

/// `POST /api/child/login`.
#[utoipa::path(
    post,
    path = "/api/child/login",
    request_body = beratta_core::api::ChildLogin,
    responses((status = 200, body = beratta_core::api::ChildAssessment)),
)]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<ChildLogin>,
) -> Result<HttpResponse, ApiError> {
    let ChildLogin { lookup, proof } = body.into_inner();
    if !is_lookup(&lookup) {
        return Err(ApiError::BadLookup);
    }
    let client = state.client_key(&req);
    let old_session = session_key(&req);
    let (token, body) =
        state.blocking(move |state| check_login(state, &client, &lookup, &proof.0, old_session)).await?;
    let cookie = cookies::session_cookie(SESSION_COOKIE, &token)?;
    Ok(HttpResponse::Ok().insert_header((header::SET_COOKIE, cookie)).json(body))
}

/// Checks a login and starts the session; returns the new session token and what the
/// browser needs.
///
/// Every attempt is counted as a failure before the code is checked, and taken back if it
/// was right. Counting afterwards would let many requests sent at once all pass the check
/// before any of them was counted, and so get more guesses than the limits allow.
///
/// Two limits: each code locks for good after [`limits::MAX_FAILED_LOGINS`] wrong tries
/// over its whole life (a right code takes back only its own try, it does not wipe the
/// count), which bounds the guesses against any one code; and each client network that has
/// sent [`limits::MAX_CLIENT_FAILURES`] wrong codes in a window is told to slow down. The
/// address limit never refuses a right code: a class behind a school's one address must
/// not be locked out by one child's mistyping or by a stranger on the same network.
fn check_login(
    state: &AppState,
    client: &str,
    lookup: &str,
    proof: &[u8],
    old_session: Option<SessionKey>,
) -> Result<([u8; TOKEN_LEN], ChildAssessment), ApiError> {
    let now = state.now();
    let client_counter = LoginCounter::Client(client);
    let window = state.store.record_login_failure(client_counter, now, limits::CLIENT_WINDOW_SECS)?;
    let slow_down = (window.count > limits::MAX_CLIENT_FAILURES)
        .then(|| ApiError::TooManyTries { retry_after_secs: window.remaining(now, limits::CLIENT_WINDOW_SECS) });

    let Some(assessment) = state.store.assessment_by_lookup(lookup)? else {
        // An unknown lookup is counted and locked like a real one, and costs the same
        // HMAC work, so that neither the answers nor their timing tell it apart. It
        // belongs to no organisation, so it is counted, not audited.
        let failed = state.store.record_login_failure(LoginCounter::UnknownLookup(lookup), now, u64::MAX)?.count;
        let _ = state.secret.verify_login(proof, &[0u8; KEY_LEN]);
        state.refusals.count(Refusal::UnknownChildCode);
        return Err(slow_down.unwrap_or(locked_or_bad(failed)));
    };
    let failed = state.store.record_failed_login(&assessment.id)?;
    if failed > limits::MAX_FAILED_LOGINS {
        // Already locked: its tenth wrong try is in the audit log, and further tries are
        // counted, not audited, so that hammering a locked code cannot grow the log.
        let _ = state.secret.verify_login(proof, &assessment.verifier.0);
        state.refusals.count(Refusal::LockedChildCode);
        return Err(ApiError::CodeLocked);
    }
    // The proof is checked even for a revoked or expired invitation, and the answer is the
    // same as for a wrong code, so a code that stopped working cannot be told from a wrong
    // one.
    let right = state.secret.verify_login(proof, &assessment.verifier.0);
    if !right || !assessment.is_live(now) {
        audit::record(state, &assessment.organisation, ANONYMOUS, AuditAction::ChildLoginFailed, Some(&assessment.id))?;
        return Err(slow_down.unwrap_or(locked_or_bad(failed)));
    }
    state.store.forget_failed_login(&assessment.id)?;
    state.store.forget_login_failure(client_counter, now, limits::CLIENT_WINDOW_SECS)?;
    audit::record(
        state,
        &assessment.organisation,
        &child_actor(&assessment.id),
        AuditAction::ChildLogin,
        Some(&assessment.id),
    )?;
    start_session(state, &assessment, now, old_session)
}

/// The answer to a wrong code, once it has been counted `failed` times: the attempt that
/// reaches the limit already tells the child to ask for a new code.
fn locked_or_bad(failed: u32) -> ApiError {
    if failed >= limits::MAX_FAILED_LOGINS {
        ApiError::CodeLocked
    } else {
        ApiError::BadCode
    }
}

/// Creates a session for a child who gave the right code (or pressed "Start" on a kiosk),
/// and ends the one the browser had before, if any; returns the new token and what the
/// browser needs.
pub(crate) fn start_session(
    state: &AppState,
    assessment: &Assessment,
    now: u64,
    old_session: Option<SessionKey>,
) -> Result<([u8; TOKEN_LEN], ChildAssessment), ApiError> {
    if let Some(old) = old_session {
        state.store.delete_session(&old)?;
    }
    let (token, key) = cookies::new_token();
    let mut resume_key = [0u8; KEY_LEN];
    OsRng.fill_bytes(&mut resume_key);
    let session = ChildSession {
        assessment: assessment.id.clone(),
        resume_key: Bytes(resume_key.to_vec()),
        created_unix: now,
        last_seen_unix: now,
    };
    state.store.put_session(&key, &session)?;
    Ok((token, child_assessment(state, assessment, session.resume_key)?))
}

/// What a logged-in child's browser needs to open and seal its answers.
fn child_assessment(state: &AppState, assessment: &Assessment, resume_key: Bytes) -> Result<ChildAssessment, ApiError> {
    let organisation = state
        .store
        .organisation(&assessment.organisation)?
        .ok_or(ApiError::Internal("an assessment names an organisation that does not exist"))?;
    let org_public_key =
        organisation.public_key.ok_or(ApiError::Internal("an assessment's organisation has no public key"))?;
    Ok(ChildAssessment {
        assessment: assessment.id.clone(),
        organisation: organisation.id,
        org_public_key,
        statistics_public_key: organisation.statistics_public_key,
        questionnaire: assessment.questionnaire.clone(),
        server_share: Bytes(state.secret.child_share(&assessment.id).to_vec()),
        resume_key,
        sealed: assessment.sealed.clone(),
        help: assessment.help.clone(),
        round: assessment.round.as_ref().map(|r| ChildRound {
            round: r.round.clone(),
            unit: r.unit.clone(),
            mode: r.mode,
        }),
    })
}

/// The store key of the child session named by the request's cookie, if it names one.
fn session_key(req: &HttpRequest) -> Option<SessionKey> {
    cookies::session_key(req, SESSION_COOKIE)
}

/// Proof that the request carries a live session: its store key and the session as it
/// stands after this use.
pub struct LoggedInChild {
    pub key: SessionKey,
    pub session: ChildSession,
}

impl LoggedInChild {
    /// Finds the session `key` and checks its timeouts; runs on the blocking pool.
    fn check(state: &AppState, key: SessionKey) -> Result<LoggedInChild, ApiError> {
        let session = state.store.session(&key)?.ok_or(ApiError::NoSession)?;
        let now = state.now();
        let idle = now.saturating_sub(session.last_seen_unix) >= limits::SESSION_IDLE_SECS;
        let too_old = now.saturating_sub(session.created_unix) >= limits::SESSION_MAX_SECS;
        if idle || too_old {
            state.store.delete_session(&key)?;
            return Err(ApiError::NoSession);
        }
        // The idle clock is kept to the minute: a child saving every few seconds need not
        // rewrite the session with every save.
        if now.saturating_sub(session.last_seen_unix) < limits::SESSION_TOUCH_EVERY_SECS {
            return Ok(LoggedInChild { key, session });
        }
        let session = state.store.touch_session(&key, now)?.ok_or(ApiError::NoSession)?;
        Ok(LoggedInChild { key, session })
    }
}

impl FromRequest for LoggedInChild {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<LoggedInChild, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let key = session_key(req);
        Box::pin(async move {
            let state = state.ok_or(ApiError::Internal("the app state is not registered"))?;
            let key = key.ok_or(ApiError::NoSession)?;
            state.blocking(move |state| LoggedInChild::check(state, key)).await
        })
    }
}

/// The assessment of a checked session; a session whose assessment is gone or revoked is
/// ended. (An invitation that expires while a child is answering keeps its session until
/// the session's own timeouts: expiry stops new logins, it does not cut a child off.)
fn assessment_of(state: &AppState, child: &LoggedInChild) -> Result<Assessment, ApiError> {
    match state.store.assessment(&child.session.assessment)? {
        Some(assessment) if !assessment.revoked => Ok(assessment),
        _ => {
            state.store.delete_session(&child.key)?;
            Err(ApiError::NoSession)
        }
    }
}

/// `GET /api/child/session`: what login returned, with the same resume key, so a reloaded
/// page can carry on without the code.
#[utoipa::path(
    get,
    path = "/api/child/session",
    responses((status = 200, body = beratta_core::api::ChildAssessment)),
)]
pub async fn session(child: LoggedInChild, state: web::Data<AppState>) -> Result<web::Json<ChildAssessment>, ApiError> {
    let body = state
        .blocking(move |state| {
            let assessment = assessment_of(state, &child)?;
            child_assessment(state, &assessment, child.session.resume_key)
        })
        .await?;
    Ok(web::Json(body))
}

/// Rejects sealed answers that cannot be what the browser's domain crate makes. The server
/// cannot check what is inside, but it can keep out what could never open.
fn check_shape(sealed: &SealedAnswers) -> Result<(), ApiError> {
    if sealed.blob.0.len() > limits::MAX_BLOB_BYTES {
        return Err(ApiError::TooLarge);
    }
    if sealed.blob.0.len() < MIN_BLOB_LEN {
        return Err(ApiError::BadAnswers("the blob is too short to be a real encryption"));
    }
    // Empty in an anonymous round, where nothing is sealed to the organisation; the store
    // holds each save to its round (`SaveOutcome::Misfit`).
    if !matches!(sealed.org_sealed_key.0.len(), 0 | ORG_SEALED_KEY_LEN) {
        return Err(ApiError::BadAnswers("the organisation's sealed key has the wrong length"));
    }
    if sealed.child_wrapped_key.0.len() != CHILD_WRAPPED_KEY_LEN {
        return Err(ApiError::BadAnswers("the child's wrapped key has the wrong length"));
    }
    if sealed.status.as_ref().is_some_and(|s| s.0.len() != SEALED_STATUS_LEN) {
        return Err(ApiError::BadAnswers("the sealed status has the wrong length"));
    }
    if let Some(record) = &sealed.statistics {
        if record.0.len() > MAX_SEALED_LEN {
            return Err(ApiError::TooLarge);
        }
        if record.0.len() <= SEALED_OVERHEAD {
            return Err(ApiError::BadAnswers("the statistics record is too short to be a sealed record"));
        }
    }
    Ok(())
}

/// `PUT /api/child/answers`: stores the next save, answering only once it is on disk.
#[utoipa::path(
    put,
    path = "/api/child/answers",
    request_body = beratta_core::api::SealedAnswers,
    responses((status = 200, body = beratta_core::api::SaveReceipt)),
)]
pub async fn save_answers(
    child: LoggedInChild,
    state: web::Data<AppState>,
    body: web::Json<SealedAnswers>,
) -> Result<web::Json<SaveReceipt>, ApiError> {
    let sealed = body.into_inner();
    check_shape(&sealed)?;
    let counter = sealed.counter;
    let on_disk = state
        .blocking(move |state| {
            // One read of the assessment: the store refuses a revoked one as gone.
            match state.store.save_answers(&child.session.assessment, sealed)? {
                // Joins the flusher's queue only after the write, so its flush covers it.
                SaveOutcome::Saved => Ok(state.store.durable()),
                SaveOutcome::Stale => Err(ApiError::StaleSave),
                SaveOutcome::Misfit(why) => Err(ApiError::BadAnswers(why)),
                SaveOutcome::NoAssessment => {
                    state.store.delete_session(&child.key)?;
                    Err(ApiError::NoSession)
                }
            }
        })
        .await?;
    on_disk.wait().await?;
    Ok(web::Json(SaveReceipt { counter }))
}

/// `POST /api/child/logout`: ends the session on the server, so the cookie and the resume
/// key the browser may still hold are worthless, and tells the browser to drop the cookie.
#[utoipa::path(
    post,
    path = "/api/child/logout",
    responses((status = 204)),
)]
pub async fn logout(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    if let Some(key) = session_key(&req) {
        state.blocking(move |state| Ok(state.store.delete_session(&key)?)).await?;
    }
    let expired = cookies::expired_cookie(SESSION_COOKIE)?;
    Ok(HttpResponse::NoContent().insert_header((header::SET_COOKIE, expired)).finish())
}
