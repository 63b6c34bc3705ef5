//! One question at a time: the item the core's session is at, drawn by its kind. Every
//! answer is handed back as a core `Action`; whether it is allowed is the core's call.

use crate::i18n::Lang;
use beratta_core::engine::MAX_TEXT_CHARS;
use beratta_core::questionnaire::{Item, Origin};
use beratta_core::{Action, Answer, Kind, Questionnaire};
use std::collections::BTreeSet;
use std::rc::Rc;
use web_sys::{HtmlElement, HtmlTextAreaElement};
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
fn about<'q>(q: &'q Questionnaire, item: &Item, lang: &str) -> Option<&'q str> {
    let Origin::FollowUp { parent, option, .. } = &item.origin else { return None };
    let parent = q.items.get(*parent)?;
    Some(match option.as_deref().and_then(|o| parent.option(o)) {
        Some(choice) => choice.text.get(lang),
        None => parent.text.get(lang),
    })
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
    let t = props.lang.texts();
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

    // A new question takes the keyboard focus, so screen readers read it out.
    let heading = use_node_ref();
    {
        let heading = heading.clone();
        use_effect_with(props.index, move |_| {
            if let Some(heading) = heading.cast::<HtmlElement>() {
                let _ = heading.focus();
            }
        });
    }

    let Some(item) = q.items.get(props.index) else { return Html::default() };

    let answer_with = {
        let on_action = props.on_action.clone();
        let id = item.id.clone();
        move |answer: Answer| {
            let on_action = on_action.clone();
            let id = id.clone();
            Callback::from(move |_: MouseEvent| on_action.emit(Action::Answer { item: id.clone(), answer: answer.clone() }))
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
    // cannot yet read can answer a yes/no or a follow-up by its emoji, with the words under it.
    let pictured = item.kind == Kind::Picture || item.options.iter().any(|o| o.emoji.is_some());
    let (body, next) = match item.kind {
        Kind::YesNo | Kind::Frequency | Kind::Single | Kind::Picture => {
            let body = html! {
                <div class={classes!("options", pictured.then_some("pictures"))}>
                    { for item.options.iter().map(|o| {
                        let chosen = matches!(&props.answer, Some(Answer::Choice(c)) if *c == o.id);
                        html! {
                            <button type="button"
                                class={classes!("option", pictured.then_some("picture"))}
                                data-option={o.id.clone()}
                                aria-pressed={pressed(chosen)}
                                onclick={answer_with(Answer::Choice(o.id.clone()))}>
                                if let Some(emoji) = &o.emoji {
                                    <span class="emoji" aria-hidden="true">{ emoji.clone() }</span>
                                }
                                <span class="label">{ o.text.get(lang) }</span>
                            </button>
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
                            html! {
                                <button type="button" class={classes!("option", "toggle", pictured.then_some("pictured"))}
                                    data-option={o.id.clone()} aria-pressed={pressed(on)} {onclick}>
                                    <span class="tick" aria-hidden="true"></span>
                                    <span class="choice">
                                        if let Some(emoji) = &o.emoji {
                                            <span class="emoji" aria-hidden="true">{ emoji.clone() }</span>
                                        }
                                        <span class="label">{ o.text.get(lang) }</span>
                                    </span>
                                </button>
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
                    <textarea id="free-text" rows="5" maxlength={MAX_TEXT_CHARS.to_string()}
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
    let section = q.sections.get(item.section).map(|s| s.title.get(lang));

    html! {
        <section class="question">
            if let Some(section) = section {
                <p class="section-name">{ section }</p>
            }
            <fieldset class="item" data-item={item.id.clone()} data-kind={kind_name(item.kind)}>
                <legend>
                    <h1 id="question" tabindex="-1" ref={heading}>
                        if let Some(about) = about(q, item, lang) {
                            <span class="about">{ t.about }{ " " }<span class="about-what">{ about }</span></span>
                        }
                        <span class="question-text">{ item.text.get(lang) }</span>
                    </h1>
                </legend>
                { body }
            </fieldset>
            <div class="nav">
                <button id="back" type="button" class="secondary" disabled={props.first} onclick={on_back}>
                    <span aria-hidden="true">{ "← " }</span>{ t.back }
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
