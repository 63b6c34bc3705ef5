//! The real binary against hostile clients over raw sockets: bodies dribbled a byte at a
//! time, compressed bodies sent many at once, and garbage that must never reach the log
//! at WARN or ERROR.

use crate::process::{http, serve_with, spawn_server, Server};
use crate::support::gzip_bomb;
use beratta_core::api::ApiErrorBody;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

/// Sends `head`, then `body` one byte every `every`, while reading; returns everything the
/// server sent until it closed the connection, and how long that took. Panics if the
/// server neither answers nor closes within 20 seconds.
fn dribble(addr: SocketAddr, head: &str, body: &[u8], every: Duration) -> (String, Duration) {
    let mut stream = TcpStream::connect(addr).expect("the server accepts");
    stream.set_read_timeout(Some(Duration::from_secs(20))).expect("a timeout");
    let started = Instant::now();
    stream.write_all(head.as_bytes()).expect("the head is sent");
    let done = Arc::new(AtomicBool::new(false));
    let writer = {
        let mut stream = stream.try_clone().expect("a second handle");
        let body = body.to_vec();
        let done = done.clone();
        std::thread::spawn(move || {
            for byte in body {
                if done.load(Ordering::SeqCst) || stream.write_all(&[byte]).is_err() {
                    return;
                }
                std::thread::sleep(every);
            }
        })
    };
    let mut answer = Vec::new();
    let read = stream.read_to_end(&mut answer);
    let took = started.elapsed();
    done.store(true, Ordering::SeqCst);
    writer.join().expect("the writer ends");
    let answer = String::from_utf8_lossy(&answer).into_owned();
    if let Err(e) = read {
        assert!(
            e.kind() == std::io::ErrorKind::ConnectionReset && !answer.is_empty(),
            "the connection stayed open ({e}) after {took:?}; received: {answer:?}"
        );
    }
    (answer, took)
}

/// The status and the JSON error code of a raw HTTP answer.
fn status_and_error(answer: &str) -> (u16, String) {
    let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("{answer:?}"));
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    let error = serde_json::from_str::<ApiErrorBody>(body).map(|b| b.error).unwrap_or_default();
    (status, error)
}

#[test]
fn a_body_dribbled_a_byte_at_a_time_is_cut_off_with_408_at_the_deadline() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let server = serve_with(dir.path(), &["--body-timeout-secs", "2"]);
    let head = |framing: &str| {
        format!(
            "POST /api/child/login HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n{framing}\r\n\r\n",
            server.addr
        )
    };
    // Without the deadline, the whole body would take 100 seconds.
    let body = vec![b' '; 1000];
    for framing in ["Content-Length: 1000", "Transfer-Encoding: chunked"] {
        let body = if framing.starts_with("Transfer") { [b"3e8\r\n".as_slice(), &body].concat() } else { body.clone() };
        let (answer, took) = dribble(server.addr, &head(framing), &body, Duration::from_millis(100));
        assert_eq!(status_and_error(&answer), (408, "body_timeout".to_string()), "{framing}: {answer:?}");
        assert!(took >= Duration::from_secs(2), "{framing}: not before the deadline ({took:?})");
        assert!(took < Duration::from_secs(8), "{framing}: answered and closed soon after it ({took:?})");
    }
    // The server is free for others meanwhile and afterwards.
    assert_eq!(http(server.addr, "GET", "/api/health", &[], "").0, 200);
}

#[test]
fn a_dribbled_body_that_no_handler_reads_does_not_keep_the_connection() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    // The standard deadline: the connection must close because nothing reads the body,
    // not because the body's time ran out.
    let server = serve_with(dir.path(), &[]);
    for (method, path, status) in [("POST", "/api/health", 405), ("POST", "/api/nowhere", 404), ("POST", "/", 503)] {
        for framing in ["Content-Length: 1000", "Transfer-Encoding: chunked"] {
            let head = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\n{framing}\r\n\r\n", server.addr);
            let body = if framing.starts_with("Transfer") { b"3e8\r\n".repeat(200) } else { vec![b' '; 1000] };
            let (answer, took) = dribble(server.addr, &head, &body, Duration::from_millis(100));
            assert_eq!(status_and_error(&answer).0, status, "{method} {path} {framing}: {answer:?}");
            assert!(took < Duration::from_secs(8), "{method} {path} {framing}: the connection was kept {took:?}");
        }
    }
}

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

/// Writes `request` as it is and returns whatever comes back before the server closes the
/// connection (or 3 seconds pass).
fn raw(addr: SocketAddr, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(addr).expect("the server accepts");
    stream.set_read_timeout(Some(Duration::from_secs(3))).expect("a timeout");
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

/// A built front end with nothing in it, so that the server starts without warnings.
fn empty_dist(dir: &Path) {
    let dist = dir.join("dist");
    std::fs::create_dir_all(dist.join("staff")).expect("writable");
    std::fs::write(dist.join("index.html"), "<!doctype html><title>Berätta</title>").expect("writable");
    std::fs::write(dist.join("staff").join("index.html"), "<!doctype html><title>Berätta</title>").expect("writable");
}

#[test]
fn garbage_from_clients_is_never_logged_at_warn_or_error() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    empty_dist(dir.path());
    let log_path = dir.path().join("server.log");
    let log = std::fs::File::create(&log_path).expect("writable");
    let server = spawn_server(dir.path(), &["--body-timeout-secs", "1"], Stdio::from(log), "info");
    let addr = server.addr;
    let host = format!("Host: {addr}\r\nConnection: close\r\n");
    let json = "Content-Type: application/json\r\n";
    let requests: Vec<Vec<u8>> = vec![
        // Heads that do not parse, or are too large.
        b"GARBAGE\r\n\r\n".to_vec(),
        b"\x00\x01\x02\x03 / HTTP/1.1\r\n\r\n".to_vec(),
        format!("GET / HTTP/1.1\r\n{host}Bad Header Line\r\n\r\n").into_bytes(),
        format!("GET / HTTP/1.1\r\n{host}X-Big: {}\r\n\r\n", "x".repeat(64 * 1024)).into_bytes(),
        format!("GET / HTTP/9.9\r\n{host}\r\n").into_bytes(),
        format!("POST /api/child/login HTTP/1.1\r\n{host}Content-Length: abc\r\n\r\n").into_bytes(),
        format!("POST /api/child/login HTTP/1.1\r\n{host}Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello")
            .into_bytes(),
        format!("POST /api/child/login HTTP/1.1\r\n{host}{json}Transfer-Encoding: chunked\r\n\r\nZZ\r\nhello\r\n")
            .into_bytes(),
        // Heads that parse, with bodies, paths and methods that make no sense.
        format!("POST /api/child/login HTTP/1.1\r\n{host}{json}Content-Length: 9\r\n\r\n{{not json").into_bytes(),
        format!("POST /api/child/login HTTP/1.1\r\n{host}Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi")
            .into_bytes(),
        format!("GET /api/questionnaires/x/not-a-number HTTP/1.1\r\n{host}\r\n").into_bytes(),
        format!("GET /api/%ff%fe/..%2f..%2fetc/passwd HTTP/1.1\r\n{host}\r\n").into_bytes(),
        format!("GET /api/admin/audit?from=banana HTTP/1.1\r\n{host}Cookie: __Host-beratta-staff=\x7f\r\n\r\n")
            .into_bytes(),
        format!("DELETE /api/health HTTP/1.1\r\n{host}\r\n").into_bytes(),
        format!("BREW /api/health HTTP/1.1\r\n{host}\r\n").into_bytes(),
        format!("GET /../../etc/passwd HTTP/1.1\r\n{host}\r\n").into_bytes(),
        format!("GET /staff/%00 HTTP/1.1\r\n{host}\r\n").into_bytes(),
        // A compressed body and a request from another site.
        format!(
            "POST /api/child/login HTTP/1.1\r\n{host}{json}Content-Encoding: gzip\r\nContent-Length: 4\r\n\r\nabcd"
        )
        .into_bytes(),
        format!(
            "POST /api/child/login HTTP/1.1\r\n{host}{json}Sec-Fetch-Site: cross-site\r\nContent-Length: 2\r\n\r\n{{}}"
        )
        .into_bytes(),
        // A body cut short by the client going away.
        format!("POST /api/child/login HTTP/1.1\r\n{host}{json}Content-Length: 100\r\n\r\n{{\"lookup\"").into_bytes(),
    ];
    for request in &requests {
        raw(addr, request);
    }
    // A client that closes at once, before the answer.
    for request in &requests {
        let mut stream = TcpStream::connect(addr).expect("the server accepts");
        let _ = stream.write_all(request);
        drop(stream);
    }
    // A body that does not arrive in time.
    let head = format!("POST /api/child/login HTTP/1.1\r\n{host}{json}Content-Length: 100\r\n\r\n");
    dribble(addr, &head, &[b' '; 100], Duration::from_millis(20));
    assert_eq!(http(addr, "GET", "/api/health", &[], "").0, 200, "the server is still up");
    std::thread::sleep(Duration::from_millis(500));
    drop(server);

    let log = std::fs::read_to_string(&log_path).expect("the log");
    assert!(log.contains("beratta::request"), "the log is written at INFO: {log}");
    let loud: Vec<&str> = log.lines().filter(|line| line.contains(" WARN ") || line.contains("ERROR")).collect();
    assert!(loud.is_empty(), "lines a client caused at WARN or ERROR:\n{}", loud.join("\n"));
}
