//! A questionnaire file as written, before any checking: the first of the two parsing
//! stages. Nothing here is trusted; [`super::Questionnaire::from_raw`] turns it into a model
//! that cannot represent a broken questionnaire.

use super::picture::Picture;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A text keyed by language code, as written.
pub type RawText = BTreeMap<String, String>;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuestionnaire {
    pub id: String,
    pub version: u32,
    pub languages: Vec<String>,
    /// Languages added from draft files, not yet reviewed; their texts may be incomplete.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub drafts: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ages: Option<String>,
    pub title: RawText,
    #[serde(default)]
    pub scale: BTreeMap<String, RawScale>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain: Option<RawChain>,
    #[serde(default)]
    pub section: Vec<RawSection>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScale {
    pub options: Vec<RawOption>,
}

/// The texts of the three follow-ups an endorsed risk opens.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChain {
    pub often: RawText,
    pub worry: RawText,
    pub help: RawText,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSection {
    pub id: String,
    pub title: RawText,
    #[serde(default)]
    pub item: Vec<RawItem>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RawKind {
    YesNo,
    Frequency,
    Single,
    Picture,
    Multiple,
    Text,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawItem {
    pub id: String,
    pub kind: RawKind,
    pub text: RawText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<RawOption>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal: Option<Vec<String>>,
    #[serde(default)]
    pub chain: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<String>,
    /// The side of the BBIC triangle the item informs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbic: Option<Bbic>,
    /// Ids of the catalogue's sources the item draws on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

/// The three sides of the BBIC triangle (Barns behov i centrum).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bbic {
    /// Barnets utveckling: the child's health, development and behaviour.
    Development,
    /// Föräldrarnas förmåga: the parents' capacity to meet the child's needs.
    Parenting,
    /// Familj och miljö: family, school, friends and the wider environment.
    Environment,
}

/// An answer option. Every key other than the named ones is a language code.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RawOption {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The picture drawn beside the words (`picture = "thumbs_up"`), one the app ships.
    pub picture: Option<Picture>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exclusive: bool,
    #[serde(flatten)]
    pub text: RawText,
}
