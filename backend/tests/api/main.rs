//! The server's integration tests, built into one binary. Each test runs in its own
//! temporary directory with its own database, and goes through `build_app`, the same
//! builder `main` uses.

mod support;

mod answers;
mod frontend;
mod health;
mod login;
mod process;
mod questionnaires;
mod session;
mod store;
mod tidy;
