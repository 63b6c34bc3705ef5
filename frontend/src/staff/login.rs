//! The staff login: the password never leaves the browser. Argon2id over it gives a proof
//! (sent) and a wrap key (kept), and the wrap key opens this person's copy of the
//! organisation key (none for an analyst), which then lives in this tab's memory (and, for
//! a reload, in its `sessionStorage` wrapped under the session's key: `keep`). The same
//! login makes this person's personal key pair if they have none, opens their copy of the
//! statistics key (wrapped under the password, or granted to the personal key), and, for an
//! administrator of an organisation from before the statistics key, makes it.

use super::context::StatisticsKey;
use super::context::{use_staff, LoginNotice, SignedIn};
use super::keys;
use super::page::{Problem, StaffPage};
use super::route::Route;
use super::texts::texts;
use crate::common::api;
use crate::common::lang::Lang;
use beratta_core::api::{Bytes, Role, StaffLogin, StaffSession, StatisticsKeyCopy};
use beratta_core::envelope::{OrgPublicKey, OrgSecretKey, SymmetricKey};
use beratta_core::staff::{derive_staff_secrets, unwrap_org_key, KeyHolder};
use gloo_timers::future::TimeoutFuture;
use std::rc::Rc;
use yew::prelude::*;

/// How long the page gets to show "Checking…" before Argon2id holds the thread.
const PAINT_PAUSE_MS: u32 = 60;

/// Logs in with a typed username and password, and opens the organisation key.
pub async fn sign_in(lang: Lang, typed_username: &str, password: &str) -> Result<SignedIn, String> {
    let t = texts(lang);
    let username = keys::username(typed_username);
    let params = api::staff_params(&username).await.map_err(|e| t.api_error(&e))?;
    TimeoutFuture::new(PAINT_PAUSE_MS).await;
    let secrets = derive_staff_secrets(password, &params.salt.0, &params.kdf).map_err(|_| t.server.to_string())?;
    let login = StaffLogin { username, proof: Bytes(secrets.login_proof.to_vec()) };
    let session = api::staff_login(&login).await.map_err(|e| t.api_error(&e))?;
    let org_key = match &session.wrapped_org_key {
        Some(wrapped) => Some(
            unwrap_org_key(&secrets.wrap_key, &session.organisation, &KeyHolder::Staff(&session.username), &wrapped.0)
                .map_err(|_| t.login_key_failed.to_string())?,
        ),
        None => None,
    };
    let mut person = checked(lang, session, org_key)?;
    statistics_at_login(&mut person, &secrets.wrap_key).await;
    Ok(person)
}

/// The opened key must be the one the organisation's children seal to; anything else
/// would make invitations nobody can read. Everyone but an analyst must have it; an
/// analyst never has it.
pub(super) fn checked(lang: Lang, session: StaffSession, org_key: Option<OrgSecretKey>) -> Result<SignedIn, String> {
    let failed = || texts(lang).login_key_failed.to_string();
    let org_public = OrgPublicKey::from_slice(&session.org_public_key.0).ok_or_else(failed)?;
    match (&org_key, session.role) {
        (Some(key), Role::Staff | Role::Administrator) if key.public_key() == org_public => {}
        (None, Role::Analyst) => {}
        _ => return Err(failed()),
    }
    Ok(SignedIn::new(session, org_key, org_public))
}

/// The personal key pair and the statistics key at login. Nothing here stops the login:
/// a person who reads children does so without them, and the analyst's page says plainly
/// what became of the statistics key ([`StatisticsKey`]).
async fn statistics_at_login(person: &mut SignedIn, wrap_key: &SymmetricKey) {
    let organisation = person.session.organisation.clone();
    let username = person.session.username.clone();
    person.personal_key = match &person.session.personal_key {
        Some(key) => keys::open_personal_key(wrap_key, &organisation, &username, key),
        None => {
            let (secret, body) = keys::personal_key(wrap_key, &organisation, &username);
            match api::set_personal_key(&body).await {
                Ok(()) => {
                    person.session.personal_key = Some(body);
                    Some(secret)
                }
                Err(error) => {
                    crate::common::log::log(&format!("the personal key was not stored: {error:?}"));
                    None
                }
            }
        }
    };
    let public = person.session.statistics_public_key.clone();
    let (key, state) = match (&public, &person.session.statistics_key) {
        // An organisation from before the statistics key: its first administrator makes it.
        (None, _) if person.session.role == Role::Administrator => {
            let (statistics, body) = keys::statistics_key_setup(wrap_key, &organisation, &username);
            match api::set_statistics_key(&body).await {
                Ok(()) => {
                    person.session.statistics_public_key = Some(body.public_key.clone());
                    person.session.statistics_key = StatisticsKeyCopy::Password(body.wrapped_statistics_key);
                    (Some(statistics), StatisticsKey::Opened)
                }
                Err(error) => {
                    crate::common::log::log(&format!("the statistics key was not stored: {error:?}"));
                    (None, StatisticsKey::NotMade)
                }
            }
        }
        (None, _) => (None, StatisticsKey::NotMade),
        (Some(_), StatisticsKeyCopy::None) => (None, StatisticsKey::NotGranted),
        (Some(public), copy) => {
            match keys::open_statistics_copy(copy, wrap_key, person.personal_key.as_ref(), &organisation, &username) {
                Some(key) if key.public_key().as_bytes().as_slice() == public.0.as_slice() => {
                    (Some(key), StatisticsKey::Opened)
                }
                _ => (None, StatisticsKey::Failed),
            }
        }
    };
    person.statistics_key = key;
    person.statistics = state;
}

#[derive(Properties, PartialEq)]
pub struct LoginProps {
    pub notice: Option<LoginNotice>,
    /// A username to fill in (after enrolment).
    pub username: String,
}

#[function_component]
pub fn LoginPage(props: &LoginProps) -> Html {
    let staff = use_staff();
    let t = staff.t();
    let username = use_state(|| props.username.clone());
    let password = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);

    // After a reload the server may still know the session; its username saves typing.
    {
        let username = username.clone();
        use_effect_with((), move |_| {
            if username.is_empty() {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(me) = api::staff_me().await {
                        username.set(me.username);
                    }
                });
            }
        });
    }

    let field = |state: &UseStateHandle<String>| super::page::typed_into(state, &error);

    let onsubmit = {
        let username = username.clone();
        let password = password.clone();
        let busy = busy.clone();
        let error = error.clone();
        let staff = staff.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            if username.trim().is_empty() || password.is_empty() {
                error.set(Some(staff.t().missing_fields.to_string()));
                return;
            }
            busy.set(true);
            let (typed, secret) = ((*username).clone(), (*password).clone());
            let busy = busy.clone();
            let error = error.clone();
            let password = password.clone();
            let staff = staff.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match sign_in(staff.lang, &typed, &secret).await {
                    Ok(person) => staff.on_signed_in.emit(Rc::new(person)),
                    Err(message) => {
                        password.set(String::new());
                        busy.set(false);
                        error.set(Some(message));
                    }
                }
            });
        })
    };

    let notice = props.notice.map(|n| match n {
        LoginNotice::SessionEnded => t.session_ended,
        LoginNotice::PasswordChosen => t.password_chosen_notice,
    });
    let invalid = if error.is_some() { "true" } else { "false" };
    html! {
        <StaffPage class="staff-login narrow" heading_id="staff-login-heading" heading={t.login_heading}>
            <p class="lead">{ t.login_intro }</p>
            if let Some(notice) = notice {
                <p id="staff-notice" class="note" role="status">{ notice }</p>
            }
            <form class="form-card" onsubmit={onsubmit} novalidate=true>
                <div class="field">
                    <label for="staff-username">{ t.username }</label>
                    <input id="staff-username" name="username" type="text" autocomplete="username"
                        autocapitalize="none" spellcheck="false" aria-invalid={invalid}
                        readonly={*busy} value={(*username).clone()} oninput={field(&username)} />
                </div>
                <div class="field">
                    <label for="staff-password">{ t.password }</label>
                    <input id="staff-password" name="password" type="password" autocomplete="current-password"
                        aria-invalid={invalid} readonly={*busy} value={(*password).clone()}
                        oninput={field(&password)} />
                </div>
                <Problem id="staff-error" message={(*error).clone()} />
                <button id="staff-login" type="submit" class="primary" disabled={*busy}>{ t.login_button }</button>
                <p class="checking" role="status" aria-live="polite">{ if *busy { t.login_checking } else { "" } }</p>
                <p class="hint">{ t.login_key_hint }</p>
            </form>
            <p class="hint"><a id="recover-link" href={Route::Recover.fragment()}>{ t.admin.recover_link }</a></p>
        </StaffPage>
    }
}
