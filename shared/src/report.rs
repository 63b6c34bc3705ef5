//! The instrument report: for one questionnaire, which items measure each factor of its age
//! band, how many screens an untroubled child and a child with every risk see, and how easy
//! the Swedish is to read (LIX). `make instrument-report` prints it; tests hold the limits.

use crate::catalogue::{Catalogue, FactorKind};
use crate::engine::{Action, Answer, Session};
use crate::questionnaire::{Kind, Origin, Questionnaire};
use std::collections::BTreeMap;
use std::fmt;

/// The report of one questionnaire.
#[derive(Clone, Debug, PartialEq)]
pub struct InstrumentReport {
    pub reference: String,
    pub band: String,
    /// Every catalogue factor of the band, with the authored items that measure it.
    pub coverage: BTreeMap<String, Vec<String>>,
    /// Screens a child who tells of no risk sees.
    pub untroubled_screens: usize,
    /// Screens a child who tells of every risk sees.
    pub troubled_screens: usize,
    pub lix: Lix,
}

impl InstrumentReport {
    pub fn new(q: &Questionnaire, catalogue: &Catalogue) -> InstrumentReport {
        let band = q.ages.clone().unwrap_or_default();
        let mut coverage: BTreeMap<String, Vec<String>> = catalogue
            .factors()
            .iter()
            .filter(|f| f.bands.contains(&band))
            .map(|f| (f.id.clone(), Vec::new()))
            .collect();
        for item in q.items.iter().filter(|i| i.origin == Origin::Authored) {
            for factor in item.measures() {
                coverage.entry(factor.to_string()).or_default().push(item.id.clone());
            }
        }
        // Authored questions, and each chain question once (they repeat in every chain).
        let mut texts: Vec<&str> = Vec::new();
        for item in &q.items {
            let text = item.text.get("sv");
            if item.origin == Origin::Authored || !texts.contains(&text) {
                texts.push(text);
            }
        }
        InstrumentReport {
            reference: q.reference(),
            band,
            coverage,
            untroubled_screens: walk(q, false),
            troubled_screens: walk(q, true),
            lix: Lix::of(texts),
        }
    }

    /// Factors of the band no item measures.
    pub fn uncovered(&self) -> Vec<&str> {
        self.coverage.iter().filter(|(_, items)| items.is_empty()).map(|(f, _)| f.as_str()).collect()
    }
}

impl fmt::Display for InstrumentReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "== {} (ages {})", self.reference, self.band)?;
        writeln!(f, "screens, no risks told:    {}", self.untroubled_screens)?;
        writeln!(f, "screens, every risk told:  {}", self.troubled_screens)?;
        writeln!(
            f,
            "LIX (Swedish item texts):  {:.1}  ({} words, {} sentences, {} long words)",
            self.lix.value(),
            self.lix.words,
            self.lix.sentences,
            self.lix.long_words
        )?;
        writeln!(f, "factors ({}):", self.coverage.len())?;
        for (factor, items) in &self.coverage {
            let items = if items.is_empty() { "NOT COVERED".to_string() } else { items.join(", ") };
            writeln!(f, "  {factor:<28} {items}")?;
        }
        Ok(())
    }
}

/// A complete pass. `troubled` picks every answer that signals a risk; otherwise answers
/// that signal none. Returns the number of screens shown.
pub fn walk(q: &Questionnaire, troubled: bool) -> usize {
    let is_risk = |signal: Option<&str>| signal.and_then(|s| q.factor(s)).is_some_and(|f| f.kind == FactorKind::Risk);
    let mut s = Session::start(q);
    let mut screens = 0;
    while let Some(i) = s.current(q) {
        let item = &q.items[i];
        let risky: Vec<&str> =
            item.options.iter().filter(|o| is_risk(o.signals.as_deref())).map(|o| o.id.as_str()).collect();
        let calm: Vec<&str> =
            item.options.iter().filter(|o| !is_risk(o.signals.as_deref())).map(|o| o.id.as_str()).collect();
        let answer = match (item.kind, troubled) {
            (Kind::Text, _) => Answer::Declined,
            (Kind::Multiple, true) if !risky.is_empty() => {
                Answer::Choices(risky.iter().map(|s| s.to_string()).collect())
            }
            (Kind::Multiple, _) => match item.options.iter().find(|o| o.exclusive) {
                Some(none) => Answer::Choices([none.id.clone()].into()),
                None => calm.first().map_or(Answer::Declined, |c| Answer::Choices([c.to_string()].into())),
            },
            (_, true) if !risky.is_empty() => Answer::Choice(risky[risky.len() - 1].to_string()),
            // A chain's help question: the troubled child wants help; either way any answer.
            (_, _) => calm.first().map_or(Answer::Declined, |c| Answer::Choice(c.to_string())),
        };
        s = s.apply(q, Action::Answer { item: item.id.clone(), answer }).expect("a report walk gives fitting answers");
        screens += 1;
    }
    screens
}

/// LIX (läsbarhetsindex): words per sentence + 100 × the share of words longer than six
/// letters. Under 25 is very easy (children's books), 30–40 plain everyday prose.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Lix {
    pub words: usize,
    pub sentences: usize,
    pub long_words: usize,
}

impl Lix {
    /// Each text is at least one sentence; `.`, `!`, `?`, `:` and `;` end sentences.
    pub fn of<'a>(texts: impl IntoIterator<Item = &'a str>) -> Lix {
        let mut lix = Lix::default();
        for text in texts {
            let mut sentences = 0;
            let mut words_since_end = 0;
            for word in text.split(|c: char| !c.is_alphanumeric() && !".!?:;".contains(c)) {
                let letters = word.chars().filter(|c| c.is_alphabetic()).count();
                if letters > 0 {
                    lix.words += 1;
                    words_since_end += 1;
                    if letters > 6 {
                        lix.long_words += 1;
                    }
                }
                if word.chars().any(|c| ".!?:;".contains(c)) && words_since_end > 0 {
                    sentences += 1;
                    words_since_end = 0;
                }
            }
            if words_since_end > 0 {
                sentences += 1;
            }
            lix.sentences += sentences;
        }
        lix
    }

    pub fn value(&self) -> f64 {
        if self.words == 0 || self.sentences == 0 {
            return 0.0;
        }
        self.words as f64 / self.sentences as f64 + 100.0 * self.long_words as f64 / self.words as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::tests::{catalogue, valid};

    #[test]
    fn lix_counts_words_sentences_and_long_words() {
        // 5 words, 2 sentences, 1 word over six letters: 5/2 + 100 × 1/5.
        let lix = Lix::of(["Hur mår du? Berätta gärna."]);
        assert_eq!((lix.words, lix.sentences, lix.long_words), (5, 2, 1));
        assert!((lix.value() - (2.5 + 20.0)).abs() < 1e-9);
        let lix = Lix::of(["Är det lugnt hemma", "Ja"]);
        assert_eq!((lix.words, lix.sentences, lix.long_words), (5, 2, 0));
    }

    #[test]
    fn the_fixture_report_counts_both_walks_and_finds_uncovered_factors() {
        let q = valid();
        let report = InstrumentReport::new(&q, &catalogue());
        // No risks: adult, teased, lives_with, lately, words.
        assert_eq!(report.untroubled_screens, 5);
        // Every risk: adult, teased + worry + help, teased_where, lives_with, lately + two
        // chains of three, safe, words.
        assert_eq!(report.troubled_screens, 15);
        assert_eq!(report.coverage["r.teased"], ["teased"]);
        assert_eq!(report.uncovered(), ["r.view"], "the fixture never asks about r.view");
    }
}
