//! The resources register (`#/resources`): every staff member reads it; administrators and
//! analysts add, change and remove resources, read a CSV file in (it replaces the register,
//! all or nothing, and every problem of every row is listed) and download it as CSV. The
//! rules, the likely duplicates and the CSV are the domain crate's (`resources`); this page
//! draws them and moves the bytes.

use super::context::use_staff;
use super::page::{confirm, download_csv, typed_into, use_fetch, Loading, StaffPage};
use crate::common::api;
use beratta_core::api::{Resource, ResourceDraft, ResourceKind, ResourceRegister, Role};
use beratta_core::catalogue::{Catalogue, FactorKind};
use beratta_core::resources::file::{self, MAX_BYTES};
use beratta_core::resources::register::{duplicates, field_label, kind_label, BANDS};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// A draft of `resource`, for the form.
fn draft_of(r: &Resource) -> ResourceDraft {
    ResourceDraft {
        name: r.name.clone(),
        kind: Some(r.kind),
        owner: r.owner.clone(),
        areas: r.areas.clone(),
        bands: r.bands.clone(),
        hours: r.hours.clone(),
        contact: r.contact.clone(),
        factors: r.factors.clone(),
    }
}

/// `list` with `value` in it or out of it.
fn toggled(list: &[String], value: &str, on: bool) -> Vec<String> {
    let mut out: Vec<String> = list.iter().filter(|v| *v != value).cloned().collect();
    if on {
        out.push(value.to_string());
    }
    out
}

#[function_component]
pub fn ResourcesPage() -> Html {
    let staff = use_staff();
    let t = staff.t();
    let n = t.needs;
    let lang = n.lang;
    let edits = staff.signed_in.as_ref().is_some_and(|p| p.session.role != Role::Staff);
    let register = {
        let staff = staff.clone();
        use_fetch((), move |_| {
            Some(async move {
                let register = api::resources().await.map_err(|e| staff.failure(&e))?;
                let catalogue = Catalogue::from_raw("catalogue", register.catalogue.clone())
                    .map_err(|_| staff.t().server.to_string())?;
                Ok((register, Rc::new(catalogue)))
            })
        })
    };
    let form = use_state(ResourceDraft::default);
    let editing = use_state(|| None::<Resource>);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let notice = use_state(|| None::<String>);
    let name = use_state(String::new);
    let owner = use_state(String::new);
    let hours = use_state(String::new);
    let contact = use_state(String::new);

    let reset = {
        let (form, editing, name, owner, hours, contact) =
            (form.clone(), editing.clone(), name.clone(), owner.clone(), hours.clone(), contact.clone());
        Callback::from(move |with: Option<Resource>| {
            let d = with.as_ref().map(draft_of).unwrap_or_default();
            name.set(d.name.clone());
            owner.set(d.owner.clone());
            hours.set(d.hours.clone());
            contact.set(d.contact.clone());
            form.set(d);
            editing.set(with);
        })
    };
    let onsubmit = {
        let (form, editing, busy, error, notice, register, staff, reset) = (
            form.clone(),
            editing.clone(),
            busy.clone(),
            error.clone(),
            notice.clone(),
            register.clone(),
            staff.clone(),
            reset.clone(),
        );
        let (name, owner, hours, contact) = (name.clone(), owner.clone(), hours.clone(), contact.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let draft = ResourceDraft {
                name: (*name).clone(),
                owner: (*owner).clone(),
                hours: (*hours).clone(),
                contact: (*contact).clone(),
                ..(*form).clone()
            };
            busy.set(true);
            error.set(None);
            notice.set(None);
            let (busy, error, notice, register, staff, reset) =
                (busy.clone(), error.clone(), notice.clone(), register.clone(), staff.clone(), reset.clone());
            let editing = (*editing).clone();
            wasm_bindgen_futures::spawn_local(async move {
                let result = match &editing {
                    Some(r) => api::change_resource(&r.resource_id, &draft).await,
                    None => api::create_resource(&draft).await,
                };
                match result {
                    Ok(saved) => {
                        notice.set(Some((staff.t().needs.saved)(&saved.name)));
                        reset.emit(None);
                        register.reload();
                    }
                    Err(e) => error.set(Some(staff.failure(&e))),
                }
                busy.set(false);
            });
        })
    };
    let on_remove = {
        let (busy, error, notice, register, staff) =
            (busy.clone(), error.clone(), notice.clone(), register.clone(), staff.clone());
        Callback::from(move |r: Resource| {
            if *busy || !confirm(&(staff.t().needs.remove_confirm)(&r.name)) {
                return;
            }
            busy.set(true);
            let (busy, error, notice, register, staff) =
                (busy.clone(), error.clone(), notice.clone(), register.clone(), staff.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::remove_resource(&r.resource_id).await {
                    Ok(()) => {
                        notice.set(Some((staff.t().needs.removed)(&r.name)));
                        register.reload();
                    }
                    Err(e) => error.set(Some(staff.failure(&e))),
                }
                busy.set(false);
            });
        })
    };
    let on_import = {
        let (busy, error, notice, register, staff) =
            (busy.clone(), error.clone(), notice.clone(), register.clone(), staff.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let n = staff.t().needs;
            let input = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("resources-file"))
                .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok());
            let Some(file) = input.and_then(|i| i.files()).and_then(|f| f.get(0)) else { return };
            if file.size() > f64::from(MAX_BYTES) {
                error.set(Some((n.file_too_large)(MAX_BYTES / 1024)));
                return;
            }
            if *busy || !confirm(n.import_confirm) {
                return;
            }
            busy.set(true);
            error.set(None);
            notice.set(None);
            let (busy, error, notice, register, staff) =
                (busy.clone(), error.clone(), notice.clone(), register.clone(), staff.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string());
                match text {
                    None => error.set(Some(staff.t().needs.file_unreadable.to_string())),
                    Some(text) => match api::import_resources(&text).await {
                        Ok(list) => {
                            notice.set(Some((staff.t().needs.imported)(list.len())));
                            register.reload();
                        }
                        Err(e) => error.set(Some(staff.failure(&e))),
                    },
                }
                busy.set(false);
            });
        })
    };

    let content = register.view(html! { <Loading /> }, |data| {
        let (register, catalogue): &(ResourceRegister, Rc<Catalogue>) = data;
        let unit_name = |id: &str| register.units.iter().find(|u| u.unit_id == id).map_or(id.to_string(), |u| u.name.clone());
        let twins = duplicates(&register.resources);
        let factor_name = |id: &str| catalogue.get(id).map_or(id.to_string(), |f| f.name.get(lang).to_string());
        let on_export = {
            let csv = file::write(&register.resources, &register.units);
            Callback::from(move |_: MouseEvent| {
                if download_csv("resursregister.csv", &format!("\u{feff}{csv}")).is_err() {
                    crate::common::log::log("the CSV could not be handed to the browser");
                }
            })
        };
        let table = if register.resources.is_empty() {
            html! { <p id="resources-none" class="note">{ n.none }</p> }
        } else {
            html! {
                <div class="table-wrap" tabindex="0" role="region" aria-label={n.heading}>
                    <table id="resources" class="data">
                        <caption class="visually-hidden">{ n.heading }</caption>
                        <thead>
                            <tr>
                                { for ["name", "kind", "owner", "areas", "age_bands", "hours", "contact", "factors"].iter().map(|f| html! {
                                    <th scope="col">{ field_label(f, lang) }</th>
                                }) }
                                if edits { <th scope="col">{ n.actions }</th> }
                            </tr>
                        </thead>
                        <tbody>
                            { for register.resources.iter().map(|r| {
                                let twin = twins.get(&r.resource_id).map(|ids| {
                                    let names: Vec<String> = ids.iter()
                                        .filter_map(|id| register.resources.iter().find(|x| &x.resource_id == id))
                                        .map(|x| x.name.clone()).collect();
                                    (n.duplicate_of)(&names.join(", "))
                                });
                                let (edit, remove) = {
                                    let (reset, r1, on_remove, r2) = (reset.clone(), r.clone(), on_remove.clone(), r.clone());
                                    (Callback::from(move |_: MouseEvent| reset.emit(Some(r1.clone()))),
                                     Callback::from(move |_: MouseEvent| on_remove.emit(r2.clone())))
                                };
                                html! {
                                    <tr data-resource={r.resource_id.clone()} class={classes!(twin.is_some().then_some("duplicate"))}>
                                        <th scope="row">
                                            { &r.name }
                                            if let Some(text) = twin { <span class="mark duplicate-mark">{ text }</span> }
                                        </th>
                                        <td>{ kind_label(r.kind, lang) }</td>
                                        <td>{ &r.owner }</td>
                                        <td>{ r.areas.iter().map(|a| unit_name(a)).collect::<Vec<_>>().join(", ") }</td>
                                        <td>{ r.bands.iter().map(|b| b.replace('-', "–")).collect::<Vec<_>>().join(", ") }</td>
                                        <td>{ &r.hours }</td>
                                        <td>{ &r.contact }</td>
                                        <td>{ r.factors.iter().map(|f| factor_name(f)).collect::<Vec<_>>().join(", ") }</td>
                                        if edits {
                                            <td class="actions">
                                                <button type="button" class="secondary small" disabled={*busy}
                                                    aria-label={(n.edit_label)(&r.name)} onclick={edit}>{ n.edit }</button>
                                                <button type="button" class="secondary small" disabled={*busy}
                                                    aria-label={(n.remove_label)(&r.name)} onclick={remove}>{ n.remove }</button>
                                            </td>
                                        }
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                </div>
            }
        };
        let check = |field: &'static str, value: String| {
            let form = form.clone();
            Callback::from(move |e: Event| {
                let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                let mut d = (*form).clone();
                let list = match field {
                    "areas" => &mut d.areas,
                    "bands" => &mut d.bands,
                    _ => &mut d.factors,
                };
                *list = toggled(list, &value, input.checked());
                form.set(d);
            })
        };
        let on_kind = {
            let form = form.clone();
            Callback::from(move |e: Event| {
                let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
                form.set(ResourceDraft { kind: ResourceKind::from_name(&select.value()), ..(*form).clone() });
            })
        };
        let factor_boxes = |kind: FactorKind, legend: &'static str, id: &'static str| html! {
            <fieldset class="checks factors" id={id}>
                <legend>{ legend }</legend>
                { for catalogue.factors().iter().filter(|f| f.kind == kind).map(|f| {
                    let on = form.factors.contains(&f.id);
                    html! {
                        <label class="check">
                            <input type="checkbox" name="factor" value={f.id.clone()} checked={on}
                                onchange={check("factors", f.id.clone())} disabled={*busy} />
                            { f.name.get(lang) }
                        </label>
                    }
                }) }
            </fieldset>
        };
        let heading = match &*editing {
            Some(r) => (n.edit_heading)(&r.name),
            None => n.add_heading.to_string(),
        };
        let editor = edits.then(|| html! {
            <form id="resource-form" class="form-card" novalidate=true onsubmit={onsubmit.clone()} aria-labelledby="resource-form-heading">
                <h2 id="resource-form-heading">{ heading }</h2>
                <div class="field">
                    <label for="resource-name">{ field_label("name", lang) }</label>
                    <input id="resource-name" type="text" autocomplete="off" value={(*name).clone()} oninput={typed_into(&name, &error)} />
                </div>
                <div class="field">
                    <label for="resource-kind">{ field_label("kind", lang) }</label>
                    <select id="resource-kind" onchange={on_kind}>
                        <option value="" selected={form.kind.is_none()}>{ n.kind_choose }</option>
                        { for ResourceKind::ALL.iter().map(|k| html! {
                            <option value={k.name()} selected={form.kind == Some(*k)}>{ kind_label(*k, lang) }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="resource-owner">{ field_label("owner", lang) }</label>
                    <input id="resource-owner" type="text" autocomplete="off" value={(*owner).clone()} oninput={typed_into(&owner, &error)} />
                </div>
                <fieldset class="checks" id="resource-areas">
                    <legend>{ field_label("areas", lang) }</legend>
                    { for register.units.iter().map(|u| {
                        let on = form.areas.contains(&u.unit_id);
                        html! {
                            <label class="check">
                                <input type="checkbox" name="area" value={u.unit_id.clone()} checked={on}
                                    onchange={check("areas", u.unit_id.clone())} disabled={*busy} />
                                { &u.name }
                            </label>
                        }
                    }) }
                </fieldset>
                <fieldset class="checks" id="resource-bands">
                    <legend>{ field_label("age_bands", lang) }</legend>
                    { for BANDS.iter().map(|b| {
                        let on = form.bands.iter().any(|x| x == b);
                        html! {
                            <label class="check">
                                <input type="checkbox" name="band" value={b.to_string()} checked={on}
                                    onchange={check("bands", b.to_string())} disabled={*busy} />
                                { b.replace('-', "–") }
                            </label>
                        }
                    }) }
                </fieldset>
                <div class="field">
                    <label for="resource-hours">{ field_label("hours", lang) }</label>
                    <input id="resource-hours" type="text" autocomplete="off" value={(*hours).clone()} oninput={typed_into(&hours, &error)} />
                </div>
                <div class="field">
                    <label for="resource-contact">{ field_label("contact", lang) }</label>
                    <input id="resource-contact" type="text" autocomplete="off" value={(*contact).clone()} oninput={typed_into(&contact, &error)} />
                </div>
                { factor_boxes(FactorKind::Protective, n.protective_legend, "resource-protective") }
                { factor_boxes(FactorKind::Risk, n.risks_legend, "resource-risks") }
                <div class="actions">
                    <button id="resource-save" type="submit" class="primary" disabled={*busy}>
                        { if editing.is_some() { n.save } else { n.add } }
                    </button>
                    if editing.is_some() {
                        <button type="button" class="secondary" onclick={{ let reset = reset.clone(); Callback::from(move |_: MouseEvent| reset.emit(None)) }}>
                            { n.cancel }
                        </button>
                    }
                </div>
            </form>
        });
        html! {
            <>
                { table }
                <button id="resources-export" type="button" class="secondary" onclick={on_export}>{ n.export }</button>
                { editor.unwrap_or_default() }
                if edits {
                    <form id="resources-import" class="form-card" onsubmit={on_import.clone()} aria-labelledby="resources-import-heading">
                        <h2 id="resources-import-heading">{ n.import_heading }</h2>
                        <p id="resources-import-hint" class="hint">{ n.import_hint }</p>
                        <div class="field">
                            <label for="resources-file">{ n.import_file }</label>
                            <input id="resources-file" type="file" accept=".csv,text/csv" aria-describedby="resources-import-hint" />
                        </div>
                        <button id="resources-import-button" type="submit" class="secondary" disabled={*busy}>{ n.import_button }</button>
                    </form>
                }
            </>
        }
    });
    html! {
        <StaffPage heading_id="resources-heading" heading={n.heading}
            problem_id="resources-error" problem={(*error).clone().or(register.problem())}>
            <p>{ n.intro }</p>
            <p id="resources-notice" role="status" aria-live="polite">{ (*notice).clone().unwrap_or_default() }</p>
            { content }
        </StaffPage>
    }
}

#[cfg(test)]
mod tests {
    use super::toggled;

    #[test]
    fn a_checkbox_puts_its_value_in_the_list_once_or_takes_it_out() {
        let list = vec!["a".to_string(), "b".to_string()];
        assert_eq!(toggled(&list, "c", true), ["a", "b", "c"]);
        assert_eq!(toggled(&list, "a", true), ["b", "a"]);
        assert_eq!(toggled(&list, "a", false), ["b"]);
    }
}
