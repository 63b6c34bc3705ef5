//! The register as a CSV file (RFC 4180, through the `csv` crate), for spreadsheets: one
//! heading row of [`COLUMNS`], then one resource per row. Lists (areas, age bands,
//! factors) are separated by `;`; an area is written by its unit's name, or by its id when
//! the name would not read back as that one unit. [`write`] and [`read`] are inverses:
//! a register written out reads back as the same register.
//!
//! [`read`] checks every row with [`super::register::check`] and reports every problem of
//! every row at once; a file with any problem gives no resources at all, so an import
//! changes all of the register or nothing.

use super::register::{check, is_id, Checked, MAX_RESOURCES};
use crate::api::{InputProblem, Problem, Resource, ResourceDraft, ResourceKind, Unit};
use crate::catalogue::Catalogue;
use std::collections::BTreeSet;

/// The columns, in the order they are written. `id` may be left out of a file (or left
/// blank) for new resources; every other column must be there.
pub const COLUMNS: [&str; 9] = ["id", "name", "kind", "owner", "areas", "age_bands", "hours", "contact", "factors"];

/// The largest file read, in bytes (a register of [`MAX_RESOURCES`] long rows fits).
pub const MAX_BYTES: u32 = 1024 * 1024;

const SEPARATOR: char = ';';

/// How an area is written: the unit's name when exactly one unit has it and it holds no
/// separator, else its id.
fn area_cell(id: &str, units: &[Unit]) -> String {
    let Some(unit) = units.iter().find(|u| u.unit_id == id) else { return id.to_string() };
    let unique = units.iter().filter(|u| u.name.trim() == unit.name.trim()).count() == 1;
    let name = unit.name.trim();
    if unique && !name.is_empty() && !name.contains(SEPARATOR) && !units.iter().any(|u| u.unit_id == name) {
        name.to_string()
    } else {
        id.to_string()
    }
}

/// The register as CSV.
pub fn write(resources: &[Resource], units: &[Unit]) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail, and every record has the same length.
    let _ = out.write_record(COLUMNS);
    for r in resources {
        let areas: Vec<String> = r.areas.iter().map(|a| area_cell(a, units)).collect();
        let _ = out.write_record([
            r.resource_id.as_str(),
            &r.name,
            r.kind.name(),
            &r.owner,
            &areas.join(";"),
            &r.bands.join(";"),
            &r.hours,
            &r.contact,
            &r.factors.join(";"),
        ]);
    }
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// A checked row: its id, if the file gave one, and the resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub id: Option<String>,
    pub resource: Checked,
}

/// The parts of a list cell, blank ones left out.
fn split(cell: &str) -> Vec<String> {
    cell.split(SEPARATOR).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// Reads a register from CSV: every row checked, every problem reported with its row (1 is
/// the heading) and column. Ids given must be well formed and each used once.
pub fn read(text: &str, catalogue: &Catalogue, units: &[Unit]) -> Result<Vec<Row>, Vec<InputProblem>> {
    let file = |problem: Problem| vec![InputProblem { row: None, field: None, problem }];
    if text.len() > MAX_BYTES as usize {
        return Err(file(Problem::TooLarge(MAX_BYTES)));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    let mut problems = Vec::new();
    let heading: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
        Err(_) => return Err(vec![InputProblem { row: Some(1), field: None, problem: Problem::Malformed }]),
    };
    let mut seen = BTreeSet::new();
    for column in &heading {
        if !COLUMNS.contains(&column.as_str()) {
            problems.push(InputProblem { row: Some(1), field: None, problem: Problem::UnknownColumn(column.clone()) });
        } else if !seen.insert(column.as_str()) {
            problems.push(InputProblem { row: Some(1), field: None, problem: Problem::Repeated(column.clone()) });
        }
    }
    for column in &COLUMNS[1..] {
        if !heading.iter().any(|c| c == column) {
            problems.push(InputProblem {
                row: Some(1),
                field: Some(column.to_string()),
                problem: Problem::MissingColumn,
            });
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let at = |name: &str| heading.iter().position(|c| c == name);
    let mut rows = Vec::new();
    let mut ids = BTreeSet::new();
    for (i, record) in reader.records().enumerate() {
        // Row 1 is the heading; a record that cannot be read is named by its place.
        let row = i as u64 + 2;
        if i >= MAX_RESOURCES as usize {
            return Err(file(Problem::TooManyRows(MAX_RESOURCES)));
        }
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let problem = match e.kind() {
                    csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                        Problem::FieldCount { found: *len, expected: *expected_len }
                    }
                    _ => Problem::Malformed,
                };
                problems.push(InputProblem { row: Some(row), field: None, problem });
                continue;
            }
        };
        let cell = |name: &str| at(name).and_then(|i| record.get(i)).unwrap_or("").to_string();
        let mut row_problems = Vec::new();
        let kind_text = cell("kind");
        let kind = ResourceKind::from_name(kind_text.trim());
        if kind.is_none() && !kind_text.trim().is_empty() {
            row_problems.push(InputProblem {
                row: Some(row),
                field: Some("kind".into()),
                problem: Problem::UnknownKind(kind_text.trim().to_string()),
            });
        }
        let mut areas = Vec::new();
        for area in split(&cell("areas")) {
            let by_name: Vec<&Unit> = units.iter().filter(|u| u.name.trim() == area).collect();
            match (units.iter().find(|u| u.unit_id == area), by_name.as_slice()) {
                (Some(u), _) => areas.push(u.unit_id.clone()),
                (None, [u]) => areas.push(u.unit_id.clone()),
                (None, []) => row_problems.push(InputProblem {
                    row: Some(row),
                    field: Some("areas".into()),
                    problem: Problem::UnknownArea(area),
                }),
                (None, _) => row_problems.push(InputProblem {
                    row: Some(row),
                    field: Some("areas".into()),
                    problem: Problem::AmbiguousArea(area),
                }),
            }
        }
        let id = Some(cell("id").trim().to_string()).filter(|id| !id.is_empty());
        if let Some(id) = &id {
            if !is_id(id) {
                row_problems.push(InputProblem {
                    row: Some(row),
                    field: Some("id".into()),
                    problem: Problem::BadId(id.clone()),
                });
            } else if !ids.insert(id.clone()) {
                row_problems.push(InputProblem {
                    row: Some(row),
                    field: Some("id".into()),
                    problem: Problem::Repeated(id.clone()),
                });
            }
        }
        let draft = ResourceDraft {
            name: cell("name"),
            kind,
            owner: cell("owner"),
            // An area that was not found is reported above; the check sees those found.
            areas,
            bands: split(&cell("age_bands")),
            hours: cell("hours"),
            contact: cell("contact"),
            factors: split(&cell("factors")),
        };
        match check(&draft, catalogue, units, Some(row)) {
            Ok(resource) if row_problems.is_empty() => rows.push(Row { id, resource }),
            Ok(_) => problems.append(&mut row_problems),
            Err(mut found) => {
                // A cell whose values were all reported above is not reported again as empty.
                let reported = |field: &str| row_problems.iter().any(|p| p.field.as_deref() == Some(field));
                let (areas_reported, kind_reported) = (reported("areas"), reported("kind"));
                found.retain(|p| {
                    let field = p.field.as_deref();
                    !(p.problem == Problem::Empty
                        && ((field == Some("areas") && areas_reported) || (field == Some("kind") && kind_reported)))
                });
                row_problems.append(&mut found);
                problems.append(&mut row_problems);
            }
        }
    }
    if problems.is_empty() && rows.is_empty() {
        return Err(file(Problem::NoRows));
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        problems.sort_by_key(|p| p.row);
        Err(problems)
    }
}

#[cfg(test)]
mod tests;
