//! Access control as capabilities. A handler says what it needs by the type of an
//! argument, and can get at staff-only data only through a value of that type:
//!
//! - [`Staff`]: a live staff session. Made only by [`Staff::check`], which found the
//!   session by its cookie, enforced the idle and absolute timeouts, and found the account
//!   enabled. The role is read from the account on every request, so a change of role or
//!   a disabled account takes effect at once.
//! - [`Inviter`]: a [`Staff`] whose role may invite and read children (staff and
//!   administrators; never analysts). A child's data is reached only through
//!   [`Inviter::readable_assessment`], which returns a [`ReadableAssessment`] after checking
//!   the organisation, and that the child was invited by this staff member or shared with
//!   their unit. Administrators manage staff; they do not read every child. A child in an
//!   anonymous round is readable by nobody (403). Rounds are reached through
//!   [`Inviter::round`] (another organisation's: 404).
//! - [`Admin`]: a [`Staff`] whose role is administrator. Staff accounts of the organisation
//!   are reached only through [`Admin::member`], kiosks through [`Admin::revoke_kiosk`].
//! - [`StatisticsHolder`]: a [`Staff`] who holds a copy of the organisation's statistics
//!   key (an administrator or an analyst it was granted to; never the role staff). A
//!   round's sealed statistics records are reached only through
//!   [`StatisticsHolder::round_records`], of a closed round of their own organisation
//!   (rounds named for a group picture through [`StatisticsHolder::released_round`]).
//! - [`Planner`]: a [`Staff`] who plans from the group picture (administrators and
//!   analysts): edits the organisation's resources register. The register is public
//!   information: every staff member may read it.
//!
//! None of these types can be built outside this module except through those checks.
//! Every refusal of a logged-in staff member is written to the audit log as
//! `access_denied` with the route as subject before the error leaves: a role that does not
//! allow the request (403), a child or account of the same organisation the staff member
//! may not read (403), and anything of another organisation, or nothing at all (404, so
//! that other organisations' ids cannot be probed). A request without a session (401)
//! names nobody; it is counted in [`crate::metrics`], not audited, so that strangers cannot
//! grow the log.
//!
//! The checks read the store, so they run on the blocking pool, never on an async worker.

use crate::audit::{self, route_of};
use crate::cookies;
use crate::error::ApiError;
use crate::limits;
use crate::metrics::Refusal;
use crate::records::{Assessment, Organisation, StaffAccount};
use crate::store::SessionKey;
use crate::AppState;
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use beratta_core::api::{Bytes, Kiosk, Role, Round, StaffSession, StatisticsKeyCopy};
use beratta_core::audit::AuditAction;
use std::future::Future;
use std::pin::Pin;

/// The staff session cookie (see `cookies` for its attributes).
pub const STAFF_COOKIE: &str = "__Host-beratta-staff";

/// Proof that the request carries a live staff session of an enabled account.
pub struct Staff {
    key: SessionKey,
    /// The session's random key that the browser's kept copy of the organisation key is
    /// wrapped under.
    session_wrap_key: Bytes,
    account: StaffAccount,
    organisation: Organisation,
    /// The request's route, the subject of a denial.
    route: String,
    state: web::Data<AppState>,
}

impl Staff {
    /// Finds and checks the session named by `key`, on the blocking pool. Without one, the
    /// refusal is counted (it carries no identity to audit) and the answer is 401
    /// `no_staff_session`.
    fn check(state: web::Data<AppState>, key: Option<SessionKey>, route: String) -> Result<Staff, ApiError> {
        match Staff::find(&state, key)? {
            Some((key, session_wrap_key, account, organisation)) => {
                Ok(Staff { key, session_wrap_key, account, organisation, route, state })
            }
            None => {
                state.refusals.count(Refusal::NoStaffSession);
                Err(ApiError::NoStaffSession)
            }
        }
    }

    /// Checks the request's staff session off the async workers, then `then` (a role
    /// check, which may audit a refusal) in the same blocking call.
    fn extract<C: Send + 'static>(
        req: &HttpRequest,
        then: fn(Staff) -> Result<C, ApiError>,
    ) -> Pin<Box<dyn Future<Output = Result<C, ApiError>>>> {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let key = cookies::session_key(req, STAFF_COOKIE);
        let route = route_of(req);
        Box::pin(async move {
            let state = state.ok_or(ApiError::Internal("the app state is not registered"))?;
            let pool = state.clone();
            pool.blocking(move |_| Staff::check(state, key, route).and_then(then)).await
        })
    }

    fn find(
        state: &AppState,
        key: Option<SessionKey>,
    ) -> Result<Option<(SessionKey, Bytes, StaffAccount, Organisation)>, ApiError> {
        let Some(key) = key else { return Ok(None) };
        let Some(session) = state.store.staff_session(&key)? else { return Ok(None) };
        let now = state.now();
        let idle = now.saturating_sub(session.last_seen_unix) >= limits::SESSION_IDLE_SECS;
        let too_old = now.saturating_sub(session.created_unix) >= limits::SESSION_MAX_SECS;
        let account = state.store.staff(&session.staff_id)?;
        let live = account.filter(|a| !a.disabled && a.password.is_some() && a.organisation == session.organisation);
        let Some(account) = live.filter(|_| !idle && !too_old) else {
            state.store.delete_staff_session(&key)?;
            return Ok(None);
        };
        // Only if it still exists, so a check racing a logout cannot bring it back.
        if state.store.touch_staff_session(&key, now)?.is_none() {
            return Ok(None);
        }
        let organisation = state
            .store
            .organisation(&account.organisation)?
            .ok_or(ApiError::Internal("a staff account names an organisation that does not exist"))?;
        Ok(Some((key, session.session_key, account, organisation)))
    }

    pub fn account(&self) -> &StaffAccount {
        &self.account
    }

    pub fn organisation(&self) -> &Organisation {
        &self.organisation
    }

    /// The session's own key (see [`StaffSession::session_key`]).
    pub fn session_wrap_key(&self) -> &Bytes {
        &self.session_wrap_key
    }

    /// The store key of this session, for logout.
    pub fn session_key(&self) -> &SessionKey {
        &self.key
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Writes an event by this staff member, in their organisation, to the audit log.
    pub fn audit(&self, action: AuditAction, subject: Option<&str>) -> Result<(), ApiError> {
        audit::record(&self.state, &self.organisation.id, &self.account.id, action, subject).map(|_| ())
    }

    /// Audits a refusal of this request and returns `error` (or the audit's own failure).
    fn deny(&self, error: ApiError) -> ApiError {
        match self.audit(AuditAction::AccessDenied, Some(&self.route)) {
            Ok(()) => error,
            Err(failed) => failed,
        }
    }

    /// The organisation's round `id`; another organisation's, or none, is 404 (audited).
    fn own_round(&self, id: &str) -> Result<Round, ApiError> {
        match self.state.store.round(&self.account.organisation, id)? {
            Some(round) => Ok(round),
            None => Err(self.deny(ApiError::NotFound)),
        }
    }

    /// The capability to invite and read children; refused (and audited) for analysts.
    pub fn inviter(self) -> Result<Inviter, ApiError> {
        match self.account.role {
            Role::Staff | Role::Administrator => Ok(Inviter(self)),
            Role::Analyst => Err(self.deny(ApiError::Forbidden)),
        }
    }

    /// The capability to manage staff, units and read the audit log; refused (and
    /// audited) for every role but administrator.
    pub fn admin(self) -> Result<Admin, ApiError> {
        match self.account.role {
            Role::Administrator => Ok(Admin(self)),
            Role::Staff | Role::Analyst => Err(self.deny(ApiError::Forbidden)),
        }
    }

    /// The capability to edit the resources register; refused (and audited) for the role
    /// staff.
    pub fn planner(self) -> Result<Planner, ApiError> {
        match self.account.role {
            Role::Administrator | Role::Analyst => Ok(Planner(self)),
            Role::Staff => Err(self.deny(ApiError::Forbidden)),
        }
    }

    /// The capability to fetch sealed statistics records; refused (and audited) for the
    /// role staff and for anyone who holds no copy of the statistics key.
    pub fn statistics_holder(self) -> Result<StatisticsHolder, ApiError> {
        let holds = !matches!(self.account.statistics_copy(), StatisticsKeyCopy::None);
        match self.account.role {
            Role::Administrator | Role::Analyst if holds => Ok(StatisticsHolder(self)),
            _ => Err(self.deny(ApiError::Forbidden)),
        }
    }
}

/// What a staff member's browser needs: who they are, their copy of the organisation key
/// wrapped under their password (it opens only in their browser; none for an analyst,
/// even if an account from before still stored one), their copy of the statistics key
/// and their personal key pair.
pub fn staff_session(
    account: &StaffAccount,
    organisation: &Organisation,
    session_key: &Bytes,
) -> Result<StaffSession, ApiError> {
    let password = account.password.as_ref().ok_or(ApiError::Internal("a session without a password"))?;
    let public_key =
        organisation.public_key.clone().ok_or(ApiError::Internal("a session in an organisation without keys"))?;
    Ok(StaffSession {
        staff_id: account.id.clone(),
        username: account.username.clone(),
        display_name: account.display_name.clone(),
        role: account.role,
        organisation: organisation.id.clone(),
        organisation_name: organisation.name.clone(),
        unit: account.unit.clone(),
        org_public_key: public_key,
        wrapped_org_key: password.wrapped_org_key.clone().filter(|_| account.role != Role::Analyst),
        statistics_public_key: organisation.statistics_public_key.clone(),
        statistics_key: if account.role == Role::Staff { StatisticsKeyCopy::None } else { account.statistics_copy() },
        personal_key: password.personal_key.clone(),
        session_key: session_key.clone(),
    })
}

/// An assessment the staff member may read: made only by [`Inviter::readable_assessment`]
/// and [`Inviter::readable_assessments`].
pub struct ReadableAssessment(Assessment);

impl ReadableAssessment {
    pub fn assessment(&self) -> &Assessment {
        &self.0
    }

    pub fn id(&self) -> &str {
        &self.0.id
    }
}

/// A staff member who may invite children and read the ones they invited or that were
/// shared with their unit.
pub struct Inviter(Staff);

impl Inviter {
    pub fn staff(&self) -> &Staff {
        &self.0
    }

    /// The one rule for reading a child: same organisation, and invited by this staff
    /// member or shared with their unit.
    ///
    /// A child in an anonymous round is nobody's to read: nothing of it is sealed to the
    /// organisation, and it is in no list.
    fn may_read(&self, assessment: &Assessment) -> bool {
        let me = &self.0.account;
        assessment.organisation == me.organisation
            && !assessment.is_anonymous()
            && (assessment.invited_by.as_deref() == Some(me.id.as_str())
                || (assessment.unit.is_some() && assessment.unit == me.unit))
    }

    /// The assessment `id`, if this staff member may read it. Another organisation's
    /// assessment is answered like one that does not exist (404); a colleague's that is not
    /// shared with this staff member's unit is 403. Both refusals are audited.
    pub fn readable_assessment(&self, id: &str) -> Result<ReadableAssessment, ApiError> {
        let found = self.0.state.store.assessment(id)?;
        match found {
            Some(a) if a.organisation == self.0.account.organisation => {
                if self.may_read(&a) {
                    Ok(ReadableAssessment(a))
                } else {
                    Err(self.0.deny(ApiError::Forbidden))
                }
            }
            _ => Err(self.0.deny(ApiError::NotFound)),
        }
    }

    /// The organisation's round `id`; another organisation's, or none, is 404 (audited).
    /// Every inviter of the organisation may see every round: a round holds counts, never
    /// a child.
    pub fn round(&self, id: &str) -> Result<Round, ApiError> {
        self.0.own_round(id)
    }

    /// Every assessment this staff member may read, newest first.
    pub fn readable_assessments(&self) -> Result<Vec<ReadableAssessment>, ApiError> {
        let mut all = self.0.state.store.assessments_of(&self.0.account.organisation)?;
        all.retain(|a| self.may_read(a));
        all.sort_by(|a, b| b.created_unix.cmp(&a.created_unix).then_with(|| a.id.cmp(&b.id)));
        Ok(all.into_iter().map(ReadableAssessment).collect())
    }
}

/// A capability a handler can hand to the blocking pool with [`off_worker`].
pub trait Capability: Send + 'static {
    fn staff(&self) -> &Staff;
}

impl Capability for Inviter {
    fn staff(&self) -> &Staff {
        &self.0
    }
}

impl Capability for Admin {
    fn staff(&self) -> &Staff {
        &self.0
    }
}

impl Capability for StatisticsHolder {
    fn staff(&self) -> &Staff {
        &self.0
    }
}

/// An administrator or analyst: edits the resources register.
pub struct Planner(Staff);

impl Planner {
    pub fn staff(&self) -> &Staff {
        &self.0
    }

    /// A resource of the register that is not there: 404, audited.
    pub fn no_such_resource(&self) -> ApiError {
        self.0.deny(ApiError::NotFound)
    }
}

impl Capability for Planner {
    fn staff(&self) -> &Staff {
        &self.0
    }
}

impl Capability for Staff {
    fn staff(&self) -> &Staff {
        self
    }
}

impl FromRequest for Planner {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Planner, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Staff::extract(req, Staff::planner)
    }
}

/// A staff member who holds the organisation's statistics key.
pub struct StatisticsHolder(Staff);

impl StatisticsHolder {
    pub fn staff(&self) -> &Staff {
        &self.0
    }

    /// The organisation's round `id` if it is closed, so that its records are a frozen
    /// release. Another organisation's round, or none, is 404 (audited); an own round that
    /// is still open is 409 `round_open`, which refuses nobody access and is not audited.
    pub fn released_round(&self, id: &str) -> Result<Round, ApiError> {
        let round = self.0.own_round(id)?;
        if !round.is_closed() {
            return Err(ApiError::RoundOpen);
        }
        Ok(round)
    }

    /// How many records `round` of this holder's organisation has: only a closed round's
    /// are handed out ([`StatisticsHolder::released_round`] says what else is refused). A
    /// closed round with no records has 0.
    pub fn round_records(&self, round: &str) -> Result<u64, ApiError> {
        let round = self.released_round(round)?;
        Ok(self.0.state.store.count_statistics_records(&self.0.account.organisation, &round.round_id)?)
    }
}

/// Runs a staff member's request on the blocking pool (see [`AppState::blocking`]), with
/// the capability it was checked for.
pub async fn off_worker<C: Capability, T: Send + 'static>(
    capability: C,
    work: impl FnOnce(C) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let state = capability.staff().state().clone();
    state.blocking(move |_| work(capability)).await
}

/// An administrator of an organisation.
pub struct Admin(Staff);

impl Admin {
    pub fn staff(&self) -> &Staff {
        &self.0
    }

    /// The organisation's account `id`; another organisation's, or none, is 404 (audited).
    pub fn member(&self, id: &str) -> Result<StaffAccount, ApiError> {
        match self.0.state.store.staff(id)? {
            Some(account) if account.organisation == self.0.account.organisation => Ok(account),
            _ => Err(self.0.deny(ApiError::NotFound)),
        }
    }

    /// The organisation's round `id`, for a kiosk; another organisation's, or none, is 404
    /// (audited).
    pub fn round(&self, id: &str) -> Result<Round, ApiError> {
        self.0.own_round(id)
    }

    /// Takes the organisation's kiosk `id` out of use; another organisation's, or none, is
    /// 404 (audited).
    pub fn revoke_kiosk(&self, id: &str) -> Result<Kiosk, ApiError> {
        match self.0.state.store.revoke_kiosk(&self.0.account.organisation, id)? {
            Some(kiosk) => Ok(kiosk),
            None => Err(self.0.deny(ApiError::NotFound)),
        }
    }
}

impl FromRequest for Staff {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Staff, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Staff::extract(req, Ok)
    }
}

impl FromRequest for Inviter {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Inviter, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Staff::extract(req, Staff::inviter)
    }
}

impl FromRequest for StatisticsHolder {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<StatisticsHolder, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Staff::extract(req, Staff::statistics_holder)
    }
}

impl FromRequest for Admin {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Admin, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Staff::extract(req, Staff::admin)
    }
}
