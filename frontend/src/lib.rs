//! Berätta's browser app, as a view over `beratta-core`, built as two binaries from this
//! library so that children download only their own app: `beratta-web` renders
//! [`child::App`] at `/`, `beratta-staff` renders [`staff::Root`] at `/staff/`. Each binary
//! names only its own root, so link-time optimisation drops the other side's code.
//!
//! The modules are rooms by audience: [`child`] and [`staff`] never import each other, and
//! what both use is in [`common`] (a tidy test in `beratta-core` checks this).

pub mod child;
pub mod common;
pub mod staff;
