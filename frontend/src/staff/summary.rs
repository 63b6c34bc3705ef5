//! One child's summary, opened in this browser: the organisation key opens the data key,
//! the data key opens the answers (bound to this assessment, instrument and save), the
//! instrument is fetched and checked by the core, and the core writes the summary in the
//! staff member's language, whatever language the child answered in. The help loop's
//! status is opened and sealed again here under the same data key, so the child can read
//! it too and the server cannot.
//!
//! The same page, with `print`, is the print view: no navigation, no buttons.
//!
//! The summary is built to be read in about two minutes (`beratta_core::summary`): each
//! finding once, the urgent section linking to it, conversation guides folded away.

use super::children::Note;
use super::context::{use_staff, SignedIn};
use super::keys;
use super::page::{date, use_fetch, Loading, Problem};
use super::route::Route;
use crate::common::api;
use beratta_core::api::{AssessmentRecord, Bytes, SealedHelp};
use beratta_core::catalogue::Catalogue;
use beratta_core::envelope::{open_answers, AnswerSet, SymmetricKey};
use beratta_core::help::{open_help, seal_help, HelpEntry, HelpError, HelpState, HelpStatus, MAX_NOTE_CHARS};
use beratta_core::summary::{child_summary, declined, Finding};
use beratta_core::{Action, Questionnaire, Session};
use rand_core::OsRng;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// An assessment as opened in this browser.
struct Opened {
    record: AssessmentRecord,
    note: Note,
    answers: Option<Answers>,
}

/// Answers given, opened and checked against their instrument.
struct Answers {
    data_key: SymmetricKey,
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    set: AnswerSet,
    /// The stored help status and its counter, as opened when the page loaded.
    help: (HelpStatus, u64),
}

async fn open(person: &SignedIn, staff: &super::context::Staff, id: &str) -> Result<Opened, String> {
    let t = staff.t();
    let record = api::assessment(id).await.map_err(|e| staff.failure(&e))?;
    let note = Note::of(person, &record);
    let Some(sealed) = record.sealed.clone() else { return Ok(Opened { record, note, answers: None }) };
    let org_key = person.org_key.as_ref().ok_or_else(|| t.summary_unreadable.to_string())?;
    let data_key = org_key.open_data_key(&sealed.org_sealed_key.0).map_err(|e| {
        crate::common::log::log(&format!("the data key did not open: {e}"));
        t.summary_unreadable.to_string()
    })?;
    let mut set = open_answers(&data_key, &keys::binding(&record, &sealed), &sealed.blob.0).map_err(|e| {
        crate::common::log::log(&format!("the answers did not open: {e}"));
        t.summary_unreadable.to_string()
    })?;
    let which = &record.questionnaire;
    let bundle = api::questionnaire(which).await.map_err(|e| staff.failure(&e))?;
    let broken = |what: String| {
        crate::common::log::log(&what);
        t.summary_questionnaire.to_string()
    };
    let catalogue = Catalogue::from_raw("catalogue", bundle.catalogue)
        .map_err(|errors| broken(errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")))?;
    let questionnaire = Questionnaire::from_raw(&which.reference(), &bundle.questionnaire, &catalogue)
        .map_err(|errors| broken(errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")))?;
    if questionnaire.reference() != which.reference() {
        return Err(broken(format!("asked for {}, got {}", which.reference(), questionnaire.reference())));
    }
    // The engine restores the stored session, so that the summary reads exactly what the
    // child's browser would show; a session it refuses is still scored from its shown answers.
    match Session::start(&questionnaire).apply(&questionnaire, Action::Restore(set.session.clone())) {
        Ok(session) => set.session = session,
        Err(e) => crate::common::log::log(&format!("the stored session did not restore cleanly: {e}")),
    }
    let help = match &record.help {
        None => (HelpStatus::default(), 0),
        Some(sealed_help) => {
            match open_help(
                &data_key,
                &record.organisation,
                &record.assessment,
                sealed_help.counter,
                &sealed_help.blob.0,
            ) {
                Ok(status) => (status, sealed_help.counter),
                Err(e) => {
                    // Kept at its counter, so a new status replaces it rather than clashing.
                    crate::common::log::log(&format!("the help status did not open: {e}"));
                    (HelpStatus::default(), sealed_help.counter)
                }
            }
        }
    };
    Ok(Opened { record, note, answers: Some(Answers { data_key, questionnaire, catalogue, set, help }) })
}

/// How saving one help entry went.
#[derive(Clone, PartialEq)]
enum Feedback {
    Saving,
    Saved,
    Failed(String),
}

#[derive(Properties, PartialEq)]
pub struct SummaryProps {
    pub id: String,
    /// The print view: the same content, without navigation or buttons.
    pub print: bool,
}

#[function_component]
pub fn SummaryPage(props: &SummaryProps) -> Html {
    let staff = use_staff();
    let t = staff.t();
    // The help status as it now stands on the server: it changes with each save.
    let help = use_state(|| (HelpStatus::default(), 0u64));
    let feedback = use_state(|| None::<(String, Feedback)>);
    let stale = use_state(|| false);
    let opened = {
        let (help, staff) = (help.clone(), staff.clone());
        use_fetch(props.id.clone(), move |id| {
            let (person, id) = (staff.signed_in.clone()?, id.clone());
            Some(async move {
                let opened = open(&person, &staff, &id).await?;
                if let Some(answers) = &opened.answers {
                    help.set(answers.help.clone());
                }
                Ok(opened)
            })
        })
    };

    let on_save = {
        let (opened, help, feedback, stale, staff) =
            (opened.clone(), help.clone(), feedback.clone(), stale.clone(), staff.clone());
        Callback::from(move |(key, state, note): (String, HelpState, String)| {
            let Some(current) = opened.data() else { return };
            let Some(answers) = &current.answers else { return };
            let t = staff.t();
            let (mut status, counter) = (*help).clone();
            if let Err(HelpError::NoteTooLong) = status.set(key.clone(), state, &note) {
                feedback.set(Some((key, Feedback::Failed((t.help_note_long)(MAX_NOTE_CHARS)))));
                return;
            }
            let record = &current.record;
            let next = counter + 1;
            let blob =
                seal_help(&answers.data_key, &record.organisation, &record.assessment, next, &status, &mut OsRng);
            let sealed = SealedHelp { counter: next, blob: Bytes(blob) };
            feedback.set(Some((key.clone(), Feedback::Saving)));
            stale.set(false);
            let id = record.assessment.clone();
            let (help, feedback, opened, stale, staff) =
                (help.clone(), feedback.clone(), opened.clone(), stale.clone(), staff.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::save_help(&id, &sealed).await {
                    Ok(()) => {
                        help.set((status, next));
                        feedback.set(Some((key, Feedback::Saved)));
                    }
                    Err(e) if e.code() == Some("stale_help") => {
                        // Someone else saved first: show theirs, and let this person try again.
                        feedback.set(None);
                        stale.set(true);
                        opened.restart();
                    }
                    Err(e) => feedback.set(Some((key, Feedback::Failed(staff.failure(&e))))),
                }
            });
        })
    };

    let opened = match (opened.data(), opened.problem()) {
        (_, Some(message)) => return html! { <Problem id="summary-error" message={Some(message)} /> },
        (None, None) => return html! { <Loading text={t.summary_opening} /> },
        (Some(opened), None) => opened,
    };
    let record = &opened.record;
    let print = props.print;
    let note = opened.note.text(t);

    let head = |meta: Vec<String>, unreviewed: Option<String>| {
        html! {
            <header class="summary-head">
                <p class="kicker">{ t.summary_kicker }</p>
                <h1 id="summary-child">{ note.clone() }</h1>
                <p class="meta">{ meta.join(" ") }</p>
                if let Some(note) = &unreviewed {
                    <p id="unreviewed-language" class="warning">{ note }</p>
                }
                if print {
                    <p class="print-hint no-print">{ t.print_hint }</p>
                } else {
                    <p class="summary-links no-print">
                        <a id="print-summary" href={Route::ChildPrint(record.assessment.clone()).fragment()}>{ t.print_view }</a>
                        <a href={Route::Home.fragment()}>{ t.back_to_children }</a>
                    </p>
                }
            </header>
        }
    };
    let mut meta =
        vec![(t.band)(&record.questionnaire.id) + ".", (t.summary_invited)(&date(staff.lang, record.created_unix))];

    let Some(answers) = &opened.answers else {
        return html! {
            <article id="summary" class={classes!("summary", print.then_some("printing"))}>
                { head(meta, None) }
                <p id="not-started" class="note">{ t.summary_not_started }</p>
            </article>
        };
    };

    let (status, _) = &*help;
    let summary = child_summary(
        &answers.questionnaire,
        &answers.catalogue,
        &answers.set.session,
        &answers.set.language,
        Some(status),
        staff.lang.code(),
    );
    let declined = declined(&answers.questionnaire, &answers.set.session, staff.lang.code());
    meta.push((t.summary_answered_in)(&summary.answered_in));

    // Each finding is drawn once; the urgent section links to it. One line says what the
    // child was asked and answered, one line the follow-ups, and the conversation guide is
    // folded away (open in the print view, which cannot be unfolded on paper).
    let facts = |f: &Finding| {
        let said: Vec<(&str, &String)> =
            [(t.how_often, &f.how_often), (t.worry, &f.worry), (t.wants_help, &f.wants_help)]
                .into_iter()
                .filter_map(|(label, said)| said.as_ref().map(|s| (label, s)))
                .collect();
        html! {
            <>
                <p class="told"><span class="question">{ &f.question }</span>{ " " }<strong class="answer">{ &f.answer }</strong></p>
                if !said.is_empty() || f.help_status.is_some() {
                    <dl class="facts">
                        { for said.iter().map(|(label, said)| html! { <div><dt>{ label }</dt><dd>{ *said }</dd></div> }) }
                        if let Some((state, note)) = &f.help_status {
                            <div class="help-state"><dt>{ t.help_status }</dt>
                                <dd>{ state }{ if note.is_empty() { String::new() } else { format!(" — {note}") } }</dd></div>
                        }
                    </dl>
                }
                if let Some(guide) = &f.guide {
                    <details class="guide" open={print}>
                        <summary>{ t.guides_heading }</summary>
                        <p class="guide-text">{ guide }</p>
                    </details>
                }
            </>
        }
    };
    // The stored state of a help wish, as a machine-readable attribute beside the words.
    let stored_state = |f: &Finding| {
        status.entries.get(&f.key).map(|e| match e.state {
            HelpState::Planned => "planned",
            HelpState::Handled => "handled",
        })
    };
    let finding = |f: &Finding, editor: Html| {
        html! {
            <li class={classes!("finding", f.acute.then_some("acute"))} id={finding_anchor(&f.key)} tabindex="-1"
                data-key={f.key.clone()} data-factor={f.factor.clone()} data-help-state={stored_state(f)}>
                <h3 class="finding-name">
                    <span class="risk-name">{ &f.name }</span>
                    <span class="finding-domain">{ &f.domain }</span>
                </h3>
                { facts(f) }
                { editor }
            </li>
        }
    };

    let urgent = (!summary.urgent.is_empty()).then(|| {
        html! {
            <section id="urgent" class="urgent" aria-labelledby="urgent-heading">
                <h2 id="urgent-heading"><span aria-hidden="true">{ "⚠ " }</span>{ t.urgent_heading }</h2>
                if let Some(duty) = &summary.duty_to_report {
                    <p id="duty-to-report" class="duty">{ duty }</p>
                }
                <ul class="urgent-links">
                    { for summary.urgent.iter().map(|u| html! {
                        <li><button type="button" class="link-button urgent-link" data-key={u.key.clone()}
                            onclick={go_to(finding_anchor(&u.key))}>{ &u.name }</button></li>
                    }) }
                </ul>
            </section>
        }
    });

    let help_wanted = html! {
        <section id="help-wanted" class="help-wanted" aria-labelledby="help-wanted-heading">
            <h2 id="help-wanted-heading">{ t.help_heading }</h2>
            if *stale {
                <p id="help-stale" class="error" role="alert">{ t.help_stale }</p>
            }
            if summary.help_wanted.is_empty() {
                <p class="quiet-note">{ t.help_none }</p>
            } else {
                <ul class="findings">
                    { for summary.help_wanted.iter().map(|f| {
                        let editor = if print {
                            if f.help_status.is_none() { html! { <p class="quiet-note">{ t.help_none_yet }</p> } } else { Html::default() }
                        } else {
                            let entry = status.entries.get(&f.key).cloned();
                            let shown = feedback.as_ref().filter(|(k, _)| *k == f.key).map(|(_, fb)| fb.clone());
                            html! {
                                <HelpEditor key={f.key.clone()} finding_key={f.key.clone()}
                                    {entry} feedback={shown} on_save={on_save.clone()} />
                            }
                        };
                        finding(f, editor)
                    }) }
                </ul>
            }
        </section>
    };

    let other_risks = (!summary.other_risks.is_empty()).then(|| {
        html! {
            <section id="other-risks" aria-labelledby="other-risks-heading">
                <h2 id="other-risks-heading">{ t.other_risks_heading }</h2>
                <ul class="findings risks">{ for summary.other_risks.iter().map(|f| finding(f, Html::default())) }</ul>
            </section>
        }
    });

    html! {
        <article id="summary" class={classes!("summary", print.then_some("printing"))}>
            { head(meta, summary.unreviewed_language.clone()) }
            { urgent.unwrap_or_default() }
            { help_wanted }
            { other_risks.unwrap_or_default() }
            <section id="strengths" aria-labelledby="protective-heading">
                <h2 id="protective-heading">{ t.protective }</h2>
                if summary.protective.is_empty() {
                    <p class="quiet-note">{ t.protective_none }</p>
                } else {
                    <ul class="protective inline-list">
                        { for summary.protective.iter().map(|p| html! { <li class="protective-name">{ p }</li> }) }
                    </ul>
                }
                if !summary.background.is_empty() {
                    <p id="background" class="background"><strong>{ t.background }{ ": " }</strong>{ summary.background.join("; ") }</p>
                }
            </section>
            <section id="own-words" aria-labelledby="own-words-heading">
                <h2 id="own-words-heading">{ t.own_words_heading }</h2>
                if summary.own_words.is_empty() {
                    <p class="quiet-note">{ t.own_words_none }</p>
                }
                { for summary.own_words.iter().map(|w| html! { <blockquote class="own-words">{ w }</blockquote> }) }
            </section>
            if !declined.is_empty() {
                <details id="declined" open={print}>
                    <summary>{ (t.declined_count)(declined.len()) }</summary>
                    <ul>{ for declined.iter().map(|d| html! { <li>{ d }</li> }) }</ul>
                </details>
            }
            <footer id="instrument" class="instrument">
                <p>{ &summary.instrument }</p>
                <p id="not-an-assessment" class="not-an-assessment">{ &summary.not_an_assessment }</p>
            </footer>
        </article>
    }
}

/// The element id of a finding, for the urgent section's links.
fn finding_anchor(key: &str) -> String {
    format!("finding-{}", key.replace(|c: char| !c.is_ascii_alphanumeric(), "-"))
}

/// Moves to the element `id` and gives it the focus, so a screen reader reads on from there.
/// A button, not a `#` link: the staff app's pages live in the URL fragment.
fn go_to(id: String) -> Callback<MouseEvent> {
    Callback::from(move |_: MouseEvent| {
        let Some(element) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&id)) else {
            return;
        };
        element.scroll_into_view();
        if let Ok(element) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element) {
            let _ = element.focus();
        }
    })
}

#[derive(Properties, PartialEq)]
struct HelpEditorProps {
    finding_key: String,
    entry: Option<HelpEntry>,
    feedback: Option<Feedback>,
    on_save: Callback<(String, HelpState, String)>,
}

/// Planned or handled, and a note to the child, for one help wish.
#[function_component]
fn HelpEditor(props: &HelpEditorProps) -> Html {
    let staff = use_staff();
    let t = staff.t();
    let chosen = use_state(|| props.entry.as_ref().map(|e| e.state));
    let note = use_state(|| props.entry.as_ref().map(|e| e.note.clone()).unwrap_or_default());
    let missing = use_state(|| false);
    let id = format!("help-note-{}", props.finding_key.replace(|c: char| !c.is_ascii_alphanumeric(), "-"));

    // Choosing planned or handled is the decision itself, so it is saved at once, with the
    // note as it stands; Save is for a changed note.
    let pick = |state: HelpState| {
        let (chosen, note, missing) = (chosen.clone(), note.clone(), missing.clone());
        let (key, on_save) = (props.finding_key.clone(), props.on_save.clone());
        Callback::from(move |_: MouseEvent| {
            chosen.set(Some(state));
            missing.set(false);
            on_save.emit((key.clone(), state, (*note).clone()));
        })
    };
    let on_note = {
        let note = note.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlTextAreaElement = e.target_unchecked_into();
            note.set(input.value());
        })
    };
    let on_save = {
        let (chosen, note, missing) = (chosen.clone(), note.clone(), missing.clone());
        let (key, on_save) = (props.finding_key.clone(), props.on_save.clone());
        Callback::from(move |_: MouseEvent| match *chosen {
            Some(state) => on_save.emit((key.clone(), state, (*note).clone())),
            None => missing.set(true),
        })
    };
    let pressed = |state: HelpState| if *chosen == Some(state) { "true" } else { "false" };
    let saving = props.feedback == Some(Feedback::Saving);
    let message = match (&props.feedback, *missing) {
        (_, true) => Some((t.help_pick_first.to_string(), true)),
        (Some(Feedback::Failed(m)), _) => Some((m.clone(), true)),
        (Some(Feedback::Saving), _) => Some((t.help_saving.to_string(), false)),
        (Some(Feedback::Saved), _) => Some((t.help_saved.to_string(), false)),
        (None, _) => None,
    };
    html! {
        <div class="help-editor no-print">
            <div class="help-states" role="group" aria-label={t.help_state_label}>
                <button type="button" class="help-planned toggle-button" data-key={props.finding_key.clone()}
                    aria-pressed={pressed(HelpState::Planned)} disabled={saving}
                    onclick={pick(HelpState::Planned)}>{ t.help_planned }</button>
                <button type="button" class="help-handled toggle-button" data-key={props.finding_key.clone()}
                    aria-pressed={pressed(HelpState::Handled)} disabled={saving}
                    onclick={pick(HelpState::Handled)}>{ t.help_handled }</button>
            </div>
            <div class="help-note-field">
                <label for={id.clone()}>{ t.help_note }</label>{ " " }
                <span class="hint">{ t.help_note_hint }</span>
                <textarea id={id} class="help-note" data-key={props.finding_key.clone()} rows="2"
                    maxlength={MAX_NOTE_CHARS.to_string()} readonly={saving} value={(*note).clone()} oninput={on_note} />
            </div>
            <button type="button" class="help-save secondary" data-key={props.finding_key.clone()} disabled={saving}
                onclick={on_save}>{ t.help_save }</button>
            { match message {
                Some((text, true)) => html! { <p class="error" role="alert">{ text }</p> },
                Some((text, false)) => html! { <p class="help-feedback" role="status">{ text }</p> },
                None => html! { <p class="help-feedback" role="status"></p> },
            } }
        </div>
    }
}
