//! Counters of what the server refused without knowing who asked.
//!
//! A refusal of a request that carries no identity (an unknown code, a locked code, no
//! session, an unknown one-time link) belongs to nobody's audit trail, and appending each
//! one would let any stranger grow the audit log without bound. They are counted here
//! instead, in memory, and the server logs the counts once a minute when they changed.

use std::sync::atomic::{AtomicU64, Ordering};

/// What was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A child login with a lookup that names no invitation.
    UnknownChildCode,
    /// A child login for a code already locked by wrong tries.
    LockedChildCode,
    /// A staff login with a username that has no usable account.
    UnknownStaffLogin,
    /// A staff request without a live session.
    NoStaffSession,
    /// A set-up or enrolment link that opens nothing.
    UnknownLink,
}

impl Refusal {
    const ALL: [Refusal; 5] = [
        Refusal::UnknownChildCode,
        Refusal::LockedChildCode,
        Refusal::UnknownStaffLogin,
        Refusal::NoStaffSession,
        Refusal::UnknownLink,
    ];

    fn name(self) -> &'static str {
        match self {
            Refusal::UnknownChildCode => "unknown_child_code",
            Refusal::LockedChildCode => "locked_child_code",
            Refusal::UnknownStaffLogin => "unknown_staff_login",
            Refusal::NoStaffSession => "no_staff_session",
            Refusal::UnknownLink => "unknown_link",
        }
    }
}

/// The counts since the server started.
#[derive(Debug, Default)]
pub struct Refusals([AtomicU64; 5]);

impl Refusals {
    pub fn count(&self, refusal: Refusal) {
        self.0[refusal as usize].fetch_add(1, Ordering::Relaxed);
    }

    pub fn get(&self, refusal: Refusal) -> u64 {
        self.0[refusal as usize].load(Ordering::Relaxed)
    }

    /// One line with every count, e.g. `unknown_child_code=3 locked_child_code=0 ...`.
    pub fn summary(&self) -> String {
        Refusal::ALL.iter().map(|r| format!("{}={}", r.name(), self.get(*r))).collect::<Vec<_>>().join(" ")
    }

    /// The sum of all counts, to tell whether anything changed since the last log line.
    pub fn total(&self) -> u64 {
        Refusal::ALL.iter().map(|r| self.get(*r)).sum()
    }
}
