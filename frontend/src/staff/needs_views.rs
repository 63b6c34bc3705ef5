//! The needs view and the lägesbild, inside the group picture: the year's figures counted
//! by area × age band (through the one gate, the year's other releases held as known),
//! beside the resources register, with the gaps, the resources with no measured need and
//! the age bands with none marked as the domain crate finds them (`needs::matrix`); the
//! organisation's threshold for "high"; the priorities of the release; and the A4
//! lägesbild with the law's three parts (`needs::lagesbild`). The page draws what the
//! domain crate decided.

use super::context::use_staff;
use super::page::{print, typed_into, use_fetch, Loading};
use super::picture_model::{years, Opened};
use super::picture_views::{counted, disclosed, profile_view, slug, table_view, unit_names, words};
use crate::common::api;
use crate::common::lang::Lang;
use beratta_core::api::{NeedsState, NeedsThreshold, NewPriorities, Priority, ResourceRegister};
use beratta_core::catalogue::FactorKind;
use beratta_core::group::picture as views;
use beratta_core::group::{Breakdown, Disclosed, Rules};
use beratta_core::needs::lagesbild::{document, Inputs};
use beratta_core::needs::matrix::{cell_name, cell_table, matrix, release, Matrix};
use beratta_core::needs::words::{NeedsWords, EN, SV};
use beratta_core::statistics::StatisticsRecord;
use std::rc::Rc;
use yew::prelude::*;

fn needs_words(lang: Lang) -> &'static NeedsWords {
    match lang {
        Lang::Sv => &SV,
        _ => &EN,
    }
}

/// The year's figures by area × age band, counted once per page.
fn crossed(opened: &Opened, year: &str) -> Rc<Disclosed> {
    if let Some(d) = opened.crossed.borrow().get(year) {
        return d.clone();
    }
    let records: Vec<StatisticsRecord> = opened
        .rounds_in(year)
        .filter_map(|r| opened.records.get(&r.round_id))
        .flat_map(|r| r.iter().cloned())
        .collect();
    let published = [
        disclosed(opened, year, None),
        disclosed(opened, year, Some(Breakdown::Unit)),
        disclosed(opened, year, Some(Breakdown::AgeBand)),
    ];
    let refs: Vec<&Disclosed> = published.iter().map(|d| d.as_ref()).collect();
    let d = Rc::new(release(&records, &opened.catalogue, &refs, &Rules::default()));
    opened.crossed.borrow_mut().insert(year.to_string(), d.clone());
    d
}

/// The matrix of `year` beside `register`.
fn matrix_of(opened: &Opened, year: &str, register: &ResourceRegister, needs: &NeedsState) -> Matrix {
    let now = crossed(opened, year);
    let last = years(&opened.rounds).into_iter().rev().find(|y| y.as_str() < year).map(|y| crossed(opened, &y));
    matrix(&now, last.as_deref(), &opened.catalogue, &register.resources, needs.threshold.percent)
}

#[derive(Properties)]
pub struct NeedsProps {
    pub opened: Rc<Opened>,
    pub year: String,
    pub on_lagesbild: Callback<()>,
}

impl PartialEq for NeedsProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.opened, &other.opened) && self.year == other.year
    }
}

/// What the needs view and the lägesbild fetch beside the figures.
type Fetched = (ResourceRegister, NeedsState);

#[hook]
fn use_register() -> super::page::Fetched<Fetched> {
    let staff = use_staff();
    use_fetch((), move |_| {
        Some(async move {
            let register = api::resources().await.map_err(|e| staff.failure(&e))?;
            let needs = api::needs().await.map_err(|e| staff.failure(&e))?;
            Ok((register, needs))
        })
    })
}

/// The needs view.
#[function_component]
pub fn NeedsView(props: &NeedsProps) -> Html {
    let staff = use_staff();
    let n = staff.t().needs;
    let fetched = use_register();
    let threshold = use_state(String::new);
    let slots = use_state(|| vec![(String::new(), String::new()); 5]);
    let error = use_state(|| None::<String>);
    let notice = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let year = props.year.clone();
    // The stored threshold and priorities fill the forms once they come.
    {
        let (threshold, slots) = (threshold.clone(), slots.clone());
        let data = fetched.data();
        let year = year.clone();
        use_effect_with((data.is_some(), year.clone()), move |_| {
            if let Some(data) = data {
                let (_, needs) = &*data;
                threshold.set(needs.threshold.percent.map(|p| p.to_string()).unwrap_or_default());
                let mut filled = vec![(String::new(), String::new()); 5];
                if let Some(p) = needs.priorities.iter().find(|p| p.year == year) {
                    for (slot, chosen) in filled.iter_mut().zip(&p.priorities) {
                        *slot = (chosen.factor.clone(), chosen.why.clone());
                    }
                }
                slots.set(filled);
            }
        });
    }
    let lang = staff.lang;
    let w = words(lang);
    let nw = needs_words(lang);
    let opened = props.opened.clone();
    let on_threshold = {
        let (threshold, error, notice, busy, fetched, staff) =
            (threshold.clone(), error.clone(), notice.clone(), busy.clone(), fetched.clone(), staff.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let typed = threshold.trim().to_string();
            let percent = match typed.parse::<u8>() {
                _ if typed.is_empty() => None,
                Ok(p) if (1..=100).contains(&p) => Some(p),
                _ => return error.set(Some(staff.t().needs.threshold_bad.to_string())),
            };
            busy.set(true);
            let (error, notice, busy, fetched, staff) =
                (error.clone(), notice.clone(), busy.clone(), fetched.clone(), staff.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::set_threshold(&NeedsThreshold { percent }).await {
                    Ok(_) => {
                        error.set(None);
                        notice.set(None);
                        fetched.reload();
                    }
                    Err(e) => error.set(Some(staff.failure(&e))),
                }
                busy.set(false);
            });
        })
    };
    let on_priorities = {
        let (slots, error, notice, busy, fetched, staff, opened, year) = (
            slots.clone(),
            error.clone(),
            notice.clone(),
            busy.clone(),
            fetched.clone(),
            staff.clone(),
            opened.clone(),
            year.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let priorities: Vec<Priority> = slots
                .iter()
                .filter(|(f, _)| !f.is_empty())
                .map(|(f, why)| Priority { factor: f.clone(), why: why.clone() })
                .collect();
            let rounds = opened.rounds_in(&year).map(|r| r.round_id.clone()).collect();
            busy.set(true);
            let (error, notice, busy, fetched, staff, year) =
                (error.clone(), notice.clone(), busy.clone(), fetched.clone(), staff.clone(), year.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::set_priorities(&year, &NewPriorities { rounds, priorities }).await {
                    Ok(_) => {
                        error.set(None);
                        notice.set(Some((staff.t().needs.priorities_saved)(&year)));
                        fetched.reload();
                    }
                    Err(e) => error.set(Some(staff.failure(&e))),
                }
                busy.set(false);
            });
        })
    };
    let on_print = {
        let on = props.on_lagesbild.clone();
        Callback::from(move |_: MouseEvent| on.emit(()))
    };
    let body = fetched.view(html! { <Loading /> }, |data| {
        let (register, needs) = &**data;
        let m = matrix_of(&opened, &year, register, needs);
        let units = unit_names(&opened);
        let resource_name = |id: &str| {
            register.resources.iter().find(|r| r.resource_id == id).map_or(id.to_string(), |r| r.name.clone())
        };
        let idle: Vec<String> = m.idle.iter().map(|id| resource_name(id)).collect();
        let choices: Vec<(String, String)> = opened
            .catalogue
            .factors()
            .iter()
            .filter(|f| f.kind != FactorKind::Background)
            .map(|f| (f.id.clone(), beratta_core::needs::matrix::need_label(f, nw)))
            .collect();
        let slot_input = |i: usize, what: u8| {
            let slots = slots.clone();
            Callback::from(move |e: Event| {
                let value = match what {
                    0 => e.target_unchecked_into::<web_sys::HtmlSelectElement>().value(),
                    _ => e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value(),
                };
                let mut all = (*slots).clone();
                if what == 0 {
                    all[i].0 = value;
                } else {
                    all[i].1 = value;
                }
                slots.set(all);
            })
        };
        let stored = needs.priorities.iter().find(|p| p.year == year);
        html! {
            <>
                <p id="needs-definition" class="note">{ (nw.definition)(needs.threshold.percent) }</p>
                <form id="needs-threshold" class="form-card inline" onsubmit={on_threshold.clone()}>
                    <div class="field">
                        <label for="needs-threshold-percent">{ n.threshold_label }</label>
                        <p id="needs-threshold-hint" class="hint">{ n.threshold_hint }</p>
                        <input id="needs-threshold-percent" type="text" inputmode="numeric" autocomplete="off"
                            aria-describedby="needs-threshold-hint" value={(*threshold).clone()} oninput={typed_into(&threshold, &error)} />
                    </div>
                    <button type="submit" class="secondary" disabled={*busy}>{ n.threshold_save }</button>
                </form>
                <p><a href="#/resources">{ n.register_link }</a></p>
                <h2>{ n.matrix_heading }</h2>
                if !m.bands_without.is_empty() {
                    <p id="needs-bands-without" class="note">
                        { (nw.bands_without)(&m.bands_without.iter().map(|b| b.replace('-', "–")).collect::<Vec<_>>().join(", ")) }
                    </p>
                }
                if !idle.is_empty() {
                    <p id="needs-idle" class="note">{ format!("{}: {}.", nw.idle, idle.join(", ")) }</p>
                }
                { for m.cells.iter().map(|cell| {
                    let name = cell_name(cell, &units, w);
                    let gaps = cell.gaps().count();
                    let serving: Vec<String> = cell.serving.iter().map(|id| resource_name(id)).collect();
                    let table = cell_table(cell, &opened.catalogue, &resource_name, nw);
                    html! {
                        <section class="needs-cell" aria-label={name.clone()}
                            data-unit={cell.unit.clone()} data-band={cell.band.clone()} data-gaps={gaps.to_string()}>
                            <h3>{ &name }</h3>
                            <p class="note">
                                { (n.cell_size)(&cell.respondents.text(w)) }
                                { " · " }
                                if gaps > 0 { <strong class="gap-count">{ (n.gaps_here)(gaps) }</strong> } else { { (n.gaps_here)(0) } }
                            </p>
                            if serving.is_empty() {
                                <p class="no-resource">{ n.no_resource_here }</p>
                            } else {
                                <p class="serving">{ (n.serving)(&serving.join(", ")) }</p>
                            }
                            if table.rows.is_empty() {
                                <p class="note">{ n.nothing_high }</p>
                            } else {
                                { table_view(&format!("needs-{}", slug(&name)), &name, &table, lang) }
                            }
                        </section>
                    }
                }) }
                <form id="needs-priorities" class="form-card" onsubmit={on_priorities.clone()} aria-labelledby="needs-priorities-heading">
                    <h2 id="needs-priorities-heading">{ n.priorities_heading }</h2>
                    <p class="hint">{ n.priorities_hint }</p>
                    if let Some(p) = stored {
                        <p id="needs-priorities-stored" class="note">{ (n.priorities_stored)(&p.year, &p.rounds.join(", ")) }</p>
                    }
                    { for (0..5).map(|i| html! {
                        <div class="priority-slot">
                            <div class="field">
                                <label for={format!("priority-factor-{i}")}>{ (n.priority_factor)(i + 1) }</label>
                                <select id={format!("priority-factor-{i}")} onchange={slot_input(i, 0)}>
                                    <option value="" selected={slots[i].0.is_empty()}>{ n.priority_none }</option>
                                    { for choices.iter().map(|(id, label)| html! {
                                        <option value={id.clone()} selected={slots[i].0 == *id}>{ label }</option>
                                    }) }
                                </select>
                            </div>
                            <div class="field">
                                <label for={format!("priority-why-{i}")}>{ (n.priority_why)(i + 1) }</label>
                                <textarea id={format!("priority-why-{i}")} rows="2" value={slots[i].1.clone()} onchange={slot_input(i, 1)} />
                            </div>
                        </div>
                    }) }
                    <button id="needs-priorities-save" type="submit" class="primary" disabled={*busy}>{ n.priorities_save }</button>
                </form>
                <button id="needs-lagesbild" type="button" class="secondary" onclick={on_print.clone()}>{ n.lagesbild }</button>
            </>
        }
    });
    html! {
        <div id="picture-content" data-view="needs">
            <p id="needs-notice" role="status" aria-live="polite">{ (*notice).clone().unwrap_or_default() }</p>
            <p id="needs-error" class="error" role="alert">{ (*error).clone().or(fetched.problem()).unwrap_or_default() }</p>
            { body }
        </div>
    }
}

#[derive(Properties)]
pub struct LagesbildProps {
    pub opened: Rc<Opened>,
    pub year: String,
    pub rules: String,
}

impl PartialEq for LagesbildProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.opened, &other.opened) && self.year == other.year && self.rules == other.rules
    }
}

/// The lägesbild for A4: the release, instruments, rules and definition of high, then the
/// law's three parts. Opens the print dialog once drawn.
#[function_component]
pub fn LagesbildView(props: &LagesbildProps) -> Html {
    let staff = use_staff();
    let fetched = use_register();
    let ready = fetched.data().is_some();
    use_effect_with(ready, |ready| {
        if *ready {
            print();
        }
    });
    let lang = staff.lang;
    let (w, nw) = (words(lang), needs_words(lang));
    let opened = &props.opened;
    let year = &props.year;
    let organisation = staff.signed_in.as_ref().map(|p| p.session.organisation_name.clone()).unwrap_or_default();
    let body = fetched.view(html! { <Loading text={AttrValue::Static(staff.t().needs.lagesbild_loading)} /> }, |data| {
        let (register, needs) = &**data;
        let m = matrix_of(opened, year, register, needs);
        let release = disclosed(opened, year, None);
        let last_year = years(&opened.rounds).into_iter().rev().find(|y| y.as_str() < year.as_str());
        let last = last_year.as_ref().map(|y| disclosed(opened, y, None));
        let rounds: Vec<String> = opened.rounds_in(year).map(|r| r.name.clone()).collect();
        let trend = last_year.as_ref().map(|y| {
            let pair = [(y.clone(), last.clone().expect("the year before")), (year.clone(), release.clone())];
            let refs: Vec<(String, &Disclosed)> = pair.iter().map(|(l, d)| (l.clone(), d.as_ref())).collect();
            views::trend(&refs, &beratta_core::group::Group::Everyone, &opened.catalogue, w)
        });
        let response_rows: Vec<(String, u64, Rc<Disclosed>)> = opened
            .rounds_in(year)
            .map(|r| {
                let d = counted(opened, super::picture_model::Scope::Round(r.round_id.clone()), None);
                (r.name.clone(), opened.invited.get(&r.round_id).copied().unwrap_or(0), d)
            })
            .collect();
        let rows: Vec<(String, u64, &Disclosed)> = response_rows.iter().map(|(n, i, d)| (n.clone(), *i, d.as_ref())).collect();
        let priorities = needs.priorities.iter().find(|p| p.year == *year);
        let doc = document(
            &Inputs {
                organisation: &organisation,
                year,
                rounds: &rounds,
                instruments: &opened.instruments,
                rules: &props.rules,
                threshold: needs.threshold.percent,
                release: &release,
                last: last.as_deref(),
                response: views::response(&rows, w),
                trend,
                matrix: &m,
                resources: &register.resources,
                units: &register.units,
                priorities,
                catalogue: &opened.catalogue,
            },
            w,
            nw,
        );
        html! {
            <article id="lagesbild" class="print-layout lagesbild" lang={nw.lang}>
                <h2 id="lagesbild-title">{ &doc.title }</h2>
                <ul id="lagesbild-facts" class="facts">{ for doc.facts.iter().map(|f| html! { <li>{ f }</li> }) }</ul>
                <p class="note">{ staff.t().picture.hidden_note }{ " " }{ staff.t().picture.unreliable_note }</p>
                { for doc.parts.iter().map(|part| html! {
                    <section class="lagesbild-part" id={format!("lagesbild-{}", part.id)} aria-labelledby={format!("lagesbild-{}-heading", part.id)}>
                        <h2 id={format!("lagesbild-{}-heading", part.id)}>{ &part.heading }</h2>
                        <p class="law">{ &part.law }</p>
                        { for part.sections.iter().map(|s| html! {
                            <section class="lagesbild-section" aria-label={s.heading.clone()}>
                                <h3>{ &s.heading }</h3>
                                { for s.paragraphs.iter().map(|p| html! { <p>{ p }</p> }) }
                                { for s.tables.iter().map(|(id, caption, table)| table_view(&format!("lagesbild-{}-{id}", part.id), caption, table, lang)) }
                                { for s.profiles.iter().map(|profile| {
                                    let title = (staff.t().picture.domain)((staff.t().picture.level)(profile.level));
                                    profile_view(&format!("lagesbild-profile-{}", slug(&title)), &title, profile, lang)
                                }) }
                            </section>
                        }) }
                    </section>
                }) }
            </article>
        }
    });
    html! { <>{ body }</> }
}
