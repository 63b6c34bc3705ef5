//! Invitations and the children's assessments, for staff. Every handler takes an
//! [`Inviter`] (staff and administrators; analysts never see an individual), and reaches
//! an existing child only through [`Inviter::readable_assessment`] or
//! [`Inviter::readable_assessments`].
//!
//! The server draws the public lookups and reserves them for the staff member
//! ([`reserve_lookups`]); the staff browser makes each child's code around one of them and
//! derives its login proof; the server gets the lookup, the salt and cost, the proof (kept
//! only as a keyed verifier) and the child's name sealed to the organisation. It never
//! sees the code or the name. Because staff can invite only with lookups drawn for them,
//! and the server never draws one in use, no organisation can probe another's lookups.

use crate::access::{off_worker, Inviter};
use crate::error::ApiError;
use crate::limits;
use crate::records::{Assessment, AssessmentRound};
use crate::routes::child::{is_lookup, CHILD_WRAPPED_KEY_LEN, MIN_BLOB_LEN};
use crate::staff::{kdf_acceptable, new_id};
use crate::store::{CodeReplacement, InsertOutcome, LookupClaim, ReplaceOutcome, ReserveOutcome, SaveOutcome};
use actix_web::web;
use beratta_core::api::{
    AssessmentRecord, Bytes, CodeBasis, InvitationBatch, LookupRequest, NewCode, NewInvitation, ReservedLookups,
    SaveReceipt, SealedHelp, StatusEntry,
};
use beratta_core::audit::AuditAction;
use beratta_core::envelope::KEY_LEN;
use beratta_core::login::{random_lookup, SALT_LEN};
use rand_core::OsRng;

/// Checks one child of a batch, in fixed sentences that never echo the request.
fn check_child(child: &NewInvitation, floor: &beratta_core::login::KdfParams) -> Result<(), ApiError> {
    if !is_lookup(&child.lookup) {
        return Err(ApiError::BadLookup);
    }
    if child.salt.0.len() != SALT_LEN {
        return Err(ApiError::Invalid("a code's salt must be 16 bytes"));
    }
    if !kdf_acceptable(&child.kdf, floor) {
        return Err(ApiError::Invalid("a code's key-derivation cost is outside what the server accepts"));
    }
    if child.proof.0.len() != KEY_LEN {
        return Err(ApiError::Invalid("a login proof must be 32 bytes"));
    }
    if child.sealed_note.0.len() > limits::MAX_NOTE_BYTES {
        return Err(ApiError::Invalid("a sealed note is too long"));
    }
    Ok(())
}

/// `POST /api/invitations/lookups`: draws `count` random lookups that no live invitation
/// (of any organisation) and no reservation has, and reserves them for this staff member
/// for `LOOKUP_RESERVATION_SECS`. A staff member holds at most `MAX_RESERVED_LOOKUPS` at
/// once and draws at most `MAX_LOOKUPS_DRAWN` per day; beyond that the answer is 429
/// `too_many_lookups` with `Retry-After`. Not audited, like listing: nothing about a child
/// is made or read, and each invitation made with a lookup is audited when it is created.
#[utoipa::path(
    post,
    path = "/api/invitations/lookups",
    request_body = beratta_core::api::LookupRequest,
    responses((status = 200, body = beratta_core::api::ReservedLookups)),
)]
pub async fn reserve_lookups(
    inviter: Inviter,
    body: web::Json<LookupRequest>,
) -> Result<web::Json<ReservedLookups>, ApiError> {
    if inviter.staff().organisation().public_key.is_none() {
        return Err(ApiError::NotSetUp);
    }
    let count = usize::try_from(body.count).unwrap_or(usize::MAX);
    if !(1..=limits::MAX_BATCH_CHILDREN).contains(&count) {
        return Err(ApiError::Invalid("lookups are reserved 1 to 100 at a time"));
    }
    let reserved = off_worker(inviter, move |inviter| {
        let staff = inviter.staff();
        let state = staff.state();
        let draw = || random_lookup(&mut OsRng);
        let rules = crate::reservation_rules();
        match state.store.reserve_lookups(&staff.account().id, count, &draw, state.now(), &rules)? {
            ReserveOutcome::Reserved { lookups, expires_unix } => Ok(ReservedLookups { lookups, expires_unix }),
            ReserveOutcome::TooMany { retry_after_secs } => Err(ApiError::TooManyLookups { retry_after_secs }),
            ReserveOutcome::NoneFree => Err(ApiError::NoFreeLookup),
        }
    });
    Ok(web::Json(reserved.await?))
}

/// `POST /api/invitations`: invites a batch of children, all or none. Every lookup must
/// be reserved for this staff member and not expired; the reservations are used up with
/// the insert. Any other lookup (never reserved, expired, used, a colleague's, or one
/// another organisation has) is refused alike with 409 `lookup_not_reserved`, which names
/// no lookup, and nothing is stored.
#[utoipa::path(
    post,
    path = "/api/invitations",
    request_body = beratta_core::api::InvitationBatch,
    responses((status = 200, body = [beratta_core::api::AssessmentRecord])),
)]
pub async fn create(
    inviter: Inviter,
    body: web::Json<InvitationBatch>,
) -> Result<web::Json<Vec<AssessmentRecord>>, ApiError> {
    let batch = body.into_inner();
    let staff = inviter.staff();
    let state = staff.state();
    if staff.organisation().public_key.is_none() {
        return Err(ApiError::NotSetUp);
    }
    if !state.instruments.contains(&batch.questionnaire) {
        return Err(ApiError::UnknownQuestionnaire);
    }
    if !(1..=limits::MAX_INVITATION_DAYS).contains(&batch.expires_in_days) {
        return Err(ApiError::Invalid("a code is valid for 1 to 90 days"));
    }
    if batch.children.is_empty() || batch.children.len() > limits::MAX_BATCH_CHILDREN {
        return Err(ApiError::Invalid("a batch has 1 to 100 children"));
    }
    let floor = state.kdf_floor();
    for child in &batch.children {
        check_child(child, &floor)?;
    }
    let now = state.now();
    let me = staff.account();
    let unit = if batch.share_with_unit { me.unit.clone() } else { None };
    let assessments: Vec<Assessment> = batch
        .children
        .into_iter()
        .map(|child| Assessment {
            id: new_id(&mut OsRng),
            organisation: me.organisation.clone(),
            lookup: child.lookup,
            questionnaire: batch.questionnaire.clone(),
            salt: child.salt,
            kdf: child.kdf,
            verifier: Bytes(state.secret.login_verifier(&child.proof.0).to_vec()),
            created_unix: now,
            failed_logins: 0,
            sealed: None,
            invited_by: Some(me.id.clone()),
            unit: unit.clone(),
            expires_unix: now.saturating_add(u64::from(batch.expires_in_days) * 86_400),
            revoked: false,
            sealed_note: child.sealed_note,
            help: None,
            round: None,
            progress: None,
        })
        .collect();
    let round_id = batch.round;
    let questionnaire = batch.questionnaire;
    let records = off_worker(inviter, move |inviter| {
        let mut assessments = assessments;
        if let Some(round_id) = &round_id {
            let round = inviter.round(round_id)?;
            if round.questionnaire != questionnaire {
                return Err(ApiError::Invalid("a round's children are invited with the round's instrument"));
            }
            let place = AssessmentRound { round: round.round_id.clone(), unit: round.unit.clone(), mode: round.mode };
            if place.is_anonymous() && assessments.iter().any(|a| !a.sealed_note.0.is_empty()) {
                return Err(ApiError::Invalid("cards for an anonymous round carry no names"));
            }
            for a in &mut assessments {
                a.round = Some(place.clone());
            }
        }
        let staff = inviter.staff();
        match staff.state().store.insert_assessments(&assessments, LookupClaim::ReservedBy(&staff.account().id))? {
            InsertOutcome::Inserted => {}
            InsertOutcome::NotReserved => return Err(ApiError::LookupNotReserved),
            InsertOutcome::IdTaken => return Err(ApiError::Internal("a random assessment id was taken")),
            InsertOutcome::LookupInUse => return Err(ApiError::Internal("a reserved batch was checked as unreserved")),
        }
        for assessment in &assessments {
            staff.audit(AuditAction::InvitationCreated, Some(&assessment.id))?;
        }
        Ok(assessments.iter().map(|a| a.record(false)).collect())
    });
    Ok(web::Json(records.await?))
}

/// `GET /api/invitations`: the children this staff member may read, newest first, with
/// their sealed notes but without answers or help status, which only the audited
/// per-child view gives. Listing is not audited.
#[utoipa::path(
    get,
    path = "/api/invitations",
    responses((status = 200, body = [beratta_core::api::AssessmentRecord])),
)]
pub async fn list(inviter: Inviter) -> Result<web::Json<Vec<AssessmentRecord>>, ApiError> {
    let records = off_worker(inviter, |inviter| {
        let readable = inviter.readable_assessments()?;
        Ok(readable.iter().map(|r| r.assessment().record(false)).collect())
    });
    Ok(web::Json(records.await?))
}

/// `GET /api/invitations/statuses`: for every child this staff member may read, the
/// sealed status of the newest save (with the data key sealed to the organisation and
/// the help status, so that unhandled help wishes can be counted), never the answers. The
/// browser opens them; the view is one audit record, on disk before the data leaves.
#[utoipa::path(
    get,
    path = "/api/invitations/statuses",
    responses((status = 200, body = [beratta_core::api::StatusEntry])),
)]
pub async fn statuses(inviter: Inviter) -> Result<web::Json<Vec<StatusEntry>>, ApiError> {
    let (entries, audited) = off_worker(inviter, |inviter| {
        let readable = inviter.readable_assessments()?;
        let staff = inviter.staff();
        staff.audit(AuditAction::StatusesViewed, None)?;
        let entries = readable
            .iter()
            .map(|r| {
                let a = r.assessment();
                StatusEntry {
                    assessment: a.id.clone(),
                    counter: a.sealed.as_ref().map_or(0, |s| s.counter),
                    status: a.sealed.as_ref().and_then(|s| s.status.clone()),
                    org_sealed_key: a.sealed.as_ref().map(|s| s.org_sealed_key.clone()),
                    help: a.help.clone(),
                }
            })
            .collect::<Vec<_>>();
        Ok((entries, staff.state().store.durable()))
    })
    .await?;
    audited.wait().await?;
    Ok(web::Json(entries))
}

/// `GET /api/invitations/{id}/code`: what the staff browser needs to make a new code for
/// this child: the save counter, the data key sealed to the organisation and the server's
/// share of the child's wrap key. Not audited: it opens nothing, and the replacement is.
#[utoipa::path(
    get,
    path = "/api/invitations/{id}/code",
    params(("id" = String, Path)),
    responses((status = 200, body = beratta_core::api::CodeBasis)),
)]
pub async fn code_basis(inviter: Inviter, path: web::Path<String>) -> Result<web::Json<CodeBasis>, ApiError> {
    let id = path.into_inner();
    let basis = off_worker(inviter, move |inviter| {
        let readable = inviter.readable_assessment(&id)?;
        let a = readable.assessment();
        if a.revoked {
            return Err(ApiError::Revoked);
        }
        Ok(CodeBasis {
            assessment: a.id.clone(),
            organisation: a.organisation.clone(),
            counter: a.sealed.as_ref().map_or(0, |s| s.counter),
            org_sealed_key: a.sealed.as_ref().map(|s| s.org_sealed_key.clone()),
            server_share: Bytes(inviter.staff().state().secret.child_share(&a.id).to_vec()),
        })
    });
    Ok(web::Json(basis.await?))
}

/// `POST /api/invitations/{id}/code`: gives the child a new code for the same assessment,
/// for whoever may revoke it. The old code stops working at once (its lookup, verifier and
/// sessions go), the answers stay, the change is audited and on disk before the answer.
#[utoipa::path(
    post,
    path = "/api/invitations/{id}/code",
    params(("id" = String, Path)),
    request_body = beratta_core::api::NewCode,
    responses((status = 200, body = beratta_core::api::AssessmentRecord)),
)]
pub async fn replace_code(
    inviter: Inviter,
    path: web::Path<String>,
    body: web::Json<NewCode>,
) -> Result<web::Json<AssessmentRecord>, ApiError> {
    let id = path.into_inner();
    let code = body.into_inner();
    let state = inviter.staff().state();
    let floor = state.kdf_floor();
    if !is_lookup(&code.lookup) {
        return Err(ApiError::BadLookup);
    }
    if code.salt.0.len() != SALT_LEN {
        return Err(ApiError::Invalid("a code's salt must be 16 bytes"));
    }
    if !kdf_acceptable(&code.kdf, &floor) {
        return Err(ApiError::Invalid("a code's key-derivation cost is outside what the server accepts"));
    }
    if code.proof.0.len() != KEY_LEN {
        return Err(ApiError::Invalid("a login proof must be 32 bytes"));
    }
    if code.child_wrapped_key.as_ref().is_some_and(|k| k.0.len() != CHILD_WRAPPED_KEY_LEN) {
        return Err(ApiError::Invalid("a wrapped data key must be 72 bytes"));
    }
    let replacement = CodeReplacement {
        lookup: code.lookup,
        salt: code.salt,
        kdf: code.kdf,
        verifier: Bytes(state.secret.login_verifier(&code.proof.0).to_vec()),
        counter: code.counter,
        child_wrapped_key: code.child_wrapped_key,
    };
    let (record, on_disk) = off_worker(inviter, move |inviter| {
        let readable = inviter.readable_assessment(&id)?;
        let staff = inviter.staff();
        let state = staff.state();
        match state.store.replace_code(readable.id(), &replacement, &staff.account().id, state.now())? {
            ReplaceOutcome::Replaced(assessment) => {
                staff.audit(AuditAction::ChildCodeReplaced, Some(readable.id()))?;
                Ok((assessment.record(false), state.store.durable()))
            }
            ReplaceOutcome::NotReserved => Err(ApiError::LookupNotReserved),
            ReplaceOutcome::Stale => Err(ApiError::StaleCode),
            ReplaceOutcome::KeyMismatch => {
                Err(ApiError::Invalid("a wrapped data key is needed exactly when answers are stored"))
            }
            // It was readable a moment ago, so it has been revoked.
            ReplaceOutcome::NoAssessment => Err(ApiError::Revoked),
        }
    })
    .await?;
    on_disk.wait().await?;
    Ok(web::Json(record))
}

/// `POST /api/invitations/{id}/revoke`: the code stops working at once and a child's open
/// session ends. Revoking twice is harmless.
#[utoipa::path(
    post,
    path = "/api/invitations/{id}/revoke",
    params(("id" = String, Path)),
    responses((status = 200, body = beratta_core::api::AssessmentRecord)),
)]
pub async fn revoke(inviter: Inviter, path: web::Path<String>) -> Result<web::Json<AssessmentRecord>, ApiError> {
    let id = path.into_inner();
    let revoked = off_worker(inviter, move |inviter| {
        let readable = inviter.readable_assessment(&id)?;
        let staff = inviter.staff();
        let revoked = staff.state().store.revoke_assessment(readable.id())?.ok_or(ApiError::NotFound)?;
        staff.audit(AuditAction::InvitationRevoked, Some(readable.id()))?;
        Ok(revoked.record(false))
    });
    Ok(web::Json(revoked.await?))
}

/// `GET /api/assessments/{id}`: one child's record with the sealed answers and help
/// status. The view is on disk in the audit log before the data leaves.
#[utoipa::path(
    get,
    path = "/api/assessments/{id}",
    params(("id" = String, Path)),
    responses((status = 200, body = beratta_core::api::AssessmentRecord)),
)]
pub async fn view(inviter: Inviter, path: web::Path<String>) -> Result<web::Json<AssessmentRecord>, ApiError> {
    let id = path.into_inner();
    let (record, audited) = off_worker(inviter, move |inviter| {
        let readable = inviter.readable_assessment(&id)?;
        let staff = inviter.staff();
        staff.audit(AuditAction::ChildDataViewed, Some(readable.id()))?;
        Ok((readable.assessment().record(true), staff.state().store.durable()))
    })
    .await?;
    audited.wait().await?;
    Ok(web::Json(record))
}

/// `PUT /api/assessments/{id}/help`: the next help status (counter = stored + 1), sealed
/// under the assessment's data key so the child can read it too. Acknowledged once on disk.
#[utoipa::path(
    put,
    path = "/api/assessments/{id}/help",
    params(("id" = String, Path)),
    request_body = beratta_core::api::SealedHelp,
    responses((status = 200, body = beratta_core::api::SaveReceipt)),
)]
pub async fn set_help(
    inviter: Inviter,
    path: web::Path<String>,
    body: web::Json<SealedHelp>,
) -> Result<web::Json<SaveReceipt>, ApiError> {
    let id = path.into_inner();
    let help = body.into_inner();
    if help.blob.0.len() > limits::MAX_HELP_BYTES {
        return Err(ApiError::TooLarge);
    }
    if help.blob.0.len() < MIN_BLOB_LEN {
        return Err(ApiError::Invalid("the help status is too short to be a real encryption"));
    }
    let counter = help.counter;
    let on_disk = off_worker(inviter, move |inviter| {
        let readable = inviter.readable_assessment(&id)?;
        let staff = inviter.staff();
        match staff.state().store.save_help(readable.id(), help)? {
            SaveOutcome::Saved => {
                staff.audit(AuditAction::HelpStatusChanged, Some(readable.id()))?;
                // After both writes, so that one flush covers the status and its record.
                Ok(staff.state().store.durable())
            }
            SaveOutcome::Stale => Err(ApiError::StaleHelp),
            SaveOutcome::NoAssessment => Err(ApiError::NotFound),
            SaveOutcome::Misfit(why) => Err(ApiError::Invalid(why)),
        }
    })
    .await?;
    on_disk.wait().await?;
    Ok(web::Json(SaveReceipt { counter }))
}
