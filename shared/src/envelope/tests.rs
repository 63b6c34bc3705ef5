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

/// X25519 (RFC 7748) of the secret key and the sealed box's ephemeral key: what the
/// analyst's browser asks WebCrypto for.
fn share(secret: &OrgSecretKey, sealed: &[u8]) -> [u8; KEY_LEN] {
    let ephemeral = ephemeral_key(sealed).unwrap();
    curve25519_dalek::montgomery::MontgomeryPoint(ephemeral).mul_clamped(secret.to_bytes()).to_bytes()
}

#[test]
fn x25519_is_the_rfc_7748_function_webcrypto_computes() {
    // RFC 7748, section 6.1: Alice's private key, Bob's public key and their shared secret.
    let hex = |s: &str| -> [u8; 32] {
        let bytes: Vec<u8> = (0..64).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect();
        bytes.try_into().unwrap()
    };
    let alice = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    let bob = hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    let shared = hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    let mut sealed = bob.to_vec();
    sealed.extend_from_slice(&[0; 80]);
    assert_eq!(share(&OrgSecretKey::from_bytes(alice), &sealed), shared);
}

proptest::proptest! {
    #[test]
    fn opening_with_the_share_equals_opening_with_the_key(
        plaintext in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400),
        aad in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..60),
        flip in proptest::prelude::any::<(usize, u8)>(),
    ) {
        let org = OrgSecretKey::generate(&mut OsRng);
        let sealed = org.public_key().seal_bound(&aad, &plaintext, &mut OsRng);
        let with_share = org.public_key().open_bound_with_share(&share(&org, &sealed), &aad, &sealed);
        proptest::prop_assert_eq!(&with_share, &org.open_bound(&aad, &sealed));
        proptest::prop_assert_eq!(with_share.unwrap(), plaintext);

        // A flipped byte anywhere after the ephemeral key fails both ways alike.
        let mut bad = sealed.clone();
        let at = KEY_LEN + flip.0 % (sealed.len() - KEY_LEN);
        bad[at] ^= flip.1.max(1);
        proptest::prop_assert_eq!(org.public_key().open_bound_with_share(&share(&org, &bad), &aad, &bad), Err(EnvelopeError::Rejected));
        proptest::prop_assert_eq!(org.open_bound(&aad, &bad), Err(EnvelopeError::Rejected));
    }
}

#[test]
fn a_wrong_share_a_stranger_s_share_or_a_short_box_is_refused() {
    let org = OrgSecretKey::generate(&mut OsRng);
    let stranger = OrgSecretKey::generate(&mut OsRng);
    let sealed = org.public_key().seal_bound(b"aad", b"record", &mut OsRng);
    assert_eq!(org.public_key().open_bound_with_share(&[7; KEY_LEN], b"aad", &sealed), Err(EnvelopeError::Rejected));
    assert_eq!(
        org.public_key().open_bound_with_share(&share(&stranger, &sealed), b"aad", &sealed),
        Err(EnvelopeError::Rejected)
    );
    assert_eq!(
        org.public_key().open_bound_with_share(&share(&org, &sealed), b"other", &sealed),
        Err(EnvelopeError::Rejected)
    );
    for len in [0, KEY_LEN - 1, KEY_LEN, SEALED_KEY_LEN + NONCE_LEN + TAG_LEN - 1] {
        assert_eq!(
            org.public_key().open_bound_with_share(&[0; KEY_LEN], b"aad", &sealed[..len]),
            Err(EnvelopeError::TooShort)
        );
    }
}
