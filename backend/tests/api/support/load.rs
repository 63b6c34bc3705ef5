//! A child as a load generator sees one: logs in over real HTTP with a printed code and
//! sends sealed saves one after another, as the browser does. Shared by the class test
//! (`tests/api/class.rs`) and `make bench`'s `save_load` example, which includes this file
//! by path, so that what the test proves and what the benchmark measures is one client.

// Each includer (the API tests, `make bench`, the crash loop) uses a part of this client.
#![allow(dead_code)]

use beratta_core::api::{ChildAssessment, ChildLogin, LoginParams, SaveReceipt, SealedAnswers};
use beratta_core::child::ChildKeys;
use beratta_core::engine::{Answer, Session};
use beratta_core::login::{derive_child_secrets, ChildCode};
use rand_core::OsRng;
use std::time::{Duration, Instant};

/// How many answers a child's save carries at most: about a whole questionnaire. Later
/// saves change answers rather than add more, as a child going back does.
pub const ANSWERS_PER_QUESTIONNAIRE: u64 = 150;

/// A logged-in child.
pub struct LoadChild {
    agent: ureq::Agent,
    url: String,
    cookie: String,
    keys: ChildKeys,
    pub assessment: ChildAssessment,
    session: Session,
    /// The counter of the last save the server acknowledged.
    pub acknowledged: u64,
    /// The last save the server acknowledged, as sent.
    pub last_saved: Option<SealedAnswers>,
    /// The login's two round trips (params, login), without the Argon2id between them.
    pub login_round_trips: Duration,
}

impl LoadChild {
    /// Logs in with `code` at the server `url` (`http://127.0.0.1:PORT`); every request
    /// gives up after `timeout`.
    pub fn log_in(url: &str, code: &str, timeout: Duration) -> Result<LoadChild, String> {
        let code = ChildCode::parse(code).map_err(|e| e.to_string())?;
        let agent = ureq::AgentBuilder::new().timeout(timeout).build();
        let asked = Instant::now();
        let params: LoginParams = agent
            .get(&format!("{url}/api/child/params/{}", code.lookup()))
            .call()
            .map_err(|e| format!("params: {e}"))?
            .into_json()
            .map_err(|e| e.to_string())?;
        let mut login_round_trips = asked.elapsed();
        let secrets = derive_child_secrets(&code, &params.salt.0, &params.kdf).map_err(|e| e.to_string())?;
        let login = ChildLogin { lookup: code.lookup().to_string(), proof: secrets.login_proof.as_slice().into() };
        let sent = Instant::now();
        let response =
            agent.post(&format!("{url}/api/child/login")).send_json(&login).map_err(|e| format!("login: {e}"))?;
        let cookie =
            response.header("set-cookie").and_then(|c| c.split(';').next()).ok_or("no session cookie")?.to_string();
        let assessment: ChildAssessment = response.into_json().map_err(|e| e.to_string())?;
        login_round_trips += sent.elapsed();
        let keys = ChildKeys::after_login(&secrets, &assessment, &mut OsRng).map_err(|e| e.to_string())?;
        let acknowledged = assessment.sealed.as_ref().map_or(0, |s| s.counter);
        Ok(LoadChild {
            agent,
            url: url.to_string(),
            cookie,
            keys,
            assessment,
            session: Session::default(),
            acknowledged,
            last_saved: None,
            login_round_trips,
        })
    }

    /// The session cookie, `__Host-beratta-child=…`.
    pub fn cookie(&self) -> &str {
        &self.cookie
    }

    /// Seals and sends the next save; returns its round trip once acknowledged.
    pub fn save(&mut self) -> Result<Duration, String> {
        let counter = self.acknowledged + 1;
        let item = counter % ANSWERS_PER_QUESTIONNAIRE;
        let option = if counter.is_multiple_of(2) { "yes" } else { "no" };
        self.session.answers.insert(format!("item_{item}"), Answer::Choice(option.into()));
        let sealed =
            self.keys.seal(&self.assessment, &self.session, "sv", counter, &mut OsRng).map_err(|e| e.to_string())?;
        let start = Instant::now();
        let receipt: SaveReceipt = self
            .agent
            .put(&format!("{}/api/child/answers", self.url))
            .set("cookie", &self.cookie)
            .send_json(&sealed)
            .map_err(|e| format!("save {counter}: {e}"))?
            .into_json()
            .map_err(|e| format!("save {counter}: {e}"))?;
        let took = start.elapsed();
        if receipt.counter != counter {
            return Err(format!("save {counter} acknowledged as {}", receipt.counter));
        }
        self.acknowledged = counter;
        self.last_saved = Some(sealed);
        Ok(took)
    }
}
