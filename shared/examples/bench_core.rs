//! Native benchmarks of the domain crate, printed by `make bench`: the engine's time per
//! answer on the real 10–12 instrument, the cost of one Argon2id code derivation (the
//! price of every guess at a child's code), the time to generate synthetic assessments
//! through the engine, the bytes of a sealed statistics record, and the time to count and
//! gate 100,000 records.

use beratta_core::catalogue::Catalogue;
use beratta_core::engine::{Action, Answer, Session};
use beratta_core::envelope::OrgSecretKey;
use beratta_core::group::{aggregate, disclose, Breakdown, Rules};
use beratta_core::login::{derive_child_secrets, ChildCode, KdfParams};
use beratta_core::questionnaire::{Kind, Questionnaire};
use beratta_core::statistics::{seal_record, RecordContext, StatisticsRecord};
use beratta_core::synthetic::municipality::Plan;
use rand_core::OsRng;
use std::time::Instant;

fn read(file: &str) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../questionnaires");
    std::fs::read_to_string(format!("{dir}/{file}")).expect("questionnaire files are there")
}

fn catalogue() -> Catalogue {
    Catalogue::from_toml("factors.toml", &read("factors.toml")).expect("valid catalogue")
}

fn named(file: &str) -> Questionnaire {
    Questionnaire::from_toml(file, &read(file), &catalogue()).expect("valid instrument")
}

fn instrument() -> Questionnaire {
    named("ages-10-12.toml")
}

/// Generates Demokommun with about `n` finished assessments over all three instruments
/// through the engine, derives and seals their records, and prints the time and the sealed
/// size; then counts and gates 100,000 records by unit.
fn group_figures(instruments: &[Questionnaire], n: usize) {
    let statistics = OrgSecretKey::generate(&mut OsRng);
    // The plan yields about 1.9 assessments per child (two years, a few away each time).
    let plan = Plan::demokommun(n * 10 / 19);
    let start = Instant::now();
    let generated = plan.assessments(|id| instruments.iter().find(|q| q.id == id), &mut OsRng);
    let mut records = Vec::with_capacity(generated.len());
    let mut sealed_bytes = 0;
    for g in &generated {
        let q = instruments.iter().find(|q| q.id == g.round.instrument).expect("a generated round's instrument");
        let context =
            RecordContext { round: g.round.id.clone(), unit: Some(g.round.area.into()), pseudonym: g.child.pseudonym };
        let record = StatisticsRecord::derive(q, &g.session, &context);
        let encoded = record.encode(q).expect("a generated record encodes");
        sealed_bytes += seal_record(&statistics.public_key(), "demo", &g.round.id, &encoded, &mut OsRng).len();
        records.push(record);
    }
    println!(
        "synthetic: {:.1} s to generate, score and seal {} demo assessments ({}, {} rounds, three instruments) \
         through the engine; {} bytes per sealed statistics record on average",
        start.elapsed().as_secs_f64(),
        generated.len(),
        plan.name,
        plan.rounds.len(),
        sealed_bytes / generated.len().max(1)
    );
    let catalogue = catalogue();
    let many: Vec<StatisticsRecord> = records.iter().cycle().take(100_000).cloned().collect();
    let start = Instant::now();
    let grid = aggregate(&many, &catalogue, &[Breakdown::Unit]);
    let counted = start.elapsed();
    let shown = disclose(&grid, &Rules::default());
    println!(
        "group: {:.0} ms to count 100,000 records by unit, {:.0} ms through the disclosure gate ({} figures)",
        counted.as_secs_f64() * 1e3,
        (start.elapsed() - counted).as_secs_f64() * 1e3,
        shown.cells().count()
    );
}

/// A complete pass that endorses every risk it meets, so every chain opens: the longest walk.
fn troubled_pass(q: &Questionnaire) -> usize {
    let mut s = Session::start(q);
    let mut answers = 0;
    while let Some(i) = s.current(q) {
        let item = &q.items[i];
        let answer = match item.kind {
            Kind::Text => Answer::Text("words".into()),
            Kind::Multiple => {
                Answer::Choices(item.options.iter().filter(|o| !o.exclusive).map(|o| o.id.clone()).collect())
            }
            _ => {
                Answer::Choice(item.options.iter().find(|o| o.signals.is_some()).unwrap_or(&item.options[0]).id.clone())
            }
        };
        s = s.apply(q, Action::Answer { item: item.id.clone(), answer }).expect("answer fits");
        answers += 1;
    }
    answers
}

fn main() {
    let q = instrument();
    let passes = 300;
    let start = Instant::now();
    let mut answers = 0;
    for _ in 0..passes {
        answers += troubled_pass(&q);
    }
    let per_answer = start.elapsed().as_secs_f64() / answers as f64;
    println!(
        "engine: {:.1} µs per answer ({} answers over {} complete passes of {}, {} items expanded)",
        per_answer * 1e6,
        answers,
        passes,
        q.reference(),
        q.items.len()
    );

    let instruments: Vec<Questionnaire> =
        ["ages-6-9.toml", "ages-10-12.toml", "ages-13-18.toml"].into_iter().map(named).collect();
    group_figures(&instruments, 10_000);

    let code = ChildCode::generate(&mut OsRng);
    let runs = 5;
    let start = Instant::now();
    for _ in 0..runs {
        derive_child_secrets(&code, &[7; 16], &KdfParams::STANDARD).expect("standard params are valid");
    }
    let per_guess = start.elapsed().as_secs_f64() / runs as f64;
    println!(
        "argon2id: {:.0} ms per code derivation (19 MiB, 2 passes, 1 lane; native, one core) = the cost of one guess",
        per_guess * 1e3
    );
}
