//! Comparison tests: values worked out by hand (McNemar's exact p from binomial sums), the
//! intervals against the interval module (itself checked against Newcombe's papers), and a
//! property that no comparison lets a count of 1–4 children be worked out.

use super::*;
use crate::group::interval;
use crate::group::tests::{children, endorsed, record, worked_out, YES};
use crate::group::{aggregate, Breakdown};
use crate::questionnaire::tests::catalogue;
use proptest::prelude::*;

/// One finished child with a pseudonym made from `id`, endorsing `r.teased` or not.
fn pupil(id: u32, yes: bool) -> StatisticsRecord {
    let mut r = record("a", None, Some(if yes { YES } else { RiskState::No }), true);
    r.pseudonym = Pseudonym([id.to_be_bytes(), [0; 4], [0; 4], [0; 4]].concat().try_into().expect("16 bytes"));
    r
}

/// Two rounds from a paired table and unpaired children: (pairs both, stopped, started,
/// neither) then (only before, of them yes) and (only after, of them yes).
fn rounds(
    t: [u32; 4],
    only_before: (u32, u32),
    only_after: (u32, u32),
) -> (Vec<StatisticsRecord>, Vec<StatisticsRecord>) {
    let (mut before, mut after) = (Vec::new(), Vec::new());
    let mut id = 0;
    for (count, was, is) in [(t[0], true, true), (t[1], true, false), (t[2], false, true), (t[3], false, false)] {
        for _ in 0..count {
            id += 1;
            before.push(pupil(id, was));
            after.push(pupil(id, is));
        }
    }
    for (n, yes, list) in [(only_before.0, only_before.1, &mut before), (only_after.0, only_after.1, &mut after)] {
        for k in 0..n {
            id += 1;
            list.push(pupil(id, k < yes));
        }
    }
    (before, after)
}

const FACTOR: &str = "r.teased";

#[test]
fn a_year_to_year_change_reads_two_shown_shares_and_nothing_hidden() {
    let c = catalogue();
    let earlier = disclose(&aggregate(&children("a", 40, 12), &c, &[Breakdown::Unit]), &Rules::default());
    let later = disclose(&aggregate(&children("a", 40, 5), &c, &[Breakdown::Unit]), &Rules::default());
    let Compared::Change(change) = between_releases(&earlier, &later, &Group::Everyone, &endorsed()) else {
        panic!("both shares are shown")
    };
    // 5/40 − 12/40 = −0.175, with the independent-groups interval.
    assert_eq!(Some(change.difference), interval::difference(5, 40, 12, 40));
    assert!((change.difference.estimate + 0.175).abs() < 1e-12);
    assert_eq!(change.design, Design::Independent);
    assert!(change.smallest_detectable.is_some_and(|d| d > 0.0));

    // Eight children show nothing, so there is nothing to compare against.
    let small = disclose(&aggregate(&children("a", 8, 4), &c, &[Breakdown::Unit]), &Rules::default());
    assert_eq!(between_releases(&small, &later, &Group::Everyone, &endorsed()), Compared::Hidden);
}

#[test]
fn children_in_both_rounds_are_paired_with_mcnemar_and_the_rest_compared_unpaired() {
    // 60 pairs: 5 yes both times, 14 stopped, 5 started, 36 neither; 15 only before (5
    // yes), 15 only after (5 yes).
    let (before, after) = rounds([5, 14, 5, 36], (15, 5), (15, 5));
    let result = before_after(&before, &after, FACTOR, &Rules::default());
    let Compared::Change(paired) = result.paired else {
        panic!("every paired cell is 0 or at least 5: {:?}", result.paired)
    };
    let table = Paired { both: 5, only_before: 14, only_after: 5, neither: 36 };
    assert_eq!(Some(paired.difference), interval::paired_difference(table));
    // After 10/60 − before 19/60.
    assert!((paired.difference.estimate - (10.0 - 19.0) / 60.0).abs() < 1e-12);
    // McNemar exact by hand: 19 discordant pairs, 5 the smaller side;
    // 2 × Σ_{i≤5} C(19, i) / 2^19 = 2 × (1 + 19 + 171 + 969 + 3876 + 11628) / 524288.
    let Design::Paired { pairs, p_value } = paired.design else { panic!("a paired design") };
    assert_eq!(pairs, 60);
    assert!((p_value - 2.0 * 16_664.0 / 524_288.0).abs() < 1e-12, "{p_value}");

    let Compared::Change(unpaired) = result.unpaired else { panic!("both unpaired groups are shown") };
    assert_eq!(Some(unpaired.difference), interval::difference(5, 15, 5, 15));
    assert_eq!(unpaired.design, Design::Independent);
}

#[test]
fn a_child_seen_twice_in_one_round_is_not_paired() {
    // The twin was "yes both times"; seen twice before, it joins the unpaired children of
    // both rounds: 39 pairs, 11 only before (6 yes), 10 only after (5 yes).
    let (mut before, after) = rounds([10, 10, 10, 10], (9, 4), (9, 4));
    let twin = before[0].clone();
    before.push(twin);
    let result = before_after(&before, &after, FACTOR, &Rules::default());
    let Compared::Change(paired) = result.paired else { panic!("{:?}", result.paired) };
    assert!(matches!(paired.design, Design::Paired { pairs: 39, .. }), "{:?}", paired.design);
    let Compared::Change(unpaired) = result.unpaired else { panic!("{:?}", result.unpaired) };
    assert_eq!(Some(unpaired.difference), interval::difference(5, 10, 6, 11));
}

#[test]
fn three_children_who_started_keep_the_paired_table_hidden_and_cannot_be_worked_out() {
    let (before, after) = rounds([6, 12, 3, 40], (12, 6), (12, 6));
    let result = before_after(&before, &after, FACTOR, &Rules::default());
    assert_eq!(result.paired, Compared::Hidden);
    let shown =
        result.disclosed.get(&Group::Cohort(Cohort::Paired), &Measure::Moved(FACTOR.into(), Transition::Started));
    assert!(matches!(shown, Some(Shown::Hidden(_))), "{shown:?}");
}

#[test]
fn a_small_unpaired_rest_hides_the_paired_table_that_would_give_it_away() {
    // Two children answered only before, one of them teased: before's total minus the
    // paired yeses would tell that one child.
    let (before, after) = rounds([6, 12, 6, 40], (2, 1), (12, 6));
    let result = before_after(&before, &after, FACTOR, &Rules::default());
    assert_eq!(result.paired, Compared::Hidden);
    assert_eq!(result.unpaired, Compared::Hidden);
}

#[test]
fn fewer_than_ten_pairs_show_no_paired_change() {
    let (before, after) = rounds([0, 5, 0, 4], (20, 10), (20, 10));
    let result = before_after(&before, &after, FACTOR, &Rules::default());
    assert_eq!(result.paired, Compared::Hidden);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn no_comparison_lets_a_count_of_one_to_four_be_worked_out(
        table in proptest::array::uniform4(0u32..14),
        only_before in (0u32..14).prop_flat_map(|n| (Just(n), 0..=n)),
        only_after in (0u32..14).prop_flat_map(|n| (Just(n), 0..=n)),
    ) {
        let (before, after) = rounds(table, only_before, only_after);
        let rules = Rules::default();
        let result = before_after(&before, &after, FACTOR, &rules);
        // Rebuild the grid the comparison counted, then check it independently.
        let grid = super::comparison_grid(
            FACTOR,
            Paired { both: table[0], only_before: table[1], only_after: table[2], neither: table[3] },
            (before.len() as u32, before.iter().filter(|r| endorses(r, FACTOR) == Some(true)).count() as u32),
            (after.len() as u32, after.iter().filter(|r| endorses(r, FACTOR) == Some(true)).count() as u32),
            only_before,
            only_after,
        );
        let fixed = worked_out(&grid, &result.disclosed);
        for id in (0..grid.cell_count()).map(super::super::gate::CellId::for_test) {
            let visible = !result.disclosed.is_hidden(id) || fixed.contains(&id);
            prop_assert!(!(visible && grid.must_not_be_worked_out(id, &rules)),
                "cell {id:?} ({}) can be read or worked out", grid.value(id));
        }
        if let Compared::Change(c) = result.paired {
            prop_assert!(c.difference.low <= c.difference.estimate && c.difference.estimate <= c.difference.high);
        }
    }
}
