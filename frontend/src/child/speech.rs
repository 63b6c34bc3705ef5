//! Read-aloud with the browser's own speech (`speechSynthesis`): nothing is sent anywhere,
//! the device speaks. A child who reads slowly, or not yet, can hear each question and each
//! answer in the language it is written in.
//!
//! Voices are the device's: many have none for Somali or Tigrinya, and some have none at all.
//! A speaker then says so (see [`Voices::has`]) rather than reading Arabic with an English
//! voice or silently doing nothing. Browsers fill the voice list late, so [`use_voices`]
//! listens for `voiceschanged`.

use gloo::events::EventListener;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{SpeechSynthesis, SpeechSynthesisUtterance, SpeechSynthesisVoice};
use yew::prelude::*;

/// The BCP 47 tag an utterance in `code` is given: the regional variant a child in Sweden most
/// likely hears (Swedish from Sweden, Tigrinya from Eritrea), or the bare code.
pub fn bcp47(code: &str) -> &str {
    match code {
        "sv" => "sv-SE",
        "en" => "en-GB",
        "ar" => "ar",
        "so" => "so-SO",
        "ti" => "ti-ER",
        "fa" => "fa-IR",
        "uk" => "uk-UA",
        other => other,
    }
}

/// Which of the voices (given by their language tags, in the browser's order) reads text in
/// `code`: the one for the usual variant ([`bcp47`]) if there is one, otherwise the first whose
/// language is `code` in any region. Tags are compared without regard to case, and with `_`
/// read as `-`, as some platforms write them (`sv_SE`). `None` means no voice fits.
pub fn pick_voice<'a>(langs: impl IntoIterator<Item = &'a str>, code: &str) -> Option<usize> {
    if code.is_empty() {
        return None;
    }
    let preferred = bcp47(code);
    let mut fallback = None;
    for (i, lang) in langs.into_iter().enumerate() {
        let lang = lang.trim().replace('_', "-");
        if lang.eq_ignore_ascii_case(preferred) {
            return Some(i);
        }
        let primary = lang.split('-').next().unwrap_or_default();
        if fallback.is_none() && primary.eq_ignore_ascii_case(code) {
            fallback = Some(i);
        }
    }
    fallback
}

/// The page's speech engine, if the browser has one. Read as a plain property, so that a
/// browser without it gives `None` instead of a value whose every call would throw.
fn synth() -> Option<SpeechSynthesis> {
    let window = web_sys::window()?;
    let value = js_sys::Reflect::get(&window, &JsValue::from_str("speechSynthesis")).ok()?;
    value.is_object().then(|| value.unchecked_into())
}

/// The device's voices, each with its language tag read once.
#[derive(Clone, Default)]
pub struct Voices(Rc<Vec<(String, SpeechSynthesisVoice)>>);

impl PartialEq for Voices {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Voices {
    fn load() -> Voices {
        let list = synth()
            .map(|s| {
                s.get_voices()
                    .iter()
                    .filter(JsValue::is_object)
                    .map(|v| {
                        let voice: SpeechSynthesisVoice = v.unchecked_into();
                        (voice.lang(), voice)
                    })
                    .collect()
            })
            .unwrap_or_default();
        Voices(Rc::new(list))
    }

    fn find(&self, code: &str) -> Option<&SpeechSynthesisVoice> {
        pick_voice(self.0.iter().map(|(lang, _)| lang.as_str()), code).map(|i| &self.0[i].1)
    }

    /// Whether this device can read text in `code` aloud.
    pub fn has(&self, code: &str) -> bool {
        self.find(code).is_some()
    }
}

/// The device's voices, updated when the browser finishes loading them.
#[hook]
pub fn use_voices() -> Voices {
    let voices = use_state(Voices::load);
    {
        let voices = voices.clone();
        use_effect_with((), move |_| {
            // The list may have filled between the first render and now, with the event
            // already gone by: read it once more.
            let now = Voices::load();
            if now.0.len() != voices.0.len() {
                voices.set(now);
            }
            let listener = synth().map(|s| {
                let voices = voices.clone();
                EventListener::new(&s, "voiceschanged", move |_| voices.set(Voices::load()))
            });
            move || drop(listener)
        });
    }
    (*voices).clone()
}

/// Reads `parts` (each a text and the language code it is in) one after the other, after
/// stopping whatever was being read. A part without a voice on this device is left out.
pub fn speak(voices: &Voices, parts: &[(&str, &str)]) {
    let Some(synth) = synth() else { return };
    synth.cancel();
    for (text, code) in parts {
        let text = text.trim();
        let Some(voice) = voices.find(code).filter(|_| !text.is_empty()) else { continue };
        let Ok(utterance) = SpeechSynthesisUtterance::new_with_text(text) else { continue };
        utterance.set_lang(bcp47(code));
        // Set through Reflect: a voice object the browser does not accept as its own makes the
        // setter throw, and that must cost the voice choice, never the app.
        let _ = js_sys::Reflect::set(&utterance, &JsValue::from_str("voice"), voice);
        synth.speak(&utterance);
    }
}

/// Stops reading: a question's words must not go on once the child has left it (or the
/// page, on a shared computer).
pub fn stop() {
    if let Some(synth) = synth() {
        synth.cancel();
    }
}

/// A loudspeaker drawn with two strokes; with a cross instead of sound waves when there is no
/// voice. Decorative: the button around it carries the words.
pub fn speaker_icon(available: bool) -> Html {
    html! {
        <svg class="speaker" viewBox="0 0 24 24" aria-hidden="true">
            <path class="speaker-cone" d="M3 9.5h4l5-4.5v14l-5-4.5H3z" />
            if available {
                <path class="speaker-waves" d="M15.5 9a4 4 0 0 1 0 6M18 6.5a7.5 7.5 0 0 1 0 11" />
            } else {
                <path class="speaker-waves" d="M15.5 9.5l5 5M20.5 9.5l-5 5" />
            }
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_voice_is_chosen_by_its_language() {
        let voices = ["en-US", "sv_SE", "ar-SA", "en-GB", "sv-FI", "fa-IR"];
        // The usual variant beats the first of the language.
        assert_eq!(pick_voice(voices, "en"), Some(3));
        assert_eq!(pick_voice(voices, "sv"), Some(1), "sv_SE is sv-SE");
        // Any region will do when the usual one is missing.
        assert_eq!(pick_voice(voices, "ar"), Some(2));
        assert_eq!(pick_voice(["sv-FI"], "sv"), Some(0));
        assert_eq!(pick_voice(["FA-ir"], "fa"), Some(0), "case does not matter");
        // No voice for the language: none, never a voice of another language.
        assert_eq!(pick_voice(voices, "so"), None);
        assert_eq!(pick_voice(["svx-SE", "s"], "sv"), None, "the whole primary subtag must match");
        assert_eq!(pick_voice([""], ""), None);
        assert_eq!(pick_voice(std::iter::empty(), "sv"), None);
    }

    #[test]
    fn utterances_are_tagged_with_a_region_where_one_is_usual() {
        assert_eq!(bcp47("sv"), "sv-SE");
        assert_eq!(bcp47("en"), "en-GB");
        assert_eq!(bcp47("ar"), "ar");
        assert_eq!(bcp47("de"), "de");
    }
}
