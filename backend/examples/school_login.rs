//! A school logging in at once, for `make bench`: every code logs in and sends its first
//! save, all from one address (loopback, like a class behind a school's NAT), after that
//! address has already sent more wrong codes than its per-address allowance. Prints how
//! long the whole class took and the median and 99th percentile of the login's round trips
//! (the child's own Argon2id, which each browser does on its own device, not counted) and
//! of the first save. Figures only: nothing here asserts a time, but every login and save
//! must succeed.
//!
//! `school_login URL WORKERS CODE...`

#[path = "../tests/api/support/load.rs"]
mod load;

use beratta_core::api::{Bytes, ChildLogin};
use beratta_core::login::{random_lookup, ChildCode};
use load::LoadChild;
use rand_core::OsRng;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const PATIENCE: Duration = Duration::from_secs(60);
/// Wrong codes sent first, more than the address's 30 per window.
const WRONG_FIRST: usize = 40;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, workers, codes @ ..] = args.as_slice() else {
        return Err("usage: school_login URL WORKERS CODE...".into());
    };
    let workers: usize = workers.parse().map_err(|_| "WORKERS is a number")?;
    let refused = wrong_codes(url, codes)?;
    println!("  {WRONG_FIRST} wrong codes from the school's address first: {refused} refused as wrong or too many");

    let next = AtomicUsize::new(0);
    let results = Mutex::new((Vec::new(), Vec::new(), Vec::new()));
    let began = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(code) = codes.get(i) else { break };
                let outcome = LoadChild::log_in(url, code, PATIENCE).and_then(|mut child| {
                    let save = child.save()?;
                    Ok((child.login_round_trips, save))
                });
                let mut results = results.lock().unwrap_or_else(|p| p.into_inner());
                match outcome {
                    Ok((login, save)) => {
                        results.0.push(login);
                        results.1.push(save);
                    }
                    Err(e) => results.2.push(e),
                }
            });
        }
    });
    let took = began.elapsed();
    let (mut logins, mut saves, errors) = results.into_inner().unwrap_or_else(|p| p.into_inner());
    println!(
        "  {} children logged in and saved in {:.1} s ({} a minute), {} failed",
        logins.len(),
        took.as_secs_f64(),
        if took <= Duration::from_secs(60) { "within" } else { "NOT within" },
        errors.len()
    );
    println!(
        "  login round trips (params + login):  p50 {:>7.1} ms   p99 {:>7.1} ms",
        p(&mut logins, 0.5),
        p(&mut logins, 0.99)
    );
    println!(
        "  first save, durable:                 p50 {:>7.1} ms   p99 {:>7.1} ms",
        p(&mut saves, 0.5),
        p(&mut saves, 0.99)
    );
    if let Some(first) = errors.first() {
        return Err(format!("{} children failed; the first: {first}", errors.len()));
    }
    Ok(())
}

fn p(times: &mut [Duration], q: f64) -> f64 {
    times.sort();
    times
        .get(((times.len() as f64 * q) as usize).min(times.len().saturating_sub(1)))
        .map_or(f64::NAN, |t| t.as_secs_f64() * 1e3)
}

/// Sends wrong codes for lookups that name none of the class's invitations, so the address
/// is over its allowance before the class logs in (and none of their codes is locked).
fn wrong_codes(url: &str, codes: &[String]) -> Result<usize, String> {
    let agent = ureq::AgentBuilder::new().timeout(PATIENCE).build();
    let taken: Vec<String> = codes
        .iter()
        .map(|c| ChildCode::parse(c).map(|c| c.lookup().to_string()).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    let mut refused = 0;
    for i in 0..WRONG_FIRST {
        let lookup =
            std::iter::repeat_with(|| random_lookup(&mut OsRng)).find(|l| !taken.contains(l)).expect("endless");
        let body = ChildLogin { lookup, proof: Bytes(vec![i as u8; 32]) };
        match agent.post(&format!("{url}/api/child/login")).send_json(&body) {
            Err(ureq::Error::Status(401 | 403 | 429, _)) => refused += 1,
            Err(e) => return Err(format!("a wrong code got {e}")),
            Ok(_) => return Err("a wrong code was let in".into()),
        }
    }
    Ok(refused)
}
