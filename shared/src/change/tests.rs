//! Hand-checked comparisons: each expected list below is read off the two made-up
//! assessments by hand, factor by factor, as the comments say.

use super::*;
use crate::catalogue::Catalogue;
use crate::questionnaire::Questionnaire;
use std::collections::BTreeMap;

fn read(file: &str) -> String {
    std::fs::read_to_string(format!("{}/../questionnaires/{file}", env!("CARGO_MANIFEST_DIR"))).expect("readable")
}

fn instrument(file: &str) -> Questionnaire {
    let catalogue = Catalogue::from_toml("factors.toml", &read("factors.toml")).expect("valid catalogue");
    Questionnaire::from_toml(file, &read(file), &catalogue).expect("valid instrument")
}

fn yes(how_often: Option<HowOften>, worry: Option<Worry>, wants_help: Option<HelpWish>) -> RiskState {
    RiskState::Yes { how_often, worry, wants_help }
}

fn states(risks: &[(&str, RiskState)], protective: &[(&str, ProtectiveState)]) -> FactorStates {
    FactorStates {
        risks: risks.iter().map(|(id, s)| (id.to_string(), *s)).collect::<BTreeMap<_, _>>(),
        protective: protective.iter().map(|(id, s)| (id.to_string(), *s)).collect::<BTreeMap<_, _>>(),
    }
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn the_same_instrument_twice_every_kind_of_change() {
    let q = instrument("ages-10-12.toml");
    use HowOften::*;
    use ProtectiveState::*;
    use Worry::*;
    let before = states(
        &[
            // Bullied sometimes, a little worried, wants help.
            ("sch.bullied", yes(Some(Sometimes), Some(ALittle), Some(HelpWish::Yes))),
            // Conflict at home often, a lot of worry, not sure about help.
            ("fam.conflict", yes(Some(Often), Some(ALot), Some(HelpWish::NotSure))),
            // Truancy: no.
            ("sch.truancy", RiskState::No),
            // Criminal peers: declined last time.
            ("com.criminal_peers", RiskState::Declined),
            // Money worries once, no worry, no help.
            ("ind.money_worry", yes(Some(Once), Some(No), Some(HelpWish::No))),
        ],
        &[("fam.support", Absent), ("sch.bonding", Present), ("fri.leisure", Present), ("ind.future_hope", Declined)],
    );
    let after = states(
        &[
            // Bullying is gone: it had a help wish, so that wish is met.
            ("sch.bullied", RiskState::No),
            // Conflict less often, less worry, and now wants help.
            ("fam.conflict", yes(Some(Sometimes), Some(ALittle), Some(HelpWish::Yes))),
            // Truancy is new, with a help wish.
            ("sch.truancy", yes(Some(Once), Some(ALittle), Some(HelpWish::Yes))),
            // Criminal peers told of now, but declined last time: not compared.
            ("com.criminal_peers", yes(Some(Once), Some(No), Some(HelpWish::No))),
            // Money worries more often and more worry.
            ("ind.money_worry", yes(Some(VeryOften), Some(ALot), Some(HelpWish::No))),
        ],
        &[("fam.support", Present), ("sch.bonding", Absent), ("fri.leisure", Present), ("ind.future_hope", Present)],
    );
    let changes = since(&q, &before, &q, &after);
    assert_eq!(
        changes,
        Changes {
            new_risks: ids(&["sch.truancy"]),
            gone_risks: ids(&["sch.bullied"]),
            more_often: vec![("ind.money_worry".into(), (Once, VeryOften))],
            less_often: vec![("fam.conflict".into(), (Often, Sometimes))],
            more_worry: vec![("ind.money_worry".into(), (No, ALot))],
            less_worry: vec![("fam.conflict".into(), (ALot, ALittle))],
            // In id order: fam.conflict (not sure -> yes), sch.truancy (new, yes).
            new_help_wishes: ids(&["fam.conflict", "sch.truancy"]),
            met_help_wishes: ids(&["sch.bullied"]),
            protective_gained: ids(&["fam.support"]),
            protective_lost: ids(&["sch.bonding"]),
            not_compared: vec![
                ("com.criminal_peers".into(), NotCompared::NotAnswered),
                ("ind.future_hope".into(), NotCompared::NotAnswered),
            ],
        }
    );
}

#[test]
fn nothing_told_either_time_is_no_change() {
    let q = instrument("ages-10-12.toml");
    let quiet = states(&[("sch.bullied", RiskState::No)], &[("fam.support", ProtectiveState::Present)]);
    assert!(since(&q, &quiet, &q, &quiet).is_empty());
    // A risk told of both times, the same, is no change either.
    let same = states(&[("sch.bullied", yes(Some(HowOften::Often), Some(Worry::ALot), Some(HelpWish::Yes)))], &[]);
    assert!(since(&q, &same, &q, &same).is_empty());
}

#[test]
fn across_age_bands_a_factor_one_instrument_lacks_is_named_not_reported_gone() {
    let younger = instrument("ages-10-12.toml");
    let older = instrument("ages-13-18.toml");
    // ind.own_substance_use and ind.jealousy are asked from 13 on only; sch.bullied in both.
    assert!(younger.factor("ind.own_substance_use").is_none() && older.factor("ind.own_substance_use").is_some());
    let at_twelve = states(&[("sch.bullied", yes(None, None, None))], &[]);
    let at_thirteen = states(
        &[
            ("sch.bullied", RiskState::No),
            ("ind.own_substance_use", yes(Some(HowOften::Sometimes), None, None)),
            // Asked now and answered "no": nothing to name.
            ("ind.jealousy", RiskState::No),
        ],
        &[],
    );
    let changes = since(&younger, &at_twelve, &older, &at_thirteen);
    assert_eq!(changes.gone_risks, ids(&["sch.bullied"]));
    assert!(changes.new_risks.is_empty(), "a risk the younger instrument never asked is not new");
    assert_eq!(changes.not_compared, vec![("ind.own_substance_use".into(), NotCompared::NotAskedBefore)]);

    // The other way round (say, a later version drops a factor): named as not asked now.
    let changes = since(&older, &at_thirteen, &younger, &at_twelve);
    assert_eq!(changes.new_risks, ids(&["sch.bullied"]));
    assert_eq!(changes.not_compared, vec![("ind.own_substance_use".into(), NotCompared::NotAskedNow)]);
}

#[test]
fn a_risk_not_reached_the_second_time_is_not_compared_and_not_gone() {
    let q = instrument("ages-10-12.toml");
    let before = states(&[("sch.bullied", yes(None, None, Some(HelpWish::Yes)))], &[]);
    // The child stopped before the school questions: sch.bullied is absent, not "no".
    let after = states(&[("fam.conflict", RiskState::No)], &[]);
    let changes = since(&q, &before, &q, &after);
    assert!(changes.gone_risks.is_empty() && changes.met_help_wishes.is_empty());
    assert_eq!(changes.not_compared, vec![("sch.bullied".into(), NotCompared::NotAnswered)]);
}

#[test]
fn the_states_come_from_real_sessions() {
    use crate::engine::{Action, Session};
    use crate::Answer;
    let q = instrument("ages-10-12.toml");
    // Every question before "bullied" is left unanswered (declined), so only it differs.
    let answered = |frequency: &str| {
        let mut s = Session::start(&q);
        while let Some(pos) = s.current(&q).filter(|&pos| q.items[pos].id != "bullied") {
            let decline = Action::Answer { item: q.items[pos].id.clone(), answer: Answer::Declined };
            s = s.apply(&q, decline).expect("declining fits");
        }
        let answer = Answer::Choice(frequency.into());
        let s = s.apply(&q, Action::Answer { item: "bullied".into(), answer }).expect("fits");
        FactorStates::of(&q, &s, &crate::scoring::score(&q, &s))
    };
    // "Never" bullied last time, "often" now: one new risk and nothing else; back to
    // "never" the time after: gone.
    let (never, often) = (answered("never"), answered("often"));
    assert_eq!(never.risks.get("sch.bullied"), Some(&RiskState::No));
    let changes = since(&q, &never, &q, &often);
    assert_eq!(changes, Changes { new_risks: ids(&["sch.bullied"]), ..Changes::default() });
    let changes = since(&q, &often, &q, &never);
    assert_eq!(changes, Changes { gone_risks: ids(&["sch.bullied"]), ..Changes::default() });
}
