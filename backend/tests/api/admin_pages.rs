//! What the administrator's pages ask of the server beyond staff and units: moving a
//! colleague to another unit, the count of children per unit, and the sealed notes that
//! name children in the audit log. Who may ask at all is in `access_matrix`.

use crate::support::staff::{batch, new_child, staff_log_in, with_cookie, StaffUser};
use crate::support::{app, send, Fixture, ORGANISATION};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use beratta_core::api::{AssessmentRecord, ChildNote, Role, StaffChange, StaffMember, UnitChildren};
use beratta_core::audit::{AuditAction, AuditEntry};

fn log(fx: &Fixture, organisation: &str) -> Vec<AuditEntry> {
    fx.state.store.audit_entries(organisation, 1, usize::MAX).expect("the store works")
}

fn move_to(id: &str, unit: Option<&str>, cookie: &str) -> TestRequest {
    with_cookie(TestRequest::patch().uri(&format!("/api/admin/staff/{id}")), cookie).set_json(StaffChange {
        disabled: None,
        role: None,
        unit: Some(unit.map(str::to_string)),
    })
}

/// Invites one child as `user` (logged in with `cookie`); returns its assessment id.
macro_rules! invite {
    ($app:expr, $cookie:expr, $share:expr) => {{
        let (_, child) = new_child!($app, $cookie);
        let req =
            with_cookie(TestRequest::post().uri("/api/invitations"), $cookie).set_json(batch(vec![child], $share));
        let records: Vec<AssessmentRecord> = send!($app, req).json();
        records[0].assessment.clone()
    }};
}

#[actix_web::test]
async fn moving_a_colleague_to_another_unit_changes_what_they_read_and_is_audited() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let first = fx.add_unit(ORGANISATION, "Skola 1");
    let second = fx.add_unit(ORGANISATION, "Skola 2");
    let admin = fx.add_staff(ORGANISATION, "chef", Role::Administrator, None);
    let kim = fx.add_staff(ORGANISATION, "kim", Role::Staff, Some(&first));
    let sam = fx.add_staff(ORGANISATION, "sam", Role::Staff, Some(&second));
    let (admin_cookie, _) = staff_log_in!(&fx, app, &admin);
    let (sam_cookie, _) = staff_log_in!(&fx, app, &sam);
    let (kim_cookie, _) = staff_log_in!(&fx, app, &kim);
    let shared = invite!(app, &sam_cookie, true);
    let child = |cookie: &str| with_cookie(TestRequest::get().uri(&format!("/api/assessments/{shared}")), cookie);
    assert_eq!(send!(app, child(&kim_cookie)).status, StatusCode::FORBIDDEN, "not yet in Sam's unit");

    let reply = send!(app, move_to(&kim.id, Some(&second), &admin_cookie));
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let moved: StaffMember = reply.json();
    assert_eq!(moved.unit.as_deref(), Some(second.as_str()));
    let list: Vec<StaffMember> =
        send!(app, with_cookie(TestRequest::get().uri("/api/admin/staff"), &admin_cookie)).json();
    assert_eq!(list.iter().find(|m| m.staff_id == kim.id).and_then(|m| m.unit.clone()), Some(second.clone()));
    assert_eq!(send!(app, child(&kim_cookie)).status, StatusCode::OK, "the move takes effect at once");

    let last = log(&fx, ORGANISATION).into_iter().filter(|e| e.action == AuditAction::StaffMoved).collect::<Vec<_>>();
    assert_eq!(last.len(), 1, "one move, one record");
    assert_eq!((last[0].actor.as_str(), last[0].subject.as_deref()), (admin.id.as_str(), Some(kim.id.as_str())));

    // Out of every unit, and a unit the organisation does not have: refused, nothing moves.
    let reply = send!(app, move_to(&kim.id, Some("no-such-unit"), &admin_cookie));
    assert_eq!((reply.status, reply.error().as_str()), (StatusCode::BAD_REQUEST, "unknown_unit"));
    let stored = fx.state.store.staff(&kim.id).expect("store").expect("there");
    assert_eq!(stored.unit.as_deref(), Some(second.as_str()));
    let reply = send!(app, move_to(&kim.id, None, &admin_cookie));
    assert_eq!(reply.json::<StaffMember>().unit, None);
    let moves = log(&fx, ORGANISATION).iter().filter(|e| e.action == AuditAction::StaffMoved).count();
    assert_eq!(moves, 2);
}

#[actix_web::test]
async fn moving_another_organisations_colleague_is_not_found_and_audited() {
    let fx = Fixture::new();
    fx.add_organisation("other");
    let app = app!(fx.state);
    let admin = fx.add_staff(ORGANISATION, "chef", Role::Administrator, None);
    let theirs = fx.add_staff("other", "theirs", Role::Staff, None);
    let (cookie, _) = staff_log_in!(&fx, app, &admin);
    let reply = send!(app, move_to(&theirs.id, None, &cookie));
    assert_eq!((reply.status, reply.error().as_str()), (StatusCode::NOT_FOUND, "not_found"));
    let denied = log(&fx, ORGANISATION).into_iter().rev().find(|e| e.action == AuditAction::AccessDenied);
    assert_eq!(denied.and_then(|e| e.subject), Some("PATCH /api/admin/staff/{id}".to_string()));
    assert!(log(&fx, "other").iter().all(|e| e.action != AuditAction::StaffMoved));
}

#[actix_web::test]
async fn the_children_page_counts_every_live_invitation_per_unit_without_names() {
    let fx = Fixture::new();
    fx.add_organisation("other");
    let app = app!(fx.state);
    let first = fx.add_unit(ORGANISATION, "Skola 1");
    let empty = fx.add_unit(ORGANISATION, "Skola 2");
    let admin = fx.add_staff(ORGANISATION, "chef", Role::Administrator, None);
    let kim = fx.add_staff(ORGANISATION, "kim", Role::Staff, Some(&first));
    let loner = fx.add_staff(ORGANISATION, "loner", Role::Staff, None);
    let stranger: StaffUser = fx.add_staff("other", "stranger", Role::Staff, None);
    let (admin_cookie, _) = staff_log_in!(&fx, app, &admin);
    let (kim_cookie, _) = staff_log_in!(&fx, app, &kim);
    let (loner_cookie, _) = staff_log_in!(&fx, app, &loner);
    let (stranger_cookie, _) = staff_log_in!(&fx, app, &stranger);
    let _ = invite!(app, &kim_cookie, true);
    // Not shared, but Kim's unit is the one they work in.
    let _ = invite!(app, &kim_cookie, false);
    let revoked = invite!(app, &kim_cookie, true);
    send!(app, with_cookie(TestRequest::post().uri(&format!("/api/invitations/{revoked}/revoke")), &kim_cookie));
    let _ = invite!(app, &loner_cookie, false);
    let _ = invite!(app, &stranger_cookie, false);

    let reply = send!(app, with_cookie(TestRequest::get().uri("/api/admin/children"), &admin_cookie));
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let counts: Vec<UnitChildren> = reply.json();
    assert_eq!(
        counts,
        vec![
            UnitChildren { unit: Some(first), children: 2 },
            UnitChildren { unit: Some(empty), children: 0 },
            UnitChildren { unit: None, children: 1 },
        ]
    );
    let text = String::from_utf8_lossy(&reply.body).to_string();
    assert!(!text.contains("sealed"), "no note or answer travels: {text}");
}

#[actix_web::test]
async fn the_audit_page_gets_every_childs_sealed_note_of_its_organisation_and_that_is_logged() {
    let fx = Fixture::new();
    fx.add_organisation("other");
    let app = app!(fx.state);
    let admin = fx.add_staff(ORGANISATION, "chef", Role::Administrator, None);
    let kim = fx.add_staff(ORGANISATION, "kim", Role::Staff, None);
    let stranger = fx.add_staff("other", "stranger", Role::Staff, None);
    let (admin_cookie, _) = staff_log_in!(&fx, app, &admin);
    let (kim_cookie, _) = staff_log_in!(&fx, app, &kim);
    let (stranger_cookie, _) = staff_log_in!(&fx, app, &stranger);
    // A child the administrator may not read: its name still shows in the log.
    let kims = invite!(app, &kim_cookie, false);
    let theirs = invite!(app, &stranger_cookie, false);

    let reply = send!(app, with_cookie(TestRequest::get().uri("/api/admin/audit/children"), &admin_cookie));
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let notes: Vec<ChildNote> = reply.json();
    let stored = fx.state.store.assessment(&kims).expect("store").expect("there");
    assert_eq!(notes, vec![ChildNote { assessment: kims.clone(), sealed_note: stored.sealed_note }]);
    assert!(notes.iter().all(|n| n.assessment != theirs));
    let last = log(&fx, ORGANISATION).pop().expect("logged");
    assert_eq!((last.action, last.subject.as_deref()), (AuditAction::AuditViewed, Some("children")));
}
