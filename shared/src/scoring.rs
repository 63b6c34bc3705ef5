//! Scoring: a session's shown answers turned into a factor profile per domain — the risks a
//! child endorsed with how often, worry and help wish; the protective factors present; what
//! the child told about their situation; the child's own words; and an acute flag.
//!
//! Only shown answers count, so a follow-up that no longer applies never reaches a profile.

use crate::catalogue::FactorKind;
use crate::engine::{Answer, Session};
use crate::questionnaire::{Kind, Origin, Questionnaire, Step};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HowOften {
    Once,
    Sometimes,
    Often,
    VeryOften,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Worry {
    No,
    ALittle,
    ALot,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HelpWish {
    Yes,
    No,
    NotSure,
}

/// A risk the child endorsed, with what its chain told.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskFinding {
    pub factor: String,
    pub item: String,
    /// The picked option, on a multiple-choice item.
    pub option: Option<String>,
    pub acute: bool,
    pub how_often: Option<HowOften>,
    pub worry: Option<Worry>,
    pub wants_help: Option<HelpWish>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProtectiveFinding {
    pub factor: String,
    pub item: String,
}

/// A background answer (who the child lives with, …), as option ids.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackgroundNote {
    pub factor: String,
    pub item: String,
    pub options: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainProfile {
    pub section: String,
    pub risks: Vec<RiskFinding>,
    pub protective: Vec<ProtectiveFinding>,
    pub background: Vec<BackgroundNote>,
    /// Free-text answers in this domain: (item id, the child's words).
    pub own_words: Vec<(String, String)>,
}

/// A child's factor profile, in the order of the questionnaire's sections.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactorProfile {
    pub questionnaire: String,
    pub version: u32,
    /// Some answer means the child may be in danger now.
    pub acute: bool,
    pub domains: Vec<DomainProfile>,
}

impl FactorProfile {
    pub fn risks(&self) -> impl Iterator<Item = &RiskFinding> {
        self.domains.iter().flat_map(|d| &d.risks)
    }

    pub fn protective(&self) -> impl Iterator<Item = &ProtectiveFinding> {
        self.domains.iter().flat_map(|d| &d.protective)
    }
}

/// Scores a session with the questionnaire it was given with.
pub fn score(q: &Questionnaire, session: &Session) -> FactorProfile {
    let mut domains: Vec<DomainProfile> = q
        .sections
        .iter()
        .map(|s| DomainProfile {
            section: s.id.clone(),
            risks: Vec::new(),
            protective: Vec::new(),
            background: Vec::new(),
            own_words: Vec::new(),
        })
        .collect();
    let mut answers = session.shown_answers(q);
    answers.sort_by_key(|(p, _)| *p);
    let answer_at = |p: usize| answers.iter().find(|(i, _)| *i == p).map(|(_, a)| *a);

    for &(pos, answer) in &answers {
        let item = &q.items[pos];
        if !matches!(item.origin, Origin::Authored) {
            continue;
        }
        let domain = &mut domains[item.section];
        let picked: Vec<&str> = match answer {
            Answer::Choice(c) => vec![c.as_str()],
            Answer::Choices(cs) => cs.iter().map(String::as_str).collect(),
            Answer::Text(t) => {
                domain.own_words.push((item.id.clone(), t.clone()));
                continue;
            }
            Answer::Declined => continue,
        };
        if let Some(factor) = &item.describes {
            let options = picked.iter().map(|s| s.to_string()).collect();
            domain.background.push(BackgroundNote { factor: factor.clone(), item: item.id.clone(), options });
        }
        for option_id in picked {
            let Some(factor) = item.option(option_id).and_then(|o| o.signals.as_deref()).and_then(|f| q.factor(f))
            else {
                continue;
            };
            match factor.kind {
                FactorKind::Protective => {
                    if !domain.protective.iter().any(|p| p.factor == factor.id) {
                        domain.protective.push(ProtectiveFinding { factor: factor.id.clone(), item: item.id.clone() });
                    }
                }
                FactorKind::Background => {}
                FactorKind::Risk => {
                    let chain_option = (item.kind == Kind::Multiple).then_some(option_id);
                    let step = |s: Step| {
                        q.follow_up(pos, chain_option, s).and_then(answer_at).and_then(|a| match a {
                            Answer::Choice(c) => Some(c.as_str()),
                            _ => None,
                        })
                    };
                    let how_often = if item.kind == Kind::Frequency {
                        frequency(option_id)
                    } else {
                        step(Step::Often).and_then(how_often)
                    };
                    domain.risks.push(RiskFinding {
                        factor: factor.id.clone(),
                        item: item.id.clone(),
                        option: chain_option.map(str::to_string),
                        acute: factor.acute,
                        how_often,
                        worry: step(Step::Worry).and_then(worry),
                        wants_help: step(Step::Help).and_then(help),
                    });
                }
            }
        }
    }
    let acute = domains.iter().flat_map(|d| &d.risks).any(|r| r.acute);
    FactorProfile { questionnaire: q.id.clone(), version: q.version, acute, domains }
}

/// Whether `answer` to `item` tells of a risk that may mean the child is in danger now, so
/// the child is shown where to get help at once.
pub fn is_acute(q: &Questionnaire, item: &str, answer: &Answer) -> bool {
    let Some(item) = q.item(item) else { return false };
    let picked: Vec<&str> = match answer {
        Answer::Choice(c) => vec![c.as_str()],
        Answer::Choices(cs) => cs.iter().map(String::as_str).collect(),
        Answer::Text(_) | Answer::Declined => return false,
    };
    picked.iter().any(|id| {
        item.option(id)
            .and_then(|o| o.signals.as_deref())
            .and_then(|f| q.factor(f))
            .is_some_and(|f| f.kind == FactorKind::Risk && f.acute)
    })
}

fn frequency(option: &str) -> Option<HowOften> {
    match option {
        "sometimes" => Some(HowOften::Sometimes),
        "often" => Some(HowOften::Often),
        "always" => Some(HowOften::VeryOften),
        _ => None,
    }
}

fn how_often(option: &str) -> Option<HowOften> {
    match option {
        "once" => Some(HowOften::Once),
        "sometimes" => Some(HowOften::Sometimes),
        "often" => Some(HowOften::Often),
        "very_often" => Some(HowOften::VeryOften),
        _ => None,
    }
}

fn worry(option: &str) -> Option<Worry> {
    match option {
        "no" => Some(Worry::No),
        "a_little" => Some(Worry::ALittle),
        "a_lot" => Some(Worry::ALot),
        _ => None,
    }
}

fn help(option: &str) -> Option<HelpWish> {
    match option {
        "yes" => Some(HelpWish::Yes),
        "no" => Some(HelpWish::No),
        "not_sure" => Some(HelpWish::NotSure),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
