//! Statistics record tests: records checked by hand against the fixture questionnaire, the
//! encoding's round trip and refusals, and a property over random sessions that nothing the
//! child wrote, and nothing that names the assessment, reaches the bytes.

use super::*;
use crate::engine::tests::{real, step, walks};
use crate::engine::Action;
use crate::questionnaire::tests::valid;
use expect_test::{expect, Expect};
use proptest::prelude::*;

fn context() -> RecordContext {
    RecordContext { round: "r-2026-ht".into(), unit: Some("unit-7b".into()), pseudonym: Pseudonym([7; 16]) }
}

fn session(q: &Questionnaire, answers: &[(&str, Answer)]) -> Session {
    let mut s = Session::start(q);
    for (item, a) in answers {
        s = s.apply(q, Action::Answer { item: item.to_string(), answer: a.clone() }).expect("fits");
    }
    s
}

fn render(r: &StatisticsRecord) -> String {
    let mut out = format!(
        "{} round={} unit={:?} band={:?} gender={:?} acute={} finished={}\n",
        r.reference(),
        r.round,
        r.unit,
        r.age_band,
        r.gender,
        r.acute,
        r.finished
    );
    for (factor, state) in &r.risks {
        out += &format!("  risk {factor} {state:?}\n");
    }
    for (factor, state) in &r.protective {
        out += &format!("  protective {factor} {state:?}\n");
    }
    out
}

fn check(answers: &[(&str, Answer)], expect: Expect) {
    let q = valid();
    let record = StatisticsRecord::derive(&q, &session(&q, answers), &context());
    expect.assert_eq(&render(&record));
    let bytes = record.encode(&q).expect("encodes");
    assert_eq!(StatisticsRecord::decode(&bytes, &q).expect("decodes"), record, "the round trip keeps everything");
}

fn c(s: &str) -> Answer {
    Answer::Choice(s.into())
}

fn cs(s: &[&str]) -> Answer {
    Answer::Choices(s.iter().map(|x| x.to_string()).collect())
}

#[test]
fn an_untroubled_finished_child_has_every_asked_risk_as_no_and_the_protective_factor_present() {
    check(
        &[
            ("adult", c("yes")),
            ("teased", c("never")),
            ("lives_with", cs(&["mum", "dad"])),
            ("lately", cs(&["none"])),
            ("words", Answer::Text("Allt är bra, jag heter Sara".into())),
        ],
        expect![[r#"
            test@1 round=r-2026-ht unit=Some("unit-7b") band=Some("10-12") gender=None acute=false finished=true
              risk r.hurt No
              risk r.money No
              risk r.teased No
              protective p.adult Present
        "#]],
    );
}

#[test]
fn an_endorsed_risk_carries_its_chain_and_a_declined_item_is_asked_but_not_answered() {
    check(
        &[
            ("adult", Answer::Declined),
            ("teased", c("always")),
            ("teased.worry", c("a_lot")),
            ("teased.help", c("yes")),
            ("teased_where", c("online")),
            ("lives_with", cs(&["mum"])),
            ("lately", cs(&["hurt"])),
            ("lately.hurt.often", c("once")),
            ("lately.hurt.worry", c("no")),
            ("lately.hurt.help", c("not_sure")),
        ],
        expect![[r#"
            test@1 round=r-2026-ht unit=Some("unit-7b") band=Some("10-12") gender=None acute=true finished=false
              risk r.hurt Yes { how_often: Some(Once), worry: Some(No), wants_help: Some(NotSure) }
              risk r.money No
              risk r.teased Yes { how_often: Some(VeryOften), worry: Some(ALot), wants_help: Some(Yes) }
              protective p.adult Declined
        "#]],
    );
}

#[test]
fn items_not_yet_shown_are_not_asked() {
    check(
        &[("adult", c("no"))],
        expect![[r#"
            test@1 round=r-2026-ht unit=Some("unit-7b") band=Some("10-12") gender=None acute=false finished=false
              protective p.adult Absent
        "#]],
    );
}

#[test]
fn a_risk_taken_back_is_gone_from_the_record() {
    let q = valid();
    let before = session(
        &q,
        &[
            ("adult", c("yes")),
            ("teased", c("often")),
            ("teased.worry", c("a_little")),
            ("teased.help", c("no")),
            ("teased_where", c("yard")),
        ],
    );
    assert!(StatisticsRecord::derive(&q, &before, &context()).endorsed("r.teased"));
    let after = before.apply(&q, Action::Change { item: "teased".into(), answer: c("never") }).expect("fits");
    let record = StatisticsRecord::derive(&q, &after, &context());
    assert_eq!(record.risks.get("r.teased"), Some(&RiskState::No));
}

#[test]
fn the_real_instrument_records_gender_and_age_band_and_a_record_takes_few_bytes() {
    let q = real();
    let mut s = Session::start(&q);
    while let Some(i) = s.current(&q) {
        let item = &q.items[i];
        let answer = match item.id.as_str() {
            "gender" => c("girl"),
            _ => match item.kind {
                crate::Kind::Text => Answer::Text("Mitt namn är Kim Andersson".into()),
                crate::Kind::Multiple => cs(&[&item.options[0].id]),
                _ => c(&item.options[0].id),
            },
        };
        s = s.apply(&q, Action::Answer { item: item.id.clone(), answer }).expect("fits");
    }
    let record = StatisticsRecord::derive(&q, &s, &context());
    assert_eq!(record.gender.as_deref(), Some("girl"));
    assert_eq!(record.age_band.as_deref(), Some("10-12"));
    assert!(record.finished);
    let bytes = record.encode(&q).unwrap();
    let factors = q.factors().filter(|f| f.kind != FactorKind::Background).count();
    // Fixed part: format, ids, flags and pseudonym; then one byte per factor.
    assert!(bytes.len() <= 80 + factors, "{} bytes for {factors} factors", bytes.len());
    assert_eq!(StatisticsRecord::decode(&bytes, &q).unwrap(), record);
}

#[test]
fn decoding_refuses_another_instrument_another_format_a_bad_state_and_trailing_bytes() {
    let q = valid();
    let record = StatisticsRecord::derive(&q, &session(&q, &[("adult", c("yes"))]), &context());
    let bytes = record.encode(&q).unwrap();

    let other = real();
    assert!(matches!(StatisticsRecord::decode(&bytes, &other), Err(StatisticsError::WrongInstrument { .. })));
    assert!(matches!(record.encode(&other), Err(StatisticsError::WrongInstrument { .. })));

    let mut future = bytes.clone();
    future[0] = 2;
    assert_eq!(StatisticsRecord::decode(&future, &q), Err(StatisticsError::UnknownFormat(2)));

    let mut bad_state = bytes.clone();
    *bad_state.last_mut().unwrap() = 0x7f;
    assert!(matches!(StatisticsRecord::decode(&bad_state, &q), Err(StatisticsError::Malformed(_))));

    let mut trailing = bytes.clone();
    trailing.push(0);
    assert!(matches!(StatisticsRecord::decode(&trailing, &q), Err(StatisticsError::Malformed(_))));

    assert!(matches!(StatisticsRecord::decode(&[], &q), Err(StatisticsError::Malformed(_))));
    assert_eq!(StatisticsRecord::decode(&vec![1; MAX_ENCODED_LEN + 1], &q), Err(StatisticsError::TooLong));
}

#[test]
fn an_id_longer_than_an_id_is_refused() {
    let q = valid();
    let long = RecordContext { round: "x".repeat(MAX_ID_LEN + 1), ..context() };
    let record = StatisticsRecord::derive(&q, &Session::start(&q), &long);
    assert_eq!(record.encode(&q), Err(StatisticsError::IdTooLong));
}

#[test]
fn a_sealed_record_opens_only_with_the_statistics_key_and_only_for_its_organisation_and_round() {
    let mut rng = rand_core::OsRng;
    let q = valid();
    let record = StatisticsRecord::derive(&q, &session(&q, &[("adult", c("yes"))]), &context());
    let encoded = record.encode(&q).unwrap();
    let statistics = OrgSecretKey::generate(&mut rng);
    let organisation = OrgSecretKey::generate(&mut rng);
    let sealed = seal_record(&statistics.public_key(), "org-1", "r-2026-ht", &encoded, &mut rng);
    assert_eq!(open_record(&statistics, "org-1", "r-2026-ht", &sealed, &q).unwrap(), record);
    assert!(matches!(open_record(&organisation, "org-1", "r-2026-ht", &sealed, &q), Err(OpenRecordError::Sealed(_))));
    assert!(open_record(&statistics, "org-2", "r-2026-ht", &sealed, &q).is_err(), "another organisation");
    assert!(open_record(&statistics, "org-1", "r-2027-vt", &sealed, &q).is_err(), "another round");
    let mut tampered = sealed.clone();
    *tampered.last_mut().unwrap() ^= 1;
    assert!(open_record(&statistics, "org-1", "r-2026-ht", &tampered, &q).is_err());
    assert!(open_record(&statistics, "org-1", "r-2026-ht", &sealed[..40], &q).is_err());
    // Sealed under the right round's binding but naming another round inside: refused.
    let other = StatisticsRecord { round: "r-other".into(), ..record };
    let resealed = seal_record(&statistics.public_key(), "org-1", "r-2026-ht", &other.encode(&q).unwrap(), &mut rng);
    assert_eq!(open_record(&statistics, "org-1", "r-2026-ht", &resealed, &q), Err(OpenRecordError::WrongRound));
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn no_free_text_and_no_assessment_id_or_name_reaches_the_encoded_record(
        walk in walks(),
        real_one in any::<bool>(),
        pseudonym in any::<[u8; 16]>(),
    ) {
        let q = if real_one { real() } else { valid() };
        let mut s = Session::start(&q);
        for (kind, seed) in walk {
            s = step(&q, &s, kind, seed);
        }
        // What a caller holds beside the session and must never pass into a record.
        let assessment_id = "a-5f0c2e1d9b8a7c6e";
        let child_name = "Kim Andersson";
        let context = RecordContext { round: "r-1".into(), unit: None, pseudonym: Pseudonym(pseudonym) };
        let record = StatisticsRecord::derive(&q, &s, &context);
        let bytes = record.encode(&q).unwrap();
        for answer in s.answers.values() {
            if let Answer::Text(words) = answer {
                prop_assert!(!contains(&bytes, words.as_bytes()), "free text {words:?} is in the record");
            }
        }
        prop_assert!(!contains(&bytes, assessment_id.as_bytes()));
        prop_assert!(!contains(&bytes, child_name.as_bytes()));
        prop_assert_eq!(StatisticsRecord::decode(&bytes, &q).unwrap(), record.clone());
        // Every endorsed risk of the profile is in the record, and nothing else is.
        let profile = crate::scoring::score(&q, &s);
        let endorsed: std::collections::BTreeSet<&str> = profile.risks().map(|r| r.factor.as_str()).collect();
        let recorded: std::collections::BTreeSet<&str> =
            record.risks.iter().filter(|(_, st)| matches!(st, RiskState::Yes { .. })).map(|(f, _)| f.as_str()).collect();
        prop_assert_eq!(endorsed, recorded);
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_decoder(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let q = valid();
        let _ = StatisticsRecord::decode(&bytes, &q);
    }
}
