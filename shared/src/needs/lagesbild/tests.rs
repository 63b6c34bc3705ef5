//! The lägesbild's structure: the law's three parts in order, in Swedish and English, the
//! release, instruments, rules and the definition of high stated, and each part holding
//! what the issue lists.

use super::*;
use crate::api::{Priority, ResourceKind};
use crate::group::gate::Rules;
use crate::group::picture::{self as views};
use crate::needs::high::tests::children;
use crate::needs::matrix::{matrix, release};
use crate::needs::words::{EN, SV};
use crate::questionnaire::tests::catalogue;

fn resource() -> Resource {
    Resource {
        resource_id: "club".into(),
        name: "Klubben".into(),
        kind: ResourceKind::Sport,
        owner: "IK".into(),
        areas: vec!["a".into()],
        bands: vec!["13-18".into()],
        hours: "Tis 18–20".into(),
        contact: String::new(),
        factors: vec!["r.teased".into()],
        changed_unix: 0,
    }
}

#[test]
fn the_document_has_the_laws_three_parts_with_what_each_must_hold() {
    let records = [children("a", "13-18", 40, 20, 10), children("b", "13-18", 100, 10, 90)].concat();
    let c = catalogue();
    let year = crate::group::gate::disclose(&crate::group::aggregate(&records, &c, &[]), &Rules::default());
    let crossed = release(&records, &c, &[&year], &Rules::default());
    let resources = [resource()];
    let m = matrix(&crossed, None, &c, &resources, Some(40));
    let units =
        [Unit { unit_id: "a".into(), name: "Norrby".into() }, Unit { unit_id: "b".into(), name: "Söder".into() }];
    let priorities = Priorities {
        year: "2026".into(),
        rounds: vec!["r".into()],
        priorities: vec![
            Priority { factor: "p.adult".into(), why: "Tre av fyra saknar en vuxen.".into() },
            Priority { factor: "r.teased".into(), why: "Hälften retas.".into() },
        ],
        set_by: "s".into(),
        set_unix: 0,
    };
    let rounds = ["Norrby 2026".to_string()];
    let instruments = ["test@1".to_string()];
    let inputs = Inputs {
        organisation: "Demokommun",
        year: "2026",
        rounds: &rounds,
        instruments: &instruments,
        rules: "Regler.",
        threshold: Some(40),
        release: &year,
        last: None,
        response: views::response(&[("Norrby 2026".into(), 150, &year)], &views::SV),
        trend: None,
        matrix: &m,
        resources: &resources,
        units: &units,
        priorities: Some(&priorities),
        catalogue: &c,
    };
    let sv = document(&inputs, &views::SV, &SV);
    assert_eq!(sv.title, "Lägesbild 2026: Demokommun");
    assert_eq!(
        sv.parts.iter().map(|p| p.heading.as_str()).collect::<Vec<_>>(),
        ["1. Kartläggning", "2. Annan relevant information", "3. Analys"]
    );
    assert_eq!(sv.facts[0], "Utgåva: omgångar stängda 2026 (Norrby 2026).");
    assert_eq!(sv.facts[1], "Instrument och version: test@1.");
    assert_eq!(sv.facts[2], "Regler.");
    assert!(sv.facts[3].contains("minst 40 %"), "{}", sv.facts[3]);
    let ids = |p: &Part| p.sections.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&sv.parts[0]), ["overview", "profiles"]);
    assert_eq!(ids(&sv.parts[1]), ["register", "response", "sources"]);
    assert_eq!(ids(&sv.parts[2]), ["priorities", "gaps", "changes"]);
    assert!(!sv.parts[0].sections[1].profiles.is_empty(), "the profiles are drawn");
    let register = &sv.parts[1].sections[0].tables[0].2;
    assert_eq!(
        register.texts(&views::SV),
        [["Klubben", "Idrott och föreningsliv", "IK", "Norrby", "13–18", "Tis 18–20", "Retad"]]
    );
    assert!(sv.parts[1].sections[2].paragraphs[0].contains("140 svarande i 1 stängda omgångar"));
    let priorities = &sv.parts[2].sections[0].tables[0].2;
    assert_eq!(priorities.texts(&views::SV)[0], ["Vuxen", "Tre av fyra saknar en vuxen."]);
    let gaps = &sv.parts[2].sections[1].tables[0].2;
    assert_eq!(gaps.texts(&views::SV)[0][0], "Norrby, 13–18 år");
    assert_eq!(gaps.texts(&views::SV)[0][1], "Saknar: Vuxen");
    assert_eq!(sv.parts[2].sections[2].paragraphs, ["Det finns ingen tidigare utgåva att jämföra med."]);

    let en = document(&Inputs { priorities: None, ..inputs }, &views::EN, &EN);
    assert_eq!(
        en.parts.iter().map(|p| p.heading.as_str()).collect::<Vec<_>>(),
        ["1. Mapping", "2. Other relevant information", "3. Analysis"]
    );
    assert_eq!(en.parts[2].sections[0].paragraphs, ["No priority factors have been chosen for this release."]);
}
