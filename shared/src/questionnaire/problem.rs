//! What can be wrong with a questionnaire file: one [`Problem`] per fault, each reported as a
//! [`ValidationError`] with the file and the item it was found in, and worded for the
//! person who wrote the file.

use std::fmt;

/// What is wrong with a questionnaire, one problem per value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The file is not valid TOML or does not have the questionnaire's shape.
    Syntax(String),
    DuplicateId(String),
    UnknownItem(String),
    UnknownOption {
        item: String,
        option: String,
    },
    UnknownFactor(String),
    UnknownScale(String),
    UnknownSource(String),
    RuleSyntax(String),
    RuleCycle(Vec<String>),
    LaterItem(String),
    RuleOnText(String),
    WrongComparison {
        item: String,
        hint: &'static str,
    },
    Unreachable,
    MissingTranslation {
        place: String,
        language: String,
    },
    UnknownLanguage {
        place: String,
        language: String,
    },
    MissingChain(String),
    NeedlessChain,
    Options(String),
    Scale {
        scale: String,
        reason: String,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Syntax(m) => write!(f, "cannot be read: {m}"),
            Problem::DuplicateId(id) => write!(f, "the id `{id}` is used more than once"),
            Problem::UnknownItem(id) => write!(f, "the rule names `{id}`, which is not an item"),
            Problem::UnknownOption { item, option } => {
                write!(f, "`{option}` is not an option of `{item}`")
            }
            Problem::UnknownFactor(id) => write!(f, "`{id}` is not in the factor catalogue"),
            Problem::UnknownScale(s) => write!(f, "there is no scale `{s}`"),
            Problem::UnknownSource(s) => write!(f, "`{s}` is not a source in the catalogue"),
            Problem::RuleSyntax(m) => write!(f, "the rule cannot be read: {m}"),
            Problem::RuleCycle(ids) => write!(f, "the rules form a cycle: {}", ids.join(" → ")),
            Problem::LaterItem(id) => {
                write!(f, "the rule names `{id}`, which comes later, so it is never answered in time")
            }
            Problem::RuleOnText(id) => {
                write!(f, "the rule names `{id}`, a free-text item; rules cannot read free text")
            }
            Problem::WrongComparison { item, hint } => write!(f, "the rule compares `{item}` wrongly: {hint}"),
            Problem::Unreachable => write!(f, "can never be shown: no answers make its rule true"),
            Problem::MissingTranslation { place, language } => {
                write!(f, "{place} has no text in `{language}`")
            }
            Problem::UnknownLanguage { place, language } => {
                write!(f, "{place} has a text in `{language}`, which is not one of the questionnaire's languages")
            }
            Problem::MissingChain(factor) => {
                write!(f, "it can signal the risk `{factor}`, so it needs `chain = true` (how often → worry → help)")
            }
            Problem::NeedlessChain => {
                write!(f, "has `chain = true` but no answer signals a risk that needs a chain")
            }
            Problem::Options(m) => write!(f, "{m}"),
            Problem::Scale { scale, reason } => write!(f, "scale `{scale}`: {reason}"),
        }
    }
}

/// One problem, with the file and the item (or other place) it was found in.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ValidationError {
    pub file: String,
    pub item: Option<String>,
    pub problem: Problem,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.item {
            Some(item) => write!(f, "{}: item `{}`: {}", self.file, item, self.problem),
            None => write!(f, "{}: {}", self.file, self.problem),
        }
    }
}
