//! One resource's rules. [`check`] reads a [`ResourceDraft`] field by field against the
//! factor catalogue and the organisation's units and returns every problem at once, so a
//! form or a file row can say all that is wrong in one go; a [`Checked`] resource is one
//! the register may hold. [`duplicates`] finds resources entered twice, by rules stated
//! openly. [`describe`] puts a problem in Swedish or English.

use crate::api::{InputProblem, Problem, Resource, ResourceDraft, ResourceKind, Unit};
use crate::catalogue::{Catalogue, FactorKind};
use std::collections::BTreeMap;

/// The age bands a resource may serve: the instruments' bands.
pub const BANDS: [&str; 3] = ["6-9", "10-12", "13-18"];

/// The longest name and owner, in characters.
pub const MAX_NAME: u32 = 100;
/// The longest opening hours or capacity, and contact, in characters.
pub const MAX_DETAIL: u32 = 200;
/// The most resources one register holds.
pub const MAX_RESOURCES: u32 = 1_000;
/// The longest resource id a file may carry.
pub const MAX_ID: u32 = 64;

/// A resource that passed [`check`]: trimmed, each list in its canonical order without
/// repeats, every id known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked(ResourceDraft);

impl Checked {
    pub fn draft(&self) -> &ResourceDraft {
        &self.0
    }

    /// The register's resource, with its id and the moment of the change.
    pub fn resource(&self, id: &str, now: u64) -> Resource {
        let d = &self.0;
        Resource {
            resource_id: id.to_string(),
            name: d.name.clone(),
            kind: d.kind.unwrap_or(ResourceKind::Other),
            owner: d.owner.clone(),
            areas: d.areas.clone(),
            bands: d.bands.clone(),
            hours: d.hours.clone(),
            contact: d.contact.clone(),
            factors: d.factors.clone(),
            changed_unix: now,
        }
    }
}

/// Whether `id` may name a resource: 1 to [`MAX_ID`] letters, digits, `-` and `_`.
pub fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID as usize
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Checks `draft`; `row` is its row in a file (`None` for a form), carried into each
/// problem.
pub fn check(
    draft: &ResourceDraft,
    catalogue: &Catalogue,
    units: &[Unit],
    row: Option<u64>,
) -> Result<Checked, Vec<InputProblem>> {
    let mut problems = Vec::new();
    let mut fail = |field: &str, problem: Problem| {
        problems.push(InputProblem { row, field: Some(field.to_string()), problem });
    };
    let mut text = |field: &str, value: &str, max: u32, required: bool| -> String {
        let value = value.trim();
        if required && value.is_empty() {
            fail(field, Problem::Empty);
        } else if value.chars().count() > max as usize {
            fail(field, Problem::TooLong(max));
        } else if value.chars().any(char::is_control) {
            fail(field, Problem::Unprintable);
        }
        value.to_string()
    };
    let name = text("name", &draft.name, MAX_NAME, true);
    let owner = text("owner", &draft.owner, MAX_NAME, false);
    let hours = text("hours", &draft.hours, MAX_DETAIL, false);
    let contact = text("contact", &draft.contact, MAX_DETAIL, false);
    if draft.kind.is_none() {
        fail("kind", Problem::Empty);
    }
    // Each list: known values only, none twice, at least one; kept in a stable order.
    let mut list = |field: &str, values: &[String], known: &dyn Fn(&str) -> Result<usize, Problem>| {
        let mut found: BTreeMap<usize, String> = BTreeMap::new();
        for value in values.iter().map(|v| v.trim()) {
            match known(value) {
                Ok(at) => {
                    if found.insert(at, value.to_string()).is_some() {
                        fail(field, Problem::Repeated(value.to_string()));
                    }
                }
                Err(problem) => fail(field, problem),
            }
        }
        if values.is_empty() {
            fail(field, Problem::Empty);
        }
        found.into_values().collect::<Vec<String>>()
    };
    let areas = list("areas", &draft.areas, &|id| {
        units.iter().position(|u| u.unit_id == id).ok_or_else(|| Problem::UnknownArea(id.to_string()))
    });
    let bands = list("age_bands", &draft.bands, &|band| {
        BANDS.iter().position(|b| *b == band).ok_or_else(|| Problem::UnknownBand(band.to_string()))
    });
    let factors = list("factors", &draft.factors, &|id| {
        let at = catalogue.factors().iter().position(|f| f.id == id);
        match at.map(|i| (i, &catalogue.factors()[i])) {
            Some((i, f)) if f.kind != FactorKind::Background => Ok(i),
            Some(_) => Err(Problem::NotAddressable(id.to_string())),
            None => Err(Problem::UnknownFactor(id.to_string())),
        }
    });
    if problems.is_empty() {
        Ok(Checked(ResourceDraft { name, kind: draft.kind, owner, areas, bands, hours, contact, factors }))
    } else {
        Err(problems)
    }
}

/// Text as duplicates are compared: lower case, letters and digits only.
fn folded(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The resources that look entered twice, each with the ids of those it looks like. Two
/// resources look alike when their names are the same once case, spaces and punctuation
/// are set aside, or when they are of the same kind, run by the same owner (not blank),
/// for the same areas and the same age bands.
pub fn duplicates(resources: &[Resource]) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (i, a) in resources.iter().enumerate() {
        for b in &resources[i + 1..] {
            let same_name = folded(&a.name) == folded(&b.name);
            let same_work = a.kind == b.kind
                && !folded(&a.owner).is_empty()
                && folded(&a.owner) == folded(&b.owner)
                && a.areas == b.areas
                && a.bands == b.bands;
            if same_name || same_work {
                out.entry(a.resource_id.clone()).or_default().push(b.resource_id.clone());
                out.entry(b.resource_id.clone()).or_default().push(a.resource_id.clone());
            }
        }
    }
    out
}

/// What a field is called, for people.
pub fn field_label(field: &str, lang: &str) -> &'static str {
    let sv = lang == "sv";
    match field {
        "id" => "id",
        "name" if sv => "Namn",
        "name" => "Name",
        "kind" if sv => "Typ",
        "kind" => "Kind",
        "owner" if sv => "Huvudman",
        "owner" => "Run by",
        "areas" if sv => "Områden",
        "areas" => "Areas",
        "age_bands" if sv => "Åldersgrupper",
        "age_bands" => "Age bands",
        "hours" if sv => "Öppettider eller kapacitet",
        "hours" => "Opening hours or capacity",
        "contact" if sv => "Kontakt",
        "contact" => "Contact",
        "factors" if sv => "Faktorer",
        "factors" => "Factors",
        "why" if sv => "Varför",
        "why" => "Why",
        "rounds" if sv => "Omgångar",
        "rounds" => "Rounds",
        _ if sv => "Fält",
        _ => "Field",
    }
}

/// A kind of resource, for people.
pub fn kind_label(kind: ResourceKind, lang: &str) -> &'static str {
    let (sv, en) = match kind {
        ResourceKind::YouthCentre => ("Fritidsgård", "Youth centre"),
        ResourceKind::Sport => ("Idrott och föreningsliv", "Sport and clubs"),
        ResourceKind::Culture => ("Kultur och musik", "Culture and music"),
        ResourceKind::Library => ("Bibliotek", "Library"),
        ResourceKind::FieldWorkers => ("Fältarbete", "Field workers"),
        ResourceKind::ParentSupport => ("Föräldrastöd", "Parent support"),
        ResourceKind::SchoolHealth => ("Elevhälsa", "School health team"),
        ResourceKind::SocialServices => ("Socialtjänst", "Social services"),
        ResourceKind::Other => ("Annat", "Other"),
    };
    if lang == "sv" {
        sv
    } else {
        en
    }
}

/// A problem in plain words, with its row and field: "Rad 3, Faktorer: …".
pub fn describe(p: &InputProblem, lang: &str) -> String {
    let sv = lang == "sv";
    let what = match (&p.problem, sv) {
        (Problem::Empty, true) => "får inte vara tomt".to_string(),
        (Problem::Empty, false) => "must not be empty".to_string(),
        (Problem::TooLong(max), true) => format!("får vara högst {max} tecken"),
        (Problem::TooLong(max), false) => format!("may be at most {max} characters"),
        (Problem::Unprintable, true) => "innehåller tecken som inte går att skriva ut".to_string(),
        (Problem::Unprintable, false) => "holds characters that cannot be printed".to_string(),
        (Problem::UnknownKind(v), true) => {
            format!("okänd typ \"{v}\" (tillåtna: {})", kinds())
        }
        (Problem::UnknownKind(v), false) => format!("unknown kind \"{v}\" (allowed: {})", kinds()),
        (Problem::UnknownArea(v), true) => format!("organisationen har inget område \"{v}\""),
        (Problem::UnknownArea(v), false) => format!("the organisation has no area \"{v}\""),
        (Problem::AmbiguousArea(v), true) => format!("flera områden heter \"{v}\"; skriv områdets id"),
        (Problem::AmbiguousArea(v), false) => format!("several areas are called \"{v}\"; write the area's id"),
        (Problem::UnknownBand(v), true) => format!("okänd åldersgrupp \"{v}\" (tillåtna: {})", BANDS.join(", ")),
        (Problem::UnknownBand(v), false) => format!("unknown age band \"{v}\" (allowed: {})", BANDS.join(", ")),
        (Problem::UnknownFactor(v), true) => format!("okänd faktor \"{v}\""),
        (Problem::UnknownFactor(v), false) => format!("unknown factor \"{v}\""),
        (Problem::NotAddressable(v), true) => {
            format!("\"{v}\" är en bakgrundsfaktor, inget behov som en resurs kan möta")
        }
        (Problem::NotAddressable(v), false) => format!("\"{v}\" is a background factor, not a need to address"),
        (Problem::Repeated(v), true) => format!("\"{v}\" står två gånger"),
        (Problem::Repeated(v), false) => format!("\"{v}\" is there twice"),
        (Problem::BadId(v), true) => format!("\"{v}\" är inget giltigt id (bokstäver, siffror, - och _)"),
        (Problem::BadId(v), false) => format!("\"{v}\" is no valid id (letters, digits, - and _)"),
        (Problem::MissingColumn, true) => "kolumnen saknas i rubrikraden".to_string(),
        (Problem::MissingColumn, false) => "the column is missing from the heading".to_string(),
        (Problem::UnknownColumn(v), true) => format!("okänd kolumn \"{v}\""),
        (Problem::UnknownColumn(v), false) => format!("unknown column \"{v}\""),
        (Problem::FieldCount { found, expected }, true) => {
            format!("raden har {found} fält, rubrikraden {expected}")
        }
        (Problem::FieldCount { found, expected }, false) => {
            format!("the row has {found} fields, the heading {expected}")
        }
        (Problem::Malformed, true) => "raden går inte att läsa som CSV".to_string(),
        (Problem::Malformed, false) => "the row cannot be read as CSV".to_string(),
        (Problem::TooManyRows(max), true) => format!("filen får ha högst {max} resurser"),
        (Problem::TooManyRows(max), false) => format!("the file may hold at most {max} resources"),
        (Problem::HowMany { least, most }, true) => format!("välj mellan {least} och {most}"),
        (Problem::HowMany { least, most }, false) => format!("choose from {least} to {most}"),
        (Problem::TooLarge(max), true) => format!("filen får vara högst {} kB", max / 1024),
        (Problem::TooLarge(max), false) => format!("the file may be at most {} kB", max / 1024),
        (Problem::NoRows, true) => "filen har inga resurser".to_string(),
        (Problem::NoRows, false) => "the file holds no resources".to_string(),
    };
    let field = p.field.as_deref().map(|f| field_label(f, lang));
    let place = match (p.row, field, sv) {
        (Some(row), Some(field), true) => format!("Rad {row}, {field}: "),
        (Some(row), Some(field), false) => format!("Row {row}, {field}: "),
        (Some(row), None, true) => format!("Rad {row}: "),
        (Some(row), None, false) => format!("Row {row}: "),
        (None, Some(field), _) => format!("{field}: "),
        (None, None, true) => "Filen: ".to_string(),
        (None, None, false) => "The file: ".to_string(),
    };
    format!("{place}{what}.")
}

fn kinds() -> String {
    ResourceKind::ALL.iter().map(|k| k.name()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
pub(crate) mod tests;
