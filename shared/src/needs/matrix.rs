//! The needs × resources view: for every area and age band of a release, each need that is
//! high or that a resource there addresses, the resources serving there, and the marks the
//! planning group looks for: a **gap** (a high need that no resource serving that area and
//! age band addresses), a **resource with no measured need** (none of its factors is high
//! in any area and age band it serves), and an **age band with no resource** (no resource
//! of the register serves it, in one area or anywhere).
//!
//! The release read here is counted by area × age band with [`crate::group::aggregate::
//! aggregate_by_unit_and_band`] and disclosed by the one gate; every figure in the tables
//! below is a [`Value`] out of it.

use super::high::{high, need, High};
use super::words::NeedsWords;
use crate::api::Resource;
use crate::catalogue::{Catalogue, Factor, FactorKind};
use crate::group::aggregate::aggregate_by_unit_and_band;
use crate::group::gate::{disclose, Disclosed, Mark, Rules, Shown};
use crate::group::key::{Group, Measure};
use crate::group::picture::{Row, Table, Value, Words};
use crate::resources::register::BANDS;
use crate::statistics::StatisticsRecord;

/// A release counted by area × age band and disclosed, with the figures the reader has
/// from other releases of the same records (`published`: the year for everyone, by unit,
/// by age band) held as known, so that nothing hidden here can be worked out from them.
pub fn release(
    records: &[StatisticsRecord],
    catalogue: &Catalogue,
    published: &[&Disclosed],
    rules: &Rules,
) -> Disclosed {
    let mut grid = aggregate_by_unit_and_band(records, catalogue);
    for d in published {
        grid.publish(d);
    }
    disclose(&grid, rules)
}

/// One need in one area and age band.
#[derive(Clone, Debug, PartialEq)]
pub struct NeedRow {
    pub factor: String,
    pub need: Value,
    /// Of those telling of a risk: worried a lot, and wanting help; `None` for a protective
    /// factor, whose lack has no follow-ups.
    pub worried: Option<Value>,
    pub wants_help: Option<Value>,
    pub high: Vec<High>,
    /// The resources serving here that address it, by id.
    pub resources: Vec<String>,
}

impl NeedRow {
    pub fn is_gap(&self) -> bool {
        !self.high.is_empty() && self.resources.is_empty()
    }
}

/// One area and age band.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub unit: Option<String>,
    pub band: Option<String>,
    pub respondents: Value,
    /// Every resource serving here, by id.
    pub serving: Vec<String>,
    /// The needs that are high or addressed here: gaps first, then the other high ones,
    /// then those addressed, each in catalogue order.
    pub rows: Vec<NeedRow>,
}

impl Cell {
    pub fn group(&self) -> Group {
        Group::UnitBand(self.unit.clone(), self.band.clone())
    }

    pub fn gaps(&self) -> impl Iterator<Item = &NeedRow> {
        self.rows.iter().filter(|r| r.is_gap())
    }
}

/// The whole view.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    pub cells: Vec<Cell>,
    /// Resources none of whose factors is high where they serve, by id.
    pub idle: Vec<String>,
    /// Age bands no resource of the register serves anywhere.
    pub bands_without: Vec<String>,
}

fn serves(r: &Resource, unit: Option<&str>, band: Option<&str>) -> bool {
    unit.is_some_and(|u| r.areas.iter().any(|a| a == u)) && band.is_some_and(|b| r.bands.iter().any(|x| x == b))
}

/// The needs of release `now` (made by [`release`]) beside `resources`; `last` is the
/// release before, made the same way, for what has risen.
pub fn matrix(
    now: &Disclosed,
    last: Option<&Disclosed>,
    catalogue: &Catalogue,
    resources: &[Resource],
    threshold: Option<u8>,
) -> Matrix {
    let mut groups: Vec<(Option<String>, Option<String>)> = now
        .cells()
        .filter_map(|(g, m, _)| match (g, m) {
            (Group::UnitBand(u, b), Measure::Respondents) => Some((u.clone(), b.clone())),
            _ => None,
        })
        .collect();
    let band_order = |b: &Option<String>| b.as_deref().and_then(|b| BANDS.iter().position(|x| *x == b));
    groups.sort_by(|a, b| (&a.0, band_order(&a.1)).cmp(&(&b.0, band_order(&b.1))));
    let needs: Vec<&Factor> = catalogue.factors().iter().filter(|f| f.kind != FactorKind::Background).collect();
    let cells: Vec<Cell> = groups
        .into_iter()
        .map(|(unit, band)| {
            let group = Group::UnitBand(unit.clone(), band.clone());
            let serving: Vec<&Resource> =
                resources.iter().filter(|r| serves(r, unit.as_deref(), band.as_deref())).collect();
            let mut rows: Vec<NeedRow> = needs
                .iter()
                .filter_map(|f| {
                    let shown = need(now, &group, f)?;
                    let high = high(now, last, &group, f, threshold);
                    let addressing: Vec<String> =
                        serving.iter().filter(|r| r.factors.contains(&f.id)).map(|r| r.resource_id.clone()).collect();
                    if high.is_empty() && addressing.is_empty() {
                        return None;
                    }
                    let follow = |m: Measure| {
                        (f.kind == FactorKind::Risk)
                            .then(|| Value::Share(now.get(&group, &m).unwrap_or(Shown::Hidden(Mark::SmallGroup))))
                    };
                    Some(NeedRow {
                        factor: f.id.clone(),
                        need: Value::Share(shown),
                        worried: follow(Measure::WorriedALot(f.id.clone())),
                        wants_help: follow(Measure::WantsHelp(f.id.clone())),
                        high,
                        resources: addressing,
                    })
                })
                .collect();
            // Stable: catalogue order within gaps, other high needs, and the rest.
            rows.sort_by_key(|r| (!r.is_gap(), r.high.is_empty()));
            Cell {
                respondents: Value::Count(
                    now.get(&group, &Measure::Respondents).unwrap_or(Shown::Hidden(Mark::SmallGroup)),
                ),
                unit,
                band,
                serving: serving.iter().map(|r| r.resource_id.clone()).collect(),
                rows,
            }
        })
        .collect();
    let idle = resources
        .iter()
        .filter(|r| {
            !cells.iter().any(|c| {
                serves(r, c.unit.as_deref(), c.band.as_deref())
                    && c.rows.iter().any(|row| !row.high.is_empty() && r.factors.contains(&row.factor))
            })
        })
        .map(|r| r.resource_id.clone())
        .collect();
    let bands_without = BANDS
        .iter()
        .filter(|b| !resources.iter().any(|r| r.bands.iter().any(|x| x == *b)))
        .map(|b| b.to_string())
        .collect();
    Matrix { cells, idle, bands_without }
}

/// Why a need is high, in words.
pub fn reasons(high: &[High], w: &NeedsWords) -> String {
    high.iter()
        .map(|h| match h {
            High::AboveRest => w.above_rest.to_string(),
            High::AboveThreshold(p) => (w.above_threshold)(*p),
            High::Rising => w.rising.to_string(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A need's name: the factor's, or for a protective factor what its lack is called.
pub fn need_label(factor: &Factor, w: &NeedsWords) -> String {
    let name = factor.name.get(w.lang).to_string();
    if factor.kind == FactorKind::Protective {
        (w.lacks)(&name)
    } else {
        name
    }
}

/// One area and age band as a table: each need, its share, worry and help wishes, why it
/// is high, and the resources addressing it here (or the gap mark).
pub fn cell_table(cell: &Cell, catalogue: &Catalogue, resource_name: &dyn Fn(&str) -> String, w: &NeedsWords) -> Table {
    let dash = || Value::Text("–".into());
    let rows = cell
        .rows
        .iter()
        .filter_map(|row| {
            let factor = catalogue.get(&row.factor)?;
            let here = if row.is_gap() {
                w.gap.to_string()
            } else if row.resources.is_empty() {
                w.no_gap.to_string()
            } else {
                row.resources.iter().map(|id| resource_name(id)).collect::<Vec<_>>().join(", ")
            };
            Some(Row {
                label: need_label(factor, w),
                factor: Some(row.factor.clone()),
                cells: vec![
                    row.need.clone(),
                    row.worried.clone().unwrap_or_else(dash),
                    row.wants_help.clone().unwrap_or_else(dash),
                    Value::Text(if row.high.is_empty() { "–".into() } else { reasons(&row.high, w) }),
                    Value::Text(here),
                ],
            })
        })
        .collect();
    Table {
        columns: [w.factor, w.need, w.worried_lot, w.wants_help, w.why_high, w.resources_here]
            .map(str::to_string)
            .to_vec(),
        rows,
    }
}

/// Every gap of the view: the area and age band, the need, its share and why it is high.
pub fn gaps_table(
    matrix: &Matrix,
    catalogue: &Catalogue,
    cell_name: &dyn Fn(&Cell) -> String,
    w: &NeedsWords,
) -> Table {
    let rows = matrix
        .cells
        .iter()
        .flat_map(|cell| cell.gaps().map(move |row| (cell, row)))
        .filter_map(|(cell, row)| {
            let factor = catalogue.get(&row.factor)?;
            Some(Row {
                label: cell_name(cell),
                factor: Some(row.factor.clone()),
                cells: vec![Value::Text(need_label(factor, w)), row.need.clone(), Value::Text(reasons(&row.high, w))],
            })
        })
        .collect();
    Table { columns: [w.area_band, w.factor, w.need, w.why_high].map(str::to_string).to_vec(), rows }
}

/// The name of an area and age band: "Västerby, 13–18 år".
pub fn cell_name(cell: &Cell, units: &dyn Fn(&str) -> Option<String>, pw: &Words) -> String {
    crate::group::picture::group_label(&cell.group(), units, pw)
}

#[cfg(test)]
mod tests;
