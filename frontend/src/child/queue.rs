//! The save that waits for the server, kept in this tab's `sessionStorage` (`beratta.queue`)
//! so that a reload on bad wifi loses no answer.
//!
//! Only what `ChildKeys::seal` made is ever written here: the `SealedAnswers` JSON, whose
//! answers are ciphertext under the data key, bound to the assessment and the save counter.
//! Never a plaintext answer, never a key. One entry at most: the newest state, sealed as the
//! save after the last one the server acknowledged.

use crate::common::log::log;
use beratta_core::api::{ChildAssessment, SealedAnswers};
use beratta_core::child::ChildKeys;
use beratta_core::envelope::AnswerSet;

/// The `sessionStorage` key of the queued sealed save.
pub const QUEUE_KEY: &str = "beratta.queue";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// Keeps `sealed` as the save waiting for the server, in place of any older one.
pub fn keep(sealed: &SealedAnswers) {
    let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(sealed)) else { return };
    // A browser that refuses storage only loses the queue on a reload, not the answers on
    // the page, which stay queued in memory.
    let _ = storage.set_item(QUEUE_KEY, &json);
}

/// The queued save, if any (and readable).
pub fn pending() -> Option<SealedAnswers> {
    serde_json::from_str(&raw()?).ok()
}

/// The server has stored save number `counter`: a queued save up to it is no longer waiting.
pub fn settled(counter: u64) {
    if pending().is_some_and(|p| p.counter <= counter) {
        forget();
    }
}

/// Drops the queued save.
pub fn forget() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(QUEUE_KEY);
    }
}

/// The queue as stored, for a wipe that keeps it (see `forget::Keep`).
pub fn raw() -> Option<String> {
    storage()?.get_item(QUEUE_KEY).ok().flatten()
}

pub fn restore_raw(raw: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(QUEUE_KEY, raw);
    }
}

/// After a login or resume: the queued answers, opened, when they are newer than what the
/// server holds (a save that never reached it before a reload). The caller continues from
/// them and saves them as the next save. A queued save that is not newer, or that these keys
/// cannot open (another child's, on a shared computer), is dropped.
pub fn recover(assessment: &ChildAssessment, keys: &ChildKeys) -> Option<AnswerSet> {
    let queued = pending()?;
    let stored = assessment.sealed.as_ref().map_or(0, |s| s.counter);
    if queued.counter <= stored {
        forget();
        return None;
    }
    // The blob is bound to its own counter, so it is opened as that save would have been.
    let as_saved = ChildAssessment { sealed: Some(queued), ..assessment.clone() };
    match keys.open(&as_saved) {
        Ok(Some(answers)) => Some(answers),
        Ok(None) => None,
        Err(error) => {
            log(&format!("a queued save does not belong to this login and is dropped: {error}"));
            forget();
            None
        }
    }
}
