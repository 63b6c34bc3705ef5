//! The register as CSV: written and read back it is the same register; names read as
//! units; and bad files name every problem with its row, giving nothing.

use super::super::register::tests::{draft, units};
use super::*;
use crate::questionnaire::tests::catalogue;

fn register() -> Vec<Resource> {
    let one = check(&draft(), &catalogue(), &units(), None).expect("valid").resource("r-1", 5);
    let mut two = one.clone();
    two.resource_id = "r-2".into();
    two.name = "Läxhjälp, \"Läxis\" med fika".into();
    two.hours = "Tis, tor".into();
    two.areas = vec!["u-vast".into()];
    vec![one, two]
}

fn problems(text: &str) -> Vec<String> {
    match read(text, &catalogue(), &units()) {
        Ok(rows) => vec![format!("ok: {} rows", rows.len())],
        Err(found) => found.iter().map(|p| super::super::register::describe(p, "en")).collect(),
    }
}

#[test]
fn a_written_register_reads_back_as_the_same_register() {
    let written = write(&register(), &units());
    assert!(written.starts_with("id,name,kind,owner,areas,age_bands,hours,contact,factors\n"), "{written}");
    assert!(written.contains("r-1,Fritidsgården Norrby,youth_centre,Fritidsförvaltningen,Norrby;Västerby,10-12;13-18,"));
    let rows = read(&written, &catalogue(), &units()).expect("reads back");
    let back: Vec<Resource> =
        rows.iter().map(|r| r.resource.resource(r.id.as_deref().expect("ids are written"), 5)).collect();
    assert_eq!(back, register());
}

#[test]
fn an_area_whose_name_would_not_read_back_is_written_by_its_id() {
    let mut twins = units();
    twins.push(Unit { unit_id: "u-3".into(), name: "Västerby".into() });
    twins.push(Unit { unit_id: "u-4".into(), name: "Öst; väst".into() });
    let mut r = register();
    r[0].areas = vec!["u-vast".into(), "u-4".into()];
    let written = write(&r[..1], &twins);
    assert!(written.contains(",u-vast;u-4,"), "{written}");
    let rows = read(&written, &catalogue(), &twins).expect("reads back");
    assert_eq!(rows[0].resource.draft().areas, ["u-vast", "u-4"]);
}

#[test]
fn a_file_without_ids_reads_as_new_resources_and_a_byte_order_mark_is_skipped() {
    let text = "\u{feff}name,kind,owner,areas,age_bands,hours,contact,factors\n\
                Biblioteket,library,Kultur,Norrby; Västerby ,6-9;10-12,,,p.adult\n";
    let rows = read(text, &catalogue(), &units()).expect("valid");
    assert_eq!(rows[0].id, None);
    assert_eq!(rows[0].resource.draft().areas, ["u-norr", "u-vast"]);
}

#[test]
fn every_bad_row_is_named_and_the_file_gives_nothing() {
    let text = "id,name,kind,owner,areas,age_bands,hours,contact,factors\n\
                a,Good,sport,,Norrby,13-18,,,r.teased\n\
                b,,sport,,Norrby,13-18,,,r.unknown\n\
                c,Short row,sport\n\
                a,Again,boat,,Söder,13-18,,,r.teased\n\
                bad id,Name,sport,,Norrby,13-18,,,r.teased\n";
    assert_eq!(
        problems(text),
        [
            "Row 3, Name: must not be empty.",
            "Row 3, Factors: unknown factor \"r.unknown\".",
            "Row 4: the row has 3 fields, the heading 9.",
            "Row 5, Kind: unknown kind \"boat\" (allowed: youth_centre, sport, culture, library, field_workers, parent_support, school_health, social_services, other).",
            "Row 5, Areas: the organisation has no area \"Söder\".",
            "Row 5, id: \"a\" is there twice.",
            "Row 6, id: \"bad id\" is no valid id (letters, digits, - and _).",
        ]
    );
}

#[test]
fn a_heading_must_name_the_columns_and_a_file_must_hold_rows_and_not_be_too_large() {
    assert_eq!(
        problems("name,kind,colour\n"),
        [
            "Row 1: unknown column \"colour\".",
            "Row 1, Run by: the column is missing from the heading.",
            "Row 1, Areas: the column is missing from the heading.",
            "Row 1, Age bands: the column is missing from the heading.",
            "Row 1, Opening hours or capacity: the column is missing from the heading.",
            "Row 1, Contact: the column is missing from the heading.",
            "Row 1, Factors: the column is missing from the heading.",
        ]
    );
    assert_eq!(
        problems("name,kind,owner,areas,age_bands,hours,contact,factors\n"),
        ["The file: the file holds no resources."]
    );
    let big = format!("{}\n{}", COLUMNS.join(","), "x".repeat(MAX_BYTES as usize));
    assert_eq!(problems(&big), ["The file: the file may be at most 1024 kB."]);
    let many: String = std::iter::once(COLUMNS[1..].join(","))
        .chain((0..=MAX_RESOURCES).map(|i| format!("R{i},sport,,Norrby,13-18,,,r.teased")))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(problems(&many), ["The file: the file may hold at most 1000 resources."]);
}
