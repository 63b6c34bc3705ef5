//! The sled store on its own: the atomicity the login limits and lookup reservations rely
//! on, and the sweep of expired reservations.

use crate::support::START;
use beratta_server::limits;
use beratta_server::store::{LoginCounter, SledStore, Store};
use std::thread;

#[test]
fn failures_counted_at_once_from_many_threads_are_all_counted() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = SledStore::open(&dir.path().join("data")).expect("opens");
    let threads = 8;
    let per_thread = 25;
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let store = store.clone();
            thread::spawn(move || {
                (0..per_thread)
                    .map(|_| {
                        store
                            .record_login_failure(LoginCounter::Client("10.0.0.1"), START, limits::CLIENT_WINDOW_SECS)
                            .expect("counted")
                            .count
                    })
                    .collect::<Vec<u32>>()
            })
        })
        .collect();
    let mut seen: Vec<u32> = handles.into_iter().flat_map(|h| h.join().expect("no panic")).collect();
    seen.sort_unstable();
    // Each attempt got its own number: none was lost, none was shared.
    assert_eq!(seen, (1..=threads * per_thread).collect::<Vec<u32>>());
}

#[test]
fn audit_records_appended_at_once_from_many_threads_form_one_unbroken_chain() {
    use beratta_core::audit::{AuditAction, AuditEvent};
    use beratta_server::store::AuditStore;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = SledStore::open(&dir.path().join("data")).expect("opens");
    let handles: Vec<_> = (0..8)
        .map(|t| {
            let store = store.clone();
            thread::spawn(move || {
                for i in 0..25 {
                    let event = AuditEvent {
                        at_unix: START,
                        organisation: format!("org-{}", t % 2),
                        actor: format!("staff-{t}-{i}"),
                        action: AuditAction::ChildDataViewed,
                        subject: None,
                    };
                    store.append_audit(event).expect("appended");
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("no panic");
    }
    assert_eq!(store.verify_audit().expect("readable").expect("one chain"), 200);
}

#[test]
fn reservations_made_at_once_from_many_threads_never_share_a_lookup() {
    use beratta_server::store::ReserveOutcome;
    use rand_core::{OsRng, RngCore};
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = SledStore::open(&dir.path().join("data")).expect("opens");
    // Few candidates, so that the threads draw the same ones all the time.
    let candidates: Vec<String> = (0..40).map(|i| format!("{i:04}")).collect();
    let handles: Vec<_> = (0..8)
        .map(|t| {
            let (store, candidates) = (store.clone(), candidates.clone());
            thread::spawn(move || {
                let draw = || candidates[(OsRng.next_u32() % 40) as usize].clone();
                let rules = beratta_server::reservation_rules();
                match store.reserve_lookups(&format!("staff-{t}"), 4, &draw, START, &rules).expect("the store works") {
                    ReserveOutcome::Reserved { lookups, .. } => lookups,
                    other => panic!("{other:?}"),
                }
            })
        })
        .collect();
    let mut all: Vec<String> = handles.into_iter().flat_map(|h| h.join().expect("no panic")).collect();
    assert_eq!(all.len(), 32);
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 32, "no lookup was reserved twice");
}

#[test]
fn expired_reservations_are_swept_and_fresh_ones_stay() {
    use beratta_server::store::ReserveOutcome;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = SledStore::open(&dir.path().join("data")).expect("opens");
    let rules = beratta_server::reservation_rules();
    let expiry = beratta_server::expiry();
    let reserve = |staff: &str, lookup: &str, now: u64| {
        let draw = || lookup.to_string();
        store.reserve_lookups(staff, 1, &draw, now, &rules).expect("the store works")
    };
    let hour = limits::LOOKUP_RESERVATION_SECS;
    assert!(matches!(reserve("anna", "3333", START), ReserveOutcome::Reserved { .. }));
    assert!(matches!(reserve("anna", "4444", START + 60), ReserveOutcome::Reserved { .. }));
    assert_eq!(store.sweep(START + hour - 1, &expiry).expect("swept"), 0);
    assert_eq!(store.sweep(START + hour, &expiry).expect("swept"), 1, "3333 has expired");
    assert_eq!(reserve("bo", "4444", START + hour), ReserveOutcome::NoneFree, "4444 is still anna's");
    assert!(matches!(reserve("bo", "3333", START + hour), ReserveOutcome::Reserved { .. }));
    assert_eq!(store.sweep(START + hour + 60, &expiry).expect("swept"), 1, "4444 has expired");
}
