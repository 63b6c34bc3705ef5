//! The administrator's page for the statistics key (`#/admin/statistics-key`): who of the
//! analysts and administrators holds it, and buttons to grant and take it away. A grant is
//! made here, in the administrator's browser, which holds the statistics key: it seals the
//! key to the colleague's personal public key (`keys::grant`); the server stores only that
//! and audits it. Taking the key away is a request the server carries out and audits.

use super::context::use_staff;
use super::keys;
use super::page::{use_fetch, Loading, StaffPage};
use crate::common::api;
use beratta_core::api::{Role, StaffMember};
use yew::prelude::*;

/// Who the page lists: enabled analysts and administrators who have chosen a password.
fn listed(member: &StaffMember) -> bool {
    matches!(member.role, Role::Analyst | Role::Administrator) && !member.disabled && !member.enrolling
}

/// What a button asks for.
#[derive(Clone)]
enum Change {
    Grant(StaffMember),
    Revoke(StaffMember),
}

#[function_component]
pub fn StatisticsKeyPage() -> Html {
    let staff = use_staff();
    let t = staff.t();
    let s = t.statistics;
    let is_admin = staff.signed_in.as_ref().is_some_and(|p| p.is_admin());
    let notice = use_state(|| None::<String>);
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let members = {
        let staff = staff.clone();
        use_fetch((), move |_| {
            is_admin.then_some(async move {
                let mut list = api::staff_members().await.map_err(|e| staff.failure(&e))?;
                list.retain(listed);
                list.sort_by_key(|m| m.display_name.to_lowercase());
                Ok(list)
            })
        })
    };
    let Some(person) = staff.signed_in.clone().filter(|p| p.is_admin()) else {
        return html! { <p class="note" role="status">{ t.admin_only }</p> };
    };

    let change = {
        let (busy, error, notice, members, staff, person) =
            (busy.clone(), error.clone(), notice.clone(), members.clone(), staff.clone(), person.clone());
        Callback::from(move |change: Change| {
            if *busy {
                return;
            }
            busy.set(true);
            notice.set(None);
            error.set(None);
            let (busy, error, notice, members, staff, person) =
                (busy.clone(), error.clone(), notice.clone(), members.clone(), staff.clone(), person.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let s = staff.t().statistics;
                let organisation = &person.session.organisation;
                let outcome = match &change {
                    Change::Grant(m) => {
                        let grant = person
                            .statistics_key
                            .as_ref()
                            .zip(m.personal_public_key.as_ref())
                            .and_then(|(key, public)| keys::grant(key, &public.0, organisation, &m.username));
                        match grant {
                            Some(grant) => api::grant_statistics_key(&m.staff_id, &grant)
                                .await
                                .map(|()| (s.granted)(&m.display_name))
                                .map_err(|e| staff.failure(&e)),
                            None => Err(s.grant_failed.to_string()),
                        }
                    }
                    Change::Revoke(m) => api::revoke_statistics_key(&m.staff_id)
                        .await
                        .map(|()| (s.revoked)(&m.display_name))
                        .map_err(|e| staff.failure(&e)),
                };
                match outcome {
                    Ok(done) => notice.set(Some(done)),
                    Err(problem) => error.set(Some(problem)),
                }
                busy.set(false);
                members.reload();
            });
        })
    };

    let can_grant = person.statistics_key.is_some();
    let table = members.view(html! { <Loading /> }, |list| {
        if list.iter().all(|m| m.staff_id == person.session.staff_id) {
            return html! { <p id="statistics-key-nobody">{ s.nobody }</p> };
        }
        html! {
            <div class="table-wrap">
                <table id="statistics-key-holders" class="data">
                    <caption class="visually-hidden">{ s.heading }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ s.col_person }</th>
                            <th scope="col">{ s.col_role }</th>
                            <th scope="col">{ s.col_key }</th>
                            <th scope="col">{ s.col_action }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for list.iter().map(|m| {
                            let me = m.staff_id == person.session.staff_id;
                            let key = if m.holds_statistics_key { s.holds } else if m.personal_public_key.is_none() { s.no_personal_key } else { s.lacks };
                            let on_grant = {
                                let (change, m) = (change.clone(), m.clone());
                                Callback::from(move |_: MouseEvent| change.emit(Change::Grant(m.clone())))
                            };
                            let on_revoke = {
                                let (change, m) = (change.clone(), m.clone());
                                Callback::from(move |_: MouseEvent| change.emit(Change::Revoke(m.clone())))
                            };
                            html! {
                                <tr data-username={m.username.clone()}>
                                    <th scope="row">{ &m.display_name }{ if me { format!(" ({})", s.you) } else { String::new() } }</th>
                                    <td>{ t.role(m.role) }</td>
                                    <td class="statistics-key-status" data-holds={if m.holds_statistics_key { "true" } else { "false" }}>{ key }</td>
                                    <td>
                                        if me {
                                        } else if m.holds_statistics_key {
                                            <button type="button" id={format!("revoke-{}", m.username)} class="secondary small"
                                                disabled={*busy} aria-label={(s.revoke_label)(&m.display_name)} onclick={on_revoke}>
                                                { s.revoke }
                                            </button>
                                        } else if can_grant && m.personal_public_key.is_some() {
                                            <button type="button" id={format!("grant-{}", m.username)} class="small"
                                                disabled={*busy} aria-label={(s.grant_label)(&m.display_name)} onclick={on_grant}>
                                                { s.grant }
                                            </button>
                                        }
                                    </td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
        }
    });

    html! {
        <StaffPage heading_id="statistics-key-heading" heading={s.heading}
            problem_id="statistics-key-error" problem={(*error).clone().or(members.problem())}>
            <p>{ s.intro }</p>
            <p class="note">{ s.risk }</p>
            if !can_grant {
                <p id="statistics-key-admin-lacks" class="note">{ s.admin_lacks_key }</p>
            }
            <p id="statistics-key-notice" role="status" aria-live="polite">
                { if *busy { s.working.to_string() } else { (*notice).clone().unwrap_or_default() } }
            </p>
            { table }
        </StaffPage>
    }
}

#[cfg(test)]
mod tests {
    use super::super::texts::texts;
    use crate::common::lang::Lang;

    #[test]
    fn each_buttons_spoken_name_begins_with_its_visible_words_in_every_staff_language() {
        for lang in Lang::STAFF {
            let s = texts(lang).statistics;
            assert!((s.grant_label)("Alva").starts_with(s.grant), "{lang:?}");
            assert!((s.revoke_label)("Alva").starts_with(s.revoke), "{lang:?}");
            assert!((s.grant_label)("Alva").contains("Alva") && (s.revoke_label)("Alva").contains("Alva"));
        }
    }
}
