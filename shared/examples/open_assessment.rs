//! Opens one stored assessment with the organisation's secret key and prints its factor
//! profile as JSON: what a staff browser will do, for tests and for operators holding the
//! recovery key. Reads a `ChildAssessment` JSON on standard input.
//!
//! `open_assessment ORG_KEY_FILE [QUESTIONNAIRES_DIR]`

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use beratta_core::api::ChildAssessment;
use beratta_core::catalogue::Catalogue;
use beratta_core::child::binding;
use beratta_core::envelope::{open_answers, OrgSecretKey};
use beratta_core::questionnaire::Questionnaire;
use beratta_core::scoring::score;
use std::io::Read;
use std::process::ExitCode;

fn run() -> Result<String, String> {
    let mut args = std::env::args().skip(1);
    let key_file = args.next().ok_or("usage: open_assessment ORG_KEY_FILE [QUESTIONNAIRES_DIR] < assessment.json")?;
    let dir = args.next().unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../questionnaires").into());

    let key_text = std::fs::read_to_string(&key_file).map_err(|e| format!("{key_file}: {e}"))?;
    let key_line = key_text
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty() && !l.starts_with('#'))
        .ok_or("the key file is empty")?;
    let key_bytes: [u8; 32] = URL_SAFE_NO_PAD
        .decode(key_line)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or("the key file does not hold a 32-byte base64url key")?;
    let org = OrgSecretKey::from_bytes(key_bytes);

    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).map_err(|e| e.to_string())?;
    let assessment: ChildAssessment = serde_json::from_str(&input).map_err(|e| format!("not an assessment: {e}"))?;
    let sealed = assessment.sealed.as_ref().ok_or("the assessment has no saved answers")?;

    let data_key = org.open_data_key(&sealed.org_sealed_key.0).map_err(|e| e.to_string())?;
    let answers =
        open_answers(&data_key, &binding(&assessment, sealed.counter), &sealed.blob.0).map_err(|e| e.to_string())?;

    let read = |name: &str| std::fs::read_to_string(format!("{dir}/{name}")).map_err(|e| format!("{dir}/{name}: {e}"));
    let catalogue = Catalogue::from_toml("factors.toml", &read("factors.toml")?)
        .map_err(|e| e.iter().map(|x| x.to_string()).collect::<Vec<_>>().join("\n"))?;
    let wanted = &assessment.questionnaire;
    // Answers are scored with the instrument and version they were given with.
    let questionnaire = std::fs::read_dir(&dir)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let q = Questionnaire::from_toml(&name, &std::fs::read_to_string(e.path()).ok()?, &catalogue).ok()?;
            (q.id == wanted.id && q.version == wanted.version).then_some(q)
        })
        .next()
        .ok_or_else(|| format!("no questionnaire {}", wanted.reference()))?;
    let profile = score(&questionnaire, &answers.session);
    let out =
        serde_json::json!({ "language": answers.language, "answers": answers.session.answers, "profile": profile });
    serde_json::to_string_pretty(&out).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    match run() {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("open_assessment: {message}");
            ExitCode::FAILURE
        }
    }
}
