//! The statistics key and the sealed statistics records it opens. The server never holds
//! the key: an administrator's browser makes the pair and sends the public half and copies
//! of the secret half it cannot open (wrapped under the administrator's password, or sealed
//! to a colleague's personal public key); each staff member's browser makes its personal
//! key pair and sends the public half and the secret half wrapped under its password.
//!
//! - `PUT /api/staff/personal-key` ([`Staff`]): a staff member's personal key pair, once.
//! - `PUT /api/admin/statistics-key` ([`Admin`]): the statistics key of an organisation
//!   set up before it existed, once, with this administrator's copy.
//! - `PUT` and `DELETE /api/admin/staff/{id}/statistics-key` ([`Admin`]): grant a colleague
//!   (an analyst or administrator) the key, or take their copy away.
//! - `GET /api/statistics/rounds` ([`StatisticsHolder`]): the organisation's rounds,
//!   interventions and units, what a group picture is chosen from. Not audited: no child.
//! - `GET /api/statistics/rounds/{round}/records?cursor=…` ([`StatisticsHolder`]): a page
//!   of a closed round's sealed records of the holder's organisation, in random order,
//!   without assessment ids (see [`crate::statistics`]); every page is audited before it is
//!   sent. An open round has no release yet: 409 `round_open`, and nothing is sent.
//! - `POST /api/statistics/openings` ([`StatisticsHolder`]): the browser says which group
//!   picture it opened (rounds, breakdown, view), audited as `group_picture_opened`. The
//!   server never sees a figure of it.

use crate::access::{off_worker, Admin, Staff, StatisticsHolder};
use crate::error::ApiError;
use crate::limits;
use crate::records::StaffAccount;
use crate::staff::WRAPPED_ORG_KEY_LEN;
use crate::statistics::{shuffle, Cursor};
use crate::store::StatisticsKeyOutcome;
use actix_web::{web, HttpResponse};
use beratta_core::api::{
    PersonalKey, PictureOpening, Role, StatisticsGrant, StatisticsInvited, StatisticsKeySetup, StatisticsPage,
    StatisticsRounds,
};
use beratta_core::audit::AuditAction;
use beratta_core::envelope::{KEY_LEN, NONCE_LEN, SEALED_KEY_LEN, TAG_LEN};
use rand_core::OsRng;
use serde::Deserialize;

/// A 32-byte secret key sealed with `seal_bound`: sealed key, nonce, key, tag.
const SEALED_SECRET_LEN: usize = SEALED_KEY_LEN + NONCE_LEN + KEY_LEN + TAG_LEN;

/// `PUT /api/staff/personal-key`: set once; a second one would orphan grants sealed to
/// the first, so it is refused with 409 `already_set`.
#[utoipa::path(
    put,
    path = "/api/staff/personal-key",
    request_body = beratta_core::api::PersonalKey,
    responses((status = 204)),
)]
pub async fn set_personal_key(staff: Staff, body: web::Json<PersonalKey>) -> Result<HttpResponse, ApiError> {
    let key = body.into_inner();
    if key.public_key.0.len() != KEY_LEN {
        return Err(ApiError::Invalid("a personal public key is 32 bytes"));
    }
    if key.wrapped_secret.0.len() != WRAPPED_ORG_KEY_LEN {
        return Err(ApiError::Invalid("the wrapped personal key has the wrong length"));
    }
    let state = staff.state().clone();
    let id = staff.account().id.clone();
    state
        .blocking(move |state| {
            let set = std::cell::Cell::new(false);
            state.store.update_staff(&id, &|a: &mut StaffAccount| {
                // The change may run again if another write raced it: only the last run counts.
                set.set(false);
                if let Some(password) = a.password.as_mut().filter(|p| p.personal_key.is_none()) {
                    password.personal_key = Some(key.clone());
                    set.set(true);
                }
            })?;
            if set.get() {
                Ok(())
            } else {
                Err(ApiError::AlreadySet)
            }
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `PUT /api/admin/statistics-key`: an organisation that has no statistics key gets the one
/// this administrator's browser made, with their copy, in one transaction; audited as
/// `statistics_key_created`. If it has one, 409 `already_set` and nothing changes.
#[utoipa::path(
    put,
    path = "/api/admin/statistics-key",
    request_body = beratta_core::api::StatisticsKeySetup,
    responses((status = 204)),
)]
pub async fn set_statistics_key(admin: Admin, body: web::Json<StatisticsKeySetup>) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    if body.public_key.0.len() != KEY_LEN {
        return Err(ApiError::Invalid("the statistics public key must be 32 bytes"));
    }
    if body.wrapped_statistics_key.0.len() != WRAPPED_ORG_KEY_LEN {
        return Err(ApiError::Invalid("the wrapped statistics key has the wrong length"));
    }
    off_worker(admin, move |admin| {
        let staff = admin.staff();
        let store = &staff.state().store;
        let outcome = store.set_statistics_key(
            &staff.organisation().id,
            &staff.account().id,
            &body.public_key,
            &body.wrapped_statistics_key,
        )?;
        match outcome {
            StatisticsKeyOutcome::Set => {
                store.flush()?;
                staff.audit(AuditAction::StatisticsKeyCreated, None)
            }
            StatisticsKeyOutcome::AlreadySet => Err(ApiError::AlreadySet),
        }
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `PUT /api/admin/staff/{id}/statistics-key`: the statistics key sealed to the colleague's
/// personal public key. Only analysts and administrators hold it; the colleague must have a
/// personal key (they have logged in since the upgrade). Replaces an earlier grant; audited
/// as `statistics_key_granted`.
#[utoipa::path(
    put,
    path = "/api/admin/staff/{id}/statistics-key",
    params(("id" = String, Path)),
    request_body = beratta_core::api::StatisticsGrant,
    responses((status = 204)),
)]
pub async fn grant(
    admin: Admin,
    path: web::Path<String>,
    body: web::Json<StatisticsGrant>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let sealed = body.into_inner().sealed;
    if sealed.0.len() != SEALED_SECRET_LEN {
        return Err(ApiError::Invalid("a grant of the statistics key has the wrong length"));
    }
    off_worker(admin, move |admin| {
        let member = admin.member(&id)?;
        if member.role == Role::Staff {
            return Err(ApiError::Invalid("the statistics key is for analysts and administrators"));
        }
        if member.password.as_ref().and_then(|p| p.personal_key.as_ref()).is_none() {
            return Err(ApiError::Invalid("the colleague has no personal key yet: they log in once first"));
        }
        let staff = admin.staff();
        let store = &staff.state().store;
        store
            .update_staff(&member.id, &|a: &mut StaffAccount| a.statistics_grant = Some(sealed.clone()))?
            .ok_or(ApiError::NotFound)?;
        store.flush()?;
        staff.audit(AuditAction::StatisticsKeyGranted, Some(&member.id))
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `DELETE /api/admin/staff/{id}/statistics-key`: takes the colleague's copies of the
/// statistics key away (what their browser may have kept is theirs: see SECURITY.md); an
/// administrator cannot take their own. Audited as `statistics_key_revoked`.
#[utoipa::path(
    delete,
    path = "/api/admin/staff/{id}/statistics-key",
    params(("id" = String, Path)),
    responses((status = 204)),
)]
pub async fn revoke(admin: Admin, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    off_worker(admin, move |admin| {
        let member = admin.member(&id)?;
        let staff = admin.staff();
        if member.id == staff.account().id {
            return Err(ApiError::OwnAccount);
        }
        let store = &staff.state().store;
        store.update_staff(&member.id, &StaffAccount::drop_statistics_key)?.ok_or(ApiError::NotFound)?;
        store.flush()?;
        staff.audit(AuditAction::StatisticsKeyRevoked, Some(&member.id))
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The query of the records endpoint.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecordsQuery {
    /// The `next` of the previous page; absent for the first.
    pub cursor: Option<String>,
}

/// `GET /api/statistics/rounds/{round}/records?cursor=…`: one page of a closed round's
/// sealed records, its frozen release; an open round is 409 `round_open` and nothing is
/// read. The audit record (`statistics_records_viewed`, subject the round) is on disk
/// before the page leaves.
#[utoipa::path(
    get,
    path = "/api/statistics/rounds/{round}/records",
    params(("round" = String, Path), RecordsQuery),
    responses((status = 200, body = beratta_core::api::StatisticsPage)),
)]
pub async fn records(
    holder: StatisticsHolder,
    path: web::Path<String>,
    query: web::Query<RecordsQuery>,
) -> Result<web::Json<StatisticsPage>, ApiError> {
    let round = path.into_inner();
    let cursor = match &query.cursor {
        Some(text) => Some(Cursor::parse(text).ok_or(ApiError::Invalid("the cursor is not one this server made"))?),
        None => None,
    };
    let (page, audited) = off_worker(holder, move |holder| {
        let count = holder.round_records(&round)?;
        let cursor = cursor.unwrap_or_else(|| Cursor::start(count, &mut OsRng));
        let staff = holder.staff();
        let state = staff.state();
        let partition = cursor.partition(&state.secret);
        let mut records = state.store.statistics_records(&staff.organisation().id, &round, &|assessment| {
            partition.page_of(assessment) == cursor.page
        })?;
        shuffle(&mut records, &mut OsRng);
        staff.audit(AuditAction::StatisticsRecordsViewed, Some(&round))?;
        let page = StatisticsPage { records, next: cursor.next().map(|c| c.encode()) };
        Ok((page, state.store.durable()))
    })
    .await?;
    audited.wait().await?;
    Ok(web::Json(page))
}

/// `GET /api/statistics/rounds`: every round of the holder's organisation, oldest first and
/// each with `closed_unix`, with the interventions and units a group picture names. Not
/// audited, like the list of rounds: it names no child and holds no figure.
#[utoipa::path(
    get,
    path = "/api/statistics/rounds",
    responses((status = 200, body = beratta_core::api::StatisticsRounds)),
)]
pub async fn rounds(holder: StatisticsHolder) -> Result<web::Json<StatisticsRounds>, ApiError> {
    let rounds = off_worker(holder, |holder| {
        let staff = holder.staff();
        let store = &staff.state().store;
        let organisation = &staff.organisation().id;
        Ok(StatisticsRounds {
            rounds: store.rounds(organisation)?,
            interventions: store.interventions(organisation)?,
            units: store.units(organisation)?,
        })
    });
    Ok(web::Json(rounds.await?))
}

/// `GET /api/statistics/invited`: how many children were invited into each round of the
/// holder's organisation. Not audited, like the list of rounds: counts of invitations name
/// no child and hold no answer.
#[utoipa::path(get, path = "/api/statistics/invited", responses((status = 200, body = beratta_core::api::StatisticsInvited)))]
pub async fn invited(holder: StatisticsHolder) -> Result<web::Json<StatisticsInvited>, ApiError> {
    let invited = off_worker(holder, |holder| {
        let staff = holder.staff();
        let counts = staff.state().store.round_counts(&staff.organisation().id)?;
        Ok(StatisticsInvited { invited: counts.into_iter().map(|(round, c)| (round, c.invited)).collect() })
    });
    Ok(web::Json(invited.await?))
}

/// What the audit log says of a group picture: the view, the breakdown (or `everyone`)
/// and the rounds, as `"{view} {breakdown}: {round},{round}"`. Never a figure. A view or
/// breakdown the group picture does not have, no rounds, too many or one named twice is
/// 400 `invalid`.
fn opening_subject(opening: &PictureOpening) -> Result<String, ApiError> {
    if !PictureOpening::VIEWS.contains(&opening.view.as_str()) {
        return Err(ApiError::Invalid("the group picture has no such view"));
    }
    let breakdown = match &opening.breakdown {
        None => "everyone",
        Some(b) if PictureOpening::BREAKDOWNS.contains(&b.as_str()) => b.as_str(),
        Some(_) => return Err(ApiError::Invalid("the group picture has no such breakdown")),
    };
    if opening.rounds.is_empty() || opening.rounds.len() > limits::MAX_PICTURE_ROUNDS {
        return Err(ApiError::Invalid("a group picture is made of 1 to 50 rounds"));
    }
    let mut seen = std::collections::BTreeSet::new();
    if !opening.rounds.iter().all(|id| seen.insert(id.as_str())) {
        return Err(ApiError::Invalid("a group picture names each round once"));
    }
    Ok(format!("{} {breakdown}: {}", opening.view, opening.rounds.join(",")))
}

/// `POST /api/statistics/openings`: a holder's browser opened a group picture. Each round
/// must be a closed one of the holder's organisation (another organisation's, or none: 404,
/// audited; an open one: 409 `round_open`). Audited as `group_picture_opened`, and
/// answered once the record is on disk.
#[utoipa::path(
    post,
    path = "/api/statistics/openings",
    request_body = beratta_core::api::PictureOpening,
    responses((status = 204)),
)]
pub async fn openings(holder: StatisticsHolder, body: web::Json<PictureOpening>) -> Result<HttpResponse, ApiError> {
    let opening = body.into_inner();
    let subject = opening_subject(&opening)?;
    let audited = off_worker(holder, move |holder| {
        for id in &opening.rounds {
            holder.released_round(id)?;
        }
        let staff = holder.staff();
        staff.audit(AuditAction::GroupPictureOpened, Some(&subject))?;
        Ok(staff.state().store.durable())
    })
    .await?;
    audited.wait().await?;
    Ok(HttpResponse::NoContent().finish())
}

#[cfg(test)]
mod tests {
    use super::opening_subject;
    use beratta_core::api::PictureOpening;

    fn opening(rounds: &[&str], breakdown: Option<&str>, view: &str) -> PictureOpening {
        PictureOpening {
            rounds: rounds.iter().map(|r| r.to_string()).collect(),
            breakdown: breakdown.map(str::to_string),
            view: view.to_string(),
        }
    }

    #[test]
    fn an_opening_is_named_by_view_breakdown_and_rounds() {
        let subject = |o: &PictureOpening| opening_subject(o).ok();
        assert_eq!(subject(&opening(&["a", "b"], None, "trend")).as_deref(), Some("trend everyone: a,b"));
        assert_eq!(subject(&opening(&["a"], Some("gender"), "print")).as_deref(), Some("print gender: a"));
        for bad in [
            opening(&[], None, "overview"),
            opening(&["a", "a"], None, "overview"),
            opening(&["a"], Some("everyone"), "overview"),
            opening(&["a"], None, "table"),
            opening(&["a"], Some("Unit"), "overview"),
        ] {
            assert!(subject(&bad).is_none(), "{bad:?}");
        }
        let most = crate::limits::MAX_PICTURE_ROUNDS;
        let ids: Vec<String> = (0..=most).map(|i| format!("r{i}")).collect();
        let names: Vec<&str> = ids.iter().map(String::as_str).collect();
        assert!(subject(&opening(&names[..most], None, "overview")).is_some());
        assert!(subject(&opening(&names, None, "overview")).is_none());
    }
}
