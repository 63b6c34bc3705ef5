//! The save queue: seals the newest session with the core and PUTs it, one save at a time
//! and in order. A state that arrives while a save is in flight waits, and only the newest
//! waiting state is sent. Network trouble is retried with back-off; a stale save (another
//! tab or device saved first) continues from the server's state. An acknowledged save is
//! never undone: the counter only moves to what the server has stored.
//!
//! Each state is sealed as soon as it is queued, and the sealed form (ciphertext only) is
//! kept in `sessionStorage` until the server acknowledges it (see [`super::queue`]), so a
//! reload while the server is out of reach loses nothing.

use crate::child::forget::clear_storage;
use crate::child::queue as persisted;
use crate::child::state::{AppAction, AppState, ChildContext, SaveState};
use crate::child::texts::Notice;
use crate::common::api::{self, ApiError};
use crate::common::lang::Lang;
use crate::common::log::log;
use beratta_core::api::SealedAnswers;
use beratta_core::questionnaire::Questionnaire;
use beratta_core::status::AssessmentStatus;
use beratta_core::Session;
use gloo_timers::future::TimeoutFuture;
use rand_core::OsRng;
use std::cell::RefCell;
use std::rc::Rc;
use yew::UseReducerDispatcher;

/// The first pause before a retry; it doubles up to [`MAX_RETRY_MS`].
const FIRST_RETRY_MS: u32 = 1_000;
/// Short, so that answers reach a server that is back within seconds of its return.
const MAX_RETRY_MS: u32 = 5_000;

/// The pause after `previous`: 1 s, 2 s, 4 s, then 5 s for ever.
fn next_delay(previous: u32) -> u32 {
    previous.saturating_mul(2).min(MAX_RETRY_MS)
}

pub struct Saver {
    child: Rc<ChildContext>,
    /// The instrument, for the status sealed with each save.
    questionnaire: Rc<Questionnaire>,
    dispatch: UseReducerDispatcher<AppState>,
    queue: RefCell<Queue>,
}

struct Queue {
    /// The newest state not yet sent.
    waiting: Option<Pending>,
    /// The counter of the last save the server acknowledged.
    counter: u64,
    /// The blobs sent as save `counter + 1` without an answer yet. One of them may have been
    /// stored although its answer was lost (the server went down just then); the next try is
    /// then refused as stale, and this list tells that apart from a save made elsewhere.
    sent: Vec<Vec<u8>>,
    /// A save loop is running.
    running: bool,
    /// Logged out or the session ended: nothing more is sent.
    stopped: bool,
}

/// A state waiting to be sent, with its sealed form once made.
struct Pending {
    session: Session,
    lang: Lang,
    /// Sealed as save number `sealed.counter`: kept in `sessionStorage`, and sent as it is
    /// while that is still the next number; sealed again once the counter has moved on.
    sealed: Option<SealedAnswers>,
}

/// How one attempt went.
enum Attempt {
    Stored(u64),
    Stale,
    SessionEnded,
    Failed,
}

impl Saver {
    /// A queue for one login, continuing after the stored save number `counter`.
    pub fn new(
        child: Rc<ChildContext>,
        questionnaire: Rc<Questionnaire>,
        counter: u64,
        dispatch: UseReducerDispatcher<AppState>,
    ) -> Rc<Saver> {
        let queue = Queue { waiting: None, counter, sent: Vec::new(), running: false, stopped: false };
        Rc::new(Saver { child, questionnaire, dispatch, queue: RefCell::new(queue) })
    }

    /// Queues `session` as the newest state and starts sending if nothing is in flight.
    pub fn push(self: &Rc<Self>, session: Session, lang: Lang) {
        let mut queue = self.queue.borrow_mut();
        if queue.stopped {
            return;
        }
        // Sealed and kept at once, so that a reload a moment from now still finds this state.
        let sealed = self.seal(&session, lang, queue.counter + 1);
        if let Some(sealed) = &sealed {
            persisted::keep(sealed);
        }
        queue.waiting = Some(Pending { session, lang, sealed });
        if queue.running {
            return;
        }
        queue.running = true;
        drop(queue);
        self.dispatch.dispatch(AppAction::Save(SaveState::Saving));
        wasm_bindgen_futures::spawn_local(self.clone().run());
    }

    /// Whether a state is waiting or in flight.
    pub fn busy(&self) -> bool {
        self.queue.borrow().running
    }

    /// Sends nothing more. A request in flight still completes on the server.
    pub fn stop(&self) {
        let mut queue = self.queue.borrow_mut();
        queue.stopped = true;
        queue.waiting = None;
    }

    /// Waits until everything queued is acknowledged, at most `limit_ms`.
    pub async fn settle(&self, limit_ms: u32) {
        let mut waited = 0;
        while self.busy() && waited < limit_ms {
            TimeoutFuture::new(100).await;
            waited += 100;
        }
    }

    async fn run(self: Rc<Self>) {
        let mut delay = FIRST_RETRY_MS;
        loop {
            let (mut pending, counter) = {
                let mut queue = self.queue.borrow_mut();
                match queue.waiting.take() {
                    Some(pending) if !queue.stopped => (pending, queue.counter),
                    _ => {
                        queue.running = false;
                        let done = !queue.stopped;
                        drop(queue);
                        if done {
                            self.dispatch.dispatch(AppAction::Save(SaveState::Saved));
                        }
                        return;
                    }
                }
            };
            match self.send(&mut pending, counter + 1).await {
                Attempt::Stored(stored) => {
                    let mut queue = self.queue.borrow_mut();
                    queue.counter = stored;
                    queue.sent.clear();
                    drop(queue);
                    persisted::settled(stored);
                    delay = FIRST_RETRY_MS;
                }
                Attempt::Stale => {
                    if let Err(notice) = self.resync(pending).await {
                        return self.end(notice);
                    }
                }
                Attempt::SessionEnded => return self.end(Notice::SessionEnded),
                Attempt::Failed => {
                    // Keep this state unless a newer one arrived meanwhile.
                    self.queue.borrow_mut().waiting.get_or_insert(pending);
                    self.dispatch.dispatch(AppAction::Save(SaveState::Offline));
                    TimeoutFuture::new(delay).await;
                    delay = next_delay(delay);
                    // The status stays "not saved yet" through the retries rather than
                    // flickering; the save that gets through turns it to saved.
                }
            }
        }
    }

    /// Seals `session` as save number `counter`, with its status for staff's list (dated
    /// today by the browser's clock) and, in a round, its progress and statistics record
    /// (`ChildKeys::seal_save`).
    fn seal(&self, session: &Session, lang: Lang, counter: u64) -> Option<SealedAnswers> {
        let child = &self.child;
        let today = (js_sys::Date::now() / 86_400_000.0) as u32;
        let status = AssessmentStatus::of(&self.questionnaire, session, today);
        child
            .keys
            .seal_save(&child.assessment, &self.questionnaire, session, lang.code(), counter, &status, &mut OsRng)
            .map_err(|error| log(&format!("the answers could not be sealed: {error}")))
            .ok()
    }

    async fn send(&self, pending: &mut Pending, counter: u64) -> Attempt {
        let sealed = match pending.sealed.take().filter(|s| s.counter == counter) {
            Some(sealed) => sealed,
            None => match self.seal(&pending.session, pending.lang, counter) {
                Some(sealed) => sealed,
                None => return Attempt::Failed,
            },
        };
        persisted::keep(&sealed);
        {
            let mut queue = self.queue.borrow_mut();
            if !queue.sent.contains(&sealed.blob.0) {
                queue.sent.push(sealed.blob.0.clone());
            }
        }
        let sealed = &*pending.sealed.insert(sealed);
        match api::save(sealed).await {
            // The server's number is the truth; it can only be at least ours.
            Ok(receipt) => Attempt::Stored(receipt.counter.max(counter)),
            Err(error) if error.is_unauthorised() => Attempt::SessionEnded,
            Err(error) if error.is_stale_save() => Attempt::Stale,
            Err(error) => {
                if error != ApiError::Network {
                    log(&format!("a save was refused: {error:?}"));
                }
                Attempt::Failed
            }
        }
    }

    /// After a stale save: fetches what the server holds. If that is a save of ours whose
    /// answer was lost, it goes on from there. Otherwise it opens it, and continues from it.
    /// `ours` is the state that was refused; it is sent again if it is newer than our save
    /// that was stored, or if the server holds no answers at all. Fails with what to tell the
    /// child when the session cannot go on.
    async fn resync(&self, ours: Pending) -> Result<(), Notice> {
        let mut delay = FIRST_RETRY_MS;
        loop {
            if self.queue.borrow().stopped {
                return Err(Notice::SessionEnded);
            }
            let assessment = match api::session().await {
                Ok(assessment) => assessment,
                Err(error) if error.is_unauthorised() => return Err(Notice::SessionEnded),
                Err(_) => {
                    self.dispatch.dispatch(AppAction::Save(SaveState::Offline));
                    TimeoutFuture::new(delay).await;
                    delay = next_delay(delay);
                    continue;
                }
            };
            let stored_counter = assessment.sealed.as_ref().map_or(0, |s| s.counter);
            let stored_blob = assessment.sealed.as_ref().map(|s| &s.blob.0);
            let ours_blob = ours.sealed.as_ref().map(|s| &s.blob.0).cloned();
            let resend = Pending { sealed: None, ..ours };
            {
                let mut queue = self.queue.borrow_mut();
                if stored_counter == queue.counter + 1 && stored_blob.is_some_and(|b| queue.sent.contains(b)) {
                    queue.counter = stored_counter;
                    queue.sent.clear();
                    // Unless the refused state is the very one stored, it goes again (or
                    // the newer state that waits meanwhile does).
                    if ours_blob.as_ref() != stored_blob {
                        queue.waiting.get_or_insert(resend);
                    }
                    drop(queue);
                    persisted::settled(stored_counter);
                    return Ok(());
                }
            }
            return match self.child.keys.open(&assessment) {
                Ok(Some(stored)) => {
                    let mut queue = self.queue.borrow_mut();
                    queue.counter = stored_counter;
                    queue.sent.clear();
                    // Whatever waited was built on the overtaken state.
                    queue.waiting = None;
                    drop(queue);
                    persisted::forget();
                    self.dispatch.dispatch(AppAction::Adopt(stored.session));
                    Ok(())
                }
                Ok(None) => {
                    let mut queue = self.queue.borrow_mut();
                    queue.counter = stored_counter;
                    queue.sent.clear();
                    queue.waiting.get_or_insert(resend);
                    Ok(())
                }
                // Sealed under another data key (a login elsewhere made the first save):
                // only the code can open it.
                Err(error) => {
                    log(&format!("the newer stored answers could not be opened: {error}"));
                    Err(Notice::ChangedElsewhere)
                }
            };
        }
    }

    /// The session cannot go on: stop and send the child back to the start page.
    fn end(&self, notice: Notice) {
        self.stop();
        self.queue.borrow_mut().running = false;
        clear_storage();
        self.dispatch.dispatch(AppAction::ShowStart(Some(notice)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_from_one_second_to_at_most_five() {
        let mut delays = vec![FIRST_RETRY_MS];
        for _ in 0..5 {
            delays.push(next_delay(*delays.last().unwrap_or(&0)));
        }
        assert_eq!(delays, [1_000, 2_000, 4_000, 5_000, 5_000, 5_000]);
    }
}
