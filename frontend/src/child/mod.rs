//! The child's app: the flow from login code to thank-you at `/`. The core decides (what
//! comes next, what is valid, the crypto); this module draws, and moves bytes between the
//! core, the server and the browser.
//!
//! [`App`] is the root the `beratta-web` binary renders. The staff side is a separate
//! binary served under `/staff/` (see `crate::staff`), so that children never download it;
//! nothing here refers to it, or LTO could not drop it. Old staff links (`/#/staff…`,
//! `/#/setup/…`, `/#/enrol/…`, `/#/admin…`) are forwarded there by [`staff_redirect`].
//! The child's pages are the [`Route`] enum, derived from the state, and [`ChildApp`] holds
//! the one switch over it.

mod buddy;
mod finish;
mod forget;
mod help;
mod help_status;
mod idle;
mod login;
mod pictures;
mod progress;
mod question;
mod queue;
mod quick_exit;
mod save;
mod save_status;
mod speech;
mod start;
mod state;
mod texts;

use crate::common::lang::Lang;
use beratta_core::{Action, Position};
use finish::FinishPage;
use gloo::events::EventListener;
use help::{HelpNow, HelpScreen};
use help_status::HelpStatusBox;
use progress::Progress;
use question::QuestionPage;
use save::Saver;
use save_status::SaveStatus;
use start::StartPage;
use state::{AppAction, AppState, Loaded, Phase, Survey};
use std::cell::RefCell;
use std::rc::Rc;
use texts::{texts, Notice};
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

/// Where a fragment from an old staff link now lives: `/staff/` plus the same fragment, or
/// `None` for the child's own addresses. A string test only, so that this binary keeps no
/// reference to the staff code (`staff::Route::parse` accepts the same set).
pub fn staff_redirect(fragment: &str) -> Option<String> {
    let path = fragment.strip_prefix('#').unwrap_or(fragment);
    let first = path.strip_prefix('/')?.split('/').next().unwrap_or_default();
    let staff = match first {
        "staff" | "admin" => true,
        // Set-up and enrolment always carry a token after the slash.
        "setup" | "enrol" => path.split('/').filter(|p| !p.is_empty()).count() == 2,
        _ => false,
    };
    staff.then(|| {
        format!("/staff/{}", if fragment.starts_with('#') { fragment.to_string() } else { format!("#{fragment}") })
    })
}

/// Sends the tab to the staff app if the fragment names a staff page; `true` if it did.
/// `replace`, so the old address does not stay in the tab's history (it may hold a key).
fn forward_to_staff(fragment: &str) -> bool {
    let Some(target) = staff_redirect(fragment) else { return false };
    if let Some(window) = web_sys::window() {
        let _ = window.location().replace(&target);
    }
    true
}

/// The child's app; an old staff link is forwarded to `/staff/`, as it is followed.
#[function_component]
pub fn App() -> Html {
    let fragment = use_state(current_fragment);
    {
        let current = fragment.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window()
                .map(|window| EventListener::new(&window, "hashchange", move |_| current.set(current_fragment())));
            move || drop(listener)
        });
    }
    // Leaving the child app replaces it whole, so nothing it held in memory survives: by the
    // neutral page (quick exit), or in kiosk mode by a fresh one (a new key remounts it).
    let neutral = use_state(quick_exit::neutral_at_start);
    let fresh = use_state(|| 0_u32);
    let on_leave = {
        let (neutral, fresh) = (neutral.clone(), fresh.clone());
        Callback::from(move |leave: quick_exit::Leave| match leave {
            quick_exit::Leave::Neutral(lang) => neutral.set(Some(lang)),
            quick_exit::Leave::Fresh => fresh.set(*fresh + 1),
        })
    };
    let on_neutral_done = {
        let (neutral, fresh) = (neutral.clone(), fresh.clone());
        Callback::from(move |_: ()| {
            neutral.set(None);
            fresh.set(*fresh + 1);
        })
    };
    // Nothing is drawn while the browser leaves for the staff app.
    if forward_to_staff(&fragment) {
        return Html::default();
    }
    match *neutral {
        Some(lang) => html! { <quick_exit::NeutralPage {lang} on_done={on_neutral_done} /> },
        None => html! { <ChildApp key={*fresh} {on_leave} /> },
    }
}

#[derive(Properties, PartialEq)]
struct ChildProps {
    /// The child app is left for good: quick exit, or a kiosk's fresh start.
    on_leave: Callback<quick_exit::Leave>,
}

#[function_component]
fn ChildApp(props: &ChildProps) -> Html {
    let state = use_reducer(|| AppState::new(login::can_resume()));
    let saver: Rc<RefCell<Option<Rc<Saver>>>> = use_mut_ref(|| None);
    // Languages the child has been told this device cannot read aloud (see `question`).
    let no_voice_told = use_mut_ref(std::collections::BTreeSet::new);
    let leaving = use_state(|| false);
    let lang = state.lang;
    let t = texts(lang);

    // A login or resume starts a save queue of its own, then the survey.
    let on_loaded = {
        let dispatcher = state.dispatcher();
        let saver = saver.clone();
        Callback::from(move |loaded: Loaded| {
            let queue = Saver::new(loaded.child.clone(), loaded.counter, dispatcher.clone());
            // A save this tab queued but the server never got goes first (`queue::recover`).
            let unsaved = loaded
                .stored
                .as_ref()
                .filter(|_| loaded.unsaved)
                .map(|stored| (stored.session.clone(), Lang::from_code(&stored.language).unwrap_or_default()));
            if let Some(old) = saver.replace(Some(queue.clone())) {
                old.stop();
            }
            dispatcher.dispatch(AppAction::Begin(loaded));
            if let Some((session, lang)) = unsaved {
                queue.push(session, lang);
            }
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

    // The page says which language its own texts are in, for screen readers and
    // hyphenation, and which way it runs (questionnaire texts carry their own `lang`).
    // Leaving for the staff side gives the page back its left-to-right direction.
    use_effect_with(lang, |lang| {
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

    // Every change the child makes is sealed and saved.
    {
        let revision = state.survey().map(|s| s.revision);
        let session = state.survey().map(|s| s.session.clone());
        let saver = saver.clone();
        // A new language is saved too, so the stored answers tell which one the child last read.
        use_effect_with((state.generation, revision, lang), move |(_, revision, _)| {
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
    let on_auto_read = {
        let dispatcher = state.dispatcher();
        Callback::from(move |on: bool| dispatcher.dispatch(AppAction::SetAutoRead(on)))
    };
    // While answering, the languages the questionnaire has; before, every one.
    let languages = match state.survey() {
        Some(survey) => Lang::offered(&survey.questionnaire, lang),
        None => Lang::ALL.to_vec(),
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
            let dispatcher = dispatcher.clone();
            end_session(&saver, &leaving, 3_000, move || dispatcher.dispatch(then()));
        })
    };
    let on_logout = leave(|| AppAction::Reset);
    let on_stop = leave(|| AppAction::Stopped);

    // Quick exit (the button, or Escape twice): the neutral page at once, in place of this
    // whole app, and the session ended behind it.
    let on_quick_exit = {
        let saver = saver.clone();
        let on_leave = props.on_leave.clone();
        Callback::from(move |_: ()| {
            if let Some(queue) = saver.borrow_mut().take() {
                queue.stop();
            }
            quick_exit::leave_now(lang);
            on_leave.emit(quick_exit::Leave::Neutral(lang));
        })
    };
    quick_exit::use_escape_twice(on_quick_exit.clone());

    // No input for a long while: after a gentle question, the last answer gets a moment to
    // reach the server and the session ends as at logout, with a calm note. In kiosk mode a
    // start page nobody uses (a half-typed code) also starts over, unless a login is under way.
    let kiosk = idle::timing().kiosk;
    let logged_in = state.survey().is_some();
    let idle_active = !*leaving && (logged_in || (kiosk && matches!(state.phase, Phase::Start(_))));
    let on_idle = {
        let dispatcher = state.dispatcher();
        let saver = saver.clone();
        let leaving = leaving.clone();
        let on_leave = props.on_leave.clone();
        Callback::from(move |_: ()| {
            if !logged_in {
                if !login::logging_in() {
                    on_leave.emit(quick_exit::Leave::Fresh);
                }
                return;
            }
            let dispatcher = dispatcher.clone();
            end_session(&saver, &leaving, 5_000, move || {
                if kiosk {
                    // The next child at a kiosk starts afresh (the default language too); the
                    // note stays, for a child who comes back.
                    dispatcher.dispatch(AppAction::Reset);
                }
                dispatcher.dispatch(AppAction::ShowStart(Some(Notice::Idle)));
            });
        })
    };
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
                        auto_read={state.auto_read()}
                        on_auto_read={on_auto_read.clone()}
                        no_voice_told={no_voice_told.clone()}
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
            <quick_exit::QuickExitButton {lang} on_exit={on_quick_exit} />
            <header class="top">
                <span class="brand">{ t.app_name }</span>
                <div class="lang-switch" role="group" aria-label={t.language}>
                    { for languages.into_iter().map(|l| {
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
            <idle::IdleGuard {lang} active={idle_active} warn={logged_in} on_expire={on_idle} />
        </>
    }
}

/// Ends the session the way every leaving does (logout, stopping for now, idle): the last
/// answer gets up to `settle_ms` to reach the server, the queue stops, the server ends the
/// session and forgets it in the tab, and `then` runs. A second leaving while one is under
/// way does nothing.
fn end_session(
    saver: &Rc<RefCell<Option<Rc<Saver>>>>,
    leaving: &UseStateHandle<bool>,
    settle_ms: u32,
    then: impl FnOnce() + 'static,
) {
    if **leaving {
        return;
    }
    leaving.set(true);
    let queue = saver.borrow_mut().take();
    let leaving = leaving.clone();
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

#[cfg(test)]
mod tests {
    use super::staff_redirect;

    #[test]
    fn old_staff_links_move_under_staff_and_child_addresses_stay() {
        for fragment in ["#/staff", "#/staff/child/as-1", "#/admin/units", "#/setup/tok", "#/enrol/tok.key"] {
            assert_eq!(staff_redirect(fragment), Some(format!("/staff/{fragment}")), "{fragment}");
        }
        for fragment in ["", "#", "#main", "#/", "#/other", "#/setup", "#/enrolment/x"] {
            assert_eq!(staff_redirect(fragment), None, "{fragment}");
        }
    }
}
