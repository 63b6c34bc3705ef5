//! What long idleness does to the child's app ([`use_idle_end`]): after a gentle question,
//! the last answer gets a moment to reach the server and the session ends as at logout,
//! with a calm note; in kiosk mode the whole app starts over instead. A kiosk's start page
//! nobody uses (a half-typed code) also starts over, unless a login is under way. The clock itself is [`super::idle::IdleGuard`].

use super::idle;
use super::login;
use super::quick_exit::Leave;
use super::saving::Saving;
use super::state::{AppAction, AppState, Phase};
use super::texts::Notice;
use yew::prelude::*;

/// How the idle clock runs now and what its running out does.
pub struct IdleEnd {
    /// The clock runs (not while a session is ending).
    pub active: bool,
    /// Ask first: a child is logged in.
    pub warn: bool,
    pub on_expire: Callback<()>,
}

#[hook]
pub fn use_idle_end(state: &UseReducerHandle<AppState>, saving: &Saving, on_leave: &Callback<Leave>) -> IdleEnd {
    let kiosk = idle::timing().kiosk;
    let logged_in = state.survey().is_some();
    let active = !saving.leaving() && (logged_in || (kiosk && matches!(state.phase, Phase::Start(_))));
    let on_expire = {
        let (dispatcher, saving, on_leave) = (state.dispatcher(), saving.clone(), on_leave.clone());
        Callback::from(move |_: ()| {
            if !logged_in {
                if !login::logging_in() {
                    on_leave.emit(Leave::Fresh);
                }
                return;
            }
            let (dispatcher, on_leave) = (dispatcher.clone(), on_leave.clone());
            saving.end_session(5_000, move || {
                if kiosk {
                    // The next person at a kiosk gets a whole new app: nothing the last one
                    // saw or typed is left in the page's memory, the language is the default.
                    on_leave.emit(Leave::Fresh);
                } else {
                    dispatcher.dispatch(AppAction::ShowStart(Some(Notice::Idle)));
                }
            });
        })
    };
    IdleEnd { active, warn: logged_in, on_expire }
}
