//! Inviting one child or a whole class. The page first asks the server for one lookup per
//! child (drawn and reserved for this staff member, so it is free in every organisation);
//! then for each child it makes a code around its lookup, derives the login proof with
//! Argon2id (about a second each, so the page yields between children and shows how far it
//! has come) and seals the typed name or note to the organisation. The server gets proofs
//! and sealed notes; the codes stay in this page's memory and go straight to the printable
//! cards.

use super::context::{use_staff, Card};
use super::keys;
use super::page::{typed_into, use_fetch, Problem, StaffPage};
use super::route::{go, Route};
use crate::common::api::{self, ApiError};
use beratta_core::api::{InvitationBatch, NewInvitation, QuestionnaireRef};
use beratta_core::login::ChildCode;
use gloo_timers::future::TimeoutFuture;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// The instruments staff can invite to: (age band, as the form's value; questionnaire id,
/// version).
pub const BANDS: [(&str, &str, u32); 3] =
    [("6-9", "beratta-6-9", 1), ("10-12", "beratta-10-12", 1), ("13-18", "beratta-13-18", 1)];
const DEFAULT_BAND: &str = "10-12";
const DEFAULT_DAYS: u32 = 30;
/// The server's limits: children per request and days a code may stay valid.
const MAX_CHILDREN: usize = 100;
const MAX_DAYS: u32 = 90;
/// A pause between children, so the page paints its progress and stays responsive while
/// Argon2id holds the thread for each one.
const YIELD_MS: u32 = 30;

/// The children to invite, from the form: one note, or one per non-empty line.
fn children(note: &str, list: &str) -> Result<Vec<String>, FormProblem> {
    let lines: Vec<String> = list.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
    let one = note.trim();
    let notes = match (one.is_empty(), lines.is_empty()) {
        (true, true) => return Err(FormProblem::Nobody),
        (false, false) => return Err(FormProblem::Both),
        (false, true) => vec![one.to_string()],
        (true, false) => lines,
    };
    if notes.len() > MAX_CHILDREN {
        return Err(FormProblem::TooMany);
    }
    if notes.iter().any(|n| n.chars().count() > keys::MAX_NOTE_CHARS) {
        return Err(FormProblem::TooLong);
    }
    Ok(notes)
}

/// Why the form cannot be sent as filled in.
#[derive(Debug, PartialEq)]
enum FormProblem {
    Nobody,
    Both,
    TooMany,
    TooLong,
}

/// One child in the making: the note, the code (only here) and what the server gets.
struct Made {
    note: String,
    code: ChildCode,
    invitation: NewInvitation,
}

#[function_component]
pub fn InvitePage() -> Html {
    let staff = use_staff();
    let t = staff.t();
    let note = use_state(String::new);
    let list = use_state(String::new);
    let band = use_state(|| DEFAULT_BAND.to_string());
    let share = use_state(|| false);
    let days = use_state(|| DEFAULT_DAYS.to_string());
    let busy = use_state(|| false);
    let progress = use_state(|| None::<(usize, usize)>);
    let error = use_state(|| None::<String>);
    let person = staff.signed_in.clone();
    let my_unit = person.as_ref().and_then(|p| p.session.unit.clone());
    // The unit's name, for the sharing box; without it the box names the unit by its id.
    let units = use_fetch(my_unit.clone(), |unit| {
        unit.is_some().then_some(async { api::units().await.map_err(|_| String::new()) })
    });

    let Some(person) = person.filter(|p| p.reads_children()) else {
        return html! { <p class="note" role="status">{ t.forbidden }</p> };
    };

    let text_input = |state: &UseStateHandle<String>| typed_into(state, &error);
    let on_list = {
        let (list, error) = (list.clone(), error.clone());
        Callback::from(move |e: InputEvent| {
            let input: HtmlTextAreaElement = e.target_unchecked_into();
            list.set(input.value());
            error.set(None);
        })
    };
    let on_band = {
        let band = band.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            band.set(select.value());
        })
    };
    let on_share = {
        let share = share.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            share.set(input.checked());
        })
    };

    let onsubmit = {
        let (note, list, band, share, days) = (note.clone(), list.clone(), band.clone(), share.clone(), days.clone());
        let (busy, progress, error, staff, person) =
            (busy.clone(), progress.clone(), error.clone(), staff.clone(), person.clone());
        let can_share = my_unit.is_some();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let t = staff.t();
            let notes = match children(&note, &list) {
                Ok(notes) => notes,
                Err(problem) => {
                    error.set(Some(match problem {
                        FormProblem::Nobody => t.invite_nobody.to_string(),
                        FormProblem::Both => t.invite_both.to_string(),
                        FormProblem::TooMany => (t.invite_too_many)(MAX_CHILDREN),
                        FormProblem::TooLong => (t.note_too_long)(keys::MAX_NOTE_CHARS),
                    }));
                    return;
                }
            };
            let Some(days) = days.trim().parse::<u32>().ok().filter(|d| (1..=MAX_DAYS).contains(d)) else {
                error.set(Some((t.invite_days_bad)(MAX_DAYS)));
                return;
            };
            let Some(&(_, id, version)) = BANDS.iter().find(|(b, _, _)| *b == band.as_str()) else { return };
            let questionnaire = QuestionnaireRef { id: id.to_string(), version };
            let share_with_unit = *share && can_share;
            busy.set(true);
            error.set(None);
            let (busy, progress, error, staff, person) =
                (busy.clone(), progress.clone(), error.clone(), staff.clone(), person.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let outcome = invite(&person, notes, questionnaire.clone(), share_with_unit, days, &progress).await;
                match outcome {
                    Ok(made) => {
                        let cards: Vec<Card> = made
                            .into_iter()
                            .map(|m| Card { note: m.note, code: m.code, band: questionnaire.id.clone() })
                            .collect();
                        staff.on_cards.emit(Rc::new(cards));
                        go(&Route::Cards, false);
                    }
                    Err(Failure::Api(e)) => {
                        busy.set(false);
                        progress.set(None);
                        error.set(Some(staff.failure(&e)));
                    }
                    Err(Failure::Derive) => {
                        busy.set(false);
                        progress.set(None);
                        error.set(Some(staff.t().server.to_string()));
                    }
                }
            });
        })
    };

    let units = units.data().unwrap_or_default();
    let unit_name = my_unit
        .as_ref()
        .map(|id| units.iter().find(|u| &u.unit_id == id).map_or_else(|| id.clone(), |u| u.name.clone()));
    let status = match *progress {
        Some((done, total)) if done < total || !*busy => (t.invite_progress)(done + 1, total),
        Some(_) => t.invite_sending.to_string(),
        None => String::new(),
    };
    html! {
        <StaffPage class="invite narrow" heading_id="invite-heading" heading={t.invite_heading}>
            <p>{ t.invite_intro }</p>
            <form class="form-card" {onsubmit} novalidate=true>
                <div class="field">
                    <label for="invite-note">{ t.invite_one }</label>
                    <p id="invite-note-hint" class="hint">{ t.invite_one_hint }</p>
                    <input id="invite-note" type="text" autocomplete="off" maxlength={keys::MAX_NOTE_CHARS.to_string()}
                        aria-describedby="invite-note-hint" readonly={*busy} value={(*note).clone()}
                        oninput={text_input(&note)} />
                </div>
                <div class="field">
                    <label for="invite-list">{ t.invite_list }</label>
                    <p id="invite-list-hint" class="hint">{ t.invite_list_hint }</p>
                    <textarea id="invite-list" rows="8" autocomplete="off" aria-describedby="invite-list-hint"
                        readonly={*busy} value={(*list).clone()} oninput={on_list} />
                </div>
                <div class="field">
                    <label for="invite-band">{ t.invite_band }</label>
                    <select id="invite-band" disabled={*busy} onchange={on_band}>
                        { for BANDS.iter().map(|(b, id, _)| html! {
                            <option value={*b} selected={*band == *b}>{ (t.band)(id) }</option>
                        }) }
                    </select>
                </div>
                <div class="check">
                    <input id="invite-share" type="checkbox" checked={*share && unit_name.is_some()}
                        disabled={*busy || unit_name.is_none()} onchange={on_share}
                        aria-describedby={if unit_name.is_none() { Some("invite-share-none") } else { None }} />
                    <label for="invite-share">
                        { match &unit_name { Some(name) => (t.invite_share)(name), None => (t.invite_share)("—") } }
                    </label>
                </div>
                if unit_name.is_none() {
                    <p id="invite-share-none" class="hint">{ t.invite_share_none }</p>
                }
                <div class="field">
                    <label for="invite-expires">{ t.invite_expires }</label>
                    <input id="invite-expires" class="short" type="number" inputmode="numeric" min="1"
                        max={MAX_DAYS.to_string()} readonly={*busy} value={(*days).clone()} oninput={text_input(&days)} />
                </div>
                <Problem id="invite-error" message={(*error).clone()} />
                <button id="invite-create" type="submit" class="primary" disabled={*busy}>{ t.invite_create }</button>
                if let Some((done, total)) = *progress {
                    <progress id="invite-progress-bar" max={total.to_string()} value={done.to_string()}
                        aria-labelledby="invite-progress" />
                }
                <p id="invite-progress" class="checking" role="status" aria-live="polite">{ status }</p>
            </form>
        </StaffPage>
    }
}

enum Failure {
    Api(ApiError),
    Derive,
}

/// Reserves a lookup per child, makes every child's code around its lookup, and sends the
/// batch once. The server drew the lookups for this staff member alone, so they cannot
/// clash with anyone's; a refusal (say, the reservation ran out) is shown like any other.
async fn invite(
    person: &super::context::SignedIn,
    notes: Vec<String>,
    questionnaire: QuestionnaireRef,
    share_with_unit: bool,
    expires_in_days: u32,
    progress: &UseStateHandle<Option<(usize, usize)>>,
) -> Result<Vec<Made>, Failure> {
    let total = notes.len();
    let count = u32::try_from(total).map_err(|_| Failure::Api(ApiError::Malformed))?;
    let reserved = api::reserve_lookups(count).await.map_err(Failure::Api)?;
    if reserved.lookups.len() != total {
        return Err(Failure::Api(ApiError::Malformed));
    }
    let mut made: Vec<Made> = Vec::with_capacity(total);
    for (i, (note, lookup)) in notes.into_iter().zip(reserved.lookups).enumerate() {
        progress.set(Some((i, total)));
        TimeoutFuture::new(YIELD_MS).await;
        let (code, invitation) = keys::invitation(&note, &lookup, &person.org_public).map_err(|e| match e {
            keys::InvitationProblem::NotALookup => Failure::Api(ApiError::Malformed),
            keys::InvitationProblem::Derive => Failure::Derive,
        })?;
        made.push(Made { note, code, invitation });
    }
    progress.set(Some((total, total)));
    TimeoutFuture::new(YIELD_MS).await;
    let batch = InvitationBatch {
        questionnaire,
        share_with_unit,
        expires_in_days,
        children: made.iter().map(|m| m.invitation.clone()).collect(),
    };
    api::invite(&batch).await.map_err(Failure::Api)?;
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_class_list_counts_only_lines_with_a_name() {
        assert_eq!(children("", "Alva\n\n  Omar  \n"), Ok(vec!["Alva".to_string(), "Omar".to_string()]));
        assert_eq!(children(" Sam ", ""), Ok(vec!["Sam".to_string()]));
    }

    #[test]
    fn one_child_or_a_class_but_not_both_nor_neither() {
        assert_eq!(children("", " \n "), Err(FormProblem::Nobody));
        assert_eq!(children("Sam", "Alva"), Err(FormProblem::Both));
        assert_eq!(children("", &"x\n".repeat(MAX_CHILDREN + 1)), Err(FormProblem::TooMany));
        assert_eq!(children(&"x".repeat(keys::MAX_NOTE_CHARS + 1), ""), Err(FormProblem::TooLong));
    }
}
