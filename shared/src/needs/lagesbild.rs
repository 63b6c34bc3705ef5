//! The lägesbild: the document a municipality's council reads, structured as the law on
//! municipalities' crime-prevention responsibility (2023:196, section 4) asks: (1) the
//! mapping, (2) other relevant information, (3) the analysis. It states its release (the
//! closed rounds it was counted from), the instruments and their versions, the disclosure
//! rules and how "high" is decided; every figure in it is a [`Value`] or a [`Profile`] out
//! of the gate, the same ones the group picture and the needs view show.
//!
//! This module decides the document's structure and words; the page draws it, for A4.

use super::matrix::{cell_name, gaps_table, Matrix};
use super::words::NeedsWords;
use crate::api::{Priorities, Resource, Unit};
use crate::catalogue::Catalogue;
use crate::group::gate::{Disclosed, Figure, Shown};
use crate::group::key::{Group, Measure};
use crate::group::picture::{domains, overview, profile, Profile, Row, Table, Tone, Value, Words};
use crate::resources::register::{field_label, kind_label};

/// A section of a part: paragraphs, then tables (each with an id and a caption), then
/// profiles (each a chart with its table).
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    pub id: String,
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub tables: Vec<(String, String, Table)>,
    pub profiles: Vec<Profile>,
}

/// One of the law's three parts.
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    pub id: &'static str,
    pub heading: String,
    /// What the law asks of this part, in a sentence.
    pub law: String,
    pub sections: Vec<Section>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub title: String,
    /// The release, the instruments, the disclosure rules and the definition of high.
    pub facts: Vec<String>,
    pub parts: Vec<Part>,
}

/// What the document is made from.
pub struct Inputs<'a> {
    pub organisation: &'a str,
    pub year: &'a str,
    /// The release's rounds, by name.
    pub rounds: &'a [String],
    /// `id@version` of each instrument.
    pub instruments: &'a [String],
    /// The disclosure rules in words.
    pub rules: &'a str,
    pub threshold: Option<u8>,
    /// The year's figures for everyone, and the year before's.
    pub release: &'a Disclosed,
    pub last: Option<&'a Disclosed>,
    /// The rounds' response rates (`picture::response`).
    pub response: Table,
    /// The risks over the years (`picture::trend`), when there are two or more.
    pub trend: Option<Table>,
    pub matrix: &'a Matrix,
    pub resources: &'a [Resource],
    pub units: &'a [Unit],
    pub priorities: Option<&'a Priorities>,
    pub catalogue: &'a Catalogue,
}

fn section(id: &str, heading: &str) -> Section {
    Section { id: id.into(), heading: heading.into(), paragraphs: vec![], tables: vec![], profiles: vec![] }
}

fn unit_name<'a>(units: &'a [Unit]) -> impl Fn(&str) -> Option<String> + 'a {
    move |id: &str| units.iter().find(|u| u.unit_id == id).map(|u| u.name.clone())
}

/// The register as a table, in the document's words.
pub fn register_table(resources: &[Resource], units: &[Unit], catalogue: &Catalogue, w: &NeedsWords) -> Table {
    let name = unit_name(units);
    let rows = resources
        .iter()
        .map(|r| Row {
            label: r.name.clone(),
            factor: None,
            cells: vec![
                Value::Text(kind_label(r.kind, w.lang).into()),
                Value::Text(r.owner.clone()),
                Value::Text(
                    r.areas.iter().map(|a| name(a).unwrap_or_else(|| a.clone())).collect::<Vec<_>>().join(", "),
                ),
                Value::Text(r.bands.iter().map(|b| b.replace('-', "–")).collect::<Vec<_>>().join(", ")),
                Value::Text(r.hours.clone()),
                Value::Text(
                    r.factors
                        .iter()
                        .map(|f| catalogue.get(f).map_or_else(|| f.clone(), |x| x.name.get(w.lang).to_string()))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            ],
        })
        .collect();
    Table {
        columns: ["name", "kind", "owner", "areas", "age_bands", "hours", "factors"]
            .map(|field| field_label(field, w.lang).to_string())
            .to_vec(),
        rows,
    }
}

/// The rows of `trend` whose last change is reliable (the trend's own verdict, from two
/// disclosed figures).
fn reliable_changes(trend: &Table) -> Table {
    let rows = trend
        .rows
        .iter()
        .filter(|r| r.cells.iter().any(|c| matches!(c, Value::Change(_)) && c.tone() == Tone::Reliable))
        .cloned()
        .collect();
    Table { columns: trend.columns.clone(), rows }
}

/// The lägesbild of `inputs`, in the language of `w` and `nw`.
pub fn document(inputs: &Inputs<'_>, w: &Words, nw: &NeedsWords) -> Document {
    let catalogue = inputs.catalogue;
    let respondents = match inputs.release.get(&Group::Everyone, &Measure::Respondents) {
        Some(Shown::Figure(Figure { count, .. })) => count as usize,
        _ => 0,
    };
    let facts = vec![
        (nw.release)(inputs.year, &inputs.rounds.join(", ")),
        (nw.instruments)(&inputs.instruments.join(", ")),
        inputs.rules.to_string(),
        (nw.definition)(inputs.threshold),
    ];

    // 1. The mapping: the group picture's overview and its profiles.
    let o = overview(inputs.release, &Group::Everyone, catalogue, w);
    let mut summary = section("overview", nw.overview);
    summary.tables = vec![
        ("size".into(), w.respondents.into(), o.size),
        ("common".into(), w.share.into(), o.most_common),
        ("worried".into(), w.worried_lot.into(), o.most_worried),
        ("help".into(), w.wants_help.into(), o.most_help),
        ("protective".into(), w.present.into(), o.protective),
    ];
    let mut profiles = section("profiles", nw.profiles);
    profiles.profiles = domains(inputs.release, catalogue)
        .into_iter()
        .map(|level| profile(inputs.release, &Group::Everyone, inputs.last, catalogue, level, w))
        .collect();
    let mapping =
        Part { id: "mapping", heading: nw.part1.into(), law: nw.part1_law.into(), sections: vec![summary, profiles] };

    // 2. Other relevant information: the resources, the response, the sources and limits.
    let mut register = section("register", nw.register);
    if inputs.resources.is_empty() {
        register.paragraphs.push(nw.register_empty.into());
    } else {
        register.tables.push((
            "register".into(),
            nw.register.into(),
            register_table(inputs.resources, inputs.units, catalogue, nw),
        ));
    }
    let mut response = section("response", nw.response);
    response.tables.push(("response".into(), nw.response.into(), inputs.response.clone()));
    let mut sources = section("sources", nw.sources);
    sources.paragraphs = (nw.sources_text)(inputs.rounds.len(), respondents);
    let other = Part {
        id: "other",
        heading: nw.part2.into(),
        law: nw.part2_law.into(),
        sections: vec![register, response, sources],
    };

    // 3. The analysis: priorities, gaps, and changes since the last release.
    let mut priorities = section("priorities", nw.priorities);
    match inputs.priorities.filter(|p| !p.priorities.is_empty()) {
        Some(p) => {
            let rows = p
                .priorities
                .iter()
                .map(|x| Row {
                    label: catalogue
                        .get(&x.factor)
                        .map_or_else(|| x.factor.clone(), |f| f.name.get(nw.lang).to_string()),
                    factor: Some(x.factor.clone()),
                    cells: vec![Value::Text(x.why.clone())],
                })
                .collect();
            let table = Table { columns: vec![nw.factor.into(), field_label("why", nw.lang).into()], rows };
            priorities.tables.push(("priorities".into(), nw.priorities.into(), table));
        }
        None => priorities.paragraphs.push(nw.priorities_none.into()),
    }
    let mut gaps = section("gaps", nw.gaps);
    let names = unit_name(inputs.units);
    let table = gaps_table(inputs.matrix, catalogue, &|c| cell_name(c, &names, w), nw);
    if table.rows.is_empty() {
        gaps.paragraphs.push(nw.gaps_none.into());
    } else {
        gaps.tables.push(("gaps".into(), nw.gaps.into(), table));
    }
    if !inputs.matrix.bands_without.is_empty() {
        let bands: Vec<String> = inputs.matrix.bands_without.iter().map(|b| b.replace('-', "–")).collect();
        gaps.paragraphs.push((nw.bands_without)(&bands.join(", ")));
    }
    let idle: Vec<String> = inputs
        .matrix
        .idle
        .iter()
        .filter_map(|id| inputs.resources.iter().find(|r| r.resource_id == *id))
        .map(|r| r.name.clone())
        .collect();
    if !idle.is_empty() {
        gaps.paragraphs.push(format!("{}: {}.", nw.idle, idle.join(", ")));
    }
    let mut changes = section("changes", nw.changes);
    match &inputs.trend {
        None => changes.paragraphs.push(nw.changes_one_year.into()),
        Some(trend) => {
            let reliable = reliable_changes(trend);
            if reliable.rows.is_empty() {
                changes.paragraphs.push(nw.changes_none.into());
            } else {
                changes.tables.push(("changes".into(), nw.changes.into(), reliable));
            }
        }
    }
    let analysis = Part {
        id: "analysis",
        heading: nw.part3.into(),
        law: nw.part3_law.into(),
        sections: vec![priorities, gaps, changes],
    };
    Document { title: (nw.title)(inputs.organisation, inputs.year), facts, parts: vec![mapping, other, analysis] }
}

#[cfg(test)]
mod tests;
