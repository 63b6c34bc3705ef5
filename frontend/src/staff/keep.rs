//! Keeping a staff login across a reload. The tab's `sessionStorage` holds only the keys
//! this person holds, each wrapped under the random key the server holds for this login
//! session (`KeyHolder::Session`, the same construction as every other copy): the
//! organisation key (never for an analyst) and the statistics key (for its holders). After a
//! reload the page asks the server who is logged in (`GET /api/staff/me`), gets that key
//! back with the session, and opens the copy. Logging out, the server ending the session
//! (idle or absolute timeout, a disabled account, a recovery) and any failure to open it
//! drop the copy; a copy left behind opens nothing once the server has forgotten its key.

use super::context::{SignedIn, StatisticsKey};
use super::keys;
use super::login::checked;
use crate::common::api;
use crate::common::lang::Lang;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use beratta_core::api::StatisticsKeyCopy;

/// The `sessionStorage` key of the kept copy of the organisation key (never for an
/// analyst, who holds none).
const KEPT: &str = "beratta.staff.key";
/// The `sessionStorage` key of the kept copy of the statistics key, for its holders.
const KEPT_STATISTICS: &str = "beratta.staff.statistics";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// Keeps `person`'s keys, each wrapped under their session's key, for a reload.
pub fn keep(person: &SignedIn) {
    let session = &person.session;
    let (key, org, user) = (&session.session_key.0, &session.organisation, &session.username);
    let kept = person.org_key.as_ref().map(|k| keys::session_copy(key, org, user, k));
    let kept_statistics = person.statistics_key.as_ref().map(|k| keys::session_statistics_copy(key, org, user, k));
    forget();
    // An older server sends no session key: the page then asks for the password again.
    if matches!(kept, Some(None)) || matches!(kept_statistics, Some(None)) {
        return;
    }
    let Some(storage) = storage() else { return };
    // A browser that refuses storage only loses the reload.
    if let Some(Some(kept)) = kept {
        let _ = storage.set_item(KEPT, &URL_SAFE_NO_PAD.encode(kept));
    }
    if let Some(Some(kept)) = kept_statistics {
        let _ = storage.set_item(KEPT_STATISTICS, &URL_SAFE_NO_PAD.encode(kept));
    }
}

fn kept(name: &str) -> Option<Vec<u8>> {
    let text = storage().and_then(|s| s.get_item(name).ok().flatten())?;
    URL_SAFE_NO_PAD.decode(text.trim()).ok()
}

/// Whether this tab keeps a login to restore.
pub fn has_kept() -> bool {
    storage().is_some_and(|s| [KEPT, KEPT_STATISTICS].iter().any(|k| s.get_item(k).ok().flatten().is_some()))
}

/// Drops the kept copies.
pub fn forget() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(KEPT);
        let _ = storage.remove_item(KEPT_STATISTICS);
    }
}

/// The login this tab kept, if the server still knows its session. Anything else forgets
/// the copies, so that the login page shows.
pub async fn restore(lang: Lang) -> Option<SignedIn> {
    let (org_copy, statistics_copy) = (kept(KEPT), kept(KEPT_STATISTICS));
    let restored = match api::staff_me().await {
        Ok(session) => {
            let (key, org, user) =
                (session.session_key.0.clone(), session.organisation.clone(), session.username.clone());
            let org_key = org_copy.and_then(|kept| keys::open_session_copy(&key, &org, &user, &kept));
            let statistics =
                statistics_copy.and_then(|kept| keys::open_session_statistics_copy(&key, &org, &user, &kept));
            checked(lang, session, org_key).ok().map(|mut person| {
                person.statistics =
                    match (&statistics, &person.session.statistics_public_key, &person.session.statistics_key) {
                        (Some(_), _, _) => StatisticsKey::Opened,
                        (None, None, _) => StatisticsKey::NotMade,
                        (None, Some(_), StatisticsKeyCopy::None) => StatisticsKey::NotGranted,
                        (None, Some(_), _) => StatisticsKey::Failed,
                    };
                person.statistics_key = statistics;
                person
            })
        }
        Err(_) => None,
    };
    if restored.is_none() {
        forget();
    }
    restored
}
