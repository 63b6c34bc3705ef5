//! A whole class at once, against the real server binary: thirty children log in and save
//! at the same moment for a bounded time. Every save is answered, every acknowledged save
//! is on disk after the server is killed with SIGKILL, and `/api/health` answers
//! throughout. (Before the group-commit flusher, seven children saving at once stopped the
//! server: sled's flushes waited on its own exhausted I/O pool.)

use crate::process::{demo_with_cheap_codes, serve};
use crate::support::load::LoadChild;
use beratta_server::store::{SledStore, Store};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

const CHILDREN: usize = 30;
/// Each child saves this often at most ...
const SAVES_PER_CHILD: usize = 60;
/// ... and stops starting new saves after this long, so the test is bounded on any machine.
const SAVING_FOR: Duration = Duration::from_secs(20);
/// A request unanswered for this long counts as never answered.
const PATIENCE: Duration = Duration::from_secs(30);

#[test]
fn thirty_children_saving_at_once_are_all_answered_and_all_on_disk() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = demo_with_cheap_codes(dir.path(), CHILDREN);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    let codes: Vec<String> = stdout.lines().skip(1).map(str::to_string).collect();
    assert_eq!(codes.len(), CHILDREN);

    let server = serve(dir.path());
    let url = format!("http://{}", server.addr);
    let done = Arc::new(AtomicBool::new(false));

    // The health check a load balancer would make, every 50 ms for the whole run.
    let health = {
        let (url, done) = (url.clone(), done.clone());
        std::thread::spawn(move || {
            let agent = ureq::AgentBuilder::new().timeout(PATIENCE).build();
            let (mut answered, mut failed) = (0u32, Vec::new());
            while !done.load(Ordering::SeqCst) {
                match agent.get(&format!("{url}/api/health")).call() {
                    Ok(r) if r.status() == 200 => answered += 1,
                    Ok(r) => failed.push(format!("status {}", r.status())),
                    Err(e) => failed.push(e.to_string()),
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            (answered, failed)
        })
    };

    // All log in first, then all start saving together.
    let start = Arc::new(Barrier::new(CHILDREN));
    let children: Vec<_> = codes
        .into_iter()
        .map(|code| {
            let (url, start) = (url.clone(), start.clone());
            std::thread::spawn(move || {
                let mut child = LoadChild::log_in(&url, &code, PATIENCE).expect("the child logs in");
                start.wait();
                let began = Instant::now();
                let mut errors = Vec::new();
                while child.acknowledged < SAVES_PER_CHILD as u64 && began.elapsed() < SAVING_FOR {
                    if let Err(e) = child.save() {
                        errors.push(e);
                        break;
                    }
                }
                (child.assessment.assessment.clone(), child.acknowledged, child.last_saved, errors)
            })
        })
        .collect();
    let results: Vec<_> = children.into_iter().map(|c| c.join().expect("a child thread")).collect();
    done.store(true, Ordering::SeqCst);
    let (health_answered, health_failed) = health.join().expect("the health thread");

    let errors: Vec<&String> = results.iter().flat_map(|r| &r.3).collect();
    assert!(errors.is_empty(), "saves not answered: {errors:?}");
    assert!(health_failed.is_empty(), "/api/health did not answer: {health_failed:?}");
    assert!(health_answered > 0);
    let saves: u64 = results.iter().map(|r| r.1).sum();
    assert!(saves >= CHILDREN as u64, "every child saved at least once ({saves} saves)");

    // SIGKILL: nothing is flushed on the way out; what was acknowledged must be there.
    drop(server);
    let store = SledStore::open(&dir.path().join("data")).expect("the store opens after the kill");
    for (assessment, acknowledged, last_saved, _) in &results {
        let stored = store.assessment(assessment).expect("readable").expect("there").sealed;
        assert_eq!(stored.as_ref().map(|s| s.counter), Some(*acknowledged), "{assessment}");
        assert_eq!(&stored, last_saved, "{assessment}: the stored save is the acknowledged one");
    }
    eprintln!("class test: {CHILDREN} children, {saves} acknowledged saves, {health_answered} health checks answered");
}
