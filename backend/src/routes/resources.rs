//! The resources register: what the organisation has for its children, where and for which
//! ages, and the factors each addresses. Public information, stored in the clear and
//! checked field by field by the domain crate (`resources::register`, `resources::file`);
//! a refused request says every problem and changes nothing. Every change is audited.
//!
//! - `GET /api/resources` ([`Staff`]): the register, with the units and the factor
//!   catalogue it names. Not audited: it names no child.
//! - `POST /api/resources` and `PUT`/`DELETE /api/resources/{id}` ([`Planner`]:
//!   administrators and analysts): one resource added, changed or taken out.
//! - `POST /api/resources/import` ([`Planner`]): a CSV file that replaces the whole
//!   register, all or nothing; rows that give an id keep it, others get a new one.

use crate::access::{off_worker, Planner, Staff};
use crate::error::ApiError;
use crate::staff::new_id;
use actix_web::{web, HttpResponse};
use beratta_core::api::{Resource, ResourceDraft, ResourceImport, ResourceRegister};
use beratta_core::audit::AuditAction;
use beratta_core::resources::file;
use beratta_core::resources::register::{check, Checked, MAX_RESOURCES};
use rand_core::OsRng;

/// `GET /api/resources`.
#[utoipa::path(get, path = "/api/resources", responses((status = 200, body = beratta_core::api::ResourceRegister)))]
pub async fn list(staff: Staff) -> Result<web::Json<ResourceRegister>, ApiError> {
    let register = off_worker(staff, |staff| {
        let state = staff.state();
        let organisation = &staff.organisation().id;
        Ok(ResourceRegister {
            resources: state.store.resources(organisation)?,
            units: state.store.units(organisation)?,
            catalogue: state.instruments.catalogue().to_raw(),
        })
    });
    Ok(web::Json(register.await?))
}

/// `draft` checked against the catalogue and the staff member's organisation's units; its
/// problems are the answer (400 `bad_input`) when it does not pass.
fn checked(staff: &Staff, draft: &ResourceDraft) -> Result<Checked, ApiError> {
    let state = staff.state();
    let units = state.store.units(&staff.organisation().id)?;
    check(draft, state.instruments.catalogue(), &units, None).map_err(ApiError::BadInput)
}

/// `POST /api/resources`: a new resource, audited as `resource_created`.
#[utoipa::path(
    post,
    path = "/api/resources",
    request_body = beratta_core::api::ResourceDraft,
    responses((status = 200, body = beratta_core::api::Resource)),
)]
pub async fn create(planner: Planner, body: web::Json<ResourceDraft>) -> Result<web::Json<Resource>, ApiError> {
    let draft = body.into_inner();
    let made = off_worker(planner, move |planner| {
        let staff = planner.staff();
        let state = staff.state();
        let organisation = &staff.organisation().id;
        let checked = checked(staff, &draft)?;
        let resource = checked.resource(&new_id(&mut OsRng), state.now());
        let stored = state.store.change_resources(organisation, &|list| {
            if list.len() >= MAX_RESOURCES as usize {
                return false;
            }
            list.push(resource.clone());
            true
        })?;
        if stored.is_none() {
            return Err(ApiError::Invalid("the register holds as many resources as it may (1,000)"));
        }
        staff.audit(AuditAction::ResourceCreated, Some(&resource.resource_id))?;
        Ok(resource)
    });
    Ok(web::Json(made.await?))
}

/// `PUT /api/resources/{id}`: the resource as changed, audited as `resource_changed`;
/// one the organisation does not have is 404 (audited).
#[utoipa::path(
    put,
    path = "/api/resources/{id}",
    params(("id" = String, Path)),
    request_body = beratta_core::api::ResourceDraft,
    responses((status = 200, body = beratta_core::api::Resource)),
)]
pub async fn change(
    planner: Planner,
    path: web::Path<String>,
    body: web::Json<ResourceDraft>,
) -> Result<web::Json<Resource>, ApiError> {
    let id = path.into_inner();
    let draft = body.into_inner();
    let changed = off_worker(planner, move |planner| {
        let staff = planner.staff();
        let state = staff.state();
        let organisation = &staff.organisation().id;
        let checked = checked(staff, &draft)?;
        let resource = checked.resource(&id, state.now());
        let stored = state.store.change_resources(organisation, &|list| {
            let Some(slot) = list.iter_mut().find(|r| r.resource_id == resource.resource_id) else { return false };
            *slot = resource.clone();
            true
        })?;
        if stored.is_none() {
            return Err(planner.no_such_resource());
        }
        staff.audit(AuditAction::ResourceChanged, Some(&resource.resource_id))?;
        Ok(resource)
    });
    Ok(web::Json(changed.await?))
}

/// `DELETE /api/resources/{id}`: takes the resource out, audited as `resource_removed`.
#[utoipa::path(delete, path = "/api/resources/{id}", params(("id" = String, Path)), responses((status = 204)))]
pub async fn remove(planner: Planner, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    off_worker(planner, move |planner| {
        let staff = planner.staff();
        let removed = staff.state().store.change_resources(&staff.organisation().id, &|list| {
            let before = list.len();
            list.retain(|r| r.resource_id != id);
            list.len() < before
        })?;
        if removed.is_none() {
            return Err(planner.no_such_resource());
        }
        staff.audit(AuditAction::ResourceRemoved, Some(&id))
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /api/resources/import`: the file's resources replace the register, or, if any
/// row has a problem, every problem is answered (400 `bad_input`, each with its row and
/// column) and nothing changes. Audited as `resources_imported` with the count.
#[utoipa::path(
    post,
    path = "/api/resources/import",
    request_body = beratta_core::api::ResourceImport,
    responses((status = 200, body = [beratta_core::api::Resource])),
)]
pub async fn import(planner: Planner, body: web::Json<ResourceImport>) -> Result<web::Json<Vec<Resource>>, ApiError> {
    let text = body.into_inner().csv;
    let imported = off_worker(planner, move |planner| {
        let staff = planner.staff();
        let state = staff.state();
        let organisation = &staff.organisation().id;
        let units = state.store.units(organisation)?;
        let rows = file::read(&text, state.instruments.catalogue(), &units).map_err(ApiError::BadInput)?;
        let now = state.now();
        let register: Vec<Resource> = rows
            .iter()
            .map(|row| row.resource.resource(&row.id.clone().unwrap_or_else(|| new_id(&mut OsRng)), now))
            .collect();
        state.store.change_resources(organisation, &|list| {
            *list = register.clone();
            true
        })?;
        staff.audit(AuditAction::ResourcesImported, Some(&register.len().to_string()))?;
        Ok(register)
    });
    Ok(web::Json(imported.await?))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_server_made_id_is_one_a_file_may_carry() {
        let id = crate::staff::new_id(&mut rand_core::OsRng);
        assert!(beratta_core::resources::register::is_id(&id), "{id}");
    }
}
