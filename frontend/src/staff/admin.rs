//! The administrator's pages: staff (add a colleague with an enrolment link, change a
//! role, move them to another unit, disable an account) and units. The audit log has a
//! module of its own (`audit`). Adding a colleague needs the
//! organisation key, which only this browser holds: it wraps a copy under a fresh
//! enrolment key that travels only in the link's fragment.

use super::context::use_staff;
use super::keys;
use super::page::{origin, typed_into, use_fetch, Loading, Problem, StaffPage};
use crate::common::api;
use beratta_core::api::{Bytes, NewStaffMember, Role, StaffChange, Unit};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

const ROLES: [Role; 3] = [Role::Staff, Role::Administrator, Role::Analyst];

fn role_value(role: Role) -> &'static str {
    match role {
        Role::Administrator => "administrator",
        Role::Staff => "staff",
        Role::Analyst => "analyst",
    }
}

fn role_from(value: &str) -> Option<Role> {
    ROLES.into_iter().find(|r| role_value(*r) == value)
}

/// The page body for people who are not administrators.
fn not_admin(t: &super::texts::Texts) -> Html {
    html! { <p class="note" role="status">{ t.admin_only }</p> }
}

/// The organisation's units, for names beside ids; `None` when this person is not an
/// administrator and so fetches nothing. A failure leaves the ids showing.
fn admin_units(is_admin: bool) -> Option<impl std::future::Future<Output = Result<Vec<Unit>, String>>> {
    is_admin.then_some(async { api::admin_units().await.map_err(|_| String::new()) })
}

#[function_component]
pub fn StaffListPage() -> Html {
    let staff = use_staff();
    let t = staff.t();
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let username = use_state(String::new);
    let display_name = use_state(String::new);
    let role = use_state(|| Role::Staff);
    let unit = use_state(|| None::<String>);
    let link = use_state(|| None::<(String, String)>);
    let is_admin = staff.signed_in.as_ref().is_some_and(|p| p.is_admin());
    let members = {
        let staff = staff.clone();
        use_fetch((), move |_| {
            is_admin.then_some(async move {
                let mut list = api::staff_members().await.map_err(|e| staff.failure(&e))?;
                list.sort_by_key(|m| m.display_name.to_lowercase());
                Ok(list)
            })
        })
    };
    let units = use_fetch((), move |_| admin_units(is_admin));
    let reload = {
        let (members, units) = (members.clone(), units.clone());
        move || {
            members.reload();
            units.reload();
        }
    };

    let Some(person) = staff.signed_in.clone().filter(|p| p.is_admin()) else { return not_admin(t) };

    let text_input = |state: &UseStateHandle<String>| typed_into(state, &error);
    let on_role = {
        let role = role.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Some(r) = role_from(&select.value()) {
                role.set(r);
            }
        })
    };
    let on_unit = {
        let unit = unit.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let value = select.value();
            unit.set((!value.is_empty()).then_some(value));
        })
    };

    let onsubmit = {
        let (username, display_name, role, unit, link) =
            (username.clone(), display_name.clone(), role.clone(), unit.clone(), link.clone());
        let (busy, error, reload, staff, person) =
            (busy.clone(), error.clone(), reload.clone(), staff.clone(), person.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let t = staff.t();
            let name = keys::username(&username);
            if name.is_empty() {
                error.set(Some(t.username_missing.to_string()));
                return;
            }
            if display_name.trim().is_empty() {
                error.set(Some(t.name_missing.to_string()));
                return;
            }
            let organisation = &person.session.organisation;
            // An analyst gets no copy of the organisation key.
            let org_key = person.org_key.as_ref().filter(|_| *role != Role::Analyst);
            let copy = keys::enrolment_copy(org_key, organisation, &name);
            let member = NewStaffMember {
                username: name,
                display_name: display_name.trim().to_string(),
                role: *role,
                unit: (*unit).clone(),
                enrolment_token: Bytes(copy.token.clone()),
                enrolment_wrapped_org_key: copy.wrapped.clone().map(Bytes),
            };
            busy.set(true);
            link.set(None);
            let (username, display_name, link, busy, error, reload, staff) = (
                username.clone(),
                display_name.clone(),
                link.clone(),
                busy.clone(),
                error.clone(),
                reload.clone(),
                staff.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::add_staff(&member).await {
                    Ok(()) => {
                        link.set(Some((member.display_name.clone(), keys::enrolment_link(&origin(), &copy))));
                        username.set(String::new());
                        display_name.set(String::new());
                        error.set(None);
                        reload();
                    }
                    Err(e) => error.set(Some(staff.failure(&e))),
                }
                busy.set(false);
            });
        })
    };

    let change = {
        let (busy, error, reload, staff) = (busy.clone(), error.clone(), reload.clone(), staff.clone());
        Callback::from(move |(id, change): (String, StaffChange)| {
            busy.set(true);
            let (busy, error, reload, staff) = (busy.clone(), error.clone(), reload.clone(), staff.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::change_staff(&id, &change).await {
                    Ok(()) => error.set(None),
                    Err(e) => error.set(Some(staff.failure(&e))),
                }
                busy.set(false);
                reload();
            });
        })
    };
    let units = units.data().unwrap_or_default();

    let table = members.view(html! { <Loading /> }, |list| {
        html! {
            <div class="table-wrap">
                <table id="staff-list" class="data">
                    <caption class="visually-hidden">{ t.staff_heading }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ t.col_name }</th>
                            <th scope="col">{ t.col_username }</th>
                            <th scope="col">{ t.col_role }</th>
                            <th scope="col">{ t.col_unit }</th>
                            <th scope="col">{ t.col_status }</th>
                            <th scope="col">{ t.col_actions }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for list.iter().map(|m| {
                            let me = m.staff_id == person.session.staff_id;
                            let status = if m.disabled { t.status_disabled } else if m.enrolling { t.status_enrolling } else { t.status_active };
                            let toggle = {
                                let (change, id, disabled) = (change.clone(), m.staff_id.clone(), !m.disabled);
                                Callback::from(move |_: MouseEvent| {
                                    change.emit((id.clone(), StaffChange { disabled: Some(disabled), role: None, unit: None }))
                                })
                            };
                            let on_change_role = {
                                let (change, id, current) = (change.clone(), m.staff_id.clone(), m.role);
                                Callback::from(move |e: Event| {
                                    let select: HtmlSelectElement = e.target_unchecked_into();
                                    if let Some(r) = role_from(&select.value()).filter(|r| *r != current) {
                                        change.emit((id.clone(), StaffChange { disabled: None, role: Some(r), unit: None }));
                                    }
                                })
                            };
                            let on_move = {
                                let (change, id, current) = (change.clone(), m.staff_id.clone(), m.unit.clone());
                                Callback::from(move |e: Event| {
                                    let select: HtmlSelectElement = e.target_unchecked_into();
                                    let value = select.value();
                                    let unit = (!value.is_empty()).then_some(value);
                                    if unit != current {
                                        change.emit((id.clone(), StaffChange { disabled: None, role: None, unit: Some(unit) }));
                                    }
                                })
                            };
                            let action = if m.disabled { t.enable } else { t.disable };
                            html! {
                                <tr data-staff={m.staff_id.clone()} data-username={m.username.clone()}>
                                    <th scope="row">{ &m.display_name }{ if me { format!(" {}", t.you) } else { String::new() } }</th>
                                    <td>{ &m.username }</td>
                                    <td>
                                        <select class="staff-role" aria-label={(t.role_of)(&m.display_name)}
                                            disabled={*busy || me} onchange={on_change_role}>
                                            { for ROLES.iter().map(|r| html! {
                                                <option value={role_value(*r)} selected={*r == m.role}>{ t.role(*r) }</option>
                                            }) }
                                        </select>
                                    </td>
                                    <td>
                                        <select class="staff-unit" aria-label={(t.admin.unit_of)(&m.display_name)}
                                            disabled={*busy} onchange={on_move}>
                                            <option value="" selected={m.unit.is_none()}>{ t.no_unit }</option>
                                            { for units.iter().map(|u| html! {
                                                <option value={u.unit_id.clone()} selected={m.unit.as_deref() == Some(u.unit_id.as_str())}>{ &u.name }</option>
                                            }) }
                                        </select>
                                    </td>
                                    <td class="status" data-status={if m.disabled { "disabled" } else if m.enrolling { "enrolling" } else { "active" }}>{ status }</td>
                                    <td>
                                        if !me {
                                            <button type="button" class="staff-toggle secondary small" disabled={*busy}
                                                aria-label={(t.toggle_of)(action, &m.display_name)} onclick={toggle}>{ action }</button>
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
        <StaffPage heading_id="staff-heading" heading={t.staff_heading}
            problem_id="admin-error" problem={(*error).clone().or(members.problem())}>
            <p>{ t.staff_intro }</p>
            { table }
            if let Some((name, url)) = &*link {
                <section class="enrol-link-box" aria-labelledby="enrol-link-heading">
                    <h2 id="enrol-link-heading">{ (t.enrol_link_heading)(name) }</h2>
                    <p>{ t.enrol_link_intro }</p>
                    <p><code id="enrol-link" class="link-text">{ url }</code></p>
                </section>
            }
            <form class="form-card" {onsubmit} novalidate=true aria-labelledby="add-staff-heading">
                <h2 id="add-staff-heading">{ t.add_staff_heading }</h2>
                <div class="field">
                    <label for="new-username">{ t.username }</label>
                    <p id="new-username-hint" class="hint">{ t.new_username_hint }</p>
                    <input id="new-username" type="text" autocomplete="off" autocapitalize="none" spellcheck="false"
                        aria-describedby="new-username-hint" readonly={*busy} value={(*username).clone()}
                        oninput={text_input(&username)} />
                </div>
                <div class="field">
                    <label for="new-display-name">{ t.display_name }</label>
                    <input id="new-display-name" type="text" autocomplete="off" readonly={*busy}
                        value={(*display_name).clone()} oninput={text_input(&display_name)} />
                </div>
                <div class="field">
                    <label for="new-role">{ t.role }</label>
                    <select id="new-role" disabled={*busy} onchange={on_role}>
                        { for ROLES.iter().map(|r| html! {
                            <option value={role_value(*r)} selected={*r == *role}>{ t.role(*r) }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="new-unit">{ t.unit }</label>
                    <select id="new-unit" disabled={*busy} onchange={on_unit}>
                        <option value="" selected={unit.is_none()}>{ t.no_unit }</option>
                        { for units.iter().map(|u| html! {
                            <option value={u.unit_id.clone()} selected={unit.as_deref() == Some(u.unit_id.as_str())}>{ &u.name }</option>
                        }) }
                    </select>
                </div>
                <button id="add-staff" type="submit" class="primary" disabled={*busy}>
                    { if *busy { t.adding } else { t.add_staff } }
                </button>
            </form>
        </StaffPage>
    }
}

#[function_component]
pub fn UnitsPage() -> Html {
    let staff = use_staff();
    let t = staff.t();
    let name = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let is_admin = staff.signed_in.as_ref().is_some_and(|p| p.is_admin());
    let units = {
        let staff = staff.clone();
        use_fetch((), move |_| {
            is_admin.then_some(async move { api::admin_units().await.map_err(|e| staff.failure(&e)) })
        })
    };
    if !is_admin {
        return not_admin(t);
    }

    let oninput = typed_into(&name, &error);
    let onsubmit = {
        let (name, busy, error, units, staff) =
            (name.clone(), busy.clone(), error.clone(), units.clone(), staff.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let typed = name.trim().to_string();
            if *busy {
                return;
            }
            if typed.is_empty() {
                error.set(Some(staff.t().name_missing.to_string()));
                return;
            }
            busy.set(true);
            let (name, busy, error, units, staff) =
                (name.clone(), busy.clone(), error.clone(), units.clone(), staff.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::add_unit(&typed).await {
                    Ok(_) => {
                        name.set(String::new());
                        units.reload();
                    }
                    Err(e) => error.set(Some(staff.failure(&e))),
                }
                busy.set(false);
            });
        })
    };

    let list = units.view(html! { <Loading /> }, |list| match list {
        list if list.is_empty() => html! { <p id="no-units" class="note">{ t.no_units }</p> },
        list => html! {
            <table id="units" class="data">
                <caption class="visually-hidden">{ t.units_heading }</caption>
                <thead><tr><th scope="col">{ t.unit_name }</th></tr></thead>
                <tbody>
                    { for list.iter().map(|u| html! { <tr data-unit={u.unit_id.clone()}><td>{ &u.name }</td></tr> }) }
                </tbody>
            </table>
        },
    });
    html! {
        <StaffPage heading_id="units-heading" heading={t.units_heading}>
            <p>{ t.units_intro }</p>
            { list }
            <form class="form-card inline-form" {onsubmit} novalidate=true>
                <div class="field">
                    <label for="unit-name">{ t.unit_name }</label>
                    <input id="unit-name" type="text" autocomplete="off" readonly={*busy} value={(*name).clone()} {oninput} />
                </div>
                <Problem id="units-error" message={(*error).clone().or(units.problem())} />
                <button id="add-unit" type="submit" class="primary" disabled={*busy}>{ t.add_unit }</button>
            </form>
        </StaffPage>
    }
}
