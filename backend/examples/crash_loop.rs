//! The crash loop of `make test` and `make soak`: the server is killed with SIGKILL at a
//! random moment while children save at once, again and again, and after every kill:
//!
//! - the next start succeeds (the server prints its listening line),
//! - every save it had acknowledged is there (each child logs in again and finds the stored
//!   counter at least at its last acknowledged one; when equal, the very bytes it sent),
//! - `beratta-server verify-audit` passes on the data folder.
//!
//! The last cycle ends with SIGTERM instead: the server must finish the saves under way and
//! exit with success; one more start then checks that cycle's saves. Children use the same client as `make bench` (`support/load.rs`).
//! Prints one line per cycle and, last, `crash loop: N passed, M failed`, which
//! `scripts/test.sh` adds to its total.
//!
//! `crash_loop SERVER_BINARY QUESTIONNAIRES_DIR CYCLES [CHILDREN]`

#[path = "../tests/api/support/load.rs"]
mod load;

use beratta_core::api::SealedAnswers;
use load::LoadChild;
use rand_core::{OsRng, RngCore};
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A request unanswered for this long fails; the server is killed long before.
const PATIENCE: Duration = Duration::from_secs(30);
/// The longest a start may take before it counts as failed.
const START_PATIENCE: Duration = Duration::from_secs(60);
/// The kill comes at a random moment within this long after the children started saving.
const KILL_WITHIN_MS: u64 = 2_000;

/// What each child last had acknowledged: its counter and the save as sent.
type Acknowledged = HashMap<String, (u64, Option<SealedAnswers>)>;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: crash_loop SERVER_BINARY QUESTIONNAIRES_DIR CYCLES [CHILDREN]";
    let (server, questionnaires, cycles, children) = match args.as_slice() {
        [s, q, c] => (s, q, c, "8"),
        [s, q, c, n] => (s, q, c, n.as_str()),
        _ => return Err(usage.into()),
    };
    let cycles: u32 = cycles.parse().map_err(|_| usage)?;
    let children: u32 = children.parse().map_err(|_| usage)?;
    let work = std::env::temp_dir().join(format!("beratta-crash-loop-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let setup = Setup { server: PathBuf::from(server), questionnaires: PathBuf::from(questionnaires), work };
    let codes = setup.demo_codes(children)?;
    let mut acknowledged: Acknowledged = codes.iter().map(|c| (c.clone(), (0, None))).collect();
    let (mut passed, mut failed) = (0, 0);
    for cycle in 1..=cycles {
        let graceful = cycle == cycles;
        match setup.cycle(&codes, &mut acknowledged, graceful) {
            Ok(line) => {
                passed += 1;
                println!("cycle {cycle}: ok: {line}");
            }
            Err(e) => {
                failed += 1;
                println!("cycle {cycle}: FAILED: {e}");
            }
        }
    }
    // The last cycle's saves are checked by one more start, with no kill.
    match setup.final_check(&acknowledged) {
        Ok(()) => {
            passed += 1;
            println!("final start: ok: every child finds its last acknowledged save");
        }
        Err(e) => {
            failed += 1;
            println!("final start: FAILED: {e}");
        }
    }
    let total: u64 = acknowledged.values().map(|(n, _)| n).sum();
    println!("{total} saves acknowledged over {cycles} starts, each found again after the next");
    println!("crash loop: {passed} passed, {failed} failed");
    let _ = std::fs::remove_dir_all(&setup.work);
    if failed > 0 {
        return Err(format!("{failed} of {} checks failed", cycles + 1));
    }
    Ok(())
}

struct Setup {
    server: PathBuf,
    questionnaires: PathBuf,
    work: PathBuf,
}

impl Setup {
    fn data(&self) -> PathBuf {
        self.work.join("data")
    }

    fn common(&self) -> Vec<String> {
        let path = |p: &Path| p.to_string_lossy().into_owned();
        vec![
            "--data".into(),
            path(&self.data()),
            "--secret-file".into(),
            path(&self.work.join("secret.key")),
            "--questionnaires".into(),
            path(&self.questionnaires),
        ]
    }

    /// Invitations with the cheapest Argon2id (the figures here are about saves).
    fn demo_codes(&self, children: u32) -> Result<Vec<String>, String> {
        let out = Command::new(&self.server)
            .arg("demo")
            .args(self.common())
            .args(["--children", &children.to_string(), "--kdf-memory-kib", "64", "--kdf-iterations", "1"])
            .arg("--org-key-out")
            .arg(self.work.join("org.key"))
            .stderr(Stdio::null())
            .output()
            .map_err(|e| format!("demo: {e}"))?;
        if !out.status.success() {
            return Err("demo failed".into());
        }
        let text = String::from_utf8_lossy(&out.stdout);
        Ok(text.lines().skip(1).take(children as usize).map(str::to_string).collect())
    }

    /// One start, saves and a kill. Returns what happened, or why it failed.
    fn cycle(&self, codes: &[String], acknowledged: &mut Acknowledged, graceful: bool) -> Result<String, String> {
        let (mut server, url) = self.start()?;
        let stop = AtomicBool::new(false);
        let results = Mutex::new(Vec::new());
        let kill_after = Duration::from_millis(200 + OsRng.next_u64() % KILL_WITHIN_MS);
        let mut lost = Vec::new();
        std::thread::scope(|scope| {
            for code in codes {
                let (known, sent) = acknowledged[code].clone();
                let (url, stop, results) = (&url, &stop, &results);
                scope.spawn(move || {
                    let outcome = save_until_stopped(url, code, known, sent.as_ref(), stop);
                    results.lock().unwrap_or_else(|p| p.into_inner()).push((code.clone(), outcome));
                });
            }
            std::thread::sleep(kill_after);
            if graceful {
                let _ = Command::new("kill").args(["-TERM", &server.id().to_string()]).status();
            } else {
                let _ = server.kill();
            }
            stop.store(true, Ordering::SeqCst);
        });
        let status = server.wait().map_err(|e| format!("waiting for the server: {e}"))?;
        if graceful && !status.success() {
            lost.push(format!("the server did not stop cleanly on SIGTERM ({status})"));
        }
        let mut saves = 0;
        for (code, outcome) in results.into_inner().unwrap_or_else(|p| p.into_inner()) {
            match outcome {
                Ok((counter, sent, n)) => {
                    saves += n;
                    acknowledged.insert(code, (counter, sent));
                }
                Err(e) => lost.push(e),
            }
        }
        let audit = Command::new(&self.server)
            .args(["verify-audit", "--data"])
            .arg(self.data())
            .stderr(Stdio::null())
            .output()
            .map_err(|e| format!("verify-audit: {e}"))?;
        if !audit.status.success() {
            lost.push(format!("verify-audit: {}", String::from_utf8_lossy(&audit.stdout).trim()));
        }
        if !lost.is_empty() {
            return Err(lost.join("; "));
        }
        let how = if graceful { "SIGTERM" } else { "SIGKILL" };
        Ok(format!("{saves} saves acknowledged, {how} after {} ms, audit chain verified", kill_after.as_millis()))
    }

    /// Starts the server, logs every child in and checks its last acknowledged save, stops.
    fn final_check(&self, acknowledged: &Acknowledged) -> Result<(), String> {
        let (mut server, url) = self.start()?;
        let mut lost = Vec::new();
        for (code, (known, sent)) in acknowledged {
            match LoadChild::log_in(&url, code, PATIENCE) {
                Ok(child) => lost.extend(check_stored(code, *known, sent.as_ref(), &child).err()),
                Err(e) => lost.push(format!("{code}: login failed: {e}")),
            }
        }
        let _ = server.kill();
        let _ = server.wait();
        if lost.is_empty() {
            Ok(())
        } else {
            Err(lost.join("; "))
        }
    }

    fn start(&self) -> Result<(Child, String), String> {
        let mut server = Command::new(&self.server)
            .arg("serve")
            .args(self.common())
            .args(["--listen", "127.0.0.1:0", "--static"])
            .arg(self.work.join("no-dist"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("the server does not run: {e}"))?;
        let stdout = server.stdout.take().ok_or("no stdout")?;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let started = Instant::now();
        match rx.recv_timeout(START_PATIENCE) {
            Ok(line) if line.starts_with("listening on ") => {
                Ok((server, line.trim_start_matches("listening on ").trim().to_string()))
            }
            other => {
                let _ = server.kill();
                let _ = server.wait();
                Err(format!("the start failed after {:?}: {other:?}", started.elapsed()))
            }
        }
    }
}

/// Whether what the server has for a logged-in child holds its last acknowledged save: a
/// counter at least as high, and when equal, the very bytes acknowledged.
fn check_stored(code: &str, known: u64, sent: Option<&SealedAnswers>, child: &LoadChild) -> Result<(), String> {
    match child.assessment.sealed.as_ref() {
        None if known > 0 => Err(format!("{code}: save {known} was acknowledged, none is stored")),
        Some(s) if s.counter < known => {
            Err(format!("{code}: save {known} was acknowledged, the store has {}", s.counter))
        }
        Some(s) if s.counter == known && sent.is_some_and(|sent| sent != s) => {
            Err(format!("{code}: save {known} is stored with other bytes than were acknowledged"))
        }
        _ => Ok(()),
    }
}

/// Logs in, checks that the last acknowledged save is stored, then saves until the server
/// is gone. Returns the counter and the save last acknowledged and how many were.
fn save_until_stopped(
    url: &str,
    code: &str,
    known: u64,
    sent: Option<&SealedAnswers>,
    stop: &AtomicBool,
) -> Result<(u64, Option<SealedAnswers>, u64), String> {
    let mut child = match LoadChild::log_in(url, code, PATIENCE) {
        Ok(child) => child,
        // Killed before this child got in: nothing new was acknowledged, nothing to check.
        Err(_) if stop.load(Ordering::SeqCst) => return Ok((known, sent.cloned(), 0)),
        Err(e) => return Err(format!("{code}: login failed while the server ran: {e}")),
    };
    check_stored(code, known, sent, &child)?;
    let mut saves = 0;
    while !stop.load(Ordering::SeqCst) {
        if child.save().is_err() {
            break;
        }
        saves += 1;
    }
    let counter = child.acknowledged.max(known);
    let last = if saves > 0 { child.last_saved.clone() } else { sent.cloned() };
    Ok((counter, last, saves))
}
