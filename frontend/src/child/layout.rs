//! What the child's pages are drawn inside: the top bar (the app's name, the languages, the
//! logout while answering), the status bar over a survey (progress, saving), and what
//! stays below the questions (what staff did about help wishes, where to get help now).

use super::help::HelpNow;
use super::help_status::HelpStatusBox;
use super::language::Languages;
use super::progress::Progress;
use super::save_status::SaveStatus;
use super::state::{SaveState, Survey};
use super::texts::texts;
use crate::common::lang::Lang;
use yew::prelude::*;

/// The header: the app's name, a button per language, and `logout` when it belongs there.
pub fn top_bar(lang: Lang, languages: Languages, logout: Option<Callback<MouseEvent>>, leaving: bool) -> Html {
    let t = texts(lang);
    html! {
        <header class="top">
            <span class="brand">{ t.app_name }</span>
            <div class="lang-switch" role="group" aria-label={t.language}>
                { for languages.offered.into_iter().map(|l| {
                    let on_choose = languages.on_choose.clone();
                    html! {
                        <button type="button" id={format!("lang-{}", l.code())} lang={l.code()}
                            aria-pressed={if l == lang { "true" } else { "false" }}
                            onclick={Callback::from(move |_: MouseEvent| on_choose.emit(l))}>
                            { l.own_name() }
                        </button>
                    }
                }) }
            </div>
            if let Some(onclick) = logout {
                <button id="logout" type="button" class="quiet logout" disabled={leaving}
                    {onclick}>{ t.logout }</button>
            }
        </header>
    }
}

/// How far the survey has come and how its answers stand with the server.
pub fn status_bar(lang: Lang, save: SaveState, progress: f32) -> Html {
    html! {
        <div class="statusbar">
            <Progress {lang} {progress} />
            <SaveStatus {lang} state={save} />
        </div>
    }
}

/// What staff have planned or done about the child's help wishes, if there is anything.
pub fn help_status(lang: Lang, survey: &Survey) -> Html {
    match &survey.help {
        Some(status) => html! {
            <HelpStatusBox {lang} questionnaire={survey.questionnaire.clone()} status={status.clone()} />
        },
        None => Html::default(),
    }
}

/// Where to get help now, once some answer may mean danger.
pub fn help_now(lang: Lang, survey: &Survey) -> Html {
    if survey.acute {
        html! { <HelpNow {lang} /> }
    } else {
        Html::default()
    }
}
