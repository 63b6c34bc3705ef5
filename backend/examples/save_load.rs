//! Durable saves per second against a running server, for `make bench`. Each child logs in
//! with a real code and sends real sealed saves, one after another, as the browser does;
//! the server acknowledges each only after sled has flushed it.
//!
//! `save_load URL SAVES_PER_CHILD CODE...` (one thread per code)

use beratta_core::api::{ChildAssessment, ChildLogin, LoginParams, SaveReceipt};
use beratta_core::child::ChildKeys;
use beratta_core::engine::{Answer, Session};
use beratta_core::login::{derive_child_secrets, ChildCode};
use rand_core::OsRng;
use std::time::{Duration, Instant};

/// One child's run: log in, then `saves` sealed saves; returns each save's round trip.
fn child(url: &str, code: &str, saves: u64) -> Result<Vec<Duration>, String> {
    let code = ChildCode::parse(code).map_err(|e| e.to_string())?;
    let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(30)).build();
    let params: LoginParams = agent
        .get(&format!("{url}/api/child/params/{}", code.lookup()))
        .call()
        .map_err(|e| e.to_string())?
        .into_json()
        .map_err(|e| e.to_string())?;
    let secrets = derive_child_secrets(&code, &params.salt.0, &params.kdf).map_err(|e| e.to_string())?;
    let login = ChildLogin { lookup: code.lookup().to_string(), proof: secrets.login_proof.as_slice().into() };
    let response = agent.post(&format!("{url}/api/child/login")).send_json(&login).map_err(|e| e.to_string())?;
    let cookie =
        response.header("set-cookie").and_then(|c| c.split(';').next()).ok_or("no session cookie")?.to_string();
    let assessment: ChildAssessment = response.into_json().map_err(|e| e.to_string())?;
    let keys = ChildKeys::after_login(&secrets, &assessment, &mut OsRng).map_err(|e| e.to_string())?;

    let mut session = Session::default();
    let mut times = Vec::with_capacity(saves as usize);
    for counter in 1..=saves {
        // A growing answer set, like a child moving through the questionnaire.
        session.answers.insert(format!("item_{counter}"), Answer::Choice("yes".into()));
        let sealed = keys.seal(&assessment, &session, "sv", counter, &mut OsRng).map_err(|e| e.to_string())?;
        let start = Instant::now();
        let receipt: SaveReceipt = agent
            .put(&format!("{url}/api/child/answers"))
            .set("cookie", &cookie)
            .send_json(&sealed)
            .map_err(|e| format!("save {counter}: {e}"))?
            .into_json()
            .map_err(|e| e.to_string())?;
        times.push(start.elapsed());
        if receipt.counter != counter {
            return Err(format!("save {counter} acknowledged as {}", receipt.counter));
        }
    }
    Ok(times)
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, saves, codes @ ..] = args.as_slice() else {
        return Err("usage: save_load URL SAVES_PER_CHILD CODE...".into());
    };
    let saves: u64 = saves.parse().map_err(|_| "SAVES_PER_CHILD is a number")?;
    let start = Instant::now();
    let runs: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = codes.iter().map(|code| scope.spawn(|| child(url, code, saves))).collect();
        handles.into_iter().map(|h| h.join().map_err(|_| "a child thread panicked".to_string())?).collect()
    });
    let elapsed = start.elapsed();
    let mut times: Vec<Duration> = Vec::new();
    for run in runs {
        times.extend(run?);
    }
    times.sort();
    let total = times.len();
    let percentile = |p: f64| times[((total as f64 * p) as usize).min(total - 1)].as_secs_f64() * 1e3;
    println!(
        "durable saves: {:.0} per second with {} saving at once ({} saves, each acknowledged after \
         sled's flush; median {:.1} ms, 99th percentile {:.1} ms, logins included in the wall time)",
        total as f64 / elapsed.as_secs_f64(),
        if codes.len() == 1 { "one child".to_string() } else { format!("{} children", codes.len()) },
        total,
        percentile(0.5),
        percentile(0.99)
    );
    Ok(())
}
