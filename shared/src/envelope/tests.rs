//! Envelope tests: the round trip, and every way a blob can be wrong is rejected.

use super::*;
use crate::engine::{Answer, Position};
use rand_core::OsRng;

fn answers() -> AnswerSet {
    let mut session = Session::default();
    session.answers.insert("adult".into(), Answer::Choice("yes".into()));
    session.answers.insert("words".into(), Answer::Text("CANARY-words".into()));
    session.position = Some(Position::Finished);
    AnswerSet { questionnaire: "test@1".into(), language: "sv".into(), session }
}

fn binding() -> Binding {
    Binding { organisation: "org-a".into(), assessment: "as-1".into(), questionnaire: "test@1".into(), counter: 3 }
}

#[test]
fn a_sealed_answer_set_opens_with_the_same_key_and_binding() {
    let key = SymmetricKey::generate(&mut OsRng);
    let blob = seal_answers(&key, &binding(), &answers(), &mut OsRng);
    assert_eq!(open_answers(&key, &binding(), &blob).unwrap(), answers());
    assert!(!blob.windows(6).any(|w| w == b"CANARY"), "the plaintext shows through");
}

#[test]
fn any_flipped_byte_is_rejected() {
    let key = SymmetricKey::generate(&mut OsRng);
    let blob = seal_answers(&key, &binding(), &answers(), &mut OsRng);
    for i in 0..blob.len() {
        for bit in [0x01, 0x80] {
            let mut bad = blob.clone();
            bad[i] ^= bit;
            assert_eq!(open_answers(&key, &binding(), &bad).unwrap_err(), EnvelopeError::Rejected, "byte {i}");
        }
    }
    assert_eq!(open_answers(&key, &binding(), &blob[..blob.len() - 1]).unwrap_err(), EnvelopeError::Rejected);
    assert_eq!(open_answers(&key, &binding(), &blob[..20]).unwrap_err(), EnvelopeError::TooShort);
}

#[test]
fn a_blob_moved_to_another_assessment_organisation_instrument_or_save_is_rejected() {
    let key = SymmetricKey::generate(&mut OsRng);
    let blob = seal_answers(&key, &binding(), &answers(), &mut OsRng);
    let moved = [
        Binding { assessment: "as-2".into(), ..binding() },
        Binding { organisation: "org-b".into(), ..binding() },
        Binding { questionnaire: "test@2".into(), ..binding() },
        Binding { counter: 2, ..binding() },
        // Fields are length-prefixed, so shifting a character between them changes the bytes.
        Binding { organisation: "org-".into(), assessment: "aas-1".into(), ..binding() },
    ];
    for b in moved {
        assert_eq!(open_answers(&key, &b, &blob).unwrap_err(), EnvelopeError::Rejected, "{b:?}");
    }
}

#[test]
fn the_wrong_key_is_rejected() {
    let key = SymmetricKey::generate(&mut OsRng);
    let other = SymmetricKey::generate(&mut OsRng);
    let blob = seal_answers(&key, &binding(), &answers(), &mut OsRng);
    assert_eq!(open_answers(&other, &binding(), &blob).unwrap_err(), EnvelopeError::Rejected);
}

#[test]
fn only_the_organisation_opens_the_sealed_data_key() {
    let org = OrgSecretKey::generate(&mut OsRng);
    let stranger = OrgSecretKey::generate(&mut OsRng);
    let key = SymmetricKey::generate(&mut OsRng);
    let sealed = org.public_key().seal_data_key(&key, &mut OsRng);
    assert_eq!(org.open_data_key(&sealed).unwrap().as_bytes(), key.as_bytes());
    assert!(stranger.open_data_key(&sealed).is_err());
    let mut bad = sealed.clone();
    bad[40] ^= 1;
    assert!(org.open_data_key(&bad).is_err());
}

#[test]
fn a_wrapped_key_opens_only_for_its_purpose_and_assessment() {
    let wrapping = SymmetricKey::generate(&mut OsRng);
    let key = SymmetricKey::generate(&mut OsRng);
    let wrapped = wrap_data_key(&wrapping, WrapPurpose::Child, "as-1", &key, &mut OsRng);
    let opened = unwrap_data_key(&wrapping, WrapPurpose::Child, "as-1", &wrapped).unwrap();
    assert_eq!(opened.as_bytes(), key.as_bytes());
    assert!(unwrap_data_key(&wrapping, WrapPurpose::Resume, "as-1", &wrapped).is_err());
    assert!(unwrap_data_key(&wrapping, WrapPurpose::Child, "as-2", &wrapped).is_err());
    let other = SymmetricKey::generate(&mut OsRng);
    assert!(unwrap_data_key(&other, WrapPurpose::Child, "as-1", &wrapped).is_err());
}

#[test]
fn answers_sealed_for_one_instrument_cannot_claim_another() {
    // Even with a matching binding, the plaintext must name the same instrument.
    let key = SymmetricKey::generate(&mut OsRng);
    let mut set = answers();
    set.questionnaire = "other@1".into();
    let blob = seal_answers(&key, &binding(), &set, &mut OsRng);
    assert!(matches!(open_answers(&key, &binding(), &blob), Err(EnvelopeError::WrongQuestionnaire { .. })));
}

#[test]
fn a_note_sealed_to_the_organisation_opens_only_there() {
    let org = OrgSecretKey::generate(&mut OsRng);
    let sealed = org.public_key().seal_note("Alva Berg, 4B", &mut OsRng);
    assert!(!sealed.windows(4).any(|w| w == b"Alva"));
    assert_eq!(org.open_note(&sealed).unwrap(), "Alva Berg, 4B");
    assert!(OrgSecretKey::generate(&mut OsRng).open_note(&sealed).is_err());
}
