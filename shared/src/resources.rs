//! The resources register: what an organisation has for its children (youth centres,
//! sports, libraries, field workers, parent support, the school's health team…), where and
//! for which ages, and which factors each addresses. Public information, stored in the
//! clear and checked like any input: `register` holds the rules for one resource, the
//! likely duplicates and the words for every problem; `file` reads and writes the register
//! as CSV through the `csv` crate.

pub mod file;
pub mod register;
