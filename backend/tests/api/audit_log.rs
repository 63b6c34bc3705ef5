//! The audit log: every action it must record is recorded, administrators read their own
//! organisation's records in pages, and `verify-audit` names the first record that was
//! edited or removed in the stored chain.

use crate::support::staff::{batch, new_child, staff_log_in, staff_login_request, with_cookie};
use crate::support::{app, login_request, questionnaires_dir, send, Fixture, ORGANISATION};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use beratta_core::api::{AssessmentRecord, Bytes, Role, SealedHelp, StaffChange};
use beratta_core::audit::{AuditAction, AuditEntry, AuditEvent};
use beratta_core::login::derive_child_secrets;
use beratta_server::audit::NO_ORGANISATION;
use beratta_server::limits;
use beratta_server::metrics::Refusal;
use std::path::Path;
use std::process::{Command, Output};

fn actions(entries: &[AuditEntry]) -> Vec<AuditAction> {
    entries.iter().map(|e| e.action).collect()
}

#[actix_web::test]
async fn every_login_invitation_view_and_change_is_appended_to_one_verified_chain() {
    use AuditAction::*;
    let fx = Fixture::new();
    let app = app!(fx.state);
    let admin = fx.add_staff(ORGANISATION, "chef", Role::Administrator, None);
    let anna = fx.add_staff(ORGANISATION, "anna", Role::Staff, None);

    send!(app, staff_login_request("anna", &[1; 32]));
    let (admin_cookie, _) = staff_log_in!(&fx, app, &admin);
    let (cookie, _) = staff_log_in!(&fx, app, &anna);
    let (code, child) = new_child!(app, &cookie);
    let records: Vec<AssessmentRecord> = send!(
        app,
        with_cookie(TestRequest::post().uri("/api/invitations"), &cookie).set_json(batch(vec![child], false))
    )
    .json();
    let id = records[0].assessment.clone();
    send!(app, login_request(code.lookup(), &[1; 32]));
    send!(app, login_request("3479", &[1; 32]));
    let stored = fx.state.store.assessment(&id).expect("store").expect("there");
    let secrets = derive_child_secrets(&code, &stored.salt.0, &stored.kdf).expect("derivable");
    assert_eq!(send!(app, login_request(code.lookup(), &secrets.login_proof)).status, StatusCode::OK);
    send!(app, with_cookie(TestRequest::get().uri(&format!("/api/assessments/{id}")), &cookie));
    let help = SealedHelp { counter: 1, blob: Bytes(vec![1; 48]) };
    send!(app, with_cookie(TestRequest::put().uri(&format!("/api/assessments/{id}/help")), &cookie).set_json(&help));
    send!(app, with_cookie(TestRequest::post().uri(&format!("/api/invitations/{id}/revoke")), &cookie));
    send!(app, with_cookie(TestRequest::get().uri("/api/admin/staff"), &cookie));
    send!(
        app,
        with_cookie(TestRequest::post().uri("/api/admin/units"), &admin_cookie)
            .set_json(serde_json::json!({"name": "5B"}))
    );
    let change = StaffChange { disabled: None, role: None, unit: None };
    send!(
        app,
        with_cookie(TestRequest::patch().uri(&format!("/api/admin/staff/{}", anna.id)), &admin_cookie)
            .set_json(&change)
    );
    send!(app, with_cookie(TestRequest::post().uri("/api/staff/logout"), &cookie));
    send!(app, TestRequest::get().uri("/api/staff/me"));
    let page = send!(app, with_cookie(TestRequest::get().uri("/api/admin/audit"), &admin_cookie));
    let read: Vec<AuditEntry> = page.json();

    assert_eq!(
        actions(&read),
        [
            StaffLoginFailed,
            StaffLogin,
            StaffLogin,
            InvitationCreated,
            ChildLoginFailed,
            ChildLogin,
            ChildDataViewed,
            HelpStatusChanged,
            InvitationRevoked,
            AccessDenied,
            UnitAdded,
            StaffChanged,
            StaffLogout,
        ]
    );
    let by_action = |a: AuditAction| read.iter().find(|e| e.action == a).expect("recorded");
    assert_eq!(by_action(ChildLogin).actor, format!("child:{id}"));
    assert_eq!(by_action(ChildLoginFailed).actor, "anonymous");
    assert_eq!(by_action(ChildDataViewed).subject.as_deref(), Some(id.as_str()));
    assert_eq!(
        (by_action(StaffLoginFailed).actor.as_str(), by_action(StaffLoginFailed).subject.as_deref()),
        ("anonymous", Some(anna.id.as_str()))
    );
    assert_eq!(by_action(AccessDenied).subject.as_deref(), Some("GET /api/admin/staff"));
    // The unknown lookup and the request without a session belong to nobody: they are
    // counted, and the log is not grown by them.
    let unowned = fx.state.store.audit_entries(NO_ORGANISATION, 1, usize::MAX).expect("store");
    assert_eq!(actions(&unowned), []);
    assert_eq!(fx.state.refusals.get(Refusal::UnknownChildCode), 1);
    assert_eq!(fx.state.refusals.get(Refusal::NoStaffSession), 1);
    // Reading the log was logged after the page was read.
    let later = fx.state.store.audit_entries(ORGANISATION, read.last().expect("some").seq + 1, 10).expect("store");
    assert_eq!(actions(&later), [AuditViewed]);
    // One chain for the whole server, unbroken.
    let total = fx.sled.verify_audit().expect("store").expect("the chain verifies");
    assert_eq!(total as usize, read.len() + unowned.len() + later.len());
}

#[actix_web::test]
async fn administrators_read_only_their_organisation_in_pages_of_five_hundred() {
    let fx = Fixture::new();
    fx.add_organisation("other");
    let app = app!(fx.state);
    let admin = fx.add_staff(ORGANISATION, "chef", Role::Administrator, None);
    for (i, org) in (0..1020).map(|i| (i, if i % 2 == 0 { ORGANISATION } else { "other" })) {
        let event = AuditEvent {
            at_unix: fx.state.now(),
            organisation: org.to_string(),
            actor: format!("staff-{i}"),
            action: AuditAction::ChildDataViewed,
            subject: None,
        };
        fx.state.store.append_audit(event).expect("appended");
    }
    let (cookie, _) = staff_log_in!(&fx, app, &admin);
    let first: Vec<AuditEntry> = send!(app, with_cookie(TestRequest::get().uri("/api/admin/audit"), &cookie)).json();
    assert_eq!(first.len(), 500);
    assert!(first.iter().all(|e| e.organisation == ORGANISATION));
    assert!(first.windows(2).all(|w| w[0].seq < w[1].seq));
    let next = first.last().expect("a page").seq + 1;
    let second: Vec<AuditEntry> =
        send!(app, with_cookie(TestRequest::get().uri(&format!("/api/admin/audit?from={next}")), &cookie)).json();
    // The other 10 of 510, the login, and the first page's own audit_viewed.
    assert_eq!(actions(&second[10..]), [AuditAction::StaffLogin, AuditAction::AuditViewed]);
    assert_eq!(second.len(), 12);
    let bad = send!(app, with_cookie(TestRequest::get().uri("/api/admin/audit?from=minus"), &cookie));
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

const BINARY: &str = env!("CARGO_BIN_EXE_beratta-server");

fn run(args: &[&str]) -> Output {
    Command::new(BINARY).args(args).env("RUST_LOG", "warn").output().expect("the binary runs")
}

/// A database made by the real `demo --with-staff` command: an organisation, a unit, two
/// accounts and three invitations, each in the audit log.
fn demo_database(dir: &Path) -> String {
    let path = |p: &Path| p.to_str().expect("UTF-8").to_string();
    let data = path(&dir.join("data"));
    let out = run(&[
        "demo",
        "--data",
        &data,
        "--secret-file",
        &path(&dir.join("secret")),
        "--questionnaires",
        &path(&questionnaires_dir()),
        "--children",
        "3",
        "--org-key-out",
        &path(&dir.join("org.key")),
        "--kdf-memory-kib",
        "64",
        "--kdf-iterations",
        "1",
        "--with-staff",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    data
}

fn verify(data: &str) -> (bool, String) {
    let out = run(&["verify-audit", "--data", data]);
    (out.status.success(), String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Changes the stored audit tree directly, as someone with the data folder could.
fn tamper(data: &str, change: impl FnOnce(&sled::Tree)) {
    let db = sled::open(data).expect("the database opens");
    let tree = db.open_tree("audit").expect("the audit tree");
    change(&tree);
    db.flush().expect("flushed");
}

#[test]
fn verify_audit_passes_an_untouched_log() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let data = demo_database(dir.path());
    // created, unit, two accounts, three invitations
    assert_eq!(verify(&data), (true, "audit log OK: 7 records".to_string()));
}

#[test]
fn verify_audit_fails_naming_an_edited_record() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let data = demo_database(dir.path());
    tamper(&data, |tree| {
        let key = 3u64.to_be_bytes();
        let mut entry: AuditEntry =
            serde_json::from_slice(&tree.get(key).expect("read").expect("there")).expect("JSON");
        entry.actor = "someone-else".into();
        tree.insert(key, serde_json::to_vec(&entry).expect("JSON")).expect("written");
    });
    let (ok, said) = verify(&data);
    assert!(!ok, "{said}");
    assert_eq!(said, "audit log BROKEN: record 3 has been altered: its content does not match its hash");
}

#[test]
fn verify_audit_fails_naming_a_deleted_record_in_the_middle_or_at_the_end() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let data = demo_database(dir.path());
    tamper(&data, |tree| {
        tree.remove(2u64.to_be_bytes()).expect("removed");
    });
    let (ok, said) = verify(&data);
    assert!(!ok);
    assert_eq!(said, "audit log BROKEN: record 2 is missing (the next record found is 3)");

    let dir = tempfile::tempdir().expect("a temporary directory");
    let data = demo_database(dir.path());
    tamper(&data, |tree| {
        tree.remove(7u64.to_be_bytes()).expect("removed");
    });
    let (ok, said) = verify(&data);
    assert!(!ok);
    assert!(said.contains("the log ends at record 6, but the head says it has 7 records"), "{said}");
}

#[test]
fn verify_audit_fails_on_a_record_that_no_longer_reads() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let data = demo_database(dir.path());
    tamper(&data, |tree| {
        tree.insert(5u64.to_be_bytes(), b"{not json".as_slice()).expect("written");
    });
    let (ok, said) = verify(&data);
    assert!(!ok);
    assert!(said.starts_with("audit log BROKEN: record 5 cannot be read"), "{said}");
}

#[actix_web::test]
async fn strangers_cannot_grow_the_audit_log() {
    // Thousands of requests that carry no identity: unknown codes, a locked code hammered
    // on, unknown usernames, no session, one-time links that open nothing. Each is counted
    // in the server's refusal counters; none is appended to the chain.
    let fx = Fixture::new();
    let app = app!(fx.state);
    let invitation = fx.invite();
    for _ in 0..limits::MAX_FAILED_LOGINS {
        send!(app, login_request(invitation.code.lookup(), &[1; 32]));
    }
    let before = fx.sled.verify_audit().expect("store").expect("verifies");
    const EACH: u64 = 200;
    for i in 0..EACH {
        let peer = format!("10.{}.{}.1:1", i / 200, i % 200).parse::<std::net::SocketAddr>().expect("an address");
        send!(app, login_request("3479", &[1; 32]).peer_addr(peer));
        send!(app, login_request(invitation.code.lookup(), &[1; 32]).peer_addr(peer));
        send!(app, staff_login_request(&format!("nobody{i}"), &[1; 32]).peer_addr(peer));
        send!(app, TestRequest::get().uri("/api/invitations"));
        send!(app, TestRequest::get().uri(&format!("/api/enrol/{}", "A".repeat(43))));
    }
    let after = fx.sled.verify_audit().expect("store").expect("verifies");
    assert_eq!(after, before, "no record was appended");
    let counted = &fx.state.refusals;
    assert_eq!(counted.get(Refusal::UnknownChildCode), EACH);
    assert_eq!(counted.get(Refusal::LockedChildCode), EACH);
    assert_eq!(counted.get(Refusal::UnknownStaffLogin), EACH);
    assert_eq!(counted.get(Refusal::NoStaffSession), EACH);
    assert_eq!(counted.get(Refusal::UnknownLink), EACH);
}
