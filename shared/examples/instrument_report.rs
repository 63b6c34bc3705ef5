//! `make instrument-report`: prints, for every questionnaire in `questionnaires/`, each
//! factor of its age band with the items that measure it, the screens an untroubled child
//! and a child with every risk see, and the LIX of its Swedish texts.

use beratta_core::catalogue::Catalogue;
use beratta_core::questionnaire::Questionnaire;
use beratta_core::report::InstrumentReport;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dir =
        std::env::args().nth(1).unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../questionnaires").into());
    let read = |name: &str| std::fs::read_to_string(format!("{dir}/{name}"));
    let catalogue = match read("factors.toml").map(|s| Catalogue::from_toml("factors.toml", &s)) {
        Ok(Ok(c)) => c,
        Ok(Err(errors)) => {
            errors.iter().for_each(|e| eprintln!("{e}"));
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("{dir}/factors.toml: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut names: Vec<String> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.ends_with(".toml") && n != "factors.toml")
            .collect(),
        Err(e) => {
            eprintln!("{dir}: {e}");
            return ExitCode::FAILURE;
        }
    };
    names.sort();
    let mut failed = false;
    for name in names {
        let source = match read(&name) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("{name}: {e}");
                failed = true;
                continue;
            }
        };
        match Questionnaire::from_toml(&name, &source, &catalogue) {
            Ok(q) => println!("{}", InstrumentReport::new(&q, &catalogue)),
            Err(errors) => {
                errors.iter().for_each(|e| eprintln!("{e}"));
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
