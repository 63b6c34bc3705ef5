//! The group picture's arithmetic: figures over opened statistics records, and the
//! uncertainty around them. Pure; the analyst's browser calls it.

pub mod aggregate;
pub mod gate;
pub mod interval;

pub use aggregate::{aggregate, Breakdown, Group, Measure};
pub use gate::{disclose, Disclosed, Figure, Mark, Rules, Shown};

#[cfg(test)]
mod tests;
