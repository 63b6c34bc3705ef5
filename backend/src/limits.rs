//! The numbers that bound what a client can do, in one place so they can be read and
//! argued about together. SECURITY.md explains the login limits against the code's entropy.

/// Wrong codes after which an invitation's code stops working for good. With 9 secret
/// characters (about 40.7 bits) ten guesses give an attacker a chance of about 6 in 10^12.
pub const MAX_FAILED_LOGINS: u32 = 10;

/// Wrong codes one client network may send per window, across all invitations, so that
/// nobody can lock a whole class's codes or walk the lookup space quickly.
pub const MAX_CLIENT_FAILURES: u32 = 30;
pub const CLIENT_WINDOW_SECS: u64 = 15 * 60;

/// A child's session ends after this long without a request ...
pub const SESSION_IDLE_SECS: u64 = 30 * 60;
/// ... and in any case this long after login, so a shared Chromebook left logged in does
/// not stay open into the next day.
pub const SESSION_MAX_SECS: u64 = 12 * 60 * 60;

/// The largest sealed answer blob accepted. A finished questionnaire is a few kilobytes,
/// so this leaves room for long free-text answers while bounding what one child can store.
pub const MAX_BLOB_BYTES: usize = 256 * 1024;

/// The largest JSON body of a save: the blob in base64 (4/3 of its size) plus the keys.
pub const MAX_SAVE_BODY_BYTES: usize = 512 * 1024;

/// The largest JSON body anywhere else; a login is well under a kilobyte.
pub const MAX_JSON_BODY_BYTES: usize = 16 * 1024;

/// How often expired sessions and ended client windows are swept away.
pub const SWEEP_EVERY_SECS: u64 = 10 * 60;
