//! The language of the child's app ([`use_language`]): the languages offered and the choice
//! of one, and the page telling which language its own texts are in.

use super::state::{AppAction, AppState};
use super::texts::texts;
use crate::common::lang::Lang;
use yew::prelude::*;

/// The languages to offer and what choosing one does.
pub struct Languages {
    pub offered: Vec<Lang>,
    pub on_choose: Callback<Lang>,
}

/// The page says which language its own texts are in, for screen readers and hyphenation,
/// and which way it runs (questionnaire texts carry their own `lang`). Leaving for the staff
/// side gives the page back its left-to-right direction.
#[hook]
pub fn use_language(state: &UseReducerHandle<AppState>) -> Languages {
    use_effect_with(state.lang, |lang| {
        let document = web_sys::window().and_then(|w| w.document());
        let root = document.as_ref().and_then(|d| d.document_element());
        if let Some(root) = &root {
            let _ = root.set_attribute("lang", lang.ui().code());
            let _ = root.set_attribute("dir", lang.dir());
        }
        if let Some(document) = &document {
            document.set_title(texts(*lang).page_title);
        }
        move || {
            if let Some(root) = root {
                let _ = root.remove_attribute("dir");
            }
        }
    });
    let on_choose = {
        let dispatcher = state.dispatcher();
        Callback::from(move |lang: Lang| dispatcher.dispatch(AppAction::SetLang(lang)))
    };
    // While answering, the languages the questionnaire has; before, every one.
    let offered = match state.survey() {
        Some(survey) => Lang::offered(&survey.questionnaire, state.lang),
        None => Lang::ALL.to_vec(),
    };
    Languages { offered, on_choose }
}
