//! The questionnaires the server hands out, loaded and checked once at start.
//!
//! The server refuses to start with a broken questionnaire, so that no child ever meets
//! one. Checking (drafts included) is the domain crate's job: this module only reads the
//! folder, reports every problem from every file, and keeps what the browser needs.

use beratta_core::api::{QuestionnaireBundle, QuestionnaireRef};
use beratta_core::catalogue::{Catalogue, RawCatalogue};
use beratta_core::questionnaire::library::Library;
use beratta_core::questionnaire::raw::RawQuestionnaire;
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// The factor catalogue's file name inside the questionnaires folder.
pub const CATALOGUE_FILE: &str = "factors.toml";

/// Every problem found in a questionnaires folder, one sentence each.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct InstrumentErrors(pub Vec<String>);

impl fmt::Display for InstrumentErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("\n"))
    }
}

/// The checked questionnaires, each kept as the JSON bundle the browser fetches.
#[derive(Clone, Debug)]
pub struct Instruments {
    bundles: BTreeMap<(String, u32), String>,
    /// The factor catalogue, which the resources register's factors are checked against.
    catalogue: Catalogue,
}

impl Instruments {
    /// Reads `factors.toml`, every other `*.toml` in `dir` and the draft translations in
    /// `dir/drafts/`, and has the domain crate check them all together.
    pub fn load(dir: &Path) -> Result<Instruments, InstrumentErrors> {
        let library = load_library(dir)?;
        let raw_catalogue = library.catalogue.to_raw();
        let catalogue = library.catalogue.clone();
        let mut bundles = BTreeMap::new();
        for (raw, q) in library.instruments {
            let key = (q.id.clone(), q.version);
            let bundle = bundle_json(&raw_catalogue, raw)
                .map_err(|e| InstrumentErrors(vec![format!("{}: cannot be served as JSON: {e}", q.reference())]))?;
            bundles.insert(key, bundle);
        }
        Ok(Instruments { bundles, catalogue })
    }
}

/// Reads and checks the folder as [`Instruments::load`] does, keeping the parsed
/// instruments: for commands that answer them (`demo-municipality`).
pub fn load_library(dir: &Path) -> Result<Library, InstrumentErrors> {
    let mut problems = Vec::new();
    let mut files = Vec::new();
    for sub in ["", "drafts/"] {
        let folder = dir.join(sub);
        let entries = match std::fs::read_dir(&folder) {
            Ok(entries) => entries,
            // Drafts are optional; the folder itself is not.
            Err(_) if !sub.is_empty() => continue,
            Err(e) => return Err(InstrumentErrors(vec![format!("{}: cannot be read: {e}", dir.display())])),
        };
        for entry in entries {
            let path = match entry {
                Ok(entry) => entry.path(),
                Err(e) => {
                    problems.push(format!("{}: cannot be listed: {e}", folder.display()));
                    continue;
                }
            };
            if !(path.is_file() && path.extension().is_some_and(|e| e == "toml")) {
                continue;
            }
            let name = format!("{sub}{}", path.file_name().unwrap_or_default().to_string_lossy());
            match std::fs::read_to_string(&path) {
                Ok(source) => files.push((name, source)),
                Err(e) => problems.push(format!("{name}: cannot be read: {e}")),
            }
        }
    }
    // Sorted, so that problems come out in the same order on every machine.
    files.sort();
    if !files.iter().any(|(name, _)| name != CATALOGUE_FILE && !name.contains('/')) {
        problems.push(format!("{}: holds no questionnaire (*.toml besides {CATALOGUE_FILE})", dir.display()));
    }
    match Library::load(&files) {
        Ok(library) if problems.is_empty() => Ok(library),
        Ok(_) => Err(InstrumentErrors(problems)),
        Err(mut errors) => {
            errors.append(&mut problems);
            Err(InstrumentErrors(errors))
        }
    }
}

impl Instruments {
    /// The JSON of a questionnaire with its catalogue, as `GET /api/questionnaires` sends it.
    pub fn bundle(&self, id: &str, version: u32) -> Option<&str> {
        self.bundles.get(&(id.to_string(), version)).map(String::as_str)
    }

    pub fn contains(&self, questionnaire: &QuestionnaireRef) -> bool {
        self.bundle(&questionnaire.id, questionnaire.version).is_some()
    }

    /// The factor catalogue every questionnaire names its factors from.
    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// Every questionnaire, as `id@version`.
    pub fn references(&self) -> Vec<String> {
        self.bundles.keys().map(|(id, version)| format!("{id}@{version}")).collect()
    }
}

/// Serialised once at start, because the bundle never changes while the server runs.
fn bundle_json(catalogue: &RawCatalogue, questionnaire: RawQuestionnaire) -> Result<String, serde_json::Error> {
    serde_json::to_string(&QuestionnaireBundle { catalogue: catalogue.clone(), questionnaire })
}
