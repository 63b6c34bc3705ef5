//! Rounds and interventions, for staff: create and list them, a round's page with what
//! the server can count without a key, and closing a round, which freezes its release. Every handler takes an [`Inviter`] (staff and
//! administrators; analysts get 403), reaches a round only through [`Inviter::round`]
//! (another organisation's: 404), and every change and every view of a round's page is
//! audited.
//!
//! The counts come from what the server stores in the clear: the invitations of the round
//! that are not revoked, whether a child has saved, and the progress each save in a round
//! carries (`api::RoundProgress`): finished, and in anonymous rounds only, acute.

use crate::access::{off_worker, Inviter};
use crate::error::ApiError;
use crate::staff::{check_name, new_id};
use crate::store::{Closing, RoundCounts};
use actix_web::web;
use beratta_core::api::{Intervention, NewIntervention, NewRound, Round, RoundMode, RoundPage};
use beratta_core::audit::AuditAction;
use rand_core::OsRng;

/// Whether `day` is a calendar day written `YYYY-MM-DD`.
fn is_day(day: &str) -> bool {
    let b = day.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) || !digits(8..10) {
        return false;
    }
    let month: u32 = day[5..7].parse().unwrap_or(0);
    let date: u32 = day[8..10].parse().unwrap_or(0);
    (1..=12).contains(&month) && (1..=31).contains(&date)
}

/// `GET /api/rounds`: the organisation's rounds, oldest first. Not audited, like the list
/// of units: it names no child.
#[utoipa::path(
    get,
    path = "/api/rounds",
    responses((status = 200, body = [beratta_core::api::Round])),
)]
pub async fn list(inviter: Inviter) -> Result<web::Json<Vec<Round>>, ApiError> {
    let rounds = off_worker(inviter, |inviter| {
        let staff = inviter.staff();
        Ok(staff.state().store.rounds(&staff.organisation().id)?)
    });
    Ok(web::Json(rounds.await?))
}

/// `POST /api/rounds`: a new round. The unit must be one of the organisation's, the
/// instrument one the server serves, the period a real one, and an intervention one of
/// the organisation's.
#[utoipa::path(
    post,
    path = "/api/rounds",
    request_body = beratta_core::api::NewRound,
    responses((status = 200, body = beratta_core::api::Round)),
)]
pub async fn create(inviter: Inviter, body: web::Json<NewRound>) -> Result<web::Json<Round>, ApiError> {
    let new = body.into_inner();
    let name = check_name(&new.name).map_err(|_| ApiError::Invalid("a round's name has 1 to 100 characters"))?;
    if !is_day(&new.opens) || !is_day(&new.closes) || new.closes < new.opens {
        return Err(ApiError::Invalid("a round opens and closes on days written YYYY-MM-DD, in that order"));
    }
    if !inviter.staff().state().instruments.contains(&new.questionnaire) {
        return Err(ApiError::UnknownQuestionnaire);
    }
    let round = off_worker(inviter, move |inviter| {
        let staff = inviter.staff();
        let store = &staff.state().store;
        let organisation = &staff.organisation().id;
        if let Some(unit) = &new.unit {
            if !store.units(organisation)?.iter().any(|u| &u.unit_id == unit) {
                return Err(ApiError::UnknownUnit);
            }
        }
        if let Some(intervention) = &new.intervention {
            if !store.interventions(organisation)?.iter().any(|i| i.intervention_id == intervention.intervention_id) {
                return Err(ApiError::Invalid("the intervention is not one of the organisation's"));
            }
        }
        let round = Round {
            round_id: new_id(&mut OsRng),
            name,
            unit: new.unit,
            opens: new.opens,
            closes: new.closes,
            questionnaire: new.questionnaire,
            mode: new.mode,
            intervention: new.intervention,
            created_by: staff.account().id.clone(),
            created_unix: staff.state().now(),
            closed_unix: None,
        };
        if !store.insert_round(organisation, &round)? {
            return Err(ApiError::Internal("a random round id was taken"));
        }
        staff.audit(AuditAction::RoundCreated, Some(&round.round_id))?;
        Ok(round)
    });
    Ok(web::Json(round.await?))
}

/// `GET /api/rounds/{id}`: the round and its counts (audited as `round_viewed`).
#[utoipa::path(
    get,
    path = "/api/rounds/{id}",
    params(("id" = String, Path)),
    responses((status = 200, body = beratta_core::api::RoundPage)),
)]
pub async fn view(inviter: Inviter, path: web::Path<String>) -> Result<web::Json<RoundPage>, ApiError> {
    let id = path.into_inner();
    let page = off_worker(inviter, move |inviter| {
        let round = inviter.round(&id)?;
        let staff = inviter.staff();
        let counts = staff.state().store.round_counts(&staff.organisation().id)?;
        let RoundCounts { invited, started, finished, acute } =
            counts.get(&round.round_id).copied().unwrap_or_default();
        let acute = (round.mode == RoundMode::Anonymous).then_some(acute);
        staff.audit(AuditAction::RoundViewed, Some(&round.round_id))?;
        Ok(RoundPage { round, invited, started, finished, acute })
    });
    Ok(web::Json(page.await?))
}

/// `POST /api/rounds/{id}/close`: closes the round now, freezing its release: its
/// statistics records as they stand are what the group picture shows, and a later save
/// keeps the child's answers but changes no record (`Store::save_answers`). Audited as
/// `round_closed`, once: closing a closed round answers it unchanged and records nothing.
/// The answer waits until the close and its audit record are on disk.
#[utoipa::path(
    post,
    path = "/api/rounds/{id}/close",
    params(("id" = String, Path)),
    responses((status = 200, body = beratta_core::api::Round)),
)]
pub async fn close(inviter: Inviter, path: web::Path<String>) -> Result<web::Json<Round>, ApiError> {
    let id = path.into_inner();
    let (round, durable) = off_worker(inviter, move |inviter| {
        let round = inviter.round(&id)?;
        let staff = inviter.staff();
        let state = staff.state();
        let round = match state.store.close_round(&staff.organisation().id, &round.round_id, state.now())? {
            Closing::Closed(round) => {
                staff.audit(AuditAction::RoundClosed, Some(&round.round_id))?;
                round
            }
            Closing::AlreadyClosed(round) => round,
            Closing::NoRound => return Err(ApiError::Internal("a round went away while it was being closed")),
        };
        Ok((round, state.store.durable()))
    })
    .await?;
    durable.wait().await?;
    Ok(web::Json(round))
}

/// `GET /api/interventions`: the organisation's interventions, by name.
#[utoipa::path(
    get,
    path = "/api/interventions",
    responses((status = 200, body = [beratta_core::api::Intervention])),
)]
pub async fn interventions(inviter: Inviter) -> Result<web::Json<Vec<Intervention>>, ApiError> {
    let list = off_worker(inviter, |inviter| {
        let staff = inviter.staff();
        Ok(staff.state().store.interventions(&staff.organisation().id)?)
    });
    Ok(web::Json(list.await?))
}

/// `POST /api/interventions`: a new intervention with a name and a kind.
#[utoipa::path(
    post,
    path = "/api/interventions",
    request_body = beratta_core::api::NewIntervention,
    responses((status = 200, body = beratta_core::api::Intervention)),
)]
pub async fn create_intervention(
    inviter: Inviter,
    body: web::Json<NewIntervention>,
) -> Result<web::Json<Intervention>, ApiError> {
    let new = body.into_inner();
    let name =
        check_name(&new.name).map_err(|_| ApiError::Invalid("an intervention's name has 1 to 100 characters"))?;
    let intervention = off_worker(inviter, move |inviter| {
        let staff = inviter.staff();
        let intervention = Intervention { intervention_id: new_id(&mut OsRng), name, kind: new.kind };
        if !staff.state().store.insert_intervention(&staff.organisation().id, &intervention)? {
            return Err(ApiError::Internal("a random intervention id was taken"));
        }
        staff.audit(AuditAction::InterventionCreated, Some(&intervention.intervention_id))?;
        Ok(intervention)
    });
    Ok(web::Json(intervention.await?))
}

#[cfg(test)]
mod tests {
    use super::is_day;

    #[test]
    fn a_day_is_written_year_month_day() {
        for good in ["2026-12-07", "2027-01-31"] {
            assert!(is_day(good), "{good}");
        }
        for bad in ["2026-13-01", "2026-12-7", "07-12-2026", "2026/12/07", "", "2026-12-00", "2026-12-07T"] {
            assert!(!is_day(bad), "{bad}");
        }
    }
}
