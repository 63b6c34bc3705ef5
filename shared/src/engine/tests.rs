//! Engine tests: hand-written walks through the fixture, then properties over random
//! answer sequences on the fixture and on the real 10–12 instrument.

use super::*;
use crate::questionnaire::tests::{catalogue, valid};
use proptest::prelude::*;

fn choice(s: &str) -> Answer {
    Answer::Choice(s.to_string())
}

fn answer(q: &Questionnaire, s: &Session, item: &str, a: Answer) -> Session {
    s.apply(q, Action::Answer { item: item.to_string(), answer: a }).expect("the answer fits")
}

fn current_id(q: &Questionnaire, s: &Session) -> Option<String> {
    s.current(q).map(|i| q.items[i].id.clone())
}

pub(crate) fn real() -> Questionnaire {
    real_named("ages-10-12.toml")
}

/// One of the shipped instruments, by file name.
pub(crate) fn real_named(file: &str) -> Questionnaire {
    let source = match file {
        "ages-6-9.toml" => include_str!("../../../questionnaires/ages-6-9.toml"),
        "ages-10-12.toml" => include_str!("../../../questionnaires/ages-10-12.toml"),
        "ages-13-18.toml" => include_str!("../../../questionnaires/ages-13-18.toml"),
        other => panic!("no shipped instrument {other}"),
    };
    let catalogue =
        crate::catalogue::Catalogue::from_toml("factors.toml", include_str!("../../../questionnaires/factors.toml"))
            .expect("the catalogue is valid");
    Questionnaire::from_toml(file, source, &catalogue).expect("the instrument is valid")
}

#[test]
fn a_new_session_starts_at_the_first_item() {
    let q = valid();
    let s = Session::start(&q);
    assert_eq!(current_id(&q, &s).as_deref(), Some("adult"));
    assert_eq!(s.view(&q).progress, 0.0);
}

#[test]
fn an_endorsed_risk_opens_its_chain_and_its_branch() {
    let q = valid();
    let s = answer(&q, &Session::start(&q), "adult", choice("yes"));
    let s = answer(&q, &s, "teased", choice("often"));
    assert_eq!(current_id(&q, &s).as_deref(), Some("teased.worry"), "a frequency item skips `how often`");
    let s = answer(&q, &s, "teased.worry", choice("a_lot"));
    let s = answer(&q, &s, "teased.help", choice("yes"));
    assert_eq!(current_id(&q, &s).as_deref(), Some("teased_where"));
}

#[test]
fn an_untroubled_answer_skips_the_chain_and_the_branch() {
    let q = valid();
    let s = answer(&q, &Session::start(&q), "adult", choice("yes"));
    let s = answer(&q, &s, "teased", choice("never"));
    assert_eq!(current_id(&q, &s).as_deref(), Some("lives_with"));
}

#[test]
fn changing_an_answer_drops_the_follow_ups_that_no_longer_apply() {
    let q = valid();
    let mut s = answer(&q, &Session::start(&q), "adult", choice("yes"));
    for (item, a) in
        [("teased", "always"), ("teased.worry", "a_little"), ("teased.help", "no"), ("teased_where", "yard")]
    {
        s = answer(&q, &s, item, choice(a));
    }
    assert_eq!(current_id(&q, &s).as_deref(), Some("lives_with"));
    let s = s.apply(&q, Action::Change { item: "teased".into(), answer: choice("never") }).unwrap();
    let kept: Vec<&str> = s.answers.keys().map(String::as_str).collect();
    assert_eq!(kept, ["adult", "teased"]);
    assert_eq!(current_id(&q, &s).as_deref(), Some("lives_with"), "the child stays where they were");
    let path: Vec<&str> = s.view(&q).path.iter().map(|&i| q.items[i].id.as_str()).collect();
    assert!(!path.iter().any(|id| id.starts_with("teased.")), "{path:?}");
}

#[test]
fn going_back_and_answering_differently_changes_the_path() {
    let q = valid();
    let s = answer(&q, &Session::start(&q), "adult", choice("yes"));
    let s = answer(&q, &s, "teased", choice("never"));
    let s = s.apply(&q, Action::Back).unwrap();
    assert_eq!(current_id(&q, &s).as_deref(), Some("teased"));
    assert_eq!(s.answers.get("teased"), Some(&choice("never")), "the earlier answer is kept to show");
    let s = answer(&q, &s, "teased", choice("sometimes"));
    assert_eq!(current_id(&q, &s).as_deref(), Some("teased.worry"));
}

#[test]
fn back_on_the_first_item_stays_there() {
    let q = valid();
    let s = Session::start(&q);
    assert_eq!(s.apply(&q, Action::Back).unwrap(), s);
}

#[test]
fn a_screening_item_opens_one_chain_per_picked_risk() {
    let q = valid();
    let mut s = answer(&q, &Session::start(&q), "adult", choice("no"));
    s = answer(&q, &s, "teased", choice("never"));
    s = answer(&q, &s, "lives_with", Answer::Choices(["mum".to_string()].into()));
    s = answer(&q, &s, "lately", Answer::Choices(["hurt".to_string(), "money".to_string()].into()));
    let path: Vec<&str> = s.view(&q).path.iter().map(|&i| q.items[i].id.as_str()).collect();
    assert!(path.contains(&"lately.hurt.often") && path.contains(&"lately.money.help") && path.contains(&"safe"));
}

#[test]
fn answers_that_do_not_fit_are_refused_and_change_nothing() {
    let q = valid();
    let s = Session::start(&q);
    let refuse = |item: &str, a: Answer| s.apply(&q, Action::Answer { item: item.into(), answer: a }).unwrap_err();
    assert_eq!(refuse("teased", choice("never")), EngineError::NotCurrent("teased".into()));
    assert_eq!(
        refuse("adult", choice("maybe")),
        EngineError::UnknownOption { item: "adult".into(), option: "maybe".into() }
    );
    assert_eq!(refuse("adult", Answer::Text("hi".into())), EngineError::WrongShape("adult".into()));
    assert_eq!(refuse("ghost", choice("yes")), EngineError::UnknownItem("ghost".into()));
    assert_eq!(refuse("teased_where", choice("yard")), EngineError::NotShown("teased_where".into()));
    let at_lately = [
        ("adult", choice("no")),
        ("teased", choice("never")),
        ("lives_with", Answer::Choices(["dad".to_string()].into())),
    ]
    .into_iter()
    .fold(s.clone(), |s, (i, a)| answer(&q, &s, i, a));
    let both = Answer::Choices(["none".to_string(), "money".to_string()].into());
    let err = at_lately.apply(&q, Action::Answer { item: "lately".into(), answer: both }).unwrap_err();
    assert_eq!(err, EngineError::ExclusiveWithOthers { item: "lately".into(), option: "none".into() });
    let empty = Answer::Choices(Default::default());
    assert!(at_lately.apply(&q, Action::Answer { item: "lately".into(), answer: empty }).is_err());
}

#[test]
fn free_text_is_trimmed_blank_text_is_a_declined_answer_and_long_text_is_refused() {
    let q = valid();
    let mut s = Session::start(&q);
    for (item, a) in [
        ("adult", choice("no")),
        ("teased", choice("never")),
        ("lives_with", Answer::Choices(["dad".to_string()].into())),
        ("lately", Answer::Choices(["none".to_string()].into())),
    ] {
        s = answer(&q, &s, item, a);
    }
    assert_eq!(current_id(&q, &s).as_deref(), Some("words"));
    let long = Answer::Text("x".repeat(MAX_TEXT_CHARS + 1));
    assert_eq!(
        s.apply(&q, Action::Answer { item: "words".into(), answer: long }).unwrap_err(),
        EngineError::TooLong("words".into())
    );
    let blank = answer(&q, &s, "words", Answer::Text("   ".into()));
    assert_eq!(blank.answers["words"], Answer::Declined);
    let done = answer(&q, &s, "words", Answer::Text("  hej  ".into()));
    assert_eq!(done.answers["words"], Answer::Text("hej".into()));
    let view = done.view(&q);
    assert!(view.complete && view.current.is_none() && view.progress == 1.0);
}

#[test]
fn restore_keeps_only_answers_that_fit_this_questionnaire() {
    let q = valid();
    let mut stored = Session::default();
    stored.answers.insert("adult".into(), choice("yes"));
    stored.answers.insert("teased".into(), choice("banana"));
    stored.answers.insert("gone".into(), choice("yes"));
    stored.answers.insert("teased_where".into(), choice("yard"));
    let s = Session::default().apply(&q, Action::Restore(stored)).unwrap();
    assert_eq!(s.answers.keys().collect::<Vec<_>>(), ["adult"]);
    assert_eq!(current_id(&q, &s).as_deref(), Some("teased"));
}

#[test]
fn catalogue_fixture_is_shared_with_the_validator_tests() {
    assert!(catalogue().get("r.hurt").is_some_and(|f| f.acute));
}

/// Visibility, written again the slow and obvious way, to check the engine against.
fn shown_by_definition(q: &Questionnaire, answers: &BTreeMap<String, Answer>, i: usize) -> bool {
    match &q.items[i].rule {
        None => true,
        Some(rule) => rule.eval(&|j| {
            if shown_by_definition(q, answers, j) {
                answers.get(&q.items[j].id)
            } else {
                None
            }
        }),
    }
}

/// A random answer for item `i`, from `seed`.
fn some_answer(q: &Questionnaire, i: usize, seed: u64) -> Answer {
    let item = &q.items[i];
    if seed.is_multiple_of(17) {
        return Answer::Declined;
    }
    match item.kind {
        Kind::Text => Answer::Text(format!("words {seed}")),
        Kind::Multiple => {
            let pick = seed as usize % item.options.len();
            if item.options[pick].exclusive {
                return Answer::Choices([item.options[pick].id.clone()].into());
            }
            let chosen = item
                .options
                .iter()
                .enumerate()
                .filter(|(n, o)| !o.exclusive && (*n == pick || (seed >> (n + 8)) & 1 == 1))
                .map(|(_, o)| o.id.clone())
                .collect();
            Answer::Choices(chosen)
        }
        _ => Answer::Choice(item.options[seed as usize % item.options.len()].id.clone()),
    }
}

/// One step of a random walk: mostly answers, sometimes back, sometimes an earlier change.
pub(crate) fn step(q: &Questionnaire, s: &Session, kind: u8, seed: u64) -> Session {
    let action = match (kind % 8, s.current(q)) {
        (0, _) => Action::Back,
        (1, _) if !s.answers.is_empty() => {
            let ids: Vec<&String> = s.answers.keys().collect();
            let id = ids[seed as usize % ids.len()].clone();
            let i = q.position(&id).unwrap();
            Action::Change { item: id, answer: some_answer(q, i, seed / 7) }
        }
        (_, Some(i)) => Action::Answer { item: q.items[i].id.clone(), answer: some_answer(q, i, seed) },
        (_, None) => Action::Back,
    };
    s.apply(q, action).expect("a well-formed action on a shown item is accepted")
}

fn check_invariants(q: &Questionnaire, s: &Session) {
    let view = s.view(q);
    let expected: Vec<usize> = (0..q.items.len()).filter(|&i| shown_by_definition(q, &s.answers, i)).collect();
    assert_eq!(view.path, expected, "the path is exactly the items whose rules hold");
    if let Some(i) = view.current {
        assert!(shown_by_definition(q, &s.answers, i), "current item {} is not shown", q.items[i].id);
    }
    for id in s.answers.keys() {
        let i = q.position(id).unwrap();
        assert!(expected.contains(&i), "an answer to hidden item {id} was kept");
    }
}

pub(crate) fn walks() -> impl Strategy<Value = Vec<(u8, u64)>> {
    proptest::collection::vec((any::<u8>(), any::<u64>()), 0..120)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn never_shows_an_item_whose_rule_is_false(walk in walks(), real_one in any::<bool>()) {
        let q = if real_one { real() } else { valid() };
        let mut s = Session::start(&q);
        for (kind, seed) in walk {
            s = step(&q, &s, kind, seed);
            check_invariants(&q, &s);
        }
    }

    #[test]
    fn a_forward_pass_always_finishes_and_never_moves_progress_back(seeds in proptest::collection::vec(any::<u64>(), 400), real_one in any::<bool>()) {
        let q = if real_one { real() } else { valid() };
        let mut s = Session::start(&q);
        let mut last = s.view(&q).progress;
        let mut steps = 0;
        while let Some(i) = s.current(&q) {
            s = answer(&q, &s, &q.items[i].id.clone(), some_answer(&q, i, seeds[steps]));
            let progress = s.view(&q).progress;
            prop_assert!(progress >= last, "progress fell from {} to {}", last, progress);
            last = progress;
            steps += 1;
            prop_assert!(steps <= q.items.len(), "more steps than items");
        }
        let view = s.view(&q);
        prop_assert!(view.complete);
        prop_assert_eq!(view.progress, 1.0);
    }

    #[test]
    fn serialising_and_restoring_gives_the_same_state(walk in walks(), real_one in any::<bool>()) {
        let q = if real_one { real() } else { valid() };
        let mut s = Session::start(&q);
        for (kind, seed) in walk {
            s = step(&q, &s, kind, seed);
        }
        let stored: Session = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        let restored = Session::default().apply(&q, Action::Restore(stored)).unwrap();
        prop_assert_eq!(&restored, &s);
        prop_assert_eq!(restored.view(&q), s.view(&q));
    }
}
