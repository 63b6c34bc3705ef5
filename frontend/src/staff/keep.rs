//! Keeping a staff login across a reload. The tab's `sessionStorage` holds only the
//! organisation key wrapped under the random key the server holds for this login session
//! (`KeyHolder::Session`, the same construction as every other copy of the key). After a
//! reload the page asks the server who is logged in (`GET /api/staff/me`), gets that key
//! back with the session, and opens the copy. Logging out, the server ending the session
//! (idle or absolute timeout, a disabled account, a recovery) and any failure to open it
//! drop the copy; a copy left behind opens nothing once the server has forgotten its key.

use super::context::SignedIn;
use super::keys;
use super::login::checked;
use crate::common::api;
use crate::common::lang::Lang;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// The `sessionStorage` key of the kept copy.
const KEPT: &str = "beratta.staff.key";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// Keeps `person`'s organisation key, wrapped under their session's key, for a reload.
pub fn keep(person: &SignedIn) {
    let session = &person.session;
    let Some(kept) =
        keys::session_copy(&session.session_key.0, &session.organisation, &session.username, &person.org_key)
    else {
        // An older server sends no session key: the page then asks for the password again.
        forget();
        return;
    };
    if let Some(storage) = storage() {
        // A browser that refuses storage only loses the reload.
        let _ = storage.set_item(KEPT, &URL_SAFE_NO_PAD.encode(kept));
    }
}

/// Whether this tab keeps a login to restore.
pub fn has_kept() -> bool {
    storage().and_then(|s| s.get_item(KEPT).ok().flatten()).is_some()
}

/// Drops the kept copy.
pub fn forget() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(KEPT);
    }
}

/// The login this tab kept, if the server still knows its session. Anything else forgets
/// the copy, so that the login page shows.
pub async fn restore(lang: Lang) -> Option<SignedIn> {
    let kept = storage().and_then(|s| s.get_item(KEPT).ok().flatten())?;
    let restored = match (URL_SAFE_NO_PAD.decode(kept.trim()), api::staff_me().await) {
        (Ok(kept), Ok(session)) => {
            keys::open_session_copy(&session.session_key.0, &session.organisation, &session.username, &kept)
                .and_then(|org_key| checked(lang, session, org_key).ok())
        }
        _ => None,
    };
    if restored.is_none() {
        forget();
    }
    restored
}
