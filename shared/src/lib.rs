//! Berätta's domain: everything that decides something, as pure functions over data.
//!
//! This crate does no I/O, reads no clock and draws no randomness it is not handed, so the
//! same code runs natively in tests, in the browser (wasm32) and in the server. See
//! `ARCHITECTURE.md` at the repository root for the map and its invariants.

pub mod answer;
pub mod api;
pub mod audit;
pub mod bytes;
pub mod catalogue;
pub mod change;
pub mod child;
pub mod engine;
pub mod envelope;
pub mod group;
pub mod help;
pub mod login;
pub mod needs;
pub mod questionnaire;
pub mod report;
pub mod resources;
pub mod scoring;
pub mod staff;
pub mod statistics;
pub mod status;
pub mod summary;
pub mod synthetic;
pub mod text;

pub use answer::Answer;
pub use catalogue::{Catalogue, Factor, FactorKind, Level};
pub use engine::{Action, EngineError, Position, Session, SessionView};
pub use questionnaire::{Item, Kind, Questionnaire, ValidationError};
pub use scoring::{score, FactorProfile};
