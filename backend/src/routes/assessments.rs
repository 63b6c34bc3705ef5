//! Invitations and the children's assessments, for staff. Every handler takes an
//! [`Inviter`] (staff and administrators; analysts never see an individual), and reaches
//! an existing child only through [`Inviter::readable_assessment`] or
//! [`Inviter::readable_assessments`].
//!
//! The staff browser makes each child's code and derives its login proof; the server gets
//! the public lookup, the salt and cost, the proof (kept only as a keyed verifier) and the
//! child's name sealed to the organisation. It never sees the code or the name.

use crate::access::Inviter;
use crate::error::ApiError;
use crate::limits;
use crate::records::Assessment;
use crate::routes::child::{is_lookup, MIN_BLOB_LEN};
use crate::staff::{kdf_acceptable, new_id};
use crate::store::{InsertOutcome, SaveOutcome};
use actix_web::web;
use beratta_core::api::{AssessmentRecord, Bytes, InvitationBatch, NewInvitation, SaveReceipt, SealedHelp};
use beratta_core::audit::AuditAction;
use beratta_core::envelope::KEY_LEN;
use beratta_core::login::SALT_LEN;
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

/// `POST /api/invitations`: invites a batch of children, all or none. A lookup that a
/// live invitation has is refused with 409 `lookup_taken` naming it, and nothing is
/// stored; the browser makes a new code for that child and sends the batch again.
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
        })
        .collect();
    match state.store.insert_assessments(&assessments)? {
        InsertOutcome::Inserted => {}
        InsertOutcome::LookupTaken(lookup) => return Err(ApiError::LookupTaken(lookup)),
        InsertOutcome::IdTaken => return Err(ApiError::Internal("a random assessment id was taken")),
    }
    for assessment in &assessments {
        staff.audit(AuditAction::InvitationCreated, Some(&assessment.id))?;
    }
    Ok(web::Json(assessments.iter().map(|a| a.record(false)).collect()))
}

/// `GET /api/invitations`: the children this staff member may read, newest first, with
/// their sealed notes but without answers or help status, which only the audited
/// per-child view gives. Listing is not audited.
pub async fn list(inviter: Inviter) -> Result<web::Json<Vec<AssessmentRecord>>, ApiError> {
    let records = off_worker(inviter, |inviter| {
        let readable = inviter.readable_assessments()?;
        Ok(readable.iter().map(|r| r.assessment().record(false)).collect())
    });
    Ok(web::Json(records.await?))
}

/// `POST /api/invitations/{id}/revoke`: the code stops working at once and a child's open
/// session ends. Revoking twice is harmless.
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
        }
    })
    .await?;
    on_disk.wait().await?;
    Ok(web::Json(SaveReceipt { counter }))
}

/// Runs a staff member's request on the blocking pool (see [`crate::AppState::blocking`]).
async fn off_worker<T: Send + 'static>(
    inviter: Inviter,
    work: impl FnOnce(Inviter) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let state = inviter.staff().state().clone();
    state.blocking(move |_| work(inviter)).await
}
