//! Getting a child in and out: the login with a code, the resume after a reload, the
//! logout. The crypto is the core's (`login`, `child`); this module moves the bytes between
//! it, the server and `sessionStorage`, which holds only the resume blob and the sealed save
//! queue ([`super::queue`]).

use crate::child::forget::{self, Keep};
use crate::child::queue;
use crate::child::state::{ChildContext, Loaded};
use crate::child::texts::Notice;
use crate::common::api::{self, ApiError};
use crate::common::log::log;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use beratta_core::api::{Bytes, ChildAssessment, ChildLogin};
use beratta_core::catalogue::Catalogue;
use beratta_core::child::{ChildKeyError, ChildKeys};
use beratta_core::login::{derive_child_secrets, ChildCode, ChildSecrets};
use beratta_core::Questionnaire;
use gloo_timers::future::TimeoutFuture;
use rand_core::OsRng;
use std::cell::Cell;
use std::rc::Rc;

/// The `sessionStorage` key of the resume blob: the data key wrapped under the login
/// session's resume key. Useless once the server ends the session.
const RESUME_KEY: &str = "beratta.resume";

/// How long the page gets to show "Checking your code…" before Argon2id holds the thread.
const PAINT_PAUSE_MS: u32 = 60;

thread_local! {
    /// Logins under way in this tab (see [`logging_in`]).
    static LOGINS: Cell<u32> = const { Cell::new(0) };
}

/// Counts one login as under way for as long as it lives.
struct LoginUnderWay;

impl LoginUnderWay {
    fn start() -> LoginUnderWay {
        LOGINS.with(|n| n.set(n.get() + 1));
        LoginUnderWay
    }
}

impl Drop for LoginUnderWay {
    fn drop(&mut self) {
        LOGINS.with(|n| n.set(n.get().saturating_sub(1)));
    }
}

/// Whether a login is under way, so kiosk mode does not start the page over beneath it.
pub fn logging_in() -> bool {
    LOGINS.with(Cell::get) > 0
}

/// Logs in with a code that [`ChildCode::parse`] accepted.
pub async fn login(code: ChildCode) -> Result<Loaded, Notice> {
    let _under_way = LoginUnderWay::start();
    let mark = forget::login_started();
    let params = api::login_params(code.lookup()).await.map_err(notice)?;
    // Argon2id takes about a second and blocks the page; let it draw the message first.
    TimeoutFuture::new(PAINT_PAUSE_MS).await;
    let secrets = derive_child_secrets(&code, &params.salt.0, &params.kdf).map_err(|_| Notice::Server)?;
    let login = ChildLogin { lookup: code.lookup().to_string(), proof: Bytes(secrets.login_proof.to_vec()) };
    let assessment = api::login(&login).await.map_err(notice)?;
    left_meanwhile(mark).await?;
    let keys = keys_after_login(&secrets, &assessment).map_err(|error| {
        log(&format!("the stored data key could not be unwrapped: {error}"));
        Notice::Answers
    })?;
    let loaded = load(assessment, keys, false).await?;
    left_meanwhile(mark).await?;
    keep_for_resume(&loaded.child);
    forget_code_in_address();
    Ok(loaded)
}

/// Begins a fresh anonymous assessment on a registered kiosk ("Start"): the server makes it
/// and opens a session, and the keys are made here with no code (`ChildKeys::for_kiosk`),
/// so once the session ends nobody can open the answers again. Otherwise as a login.
pub async fn kiosk_start() -> Result<Loaded, Notice> {
    let _under_way = LoginUnderWay::start();
    let mark = forget::login_started();
    let assessment = api::kiosk_start().await.map_err(|error| match error.code() {
        Some("too_many_starts") => Notice::KioskBusy,
        Some("round_not_open") => Notice::KioskClosed,
        Some("no_kiosk") => Notice::KioskGone,
        _ => notice(error),
    })?;
    left_meanwhile(mark).await?;
    let keys = ChildKeys::for_kiosk(&assessment, &mut OsRng);
    let loaded = load(assessment, keys, false).await?;
    left_meanwhile(mark).await?;
    keep_for_resume(&loaded.child);
    Ok(loaded)
}

/// The child left (quick exit, idle timeout) while the login was under way: the session it
/// has just opened is ended at once, instead of being left behind for the next person.
async fn left_meanwhile(mark: u64) -> Result<(), Notice> {
    if forget::left_since(mark) {
        forget::end_session(Keep::Nothing).await;
        return Err(Notice::SessionEnded);
    }
    Ok(())
}

/// The keys after a correct code. When the server holds no answers yet but this tab queued
/// a first save that never reached it (and was then reloaded), that save's data key is taken
/// up if this code unwraps it, so the queued answers open and are sent; otherwise the
/// server's state decides, as always.
fn keys_after_login(secrets: &ChildSecrets, assessment: &ChildAssessment) -> Result<ChildKeys, ChildKeyError> {
    if assessment.sealed.is_none() {
        if let Some(queued) = queue::pending() {
            let with_queued = ChildAssessment { sealed: Some(queued), ..assessment.clone() };
            if let Ok(keys) = ChildKeys::after_login(secrets, &with_queued, &mut OsRng) {
                return Ok(keys);
            }
        }
    }
    ChildKeys::after_login(secrets, assessment, &mut OsRng)
}

/// Whether this tab holds a session to resume.
pub fn can_resume() -> bool {
    session_storage().and_then(|s| s.get_item(RESUME_KEY).ok().flatten()).is_some()
}

/// Reopens the login session of this tab after a reload, without the code. When the
/// server no longer knows the session, the resume blob is dropped.
pub async fn resume() -> Result<Loaded, Notice> {
    let kept = session_storage()
        .and_then(|s| s.get_item(RESUME_KEY).ok().flatten())
        .and_then(|b64| URL_SAFE_NO_PAD.decode(b64.trim()).ok());
    let Some(kept) = kept else {
        forget::clear_storage();
        return Err(Notice::SessionEnded);
    };
    let outcome = async {
        let assessment = api::session().await.map_err(|e| match e.is_unauthorised() {
            true => Notice::SessionEnded,
            false => notice(e),
        })?;
        let keys = ChildKeys::resume(&assessment, &kept).map_err(|_| Notice::SessionEnded)?;
        load(assessment, keys, true).await
    }
    .await;
    match &outcome {
        // Offline: keep the blob, so a reload once online still resumes.
        Err(Notice::Network) => {}
        Err(_) => forget::clear_storage(),
        Ok(_) => {}
    }
    outcome
}

/// Forgets everything this tab kept and ends the login session on the server: the same
/// end as a quick exit ([`forget::end_session`]). Only a save the server has not
/// acknowledged yet (bad wifi) stays, sealed, for the next login with the code in this tab
/// (never in kiosk mode).
pub async fn logout() {
    forget::end_session(Keep::unsent()).await;
}

/// The rest of a login or resume: the questionnaire, checked by the core, and the stored
/// answers, opened.
async fn load(assessment: ChildAssessment, keys: ChildKeys, resumed: bool) -> Result<Loaded, Notice> {
    let which = &assessment.questionnaire;
    let bundle = api::questionnaire(which).await.map_err(notice)?;
    let catalogue = Catalogue::from_raw("catalogue", bundle.catalogue).map_err(|errors| {
        errors.iter().for_each(|e| log(&e.to_string()));
        Notice::Questionnaire
    })?;
    let questionnaire =
        Questionnaire::from_raw(&which.reference(), &bundle.questionnaire, &catalogue).map_err(|errors| {
            errors.iter().for_each(|e| log(&e.to_string()));
            Notice::Questionnaire
        })?;
    if questionnaire.reference() != which.reference() {
        log(&format!("asked for {}, got {}", which.reference(), questionnaire.reference()));
        return Err(Notice::Questionnaire);
    }
    let stored = keys.open(&assessment).map_err(|error| {
        log(&error.to_string());
        // After a reload, answers sealed by a login elsewhere need the code; with the code in
        // hand, answers that do not open are a real problem for an adult to look at.
        if resumed {
            Notice::ChangedElsewhere
        } else {
            Notice::Answers
        }
    })?;
    // The help status is a kindness, not a need: if it does not open, the child goes on
    // without it.
    let help = keys.open_help(&assessment).unwrap_or_else(|error| {
        log(&format!("the help status did not open: {error}"));
        None
    });
    let counter = assessment.sealed.as_ref().map_or(0, |s| s.counter);
    // A save this tab queued that never reached the server (a reload on bad wifi) is newer
    // than what the server holds: the child goes on from it, and it is saved next.
    let recovered = queue::recover(&assessment, &keys);
    let unsaved = recovered.is_some();
    Ok(Loaded {
        child: Rc::new(ChildContext { assessment, keys }),
        questionnaire: Rc::new(questionnaire),
        stored: recovered.or(stored),
        counter,
        help,
        resumed,
        unsaved,
    })
}

/// Keeps the resume blob in this tab's `sessionStorage`; besides it only the sealed save
/// queue is ever stored ([`super::queue`]).
fn keep_for_resume(child: &ChildContext) {
    let Ok(blob) = child.keys.for_resume(&child.assessment, &mut OsRng) else {
        log("the resume key is malformed; a reload will ask for the code again");
        return;
    };
    if let Some(storage) = session_storage() {
        // A browser that refuses storage only loses the resume after a reload.
        let _ = storage.set_item(RESUME_KEY, &URL_SAFE_NO_PAD.encode(blob));
    }
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// A code given in the address (`?code=`), to fill in the field.
pub fn code_from_address() -> String {
    let code = || {
        let href = web_sys::window()?.location().href().ok()?;
        web_sys::Url::new(&href).ok()?.search_params().get("code")
    };
    code().unwrap_or_default()
}

/// Takes `?code=` out of the address bar and the tab's history once it has been used, so
/// the next person at a shared computer cannot read it there.
fn forget_code_in_address() {
    let Some(window) = web_sys::window() else { return };
    let Ok(href) = window.location().href() else { return };
    let Ok(url) = web_sys::Url::new(&href) else { return };
    if url.search_params().get("code").is_none() {
        return;
    }
    url.search_params().delete("code");
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url.href()));
    }
}

/// What the child is told when a call fails.
fn notice(error: ApiError) -> Notice {
    match &error {
        ApiError::Network => Notice::Network,
        _ => match error.refusal() {
            Some(message) => Notice::Refused(message.to_string()),
            None => {
                log(&format!("unexpected answer from the server: {error:?}"));
                Notice::Server
            }
        },
    }
}
