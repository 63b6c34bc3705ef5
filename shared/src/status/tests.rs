//! Status tests: derived from the fixture questionnaire's answers, its seven-byte encoding,
//! and a seal that opens only for its organisation, assessment and save.

use super::*;
use crate::answer::Answer;
use crate::engine::Action;
use crate::questionnaire::tests::valid;
use rand_core::OsRng;

fn c(s: &str) -> Answer {
    Answer::Choice(s.into())
}

fn answered(steps: &[(&str, Answer)]) -> Session {
    let q = valid();
    steps.iter().fold(Session::start(&q), |s, (item, a)| {
        s.apply(&q, Action::Answer { item: item.to_string(), answer: a.clone() }).expect("fits")
    })
}

fn sample() -> AssessmentStatus {
    AssessmentStatus { progress: Progress::Finished, urgent: true, help_wishes: 3, changed_on: 20_000 }
}

#[test]
fn a_fresh_session_is_started_calm_and_without_help_wishes() {
    let q = valid();
    let status = AssessmentStatus::of(&q, &Session::start(&q), 20_431);
    assert_eq!(
        status,
        AssessmentStatus { progress: Progress::Started, urgent: false, help_wishes: 0, changed_on: 20_431 }
    );
}

#[test]
fn a_help_wish_and_an_unsure_one_both_count_and_an_acute_answer_makes_the_status_urgent() {
    let q = valid();
    let session = answered(&[
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
    ]);
    let status = AssessmentStatus::of(&q, &session, 7);
    assert_eq!(status.help_wishes, 2);
    assert!(status.urgent, "being hurt at home is acute in the fixture");
    assert_eq!(status.progress, Progress::Started);
}

#[test]
fn a_session_at_its_end_is_finished() {
    let q = valid();
    let mut session = Session::start(&q);
    while let Some(current) = session.current(&q) {
        let item = q.items[current].id.clone();
        session = session.apply(&q, Action::Answer { item, answer: Answer::Declined }).expect("declining fits");
    }
    assert_eq!(AssessmentStatus::of(&q, &session, 1).progress, Progress::Finished);
}

#[test]
fn the_encoding_is_seven_versioned_bytes_that_read_back_the_same() {
    let status = sample();
    let bytes = status.encode();
    assert_eq!(bytes, [1, 0b11, 3, 0, 0, 0x4e, 0x20]);
    assert_eq!(AssessmentStatus::decode(&bytes), Ok(status));
}

#[test]
fn an_unknown_version_a_wrong_length_or_unknown_flags_do_not_decode() {
    let mut bytes = sample().encode();
    bytes[0] = 2;
    assert_eq!(AssessmentStatus::decode(&bytes), Err(StatusError::UnknownVersion(2)));
    assert_eq!(AssessmentStatus::decode(&sample().encode()[..6]), Err(StatusError::Malformed));
    assert_eq!(AssessmentStatus::decode(&[]), Err(StatusError::Malformed));
    let mut flags = sample().encode();
    flags[1] = 0b100;
    assert_eq!(AssessmentStatus::decode(&flags), Err(StatusError::Malformed));
}

#[test]
fn a_sealed_status_opens_with_the_organisation_key_for_its_own_assessment_and_save() {
    let org = OrgSecretKey::generate(&mut OsRng);
    let sealed = seal_status(&org.public_key(), "org", "as-1", 4, &sample(), &mut OsRng);
    assert_eq!(sealed.len(), SEALED_STATUS_LEN);
    assert_eq!(open_status(&org, "org", "as-1", 4, &sealed), Ok(sample()));
}

#[test]
fn a_status_moved_to_another_assessment_organisation_or_save_fails_to_open() {
    let org = OrgSecretKey::generate(&mut OsRng);
    let sealed = seal_status(&org.public_key(), "org", "as-1", 4, &sample(), &mut OsRng);
    let rejected = Err(StatusError::Envelope(EnvelopeError::Rejected));
    assert_eq!(open_status(&org, "org", "as-2", 4, &sealed), rejected);
    assert_eq!(open_status(&org, "other", "as-1", 4, &sealed), rejected);
    assert_eq!(open_status(&org, "org", "as-1", 3, &sealed), rejected);
    let stranger = OrgSecretKey::generate(&mut OsRng);
    assert_eq!(open_status(&stranger, "org", "as-1", 4, &sealed), rejected);
}

#[test]
fn a_status_altered_in_any_byte_or_cut_short_fails_to_open() {
    let org = OrgSecretKey::generate(&mut OsRng);
    let sealed = seal_status(&org.public_key(), "org", "as-1", 1, &sample(), &mut OsRng);
    for i in 0..sealed.len() {
        let mut tampered = sealed.clone();
        tampered[i] ^= 0x01;
        assert!(open_status(&org, "org", "as-1", 1, &tampered).is_err(), "byte {i} altered still opened");
    }
    assert!(open_status(&org, "org", "as-1", 1, &sealed[..sealed.len() - 1]).is_err());
    assert!(open_status(&org, "org", "as-1", 1, &sealed[..10]).is_err());
}
