//! The access matrix: two organisations × every role × every staff endpoint, with the
//! exact answer each cell must get, and an `access_denied` audit record for every refusal
//! (and none for an allowed request).
//!
//! The children: X of organisation A, invited by A's inviter and shared with unit 1; Y of
//! organisation B, the same in B. Each organisation has an administrator (in no unit), an
//! inviter and a colleague in unit 1, a colleague in unit 2, and an analyst in unit 1
//! (being in the unit gives an analyst nothing). Each organisation has its statistics key,
//! held by its administrator and granted to its analyst; a closed round of organisation A
//! has sealed statistics records, which only A's holders may fetch or name in a group
//! picture, which A's staff and administrators may close (again: it is closed already),
//! and a kiosk, which only A's administrators may list, make for that round, or take out
//! of use. Every staff member may read their organisation's resources register; its
//! administrators and analysts edit it; the statistics-key holders keep the needs view's
//! threshold and priorities (a release of another organisation's rounds is 404).

use crate::support::staff::{batch, child_with, new_child, staff_log_in, with_cookie, StaffUser};
use crate::support::{app, send, Fixture, ORGANISATION};
use actix_web::test::TestRequest;
use beratta_core::api::{
    AssessmentRecord, Bytes, Kiosk, NeedsThreshold, NewCode, NewKiosk, NewPriorities, NewStaffMember, PictureOpening,
    Priority, Resource, ResourceDraft, ResourceImport, ResourceKind, Role, SealedHelp, StaffChange, StatisticsGrant,
    StatisticsKeySetup,
};
use beratta_core::audit::{AuditAction, AuditEntry};
use beratta_core::login::random_lookup;
use beratta_server::audit::NO_ORGANISATION;
use rand_core::OsRng;
use serde_json::json;

const OTHER: &str = "other";

/// One column: who asks.
struct Actor {
    label: &'static str,
    user: Option<StaffUser>,
    cookie: Option<String>,
}

/// The ids the requests name.
struct Targets {
    x: String,
    y: String,
    target_staff: String,
    /// An analyst of A with a personal key, to grant the statistics key to.
    target_analyst: String,
}

/// The round of organisation A that has statistics records.
const ROUND_A: &str = "round-a";
/// A kiosk of organisation A, for that round.
const KIOSK_A: &str = "kiosk-a";

const ROWS: &[&str] = &[
    "GET /api/staff/me",
    "GET /api/units",
    "GET /api/invitations (lists X)",
    "POST /api/invitations/lookups",
    "POST /api/invitations",
    "GET /api/assessments/{X}",
    "GET /api/assessments/{Y}",
    "GET /api/assessments/{unknown}",
    "PUT /api/assessments/{X}/help",
    "GET /api/invitations/statuses",
    "GET /api/invitations/{X}/code",
    "POST /api/invitations/{X}/code",
    "POST /api/invitations/{X}/revoke",
    "GET /api/admin/staff",
    "POST /api/admin/staff",
    "PATCH /api/admin/staff/{A's}",
    "PATCH /api/admin/staff/{A's} move",
    "GET /api/admin/units",
    "POST /api/admin/units",
    "GET /api/admin/audit",
    "GET /api/admin/audit/children",
    "GET /api/admin/children",
    "PUT /api/admin/statistics-key",
    "PUT /api/admin/staff/{T}/statistics-key",
    "DELETE /api/admin/staff/{T}/statistics-key",
    "GET /api/statistics/rounds/{A's}/records",
    "GET /api/statistics/rounds",
    "GET /api/statistics/invited",
    "POST /api/statistics/openings",
    "POST /api/rounds/{A's}/close",
    "GET /api/admin/kiosks",
    "POST /api/admin/kiosks",
    "DELETE /api/admin/kiosks/{A's}",
    "GET /api/openapi.json",
    "GET /api/health/live",
    "GET /api/health/ready",
    "GET /metrics (from loopback)",
    "GET /api/resources",
    "POST /api/resources",
    "PUT /api/resources/{A's}",
    "DELETE /api/resources/{A's}",
    "POST /api/resources/import",
    "GET /api/needs",
    "PUT /api/needs/threshold",
    "PUT /api/needs/priorities/{year}",
    "POST /api/staff/logout",
];

/// A resource of organisation A's register.
const RESOURCE_A: &str = "resource-a";

/// A resource for the asker's own organisation (its first unit), so that only the role
/// and the organisation decide the answer.
fn draft_for(fx: &Fixture, who: Option<&StaffUser>) -> ResourceDraft {
    let organisation = who.map_or(ORGANISATION, |u| u.organisation.as_str());
    let unit = fx.state.store.units(organisation).expect("the store works")[0].unit_id.clone();
    ResourceDraft {
        name: "Fritidsgården".into(),
        kind: Some(ResourceKind::YouthCentre),
        owner: String::new(),
        areas: vec![unit],
        bands: vec!["13-18".into()],
        hours: String::new(),
        contact: String::new(),
        factors: vec!["fri.leisure".into()],
    }
}

/// Puts [`RESOURCE_A`] (back) into organisation A's register.
fn ensure_resource_a(fx: &Fixture) {
    let unit = fx.state.store.units(ORGANISATION).expect("the store works")[0].unit_id.clone();
    let resource = Resource {
        resource_id: RESOURCE_A.into(),
        name: "Biblioteket".into(),
        kind: ResourceKind::Library,
        owner: String::new(),
        areas: vec![unit],
        bands: vec!["6-9".into()],
        hours: String::new(),
        contact: String::new(),
        factors: vec!["fri.leisure".into()],
        changed_unix: 0,
    };
    fx.state
        .store
        .change_resources(ORGANISATION, &|list| {
            if list.iter().any(|r| r.resource_id == RESOURCE_A) {
                return false;
            }
            list.push(resource.clone());
            true
        })
        .expect("the store works");
}

/// The request of one cell; `who` is the staff member asking, if any.
fn request(fx: &Fixture, row: &str, targets: &Targets, cell: usize, who: Option<&StaffUser>) -> TestRequest {
    match row {
        "GET /api/staff/me" => TestRequest::get().uri("/api/staff/me"),
        "GET /api/units" => TestRequest::get().uri("/api/units"),
        "GET /api/invitations (lists X)" => TestRequest::get().uri("/api/invitations"),
        "POST /api/invitations/lookups" => {
            TestRequest::post().uri("/api/invitations/lookups").set_json(json!({ "count": 2 }))
        }
        "POST /api/invitations" => {
            // A lookup reserved for whoever asks, so that only the role decides the answer.
            let lookup = who.map_or_else(|| random_lookup(&mut OsRng), |user| fx.reserved_lookup(user));
            TestRequest::post().uri("/api/invitations").set_json(batch(vec![child_with(&lookup).1], true))
        }
        "GET /api/assessments/{X}" => TestRequest::get().uri(&format!("/api/assessments/{}", targets.x)),
        "GET /api/assessments/{Y}" => TestRequest::get().uri(&format!("/api/assessments/{}", targets.y)),
        "GET /api/assessments/{unknown}" => TestRequest::get().uri("/api/assessments/AAAAAAAAAAAAAAAAAAAAAA"),
        "PUT /api/assessments/{X}/help" => {
            let stored = fx.state.store.assessment(&targets.x).expect("store").expect("X exists");
            let counter = stored.help.map_or(0, |h| h.counter) + 1;
            TestRequest::put()
                .uri(&format!("/api/assessments/{}/help", targets.x))
                .set_json(SealedHelp { counter, blob: Bytes(vec![3; 48]) })
        }
        "GET /api/invitations/statuses" => TestRequest::get().uri("/api/invitations/statuses"),
        "GET /api/invitations/{X}/code" => TestRequest::get().uri(&format!("/api/invitations/{}/code", targets.x)),
        "POST /api/invitations/{X}/code" => {
            // X has no answers yet: counter 0 and no wrapped key; a lookup reserved for
            // whoever asks, so that only who may read X decides the answer.
            let lookup = who.map_or_else(|| random_lookup(&mut OsRng), |user| fx.reserved_lookup(user));
            let child = child_with(&lookup).1;
            TestRequest::post().uri(&format!("/api/invitations/{}/code", targets.x)).set_json(NewCode {
                lookup: child.lookup,
                salt: child.salt,
                kdf: child.kdf,
                proof: child.proof,
                counter: 0,
                child_wrapped_key: None,
            })
        }
        "POST /api/invitations/{X}/revoke" => {
            TestRequest::post().uri(&format!("/api/invitations/{}/revoke", targets.x))
        }
        "GET /api/admin/staff" => TestRequest::get().uri("/api/admin/staff"),
        "POST /api/admin/staff" => TestRequest::post().uri("/api/admin/staff").set_json(NewStaffMember {
            username: format!("new{cell}"),
            display_name: "Ny Kollega".into(),
            role: Role::Staff,
            unit: None,
            enrolment_token: Bytes(vec![cell as u8; 32]),
            enrolment_wrapped_org_key: Some(Bytes(vec![0; 72])),
        }),
        "PATCH /api/admin/staff/{A's}" => TestRequest::patch()
            .uri(&format!("/api/admin/staff/{}", targets.target_staff))
            .set_json(StaffChange { disabled: Some(false), role: None, unit: None }),
        "PATCH /api/admin/staff/{A's} move" => TestRequest::patch()
            .uri(&format!("/api/admin/staff/{}", targets.target_staff))
            .set_json(StaffChange { disabled: None, role: None, unit: Some(None) }),
        "GET /api/admin/units" => TestRequest::get().uri("/api/admin/units"),
        "POST /api/admin/units" => TestRequest::post().uri("/api/admin/units").set_json(json!({ "name": "Fritids" })),
        "GET /api/admin/audit" => TestRequest::get().uri("/api/admin/audit?from=1"),
        "GET /api/admin/audit/children" => TestRequest::get().uri("/api/admin/audit/children"),
        "GET /api/admin/children" => TestRequest::get().uri("/api/admin/children"),
        "PUT /api/admin/statistics-key" => {
            TestRequest::put().uri("/api/admin/statistics-key").set_json(StatisticsKeySetup {
                public_key: Bytes(vec![0; 32]),
                wrapped_statistics_key: Bytes(vec![0; 72]),
            })
        }
        "PUT /api/admin/staff/{T}/statistics-key" => TestRequest::put()
            .uri(&format!("/api/admin/staff/{}/statistics-key", targets.target_analyst))
            .set_json(StatisticsGrant { sealed: Bytes(vec![0; 152]) }),
        "DELETE /api/admin/staff/{T}/statistics-key" => {
            TestRequest::delete().uri(&format!("/api/admin/staff/{}/statistics-key", targets.target_analyst))
        }
        "GET /api/statistics/rounds/{A's}/records" => {
            TestRequest::get().uri(&format!("/api/statistics/rounds/{ROUND_A}/records"))
        }
        "GET /api/statistics/rounds" => TestRequest::get().uri("/api/statistics/rounds"),
        "GET /api/statistics/invited" => TestRequest::get().uri("/api/statistics/invited"),
        "POST /api/statistics/openings" => {
            TestRequest::post().uri("/api/statistics/openings").set_json(PictureOpening {
                rounds: vec![ROUND_A.into()],
                breakdown: Some("unit".into()),
                view: "overview".into(),
            })
        }
        "POST /api/rounds/{A's}/close" => TestRequest::post().uri(&format!("/api/rounds/{ROUND_A}/close")),
        "POST /api/staff/logout" => TestRequest::post().uri("/api/staff/logout"),
        "GET /api/openapi.json" => TestRequest::get().uri("/api/openapi.json"),
        "GET /api/health/live" => TestRequest::get().uri("/api/health/live"),
        "GET /api/health/ready" => TestRequest::get().uri("/api/health/ready"),
        // Sessions open nothing here: only the address counts (see `tests/api/metrics.rs`).
        "GET /metrics (from loopback)" => {
            TestRequest::get().uri("/metrics").peer_addr("127.0.0.1:40000".parse().expect("an address"))
        }
        "GET /api/admin/kiosks" => TestRequest::get().uri("/api/admin/kiosks"),
        "POST /api/admin/kiosks" => TestRequest::post()
            .uri("/api/admin/kiosks")
            .set_json(NewKiosk { name: "Fritidsgården".into(), round: ROUND_A.into() }),
        "DELETE /api/admin/kiosks/{A's}" => TestRequest::delete().uri(&format!("/api/admin/kiosks/{KIOSK_A}")),
        "GET /api/resources" => TestRequest::get().uri("/api/resources"),
        "POST /api/resources" => TestRequest::post().uri("/api/resources").set_json(draft_for(fx, who)),
        "PUT /api/resources/{A's}" => {
            ensure_resource_a(fx);
            TestRequest::put().uri(&format!("/api/resources/{RESOURCE_A}")).set_json(draft_for(fx, who))
        }
        "DELETE /api/resources/{A's}" => {
            ensure_resource_a(fx);
            TestRequest::delete().uri(&format!("/api/resources/{RESOURCE_A}"))
        }
        "POST /api/resources/import" => TestRequest::post().uri("/api/resources/import").set_json(ResourceImport {
            csv: "name,kind,owner,areas,age_bands,hours,contact,factors\nKlubben,sport,,Enhet 1,13-18,,,fri.leisure\n"
                .into(),
        }),
        "GET /api/needs" => TestRequest::get().uri("/api/needs"),
        "PUT /api/needs/threshold" => {
            TestRequest::put().uri("/api/needs/threshold").set_json(NeedsThreshold { percent: Some(25) })
        }
        "PUT /api/needs/priorities/{year}" => {
            TestRequest::put().uri("/api/needs/priorities/2026").set_json(NewPriorities {
                rounds: vec![ROUND_A.into()],
                priorities: vec![
                    Priority { factor: "fri.leisure".into(), why: "Många saknar en ordnad fritid.".into() },
                    Priority { factor: "sch.bullied".into(), why: "Mobbningen ökar.".into() },
                ],
            })
        }
        other => panic!("no request for {other}"),
    }
}

/// Every `access_denied` record, across both organisations and none.
fn denials(fx: &Fixture) -> Vec<AuditEntry> {
    [ORGANISATION, OTHER, NO_ORGANISATION]
        .iter()
        .flat_map(|org| fx.state.store.audit_entries(org, 1, usize::MAX).expect("the store works"))
        .filter(|e| e.action == AuditAction::AccessDenied)
        .collect()
}

/// The route as the audit log names it: method and route pattern.
fn audited_route(row: &str) -> String {
    let (method, path) = row.split_once(' ').expect("METHOD path");
    let path = path.split(' ').next().expect("a path");
    let pattern = match path {
        "/api/assessments/{X}" | "/api/assessments/{Y}" | "/api/assessments/{unknown}" => "/api/assessments/{id}",
        "/api/assessments/{X}/help" => "/api/assessments/{id}/help",
        "/api/invitations/{X}/revoke" => "/api/invitations/{id}/revoke",
        "/api/invitations/{X}/code" => "/api/invitations/{id}/code",
        "/api/admin/staff/{A's}" => "/api/admin/staff/{id}",
        "/api/admin/staff/{T}/statistics-key" => "/api/admin/staff/{id}/statistics-key",
        "/api/statistics/rounds/{A's}/records" => "/api/statistics/rounds/{round}/records",
        "/api/admin/kiosks/{A's}" => "/api/admin/kiosks/{id}",
        "/api/rounds/{A's}/close" => "/api/rounds/{id}/close",
        "/api/resources/{A's}" => "/api/resources/{id}",
        other => other,
    };
    format!("{method} {pattern}")
}

fn staff_of(fx: &Fixture, org: &str) -> [StaffUser; 5] {
    let unit1 = fx.add_unit(org, "Enhet 1");
    let unit2 = fx.add_unit(org, "Enhet 2");
    [
        fx.add_staff(org, &format!("admin-{org}"), Role::Administrator, None),
        fx.add_staff(org, &format!("inviter-{org}"), Role::Staff, Some(&unit1)),
        fx.add_staff(org, &format!("same-{org}"), Role::Staff, Some(&unit1)),
        fx.add_staff(org, &format!("otherunit-{org}"), Role::Staff, Some(&unit2)),
        fx.add_staff(org, &format!("analyst-{org}"), Role::Analyst, Some(&unit1)),
    ]
}

#[actix_web::test]
async fn every_role_of_two_organisations_gets_exactly_its_answer_on_every_staff_endpoint() {
    let fx = Fixture::new();
    fx.add_organisation(OTHER);
    let app = app!(fx.state);
    let a = staff_of(&fx, ORGANISATION);
    let b = staff_of(&fx, OTHER);
    let target_staff = fx.add_staff(ORGANISATION, "target", Role::Staff, None).id;
    let target_analyst = fx.add_staff(ORGANISATION, "target-analyst", Role::Analyst, None);
    fx.make_personal_key(&target_analyst);
    for staff in [&a, &b] {
        let statistics = fx.make_statistics_key(&staff[0]);
        fx.grant_statistics_key(&staff[4], &statistics);
    }
    for (org, round) in [(ORGANISATION, ROUND_A), (OTHER, "round-b")] {
        fx.store_round(org, round);
        for i in 0..3u8 {
            fx.state.store.put_statistics_record(org, round, &format!("as-{i}"), &[i; 200]).expect("store");
        }
    }
    let kiosk = Kiosk {
        kiosk_id: KIOSK_A.into(),
        name: "Biblioteket".into(),
        round: ROUND_A.into(),
        created_by: a[0].id.clone(),
        created_unix: fx.state.now(),
        registered: false,
        registration_expires_unix: fx.state.now() + 3600,
        revoked: false,
    };
    assert!(fx.state.store.insert_kiosk(ORGANISATION, &kiosk, &[7; 32]).expect("store"));

    let labels = ["adminA", "invA", "sameA", "othA", "anaA", "adminB", "invB", "sameB", "othB", "anaB"];
    let mut actors = Vec::new();
    for (label, user) in labels.iter().zip(a.iter().chain(b.iter())) {
        let (cookie, _) = staff_log_in!(&fx, app, user);
        actors.push(Actor { label, user: Some(user.clone()), cookie: Some(cookie) });
    }
    actors.push(Actor { label: "none", user: None, cookie: None });

    // The inviters invite one child each, shared with their unit.
    let mut invited = Vec::new();
    for inviter in [1, 6] {
        let cookie = actors[inviter].cookie.as_deref().expect("logged in");
        let (_, child) = new_child!(app, cookie);
        let req = with_cookie(TestRequest::post().uri("/api/invitations"), cookie).set_json(batch(vec![child], true));
        let records: Vec<AssessmentRecord> = send!(app, req).json();
        invited.push(records[0].assessment.clone());
    }
    let targets =
        Targets { x: invited[0].clone(), y: invited[1].clone(), target_staff, target_analyst: target_analyst.id };

    let mut table = String::new();
    let header: Vec<String> = actors.iter().map(|a| format!("{:>7}", a.label)).collect();
    table.push_str(&format!("{:<34}{}\n", "endpoint / who asks", header.join("")));
    for row in ROWS {
        let mut cells = Vec::new();
        for (i, actor) in actors.iter().enumerate() {
            let before = denials(&fx);
            let mut req = request(&fx, row, &targets, i, actor.user.as_ref());
            if let Some(cookie) = &actor.cookie {
                req = with_cookie(req, cookie);
            }
            let reply = send!(app, req);
            let status = reply.status.as_u16();
            let after = denials(&fx);
            let new: Vec<&AuditEntry> = after.iter().filter(|e| !before.contains(e)).collect();
            let denied = matches!(status, 401 | 403 | 404);
            if denied && actor.user.is_none() {
                // A request without a session names nobody: counted, not audited.
                assert!(new.is_empty(), "{row} by {}: a stranger's refusal was audited: {new:?}", actor.label);
            } else if denied {
                assert_eq!(new.len(), 1, "{row} by {}: one access_denied record, got {new:?}", actor.label);
                let record = new[0];
                let (org, who) = match &actor.user {
                    Some(u) => (u.organisation.as_str(), u.id.as_str()),
                    None => unreachable!("handled above"),
                };
                assert_eq!(
                    (record.organisation.as_str(), record.actor.as_str()),
                    (org, who),
                    "{row} by {}",
                    actor.label
                );
                assert_eq!(record.subject.as_deref(), Some(audited_route(row).as_str()), "{row} by {}", actor.label);
            } else {
                assert!(new.is_empty(), "{row} by {}: allowed, but audited as denied: {new:?}", actor.label);
            }
            let cell = if row.contains("(lists X)") && status == 200 {
                let list: Vec<AssessmentRecord> = reply.json();
                if list.iter().any(|r| r.assessment == targets.x) { "yes" } else { "no" }.to_string()
            } else {
                status.to_string()
            };
            cells.push(format!("{cell:>7}"));
        }
        table.push_str(&format!("{row:<34}{}\n", cells.join("")));
    }

    let expected = "\
endpoint / who asks                adminA   invA  sameA   othA   anaA adminB   invB  sameB   othB   anaB   none
GET /api/staff/me                     200    200    200    200    200    200    200    200    200    200    401
GET /api/units                        200    200    200    200    200    200    200    200    200    200    401
GET /api/invitations (lists X)         no    yes    yes     no    403     no     no     no     no    403    401
POST /api/invitations/lookups         200    200    200    200    403    200    200    200    200    403    401
POST /api/invitations                 200    200    200    200    403    200    200    200    200    403    401
GET /api/assessments/{X}              403    200    200    403    403    404    404    404    404    403    401
GET /api/assessments/{Y}              404    404    404    404    403    403    200    200    403    403    401
GET /api/assessments/{unknown}        404    404    404    404    403    404    404    404    404    403    401
PUT /api/assessments/{X}/help         403    200    200    403    403    404    404    404    404    403    401
GET /api/invitations/statuses         200    200    200    200    403    200    200    200    200    403    401
GET /api/invitations/{X}/code         403    200    200    403    403    404    404    404    404    403    401
POST /api/invitations/{X}/code        403    200    200    403    403    404    404    404    404    403    401
POST /api/invitations/{X}/revoke      403    200    200    403    403    404    404    404    404    403    401
GET /api/admin/staff                  200    403    403    403    403    200    403    403    403    403    401
POST /api/admin/staff                 200    403    403    403    403    200    403    403    403    403    401
PATCH /api/admin/staff/{A's}          200    403    403    403    403    404    403    403    403    403    401
PATCH /api/admin/staff/{A's} move     200    403    403    403    403    404    403    403    403    403    401
GET /api/admin/units                  200    403    403    403    403    200    403    403    403    403    401
POST /api/admin/units                 200    403    403    403    403    200    403    403    403    403    401
GET /api/admin/audit                  200    403    403    403    403    200    403    403    403    403    401
GET /api/admin/audit/children         200    403    403    403    403    200    403    403    403    403    401
GET /api/admin/children               200    403    403    403    403    200    403    403    403    403    401
PUT /api/admin/statistics-key         409    403    403    403    403    409    403    403    403    403    401
PUT /api/admin/staff/{T}/statistics-key    204    403    403    403    403    404    403    403    403    403    401
DELETE /api/admin/staff/{T}/statistics-key    204    403    403    403    403    404    403    403    403    403    401
GET /api/statistics/rounds/{A's}/records    200    403    403    403    200    404    403    403    403    404    401
GET /api/statistics/rounds            200    403    403    403    200    200    403    403    403    200    401
GET /api/statistics/invited           200    403    403    403    200    200    403    403    403    200    401
POST /api/statistics/openings         204    403    403    403    204    404    403    403    403    404    401
POST /api/rounds/{A's}/close          200    200    200    200    403    404    404    404    404    403    401
GET /api/admin/kiosks                 200    403    403    403    403    200    403    403    403    403    401
POST /api/admin/kiosks                200    403    403    403    403    404    403    403    403    403    401
DELETE /api/admin/kiosks/{A's}        200    403    403    403    403    404    403    403    403    403    401
GET /api/openapi.json                 200    200    200    200    200    200    200    200    200    200    200
GET /api/health/live                  200    200    200    200    200    200    200    200    200    200    200
GET /api/health/ready                 200    200    200    200    200    200    200    200    200    200    200
GET /metrics (from loopback)          200    200    200    200    200    200    200    200    200    200    200
GET /api/resources                    200    200    200    200    200    200    200    200    200    200    401
POST /api/resources                   200    403    403    403    200    200    403    403    403    200    401
PUT /api/resources/{A's}              200    403    403    403    200    404    403    403    403    404    401
DELETE /api/resources/{A's}           204    403    403    403    204    404    403    403    403    404    401
POST /api/resources/import            200    403    403    403    200    200    403    403    403    200    401
GET /api/needs                        200    403    403    403    200    200    403    403    403    200    401
PUT /api/needs/threshold              200    403    403    403    200    200    403    403    403    200    401
PUT /api/needs/priorities/{year}      200    403    403    403    200    404    403    403    403    404    401
POST /api/staff/logout                204    204    204    204    204    204    204    204    204    204    204
";
    assert_eq!(table, expected, "\nthe matrix as it is:\n{table}");
}

#[actix_web::test]
async fn another_organisations_child_is_answered_exactly_like_one_that_does_not_exist() {
    let fx = Fixture::new();
    fx.add_organisation(OTHER);
    let app = app!(fx.state);
    let owner = fx.add_staff(ORGANISATION, "owner", Role::Staff, None);
    let stranger = fx.add_staff(OTHER, "stranger", Role::Administrator, None);
    let (owner_cookie, _) = staff_log_in!(&fx, app, &owner);
    let (cookie, _) = staff_log_in!(&fx, app, &stranger);
    let (_, child) = new_child!(app, &owner_cookie);
    let req =
        with_cookie(TestRequest::post().uri("/api/invitations"), &owner_cookie).set_json(batch(vec![child], false));
    let records: Vec<AssessmentRecord> = send!(app, req).json();
    let theirs = send!(
        app,
        with_cookie(TestRequest::get().uri(&format!("/api/assessments/{}", records[0].assessment)), &cookie)
    );
    let nothing = send!(app, with_cookie(TestRequest::get().uri("/api/assessments/AAAAAAAAAAAAAAAAAAAAAA"), &cookie));
    assert_eq!((theirs.status, &theirs.body), (nothing.status, &nothing.body));
    assert_eq!(theirs.error(), "not_found");
    let list: Vec<AssessmentRecord> =
        send!(app, with_cookie(TestRequest::get().uri("/api/invitations"), &cookie)).json();
    assert!(list.is_empty());
}
