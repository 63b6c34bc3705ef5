//! The staff home: the children this person may read, each with the name or note staff
//! typed (opened here with the organisation key), the instrument's age band, dates and
//! status, a link to the summary and a way to revoke the code. Answers are not opened here:
//! only the summary page opens them, and the server logs every such opening.

use super::context::use_staff;
use super::keys;
use super::page::{confirm, date, now_unix, Loading, Problem};
use super::route::Route;
use crate::common::api;
use beratta_core::api::AssessmentRecord;
use yew::prelude::*;

/// A staff-typed note as this page can show it.
#[derive(Clone, PartialEq)]
pub enum Note {
    Text(String),
    /// The invitation has no note (the `demo` command makes such).
    Missing,
    /// The note did not open with the organisation key.
    Unreadable,
}

impl Note {
    pub fn of(person: &super::context::SignedIn, record: &AssessmentRecord) -> Note {
        match keys::open_note(&person.org_key, record) {
            Some(Ok(text)) => Note::Text(text),
            Some(Err(_)) => Note::Unreadable,
            None => Note::Missing,
        }
    }

    pub fn text(&self, t: &super::texts::Texts) -> String {
        match self {
            Note::Text(text) if !text.trim().is_empty() => text.clone(),
            Note::Unreadable => t.note_unreadable.to_string(),
            _ => t.no_note.to_string(),
        }
    }
}

#[derive(Clone, PartialEq)]
struct Row {
    record: AssessmentRecord,
    note: Note,
}

#[function_component]
pub fn ChildrenPage() -> Html {
    let staff = use_staff();
    let t = staff.t();
    let rows = use_state(|| None::<Vec<Row>>);
    let error = use_state(|| None::<String>);
    let busy = use_state(|| None::<String>);
    let reloads = use_state(|| 0u32);
    let person = staff.signed_in.clone();
    let reads = person.as_ref().is_some_and(|p| p.reads_children());

    {
        let (rows, error, staff) = (rows.clone(), error.clone(), staff.clone());
        use_effect_with(*reloads, move |_| {
            if let Some(person) = staff.signed_in.clone().filter(|p| p.reads_children()) {
                wasm_bindgen_futures::spawn_local(async move {
                    match api::invitations().await {
                        Ok(records) => {
                            let mut list: Vec<Row> = records
                                .into_iter()
                                .map(|record| Row { note: Note::of(&person, &record), record })
                                .collect();
                            list.sort_by_key(|r| std::cmp::Reverse(r.record.created_unix));
                            rows.set(Some(list));
                        }
                        Err(e) => error.set(Some(staff.failure(&e))),
                    }
                });
            }
        });
    }

    if !reads {
        return html! {
            <section aria-labelledby="children-heading">
                <h1 id="children-heading">{ t.children_heading }</h1>
                <p class="note">{ t.analyst_home }</p>
            </section>
        };
    }

    let revoke = |row: &Row| {
        let (busy, error, reloads, staff) = (busy.clone(), error.clone(), reloads.clone(), staff.clone());
        let id = row.record.assessment.clone();
        let note = row.note.text(t);
        Callback::from(move |_: MouseEvent| {
            if busy.is_some() || !confirm(&(staff.t().revoke_confirm)(&note)) {
                return;
            }
            busy.set(Some(id.clone()));
            let (busy, error, reloads, staff, id) =
                (busy.clone(), error.clone(), reloads.clone(), staff.clone(), id.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::revoke(&id).await {
                    Ok(()) => error.set(None),
                    Err(e) => error.set(Some(staff.failure(&e))),
                }
                busy.set(None);
                reloads.set(*reloads + 1);
            });
        })
    };

    let now = now_unix();
    let table = match &*rows {
        None if error.is_none() => html! { <Loading /> },
        None => Html::default(),
        Some(list) if list.is_empty() => html! { <p id="no-children" class="note">{ t.no_children }</p> },
        Some(list) => html! {
            <div class="table-wrap">
                <table id="children" class="data">
                    <caption class="visually-hidden">{ t.children_heading }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ t.col_child }</th>
                            <th scope="col">{ t.col_band }</th>
                            <th scope="col">{ t.col_created }</th>
                            <th scope="col">{ t.col_expires }</th>
                            <th scope="col">{ t.col_status }</th>
                            <th scope="col">{ t.col_actions }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for list.iter().map(|row| {
                            let r = &row.record;
                            let (status, key) = if r.revoked {
                                (t.status_revoked.to_string(), "revoked")
                            } else if let Some(sealed) = &r.sealed {
                                ((t.status_answered)(sealed.counter), "answered")
                            } else if r.expires_unix <= now {
                                (t.status_expired.to_string(), "expired")
                            } else {
                                (t.status_invited.to_string(), "invited")
                            };
                            let note = row.note.text(t);
                            html! {
                                <tr data-assessment={r.assessment.clone()}>
                                    <th scope="row">
                                        <a class="child-link" href={Route::Child(r.assessment.clone()).fragment()}>{ note.clone() }</a>
                                    </th>
                                    <td>{ (t.band)(&r.questionnaire.id) }</td>
                                    <td>{ date(staff.lang, r.created_unix) }</td>
                                    <td>{ if r.expires_unix == u64::MAX { "—".to_string() } else { date(staff.lang, r.expires_unix) } }</td>
                                    <td class="status" data-status={key}>{ status }</td>
                                    <td>
                                        if !r.revoked {
                                            <button type="button" class="revoke secondary small"
                                                aria-label={(t.revoke_label)(&note)}
                                                disabled={busy.is_some()} onclick={revoke(row)}>{ t.revoke }</button>
                                        }
                                    </td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
        },
    };

    html! {
        <section aria-labelledby="children-heading">
            <div class="page-head">
                <h1 id="children-heading">{ t.children_heading }</h1>
                <a id="invite-link" class="button primary" href={Route::Invite.fragment()}>{ t.invite_children }</a>
            </div>
            <Problem id="children-error" message={(*error).clone()} />
            { table }
            <p class="hint">{ t.list_note }</p>
        </section>
    }
}
