//! The child's ways out of a session ([`use_leave`]): logging out, stopping for now on the
//! help screen, and the quick exit (the button, or Escape twice).

use super::idle;
use super::quick_exit::{self, Leave};
use super::saving::Saving;
use super::state::{AppAction, AppState};
use yew::prelude::*;

/// What the buttons that leave call.
pub struct Leaving {
    pub on_logout: Callback<MouseEvent>,
    pub on_stop: Callback<MouseEvent>,
    pub on_quick_exit: Callback<()>,
}

#[hook]
pub fn use_leave(state: &UseReducerHandle<AppState>, saving: &Saving, on_leave: &Callback<Leave>) -> Leaving {
    // Logging out and stopping for now end the same way: the last answer gets a moment to
    // reach the server, the session ends there and in the tab, and `then` says which start
    // page follows.
    let leave = |then: fn() -> AppAction| {
        let (dispatcher, saving) = (state.dispatcher(), saving.clone());
        Callback::from(move |_: MouseEvent| {
            let dispatcher = dispatcher.clone();
            saving.end_session(3_000, move || dispatcher.dispatch(then()));
        })
    };
    let on_stop = leave(|| AppAction::Stopped);
    // At a kiosk, logging out (the finish page's button) leaves the whole app, so the next
    // person gets a new one with nothing of this one in memory.
    let on_logout = if idle::timing().kiosk {
        let (saving, on_leave) = (saving.clone(), on_leave.clone());
        Callback::from(move |_: MouseEvent| {
            let on_leave = on_leave.clone();
            saving.end_session(3_000, move || on_leave.emit(Leave::Fresh));
        })
    } else {
        leave(|| AppAction::Reset)
    };

    // Quick exit: the neutral page at once, in place of this whole app, and the session
    // ended behind it.
    let on_quick_exit = {
        let (saving, on_leave, lang) = (saving.clone(), on_leave.clone(), state.lang);
        Callback::from(move |_: ()| {
            saving.stop_now();
            quick_exit::leave_now(lang);
            on_leave.emit(Leave::Neutral(lang));
        })
    };
    quick_exit::use_escape_twice(on_quick_exit.clone());
    Leaving { on_logout, on_stop, on_quick_exit }
}
