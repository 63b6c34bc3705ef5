//! Logging to the browser's console, for what a developer should see and the person at the
//! screen need not: a failed request, a questionnaire that did not pass the checks. Never a
//! code, a key or an answer.

/// Writes `message` to the console as a warning.
pub fn log(message: &str) {
    web_sys::console::warn_1(&message.into());
}
