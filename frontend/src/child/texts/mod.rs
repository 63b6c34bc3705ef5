//! Every word the app itself shows, in Swedish, English and Arabic, written for a
//! ten-year-old: each language in a file of its own (`sv`, `en`, `ar`), all filling in the
//! one shape in `frame`, and [`texts`] picking the one to show.
//!
//! Questionnaire texts are not here: they come with the questionnaire, in every language it
//! declares. This module holds only the frame around them (buttons, messages, the finish
//! page) and turns [`Notice`]s into sentences. A child may also choose a language the
//! questionnaires have only in draft (Somali, Tigrinya, Persian, Ukrainian): the questions
//! are then in that language and the frame in English, since a reviewed frame in English is
//! better than an unreviewed one in the child's language.

mod ar;
mod en;
mod frame;
mod sv;

use crate::common::lang::Lang;
use beratta_core::login::{CodeError, CODE_ALPHABET};
use beratta_core::text::Text;

pub use frame::Texts;

/// The app's own texts in `lang`: in the language itself where they are written in it,
/// in English for the draft languages ([`Lang::ui`]).
pub fn texts(lang: Lang) -> &'static Texts {
    match lang.ui() {
        Lang::Sv => &sv::SV,
        Lang::Ar => &ar::AR,
        _ => &en::EN,
    }
}

/// What a speaker says when this device has no voice for text in `spoken` (a language
/// code), e.g. "Ingen uppläsning på svenska på den här enheten".
pub fn no_voice(lang: Lang, spoken: &str) -> String {
    (texts(lang).no_voice)(Lang::from_code(spoken))
}

/// A notice as a plain sentence.
pub fn sentence(lang: Lang, notice: &Notice) -> String {
    let t = texts(lang);
    match notice {
        Notice::Code(error) => code_error(lang, error),
        Notice::Refused(message) => message.clone(),
        Notice::Network => t.network.to_string(),
        Notice::Server => t.server.to_string(),
        Notice::Questionnaire => t.questionnaire_broken.to_string(),
        Notice::Answers => t.answers_unreadable.to_string(),
        Notice::SessionEnded => t.session_ended.to_string(),
        Notice::ChangedElsewhere => t.changed_elsewhere.to_string(),
        Notice::Stopped => t.stopped_note.to_string(),
        Notice::Idle => t.idle_note.to_string(),
        Notice::KioskBusy => t.kiosk_busy.to_string(),
        Notice::KioskClosed => t.kiosk_closed.to_string(),
        Notice::KioskGone => t.kiosk_gone.to_string(),
    }
}

/// What is wrong with a typed code, without jargon.
fn code_error(lang: Lang, error: &CodeError) -> String {
    let t = texts(lang);
    match error {
        CodeError::WrongLength(0) => t.code_missing.to_string(),
        CodeError::WrongLength(n) => (t.code_length)(*n),
        CodeError::BadCharacter(c, hint) => {
            let never = (t.code_never)(*c);
            let (try_word, or_word, comma) = t.code_try;
            match suggestions(hint).split_last() {
                None => never,
                Some((last, [])) => format!("{never} {try_word} {last}."),
                Some((last, rest)) => format!("{never} {try_word} {} {or_word} {last}.", rest.join(comma)),
            }
        }
    }
}

/// The characters the core suggests instead of a look-alike. The core writes its hint in
/// English (" (try 3, C or U)"); the suggestions are exactly its code characters, so they
/// are picked out here and put into a sentence in the child's language.
fn suggestions(hint: &str) -> Vec<String> {
    hint.chars()
        .filter(|c| (c.is_ascii_uppercase() || c.is_ascii_digit()) && CODE_ALPHABET.contains(&(*c as u8)))
        .map(String::from)
        .collect()
}

/// A questionnaire text as shown in `lang`, with the language it is really in. A draft
/// translation may lack a text, and [`Text::get`] then falls back to Swedish (then English);
/// the page marks each text with the language it is in, so that screen readers and the
/// read-aloud voice read it as what it is. Follows `Text::get`'s order exactly.
pub fn shown<'t>(text: &'t Text, lang: &str) -> (&'t str, &'t str) {
    for wanted in [lang, "sv", "en"] {
        if let Some((code, words)) = text.iter().find(|(code, words)| *code == wanted && !words.is_empty()) {
            return (words, code);
        }
    }
    text.iter().next().map(|(code, words)| (words, code)).unwrap_or(("", ""))
}

/// Something the child should know, shown on the start page.
#[derive(Clone, Debug, PartialEq)]
pub enum Notice {
    /// The typed code cannot be a code.
    Code(CodeError),
    /// The server said no (a wrong code, too many tries); its own words.
    Refused(String),
    /// The server could not be reached.
    Network,
    /// The server answered, but not as expected.
    Server,
    /// The questionnaire did not pass the core's checks.
    Questionnaire,
    /// The stored answers could not be opened.
    Answers,
    /// The login session is over (logged out elsewhere, or timed out).
    SessionEnded,
    /// Another login with the same code saved answers this tab cannot open without the code.
    ChangedElsewhere,
    /// The child chose to stop for now on the help screen. Not a problem, so the start page
    /// shows it as a calm note rather than as an error.
    Stopped,
    /// Logged out after no answer to "Are you still there?". A calm note too: nobody did
    /// anything wrong.
    Idle,
    /// A kiosk has started many assessments just now: wait and press Start again.
    KioskBusy,
    /// A kiosk's round is not open today.
    KioskClosed,
    /// This browser is no kiosk (any more), or its registration link did not work.
    KioskGone,
}

impl Notice {
    /// Whether the notice tells of something that went wrong (shown as an error by the code
    /// field) rather than something the child chose.
    pub fn is_problem(&self) -> bool {
        !matches!(self, Notice::Stopped | Notice::Idle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use beratta_core::login::ChildCode;

    fn code_notice(lang: Lang, input: &str) -> String {
        match ChildCode::parse(input) {
            Ok(_) => "ok".to_string(),
            Err(error) => sentence(lang, &Notice::Code(error)),
        }
    }

    #[test]
    fn code_errors_read_as_sentences_in_every_language() {
        assert_eq!(code_notice(Lang::Sv, "H7KC-R4T-M9W-3E0"), "Koden har aldrig tecknet ”0”. Prova 3, C eller U.");
        assert_eq!(code_notice(Lang::En, "H7KC-R4T-M9W-3E1"), "The code never has “1” in it. Try 7 or J.");
        assert_eq!(code_notice(Lang::En, "h7kc-r4t-m9w-3e!"), "The code never has “!” in it.");
        assert_eq!(code_notice(Lang::Sv, ""), "Skriv koden från din lapp.");
        assert_eq!(
            code_notice(Lang::En, "H7KC"),
            "The code has 13 letters and numbers. You typed 4. Have another look at your note."
        );
        assert_eq!(code_notice(Lang::Ar, "H7KC-R4T-M9W-3E0"), "الرمز لا يحتوي أبدًا على «0». ربما المقصود 3، C أو U.");
        // The draft languages' frame is English.
        assert_eq!(code_notice(Lang::So, ""), "Type the code from your note.");
    }

    /// The help screen is read by a child who may be in danger: every language names every
    /// place to get help, and nothing on it raises its voice.
    #[test]
    fn help_texts_name_every_place_calmly() {
        for lang in Lang::ALL {
            let t = texts(lang);
            let screen: Vec<&str> = [
                t.help_screen_heading,
                t.help_screen_not_alone,
                t.help_screen_where,
                t.help_screen_reader,
                t.help_screen_choice,
                t.help_go_on,
                t.help_stop,
                t.stopped_note,
            ]
            .into_iter()
            .chain(t.help_screen_places.iter().flat_map(|(who, how)| [*who, *how]))
            .collect();
            let aside = [t.help_heading, t.help_danger, t.help_bris, t.help_kompis, t.help_school];
            let school = match lang.ui() {
                Lang::Sv => "skol",
                Lang::Ar => "المدرسة",
                _ => "school",
            };
            for texts in [&screen[..], &aside[..]] {
                let all = texts.join(" ");
                for needed in ["112", "116 111", "Jourhavande kompis", school] {
                    assert!(all.contains(needed), "{lang:?} help texts do not mention {needed}");
                }
                assert!(!all.contains('!'), "{lang:?} help texts raise their voice: {all}");
            }
        }
    }

    /// A child in an anonymous round is told, before the first question, that nobody will
    /// know who answered, and where to get help, since nobody can come to them.
    #[test]
    fn the_anonymous_notice_says_nobody_will_know_and_names_where_help_is_in_every_language() {
        for lang in Lang::ALL {
            let t = texts(lang);
            let notice =
                [t.anonymous_heading, t.anonymous_nobody, t.anonymous_why, t.anonymous_help, t.anonymous_start];
            assert!(notice.iter().all(|s| !s.trim().is_empty()), "{lang:?}");
            for needed in ["112", "116 111"] {
                assert!(t.anonymous_help.contains(needed), "{lang:?} does not mention {needed}");
            }
            assert!(!notice.join(" ").contains('!'), "{lang:?} raises its voice");
            assert_ne!(t.help_screen_anonymous, t.help_screen_reader, "{lang:?}");
        }
        assert!(texts(Lang::Sv).anonymous_nobody.contains("Ingen kommer att veta vem som svarade"));
    }

    #[test]
    fn draft_languages_are_shown_the_english_texts() {
        for lang in Lang::ALL {
            assert!(std::ptr::eq(texts(lang), texts(lang.ui())), "{lang:?}");
        }
        assert!(std::ptr::eq(texts(Lang::Fa), texts(Lang::En)));
    }

    #[test]
    fn no_voice_names_the_language_in_the_frame_language() {
        assert_eq!(no_voice(Lang::Sv, "sv"), "Ingen uppläsning på svenska på den här enheten");
        assert_eq!(no_voice(Lang::En, "ar"), "No read-aloud in Arabic on this device");
        assert_eq!(no_voice(Lang::Ti, "ti"), "No read-aloud in Tigrinya on this device");
        assert_eq!(no_voice(Lang::Ar, "ar"), "لا توجد قراءة بصوت عالٍ بالعربية على هذا الجهاز");
    }

    #[test]
    fn a_shown_text_knows_its_language() {
        let text =
            |pairs: &[(&str, &str)]| Text::new(pairs.iter().map(|(l, t)| (l.to_string(), t.to_string())).collect());
        let full = text(&[("ar", "نعم"), ("en", "Yes"), ("sv", "Ja"), ("so", "Haa")]);
        assert_eq!(shown(&full, "ar"), ("نعم", "ar"));
        assert_eq!(shown(&full, "so"), ("Haa", "so"));
        // A draft without this text: Swedish, as `Text::get` gives, and said to be Swedish.
        let partial = text(&[("ar", "نعم"), ("en", "Yes"), ("sv", "Ja"), ("so", "")]);
        assert_eq!(shown(&partial, "so"), ("Ja", "sv"));
        assert_eq!(shown(&partial, "so").0, partial.get("so"));
        assert_eq!(shown(&text(&[("ar", "نعم"), ("en", "Yes")]), "fa"), ("Yes", "en"));
        assert_eq!(shown(&text(&[("ar", "نعم")]), "fa"), ("نعم", "ar"));
    }
}
