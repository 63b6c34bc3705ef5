//! Login code tests: the alphabet, parsing as children type, and the derived keys.

use super::*;
use crate::api::{Bytes, ChildAssessment, QuestionnaireRef, SealedAnswers};
use crate::child::ChildKeys;
use crate::engine::Session;
use crate::envelope::OrgSecretKey;
use rand_core::OsRng;

/// Cheap Argon2id settings: the cost is not what these tests are about.
const FAST: KdfParams = KdfParams { memory_kib: 64, iterations: 1, parallelism: 1 };

#[test]
fn codes_carry_at_least_40_bits_and_avoid_look_alikes() {
    assert!(ChildCode::secret_bits() >= 40.0, "{}", ChildCode::secret_bits());
    for look_alike in "0O1IL2Z5S8BDQ".chars() {
        assert!(!CODE_ALPHABET.contains(&(look_alike as u8)), "{look_alike}");
    }
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..2000 {
        let code = ChildCode::generate(&mut OsRng);
        assert!(code.0.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        seen.extend(code.0.bytes());
        assert_eq!(ChildCode::parse(&code.display()).unwrap(), code);
    }
    assert_eq!(seen.len(), CODE_ALPHABET.len(), "every character is used");
}

#[test]
fn a_code_made_around_a_given_lookup_keeps_it_and_draws_a_fresh_secret() {
    let a = ChildCode::with_lookup("K7MX", &mut OsRng).unwrap();
    let b = ChildCode::with_lookup("K7MX", &mut OsRng).unwrap();
    for code in [&a, &b] {
        assert_eq!(code.lookup(), "K7MX");
        assert_eq!(code.0.len(), CODE_LEN);
        assert!(code.0.bytes().all(|byte| CODE_ALPHABET.contains(&byte)));
        assert_eq!(&ChildCode::parse(&code.display()).unwrap(), code, "it reads back as printed");
    }
    assert_ne!(a, b, "the secret part is drawn each time");
    // The secret comes from the handed-in randomness alone: the same bytes, the same code.
    let fixed = |byte: u8| ChildCode::with_lookup("K7MX", &mut Repeat(byte)).unwrap();
    assert_eq!(fixed(0).display(), "K7MX-333-333-333");
    assert_eq!(fixed(1).display(), "K7MX-444-444-444");
}

#[test]
fn only_a_lookup_exactly_as_the_server_hands_it_out_makes_a_code() {
    for bad in ["", "K7M", "K7MXA", "k7mx", "K0MX", "K7M-", "K7MÅ", " K7M"] {
        assert_eq!(ChildCode::with_lookup(bad, &mut OsRng), Err(NotALookup), "{bad:?}");
        assert!(!is_lookup(bad), "{bad:?}");
    }
    assert!(is_lookup("3479") && is_lookup("YXWV"));
}

#[test]
fn random_lookups_use_the_whole_alphabet_and_are_lookups() {
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..1000 {
        let lookup = random_lookup(&mut OsRng);
        assert!(is_lookup(&lookup), "{lookup}");
        seen.extend(lookup.into_bytes());
    }
    assert_eq!(seen.len(), CODE_ALPHABET.len());
}

/// A "random" source that gives one byte over and over, to show what a result depends on.
struct Repeat(u8);

impl rand_core::RngCore for Repeat {
    fn next_u32(&mut self) -> u32 {
        u32::from_ne_bytes([self.0; 4])
    }
    fn next_u64(&mut self) -> u64 {
        u64::from_ne_bytes([self.0; 8])
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        dest.fill(self.0);
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        dest.fill(self.0);
        Ok(())
    }
}

impl rand_core::CryptoRng for Repeat {}

#[test]
fn a_code_is_read_as_a_child_types_it() {
    let code = ChildCode::parse("k7mx-4r9-hT3 wc").unwrap_err();
    assert_eq!(code, CodeError::WrongLength(12));
    let code = ChildCode::parse(" k7mx 493-ht3-wcp ").unwrap();
    assert_eq!(code.display(), "K7MX-493-HT3-WCP");
    assert_eq!(code.lookup(), "K7MX");
    assert_eq!(ChildCode::parse("K0MX493HT3WCP").unwrap_err(), CodeError::BadCharacter('0', " (try 3, C or U)"));
    assert_eq!(ChildCode::parse("K7MX493HT3WC?").unwrap_err(), CodeError::BadCharacter('?', ""));
}

#[test]
fn the_server_verifies_a_proof_without_learning_the_wrap_seed() {
    let code = ChildCode::generate(&mut OsRng);
    let salt = [7u8; SALT_LEN];
    let secret = ServerSecret::generate(&mut OsRng);
    let child = derive_child_secrets(&code, &salt, &FAST).unwrap();
    let verifier = secret.login_verifier(&child.login_proof);
    assert!(secret.verify_login(&child.login_proof, &verifier));
    let wrong = derive_child_secrets(&ChildCode::generate(&mut OsRng), &salt, &FAST).unwrap();
    assert!(!secret.verify_login(&wrong.login_proof, &verifier));
    let other_server = ServerSecret::generate(&mut OsRng);
    assert!(!other_server.verify_login(&child.login_proof, &verifier), "the verifier needs the server secret");
    assert_ne!(child.login_proof, *child.wrap_seed, "the proof is not the wrap seed");
}

#[test]
fn the_same_code_and_salt_give_the_same_keys_and_another_salt_does_not() {
    let code = ChildCode::generate(&mut OsRng);
    let a = derive_child_secrets(&code, &[1; SALT_LEN], &FAST).unwrap();
    let b = derive_child_secrets(&code, &[1; SALT_LEN], &FAST).unwrap();
    let c = derive_child_secrets(&code, &[2; SALT_LEN], &FAST).unwrap();
    assert_eq!(a.login_proof, b.login_proof);
    assert_ne!(a.login_proof, c.login_proof);
    assert_eq!(a.wrap_key(&[9; 32], "as").as_bytes(), b.wrap_key(&[9; 32], "as").as_bytes());
    assert_ne!(
        a.wrap_key(&[9; 32], "as").as_bytes(),
        a.wrap_key(&[8; 32], "as").as_bytes(),
        "the server share takes part"
    );
}

#[test]
fn decoy_salts_are_stable_per_lookup() {
    let secret = ServerSecret::generate(&mut OsRng);
    assert_eq!(secret.decoy_salt("K7MX"), secret.decoy_salt("K7MX"));
    assert_ne!(secret.decoy_salt("K7MX"), secret.decoy_salt("K7MY"));
}

fn assessment(org: &OrgSecretKey, server: &ServerSecret) -> ChildAssessment {
    ChildAssessment {
        assessment: "as-1".into(),
        organisation: "org".into(),
        org_public_key: Bytes(org.public_key().as_bytes().to_vec()),
        statistics_public_key: None,
        questionnaire: QuestionnaireRef { id: "test".into(), version: 1 },
        server_share: Bytes(server.child_share("as-1").to_vec()),
        resume_key: Bytes(vec![5; 32]),
        sealed: None,
        help: None,
        round: None,
    }
}

#[test]
fn a_child_can_come_back_on_another_device_and_the_organisation_can_read_too() {
    let org = OrgSecretKey::generate(&mut OsRng);
    let server = ServerSecret::generate(&mut OsRng);
    let code = ChildCode::generate(&mut OsRng);
    let salt = [3u8; SALT_LEN];
    let mut a = assessment(&org, &server);

    let first = ChildKeys::after_login(&derive_child_secrets(&code, &salt, &FAST).unwrap(), &a, &mut OsRng).unwrap();
    let mut session = Session::default();
    session.answers.insert("x".into(), crate::engine::Answer::Text("private".into()));
    a.sealed = Some(first.seal(&a, &session, "en", 1, &mut OsRng).unwrap());

    // Another device: the same code gives the same data key.
    let again = ChildKeys::after_login(&derive_child_secrets(&code, &salt, &FAST).unwrap(), &a, &mut OsRng).unwrap();
    assert_eq!(again.open(&a).unwrap().unwrap().session, session);

    // The organisation opens the same blob through the sealed key.
    let sealed = a.sealed.as_ref().unwrap();
    let key = org.open_data_key(&sealed.org_sealed_key.0).unwrap();
    let set = crate::envelope::open_answers(&key, &crate::child::binding(&a, 1), &sealed.blob.0).unwrap();
    assert_eq!(set.session, session);

    // A wrong code, or the right code without the server's share, opens nothing.
    let wrong = derive_child_secrets(&ChildCode::generate(&mut OsRng), &salt, &FAST).unwrap();
    assert!(ChildKeys::after_login(&wrong, &a, &mut OsRng).is_err());
    let mut no_share = a.clone();
    no_share.server_share = Bytes(vec![0; 32]);
    assert!(ChildKeys::after_login(&derive_child_secrets(&code, &salt, &FAST).unwrap(), &no_share, &mut OsRng).is_err());
}

#[test]
fn resume_material_is_useless_under_another_session() {
    let org = OrgSecretKey::generate(&mut OsRng);
    let server = ServerSecret::generate(&mut OsRng);
    let a = assessment(&org, &server);
    let code = ChildCode::generate(&mut OsRng);
    let keys =
        ChildKeys::after_login(&derive_child_secrets(&code, &[1; SALT_LEN], &FAST).unwrap(), &a, &mut OsRng).unwrap();
    let kept = keys.for_resume(&a, &mut OsRng).unwrap();
    assert!(ChildKeys::resume(&a, &kept).is_ok());
    let next_session = ChildAssessment { resume_key: Bytes(vec![6; 32]), ..a.clone() };
    assert!(ChildKeys::resume(&next_session, &kept).is_err());
    let short = ChildAssessment { resume_key: Bytes(vec![6; 8]), ..a };
    assert!(ChildKeys::resume(&short, &kept).is_err());
}

#[test]
fn a_kiosk_visit_opens_across_a_reload_and_with_no_code_at_all_once_the_session_is_gone() {
    let org = OrgSecretKey::generate(&mut OsRng);
    let server = ServerSecret::generate(&mut OsRng);
    let mut a = assessment(&org, &server);
    let keys = ChildKeys::for_kiosk(&a, &mut OsRng);
    let mut session = Session::default();
    session.answers.insert("x".into(), crate::engine::Answer::Text("kiosk".into()));
    a.sealed = Some(keys.seal(&a, &session, "sv", 1, &mut OsRng).unwrap());

    // Within the session, a reload carries on.
    let kept = keys.for_resume(&a, &mut OsRng).unwrap();
    assert_eq!(ChildKeys::resume(&a, &kept).unwrap().open(&a).unwrap().unwrap().session, session);
    // There is no code whose key unwraps the stored data key.
    for _ in 0..3 {
        let code = derive_child_secrets(&ChildCode::generate(&mut OsRng), &[1; SALT_LEN], &FAST).unwrap();
        assert!(ChildKeys::after_login(&code, &a, &mut OsRng).is_err());
    }
    // Two visits are two strangers: different data keys, so different pseudonyms.
    assert_ne!(ChildKeys::for_kiosk(&a, &mut OsRng).pseudonym(), keys.pseudonym());
}

#[test]
fn the_child_reads_the_help_status_staff_sealed() {
    use crate::help::{seal_help, HelpState, HelpStatus};
    let org = OrgSecretKey::generate(&mut OsRng);
    let server = ServerSecret::generate(&mut OsRng);
    let code = ChildCode::generate(&mut OsRng);
    let mut a = assessment(&org, &server);
    let secrets = derive_child_secrets(&code, &[4; SALT_LEN], &FAST).unwrap();
    let keys = ChildKeys::after_login(&secrets, &a, &mut OsRng).unwrap();
    a.sealed = Some(keys.seal(&a, &Session::default(), "sv", 1, &mut OsRng).unwrap());
    assert_eq!(keys.open_help(&a).unwrap(), None);

    // Staff open the data key with the organisation key and seal a status under it.
    let dk = org.open_data_key(&a.sealed.as_ref().unwrap().org_sealed_key.0).unwrap();
    let mut status = HelpStatus::default();
    status.set("secret".into(), HelpState::Planned, "Vi pratar på måndag.").unwrap();
    let blob = seal_help(&dk, &a.organisation, &a.assessment, 1, &status, &mut OsRng);
    a.help = Some(crate::api::SealedHelp { counter: 1, blob: Bytes(blob) });
    assert_eq!(keys.open_help(&a).unwrap(), Some(status));
}

#[test]
fn a_new_code_made_by_staff_opens_the_same_answers_and_the_old_code_no_longer_does() {
    let org = OrgSecretKey::generate(&mut OsRng);
    let server = ServerSecret::generate(&mut OsRng);
    let old_code = ChildCode::generate(&mut OsRng);
    let mut a = assessment(&org, &server);
    let old = derive_child_secrets(&old_code, &[4; SALT_LEN], &FAST).unwrap();
    let keys = ChildKeys::after_login(&old, &a, &mut OsRng).unwrap();
    let mut session = Session::default();
    session.answers.insert("x".into(), crate::engine::Answer::Text("still here".into()));
    a.sealed = Some(keys.seal(&a, &session, "sv", 1, &mut OsRng).unwrap());

    // Staff: a new code and salt, the data key opened with the organisation key and
    // wrapped for the new code, as the server then stores it.
    let new_code = ChildCode::generate(&mut OsRng);
    let new = derive_child_secrets(&new_code, &[9; SALT_LEN], &FAST).unwrap();
    let sealed = a.sealed.clone().unwrap();
    let wrapped = crate::child::wrap_for_new_code(
        &org,
        &sealed.org_sealed_key.0,
        &new,
        &server.child_share("as-1"),
        "as-1",
        &mut OsRng,
    )
    .unwrap();
    a.sealed = Some(SealedAnswers { child_wrapped_key: Bytes(wrapped), ..sealed });

    let again = ChildKeys::after_login(&new, &a, &mut OsRng).unwrap();
    assert_eq!(again.open(&a).unwrap().unwrap().session, session);
    assert!(ChildKeys::after_login(&old, &a, &mut OsRng).is_err());
    // Another organisation's key cannot make a new code.
    let stranger = OrgSecretKey::generate(&mut OsRng);
    let share = server.child_share("as-1");
    let org_sealed = &a.sealed.as_ref().unwrap().org_sealed_key.0;
    assert!(crate::child::wrap_for_new_code(&stranger, org_sealed, &new, &share, "as-1", &mut OsRng).is_err());
}

#[test]
fn a_save_with_status_carries_a_status_the_organisation_opens_for_that_save() {
    use crate::status::{open_status, AssessmentStatus, Progress};
    let org = OrgSecretKey::generate(&mut OsRng);
    let server = ServerSecret::generate(&mut OsRng);
    let a = assessment(&org, &server);
    let secrets = derive_child_secrets(&ChildCode::generate(&mut OsRng), &[4; SALT_LEN], &FAST).unwrap();
    let keys = ChildKeys::after_login(&secrets, &a, &mut OsRng).unwrap();
    let status = AssessmentStatus { progress: Progress::Started, urgent: false, help_wishes: 1, changed_on: 20_000 };
    let sealed = keys.seal_with_status(&a, &Session::default(), "sv", 3, &status, &mut OsRng).unwrap();
    let blob = sealed.status.expect("a status is sealed with the save");
    assert_eq!(open_status(&org, &a.organisation, &a.assessment, 3, &blob.0), Ok(status));
    assert!(open_status(&org, &a.organisation, &a.assessment, 2, &blob.0).is_err());
}
