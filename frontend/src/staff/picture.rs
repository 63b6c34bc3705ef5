//! The group picture (`#/statistics`), for whoever holds the statistics key (analysts it
//! was granted to, and administrators): every closed round's sealed statistics records are
//! fetched and opened here in the browser, counted by the domain crate, passed through its
//! disclosure gate and drawn by `picture_views`. One selector (year, breakdown, view)
//! drives every view; each opening is reported to the server, which audits which rounds,
//! breakdown and view were opened, never a figure. Open rounds are listed without figures.
//!
//! The X25519 step of opening each record runs in the browser's WebCrypto where it can
//! (`shares`), a page of records at a time; the rest of the opening, and everything in a
//! browser without it, runs in the domain crate. Opening yields to the browser every few
//! hundred records, so the page stays responsive and shows how far it has come.

use super::context::use_staff;
use super::needs_views;
use super::page::{print, Loading, StaffPage};
use super::picture_model::{years, Opened, Selection, View};
use super::picture_views;
use super::shares::{Pending, Shares};
use crate::common::api;
use beratta_core::api::{Bytes, PictureOpening, QuestionnaireRef, Round, StatisticsRounds};
use beratta_core::catalogue::Catalogue;
use beratta_core::envelope::{OrgPublicKey, OrgSecretKey};
use beratta_core::group::Breakdown;
use beratta_core::statistics::{open_record, open_record_with_share, StatisticsRecord};
use beratta_core::Questionnaire;
use futures_util::future::{join, join_all};
use gloo_timers::future::TimeoutFuture;
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;
use yew::prelude::*;

/// Pages fetched, their shares being computed, ahead of the one being opened.
const LOOK_AHEAD: usize = 8;

/// Records opened between two yields to the browser (besides one per page fetched).
const YIELD_EVERY: usize = 1000;

/// Parses a questionnaire bundle exactly as the child's browser does.
fn parse(bundle: beratta_core::api::QuestionnaireBundle, which: &str) -> Result<(Catalogue, Questionnaire), String> {
    let catalogue = Catalogue::from_raw("catalogue", bundle.catalogue).map_err(|_| format!("{which}: catalogue"))?;
    let q = Questionnaire::from_raw(which, &bundle.questionnaire, &catalogue).map_err(|_| format!("{which}: items"))?;
    Ok((catalogue, q))
}

/// One page of a round's sealed records, their shares being computed.
struct Fetched<'r> {
    round: &'r Round,
    records: Vec<Bytes>,
    shares: Option<Pending>,
}

/// The records opened so far, by round.
struct Opening {
    key: OrgSecretKey,
    public: OrgPublicKey,
    organisation: String,
    records: BTreeMap<String, Vec<StatisticsRecord>>,
    failed: usize,
    done: usize,
    progress: UseStateHandle<usize>,
}

impl Opening {
    fn new(key: OrgSecretKey, organisation: String, progress: UseStateHandle<usize>) -> Opening {
        let public = key.public_key();
        Opening { key, public, organisation, records: BTreeMap::new(), failed: 0, done: 0, progress }
    }

    /// Opens a page with the shares WebCrypto computed, and in WebAssembly each record it
    /// has none for; counts what does not open.
    async fn open(&mut self, page: Fetched<'_>, instruments: &BTreeMap<String, Questionnaire>) {
        let q = &instruments[&page.round.questionnaire.reference()];
        let round = &page.round.round_id;
        let shares = match page.shares {
            Some(pending) => pending.finish().await,
            None => vec![None; page.records.len()],
        };
        let opened = self.records.entry(round.clone()).or_default();
        for (sealed, share) in page.records.iter().zip(shares) {
            let record = match share {
                Some(share) => open_record_with_share(&self.public, &share, &self.organisation, round, &sealed.0, q),
                None => open_record(&self.key, &self.organisation, round, &sealed.0, q),
            };
            match record {
                Ok(record) => opened.push(record),
                Err(_) => self.failed += 1,
            }
            self.done += 1;
            if self.done.is_multiple_of(YIELD_EVERY) {
                self.progress.set(self.done);
                TimeoutFuture::new(0).await;
            }
        }
        self.progress.set(self.done);
    }
}

/// The closed rounds' instruments by `id@version`, fetched side by side, and the catalogue
/// they share.
async fn instruments(closed: &[&Round]) -> Result<(BTreeMap<String, Questionnaire>, Catalogue), api::ApiError> {
    let mut references: Vec<&QuestionnaireRef> = closed.iter().map(|r| &r.questionnaire).collect();
    references.sort_by_key(|r| r.reference());
    references.dedup_by_key(|r| r.reference());
    let bundles = join_all(references.iter().map(|r| api::questionnaire(r))).await;
    let mut instruments = BTreeMap::new();
    let mut catalogue = None;
    for (reference, bundle) in references.iter().zip(bundles) {
        let which = reference.reference();
        let (c, q) = parse(bundle?, &which).map_err(|_| api::ApiError::Malformed)?;
        catalogue.get_or_insert(c);
        instruments.insert(which, q);
    }
    // There is a closed round (the page opens nothing otherwise), so a catalogue.
    Ok((instruments, catalogue.ok_or(api::ApiError::Malformed)?))
}

/// Fetches and opens every closed round's records, telling `progress` how many so far.
/// Each page's shares start in WebCrypto as soon as the page arrives, and fetching goes on
/// while WebCrypto works; a page is opened once [`LOOK_AHEAD`] later ones are fetched (or
/// all are), so fetching, WebCrypto and opening overlap.
async fn open_records(
    closed: &[&Round],
    instruments: &BTreeMap<String, Questionnaire>,
    key: OrgSecretKey,
    organisation: String,
    progress: UseStateHandle<usize>,
) -> Result<Opening, api::ApiError> {
    let shares = Shares::new(&key).await;
    let mut opening = Opening::new(key, organisation, progress);
    let mut fetched: VecDeque<Fetched> = VecDeque::new();
    for &round in closed {
        opening.records.entry(round.round_id.clone()).or_default();
        let mut cursor: Option<String> = None;
        loop {
            let page = api::statistics_records(&round.round_id, cursor.as_deref()).await?;
            let sealed: Vec<&[u8]> = page.records.iter().map(|r| &r.0[..]).collect();
            let pending = shares.as_ref().map(|shares| shares.start(&sealed));
            fetched.push_back(Fetched { round, records: page.records, shares: pending });
            if fetched.len() > LOOK_AHEAD {
                if let Some(ready) = fetched.pop_front() {
                    opening.open(ready, instruments).await;
                }
            }
            match page.next {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
    }
    for ready in fetched {
        opening.open(ready, instruments).await;
    }
    opening.progress.set(opening.done);
    Ok(opening)
}

/// Fetches and opens every closed round's records, and meanwhile how many children were
/// invited into each round.
async fn open_all(
    info: Rc<StatisticsRounds>,
    organisation: String,
    key: OrgSecretKey,
    progress: UseStateHandle<usize>,
) -> Result<Opened, api::ApiError> {
    let closed: Vec<&Round> = info.rounds.iter().filter(|r| r.is_closed()).collect();
    let opened = async {
        let (instruments, catalogue) = instruments(&closed).await?;
        let opening = open_records(&closed, &instruments, key, organisation, progress).await?;
        Ok::<_, api::ApiError>((instruments, catalogue, opening))
    };
    let (opened, invited) = join(opened, api::statistics_invited()).await;
    let (instruments, catalogue, opening) = opened?;
    Ok(Opened {
        rounds: info.rounds.clone(),
        records: opening.records.into_iter().map(|(round, opened)| (round, Rc::new(opened))).collect(),
        catalogue: Rc::new(catalogue),
        instruments: instruments.into_keys().collect(),
        failed: opening.failed,
        units: info.units.iter().map(|u| (u.unit_id.clone(), u.name.clone())).collect(),
        interventions: info.interventions.iter().map(|i| (i.intervention_id.clone(), i.name.clone())).collect(),
        invited: invited?.invited,
        disclosed: Default::default(),
        crossed: Default::default(),
    })
}

/// The page: the statistics key, the rounds, the opened records, the selector and the view.
#[function_component]
pub fn GroupPicturePage() -> Html {
    let staff = use_staff();
    let t = staff.t();
    let p = t.picture;
    let person = staff.signed_in.clone();
    let key = person.as_ref().and_then(|p| p.statistics_key.clone());
    let organisation = person.as_ref().map(|p| p.session.organisation.clone()).unwrap_or_default();
    let info = use_state(|| None::<Rc<StatisticsRounds>>);
    let opened = use_state(|| None::<Rc<Opened>>);
    let problem = use_state(|| None::<String>);
    let progress = use_state(|| 0usize);
    let selection = use_state(Selection::default);
    let printing = use_state(|| false);
    let lagesbild = use_state(|| false);
    {
        let (info, opened, problem, progress, staff) =
            (info.clone(), opened.clone(), problem.clone(), progress.clone(), staff.clone());
        let key = key.clone();
        use_effect_with((), move |_| {
            if let Some(key) = key {
                wasm_bindgen_futures::spawn_local(async move {
                    let fetched = match api::statistics_rounds().await {
                        Ok(fetched) => Rc::new(fetched),
                        Err(e) => return problem.set(Some(staff.failure(&e))),
                    };
                    info.set(Some(fetched.clone()));
                    if fetched.rounds.iter().any(Round::is_closed) {
                        match open_all(fetched, organisation, key, progress).await {
                            Ok(done) => opened.set(Some(Rc::new(done))),
                            Err(e) => problem.set(Some(staff.failure(&e))),
                        }
                    }
                });
            }
        });
    }
    // Each opening is audited (the rounds, the breakdown and the view, never the numbers)
    // before its figures are drawn: a view whose opening could not be logged is not shown.
    let opening = (*opened).as_ref().and_then(|opened| {
        let mut shown = Selection { year: current_year(opened, &selection), ..(*selection).clone() };
        if *printing || *lagesbild {
            // The print layouts are of the year, for everyone.
            shown = Selection { breakdown: None, view: View::Overview, ..shown };
        }
        let rounds = picture_views::rounds_of(opened, &shown);
        let view = if *lagesbild {
            "lagesbild"
        } else if *printing {
            "print"
        } else {
            shown.view.name()
        };
        (!rounds.is_empty()).then(|| PictureOpening {
            rounds,
            breakdown: shown.breakdown.map(|b| breakdown_name(b).to_string()),
            view: view.to_string(),
        })
    });
    let logged = use_state(|| None::<PictureOpening>);
    {
        let (logged, problem, staff) = (logged.clone(), problem.clone(), staff.clone());
        use_effect_with(opening.clone(), move |opening| {
            if let Some(opening) = opening.clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    match api::picture_opened(&opening).await {
                        Ok(()) => {
                            // A report that failed before and now went through is no longer a problem.
                            problem.set(None);
                            logged.set(Some(opening));
                        }
                        Err(e) => problem.set(Some(format!("{} {}", staff.t().picture.not_logged, staff.failure(&e)))),
                    }
                });
            }
        });
    }
    let ready = opening.is_some() && *logged == opening;
    // The print dialog opens once the print layout is drawn (after its opening is logged).
    use_effect_with((*printing, ready), move |(printing, ready)| {
        if *printing && *ready {
            print();
        }
    });

    if key.is_none() {
        return html! {
            <StaffPage heading_id="picture-heading" heading={p.heading}>
                <p id="picture-no-key" class="note" role="status">{ p.no_key }</p>
            </StaffPage>
        };
    }
    let Some(info) = (*info).clone() else {
        return html! {
            <StaffPage heading_id="picture-heading" heading={p.heading} problem_id="picture-problem" problem={(*problem).clone()}>
                <Loading />
            </StaffPage>
        };
    };
    let open_rounds: Vec<&Round> = info.rounds.iter().filter(|r| !r.is_closed()).collect();
    let open_list = (!open_rounds.is_empty()).then(|| {
        html! {
            <section id="picture-open" class="no-print" aria-labelledby="picture-open-heading">
                <h2 id="picture-open-heading">{ p.open_rounds }</h2>
                <ul>
                    { for open_rounds.iter().map(|r| html! {
                        <li data-round={r.round_id.clone()}>{ (p.open_round)(&r.name, &r.closes) }</li>
                    }) }
                </ul>
            </section>
        }
    });
    let rules = beratta_core::group::Rules::default();
    let rules_text = (p.rules)(rules.min_group(), rules.min_cell());
    let body = match (*opened).clone() {
        _ if !info.rounds.iter().any(Round::is_closed) => {
            html! { <p id="picture-no-release" class="note">{ p.no_release }</p> }
        }
        None => html! {
            <p id="picture-opening" class="checking" role="status" aria-live="polite">{ (p.opening)(*progress) }</p>
        },
        Some(opened) => {
            let years = years(&opened.rounds);
            let current = selection
                .year
                .clone()
                .filter(|y| years.contains(y))
                .or_else(|| years.last().cloned())
                .unwrap_or_default();
            let shown = Selection { year: Some(current.clone()), ..(*selection).clone() };
            let count: usize = opened.records.values().map(|r| r.len()).sum();
            let status = html! {
                <p id="picture-opened" class="note no-print" role="status">
                    { (p.opened)(count, opened.records.len()) }
                    if opened.failed > 0 { { " " }{ (p.not_opened)(opened.failed) } }
                </p>
            };
            if *lagesbild {
                let on_back = {
                    let lagesbild = lagesbild.clone();
                    Callback::from(move |_: MouseEvent| lagesbild.set(false))
                };
                html! {
                    <>
                        <button id="picture-back" type="button" class="secondary no-print" onclick={on_back}>{ p.back }</button>
                        if ready {
                            <needs_views::LagesbildView opened={opened.clone()} year={current.clone()} rules={rules_text.clone()} />
                        } else {
                            <Loading />
                        }
                    </>
                }
            } else if *printing {
                let on_back = {
                    let printing = printing.clone();
                    Callback::from(move |_: MouseEvent| printing.set(false))
                };
                html! {
                    <>
                        <button id="picture-back" type="button" class="secondary no-print" onclick={on_back}>{ p.back }</button>
                        if ready {
                            { picture_views::print_layout(&opened, &shown, staff.lang, &rules_text) }
                        } else {
                            <Loading />
                        }
                    </>
                }
            } else {
                let on_year = year_select(&selection);
                let on_breakdown = breakdown_select(&selection);
                let on_view = view_select(&selection);
                let on_print = {
                    let printing = printing.clone();
                    Callback::from(move |_: MouseEvent| printing.set(true))
                };
                html! {
                    <>
                        { status }
                        <form id="picture-selector" class="form-card picture-selector no-print" aria-label={p.selector}
                            onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                            <div class="field">
                                <label for="picture-year">{ p.year }</label>
                                <select id="picture-year" onchange={on_year}>
                                    { for years.iter().map(|y| html! { <option value={y.clone()} selected={*y == current}>{ y }</option> }) }
                                </select>
                            </div>
                            <div class="field">
                                <label for="picture-breakdown">{ p.breakdown }</label>
                                <select id="picture-breakdown" onchange={on_breakdown}>
                                    { for [("", p.everyone, None), ("unit", p.by_unit, Some(Breakdown::Unit)), ("gender", p.by_gender, Some(Breakdown::Gender)), ("age_band", p.by_age, Some(Breakdown::AgeBand))]
                                        .into_iter().map(|(value, label, b)| html! {
                                            <option {value} selected={shown.breakdown == b}>{ label }</option>
                                        }) }
                                </select>
                            </div>
                            <div class="field">
                                <label for="picture-view">{ p.view }</label>
                                <select id="picture-view" onchange={on_view}>
                                    { for View::ALL.into_iter().map(|v| html! {
                                        <option value={v.name()} selected={shown.view == v}>{ v.label(p) }</option>
                                    }) }
                                </select>
                            </div>
                            <button id="picture-print" type="button" class="secondary" onclick={on_print}>{ p.print }</button>
                        </form>
                        <p class="note picture-rules">{ rules_text.clone() }</p>
                        if ready && shown.view == View::Needs {
                            <needs_views::NeedsView opened={opened.clone()} year={current.clone()}
                                on_lagesbild={{ let lagesbild = lagesbild.clone(); Callback::from(move |_| lagesbild.set(true)) }} />
                        } else if ready {
                            { picture_views::view(&opened, &shown, staff.lang) }
                        } else {
                            <Loading />
                        }
                    </>
                }
            }
        }
    };
    html! {
        <StaffPage class="picture" heading_id="picture-heading" heading={p.heading} head_class={classes!("no-print")}
            problem_id="picture-problem" problem={(*problem).clone()}>
            <p class="no-print">{ p.intro }</p>
            { open_list.unwrap_or_default() }
            { body }
        </StaffPage>
    }
}

/// The year shown: the one chosen, while it has closed rounds, else the newest.
fn current_year(opened: &Opened, selection: &Selection) -> Option<String> {
    let years = years(&opened.rounds);
    selection.year.clone().filter(|y| years.contains(y)).or_else(|| years.last().cloned())
}

/// The name a breakdown has in an opening's audit record.
pub fn breakdown_name(b: Breakdown) -> &'static str {
    match b {
        Breakdown::Unit => "unit",
        Breakdown::Gender => "gender",
        Breakdown::AgeBand => "age_band",
    }
}

fn year_select(selection: &UseStateHandle<Selection>) -> Callback<Event> {
    let selection = selection.clone();
    Callback::from(move |e: Event| {
        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
        selection.set(Selection { year: Some(select.value()), ..(*selection).clone() });
    })
}

fn breakdown_select(selection: &UseStateHandle<Selection>) -> Callback<Event> {
    let selection = selection.clone();
    Callback::from(move |e: Event| {
        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
        let breakdown = match select.value().as_str() {
            "unit" => Some(Breakdown::Unit),
            "gender" => Some(Breakdown::Gender),
            "age_band" => Some(Breakdown::AgeBand),
            _ => None,
        };
        selection.set(Selection { breakdown, ..(*selection).clone() });
    })
}

fn view_select(selection: &UseStateHandle<Selection>) -> Callback<Event> {
    let selection = selection.clone();
    Callback::from(move |e: Event| {
        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
        let view = View::from_name(&select.value()).unwrap_or_default();
        selection.set(Selection { view, ..(*selection).clone() });
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use beratta_core::api::{QuestionnaireRef, RoundMode};

    fn round(id: &str, closes: &str, closed: bool) -> Round {
        Round {
            round_id: id.into(),
            name: id.into(),
            unit: None,
            opens: "2025-01-01".into(),
            closes: closes.into(),
            questionnaire: QuestionnaireRef { id: "q".into(), version: 1 },
            mode: RoundMode::Anonymous,
            intervention: None,
            created_by: "a".into(),
            created_unix: 0,
            closed_unix: closed.then_some(1),
        }
    }

    #[test]
    fn the_years_offered_are_those_of_closed_rounds_oldest_first() {
        let rounds = [
            round("a", "2026-03-31", true),
            round("b", "2025-03-31", true),
            round("c", "2027-03-31", false),
            round("d", "2026-06-01", true),
        ];
        assert_eq!(years(&rounds), ["2025", "2026"]);
    }
}
