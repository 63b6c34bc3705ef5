//! What changed for a child since last time: two of the same child's assessments compared
//! factor by factor, for the top of the later summary. Computed in the staff member's
//! browser from the two opened answer sets, like the summary itself.
//!
//! The two may be of different instruments (a new version, or the next age band as the
//! child grows): a factor is compared only where both instruments measure it under the same
//! id and the child answered it both times. Every factor told of on one side that could not
//! be compared is named, with why, so that a risk is never reported gone only because it
//! was not asked.

use crate::catalogue::FactorKind;
use crate::questionnaire::Questionnaire;
use crate::scoring::{HelpWish, HowOften, Worry};
use crate::statistics::{FactorStates, ProtectiveState, RiskState};
use serde::{Deserialize, Serialize};

/// Two answers to "how often", or to "does it worry you": earlier, later.
pub type Moved<T> = (T, T);

/// What changed between an earlier and a later assessment of one child. Each list holds
/// factor ids, in the order of their ids.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changes {
    /// Risks told of now and answered "no" last time.
    pub new_risks: Vec<String>,
    /// Risks told of last time and answered "no" now.
    pub gone_risks: Vec<String>,
    /// Risks told of both times, happening more or less often.
    pub more_often: Vec<(String, Moved<HowOften>)>,
    pub less_often: Vec<(String, Moved<HowOften>)>,
    /// Risks told of both times, worrying the child more or less.
    pub more_worry: Vec<(String, Moved<Worry>)>,
    pub less_worry: Vec<(String, Moved<Worry>)>,
    /// Risks the child wants help with now and did not last time (new risks included).
    pub new_help_wishes: Vec<String>,
    /// Risks the child wanted help with last time and no longer does, or that are gone.
    pub met_help_wishes: Vec<String>,
    /// Protective factors present now and absent last time, and the other way round.
    pub protective_gained: Vec<String>,
    pub protective_lost: Vec<String>,
    /// Factors told of (a risk endorsed, a protective factor present) on one side only
    /// that could not be compared, with why.
    pub not_compared: Vec<(String, NotCompared)>,
}

impl Changes {
    /// Nothing moved and nothing was left uncompared.
    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }
}

/// Why a factor told of once could not be compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotCompared {
    /// The earlier instrument does not measure it (a new version or age band).
    NotAskedBefore,
    /// The later instrument does not measure it.
    NotAskedNow,
    /// Both measure it, but one time the child did not reach it or chose not to answer.
    NotAnswered,
}

/// Compares what a child told in an earlier assessment (`before`, given with `q_before`)
/// with a later one.
pub fn since(
    q_before: &Questionnaire,
    before: &FactorStates,
    q_after: &Questionnaire,
    after: &FactorStates,
) -> Changes {
    let mut out = Changes::default();
    let measured = |q: &Questionnaire, id: &str, kind: FactorKind| q.factor(id).is_some_and(|f| f.kind == kind);
    let why = |id: &str, kind: FactorKind| {
        if !measured(q_before, id, kind) {
            NotCompared::NotAskedBefore
        } else if !measured(q_after, id, kind) {
            NotCompared::NotAskedNow
        } else {
            NotCompared::NotAnswered
        }
    };
    for id in ids(&before.risks, &after.risks) {
        let answered = |s: Option<&RiskState>| s.copied().filter(|s| *s != RiskState::Declined);
        match (answered(before.risks.get(id)), answered(after.risks.get(id))) {
            (Some(RiskState::No), Some(RiskState::Yes { wants_help, .. })) => {
                out.new_risks.push(id.clone());
                if wants_help == Some(HelpWish::Yes) {
                    out.new_help_wishes.push(id.clone());
                }
            }
            (Some(RiskState::Yes { wants_help, .. }), Some(RiskState::No)) => {
                out.gone_risks.push(id.clone());
                if wants_help == Some(HelpWish::Yes) {
                    out.met_help_wishes.push(id.clone());
                }
            }
            (
                Some(RiskState::Yes { how_often: h0, worry: w0, wants_help: p0 }),
                Some(RiskState::Yes { how_often: h1, worry: w1, wants_help: p1 }),
            ) => {
                if let (Some(h0), Some(h1)) = (h0, h1) {
                    let list = if h1 > h0 { &mut out.more_often } else { &mut out.less_often };
                    if h0 != h1 {
                        list.push((id.clone(), (h0, h1)));
                    }
                }
                if let (Some(w0), Some(w1)) = (w0, w1) {
                    let list = if w1 > w0 { &mut out.more_worry } else { &mut out.less_worry };
                    if w0 != w1 {
                        list.push((id.clone(), (w0, w1)));
                    }
                }
                match (p0 == Some(HelpWish::Yes), p1 == Some(HelpWish::Yes)) {
                    (false, true) => out.new_help_wishes.push(id.clone()),
                    (true, false) => out.met_help_wishes.push(id.clone()),
                    _ => {}
                }
            }
            (Some(_), Some(_)) => {}
            (b, a) => {
                let endorsed = |s: Option<RiskState>| matches!(s, Some(RiskState::Yes { .. }));
                if endorsed(b) || endorsed(a) {
                    out.not_compared.push((id.clone(), why(id, FactorKind::Risk)));
                }
            }
        }
    }
    for id in ids(&before.protective, &after.protective) {
        let answered = |s: Option<&ProtectiveState>| s.copied().filter(|s| *s != ProtectiveState::Declined);
        match (answered(before.protective.get(id)), answered(after.protective.get(id))) {
            (Some(ProtectiveState::Absent), Some(ProtectiveState::Present)) => out.protective_gained.push(id.clone()),
            (Some(ProtectiveState::Present), Some(ProtectiveState::Absent)) => out.protective_lost.push(id.clone()),
            (Some(_), Some(_)) => {}
            (b, a) => {
                if b == Some(ProtectiveState::Present) || a == Some(ProtectiveState::Present) {
                    out.not_compared.push((id.clone(), why(id, FactorKind::Protective)));
                }
            }
        }
    }
    out.not_compared.sort();
    out
}

/// Every id of either map, once, in order.
fn ids<'a, T>(
    a: &'a std::collections::BTreeMap<String, T>,
    b: &'a std::collections::BTreeMap<String, T>,
) -> std::collections::BTreeSet<&'a String> {
    a.keys().chain(b.keys()).collect()
}

#[cfg(test)]
mod tests;
