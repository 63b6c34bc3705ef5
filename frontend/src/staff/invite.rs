//! Inviting one child or a whole class. For each child this browser makes a code, derives
//! its login proof with Argon2id (about a second each, so the page yields between children
//! and shows how far it has come) and seals the typed name or note to the organisation.
//! The server gets proofs and sealed notes; the codes stay in this page's memory and go
//! straight to the printable cards.

use super::cards::Card;
use super::{go, keys, use_staff, Problem, Route};
use crate::api::{self, ApiError};
use beratta_core::api::{InvitationBatch, NewInvitation, QuestionnaireRef, Unit};
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
/// How many times clashing codes are replaced before giving up.
const MAX_ATTEMPTS: usize = 5;
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
    let units = use_state(Vec::<Unit>::new);
    let person = staff.signed_in.clone();
    let my_unit = person.as_ref().and_then(|p| p.session.unit.clone());

    {
        let units = units.clone();
        use_effect_with(my_unit.clone(), move |unit| {
            if unit.is_some() {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(list) = api::units().await {
                        units.set(list);
                    }
                });
            }
        });
    }

    let Some(person) = person.filter(|p| p.reads_children()) else {
        return html! { <p class="note" role="status">{ t.forbidden }</p> };
    };

    let text_input = |state: &UseStateHandle<String>| {
        let (state, error) = (state.clone(), error.clone());
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            state.set(input.value());
            error.set(None);
        })
    };
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
                    Err(Failure::Codes) => {
                        busy.set(false);
                        progress.set(None);
                        error.set(Some(staff.t().invite_codes_taken.to_string()));
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

    let unit_name = my_unit.as_ref().map(|id| {
        units.iter().find(|u| &u.unit_id == id).map_or_else(|| id.clone(), |u| u.name.clone())
    });
    let status = match *progress {
        Some((done, total)) if done < total || !*busy => (t.invite_progress)(done + 1, total),
        Some(_) => t.invite_sending.to_string(),
        None => String::new(),
    };
    html! {
        <section class="invite narrow" aria-labelledby="invite-heading">
            <h1 id="invite-heading">{ t.invite_heading }</h1>
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
        </section>
    }
}

enum Failure {
    Api(ApiError),
    /// The server kept saying a code's lookup is taken, or named none of ours.
    Codes,
    Derive,
}

/// Makes every child's code and sends the batch; replaces a code whose lookup the server
/// says is taken, and sends again.
async fn invite(
    person: &super::SignedIn,
    notes: Vec<String>,
    questionnaire: QuestionnaireRef,
    share_with_unit: bool,
    expires_in_days: u32,
    progress: &UseStateHandle<Option<(usize, usize)>>,
) -> Result<Vec<Made>, Failure> {
    let total = notes.len();
    let mut made: Vec<Made> = Vec::with_capacity(total);
    for (i, note) in notes.into_iter().enumerate() {
        progress.set(Some((i, total)));
        TimeoutFuture::new(YIELD_MS).await;
        let child = fresh(person, note, &made)?;
        made.push(child);
    }
    progress.set(Some((total, total)));
    for _ in 0..MAX_ATTEMPTS {
        TimeoutFuture::new(YIELD_MS).await;
        let batch = InvitationBatch {
            questionnaire: questionnaire.clone(),
            share_with_unit,
            expires_in_days,
            children: made.iter().map(|m| m.invitation.clone()).collect(),
        };
        match api::invite(&batch).await {
            Ok(_) => return Ok(made),
            Err(e) if e.code() == Some("lookup_taken") => {
                // The server names the lookup it refused; only that child gets a new code.
                let message = match &e {
                    ApiError::Status { body: Some(body), .. } => body.message.clone(),
                    _ => String::new(),
                };
                let taken: Vec<usize> =
                    (0..made.len()).filter(|&i| message.contains(made[i].invitation.lookup.as_str())).collect();
                if taken.is_empty() {
                    return Err(Failure::Codes);
                }
                for i in taken {
                    TimeoutFuture::new(YIELD_MS).await;
                    let note = made[i].note.clone();
                    let others: Vec<&Made> = made.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, m)| m).collect();
                    let child = fresh_among(person, note, &others)?;
                    made[i] = child;
                }
            }
            Err(e) => return Err(Failure::Api(e)),
        }
    }
    Err(Failure::Codes)
}

fn fresh(person: &super::SignedIn, note: String, made: &[Made]) -> Result<Made, Failure> {
    let others: Vec<&Made> = made.iter().collect();
    fresh_among(person, note, &others)
}

/// A new code for `note` whose lookup none of `others` has, so a batch never clashes with
/// itself.
fn fresh_among(person: &super::SignedIn, note: String, others: &[&Made]) -> Result<Made, Failure> {
    loop {
        let (code, invitation) = keys::invitation(&note, &person.org_public).map_err(|_| Failure::Derive)?;
        if !others.iter().any(|m| m.invitation.lookup == invitation.lookup) {
            return Ok(Made { note, code, invitation });
        }
    }
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
