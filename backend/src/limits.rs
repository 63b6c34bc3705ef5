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
/// How stale a session's last-seen time may get before a request rewrites it: the idle
/// timeout is kept to within this, and saves seconds apart cost one write, not two.
pub const SESSION_TOUCH_EVERY_SECS: u64 = 60;

/// The largest sealed answer blob accepted. A finished questionnaire is a few kilobytes,
/// so this leaves room for long free-text answers while bounding what one child can store.
pub const MAX_BLOB_BYTES: usize = 256 * 1024;

/// The largest JSON body of a save: the blob in base64 (4/3 of its size) plus the keys.
pub const MAX_SAVE_BODY_BYTES: usize = 512 * 1024;

/// The largest JSON body anywhere else; a login is well under a kilobyte.
pub const MAX_JSON_BODY_BYTES: usize = 16 * 1024;

/// The largest import of the resources register: a CSV file of at most
/// `resources::file::MAX_BYTES` (1 MiB), which JSON may lengthen by escaping quotes and
/// line breaks. A larger body (a 10 MB file, say) is 413 `too_large`, unread.
pub const MAX_RESOURCES_IMPORT_BODY_BYTES: usize = 2 * 1024 * 1024 + 4096;

/// How often the counts of refusals without identity (see `metrics`) are logged, when
/// they changed.
pub const REFUSAL_LOG_EVERY_SECS: u64 = 60;
/// The longest a request body may take to arrive, counted from the end of its head. A
/// save is at most half a megabyte, a few seconds on the slowest school network; a client
/// that dribbles a body a byte at a time is cut off with 408 after this, so it cannot keep
/// a connection and a handler waiting for as long as it likes (slowloris on the body).
pub const BODY_TIMEOUT_SECS: u64 = 30;

/// The longest a request head may take to arrive (actix's `client_request_timeout`). A
/// browser sends a head in one go; only a slowloris client needs longer. actix times only
/// the first head on a connection (see SECURITY.md, "Slow clients").
pub const HEAD_TIMEOUT_SECS: u64 = 10;

/// How long an idle connection is kept open for the browser's next request.
pub const KEEP_ALIVE_SECS: u64 = 15;

/// How long a connection that is being closed waits for the client to close its side
/// (actix's `client_disconnect_timeout`), after which it is dropped.
pub const DISCONNECT_TIMEOUT_SECS: u64 = 2;

/// How often expired sessions and ended client windows are swept away, and rounds whose
/// last day has passed are closed.
pub const SWEEP_EVERY_SECS: u64 = 10 * 60;

/// Wrong passwords one username may get per window before it is locked until the window
/// ends. Unknown usernames are counted and locked the same way, so the lock does not tell
/// which exist; a time lock rather than a permanent one, so that nobody can lock a
/// colleague out for good by typing their username.
pub const MAX_FAILED_STAFF_LOGINS: u32 = 10;
pub const STAFF_LOCK_SECS: u64 = 15 * 60;

/// How long the set-up link `create-org` prints, and an enrolment link, stay valid.
pub const SETUP_TOKEN_SECS: u64 = 7 * 24 * 60 * 60;
pub const ENROLMENT_SECS: u64 = 7 * 24 * 60 * 60;

/// The longest a child's code may stay valid, in days.
pub const MAX_INVITATION_DAYS: u32 = 90;
/// How long codes made by the `demo` command stay valid.
pub const DEMO_INVITATION_DAYS: u32 = 90;

/// Children per invitation request: a large class, with room.
pub const MAX_BATCH_CHILDREN: usize = 100;

/// How long a lookup the server drew for a staff member stays reserved for them. Making a
/// class's codes takes a browser about a second per child, so an hour leaves room for a
/// slow machine and a retry; an unused reservation then frees itself.
pub const LOOKUP_RESERVATION_SECS: u64 = 60 * 60;
/// Reserved lookups one staff member may hold at once: three full batches, so that a
/// failed send can be retried, while nobody can reserve a real share of the 23^4 lookups.
pub const MAX_RESERVED_LOOKUPS: usize = 3 * MAX_BATCH_CHILDREN;
/// Lookups one staff member may have drawn per window, used or not. Drawing many and
/// noting which never come up would slowly show which lookups are in use elsewhere (about
/// 23^4 × ln 23^4 ≈ 3.5 million draws to see them all); this keeps that to years per
/// account, while a counsellor inviting a whole school in a day stays well inside it.
pub const MAX_LOOKUPS_DRAWN: u32 = 1000;
pub const LOOKUP_DRAW_WINDOW_SECS: u64 = 24 * 60 * 60;
/// The largest body of an invitation request: each child's salt, proof and sealed note.
pub const MAX_BATCH_BODY_BYTES: usize = 256 * 1024;
/// The largest sealed note (a name or a short remark, sealed to the organisation).
pub const MAX_NOTE_BYTES: usize = 1024;

/// The largest sealed help status, and the largest body that carries one.
pub const MAX_HELP_BYTES: usize = 64 * 1024;
pub const MAX_HELP_BODY_BYTES: usize = 128 * 1024;

/// Audit records per page of `GET /api/admin/audit`.
pub const AUDIT_PAGE: usize = 500;

/// The most Argon2id cost a browser may be asked to pay for a code or a password. The
/// floor is `KdfParams::STANDARD`; the ceiling keeps a mistaken client from making codes
/// no child's Chromebook can derive.
pub const MAX_KDF_MEMORY_KIB: u32 = 256 * 1024;
pub const MAX_KDF_ITERATIONS: u32 = 16;
pub const MAX_KDF_PARALLELISM: u32 = 8;

/// Sealed statistics records per page of `GET /api/statistics/rounds/{round}/records`, on
/// average (a page is one of the round's buckets, so its size varies around this). About
/// 300 bytes of JSON each: a page is a few hundred kilobytes, and 100,000 records take
/// about a hundred pages.
pub const STATISTICS_PAGE: u64 = 1_000;

/// The most pages a round's records are cut into, whatever a cursor says.
pub const MAX_STATISTICS_PAGES: u32 = 100_000;

/// "Start"s one kiosk may make per window. A young person takes minutes to answer, so this
/// is far above honest use at a youth centre, and bounds how many empty assessments a
/// misused kiosk (or a script holding its device token) can make: about 4,300 a day.
pub const MAX_KIOSK_STARTS: u32 = 30;
pub const KIOSK_WINDOW_SECS: u64 = 10 * 60;

/// How long a kiosk's registration link works before a browser must have taken it.
pub const KIOSK_REGISTRATION_SECS: u64 = 24 * 60 * 60;

/// How long a kiosk's device cookie lasts in its browser: a school year and a summer. An
/// administrator revokes a kiosk at once when needed; the cookie then opens nothing.
pub const KIOSK_COOKIE_SECS: u64 = 400 * 24 * 60 * 60;

/// The most rounds one group picture may be made of (`POST /api/statistics/openings`): a
/// trend over years of a municipality's areas and school years, with room to spare.
pub const MAX_PICTURE_ROUNDS: usize = 500;

/// How long a stopping server (SIGTERM, SIGINT) waits for requests under way, saves among
/// them, before it closes their connections. It accepts no new ones meanwhile.
pub const SHUTDOWN_GRACE_SECS: u64 = 30;
