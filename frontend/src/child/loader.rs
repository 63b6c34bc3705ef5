//! Bringing a survey in ([`use_survey_loader`]): after a login or a resume, a save queue of
//! the login's own, then the survey; and after a reload, the resume itself, back to the same
//! question without the code if the server agrees.

use super::login;
use super::saving::Saving;
use super::state::{AppAction, AppState, Loaded, Phase};
use crate::common::lang::Lang;
use yew::prelude::*;

/// What the start page calls with a login; a resume after a reload goes the same way.
#[hook]
pub fn use_survey_loader(state: &UseReducerHandle<AppState>, saving: &Saving) -> Callback<Loaded> {
    let on_loaded = {
        let dispatcher = state.dispatcher();
        let saving = saving.clone();
        Callback::from(move |loaded: Loaded| {
            let queue = saving.start(&loaded, dispatcher.clone());
            // A save this tab queued but the server never got goes first (`queue::recover`).
            let unsaved = loaded
                .stored
                .as_ref()
                .filter(|_| loaded.unsaved)
                .map(|stored| (stored.session.clone(), Lang::from_code(&stored.language).unwrap_or_default()));
            dispatcher.dispatch(AppAction::Begin(loaded));
            if let Some((session, lang)) = unsaved {
                queue.push(session, lang);
            }
        })
    };
    {
        let resuming = matches!(state.phase, Phase::Resuming);
        let dispatcher = state.dispatcher();
        let on_loaded = on_loaded.clone();
        use_effect_with((), move |_| {
            if resuming {
                wasm_bindgen_futures::spawn_local(async move {
                    match login::resume().await {
                        Ok(loaded) => on_loaded.emit(loaded),
                        Err(notice) => dispatcher.dispatch(AppAction::ShowStart(Some(notice))),
                    }
                });
            }
        });
    }
    on_loaded
}
