//! Group picture tests: the gate on hand-made groups, and a property over random record
//! sets and every breakdown that nothing protected is shown or can be worked out from what
//! is, checked by an exact rank computation of its own (not the gate's elimination).

use super::*;
use crate::questionnaire::tests::catalogue;
use crate::scoring::{HelpWish, HowOften, Worry};
use crate::statistics::{ProtectiveState, Pseudonym, RiskState, StatisticsRecord};
use proptest::prelude::*;
use std::collections::BTreeMap;

pub(super) fn record(unit: &str, gender: Option<&str>, teased: Option<RiskState>, finished: bool) -> StatisticsRecord {
    let mut risks = BTreeMap::new();
    if let Some(state) = teased {
        risks.insert("r.teased".to_string(), state);
    }
    StatisticsRecord {
        instrument: "test".into(),
        version: 1,
        round: "r".into(),
        unit: Some(unit.into()),
        age_band: Some("10-12".into()),
        gender: gender.map(str::to_string),
        risks,
        protective: BTreeMap::new(),
        acute: false,
        finished,
        pseudonym: Pseudonym([0; 16]),
    }
}

pub(super) const YES: RiskState =
    RiskState::Yes { how_often: Some(HowOften::Often), worry: Some(Worry::ALot), wants_help: Some(HelpWish::Yes) };

/// `n` finished children of `unit`, the first `yes` of them teased (often, worried a lot,
/// wanting help), the rest not.
pub(super) fn children(unit: &str, n: usize, yes: usize) -> Vec<StatisticsRecord> {
    (0..n).map(|i| record(unit, None, Some(if i < yes { YES } else { RiskState::No }), true)).collect()
}

fn unit(name: &str) -> Group {
    Group::Of(Breakdown::Unit, Some(name.into()))
}

pub(super) fn endorsed() -> Measure {
    Measure::Endorsed("r.teased".into())
}

#[test]
fn a_group_of_fewer_than_ten_shows_nothing_and_its_count_cannot_be_subtracted_out() {
    let mut records = children("a", 20, 8);
    records.extend(children("b", 15, 7));
    records.extend(children("c", 6, 3));
    let shown = disclose(&aggregate(&records, &catalogue(), &[Breakdown::Unit]), &Rules::default());
    assert_eq!(shown.get(&unit("c"), &endorsed()), Some(Shown::Hidden(Mark::SmallGroup)));
    assert_eq!(shown.get(&unit("c"), &Measure::Respondents), Some(Shown::Hidden(Mark::SmallGroup)));
    // Everyone's 18 is shown, so one of the other units must be hidden with c.
    let Some(Shown::Figure(all)) = shown.get(&Group::Everyone, &endorsed()) else { panic!("everyone is shown") };
    assert_eq!(all.count, 18);
    let hidden =
        ["a", "b"].iter().filter(|u| matches!(shown.get(&unit(u), &endorsed()), Some(Shown::Hidden(_)))).count();
    assert_eq!(hidden, 1, "exactly one more unit is hidden");
}

#[test]
fn a_count_under_five_shows_as_under_five_and_a_small_rest_hides_its_share() {
    let mut records = children("a", 20, 3); // 3 teased
    records.extend(children("b", 20, 17)); // 3 not teased
    records.extend(children("c", 20, 10));
    let shown = disclose(&aggregate(&records, &catalogue(), &[Breakdown::Unit]), &Rules::default());
    assert_eq!(shown.get(&unit("a"), &endorsed()), Some(Shown::Hidden(Mark::UnderFive)));
    assert!(matches!(shown.get(&unit("b"), &endorsed()), Some(Shown::Hidden(_))), "17 of 20 leaves 3 not teased");
    let Some(Shown::Figure(c)) = shown.get(&unit("c"), &endorsed()) else { panic!("c is shown") };
    assert_eq!((c.count, c.base), (10, Some(20)));
    let share = c.share.unwrap();
    assert!((share.estimate - 0.5).abs() < 1e-12 && share.low < 0.5 && share.high > 0.5);
    assert!(c.unreliable(), "20 children give an interval wider than 30 points");
    // The worry of a hidden share is hidden with it.
    let worried = Measure::WorriedALot("r.teased".into());
    assert!(matches!(shown.get(&unit("a"), &worried), Some(Shown::Hidden(_))));
}

#[test]
fn everyone_under_ten_shows_nothing_at_all() {
    let records = children("a", 9, 5);
    let shown = disclose(&aggregate(&records, &catalogue(), &[Breakdown::Unit]), &Rules::default());
    assert!(shown.cells().all(|(_, _, s)| matches!(s, Shown::Hidden(Mark::SmallGroup))));
}

#[test]
fn rules_may_be_raised_and_never_lowered() {
    assert!(Rules::new(15, 5).is_ok());
    assert!(Rules::new(9, 5).is_err());
    assert!(Rules::new(10, 4).is_err());
    let records = children("a", 14, 7);
    let shown = disclose(&aggregate(&records, &catalogue(), &[]), &Rules::new(15, 5).unwrap());
    assert_eq!(shown.get(&Group::Everyone, &endorsed()), Some(Shown::Hidden(Mark::SmallGroup)));
}

/// A prime near 2⁶¹: ranks over this field equal ranks over the rationals for these small
/// integer matrices (a prime this large divides none of their minors in practice).
const PRIME: u64 = (1 << 61) - 1;

fn mul(a: u64, b: u64) -> u64 {
    ((u128::from(a) * u128::from(b)) % u128::from(PRIME)) as u64
}

fn inverse(a: u64) -> u64 {
    // Fermat: a^(p-2).
    let (mut result, mut base, mut e) = (1u64, a, PRIME - 2);
    while e > 0 {
        if e & 1 == 1 {
            result = mul(result, base);
        }
        base = mul(base, base);
        e >>= 1;
    }
    result
}

/// The columns a system fixes, by reduction to reduced row echelon form over the prime
/// field (exact: no rounding): a pivot column whose row holds nothing else.
fn fixed_columns(mut m: Vec<Vec<u64>>, cols: usize) -> Vec<usize> {
    let mut pivots = Vec::new();
    let mut row = 0;
    for col in 0..cols {
        let Some(p) = (row..m.len()).find(|&r| m[r][col] != 0) else { continue };
        m.swap(row, p);
        let inv = inverse(m[row][col]);
        for x in m[row].iter_mut() {
            *x = mul(*x, inv);
        }
        let pivot = m[row].clone();
        for (r, other) in m.iter_mut().enumerate() {
            let f = other[col];
            if r == row || f == 0 {
                continue;
            }
            for (x, y) in other.iter_mut().zip(&pivot) {
                *x = (*x + PRIME - mul(f, *y)) % PRIME;
            }
        }
        pivots.push((row, col));
        row += 1;
    }
    pivots
        .into_iter()
        .filter(|&(r, c)| m[r].iter().enumerate().all(|(j, &x)| j == c || x == 0))
        .map(|(_, c)| c)
        .collect()
}

/// Every hidden cell the relations fix once the shown cells are known, found one set of
/// hidden cells tied by relations at a time.
pub(super) fn worked_out(grid: &gate::Grid, shown: &Disclosed) -> std::collections::BTreeSet<gate::CellId> {
    let relations: Vec<&[(gate::CellId, i8)]> = grid.relations().collect();
    let mut of_cell: BTreeMap<gate::CellId, Vec<usize>> = BTreeMap::new();
    for (k, terms) in relations.iter().enumerate() {
        for &(c, _) in terms.iter() {
            of_cell.entry(c).or_default().push(k);
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut fixed = std::collections::BTreeSet::new();
    for start in (0..grid.cell_count()).map(gate::CellId::for_test).filter(|&c| shown.is_hidden(c)) {
        if !seen.insert(start) {
            continue;
        }
        let mut cells = vec![start];
        let mut used = vec![false; relations.len()];
        let mut i = 0;
        while i < cells.len() {
            for &k in of_cell.get(&cells[i]).map_or(&[][..], Vec::as_slice) {
                if !used[k] {
                    used[k] = true;
                    for &(c, _) in relations[k] {
                        if shown.is_hidden(c) && seen.insert(c) {
                            cells.push(c);
                        }
                    }
                }
            }
            i += 1;
        }
        let col: BTreeMap<gate::CellId, usize> = cells.iter().enumerate().map(|(i, &c)| (c, i)).collect();
        let rows: Vec<Vec<u64>> = relations
            .iter()
            .zip(&used)
            .filter(|(_, &u)| u)
            .map(|(terms, _)| {
                let mut row = vec![0u64; cells.len()];
                for &(c, k) in terms.iter() {
                    if let Some(&i) = col.get(&c) {
                        row[i] = (row[i] + if k > 0 { 1 } else { PRIME - 1 }) % PRIME;
                    }
                }
                row
            })
            .collect();
        fixed.extend(fixed_columns(rows, cells.len()).into_iter().map(|c| cells[c]));
    }
    fixed
}

/// The first protected cell (of a non-zero count) that is shown or can be worked out from
/// what is shown, if any.
fn worked_out_protected(grid: &gate::Grid, shown: &Disclosed, rules: &Rules) -> Option<usize> {
    let fixed = worked_out(grid, shown);
    (0..grid.cell_count()).find(|&i| {
        let id = gate::CellId::for_test(i);
        grid.must_not_be_worked_out(id, rules) && grid.value(id) > 0 && (!shown.is_hidden(id) || fixed.contains(&id))
    })
}

fn risk_state() -> impl Strategy<Value = Option<RiskState>> {
    prop_oneof![
        Just(None),
        Just(Some(RiskState::Declined)),
        Just(Some(RiskState::No)),
        Just(Some(RiskState::No)),
        (0u8..5, 0u8..4, 0u8..4).prop_map(|(o, w, h)| Some(RiskState::Yes {
            how_often: [
                None,
                Some(HowOften::Once),
                Some(HowOften::Sometimes),
                Some(HowOften::Often),
                Some(HowOften::VeryOften)
            ][o as usize],
            worry: [None, Some(Worry::No), Some(Worry::ALittle), Some(Worry::ALot)][w as usize],
            wants_help: [None, Some(HelpWish::No), Some(HelpWish::NotSure), Some(HelpWish::Yes)][h as usize],
        })),
    ]
}

fn random_record() -> impl Strategy<Value = StatisticsRecord> {
    (0usize..4, 0usize..3, risk_state(), risk_state(), 0u8..4, any::<bool>(), 0u8..10).prop_map(
        |(u, g, teased, hurt, adult, acute, finished)| {
            let mut r = record(["a", "b", "c", "d"][u], [Some("girl"), Some("boy"), None][g], teased, finished > 0);
            r.age_band = Some(if u % 2 == 0 { "10-12" } else { "13-18" }.into());
            if let Some(s) = hurt {
                r.risks.insert("r.hurt".into(), s);
            }
            let present =
                [None, Some(ProtectiveState::Declined), Some(ProtectiveState::Absent), Some(ProtectiveState::Present)];
            if let Some(s) = present[adult as usize] {
                r.protective.insert("p.adult".into(), s);
            }
            r.acute = acute;
            r
        },
    )
}

fn breakdowns() -> impl Strategy<Value = Vec<Breakdown>> {
    proptest::sample::subsequence(Breakdown::ALL.to_vec(), 0..=3)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, ..ProptestConfig::default() })]

    #[test]
    fn nothing_shown_and_nothing_worked_out_from_what_is_shown_counts_one_to_four_children(
        records in proptest::collection::vec(random_record(), 0..80),
        breakdowns in breakdowns(),
    ) {
        let rules = Rules::default();
        let grid = aggregate(&records, &catalogue(), &breakdowns);
        let shown = disclose(&grid, &rules);
        for (group, measure, s) in shown.cells() {
            if let Shown::Figure(f) = s {
                let id = grid.id(group, measure).unwrap();
                prop_assert!(!grid.must_not_be_worked_out(id, &rules), "{group:?} {measure:?} = {} is shown", f.count);
                prop_assert!(!(1..5).contains(&f.count) || *measure == Measure::Respondents);
            }
        }
        if let Some(i) = worked_out_protected(&grid, &shown, &rules) {
            prop_assert!(false, "cell {} = {} is shown or can be worked out", i, grid.value(gate::CellId::for_test(i)));
        }
    }
}

fn crossed_record() -> impl Strategy<Value = StatisticsRecord> {
    (random_record(), 0usize..3).prop_map(|(mut r, band)| {
        r.age_band = [Some("10-12"), Some("13-18"), None][band].map(str::to_string);
        r
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 60, ..ProptestConfig::default() })]

    /// Areas by age band, beside the units and the age bands released on their own: what
    /// those releases showed is known here, and still nothing protected is shown or can be
    /// worked out from all of it together.
    #[test]
    fn an_areas_age_bands_beside_the_areas_and_the_bands_give_away_no_small_count(
        records in proptest::collection::vec(crossed_record(), 0..90),
    ) {
        let (rules, c) = (Rules::default(), catalogue());
        let units = disclose(&aggregate(&records, &c, &[Breakdown::Unit]), &rules);
        let bands = disclose(&aggregate(&records, &c, &[Breakdown::AgeBand]), &rules);
        let mut grid = aggregate::aggregate_by_unit_and_band(&records, &c);
        grid.publish(&units);
        grid.publish(&bands);
        let shown = disclose(&grid, &rules);
        for (group, measure, s) in shown.cells() {
            if let (Shown::Figure(f), Group::UnitBand(..)) = (s, group) {
                let id = grid.id(group, measure).unwrap();
                prop_assert!(!grid.must_not_be_worked_out(id, &rules), "{group:?} {measure:?} = {} is shown", f.count);
            }
            // What the other releases showed is shown here as it was.
            for other in [&units, &bands] {
                if let Some(Shown::Figure(f)) = other.get(group, measure) {
                    prop_assert_eq!(s, Shown::Figure(f));
                }
            }
        }
        if let Some(i) = worked_out_protected(&grid, &shown, &rules) {
            prop_assert!(false, "cell {} = {} is shown or can be worked out", i, grid.value(gate::CellId::for_test(i)));
        }
    }
}
