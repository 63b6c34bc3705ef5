//! The audit log as a hash chain: each record carries the hash of the one before, so an
//! edited, removed or reordered record breaks the chain at a place that can be named.
//! The server appends and stores; this module says what a record's hash is and checks a
//! chain, so the same rules run in the server's `verify-audit` command and in tests.

use crate::bytes::Bytes;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const HASH_LEN: usize = 32;

/// What happened.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    StaffLogin,
    StaffLoginFailed,
    StaffLogout,
    ChildLogin,
    ChildLoginFailed,
    OrganisationCreated,
    StaffAdded,
    StaffEnrolled,
    StaffChanged,
    UnitAdded,
    InvitationCreated,
    InvitationRevoked,
    ChildDataViewed,
    HelpStatusChanged,
    /// The list's statuses were opened: one record per view of the list of children.
    StatusesViewed,
    /// A child was given a new code for the same assessment; the old one stopped working.
    ChildCodeReplaced,
    AuditViewed,
    AccessDenied,
    /// An administrator moved a colleague to another unit (or out of every unit).
    StaffMoved,
    /// An administrator restored their access with the organisation's recovery key.
    RecoveryUsed,
    /// A recovery key that did not match was tried for an administrator's account.
    RecoveryFailed,
    /// A round was created (subject: the round).
    RoundCreated,
    /// An intervention was created (subject: the intervention).
    InterventionCreated,
    /// A round's page with its counts was read (subject: the round).
    RoundViewed,
    /// An administrator's browser made the organisation's statistics key.
    StatisticsKeyCreated,
    /// An administrator granted a colleague the statistics key.
    StatisticsKeyGranted,
    /// An administrator took a colleague's copy of the statistics key away.
    StatisticsKeyRevoked,
    /// A page of a round's sealed statistics records was fetched (subject: the round).
    StatisticsRecordsViewed,
    /// An administrator made a kiosk for an anonymous round (subject: the kiosk).
    KioskCreated,
    /// A browser took a kiosk's registration link and now keeps its device token.
    KioskRegistered,
    /// An administrator took a kiosk out of use.
    KioskRevoked,
    /// "Start" on a kiosk began a fresh anonymous assessment (subject: the kiosk).
    KioskStarted,
    /// A round was closed and its release frozen (subject: the round).
    RoundClosed,
    /// A statistics-key holder's browser opened a group picture (subject: the rounds, the
    /// breakdown and the view; never a figure).
    GroupPictureOpened,
    /// An administrator or analyst added a resource to the register (subject: the resource).
    ResourceCreated,
    /// A resource of the register was changed (subject: the resource).
    ResourceChanged,
    /// A resource was taken out of the register (subject: the resource).
    ResourceRemoved,
    /// A CSV file replaced the whole register (subject: how many resources it holds).
    ResourcesImported,
    /// The organisation's threshold for a high need was set or taken away (subject: the
    /// percent, or `none`).
    NeedsThresholdSet,
    /// A statistics-key holder chose the priority factors of a release (subject: the
    /// year and the factors; the rationale stays in the register of priorities).
    PrioritiesSet,
}

impl AuditAction {
    /// Every action, in the order the administrator's filter lists them.
    pub const ALL: [AuditAction; 38] = [
        AuditAction::StaffLogin,
        AuditAction::StaffLoginFailed,
        AuditAction::StaffLogout,
        AuditAction::ChildLogin,
        AuditAction::ChildLoginFailed,
        AuditAction::OrganisationCreated,
        AuditAction::StaffAdded,
        AuditAction::StaffEnrolled,
        AuditAction::StaffChanged,
        AuditAction::StaffMoved,
        AuditAction::UnitAdded,
        AuditAction::InvitationCreated,
        AuditAction::InvitationRevoked,
        AuditAction::ChildDataViewed,
        AuditAction::HelpStatusChanged,
        AuditAction::AuditViewed,
        AuditAction::AccessDenied,
        AuditAction::RecoveryUsed,
        AuditAction::RecoveryFailed,
        AuditAction::RoundCreated,
        AuditAction::InterventionCreated,
        AuditAction::RoundViewed,
        AuditAction::StatisticsKeyCreated,
        AuditAction::StatisticsKeyGranted,
        AuditAction::StatisticsKeyRevoked,
        AuditAction::StatisticsRecordsViewed,
        AuditAction::KioskCreated,
        AuditAction::KioskRegistered,
        AuditAction::KioskRevoked,
        AuditAction::KioskStarted,
        AuditAction::RoundClosed,
        AuditAction::GroupPictureOpened,
        AuditAction::ResourceCreated,
        AuditAction::ResourceChanged,
        AuditAction::ResourceRemoved,
        AuditAction::ResourcesImported,
        AuditAction::NeedsThresholdSet,
        AuditAction::PrioritiesSet,
    ];

    /// The action a stable name names (the inverse of [`AuditAction::name`]).
    pub fn from_name(name: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            AuditAction::StaffLogin => "staff_login",
            AuditAction::StaffLoginFailed => "staff_login_failed",
            AuditAction::StaffLogout => "staff_logout",
            AuditAction::ChildLogin => "child_login",
            AuditAction::ChildLoginFailed => "child_login_failed",
            AuditAction::OrganisationCreated => "organisation_created",
            AuditAction::StaffAdded => "staff_added",
            AuditAction::StaffEnrolled => "staff_enrolled",
            AuditAction::StaffChanged => "staff_changed",
            AuditAction::UnitAdded => "unit_added",
            AuditAction::InvitationCreated => "invitation_created",
            AuditAction::InvitationRevoked => "invitation_revoked",
            AuditAction::ChildDataViewed => "child_data_viewed",
            AuditAction::HelpStatusChanged => "help_status_changed",
            AuditAction::StatusesViewed => "statuses_viewed",
            AuditAction::ChildCodeReplaced => "child_code_replaced",
            AuditAction::AuditViewed => "audit_viewed",
            AuditAction::AccessDenied => "access_denied",
            AuditAction::StaffMoved => "staff_moved",
            AuditAction::RecoveryUsed => "recovery_used",
            AuditAction::RecoveryFailed => "recovery_failed",
            AuditAction::RoundCreated => "round_created",
            AuditAction::InterventionCreated => "intervention_created",
            AuditAction::RoundViewed => "round_viewed",
            AuditAction::StatisticsKeyCreated => "statistics_key_created",
            AuditAction::StatisticsKeyGranted => "statistics_key_granted",
            AuditAction::StatisticsKeyRevoked => "statistics_key_revoked",
            AuditAction::StatisticsRecordsViewed => "statistics_records_viewed",
            AuditAction::KioskCreated => "kiosk_created",
            AuditAction::KioskRegistered => "kiosk_registered",
            AuditAction::KioskRevoked => "kiosk_revoked",
            AuditAction::KioskStarted => "kiosk_started",
            AuditAction::RoundClosed => "round_closed",
            AuditAction::GroupPictureOpened => "group_picture_opened",
            AuditAction::ResourceCreated => "resource_created",
            AuditAction::ResourceChanged => "resource_changed",
            AuditAction::ResourceRemoved => "resource_removed",
            AuditAction::ResourcesImported => "resources_imported",
            AuditAction::NeedsThresholdSet => "needs_threshold_set",
            AuditAction::PrioritiesSet => "priorities_set",
        }
    }
}

/// A record before it joins the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEvent {
    pub at_unix: u64,
    pub organisation: String,
    /// Who acted: a staff id, `child:{assessment}`, or `anonymous`.
    pub actor: String,
    pub action: AuditAction,
    /// What it was done to: an assessment, a staff id, a route.
    pub subject: Option<String>,
}

/// A record in the chain.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// 1 for the first record, then one more each time.
    pub seq: u64,
    pub at_unix: u64,
    pub organisation: String,
    pub actor: String,
    pub action: AuditAction,
    pub subject: Option<String>,
    /// The previous record's hash (zeros for the first).
    pub prev: Bytes,
    /// SHA-256 over everything above, length-prefixed.
    pub hash: Bytes,
}

impl AuditEntry {
    /// Appends `event` after `previous` (or starts the chain).
    pub fn append(previous: Option<&AuditEntry>, event: AuditEvent) -> AuditEntry {
        let seq = previous.map_or(1, |p| p.seq + 1);
        let prev = previous.map_or(Bytes(vec![0; HASH_LEN]), |p| p.hash.clone());
        let mut entry = AuditEntry {
            seq,
            at_unix: event.at_unix,
            organisation: event.organisation,
            actor: event.actor,
            action: event.action,
            subject: event.subject,
            prev,
            hash: Bytes(Vec::new()),
        };
        entry.hash = Bytes(entry.computed_hash().to_vec());
        entry
    }

    /// The hash of this record's content, whatever its `hash` field says.
    pub fn computed_hash(&self) -> [u8; HASH_LEN] {
        let mut h = Sha256::new();
        h.update(b"beratta/audit/v1");
        h.update(self.seq.to_be_bytes());
        h.update(self.at_unix.to_be_bytes());
        for field in [
            Some(self.organisation.as_str()),
            Some(self.actor.as_str()),
            Some(self.action.name()),
            self.subject.as_deref(),
        ] {
            match field {
                Some(f) => {
                    h.update([1]);
                    h.update((f.len() as u32).to_be_bytes());
                    h.update(f.as_bytes());
                }
                None => h.update([0]),
            }
        }
        h.update(&self.prev.0);
        h.finalize().into()
    }
}

/// Where a chain breaks: the first record that is not what it should be.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("record {seq} has been altered: its content does not match its hash")]
    Altered { seq: u64 },
    #[error("record {expected} is missing (the next record found is {found})")]
    Missing { expected: u64, found: u64 },
    #[error("record {seq} does not follow record {previous}: its link to the previous hash is wrong")]
    Unlinked { seq: u64, previous: u64 },
    #[error("the log ends at record {last}, but the head says it has {head} records: the newest are missing")]
    Truncated { last: u64, head: u64 },
}

/// Checks a whole chain, in order, against the head (the newest record's seq and hash,
/// stored apart from the records). Returns the number of records.
pub fn verify_chain<'a>(
    entries: impl IntoIterator<Item = &'a AuditEntry>,
    head: Option<(u64, &[u8])>,
) -> Result<u64, ChainBreak> {
    let mut previous: Option<&AuditEntry> = None;
    for entry in entries {
        let expected = previous.map_or(1, |p| p.seq + 1);
        if entry.seq != expected {
            return Err(ChainBreak::Missing { expected, found: entry.seq });
        }
        if entry.computed_hash().as_slice() != entry.hash.0.as_slice() {
            return Err(ChainBreak::Altered { seq: entry.seq });
        }
        let link: &[u8] = previous.map_or(&[0; HASH_LEN], |p| p.hash.0.as_slice());
        if entry.prev.0 != link {
            return Err(ChainBreak::Unlinked { seq: entry.seq, previous: expected - 1 });
        }
        previous = Some(entry);
    }
    let last = previous.map_or(0, |p| p.seq);
    if let Some((head_seq, head_hash)) = head {
        if head_seq > last {
            return Err(ChainBreak::Truncated { last, head: head_seq });
        }
        if head_seq == last && previous.is_some_and(|p| p.hash.0 != head_hash) {
            return Err(ChainBreak::Altered { seq: last });
        }
    }
    Ok(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: u64) -> Vec<AuditEntry> {
        let mut out: Vec<AuditEntry> = Vec::new();
        for i in 0..n {
            let event = AuditEvent {
                at_unix: 1_700_000_000 + i,
                organisation: "org".into(),
                actor: format!("staff-{i}"),
                action: AuditAction::ChildDataViewed,
                subject: Some(format!("as-{i}")),
            };
            let next = AuditEntry::append(out.last(), event);
            out.push(next);
        }
        out
    }

    fn head(c: &[AuditEntry]) -> Option<(u64, &[u8])> {
        c.last().map(|e| (e.seq, e.hash.0.as_slice()))
    }

    #[test]
    fn an_untouched_chain_verifies() {
        let c = chain(5);
        assert_eq!(verify_chain(&c, head(&c)), Ok(5));
        assert_eq!(verify_chain(&[], None), Ok(0));
    }

    #[test]
    fn an_edited_record_is_named() {
        let c = chain(5);
        let h = (c[4].seq, c[4].hash.0.clone());
        let mut edited = c.clone();
        edited[2].actor = "someone-else".into();
        assert_eq!(verify_chain(&edited, Some((h.0, &h.1))), Err(ChainBreak::Altered { seq: 3 }));
        // Rehashing the edited record does not help: the next record's link breaks.
        edited[2].hash = Bytes(edited[2].computed_hash().to_vec());
        assert_eq!(verify_chain(&edited, Some((h.0, &h.1))), Err(ChainBreak::Unlinked { seq: 4, previous: 3 }));
    }

    #[test]
    fn a_deleted_record_is_named() {
        let c = chain(5);
        let h = (c[4].seq, c[4].hash.0.clone());
        let mut gap = c.clone();
        gap.remove(1);
        assert_eq!(verify_chain(&gap, Some((h.0, &h.1))), Err(ChainBreak::Missing { expected: 2, found: 3 }));
        let mut tail = c.clone();
        tail.pop();
        assert_eq!(verify_chain(&tail, Some((h.0, &h.1))), Err(ChainBreak::Truncated { last: 4, head: 5 }));
    }

    #[test]
    fn every_action_has_its_own_name_and_reads_back_from_it() {
        let names: std::collections::HashSet<&str> = AuditAction::ALL.iter().map(|a| a.name()).collect();
        assert_eq!(names.len(), AuditAction::ALL.len());
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::from_name(action.name()), Some(action));
            // The wire name is the same one the hash covers.
            assert_eq!(serde_json::to_value(action).unwrap(), serde_json::json!(action.name()));
        }
        assert_eq!(AuditAction::from_name("nothing"), None);
    }

    #[test]
    fn every_field_is_covered_by_the_hash() {
        let base = chain(1).remove(0);
        let variants = [
            AuditEntry { at_unix: base.at_unix + 1, ..base.clone() },
            AuditEntry { organisation: "other".into(), ..base.clone() },
            AuditEntry { action: AuditAction::StaffLogin, ..base.clone() },
            AuditEntry { subject: None, ..base.clone() },
            AuditEntry { prev: Bytes(vec![1; HASH_LEN]), ..base.clone() },
        ];
        for v in variants {
            assert_ne!(v.computed_hash(), base.computed_hash(), "{v:?}");
        }
    }
}
