//! What the youngest children's pages (the 6–9 questionnaire) have of their own: a friendly
//! figure beside each question, and less to read on a screen.
//!
//! The figure is decoration only (`aria-hidden`): a round, smiling someone with a wave,
//! drawn from a few shapes, so that the page feels like a conversation and not a form. It is
//! an inline SVG coloured from the style sheet, so it needs no image request and no inline
//! style, and follows forced-colours mode.

use yew::prelude::*;

/// Whether `ages` (the questionnaire's age band) is the youngest one.
pub fn is_young(ages: Option<&str>) -> bool {
    ages == Some("6-9")
}

/// The first sentence of `text` that is a question, or the whole text if none is.
///
/// A follow-up ("How often does it happen?") says what it is about by repeating the question
/// that opened it, and the hardest questions open with a kind sentence ("Nobody is allowed
/// to hit you. Has a grown-up at home hit you?"). The kind sentence was said when it mattered;
/// repeated above every follow-up it only makes a young child read more. Full stops inside
/// words ("jourhavandekompis.se") do not end a sentence: only a stop followed by a space does.
pub fn first_question(text: &str) -> &str {
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        // Latin, Arabic and Persian, and Ethiopic stops and question marks.
        let question = matches!(c, '?' | '؟' | '፧');
        if !(question || matches!(c, '.' | '!' | '።')) {
            continue;
        }
        if chars.peek().is_some_and(|(_, next)| !next.is_whitespace()) {
            continue;
        }
        let end = i + c.len_utf8();
        if question {
            return text[start..end].trim();
        }
        start = end;
    }
    text.trim()
}

/// The buddy: a round friend with a wave. Shapes only, coloured by `.buddy-*` rules.
#[function_component]
pub fn Buddy() -> Html {
    html! {
        <svg id="buddy" class="buddy" viewBox="0 0 120 120" aria-hidden="true">
            <ellipse class="buddy-shadow" cx="60" cy="113" rx="30" ry="5" />
            <path class="buddy-arm buddy-wave" d="M96 62 q12 -10 14 -28" />
            <path class="buddy-arm" d="M24 66 q-10 8 -12 20" />
            <circle class="buddy-body" cx="60" cy="64" r="44" />
            <circle class="buddy-hand buddy-wave" cx="110" cy="32" r="6" />
            <circle class="buddy-hand" cx="12" cy="88" r="6" />
            <ellipse class="buddy-belly" cx="60" cy="80" rx="24" ry="20" />
            <circle class="buddy-eye" cx="45" cy="52" r="6" />
            <circle class="buddy-eye" cx="75" cy="52" r="6" />
            <circle class="buddy-glint" cx="47" cy="50" r="2" />
            <circle class="buddy-glint" cx="77" cy="50" r="2" />
            <circle class="buddy-cheek" cx="36" cy="66" r="6" />
            <circle class="buddy-cheek" cx="84" cy="66" r="6" />
            <path class="buddy-smile" d="M48 68 q12 12 24 0" />
            <path class="buddy-tuft" d="M56 21 q2 -10 10 -12 M60 20 q-4 -8 -12 -8" />
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_question_is_kept_and_the_kind_words_before_it_dropped() {
        assert_eq!(
            first_question("Ingen får slå dig. Har en vuxen hemma slagit dig?"),
            "Har en vuxen hemma slagit dig?"
        );
        assert_eq!(
            first_question("Finns det något du inte vågar säga? För att något dåligt kan hända då?"),
            "Finns det något du inte vågar säga?"
        );
        assert_eq!(first_question("لا يحقّ لأحد أن يضربك. هل ضربك شخص كبير في البيت؟"), "هل ضربك شخص كبير في البيت؟");
        assert_eq!(first_question("Vad passar dig? Du får välja flera."), "Vad passar dig?");
        // An answer option, not a question: all of it.
        assert_eq!(first_question("Jag är ofta rädd eller orolig."), "Jag är ofta rädd eller orolig.");
        assert_eq!(first_question("Titta på jourhavandekompis.se idag?"), "Titta på jourhavandekompis.se idag?");
        assert_eq!(first_question(""), "");
    }

    #[test]
    fn only_the_6_9_band_is_young() {
        assert!(is_young(Some("6-9")));
        assert!(!is_young(Some("10-12")));
        assert!(!is_young(None));
    }
}
