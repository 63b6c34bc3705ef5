//! The app's state as one reducer. The questionnaire part wraps `beratta_core::Session`:
//! every move the child makes goes through `Session::apply`, so the browser runs exactly
//! the transitions the core's tests pin down. Saving happens outside, in an effect.

use crate::child::texts::Notice;
use crate::common::lang::Lang;
use beratta_core::api::{ChildAssessment, RoundMode};
use beratta_core::child::ChildKeys;
use beratta_core::envelope::AnswerSet;
use beratta_core::help::HelpStatus;
use beratta_core::scoring::is_acute;
use beratta_core::{Action, Questionnaire, Session};
use std::rc::Rc;
use yew::Reducible;

/// What the browser holds for the logged-in child: the assessment as the server gave it
/// and the keys that seal and open its answers. Never stored.
pub struct ChildContext {
    pub assessment: ChildAssessment,
    pub keys: ChildKeys,
}

/// Everything a successful login or resume brings.
pub struct Loaded {
    pub child: Rc<ChildContext>,
    pub questionnaire: Rc<Questionnaire>,
    /// The stored answers, opened.
    pub stored: Option<AnswerSet>,
    /// The counter of the stored save, 0 if none.
    pub counter: u64,
    /// What staff have planned or done about the child's help wishes, opened.
    pub help: Option<HelpStatus>,
    /// Take the language from the stored answers (a reload, where the choice was lost).
    pub resumed: bool,
    /// `stored` is a save this tab queued that the server has not got yet: send it next.
    pub unsaved: bool,
}

/// A child answering one questionnaire: the reducer wrapper around the core's session.
#[derive(Clone)]
pub struct Survey {
    pub questionnaire: Rc<Questionnaire>,
    pub session: Session,
    /// Goes up with every change the child makes, so that each one is saved; a state taken
    /// over from the server does not change it.
    pub revision: u64,
    /// Some answer means the child may be in danger now: show where to get help.
    pub acute: bool,
    /// The child has just given an answer that may mean danger now, so the help screen
    /// comes before the next question. Page state only: it is neither saved nor part of the
    /// session, so a reload does not bring it back (the smaller reminder stays, from `acute`).
    pub help_screen: bool,
    /// What staff have planned or done about the child's help wishes, as it stood at login;
    /// `None` when there is nothing to tell.
    pub help: Option<Rc<HelpStatus>>,
    /// An anonymous round: nobody but the child can open the answers. The help screen says
    /// so instead of naming an adult who reads.
    pub anonymous: bool,
    /// The child of an anonymous round has not yet read, before the first question, that
    /// nobody will know who answered. Page state, like `help_screen`.
    pub anonymous_notice: bool,
}

impl Survey {
    /// A survey from stored answers, or a fresh one.
    pub fn new(
        questionnaire: Rc<Questionnaire>,
        stored: Option<Session>,
        help: Option<HelpStatus>,
        anonymous: bool,
    ) -> Survey {
        let anonymous_notice = anonymous && stored.as_ref().is_none_or(|s| s.answers.is_empty());
        let fresh = Session::start(&questionnaire);
        let session = match stored {
            Some(stored) => fresh.apply(&questionnaire, Action::Restore(stored)).unwrap_or(fresh),
            None => fresh,
        };
        let acute = acute(&questionnaire, &session);
        let help = help.filter(|h| !h.entries.is_empty()).map(Rc::new);
        Survey { questionnaire, session, revision: 0, acute, help_screen: false, help, anonymous, anonymous_notice }
    }

    /// The survey after `action`; `None` when the core refuses it or nothing changes.
    /// An answer that may mean danger now opens the help screen; any other move closes it.
    fn apply(&self, action: Action) -> Option<Survey> {
        // Whether this answer tells of danger now is the core's call (`is_acute`). It is asked
        // of the answer as given, so that giving it again after going back shows the help
        // screen again, just as the first time.
        let alarming = match &action {
            Action::Answer { item, answer } => is_acute(&self.questionnaire, item, answer),
            _ => false,
        };
        match self.session.apply(&self.questionnaire, action) {
            Ok(session) if session == self.session && !alarming => None,
            Ok(session) => {
                let revision = if session == self.session { self.revision } else { self.revision + 1 };
                Some(Survey { help_screen: alarming, ..self.with(session, revision) })
            }
            Err(error) => {
                web_sys::console::warn_1(&format!("the engine refused an action: {error}").into());
                None
            }
        }
    }

    /// Takes over a state stored on the server (after a stale save), without saving it back.
    fn adopt(&self, stored: Session) -> Survey {
        let session = Session::start(&self.questionnaire)
            .apply(&self.questionnaire, Action::Restore(stored))
            .unwrap_or_else(|_| self.session.clone());
        // A help screen being read stays open: the newer state does not take the answer back
        // from the child's eyes, and the smaller reminder follows the adopted answers.
        Survey { help_screen: self.help_screen, ..self.with(session, self.revision) }
    }

    /// The help screen closed: back to the questions where the session stands.
    fn close_help(&self) -> Survey {
        Survey { help_screen: false, ..self.clone() }
    }

    fn with(&self, session: Session, revision: u64) -> Survey {
        let acute = acute(&self.questionnaire, &session);
        Survey {
            questionnaire: self.questionnaire.clone(),
            session,
            revision,
            acute,
            help_screen: false,
            help: self.help.clone(),
            anonymous: self.anonymous,
            anonymous_notice: false,
        }
    }

    /// Whether the core would accept `action` now (e.g. a multiple-choice answer with
    /// nothing picked is not an answer).
    pub fn accepts(&self, action: Action) -> bool {
        self.session.apply(&self.questionnaire, action).is_ok()
    }
}

/// Whether any answer that still counts tells of a danger now (the core's `is_acute`).
fn acute(q: &Questionnaire, session: &Session) -> bool {
    session.shown_answers(q).into_iter().any(|(position, answer)| is_acute(q, &q.items[position].id, answer))
}

/// Where the app is.
#[derive(Clone)]
pub enum Phase {
    /// Reopening a session after a reload.
    Resuming,
    /// The start page, perhaps with something to tell.
    Start(Option<Notice>),
    /// Logged in and answering (or finished).
    Survey(Survey),
}

/// How the latest answers stand with the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveState {
    Saving,
    Saved,
    Offline,
}

impl SaveState {
    pub fn name(self) -> &'static str {
        match self {
            SaveState::Saving => "saving",
            SaveState::Saved => "saved",
            SaveState::Offline => "offline",
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub lang: Lang,
    pub phase: Phase,
    pub save: SaveState,
    /// Goes up with every login, so that a new login's first state is never taken for the
    /// previous one's.
    pub generation: u64,
    /// Whether each new question is read aloud, once the child has chosen; `None` follows
    /// the questionnaire (on for the youngest). Kept in memory only, and forgotten at logout
    /// and at the next login, so the next child on a shared computer starts afresh.
    pub auto_read: Option<bool>,
}

pub enum AppAction {
    SetLang(Lang),
    /// The child turned reading each question aloud on or off.
    SetAutoRead(bool),
    /// A login or resume succeeded.
    Begin(Loaded),
    /// The child did something in the questionnaire.
    Child(Action),
    /// The child chose to go on from the help screen.
    CloseHelp,
    /// The child of an anonymous round has read that nobody will know who answered.
    CloseAnonymousNotice,
    /// The server holds a newer state than ours (a stale save): continue from it.
    Adopt(Session),
    Save(SaveState),
    /// Back to the start page, e.g. when the session ended or a resume failed.
    ShowStart(Option<Notice>),
    /// Logged out: everything as on a fresh page.
    Reset,
    /// Logged out because the child chose to stop for now on the help screen: a fresh page
    /// that says they can come back, in the language they were reading.
    Stopped,
}

impl AppState {
    pub fn new(resuming: bool) -> AppState {
        AppState {
            lang: Lang::default(),
            phase: if resuming { Phase::Resuming } else { Phase::Start(None) },
            save: SaveState::Saved,
            generation: 0,
            auto_read: None,
        }
    }

    /// Whether each new question is read aloud: the child's choice, else on for the youngest.
    pub fn auto_read(&self) -> bool {
        let young = self.survey().is_some_and(|s| crate::child::buddy::is_young(s.questionnaire.ages.as_deref()));
        self.auto_read.unwrap_or(young)
    }

    pub fn survey(&self) -> Option<&Survey> {
        match &self.phase {
            Phase::Survey(survey) => Some(survey),
            _ => None,
        }
    }
}

impl Reducible for AppState {
    type Action = AppAction;

    fn reduce(self: Rc<Self>, action: AppAction) -> Rc<Self> {
        let with_phase = |phase: Phase| Rc::new(AppState { phase, ..(*self).clone() });
        match action {
            AppAction::SetLang(lang) => Rc::new(AppState { lang, ..(*self).clone() }),
            AppAction::SetAutoRead(on) => Rc::new(AppState { auto_read: Some(on), ..(*self).clone() }),
            AppAction::Begin(loaded) => {
                let stored_lang = loaded.stored.as_ref().and_then(|s| Lang::from_code(&s.language));
                let lang = match stored_lang {
                    Some(lang) if loaded.resumed => lang,
                    _ => self.lang,
                };
                let anonymous = loaded.child.assessment.round.as_ref().is_some_and(|r| r.mode == RoundMode::Anonymous);
                let survey =
                    Survey::new(loaded.questionnaire, loaded.stored.map(|s| s.session), loaded.help, anonymous);
                Rc::new(AppState {
                    lang,
                    phase: Phase::Survey(survey),
                    save: SaveState::Saved,
                    generation: self.generation + 1,
                    auto_read: None,
                })
            }
            AppAction::Child(action) => match self.survey().and_then(|s| s.apply(action)) {
                Some(next) => with_phase(Phase::Survey(next)),
                None => self,
            },
            AppAction::CloseHelp => match self.survey() {
                Some(survey) if survey.help_screen => with_phase(Phase::Survey(survey.close_help())),
                _ => self,
            },
            AppAction::CloseAnonymousNotice => match self.survey() {
                Some(survey) if survey.anonymous_notice => {
                    with_phase(Phase::Survey(Survey { anonymous_notice: false, ..survey.clone() }))
                }
                _ => self,
            },
            AppAction::Adopt(stored) => match self.survey() {
                Some(survey) => with_phase(Phase::Survey(survey.adopt(stored))),
                None => self,
            },
            AppAction::Save(save) if save != self.save => Rc::new(AppState { save, ..(*self).clone() }),
            AppAction::Save(_) => self,
            AppAction::ShowStart(notice) => {
                Rc::new(AppState { phase: Phase::Start(notice), save: SaveState::Saved, ..(*self).clone() })
            }
            AppAction::Reset => Rc::new(AppState { generation: self.generation, ..AppState::new(false) }),
            AppAction::Stopped => Rc::new(AppState {
                lang: self.lang,
                phase: Phase::Start(Some(Notice::Stopped)),
                generation: self.generation,
                ..AppState::new(false)
            }),
        }
    }
}
