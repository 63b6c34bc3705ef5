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
        let mut parts = vec![f.name.clone(), format!("«{}»", f.told)];
        parts.extend(f.how_often.clone());
        parts.extend(f.worry.clone());
        parts.extend(f.wants_help.clone());
        if let Some((state, note)) = &f.help_status {
            parts.push(format!("[{state}: {note}]"));
        }
        format!("  - {}\n", parts.join(" | "))
    };
    let mut out = format!("{} | {} | answered in {}\n", s.language, s.instrument, s.answered_in);
    out += "urgent:\n";
    s.urgent.iter().for_each(|f| out += &finding(f));
    if let Some(duty) = &s.duty_to_report {
        out += &format!("  ! {duty}\n");
    }
    out += "help wanted:\n";
    s.help_wanted.iter().for_each(|f| out += &finding(f));
    for d in &s.domains {
        out += &format!("{}:\n", d.title);
        d.risks.iter().for_each(|f| out += &finding(f));
        d.protective.iter().for_each(|p| out += &format!("  + {p}\n"));
        d.background.iter().for_each(|b| out += &format!("  · {b}\n"));
    }
    s.own_words.iter().for_each(|w| out += &format!("words: {w}\n"));
    s.guides.iter().for_each(|g| out += &format!("guide {}: {}\n", g.name, g.text));
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
          - Skadad | «Har något av detta hänt? — Någon skadade mig» | en gång | vet inte om hjälp behövs
          ! Barnet har berättat om något som kan betyda att det är i fara nu. Agera i dag: se till att barnet är tryggt och gör en orosanmälan till socialtjänsten. Du som arbetar med barn är skyldig att anmäla oro enligt socialtjänstlagen.
        help wanted:
          - Retad | «Blir du retad? — Alltid» | väldigt ofta | oroar mycket | vill ha hjälp
          - Skadad | «Har något av detta hänt? — Någon skadade mig» | en gång | vet inte om hjälp behövs
        Skolan:
          - Retad | «Blir du retad? — Alltid» | väldigt ofta | oroar mycket | vill ha hjälp
          + Vuxen
        Hemma:
          - Skadad | «Har något av detta hänt? — Någon skadade mig» | en gång | vet inte om hjälp behövs
          · Bor med: Mamma
        words: Please don't tell my dad.
        guide Retad: Fråga var och när det händer.
        guide Skadad: Agera i dag.
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
          - Hurt | «Has any of this happened? — Someone hurt me» | once | not sure about help
          ! The child has told of something that may mean they are in danger now. Act today: make sure the child is safe and report your concern to social services. Everyone who works with children is obliged to report concerns under the Social Services Act.
        help wanted:
          - Teased | «Are you teased? — Always» | very often | very worried | wants help | [planned: We will talk on Tuesday.]
          - Hurt | «Has any of this happened? — Someone hurt me» | once | not sure about help
        School:
          - Teased | «Are you teased? — Always» | very often | very worried | wants help | [planned: We will talk on Tuesday.]
          + Adult
        Home:
          - Hurt | «Has any of this happened? — Someone hurt me» | once | not sure about help
          · Lives with: Mum
        words: Please don't tell my dad.
        guide Teased: Ask where and when it happens.
        guide Hurt: Act today.
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
