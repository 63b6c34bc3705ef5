//! Inviting one child or a whole class. The page first asks the server for one lookup per
//! child (drawn and reserved for this staff member, so it is free in every organisation);
//! then for each child it makes a code around its lookup, derives the login proof with
//! Argon2id (about a second each, so the page yields between children and shows how far it
//! has come) and seals the typed name or note to the organisation. The server gets proofs
//! and sealed notes; the codes stay in this page's memory and go straight to the printable
//! cards.
//!
//! A class can be invited into a round (chosen here, or arriving from the round's page):
//! the instrument is the round's, and in an anonymous round the page asks only for a
//! number of cards; each gets a code and no name, and nothing is sealed to send.

use super::context::{use_staff, Card};
use super::keys;
use super::page::{typed_into, use_fetch, Problem, StaffPage};
use super::route::{go, Route};
use crate::common::api::{self, ApiError};
use beratta_core::api::{Bytes, InvitationBatch, NewInvitation, QuestionnaireRef, Round, RoundMode};
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

#[derive(Properties, PartialEq)]
pub struct InviteProps {
    /// The round chosen on arrival (from the round's page), if any.
    #[prop_or_default]
    pub round: Option<String>,
}

/// The notes of `count` anonymous cards ("Kort 1", …): printed on the cards only, never
/// sent.
fn cards(count: &str, card: fn(usize) -> String) -> Option<Vec<String>> {
    let count = count.trim().parse::<usize>().ok().filter(|n| (1..=MAX_CHILDREN).contains(n))?;
    Some((1..=count).map(card).collect())
}

#[function_component]
pub fn InvitePage(props: &InviteProps) -> Html {
    let staff = use_staff();
    let t = staff.t();
    let round_id = use_state(|| props.round.clone().unwrap_or_default());
    let card_count = use_state(String::new);
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

    let reads = person.as_ref().is_some_and(|p| p.reads_children());
    let rounds = use_fetch((), move |_| reads.then_some(async { api::rounds().await.map_err(|_| String::new()) }));
    let round_list = rounds.data().unwrap_or_default();
    let round: Option<Round> = round_list.iter().find(|r| r.round_id == *round_id).cloned();
    let anonymous = round.as_ref().is_some_and(|r| r.mode == RoundMode::Anonymous);

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

    let on_round = {
        let (round_id, error) = (round_id.clone(), error.clone());
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            round_id.set(select.value());
            error.set(None);
        })
    };

    let onsubmit = {
        let (round, card_count) = (round.clone(), card_count.clone());
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
            let anonymous = round.as_ref().is_some_and(|r| r.mode == RoundMode::Anonymous);
            let notes = if anonymous {
                match cards(&card_count, t.rounds.card) {
                    Some(notes) => Ok(notes),
                    None => {
                        error.set(Some((t.rounds.invite_cards_bad)(MAX_CHILDREN)));
                        return;
                    }
                }
            } else {
                children(&note, &list)
            };
            let notes = match notes {
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
            let questionnaire = match &round {
                Some(round) => round.questionnaire.clone(),
                None => {
                    let Some(&(_, id, version)) = BANDS.iter().find(|(b, _, _)| *b == band.as_str()) else { return };
                    QuestionnaireRef { id: id.to_string(), version }
                }
            };
            let into = round.as_ref().map(|r| (r.round_id.clone(), anonymous));
            let share_with_unit = *share && can_share;
            busy.set(true);
            error.set(None);
            let (busy, progress, error, staff, person) =
                (busy.clone(), progress.clone(), error.clone(), staff.clone(), person.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let outcome =
                    invite(&person, notes, questionnaire.clone(), share_with_unit, days, into, &progress).await;
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
                    <label for="invite-round">{ t.rounds.invite_round }</label>
                    <select id="invite-round" disabled={*busy} onchange={on_round}>
                        <option value="" selected={round.is_none()}>{ t.rounds.invite_no_round }</option>
                        { for round_list.iter().map(|r| html! {
                            <option value={r.round_id.clone()} selected={*round_id == r.round_id}>
                                { format!("{} ({})", r.name, if r.mode == RoundMode::Anonymous { t.rounds.anonymous } else { t.rounds.identified }) }
                            </option>
                        }) }
                    </select>
                </div>
                if anonymous {
                <div class="field">
                    <label for="invite-cards">{ t.rounds.invite_cards }</label>
                    <p id="invite-cards-hint" class="hint">{ t.rounds.invite_cards_hint }</p>
                    <input id="invite-cards" class="short" type="number" inputmode="numeric" min="1"
                        max={MAX_CHILDREN.to_string()} aria-describedby="invite-cards-hint" readonly={*busy}
                        value={(*card_count).clone()} oninput={text_input(&card_count)} />
                </div>
                } else {
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
                }
                if round.is_none() {
                <div class="field">
                    <label for="invite-band">{ t.invite_band }</label>
                    <select id="invite-band" disabled={*busy} onchange={on_band}>
                        { for BANDS.iter().map(|(b, id, _)| html! {
                            <option value={*b} selected={*band == *b}>{ (t.band)(id) }</option>
                        }) }
                    </select>
                </div>
                }
                if !anonymous {
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
    round: Option<(String, bool)>,
    progress: &UseStateHandle<Option<(usize, usize)>>,
) -> Result<Vec<Made>, Failure> {
    let anonymous = round.as_ref().is_some_and(|(_, anonymous)| *anonymous);
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
            keys::InvitationProblem::Derive | keys::InvitationProblem::Key => Failure::Derive,
        })?;
        // An anonymous card's note ("Kort 3") is for the printed card only: nothing of it,
        // sealed or not, goes to the server.
        let invitation =
            if anonymous { NewInvitation { sealed_note: Bytes::default(), ..invitation } } else { invitation };
        made.push(Made { note, code, invitation });
    }
    progress.set(Some((total, total)));
    TimeoutFuture::new(YIELD_MS).await;
    let batch = InvitationBatch {
        questionnaire,
        share_with_unit,
        expires_in_days,
        children: made.iter().map(|m| m.invitation.clone()).collect(),
        round: round.map(|(id, _)| id),
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
    fn an_anonymous_round_asks_for_a_number_of_cards_that_carry_no_names() {
        let card = |n| format!("Kort {n}");
        assert_eq!(cards(" 2 ", card), Some(vec!["Kort 1".to_string(), "Kort 2".to_string()]));
        for bad in ["", "0", "x", &(MAX_CHILDREN + 1).to_string()] {
            assert_eq!(cards(bad, card), None, "{bad}");
        }
    }

    #[test]
    fn one_child_or_a_class_but_not_both_nor_neither() {
        assert_eq!(children("", " \n "), Err(FormProblem::Nobody));
        assert_eq!(children("Sam", "Alva"), Err(FormProblem::Both));
        assert_eq!(children("", &"x\n".repeat(MAX_CHILDREN + 1)), Err(FormProblem::TooMany));
        assert_eq!(children(&"x".repeat(keys::MAX_NOTE_CHARS + 1), ""), Err(FormProblem::TooLong));
    }
}
