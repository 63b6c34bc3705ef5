//! Backup and restore with the real binary: a backup taken through the control socket
//! while children save, restored into an empty folder and served with the same secret,
//! holds every save acknowledged before the backup began; the children log in again with
//! their codes and go on saving; the restored audit chain verifies.

use crate::process::{demo_with_cheap_codes, path, run, serve, spawn_server};
use crate::support::load::LoadChild;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

const PATIENCE: Duration = Duration::from_secs(30);
const CHILDREN: usize = 6;

#[test]
fn a_backup_taken_under_load_restores_with_every_save_acknowledged_before_it() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = demo_with_cheap_codes(dir.path(), CHILDREN);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let codes: Vec<String> = String::from_utf8(out.stdout).expect("UTF-8").lines().skip(1).map(String::from).collect();
    assert_eq!(codes.len(), CHILDREN);
    let server = serve(dir.path());
    let url = format!("http://{}", server.addr);
    let backup = dir.path().join("backup.bin");

    // Each child saves until told to stop, publishing each acknowledged counter; the
    // counters as they stand just before the backup is asked for are what it must hold.
    let stop = AtomicBool::new(false);
    let acknowledged: Vec<AtomicU64> = codes.iter().map(|_| AtomicU64::new(0)).collect();
    let (backup_out, before_backup) = std::thread::scope(|scope| {
        let mut children = Vec::new();
        for (code, counter) in codes.iter().zip(&acknowledged) {
            let (url, stop) = (&url, &stop);
            children.push(scope.spawn(move || {
                let mut child = LoadChild::log_in(url, code, PATIENCE).expect("the child logs in");
                while !stop.load(Ordering::SeqCst) {
                    child.save().expect("a save is acknowledged");
                    counter.store(child.acknowledged, Ordering::SeqCst);
                }
            }));
        }
        // Some saves first, so that the backup has answers to hold.
        while acknowledged.iter().map(|c| c.load(Ordering::SeqCst)).sum::<u64>() < 30 {
            std::thread::sleep(Duration::from_millis(10));
        }
        let before: Vec<u64> = acknowledged.iter().map(|c| c.load(Ordering::SeqCst)).collect();
        let out = run(&["backup", "--data", path(&dir.path().join("data")), "--to", path(&backup)]);
        stop.store(true, Ordering::SeqCst);
        for child in children {
            child.join().expect("the child's thread");
        }
        (out, before)
    });
    let stdout = String::from_utf8_lossy(&backup_out.stdout);
    assert!(backup_out.status.success(), "{stdout} {}", String::from_utf8_lossy(&backup_out.stderr));
    assert!(stdout.contains("from the running server"), "{stdout}");
    drop(server);

    let again = run(&["backup", "--data", path(&dir.path().join("data")), "--to", path(&backup)]);
    assert!(!again.status.success(), "an existing backup file is never overwritten");

    let restored = tempfile::tempdir().expect("a temporary directory");
    std::fs::copy(dir.path().join("secret"), restored.path().join("secret")).expect("the same secret");
    let out = run(&["restore", path(&backup), "--data", path(&restored.path().join("data"))]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout} {}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("audit log OK"), "{stdout}");
    let refused = run(&["restore", path(&backup), "--data", path(&restored.path().join("data"))]);
    assert!(!refused.status.success(), "a restore into a folder that is not empty is refused");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not empty"));

    let server = spawn_server(restored.path(), &[], Stdio::null(), "warn");
    let url = format!("http://{}", server.addr);
    for (code, before) in codes.iter().zip(before_backup) {
        let mut child = LoadChild::log_in(&url, code, PATIENCE).expect("the child logs in to the restored server");
        assert!(
            child.acknowledged >= before,
            "{code}: save {before} was acknowledged before the backup, the restored store has {}",
            child.acknowledged
        );
        child.save().expect("the child goes on saving");
    }
    drop(server);
    let out = run(&["verify-audit", "--data", path(&restored.path().join("data"))]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}
