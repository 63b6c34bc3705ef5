//! `beratta-server demo-municipality`, run as a process: Demokommun's rounds and
//! interventions exist, each round's statistics records open with the statistics key (which
//! the analyst holds by grant) and number exactly its finished assessments, nothing opens
//! with the organisation key, the same seed gives the same counts, and a second run changes
//! nothing.

use crate::process::{path, run};
use crate::support::questionnaires_dir;
use beratta_core::api::{InterventionKind, Phase, RoundMode};
use beratta_core::audit::AuditAction;
use beratta_core::envelope::OrgSecretKey;
use beratta_core::staff::{
    derive_staff_secrets, open_statistics_grant, unwrap_org_key, unwrap_secret, KeyHolder, SecretKind,
};
use beratta_core::statistics::open_record;
use beratta_server::demo_municipality::{ADMIN, ANALYST, ORGANISATION};
use beratta_server::instruments::load_library;
use beratta_server::records::StaffAccount;
use beratta_server::store::{AuditStore, NeedsStore, RoundStore, SledStore, StaffStore, StatisticsStore, Store};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const CHILDREN: &str = "120";
const SEED: &str = "7";
const ANALYST_PASSWORD: &str = "analytiker-losenord";
const ADMIN_PASSWORD: &str = "kommun-admin-losenord";

/// Runs the command on `dir`'s data folder; returns its stdout.
fn demo_municipality(dir: &Path) -> String {
    let out = run(&[
        "demo-municipality",
        "--data",
        path(&dir.join("data")),
        "--secret-file",
        path(&dir.join("secret")),
        "--questionnaires",
        path(&questionnaires_dir()),
        "--children",
        CHILDREN,
        "--seed",
        SEED,
        "--analyst-password",
        ANALYST_PASSWORD,
        "--admin-password",
        ADMIN_PASSWORD,
        "--kdf-memory-kib",
        "64",
        "--kdf-iterations",
        "1",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// A secret key held by `account`, opened with its password as its browser opens it.
fn password_key(account: &StaffAccount, password: &str, kind: SecretKind) -> Option<OrgSecretKey> {
    let record = account.password.as_ref().expect("a password");
    let secrets = derive_staff_secrets(password, &record.salt.0, &record.kdf).expect("derive");
    let holder = KeyHolder::Staff(&account.username);
    let wrapped = match kind {
        SecretKind::Organisation => record.wrapped_org_key.as_ref()?,
        SecretKind::Statistics => record.wrapped_statistics_key.as_ref()?,
        SecretKind::Personal => &record.personal_key.as_ref()?.wrapped_secret,
    };
    if kind == SecretKind::Organisation {
        return Some(unwrap_org_key(&secrets.wrap_key, ORGANISATION, &holder, &wrapped.0).expect("opens"));
    }
    Some(unwrap_secret(kind, &secrets.wrap_key, ORGANISATION, &holder, &wrapped.0).expect("opens"))
}

/// Each round's number of statistics records.
fn record_counts(store: &SledStore) -> BTreeMap<String, u64> {
    let rounds = store.rounds(ORGANISATION).expect("rounds");
    rounds
        .iter()
        .map(|r| (r.round_id.clone(), store.count_statistics_records(ORGANISATION, &r.round_id).expect("count")))
        .collect()
}

#[test]
fn demo_municipality_stores_records_only_the_statistics_key_opens_and_a_second_run_changes_nothing() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let started = std::time::Instant::now();
    let stdout = demo_municipality(dir.path());
    let elapsed = started.elapsed();
    assert!(stdout.contains(&format!("{ANALYST} {ANALYST_PASSWORD} analyst")), "{stdout}");
    assert!(stdout.contains(&format!("{ADMIN} {ADMIN_PASSWORD} administrator")), "{stdout}");
    let printed: BTreeMap<String, u64> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("round "))
        .map(|l| {
            let (round, rest) = l.split_once(": ").expect("round: count");
            (round.to_string(), rest.split(' ').next().unwrap().parse().expect("a count"))
        })
        .collect();

    let library = load_library(&questionnaires_dir()).expect("the repository's questionnaires");
    let store = SledStore::open(&dir.path().join("data")).expect("open");

    // The keys: the administrator holds both under their password; the analyst holds no
    // copy of the organisation key, only a grant of the statistics key to their personal key.
    let admin = store.staff_by_username(ADMIN).expect("store").expect("the administrator");
    let analyst = store.staff_by_username(ANALYST).expect("store").expect("the analyst");
    assert_eq!((admin.organisation.as_str(), analyst.organisation.as_str()), (ORGANISATION, ORGANISATION));
    let analyst_password = analyst.password.as_ref().expect("a password");
    assert!(analyst_password.wrapped_org_key.is_none(), "an analyst holds no organisation key");
    assert!(analyst_password.wrapped_statistics_key.is_none() && analyst.enrolment.is_none());
    let org_key = password_key(&admin, ADMIN_PASSWORD, SecretKind::Organisation).expect("the organisation key");
    let statistics_key = password_key(&admin, ADMIN_PASSWORD, SecretKind::Statistics).expect("the statistics key");
    let personal = password_key(&analyst, ANALYST_PASSWORD, SecretKind::Personal).expect("a personal key");
    let grant = analyst.statistics_grant.as_ref().expect("a grant");
    let granted = open_statistics_grant(&personal, ORGANISATION, ANALYST, &grant.0).expect("the grant opens");
    assert_eq!(granted.to_bytes(), statistics_key.to_bytes());
    let organisation = store.organisation(ORGANISATION).expect("store").expect("Demokommun");
    assert_eq!(organisation.statistics_public_key.expect("a statistics key").0, statistics_key.public_key().as_bytes());
    assert_eq!(organisation.public_key.expect("a key").0, org_key.public_key().as_bytes());

    // Rounds and interventions as the plan has them, all anonymous.
    let interventions = store.interventions(ORGANISATION).expect("interventions");
    let kinds: BTreeSet<_> = interventions.iter().map(|i| format!("{:?}", i.kind)).collect();
    assert_eq!(kinds, [InterventionKind::Grupp, InterventionKind::Projekt].map(|k| format!("{k:?}")).into());
    let rounds = store.rounds(ORGANISATION).expect("rounds");
    assert_eq!(rounds.len(), 18);
    assert!(rounds.iter().all(|r| r.mode == RoundMode::Anonymous && r.unit.is_some()));
    // Every round lies in the past and is closed, its records a release; each close audited.
    assert!(rounds.iter().all(|r| r.is_closed()), "an open round: {rounds:?}");
    let mut closes: Vec<String> = store
        .audit_entries(ORGANISATION, 1, usize::MAX)
        .expect("the audit log")
        .into_iter()
        .filter(|e| e.action == AuditAction::RoundClosed)
        .map(|e| e.subject.expect("the round"))
        .collect();
    closes.sort();
    let mut ids: Vec<String> = rounds.iter().map(|r| r.round_id.clone()).collect();
    ids.sort();
    assert_eq!(closes, ids, "each round closed once, audited");
    for intervention in &interventions {
        let phases: BTreeSet<_> = rounds
            .iter()
            .filter_map(|r| r.intervention.as_ref())
            .filter(|i| i.intervention_id == intervention.intervention_id)
            .map(|i| format!("{:?}", i.phase))
            .collect();
        assert_eq!(phases, [Phase::After, Phase::Before].map(|p| format!("{p:?}")).into());
    }

    // The resources register, with the planted duplicate flagged and nothing serving
    // Västerby's 13–18-year-olds for their free time (the planted gap).
    let register = store.resources(ORGANISATION).expect("the register");
    assert_eq!(register.len(), 8);
    let duplicates = beratta_core::resources::register::duplicates(&register);
    let named = |id: &String| register.iter().find(|r| &r.resource_id == id).map(|r| r.name.as_str());
    let flagged: BTreeSet<&str> = duplicates.keys().filter_map(named).collect();
    assert_eq!(flagged, BTreeSet::from(["Fältarna", "Fältgruppen"]));
    let vasterby =
        store.units(ORGANISATION).expect("units").into_iter().find(|u| u.name == "Västerby").expect("Västerby");
    assert!(!register.iter().any(|r| r.areas.contains(&vasterby.unit_id)
        && r.bands.iter().any(|b| b == "13-18")
        && r.factors.iter().any(|f| f == "fri.leisure")));

    // Every assessment: anonymous, finished, nothing sealed to the organisation.
    let assessments = store.assessments_of(ORGANISATION).expect("assessments");
    let mut finished: BTreeMap<String, u64> = BTreeMap::new();
    for a in &assessments {
        let sealed = a.sealed.as_ref().expect("saved");
        assert!(a.is_anonymous() && sealed.status.is_none() && sealed.org_sealed_key.0.is_empty());
        assert!(org_key.open_data_key(&sealed.org_sealed_key.0).is_err());
        if a.progress.is_some_and(|p| p.finished) {
            *finished.entry(a.round.as_ref().expect("a round").round.clone()).or_default() += 1;
        }
    }

    // Each round's records open with the statistics key, decode with its instrument, and
    // number its finished assessments; none opens with the organisation key.
    let mut total = 0;
    let mut pseudonyms: BTreeMap<String, BTreeSet<[u8; 16]>> = BTreeMap::new();
    for round in &rounds {
        let (_, q) = library.get(&round.questionnaire.id, round.questionnaire.version).expect("its instrument");
        let records = store.statistics_records(ORGANISATION, &round.round_id, &|_| true).expect("records");
        for sealed in &records {
            let record = open_record(&statistics_key, ORGANISATION, &round.round_id, &sealed.0, q).expect("opens");
            assert!(record.finished && record.unit == round.unit);
            assert!(open_record(&org_key, ORGANISATION, &round.round_id, &sealed.0, q).is_err());
            pseudonyms.entry(round.round_id.clone()).or_default().insert(record.pseudonym.0);
        }
        let count = records.len() as u64;
        assert!(count > 0, "{} has no records", round.round_id);
        assert_eq!(Some(&count), finished.get(&round.round_id), "{}", round.round_id);
        assert_eq!(Some(&count), printed.get(&round.round_id), "{}", round.round_id);
        total += count;
    }
    assert_eq!(total, assessments.len() as u64);
    // The same children answer both years: before and after pair up.
    let paired = pseudonyms["norrby-13-18-2025"].intersection(&pseudonyms["norrby-13-18-2026"]).count();
    assert!(paired * 10 >= pseudonyms["norrby-13-18-2025"].len() * 8, "{paired} pairs");
    let counts = record_counts(&store);
    let staff = store.staff_of(ORGANISATION).expect("staff").len();
    drop(store);

    // A second run says so and changes nothing.
    let again = demo_municipality(dir.path());
    assert!(again.contains("exists already") && !again.contains(ANALYST_PASSWORD), "{again}");
    let store = SledStore::open(&dir.path().join("data")).expect("open");
    assert_eq!(record_counts(&store), counts);
    assert_eq!(store.assessments_of(ORGANISATION).expect("assessments").len(), assessments.len());
    assert_eq!(store.staff_of(ORGANISATION).expect("staff").len(), staff);
    drop(store);

    // The same seed gives the same municipality elsewhere.
    let other = tempfile::tempdir().expect("a temporary directory");
    demo_municipality(other.path());
    let store = SledStore::open(&other.path().join("data")).expect("open");
    assert_eq!(record_counts(&store), counts);
    eprintln!("{total} assessments in {} rounds in {:.1} s", rounds.len(), elapsed.as_secs_f64());
}
