//! Quick exit: one tap (or Escape twice) and the page shows a plain weather page, with
//! nothing on it or in the tab's title about Berätta, while the session ends behind it.
//!
//! A child may be answering about violence at home when the person it is about walks in.
//! So the visible part happens first and at once: the neutral page, a neutral title, the
//! address replaced in the tab's history (Back does not lead to the questions, and a reload
//! stays on the weather). Then everything is wiped and the logout goes out with
//! `keepalive` ([`forget::end_session`]). The child app is unmounted, so no state it held
//! in memory remains.

use crate::child::forget::{self, Keep};
use crate::child::idle::{self, IdleGuard};
use crate::child::texts::texts;
use crate::common::lang::Lang;
use gloo::events::{EventListener, EventListenerOptions, EventListenerPhase};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use web_sys::HtmlElement;
use yew::prelude::*;

/// Two presses of Escape at most this far apart leave the page.
const ESCAPE_TWICE_MS: f64 = 1_000.0;

/// The address fragment of the neutral page (with the language's code after the slash), so
/// that a reload shows the weather again instead of the start page.
const NEUTRAL_FRAGMENT: &str = "#weather/";

/// How the child app is left, for the app around it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Leave {
    /// Quick exit: the neutral page in place of the child app, in this language.
    Neutral(Lang),
    /// Kiosk mode: the child app starts over as on a freshly opened page.
    Fresh,
}

/// The neutral page's language when the page was opened (reloaded) on its address.
pub fn neutral_at_start() -> Option<Lang> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let code = hash.strip_prefix(NEUTRAL_FRAGMENT)?;
    Some(Lang::from_code(code).unwrap_or_default())
}

/// The visible half of a quick exit plus the start of the wipe, all before the next paint:
/// the title, the address, the focus; the storages; then the logout, in the background.
pub fn leave_now(lang: Lang) {
    if let Some(window) = web_sys::window() {
        if let Some(document) = window.document() {
            document.set_title(texts(lang).neutral_title);
            if let Some(focused) = document.active_element().and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
                let _ = focused.blur();
            }
        }
        // The same entry, a new address: Back goes to wherever the tab was before Berätta.
        // `?kiosk=` and `?idle=` stay (they are kept in memory anyway); a code never does.
        let path = window.location().pathname().unwrap_or_else(|_| "/".into());
        let search = kept_query(&window.location().search().unwrap_or_default());
        let url = format!("{path}{search}{NEUTRAL_FRAGMENT}{}", lang.code());
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
        }
    }
    wasm_bindgen_futures::spawn_local(forget::end_session(Keep::Nothing));
}

/// The query with only the parameters that set the page's mode.
fn kept_query(search: &str) -> String {
    let kept: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| matches!(p.split_once('=').map(|(k, _)| k), Some("kiosk" | "idle")))
        .collect();
    if kept.is_empty() {
        String::new()
    } else {
        format!("?{}", kept.join("&"))
    }
}

/// Calls `on_exit` when Escape is pressed twice quickly, anywhere on the page: the quick exit
/// for a child on the keyboard, who may be far from the button.
#[hook]
pub fn use_escape_twice(on_exit: Callback<()>) {
    let latest = use_mut_ref(|| on_exit.clone());
    *latest.borrow_mut() = on_exit;
    use_effect_with((), move |_| {
        let last = Rc::new(Cell::new(f64::NEG_INFINITY));
        let options = EventListenerOptions { phase: EventListenerPhase::Capture, passive: true };
        let listener = EventListener::new_with_options(&gloo::utils::document(), "keydown", options, move |event| {
            let Some(event) = event.dyn_ref::<KeyboardEvent>() else { return };
            if event.key() != "Escape" {
                return;
            }
            let now = js_sys::Date::now();
            if now - last.get() <= ESCAPE_TWICE_MS {
                last.set(f64::NEG_INFINITY);
                let callback = latest.borrow().clone();
                callback.emit(());
            } else {
                last.set(now);
            }
        });
        move || drop(listener)
    });
}

#[derive(Properties, PartialEq)]
pub struct ButtonProps {
    pub lang: Lang,
    pub on_exit: Callback<()>,
}

/// `#quick-exit`, fixed in a corner of every child page.
#[function_component]
pub fn QuickExitButton(props: &ButtonProps) -> Html {
    let t = texts(props.lang);
    let on_exit = props.on_exit.clone();
    html! {
        <button id="quick-exit" type="button" class="quick-exit"
            onclick={Callback::from(move |_: MouseEvent| on_exit.emit(()))}>
            { t.quick_exit }
        </button>
    }
}

#[derive(Properties, PartialEq)]
pub struct NeutralProps {
    pub lang: Lang,
    /// Kiosk mode: after a while, the start page for the next child.
    pub on_done: Callback<()>,
}

/// `#neutral-page`: today's weather, and nothing else. No header, no brand, no button back.
#[function_component]
pub fn NeutralPage(props: &NeutralProps) -> Html {
    let t = texts(props.lang);
    // Again here, for a reload on the neutral address, where the app starts on this page.
    use_effect_with(props.lang, |lang| {
        let document = gloo::utils::document();
        document.set_title(texts(*lang).neutral_title);
        if let Some(root) = document.document_element() {
            let _ = root.set_attribute("lang", lang.ui().code());
            let _ = root.set_attribute("dir", lang.dir());
        }
    });
    let kiosk = idle::timing().kiosk;
    let on_done = {
        let on_done = props.on_done.clone();
        Callback::from(move |_: ()| {
            // Back to the start page's address, in the same history entry.
            if let Some(window) = web_sys::window() {
                let path = window.location().pathname().unwrap_or_else(|_| "/".into());
                let search = kept_query(&window.location().search().unwrap_or_default());
                if let Ok(history) = window.history() {
                    let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{path}{search}")));
                }
            }
            on_done.emit(());
        })
    };
    html! {
        <>
            <main id="neutral-page" class="neutral">
                <h1>{ t.neutral_title }</h1>
                <p class="neutral-summary">{ t.neutral_summary }</p>
                <ul class="neutral-hours">
                    { for t.neutral_hours.iter().map(|(when, what)| html! {
                        <li><span class="neutral-when">{ *when }</span>{ " " }<span>{ *what }</span></li>
                    }) }
                </ul>
                <p>{ t.neutral_tip }</p>
            </main>
            if kiosk {
                <IdleGuard lang={props.lang} active=true warn=false on_expire={on_done} />
            }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_neutral_address_keeps_only_the_mode() {
        assert_eq!(kept_query("?kiosk=1&code=H7KC-R4T&idle=3"), "?kiosk=1&idle=3");
        assert_eq!(kept_query("?code=H7KC"), "");
        assert_eq!(kept_query(""), "");
    }

    /// Whoever looks at the screen after a quick exit must not learn what was on it.
    #[test]
    fn the_neutral_page_names_nothing_of_berätta_in_any_language() {
        for lang in Lang::ALL {
            let t = texts(lang);
            let words: Vec<&str> = [t.neutral_title, t.neutral_summary, t.neutral_tip]
                .into_iter()
                .chain(t.neutral_hours.iter().flat_map(|(when, what)| [*when, *what]))
                .collect();
            let all = words.join(" ").to_lowercase();
            for telling in ["berätta", "beratta", "fråg", "question", "svar", "answer", "hjälp", "help", "kod", "code"]
            {
                assert!(!all.contains(telling), "{lang:?}: the neutral page says {telling:?}");
            }
        }
    }
}
