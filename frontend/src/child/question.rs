//! One question at a time: the item the core's session is at, drawn by its kind. Every
//! answer is handed back as a core `Action`; whether it is allowed is the core's call.
//!
//! Every question and every answer option has a speaker beside it (see [`super::speech`]);
//! it is a button of its own next to the option, never inside it, so that listening to an
//! answer never gives it. Each questionnaire text carries the language it is really in
//! ([`shown`]), which a draft translation's fallback to Swedish can make differ from the
//! page's.

use crate::child::buddy::{first_question, is_young, Buddy};
use crate::child::pictures;
use crate::child::speech::{self, Voices};
use crate::child::texts::{no_voice, shown, texts};
use crate::common::lang::Lang;
use beratta_core::engine::MAX_TEXT_CHARS;
use beratta_core::questionnaire::{Item, Origin};
use beratta_core::text::Text;
use beratta_core::{Action, Answer, Kind, Questionnaire};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct QuestionProps {
    pub lang: Lang,
    pub questionnaire: Rc<Questionnaire>,
    /// The item's position in the questionnaire.
    pub index: usize,
    /// The child's answer, when they came back to an answered item.
    pub answer: Option<Answer>,
    /// The first shown item: there is nothing to go back to.
    pub first: bool,
    pub on_action: Callback<Action>,
    /// Asks the core whether an action would be accepted now.
    pub accepts: Callback<Action, bool>,
    /// Read each new question aloud.
    pub auto_read: bool,
    pub on_auto_read: Callback<bool>,
    /// The languages the child has been told this device cannot read aloud: it is said once,
    /// on the first question in that language, not on every question.
    pub no_voice_told: Rc<RefCell<BTreeSet<String>>>,
}

/// The name of a kind, as in questionnaire files.
fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::YesNo => "yes_no",
        Kind::Frequency => "frequency",
        Kind::Single => "single",
        Kind::Picture => "picture",
        Kind::Multiple => "multiple",
        Kind::Text => "text",
    }
}

/// What a follow-up is about: the option picked on a multiple-choice item, or the question
/// that opened it.
fn about<'q>(q: &'q Questionnaire, item: &Item) -> Option<&'q Text> {
    let Origin::FollowUp { parent, option, .. } = &item.origin else { return None };
    let parent = q.items.get(*parent)?;
    Some(match option.as_deref().and_then(|o| parent.option(o)) {
        Some(choice) => &choice.text,
        None => &parent.text,
    })
}

/// The question as shown and read aloud, each part with the language it is in: what a
/// follow-up is about (for the youngest only its question, see [`first_question`]), then the
/// question itself.
struct Wording<'q> {
    about: Option<(&'q str, &'q str)>,
    question: (&'q str, &'q str),
}

impl<'q> Wording<'q> {
    fn of(q: &'q Questionnaire, item: &'q Item, lang: &str) -> Wording<'q> {
        let young = is_young(q.ages.as_deref());
        let about = about(q, item).map(|text| {
            let (words, code) = shown(text, lang);
            (if young { first_question(words) } else { words }, code)
        });
        Wording { about, question: shown(&item.text, lang) }
    }

    fn parts(&self) -> Vec<(&'q str, &'q str)> {
        self.about.into_iter().chain([self.question]).collect()
    }
}

/// `data-voice` and `aria-disabled` of a speaker: whether the device has a voice for it.
fn voice_attrs(available: bool) -> (&'static str, Option<&'static str>) {
    if available {
        ("yes", None)
    } else {
        ("none", Some("true"))
    }
}

/// The speaker beside an answer option; none where the device has no voice for its language.
fn speak_option(lang: Lang, voices: &Voices, words: &str, code: &str) -> Html {
    let available = voices.has(code);
    if !available {
        return Html::default();
    }
    let name = (texts(lang).read_option)(words);
    let (voice, disabled) = voice_attrs(available);
    let onclick = {
        let voices = voices.clone();
        let (words, code) = (words.to_string(), code.to_string());
        Callback::from(move |_: MouseEvent| speech::speak(&voices, &[(&words, &code)]))
    };
    html! {
        <button type="button" class="speak speak-option" data-voice={voice}
            aria-disabled={disabled} aria-label={name.clone()} title={name} {onclick}>
            { speech::speaker_icon(available) }
        </button>
    }
}

fn pressed(yes: bool) -> &'static str {
    if yes {
        "true"
    } else {
        "false"
    }
}

#[function_component]
pub fn QuestionPage(props: &QuestionProps) -> Html {
    let t = texts(props.lang);
    let lang = props.lang.code();
    let q = &props.questionnaire;

    let picked = use_state(|| match &props.answer {
        Some(Answer::Choices(choices)) => choices.clone(),
        _ => BTreeSet::new(),
    });
    let text = use_state(|| match &props.answer {
        Some(Answer::Text(text)) => text.clone(),
        _ => String::new(),
    });

    let voices = speech::use_voices();
    // Each new question is read aloud when the child wants it (and again in a newly chosen
    // language); leaving the question, or turning reading off, stops the voice.
    {
        let wording = q.items.get(props.index).map(|item| Wording::of(q, item, lang));
        let parts: Vec<(String, String)> = wording
            .map(|w| w.parts().into_iter().map(|(words, code)| (words.to_string(), code.to_string())).collect())
            .unwrap_or_default();
        let can_read = parts.iter().any(|(_, code)| voices.has(code));
        let voices = voices.clone();
        use_effect_with((props.index, props.lang, props.auto_read, can_read), move |(_, _, auto_read, can_read)| {
            if *auto_read && *can_read {
                let parts: Vec<(&str, &str)> = parts.iter().map(|(w, c)| (w.as_str(), c.as_str())).collect();
                speech::speak(&voices, &parts);
            }
            speech::stop
        });
    }

    // A new question takes the keyboard focus, so screen readers read it out.
    let heading = crate::common::focus::use_focus_on(props.index);

    // No voice for the question's language: the child is told once, on the first such
    // question, and the speakers, which could do nothing, are left out.
    let question_code =
        q.items.get(props.index).map(|item| Wording::of(q, item, lang).question.1.to_string()).unwrap_or_default();
    let can_read = voices.has(&question_code);
    let tell_no_voice = {
        let told = props.no_voice_told.clone();
        *use_memo((question_code, can_read), move |(code, can_read)| {
            !*can_read && !code.is_empty() && told.borrow_mut().insert(code.clone())
        })
    };

    let Some(item) = q.items.get(props.index) else { return Html::default() };

    let answer_with = {
        let on_action = props.on_action.clone();
        let id = item.id.clone();
        move |answer: Answer| {
            let on_action = on_action.clone();
            let id = id.clone();
            Callback::from(move |_: MouseEvent| {
                on_action.emit(Action::Answer { item: id.clone(), answer: answer.clone() })
            })
        }
    };

    // The answer controls, and a `next` button for kinds that are not answered by one click.
    let next_button = |action: Action| {
        let ready = props.accepts.emit(action.clone());
        let on_action = props.on_action.clone();
        let onclick = Callback::from(move |_: MouseEvent| on_action.emit(action.clone()));
        html! { <button id="next" type="button" class="primary" disabled={!ready} {onclick}>{ t.next }</button> }
    };
    // Options with pictures are drawn as pictures whatever the item's kind, so that a child who
    // cannot yet read can answer a yes/no or a follow-up by its picture, with the words under it.
    // The pictures are the app's own SVG (`pictures`), the same on every device.
    let pictured = item.kind == Kind::Picture || item.options.iter().any(|o| o.picture.is_some());
    let (body, next) = match item.kind {
        Kind::YesNo | Kind::Frequency | Kind::Single | Kind::Picture => {
            let body = html! {
                <div class={classes!("options", pictured.then_some("pictures"))}>
                    { for item.options.iter().map(|o| {
                        let chosen = matches!(&props.answer, Some(Answer::Choice(c)) if *c == o.id);
                        let (words, code) = shown(&o.text, lang);
                        html! {
                            <div class={classes!("option-cell", pictured.then_some("picture-cell"))}>
                                <button type="button"
                                    class={classes!("option", pictured.then_some("picture"))}
                                    data-option={o.id.clone()}
                                    aria-pressed={pressed(chosen)}
                                    onclick={answer_with(Answer::Choice(o.id.clone()))}>
                                    if let Some(p) = o.picture {
                                        <span class="picture-art" aria-hidden="true">{ pictures::picture(p) }</span>
                                    }
                                    <span class="label" lang={code.to_string()} dir="auto">{ words }</span>
                                </button>
                                { speak_option(props.lang, &voices, words, code) }
                            </div>
                        }
                    }) }
                </div>
            };
            (body, Html::default())
        }
        Kind::Multiple => {
            let exclusive: Rc<BTreeSet<String>> =
                Rc::new(item.options.iter().filter(|o| o.exclusive).map(|o| o.id.clone()).collect());
            let action = Action::Answer { item: item.id.clone(), answer: Answer::Choices((*picked).clone()) };
            let body = html! {
                <>
                    <p class="hint">{ t.pick_any }</p>
                    <div class="options toggles">
                        { for item.options.iter().map(|o| {
                            let on = picked.contains(&o.id);
                            let onclick = {
                                let picked = picked.clone();
                                let exclusive = exclusive.clone();
                                let id = o.id.clone();
                                Callback::from(move |_: MouseEvent| {
                                    let mut next = (*picked).clone();
                                    if next.contains(&id) {
                                        next.remove(&id);
                                    } else {
                                        // "None of these" stands alone, and any real pick clears it.
                                        if exclusive.contains(&id) {
                                            next.clear();
                                        } else {
                                            next.retain(|p| !exclusive.contains(p));
                                        }
                                        next.insert(id.clone());
                                    }
                                    picked.set(next);
                                })
                            };
                            let (words, code) = shown(&o.text, lang);
                            html! {
                                <div class="option-cell">
                                    <button type="button" class={classes!("option", "toggle", pictured.then_some("pictured"))}
                                        data-option={o.id.clone()} aria-pressed={pressed(on)} {onclick}>
                                        <span class="tick" aria-hidden="true"></span>
                                        <span class="choice">
                                            if let Some(p) = o.picture {
                                                <span class="picture-art" aria-hidden="true">{ pictures::picture(p) }</span>
                                            }
                                            <span class="label" lang={code.to_string()} dir="auto">{ words }</span>
                                        </span>
                                    </button>
                                    { speak_option(props.lang, &voices, words, code) }
                                </div>
                            }
                        }) }
                    </div>
                </>
            };
            (body, next_button(action))
        }
        Kind::Text => {
            let oninput = {
                let text = text.clone();
                Callback::from(move |e: InputEvent| {
                    let area: HtmlTextAreaElement = e.target_unchecked_into();
                    text.set(area.value());
                })
            };
            let action = Action::Answer { item: item.id.clone(), answer: Answer::Text((*text).clone()) };
            let body = html! {
                <>
                    <label for="free-text">{ t.write_here }</label>
                    // `dir="auto"`: a child may write in another language than the page's,
                    // and each runs its own way.
                    <textarea id="free-text" rows="5" dir="auto" maxlength={MAX_TEXT_CHARS.to_string()}
                        value={(*text).clone()} {oninput}></textarea>
                </>
            };
            (body, next_button(action))
        }
    };

    let on_back = {
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| on_action.emit(Action::Back))
    };
    let declined = matches!(props.answer, Some(Answer::Declined));
    let section = q.sections.get(item.section).map(|s| shown(&s.title, lang));
    let young = is_young(q.ages.as_deref());
    let wording = Wording::of(q, item, lang);
    let (question, question_code) = wording.question;

    // The speaker for the question, and the switch that reads every new question.
    let (voice, read_disabled) = voice_attrs(can_read);
    let on_speak = {
        let voices = voices.clone();
        let parts: Vec<(String, String)> =
            wording.parts().into_iter().map(|(w, c)| (w.to_string(), c.to_string())).collect();
        Callback::from(move |_: MouseEvent| {
            let parts: Vec<(&str, &str)> = parts.iter().map(|(w, c)| (w.as_str(), c.as_str())).collect();
            speech::speak(&voices, &parts);
        })
    };
    let on_auto_read = {
        let on_auto_read = props.on_auto_read.clone();
        let on = props.auto_read;
        Callback::from(move |_: MouseEvent| on_auto_read.emit(!on))
    };

    html! {
        <section class={classes!("question", young.then_some("young"))}>
            if let Some((section, code)) = section {
                <p class="section-name" lang={code.to_string()} dir="auto">{ section }</p>
            }
            <fieldset class="item" data-item={item.id.clone()} data-kind={kind_name(item.kind)}>
                <legend>
                    if young {
                        <Buddy />
                    }
                    <h1 id="question" tabindex="-1" ref={heading}>
                        if let Some((about, code)) = wording.about {
                            <span class="about">{ t.about }{ " " }<span class="about-what" lang={code.to_string()} dir="auto">{ about }</span></span>
                        }
                        <span class="question-text" lang={question_code.to_string()} dir="auto">{ question }</span>
                    </h1>
                </legend>
                if can_read {
                    <div class="read-tools">
                        <button id="speak-question" type="button" class="speak secondary" data-voice={voice}
                            aria-disabled={read_disabled} onclick={on_speak}>
                            { speech::speaker_icon(can_read) }
                            <span>{ t.listen }</span>
                        </button>
                        <button id="auto-read" type="button" class="auto-read" aria-pressed={pressed(props.auto_read)}
                            onclick={on_auto_read}>
                            <span class="switch" aria-hidden="true"></span>{ t.auto_read }
                        </button>
                    </div>
                } else if tell_no_voice {
                    <p id="no-voice" class="no-voice" role="status">
                        { speech::speaker_icon(false) }
                        <span>{ no_voice(props.lang, question_code) }</span>
                    </p>
                }
                { body }
            </fieldset>
            <div class="nav">
                <button id="back" type="button" class="secondary" disabled={props.first} onclick={on_back}>
                    <span aria-hidden="true">{ props.lang.back_arrow() }</span>{ t.back }
                </button>
                <div class="forward">
                    <button id="skip" type="button" class="quiet" aria-pressed={pressed(declined)}
                        onclick={answer_with(Answer::Declined)}>{ t.skip }</button>
                    { next }
                </div>
            </div>
        </section>
    }
}
