//! The staff home: the children this person may read, each with the name or note staff
//! typed (opened here with the organisation key), the instrument's age band, dates and
//! status, a link to the summary and a way to revoke the code. Answers are not opened here:
//! only the summary page opens them, and the server logs every such opening. Administrators
//! also see how many children each unit has (counts only); analysts get a home that says
//! what their role will see and never see.

use super::context::use_staff;
use super::keys;
use super::page::{confirm, date, now_unix, Loading, Problem};
use super::route::Route;
use crate::common::api;
use beratta_core::api::{AssessmentRecord, Unit, UnitChildren};
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
        return html! { <AnalystHome /> };
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
            if person.as_ref().is_some_and(|p| p.is_admin()) {
                <ChildrenPerUnit />
            }
        </section>
    }
}

/// The analyst's home: what the role will see, and what it never will.
#[function_component]
fn AnalystHome() -> Html {
    let staff = use_staff();
    let t = staff.t();
    html! {
        <section id="analyst-home" aria-labelledby="analyst-heading">
            <h1 id="analyst-heading">{ t.admin.analyst_heading }</h1>
            <p class="lead">{ t.analyst_home }</p>
            <h2 id="analyst-will">{ t.admin.analyst_will_heading }</h2>
            <p>{ t.admin.analyst_will }</p>
            <h2 id="analyst-never">{ t.admin.analyst_never_heading }</h2>
            <p>{ t.admin.analyst_never }</p>
        </section>
    }
}

/// For administrators: how many children exist per unit, counted by the server, no names.
#[function_component]
fn ChildrenPerUnit() -> Html {
    let staff = use_staff();
    let t = staff.t();
    let counts = use_state(|| None::<(Vec<UnitChildren>, Vec<Unit>)>);
    let error = use_state(|| None::<String>);
    {
        let (counts, error, staff) = (counts.clone(), error.clone(), staff.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match (api::admin_children().await, api::admin_units().await) {
                    (Ok(list), Ok(units)) => counts.set(Some((list, units))),
                    (Err(e), _) | (_, Err(e)) => error.set(Some(staff.failure(&e))),
                }
            });
        });
    }
    let body = match &*counts {
        None if error.is_none() => html! { <Loading /> },
        None => Html::default(),
        Some((list, units)) => {
            let name = |unit: &Option<String>| match unit {
                Some(id) => units.iter().find(|u| &u.unit_id == id).map_or_else(|| id.clone(), |u| u.name.clone()),
                None => t.admin.in_no_unit.to_string(),
            };
            let total: u64 = list.iter().map(|c| c.children).sum();
            html! {
                <table id="children-per-unit" class="data">
                    <caption class="visually-hidden">{ t.admin.counts_heading }</caption>
                    <thead>
                        <tr><th scope="col">{ t.col_unit }</th><th scope="col">{ t.admin.col_children }</th></tr>
                    </thead>
                    <tbody>
                        { for list.iter().map(|c| html! {
                            <tr data-unit={c.unit.clone().unwrap_or_default()}>
                                <th scope="row">{ name(&c.unit) }</th>
                                <td class="count">{ c.children }</td>
                            </tr>
                        }) }
                    </tbody>
                    <tfoot>
                        <tr><th scope="row">{ (t.admin.counts_total)(total) }</th><td id="children-total" class="count">{ total }</td></tr>
                    </tfoot>
                </table>
            }
        }
    };
    html! {
        <section class="children-per-unit" aria-labelledby="per-unit-heading">
            <h2 id="per-unit-heading">{ t.admin.counts_heading }</h2>
            <p>{ t.admin.counts_intro }</p>
            <Problem id="per-unit-error" message={(*error).clone()} />
            { body }
        </section>
    }
}
