//! Reachability: which items no answers can ever show. The validator reports them, since an
//! item that is never shown is a mistake in the file.

use super::model::{Item, Kind};
use super::rule::Rule;
use std::collections::{BTreeMap, BTreeSet};

/// The positions of the items whose rule no answers can make true, in order. A rule is
/// satisfiable when one of the conjunctions of its disjunctive normal form asks for answers
/// that can be given together by items that can themselves be shown. The check is sound (it
/// never reports a reachable item); very large rules are given the benefit of the doubt.
pub(super) fn unreachable(items: &[Item]) -> Vec<usize> {
    let mut reachable = vec![true; items.len()];
    for (pos, item) in items.iter().enumerate() {
        let Some(rule) = &item.rule else { continue };
        let sat = match dnf(rule, false) {
            Some(terms) => terms.iter().any(|t| conjunction_satisfiable(t, items, &reachable)),
            None => true,
        };
        if !sat {
            reachable[pos] = false;
        }
    }
    (0..items.len()).filter(|&pos| !reachable[pos]).collect()
}

/// One literal of a rule in negation normal form.
#[derive(Clone, Debug)]
enum Literal {
    /// The item is answered with one of these options.
    Is(usize, Vec<String>),
    /// The item is not answered with any of these (it may be unanswered).
    NotIs(usize, Vec<String>),
    /// The item is answered, with something other than this option.
    IsNot(usize, String),
    Has(usize, String),
    NotHas(usize, String),
}

const DNF_LIMIT: usize = 256;

/// The disjunctive normal form of `rule` (negated if `negate`), or `None` when too large.
fn dnf(rule: &Rule, negate: bool) -> Option<Vec<Vec<Literal>>> {
    let terms = match (rule, negate) {
        (Rule::Is { item, options }, false) => vec![vec![Literal::Is(*item, options.clone())]],
        (Rule::Is { item, options }, true) => vec![vec![Literal::NotIs(*item, options.clone())]],
        (Rule::IsNot { item, option }, false) => vec![vec![Literal::IsNot(*item, option.clone())]],
        // Not (answered and ≠ o): unanswered, or answered o. Unanswered is always possible.
        (Rule::IsNot { item, option }, true) => {
            vec![vec![Literal::NotIs(*item, vec![])], vec![Literal::Is(*item, vec![option.clone()])]]
        }
        (Rule::Has { item, option }, false) => vec![vec![Literal::Has(*item, option.clone())]],
        (Rule::Has { item, option }, true) => vec![vec![Literal::NotHas(*item, option.clone())]],
        (Rule::Not(inner), n) => dnf(inner, !n)?,
        (Rule::And(parts), false) | (Rule::Or(parts), true) => {
            let mut acc: Vec<Vec<Literal>> = vec![Vec::new()];
            for p in parts {
                let next = dnf(p, negate)?;
                let mut product = Vec::new();
                for a in &acc {
                    for b in &next {
                        product.push(a.iter().chain(b).cloned().collect());
                    }
                }
                if product.len() > DNF_LIMIT {
                    return None;
                }
                acc = product;
            }
            acc
        }
        (Rule::Or(parts), false) | (Rule::And(parts), true) => {
            let mut acc = Vec::new();
            for p in parts {
                acc.extend(dnf(p, negate)?);
            }
            if acc.len() > DNF_LIMIT {
                return None;
            }
            acc
        }
    };
    Some(terms)
}

fn conjunction_satisfiable(term: &[Literal], items: &[Item], reachable: &[bool]) -> bool {
    // For each single-choice item the options still allowed, and whether it must be
    // answered; for each multiple item the options that must and must not be picked.
    let mut allowed: BTreeMap<usize, (BTreeSet<&str>, bool)> = BTreeMap::new();
    let mut must: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    let mut must_not: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    for literal in term {
        let item = match literal {
            Literal::Is(i, _)
            | Literal::NotIs(i, _)
            | Literal::IsNot(i, _)
            | Literal::Has(i, _)
            | Literal::NotHas(i, _) => *i,
        };
        let entry =
            allowed.entry(item).or_insert_with(|| (items[item].options.iter().map(|o| o.id.as_str()).collect(), false));
        match literal {
            Literal::Is(_, options) => {
                entry.0.retain(|o| options.iter().any(|x| x == o));
                entry.1 = true;
            }
            Literal::NotIs(_, options) => entry.0.retain(|o| !options.iter().any(|x| x == o)),
            Literal::IsNot(_, option) => {
                entry.0.retain(|o| o != option);
                entry.1 = true;
            }
            Literal::Has(_, option) => {
                must.entry(item).or_default().insert(option);
            }
            Literal::NotHas(_, option) => {
                must_not.entry(item).or_default().insert(option);
            }
        }
    }
    for (&item, (options, answered)) in &allowed {
        let multiple = items[item].kind == Kind::Multiple;
        if *answered && (options.is_empty() || !reachable[item]) {
            return false;
        }
        if multiple {
            let picked = must.get(&item);
            let Some(picked) = picked else { continue };
            if !reachable[item] {
                return false;
            }
            if picked.iter().any(|o| must_not.get(&item).is_some_and(|n| n.contains(o))) {
                return false;
            }
            let exclusive = picked.iter().filter(|o| items[item].option(o).is_some_and(|c| c.exclusive)).count();
            if exclusive > 0 && picked.len() > 1 {
                return false;
            }
        }
    }
    true
}
