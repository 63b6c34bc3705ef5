//! What makes a need high, stated openly. A need is a risk's share (those who tell of it
//! among those asked) or, for a protective factor, the share who lack it (those asked who
//! do not have it). It is high in a group when any of these holds:
//!
//! 1. **Above the rest of the municipality**: the group's share is significantly above the
//!    share among everyone else of the release (Newcombe's interval for two independent
//!    shares at 99.8%, since every factor of every area and age band is scanned at once,
//!    lies wholly above zero);
//! 2. **Above the organisation's threshold**: the share is at or above the percent the
//!    organisation set, if it set one;
//! 3. **Rising**: the share rose reliably since the last release (the same group's shares
//!    of the two years, Newcombe's interval at 95% leaving zero).
//!
//! Every figure read here passed the gate: a hidden share is never high, since nothing can
//! be said of it. The share lacking a protective factor is the disclosed figure read from
//! its other side (base less count); the gate lets a share out only when that rest is not
//! a count of one to four children.

use crate::catalogue::{Factor, FactorKind};
use crate::group::compare::{between_releases, Compared};
use crate::group::gate::{Disclosed, Figure, Shown};
use crate::group::interval::{difference_at, wilson, Z998};
use crate::group::key::{Group, Measure};

/// Why a need is high.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum High {
    AboveRest,
    AboveThreshold(u8),
    Rising,
}

/// The measure a factor's need is read from: a risk's endorsement, a protective factor's
/// presence (read from the other side). `None` for background factors.
pub fn measure(factor: &Factor) -> Option<Measure> {
    match factor.kind {
        FactorKind::Risk => Some(Measure::Endorsed(factor.id.clone())),
        FactorKind::Protective => Some(Measure::Present(factor.id.clone())),
        FactorKind::Background => None,
    }
}

/// A shown share read from its other side: those of the base not counted.
pub fn lacking(shown: Shown) -> Shown {
    match shown {
        Shown::Figure(Figure { count, base: Some(base), .. }) => {
            let rest = base.saturating_sub(count);
            Shown::Figure(Figure { count: rest, base: Some(base), share: wilson(rest, base) })
        }
        other => other,
    }
}

/// The need of `factor` in `group`, as disclosed: `None` when the factor was not asked.
pub fn need(d: &Disclosed, group: &Group, factor: &Factor) -> Option<Shown> {
    let shown = d.get(group, &measure(factor)?)?;
    Some(if factor.kind == FactorKind::Protective { lacking(shown) } else { shown })
}

/// Count and base of a shown share.
fn share(shown: Option<Shown>) -> Option<(u32, u32, f64)> {
    match shown? {
        Shown::Figure(Figure { count, base: Some(base), share: Some(s) }) => Some((count, base, s.estimate)),
        _ => None,
    }
}

/// Why the need of `factor` in `group` of release `now` is high (empty when it is not, or
/// cannot be told). `last` is the release before, if any; `threshold` the organisation's
/// percent, if it set one.
pub fn high(
    now: &Disclosed,
    last: Option<&Disclosed>,
    group: &Group,
    factor: &Factor,
    threshold: Option<u8>,
) -> Vec<High> {
    let Some((count, base, estimate)) = share(need(now, group, factor)) else { return Vec::new() };
    let mut out = Vec::new();
    if *group != Group::Everyone {
        if let Some((all, all_base, _)) = share(need(now, &Group::Everyone, factor)) {
            let (rest, rest_base) = (all.saturating_sub(count), all_base.saturating_sub(base));
            if difference_at(count, base, rest, rest_base, Z998).is_some_and(|d| d.low > 0.0) {
                out.push(High::AboveRest);
            }
        }
    }
    if let Some(percent) = threshold {
        if estimate * 100.0 >= f64::from(percent) - 1e-9 {
            out.push(High::AboveThreshold(percent));
        }
    }
    if let (Some(last), Some(m)) = (last, measure(factor)) {
        if let Compared::Change(c) = between_releases(last, now, group, &m) {
            // A protective factor's need rises as its presence falls.
            let rising =
                if factor.kind == FactorKind::Protective { c.difference.high < 0.0 } else { c.difference.low > 0.0 };
            if rising {
                out.push(High::Rising);
            }
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests;
