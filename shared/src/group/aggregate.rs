//! Counting opened statistics records into a [`Grid`]: every figure a group picture may show,
//! per group of each breakdown shown together and for everyone, with the sums that tie them.
//!
//! The counts stay inside this crate: a [`Grid`] has no public way to read one. The only
//! way out is [`super::gate::disclose`], which decides what may be shown.
//!
//! What is counted, per group:
//! - `Respondents`: children who finished (the n of every share); `Unfinished`; `Acute`
//!   (children with an acute answer, finished or not);
//! - per risk factor, among respondents: `Asked`, `Endorsed`, and of those endorsing it
//!   `WorriedALittle`, `WorriedALot`, `WantsHelp` and `Often` (often or very often);
//! - per protective factor: `Asked` and `Present`;
//! - per domain (the catalogue's level): `DomainAsked` (asked of at least one of its risks)
//!   and `AnyRisk` (endorsed at least one).
//!
//! Each share is a part of its base, and the rest of the base (not endorsed, not worried…)
//! is a cell too: never shown, but counted, so that the gate can keep it from being worked
//! out by subtraction when it is small.

use super::gate::{CellId, Grid, Relation};
use super::key::{Breakdown, Group, Measure};
use crate::catalogue::Level;
use crate::catalogue::{Catalogue, FactorKind};
use crate::scoring::{HelpWish, HowOften, Worry};
use crate::statistics::{ProtectiveState, RiskState, StatisticsRecord};
use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The children of one group, counted by measure position.
#[derive(Clone, Debug)]
struct Tally {
    counts: Vec<u32>,
    /// Children in the group, finished or not (the base of `Acute`; never shown).
    children: u32,
}

/// Where each factor's measures sit in the list of measures.
struct Slots<'a> {
    /// The six measures of a risk, and its domain.
    risks: HashMap<&'a str, ([usize; 6], Option<Level>)>,
    protective: HashMap<&'a str, [usize; 2]>,
    levels: HashMap<Level, [usize; 2]>,
    measures: Vec<Measure>,
}

const RESPONDENTS: usize = 0;
const UNFINISHED: usize = 1;
const ACUTE: usize = 2;

/// Every measure the records call for: for each factor any record was asked about, all of
/// its measures, so that a group with no child endorsing still shows 0.
fn slots<'a, R: Borrow<StatisticsRecord>>(records: &'a [R], catalogue: &Catalogue) -> Slots<'a> {
    let mut risk_ids = BTreeSet::new();
    let mut protective_ids = BTreeSet::new();
    for r in records.iter().map(Borrow::borrow) {
        risk_ids.extend(r.risks.keys().map(String::as_str));
        protective_ids.extend(r.protective.keys().map(String::as_str));
    }
    let mut measures = vec![Measure::Respondents, Measure::Unfinished, Measure::Acute];
    let mut push = |m: Measure| {
        measures.push(m);
        measures.len() - 1
    };
    let mut risks = HashMap::new();
    let mut levels = BTreeSet::new();
    for f in risk_ids {
        let level = catalogue.get(f).filter(|x| x.kind == FactorKind::Risk).map(|x| x.level);
        levels.extend(level);
        let owned = f.to_string();
        let slots = [
            push(Measure::Asked(owned.clone())),
            push(Measure::Endorsed(owned.clone())),
            push(Measure::WorriedALittle(owned.clone())),
            push(Measure::WorriedALot(owned.clone())),
            push(Measure::WantsHelp(owned.clone())),
            push(Measure::Often(owned)),
        ];
        risks.insert(f, (slots, level));
    }
    let mut protective = HashMap::new();
    for f in protective_ids {
        protective.insert(f, [push(Measure::Asked(f.to_string())), push(Measure::Present(f.to_string()))]);
    }
    let levels = levels.into_iter().map(|l| (l, [push(Measure::DomainAsked(l)), push(Measure::AnyRisk(l))])).collect();
    Slots { risks, protective, levels, measures }
}

/// The measures one record adds 1 to.
fn bumps(record: &StatisticsRecord, slots: &Slots, out: &mut Vec<usize>) {
    out.clear();
    if record.acute {
        out.push(ACUTE);
    }
    if !record.finished {
        out.push(UNFINISHED);
        return;
    }
    out.push(RESPONDENTS);
    let mut domains_asked: Vec<Level> = Vec::new();
    let mut domains_risk: Vec<Level> = Vec::new();
    for (factor, state) in &record.risks {
        let Some(&([asked, endorsed, little, lot, help, often], level)) = slots.risks.get(factor.as_str()) else {
            continue;
        };
        if matches!(state, RiskState::Declined) {
            continue;
        }
        out.push(asked);
        domains_asked.extend(level);
        if let RiskState::Yes { how_often, worry, wants_help } = state {
            domains_risk.extend(level);
            out.push(endorsed);
            match worry {
                Some(Worry::ALittle) => out.push(little),
                Some(Worry::ALot) => out.push(lot),
                _ => {}
            }
            if *wants_help == Some(HelpWish::Yes) {
                out.push(help);
            }
            if matches!(how_often, Some(HowOften::Often | HowOften::VeryOften)) {
                out.push(often);
            }
        }
    }
    for (factor, state) in &record.protective {
        let Some(&[asked, present]) = slots.protective.get(factor.as_str()) else { continue };
        match state {
            ProtectiveState::Declined => {}
            ProtectiveState::Absent => out.push(asked),
            ProtectiveState::Present => out.extend([asked, present]),
        }
    }
    for domains in [&mut domains_asked, &mut domains_risk] {
        domains.sort_unstable();
        domains.dedup();
    }
    out.extend(domains_asked.iter().filter_map(|l| slots.levels.get(l)).map(|s| s[0]));
    out.extend(domains_risk.iter().filter_map(|l| slots.levels.get(l)).map(|s| s[1]));
}

/// Counts `records` (owned or borrowed) for everyone and for every group of each of `breakdowns`, which are
/// shown together (so their sums are tied through the shared total).
pub fn aggregate<R: Borrow<StatisticsRecord>>(records: &[R], catalogue: &Catalogue, breakdowns: &[Breakdown]) -> Grid {
    count(
        records,
        catalogue,
        &|record| breakdowns.iter().map(|&b| Group::Of(b, b.key(record).map(str::to_string))).collect(),
        &|group| match group {
            Group::Of(..) => vec![Group::Everyone],
            _ => Vec::new(),
        },
    )
}

/// Counts `records` for everyone, each unit, each age band and each unit's age band (the
/// needs view's area × age band), with every sum that ties them: the units add up to
/// everyone, so do the age bands, and a unit's age bands add up to the unit as a band's
/// units add up to the band. So a hidden count of one area's age band cannot be worked out
/// from the area's total and its other bands.
pub fn aggregate_by_unit_and_band<R: Borrow<StatisticsRecord>>(records: &[R], catalogue: &Catalogue) -> Grid {
    count(
        records,
        catalogue,
        &|record| {
            let (unit, band) = (record.unit.clone(), record.age_band.clone());
            vec![
                Group::Of(Breakdown::Unit, unit.clone()),
                Group::Of(Breakdown::AgeBand, band.clone()),
                Group::UnitBand(unit, band),
            ]
        },
        &|group| match group {
            Group::Of(..) => vec![Group::Everyone],
            Group::UnitBand(unit, band) => {
                vec![Group::Of(Breakdown::Unit, unit.clone()), Group::Of(Breakdown::AgeBand, band.clone())]
            }
            _ => Vec::new(),
        },
    )
}

/// Counts `records` for everyone and for the groups `groups_of` puts each record in;
/// `totals_of` names the groups a group is one part of (each total is the sum of its
/// parts, measure by measure).
fn count<R: Borrow<StatisticsRecord>>(
    records: &[R],
    catalogue: &Catalogue,
    groups_of: &dyn Fn(&StatisticsRecord) -> Vec<Group>,
    totals_of: &dyn Fn(&Group) -> Vec<Group>,
) -> Grid {
    let slots = slots(records, catalogue);
    let empty = || Tally { counts: vec![0; slots.measures.len()], children: 0 };
    let mut tallies: BTreeMap<Group, Tally> = BTreeMap::new();
    tallies.insert(Group::Everyone, empty());
    let mut scratch = Vec::new();
    for record in records.iter().map(Borrow::borrow) {
        bumps(record, &slots, &mut scratch);
        let count = |tally: &mut Tally| {
            tally.children += 1;
            for &m in &scratch {
                tally.counts[m] += 1;
            }
        };
        count(tallies.get_mut(&Group::Everyone).expect("inserted above"));
        for group in groups_of(record) {
            count(tallies.entry(group).or_insert_with(empty));
        }
    }
    let measures = slots.measures;
    let position: HashMap<&Measure, usize> = measures.iter().enumerate().map(|(i, m)| (m, i)).collect();
    let mut grid = Grid::default();
    // Each group's cells, with the rests of its shares and its acute base.
    let mut ids: BTreeMap<(Group, Measure), CellId> = BTreeMap::new();
    for (group, tally) in &tallies {
        for m in &measures {
            let id = grid.shown_cell(group.clone(), m.clone(), tally.counts[position[m]]);
            ids.insert((group.clone(), m.clone()), id);
        }
        for m in &measures {
            let Some(base) = m.base() else { continue };
            let (part, base_id) = (ids[&(group.clone(), m.clone())], ids[&(group.clone(), base.clone())]);
            grid.set_base(part, base_id);
            // The worry answers split one base three ways: a little, a lot, and the rest.
            match m {
                Measure::WorriedALot(_) => continue,
                Measure::WorriedALittle(f) => {
                    let lot = ids[&(group.clone(), Measure::WorriedALot(f.clone()))];
                    let rest = tally.counts[position[&base]]
                        - tally.counts[position[m]]
                        - tally.counts[position[&Measure::WorriedALot(f.clone())]];
                    let rest = grid.hidden_cell(group.clone(), rest, true);
                    grid.relate(Relation::sum(base_id, &[part, lot, rest]));
                }
                _ => {
                    // Those not asked an item are not protected (see the gate's cells).
                    let protected = !matches!(m, Measure::Asked(_) | Measure::DomainAsked(_));
                    let rest = grid.hidden_cell(
                        group.clone(),
                        tally.counts[position[&base]] - tally.counts[position[m]],
                        protected,
                    );
                    grid.relate(Relation::sum(base_id, &[part, rest]));
                }
            }
        }
        // Respondents + unfinished = every child = acute + the rest.
        let rest = grid.hidden_cell(group.clone(), tally.children - tally.counts[ACUTE], true);
        let (respondents, unfinished, acute) = (
            ids[&(group.clone(), Measure::Respondents)],
            ids[&(group.clone(), Measure::Unfinished)],
            ids[&(group.clone(), Measure::Acute)],
        );
        grid.relate(Relation::equal(&[respondents, unfinished], &[acute, rest]));
    }
    // Each total is the sum of its parts, measure by measure: a breakdown's groups add up
    // to everyone (each breakdown on its own, since every record is in one group of each).
    let mut parts: BTreeMap<(Group, u8), Vec<&Group>> = BTreeMap::new();
    for group in tallies.keys() {
        for total in totals_of(group) {
            // Parts of one total that split it different ways are summed apart.
            let way = match group {
                Group::Of(b, _) => *b as u8,
                _ => u8::MAX,
            };
            parts.entry((total, way)).or_default().push(group);
        }
    }
    for ((total, _), groups) in &parts {
        for m in &measures {
            let cells: Vec<CellId> = groups.iter().map(|g| ids[&((*g).clone(), m.clone())]).collect();
            grid.relate(Relation::sum(ids[&(total.clone(), m.clone())], &cells));
        }
    }
    grid.set_measures(measures);
    grid
}
