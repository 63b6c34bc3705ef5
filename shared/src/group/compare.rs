//! Comparisons: a figure against the same figure of an earlier release (year to year), and
//! a risk before and after an intervention, paired by pseudonym where a child answered both
//! rounds and unpaired for the rest. Every count a comparison rests on has passed the gate
//! ([`super::gate::disclose`]): a year-to-year change reads two figures already disclosed,
//! and a before/after comparison is counted into a grid of its own, tied to both rounds'
//! totals, so that a paired table cannot be used to work out a small count in a round.
//!
//! A change is *reliable* when its 95% interval leaves zero; otherwise it is "no reliable
//! change", however large the estimate.

use super::gate::{disclose, Disclosed, Grid, Relation, Rules, Shown};
use super::interval::{difference, mcnemar_exact, paired_difference, smallest_detectable, Interval, Paired};
use super::key::{Cohort, Group, Measure, Transition};
use crate::statistics::{Pseudonym, RiskState, StatisticsRecord};
use std::collections::BTreeMap;

/// A change between two shares.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Change {
    /// Later minus earlier, as a share (−1 to 1), with its 95% interval.
    pub difference: Interval,
    /// Paired (McNemar's exact test) or independent groups.
    pub design: Design,
    /// The smallest change groups of these sizes could call reliable, near this share.
    pub smallest_detectable: Option<f64>,
}

impl Change {
    /// Whether the interval leaves zero.
    pub fn reliable(&self) -> bool {
        !self.difference.holds_zero()
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Design {
    Independent,
    Paired { pairs: u32, p_value: f64 },
}

/// A comparison, or why there is none.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Compared {
    Change(Change),
    /// A figure it needs did not pass the gate.
    Hidden,
    /// A group it needs has no children.
    Empty,
}

/// `measure` of `group` in `later` against `earlier`: both must be shown shares.
pub fn between_releases(earlier: &Disclosed, later: &Disclosed, group: &Group, measure: &Measure) -> Compared {
    let share = |d: &Disclosed| match d.get(group, measure) {
        Some(Shown::Figure(f)) => f.base.map(|base| (f.count, base)),
        _ => None,
    };
    let (Some((a, n_a)), Some((b, n_b))) = (share(later), share(earlier)) else {
        return Compared::Hidden;
    };
    independent(a, n_a, b, n_b)
}

fn independent(a: u32, n_a: u32, b: u32, n_b: u32) -> Compared {
    let Some(d) = difference(a, n_a, b, n_b) else { return Compared::Empty };
    let pooled = f64::from(a + b) / f64::from(n_a + n_b);
    Compared::Change(Change {
        difference: d,
        design: Design::Independent,
        smallest_detectable: smallest_detectable(pooled, n_a, n_b),
    })
}

/// A risk before and after an intervention.
#[derive(Clone, Debug)]
pub struct BeforeAfter {
    /// The paired children's change, if the gate lets it out.
    pub paired: Compared,
    /// The change between the children who answered only one of the rounds.
    pub unpaired: Compared,
    /// What the gate let out of the comparison's own grid, for the table beside it.
    pub disclosed: Disclosed,
}

/// Whether a finished record tells of `factor`: `None` when it was not asked or declined.
fn endorses(record: &StatisticsRecord, factor: &str) -> Option<bool> {
    if !record.finished {
        return None;
    }
    match record.risks.get(factor)? {
        RiskState::Declined => None,
        RiskState::No => Some(false),
        RiskState::Yes { .. } => Some(true),
    }
}

/// Compares `factor` between a round `before` an intervention and one `after` it. A child
/// whose pseudonym answered the factor exactly once in each round is paired; everyone else
/// is compared unpaired.
pub fn before_after(
    before: &[StatisticsRecord],
    after: &[StatisticsRecord],
    factor: &str,
    rules: &Rules,
) -> BeforeAfter {
    let answers = |records: &[StatisticsRecord]| -> (Vec<(Pseudonym, bool)>, BTreeMap<Pseudonym, u32>) {
        let told: Vec<(Pseudonym, bool)> =
            records.iter().filter_map(|r| endorses(r, factor).map(|yes| (r.pseudonym, yes))).collect();
        let mut seen = BTreeMap::new();
        for (p, _) in &told {
            *seen.entry(*p).or_insert(0) += 1;
        }
        (told, seen)
    };
    let (told_before, seen_before) = answers(before);
    let (told_after, seen_after) = answers(after);
    let once = |seen: &BTreeMap<Pseudonym, u32>, p: &Pseudonym| seen.get(p) == Some(&1);
    let pairable = |p: &Pseudonym| once(&seen_before, p) && once(&seen_after, p);
    let after_of: BTreeMap<Pseudonym, bool> = told_after.iter().filter(|(p, _)| pairable(p)).copied().collect();

    let mut table = Paired::default();
    let (mut only_before, mut only_before_yes) = (0, 0);
    for (p, yes) in &told_before {
        match after_of.get(p) {
            Some(&later) => match (*yes, later) {
                (true, true) => table.both += 1,
                (true, false) => table.only_before += 1,
                (false, true) => table.only_after += 1,
                (false, false) => table.neither += 1,
            },
            None => {
                only_before += 1;
                only_before_yes += u32::from(*yes);
            }
        }
    }
    let unpaired_after: Vec<bool> = told_after.iter().filter(|(p, _)| !pairable(p)).map(|(_, yes)| *yes).collect();
    let (only_after, only_after_yes) =
        (unpaired_after.len() as u32, unpaired_after.iter().filter(|&&yes| yes).count() as u32);

    let grid = comparison_grid(
        factor,
        table,
        (told_before.len() as u32, told_before.iter().filter(|(_, y)| *y).count() as u32),
        (told_after.len() as u32, told_after.iter().filter(|(_, y)| *y).count() as u32),
        (only_before, only_before_yes),
        (only_after, only_after_yes),
    );
    let disclosed = disclose(&grid, rules);

    let moved = |t: Transition| match disclosed.get(&Group::Cohort(Cohort::Paired), &Measure::Moved(factor.into(), t)) {
        Some(Shown::Figure(f)) => Some(f.count),
        _ => None,
    };
    let paired = match (
        moved(Transition::Both),
        moved(Transition::Stopped),
        moved(Transition::Started),
        moved(Transition::Neither),
    ) {
        (Some(both), Some(only_before), Some(only_after), Some(neither)) => {
            let shown = Paired { both, only_before, only_after, neither };
            match paired_difference(shown) {
                Some(d) => {
                    let n = shown.n();
                    let before_share = f64::from(both + only_before) / f64::from(n);
                    Compared::Change(Change {
                        difference: d,
                        design: Design::Paired { pairs: n, p_value: mcnemar_exact(shown) },
                        // A paired design detects at least what independent groups of the
                        // same size would: the independent figure is a cautious bound.
                        smallest_detectable: smallest_detectable(before_share, n, n),
                    })
                }
                None => Compared::Empty,
            }
        }
        _ if table.n() == 0 => Compared::Empty,
        _ => Compared::Hidden,
    };
    let endorsed = |cohort: Cohort| match disclosed.get(&Group::Cohort(cohort), &Measure::Endorsed(factor.into())) {
        Some(Shown::Figure(f)) => f.base.map(|base| (f.count, base)),
        _ => None,
    };
    let unpaired = match (endorsed(Cohort::OnlyAfter), endorsed(Cohort::OnlyBefore)) {
        (Some((a, n_a)), Some((b, n_b))) => independent(a, n_a, b, n_b),
        _ if only_before == 0 || only_after == 0 => Compared::Empty,
        _ => Compared::Hidden,
    };
    BeforeAfter { paired, unpaired, disclosed }
}

/// The comparison's cells and the sums that tie them to both rounds' totals: each round's
/// endorsed children are the paired ones who endorsed then plus the unpaired ones.
fn comparison_grid(
    factor: &str,
    table: Paired,
    before: (u32, u32),
    after: (u32, u32),
    only_before: (u32, u32),
    only_after: (u32, u32),
) -> Grid {
    let mut grid = Grid::default();
    let asked = Measure::Asked(factor.into());
    let endorsed = Measure::Endorsed(factor.into());
    // One group with n asked and `yes` endorsing: its size, the asked, the endorsed and
    // the rest; returns (size, endorsed). A round's own figures are known to the reader
    // from its release (which passed the gate on its own), so they stay shown here and
    // their rest is that release's to protect.
    let group = |grid: &mut Grid, cohort: Cohort, (n, yes): (u32, u32), known: bool| {
        let g = Group::Cohort(cohort);
        let cell = |grid: &mut Grid, m: Measure, v: u32| {
            if known {
                grid.known_cell(g.clone(), m, v)
            } else {
                grid.shown_cell(g.clone(), m, v)
            }
        };
        let size = cell(grid, Measure::Respondents, n);
        let asked_id = cell(grid, asked.clone(), n);
        grid.set_base(asked_id, size);
        grid.relate(Relation::equal(&[size], &[asked_id]));
        let yes_id = cell(grid, endorsed.clone(), yes);
        grid.set_base(yes_id, asked_id);
        let rest = grid.hidden_cell(g.clone(), n - yes, !known);
        grid.relate(Relation::sum(asked_id, &[yes_id, rest]));
        (size, yes_id)
    };
    let (before_size, before_yes) = group(&mut grid, Cohort::Before, before, true);
    let (after_size, after_yes) = group(&mut grid, Cohort::After, after, true);
    let (only_before_size, only_before_yes) = group(&mut grid, Cohort::OnlyBefore, only_before, false);
    let (only_after_size, only_after_yes) = group(&mut grid, Cohort::OnlyAfter, only_after, false);

    let paired = Group::Cohort(Cohort::Paired);
    let pairs = grid.shown_cell(paired.clone(), Measure::Respondents, table.n());
    let mut moved = |t: Transition, value: u32| {
        let id = grid.shown_cell(paired.clone(), Measure::Moved(factor.into(), t), value);
        grid.set_base(id, pairs);
        id
    };
    let both = moved(Transition::Both, table.both);
    let stopped = moved(Transition::Stopped, table.only_before);
    let started = moved(Transition::Started, table.only_after);
    let neither = moved(Transition::Neither, table.neither);
    grid.relate(Relation::sum(pairs, &[both, stopped, started, neither]));
    // Each round: its children are the pairs plus its unpaired ones, and so are its yeses.
    grid.relate(Relation::sum(before_size, &[pairs, only_before_size]));
    grid.relate(Relation::sum(after_size, &[pairs, only_after_size]));
    grid.relate(Relation::sum(before_yes, &[both, stopped, only_before_yes]));
    grid.relate(Relation::sum(after_yes, &[both, started, only_after_yes]));
    grid.set_measures(vec![
        Measure::Respondents,
        asked,
        endorsed,
        Measure::Moved(factor.into(), Transition::Both),
        Measure::Moved(factor.into(), Transition::Stopped),
        Measure::Moved(factor.into(), Transition::Started),
        Measure::Moved(factor.into(), Transition::Neither),
    ]);
    grid
}

#[cfg(test)]
mod tests;
