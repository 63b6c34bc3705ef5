//! What a group figure is named by: the breakdowns offered, the groups they make and the
//! measures counted for each. A leaf: the counting and the gate both read it.

use crate::catalogue::Level;
use crate::statistics::StatisticsRecord;

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

/// A group: everyone, or one value of one breakdown (`None` is "not stated"), one unit's
/// children of one age band (the needs view's area × age band), or one part of a
/// before/after comparison.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    Everyone,
    Of(Breakdown, Option<String>),
    /// The children of a unit (first) in an age band (second); `None` is "not stated".
    UnitBand(Option<String>, Option<String>),
    Cohort(Cohort),
}

/// The parts of a before/after comparison of one factor: each round's children asked about
/// it, the children asked in both (paired by pseudonym), and those asked in one round only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cohort {
    Before,
    After,
    Paired,
    OnlyBefore,
    OnlyAfter,
}

/// Where a paired child went between the rounds, for one risk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Transition {
    /// Endorsed before and after.
    Both,
    /// Endorsed before, not after.
    Stopped,
    /// Endorsed after, not before.
    Started,
    Neither,
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
    /// Of the paired children, how many went this way for the factor.
    Moved(String, Transition),
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
            Measure::Moved(..) => Measure::Respondents,
        })
    }
}
