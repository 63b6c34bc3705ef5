//! An administrator who lost their password restores access with the recovery key printed
//! at set-up. The key stays in this browser: it sends only the proof derived from it
//! (`RecoveryKey::proof`), gets back the recovery copy of the organisation key, opens it
//! here, wraps the organisation key under the new password and sends that password record
//! with the same proof. Then the login comes next, with the username filled in.

use super::context::use_staff;
use super::keys;
use super::page::{typed_into, Problem, StaffPage};
use super::route::{go, Route};
use super::setup::{new_password_fields, password_problem};
use crate::common::api;
use beratta_core::api::{Bytes, RecoveryClaim, RecoveryReset};
use beratta_core::staff::RecoveryKey;
use gloo_timers::future::TimeoutFuture;
use yew::prelude::*;

#[function_component]
pub fn RecoverPage() -> Html {
    let staff = use_staff();
    let t = staff.t();
    let username = use_state(String::new);
    let key_text = use_state(String::new);
    let password = use_state(String::new);
    let again = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let field = |state: &UseStateHandle<String>| typed_into(state, &error);

    let onsubmit = {
        let (username, key_text, password, again) =
            (username.clone(), key_text.clone(), password.clone(), again.clone());
        let (busy, error, staff) = (busy.clone(), error.clone(), staff.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let t = staff.t();
            let name = keys::username(&username);
            if name.is_empty() {
                error.set(Some(t.username_missing.to_string()));
                return;
            }
            let Some(recovery) = RecoveryKey::parse(&key_text) else {
                error.set(Some(t.admin.recover_key_malformed.to_string()));
                return;
            };
            if let Some(problem) = password_problem(t, &password, &again) {
                error.set(Some(problem));
                return;
            }
            busy.set(true);
            let secret = (*password).clone();
            let (busy, error, staff) = (busy.clone(), error.clone(), staff.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let t = staff.t();
                let fail = |message: String| {
                    busy.set(false);
                    error.set(Some(message));
                };
                let proof = Bytes(recovery.proof().to_vec());
                let claim = RecoveryClaim { username: name.clone(), proof: proof.clone() };
                let copy = match api::recovery_open(&claim).await {
                    Ok(copy) => copy,
                    Err(e) => return fail(t.api_error(&e)),
                };
                let Some(org_key) =
                    keys::open_recovery_copy(&recovery, &copy.organisation, &copy.recovery_wrapped_org_key.0)
                else {
                    return fail(t.admin.recover_key_failed.to_string());
                };
                // Let "Checking…" show before Argon2id holds the thread.
                TimeoutFuture::new(60).await;
                // The statistics key's recovery copy, where the set-up made one, is wrapped
                // under the new password too.
                let statistics = copy
                    .recovery_wrapped_statistics_key
                    .as_ref()
                    .and_then(|wrapped| keys::open_recovery_statistics_copy(&recovery, &copy.organisation, &wrapped.0));
                let made = keys::new_password(
                    &secret,
                    &copy.organisation,
                    &copy.username,
                    Some(&org_key),
                    statistics.as_ref(),
                );
                let Ok((new_password, _)) = made else {
                    return fail(t.server.to_string());
                };
                let reset = RecoveryReset { username: copy.username.clone(), proof, password: new_password };
                match api::recovery_reset(&reset).await {
                    Ok(()) => {
                        staff.on_password_chosen.emit(copy.username.clone());
                        go(&Route::Home, true);
                    }
                    Err(e) => fail(t.api_error(&e)),
                }
            });
        })
    };

    let invalid = if error.is_some() { "true" } else { "false" };
    html! {
        <StaffPage heading_id="recover-heading" heading={t.admin.recover_heading} class={classes!("staff-recover", "narrow")}>
            <p class="lead">{ t.admin.recover_intro }</p>
            <form class="form-card" {onsubmit} novalidate=true>
                <div class="field">
                    <label for="recover-username">{ t.username }</label>
                    <input id="recover-username" type="text" autocomplete="username" autocapitalize="none"
                        spellcheck="false" aria-invalid={invalid} readonly={*busy} value={(*username).clone()}
                        oninput={field(&username)} />
                </div>
                <div class="field">
                    <label for="recover-key">{ t.admin.recover_key_label }</label>
                    <p id="recover-key-hint" class="hint">{ t.admin.recover_key_hint }</p>
                    <input id="recover-key" type="text" autocomplete="off" autocapitalize="none" spellcheck="false"
                        aria-describedby="recover-key-hint" aria-invalid={invalid} readonly={*busy}
                        value={(*key_text).clone()} oninput={field(&key_text)} />
                </div>
                { new_password_fields("recover", t, (&password, &again), invalid, *busy, field) }
                <Problem id="recover-error" message={(*error).clone()} />
                <button id="recover-submit" type="submit" class="primary" disabled={*busy}>{ t.admin.recover_button }</button>
                <p class="checking" role="status" aria-live="polite">{ if *busy { t.admin.recover_working } else { "" } }</p>
            </form>
            <p class="hint"><a href={Route::Home.fragment()}>{ t.admin.back_to_login }</a></p>
        </StaffPage>
    }
}
