//! The administrator's API: staff accounts, units and the audit log of their own
//! organisation. Every handler takes an [`Admin`], so none can run for another role.
//!
//! Adding a colleague never involves their password: the administrator's browser wraps the
//! organisation key under a fresh enrolment key that travels only in the link's fragment,
//! and sends the wrapped copy and the link's token; the colleague's browser unwraps it and
//! re-wraps it under their own password (`routes::staff::enrol`).

use crate::access::{off_worker, Admin};
use crate::cookies::TOKEN_LEN;
use crate::error::ApiError;
use crate::limits;
use crate::records::{PendingEnrolment, StaffAccount};
use crate::staff::{check_name, new_id, normalise_username, token_hash, WRAPPED_ORG_KEY_LEN};
use actix_web::web;
use beratta_core::api::{
    AuditEntry, Bytes, ChildNote, NewStaffMember, Role, StaffChange, StaffMember, Unit, UnitChildren,
};
use beratta_core::audit::AuditAction;
use rand_core::OsRng;
use serde::Deserialize;

/// `GET /api/admin/staff`: the organisation's accounts, by username.
#[utoipa::path(
    get,
    path = "/api/admin/staff",
    responses((status = 200, body = [beratta_core::api::StaffMember])),
)]
pub async fn list_staff(admin: Admin) -> Result<web::Json<Vec<StaffMember>>, ApiError> {
    let members = off_worker(admin, |admin| {
        let staff = admin.staff();
        let mut members: Vec<StaffMember> =
            staff.state().store.staff_of(&staff.organisation().id)?.iter().map(StaffAccount::member).collect();
        members.sort_by(|a, b| a.username.cmp(&b.username));
        Ok(members)
    });
    Ok(web::Json(members.await?))
}

/// Refuses a unit the organisation does not have.
fn check_unit(admin: &Admin, unit: Option<&str>) -> Result<(), ApiError> {
    let Some(unit) = unit else { return Ok(()) };
    let staff = admin.staff();
    let units = staff.state().store.units(&staff.organisation().id)?;
    units.iter().any(|u| u.unit_id == unit).then_some(()).ok_or(ApiError::UnknownUnit)
}

/// `POST /api/admin/staff`: an account without a password, waiting for its enrolment link.
#[utoipa::path(
    post,
    path = "/api/admin/staff",
    request_body = beratta_core::api::NewStaffMember,
    responses((status = 200, body = beratta_core::api::StaffMember)),
)]
pub async fn add_staff(admin: Admin, body: web::Json<NewStaffMember>) -> Result<web::Json<StaffMember>, ApiError> {
    let body = body.into_inner();
    let username = normalise_username(&body.username).ok_or(ApiError::BadUsername)?;
    let display_name = check_name(&body.display_name).map_err(|_| ApiError::Invalid("the display name"))?;
    if body.enrolment_token.0.len() != TOKEN_LEN {
        return Err(ApiError::Invalid("the enrolment token must be 32 random bytes"));
    }
    match (body.role, &body.enrolment_wrapped_org_key) {
        (Role::Analyst, None) => {}
        (Role::Analyst, Some(_)) => {
            return Err(ApiError::Invalid("an analyst gets no copy of the organisation key"));
        }
        (_, Some(wrapped)) if wrapped.0.len() == WRAPPED_ORG_KEY_LEN => {}
        (_, _) => return Err(ApiError::Invalid("the enrolment copy of the organisation key has the wrong length")),
    }
    let member = off_worker(admin, move |admin| {
        check_unit(&admin, body.unit.as_deref())?;
        let staff = admin.staff();
        let now = staff.state().now();
        let account = StaffAccount {
            id: new_id(&mut OsRng),
            organisation: staff.organisation().id.clone(),
            username,
            display_name,
            role: body.role,
            unit: body.unit,
            disabled: false,
            password: None,
            enrolment: Some(PendingEnrolment {
                token_hash: Bytes(token_hash(&body.enrolment_token.0).to_vec()),
                wrapped_org_key: body.enrolment_wrapped_org_key,
                expires_unix: now.saturating_add(limits::ENROLMENT_SECS),
            }),
            statistics_grant: None,
            created_unix: now,
        };
        if !staff.state().store.insert_staff(&account)? {
            return Err(ApiError::UsernameTaken);
        }
        staff.audit(AuditAction::StaffAdded, Some(&account.id))?;
        Ok(account.member())
    });
    Ok(web::Json(member.await?))
}

/// `PATCH /api/admin/staff/{id}`: role, unit (moving a colleague), disabled. Disabling ends every session of the
/// account at once. An administrator cannot disable or demote themselves, so an
/// organisation is never left without one by accident.
#[utoipa::path(
    patch,
    path = "/api/admin/staff/{id}",
    params(("id" = String, Path)),
    request_body = beratta_core::api::StaffChange,
    responses((status = 200, body = beratta_core::api::StaffMember)),
)]
pub async fn change_staff(
    admin: Admin,
    path: web::Path<String>,
    body: web::Json<StaffChange>,
) -> Result<web::Json<StaffMember>, ApiError> {
    let id = path.into_inner();
    let change = body.into_inner();
    let changed = off_worker(admin, move |admin| {
        let member = admin.member(&id)?;
        let staff = admin.staff();
        if member.id == staff.account().id
            && (change.disabled == Some(true) || change.role.is_some_and(|r| r != Role::Administrator))
        {
            return Err(ApiError::OwnAccount);
        }
        if let Some(unit) = &change.unit {
            check_unit(&admin, unit.as_deref())?;
        }
        // An analyst has no copy of the organisation key to give another role; a new
        // account (with an enrolment link) is the way.
        if member.role == Role::Analyst && change.role.is_some_and(|r| r != Role::Analyst) {
            return Err(ApiError::Invalid("an analyst holds no organisation key: add a new account for this role"));
        }
        let apply = |account: &mut StaffAccount| {
            if let Some(disabled) = change.disabled {
                account.disabled = disabled;
            }
            if let Some(role) = change.role {
                account.role = role;
                // Analysts hold no key that opens a child; the role staff holds no
                // statistics key.
                match role {
                    Role::Analyst => {
                        account.drop_organisation_key();
                    }
                    Role::Staff => account.drop_statistics_key(),
                    Role::Administrator => {}
                }
            }
            if let Some(unit) = &change.unit {
                account.unit = unit.clone();
            }
        };
        let store = &staff.state().store;
        let updated = store.update_staff(&member.id, &apply)?.ok_or(ApiError::NotFound)?;
        if updated.disabled {
            store.end_staff_sessions(&updated.id)?;
        }
        // A move to another unit is its own record, since it changes which children the
        // colleague may read; anything else asked for is a change.
        let moved = member.unit != updated.unit;
        if !moved || change.disabled.is_some() || change.role.is_some() {
            staff.audit(AuditAction::StaffChanged, Some(&updated.id))?;
        }
        if moved {
            staff.audit(AuditAction::StaffMoved, Some(&updated.id))?;
        }
        Ok(updated.member())
    });
    Ok(web::Json(changed.await?))
}

/// `GET /api/admin/units`.
#[utoipa::path(
    get,
    path = "/api/admin/units",
    responses((status = 200, body = [beratta_core::api::Unit])),
)]
pub async fn list_units(admin: Admin) -> Result<web::Json<Vec<Unit>>, ApiError> {
    let units = off_worker(admin, |admin| Ok(admin.staff().state().store.units(&admin.staff().organisation().id)?));
    Ok(web::Json(units.await?))
}

/// The body of `POST /api/admin/units`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewUnit {
    pub name: String,
}

/// `POST /api/admin/units`: the server makes the id.
#[utoipa::path(
    post,
    path = "/api/admin/units",
    request_body = NewUnit,
    responses((status = 200, body = beratta_core::api::Unit)),
)]
pub async fn add_unit(admin: Admin, body: web::Json<NewUnit>) -> Result<web::Json<Unit>, ApiError> {
    let name = check_name(&body.name).map_err(|_| ApiError::Invalid("a unit name has 1 to 100 characters"))?;
    let unit = off_worker(admin, move |admin| {
        let staff = admin.staff();
        let unit = Unit { unit_id: new_id(&mut OsRng), name };
        staff.state().store.insert_unit(&staff.organisation().id, &unit)?;
        staff.audit(AuditAction::UnitAdded, Some(&unit.unit_id))?;
        Ok(unit)
    });
    Ok(web::Json(unit.await?))
}

/// The query of `GET /api/admin/audit`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditPage {
    /// The first sequence number wanted; the next page starts after the last one seen.
    pub from: Option<u64>,
}

/// `GET /api/admin/audit?from=SEQ`: the organisation's records, oldest first, at most
/// [`limits::AUDIT_PAGE`] at a time. Reading the log is itself logged.
#[utoipa::path(
    get,
    path = "/api/admin/audit",
    params(AuditPage),
    responses((status = 200, body = [beratta_core::audit::AuditEntry])),
)]
pub async fn audit(admin: Admin, query: web::Query<AuditPage>) -> Result<web::Json<Vec<AuditEntry>>, ApiError> {
    let from = query.from.unwrap_or(1).max(1);
    let entries = off_worker(admin, move |admin| {
        let staff = admin.staff();
        let entries = staff.state().store.audit_entries(&staff.organisation().id, from, limits::AUDIT_PAGE)?;
        staff.audit(AuditAction::AuditViewed, None)?;
        Ok(entries)
    });
    Ok(web::Json(entries.await?))
}

/// `GET /api/admin/children`: how many children's invitations (not revoked) the
/// organisation has per unit, with no names and nothing sealed. A child counts in the unit
/// it is shared with, else in its inviter's unit, else in no unit (`unit: None`, listed
/// last). Units with no children are listed with 0.
#[utoipa::path(
    get,
    path = "/api/admin/children",
    responses((status = 200, body = [beratta_core::api::UnitChildren])),
)]
pub async fn children(admin: Admin) -> Result<web::Json<Vec<UnitChildren>>, ApiError> {
    let counts = off_worker(admin, |admin| {
        let staff = admin.staff();
        let store = &staff.state().store;
        let organisation = &staff.organisation().id;
        let inviters: std::collections::HashMap<String, Option<String>> =
            store.staff_of(organisation)?.into_iter().map(|a| (a.id, a.unit)).collect();
        let mut counts: Vec<UnitChildren> = store
            .units(organisation)?
            .into_iter()
            .map(|u| UnitChildren { unit: Some(u.unit_id), children: 0 })
            .collect();
        counts.push(UnitChildren { unit: None, children: 0 });
        for assessment in store.assessments_of(organisation)?.iter().filter(|a| !a.revoked) {
            let inviter_unit = assessment.invited_by.as_ref().and_then(|id| inviters.get(id).cloned().flatten());
            let unit = assessment.unit.clone().or(inviter_unit);
            // A unit that is no longer listed counts as none.
            let index = counts.iter().position(|c| c.unit == unit).unwrap_or(counts.len() - 1);
            counts[index].children += 1;
        }
        Ok(counts)
    });
    Ok(web::Json(counts.await?))
}

/// `GET /api/admin/audit/children`: every invitation's sealed note (no answers, no help
/// status), so that the administrator's browser, which holds the organisation key, can show
/// the child's name where the log names an assessment. Reading them is audited like
/// reading the log.
#[utoipa::path(
    get,
    path = "/api/admin/audit/children",
    responses((status = 200, body = [beratta_core::api::ChildNote])),
)]
pub async fn audit_children(admin: Admin) -> Result<web::Json<Vec<ChildNote>>, ApiError> {
    let notes = off_worker(admin, |admin| {
        let staff = admin.staff();
        let assessments = staff.state().store.assessments_of(&staff.organisation().id)?;
        staff.audit(AuditAction::AuditViewed, Some("children"))?;
        Ok(assessments
            .into_iter()
            .map(|a| ChildNote { assessment: a.id, sealed_note: a.sealed_note })
            .collect::<Vec<_>>())
    });
    Ok(web::Json(notes.await?))
}
