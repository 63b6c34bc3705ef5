//! What the list of children shows of each child without opening any answers: the status
//! the child's browser sealed with its newest save, opened here with the organisation key,
//! and how many help wishes are not yet handled (from the help status, under the data key).
//! Also the counts on the start page. Pure functions over what the server sent, so they are
//! tested natively.

use beratta_core::api::StatusEntry;
use beratta_core::envelope::OrgSecretKey;
use beratta_core::help::{open_help, HelpState};
use beratta_core::status::{open_status, AssessmentStatus};

/// What is known of one child's progress.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seen {
    /// Nothing saved yet.
    Invited,
    /// Saved before statuses existed: started, but whether urgent is not known until the
    /// next save.
    Pending,
    /// A status is stored but did not open (altered, or moved from another child).
    Unreadable,
    Known(AssessmentStatus),
}

/// One child's row, as far as the statuses tell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChildState {
    pub seen: Seen,
    /// Help wishes with no help entry marked handled; `None` when not known.
    pub unhandled: Option<u8>,
}

impl ChildState {
    pub fn urgent(&self) -> bool {
        matches!(self.seen, Seen::Known(AssessmentStatus { urgent: true, .. }))
    }
}

/// Opens one child's status and counts its unhandled help wishes.
pub fn open(org_key: &OrgSecretKey, organisation: &str, entry: &StatusEntry) -> ChildState {
    let seen = match &entry.status {
        _ if entry.counter == 0 => Seen::Invited,
        None => Seen::Pending,
        Some(blob) => match open_status(org_key, organisation, &entry.assessment, entry.counter, &blob.0) {
            Ok(status) => Seen::Known(status),
            Err(_) => Seen::Unreadable,
        },
    };
    let unhandled = match &seen {
        Seen::Known(status) => handled(org_key, organisation, entry).map(|h| status.help_wishes.saturating_sub(h)),
        Seen::Invited => Some(0),
        Seen::Pending | Seen::Unreadable => None,
    };
    ChildState { seen, unhandled }
}

/// How many help entries staff have marked handled; `None` when the help status is stored
/// but does not open.
fn handled(org_key: &OrgSecretKey, organisation: &str, entry: &StatusEntry) -> Option<u8> {
    let Some(help) = &entry.help else { return Some(0) };
    let data_key = org_key.open_data_key(&entry.org_sealed_key.as_ref()?.0).ok()?;
    let status = open_help(&data_key, organisation, &entry.assessment, help.counter, &help.blob.0).ok()?;
    let count = status.entries.values().filter(|e| e.state == HelpState::Handled).count();
    Some(u8::try_from(count).unwrap_or(u8::MAX))
}

/// The start page's counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Overview {
    /// Children with an urgent answer.
    pub urgent: usize,
    /// Children with at least one help wish not yet handled.
    pub unhandled: usize,
    /// Children whose status is not known (saved before statuses, or unreadable).
    pub unknown: usize,
}

pub fn overview<'a>(states: impl IntoIterator<Item = &'a ChildState>) -> Overview {
    states.into_iter().fold(Overview::default(), |mut o, s| {
        o.urgent += usize::from(s.urgent());
        o.unhandled += usize::from(s.unhandled.is_some_and(|n| n > 0));
        o.unknown += usize::from(matches!(s.seen, Seen::Pending | Seen::Unreadable));
        o
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use beratta_core::api::{Bytes, SealedHelp};
    use beratta_core::envelope::SymmetricKey;
    use beratta_core::help::{seal_help, HelpStatus};
    use beratta_core::status::{seal_status, Progress};
    use rand_core::OsRng;

    fn status(urgent: bool, help_wishes: u8) -> AssessmentStatus {
        AssessmentStatus { progress: Progress::Started, urgent, help_wishes, changed_on: 20_000 }
    }

    fn entry(org: &OrgSecretKey, id: &str, counter: u64, status: Option<AssessmentStatus>) -> StatusEntry {
        StatusEntry {
            assessment: id.into(),
            counter,
            status: status.map(|s| Bytes(seal_status(&org.public_key(), "org", id, counter, &s, &mut OsRng))),
            org_sealed_key: None,
            help: None,
        }
    }

    #[test]
    fn a_child_without_saves_is_invited_and_one_saved_before_statuses_is_pending_not_calm() {
        let org = OrgSecretKey::generate(&mut OsRng);
        assert_eq!(open(&org, "org", &entry(&org, "a", 0, None)).seen, Seen::Invited);
        let old = open(&org, "org", &entry(&org, "a", 3, None));
        assert_eq!((old.seen.clone(), old.unhandled, old.urgent()), (Seen::Pending, None, false));
        assert_eq!(overview([&old]), Overview { urgent: 0, unhandled: 0, unknown: 1 });
    }

    #[test]
    fn a_status_moved_from_another_child_is_unreadable_never_calm() {
        let org = OrgSecretKey::generate(&mut OsRng);
        let mut moved = entry(&org, "a", 2, Some(status(true, 1)));
        moved.assessment = "b".into();
        assert_eq!(open(&org, "org", &moved).seen, Seen::Unreadable);
    }

    #[test]
    fn handled_help_entries_are_taken_off_the_child_s_help_wishes() {
        let org = OrgSecretKey::generate(&mut OsRng);
        let data_key = SymmetricKey::generate(&mut OsRng);
        let mut e = entry(&org, "a", 2, Some(status(true, 3)));
        e.org_sealed_key = Some(Bytes(org.public_key().seal_data_key(&data_key, &mut OsRng)));
        let mut help = HelpStatus::default();
        help.set("x".into(), HelpState::Handled, "").unwrap();
        help.set("y".into(), HelpState::Planned, "").unwrap();
        e.help = Some(SealedHelp { counter: 1, blob: Bytes(seal_help(&data_key, "org", "a", 1, &help, &mut OsRng)) });
        let state = open(&org, "org", &e);
        assert_eq!((state.urgent(), state.unhandled), (true, Some(2)));
        let calm = open(&org, "org", &entry(&org, "b", 1, Some(status(false, 0))));
        assert_eq!(overview([&state, &calm]), Overview { urgent: 1, unhandled: 1, unknown: 0 });
    }
}
