//! What the needs view keeps beside the figures, for holders of the statistics key (who
//! are the ones to see the needs): the organisation's own threshold for a high need, and
//! the priority factors of each release with their rationale. The server never sees a
//! figure: the needs are counted in the holder's browser.
//!
//! - `GET /api/needs` ([`StatisticsHolder`]): the threshold and every release's priorities.
//! - `PUT /api/needs/threshold` ([`StatisticsHolder`]): sets or takes away the threshold
//!   (1 to 100 percent); audited as `needs_threshold_set`.
//! - `PUT /api/needs/priorities/{year}` ([`StatisticsHolder`]): the 2 to 5 priority
//!   factors chosen from the release of `year`, stored with that release's rounds (each a
//!   closed round of the organisation in that year); audited as `priorities_set`.

use crate::access::{off_worker, StatisticsHolder};
use crate::error::ApiError;
use crate::limits;
use actix_web::web;
use beratta_core::api::{NeedsState, NeedsThreshold, NewPriorities, Priorities};
use beratta_core::audit::AuditAction;
use beratta_core::needs::priorities::check;

/// `GET /api/needs`.
#[utoipa::path(get, path = "/api/needs", responses((status = 200, body = beratta_core::api::NeedsState)))]
pub async fn state(holder: StatisticsHolder) -> Result<web::Json<NeedsState>, ApiError> {
    let state = off_worker(holder, |holder| {
        let staff = holder.staff();
        Ok(staff.state().store.needs(&staff.organisation().id)?)
    });
    Ok(web::Json(state.await?))
}

/// `PUT /api/needs/threshold`.
#[utoipa::path(
    put,
    path = "/api/needs/threshold",
    request_body = beratta_core::api::NeedsThreshold,
    responses((status = 200, body = beratta_core::api::NeedsState)),
)]
pub async fn threshold(
    holder: StatisticsHolder,
    body: web::Json<NeedsThreshold>,
) -> Result<web::Json<NeedsState>, ApiError> {
    let threshold = body.into_inner();
    if threshold.percent.is_some_and(|p| !(1..=100).contains(&p)) {
        return Err(ApiError::Invalid("a threshold is a percent from 1 to 100"));
    }
    let state = off_worker(holder, move |holder| {
        let staff = holder.staff();
        let state = staff.state().store.change_needs(&staff.organisation().id, &|n| n.threshold = threshold)?;
        let subject = threshold.percent.map_or_else(|| "none".to_string(), |p| p.to_string());
        staff.audit(AuditAction::NeedsThresholdSet, Some(&subject))?;
        Ok(state)
    });
    Ok(web::Json(state.await?))
}

/// `PUT /api/needs/priorities/{year}`: replaces the year's priorities.
#[utoipa::path(
    put,
    path = "/api/needs/priorities/{year}",
    params(("year" = String, Path)),
    request_body = beratta_core::api::NewPriorities,
    responses((status = 200, body = beratta_core::api::Priorities)),
)]
pub async fn priorities(
    holder: StatisticsHolder,
    path: web::Path<String>,
    body: web::Json<NewPriorities>,
) -> Result<web::Json<Priorities>, ApiError> {
    let year = path.into_inner();
    let new = body.into_inner();
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::Invalid("a release's year is written YYYY"));
    }
    if new.rounds.is_empty() || new.rounds.len() > limits::MAX_PICTURE_ROUNDS {
        return Err(ApiError::Invalid("a release is made of 1 to 500 rounds"));
    }
    let mut seen = std::collections::BTreeSet::new();
    if !new.rounds.iter().all(|r| seen.insert(r.as_str())) {
        return Err(ApiError::Invalid("a release names each round once"));
    }
    let stored = off_worker(holder, move |holder| {
        for id in &new.rounds {
            let round = holder.released_round(id)?;
            if !round.closes.starts_with(&year) {
                return Err(ApiError::Invalid("every round of the release closes in its year"));
            }
        }
        let staff = holder.staff();
        let state = staff.state();
        let chosen = check(&new.priorities, state.instruments.catalogue()).map_err(ApiError::BadInput)?;
        let mut rounds = new.rounds.clone();
        rounds.sort();
        let priorities = Priorities {
            year: year.clone(),
            rounds,
            priorities: chosen,
            set_by: staff.account().id.clone(),
            set_unix: state.now(),
        };
        state.store.change_needs(&staff.organisation().id, &|n| {
            n.priorities.retain(|p| p.year != priorities.year);
            n.priorities.push(priorities.clone());
            n.priorities.sort_by(|a, b| a.year.cmp(&b.year));
        })?;
        let factors: Vec<&str> = priorities.priorities.iter().map(|p| p.factor.as_str()).collect();
        staff.audit(AuditAction::PrioritiesSet, Some(&format!("{year}: {}", factors.join(","))))?;
        Ok(priorities)
    });
    Ok(web::Json(stored.await?))
}
