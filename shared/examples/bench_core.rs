//! Native benchmarks of the domain crate, printed by `make bench`: the engine's time per
//! answer on the real 10–12 instrument, and the cost of one Argon2id code derivation (the
//! price of every guess at a child's code).

use beratta_core::catalogue::Catalogue;
use beratta_core::engine::{Action, Answer, Session};
use beratta_core::login::{derive_child_secrets, ChildCode, KdfParams};
use beratta_core::questionnaire::{Kind, Questionnaire};
use rand_core::OsRng;
use std::time::Instant;

fn instrument() -> Questionnaire {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../questionnaires");
    let read = |f: &str| std::fs::read_to_string(format!("{dir}/{f}")).expect("questionnaire files are there");
    let catalogue = Catalogue::from_toml("factors.toml", &read("factors.toml")).expect("valid catalogue");
    Questionnaire::from_toml("ages-10-12.toml", &read("ages-10-12.toml"), &catalogue).expect("valid instrument")
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
