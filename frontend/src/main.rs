//! Berätta's browser app, as a view over `beratta-core`: the child's flow from login code to
//! thank-you at `/`, and the staff side under `#/staff`, `#/setup`, `#/enrol` and
//! `#/admin` (see [`staff`]). The core decides (what comes next, what is valid, the
//! crypto); this crate draws, and moves bytes between the core, the server and the browser.
//!
//! [`App`] picks the side by the URL fragment. The child's pages are the [`Route`] enum,
//! derived from the state, and [`ChildApp`] holds the one switch over it; the staff pages
//! have theirs in [`staff::Route`] and [`staff::StaffApp`].

mod api;
mod finish;
mod help;
mod help_status;
mod i18n;
mod login;
mod progress;
mod question;
mod save;
mod save_status;
mod staff;
mod start;
mod state;

use crate::finish::FinishPage;
use crate::help::{HelpNow, HelpScreen};
use crate::help_status::HelpStatusBox;
use crate::i18n::{Lang, Notice};
use crate::progress::Progress;
use crate::question::QuestionPage;
use crate::save::Saver;
use crate::save_status::SaveStatus;
use crate::start::StartPage;
use crate::state::{AppAction, AppState, Loaded, Phase, Survey};
use beratta_core::{Action, Position};
use gloo::events::EventListener;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Every page there is.
enum Route<'a> {
    /// Reopening the session after a reload.
    Resuming,
    Start(Option<&'a Notice>),
    /// Right after an answer that may mean danger now, before the next question.
    Help(&'a Survey),
    /// The item at this position is the current one.
    Question(&'a Survey, usize),
    Finished(&'a Survey),
}

fn route(state: &AppState) -> Route<'_> {
    match &state.phase {
        Phase::Resuming => Route::Resuming,
        Phase::Start(notice) => Route::Start(notice.as_ref()),
        Phase::Survey(survey) if survey.help_screen => Route::Help(survey),
        Phase::Survey(survey) => match (&survey.session.position, survey.session.current(&survey.questionnaire)) {
            (Some(Position::At(_)), Some(index)) => Route::Question(survey, index),
            _ => Route::Finished(survey),
        },
    }
}

/// The URL fragment, `#…` included; never sent to the server.
fn current_fragment() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// The child's app or the staff's, by the URL fragment, followed as it changes.
#[function_component]
fn App() -> Html {
    let fragment = use_state(current_fragment);
    {
        let current = fragment.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window()
                .map(|window| EventListener::new(&window, "hashchange", move |_| current.set(current_fragment())));
            move || drop(listener)
        });
    }
    match staff::Route::parse(&fragment) {
        Some(route) => html! { <staff::StaffApp {route} /> },
        None => html! { <ChildApp /> },
    }
}

#[function_component]
fn ChildApp() -> Html {
    let state = use_reducer(|| AppState::new(login::can_resume()));
    let saver: Rc<RefCell<Option<Rc<Saver>>>> = use_mut_ref(|| None);
    let leaving = use_state(|| false);
    let lang = state.lang;
    let t = lang.texts();

    // A login or resume starts a save queue of its own, then the survey.
    let on_loaded = {
        let dispatcher = state.dispatcher();
        let saver = saver.clone();
        Callback::from(move |loaded: Loaded| {
            let queue = Saver::new(loaded.child.clone(), loaded.counter, dispatcher.clone());
            if let Some(old) = saver.replace(Some(queue)) {
                old.stop();
            }
            dispatcher.dispatch(AppAction::Begin(loaded));
        })
    };

    // After a reload: back to the same question without the code, if the server agrees.
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

    // The page says which language it is in, for screen readers and hyphenation.
    use_effect_with(lang, |lang| {
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            if let Some(root) = document.document_element() {
                let _ = root.set_attribute("lang", lang.code());
            }
            document.set_title(lang.texts().page_title);
        }
    });

    // Every change the child makes is sealed and saved.
    {
        let revision = state.survey().map(|s| s.revision);
        let session = state.survey().map(|s| s.session.clone());
        let saver = saver.clone();
        use_effect_with((state.generation, revision), move |(_, revision)| {
            if let (Some(revision), Some(session)) = (revision, session) {
                if *revision > 0 {
                    if let Some(queue) = saver.borrow().as_ref() {
                        queue.push(session, lang);
                    }
                }
            }
        });
    }

    let on_lang = {
        let dispatcher = state.dispatcher();
        Callback::from(move |lang: Lang| dispatcher.dispatch(AppAction::SetLang(lang)))
    };
    let on_action = {
        let dispatcher = state.dispatcher();
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
    // Logging out and stopping for now end the same way: the last answer gets a moment to
    // reach the server, the session ends there and in the tab, and `then` says which start
    // page follows.
    let leave = |then: fn() -> AppAction| {
        let dispatcher = state.dispatcher();
        let saver = saver.clone();
        let leaving = leaving.clone();
        Callback::from(move |_: MouseEvent| {
            if *leaving {
                return;
            }
            leaving.set(true);
            let queue = saver.borrow_mut().take();
            let dispatcher = dispatcher.clone();
            let leaving = leaving.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Some(queue) = queue {
                    // Give the last answer a moment to reach the server.
                    queue.settle(3_000).await;
                    queue.stop();
                }
                login::logout().await;
                leaving.set(false);
                dispatcher.dispatch(then());
            });
        })
    };
    let on_logout = leave(|| AppAction::Reset);
    let on_stop = leave(|| AppAction::Stopped);
    let on_go_on = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(AppAction::CloseHelp))
    };

    let statusbar = |progress: f32| {
        html! {
            <div class="statusbar">
                <Progress {lang} {progress} />
                <SaveStatus {lang} state={state.save} />
            </div>
        }
    };
    let help = |survey: &Survey| {
        if survey.acute {
            html! { <HelpNow {lang} /> }
        } else {
            Html::default()
        }
    };
    let help_status = |survey: &Survey| match &survey.help {
        Some(status) => html! {
            <HelpStatusBox {lang} questionnaire={survey.questionnaire.clone()} status={status.clone()} />
        },
        None => Html::default(),
    };

    let current = route(&state);
    let logout_in_header = matches!(current, Route::Question(..));
    let content = match current {
        Route::Resuming => html! {
            <section class="waiting">
                <p class="checking" role="status" aria-live="polite">{ t.resuming }</p>
            </section>
        },
        Route::Start(notice) => html! {
            <StartPage {lang} notice={notice.cloned()} on_loaded={on_loaded.clone()} />
        },
        Route::Help(survey) => {
            let view = survey.session.view(&survey.questionnaire);
            html! {
                <>
                    { statusbar(view.progress) }
                    <HelpScreen {lang} on_go_on={on_go_on.clone()} on_stop={on_stop.clone()} leaving={*leaving} />
                </>
            }
        }
        Route::Question(survey, index) => {
            let view = survey.session.view(&survey.questionnaire);
            let item = &survey.questionnaire.items[index];
            html! {
                <>
                    { statusbar(view.progress) }
                    <QuestionPage
                        key={item.id.clone()}
                        {lang}
                        questionnaire={survey.questionnaire.clone()}
                        {index}
                        answer={survey.session.answers.get(&item.id).cloned()}
                        first={view.path.first() == Some(&index)}
                        on_action={on_action.clone()}
                        accepts={accepts.clone()}
                    />
                    { help_status(survey) }
                    { help(survey) }
                </>
            }
        }
        Route::Finished(survey) => {
            let view = survey.session.view(&survey.questionnaire);
            html! {
                <>
                    { statusbar(view.progress) }
                    <FinishPage {lang} on_back={on_back.clone()} on_logout={on_logout.clone()} leaving={*leaving} />
                    { help_status(survey) }
                    { help(survey) }
                </>
            }
        }
    };

    html! {
        <>
            <header class="top">
                <span class="brand">{ t.app_name }</span>
                <div class="lang-switch" role="group" aria-label={t.language}>
                    { for Lang::ALL.into_iter().map(|l| {
                        let on_lang = on_lang.clone();
                        html! {
                            <button type="button" id={format!("lang-{}", l.code())} lang={l.code()}
                                aria-pressed={if l == lang { "true" } else { "false" }}
                                onclick={Callback::from(move |_: MouseEvent| on_lang.emit(l))}>
                                { l.own_name() }
                            </button>
                        }
                    }) }
                </div>
                if logout_in_header {
                    <button id="logout" type="button" class="quiet logout" disabled={*leaving}
                        onclick={on_logout.clone()}>{ t.logout }</button>
                }
            </header>
            <main id="main" class="page">{ content }</main>
        </>
    }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
