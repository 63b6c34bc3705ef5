//! Scoring tests: profiles checked by hand against the fixture questionnaire.

use super::*;
use crate::engine::Action;
use crate::questionnaire::tests::valid;
use expect_test::{expect, Expect};

/// Answers the fixture in order (each item must be the current one) and renders the profile.
fn check(answers: &[(&str, Answer)], expect: Expect) {
    let q = valid();
    let mut s = Session::start(&q);
    for (item, a) in answers {
        s = s.apply(&q, Action::Answer { item: item.to_string(), answer: a.clone() }).expect("fits");
    }
    expect.assert_eq(&render(&score(&q, &s)));
}

fn render(p: &FactorProfile) -> String {
    let mut out = format!("{}@{} acute={}\n", p.questionnaire, p.version, p.acute);
    for d in &p.domains {
        out += &format!("[{}]\n", d.section);
        for r in &d.risks {
            let option = r.option.as_deref().map(|o| format!("/{o}")).unwrap_or_default();
            out += &format!(
                "  risk {} ({}{}) acute={} often={:?} worry={:?} help={:?}\n",
                r.factor, r.item, option, r.acute, r.how_often, r.worry, r.wants_help
            );
        }
        for p in &d.protective {
            out += &format!("  protective {} ({})\n", p.factor, p.item);
        }
        for b in &d.background {
            out += &format!("  background {} ({}) {:?}\n", b.factor, b.item, b.options);
        }
        for (item, words) in &d.own_words {
            out += &format!("  words ({item}) {words:?}\n");
        }
    }
    out
}

fn c(s: &str) -> Answer {
    Answer::Choice(s.into())
}

fn cs(s: &[&str]) -> Answer {
    Answer::Choices(s.iter().map(|x| x.to_string()).collect())
}

#[test]
fn an_untroubled_child_has_protective_factors_and_no_risks() {
    check(
        &[
            ("adult", c("yes")),
            ("teased", c("never")),
            ("lives_with", cs(&["mum", "dad"])),
            ("lately", cs(&["none"])),
            ("words", Answer::Declined),
        ],
        expect![[r#"
            test@1 acute=false
            [school]
              protective p.adult (adult)
            [home]
              background b.home (lives_with) ["dad", "mum"]
        "#]],
    );
}

#[test]
fn a_frequency_risk_takes_how_often_from_its_own_answer() {
    check(
        &[
            ("adult", c("no")),
            ("teased", c("always")),
            ("teased.worry", c("a_lot")),
            ("teased.help", c("yes")),
            ("teased_where", c("online")),
            ("lives_with", cs(&["mum"])),
            ("lately", cs(&["none"])),
            ("words", Answer::Text("It happens on the bus.".into())),
        ],
        expect![[r#"
            test@1 acute=false
            [school]
              risk r.teased (teased) acute=false often=Some(VeryOften) worry=Some(ALot) help=Some(Yes)
            [home]
              background b.home (lives_with) ["mum"]
              words (words) "It happens on the bus."
        "#]],
    );
}

#[test]
fn each_picked_screening_risk_carries_its_own_chain_and_an_acute_one_flags_the_profile() {
    check(
        &[
            ("adult", c("yes")),
            ("teased", c("never")),
            ("lives_with", cs(&["dad"])),
            ("lately", cs(&["hurt", "money"])),
            ("lately.hurt.often", c("once")),
            ("lately.hurt.worry", c("no")),
            ("lately.hurt.help", c("not_sure")),
            ("lately.money.often", c("often")),
            ("lately.money.worry", Answer::Declined),
            ("lately.money.help", c("no")),
            ("safe", c("no")),
        ],
        expect![[r#"
            test@1 acute=true
            [school]
              protective p.adult (adult)
            [home]
              risk r.hurt (lately/hurt) acute=true often=Some(Once) worry=Some(No) help=Some(NotSure)
              risk r.money (lately/money) acute=false often=Some(Often) worry=None help=Some(No)
              background b.home (lives_with) ["dad"]
        "#]],
    );
}

#[test]
fn a_taken_back_risk_leaves_no_trace_in_the_profile() {
    let q = valid();
    let mut s = Session::start(&q);
    for (item, a) in
        [("adult", c("yes")), ("teased", c("often")), ("teased.worry", c("a_lot")), ("teased.help", c("yes"))]
    {
        s = s.apply(&q, Action::Answer { item: item.into(), answer: a }).unwrap();
    }
    assert_eq!(score(&q, &s).risks().count(), 1);
    let s = s.apply(&q, Action::Change { item: "teased".into(), answer: c("never") }).unwrap();
    let profile = score(&q, &s);
    assert_eq!(profile.risks().count(), 0);
    assert_eq!(profile.protective().count(), 1);
}

#[test]
fn hidden_answers_are_not_scored_even_if_a_session_carries_them() {
    // A session assembled by hand (not through the engine) with a chain answer whose risk
    // was never endorsed: scoring reads only shown answers.
    let q = valid();
    let mut s = Session::default();
    s.answers.insert("teased".into(), c("never"));
    s.answers.insert("teased.worry".into(), c("a_lot"));
    s.answers.insert("safe".into(), c("yes"));
    let profile = score(&q, &s);
    assert_eq!(profile.risks().count(), 0);
    assert_eq!(profile.protective().count(), 0, "`safe` is hidden unless `lately` has `hurt`");
}

#[test]
fn an_answer_is_acute_only_when_it_picks_an_acute_risk() {
    let q = valid();
    assert!(is_acute(&q, "lately", &cs(&["money", "hurt"])));
    assert!(!is_acute(&q, "lately", &cs(&["money"])));
    assert!(!is_acute(&q, "lately", &cs(&["none"])));
    assert!(!is_acute(&q, "teased", &c("always")), "a risk, but not acute");
    assert!(!is_acute(&q, "lately.hurt.worry", &c("a_lot")), "follow-ups are never acute themselves");
    assert!(!is_acute(&q, "nowhere", &c("yes")));
    assert!(!is_acute(&q, "lately", &Answer::Declined));
}
