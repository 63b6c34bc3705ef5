//! Demokommun: the plan of a whole municipality's surveys for the demo and the benchmarks.
//! Three areas, each with one round per age band in each of two school years; an
//! intervention whose before and after rounds show a lowered risk, one whose rounds show no
//! change, one area where bullying rises in the second year, and one area where many
//! 13–18-year-olds lack a structured free time. The same children (the same pseudonyms)
//! answer in both years, so before and after can be paired.
//!
//! Its resources register ([`Plan::resources`]) plants a gap, since no youth centre or club
//! serves that area's 13–18-year-olds, and a duplicate: the same field workers entered twice
//! under two names.
//!
//! Pure: [`Plan::assessments`] answers every round through the engine with the randomness
//! handed in, and the same seed gives the same municipality.

use super::{answer, Child, Pattern, Situation};
use crate::engine::Session;
use crate::questionnaire::Questionnaire;
use rand_core::RngCore;

/// The phase of a round within an intervention.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Before,
    After,
}

/// An intervention the plan follows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Intervention {
    pub id: &'static str,
    pub name: &'static str,
    /// `insats`, `projekt` or `grupp`.
    pub kind: &'static str,
    /// What it is planted to do, in words for the people reading the demo.
    pub planted: &'static str,
}

/// A school or area: the unit a round belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Area {
    pub id: &'static str,
    pub name: &'static str,
}

/// One survey wave of one area and age band.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Round {
    pub id: String,
    pub name: String,
    pub area: &'static str,
    /// The instrument's id (`beratta-10-12`).
    pub instrument: &'static str,
    /// The calendar year the round runs in (in March).
    pub year: u16,
    pub intervention: Option<(&'static str, Phase)>,
    /// Which cohort answers: the area's children of this age band.
    cohort: usize,
}

/// The municipality: its areas, rounds, interventions, planted patterns and children.
#[derive(Clone, Debug)]
pub struct Plan {
    pub name: &'static str,
    pub areas: Vec<Area>,
    pub interventions: Vec<Intervention>,
    pub rounds: Vec<Round>,
    pub patterns: Vec<Pattern>,
    /// Children per cohort (area × age band), in the order of `cohorts`.
    sizes: Vec<usize>,
    /// Of a cohort, the share that answers each round (the rest are away that day).
    pub response: f64,
}

/// A resource of the demo's register, by the plan's area ids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedResource {
    pub name: &'static str,
    /// The stable name of its kind (`youth_centre`).
    pub kind: &'static str,
    pub owner: &'static str,
    pub areas: Vec<&'static str>,
    pub bands: Vec<&'static str>,
    pub hours: &'static str,
    pub contact: &'static str,
    pub factors: Vec<&'static str>,
}

/// One generated assessment: which round, which child, and the finished session.
pub struct Generated<'p> {
    pub round: &'p Round,
    pub child: Child,
    pub session: Session,
}

/// The instruments, youngest first, with the share of a municipality's children in each band.
const BANDS: [(&str, f64); 3] = [("beratta-6-9", 0.28), ("beratta-10-12", 0.32), ("beratta-13-18", 0.40)];
/// The first of the two school years' spring rounds.
pub const FIRST_YEAR: u16 = 2025;
/// The area where bullying rises in the second year, and by how much.
pub const BULLYING_AREA: &str = "vasterby";
pub const BULLYING_FACTOR: &str = "sch.bullied";
pub const BULLYING_TIMES: f64 = 2.2;
/// The intervention that lowers a risk among its children, and the one that changes nothing.
pub const WORKING: &str = "trygg-fritid";
pub const WORKING_AREA: &str = "norrby";
pub const WORKING_INSTRUMENT: &str = "beratta-13-18";
pub const WORKING_FACTOR: &str = "com.criminal_peers";
pub const WORKING_TIMES: f64 = 0.45;
/// The area where many 13–18-year-olds lack a structured free time, and how much rarer it
/// is there; no resource of the register serves them for it (the planted gap).
pub const LEISURE_AREA: &str = "vasterby";
pub const LEISURE_BAND: &str = "13-18";
pub const LEISURE_FACTOR: &str = "fri.leisure";
pub const LEISURE_TIMES: f64 = 0.45;
/// The two entries of the register that are one resource (the planted duplicate).
pub const DUPLICATE: [&str; 2] = ["Fältgruppen", "Fältarna"];
pub const IDLE: &str = "foraldratraffar";
pub const IDLE_AREA: &str = "soderang";
pub const IDLE_INSTRUMENT: &str = "beratta-10-12";

impl Plan {
    /// Demokommun with about `children` children over all areas and age bands; each answers
    /// in both years (less the ones away), so the plan holds about 1.9 × `children` finished
    /// assessments. `make run` uses 850, for at least 1,500.
    pub fn demokommun(children: usize) -> Plan {
        let areas = vec![
            Area { id: "norrby", name: "Norrbyskolan" },
            Area { id: "soderang", name: "Söderängsskolan" },
            Area { id: "vasterby", name: "Västerby" },
        ];
        let interventions = vec![
            Intervention {
                id: WORKING,
                name: "Trygg fritid",
                kind: "projekt",
                planted: "Färre unga i Norrby (13–18 år) har vänner som begår brott efter insatsen.",
            },
            Intervention {
                id: IDLE,
                name: "Föräldraträffar",
                kind: "grupp",
                planted: "Ingen skillnad mellan före och efter på Söderängsskolan (10–12 år).",
            },
        ];
        let mut rounds = Vec::new();
        let mut sizes = Vec::new();
        for area in &areas {
            for (instrument, share) in BANDS {
                let cohort = sizes.len();
                sizes.push(((children as f64 * share / areas.len() as f64).round() as usize).max(1));
                let ages = instrument.trim_start_matches("beratta-").replace('-', "–");
                for year in [FIRST_YEAR, FIRST_YEAR + 1] {
                    let intervention =
                        [(WORKING, WORKING_AREA, WORKING_INSTRUMENT), (IDLE, IDLE_AREA, IDLE_INSTRUMENT)]
                            .into_iter()
                            .find(|(_, a, i)| *a == area.id && *i == instrument)
                            .map(|(id, ..)| (id, if year == FIRST_YEAR { Phase::Before } else { Phase::After }));
                    rounds.push(Round {
                        id: format!("{}-{}-{year}", area.id, instrument.trim_start_matches("beratta-")),
                        name: format!("{}, {ages} år, våren {year}", area.name),
                        area: area.id,
                        instrument,
                        year,
                        intervention,
                        cohort,
                    });
                }
            }
        }
        let patterns = vec![
            Pattern {
                factor: BULLYING_FACTOR.into(),
                unit: BULLYING_AREA.into(),
                year: Some(FIRST_YEAR + 1),
                band: None,
                after: None,
                times: BULLYING_TIMES,
            },
            Pattern {
                factor: WORKING_FACTOR.into(),
                unit: WORKING_AREA.into(),
                year: None,
                band: None,
                after: Some(true),
                times: WORKING_TIMES,
            },
            Pattern {
                factor: LEISURE_FACTOR.into(),
                unit: LEISURE_AREA.into(),
                year: None,
                band: Some(LEISURE_BAND.into()),
                after: None,
                times: LEISURE_TIMES,
            },
        ];
        Plan { name: "Demokommun", areas, interventions, rounds, patterns, sizes, response: 0.95 }
    }

    /// The municipality's resources register: what it has for its children, where and for
    /// which ages. Nothing serves Västerby's 13–18-year-olds for their free time (the
    /// youth centres are elsewhere, the football club and the library take younger
    /// children), and the field workers are entered twice ([`DUPLICATE`]).
    pub fn resources(&self) -> Vec<PlannedResource> {
        let all = ["norrby", "soderang", "vasterby"];
        vec![
            PlannedResource {
                name: "Fritidsgården Norrbyhallen",
                kind: "youth_centre",
                owner: "Fritidsförvaltningen",
                areas: vec!["norrby"],
                bands: vec!["13-18"],
                hours: "Mån–fre 15–21, lör 12–18",
                contact: "fritid@demokommun.se",
                factors: vec!["fri.leisure", "com.unsafe_places", "ind.protective_persons"],
            },
            PlannedResource {
                name: "Söderängs fritidsklubb",
                kind: "youth_centre",
                owner: "Fritidsförvaltningen",
                areas: vec!["soderang"],
                bands: vec!["10-12", "13-18"],
                hours: "Mån–tor 14–19",
                contact: "fritid@demokommun.se",
                factors: vec!["fri.leisure", "ind.belonging"],
            },
            PlannedResource {
                name: "Västerby IF, barnfotboll",
                kind: "sport",
                owner: "Västerby IF",
                areas: vec!["vasterby"],
                bands: vec!["6-9", "10-12"],
                hours: "Tis och tor 17–19, 60 platser",
                contact: "kansli@vasterbyif.se",
                factors: vec!["fri.leisure", "ind.belonging"],
            },
            PlannedResource {
                name: "Stadsbiblioteket",
                kind: "library",
                owner: "Kulturförvaltningen",
                areas: all.to_vec(),
                bands: vec!["6-9", "10-12"],
                hours: "Mån–lör 10–19",
                contact: "bibliotek@demokommun.se",
                factors: vec!["fri.leisure", "sch.performance"],
            },
            PlannedResource {
                name: DUPLICATE[0],
                kind: "field_workers",
                owner: "Socialförvaltningen",
                areas: vec!["norrby", "vasterby"],
                bands: vec!["13-18"],
                hours: "Fre och lör 19–01",
                contact: "falt@demokommun.se",
                factors: vec!["com.unsafe_places", "com.criminal_peers", "ind.own_substance_use"],
            },
            PlannedResource {
                name: DUPLICATE[1],
                kind: "field_workers",
                owner: "Socialförvaltningen",
                areas: vec!["norrby", "vasterby"],
                bands: vec!["13-18"],
                hours: "Kvällar och helger",
                contact: "",
                factors: vec!["com.criminal_peers"],
            },
            PlannedResource {
                name: "Föräldrastöd i grupp",
                kind: "parent_support",
                owner: "Socialförvaltningen",
                areas: all.to_vec(),
                bands: vec!["6-9", "10-12"],
                hours: "Tio träffar per termin, 12 familjer",
                contact: "foraldrastod@demokommun.se",
                factors: vec!["fam.parenting", "fam.conflict", "fam.stress"],
            },
            PlannedResource {
                name: "Elevhälsan",
                kind: "school_health",
                owner: "Utbildningsförvaltningen",
                areas: all.to_vec(),
                bands: vec!["6-9", "10-12", "13-18"],
                hours: "Skoldagar 8–16",
                contact: "elevhalsan@demokommun.se",
                factors: vec!["ind.mental_health", "sch.bullied", "sch.attendance"],
            },
        ]
    }

    /// How many children each round's cohort has.
    pub fn cohort_size(&self, round: &Round) -> usize {
        self.sizes[round.cohort]
    }

    /// Answers every round through the engine, round by round: each cohort's children are
    /// drawn once, so a child keeps its pseudonym and load across both years. `instrument`
    /// finds a questionnaire by id; a round whose instrument it lacks is skipped.
    pub fn assessments<'p, 'q>(
        &'p self,
        instrument: impl Fn(&str) -> Option<&'q Questionnaire>,
        rng: &mut impl RngCore,
    ) -> Vec<Generated<'p>> {
        let cohorts: Vec<Vec<Child>> = self.sizes.iter().map(|&n| (0..n).map(|_| Child::new(rng)).collect()).collect();
        let mut out = Vec::new();
        for round in &self.rounds {
            let Some(q) = instrument(round.instrument) else { continue };
            let situation = Situation {
                unit: round.area,
                year: round.year,
                band: round.instrument.trim_start_matches("beratta-"),
                after: round.intervention.map(|(_, phase)| phase == Phase::After),
            };
            for child in &cohorts[round.cohort] {
                if super::unit(rng) >= self.response {
                    continue;
                }
                let session = answer(q, child, &situation, &self.patterns, rng);
                out.push(Generated { round, child: child.clone(), session });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::tests::real_named;
    use crate::statistics::{RecordContext, StatisticsRecord};
    use crate::synthetic::tests::Seeded;

    fn share(generated: &[Generated], round: &str, q: &Questionnaire, factor: &str) -> f64 {
        let of_round: Vec<&Generated> = generated.iter().filter(|g| g.round.id == round).collect();
        let endorsed = of_round
            .iter()
            .filter(|g| {
                let context = RecordContext { round: round.into(), unit: None, pseudonym: g.child.pseudonym };
                StatisticsRecord::derive(q, &g.session, &context).endorsed(factor)
            })
            .count();
        endorsed as f64 / of_round.len() as f64
    }

    #[test]
    fn demokommun_has_three_areas_two_years_per_band_two_interventions_and_enough_children() {
        let plan = Plan::demokommun(850);
        assert_eq!(plan.areas.len(), 3);
        assert_eq!(plan.rounds.len(), 3 * BANDS.len() * 2);
        for (id, _, _) in [(WORKING, 0, 0), (IDLE, 0, 0)] {
            let phases: Vec<Phase> =
                plan.rounds.iter().filter_map(|r| r.intervention.filter(|(i, _)| *i == id).map(|(_, p)| p)).collect();
            assert_eq!(phases, [Phase::Before, Phase::After], "{id}");
        }
        let planned: usize = plan.rounds.iter().map(|r| plan.cohort_size(r)).sum();
        assert!(planned as f64 * plan.response >= 1_550.0, "only about {planned} assessments planned");
    }

    #[test]
    fn the_same_children_answer_both_years_and_the_planted_patterns_show() {
        // The 13–18 instrument only, at a size that keeps the test quick but the effects clear.
        let q = real_named("ages-13-18.toml");
        let plan = Plan::demokommun(1_200);
        let generated = plan.assessments(|id| (id == q.id).then_some(&q), &mut Seeded(7));
        assert!(generated.iter().all(|g| g.session.view(&q).complete));

        // Pairs: most of Norrby's 13–18 children answered before and after.
        let before = format!("{WORKING_AREA}-13-18-{FIRST_YEAR}");
        let after = format!("{WORKING_AREA}-13-18-{}", FIRST_YEAR + 1);
        let pseudonyms = |round: &str| -> std::collections::BTreeSet<_> {
            generated.iter().filter(|g| g.round.id == round).map(|g| g.child.pseudonym).collect()
        };
        let paired = pseudonyms(&before).intersection(&pseudonyms(&after)).count();
        assert!(paired as f64 >= 0.85 * plan.cohort_size(&plan.rounds[0]) as f64, "{paired} pairs");

        // The working intervention lowers its risk; elsewhere the same risk holds.
        let (b, a) = (share(&generated, &before, &q, WORKING_FACTOR), share(&generated, &after, &q, WORKING_FACTOR));
        assert!(a < 0.7 * b, "before {b:.3}, after {a:.3}");
        let elsewhere = |year: u16| share(&generated, &format!("soderang-13-18-{year}"), &q, WORKING_FACTOR);
        let (b2, a2) = (elsewhere(FIRST_YEAR), elsewhere(FIRST_YEAR + 1));
        assert!((a2 - b2).abs() < 0.5 * b2.max(0.02) + 0.03, "elsewhere {b2:.3} then {a2:.3}");

        // Fewer of Västerby's 13–18-year-olds have a structured free time.
        let leisure = |area: &str| {
            let of_area: Vec<&Generated> =
                generated.iter().filter(|g| g.round.area == area && g.round.year == FIRST_YEAR).collect();
            let present = of_area
                .iter()
                .filter(|g| {
                    let context = RecordContext { round: g.round.id.clone(), unit: None, pseudonym: g.child.pseudonym };
                    StatisticsRecord::derive(&q, &g.session, &context).protective.get(LEISURE_FACTOR)
                        == Some(&crate::statistics::ProtectiveState::Present)
                })
                .count();
            present as f64 / of_area.len() as f64
        };
        assert!(
            leisure(LEISURE_AREA) < 0.6 * leisure("soderang"),
            "{} against {}",
            leisure(LEISURE_AREA),
            leisure("soderang")
        );

        // Bullying rises in Västerby's second year.
        let bullied = |area: &str, year: u16| share(&generated, &format!("{area}-13-18-{year}"), &q, BULLYING_FACTOR);
        assert!(bullied(BULLYING_AREA, FIRST_YEAR + 1) > 1.5 * bullied(BULLYING_AREA, FIRST_YEAR));
    }

    #[test]
    fn the_register_plants_a_gap_for_vasterbys_teenagers_and_a_duplicate() {
        let plan = Plan::demokommun(120);
        let register = plan.resources();
        let serves_gap = register.iter().filter(|r| {
            r.areas.contains(&LEISURE_AREA) && r.bands.contains(&LEISURE_BAND) && r.factors.contains(&LEISURE_FACTOR)
        });
        assert_eq!(serves_gap.count(), 0, "the planted gap is served");
        assert!(register.iter().filter(|r| r.factors.contains(&LEISURE_FACTOR)).count() >= 3, "elsewhere it is");
        let twins: Vec<&PlannedResource> = register.iter().filter(|r| DUPLICATE.contains(&r.name)).collect();
        assert_eq!(twins.len(), 2);
        assert_eq!(
            (twins[0].kind, twins[0].owner, &twins[0].areas, &twins[0].bands),
            (twins[1].kind, twins[1].owner, &twins[1].areas, &twins[1].bands)
        );
        for r in &register {
            assert!(r.areas.iter().all(|a| plan.areas.iter().any(|x| x.id == *a)), "{}", r.name);
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_municipality() {
        let q = real_named("ages-6-9.toml");
        let plan = Plan::demokommun(120);
        let once = plan.assessments(|id| (id == q.id).then_some(&q), &mut Seeded(3));
        let again = plan.assessments(|id| (id == q.id).then_some(&q), &mut Seeded(3));
        assert_eq!(once.len(), again.len());
        assert!(once.iter().zip(&again).all(|(x, y)| x.session == y.session && x.child.pseudonym == y.child.pseudonym));
    }
}
