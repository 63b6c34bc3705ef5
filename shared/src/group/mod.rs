//! The group picture's arithmetic: figures over opened statistics records, and the
//! uncertainty around them. Pure; the analyst's browser calls it.

pub mod interval;
