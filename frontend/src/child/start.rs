//! The start page: a friendly welcome and one field for the login code. The code is
//! checked by the core (`ChildCode::parse`) before anything is sent. On a registered kiosk
//! the page is one "Start" button instead (`kiosk`).

use crate::child::kiosk::{self, KioskCheck, KioskStart};
use crate::child::login;
use crate::child::state::Loaded;
use crate::child::texts::{sentence, texts, Notice};
use crate::common::lang::Lang;
use beratta_core::login::ChildCode;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StartProps {
    pub lang: Lang,
    /// Something to tell on arrival (e.g. the session ended).
    pub notice: Option<Notice>,
    pub on_loaded: Callback<Loaded>,
}

#[function_component]
pub fn StartPage(props: &StartProps) -> Html {
    match kiosk::use_kiosk() {
        KioskCheck::No => {
            html! { <CodeStart lang={props.lang} notice={props.notice.clone()} on_loaded={props.on_loaded.clone()} /> }
        }
        KioskCheck::Ready(info) => {
            html! { <KioskStart lang={props.lang} {info} on_loaded={props.on_loaded.clone()} /> }
        }
        KioskCheck::Checking => html! {
            <section class="waiting">
                <p class="checking" role="status" aria-live="polite">{ texts(props.lang).one_moment }</p>
            </section>
        },
        KioskCheck::Broken(notice) => html! {
            <section class="start" aria-labelledby="start-heading">
                <h1 id="start-heading">{ texts(props.lang).start_heading }</h1>
                <p id="kiosk-error" class="error" role="alert">{ sentence(props.lang, &notice) }</p>
            </section>
        },
    }
}

/// The start page with the code field.
#[function_component]
fn CodeStart(props: &StartProps) -> Html {
    let t = texts(props.lang);
    let code = use_state(login::code_from_address);
    // A calm note (the child chose to stop for now) stays above the form; only problems go
    // beside the code field as errors, and typing clears them.
    let note = props.notice.clone().filter(|n| !n.is_problem());
    let notice = use_state(|| props.notice.clone().filter(Notice::is_problem));
    let busy = use_state(|| false);

    let oninput = {
        let code = code.clone();
        let notice = notice.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            code.set(input.value());
            if notice.is_some() {
                notice.set(None);
            }
        })
    };

    let onsubmit = {
        let code = code.clone();
        let notice = notice.clone();
        let busy = busy.clone();
        let on_loaded = props.on_loaded.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            match ChildCode::parse(&code) {
                Err(error) => notice.set(Some(Notice::Code(error))),
                Ok(parsed) => {
                    notice.set(None);
                    busy.set(true);
                    let notice = notice.clone();
                    let busy = busy.clone();
                    let on_loaded = on_loaded.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        match login::login(parsed).await {
                            Ok(loaded) => on_loaded.emit(loaded),
                            Err(error) => {
                                busy.set(false);
                                notice.set(Some(error));
                            }
                        }
                    });
                }
            }
        })
    };

    let message = notice.as_ref().map(|n| sentence(props.lang, n)).unwrap_or_default();
    let invalid = if notice.is_some() { "true" } else { "false" };
    html! {
        <section class="start" aria-labelledby="start-heading">
            <h1 id="start-heading">{ t.start_heading }</h1>
            if let Some(note) = &note {
                // Two calm notes: the child stopped for now, or the idle timeout logged them out.
                <p id={if *note == Notice::Idle { "idle-note" } else { "stopped-note" }} class="note" role="status">
                    { sentence(props.lang, note) }
                </p>
            }
            <p class="lead">{ t.start_intro }</p>
            <p>{ t.start_skip }</p>
            <form class="code-form" {onsubmit} novalidate=true>
                <label for="code">{ t.code_label }</label>
                <p id="code-hint" class="hint">{ t.code_hint }</p>
                // `dir="ltr"`: the code is Latin letters and digits, typed left to right on a
                // right-to-left page too.
                <input
                    id="code"
                    name="code"
                    type="text"
                    autocomplete="off"
                    autocapitalize="characters"
                    autocorrect="off"
                    spellcheck="false"
                    dir="ltr"
                    aria-describedby="code-hint code-error"
                    aria-invalid={invalid}
                    readonly={*busy}
                    value={(*code).clone()}
                    {oninput}
                />
                <p id="code-error" class="error" role="alert">{ message }</p>
                <button id="login" type="submit" class="primary" disabled={*busy}>{ t.start_button }</button>
                <p id="checking" class="checking" role="status" aria-live="polite">
                    { if *busy { t.checking } else { "" } }
                </p>
            </form>
        </section>
    }
}
