//! Ending a child's session in this tab, and forgetting it: the one way out that logout,
//! quick exit and the idle timeout share, so each leaves the same nothing behind.
//!
//! The page itself stores only `sessionStorage` (the resume blob and the sealed save queue),
//! but a shared computer may hold anything an earlier visit, an extension or a future version
//! left, so everything this origin can reach is cleared: both storages, IndexedDB, Cache
//! Storage and cookies readable from script. The session cookie is `HttpOnly`; only the server
//! can expire it, which is why the logout request goes out with `keepalive` and is retried
//! while the server cannot be reached.

use crate::child::idle;
use crate::child::queue;
use crate::common::api::{self, ApiError};
use crate::common::log::log;
use gloo_timers::future::TimeoutFuture;
use js_sys::{Array, Function, Promise, Reflect};
use std::cell::Cell;
use std::future::Future;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// What a wipe leaves in place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    /// Nothing at all: quick exit, kiosk mode, and any leave with every save acknowledged.
    Nothing,
    /// The queued sealed save, when the server has not acknowledged it yet: ciphertext that
    /// only the child's code opens again, kept so that the next login in this tab sends it
    /// instead of losing answers given on bad wifi.
    SealedQueue,
}

impl Keep {
    /// What an end the child did not make in a hurry keeps (logout, stopping for now, the
    /// idle timeout, a session the server ended): a sealed save still waiting for the server,
    /// if there is one, except in kiosk mode, where the next person must find nothing at all.
    pub fn unsent() -> Keep {
        if idle::timing().kiosk || queue::pending().is_none() {
            Keep::Nothing
        } else {
            Keep::SealedQueue
        }
    }
}

/// How long a logout that could not reach the server is retried: the server ends an idle
/// session after 30 minutes by itself.
const LOGOUT_RETRY_FOR_MS: u32 = 30 * 60 * 1_000;
const FIRST_RETRY_MS: u32 = 1_000;
const MAX_RETRY_MS: u32 = 5_000;

thread_local! {
    /// Goes up with every session end, so that a login still under way when the child leaves
    /// ends its new session instead of leaving one behind (see [`left_since`]).
    static ENDED: Cell<u64> = const { Cell::new(0) };
    /// Goes up with every login started, so that a logout still being retried never ends a
    /// newer session (the same cookie name would carry it).
    static STARTED: Cell<u64> = const { Cell::new(0) };
}

/// A login is starting. Returns the mark to hand to [`left_since`] afterwards.
pub fn login_started() -> u64 {
    STARTED.with(|s| s.set(s.get() + 1));
    ENDED.with(Cell::get)
}

/// Whether a session end happened since [`login_started`] returned `mark`.
pub fn left_since(mark: u64) -> bool {
    ENDED.with(Cell::get) != mark
}

/// Ends the session: everything local is wiped at once, before this returns the future; the
/// future then asks the server to end the session (and keeps asking in the background while
/// it cannot be reached). The request completes even if the page is closed meanwhile.
pub fn end_session(keep: Keep) -> impl Future<Output = ()> {
    ENDED.with(|e| e.set(e.get() + 1));
    wipe(keep);
    let started = STARTED.with(Cell::get);
    async move {
        match api::logout().await {
            Ok(()) => {}
            Err(ApiError::Network) => wasm_bindgen_futures::spawn_local(retry_logout(started)),
            Err(error) => log(&format!("logout was refused: {error:?}")),
        }
        // A save or a response that was under way may have written meanwhile.
        wipe(keep);
    }
}

async fn retry_logout(started: u64) {
    let mut delay = FIRST_RETRY_MS;
    let mut waited = 0;
    while waited < LOGOUT_RETRY_FOR_MS {
        TimeoutFuture::new(delay).await;
        waited += delay;
        delay = (delay * 2).min(MAX_RETRY_MS);
        if STARTED.with(Cell::get) != started {
            return;
        }
        match api::logout().await {
            Err(ApiError::Network) => continue,
            _ => return,
        }
    }
}

/// Forgets the session in this tab when it ended without the child leaving (it timed out on
/// the server, or a resume failed): everything goes but a sealed save still waiting for the
/// server, which the next login with the code sends (none is kept in kiosk mode).
pub fn clear_storage() {
    wipe(Keep::unsent());
}

/// Clears everything this origin keeps on the device, except what `keep` names. The two
/// storages and the cookies go at once; IndexedDB and Cache Storage only have asynchronous
/// interfaces, so their deletion is started here and finishes on its own.
pub fn wipe(keep: Keep) {
    let Some(window) = web_sys::window() else { return };
    let kept = match keep {
        Keep::SealedQueue => queue::raw(),
        Keep::Nothing => None,
    };
    if let Ok(Some(storage)) = window.session_storage() {
        let _ = storage.clear();
    }
    if let Ok(Some(storage)) = window.local_storage() {
        let _ = storage.clear();
    }
    if let Some(kept) = kept {
        queue::restore_raw(&kept);
    }
    expire_readable_cookies(&window);
    // A question being read aloud must not go on speaking after the child has left.
    if let Ok(speech) = Reflect::get(&window, &"speechSynthesis".into()) {
        let _ = call(&speech, "cancel", &[]);
    }
    wasm_bindgen_futures::spawn_local(delete_databases(window));
}

/// Expires every cookie script can see. The app sets none; this is for anything else.
fn expire_readable_cookies(window: &web_sys::Window) {
    let Some(document) = window.document() else { return };
    let Some(cookies) = Reflect::get(&document, &"cookie".into()).ok().and_then(|c| c.as_string()) else { return };
    for name in cookies.split(';').filter_map(|c| c.split('=').next()).map(str::trim).filter(|n| !n.is_empty()) {
        // Prefixed cookies are only accepted (and so only replaced) with `Secure`.
        let secure = if name.starts_with("__Host-") || name.starts_with("__Secure-") { "; Secure" } else { "" };
        let expired = format!("{name}=; Max-Age=0; Path=/{secure}");
        let _ = Reflect::set(&document, &"cookie".into(), &expired.into());
    }
}

/// Deletes every IndexedDB database and every Cache Storage cache of this origin. Both are
/// reached by name, so a browser without one of them (Cache Storage needs a secure context)
/// is simply skipped.
async fn delete_databases(window: web_sys::Window) {
    if let Ok(indexed_db) = Reflect::get(&window, &"indexedDB".into()) {
        let databases = call_async(&indexed_db, "databases", &[]).await.map(|list| Array::from(&list));
        for database in databases.unwrap_or_default().iter() {
            if let Ok(name) = Reflect::get(&database, &"name".into()) {
                if name.is_string() {
                    let _ = call(&indexed_db, "deleteDatabase", &[&name]);
                }
            }
        }
    }
    if let Ok(caches) = Reflect::get(&window, &"caches".into()) {
        let keys = call_async(&caches, "keys", &[]).await.map(|list| Array::from(&list));
        for key in keys.unwrap_or_default().iter() {
            let _ = call_async(&caches, "delete", &[&key]).await;
        }
    }
}

/// `target.method(...args)`, or `None` when there is no such method or it throws.
fn call(target: &JsValue, method: &str, args: &[&JsValue]) -> Option<JsValue> {
    if target.is_undefined() || target.is_null() {
        return None;
    }
    let function: Function = Reflect::get(target, &method.into()).ok()?.dyn_into().ok()?;
    function.apply(target, &args.iter().copied().collect::<Array>()).ok()
}

/// [`call`] for a method that returns a promise, awaited.
async fn call_async(target: &JsValue, method: &str, args: &[&JsValue]) -> Option<JsValue> {
    let promise: Promise = call(target, method, args)?.dyn_into().ok()?;
    JsFuture::from(promise).await.ok()
}
