//! The child's app: the flow from login code to thank-you at `/`. The core decides (what
//! comes next, what is valid, the crypto); this module draws, and moves bytes between the
//! core, the server and the browser.
//!
//! [`App`] is the root the `beratta-web` binary renders. The staff side is a separate
//! binary served under `/staff/` (see `crate::staff`), so that children never download it;
//! nothing here refers to it, or LTO could not drop it. Old staff links (`/#/staff…`,
//! `/#/setup/…`, `/#/enrol/…`, `/#/admin…`) are forwarded there by [`staff_redirect`].
//! The child's pages are the [`Route`] enum, derived from the state, and [`ChildApp`] holds
//! the one switch over it. What the pages need comes from hooks in files of their own: the
//! save queue and the one way a session ends (`saving`), login and resume (`loader`), the
//! language (`language`), leaving (`leave`), idleness (`idle_end`) and the child's moves
//! (`answering`); the frame around the pages is drawn by `layout`.

mod anonymous;
mod answering;
mod buddy;
mod finish;
mod forget;
mod help;
mod help_status;
mod idle;
mod idle_end;
mod kiosk;
mod language;
mod layout;
mod leave;
mod loader;
mod login;
mod pictures;
mod progress;
mod question;
mod queue;
mod quick_exit;
mod save;
mod save_status;
mod saving;
mod speech;
mod start;
mod state;
mod texts;

use anonymous::AnonymousNotice;
use answering::use_answering;
use beratta_core::Position;
use finish::FinishPage;
use gloo::events::EventListener;
use help::HelpScreen;
use idle_end::use_idle_end;
use language::use_language;
use leave::use_leave;
use loader::use_survey_loader;
use question::QuestionPage;
use saving::use_saver;
use start::StartPage;
use state::{AppState, Phase, Survey};
use texts::{texts, Notice};
use yew::prelude::*;

/// Every page there is.
enum Route<'a> {
    /// Reopening the session after a reload.
    Resuming,
    Start(Option<&'a Notice>),
    /// Right after an answer that may mean danger now, before the next question.
    Help(&'a Survey),
    Anonymous(&'a Survey),
    /// The item at this position is the current one.
    Question(&'a Survey, usize),
    Finished(&'a Survey),
}

fn route(state: &AppState) -> Route<'_> {
    match &state.phase {
        Phase::Resuming => Route::Resuming,
        Phase::Start(notice) => Route::Start(notice.as_ref()),
        Phase::Survey(survey) if survey.help_screen => Route::Help(survey),
        Phase::Survey(survey) if survey.anonymous_notice => Route::Anonymous(survey),
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

/// The one switch over [`Route`]; what each page needs comes from the hooks.
#[function_component]
fn ChildApp(props: &ChildProps) -> Html {
    let state = use_reducer(|| AppState::new(login::can_resume()));
    let saving = use_saver(&state);
    let on_loaded = use_survey_loader(&state, &saving);
    let languages = use_language(&state);
    let leave = use_leave(&state, &saving, &props.on_leave);
    let idle = use_idle_end(&state, &saving, &props.on_leave);
    let answering = use_answering(&state);
    // Languages the child has been told this device cannot read aloud (see `question`).
    let no_voice_told = use_mut_ref(std::collections::BTreeSet::new);
    let (lang, leaving) = (state.lang, saving.leaving());
    let t = texts(lang);

    let current = route(&state);
    let logout = matches!(current, Route::Question(..)).then(|| leave.on_logout.clone());
    let content = match current {
        Route::Resuming => html! {
            <section class="waiting">
                <p class="checking" role="status" aria-live="polite">{ t.resuming }</p>
            </section>
        },
        Route::Start(notice) => html! { <StartPage {lang} notice={notice.cloned()} {on_loaded} /> },
        Route::Help(survey) => html! {
            <>
                { layout::status_bar(lang, state.save, survey.session.view(&survey.questionnaire).progress) }
                <HelpScreen {lang} anonymous={survey.anonymous} on_go_on={answering.on_go_on} on_stop={leave.on_stop} {leaving} />
            </>
        },
        Route::Anonymous(survey) => html! {
            <>
                { layout::status_bar(lang, state.save, survey.session.view(&survey.questionnaire).progress) }
                <AnonymousNotice {lang} on_begin={answering.on_begin} />
            </>
        },
        Route::Question(survey, index) => {
            let view = survey.session.view(&survey.questionnaire);
            let item = &survey.questionnaire.items[index];
            html! {
                <>
                    { layout::status_bar(lang, state.save, view.progress) }
                    <QuestionPage
                        key={item.id.clone()}
                        {lang}
                        questionnaire={survey.questionnaire.clone()}
                        {index}
                        answer={survey.session.answers.get(&item.id).cloned()}
                        first={view.path.first() == Some(&index)}
                        on_action={answering.on_action}
                        accepts={answering.accepts}
                        auto_read={state.auto_read()}
                        on_auto_read={answering.on_auto_read}
                        no_voice_told={no_voice_told.clone()}
                    />
                    { layout::help_status(lang, survey) }
                    { layout::help_now(lang, survey) }
                </>
            }
        }
        Route::Finished(survey) => html! {
            <>
                { layout::status_bar(lang, state.save, survey.session.view(&survey.questionnaire).progress) }
                <FinishPage {lang} on_back={answering.on_back} on_logout={leave.on_logout} {leaving} anonymous={survey.anonymous} />
                { layout::help_status(lang, survey) }
                { layout::help_now(lang, survey) }
            </>
        },
    };

    html! {
        <>
            <quick_exit::QuickExitButton {lang} on_exit={leave.on_quick_exit} />
            { layout::top_bar(lang, languages, logout, leaving) }
            <main id="main" class="page">{ content }</main>
            <idle::IdleGuard {lang} active={idle.active} warn={idle.warn} on_expire={idle.on_expire} />
        </>
    }
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
