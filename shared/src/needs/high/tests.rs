//! "High" on hand-made areas, with the intervals worked out by hand (and checked in a
//! second language) beside each rule.

use super::*;
use crate::group::gate::Rules;
use crate::needs::matrix::release;
use crate::questionnaire::tests::catalogue;
use crate::statistics::{ProtectiveState, Pseudonym, RiskState, StatisticsRecord};
use std::collections::BTreeMap;

/// `n` finished children of `unit` aged 13–18, the first `teased` of them teased, and the
/// first `adult` of them with a trusted adult (the rest without).
pub(crate) fn children(unit: &str, band: &str, n: usize, teased: usize, adult: usize) -> Vec<StatisticsRecord> {
    (0..n)
        .map(|i| {
            let yes = RiskState::Yes { how_often: None, worry: None, wants_help: None };
            let risks = BTreeMap::from([("r.teased".to_string(), if i < teased { yes } else { RiskState::No })]);
            let present = if i < adult { ProtectiveState::Present } else { ProtectiveState::Absent };
            StatisticsRecord {
                instrument: "test".into(),
                version: 1,
                round: "r".into(),
                unit: Some(unit.into()),
                age_band: Some(band.into()),
                gender: None,
                risks,
                protective: BTreeMap::from([("p.adult".to_string(), present)]),
                acute: false,
                finished: true,
                pseudonym: Pseudonym([0; 16]),
            }
        })
        .collect()
}

fn cell(unit: &str) -> Group {
    Group::UnitBand(Some(unit.into()), Some("13-18".into()))
}

fn factor(id: &str) -> Factor {
    catalogue().get(id).expect("in the test catalogue").clone()
}

#[test]
fn a_share_reliably_above_the_rest_of_the_municipality_is_high_and_one_within_chance_is_not() {
    // Area a: 20 of 40 teased (50%); area b: 10 of 100 (10%). Against the rest (b), the
    // 99.8% Newcombe interval of 0.40 is 0.145 to 0.628: above zero.
    let d = difference_at(20, 40, 10, 100, Z998).expect("an interval");
    assert!((d.low - 0.1449).abs() < 5e-4 && (d.high - 0.6276).abs() < 5e-4, "{d:?}");
    let mut records = children("a", "13-18", 40, 20, 30);
    records.extend(children("b", "13-18", 100, 10, 80));
    let now = release(&records, &catalogue(), &[], &Rules::default());
    assert_eq!(high(&now, None, &cell("a"), &factor("r.teased"), None), [High::AboveRest]);
    assert_eq!(high(&now, None, &cell("b"), &factor("r.teased"), None), []);
    // Everyone is compared with nobody.
    assert_eq!(high(&now, None, &Group::Everyone, &factor("r.teased"), None), []);

    // 15 of 40 against 25 of 100: +0.125, but the 99.8% interval (−0.118 to 0.386) holds zero.
    let mut records = children("a", "13-18", 40, 15, 30);
    records.extend(children("b", "13-18", 100, 25, 80));
    let now = release(&records, &catalogue(), &[], &Rules::default());
    assert_eq!(high(&now, None, &cell("a"), &factor("r.teased"), None), []);
}

#[test]
fn a_protective_factor_is_a_need_by_how_many_lack_it() {
    // Area a: 10 of 40 have a trusted adult, so 30 of 40 (75%) lack one; area b: 10 of
    // 100 lack one. 0.65 more, 99.8% interval 0.373 to 0.810.
    let mut records = children("a", "13-18", 40, 0, 10);
    records.extend(children("b", "13-18", 100, 0, 90));
    let now = release(&records, &catalogue(), &[], &Rules::default());
    let lack = need(&now, &cell("a"), &factor("p.adult")).expect("asked");
    match lack {
        Shown::Figure(f) => {
            assert_eq!((f.count, f.base), (30, Some(40)));
            assert_eq!(f.share, wilson(30, 40));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(high(&now, None, &cell("a"), &factor("p.adult"), None), [High::AboveRest]);
    assert_eq!(high(&now, None, &cell("b"), &factor("p.adult"), Some(11)), []);
    assert_eq!(high(&now, None, &cell("b"), &factor("p.adult"), Some(10)), [High::AboveThreshold(10)]);
}

#[test]
fn the_organisations_threshold_counts_from_the_share_itself() {
    let mut records = children("a", "13-18", 40, 20, 30);
    records.extend(children("b", "13-18", 40, 20, 30));
    let now = release(&records, &catalogue(), &[], &Rules::default());
    assert_eq!(high(&now, None, &cell("a"), &factor("r.teased"), Some(50)), [High::AboveThreshold(50)]);
    assert_eq!(high(&now, None, &cell("a"), &factor("r.teased"), Some(51)), []);
}

#[test]
fn a_share_that_rose_reliably_since_the_last_release_is_high() {
    // 10 of 40 last year, 20 of 40 now: +0.25, 95% interval 0.038 to 0.433.
    let d = crate::group::interval::difference(20, 40, 10, 40).expect("an interval");
    assert!((d.low - 0.0379).abs() < 5e-4, "{d:?}");
    let before = [children("a", "13-18", 40, 10, 30), children("b", "13-18", 40, 20, 30)].concat();
    let after = [children("a", "13-18", 40, 20, 30), children("b", "13-18", 40, 20, 30)].concat();
    let last = release(&before, &catalogue(), &[], &Rules::default());
    let now = release(&after, &catalogue(), &[], &Rules::default());
    assert_eq!(high(&now, Some(&last), &cell("a"), &factor("r.teased"), None), [High::Rising]);
    assert_eq!(high(&now, Some(&last), &cell("b"), &factor("r.teased"), None), []);
}

#[test]
fn a_hidden_share_is_never_high() {
    // Area a has 8 children: too few to show anything.
    let mut records = children("a", "13-18", 8, 8, 0);
    records.extend(children("b", "13-18", 100, 5, 80));
    let now = release(&records, &catalogue(), &[], &Rules::default());
    assert!(matches!(need(&now, &cell("a"), &factor("r.teased")), Some(Shown::Hidden(_))));
    assert_eq!(high(&now, None, &cell("a"), &factor("r.teased"), Some(1)), []);
}
