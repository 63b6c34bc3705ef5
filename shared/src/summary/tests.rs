//! Summary tests: a child who answered in English, read by staff in Swedish and in English.

use super::*;
use crate::engine::Action;
use crate::help::HelpState;
use crate::questionnaire::tests::{catalogue, valid};
use expect_test::{expect, Expect};

fn c(s: &str) -> Answer {
    Answer::Choice(s.into())
}

fn session() -> Session {
    let q = valid();
    let steps = [
        ("adult", c("yes")),
        ("teased", c("always")),
        ("teased.worry", c("a_lot")),
        ("teased.help", c("yes")),
        ("teased_where", c("online")),
        ("lives_with", Answer::Choices(["mum".to_string()].into())),
        ("lately", Answer::Choices(["hurt".to_string()].into())),
        ("lately.hurt.often", c("once")),
        ("lately.hurt.worry", Answer::Declined),
        ("lately.hurt.help", c("not_sure")),
        ("safe", c("no")),
        ("words", Answer::Text("Please don't tell my dad.".into())),
    ];
    steps.into_iter().fold(Session::start(&q), |s, (item, a)| {
        s.apply(&q, Action::Answer { item: item.into(), answer: a }).expect("fits")
    })
}

fn render(s: &ChildSummary) -> String {
    let finding = |f: &Finding| {
        let mut parts = vec![format!("{} [{}]", f.name, f.domain), format!("«{} — {}»", f.question, f.answer)];
        parts.extend(f.how_often.as_ref().map(|x| format!("often: {x}")));
        parts.extend(f.worry.as_ref().map(|x| format!("worry: {x}")));
        parts.extend(f.wants_help.as_ref().map(|x| format!("help: {x}")));
        if let Some((state, note)) = &f.help_status {
            parts.push(format!("[{state}: {note}]"));
        }
        parts.extend(f.guide.as_ref().map(|g| format!("guide: {g}")));
        format!("  - {}{}\n", if f.acute { "(acute) " } else { "" }, parts.join(" | "))
    };
    let mut out = format!("{} | {} | answered in {}\n", s.language, s.instrument, s.answered_in);
    out += "urgent:\n";
    s.urgent.iter().for_each(|u| out += &format!("  -> {} (#{})\n", u.name, u.key));
    if let Some(duty) = &s.duty_to_report {
        out += &format!("  ! {duty}\n");
    }
    out += "help wanted:\n";
    s.help_wanted.iter().for_each(|f| out += &finding(f));
    out += "other risks:\n";
    s.other_risks.iter().for_each(|f| out += &finding(f));
    s.protective.iter().for_each(|p| out += &format!("  + {p}\n"));
    s.background.iter().for_each(|b| out += &format!("  · {b}\n"));
    s.own_words.iter().for_each(|w| out += &format!("words: {w}\n"));
    out += &format!("note: {}\n", s.not_an_assessment);
    out
}

fn check(language: &str, help: Option<&HelpStatus>, expect: Expect) {
    let summary = child_summary(&valid(), &catalogue(), &session(), "en", help, language);
    expect.assert_eq(&render(&summary));
}

#[test]
fn staff_read_in_swedish_what_a_child_told_in_english() {
    check(
        "sv",
        None,
        expect![[r#"
            sv | Test (test@1) | answered in engelska
            urgent:
              -> Skadad (#lately/hurt)
              ! Barnet har berättat om något som kan betyda att det är i fara nu. Agera i dag: se till att barnet är tryggt och gör en orosanmälan till socialtjänsten. Du som arbetar med barn är skyldig att anmäla oro enligt socialtjänstlagen.
            help wanted:
              - (acute) Skadad [Hemma] | «Har något av detta hänt? — Någon skadade mig» | often: En gång | help: Vet inte | guide: Agera i dag.
              - Retad [Skolan] | «Blir du retad? — Alltid» | worry: Mycket | help: Ja | guide: Fråga var och när det händer.
            other risks:
              + Vuxen
              · Bor med: Mamma
            words: Please don't tell my dad.
            note: Det här är ett stöd inför samtalet med barnet, inte en bedömning. Det barnet berättar är en början: fråga, lyssna och gör en egen bedömning.
        "#]],
    );
}

#[test]
fn the_same_answers_read_in_english_with_a_help_status() {
    let mut help = HelpStatus::default();
    help.set("teased".into(), HelpState::Planned, "We will talk on Tuesday.").unwrap();
    check(
        "en",
        Some(&help),
        expect![[r#"
            en | Test (test@1) | answered in English
            urgent:
              -> Hurt (#lately/hurt)
              ! The child has told of something that may mean they are in danger now. Act today: make sure the child is safe and report your concern to social services. Everyone who works with children is obliged to report concerns under the Social Services Act.
            help wanted:
              - (acute) Hurt [Home] | «Has any of this happened? — Someone hurt me» | often: Once | help: Not sure | guide: Act today.
              - Teased [School] | «Are you teased? — Always» | worry: A lot | help: Yes | [planned: We will talk on Tuesday.] | guide: Ask where and when it happens.
            other risks:
              + Adult
              · Lives with: Mum
            words: Please don't tell my dad.
            note: This supports your conversation with the child; it is not an assessment. What the child tells is a beginning: ask, listen and make your own judgement.
        "#]],
    );
}

#[test]
fn an_unknown_reader_language_falls_back_to_swedish() {
    let summary = child_summary(&valid(), &catalogue(), &session(), "en", None, "so");
    assert_eq!(summary.language, "sv");
}

#[test]
fn declined_questions_are_listed_apart() {
    assert_eq!(declined(&valid(), &session(), "en"), ["Does it worry you? — chose not to answer"]);
}

#[test]
fn staff_are_told_when_the_child_answered_an_unreviewed_translation() {
    let mut raw: crate::questionnaire::raw::RawQuestionnaire =
        toml::from_str(&format!("{}{}", crate::questionnaire::tests::HEADER, crate::questionnaire::tests::VALID))
            .unwrap();
    let draft = crate::questionnaire::draft::RawDraft {
        questionnaire: "test@1".into(),
        language: "so".into(),
        texts: [("item.adult".to_string(), "Ma jiraa qof weyn?".to_string())].into(),
    };
    raw.apply_draft(&draft).unwrap();
    let q = Questionnaire::from_raw("test.toml", &raw, &catalogue()).unwrap();
    let in_somali = child_summary(&q, &catalogue(), &session(), "so", None, "sv");
    assert_eq!(in_somali.answered_in, "somaliska");
    assert!(in_somali.unreviewed_language.is_some_and(|n| n.contains("ännu inte är granskad")));
    let in_english = child_summary(&q, &catalogue(), &session(), "en", None, "sv");
    assert_eq!(in_english.unreviewed_language, None);
}

/// The test questionnaire with a background question whose "Nej" and "Vet inte" say nothing.
fn with_diagnosis() -> (Questionnaire, Catalogue) {
    let catalogue = Catalogue::from_toml(
        "factors.toml",
        &format!(
            "{}{}",
            crate::questionnaire::tests::CATALOGUE,
            r#"
[[factor]]
id = "b.diagnosis"
level = "individual"
kind = "background"
bands = ["10-12"]
name = { sv = "Diagnos", en = "Diagnosis" }
"#
        ),
    )
    .expect("the catalogue is valid");
    let source = format!(
        "{}{}{}",
        crate::questionnaire::tests::HEADER,
        crate::questionnaire::tests::VALID,
        r#"
[[section]]
id = "me"
title = { sv = "Om dig", en = "About you" }

[[section.item]]
id = "diagnosis"
kind = "single"
text = { sv = "Har du en diagnos?", en = "Do you have a diagnosis?" }
factor = "b.diagnosis"
signal = ["yes"]
options = [
  { id = "yes", sv = "Ja", en = "Yes" },
  { id = "no", sv = "Nej", en = "No" },
  { id = "dont_know", sv = "Vet inte", en = "I don't know" },
]
"#
    );
    (Questionnaire::from_toml("test.toml", &source, &catalogue).expect("the fixture is valid"), catalogue)
}

#[test]
fn a_background_answer_that_signals_nothing_has_no_line() {
    let (q, catalogue) = with_diagnosis();
    // Every question passed over but who the child lives with and the diagnosis.
    let background = |diagnosis: &str| {
        let mut session = Session::start(&q);
        while let Some(pos) = session.current(&q) {
            let item = q.items[pos].id.clone();
            let answer = match item.as_str() {
                "lives_with" => Answer::Choices(["dad".into()].into()),
                "diagnosis" => c(diagnosis),
                _ => Answer::Declined,
            };
            session = session.apply(&q, Action::Answer { item, answer }).expect("fits");
        }
        child_summary(&q, &catalogue, &session, "sv", None, "sv").background
    };
    assert_eq!(background("no"), ["Bor med: Pappa"]);
    assert_eq!(background("dont_know"), ["Bor med: Pappa"]);
    assert_eq!(background("yes"), ["Bor med: Pappa", "Diagnos: Ja"]);
}

#[test]
fn a_background_signal_naming_no_option_is_refused() {
    let (_, catalogue) = with_diagnosis();
    let source = format!(
        "{}{}",
        crate::questionnaire::tests::HEADER,
        r#"
[[section]]
id = "me"
title = { sv = "Om dig", en = "About you" }

[[section.item]]
id = "diagnosis"
kind = "yes_no"
text = { sv = "Har du en diagnos?", en = "Do you have a diagnosis?" }
factor = "b.diagnosis"
signal = ["maybe"]
"#
    );
    let errors = Questionnaire::from_toml("test.toml", &source, &catalogue).expect_err("an unknown option");
    assert!(errors.iter().any(|e| e.to_string().contains("maybe")), "{errors:?}");
}

#[test]
fn each_finding_is_shown_once_and_the_urgent_section_only_links_to_it() {
    let q = valid();
    let summary = child_summary(&q, &catalogue(), &session(), "en", None, "sv");
    let keys: Vec<&str> = summary.help_wanted.iter().chain(&summary.other_risks).map(|f| f.key.as_str()).collect();
    let mut unique = keys.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(keys.len(), unique.len(), "a finding is listed twice: {keys:?}");
    assert_eq!(keys.len(), crate::scoring::score(&q, &session()).risks().count(), "a risk is missing");
    assert_eq!(summary.urgent.len(), 1);
    assert!(keys.contains(&summary.urgent[0].key.as_str()), "the urgent link leads nowhere");
}

#[test]
fn every_answer_is_labelled_with_the_option_text_the_child_saw() {
    let q = valid();
    for language in ["sv", "en"] {
        let summary = child_summary(&q, &catalogue(), &session(), "en", None, language);
        let labels: Vec<&str> = q.items.iter().flat_map(|i| &i.options).map(|o| o.text.get(language)).collect();
        for f in summary.help_wanted.iter().chain(&summary.other_risks) {
            for said in
                [Some(&f.answer), f.how_often.as_ref(), f.worry.as_ref(), f.wants_help.as_ref()].into_iter().flatten()
            {
                assert!(labels.contains(&said.as_str()), "«{said}» is not an option the child saw");
            }
        }
    }
}
