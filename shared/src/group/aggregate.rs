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
use crate::catalogue::{Catalogue, FactorKind, Level};
use crate::scoring::{HelpWish, HowOften, Worry};
use crate::statistics::{ProtectiveState, RiskState, StatisticsRecord};
use std::collections::{BTreeMap, BTreeSet};

/// A way to split the children into groups. Only these are offered, so that two
/// overlapping ad-hoc filters can never be subtracted from each other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Breakdown {
    /// The unit (school, area) the round was run in.
    Unit,
    Gender,
    AgeBand,
}

impl Breakdown {
    pub const ALL: [Breakdown; 3] = [Breakdown::Unit, Breakdown::Gender, Breakdown::AgeBand];

    /// The record's group in this breakdown; `None` when the record does not say (such
    /// children form a group "not stated" of their own, so that groups add up to everyone).
    pub fn key(self, record: &StatisticsRecord) -> Option<&str> {
        match self {
            Breakdown::Unit => record.unit.as_deref(),
            Breakdown::Gender => record.gender.as_deref(),
            Breakdown::AgeBand => record.age_band.as_deref(),
        }
    }
}

/// A group: everyone, or one value of one breakdown (`None` is "not stated").
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    Everyone,
    Of(Breakdown, Option<String>),
}

/// One figure of one group.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Measure {
    Respondents,
    Unfinished,
    Acute,
    Asked(String),
    Endorsed(String),
    WorriedALittle(String),
    WorriedALot(String),
    WantsHelp(String),
    Often(String),
    Present(String),
    DomainAsked(Level),
    AnyRisk(Level),
}

impl Measure {
    /// The measure this one is a share of, if it is a share.
    pub fn base(&self) -> Option<Measure> {
        Some(match self {
            Measure::Respondents | Measure::Unfinished | Measure::Acute => return None,
            Measure::Asked(_) | Measure::DomainAsked(_) => Measure::Respondents,
            Measure::Endorsed(f) | Measure::Present(f) => Measure::Asked(f.clone()),
            Measure::WorriedALittle(f) | Measure::WorriedALot(f) | Measure::WantsHelp(f) | Measure::Often(f) => {
                Measure::Endorsed(f.clone())
            }
            Measure::AnyRisk(level) => Measure::DomainAsked(*level),
        })
    }
}

/// The children of one group, counted.
#[derive(Clone, Debug, Default)]
struct Tally {
    counts: BTreeMap<Measure, u32>,
    /// Children in the group, finished or not (the base of `Acute`; never shown).
    children: u32,
}

impl Tally {
    fn add(&mut self, record: &StatisticsRecord, catalogue: &Catalogue) {
        let mut bump = |m: Measure| *self.counts.entry(m).or_insert(0) += 1;
        if record.acute {
            bump(Measure::Acute);
        }
        if !record.finished {
            bump(Measure::Unfinished);
        } else {
            bump(Measure::Respondents);
            let mut domains_asked = BTreeSet::new();
            let mut domains_risk = BTreeSet::new();
            for (factor, state) in &record.risks {
                let level = catalogue.get(factor).map(|f| f.level);
                if matches!(state, RiskState::Declined) {
                    continue;
                }
                bump(Measure::Asked(factor.clone()));
                domains_asked.extend(level);
                if let RiskState::Yes { how_often, worry, wants_help } = state {
                    domains_risk.extend(level);
                    bump(Measure::Endorsed(factor.clone()));
                    match worry {
                        Some(Worry::ALittle) => bump(Measure::WorriedALittle(factor.clone())),
                        Some(Worry::ALot) => bump(Measure::WorriedALot(factor.clone())),
                        _ => {}
                    }
                    if *wants_help == Some(HelpWish::Yes) {
                        bump(Measure::WantsHelp(factor.clone()));
                    }
                    if matches!(how_often, Some(HowOften::Often | HowOften::VeryOften)) {
                        bump(Measure::Often(factor.clone()));
                    }
                }
            }
            for (factor, state) in &record.protective {
                match state {
                    ProtectiveState::Declined => {}
                    ProtectiveState::Absent => bump(Measure::Asked(factor.clone())),
                    ProtectiveState::Present => {
                        bump(Measure::Asked(factor.clone()));
                        bump(Measure::Present(factor.clone()));
                    }
                }
            }
            for level in domains_asked {
                bump(Measure::DomainAsked(level));
            }
            for level in domains_risk {
                bump(Measure::AnyRisk(level));
            }
        }
        self.children += 1;
    }

    fn get(&self, m: &Measure) -> u32 {
        self.counts.get(m).copied().unwrap_or(0)
    }
}

/// Every measure the records and the catalogue call for: for each factor any record was
/// asked about, all of its measures, so that a group with no child endorsing still shows 0.
fn measures(records: &[StatisticsRecord], catalogue: &Catalogue) -> Vec<Measure> {
    let mut risks = BTreeSet::new();
    let mut protective = BTreeSet::new();
    for r in records {
        risks.extend(r.risks.keys().cloned());
        protective.extend(r.protective.keys().cloned());
    }
    let mut out = vec![Measure::Respondents, Measure::Unfinished, Measure::Acute];
    let mut levels = BTreeSet::new();
    for f in risks {
        if let Some(factor) = catalogue.get(&f).filter(|x| x.kind == FactorKind::Risk) {
            levels.insert(factor.level);
        }
        out.extend([
            Measure::Asked(f.clone()),
            Measure::Endorsed(f.clone()),
            Measure::WorriedALittle(f.clone()),
            Measure::WorriedALot(f.clone()),
            Measure::WantsHelp(f.clone()),
            Measure::Often(f),
        ]);
    }
    for f in protective {
        out.extend([Measure::Asked(f.clone()), Measure::Present(f)]);
    }
    for level in levels {
        out.extend([Measure::DomainAsked(level), Measure::AnyRisk(level)]);
    }
    out
}

/// Counts `records` for everyone and for every group of each of `breakdowns`, which are
/// shown together (so their sums are tied through the shared total).
pub fn aggregate(records: &[StatisticsRecord], catalogue: &Catalogue, breakdowns: &[Breakdown]) -> Grid {
    let mut tallies: BTreeMap<Group, Tally> = BTreeMap::new();
    tallies.entry(Group::Everyone).or_default();
    for record in records {
        tallies.entry(Group::Everyone).or_default().add(record, catalogue);
        for &b in breakdowns {
            let key = b.key(record).map(str::to_string);
            tallies.entry(Group::Of(b, key)).or_default().add(record, catalogue);
        }
    }
    let measures = measures(records, catalogue);
    let mut grid = Grid::default();
    // Each group's cells, with the rests of its shares and its acute base.
    let mut ids: BTreeMap<(Group, Measure), CellId> = BTreeMap::new();
    for (group, tally) in &tallies {
        for m in &measures {
            let id = grid.shown_cell(group.clone(), m.clone(), tally.get(m));
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
                    let rest = tally.get(&base) - tally.get(m) - tally.get(&Measure::WorriedALot(f.clone()));
                    let rest = grid.hidden_cell(group.clone(), rest, true);
                    grid.relate(Relation::sum(base_id, &[part, lot, rest]));
                }
                _ => {
                    // Those not asked an item are not protected (see the gate's cells).
                    let protected = !matches!(m, Measure::Asked(_) | Measure::DomainAsked(_));
                    let rest = grid.hidden_cell(group.clone(), tally.get(&base) - tally.get(m), protected);
                    grid.relate(Relation::sum(base_id, &[part, rest]));
                }
            }
        }
        // Respondents + unfinished = every child = acute + the rest.
        let rest = grid.hidden_cell(group.clone(), tally.children - tally.get(&Measure::Acute), true);
        let (respondents, unfinished, acute) = (
            ids[&(group.clone(), Measure::Respondents)],
            ids[&(group.clone(), Measure::Unfinished)],
            ids[&(group.clone(), Measure::Acute)],
        );
        grid.relate(Relation::equal(&[respondents, unfinished], &[acute, rest]));
    }
    // Each breakdown's groups add up to everyone, measure by measure.
    for &b in breakdowns {
        let groups: Vec<&Group> = tallies.keys().filter(|g| matches!(g, Group::Of(x, _) if *x == b)).collect();
        for m in &measures {
            let parts: Vec<CellId> = groups.iter().map(|g| ids[&((*g).clone(), m.clone())]).collect();
            grid.relate(Relation::sum(ids[&(Group::Everyone, m.clone())], &parts));
        }
    }
    grid.set_measures(measures);
    grid
}
