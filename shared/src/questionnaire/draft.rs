//! Draft translations: a language added to a questionnaire from a file of its own
//! (`questionnaires/drafts/ages-10-12.so.toml`), not yet reviewed. A draft may be
//! incomplete (a missing text falls back to Swedish); staff are told that answers were
//! given in an unreviewed language. Keeping drafts apart lets translators work side by side
//! without touching the reviewed instrument, whose content is locked to its version.
//!
//! Keys name what they translate: `title`, `section.<id>`, `chain.<often|worry|help>`,
//! `scale.<name>.<option>`, `item.<id>`, `option.<item>.<option>`.

use super::raw::{RawQuestionnaire, RawText};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDraft {
    /// `id@version` of the questionnaire it translates.
    pub questionnaire: String,
    pub language: String,
    pub texts: BTreeMap<String, String>,
}

impl RawDraft {
    #[cfg(feature = "toml")]
    pub fn from_toml(source: &str) -> Result<RawDraft, String> {
        toml::from_str(source).map_err(|e| e.message().to_string())
    }
}

impl RawQuestionnaire {
    /// Adds a draft's texts; reports every key that names nothing, and changes nothing then.
    pub fn apply_draft(&mut self, draft: &RawDraft) -> Result<(), Vec<String>> {
        let reference = format!("{}@{}", self.id, self.version);
        if draft.questionnaire != reference {
            return Err(vec![format!("the draft is for {}, not {reference}", draft.questionnaire)]);
        }
        if self.languages.contains(&draft.language) {
            return Err(vec![format!("`{}` is already a reviewed language of {reference}", draft.language)]);
        }
        let mut copy = self.clone();
        let mut unknown = Vec::new();
        for (key, text) in &draft.texts {
            match copy.text_mut(key) {
                Some(target) => {
                    target.insert(draft.language.clone(), text.clone());
                }
                None => unknown.push(format!("`{key}` names nothing in {reference}")),
            }
        }
        if !unknown.is_empty() {
            return Err(unknown);
        }
        if !copy.drafts.contains(&draft.language) {
            copy.drafts.push(draft.language.clone());
        }
        *self = copy;
        Ok(())
    }

    /// The text a draft key names.
    fn text_mut(&mut self, key: &str) -> Option<&mut RawText> {
        let (kind, rest) = key.split_once('.').unwrap_or((key, ""));
        match kind {
            "title" if rest.is_empty() => Some(&mut self.title),
            "section" => self.section.iter_mut().find(|s| s.id == rest).map(|s| &mut s.title),
            "chain" => self.chain.as_mut().and_then(|c| match rest {
                "often" => Some(&mut c.often),
                "worry" => Some(&mut c.worry),
                "help" => Some(&mut c.help),
                _ => None,
            }),
            "scale" => {
                let (scale, option) = rest.split_once('.')?;
                self.scale.get_mut(scale)?.options.iter_mut().find(|o| o.id == option).map(|o| &mut o.text)
            }
            "item" => self.section.iter_mut().flat_map(|s| &mut s.item).find(|i| i.id == rest).map(|i| &mut i.text),
            "option" => {
                let (item, option) = rest.split_once('.')?;
                let item = self.section.iter_mut().flat_map(|s| &mut s.item).find(|i| i.id == item)?;
                item.options.as_mut()?.iter_mut().find(|o| o.id == option).map(|o| &mut o.text)
            }
            _ => None,
        }
    }

    /// Every key a complete draft of this questionnaire has, with the Swedish text: the
    /// list a translator works from.
    pub fn draft_keys(&self) -> Vec<(String, String)> {
        let sv = |t: &RawText| t.get("sv").cloned().unwrap_or_default();
        let mut out = vec![("title".to_string(), sv(&self.title))];
        for (name, scale) in &self.scale {
            out.extend(scale.options.iter().map(|o| (format!("scale.{name}.{}", o.id), sv(&o.text))));
        }
        if let Some(c) = &self.chain {
            out.extend(
                [("chain.often", &c.often), ("chain.worry", &c.worry), ("chain.help", &c.help)]
                    .map(|(k, t)| (k.to_string(), sv(t))),
            );
        }
        for s in &self.section {
            out.push((format!("section.{}", s.id), sv(&s.title)));
            for i in &s.item {
                out.push((format!("item.{}", i.id), sv(&i.text)));
                for o in i.options.iter().flatten() {
                    out.push((format!("option.{}.{}", i.id, o.id), sv(&o.text)));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::tests::{catalogue, HEADER, VALID};
    use crate::questionnaire::Questionnaire;

    fn raw() -> RawQuestionnaire {
        toml::from_str(&format!("{HEADER}{VALID}")).unwrap()
    }

    fn draft(texts: &[(&str, &str)]) -> RawDraft {
        RawDraft {
            questionnaire: "test@1".into(),
            language: "so".into(),
            texts: texts.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        }
    }

    #[test]
    fn a_partial_draft_validates_and_falls_back_to_swedish() {
        let mut r = raw();
        r.apply_draft(&draft(&[
            ("item.adult", "Ma jiraa qof weyn?"),
            ("option.lately.money", "Lacag"),
            ("scale.yes_no.yes", "Haa"),
        ]))
        .unwrap();
        let q = Questionnaire::from_raw("test.toml", &r, &catalogue()).unwrap();
        assert_eq!(q.drafts, ["so"]);
        assert_eq!(q.item("adult").unwrap().text.get("so"), "Ma jiraa qof weyn?");
        assert_eq!(q.item("adult").unwrap().option("yes").unwrap().text.get("so"), "Haa");
        assert_eq!(q.item("teased").unwrap().text.get("so"), "Blir du retad?", "untranslated: Swedish");
        assert_eq!(q.item("lately").unwrap().option("money").unwrap().text.get("so"), "Lacag");
    }

    #[test]
    fn a_key_that_names_nothing_is_refused_and_changes_nothing() {
        let mut r = raw();
        let before = r.clone();
        let err = r
            .apply_draft(&draft(&[("item.adult", "x"), ("item.ghost", "y"), ("option.adult.maybe", "z")]))
            .unwrap_err();
        assert_eq!(err, ["`item.ghost` names nothing in test@1", "`option.adult.maybe` names nothing in test@1"]);
        assert_eq!(r, before);
    }

    #[test]
    fn a_draft_for_another_version_or_a_reviewed_language_is_refused() {
        let mut r = raw();
        assert!(r.apply_draft(&RawDraft { questionnaire: "test@2".into(), ..draft(&[]) }).is_err());
        assert!(r.apply_draft(&RawDraft { language: "en".into(), ..draft(&[]) }).is_err());
    }

    #[test]
    fn every_draft_key_names_a_text() {
        let mut r = raw();
        let keys = r.draft_keys();
        assert!(keys.iter().any(|(k, _)| k == "option.lately.none"));
        let all = draft(&keys.iter().map(|(k, _)| (k.as_str(), "t")).collect::<Vec<_>>());
        r.apply_draft(&all).unwrap();
    }
}
