//! The child's API: login parameters, login, the session, saving sealed answers, logout.
//!
//! The server checks a login proof against an HMAC verifier and hands out its share of the
//! child's wrap key; it never sees the code, the wrap key, the data key or an answer.
//! A handler that needs a logged-in child takes a [`LoggedInChild`], which exists only
//! after the session was found and checked for expiry, so no such handler can skip the
//! check. A revoked or expired invitation's code is refused exactly like a wrong code, and
//! a revoked invitation's open session ends.

use crate::audit::{self, child_actor, ANONYMOUS, NO_ORGANISATION};
use crate::cookies;
use crate::error::ApiError;
use crate::limits;
use crate::records::{Assessment, ChildSession};
use crate::store::{LoginCounter, SaveOutcome, SessionKey};
use crate::AppState;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use beratta_core::api::{Bytes, ChildAssessment, ChildLogin, LoginParams, SaveReceipt, SealedAnswers};
use beratta_core::audit::AuditAction;
use beratta_core::envelope::{KEY_LEN, NONCE_LEN};
use beratta_core::login::KdfParams;
use rand_core::{OsRng, RngCore};
use std::future::{ready, Ready};
use std::net::{IpAddr, SocketAddr};

/// The session cookie (see `cookies` for its attributes).
pub const SESSION_COOKIE: &str = "__Host-beratta-child";

/// The Poly1305 tag of XChaCha20-Poly1305 and of the sealed box.
pub const TAG_LEN: usize = 16;
/// A data key sealed to the organisation: ephemeral public key, tag, key.
const ORG_SEALED_KEY_LEN: usize = KEY_LEN + TAG_LEN + KEY_LEN;
/// A data key wrapped under the child's key: nonce, key, tag.
const CHILD_WRAPPED_KEY_LEN: usize = NONCE_LEN + KEY_LEN + TAG_LEN;
/// The shortest blob that can be a real encryption: nonce and tag around nothing.
pub const MIN_BLOB_LEN: usize = NONCE_LEN + TAG_LEN;

/// Whether `lookup` can be the first part of a code: four characters of the code alphabet.
pub fn is_lookup(lookup: &str) -> bool {
    beratta_core::login::is_lookup(lookup)
}

/// The network a client's failures are counted against: its IPv4 address, or the /64 of
/// its IPv6 address, because one IPv6 host can use any address in its /64 and would
/// otherwise get a fresh allowance with each. The peer address of the connection is used,
/// never `X-Forwarded-For`, which the client writes itself.
pub fn client_key(peer: Option<SocketAddr>) -> String {
    match peer.map(|p| p.ip()) {
        Some(IpAddr::V4(ip)) => ip.to_string(),
        Some(IpAddr::V6(ip)) => match ip.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = ip.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        None => "unknown".to_string(),
    }
}

/// `GET /api/child/params/{lookup}`. An unknown lookup gets a salt derived from the server
/// secret and the standard cost, the same every time, so that a guesser cannot tell which
/// lookups exist.
pub async fn params(state: web::Data<AppState>, path: web::Path<String>) -> Result<web::Json<LoginParams>, ApiError> {
    let lookup = path.into_inner();
    if !is_lookup(&lookup) {
        return Err(ApiError::BadLookup);
    }
    let params = match state.store.assessment_by_lookup(&lookup)? {
        Some(assessment) => LoginParams { salt: assessment.salt, kdf: assessment.kdf },
        None => LoginParams { salt: Bytes(state.secret.decoy_salt(&lookup).to_vec()), kdf: KdfParams::STANDARD },
    };
    Ok(web::Json(params))
}

/// `POST /api/child/login`.
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<ChildLogin>,
) -> Result<HttpResponse, ApiError> {
    let ChildLogin { lookup, proof } = body.into_inner();
    if !is_lookup(&lookup) {
        return Err(ApiError::BadLookup);
    }
    let now = state.now();
    let client = client_key(req.peer_addr());
    let client_counter = LoginCounter::Client(&client);

    // Every attempt is counted as a failure before the code is checked, and taken back if
    // it was right. Counting afterwards would let many requests sent at once all pass the
    // check before any of them was counted, and so get more guesses than the limits allow.
    // The client limit comes first, so that a blocked client learns nothing more, not even
    // whether a code is right.
    let window = state.store.record_login_failure(client_counter, now, limits::CLIENT_WINDOW_SECS)?;
    if window.count > limits::MAX_CLIENT_FAILURES {
        return Err(ApiError::TooManyTries { retry_after_secs: window.remaining(now, limits::CLIENT_WINDOW_SECS) });
    }

    match state.store.assessment_by_lookup(&lookup)? {
        Some(assessment) => {
            let failed = state.store.record_failed_login(&assessment.id)?;
            let fail = |error: ApiError| -> ApiError {
                let logged = audit::record(
                    &state,
                    &assessment.organisation,
                    ANONYMOUS,
                    AuditAction::ChildLoginFailed,
                    Some(&assessment.id),
                );
                logged.err().unwrap_or(error)
            };
            if failed > limits::MAX_FAILED_LOGINS {
                return Err(fail(ApiError::CodeLocked));
            }
            // The proof is checked even for a revoked or expired invitation, and the
            // answer is the same as for a wrong code, so a code that stopped working
            // cannot be told from a wrong one.
            let right = state.secret.verify_login(&proof.0, &assessment.verifier.0);
            if !right || !assessment.is_live(now) {
                return Err(fail(locked_or_bad(failed)));
            }
            state.store.clear_failed_logins(&assessment.id)?;
            state.store.forget_login_failure(client_counter, now, limits::CLIENT_WINDOW_SECS)?;
            audit::record(
                &state,
                &assessment.organisation,
                &child_actor(&assessment.id),
                AuditAction::ChildLogin,
                Some(&assessment.id),
            )?;
            start_session(&req, &state, &assessment, now)
        }
        None => {
            // An unknown lookup is counted and locked like a real one, and costs the same
            // HMAC work, so that neither the answers nor their timing tell it apart.
            let failed = state.store.record_login_failure(LoginCounter::UnknownLookup(&lookup), now, u64::MAX)?.count;
            let _ = state.secret.verify_login(&proof.0, &[0u8; KEY_LEN]);
            audit::record(&state, NO_ORGANISATION, ANONYMOUS, AuditAction::ChildLoginFailed, None)?;
            Err(locked_or_bad(failed))
        }
    }
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

/// Creates a session for a child who gave the right code, and ends the one the browser
/// had before, if any.
fn start_session(
    req: &HttpRequest,
    state: &AppState,
    assessment: &Assessment,
    now: u64,
) -> Result<HttpResponse, ApiError> {
    if let Some(old) = session_key(req) {
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
    let body = child_assessment(state, assessment, session.resume_key)?;
    let cookie = cookies::session_cookie(SESSION_COOKIE, &token)?;
    Ok(HttpResponse::Ok().insert_header((header::SET_COOKIE, cookie)).json(body))
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
        questionnaire: assessment.questionnaire.clone(),
        server_share: Bytes(state.secret.child_share(&assessment.id).to_vec()),
        resume_key,
        sealed: assessment.sealed.clone(),
        help: assessment.help.clone(),
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
    fn check(req: &HttpRequest) -> Result<LoggedInChild, ApiError> {
        let state =
            req.app_data::<web::Data<AppState>>().ok_or(ApiError::Internal("the app state is not registered"))?;
        let key = session_key(req).ok_or(ApiError::NoSession)?;
        let session = state.store.session(&key)?.ok_or(ApiError::NoSession)?;
        let now = state.now();
        let idle = now.saturating_sub(session.last_seen_unix) >= limits::SESSION_IDLE_SECS;
        let too_old = now.saturating_sub(session.created_unix) >= limits::SESSION_MAX_SECS;
        if idle || too_old {
            state.store.delete_session(&key)?;
            return Err(ApiError::NoSession);
        }
        let session = state.store.touch_session(&key, now)?.ok_or(ApiError::NoSession)?;
        Ok(LoggedInChild { key, session })
    }
}

impl FromRequest for LoggedInChild {
    type Error = ApiError;
    type Future = Ready<Result<LoggedInChild, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(LoggedInChild::check(req))
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
pub async fn session(child: LoggedInChild, state: web::Data<AppState>) -> Result<web::Json<ChildAssessment>, ApiError> {
    let assessment = assessment_of(&state, &child)?;
    Ok(web::Json(child_assessment(&state, &assessment, child.session.resume_key)?))
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
    if sealed.org_sealed_key.0.len() != ORG_SEALED_KEY_LEN {
        return Err(ApiError::BadAnswers("the organisation's sealed key has the wrong length"));
    }
    if sealed.child_wrapped_key.0.len() != CHILD_WRAPPED_KEY_LEN {
        return Err(ApiError::BadAnswers("the child's wrapped key has the wrong length"));
    }
    Ok(())
}

/// `PUT /api/child/answers`: stores the next save, answering only once it is on disk.
pub async fn save_answers(
    child: LoggedInChild,
    state: web::Data<AppState>,
    body: web::Json<SealedAnswers>,
) -> Result<web::Json<SaveReceipt>, ApiError> {
    let sealed = body.into_inner();
    check_shape(&sealed)?;
    assessment_of(&state, &child)?;
    let counter = sealed.counter;
    match state.store.save_answers(&child.session.assessment, sealed).await? {
        SaveOutcome::Saved => Ok(web::Json(SaveReceipt { counter })),
        SaveOutcome::Stale => Err(ApiError::StaleSave),
        SaveOutcome::NoAssessment => {
            state.store.delete_session(&child.key)?;
            Err(ApiError::NoSession)
        }
    }
}

/// `POST /api/child/logout`: ends the session on the server, so the cookie and the resume
/// key the browser may still hold are worthless, and tells the browser to drop the cookie.
pub async fn logout(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    if let Some(key) = session_key(&req) {
        state.store.delete_session(&key)?;
    }
    let expired = cookies::expired_cookie(SESSION_COOKIE)?;
    Ok(HttpResponse::NoContent().insert_header((header::SET_COOKIE, expired)).finish())
}
