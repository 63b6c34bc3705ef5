//! The audit log as administrators read it: each record with people and children named
//! (colleagues by the staff list, children by the note typed at invitation, opened here
//! with the organisation key, since only this browser can read it), filters by person,
//! child, event and dates, and a CSV file of exactly the rows shown, made in this browser
//! with the `csv` crate and handed over as a download. The server's records and their hash
//! chain are only read.

use super::context::{use_staff, SignedIn};
use super::page::{date_time, download_csv, use_fetch, Loading, StaffPage};
use super::texts::Texts;
use crate::common::api;
use crate::common::lang::Lang;
use beratta_core::api::{AuditEntry, ChildNote, StaffMember, Unit};
use beratta_core::audit::AuditAction;
use std::collections::HashMap;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The server gives the log a page at a time, oldest first.
const AUDIT_PAGE: usize = 500;
/// The most pages one visit reads, so a very long log cannot hold the page for long.
const MAX_AUDIT_PAGES: usize = 40;

/// Every page of the log, up to [`MAX_AUDIT_PAGES`].
async fn whole_log() -> Result<Vec<AuditEntry>, api::ApiError> {
    let mut all: Vec<AuditEntry> = Vec::new();
    for _ in 0..MAX_AUDIT_PAGES {
        let from = all.last().map_or(1, |e| e.seq + 1);
        let page = api::audit(from).await?;
        let full = page.len() >= AUDIT_PAGE;
        all.extend(page);
        if !full {
            break;
        }
    }
    Ok(all)
}

/// Who and what the log's ids stand for, as far as this browser can tell.
#[derive(Default)]
pub struct Names {
    /// Staff id → "Name (username)".
    pub staff: HashMap<String, String>,
    /// Unit id → name.
    pub units: HashMap<String, String>,
    /// Assessment id → the child's name or note.
    pub children: HashMap<String, String>,
}

impl Names {
    pub fn new(members: &[StaffMember], units: &[Unit], children: HashMap<String, String>) -> Names {
        Names {
            staff: members
                .iter()
                .map(|m| (m.staff_id.clone(), format!("{} ({})", m.display_name, m.username)))
                .collect(),
            units: units.iter().map(|u| (u.unit_id.clone(), u.name.clone())).collect(),
            children,
        }
    }

    /// An id from the log in words: a colleague, a unit, a child, or the id itself (a
    /// route refused, the command line).
    fn say(&self, t: &Texts, id: &str) -> String {
        if let Some(name) = self.staff.get(id).or_else(|| self.units.get(id)) {
            return name.clone();
        }
        if let Some(assessment) = id.strip_prefix("child:") {
            return self.child(t, assessment);
        }
        if let Some(name) = self.children.get(id) {
            return name.clone();
        }
        match id {
            "anonymous" => t.actor_anonymous.to_string(),
            _ => id.to_string(),
        }
    }

    fn child(&self, t: &Texts, assessment: &str) -> String {
        let name = self.children.get(assessment).cloned();
        // A child this organisation's list does not have (an unknown code's lookup).
        name.unwrap_or_else(|| format!("{} {}", t.actor_child, short(assessment)))
    }
}

/// The start of an id, enough to tell records apart in a table.
fn short(id: &str) -> &str {
    id.get(..6).unwrap_or(id)
}

/// One record as people read it, with what the filters look at.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub seq: u64,
    pub at_unix: u64,
    pub time: String,
    pub actor: String,
    pub action: AuditAction,
    pub event: String,
    pub subject: String,
    /// The staff ids the record concerns: who acted, and whom it was done to.
    pub people: Vec<String>,
    /// The assessment the record concerns, if any.
    pub child: Option<String>,
}

impl Row {
    pub fn of(entry: &AuditEntry, names: &Names, t: &Texts, time: String) -> Row {
        let subject = match (entry.action, entry.subject.as_deref()) {
            (AuditAction::AuditViewed, Some("children")) => t.admin.subject_children.to_string(),
            (_, Some(subject)) => names.say(t, subject),
            (_, None) => String::new(),
        };
        let people = [Some(entry.actor.as_str()), entry.subject.as_deref()]
            .into_iter()
            .flatten()
            .filter(|id| names.staff.contains_key(*id))
            .map(str::to_string)
            .collect();
        let child = match entry.actor.strip_prefix("child:") {
            Some(assessment) => Some(assessment.to_string()),
            None => entry.subject.clone().filter(|s| names.children.contains_key(s)),
        };
        Row {
            seq: entry.seq,
            at_unix: entry.at_unix,
            time,
            actor: names.say(t, &entry.actor),
            action: entry.action,
            event: (t.action)(entry.action).to_string(),
            subject,
            people,
            child,
        }
    }
}

/// What the administrator chose to see. Dates are Unix seconds: `from` inclusive, `until`
/// exclusive (the page turns "to date" into the start of the next day).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    pub person: Option<String>,
    pub child: Option<String>,
    pub action: Option<AuditAction>,
    pub from: Option<u64>,
    pub until: Option<u64>,
}

impl Filter {
    pub fn admits(&self, row: &Row) -> bool {
        self.person.as_ref().is_none_or(|p| row.people.contains(p))
            && self.child.as_ref().is_none_or(|c| row.child.as_ref() == Some(c))
            && self.action.is_none_or(|a| row.action == a)
            && self.from.is_none_or(|from| row.at_unix >= from)
            && self.until.is_none_or(|until| row.at_unix < until)
    }
}

/// A cell a spreadsheet would take for a formula gets a leading apostrophe, so that a name
/// typed as `=…` stays text when the file is opened.
fn cell(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

/// The rows as CSV: a header row with the table's column names, then one row per record,
/// in the order shown. UTF-8 with a byte-order mark, so that spreadsheets read å, ä and ö.
pub fn to_csv(t: &Texts, rows: &[&Row]) -> Result<String, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([t.col_seq, t.col_time, t.col_actor, t.col_action, t.col_subject])?;
    for row in rows {
        out.write_record([
            row.seq.to_string(),
            cell(&row.time),
            cell(&row.actor),
            cell(&row.event),
            cell(&row.subject),
        ])?;
    }
    let bytes = out.into_inner().map_err(|e| e.into_error())?;
    Ok(format!("\u{feff}{}", String::from_utf8_lossy(&bytes)))
}

/// Local midnight at the start of a `YYYY-MM-DD` date, in Unix seconds.
fn local_midnight(date: &str) -> Option<u64> {
    if date.is_empty() {
        return None;
    }
    let ms = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(&format!("{date}T00:00:00"))).get_time();
    (ms.is_finite() && ms >= 0.0).then_some((ms / 1000.0) as u64)
}

/// The local midnight after the one at `midnight` (a day is not always 24 hours long).
fn next_midnight(midnight: u64) -> u64 {
    let day = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64((midnight + 36 * 3600) as f64 * 1000.0));
    day.set_hours(0);
    day.set_minutes(0);
    day.set_seconds(0);
    day.set_milliseconds(0);
    (day.get_time() / 1000.0) as u64
}

/// The children's names: the organisation's sealed notes, opened with its key.
fn child_names(person: &SignedIn, notes: Vec<ChildNote>, t: &Texts) -> HashMap<String, String> {
    notes
        .into_iter()
        .map(|n| {
            let name = match person.org_key.as_ref().map(|k| k.open_note(&n.sealed_note.0)) {
                _ if n.sealed_note.0.is_empty() => (t.admin.child_without_note)(short(&n.assessment)),
                Some(Ok(text)) if !text.trim().is_empty() => text,
                Some(Ok(_)) => (t.admin.child_without_note)(short(&n.assessment)),
                Some(Err(_)) | None => t.note_unreadable.to_string(),
            };
            (n.assessment, name)
        })
        .collect()
}

/// What the page has loaded, in the language it was read in.
struct Loaded {
    rows: Vec<Row>,
    people: Vec<(String, String)>,
    children: Vec<(String, String)>,
}

async fn load(person: Rc<SignedIn>, lang: Lang) -> Result<Loaded, api::ApiError> {
    let t = super::texts::texts(lang);
    let mut entries = whole_log().await?;
    entries.sort_by_key(|e| std::cmp::Reverse(e.seq));
    let members = api::staff_members().await?;
    let units = api::admin_units().await?;
    let notes = api::audit_children().await?;
    let names = Names::new(&members, &units, child_names(&person, notes, t));
    let rows = entries.iter().map(|e| Row::of(e, &names, t, date_time(lang, e.at_unix))).collect();
    let mut people: Vec<(String, String)> = names.staff.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    people.sort_by_key(|(_, name)| name.to_lowercase());
    let mut children: Vec<(String, String)> = names.children.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    children.sort_by_key(|(_, name)| name.to_lowercase());
    Ok(Loaded { rows, people, children })
}

#[function_component]
pub fn AuditPage() -> Html {
    let staff = use_staff();
    let t = staff.t();
    let error = use_state(|| None::<String>);
    let filter = use_state(Filter::default);
    let dates = use_state(|| (String::new(), String::new()));
    let person = staff.signed_in.clone().filter(|p| p.is_admin());
    let loaded = {
        let (staff, person) = (staff.clone(), person.clone());
        // Read again when the language changes, so times and names follow it.
        use_fetch(staff.lang, move |lang| {
            let (lang, person) = (*lang, person?);
            Some(async move { load(person, lang).await.map_err(|e| staff.failure(&e)) })
        })
    };
    if person.is_none() {
        return html! { <p class="note" role="status">{ t.admin_only }</p> };
    }

    let choose = |apply: fn(&mut Filter, Option<String>)| {
        let filter = filter.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let value = select.value();
            let mut next = (*filter).clone();
            apply(&mut next, (!value.is_empty()).then_some(value));
            filter.set(next);
        })
    };
    let on_date = |which: usize| {
        let (filter, dates) = (filter.clone(), dates.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let mut chosen = (*dates).clone();
            if which == 0 {
                chosen.0 = input.value();
            } else {
                chosen.1 = input.value();
            }
            let mut next = (*filter).clone();
            next.from = local_midnight(&chosen.0);
            // Up to and with the day chosen: until the next day's midnight.
            next.until = local_midnight(&chosen.1).map(next_midnight);
            dates.set(chosen);
            filter.set(next);
        })
    };
    let on_clear = {
        let (filter, dates) = (filter.clone(), dates.clone());
        Callback::from(move |_: MouseEvent| {
            filter.set(Filter::default());
            dates.set((String::new(), String::new()));
        })
    };

    let body = loaded.view(html! { <Loading /> }, |found| match found {
        found if found.rows.is_empty() => html! { <p class="note">{ t.audit_empty }</p> },
        found => {
            let shown: Vec<&Row> = found.rows.iter().filter(|r| filter.admits(r)).collect();
            let on_export = {
                let (found, filter, error, lang) = (found.clone(), (*filter).clone(), error.clone(), staff.lang);
                Callback::from(move |_: MouseEvent| {
                    let t = super::texts::texts(lang);
                    let rows: Vec<&Row> = found.rows.iter().filter(|r| filter.admits(r)).collect();
                    let made = to_csv(t, &rows)
                        .map_err(|_| ())
                        .and_then(|text| download_csv(t.admin.csv_file, &text).map_err(|_| ()));
                    if made.is_err() {
                        error.set(Some(t.server.to_string()));
                    }
                })
            };
            let option = |value: &str, label: &str, selected: bool| {
                html! { <option value={value.to_string()} {selected}>{ label.to_string() }</option> }
            };
            html! {
                <>
                    <form class="form-card audit-filters" aria-labelledby="audit-filter-heading"
                        onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                        <h2 id="audit-filter-heading">{ t.admin.filter_heading }</h2>
                        <div class="field">
                            <label for="audit-person">{ t.admin.filter_person }</label>
                            <select id="audit-person" onchange={choose(|f, v| f.person = v)}>
                                { option("", t.admin.filter_all, filter.person.is_none()) }
                                { for found.people.iter().map(|(id, name)| option(id, name, filter.person.as_ref() == Some(id))) }
                            </select>
                        </div>
                        <div class="field">
                            <label for="audit-child">{ t.admin.filter_child }</label>
                            <select id="audit-child" onchange={choose(|f, v| f.child = v)}>
                                { option("", t.admin.filter_all, filter.child.is_none()) }
                                { for found.children.iter().map(|(id, name)| option(id, name, filter.child.as_ref() == Some(id))) }
                            </select>
                        </div>
                        <div class="field">
                            <label for="audit-action">{ t.admin.filter_action }</label>
                            <select id="audit-action" onchange={choose(|f, v| f.action = v.as_deref().and_then(AuditAction::from_name))}>
                                { option("", t.admin.filter_all, filter.action.is_none()) }
                                { for AuditAction::ALL.iter().map(|a| option(a.name(), (t.action)(*a), filter.action == Some(*a))) }
                            </select>
                        </div>
                        <div class="field">
                            <label for="audit-from">{ t.admin.filter_from }</label>
                            <input id="audit-from" type="date" value={dates.0.clone()} onchange={on_date(0)} />
                        </div>
                        <div class="field">
                            <label for="audit-to">{ t.admin.filter_to }</label>
                            <input id="audit-to" type="date" value={dates.1.clone()} onchange={on_date(1)} />
                        </div>
                        <button id="audit-clear" type="button" class="secondary" onclick={on_clear}>{ t.admin.filter_clear }</button>
                    </form>
                    <p id="audit-count" role="status" aria-live="polite">{ (t.admin.audit_shown)(shown.len(), found.rows.len()) }</p>
                    <p>
                        <button id="audit-export" type="button" class="secondary" onclick={on_export}
                            aria-describedby="audit-export-hint">{ t.admin.export_csv }</button>
                    </p>
                    <p id="audit-export-hint" class="hint">{ t.admin.export_hint }</p>
                    if shown.is_empty() {
                        <p id="audit-none" class="note">{ t.admin.audit_none_match }</p>
                    } else {
                        <div class="table-wrap">
                            <table id="audit-log" class="data">
                                <caption class="visually-hidden">{ t.audit_heading }</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{ t.col_seq }</th>
                                        <th scope="col">{ t.col_time }</th>
                                        <th scope="col">{ t.col_actor }</th>
                                        <th scope="col">{ t.col_action }</th>
                                        <th scope="col">{ t.col_subject }</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    { for shown.iter().map(|r| html! {
                                        <tr data-action={r.action.name()}>
                                            <td>{ r.seq }</td>
                                            <td>{ &r.time }</td>
                                            <td>{ &r.actor }</td>
                                            <td>{ &r.event }</td>
                                            <td>{ &r.subject }</td>
                                        </tr>
                                    }) }
                                </tbody>
                            </table>
                        </div>
                    }
                </>
            }
        }
    });
    html! {
        <StaffPage heading_id="audit-heading" heading={t.audit_heading}
            problem_id="audit-error" problem={(*error).clone().or(loaded.problem())}>
            <p>{ t.audit_intro }</p>
            { body }
        </StaffPage>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::staff::texts::texts;
    use beratta_core::api::Role;

    fn entry(seq: u64, at_unix: u64, actor: &str, action: AuditAction, subject: Option<&str>) -> AuditEntry {
        AuditEntry {
            seq,
            at_unix,
            organisation: "org".into(),
            actor: actor.into(),
            action,
            subject: subject.map(str::to_string),
            prev: Default::default(),
            hash: Default::default(),
        }
    }

    fn names() -> Names {
        let member = |id: &str, name: &str, username: &str| StaffMember {
            staff_id: id.into(),
            username: username.into(),
            display_name: name.into(),
            role: Role::Staff,
            unit: None,
            disabled: false,
            enrolling: false,
            personal_public_key: None,
            holds_statistics_key: false,
        };
        let units = [Unit { unit_id: "u1".into(), name: "Skola 1".into() }];
        let children = HashMap::from([("as-1".to_string(), "Alva".to_string())]);
        Names::new(&[member("s1", "Kim Kurator", "kim"), member("s2", "Rut Rektor", "rut")], &units, children)
    }

    fn rows() -> Vec<Row> {
        let t = texts(Lang::En);
        let names = names();
        [
            entry(1, 100, "s2", AuditAction::StaffMoved, Some("s1")),
            entry(2, 200, "s1", AuditAction::ChildDataViewed, Some("as-1")),
            entry(3, 300, "child:as-1", AuditAction::ChildLogin, None),
            entry(4, 400, "s2", AuditAction::AccessDenied, Some("GET /api/assessments/{id}")),
            entry(5, 500, "anonymous", AuditAction::ChildLoginFailed, Some("as-unknown")),
            entry(6, 600, "s2", AuditAction::AuditViewed, Some("children")),
        ]
        .iter()
        .map(|e| Row::of(e, &names, t, format!("t{}", e.at_unix)))
        .collect()
    }

    #[test]
    fn records_name_colleagues_and_children_instead_of_ids() {
        let rows = rows();
        let said: Vec<(&str, &str)> = rows.iter().map(|r| (r.actor.as_str(), r.subject.as_str())).collect();
        assert_eq!(
            said,
            [
                ("Rut Rektor (rut)", "Kim Kurator (kim)"),
                ("Kim Kurator (kim)", "Alva"),
                ("Alva", ""),
                ("Rut Rektor (rut)", "GET /api/assessments/{id}"),
                ("Unknown", "as-unknown"),
                ("Rut Rektor (rut)", "The children's names"),
            ]
        );
        assert_eq!(rows[0].event, "Moved staff to another unit");
    }

    #[test]
    fn filters_keep_only_the_records_of_a_person_a_child_an_event_and_a_time() {
        let rows = rows();
        let seqs = |filter: Filter| rows.iter().filter(|r| filter.admits(r)).map(|r| r.seq).collect::<Vec<_>>();
        assert_eq!(seqs(Filter::default()), [1, 2, 3, 4, 5, 6]);
        // A person is in a record when they acted or it was done to them.
        assert_eq!(seqs(Filter { person: Some("s1".into()), ..Filter::default() }), [1, 2]);
        assert_eq!(seqs(Filter { child: Some("as-1".into()), ..Filter::default() }), [2, 3]);
        assert_eq!(seqs(Filter { action: Some(AuditAction::AccessDenied), ..Filter::default() }), [4]);
        assert_eq!(seqs(Filter { from: Some(200), until: Some(400), ..Filter::default() }), [2, 3]);
        let all = Filter {
            person: Some("s1".into()),
            child: Some("as-1".into()),
            action: Some(AuditAction::ChildDataViewed),
            from: Some(0),
            until: Some(1000),
        };
        assert_eq!(seqs(all), [2]);
    }

    #[test]
    fn the_csv_has_a_header_and_one_row_per_record_shown_as_the_table_says_it() {
        let rows = rows();
        let shown: Vec<&Row> = rows.iter().filter(|r| r.seq <= 2).collect();
        let text = to_csv(texts(Lang::En), &shown).unwrap();
        let body = text.strip_prefix('\u{feff}').expect("a byte-order mark first");
        let mut reader = csv::Reader::from_reader(body.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
        assert_eq!(header, ["No.", "Time", "Who", "Event", "Concerning"].map(str::to_string));
        let read: Vec<Vec<String>> =
            reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
        assert_eq!(
            read,
            [
                ["1", "t100", "Rut Rektor (rut)", "Moved staff to another unit", "Kim Kurator (kim)"],
                ["2", "t200", "Kim Kurator (kim)", "Viewed a child's answers", "Alva"],
            ]
            .map(|r| r.map(str::to_string).to_vec())
        );
    }

    #[test]
    fn a_name_that_looks_like_a_formula_stays_text_in_the_csv() {
        let mut row = rows().remove(1);
        row.subject = "=HYPERLINK(\"x\")".into();
        let text = to_csv(texts(Lang::Sv), &[&row]).unwrap();
        assert!(text.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{text}");
        assert_eq!(cell("Alva"), "Alva");
        assert_eq!(cell("-1"), "'-1");
    }
}
