//! The questionnaire session as a pure reducer: given a questionnaire, a [`Session`] and an
//! [`Action`], the next session. The same transitions run in the browser, in tests and in
//! property tests.
//!
//! Invariants kept after every action:
//! - an item is *shown* when its rule is true over the answers of shown items; the path is
//!   the shown items in file order;
//! - only shown items keep answers: an answer that no longer applies (a chain whose risk
//!   was taken back) is dropped, so it can be neither scored nor stored;
//! - the position is a shown item, or [`Position::Finished`] once every shown item is
//!   answered.

pub use crate::answer::Answer;
use crate::questionnaire::{Kind, Questionnaire};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Longest free-text answer, in characters.
pub const MAX_TEXT_CHARS: usize = 2000;

/// Where the child is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    At(String),
    Finished,
}

/// What the child does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Answer the current item and go on to the next shown item.
    Answer { item: String, answer: Answer },
    /// Change the answer of an earlier item and stay where you are.
    Change { item: String, answer: Answer },
    /// Go back to the previous shown item.
    Back,
    /// Continue from stored answers, on this or another device.
    Restore(Session),
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    #[error("there is no item `{0}`")]
    UnknownItem(String),
    #[error("item `{0}` is not shown now")]
    NotShown(String),
    #[error("item `{0}` is not the current item")]
    NotCurrent(String),
    #[error("item `{0}` has not been reached yet")]
    NotReached(String),
    #[error("`{option}` is not an option of `{item}`")]
    UnknownOption { item: String, option: String },
    #[error("this answer does not fit item `{0}`")]
    WrongShape(String),
    #[error("`{option}` stands alone on `{item}`")]
    ExclusiveWithOthers { item: String, option: String },
    #[error("the answer to `{0}` is longer than {MAX_TEXT_CHARS} characters")]
    TooLong(String),
}

/// A child's answers and place in one questionnaire: everything that is encrypted and
/// stored, and nothing derived.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub answers: BTreeMap<String, Answer>,
    pub position: Option<Position>,
}

/// What the child sees, derived from a session.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionView {
    /// Position of the current item, `None` when finished.
    pub current: Option<usize>,
    /// The shown items, in order.
    pub path: Vec<usize>,
    /// How far through the questionnaire the child is, from 0 to 1.
    pub progress: f32,
    pub complete: bool,
    /// Shown items with an answer.
    pub answered: usize,
}

impl Session {
    /// A fresh session at the first shown item.
    pub fn start(q: &Questionnaire) -> Session {
        Session::default().normalised(q, None)
    }

    /// Applies `action`; an action that does not fit changes nothing and says why.
    pub fn apply(&self, q: &Questionnaire, action: Action) -> Result<Session, EngineError> {
        match action {
            Action::Answer { item, answer } => {
                let pos = self.checked(q, &item, &answer)?;
                if self.current(q) != Some(pos) {
                    return Err(EngineError::NotCurrent(item));
                }
                let mut next = self.clone();
                next.answers.insert(item, normalise_answer(answer));
                let shown = visibility(q, &next.answers);
                let after = (pos + 1..q.items.len()).find(|&i| shown[i]);
                let position = match after {
                    Some(i) => Position::At(q.items[i].id.clone()),
                    None => Position::Finished,
                };
                Ok(next.normalised(q, Some(position)))
            }
            Action::Change { item, answer } => {
                let pos = self.checked(q, &item, &answer)?;
                if !self.answers.contains_key(&item) && self.current(q) != Some(pos) {
                    return Err(EngineError::NotReached(item));
                }
                let mut next = self.clone();
                next.answers.insert(item, normalise_answer(answer));
                let keep = next.position.clone();
                Ok(next.normalised(q, keep))
            }
            Action::Back => {
                let shown = visibility(q, &self.answers);
                let before = self.current(q).unwrap_or(q.items.len());
                match (0..before).rev().find(|&i| shown[i]) {
                    Some(i) => {
                        let mut next = self.clone();
                        next.position = Some(Position::At(q.items[i].id.clone()));
                        Ok(next)
                    }
                    None => Ok(self.clone()),
                }
            }
            Action::Restore(stored) => {
                // Stored answers are trusted only as far as they fit this questionnaire.
                let answers = stored
                    .answers
                    .into_iter()
                    .filter(|(id, a)| q.position(id).is_some_and(|p| check_answer(q, p, a).is_ok()))
                    .collect();
                Ok(Session { answers, position: None }.normalised(q, stored.position))
            }
        }
    }

    /// Checks that `item` is shown and `answer` fits it; gives the item's position.
    fn checked(&self, q: &Questionnaire, item: &str, answer: &Answer) -> Result<usize, EngineError> {
        let pos = q.position(item).ok_or_else(|| EngineError::UnknownItem(item.to_string()))?;
        if !visibility(q, &self.answers)[pos] {
            return Err(EngineError::NotShown(item.to_string()));
        }
        check_answer(q, pos, answer)?;
        Ok(pos)
    }

    /// Drops answers of items no longer shown and puts the position on a shown item:
    /// `wanted` if it is shown, else the first shown item without an answer.
    fn normalised(mut self, q: &Questionnaire, wanted: Option<Position>) -> Session {
        let shown = visibility(q, &self.answers);
        self.answers.retain(|id, _| q.position(id).is_some_and(|p| shown[p]));
        let first_open = (0..q.items.len()).find(|&i| shown[i] && !self.answers.contains_key(&q.items[i].id));
        let fallback = match first_open {
            Some(i) => Position::At(q.items[i].id.clone()),
            None => Position::Finished,
        };
        self.position = Some(match wanted {
            Some(Position::At(id)) if q.position(&id).is_some_and(|p| shown[p]) => Position::At(id),
            Some(Position::Finished) if first_open.is_none() => Position::Finished,
            _ => fallback,
        });
        self
    }

    /// The position of the current item.
    pub fn current(&self, q: &Questionnaire) -> Option<usize> {
        match &self.position {
            Some(Position::At(id)) => q.position(id),
            _ => None,
        }
    }

    pub fn view(&self, q: &Questionnaire) -> SessionView {
        let shown = visibility(q, &self.answers);
        let path: Vec<usize> = (0..q.items.len()).filter(|&i| shown[i]).collect();
        let current = self.current(q);
        let answered = path.iter().filter(|&&i| self.answers.contains_key(&q.items[i].id)).count();
        let complete = current.is_none() && answered == path.len();
        // Progress is the share of the questionnaire's items before the current one, hidden
        // ones included: answering moves forward in file order, so it never moves back.
        let progress = match current {
            Some(i) => i as f32 / q.items.len() as f32,
            None => 1.0,
        };
        SessionView { current, path, progress, complete, answered }
    }

    /// Answers of shown items only, by position.
    pub fn shown_answers<'a>(&'a self, q: &Questionnaire) -> Vec<(usize, &'a Answer)> {
        let shown = visibility(q, &self.answers);
        self.answers.iter().filter_map(|(id, a)| q.position(id).filter(|&p| shown[p]).map(|p| (p, a))).collect()
    }
}

fn normalise_answer(answer: Answer) -> Answer {
    match answer {
        Answer::Text(t) if t.trim().is_empty() => Answer::Declined,
        Answer::Text(t) => Answer::Text(t.trim().to_string()),
        other => other,
    }
}

fn check_answer(q: &Questionnaire, pos: usize, answer: &Answer) -> Result<(), EngineError> {
    let item = &q.items[pos];
    let unknown = |option: &str| EngineError::UnknownOption { item: item.id.clone(), option: option.to_string() };
    match (item.kind, answer) {
        (_, Answer::Declined) => Ok(()),
        (Kind::Text, Answer::Text(t)) if t.chars().count() > MAX_TEXT_CHARS => {
            Err(EngineError::TooLong(item.id.clone()))
        }
        (Kind::Text, Answer::Text(_)) => Ok(()),
        (k, Answer::Choice(c)) if k.is_single_choice() => item.option(c).map(|_| ()).ok_or_else(|| unknown(c)),
        (Kind::Multiple, Answer::Choices(cs)) if !cs.is_empty() => {
            for c in cs {
                let option = item.option(c).ok_or_else(|| unknown(c))?;
                if option.exclusive && cs.len() > 1 {
                    return Err(EngineError::ExclusiveWithOthers { item: item.id.clone(), option: c.clone() });
                }
            }
            Ok(())
        }
        _ => Err(EngineError::WrongShape(item.id.clone())),
    }
}

/// Which items are shown, given the answers. Rules read only earlier items (the validator
/// guarantees it), so one pass in file order decides every item.
pub fn visibility(q: &Questionnaire, answers: &BTreeMap<String, Answer>) -> Vec<bool> {
    let mut shown = vec![false; q.items.len()];
    for (i, item) in q.items.iter().enumerate() {
        shown[i] = match &item.rule {
            None => true,
            Some(rule) => rule.eval(&|j| if shown[j] { answers.get(&q.items[j].id) } else { None }),
        };
    }
    shown
}

#[cfg(test)]
pub(crate) mod tests;
