//! The needs × resources view on two hand-made areas: the gap where a high need has no
//! resource, a resource that closes it, the resource with no measured need, and the age
//! bands nobody serves.

use super::*;
use crate::api::ResourceKind;
use crate::needs::high::tests::children;
use crate::needs::words::{EN, SV};
use crate::questionnaire::tests::catalogue;

fn resource(id: &str, areas: &[&str], bands: &[&str], factors: &[&str]) -> Resource {
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
    Resource {
        resource_id: id.into(),
        name: format!("Resurs {id}"),
        kind: ResourceKind::YouthCentre,
        owner: String::new(),
        areas: strings(areas),
        bands: strings(bands),
        hours: String::new(),
        contact: String::new(),
        factors: strings(factors),
        changed_unix: 0,
    }
}

/// Area a, 13–18: 20 of 40 teased and 30 of 40 without a trusted adult (both high against
/// area b: 10 of 100 and 10 of 100).
fn records() -> Vec<StatisticsRecord> {
    [children("a", "13-18", 40, 20, 10), children("b", "13-18", 100, 10, 90)].concat()
}

fn rows(cell: &Cell) -> Vec<(String, bool, Vec<String>)> {
    cell.rows.iter().map(|r| (r.factor.clone(), r.is_gap(), r.resources.clone())).collect()
}

#[test]
fn a_high_need_with_no_resource_where_it_is_is_a_gap_and_a_resource_there_closes_it() {
    let now = release(&records(), &catalogue(), &[], &Rules::default());
    let register = vec![
        // Serves a, 13–18, for teasing: that need is met there.
        resource("club", &["a"], &["13-18"], &["r.teased"]),
        // Serves b only, where nothing is high: no measured need.
        resource("library", &["b"], &["13-18"], &["r.teased", "p.adult"]),
    ];
    let m = matrix(&now, None, &catalogue(), &register, None);
    let a = m.cells.iter().find(|c| c.unit.as_deref() == Some("a")).expect("area a");
    assert_eq!(a.serving, ["club"]);
    assert_eq!(
        rows(a),
        [("p.adult".to_string(), true, vec![]), ("r.teased".to_string(), false, vec!["club".to_string()])],
        "the gap first"
    );
    let b = m.cells.iter().find(|c| c.unit.as_deref() == Some("b")).expect("area b");
    assert_eq!(
        rows(b),
        [("r.teased".into(), false, vec!["library".into()]), ("p.adult".into(), false, vec!["library".into()])]
    );
    assert_eq!(m.idle, ["library"]);
    assert_eq!(m.bands_without, ["6-9", "10-12"]);

    // A youth centre for a's 13–18-year-olds with trusted adults closes the gap.
    let mut more = register.clone();
    more.push(resource("centre", &["a", "b"], &["10-12", "13-18"], &["p.adult"]));
    let m = matrix(&now, None, &catalogue(), &more, None);
    let a = m.cells.iter().find(|c| c.unit.as_deref() == Some("a")).expect("area a");
    assert_eq!(a.gaps().count(), 0);
    assert!(rows(a).contains(&("p.adult".into(), false, vec!["centre".into()])), "{:?}", rows(a));
    assert_eq!(m.bands_without, ["6-9"]);
}

#[test]
fn a_cell_reads_as_a_table_in_swedish_and_english() {
    let now = release(&records(), &catalogue(), &[], &Rules::default());
    let m = matrix(&now, None, &catalogue(), &[resource("club", &["a"], &["13-18"], &["r.teased"])], None);
    let a = &m.cells[0];
    let name = |id: &str| format!("Resurs {id}");
    let sv = cell_table(a, &catalogue(), &name, &SV);
    assert_eq!(sv.columns[0], "Faktor");
    assert_eq!(
        sv.texts(&crate::group::picture::SV),
        [
            vec![
                "Saknar: Vuxen".to_string(),
                "75 % (60–86)".into(),
                "–".into(),
                "–".into(),
                "över resten av kommunen".into(),
                "Glapp: högt behov och ingen resurs här".into()
            ],
            vec![
                "Retad".into(),
                "50 % (35–65)".into(),
                "0 % (0–16)".into(),
                "0 % (0–16)".into(),
                "över resten av kommunen".into(),
                "Resurs club".into()
            ],
        ]
    );
    let en = cell_table(a, &catalogue(), &name, &EN);
    assert_eq!(en.rows[0].label, "Lacks: Adult");
    let gaps =
        gaps_table(&m, &catalogue(), &|c| cell_name(c, &|u| Some(u.to_uppercase()), &crate::group::picture::EN), &EN);
    assert_eq!(
        gaps.texts(&crate::group::picture::EN),
        [["A, 13–18 years", "Lacks: Adult", "75% (60–86)", "above the rest of the municipality"]]
    );
}

#[test]
fn demokommuns_planted_gap_is_found_and_a_youth_centre_there_closes_it() {
    use crate::engine::tests::real_named;
    use crate::group::gate::disclose;
    use crate::group::key::Breakdown;
    use crate::resources::register::check;
    use crate::statistics::{Pseudonym, RecordContext};
    use crate::synthetic::municipality::{Plan, FIRST_YEAR, LEISURE_AREA, LEISURE_BAND, LEISURE_FACTOR};
    use crate::synthetic::tests::Seeded;

    let catalogue =
        crate::catalogue::Catalogue::from_toml("factors.toml", include_str!("../../../../questionnaires/factors.toml"))
            .expect("valid");
    let instruments = [real_named("ages-6-9.toml"), real_named("ages-10-12.toml"), real_named("ages-13-18.toml")];
    let plan = Plan::demokommun(900);
    let records: Vec<StatisticsRecord> = plan
        .assessments(|id| instruments.iter().find(|q| q.id == id), &mut Seeded(11))
        .iter()
        .filter(|g| g.round.year == FIRST_YEAR + 1)
        .map(|g| {
            let q = instruments.iter().find(|q| q.id == g.round.instrument).expect("planned");
            let context = RecordContext {
                round: g.round.id.clone(),
                unit: Some(g.round.area.into()),
                pseudonym: Pseudonym([0; 16]),
            };
            StatisticsRecord::derive(q, &g.session, &context)
        })
        .collect();
    let rules = Rules::default();
    let published: Vec<Disclosed> = [vec![], vec![Breakdown::Unit], vec![Breakdown::AgeBand]]
        .iter()
        .map(|b| disclose(&crate::group::aggregate(&records, &catalogue, b), &rules))
        .collect();
    let now = release(&records, &catalogue, &published.iter().collect::<Vec<_>>(), &rules);
    // The plan's register, by the plan's area ids (the units are named so here).
    let units: Vec<crate::api::Unit> =
        plan.areas.iter().map(|a| crate::api::Unit { unit_id: a.id.into(), name: a.name.into() }).collect();
    let register: Vec<Resource> = plan
        .resources()
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let draft = crate::api::ResourceDraft {
                name: r.name.into(),
                kind: ResourceKind::from_name(r.kind),
                owner: r.owner.into(),
                areas: r.areas.iter().map(|a| a.to_string()).collect(),
                bands: r.bands.iter().map(|b| b.to_string()).collect(),
                hours: r.hours.into(),
                contact: r.contact.into(),
                factors: r.factors.iter().map(|f| f.to_string()).collect(),
            };
            check(&draft, &catalogue, &units, None).expect("the plan's resource is valid").resource(&format!("r{i}"), 0)
        })
        .collect();
    let gap = |m: &Matrix| {
        let cell = m
            .cells
            .iter()
            .find(|c| c.unit.as_deref() == Some(LEISURE_AREA) && c.band.as_deref() == Some(LEISURE_BAND))
            .expect("the area's teenagers");
        cell.rows.iter().find(|r| r.factor == LEISURE_FACTOR).cloned()
    };
    let m = matrix(&now, None, &catalogue, &register, None);
    let row = gap(&m).expect("the lack of a structured free time is high there");
    assert!(row.is_gap() && row.high.contains(&High::AboveRest), "{row:?}");
    // Elsewhere the same need is met or not high.
    for cell in m.cells.iter().filter(|c| c.unit.as_deref() != Some(LEISURE_AREA)) {
        assert!(!cell.rows.iter().any(|r| r.factor == LEISURE_FACTOR && r.is_gap()), "{:?}", cell.group());
    }

    let mut more = register.clone();
    let centre = crate::api::ResourceDraft {
        name: "Fritidsgården Västerby".into(),
        kind: Some(ResourceKind::YouthCentre),
        areas: vec![LEISURE_AREA.into()],
        bands: vec![LEISURE_BAND.into()],
        factors: vec![LEISURE_FACTOR.into()],
        ..Default::default()
    };
    more.push(check(&centre, &catalogue, &units, None).expect("valid").resource("centre", 0));
    let m = matrix(&now, None, &catalogue, &more, None);
    let row = gap(&m).expect("still high");
    assert_eq!((row.is_gap(), row.resources.as_slice()), (false, ["centre".to_string()].as_slice()));
}
