//! The group picture's arithmetic: figures over opened statistics records, and the
//! uncertainty around them. Pure; the analyst's browser calls it.

pub mod aggregate;
pub mod compare;
pub mod gate;
pub mod interval;
pub mod key;
pub mod picture;

pub use aggregate::aggregate;
pub use compare::{before_after, between_releases, BeforeAfter, Change, Compared};
pub use gate::{disclose, Disclosed, Figure, Mark, Rules, Shown};
pub use key::{Breakdown, Cohort, Group, Measure, Transition};

#[cfg(test)]
mod tests;
