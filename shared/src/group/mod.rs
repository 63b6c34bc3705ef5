//! The group picture's arithmetic: figures over opened statistics records, and the
//! uncertainty around them. Pure; the analyst's browser calls it.

pub mod aggregate;
pub mod gate;
pub mod interval;
pub mod key;

pub use aggregate::aggregate;
pub use gate::{disclose, Disclosed, Figure, Mark, Rules, Shown};
pub use key::{Breakdown, Group, Measure};

#[cfg(test)]
mod tests;
