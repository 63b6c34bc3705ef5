//! Texts in several languages, side by side, keyed by language code (`sv`, `en`).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One text in every language of its questionnaire. A validated [`Text`] holds every
/// language its questionnaire declares, so [`Text::get`] never comes back empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Text(BTreeMap<String, String>);

impl Text {
    pub fn new(texts: BTreeMap<String, String>) -> Self {
        Text(texts)
    }

    /// The text in `lang`; failing that in Swedish, the language every text is written in
    /// first, then English, then whatever there is.
    pub fn get(&self, lang: &str) -> &str {
        [lang, "sv", "en"]
            .iter()
            .find_map(|l| self.0.get(*l).filter(|t| !t.is_empty()))
            .or_else(|| self.0.values().next())
            .map(String::as_str)
            .unwrap_or("")
    }

    /// Every language code present, in order.
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// Every (language, text) pair.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(l, t)| (l.as_str(), t.as_str()))
    }

    /// The languages of `required` this text lacks or leaves blank, and the languages it has
    /// that are not in `required` (most often a typo in a key).
    pub fn check_languages<'a>(&self, required: &'a [String]) -> (Vec<&'a str>, Vec<String>) {
        let missing = required
            .iter()
            .filter(|l| self.0.get(*l).is_none_or(|t| t.trim().is_empty()))
            .map(String::as_str)
            .collect();
        let unknown = self.0.keys().filter(|k| !required.contains(k)).cloned().collect();
        (missing, unknown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_language_falls_back_to_swedish_then_english() {
        let text =
            |pairs: &[(&str, &str)]| Text::new(pairs.iter().map(|(l, t)| (l.to_string(), t.to_string())).collect());
        let all = text(&[("ar", "مرحبا"), ("en", "Hello"), ("sv", "Hej")]);
        assert_eq!(all.get("ar"), "مرحبا");
        assert_eq!(all.get("so"), "Hej", "not the alphabetically first language");
        assert_eq!(text(&[("ar", "مرحبا"), ("en", "Hello")]).get("so"), "Hello");
        assert_eq!(text(&[("sv", "")]).get("sv"), "");
    }
}
