//! The register's rules on hand-made resources: a good one passes in its canonical form,
//! each kind of problem is named with its field, every problem comes at once, and the
//! duplicate rules find what they say and nothing else.

use super::*;
use crate::questionnaire::tests::catalogue;

pub(crate) fn units() -> Vec<Unit> {
    vec![
        Unit { unit_id: "u-norr".into(), name: "Norrby".into() },
        Unit { unit_id: "u-vast".into(), name: "Västerby".into() },
    ]
}

pub(crate) fn draft() -> ResourceDraft {
    ResourceDraft {
        name: "  Fritidsgården Norrby ".into(),
        kind: Some(ResourceKind::YouthCentre),
        owner: "Fritidsförvaltningen".into(),
        areas: vec!["u-vast".into(), "u-norr".into()],
        bands: vec!["13-18".into(), "10-12".into()],
        hours: "Mån–fre 15–21".into(),
        contact: "fritid@example.se".into(),
        factors: vec!["p.adult".into(), "r.teased".into()],
    }
}

fn problems(d: &ResourceDraft) -> Vec<(Option<String>, Problem)> {
    match check(d, &catalogue(), &units(), None) {
        Ok(_) => vec![],
        Err(found) => found.into_iter().map(|p| (p.field, p.problem)).collect(),
    }
}

#[test]
fn a_good_resource_passes_trimmed_with_its_lists_in_catalogue_and_band_order() {
    let checked = check(&draft(), &catalogue(), &units(), None).expect("valid");
    let d = checked.draft();
    assert_eq!(d.name, "Fritidsgården Norrby");
    assert_eq!(d.areas, ["u-norr", "u-vast"], "in the units' order");
    assert_eq!(d.bands, ["10-12", "13-18"]);
    assert_eq!(d.factors, ["r.teased", "p.adult"], "in the catalogue's order");
    let r = checked.resource("res-1", 7);
    assert_eq!((r.resource_id.as_str(), r.kind, r.changed_unix), ("res-1", ResourceKind::YouthCentre, 7));
}

#[test]
fn every_problem_of_a_resource_is_named_with_its_field_at_once() {
    let bad = ResourceDraft {
        name: "   ".into(),
        kind: None,
        owner: "x".repeat(101),
        areas: vec!["u-nowhere".into()],
        bands: vec!["13-18".into(), "13-18".into(), "19-99".into()],
        hours: "line\nbreak".into(),
        contact: String::new(),
        factors: vec!["r.nothing".into(), "b.home".into()],
    };
    assert_eq!(
        problems(&bad),
        vec![
            (Some("name".into()), Problem::Empty),
            (Some("owner".into()), Problem::TooLong(MAX_NAME)),
            (Some("hours".into()), Problem::Unprintable),
            (Some("kind".into()), Problem::Empty),
            (Some("areas".into()), Problem::UnknownArea("u-nowhere".into())),
            (Some("age_bands".into()), Problem::Repeated("13-18".into())),
            (Some("age_bands".into()), Problem::UnknownBand("19-99".into())),
            (Some("factors".into()), Problem::UnknownFactor("r.nothing".into())),
            (Some("factors".into()), Problem::NotAddressable("b.home".into())),
        ]
    );
    let empty = ResourceDraft { areas: vec![], bands: vec![], factors: vec![], ..draft() };
    assert_eq!(
        problems(&empty),
        vec![
            (Some("areas".into()), Problem::Empty),
            (Some("age_bands".into()), Problem::Empty),
            (Some("factors".into()), Problem::Empty)
        ]
    );
}

#[test]
fn problems_read_in_swedish_and_english_with_row_and_field() {
    let p = InputProblem { row: Some(3), field: Some("factors".into()), problem: Problem::UnknownFactor("x.y".into()) };
    assert_eq!(describe(&p, "sv"), "Rad 3, Faktorer: okänd faktor \"x.y\".");
    assert_eq!(describe(&p, "en"), "Row 3, Factors: unknown factor \"x.y\".");
    let p = InputProblem { row: None, field: Some("name".into()), problem: Problem::Empty };
    assert_eq!(describe(&p, "sv"), "Namn: får inte vara tomt.");
    let p = InputProblem { row: None, field: None, problem: Problem::TooLarge(1024 * 1024) };
    assert_eq!(describe(&p, "en"), "The file: the file may be at most 1024 kB.");
}

fn resource(id: &str, name: &str, kind: ResourceKind, owner: &str, areas: &[&str]) -> Resource {
    Resource {
        resource_id: id.into(),
        name: name.into(),
        kind,
        owner: owner.into(),
        areas: areas.iter().map(|a| a.to_string()).collect(),
        bands: vec!["13-18".into()],
        hours: String::new(),
        contact: String::new(),
        factors: vec!["r.teased".into()],
        changed_unix: 0,
    }
}

#[test]
fn duplicates_are_the_same_name_or_the_same_work_by_the_same_owner_in_the_same_places() {
    let list = [
        resource("a", "Fältgruppen", ResourceKind::FieldWorkers, "Socialtjänsten", &["u-vast"]),
        resource("b", "Fältarna i Västerby", ResourceKind::FieldWorkers, "socialtjänsten ", &["u-vast"]),
        resource("c", "Fält-gruppen!", ResourceKind::Sport, "IK Norrby", &["u-norr"]),
        // Same owner and kind, other area: not alike.
        resource("d", "Fältarna i Norrby", ResourceKind::FieldWorkers, "Socialtjänsten", &["u-norr"]),
        // No owner: the second rule needs one.
        resource("e", "Läxhjälp", ResourceKind::Other, "", &["u-norr"]),
        resource("f", "Läsfrämjande", ResourceKind::Other, "", &["u-norr"]),
    ];
    let found = duplicates(&list);
    let of = |id: &str| found.get(id).cloned().unwrap_or_default();
    assert_eq!(of("a"), ["b", "c"]);
    assert_eq!(of("b"), ["a"]);
    assert_eq!(of("c"), ["a"]);
    assert!(of("d").is_empty() && of("e").is_empty() && of("f").is_empty(), "{found:?}");
}
