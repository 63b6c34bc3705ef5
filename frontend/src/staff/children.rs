//! The staff home: the children this person may read, each with the name or note staff
//! typed (opened here with the organisation key), the instrument's age band, dates and
//! status, a link to the summary and a way to revoke the code. Answers are not opened here:
//! only the summary page opens them, and the server logs every such opening.

use super::context::use_staff;
use super::keys;
use super::page::{confirm, date, now_unix, use_fetch, Loading, StaffPage};
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

/// The children this person may read, newest first, with their notes opened.
async fn rows(person: std::rc::Rc<super::context::SignedIn>, staff: super::context::Staff) -> Result<Vec<Row>, String> {
    let records = api::invitations().await.map_err(|e| staff.failure(&e))?;
    let mut list: Vec<Row> =
        records.into_iter().map(|record| Row { note: Note::of(&person, &record), record }).collect();
    list.sort_by_key(|r| std::cmp::Reverse(r.record.created_unix));
    Ok(list)
}

#[function_component]
pub fn ChildrenPage() -> Html {
    let staff = use_staff();
    let t = staff.t();
    let error = use_state(|| None::<String>);
    let busy = use_state(|| None::<String>);
    let person = staff.signed_in.clone();
    let reads = person.as_ref().is_some_and(|p| p.reads_children());
    let fetched = {
        let staff = staff.clone();
        use_fetch((), move |_| {
            let person = staff.signed_in.clone().filter(|p| p.reads_children())?;
            Some(rows(person, staff))
        })
    };

    if !reads {
        return html! {
            <StaffPage heading_id="children-heading" heading={t.children_heading}>
                <p class="note">{ t.analyst_home }</p>
            </StaffPage>
        };
    }

    let revoke = |row: &Row| {
        let (busy, error, fetched, staff) = (busy.clone(), error.clone(), fetched.clone(), staff.clone());
        let id = row.record.assessment.clone();
        let note = row.note.text(t);
        Callback::from(move |_: MouseEvent| {
            if busy.is_some() || !confirm(&(staff.t().revoke_confirm)(&note)) {
                return;
            }
            busy.set(Some(id.clone()));
            let (busy, error, fetched, staff, id) =
                (busy.clone(), error.clone(), fetched.clone(), staff.clone(), id.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::revoke(&id).await {
                    Ok(()) => error.set(None),
                    Err(e) => error.set(Some(staff.failure(&e))),
                }
                busy.set(None);
                fetched.reload();
            });
        })
    };

    let now = now_unix();
    let table = fetched.view(html! { <Loading /> }, |list| match list {
        list if list.is_empty() => html! { <p id="no-children" class="note">{ t.no_children }</p> },
        list => html! {
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
    });

    let actions = html! {
        <a id="invite-link" class="button primary" href={Route::Invite.fragment()}>{ t.invite_children }</a>
    };
    html! {
        <StaffPage heading_id="children-heading" heading={t.children_heading} {actions}
            problem_id="children-error" problem={(*error).clone().or(fetched.problem())}>
            { table }
            <p class="hint">{ t.list_note }</p>
        </StaffPage>
    }
}
