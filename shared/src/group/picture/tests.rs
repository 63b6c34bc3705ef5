//! The views: every value read through the gate, written the same on the screen and in the
//! CSV, hidden cells never showing a number, and figures checked by hand.

use super::*;
use crate::group::tests::{children, endorsed, record, YES};
use crate::group::{aggregate, disclose, Breakdown, Group, Rules};
use crate::questionnaire::tests::catalogue;
use crate::statistics::{Pseudonym, RiskState};

fn units(id: &str) -> Option<String> {
    Some(format!("Område {}", id.to_uppercase()))
}

fn shown(records: &[StatisticsRecord], breakdowns: &[Breakdown]) -> Disclosed {
    disclose(&aggregate(records, &catalogue(), breakdowns), &Rules::default())
}

#[test]
fn a_share_reads_as_its_percentage_and_wilson_interval_and_a_wide_one_is_marked_unreliable() {
    // 10 of 20: p = 0.5; Wilson's interval by hand (z = 1.96): centre 0.5, half-width
    // 1.96 × √(0.25/20 + 3.8415/1600) / (1 + 3.8415/20) = 0.2007, so 29.9 %–70.1 %, 40
    // points wide: unreliable.
    let mut records = children("a", 20, 10);
    records.extend(children("b", 200, 50));
    let d = shown(&records, &[Breakdown::Unit]);
    let a = Value::Share(d.get(&Group::Of(Breakdown::Unit, Some("a".into())), &endorsed()).expect("a cell"));
    assert_eq!(a.text(&SV), "50 % (30–70), osäker");
    assert_eq!(a.text(&EN), "50% (30–70), unreliable");
    assert_eq!(a.tone(), Tone::Unreliable);
    // 60 of 220 (everyone): 27.3 %; Wilson by hand: centre (0.272727 + 0.008731)/1.017461 =
    // 0.276628, half 1.96 × √(0.00090158 + 0.00001984)/1.017461 = 0.058475, so
    // 21.8 %–33.5 % (0.33510), which rounds to 22–34.
    let all = Value::Share(d.get(&Group::Everyone, &endorsed()).expect("everyone"));
    assert_eq!(all.text(&SV), "27 % (22–34)");
    assert_eq!(all.tone(), Tone::Plain);
}

#[test]
fn hidden_cells_show_their_mark_never_a_number_and_the_csv_is_exactly_the_screen() {
    let mut records = children("a", 30, 3); // 3 teased: under five
    records.extend(children("b", 30, 12));
    records.extend(children("c", 6, 2)); // a group too small to show
    let d = shown(&records, &[Breakdown::Unit]);
    let groups: Vec<Group> = ["a", "b", "c"].iter().map(|u| Group::Of(Breakdown::Unit, Some(u.to_string()))).collect();
    let table = by_group(&d, &groups, &catalogue(), &units, &SV);
    assert_eq!(table.columns, ["Faktor", "Område A", "Område B", "Område C", "Alla"]);
    let teased = table.rows.iter().find(|r| r.factor.as_deref() == Some("r.teased")).expect("a teased row");
    assert_eq!(teased.cells[0].text(&SV), "<5");
    assert_eq!(teased.cells[2].text(&SV), "för få svarande");
    for hidden in [&teased.cells[0], &teased.cells[2]] {
        assert_eq!(hidden.tone(), Tone::Hidden);
    }
    // Whatever else the gate hid to protect them, no hidden cell carries a digit but "<5"'s.
    for row in &table.rows {
        for c in &row.cells {
            if c.tone() == Tone::Hidden {
                assert!(c.text(&SV) == "<5" || !c.text(&SV).chars().any(|ch| ch.is_ascii_digit()), "{c:?}");
            }
        }
    }
    // The CSV, read back by a CSV reader, is the screen's words cell for cell.
    let csv = table.csv(&SV);
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(csv.as_bytes());
    assert_eq!(reader.headers().expect("headers").iter().collect::<Vec<_>>(), table.columns);
    let read: Vec<Vec<String>> =
        reader.records().map(|r| r.expect("a row").iter().map(str::to_string).collect()).collect();
    assert_eq!(read, table.texts(&SV));
}

#[test]
fn the_overview_ranks_shown_risks_and_puts_worry_and_help_beside_every_prevalence() {
    let mut records = children("a", 40, 20); // teased: 20 of 40, each worried a lot, wanting help
    for (i, r) in records.iter_mut().enumerate() {
        if i < 8 {
            r.risks.insert("r.money".into(), YES);
        } else {
            r.risks.insert("r.money".into(), RiskState::No);
        }
    }
    let d = shown(&records, &[]);
    let o = overview(&d, &Group::Everyone, &catalogue(), &SV);
    let labels: Vec<&str> = o.most_common.rows.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["Retad", "Pengar"], "ordered by prevalence, 50 % before 20 %");
    assert_eq!(
        o.most_common.columns[1..],
        ["Andel (95 % KI)", "Tillfrågade", "Oroar sig lite", "Oroar sig mycket", "Vill ha hjälp", "Ofta"]
    );
    let teased = &o.most_common.rows[0];
    assert_eq!(teased.cells[1].text(&SV), "40");
    // All 20 who were teased worry a lot and want help: 100 %; Wilson's lower bound for
    // 20 of 20 is n/(n + z²) = 20/23.84 = 83.9 %.
    assert_eq!(teased.cells[2].text(&SV), "0 % (0–16)", "worried a little");
    for (i, what) in [(3, "worried a lot"), (4, "wants help"), (5, "often")] {
        assert_eq!(teased.cells[i].text(&SV), "100 % (84–100)", "{what}");
    }
    assert_eq!(o.size.texts(&SV)[0], ["Svarande (klara)", "40"]);
}

#[test]
fn a_domain_profile_has_bars_with_the_whole_as_reference_and_last_year_as_a_ghost() {
    let mut now = children("a", 40, 20);
    now.extend(children("b", 40, 8));
    let then = [children("a", 40, 10), children("b", 40, 10)].concat();
    let (d, last) = (shown(&now, &[Breakdown::Unit]), shown(&then, &[Breakdown::Unit]));
    let a = Group::Of(Breakdown::Unit, Some("a".into()));
    let p = profile(&d, &a, Some(&last), &catalogue(), Level::School, &EN);
    assert_eq!(p.bars[0].label, "At least one risk in the domain");
    let teased = p.bars.iter().find(|b| b.factor.as_deref() == Some("r.teased")).expect("a bar");
    assert_eq!(teased.value.interval().map(|i| i.estimate), Some(0.5));
    assert_eq!(teased.reference.as_ref().and_then(Value::interval).map(|i| i.estimate), Some(0.35));
    assert_eq!(teased.last.as_ref().and_then(Value::interval).map(|i| i.estimate), Some(0.25));
    assert_eq!(
        p.table.columns,
        ["Factor", "Share (95% CI)", "Asked", "Everyone: Share (95% CI)", "Share (95% CI) (before)"]
    );
    // For everyone there is no reference mark.
    assert!(profile(&d, &Group::Everyone, None, &catalogue(), Level::School, &EN)
        .bars
        .iter()
        .all(|b| b.reference.is_none()));
}

#[test]
fn the_trend_says_no_reliable_change_when_the_interval_holds_zero_and_names_a_reliable_one() {
    let years = [children("a", 100, 20), children("a", 100, 22), children("a", 100, 45)];
    let disclosed: Vec<Disclosed> = years.iter().map(|r| shown(r, &[])).collect();
    let two = [("2024".to_string(), &disclosed[0]), ("2025".to_string(), &disclosed[1])];
    let table = trend(&two, &Group::Everyone, &catalogue(), &SV);
    let teased = table.rows.iter().find(|r| r.factor.as_deref() == Some("r.teased")).expect("a row");
    assert_eq!(teased.cells[2].tone(), Tone::NoChange);
    assert!(teased.cells[2].text(&SV).contains("ingen säkerställd förändring"), "{}", teased.cells[2].text(&SV));
    let rise = [("2025".to_string(), &disclosed[1]), ("2026".to_string(), &disclosed[2])];
    let table = trend(&rise, &Group::Everyone, &catalogue(), &EN);
    let teased = table.rows.iter().find(|r| r.factor.as_deref() == Some("r.teased")).expect("a row");
    assert_eq!(teased.cells[2].tone(), Tone::Reliable);
    assert!(teased.cells[2].text(&EN).starts_with("+23 ("), "{}", teased.cells[2].text(&EN));
    assert!(teased.cells[2].text(&EN).contains("reliable rise; unpaired"));
    // Two groups of 100 near 33.5 %: the normal approximation puts the smallest reliable
    // change at 1.96 × √(2 × 0.335 × 0.665 / 100) = 13.1 points; Newcombe's score interval is
    // a little wider, so the first whole count whose interval leaves zero is 14 more of 100.
    assert_eq!(table.columns.last().map(String::as_str), Some("Smallest detectable change"));
    assert_eq!(teased.cells[3].text(&EN), "14 percentage points");
}

#[test]
fn before_and_after_pairs_the_same_children_and_hides_a_comparison_whose_round_share_is_hidden() {
    // 60 children answer both rounds: 30 teased before, of them 20 no longer after; nobody
    // starts. Paired by pseudonym.
    let child = |i: u32, yes: bool| {
        let mut r = record("a", None, Some(if yes { YES } else { RiskState::No }), true);
        r.pseudonym = Pseudonym([i.to_be_bytes(), [1; 4], [2; 4], [3; 4]].concat().try_into().expect("16 bytes"));
        r
    };
    let before: Vec<StatisticsRecord> = (0..60).map(|i| child(i, i < 30)).collect();
    let after: Vec<StatisticsRecord> = (0..60).map(|i| child(i, i < 10)).collect();
    let table = before_after_table(&before, &after, &catalogue(), &Rules::default(), &SV);
    let teased = &table.rows[0];
    assert_eq!(teased.label, "Retad");
    assert_eq!(teased.cells[0].text(&SV), "50 % (38–62)");
    assert_eq!(teased.cells[1].text(&SV), "17 % (9–28)");
    assert_eq!(teased.cells[2].tone(), Tone::Reliable);
    assert!(
        teased.cells[2].text(&SV).contains("säkerställd minskning; parad, 60 barn i båda"),
        "{}",
        teased.cells[2].text(&SV)
    );
    assert_eq!(teased.cells[3].text(&SV), "kan inte jämföras", "nobody answered only one round");

    // With only 3 teased before, the round's share is "<5", and so is every comparison.
    let before: Vec<StatisticsRecord> = (0..60).map(|i| child(i, i < 3)).collect();
    let table = before_after_table(&before, &after, &catalogue(), &Rules::default(), &SV);
    assert_eq!(table.rows[0].cells[0].text(&SV), "<5");
    assert_eq!(table.rows[0].cells[2].tone(), Tone::Hidden);
    assert_eq!(table.rows[0].cells[4].text(&SV), "–");
}

#[test]
fn when_the_paired_table_would_show_a_count_under_five_the_rounds_are_compared_unpaired_and_say_so() {
    let child = |i: u32, yes: bool| {
        let mut r = record("a", None, Some(if yes { YES } else { RiskState::No }), true);
        r.pseudonym = Pseudonym([i.to_be_bytes(), [4; 4], [5; 4], [6; 4]].concat().try_into().expect("16 bytes"));
        r
    };
    // 100 children in both rounds: 30 teased before, 10 after, only 2 of them both times.
    let before: Vec<StatisticsRecord> = (0..100).map(|i| child(i, i < 30)).collect();
    let after: Vec<StatisticsRecord> = (0..100).map(|i| child(i, (28..38).contains(&i))).collect();
    let table = before_after_table(&before, &after, &catalogue(), &Rules::default(), &SV);
    let change = &table.rows[0].cells[2];
    // 30 % → 10 %: Newcombe's interval for −20 points lies below zero.
    assert_eq!(change.tone(), Tone::Reliable);
    assert!(change.text(&SV).starts_with("−20 ("), "{}", change.text(&SV));
    assert!(change.text(&SV).ends_with("säkerställd minskning; oparad jämförelse"), "{}", change.text(&SV));
}

#[test]
fn a_rounds_response_rate_is_its_shown_respondents_over_the_invited_and_a_small_round_shows_none() {
    let big = shown(&children("a", 40, 10), &[]);
    let small = shown(&children("b", 6, 1), &[]);
    let table = response(&[("Vår".into(), 50, &big), ("Höst".into(), 8, &small), ("Okänd".into(), 0, &big)], &SV);
    assert_eq!(table.columns, ["Omgång", "Inbjudna", "Svarande (klara)", "Svarsfrekvens"]);
    assert_eq!(
        table.texts(&SV),
        [["Vår", "50", "40", "80 %"], ["Höst", "8", "för få svarande", "–"], ["Okänd", "0", "40", "–"],]
    );
}
