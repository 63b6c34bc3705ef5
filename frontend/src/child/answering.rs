//! What the child's moves in the questionnaire call ([`use_answering`]): an answer or a
//! step (through the core's `Session`), back from the last page, reading aloud, and going
//! on from the help screen.

use super::state::{AppAction, AppState};
use beratta_core::Action;
use yew::prelude::*;

pub struct Answering {
    pub on_action: Callback<Action>,
    /// Whether the current survey takes an action now.
    pub accepts: Callback<Action, bool>,
    pub on_back: Callback<MouseEvent>,
    pub on_auto_read: Callback<bool>,
    pub on_go_on: Callback<MouseEvent>,
    /// The child of an anonymous round has read the notice and starts the questions.
    pub on_begin: Callback<MouseEvent>,
}

#[hook]
pub fn use_answering(state: &UseReducerHandle<AppState>) -> Answering {
    let dispatcher = state.dispatcher();
    let on_action = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |action: Action| dispatcher.dispatch(AppAction::Child(action)))
    };
    let accepts = {
        let state = state.clone();
        Callback::from(move |action: Action| state.survey().is_some_and(|s| s.accepts(action)))
    };
    let on_back = {
        let on_action = on_action.clone();
        Callback::from(move |_: MouseEvent| on_action.emit(Action::Back))
    };
    let on_auto_read = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |on: bool| dispatcher.dispatch(AppAction::SetAutoRead(on)))
    };
    let on_begin = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(AppAction::CloseAnonymousNotice))
    };
    let on_go_on = Callback::from(move |_: MouseEvent| dispatcher.dispatch(AppAction::CloseHelp));
    Answering { on_action, accepts, on_back, on_auto_read, on_go_on, on_begin }
}
