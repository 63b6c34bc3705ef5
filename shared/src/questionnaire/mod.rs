//! Questionnaires, parsed in two stages: `raw` is the file as serde reads it, trusted for
//! nothing; `validate` checks it against the factor catalogue and gives the `model`, a
//! [`Questionnaire`] that cannot represent a broken file, or every [`Problem`] at once.
//! `rule` is the `show_if` language, `reach` finds items that no answers can show, `draft`
//! lays unreviewed translations over an instrument and `library` loads the whole folder.
//! `picture` names the pictures the app ships for answer options.
//!
//! This file is only the map: the public paths (`questionnaire::Questionnaire`, …) are
//! re-exports, and no module below imports through them.

pub mod draft;
pub mod library;
mod model;
pub mod picture;
mod problem;
pub mod raw;
mod reach;
pub mod rule;
mod validate;

pub use model::{Choice, Item, Kind, Origin, Questionnaire, Section, Step};
pub use picture::Picture;
pub use problem::{Problem, ValidationError};
pub use raw::Bbic;

#[cfg(test)]
pub(crate) mod tests;
