//! What the staff pages share around their content: dates in the reader's language, the
//! page's address, printing and asking, text fields that clear an error, and the loading
//! and problem lines.

use super::context::use_staff;
use crate::common::lang::Lang;
use yew::prelude::*;

/// `https://host:port`, for links and the cards.
pub fn origin() -> String {
    web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
}

/// A date in the reader's language, from Unix seconds.
pub fn date(lang: Lang, unix: u64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(unix as f64 * 1000.0));
    String::from(date.to_locale_date_string(locale(lang), &wasm_bindgen::JsValue::UNDEFINED))
}

/// A date and time in the reader's language, from Unix seconds.
pub fn date_time(lang: Lang, unix: u64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(unix as f64 * 1000.0));
    String::from(date.to_locale_string(locale(lang), &wasm_bindgen::JsValue::UNDEFINED))
}

fn locale(lang: Lang) -> &'static str {
    // Staff pages are in Swedish or English only (`Lang::STAFF`).
    match lang {
        Lang::Sv => "sv-SE",
        _ => "en-GB",
    }
}

/// An `oninput` that keeps a text field's value in `state` and clears the form's error, as
/// typing again after a refusal should.
pub fn typed_into(state: &UseStateHandle<String>, error: &UseStateHandle<Option<String>>) -> Callback<InputEvent> {
    let (state, error) = (state.clone(), error.clone());
    Callback::from(move |e: InputEvent| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        state.set(input.value());
        error.set(None);
    })
}

/// Now, in Unix seconds, by the browser's clock.
pub fn now_unix() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

/// Opens the browser's print dialog.
pub fn print() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}

/// Asks the browser's own yes/no question; no answer counts as no.
pub fn confirm(question: &str) -> bool {
    web_sys::window().and_then(|w| w.confirm_with_message(question).ok()).unwrap_or(false)
}

/// Text shown while a page fetches what it needs.
#[function_component]
pub fn Loading() -> Html {
    let staff = use_staff();
    html! { <p class="checking" role="status" aria-live="polite">{ staff.t().loading }</p> }
}

/// An error in words, read out at once by screen readers.
#[derive(Properties, PartialEq)]
pub struct ProblemProps {
    pub id: AttrValue,
    pub message: Option<String>,
}

#[function_component]
pub fn Problem(props: &ProblemProps) -> Html {
    html! {
        <p id={props.id.clone()} class="error" role="alert">{ props.message.clone().unwrap_or_default() }</p>
    }
}
