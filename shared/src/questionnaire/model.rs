//! The validated questionnaire model: what the rest of the crate reads. A [`Questionnaire`]
//! is built only by the validator (`validate`), so a value of it is always valid: every id
//! resolves, every rule refers to an earlier item, every text exists in every language.
//!
//! The model is expanded: each chain's follow-ups are items of their own, placed right after
//! the item that opens them, so the engine only ever walks one list.

use super::picture::Picture;
use super::raw::Bbic;
use super::rule::Rule;
use crate::catalogue::Factor;
use crate::text::Text;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// How an item is answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    YesNo,
    Frequency,
    Single,
    Picture,
    Multiple,
    Text,
}

impl Kind {
    /// Items answered with exactly one option.
    pub fn is_single_choice(self) -> bool {
        matches!(self, Kind::YesNo | Kind::Frequency | Kind::Single | Kind::Picture)
    }
}

/// The three follow-ups of a chain, in the order they are asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Often,
    Worry,
    Help,
}

impl Step {
    pub const ALL: [Step; 3] = [Step::Often, Step::Worry, Step::Help];

    pub fn name(self) -> &'static str {
        match self {
            Step::Often => "often",
            Step::Worry => "worry",
            Step::Help => "help",
        }
    }

    /// The scale a step is answered on, and the option ids scoring relies on.
    pub(super) fn scale(self) -> (&'static str, &'static [&'static str]) {
        match self {
            Step::Often => ("how_often", &["once", "sometimes", "often", "very_often"]),
            Step::Worry => ("worry", &["no", "a_little", "a_lot"]),
            Step::Help => ("help", &["yes", "no", "not_sure"]),
        }
    }
}

/// Where an item comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Written in the file.
    Authored,
    /// A follow-up opened by item `parent` (a position), for `option` on a multiple item.
    FollowUp { parent: usize, option: Option<String>, step: Step },
}

/// An answer option of a validated item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub id: String,
    pub text: Text,
    /// The picture drawn beside the words, one the app ships.
    pub picture: Option<Picture>,
    /// The factor picking this option signals, if any.
    pub signals: Option<String>,
    /// Stands alone on a multiple item ("none of these").
    pub exclusive: bool,
}

/// A validated, expanded item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub id: String,
    /// Position of its section in [`Questionnaire::sections`].
    pub section: usize,
    pub kind: Kind,
    pub text: Text,
    pub options: Vec<Choice>,
    /// When it is shown; `None` means always.
    pub rule: Option<Rule>,
    pub origin: Origin,
    /// A background factor this item describes (who the child lives with, …).
    pub describes: Option<String>,
    /// On such an item, the answers that say something about the child (`signal` in the
    /// file): "Ja" to a diagnosis, never "Nej" or "Vet inte". `None`: every answer does.
    pub telling: Option<Vec<String>>,
    /// The side of the BBIC triangle it informs (follow-ups inherit their parent's).
    pub bbic: Option<Bbic>,
    /// The catalogue sources it draws on.
    pub sources: Vec<String>,
}

impl Item {
    pub fn option(&self, id: &str) -> Option<&Choice> {
        self.options.iter().find(|o| o.id == id)
    }

    /// Every catalogue id the item measures.
    pub fn measures(&self) -> BTreeSet<&str> {
        self.options.iter().filter_map(|o| o.signals.as_deref()).chain(self.describes.as_deref()).collect()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    pub id: String,
    pub title: Text,
}

/// A questionnaire that passed every check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Questionnaire {
    pub id: String,
    pub version: u32,
    /// Reviewed languages: every text exists in each.
    pub languages: Vec<String>,
    /// Draft languages, not yet reviewed: a missing text falls back to Swedish.
    pub drafts: Vec<String>,
    pub ages: Option<String>,
    pub title: Text,
    pub sections: Vec<Section>,
    pub items: Vec<Item>,
    /// The catalogue entries of the factors it measures, by id.
    pub(super) factors: BTreeMap<String, Factor>,
    /// The position of each item, by id.
    pub(super) index: HashMap<String, usize>,
}

impl Questionnaire {
    /// The position of an item by id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    pub fn item(&self, id: &str) -> Option<&Item> {
        self.position(id).map(|i| &self.items[i])
    }

    /// The catalogue entry of a factor the questionnaire measures.
    pub fn factor(&self, id: &str) -> Option<&Factor> {
        self.factors.get(id)
    }

    /// The catalogue entries of every factor it measures, in id order.
    pub fn factors(&self) -> impl Iterator<Item = &Factor> {
        self.factors.values()
    }

    /// `id@version`, as bound into every stored answer set.
    pub fn reference(&self) -> String {
        format!("{}@{}", self.id, self.version)
    }

    /// The item's follow-up of `step`, if the item opens a chain (for `option` on a
    /// multiple item).
    pub fn follow_up(&self, parent: usize, option: Option<&str>, step: Step) -> Option<usize> {
        let id = follow_up_id(&self.items[parent].id, option, step);
        self.position(&id)
    }
}

/// The id of a follow-up item: how the validator names it and [`Questionnaire::follow_up`]
/// finds it.
pub(super) fn follow_up_id(parent: &str, option: Option<&str>, step: Step) -> String {
    match option {
        Some(option) => format!("{parent}.{option}.{}", step.name()),
        None => format!("{parent}.{}", step.name()),
    }
}
