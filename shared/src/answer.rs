//! An answer as the child gives it and as it is stored. A leaf: it imports nothing else of
//! the crate, so both the engine and the rule language read it without reading each other.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// An answer as stored: option ids, never display text, so it reads the same in any
/// language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Choice(String),
    Choices(BTreeSet<String>),
    Text(String),
    /// The child chose not to answer.
    Declined,
}
