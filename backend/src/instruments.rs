//! The questionnaires the server hands out, loaded and checked once at start.
//!
//! The server refuses to start with a broken questionnaire, so that no child ever meets
//! one. Checking is the domain crate's job; this module only reads the folder, collects
//! every problem from every file (not just the first) and keeps what the browser needs.

use beratta_core::api::{QuestionnaireBundle, QuestionnaireRef};
use beratta_core::catalogue::{Catalogue, RawCatalogue};
use beratta_core::questionnaire::raw::RawQuestionnaire;
use beratta_core::Questionnaire;
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
}

impl Instruments {
    /// Reads `factors.toml` and every other `*.toml` in `dir`, and checks them all.
    pub fn load(dir: &Path) -> Result<Instruments, InstrumentErrors> {
        let mut problems = Vec::new();
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => return Err(InstrumentErrors(vec![format!("{}: cannot be read: {e}", dir.display())])),
        };
        let mut files = Vec::new();
        for entry in entries {
            match entry {
                Ok(entry) => {
                    let path = entry.path();
                    let is_toml = path.extension().is_some_and(|e| e == "toml");
                    let name = entry.file_name().to_string_lossy().into_owned();
                    if is_toml && path.is_file() && name != CATALOGUE_FILE {
                        files.push((name, path));
                    }
                }
                Err(e) => problems.push(format!("{}: cannot be listed: {e}", dir.display())),
            }
        }
        // Sorted, so that problems come out in the same order on every machine.
        files.sort();

        let catalogue = match std::fs::read_to_string(dir.join(CATALOGUE_FILE)) {
            Ok(source) => match Catalogue::from_toml(CATALOGUE_FILE, &source) {
                Ok(catalogue) => Some(catalogue),
                Err(errors) => {
                    problems.extend(errors.iter().map(ToString::to_string));
                    None
                }
            },
            Err(e) => {
                problems.push(format!(
                    "{CATALOGUE_FILE}: cannot be read ({e}); the factor catalogue must sit beside the questionnaires"
                ));
                None
            }
        };
        if files.is_empty() {
            problems.push(format!("{}: holds no questionnaire (*.toml besides {CATALOGUE_FILE})", dir.display()));
        }

        let mut raws: BTreeMap<(String, u32), (String, RawQuestionnaire)> = BTreeMap::new();
        for (name, path) in &files {
            let source = match std::fs::read_to_string(path) {
                Ok(source) => source,
                Err(e) => {
                    problems.push(format!("{name}: cannot be read: {e}"));
                    continue;
                }
            };
            if let Some(catalogue) = &catalogue {
                if let Err(errors) = Questionnaire::from_toml(name, &source, catalogue) {
                    problems.extend(errors.iter().map(ToString::to_string));
                    continue;
                }
            }
            // Kept in its raw form, which is what the browser validates again itself. With a
            // broken catalogue only this syntax check is possible, and its errors are listed
            // too, so one run shows everything that is wrong.
            let raw = match toml::from_str::<RawQuestionnaire>(&source) {
                Ok(raw) => raw,
                Err(e) => {
                    problems.push(format!("{name}: cannot be read: {}", e.message()));
                    continue;
                }
            };
            let key = (raw.id.clone(), raw.version);
            if let Some((other, _)) = raws.get(&key) {
                problems.push(format!("{name}: `{}` version {} is also defined in {other}", key.0, key.1));
                continue;
            }
            raws.insert(key, (name.clone(), raw));
        }

        let Some(catalogue) = catalogue else { return Err(InstrumentErrors(problems)) };
        if !problems.is_empty() {
            return Err(InstrumentErrors(problems));
        }
        let raw_catalogue = catalogue.to_raw();
        let mut bundles = BTreeMap::new();
        for (key, (name, raw)) in raws {
            let bundle = bundle_json(&raw_catalogue, raw)
                .map_err(|e| InstrumentErrors(vec![format!("{name}: cannot be served as JSON: {e}")]))?;
            bundles.insert(key, bundle);
        }
        Ok(Instruments { bundles })
    }

    /// The JSON of a questionnaire with its catalogue, as `GET /api/questionnaires` sends it.
    pub fn bundle(&self, id: &str, version: u32) -> Option<&str> {
        self.bundles.get(&(id.to_string(), version)).map(String::as_str)
    }

    pub fn contains(&self, questionnaire: &QuestionnaireRef) -> bool {
        self.bundle(&questionnaire.id, questionnaire.version).is_some()
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
