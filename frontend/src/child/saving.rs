//! The child app's hold on its save queue ([`use_saver`]): the queue of the current login,
//! the effect that hands it every change the child makes, and the one way a session ends
//! ([`Saving::end_session`]), which logout, stopping for now and idle all take.

use super::login;
use super::save::Saver;
use super::state::{AppState, Loaded};
use crate::common::lang::Lang;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// The save queue of the current login, if any, and whether the session is ending. Cloning
/// shares both.
#[derive(Clone)]
pub struct Saving {
    queue: Rc<RefCell<Option<Rc<Saver>>>>,
    leaving: UseStateHandle<bool>,
}

impl Saving {
    /// Whether a session is ending now (its last answer settling, the logout under way).
    pub fn leaving(&self) -> bool {
        *self.leaving
    }

    /// A queue of its own for a login or resume, in place of any older one, which stops.
    pub fn start(&self, loaded: &Loaded, dispatcher: UseReducerDispatcher<AppState>) -> Rc<Saver> {
        let queue = Saver::new(loaded.child.clone(), loaded.counter, dispatcher);
        if let Some(old) = self.queue.replace(Some(queue.clone())) {
            old.stop();
        }
        queue
    }

    /// Stops the queue at once, sending nothing more (quick exit).
    pub fn stop_now(&self) {
        if let Some(queue) = self.queue.borrow_mut().take() {
            queue.stop();
        }
    }

    /// Ends the session the way every leaving does (logout, stopping for now, idle): the
    /// last answer gets up to `settle_ms` to reach the server, the queue stops, the server
    /// ends the session and forgets it in the tab, and `then` runs. A second leaving while
    /// one is under way does nothing.
    pub fn end_session(&self, settle_ms: u32, then: impl FnOnce() + 'static) {
        if *self.leaving {
            return;
        }
        self.leaving.set(true);
        let queue = self.queue.borrow_mut().take();
        let leaving = self.leaving.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Some(queue) = queue {
                queue.settle(settle_ms).await;
                queue.stop();
            }
            login::logout().await;
            leaving.set(false);
            then();
        });
    }
}

/// The save queue, with every change the child makes sealed and saved through it.
#[hook]
pub fn use_saver(state: &UseReducerHandle<AppState>) -> Saving {
    let queue: Rc<RefCell<Option<Rc<Saver>>>> = use_mut_ref(|| None);
    let leaving = use_state(|| false);
    let lang: Lang = state.lang;
    {
        let revision = state.survey().map(|s| s.revision);
        let session = state.survey().map(|s| s.session.clone());
        let queue = queue.clone();
        // A new language is saved too, so the stored answers tell which one the child last read.
        use_effect_with((state.generation, revision, lang), move |(_, revision, _)| {
            if let (Some(revision), Some(session)) = (revision, session) {
                if *revision > 0 {
                    if let Some(queue) = queue.borrow().as_ref() {
                        queue.push(session, lang);
                    }
                }
            }
        });
    }
    Saving { queue, leaving }
}
