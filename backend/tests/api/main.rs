//! The server's integration tests, built into one binary. Each test runs in its own
//! temporary directory with its own database, and goes through `build_app`, the same
//! builder `main` uses.

mod support;

mod access_matrix;
mod admin_pages;
mod answers;
mod audit_log;
mod backup;
mod bodies;
mod class;
mod demo_municipality;
mod enrolment;
mod frontend;
mod fuzzed_bodies;
mod headers;
mod health;
mod hostile;
mod invitations;
mod kiosks;
mod login;
mod lookups;
mod metrics;
mod origin;
mod process;
mod questionnaires;
mod recovery;
mod releases;
mod resources;
mod rounds;
mod session;
mod setup;
mod staff_login;
mod statistics;
mod status_codes;
mod store;
