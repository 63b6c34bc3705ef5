//! Rounds: the list of the organisation's rounds with the form that creates one (and an
//! intervention for it), and a round's page with what the server counts without a key:
//! invited, started, finished, and in an anonymous round how many acute answers. Nothing
//! here opens a child's answers.

use super::context::use_staff;
use super::invite::BANDS;
use super::page::{chosen, confirm, date, typed_into, use_fetch, Loading, Problem, StaffPage};
use super::route::{go, Route};
use crate::common::api;
use beratta_core::api::{
    InterventionKind, NewIntervention, NewRound, Phase, QuestionnaireRef, RoundIntervention, RoundMode,
};
use yew::prelude::*;

const KINDS: [(&str, InterventionKind); 3] =
    [("insats", InterventionKind::Insats), ("projekt", InterventionKind::Projekt), ("grupp", InterventionKind::Grupp)];
const PHASES: [(&str, Phase); 3] = [("before", Phase::Before), ("after", Phase::After), ("follow_up", Phase::FollowUp)];

/// Whether a round's period is two days (`YYYY-MM-DD`, as date fields give them) in order.
fn period_ok(opens: &str, closes: &str) -> bool {
    let day = |d: &str| d.len() == 10 && d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-';
    day(opens) && day(closes) && opens <= closes
}

#[function_component]
pub fn RoundsPage() -> Html {
    let staff = use_staff();
    let t = staff.t();
    let r = t.rounds;
    let reads = staff.signed_in.as_ref().is_some_and(|p| p.reads_children());
    let rounds = {
        let staff = staff.clone();
        use_fetch((), move |_| reads.then_some(async move { api::rounds().await.map_err(|e| staff.failure(&e)) }))
    };
    let units = use_fetch((), move |_| reads.then_some(async { api::units().await.map_err(|_| String::new()) }));
    let interventions = {
        let staff = staff.clone();
        use_fetch((), move |_| {
            reads.then_some(async move { api::interventions().await.map_err(|e| staff.failure(&e)) })
        })
    };
    let name = use_state(String::new);
    let unit = use_state(String::new);
    let opens = use_state(String::new);
    let closes = use_state(String::new);
    let band = use_state(|| "10-12".to_string());
    let mode = use_state(|| RoundMode::Identified);
    let intervention = use_state(String::new);
    let phase = use_state(|| "before".to_string());
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let new_name = use_state(String::new);
    let new_kind = use_state(|| "insats".to_string());
    let new_error = use_state(|| None::<String>);
    if !reads {
        return html! { <p class="note" role="status">{ t.forbidden }</p> };
    }

    let on_mode = |value: RoundMode| {
        let mode = mode.clone();
        Callback::from(move |_: Event| mode.set(value))
    };
    let onsubmit = {
        let (name, unit, opens, closes, band, mode, intervention, phase) = (
            name.clone(),
            unit.clone(),
            opens.clone(),
            closes.clone(),
            band.clone(),
            mode.clone(),
            intervention.clone(),
            phase.clone(),
        );
        let (busy, error, staff) = (busy.clone(), error.clone(), staff.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let r = staff.t().rounds;
            if name.trim().is_empty() {
                error.set(Some(r.name_missing.to_string()));
                return;
            }
            if !period_ok(&opens, &closes) {
                error.set(Some(r.dates_bad.to_string()));
                return;
            }
            let Some(&(_, id, version)) = BANDS.iter().find(|(b, _, _)| *b == band.as_str()) else { return };
            let chosen_phase = PHASES.iter().find(|(v, _)| *v == phase.as_str()).map_or(Phase::Before, |(_, p)| *p);
            let round = NewRound {
                name: name.trim().to_string(),
                unit: Some((*unit).clone()).filter(|u| !u.is_empty()),
                opens: (*opens).clone(),
                closes: (*closes).clone(),
                questionnaire: QuestionnaireRef { id: id.to_string(), version },
                mode: *mode,
                intervention: Some((*intervention).clone())
                    .filter(|i| !i.is_empty())
                    .map(|intervention_id| RoundIntervention { intervention_id, phase: chosen_phase }),
            };
            busy.set(true);
            error.set(None);
            let (busy, error, staff) = (busy.clone(), error.clone(), staff.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::create_round(&round).await {
                    Ok(created) => go(&Route::Round(created.round_id), false),
                    Err(e) => {
                        error.set(Some(staff.failure(&e)));
                        busy.set(false);
                    }
                }
            });
        })
    };
    let on_new_intervention = {
        let (new_name, new_kind, new_error, interventions, intervention, staff) = (
            new_name.clone(),
            new_kind.clone(),
            new_error.clone(),
            interventions.clone(),
            intervention.clone(),
            staff.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let typed = new_name.trim().to_string();
            if typed.is_empty() {
                new_error.set(Some(staff.t().rounds.name_missing.to_string()));
                return;
            }
            let kind =
                KINDS.iter().find(|(v, _)| *v == new_kind.as_str()).map_or(InterventionKind::Insats, |(_, k)| *k);
            let (new_name, new_error, interventions, intervention, staff) =
                (new_name.clone(), new_error.clone(), interventions.clone(), intervention.clone(), staff.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::create_intervention(&NewIntervention { name: typed, kind }).await {
                    Ok(made) => {
                        new_name.set(String::new());
                        new_error.set(None);
                        intervention.set(made.intervention_id);
                        interventions.reload();
                    }
                    Err(e) => new_error.set(Some(staff.failure(&e))),
                }
            });
        })
    };

    let unit_list = units.data().unwrap_or_default();
    let unit_name = |id: &Option<String>| {
        id.as_ref().map_or(r.no_unit.to_string(), |id| {
            unit_list.iter().find(|u| &u.unit_id == id).map_or_else(|| id.clone(), |u| u.name.clone())
        })
    };
    let list = rounds.view(html! { <Loading /> }, |list| match list {
        list if list.is_empty() => html! { <p id="no-rounds" class="note">{ r.none }</p> },
        list => html! {
            <table id="rounds" class="data">
                <caption class="visually-hidden">{ r.heading }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ r.name }</th>
                        <th scope="col">{ r.unit }</th>
                        <th scope="col">{ r.period }</th>
                        <th scope="col">{ r.mode }</th>
                    </tr>
                </thead>
                <tbody>
                    { for list.iter().map(|round| html! {
                        <tr data-round={round.round_id.clone()}>
                            <td><a href={Route::Round(round.round_id.clone()).fragment()}>{ &round.name }</a></td>
                            <td>{ unit_name(&round.unit) }</td>
                            <td>{ format!("{} – {}", round.opens, round.closes) }</td>
                            <td>{ if round.mode == RoundMode::Anonymous { r.anonymous } else { r.identified } }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        },
    });
    let intervention_list = interventions.data().unwrap_or_default();
    html! {
        <StaffPage class="rounds" heading_id="rounds-heading" heading={r.heading} problem_id="rounds-problem"
            problem={rounds.problem()}>
            <p>{ r.intro }</p>
            { list }
            <form id="round-form" class="form-card" {onsubmit} novalidate=true aria-labelledby="round-form-heading">
                <h2 id="round-form-heading">{ r.create_heading }</h2>
                <div class="field">
                    <label for="round-name">{ r.name }</label>
                    <input id="round-name" type="text" autocomplete="off" readonly={*busy} value={(*name).clone()}
                        oninput={typed_into(&name, &error)} />
                </div>
                <div class="field">
                    <label for="round-unit">{ r.unit }</label>
                    <select id="round-unit" disabled={*busy} onchange={chosen(&unit)}>
                        <option value="" selected={unit.is_empty()}>{ r.no_unit }</option>
                        { for unit_list.iter().map(|u| html! {
                            <option value={u.unit_id.clone()} selected={*unit == u.unit_id}>{ &u.name }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="round-opens">{ r.opens }</label>
                    <input id="round-opens" type="date" readonly={*busy} value={(*opens).clone()}
                        oninput={typed_into(&opens, &error)} />
                </div>
                <div class="field">
                    <label for="round-closes">{ r.closes }</label>
                    <input id="round-closes" type="date" readonly={*busy} value={(*closes).clone()}
                        oninput={typed_into(&closes, &error)} />
                </div>
                <div class="field">
                    <label for="round-band">{ r.instrument }</label>
                    <select id="round-band" disabled={*busy} onchange={chosen(&band)}>
                        { for BANDS.iter().map(|(b, id, _)| html! {
                            <option value={*b} selected={*band == *b}>{ (t.band)(id) }</option>
                        }) }
                    </select>
                </div>
                <fieldset class="field">
                    <legend>{ r.mode }</legend>
                    <div class="check">
                        <input id="round-identified" type="radio" name="round-mode" value="identified"
                            checked={*mode == RoundMode::Identified} disabled={*busy}
                            aria-describedby="round-identified-hint" onchange={on_mode(RoundMode::Identified)} />
                        <label for="round-identified">{ r.identified }</label>
                    </div>
                    <p id="round-identified-hint" class="hint">{ r.identified_hint }</p>
                    <div class="check">
                        <input id="round-anonymous" type="radio" name="round-mode" value="anonymous"
                            checked={*mode == RoundMode::Anonymous} disabled={*busy}
                            aria-describedby="round-anonymous-hint" onchange={on_mode(RoundMode::Anonymous)} />
                        <label for="round-anonymous">{ r.anonymous }</label>
                    </div>
                    <p id="round-anonymous-hint" class="hint">{ r.anonymous_hint }</p>
                </fieldset>
                <div class="field">
                    <label for="round-intervention">{ r.intervention }</label>
                    <select id="round-intervention" disabled={*busy} onchange={chosen(&intervention)}>
                        <option value="" selected={intervention.is_empty()}>{ r.no_intervention }</option>
                        { for intervention_list.iter().map(|i| html! {
                            <option value={i.intervention_id.clone()} selected={*intervention == i.intervention_id}>
                                { format!("{} ({})", i.name, (r.kind)(i.kind)) }
                            </option>
                        }) }
                    </select>
                </div>
                if !intervention.is_empty() {
                    <div class="field">
                        <label for="round-phase">{ r.phase }</label>
                        <select id="round-phase" disabled={*busy} onchange={chosen(&phase)}>
                            { for PHASES.iter().map(|(v, p)| html! {
                                <option value={*v} selected={*phase == *v}>{ (r.phase_name)(*p) }</option>
                            }) }
                        </select>
                    </div>
                }
                <Problem id="round-error" message={(*error).clone()} />
                <button id="round-create" type="submit" class="primary" disabled={*busy}>{ r.create }</button>
            </form>
            <form id="intervention-form" class="form-card inline-form" onsubmit={on_new_intervention} novalidate=true
                aria-labelledby="intervention-heading">
                <h2 id="intervention-heading">{ r.new_intervention_heading }</h2>
                <div class="field">
                    <label for="intervention-name">{ r.intervention_name }</label>
                    <input id="intervention-name" type="text" autocomplete="off" value={(*new_name).clone()}
                        oninput={typed_into(&new_name, &new_error)} />
                </div>
                <div class="field">
                    <label for="intervention-kind">{ r.intervention_kind }</label>
                    <select id="intervention-kind" onchange={chosen(&new_kind)}>
                        { for KINDS.iter().map(|(v, k)| html! {
                            <option value={*v} selected={*new_kind == *v}>{ (r.kind)(*k) }</option>
                        }) }
                    </select>
                </div>
                <Problem id="intervention-error" message={(*new_error).clone()} />
                <button id="intervention-add" type="submit" class="secondary">{ r.add_intervention }</button>
            </form>
        </StaffPage>
    }
}

#[derive(Properties, PartialEq)]
pub struct RoundPageProps {
    pub id: String,
}

/// One round: its facts and its counts. The server audits each view.
#[function_component]
pub fn RoundPageView(props: &RoundPageProps) -> Html {
    let staff = use_staff();
    let t = staff.t();
    let r = t.rounds;
    let reads = staff.signed_in.as_ref().is_some_and(|p| p.reads_children());
    let page = {
        let staff = staff.clone();
        use_fetch(props.id.clone(), move |id| {
            let id = id.clone();
            reads.then_some(async move { api::round(&id).await.map_err(|e| staff.failure(&e)) })
        })
    };
    if !reads {
        return html! { <p class="note" role="status">{ t.forbidden }</p> };
    }
    let closing = use_state(|| None::<String>);
    let on_close = {
        let (page, closing, staff) = (page.clone(), closing.clone(), staff.clone());
        let id = props.id.clone();
        Callback::from(move |_: MouseEvent| {
            if !confirm(staff.t().rounds.close_confirm) {
                return;
            }
            let (page, closing, staff, id) = (page.clone(), closing.clone(), staff.clone(), id.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::close_round(&id).await {
                    Ok(_) => {
                        closing.set(None);
                        page.reload();
                    }
                    Err(e) => closing.set(Some(staff.failure(&e))),
                }
            });
        })
    };
    let heading = page.data().map_or_else(|| r.heading.to_string(), |p| p.round.name.clone());
    let actions = html! { <a class="button" href={Route::Rounds.fragment()}>{ r.back }</a> };
    let content = page.view(html! { <Loading /> }, |p| {
        let round = &p.round;
        let anonymous = round.mode == RoundMode::Anonymous;
        html! {
            <>
                <dl class="facts">
                    <dt>{ r.period }</dt><dd>{ format!("{} – {}", round.opens, round.closes) }</dd>
                    <dt>{ r.instrument }</dt><dd>{ (t.band)(&round.questionnaire.id) }</dd>
                    <dt>{ r.mode }</dt><dd>{ if anonymous { r.anonymous } else { r.identified } }</dd>
                    if let Some(i) = &round.intervention {
                        <dt>{ r.phase }</dt><dd>{ (r.phase_name)(i.phase) }</dd>
                    }
                </dl>
                <h2 id="round-counts-heading">{ r.counts_heading }</h2>
                <dl id="round-counts" class="counts" aria-labelledby="round-counts-heading">
                    <div><dt>{ r.invited }</dt><dd id="round-invited">{ p.invited }</dd></div>
                    <div><dt>{ r.started }</dt><dd id="round-started">{ p.started }</dd></div>
                    <div><dt>{ r.finished }</dt><dd id="round-finished">{ p.finished }</dd></div>
                    if let Some(acute) = p.acute {
                        <div><dt>{ r.acute }</dt><dd id="round-acute">{ acute }</dd></div>
                    }
                </dl>
                if p.acute.is_some() {
                    <p class="hint">{ r.acute_hint }</p>
                }
                <h2 id="round-release-heading">{ r.release_heading }</h2>
                if let Some(closed) = round.closed_unix {
                    <p id="round-closed">{ (r.closed_on)(&date(staff.lang, closed)) }</p>
                } else {
                    <p id="round-open">{ r.open_note }</p>
                    <button id="round-close" type="button" class="secondary" onclick={on_close.clone()}>{ r.close }</button>
                    <Problem id="round-close-error" message={(*closing).clone()} />
                    <a id="round-invite" class="button primary" href={Route::InviteInto(round.round_id.clone()).fragment()}>
                        { r.invite_into }
                    </a>
                }
            </>
        }
    });
    html! {
        <StaffPage class="round" heading_id="round-heading" {heading} {actions} problem_id="round-problem"
            problem={page.problem()}>
            { content }
        </StaffPage>
    }
}

#[cfg(test)]
mod tests {
    use super::period_ok;

    #[test]
    fn a_period_is_two_days_in_order() {
        assert!(period_ok("2026-09-01", "2026-10-15"));
        assert!(period_ok("2026-09-01", "2026-09-01"));
        assert!(!period_ok("2026-10-15", "2026-09-01"));
        assert!(!period_ok("", "2026-09-01"));
    }
}
