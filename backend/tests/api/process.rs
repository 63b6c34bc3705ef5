//! The `beratta-server` binary itself: refusals at start, the line the browser tests read,
//! and an acknowledged save surviving `kill -9`.

use crate::support::{questionnaires_dir, session_with, ORGANISATION};
use beratta_core::api::{
    AssessmentRecord, Bytes, ChildAssessment, ChildLogin, Enrolment, LoginParams, Role, SaveReceipt,
};
use beratta_core::api::{StaffLogin, StaffSession};
use beratta_core::child::ChildKeys;
use beratta_core::login::{derive_child_secrets, ChildCode};
use beratta_core::staff::{derive_staff_secrets, unwrap_org_key, KeyHolder};
use beratta_server::store::StaffStore;
use beratta_server::store::{SledStore, Store};
use rand_core::OsRng;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

const BINARY: &str = env!("CARGO_BIN_EXE_beratta-server");

pub(crate) fn run(args: &[&str]) -> Output {
    Command::new(BINARY).args(args).env("RUST_LOG", "warn").output().expect("the binary runs")
}

pub fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temporary path")
}

#[test]
fn a_secret_file_inside_the_data_folder_is_refused() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let data = dir.path().join("data");
    let secret = data.join("nested").join("secret");
    let out = run(&[
        "serve",
        "--data",
        path(&data),
        "--secret-file",
        path(&secret),
        "--static",
        path(&dir.path().join("dist")),
        "--questionnaires",
        path(&questionnaires_dir()),
        "--listen",
        "127.0.0.1:0",
    ]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("inside the data folder"), "{stderr}");
    assert!(!secret.exists(), "no secret may be written into the data folder");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_broken_questionnaire_folder_stops_the_server_listing_every_problem() {
    let broken = crate::questionnaires::broken_questionnaire_dir();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = run(&[
        "serve",
        "--data",
        path(&dir.path().join("data")),
        "--secret-file",
        path(&dir.path().join("secret")),
        "--static",
        path(&dir.path().join("dist")),
        "--questionnaires",
        path(broken.path()),
        "--listen",
        "127.0.0.1:0",
    ]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "nothing may claim to listen");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(lines.iter().any(|l| l.starts_with("a-syntax.toml:")), "{stderr}");
    assert!(lines.iter().any(|l| l.starts_with("b-checks.toml:") && l.contains("no.such.factor")), "{stderr}");
    assert!(lines.iter().any(|l| l.starts_with("b-checks.toml:") && l.contains("`en`")), "{stderr}");
}

/// Runs `demo` on `dir`'s data folder for `children` codes at the cheapest Argon2id cost.
pub(crate) fn demo_with_cheap_codes(dir: &Path, children: usize) -> Output {
    run(&[
        "demo",
        "--data",
        path(&dir.join("data")),
        "--secret-file",
        path(&dir.join("secret")),
        "--questionnaires",
        path(&questionnaires_dir()),
        "--children",
        &children.to_string(),
        "--org-key-out",
        path(&dir.join("org.key")),
        "--kdf-memory-kib",
        "64",
        "--kdf-iterations",
        "1",
    ])
}

/// A running `serve`, killed with SIGKILL when dropped.
pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn serve(dir: &Path) -> Server {
    serve_with(dir, &[])
}

pub fn serve_with(dir: &Path, extra: &[&str]) -> Server {
    spawn_server(dir, extra, Stdio::null(), "warn")
}

/// A running `serve` whose log, at `rust_log`, goes to `stderr`.
pub fn spawn_server(dir: &Path, extra: &[&str], stderr: Stdio, rust_log: &str) -> Server {
    let mut child = Command::new(BINARY)
        .args([
            "serve",
            "--data",
            path(&dir.join("data")),
            "--secret-file",
            path(&dir.join("secret")),
            "--static",
            path(&dir.join("dist")),
            "--questionnaires",
            path(&questionnaires_dir()),
            "--listen",
            "127.0.0.1:0",
        ])
        .args(extra)
        .env("RUST_LOG", rust_log)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("the server starts");
    let stdout = child.stdout.take().expect("piped");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("the server prints a line");
    let addr = line
        .trim_end()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .parse()
        .expect("an address with the real port");
    Server { child, addr }
}

/// A bare HTTP/1.1 exchange: status, headers (lower-case names) and body.
pub fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: impl AsRef<[u8]>,
) -> (u16, Vec<(String, String)>, String) {
    let body = body.as_ref();
    let mut stream = TcpStream::connect(addr).expect("the server accepts");
    stream.set_read_timeout(Some(Duration::from_secs(20))).expect("a timeout");
    let mut request =
        format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    let mut request = request.into_bytes();
    request.extend_from_slice(body);
    stream.write_all(&request).expect("sent");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("an answer");
    let (head, body) = response.split_once("\r\n\r\n").expect("a head and a body");
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).expect("a status");
    let headers =
        lines.filter_map(|l| l.split_once(": ")).map(|(n, v)| (n.to_ascii_lowercase(), v.to_string())).collect();
    (status, headers, body.to_string())
}

#[test]
fn demo_then_serve_announces_its_port_and_keeps_an_acknowledged_save_through_kill_9() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = demo_with_cheap_codes(dir.path(), 2);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "a header and two codes: {stdout}");
    let code = ChildCode::parse(lines[1]).expect("a printed code parses");
    assert_eq!(lines[1], code.display());
    let key_file = std::fs::metadata(dir.path().join("org.key")).expect("the organisation key is written");
    assert_eq!(std::os::unix::fs::PermissionsExt::mode(&key_file.permissions()) & 0o777, 0o600);
    let secret_file = std::fs::metadata(dir.path().join("secret")).expect("the server secret is written");
    assert_eq!(std::os::unix::fs::PermissionsExt::mode(&secret_file.permissions()) & 0o777, 0o600);

    let server = serve(dir.path());
    let (status, _, body) = http(server.addr, "GET", "/api/health", &[], "");
    assert_eq!(status, 200, "{body}");

    // The whole child flow over a real socket, as a browser would do it.
    let (_, _, body) = http(server.addr, "GET", &format!("/api/child/params/{}", code.lookup()), &[], "");
    let params: LoginParams = serde_json::from_str(&body).expect("params");
    let secrets = derive_child_secrets(&code, &params.salt.0, &params.kdf).expect("derivable");
    let login = serde_json::to_string(&ChildLogin {
        lookup: code.lookup().to_string(),
        proof: Bytes(secrets.login_proof.to_vec()),
    })
    .expect("JSON");
    let (status, headers, body) =
        http(server.addr, "POST", "/api/child/login", &[("Content-Type", "application/json")], &login);
    assert_eq!(status, 200, "{body}");
    let assessment: ChildAssessment = serde_json::from_str(&body).expect("an assessment");
    assert_eq!(assessment.organisation, ORGANISATION);
    let cookie = headers
        .iter()
        .find(|(n, _)| n == "set-cookie")
        .and_then(|(_, v)| v.split(';').next())
        .expect("a session cookie")
        .to_string();

    let keys = ChildKeys::after_login(&secrets, &assessment, &mut OsRng).expect("keys");
    let sealed = keys.seal(&assessment, &session_with("gender", "girl"), "sv", 1, &mut OsRng).expect("sealed");
    let save = serde_json::to_string(&sealed).expect("JSON");
    let (status, _, body) = http(
        server.addr,
        "PUT",
        "/api/child/answers",
        &[("Content-Type", "application/json"), ("Cookie", &cookie)],
        &save,
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(serde_json::from_str::<SaveReceipt>(&body).expect("a receipt").counter, 1);

    // SIGKILL: no shutdown handler runs, nothing is flushed on the way out.
    drop(server);
    let store = SledStore::open(&dir.path().join("data")).expect("the store opens after the kill");
    let record = store.assessment(&assessment.assessment).expect("readable").expect("there");
    assert_eq!(record.sealed, Some(sealed));
}

#[test]
fn demo_refuses_an_organisation_key_inside_the_data_folder() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let data = dir.path().join("data");
    let out = run(&[
        "demo",
        "--data",
        path(&data),
        "--secret-file",
        path(&dir.path().join("secret")),
        "--questionnaires",
        path(&questionnaires_dir()),
        "--org-key-out",
        path(&data.join("org.key")),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("inside the data folder"));
    assert!(!data.join("org.key").exists());
}

#[test]
fn create_org_prints_a_setup_link_that_the_server_then_answers() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let args = |id: &str, admin: &str| -> Output {
        run(&[
            "create-org",
            "--data",
            path(&dir.path().join("data")),
            "--secret-file",
            path(&dir.path().join("secret")),
            "--questionnaires",
            path(&questionnaires_dir()),
            "--id",
            id,
            "--name",
            "Socialtjänsten Norrby",
            "--admin",
            admin,
            "--admin-name",
            "Maria Lind",
        ])
    };
    let out = args("norrby", "maria");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    let token = stdout.trim_end().strip_prefix("setup: /staff/#/setup/").unwrap_or_else(|| panic!("{stdout:?}"));
    assert_eq!(token.len(), 43, "32 random bytes in unpadded base64");
    assert_eq!(stdout.lines().count(), 1);
    // The same id or username again is refused, and changes nothing.
    let again = args("norrby", "other");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
    assert!(again.stdout.is_empty());

    let server = serve_with(dir.path(), &["--insecure-test-kdf"]);
    let (status, headers, body) = http(server.addr, "GET", &format!("/api/setup/{token}"), &[], "");
    assert_eq!(status, 200, "{body}");
    assert!(headers.iter().any(|(n, v)| n == "cache-control" && v == "no-store"));
    let enrolment: Enrolment = serde_json::from_str(&body).expect("who the set-up is for");
    assert_eq!((enrolment.organisation.as_str(), enrolment.username.as_str()), ("norrby", "maria"));
    drop(server);
    let store = SledStore::open(&dir.path().join("data")).expect("opens");
    assert_eq!(store.organisation("norrby").expect("readable").expect("there").public_key, None);
}

#[test]
fn demo_with_staff_prints_logins_that_work_and_gives_the_staff_member_the_children() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let demo = || {
        run(&[
            "demo",
            "--data",
            path(&dir.path().join("data")),
            "--secret-file",
            path(&dir.path().join("secret")),
            "--questionnaires",
            path(&questionnaires_dir()),
            "--children",
            "2",
            "--org-key-out",
            path(&dir.path().join("org.key")),
            "--kdf-memory-kib",
            "64",
            "--kdf-iterations",
            "1",
            "--with-staff",
        ])
    };
    let out = demo();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 6, "{stdout}");
    assert!(ChildCode::parse(lines[1]).is_ok() && ChildCode::parse(lines[2]).is_ok(), "{stdout}");
    assert_eq!(&lines[4..], ["admin demo-admin-password administrator", "personal demo-staff-password staff"]);
    // Run again (as `make run` does): the accounts are kept, and say so.
    let again = demo();
    assert!(again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("personal (exists already; its password is unchanged) staff")
    );

    let server = serve(dir.path());
    let (_, _, body) = http(server.addr, "GET", "/api/staff/params/personal", &[], "");
    let params: LoginParams = serde_json::from_str(&body).expect("params");
    let secrets = derive_staff_secrets("demo-staff-password", &params.salt.0, &params.kdf).expect("derivable");
    let login =
        serde_json::to_string(&StaffLogin { username: "personal".into(), proof: Bytes(secrets.login_proof.to_vec()) })
            .expect("JSON");
    let (status, headers, body) =
        http(server.addr, "POST", "/api/staff/login", &[("Content-Type", "application/json")], &login);
    assert_eq!(status, 200, "{body}");
    let session: StaffSession = serde_json::from_str(&body).expect("a session");
    assert_eq!(session.role, Role::Staff);
    let key_text = std::fs::read_to_string(dir.path().join("org.key")).expect("the key file");
    let opened = unwrap_org_key(
        &secrets.wrap_key,
        ORGANISATION,
        &KeyHolder::Staff(&session.username),
        &session.wrapped_org_key.clone().expect("staff hold the organisation key").0,
    )
    .expect("the demo staff member's copy opens with the printed password");
    assert_eq!(
        base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, opened.to_bytes()),
        key_text.trim()
    );
    let cookie = headers
        .iter()
        .find(|(n, _)| n == "set-cookie")
        .and_then(|(_, v)| v.split(';').next())
        .expect("a staff cookie")
        .to_string();
    let (status, _, body) = http(server.addr, "GET", "/api/invitations", &[("Cookie", &cookie)], "");
    assert_eq!(status, 200, "{body}");
    let children: Vec<AssessmentRecord> = serde_json::from_str(&body).expect("records");
    assert_eq!(children.len(), 4, "both runs' codes are the staff member's");
    assert!(children.iter().all(|c| c.invited_by == session.staff_id && c.unit == session.unit && c.unit.is_some()));
    drop(server);
    let store = SledStore::open(&dir.path().join("data")).expect("opens");
    assert!(store.staff_by_username("admin").expect("readable").is_some_and(|a| a.role == Role::Administrator));
}

#[test]
fn with_log_format_json_every_log_line_is_a_json_object() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut server = spawn_server(dir.path(), &["--log-format", "json"], Stdio::piped(), "info");
    let (status, _, _) = http(server.addr, "GET", "/api/health", &[], "");
    assert_eq!(status, 200);
    let mut stderr = server.child.stderr.take().expect("piped");
    drop(server);
    let mut log = String::new();
    stderr.read_to_string(&mut log).expect("the log reads");
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect();
    assert!(lines.iter().all(|l| l["level"].is_string() && l["fields"]["message"].is_string()), "{log}");
    assert!(
        lines.iter().any(|l| l["fields"]["message"].as_str().is_some_and(|m| m.starts_with("GET /api/health 200"))),
        "the request's line: {log}"
    );
}
