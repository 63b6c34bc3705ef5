//! Every word the app itself shows, in Swedish, English and Arabic, written for a
//! ten-year-old (the Arabic texts are in [`ar`]).
//!
//! Questionnaire texts are not here: they come with the questionnaire, in every language it
//! declares. This module holds only the frame around them (buttons, messages, the finish
//! page) and turns [`Notice`]s into sentences. A child may also choose a language the
//! questionnaires have only in draft (Somali, Tigrinya, Persian, Ukrainian): the questions
//! are then in that language and the frame in English, since a reviewed frame in English is
//! better than an unreviewed one in the child's language.

mod ar;

use crate::common::lang::Lang;
use ar::AR;
use beratta_core::login::{CodeError, CODE_ALPHABET, CODE_LEN};
use beratta_core::text::Text;

/// The app's own texts in `lang`: in the language itself where they are written in it,
/// in English for the draft languages ([`Lang::ui`]).
pub fn texts(lang: Lang) -> &'static Texts {
    match lang.ui() {
        Lang::Sv => &SV,
        Lang::Ar => &AR,
        _ => &EN,
    }
}

/// The visible progress label, e.g. "40 % klart".
pub fn progress_done(lang: Lang, percent: u8) -> String {
    match lang.ui() {
        Lang::Sv => format!("{percent} % klart"),
        Lang::Ar => format!("تمّ {percent}٪"),
        _ => format!("{percent}% done"),
    }
}

/// The accessible name of the speaker beside an answer option.
pub fn read_option(lang: Lang, option: &str) -> String {
    match lang.ui() {
        Lang::Sv => format!("Läs upp: {option}"),
        Lang::Ar => format!("اقرأ لي: {option}"),
        _ => format!("Read aloud: {option}"),
    }
}

/// What a speaker says when this device has no voice for text in `spoken` (a language
/// code), e.g. "Ingen uppläsning på svenska på den här enheten".
pub fn no_voice(lang: Lang, spoken: &str) -> String {
    let spoken = Lang::from_code(spoken);
    match (lang.ui(), spoken) {
        (Lang::Sv, Some(l)) => format!("Ingen uppläsning på {} på den här enheten", name_in(l, Lang::Sv)),
        (Lang::Sv, None) => "Ingen uppläsning på det här språket på den här enheten".to_string(),
        (Lang::Ar, Some(l)) => format!("لا توجد قراءة بصوت عالٍ {} على هذا الجهاز", name_in(l, Lang::Ar)),
        (Lang::Ar, None) => "لا توجد قراءة بصوت عالٍ بهذه اللغة على هذا الجهاز".to_string(),
        (_, Some(l)) => format!("No read-aloud in {} on this device", name_in(l, Lang::En)),
        (_, None) => "No read-aloud in this language on this device".to_string(),
    }
}

/// The language's name as a sentence in `ui` uses it ("svenska", "Swedish", "بالسويدية").
fn name_in(lang: Lang, ui: Lang) -> &'static str {
    match (ui, lang) {
        (Lang::Sv, Lang::Sv) => "svenska",
        (Lang::Sv, Lang::En) => "engelska",
        (Lang::Sv, Lang::Ar) => "arabiska",
        (Lang::Sv, Lang::So) => "somaliska",
        (Lang::Sv, Lang::Ti) => "tigrinja",
        (Lang::Sv, Lang::Fa) => "persiska",
        (Lang::Sv, Lang::Uk) => "ukrainska",
        (Lang::Ar, Lang::Sv) => "بالسويدية",
        (Lang::Ar, Lang::En) => "بالإنجليزية",
        (Lang::Ar, Lang::Ar) => "بالعربية",
        (Lang::Ar, Lang::So) => "بالصومالية",
        (Lang::Ar, Lang::Ti) => "بالتغرينية",
        (Lang::Ar, Lang::Fa) => "بالفارسية",
        (Lang::Ar, Lang::Uk) => "بالأوكرانية",
        (_, Lang::Sv) => "Swedish",
        (_, Lang::En) => "English",
        (_, Lang::Ar) => "Arabic",
        (_, Lang::So) => "Somali",
        (_, Lang::Ti) => "Tigrinya",
        (_, Lang::Fa) => "Persian",
        (_, Lang::Uk) => "Ukrainian",
    }
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
    }
}

/// What is wrong with a typed code, without jargon.
fn code_error(lang: Lang, error: &CodeError) -> String {
    match (lang.ui(), error) {
        (Lang::Sv, CodeError::WrongLength(0)) => "Skriv koden från din lapp.".to_string(),
        (Lang::Ar, CodeError::WrongLength(0)) => "يُرجى كتابة الرمز الموجود على ورقتك.".to_string(),
        (_, CodeError::WrongLength(0)) => "Type the code from your note.".to_string(),
        (Lang::Sv, CodeError::WrongLength(n)) => {
            format!("Koden har {CODE_LEN} tecken. Du har skrivit {n}. Titta på lappen igen.")
        }
        (Lang::Ar, CodeError::WrongLength(n)) => {
            format!("يتكوّن الرمز من {CODE_LEN} حرفًا ورقمًا. كتبت {n}. يُرجى النظر إلى ورقتك مرة أخرى.")
        }
        (_, CodeError::WrongLength(n)) => {
            format!("The code has {CODE_LEN} letters and numbers. You typed {n}. Have another look at your note.")
        }
        (lang, CodeError::BadCharacter(c, hint)) => {
            let suggestions = suggestions(hint);
            // Arabic has no imperative that fits a girl and a boy alike, so it offers the
            // suggestions ("perhaps it is …") instead of telling the child to try them.
            let (never, try_word, or_word, comma) = match lang {
                Lang::Sv => (format!("Koden har aldrig tecknet ”{c}”."), "Prova", "eller", ", "),
                Lang::Ar => (format!("الرمز لا يحتوي أبدًا على «{c}»."), "ربما المقصود", "أو", "، "),
                _ => (format!("The code never has “{c}” in it."), "Try", "or", ", "),
            };
            match suggestions.split_last() {
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
}

impl Notice {
    /// Whether the notice tells of something that went wrong (shown as an error by the code
    /// field) rather than something the child chose.
    pub fn is_problem(&self) -> bool {
        !matches!(self, Notice::Stopped | Notice::Idle)
    }
}

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
}

static SV: Texts = Texts {
    app_name: "Berätta",
    page_title: "Berätta – hur har du det?",
    language: "Språk",
    start_heading: "Hej! Berätta hur du har det",
    start_intro: "Här får du svara på frågor om ditt liv. Det finns inga rätta eller fel svar.",
    start_skip: "Du bestämmer själv. Du kan hoppa över en fråga och gå tillbaka och ändra dina svar.",
    code_label: "Din kod",
    code_hint: "Koden står på lappen som du fick.",
    start_button: "Börja",
    checking: "Vi kollar din kod …",
    resuming: "Vi hämtar dina svar …",
    logout: "Logga ut",
    listen: "Lyssna",
    auto_read: "Läs upp frågorna",
    back: "Tillbaka",
    next: "Nästa",
    skip: "Jag vill inte svara",
    pick_any: "Du kan välja flera.",
    write_here: "Skriv här om du vill",
    about: "Det här handlar om:",
    progress_name: "Hur långt du har kommit",
    saving: "Sparar …",
    saved: "Sparat ✓",
    offline: "Inte sparat än – vi försöker igen",
    finish_heading: "Du är klar. Tack för att du berättade.",
    finish_reader: "Den vuxna som bjöd in dig kommer att läsa dina svar. Sedan pratar ni med varandra om dem.",
    finish_change: "Vill du ändra något? Då kan du gå tillbaka till frågorna.",
    finish_back: "Ändra mina svar",
    finish_logout: "När du är klar kan du logga ut.",
    help_heading: "Om du behöver hjälp nu",
    help_danger: "Är du i fara just nu? Ring 112.",
    help_bris: "Du kan ringa eller chatta med BRIS på 116 111. Det är gratis och syns inte på telefonräkningen.",
    help_kompis: "Jourhavande kompis är en chatt för unga. Du hittar den på jourhavandekompis.se.",
    help_school: "Du kan också prata med skolkuratorn, skolsköterskan eller en annan vuxen du litar på.",
    help_screen_heading: "Tack för att du berättade det här",
    help_screen_not_alone: "Du är inte ensam. Och det är inte ditt fel.",
    help_screen_where: "Här kan du få hjälp nu:",
    help_screen_places: [
        ("112", "Ring 112 om du är i fara just nu."),
        ("BRIS, 116 111", "Ring eller chatta. Det är gratis och syns inte på telefonräkningen."),
        ("Jourhavande kompis", "En chatt för unga. Du hittar den på jourhavandekompis.se."),
        ("En vuxen i skolan", "Prata med skolkuratorn, skolsköterskan eller en annan vuxen i skolan som du litar på."),
    ],
    help_screen_reader: "Den vuxna som bjöd in dig kommer att läsa det du har berättat här.",
    help_screen_choice: "Du bestämmer själv om du vill fortsätta med frågorna eller sluta för nu. Ditt svar sparas i alla fall.",
    help_go_on: "Fortsätt med frågorna",
    help_status_heading: "Det du ville ha hjälp med",
    help_status_planned: "De vuxna har planerat hur de ska hjälpa dig.",
    help_status_handled: "Det här är gjort.",
    help_status_note: "Till dig:",
    help_stop: "Sluta för nu",
    stopping: "Vi sparar dina svar …",
    stopped_note: "Du har slutat för nu. Du kan komma tillbaka när du vill med samma kod.",
    network: "Vi får ingen kontakt med servern. Kolla att datorn har internet och försök igen.",
    server: "Något gick fel hos oss. Försök igen om en liten stund.",
    questionnaire_broken: "Frågorna gick inte att öppna. Säg till den vuxna som gav dig koden.",
    answers_unreadable: "Dina sparade svar gick inte att öppna. Säg till den vuxna som gav dig koden.",
    session_ended: "Du har blivit utloggad. Skriv din kod igen för att fortsätta.",
    changed_elsewhere: "Dina svar har ändrats på en annan dator. Skriv din kod igen för att se dem och fortsätta.",
    quick_exit: "Stäng snabbt",
    neutral_title: "Dagens väder",
    neutral_summary: "Växlande molnighet och några regnskurar fram till lunch. Uppehåll och sol på eftermiddagen.",
    neutral_hours: [("Morgon", "9 grader, svag vind"), ("Eftermiddag", "14 grader, sol"), ("Kväll", "10 grader, klart")],
    neutral_tip: "Kvällen blir lite kylig, så en jacka kan vara bra.",
    idle_heading: "Är du kvar?",
    idle_text: "Det har varit stilla ett tag. Tryck på knappen om du vill fortsätta. Annars loggar vi ut dig om en liten stund.",
    still_here: "Ja, jag är kvar",
    idle_note: "Du har loggats ut eftersom det var stilla ett tag. Skriv din kod igen när du vill fortsätta.",
};

static EN: Texts = Texts {
    app_name: "Berätta",
    page_title: "Berätta – how are you doing?",
    language: "Language",
    start_heading: "Hi! Tell us how you are doing",
    start_intro: "Here you can answer questions about your life. There are no right or wrong answers.",
    start_skip: "You decide. You can skip a question, and you can go back and change your answers.",
    code_label: "Your code",
    code_hint: "The code is on the note you were given.",
    start_button: "Start",
    checking: "Checking your code…",
    resuming: "Getting your answers…",
    logout: "Log out",
    listen: "Listen",
    auto_read: "Read questions aloud",
    back: "Back",
    next: "Next",
    skip: "I'd rather not answer",
    pick_any: "You can pick more than one.",
    write_here: "Write here if you want to",
    about: "This is about:",
    progress_name: "How far you have come",
    saving: "Saving…",
    saved: "Saved ✓",
    offline: "Not saved yet – we'll try again",
    finish_heading: "You're done. Thank you for telling us.",
    finish_reader: "The adult who invited you will read your answers. Then you will talk about them together.",
    finish_change: "Want to change something? You can go back to the questions.",
    finish_back: "Change my answers",
    finish_logout: "When you are finished, you can log out.",
    help_heading: "If you need help now",
    help_danger: "Are you in danger right now? Call 112.",
    help_bris: "You can call or chat with BRIS on 116 111. It is free and does not show on the phone bill.",
    help_kompis: "Jourhavande kompis is a chat for young people. You can find it at jourhavandekompis.se.",
    help_school: "You can also talk to the school counsellor, the school nurse or another adult you trust.",
    help_screen_heading: "Thank you for telling us this",
    help_screen_not_alone: "You are not alone. And it is not your fault.",
    help_screen_where: "This is where you can get help now:",
    help_screen_places: [
        ("112", "Call 112 if you are in danger right now."),
        ("BRIS, 116 111", "Call or chat. It is free and does not show on the phone bill."),
        ("Jourhavande kompis", "A chat for young people. You can find it at jourhavandekompis.se."),
        ("An adult at school", "Talk to the school counsellor, the school nurse or another adult at school you trust."),
    ],
    help_screen_reader: "The adult who invited you will read what you have told us here.",
    help_screen_choice: "You decide whether to go on with the questions or stop for now. Your answer is kept either way.",
    help_go_on: "Go on with the questions",
    help_status_heading: "What you wanted help with",
    help_status_planned: "The adults have planned how to help.",
    help_status_handled: "This has been done.",
    help_status_note: "For you:",
    help_stop: "Stop for now",
    stopping: "Saving your answers…",
    stopped_note: "You have stopped for now. You can come back any time with the same code.",
    network: "We can't reach the server. Check that the computer is online and try again.",
    server: "Something went wrong on our side. Please try again in a little while.",
    questionnaire_broken: "The questions could not be opened. Please tell the adult who gave you the code.",
    answers_unreadable: "Your saved answers could not be opened. Please tell the adult who gave you the code.",
    session_ended: "You have been logged out. Type your code again to go on.",
    changed_elsewhere: "Your answers were changed on another computer. Type your code again to see them and go on.",
    quick_exit: "Quick exit",
    neutral_title: "Today's weather",
    neutral_summary: "Changing cloud and a few showers until lunch. Dry and sunny in the afternoon.",
    neutral_hours: [("Morning", "9 degrees, light wind"), ("Afternoon", "14 degrees, sunny"), ("Evening", "10 degrees, clear")],
    neutral_tip: "The evening will be a little chilly, so a jacket is a good idea.",
    idle_heading: "Are you still there?",
    idle_text: "Nothing has happened for a while. Press the button if you want to go on. Otherwise we will log you out in a little while.",
    still_here: "Yes, I'm here",
    idle_note: "You were logged out because nothing happened for a while. Type your code again when you want to go on.",
};

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
