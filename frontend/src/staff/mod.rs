//! The staff side of the app: logging in, the organisation's set-up, colleagues' enrolment,
//! inviting children, printing their cards, reading a child's summary and the
//! administrator's pages. Routes live in the URL fragment (`#/staff/…`), which browsers
//! never send to a server, so a key in an enrolment link stays in the browser.
//!
//! [`Route`] is every staff page (`route`); [`StaffApp`] holds the one switch over it and
//! [`Root`] is what the `beratta-staff` binary renders at `/staff/` (`shell`). The pages
//! reach the language, the person signed in and the organisation's secret key, held only in
//! memory, through the `context`, and share their scaffold in `page`. Nothing here imports
//! the child's app (`crate::child`); what both use is in `crate::common`.

mod admin;
mod audit;
mod cards;
mod children;
mod context;
mod enrol;
mod idle;
mod invite;
mod keep;
mod keys;
mod kiosks;
mod login;
mod needs_views;
mod overview;
mod page;
mod picture;
mod picture_model;
mod picture_views;
mod recover;
mod resources;
mod rounds;
mod route;
mod setup;
mod shares;
mod shell;
mod statistics_key;
mod summary;
mod texts;

pub use route::Route;
pub use shell::{Root, StaffApp};
