//! The staff home: how many children have urgent answers or unhandled help wishes, then
//! the children this person may read, urgent ones first under a calm mark with the duty to
//! report, each with the name or note staff typed and the status the child's browser
//! sealed (both opened here with the organisation key), the age band, dates, a link to the
//! summary, a new code and revoking. Answers are not opened here: only the summary page
//! opens them. The server logs every view of the statuses. Administrators also see how many
//! children each unit has (counts only); analysts get a home that says what their role will
//! see and never see.

use super::context::{use_staff, Card, StatisticsKey};
use super::keys;
use super::overview::{self, ChildState, Seen};
use super::page::{confirm, date, now_unix, use_fetch, Loading, Problem, StaffPage};
use super::route::{go, Route};
use crate::common::api;
use beratta_core::api::{AssessmentRecord, Unit, UnitChildren};
use beratta_core::status::Progress;
use gloo_timers::future::TimeoutFuture;
use std::rc::Rc;
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
        let Some(org_key) = &person.org_key else { return Note::Unreadable };
        match keys::open_note(org_key, record) {
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
    state: ChildState,
}

impl Row {
    /// An urgent answer on a live code: listed first, under the mark.
    fn urgent(&self) -> bool {
        self.state.urgent() && !self.record.revoked
    }
}

/// The children this person may read, with their notes and statuses opened: urgent
/// children first (a revoked code is no longer followed up here), otherwise the newest
/// invitation first. Fetching the statuses is one audit record.
async fn rows(person: Rc<super::context::SignedIn>, staff: super::context::Staff) -> Result<Vec<Row>, String> {
    let records = api::invitations().await.map_err(|e| staff.failure(&e))?;
    let statuses = api::statuses().await.map_err(|e| staff.failure(&e))?;
    let organisation = &person.session.organisation;
    let org_key = person.org_key.clone().ok_or_else(|| staff.t().forbidden.to_string())?;
    let mut list: Vec<Row> = records
        .into_iter()
        .map(|record| {
            let state = match statuses.iter().find(|s| s.assessment == record.assessment) {
                Some(entry) => overview::open(&org_key, organisation, entry),
                // Invited after the statuses were read: nothing saved yet.
                None => ChildState { seen: Seen::Invited, unhandled: Some(0) },
            };
            Row { note: Note::of(&person, &record), record, state }
        })
        .collect();
    list.sort_by_key(|r| (!r.urgent(), std::cmp::Reverse(r.record.created_unix)));
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
        return html! { <AnalystHome /> };
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

    let new_code = |row: &Row| {
        let (busy, error, staff) = (busy.clone(), error.clone(), staff.clone());
        let record = row.record.clone();
        let note = row.note.text(t);
        Callback::from(move |_: MouseEvent| {
            if busy.is_some() || !confirm(&(staff.t().new_code_confirm)(&note)) {
                return;
            }
            let Some(person) = staff.signed_in.clone() else { return };
            busy.set(Some(record.assessment.clone()));
            let (busy, error, staff, record, note) =
                (busy.clone(), error.clone(), staff.clone(), record.clone(), note.clone());
            wasm_bindgen_futures::spawn_local(async move {
                // Paints "making a new code" before Argon2id holds the thread.
                TimeoutFuture::new(30).await;
                match replace_code(&person, &record).await {
                    Ok(code) => {
                        let card = Card { note, code, band: record.questionnaire.id.clone() };
                        staff.on_cards.emit(Rc::new(vec![card]));
                        go(&Route::Cards, false);
                    }
                    Err(failure) => {
                        error.set(Some(match failure {
                            CodeFailure::Api(e) => staff.failure(&e),
                            CodeFailure::Key => staff.t().new_code_key_failed.to_string(),
                        }));
                        busy.set(None);
                    }
                }
            });
        })
    };

    let now = now_unix();
    let summary = fetched.data().map(|list| {
        let counts = overview::overview(list.iter().filter(|r| !r.record.revoked).map(|r| &r.state));
        html! {
            <>
                <section id="overview" class="overview" aria-labelledby="overview-heading">
                    <h2 id="overview-heading">{ t.overview_heading }</h2>
                    <ul>
                        <li id="overview-urgent">{ (t.overview_urgent)(counts.urgent) }</li>
                        <li id="overview-unhandled">{ (t.overview_unhandled)(counts.unhandled) }</li>
                        if counts.unknown > 0 {
                            <li id="overview-unknown">{ (t.overview_unknown)(counts.unknown) }</li>
                        }
                    </ul>
                </section>
                if counts.urgent > 0 {
                    <div id="urgent-notice" class="urgent-notice" role="note">
                        <p class="urgent-heading"><strong>{ (t.list_urgent_heading)(counts.urgent) }</strong></p>
                        <p>{ t.list_urgent_advice }</p>
                    </div>
                }
            </>
        }
    });
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
                            let (status, key, detail) = status_cell(t, staff.lang, row, now);
                            let urgent = row.urgent();
                            let note = row.note.text(t);
                            html! {
                                <tr data-assessment={r.assessment.clone()} data-urgent={urgent.to_string()}
                                    class={classes!(urgent.then_some("urgent-row"))}>
                                    <th scope="row">
                                        if urgent {
                                            <span class="urgent-mark">{ t.list_urgent_mark }</span>{ " " }
                                        }
                                        <a class="child-link" href={Route::Child(r.assessment.clone()).fragment()}>{ note.clone() }</a>
                                        <span class="code-label">{ (t.code_label)(&r.lookup) }</span>
                                    </th>
                                    <td>{ (t.band)(&r.questionnaire.id) }</td>
                                    <td>{ date(staff.lang, r.created_unix) }</td>
                                    <td>{ if r.expires_unix == u64::MAX { "—".to_string() } else { date(staff.lang, r.expires_unix) } }</td>
                                    <td class="status" data-status={key}>
                                        { status }
                                        { for detail.into_iter().map(|d| html! { <span class="status-detail">{ d }</span> }) }
                                    </td>
                                    <td>
                                        if !r.revoked {
                                            <button type="button" class="new-code secondary small"
                                                aria-label={(t.new_code_label)(&note)}
                                                disabled={busy.is_some()} onclick={new_code(row)}>{ t.new_code }</button>
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
            { summary.unwrap_or_default() }
            if busy.is_some() {
                <p id="children-busy" class="checking" role="status" aria-live="polite">{ t.new_code_making }</p>
            }
            { table }
            <p class="hint">{ t.list_note }</p>
            if person.as_ref().is_some_and(|p| p.is_admin()) {
                <ChildrenPerUnit />
            }
        </StaffPage>
    }
}

/// The status cell: the words, a stable key for tests and styles, and details (help wishes,
/// the day of the last change, or why the status is not known).
fn status_cell(
    t: &super::texts::Texts,
    lang: crate::common::lang::Lang,
    row: &Row,
    now: u64,
) -> (String, &'static str, Vec<String>) {
    let r = &row.record;
    if r.revoked {
        return (t.status_revoked.to_string(), "revoked", Vec::new());
    }
    match &row.state.seen {
        Seen::Known(status) => {
            let mut details = Vec::new();
            if status.help_wishes > 0 {
                details.push((t.help_wishes)(status.help_wishes));
            }
            details.push((t.status_changed)(&date(lang, u64::from(status.changed_on) * 86_400)));
            match status.progress {
                Progress::Finished => (t.status_finished.to_string(), "finished", details),
                Progress::Started => (t.status_started.to_string(), "started", details),
            }
        }
        Seen::Pending => (t.status_pending.to_string(), "pending", vec![t.status_pending_hint.to_string()]),
        Seen::Unreadable => (t.status_started.to_string(), "unreadable", vec![t.status_unreadable.to_string()]),
        Seen::Invited if r.expires_unix <= now => (t.status_expired.to_string(), "expired", Vec::new()),
        Seen::Invited => (t.status_invited.to_string(), "invited", Vec::new()),
    }
}

/// Why a new code was not made.
enum CodeFailure {
    Api(api::ApiError),
    /// The stored data key did not open with the organisation key.
    Key,
}

/// Makes the child's new code: what the server needs to know, a lookup reserved for this
/// staff member, then the code and the data key wrapped for it, sent once.
async fn replace_code(
    person: &super::context::SignedIn,
    record: &AssessmentRecord,
) -> Result<beratta_core::login::ChildCode, CodeFailure> {
    let basis = api::code_basis(&record.assessment).await.map_err(CodeFailure::Api)?;
    let mut reserved = api::reserve_lookups(1).await.map_err(CodeFailure::Api)?;
    let lookup = reserved.lookups.pop().ok_or(CodeFailure::Api(api::ApiError::Malformed))?;
    let org_key = person.org_key.as_ref().ok_or(CodeFailure::Key)?;
    let (code, body) = keys::new_code(&lookup, &basis, org_key).map_err(|problem| match problem {
        keys::InvitationProblem::Key => CodeFailure::Key,
        keys::InvitationProblem::NotALookup | keys::InvitationProblem::Derive => {
            CodeFailure::Api(api::ApiError::Malformed)
        }
    })?;
    api::replace_code(&record.assessment, &body).await.map_err(CodeFailure::Api)?;
    Ok(code)
}

/// The analyst's home: what the role will see, what it never will, and plainly whether
/// the statistics key opened at login.
#[function_component]
fn AnalystHome() -> Html {
    let staff = use_staff();
    let t = staff.t();
    let state = staff.signed_in.as_ref().map_or(StatisticsKey::NotGranted, |p| p.statistics);
    let state_text = match state {
        StatisticsKey::Opened => t.statistics.opened,
        StatisticsKey::NotGranted => t.statistics.not_granted,
        StatisticsKey::NotMade => t.statistics.not_made,
        StatisticsKey::Failed => t.statistics.failed,
    };
    html! {
        <StaffPage heading_id="analyst-heading" heading={t.admin.analyst_heading}>
            <div id="analyst-home">
                <p class="lead">{ t.analyst_home }</p>
                <h2 id="analyst-will">{ t.admin.analyst_will_heading }</h2>
                <p>{ t.admin.analyst_will }</p>
                <h2 id="analyst-never">{ t.admin.analyst_never_heading }</h2>
                <p>{ t.admin.analyst_never }</p>
                <h2 id="analyst-statistics-key-heading">{ t.statistics.home_heading }</h2>
                <p id="analyst-statistics-key" role="status" data-state={state.name()}>{ state_text }</p>
            </div>
        </StaffPage>
    }
}

/// For administrators: how many children exist per unit, counted by the server, no names.
#[function_component]
fn ChildrenPerUnit() -> Html {
    let staff = use_staff();
    let t = staff.t();
    let fetched = {
        let staff = staff.clone();
        use_fetch((), move |_| {
            Some(async move {
                let counts = api::admin_children().await.map_err(|e| staff.failure(&e))?;
                let units = api::admin_units().await.map_err(|e| staff.failure(&e))?;
                Ok::<_, String>((counts, units))
            })
        })
    };
    let body = fetched.view(html! { <Loading /> }, |found| {
        let (list, units): &(Vec<UnitChildren>, Vec<Unit>) = found;
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
    });
    html! {
        <section class="children-per-unit" aria-labelledby="per-unit-heading">
            <h2 id="per-unit-heading">{ t.admin.counts_heading }</h2>
            <p>{ t.admin.counts_intro }</p>
            <Problem id="per-unit-error" message={fetched.problem()} />
            { body }
        </section>
    }
}
