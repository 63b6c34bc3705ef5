//! Fuzzed inputs: arbitrary bytes, and valid inputs with bytes changed, fed to every
//! opener of the domain crate that reads what it did not write itself: the questionnaire
//! loader (a TOML file someone edited), the answer envelope, the organisation's sealed
//! boxes, key unwrapping and the statistics record (bytes a browser sent). Each must come
//! back with an error that says what is wrong, never panic, and never accept a changed
//! sealed byte.

use beratta_core::engine::Session;
use beratta_core::envelope::{open_answers, unwrap_data_key, Binding, OrgSecretKey, SymmetricKey, WrapPurpose};
use beratta_core::questionnaire::library::Library;
use beratta_core::questionnaire::Questionnaire;
use beratta_core::statistics::{open_record, seal_record, Pseudonym, RecordContext, StatisticsRecord};
use proptest::prelude::*;
use rand_core::OsRng;
use std::path::Path;
use std::sync::OnceLock;

fn folder() -> &'static Path {
    static DIR: OnceLock<std::path::PathBuf> = OnceLock::new();
    DIR.get_or_init(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../questionnaires"))
}

fn file(name: &str) -> String {
    std::fs::read_to_string(folder().join(name)).expect("the questionnaire files exist")
}

/// The instrument the records and answers below are for.
fn instrument() -> &'static Questionnaire {
    static Q: OnceLock<Questionnaire> = OnceLock::new();
    Q.get_or_init(|| {
        let files =
            vec![("factors.toml".to_string(), file("factors.toml")), ("q.toml".to_string(), file("ages-10-12.toml"))];
        let library = Library::load(&files).expect("the real files load");
        library.instruments[0].1.clone()
    })
}

/// `source` with the bytes from `at` (a fraction of its length) replaced by `with`.
fn spliced(source: &str, at: f64, cut: usize, with: &[u8]) -> String {
    let bytes = source.as_bytes();
    let start = ((bytes.len() as f64 * at) as usize).min(bytes.len());
    let end = (start + cut).min(bytes.len());
    let mut out = bytes[..start].to_vec();
    out.extend_from_slice(with);
    out.extend_from_slice(&bytes[end..]);
    String::from_utf8_lossy(&out).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Garbage where a questionnaire file should be: every problem is named with its file.
    #[test]
    fn the_loader_names_the_file_of_any_garbage(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let garbage = String::from_utf8_lossy(&bytes).into_owned();
        let files = vec![("factors.toml".to_string(), file("factors.toml")), ("broken.toml".to_string(), garbage.clone())];
        if let Err(problems) = Library::load(&files) {
            prop_assert!(!problems.is_empty());
            prop_assert!(problems.iter().all(|p| p.starts_with("broken.toml") || p.contains("broken.toml")), "{problems:?}");
        }
        let files = vec![("factors.toml".to_string(), garbage)];
        let problems = Library::load(&files).expect_err("garbage is no factor catalogue");
        prop_assert!(problems.iter().all(|p| p.starts_with("factors.toml")), "{problems:?}");
    }

    /// A real questionnaire with a stretch of its text replaced: loads or is refused with
    /// problems, never panics.
    #[test]
    fn the_loader_survives_a_real_file_with_bytes_changed(
        at in 0.0f64..1.0,
        cut in 0usize..200,
        with in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let edited = spliced(&file("ages-10-12.toml"), at, cut, &with);
        let files = vec![("factors.toml".to_string(), file("factors.toml")), ("q.toml".to_string(), edited)];
        if let Err(problems) = Library::load(&files) {
            prop_assert!(!problems.is_empty());
            prop_assert!(problems.iter().all(|p| !p.trim().is_empty()));
        }
    }

    /// Bytes that are no sealed answer set, and a sealed one with one byte changed or cut.
    #[test]
    fn the_answer_envelope_refuses_anything_but_what_was_sealed(
        blob in proptest::collection::vec(any::<u8>(), 0..600),
        flip in any::<prop::sample::Index>(),
        keep in any::<prop::sample::Index>(),
        plaintext in proptest::collection::vec(any::<u8>(), 0..300),
    ) {
        let key = SymmetricKey::generate(&mut OsRng);
        let binding = Binding { organisation: "org".into(), assessment: "a".into(), questionnaire: "beratta-10-12@1".into(), counter: 1 };
        prop_assert!(open_answers(&key, &binding, &blob).is_err());
        // Sealed with the right key and binding, but not an answer set: a clear error.
        let sealed = key.encrypt(&binding.associated_data(), &plaintext, &mut OsRng);
        prop_assert!(open_answers(&key, &binding, &sealed).is_err());
        let mut changed = sealed.clone();
        let i = flip.index(changed.len());
        changed[i] ^= 0x40;
        prop_assert!(key.decrypt(&binding.associated_data(), &changed).is_err());
        prop_assert!(key.decrypt(&binding.associated_data(), &sealed[..keep.index(sealed.len())]).is_err());
        prop_assert!(unwrap_data_key(&key, WrapPurpose::Child, "a", &blob).is_err());
    }

    /// The organisation's sealed boxes: a data key, a note, a bound box.
    #[test]
    fn the_organisations_boxes_refuse_arbitrary_bytes(sealed in proptest::collection::vec(any::<u8>(), 0..400)) {
        let key = OrgSecretKey::generate(&mut OsRng);
        prop_assert!(key.open_data_key(&sealed).is_err());
        prop_assert!(key.open_note(&sealed).is_err());
        prop_assert!(key.open_bound(b"aad", &sealed).is_err());
    }

    /// Statistics records: arbitrary bytes to the decoder, arbitrary bytes sealed with the
    /// right key (so the decoder behind the seal is reached), and a real record with bytes
    /// changed.
    #[test]
    fn the_statistics_record_opener_refuses_or_reads_without_panicking(
        bytes in proptest::collection::vec(any::<u8>(), 0..400),
        flip in any::<prop::sample::Index>(),
        value in any::<u8>(),
    ) {
        let q = instrument();
        let _ = StatisticsRecord::decode(&bytes, q);
        let key = OrgSecretKey::generate(&mut OsRng);
        prop_assert!(open_record(&key, "org", "round", &bytes, q).is_err());
        let sealed = seal_record(&key.public_key(), "org", "round", &bytes, &mut OsRng);
        if let Ok(record) = open_record(&key, "org", "round", &sealed, q) {
            prop_assert_eq!(record.round.as_str(), "round");
        }
        let context = RecordContext { round: "round".into(), unit: None, pseudonym: Pseudonym([7; 16]) };
        let mut encoded = StatisticsRecord::derive(q, &Session::default(), &context).encode(q).expect("a record encodes");
        let i = flip.index(encoded.len());
        encoded[i] = value;
        let _ = StatisticsRecord::decode(&encoded, q);
        let sealed = seal_record(&key.public_key(), "org", "round", &encoded, &mut OsRng);
        let _ = open_record(&key, "org", "round", &sealed, q);
    }
}
