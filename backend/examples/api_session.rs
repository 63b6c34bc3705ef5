//! Logs in as a staff member and as a child against a running server and prints one
//! `Cookie:` header carrying both sessions, for the schema fuzzer's run with a session
//! (`scripts/schemathesis.sh`). The staff login derives the proof from the password with
//! Argon2id, as the staff app does; the child's from the printed code, as the child's app does.
//!
//! `api_session URL USERNAME PASSWORD [CHILD_CODE]`

#[path = "../tests/api/support/load.rs"]
mod load;

use beratta_core::api::{Bytes, LoginParams, StaffLogin};
use beratta_core::staff::derive_staff_secrets;
use load::LoadChild;
use std::time::Duration;

const PATIENCE: Duration = Duration::from_secs(30);

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (url, username, password, code) = match args.as_slice() {
        [u, n, p] => (u, n, p, None),
        [u, n, p, c] => (u, n, p, Some(c)),
        _ => return Err("usage: api_session URL USERNAME PASSWORD [CHILD_CODE]".into()),
    };
    let agent = ureq::AgentBuilder::new().timeout(PATIENCE).build();
    let params: LoginParams = agent
        .get(&format!("{url}/api/staff/params/{username}"))
        .call()
        .map_err(|e| format!("staff params: {e}"))?
        .into_json()
        .map_err(|e| e.to_string())?;
    let secrets = derive_staff_secrets(password, &params.salt.0, &params.kdf).map_err(|e| e.to_string())?;
    let login = StaffLogin { username: username.clone(), proof: Bytes(secrets.login_proof.to_vec()) };
    let response =
        agent.post(&format!("{url}/api/staff/login")).send_json(&login).map_err(|e| format!("staff login: {e}"))?;
    let mut cookies = vec![response
        .header("set-cookie")
        .and_then(|c| c.split(';').next())
        .ok_or("the staff login set no cookie")?
        .to_string()];
    if let Some(code) = code {
        cookies.push(LoadChild::log_in(url, code, PATIENCE)?.cookie().to_string());
    }
    println!("Cookie: {}", cookies.join("; "));
    Ok(())
}
