//! The resources register over HTTP: an analyst adds, changes, removes and imports; bad
//! input (an unknown factor, an empty name, malformed rows, a 10 MB file) gets every
//! problem named with its row and column, and changes nothing; every change is audited.

use crate::support::staff::{staff_log_in, with_cookie};
use crate::support::{app, send, Fixture, ORGANISATION};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use beratta_core::api::{
    ApiErrorBody, Problem, Resource, ResourceDraft, ResourceImport, ResourceKind, ResourceRegister, Role,
};
use beratta_core::audit::AuditAction;
use beratta_core::resources::file;

fn draft(unit: &str) -> ResourceDraft {
    ResourceDraft {
        name: "Fritidsgården Västerby".into(),
        kind: Some(ResourceKind::YouthCentre),
        owner: "Fritidsförvaltningen".into(),
        areas: vec![unit.into()],
        bands: vec!["13-18".into()],
        hours: "Mån–fre 15–21".into(),
        contact: String::new(),
        factors: vec!["fri.leisure".into()],
    }
}

#[actix_web::test]
async fn an_analyst_keeps_the_register_and_bad_input_names_every_problem_and_changes_nothing() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let unit = fx.add_unit(ORGANISATION, "Västerby");
    let analyst = fx.add_staff(ORGANISATION, "ana", Role::Analyst, None);
    let (cookie, _) = staff_log_in!(&fx, app, &analyst);
    let register = || async {
        let reply = send!(app, with_cookie(TestRequest::get().uri("/api/resources"), &cookie));
        reply.json::<ResourceRegister>()
    };

    // Added, then changed.
    let made: Resource =
        send!(app, with_cookie(TestRequest::post().uri("/api/resources"), &cookie).set_json(draft(&unit))).json();
    let mut changed = draft(&unit);
    changed.hours = "Alla dagar 14–22".into();
    let reply = send!(
        app,
        with_cookie(TestRequest::put().uri(&format!("/api/resources/{}", made.resource_id)), &cookie)
            .set_json(&changed)
    );
    assert_eq!(reply.status, StatusCode::OK);
    let now = register().await;
    assert_eq!(now.resources.len(), 1);
    assert_eq!(now.resources[0].hours, "Alla dagar 14–22");
    assert_eq!(now.units[0].name, "Västerby");
    assert!(now.catalogue.factor.iter().any(|f| f.id == "fri.leisure"), "the catalogue it is written in");

    // A form with an unknown factor and an empty name: both named, nothing stored.
    let mut bad = draft(&unit);
    bad.name = " ".into();
    bad.factors = vec!["fri.nothing".into()];
    let reply = send!(app, with_cookie(TestRequest::post().uri("/api/resources"), &cookie).set_json(&bad));
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let body: ApiErrorBody = reply.json();
    assert_eq!(body.error, "bad_input");
    let problems: Vec<(Option<String>, Problem)> = body.problems.into_iter().map(|p| (p.field, p.problem)).collect();
    assert_eq!(
        problems,
        [(Some("name".into()), Problem::Empty), (Some("factors".into()), Problem::UnknownFactor("fri.nothing".into()))]
    );
    assert!(body.message.contains("Nothing was changed"), "{}", body.message);
    assert_eq!(register().await.resources, now.resources);

    // A file with malformed rows: every row named, the register as it was.
    let csv = "name,kind,owner,areas,age_bands,hours,contact,factors\n\
               Bra,sport,,Västerby,13-18,,,fri.leisure\n\
               ,sport,,Västerby,13-18,,,fri.nothing\n\
               Kort rad,sport\n";
    let reply = send!(
        app,
        with_cookie(TestRequest::post().uri("/api/resources/import"), &cookie)
            .set_json(ResourceImport { csv: csv.into() })
    );
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let rows: Vec<Option<u64>> = reply.json::<ApiErrorBody>().problems.iter().map(|p| p.row).collect();
    assert_eq!(rows, [Some(3), Some(3), Some(4)]);
    assert_eq!(register().await.resources, now.resources);

    // A 10 MB file is refused unread.
    let huge = format!("{}\n{}", file::COLUMNS.join(","), "x".repeat(10 * 1024 * 1024));
    let reply = send!(
        app,
        with_cookie(TestRequest::post().uri("/api/resources/import"), &cookie).set_json(ResourceImport { csv: huge })
    );
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.error(), "too_large");
    assert_eq!(register().await.resources, now.resources);

    // The register written out reads back as the same register.
    let written = file::write(&now.resources, &now.units);
    let reply = send!(
        app,
        with_cookie(TestRequest::post().uri("/api/resources/import"), &cookie)
            .set_json(ResourceImport { csv: written })
    );
    assert_eq!(reply.status, StatusCode::OK);
    let again = register().await.resources;
    assert_eq!(again.len(), 1);
    assert_eq!(
        Resource { changed_unix: 0, ..again[0].clone() },
        Resource { changed_unix: 0, ..now.resources[0].clone() }
    );

    // Removed.
    let reply =
        send!(app, with_cookie(TestRequest::delete().uri(&format!("/api/resources/{}", made.resource_id)), &cookie));
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert!(register().await.resources.is_empty());

    let actions: Vec<AuditAction> = fx
        .state
        .store
        .audit_entries(ORGANISATION, 1, usize::MAX)
        .expect("the log")
        .into_iter()
        .filter(|e| e.actor == analyst.id)
        .map(|e| e.action)
        .filter(|a| !matches!(a, AuditAction::StaffLogin))
        .collect();
    assert_eq!(
        actions,
        [
            AuditAction::ResourceCreated,
            AuditAction::ResourceChanged,
            AuditAction::ResourcesImported,
            AuditAction::ResourceRemoved
        ]
    );
}
