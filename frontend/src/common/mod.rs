//! What the child's app and the staff app both use: the one request function, the language
//! choice, moving the focus, and logging to the console. Nothing here knows either audience.

pub mod api;
pub mod focus;
pub mod lang;
pub mod log;
