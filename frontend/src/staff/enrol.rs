//! A new colleague's enrolment, from the link an administrator handed over. The link's
//! fragment holds the one-time enrolment key; this browser opens the organisation key with
//! it, the person chooses a password, and the key is wrapped again under that password.
//! Neither the server nor the administrator learns the password.

use super::context::use_staff;
use super::keys;
use super::page::{use_fetch, Loading, Problem, StaffPage};
use super::route::{go, Route};
use super::setup::{new_password_fields, password_problem};
use crate::common::api;
use beratta_core::api::Enrolment;
use beratta_core::envelope::OrgSecretKey;
use beratta_core::staff::{unwrap_org_key, KeyHolder};
use gloo_timers::future::TimeoutFuture;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EnrolProps {
    pub token: String,
    /// The enrolment key, base64url, from the fragment. (Yew reserves the name `key`.)
    pub link_key: String,
}

/// The enrolment behind a link, with the organisation key it opens (none for an analyst,
/// whose link carries none); or why the link is of no use, in words.
async fn open_link(
    staff: super::context::Staff,
    token: String,
    link_key: String,
) -> Result<(Enrolment, Option<OrgSecretKey>), String> {
    let t = staff.t();
    let key = keys::enrolment_key(&link_key).ok_or_else(|| t.enrol_link_broken.to_string())?;
    let enrolment = api::enrolment(&token).await.map_err(|e| match e {
        api::ApiError::Status { status: 404, .. } => t.link_unusable.to_string(),
        e => t.api_error(&e),
    })?;
    let holder = KeyHolder::Enrolment(&enrolment.username);
    let Some(wrapped) = &enrolment.enrolment_wrapped_org_key else { return Ok((enrolment, None)) };
    match unwrap_org_key(&key, &enrolment.organisation, &holder, &wrapped.0) {
        Ok(org_key) => Ok((enrolment, Some(org_key))),
        Err(_) => Err(t.enrol_key_wrong.to_string()),
    }
}

#[function_component]
pub fn EnrolPage(props: &EnrolProps) -> Html {
    let staff = use_staff();
    let t = staff.t();
    let opened = {
        let staff = staff.clone();
        use_fetch((props.token.clone(), props.link_key.clone()), move |(token, key)| {
            Some(open_link(staff, token.clone(), key.clone()))
        })
    };

    let body = opened.view(html! { <Loading /> }, |opened| {
        html! { <EnrolForm token={props.token.clone()} opened={opened.clone()} /> }
    });
    html! {
        <StaffPage class="staff-enrol narrow" heading_id="enrol-heading" heading={t.enrol_heading}>
            if let Some(problem) = opened.problem() {
                <Problem id="enrol-error" message={Some(problem)} />
            }
            { body }
        </StaffPage>
    }
}

#[derive(Properties)]
struct EnrolFormProps {
    token: String,
    opened: Rc<(Enrolment, Option<OrgSecretKey>)>,
}

impl PartialEq for EnrolFormProps {
    fn eq(&self, other: &Self) -> bool {
        self.token == other.token && Rc::ptr_eq(&self.opened, &other.opened)
    }
}

#[function_component]
fn EnrolForm(props: &EnrolFormProps) -> Html {
    let staff = use_staff();
    let t = staff.t();
    let password = use_state(String::new);
    let again = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let (enrolment, _) = &*props.opened;

    let field = |state: &UseStateHandle<String>| super::page::typed_into(state, &error);

    let onsubmit = {
        let (password, again, busy, error, staff) =
            (password.clone(), again.clone(), busy.clone(), error.clone(), staff.clone());
        let (token, opened) = (props.token.clone(), props.opened.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            if let Some(problem) = password_problem(staff.t(), &password, &again) {
                error.set(Some(problem));
                return;
            }
            busy.set(true);
            let secret = (*password).clone();
            let (busy, error, staff) = (busy.clone(), error.clone(), staff.clone());
            let (token, opened) = (token.clone(), opened.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let t = staff.t();
                let (enrolment, org_key) = &*opened;
                TimeoutFuture::new(60).await;
                let made =
                    keys::new_password(&secret, &enrolment.organisation, &enrolment.username, org_key.as_ref(), None);
                let Ok((new_password, _)) = made else {
                    busy.set(false);
                    error.set(Some(t.server.to_string()));
                    return;
                };
                match api::enrol(&token, &new_password).await {
                    Ok(()) => {
                        staff.on_password_chosen.emit(enrolment.username.clone());
                        // The link is spent and holds a key: keep it out of the tab's history.
                        go(&Route::Home, true);
                    }
                    Err(e) => {
                        busy.set(false);
                        error.set(Some(t.api_error(&e)));
                    }
                }
            });
        })
    };

    let invalid = if error.is_some() { "true" } else { "false" };
    html! {
        <>
            <p class="lead">{ (t.enrol_hello)(&enrolment.display_name, &enrolment.organisation_name) }</p>
            <p>{ t.enrol_intro }</p>
            <form class="form-card" {onsubmit} novalidate=true>
                <div class="field">
                    <label for="enrol-username">{ t.username }</label>
                    <input id="enrol-username" type="text" autocomplete="username" readonly=true
                        value={enrolment.username.clone()} />
                </div>
                { new_password_fields("enrol", t, (&password, &again), invalid, *busy, field) }
                <Problem id="enrol-error" message={(*error).clone()} />
                <button id="enrol-submit" type="submit" class="primary" disabled={*busy}>{ t.enrol_button }</button>
                <p class="checking" role="status" aria-live="polite">{ if *busy { t.enrol_working } else { "" } }</p>
            </form>
        </>
    }
}
