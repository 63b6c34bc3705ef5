//! Prints the answers `beratta-server demo-municipality --children N --seed S` generates,
//! one JSON line per assessment: its round, area, year, whether it finished, and each risk
//! factor asked as "yes", "no" or "declined", and each protective factor asked as
//! "present", "absent" or "declined". The group picture's browser test counts a
//! factor in an area from these lines by itself and checks that the page shows exactly the
//! share and interval that follow, without the gate or the page's arithmetic in between.
//!
//! Usage: `demo_answers QUESTIONNAIRES_DIR CHILDREN SEED`.

use beratta_core::questionnaire::Questionnaire;
use beratta_core::statistics::{ProtectiveState, Pseudonym, RecordContext, RiskState, StatisticsRecord};
use beratta_core::synthetic::municipality::Plan;
use beratta_server::instruments::load_library;
use rand_core::SeedableRng;
use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: demo_answers QUESTIONNAIRES_DIR CHILDREN SEED";
    let dir = PathBuf::from(args.next().ok_or_else(|| anyhow::anyhow!(usage))?);
    let children: usize = args.next().ok_or_else(|| anyhow::anyhow!(usage))?.parse()?;
    let seed: u64 = args.next().ok_or_else(|| anyhow::anyhow!(usage))?.parse()?;
    let library = load_library(&dir).map_err(|e| anyhow::anyhow!("{e}"))?;
    let newest = |id: &str| -> Option<&Questionnaire> {
        library.instruments.iter().map(|(_, q)| q).filter(|q| q.id == id).max_by_key(|q| q.version)
    };
    let plan = Plan::demokommun(children);
    // Exactly as the command draws them: the children and their answers from the seed alone.
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(seed);
    for g in plan.assessments(newest, &mut rng) {
        let q = newest(g.round.instrument).expect("the plan's instruments are there");
        let context = RecordContext { round: g.round.id.clone(), unit: None, pseudonym: Pseudonym([0; 16]) };
        let record = StatisticsRecord::derive(q, &g.session, &context);
        let risks: serde_json::Map<String, serde_json::Value> = record
            .risks
            .iter()
            .map(|(factor, state)| {
                let said = match state {
                    RiskState::Yes { .. } => "yes",
                    RiskState::No => "no",
                    RiskState::Declined => "declined",
                };
                (factor.clone(), said.into())
            })
            .collect();
        let protective: serde_json::Map<String, serde_json::Value> = record
            .protective
            .iter()
            .map(|(factor, state)| {
                let said = match state {
                    ProtectiveState::Present => "present",
                    ProtectiveState::Absent => "absent",
                    ProtectiveState::Declined => "declined",
                };
                (factor.clone(), said.into())
            })
            .collect();
        let line = serde_json::json!({
            "round": g.round.id,
            "area": g.round.area,
            "year": g.round.year,
            "finished": record.finished,
            "band": g.round.instrument.trim_start_matches("beratta-"),
            "risks": risks,
            "protective": protective,
        });
        println!("{line}");
    }
    Ok(())
}
