//! Every questionnaire file in `questionnaires/` passes the validator against the
//! project's factor catalogue: a broken file fails `make test` before a child can meet it.

use beratta_core::catalogue::Catalogue;
use beratta_core::questionnaire::Questionnaire;
use std::path::{Path, PathBuf};

fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../questionnaires")
}

fn catalogue() -> Catalogue {
    let path = folder().join("factors.toml");
    let source = std::fs::read_to_string(&path).expect("questionnaires/factors.toml exists");
    Catalogue::from_toml("factors.toml", &source)
        .unwrap_or_else(|errors| panic!("{}", errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")))
}

fn instruments() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(folder())
        .expect("questionnaires/ exists")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.file_name().is_some_and(|n| n != "factors.toml"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    out.sort();
    out
}

#[test]
fn every_questionnaire_file_validates() {
    let catalogue = catalogue();
    let files = instruments();
    assert!(!files.is_empty(), "no questionnaire files found");
    let mut problems = Vec::new();
    for (name, source) in &files {
        if let Err(errors) = Questionnaire::from_toml(name, source, &catalogue) {
            problems.extend(errors.iter().map(|e| e.to_string()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_10_12_questionnaire_is_a_real_instrument() {
    let (name, source) = instruments().into_iter().find(|(n, _)| n == "ages-10-12.toml").expect("ages-10-12.toml");
    let q = Questionnaire::from_toml(&name, &source, &catalogue()).expect("validates");
    let authored = q.items.iter().filter(|i| matches!(i.origin, beratta_core::questionnaire::Origin::Authored)).count();
    assert!(authored >= 25, "only {authored} items");
    assert!(q.sections.len() >= 3);
    assert!(q.languages.iter().any(|l| l == "sv") && q.languages.iter().any(|l| l == "en"), "{:?}", q.languages);
    assert!(q.items.iter().any(|i| !matches!(i.origin, beratta_core::questionnaire::Origin::Authored)), "no chains");
}

mod instrument {
    //! The limits the instrument is held to, per age band (issue: the instrument).

    use super::*;
    use beratta_core::questionnaire::Origin;
    use beratta_core::report::InstrumentReport;

    /// Each band's file, its LIX ceiling and the most screens an untroubled child may see.
    const BANDS: [(&str, &str, f64, usize); 3] = [
        ("ages-6-9.toml", "6-9", 25.0, 40),
        ("ages-10-12.toml", "10-12", 30.0, 40),
        ("ages-13-18.toml", "13-18", 35.0, 40),
    ];

    fn load(file: &str) -> (Questionnaire, Catalogue) {
        let catalogue = catalogue();
        let source = std::fs::read_to_string(folder().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let q = Questionnaire::from_toml(file, &source, &catalogue)
            .unwrap_or_else(|e| panic!("{}", e.iter().map(|x| x.to_string()).collect::<Vec<_>>().join("\n")));
        (q, catalogue)
    }

    #[test]
    fn every_band_has_its_own_file_in_swedish_and_english() {
        for (file, band, _, _) in BANDS {
            let (q, _) = load(file);
            assert_eq!(q.ages.as_deref(), Some(band), "{file}");
            assert!(q.languages.iter().any(|l| l == "sv") && q.languages.iter().any(|l| l == "en"), "{file}");
        }
    }

    #[test]
    fn every_factor_of_a_band_is_asked_about_in_that_band() {
        for (file, _, _, _) in BANDS {
            let (q, catalogue) = load(file);
            let report = InstrumentReport::new(&q, &catalogue);
            assert!(report.uncovered().is_empty(), "{file} does not ask about {:?}", report.uncovered());
        }
    }

    #[test]
    fn no_band_asks_about_a_factor_that_does_not_belong_to_it() {
        for (file, band, _, _) in BANDS {
            let (q, catalogue) = load(file);
            for item in q.items.iter().filter(|i| i.origin == Origin::Authored) {
                for factor in item.measures() {
                    let bands = &catalogue.get(factor).expect("validated").bands;
                    assert!(
                        bands.iter().any(|b| b == band),
                        "{file}: item {} asks about {factor}, not for ages {band}",
                        item.id
                    );
                }
            }
        }
    }

    #[test]
    fn the_swedish_is_easy_enough_to_read_for_the_age() {
        for (file, _, ceiling, _) in BANDS {
            let (q, catalogue) = load(file);
            let lix = InstrumentReport::new(&q, &catalogue).lix.value();
            assert!(lix <= ceiling, "{file}: LIX {lix:.1} is above {ceiling}");
        }
    }

    #[test]
    fn an_untroubled_child_sees_few_screens() {
        for (file, _, _, most) in BANDS {
            let (q, catalogue) = load(file);
            let screens = InstrumentReport::new(&q, &catalogue).untroubled_screens;
            assert!(screens <= most, "{file}: an untroubled child sees {screens} screens, more than {most}");
        }
    }

    #[test]
    fn every_item_that_measures_a_factor_records_its_provenance() {
        for (file, _, _, _) in BANDS {
            let (q, _) = load(file);
            for item in q.items.iter().filter(|i| i.origin == Origin::Authored && !i.measures().is_empty()) {
                assert!(item.bbic.is_some(), "{file}: item {} has no `bbic`", item.id);
                assert!(!item.sources.is_empty(), "{file}: item {} cites no source", item.id);
            }
        }
    }

    #[test]
    fn the_youngest_never_need_to_type_and_answer_by_picture() {
        let (q, _) = load("ages-6-9.toml");
        for item in &q.items {
            assert_ne!(item.kind, beratta_core::Kind::Text, "item {} needs typing", item.id);
            for option in &item.options {
                assert!(option.picture.is_some(), "item {} option {} has no picture", item.id, option.id);
            }
        }
    }

    #[test]
    fn a_missing_translation_in_a_real_file_fails() {
        // Take one English text out of the real 13–18 file: the validator must refuse it.
        let source = std::fs::read_to_string(folder().join("ages-13-18.toml")).unwrap();
        let at = source.find("\", en = \"").expect("the file has inline English texts") + 1;
        let value = at + ", en = \"".len();
        let end = value + source[value..].find('"').unwrap() + 1;
        let broken = format!("{}{}", &source[..at], &source[end..]);
        let errors = Questionnaire::from_toml("ages-13-18.toml", &broken, &catalogue()).unwrap_err();
        assert!(errors.iter().any(|e| e.to_string().contains("no text in `en`")), "{errors:?}");
    }

    #[test]
    fn the_catalogue_holds_every_factor_of_the_team_list() {
        // The team's list sits beside the repository (../shared/factors.toml), in CI too.
        let team = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/factors.toml");
        let text = std::fs::read_to_string(&team).unwrap_or_else(|e| panic!("{}: {e}", team.display()));
        let catalogue = catalogue();
        let ids: Vec<&str> = text.lines().filter_map(|l| l.trim().strip_prefix("id = \"")?.strip_suffix('"')).collect();
        assert!(ids.len() > 50, "read only {} ids from {}", ids.len(), team.display());
        for id in ids {
            let ours = catalogue.get(id).unwrap_or_else(|| panic!("the catalogue lacks {id}"));
            assert!(text.contains(&format!("id = \"{id}\"")), "{id}");
            assert!(!ours.bands.is_empty());
        }
    }
}

mod versions {
    //! A questionnaire's content is locked to its version: `questionnaires/versions.lock`
    //! holds a fingerprint per `id@version`, so a change to any item, option, rule, factor or
    //! text fails here until the version is bumped (a change of meaning) or the lock is
    //! renewed on purpose (a typo fixed). Stored answers are scored with the version they
    //! were given with, so a version's content must never drift.

    use super::*;
    use sha2::{Digest, Sha256};

    /// Over reviewed languages only: drafts may change freely while they are drafts.
    fn fingerprint(q: &Questionnaire) -> String {
        let mut h = Sha256::new();
        let mut put = |s: &str| {
            h.update((s.len() as u32).to_be_bytes());
            h.update(s.as_bytes());
        };
        let reviewed = |t: &beratta_core::text::Text| -> Vec<String> {
            t.iter()
                .filter(|(l, _)| q.languages.iter().any(|r| r == l))
                .flat_map(|(l, t)| [l.to_string(), t.to_string()])
                .collect()
        };
        put(&q.reference());
        reviewed(&q.title).iter().for_each(|s| put(s));
        for section in &q.sections {
            put(&section.id);
            reviewed(&section.title).iter().for_each(|s| put(s));
        }
        for item in &q.items {
            put(&item.id);
            put(&format!("{:?}|{:?}|{:?}|{:?}", item.kind, item.rule, item.describes, item.section));
            reviewed(&item.text).iter().for_each(|s| put(s));
            for o in &item.options {
                put(&format!("{}|{:?}|{}|{:?}", o.id, o.signals, o.exclusive, o.picture.map(|p| p.name())));
                reviewed(&o.text).iter().for_each(|s| put(s));
            }
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn every_version_keeps_the_content_it_was_locked_with() {
        let lock_path = folder().join("versions.lock");
        let lock = std::fs::read_to_string(&lock_path).unwrap_or_default();
        let locked: std::collections::BTreeMap<&str, &str> = lock
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| l.split_once(' '))
            .collect();
        let catalogue = catalogue();
        let mut problems = Vec::new();
        for (name, source) in instruments() {
            let q = Questionnaire::from_toml(&name, &source, &catalogue).expect("validated elsewhere");
            let got = fingerprint(&q);
            match locked.get(q.reference().as_str()) {
                Some(want) if *want == got => {}
                Some(_) => problems.push(format!(
                    "{name}: the content of {} changed. If what an item means changed, bump `version` \
                     (answers given with the old version keep that file); if not (a typo), put \
                     `{} {got}` in questionnaires/versions.lock",
                    q.reference(),
                    q.reference()
                )),
                None => problems.push(format!(
                    "{name}: {} is not in questionnaires/versions.lock: add `{} {got}`",
                    q.reference(),
                    q.reference()
                )),
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}

/// Every file of the questionnaire folder as `(relative path, contents)`, drafts included.
pub fn folder_files() -> Vec<(String, String)> {
    let mut files = Vec::new();
    for sub in ["", "drafts/"] {
        let Ok(entries) = std::fs::read_dir(folder().join(sub)) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|x| x == "toml") {
                let name = format!("{sub}{}", path.file_name().unwrap().to_string_lossy());
                files.push((name, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn the_whole_folder_loads_with_its_drafts() {
    let library = beratta_core::questionnaire::library::Library::load(&folder_files())
        .unwrap_or_else(|p| panic!("{}", p.join("\n")));
    assert!(library.get("beratta-10-12", 1).is_some());
    assert_eq!(library.instruments.len(), 3);
}
