//! The real binary against hostile clients over raw sockets: compressed bodies sent many
//! at once.

use crate::process::{http, serve_with, Server};
use crate::support::gzip_bomb;
use std::net::SocketAddr;
use std::sync::{Arc, Barrier};

/// The most memory the process has used, in KiB (`VmHWM`).
fn peak_memory_kib(server: &Server) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).expect("Linux /proc");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("a VmHWM line")
}

#[test]
fn compressed_bodies_sent_many_at_once_leave_the_servers_memory_small() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let server = serve_with(dir.path(), &[]);
    let bomb = Arc::new(gzip_bomb());
    let send = |addr: SocketAddr, bomb: &[u8]| {
        http(
            addr,
            "POST",
            "/api/child/login",
            &[("Content-Type", "application/json"), ("Content-Encoding", "gzip")],
            bomb,
        )
    };
    // Warm up, so that what the first requests allocate once is in the baseline.
    for _ in 0..3 {
        send(server.addr, &bomb);
        assert_eq!(http(server.addr, "GET", "/api/health", &[], "").0, 200);
    }
    let before = peak_memory_kib(&server);
    let clients = 8;
    let start = Arc::new(Barrier::new(clients));
    let senders: Vec<_> = (0..clients)
        .map(|_| {
            let (bomb, start, addr) = (bomb.clone(), start.clone(), server.addr);
            std::thread::spawn(move || {
                start.wait();
                (0..3).map(|_| send(addr, &bomb)).collect::<Vec<_>>()
            })
        })
        .collect();
    let answers: Vec<_> = senders.into_iter().flat_map(|sender| sender.join().expect("a client")).collect();
    let grown = peak_memory_kib(&server).saturating_sub(before);
    // Each body would inflate to 12 MiB; refused unread, they cost next to nothing.
    assert!(grown < 16 * 1024, "the server's peak memory grew by {grown} KiB");
    for (status, _, body) in answers {
        assert_eq!(status, 415, "{body}");
    }
}
