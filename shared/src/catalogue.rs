//! The factor catalogue: every risk, protective and background factor the instrument
//! measures, with a stable id, its level and its kind (`questionnaires/factors.toml`).

use crate::text::Text;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Where in a child's life a factor sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Individual,
    Family,
    School,
    FriendsLeisure,
    Community,
}

/// Whether a factor raises or lowers concern, or only describes the child's situation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactorKind {
    Risk,
    Protective,
    Background,
}

/// One catalogue entry, as written in the file and as used once validated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Factor {
    pub id: String,
    pub level: Level,
    pub kind: FactorKind,
    /// An endorsed risk must be followed by how often, worry and help.
    #[serde(default)]
    pub chain: bool,
    /// An endorsed risk means the child may be in danger now.
    #[serde(default)]
    pub acute: bool,
    pub bands: Vec<String>,
    pub name: Text,
    /// For staff: how to open a conversation about this factor when a child tells of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guide: Option<Text>,
}

/// A work the instrument draws on, cited by items.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    pub title: String,
}

/// The catalogue as it stands in `factors.toml`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCatalogue {
    #[serde(default)]
    pub source: Vec<Source>,
    #[serde(default)]
    pub factor: Vec<Factor>,
}

/// A checked catalogue: ids are unique, only risks carry chains or acute marks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Catalogue {
    sources: Vec<Source>,
    factors: Vec<Factor>,
    index: HashMap<String, usize>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}: factor `{factor}`: {reason}")]
pub struct CatalogueError {
    pub file: String,
    pub factor: String,
    pub reason: String,
}

impl Catalogue {
    #[cfg(feature = "toml")]
    pub fn from_toml(file: &str, source: &str) -> Result<Catalogue, Vec<CatalogueError>> {
        let raw: RawCatalogue = toml::from_str(source).map_err(|e| {
            vec![CatalogueError {
                file: file.to_string(),
                factor: String::new(),
                reason: format!("not a valid catalogue: {}", e.message()),
            }]
        })?;
        Catalogue::from_raw(file, raw)
    }

    pub fn from_raw(file: &str, raw: RawCatalogue) -> Result<Catalogue, Vec<CatalogueError>> {
        let mut errors = Vec::new();
        let mut index = HashMap::new();
        let mut fail = |factor: &str, reason: String| {
            errors.push(CatalogueError { file: file.to_string(), factor: factor.to_string(), reason })
        };
        for (i, f) in raw.factor.iter().enumerate() {
            if index.insert(f.id.clone(), i).is_some() {
                fail(&f.id, "the id is used twice".into());
            }
            if f.kind != FactorKind::Risk && (f.chain || f.acute) {
                fail(&f.id, "only a risk can have a follow-up chain or be acute".into());
            }
            if f.name.get("sv").is_empty() || f.name.get("en").is_empty() {
                fail(&f.id, "needs a name in Swedish and English".into());
            }
        }
        let mut source_ids = std::collections::HashSet::new();
        for source in &raw.source {
            if !source_ids.insert(source.id.as_str()) {
                errors.push(CatalogueError {
                    file: file.to_string(),
                    factor: source.id.clone(),
                    reason: "the source id is used twice".into(),
                });
            }
        }
        if errors.is_empty() {
            Ok(Catalogue { sources: raw.source, factors: raw.factor, index })
        } else {
            Err(errors)
        }
    }

    pub fn get(&self, id: &str) -> Option<&Factor> {
        self.index.get(id).map(|&i| &self.factors[i])
    }

    pub fn factors(&self) -> &[Factor] {
        &self.factors
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    pub fn to_raw(&self) -> RawCatalogue {
        RawCatalogue { source: self.sources.clone(), factor: self.factors.clone() }
    }
}
