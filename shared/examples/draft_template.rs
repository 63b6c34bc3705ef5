//! Prints a draft-translation file for one questionnaire and language, every key with its
//! Swedish text as a comment, for a translator to fill in:
//! `cargo run -p beratta-core --example draft_template -- ages-10-12.toml so > questionnaires/drafts/ages-10-12.so.toml`

use beratta_core::questionnaire::raw::RawQuestionnaire;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [file, language] = args.as_slice() else {
        eprintln!("usage: draft_template FILE LANGUAGE");
        return ExitCode::FAILURE;
    };
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../questionnaires");
    let source = match std::fs::read_to_string(format!("{dir}/{file}")) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{file}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let raw: RawQuestionnaire = match toml::from_str(&source) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{file}: {}", e.message());
            return ExitCode::FAILURE;
        }
    };
    println!("# Draft {language} translation of {}@{}: not yet reviewed.", raw.id, raw.version);
    println!("questionnaire = \"{}@{}\"", raw.id, raw.version);
    println!("language = \"{language}\"\n\n[texts]");
    for (key, swedish) in raw.draft_keys() {
        println!("# {swedish}\n\"{key}\" = \"\"");
    }
    ExitCode::SUCCESS
}
