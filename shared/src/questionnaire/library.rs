//! The questionnaire folder as one value: the factor catalogue, every instrument, and the
//! draft translations laid over them. Pure: the caller reads the files and hands over
//! `(relative path, contents)` pairs, so the server, the tests and the tools load the folder
//! the same way and report every problem at once.

#[cfg(feature = "toml")]
use super::draft::RawDraft;
use super::raw::RawQuestionnaire;
use super::Questionnaire;
#[cfg(feature = "toml")]
use super::ValidationError;
use crate::catalogue::Catalogue;

/// Every instrument in the folder, validated, with its raw form (what browsers are sent).
#[derive(Clone, Debug)]
pub struct Library {
    pub catalogue: Catalogue,
    pub instruments: Vec<(RawQuestionnaire, Questionnaire)>,
}

impl Library {
    /// Loads `factors.toml`, every other `*.toml`, and `drafts/*.toml` laid over the
    /// instrument each names. Problems come back as lines `file: …`, all of them.
    #[cfg(feature = "toml")]
    pub fn load(files: &[(String, String)]) -> Result<Library, Vec<String>> {
        let mut problems = Vec::new();
        let catalogue = match files.iter().find(|(name, _)| name == "factors.toml") {
            None => return Err(vec!["factors.toml: the factor catalogue is missing".into()]),
            Some((name, source)) => match Catalogue::from_toml(name, source) {
                Ok(c) => c,
                Err(errors) => return Err(errors.iter().map(|e| e.to_string()).collect()),
            },
        };
        let mut raws: Vec<(String, RawQuestionnaire)> = Vec::new();
        for (name, source) in
            files.iter().filter(|(n, _)| n.ends_with(".toml") && n != "factors.toml" && !n.contains('/'))
        {
            match toml::from_str::<RawQuestionnaire>(source) {
                Ok(raw) => raws.push((name.clone(), raw)),
                // The validator words syntax errors with their line.
                Err(_) => {
                    if let Err(errors) = Questionnaire::from_toml(name, source, &catalogue) {
                        problems.extend(errors.iter().map(ValidationError::to_string));
                    }
                }
            }
        }
        for (name, source) in files.iter().filter(|(n, _)| n.starts_with("drafts/") && n.ends_with(".toml")) {
            let draft = match RawDraft::from_toml(source) {
                Ok(d) => d,
                Err(e) => {
                    problems.push(format!("{name}: cannot be read: {e}"));
                    continue;
                }
            };
            let target = raws.iter_mut().find(|(_, r)| format!("{}@{}", r.id, r.version) == draft.questionnaire);
            match target {
                Some((_, raw)) => {
                    if let Err(errors) = raw.apply_draft(&draft) {
                        problems.extend(errors.into_iter().map(|e| format!("{name}: {e}")));
                    }
                }
                None => problems.push(format!("{name}: there is no questionnaire {}", draft.questionnaire)),
            }
        }
        let mut instruments = Vec::new();
        for (name, raw) in raws {
            match Questionnaire::from_raw(&name, &raw, &catalogue) {
                Ok(q) => {
                    if instruments
                        .iter()
                        .any(|(_, other): &(RawQuestionnaire, Questionnaire)| other.reference() == q.reference())
                    {
                        problems.push(format!("{name}: {} is defined twice", q.reference()));
                    }
                    instruments.push((raw, q));
                }
                Err(errors) => problems.extend(errors.iter().map(ValidationError::to_string)),
            }
        }
        if instruments.is_empty() && problems.is_empty() {
            problems.push("the folder holds no questionnaire".into());
        }
        if problems.is_empty() {
            Ok(Library { catalogue, instruments })
        } else {
            Err(problems)
        }
    }

    pub fn get(&self, id: &str, version: u32) -> Option<&(RawQuestionnaire, Questionnaire)> {
        self.instruments.iter().find(|(_, q)| q.id == id && q.version == version)
    }
}
