//! The HTTP API as the browser calls it. Every call goes through [`request`] but the child's
//! logout, which needs `keepalive` (see [`logout`]); the typed functions below only name the
//! endpoint and the wire types from `beratta_core::api`.

use beratta_core::api::{
    ApiErrorBody, AssessmentRecord, AuditEntry, ChildAssessment, ChildLogin, CodeBasis, Enrolment, InvitationBatch,
    LoginParams, LookupRequest, NewCode, NewPassword, NewStaffMember, OrganisationSetup, QuestionnaireBundle,
    QuestionnaireRef, ReservedLookups, SaveReceipt, SealedAnswers, SealedHelp, StaffChange, StaffLogin, StaffMember,
    StaffSession, StatusEntry, Unit,
};
use beratta_core::api::{ChildNote, RecoveryClaim, RecoveryCopy, RecoveryReset, UnitChildren};
use beratta_core::api::{
    InputProblem, NeedsState, NeedsThreshold, NewPriorities, Priorities, Resource, ResourceDraft, ResourceImport,
    ResourceRegister,
};
use beratta_core::api::{
    Intervention, NewIntervention, NewRound, PersonalKey, Round, RoundPage, StatisticsGrant, StatisticsKeySetup,
};
use beratta_core::api::{Kiosk, KioskClaim, KioskInfo, KioskRegistration, NewKiosk};
use beratta_core::api::{PictureOpening, StatisticsInvited, StatisticsPage, StatisticsRounds};
use gloo::net::http::{Method, RequestBuilder};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Serialize;
use web_sys::RequestCredentials;

/// Why a call did not give what was asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// No answer: offline, the server down, or the request could not be built.
    Network,
    /// The server answered with an error status and, usually, its JSON error body.
    Status { status: u16, body: Option<ApiErrorBody> },
    /// The server answered 2xx with a body that is not what the API promises.
    Malformed,
}

impl ApiError {
    /// The server's stable error code, e.g. `stale_save`.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Status { body: Some(body), .. } => Some(&body.error),
            _ => None,
        }
    }

    /// A save that an earlier or concurrent save has overtaken.
    pub fn is_stale_save(&self) -> bool {
        matches!(self, ApiError::Status { status: 409, .. }) || self.code() == Some("stale_save")
    }

    /// The login session is gone: the cookie expired or was ended elsewhere.
    pub fn is_unauthorised(&self) -> bool {
        matches!(self, ApiError::Status { status: 401 | 403, .. })
    }

    /// No staff session (it timed out, or was ended): the staff member must log in again.
    /// Unlike [`ApiError::is_unauthorised`], a 403 does not count: that is a role saying no.
    pub fn is_signed_out(&self) -> bool {
        matches!(self, ApiError::Status { status: 401, .. })
    }

    /// The problems of input checked field by field (`bad_input`), if that was the refusal.
    pub fn problems(&self) -> &[InputProblem] {
        match self {
            ApiError::Status { body: Some(body), .. } => &body.problems,
            _ => &[],
        }
    }

    /// A refusal the server explained in words for people (a wrong code, too many tries).
    pub fn refusal(&self) -> Option<&str> {
        match self {
            ApiError::Status { status: 400..=499, body: Some(body) } if !body.message.trim().is_empty() => {
                Some(&body.message)
            }
            _ => None,
        }
    }
}

/// The one function that talks to the server: sends `body` as JSON (if any) with the
/// same-origin session cookie, and reads the JSON answer. An empty 2xx body reads as
/// `null`, so calls that return nothing can ask for `IgnoredAny`.
async fn request<T: DeserializeOwned>(
    method: Method,
    path: &str,
    body: Option<&impl Serialize>,
) -> Result<T, ApiError> {
    let builder = RequestBuilder::new(path)
        .method(method)
        .credentials(RequestCredentials::SameOrigin)
        .header("Accept", "application/json");
    let request = match body {
        Some(body) => builder.json(body),
        None => builder.build(),
    }
    .map_err(|_| ApiError::Network)?;
    let response = request.send().await.map_err(|_| ApiError::Network)?;
    let status = response.status();
    // A body that cannot be read at all counts as empty; its status still says enough.
    let text = response.text().await.unwrap_or_default();
    if !(200..300).contains(&status) {
        let body = serde_json::from_str::<ApiErrorBody>(&text).ok();
        return Err(ApiError::Status { status, body });
    }
    let text = if text.trim().is_empty() { "null" } else { text.as_str() };
    serde_json::from_str(text).map_err(|_| ApiError::Malformed)
}

/// No body to send.
const NO_BODY: Option<&()> = None;

/// `GET /api/child/params/{lookup}`: the salt and Argon2id settings for a code.
pub async fn login_params(lookup: &str) -> Result<LoginParams, ApiError> {
    request(Method::GET, &format!("/api/child/params/{}", segment(lookup)), NO_BODY).await
}

/// `POST /api/child/login`: on success the server sets the session cookie.
pub async fn login(login: &ChildLogin) -> Result<ChildAssessment, ApiError> {
    request(Method::POST, "/api/child/login", Some(login)).await
}

/// `GET /api/child/session`: the assessment of the current login session.
pub async fn session() -> Result<ChildAssessment, ApiError> {
    request(Method::GET, "/api/child/session", NO_BODY).await
}

/// `GET /api/questionnaires/{id}/{version}`.
pub async fn questionnaire(which: &QuestionnaireRef) -> Result<QuestionnaireBundle, ApiError> {
    let path = format!("/api/questionnaires/{}/{}", segment(&which.id), which.version);
    request(Method::GET, &path, NO_BODY).await
}

/// `PUT /api/child/answers`: acknowledged only once stored.
pub async fn save(sealed: &SealedAnswers) -> Result<SaveReceipt, ApiError> {
    request(Method::PUT, "/api/child/answers", Some(sealed)).await
}

/// `POST /api/child/logout`: ends the login session on the server, and with it the session
/// cookie. Sent with `keepalive`, so the browser completes it even when the page is closed
/// or left straight after a quick exit. gloo's builder cannot set `keepalive`, so this one
/// call is a plain `fetch`; it has no body and reads none, only the status.
pub async fn logout() -> Result<(), ApiError> {
    use wasm_bindgen::{JsCast, JsValue};
    let window = web_sys::window().ok_or(ApiError::Network)?;
    let init = js_sys::Object::new();
    let options: [(&str, JsValue); 4] = [
        ("method", "POST".into()),
        ("credentials", "same-origin".into()),
        ("cache", "no-store".into()),
        ("keepalive", JsValue::TRUE),
    ];
    for (key, value) in options {
        js_sys::Reflect::set(&init, &key.into(), &value).map_err(|_| ApiError::Network)?;
    }
    let fetch: js_sys::Function =
        js_sys::Reflect::get(&window, &"fetch".into()).ok().and_then(|f| f.dyn_into().ok()).ok_or(ApiError::Network)?;
    let promise: js_sys::Promise = fetch
        .call2(&window, &"/api/child/logout".into(), &init)
        .ok()
        .and_then(|p| p.dyn_into().ok())
        .ok_or(ApiError::Network)?;
    let response = wasm_bindgen_futures::JsFuture::from(promise).await.map_err(|_| ApiError::Network)?;
    let status =
        js_sys::Reflect::get(&response, &"status".into()).ok().and_then(|s| s.as_f64()).ok_or(ApiError::Malformed)?
            as u16;
    if (200..300).contains(&status) {
        Ok(())
    } else {
        Err(ApiError::Status { status, body: None })
    }
}

/// `GET /api/kiosk`: whether this browser is a registered kiosk, and what its start screen
/// shows.
pub async fn kiosk_info() -> Result<KioskInfo, ApiError> {
    request(Method::GET, "/api/kiosk", NO_BODY).await
}

/// `POST /api/kiosk/register`: hands in a kiosk link's one-time token; the answer sets the
/// kiosk's device cookie.
pub async fn kiosk_register(token: &str) -> Result<KioskInfo, ApiError> {
    request(Method::POST, "/api/kiosk/register", Some(&KioskClaim { token: token.to_string() })).await
}

/// `POST /api/kiosk/start`: a fresh anonymous assessment and a child session for it.
pub async fn kiosk_start() -> Result<ChildAssessment, ApiError> {
    request(Method::POST, "/api/kiosk/start", NO_BODY).await
}

// ── staff ────────────────────────────────────────────────────────────────────────────────

/// `GET /api/setup/{token}`: who a set-up link is for, in the shape of an [`Enrolment`]
/// without a wrapped key (there is none yet). The browser needs the organisation's id to
/// bind the copies of the organisation key it makes.
pub async fn setup_info(token: &str) -> Result<Enrolment, ApiError> {
    request(Method::GET, &format!("/api/setup/{}", segment(token)), NO_BODY).await
}

/// `POST /api/setup/{token}`: the organisation's public key and the wrapped copies of its
/// secret key, made in this browser.
pub async fn setup(token: &str, setup: &OrganisationSetup) -> Result<(), ApiError> {
    request::<IgnoredAny>(Method::POST, &format!("/api/setup/{}", segment(token)), Some(setup)).await.map(|_| ())
}

/// `GET /api/staff/params/{username}`: the password's salt and Argon2id cost.
pub async fn staff_params(username: &str) -> Result<LoginParams, ApiError> {
    request(Method::GET, &format!("/api/staff/params/{}", segment(username)), NO_BODY).await
}

/// `POST /api/staff/login`: on success the server sets the staff session cookie.
pub async fn staff_login(login: &StaffLogin) -> Result<StaffSession, ApiError> {
    request(Method::POST, "/api/staff/login", Some(login)).await
}

/// `GET /api/staff/me`: who the session cookie belongs to.
pub async fn staff_me() -> Result<StaffSession, ApiError> {
    request(Method::GET, "/api/staff/me", NO_BODY).await
}

/// `POST /api/staff/logout`.
pub async fn staff_logout() -> Result<(), ApiError> {
    request::<IgnoredAny>(Method::POST, "/api/staff/logout", NO_BODY).await.map(|_| ())
}

/// `GET /api/admin/staff`.
pub async fn staff_members() -> Result<Vec<StaffMember>, ApiError> {
    request(Method::GET, "/api/admin/staff", NO_BODY).await
}

/// `POST /api/admin/staff`.
pub async fn add_staff(member: &NewStaffMember) -> Result<(), ApiError> {
    request::<IgnoredAny>(Method::POST, "/api/admin/staff", Some(member)).await.map(|_| ())
}

/// `PATCH /api/admin/staff/{id}`.
pub async fn change_staff(staff_id: &str, change: &StaffChange) -> Result<(), ApiError> {
    let path = format!("/api/admin/staff/{}", segment(staff_id));
    request::<IgnoredAny>(Method::PATCH, &path, Some(change)).await.map(|_| ())
}

/// `GET /api/admin/units`.
pub async fn admin_units() -> Result<Vec<Unit>, ApiError> {
    request(Method::GET, "/api/admin/units", NO_BODY).await
}

/// The body of `POST /api/admin/units`.
#[derive(Serialize)]
struct NewUnit<'a> {
    name: &'a str,
}

/// `POST /api/admin/units`.
pub async fn add_unit(name: &str) -> Result<Unit, ApiError> {
    request(Method::POST, "/api/admin/units", Some(&NewUnit { name })).await
}

/// `GET /api/units`: the organisation's units, for everyone on its staff.
pub async fn units() -> Result<Vec<Unit>, ApiError> {
    request(Method::GET, "/api/units", NO_BODY).await
}

/// `GET /api/admin/audit?from=SEQ`: one page of the log, oldest first, from record `from`.
pub async fn audit(from: u64) -> Result<Vec<AuditEntry>, ApiError> {
    request(Method::GET, &format!("/api/admin/audit?from={from}"), NO_BODY).await
}

/// `GET /api/enrol/{token}`.
pub async fn enrolment(token: &str) -> Result<Enrolment, ApiError> {
    request(Method::GET, &format!("/api/enrol/{}", segment(token)), NO_BODY).await
}

/// `POST /api/enrol/{token}`: the new member's password, and the organisation key wrapped
/// under it.
pub async fn enrol(token: &str, password: &NewPassword) -> Result<(), ApiError> {
    request::<IgnoredAny>(Method::POST, &format!("/api/enrol/{}", segment(token)), Some(password)).await.map(|_| ())
}

/// `POST /api/invitations/lookups`: `count` lookups drawn by the server and reserved for
/// this staff member, to make the codes of the next invitations around.
pub async fn reserve_lookups(count: u32) -> Result<ReservedLookups, ApiError> {
    request(Method::POST, "/api/invitations/lookups", Some(&LookupRequest { count })).await
}

/// `POST /api/invitations`, with lookups from [`reserve_lookups`].
pub async fn invite(batch: &InvitationBatch) -> Result<Vec<AssessmentRecord>, ApiError> {
    request(Method::POST, "/api/invitations", Some(batch)).await
}

/// `GET /api/rounds`: the organisation's rounds.
pub async fn rounds() -> Result<Vec<Round>, ApiError> {
    request(Method::GET, "/api/rounds", NO_BODY).await
}

/// `POST /api/rounds`.
pub async fn create_round(round: &NewRound) -> Result<Round, ApiError> {
    request(Method::POST, "/api/rounds", Some(round)).await
}

/// `GET /api/rounds/{id}`: the round and its counts (audited).
pub async fn round(id: &str) -> Result<RoundPage, ApiError> {
    request(Method::GET, &format!("/api/rounds/{}", segment(id)), NO_BODY).await
}

/// `GET /api/interventions`.
pub async fn interventions() -> Result<Vec<Intervention>, ApiError> {
    request(Method::GET, "/api/interventions", NO_BODY).await
}

/// `POST /api/interventions`.
pub async fn create_intervention(intervention: &NewIntervention) -> Result<Intervention, ApiError> {
    request(Method::POST, "/api/interventions", Some(intervention)).await
}

/// `GET /api/invitations`: the invitations this staff member may read, without answers.
pub async fn invitations() -> Result<Vec<AssessmentRecord>, ApiError> {
    request(Method::GET, "/api/invitations", NO_BODY).await
}

/// `GET /api/invitations/statuses`: the sealed statuses of the children this staff member
/// may read; the server audits each call.
pub async fn statuses() -> Result<Vec<StatusEntry>, ApiError> {
    request(Method::GET, "/api/invitations/statuses", NO_BODY).await
}

/// `GET /api/invitations/{id}/code`: what a new code for the child is made from.
pub async fn code_basis(assessment: &str) -> Result<CodeBasis, ApiError> {
    request(Method::GET, &format!("/api/invitations/{}/code", segment(assessment)), NO_BODY).await
}

/// `POST /api/invitations/{id}/code`: the child's new code; the old one stops at once.
pub async fn replace_code(assessment: &str, code: &NewCode) -> Result<AssessmentRecord, ApiError> {
    request(Method::POST, &format!("/api/invitations/{}/code", segment(assessment)), Some(code)).await
}

/// `POST /api/invitations/{id}/revoke`.
pub async fn revoke(assessment: &str) -> Result<(), ApiError> {
    let path = format!("/api/invitations/{}/revoke", segment(assessment));
    request::<IgnoredAny>(Method::POST, &path, NO_BODY).await.map(|_| ())
}

/// `GET /api/assessments/{id}`: one assessment with its sealed answers; the server audits
/// every call.
pub async fn assessment(assessment: &str) -> Result<AssessmentRecord, ApiError> {
    request(Method::GET, &format!("/api/assessments/{}", segment(assessment)), NO_BODY).await
}

/// `PUT /api/assessments/{id}/help`.
pub async fn save_help(assessment: &str, help: &SealedHelp) -> Result<(), ApiError> {
    let path = format!("/api/assessments/{}/help", segment(assessment));
    request::<IgnoredAny>(Method::PUT, &path, Some(help)).await.map(|_| ())
}

/// One URL path segment, percent-encoded.
fn segment(raw: &str) -> String {
    String::from(js_sys::encode_uri_component(raw))
}

// Issue 10 (administration): recovery with the printed key, children per unit, the notes
// that name children in the audit log.

pub async fn recovery_open(claim: &RecoveryClaim) -> Result<RecoveryCopy, ApiError> {
    request(Method::POST, "/api/recovery/open", Some(claim)).await
}

pub async fn recovery_reset(reset: &RecoveryReset) -> Result<(), ApiError> {
    request::<IgnoredAny>(Method::POST, "/api/recovery/reset", Some(reset)).await.map(|_| ())
}

pub async fn admin_children() -> Result<Vec<UnitChildren>, ApiError> {
    request(Method::GET, "/api/admin/children", NO_BODY).await
}

pub async fn audit_children() -> Result<Vec<ChildNote>, ApiError> {
    request(Method::GET, "/api/admin/audit/children", NO_BODY).await
}

/// `PUT /api/staff/personal-key`: this person's personal key pair, made at their first
/// login after enrolment or after the upgrade; set once.
pub async fn set_personal_key(key: &PersonalKey) -> Result<(), ApiError> {
    request::<IgnoredAny>(Method::PUT, "/api/staff/personal-key", Some(key)).await.map(|_| ())
}

/// `PUT /api/admin/statistics-key`: the statistics key of an organisation from before it
/// existed, made in this administrator's browser; set once.
pub async fn set_statistics_key(setup: &StatisticsKeySetup) -> Result<(), ApiError> {
    request::<IgnoredAny>(Method::PUT, "/api/admin/statistics-key", Some(setup)).await.map(|_| ())
}

/// `PUT /api/admin/staff/{id}/statistics-key`: grants a colleague the statistics key.
pub async fn grant_statistics_key(staff_id: &str, grant: &StatisticsGrant) -> Result<(), ApiError> {
    let path = format!("/api/admin/staff/{}/statistics-key", segment(staff_id));
    request::<IgnoredAny>(Method::PUT, &path, Some(grant)).await.map(|_| ())
}

/// `DELETE /api/admin/staff/{id}/statistics-key`: takes a colleague's copy away.
pub async fn revoke_statistics_key(staff_id: &str) -> Result<(), ApiError> {
    let path = format!("/api/admin/staff/{}/statistics-key", segment(staff_id));
    request::<IgnoredAny>(Method::DELETE, &path, NO_BODY).await.map(|_| ())
}

/// `GET /api/admin/kiosks`: the organisation's kiosks.
pub async fn kiosks() -> Result<Vec<Kiosk>, ApiError> {
    request(Method::GET, "/api/admin/kiosks", NO_BODY).await
}

/// `POST /api/admin/kiosks`: a new kiosk and its one-time registration token.
pub async fn create_kiosk(kiosk: &NewKiosk) -> Result<KioskRegistration, ApiError> {
    request(Method::POST, "/api/admin/kiosks", Some(kiosk)).await
}

/// `DELETE /api/admin/kiosks/{id}`: takes a kiosk out of use.
pub async fn revoke_kiosk(kiosk_id: &str) -> Result<Kiosk, ApiError> {
    let path = format!("/api/admin/kiosks/{}", segment(kiosk_id));
    request(Method::DELETE, &path, NO_BODY).await
}

/// `GET /api/statistics/invited`: how many children were invited into each round.
pub async fn statistics_invited() -> Result<StatisticsInvited, ApiError> {
    request(Method::GET, "/api/statistics/invited", NO_BODY).await
}

/// `GET /api/statistics/rounds`: the rounds, interventions and units a statistics-key
/// holder builds group pictures from.
pub async fn statistics_rounds() -> Result<StatisticsRounds, ApiError> {
    request(Method::GET, "/api/statistics/rounds", NO_BODY).await
}

/// `GET /api/statistics/rounds/{round}/records?cursor=`: one page of a closed round's sealed
/// statistics records.
pub async fn statistics_records(round: &str, cursor: Option<&str>) -> Result<StatisticsPage, ApiError> {
    let mut path = format!("/api/statistics/rounds/{}/records", segment(round));
    if let Some(cursor) = cursor {
        path.push_str(&format!("?cursor={}", segment(cursor)));
    }
    request(Method::GET, &path, NO_BODY).await
}

/// `POST /api/statistics/openings`: tells the server which group picture was opened, so
/// that it is audited (never the numbers).
pub async fn picture_opened(opening: &PictureOpening) -> Result<(), ApiError> {
    request::<IgnoredAny>(Method::POST, "/api/statistics/openings", Some(opening)).await.map(|_| ())
}

/// `POST /api/rounds/{id}/close`: closes a round, freezing its release.
pub async fn close_round(id: &str) -> Result<Round, ApiError> {
    request(Method::POST, &format!("/api/rounds/{}/close", segment(id)), NO_BODY).await
}

/// `GET /api/resources`: the register, its units and the catalogue.
pub async fn resources() -> Result<ResourceRegister, ApiError> {
    request(Method::GET, "/api/resources", NO_BODY).await
}

/// `POST /api/resources`.
pub async fn create_resource(draft: &ResourceDraft) -> Result<Resource, ApiError> {
    request(Method::POST, "/api/resources", Some(draft)).await
}

/// `PUT /api/resources/{id}`.
pub async fn change_resource(id: &str, draft: &ResourceDraft) -> Result<Resource, ApiError> {
    request(Method::PUT, &format!("/api/resources/{}", segment(id)), Some(draft)).await
}

/// `DELETE /api/resources/{id}`.
pub async fn remove_resource(id: &str) -> Result<(), ApiError> {
    request::<IgnoredAny>(Method::DELETE, &format!("/api/resources/{}", segment(id)), NO_BODY).await.map(|_| ())
}

/// `POST /api/resources/import`: replaces the register with a CSV file's, all or nothing.
pub async fn import_resources(csv: &str) -> Result<Vec<Resource>, ApiError> {
    request(Method::POST, "/api/resources/import", Some(&ResourceImport { csv: csv.to_string() })).await
}

/// `GET /api/needs`.
pub async fn needs() -> Result<NeedsState, ApiError> {
    request(Method::GET, "/api/needs", NO_BODY).await
}

/// `PUT /api/needs/threshold`.
pub async fn set_threshold(threshold: &NeedsThreshold) -> Result<NeedsState, ApiError> {
    request(Method::PUT, "/api/needs/threshold", Some(threshold)).await
}

/// `PUT /api/needs/priorities/{year}`.
pub async fn set_priorities(year: &str, priorities: &NewPriorities) -> Result<Priorities, ApiError> {
    request(Method::PUT, &format!("/api/needs/priorities/{}", segment(year)), Some(priorities)).await
}
