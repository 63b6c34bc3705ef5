//! The organisation's set-up by its first administrator, from the one-time link that
//! `beratta-server create-org` prints. This browser makes the organisation's key pair,
//! wraps the secret key under the administrator's password and under a new recovery key,
//! and sends only the public key and the wrapped copies. The recovery key is shown once;
//! then the administrator logs in with the new password.

use super::context::use_staff;
use super::keys;
use super::page::{print, use_fetch, Loading, Problem, StaffPage};
use super::route::{go, Route};
use crate::common::api;
use beratta_core::api::Enrolment;
use beratta_core::staff::PasswordError;
use gloo_timers::future::TimeoutFuture;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SetupProps {
    pub token: String,
}

/// The recovery key to show once, after the organisation is made.
struct Recovery {
    organisation: String,
    key: String,
}

#[function_component]
pub fn SetupPage(props: &SetupProps) -> Html {
    let staff = use_staff();
    let t = staff.t();
    let recovery = use_state(|| None::<Recovery>);
    let username = use_state(String::new);
    let info = {
        let staff = staff.clone();
        use_fetch(props.token.clone(), move |token| {
            let token = token.clone();
            Some(async move {
                let t = staff.t();
                api::setup_info(&token).await.map_err(|e| match e {
                    e if e.code() == Some("not_found") || matches!(e, api::ApiError::Status { status: 404, .. }) => {
                        t.link_unusable.to_string()
                    }
                    e => t.api_error(&e),
                })
            })
        })
    };

    let on_done = {
        let recovery = recovery.clone();
        let username = username.clone();
        Callback::from(move |(organisation, key, name): (String, String, String)| {
            username.set(name);
            recovery.set(Some(Recovery { organisation, key }));
        })
    };

    // The first login comes next, with the new password: it proves the round trip works
    // before anyone relies on it.
    let on_continue = {
        let (username, staff) = (username.clone(), staff.clone());
        Callback::from(move |_: MouseEvent| {
            staff.on_password_chosen.emit((*username).clone());
            // The set-up link is spent: keep it out of the tab's history.
            go(&Route::Home, true);
        })
    };

    let body = match (&*recovery, info.problem()) {
        (Some(Recovery { organisation, key }), _) => html! {
            <RecoveryKeySheet organisation={organisation.clone()} key_text={key.clone()}
                on_continue={on_continue} />
        },
        (None, Some(problem)) => html! { <Problem id="setup-error" message={Some(problem)} /> },
        (None, None) => info.view(html! { <Loading text={t.setup_checking_link} /> }, |info| {
            html! { <SetupForm token={props.token.clone()} info={(**info).clone()} on_done={on_done} /> }
        }),
    };
    html! {
        <StaffPage class="staff-setup narrow" head_class="no-print" heading_id="setup-heading" heading={t.setup_heading}>
            { body }
        </StaffPage>
    }
}

#[derive(Properties, PartialEq)]
struct SetupFormProps {
    token: String,
    info: Enrolment,
    /// The organisation's name, the printable recovery key, and the administrator's
    /// username.
    on_done: Callback<(String, String, String)>,
}

#[function_component]
fn SetupForm(props: &SetupFormProps) -> Html {
    let staff = use_staff();
    let t = staff.t();
    let username = use_state(String::new);
    let display_name = use_state(String::new);
    let password = use_state(String::new);
    let again = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);

    let field = |state: &UseStateHandle<String>| super::page::typed_into(state, &error);

    let onsubmit = {
        let (username, display_name, password, again) =
            (username.clone(), display_name.clone(), password.clone(), again.clone());
        let (busy, error, staff) = (busy.clone(), error.clone(), staff.clone());
        let (token, info, on_done) = (props.token.clone(), props.info.clone(), props.on_done.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let t = staff.t();
            let name = keys::username(&username);
            let problem = if name.is_empty() {
                Some(t.username_missing.to_string())
            } else if name != keys::username(&info.username) {
                // Said before Argon2id runs; the server checks it again.
                Some(t.wrong_username.to_string())
            } else if display_name.trim().is_empty() {
                Some(t.name_missing.to_string())
            } else {
                password_problem(t, &password, &again)
            };
            if let Some(problem) = problem {
                error.set(Some(problem));
                return;
            }
            busy.set(true);
            let (display, secret) = ((*display_name).clone(), (*password).clone());
            let (busy, error, staff) = (busy.clone(), error.clone(), staff.clone());
            let (token, info, on_done) = (token.clone(), info.clone(), on_done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let t = staff.t();
                // Argon2id holds the page for a moment; let it say so first.
                TimeoutFuture::new(60).await;
                let made = match keys::setup(&info.organisation, &name, &display, &secret) {
                    Ok(made) => made,
                    Err(_) => {
                        busy.set(false);
                        error.set(Some(t.server.to_string()));
                        return;
                    }
                };
                if let Err(e) = api::setup(&token, &made.body).await {
                    busy.set(false);
                    error.set(Some(t.api_error(&e)));
                    return;
                }
                let recovery = made.recovery.display();
                on_done.emit((info.organisation_name.clone(), recovery, name.clone()));
            });
        })
    };

    let organisation = &props.info.organisation_name;
    let invalid = if error.is_some() { "true" } else { "false" };
    html! {
        <>
            <p class="lead">{ (t.setup_for)(organisation) }</p>
            <p>{ t.setup_intro }</p>
            <form class="form-card" {onsubmit} novalidate=true>
                <div class="field">
                    <label for="setup-username">{ t.username }</label>
                    <p id="setup-username-hint" class="hint">{ t.setup_username_hint }</p>
                    <input id="setup-username" type="text" autocomplete="username" autocapitalize="none"
                        spellcheck="false" aria-describedby="setup-username-hint" readonly={*busy}
                        value={(*username).clone()} oninput={field(&username)} />
                </div>
                <div class="field">
                    <label for="setup-display-name">{ t.display_name }</label>
                    <input id="setup-display-name" type="text" autocomplete="name" readonly={*busy}
                        value={(*display_name).clone()} oninput={field(&display_name)} />
                </div>
                { new_password_fields("setup", t, (&password, &again), invalid, *busy, field) }
                <Problem id="setup-error" message={(*error).clone()} />
                <button id="setup-submit" type="submit" class="primary" disabled={*busy}>{ t.setup_button }</button>
                <p class="checking" role="status" aria-live="polite">{ if *busy { t.setup_working } else { "" } }</p>
            </form>
        </>
    }
}

/// What is wrong with a new password typed twice, in words.
/// The new password, typed twice, with the hint: ids `{prefix}-password`,
/// `{prefix}-password-hint` and `{prefix}-password-again`. Set-up and enrolment both ask it.
pub fn new_password_fields(
    prefix: &str,
    t: &super::texts::Texts,
    (password, again): (&UseStateHandle<String>, &UseStateHandle<String>),
    invalid: &'static str,
    busy: bool,
    typed: impl Fn(&UseStateHandle<String>) -> Callback<InputEvent>,
) -> Html {
    let hint = format!("{prefix}-password-hint");
    html! {
        <>
            <div class="field">
                <label for={format!("{prefix}-password")}>{ t.new_password }</label>
                <p id={hint.clone()} class="hint">{ t.password_hint }</p>
                <input id={format!("{prefix}-password")} type="password" autocomplete="new-password"
                    aria-describedby={hint} aria-invalid={invalid} readonly={busy}
                    value={(**password).clone()} oninput={typed(password)} />
            </div>
            <div class="field">
                <label for={format!("{prefix}-password-again")}>{ t.password_again }</label>
                <input id={format!("{prefix}-password-again")} type="password" autocomplete="new-password"
                    aria-invalid={invalid} readonly={busy} value={(**again).clone()} oninput={typed(again)} />
            </div>
        </>
    }
}

pub fn password_problem(t: &super::texts::Texts, password: &str, again: &str) -> Option<String> {
    match keys::check_passwords(password, again) {
        Ok(()) => None,
        Err(keys::NewPasswordProblem::Differ) => Some(t.passwords_differ.to_string()),
        Err(keys::NewPasswordProblem::Rule(PasswordError::TooShort)) => Some(t.password_short.to_string()),
        Err(keys::NewPasswordProblem::Rule(PasswordError::TooLong)) => Some(t.password_long.to_string()),
    }
}

#[derive(Properties, PartialEq)]
struct RecoveryProps {
    organisation: String,
    key_text: String,
    /// On to the first login.
    on_continue: Callback<MouseEvent>,
}

/// The recovery key, once: a sheet that prints on its own, and a tick before going on.
#[function_component]
fn RecoveryKeySheet(props: &RecoveryProps) -> Html {
    let staff = use_staff();
    let t = staff.t();
    let stored = use_state(|| false);
    let on_tick = {
        let stored = stored.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            stored.set(input.checked());
        })
    };
    let heading = crate::common::focus::use_focus_on(());
    html! {
        <div class="recovery">
            <div class="recovery-sheet">
                <h2 tabindex="-1" ref={heading}>{ t.recovery_heading }</h2>
                <p class="recovery-org">{ (t.recovery_for)(&props.organisation) }</p>
                <p class="lead no-print">{ t.recovery_intro }</p>
                <p id="recovery-key" class="recovery-key">{ &props.key_text }</p>
                <p>{ t.recovery_keep }</p>
            </div>
            <div class="actions no-print">
                <button id="print-recovery" type="button" class="secondary"
                    onclick={Callback::from(|_: MouseEvent| print())}>{ t.print }</button>
            </div>
            <div class="check no-print">
                <input id="recovery-stored" type="checkbox" checked={*stored} onchange={on_tick} />
                <label for="recovery-stored">{ t.recovery_stored }</label>
            </div>
            <button id="recovery-continue" type="button" class="primary no-print" disabled={!*stored}
                onclick={props.on_continue.clone()}>{ t.continue_button }</button>
        </div>
    }
}
