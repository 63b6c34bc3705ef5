//! What the adults have planned or done about the things the child asked for help with,
//! shown as a calm box on the question and finish pages. Staff seal it under the
//! assessment's data key; the core opens it with the child's keys at login
//! (`ChildKeys::open_help`), so the server never reads it.

use crate::child::texts::texts;
use crate::common::lang::Lang;
use beratta_core::help::{HelpState, HelpStatus};
use beratta_core::Questionnaire;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HelpStatusProps {
    pub lang: Lang,
    pub questionnaire: Rc<Questionnaire>,
    pub status: Rc<HelpStatus>,
}

/// What a help wish was about, in the child's words: the option picked on a
/// multiple-choice item (`item/option`), otherwise the question (`item`).
fn about(q: &Questionnaire, key: &str, lang: &str) -> Option<String> {
    let (item, option) = match key.split_once('/') {
        Some((item, option)) => (item, Some(option)),
        None => (key, None),
    };
    let item = q.item(item)?;
    let text = match option.and_then(|o| item.option(o)) {
        Some(choice) => choice.text.get(lang),
        None => item.text.get(lang),
    };
    Some(text.to_string())
}

#[function_component]
pub fn HelpStatusBox(props: &HelpStatusProps) -> Html {
    let t = texts(props.lang);
    // In the order the child met the questions, not the order of the keys.
    let q = &props.questionnaire;
    let mut entries: Vec<_> = props.status.entries.iter().collect();
    entries.sort_by_key(|(key, _)| q.position(key.split('/').next().unwrap_or(key)).unwrap_or(usize::MAX));
    html! {
        <aside id="help-status" class="help-status" aria-labelledby="help-status-heading">
            <h2 id="help-status-heading">{ t.help_status_heading }</h2>
            <ul>
                { for entries.into_iter().map(|(key, entry)| {
                    let (state, words) = match entry.state {
                        HelpState::Planned => ("planned", t.help_status_planned),
                        HelpState::Handled => ("handled", t.help_status_handled),
                    };
                    html! {
                        <li data-key={key.clone()} data-help-state={state}>
                            if let Some(about) = about(&props.questionnaire, key, props.lang.code()) {
                                <span class="help-status-about">{ about }</span>
                            }
                            <span class="help-status-state">{ words }</span>
                            if !entry.note.trim().is_empty() {
                                <span class="help-status-note">{ t.help_status_note }{ " " }<q>{ &entry.note }</q></span>
                            }
                        </li>
                    }
                }) }
            </ul>
        </aside>
    }
}
