//! The shape of the child's app's own texts: one field for every sentence the frame around
//! the questions shows. Each language fills it in a file of its own (`sv`, `en`, `ar`), and
//! [`super::texts`] picks one; this leaf imports none of them.

use crate::common::lang::Lang;

/// The app's own texts in one language.
pub struct Texts {
    pub app_name: &'static str,
    pub page_title: &'static str,
    pub language: &'static str,
    pub start_heading: &'static str,
    pub start_intro: &'static str,
    pub start_skip: &'static str,
    pub code_label: &'static str,
    pub code_hint: &'static str,
    pub start_button: &'static str,
    pub checking: &'static str,
    pub resuming: &'static str,
    /// While the start page asks the server whether this browser is a kiosk.
    pub one_moment: &'static str,
    pub logout: &'static str,
    /// The visible label of the speaker beside each question.
    pub listen: &'static str,
    /// The switch that reads every new question aloud.
    pub auto_read: &'static str,
    pub back: &'static str,
    pub next: &'static str,
    pub skip: &'static str,
    pub pick_any: &'static str,
    pub write_here: &'static str,
    pub about: &'static str,
    pub progress_name: &'static str,
    pub saving: &'static str,
    pub saved: &'static str,
    pub offline: &'static str,
    pub finish_heading: &'static str,
    pub finish_reader: &'static str,
    pub finish_change: &'static str,
    pub finish_back: &'static str,
    pub finish_logout: &'static str,
    /// In place of `finish_reader` in an anonymous round: nobody reads one person's answers.
    pub finish_anonymous: &'static str,
    /// In place of `finish_logout` and the logout button's words at a kiosk.
    pub finish_kiosk: &'static str,
    pub kiosk_done: &'static str,
    pub help_heading: &'static str,
    pub help_danger: &'static str,
    pub help_bris: &'static str,
    pub help_kompis: &'static str,
    pub help_school: &'static str,
    pub help_screen_heading: &'static str,
    pub help_screen_not_alone: &'static str,
    pub help_screen_where: &'static str,
    /// Where to get help now, each as (who, how): shown as a list on the help screen.
    pub help_screen_places: [(&'static str, &'static str); 4],
    pub help_screen_reader: &'static str,
    /// In place of `help_screen_reader` in an anonymous round, where no adult reads.
    pub help_screen_anonymous: &'static str,
    /// Before the first question of an anonymous round: nobody will know who answered.
    pub anonymous_heading: &'static str,
    pub anonymous_nobody: &'static str,
    pub anonymous_why: &'static str,
    /// Where to get help, since nobody can come to the child of their own accord.
    pub anonymous_help: &'static str,
    pub anonymous_start: &'static str,
    /// A registered kiosk's start screen: no code, one button.
    pub kiosk_intro: &'static str,
    pub kiosk_start: &'static str,
    /// "Start" was pressed: a fresh, empty set of questions is being made.
    pub kiosk_starting: &'static str,
    /// Too many starts on this kiosk just now.
    pub kiosk_busy: &'static str,
    /// The round is not open today.
    pub kiosk_closed: &'static str,
    /// The kiosk was taken out of use, or its link did not work.
    pub kiosk_gone: &'static str,
    pub help_screen_choice: &'static str,
    pub help_go_on: &'static str,
    pub help_status_heading: &'static str,
    pub help_status_planned: &'static str,
    pub help_status_handled: &'static str,
    pub help_status_note: &'static str,
    pub help_stop: &'static str,
    pub stopping: &'static str,
    pub stopped_note: &'static str,
    pub network: &'static str,
    pub server: &'static str,
    pub questionnaire_broken: &'static str,
    pub answers_unreadable: &'static str,
    pub session_ended: &'static str,
    pub changed_elsewhere: &'static str,
    // Safety on shared computers: quick exit, its neutral page, and the idle timeout.
    /// The quick-exit button.
    pub quick_exit: &'static str,
    /// The neutral page after a quick exit: a plain weather page. Its title is also the tab's
    /// title then, so it must not name Berätta or anything like it.
    pub neutral_title: &'static str,
    pub neutral_summary: &'static str,
    /// (when, what) for three times of the day.
    pub neutral_hours: [(&'static str, &'static str); 3],
    pub neutral_tip: &'static str,
    pub idle_heading: &'static str,
    pub idle_text: &'static str,
    pub still_here: &'static str,
    /// On the start page after an idle logout.
    pub idle_note: &'static str,
    // Texts that take values are functions, so each language puts the values where its grammar
    // wants them.
    /// The visible progress label, e.g. "40 % klart".
    pub progress_done: fn(u8) -> String,
    /// The accessible name of the speaker beside an answer option.
    pub read_option: fn(&str) -> String,
    /// What a speaker says when this device has no voice for a language (`None`: a language
    /// the app has no name for), e.g. "Ingen uppläsning på svenska på den här enheten".
    pub no_voice: fn(Option<Lang>) -> String,
    /// The code field was left empty.
    pub code_missing: &'static str,
    /// A code of the wrong length, with how many characters were typed.
    pub code_length: fn(usize) -> String,
    /// A character no code has.
    pub code_never: fn(char) -> String,
    /// The words around the look-alikes the code may have meant, as in "Try 3, C or U.":
    /// (before the list, before its last item, between the others).
    pub code_try: (&'static str, &'static str, &'static str),
}
