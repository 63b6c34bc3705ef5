//! The sled store on its own: the atomicity the login limits rely on.

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
