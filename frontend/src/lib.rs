//! Berätta's browser app, as a view over `beratta-core`, built as two binaries from this
//! library so that children download only their own app: `beratta-web` renders
//! [`child::App`] at `/`, `beratta-staff` renders [`staff::Root`] at `/staff/`. Each binary
//! names only its own root, so link-time optimisation drops the other side's code.

pub mod api;
mod buddy;
pub mod child;
mod finish;
mod focus;
mod forget;
mod help;
mod help_status;
mod i18n;
mod i18n_ar;
mod idle;
mod login;
mod progress;
mod question;
mod queue;
mod quick_exit;
mod save;
mod save_status;
mod speech;
pub mod staff;
mod start;
mod state;
