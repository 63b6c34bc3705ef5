//! A registered kiosk: a browser at a youth centre that takes anonymous answers for one
//! round, with no cards. An administrator opens the kiosk's link (`/?kiosk=1#kiosk=<token>`)
//! in its browser once; the server then keeps a device token for it in an `HttpOnly`
//! cookie, and this module turns the start page into one "Start" button. Each young person
//! gets a fresh assessment; when they finish or go idle, kiosk mode (`?kiosk=1`, see
//! `idle`) ends the session and remounts the whole app, so the next person finds nothing.
//!
//! A browser in kiosk mode that is not registered (a school's shared computer) keeps the
//! ordinary start page with the code field.

use crate::child::idle;
use crate::child::login;
use crate::child::state::Loaded;
use crate::child::texts::{sentence, texts, Notice};
use crate::common::api;
use crate::common::lang::Lang;
use beratta_core::api::KioskInfo;
use yew::prelude::*;

/// What this browser is, as far as the start page is concerned.
#[derive(Clone, Debug, PartialEq)]
pub enum KioskCheck {
    /// Asking the server (or registering with a link).
    Checking,
    /// Not a kiosk: the start page with the code field.
    No,
    /// A registered kiosk.
    Ready(KioskInfo),
    /// A kiosk link that did not work, or a kiosk the server could not be asked about.
    Broken(Notice),
}

/// The registration token of a kiosk link's fragment (`#kiosk=<token>`), if there is one.
pub fn registration_token(fragment: &str) -> Option<&str> {
    let token = fragment.strip_prefix('#').unwrap_or(fragment).strip_prefix("kiosk=")?;
    (!token.is_empty()
        && token.len() <= 64
        && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    .then_some(token)
}

fn fragment() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// Reopens the page as a kiosk, without the link's token in the address or the history.
fn reopen_as_kiosk() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().replace("/?kiosk=1");
    }
}

/// Whether this browser is a registered kiosk. Asked once per start page, and only in
/// kiosk mode or with a kiosk link, so that a child's ordinary start page sends nothing.
#[hook]
pub fn use_kiosk() -> KioskCheck {
    let check = use_state(|| {
        if idle::timing().kiosk || registration_token(&fragment()).is_some() {
            KioskCheck::Checking
        } else {
            KioskCheck::No
        }
    });
    {
        let check = check.clone();
        use_effect_with((), move |_| {
            if *check == KioskCheck::Checking {
                wasm_bindgen_futures::spawn_local(async move {
                    let outcome = match registration_token(&fragment()).map(str::to_string) {
                        Some(token) => match api::kiosk_register(&token).await {
                            // A fresh page in kiosk mode, which asks again and finds the cookie.
                            Ok(_) => return reopen_as_kiosk(),
                            Err(_) => KioskCheck::Broken(Notice::KioskGone),
                        },
                        None => match api::kiosk_info().await {
                            Ok(info) => KioskCheck::Ready(info),
                            Err(error) if error.code() == Some("no_kiosk") => KioskCheck::No,
                            Err(_) => KioskCheck::Broken(Notice::Network),
                        },
                    };
                    check.set(outcome);
                });
            }
        });
    }
    (*check).clone()
}

#[derive(Properties, PartialEq)]
pub struct KioskStartProps {
    pub lang: Lang,
    pub info: KioskInfo,
    pub on_loaded: Callback<Loaded>,
}

/// A registered kiosk's start page: what happens to the answers, and one button.
#[function_component]
pub fn KioskStart(props: &KioskStartProps) -> Html {
    let t = texts(props.lang);
    let busy = use_state(|| false);
    let problem = use_state(|| None::<Notice>);
    let onclick = {
        let (busy, problem, on_loaded) = (busy.clone(), problem.clone(), props.on_loaded.clone());
        Callback::from(move |_: MouseEvent| {
            if *busy {
                return;
            }
            busy.set(true);
            problem.set(None);
            let (busy, problem, on_loaded) = (busy.clone(), problem.clone(), on_loaded.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match login::kiosk_start().await {
                    Ok(loaded) => on_loaded.emit(loaded),
                    Err(notice) => {
                        busy.set(false);
                        problem.set(Some(notice));
                    }
                }
            });
        })
    };
    let message = problem.as_ref().map(|n| sentence(props.lang, n)).unwrap_or_default();
    html! {
        <section id="kiosk" class="start kiosk" aria-labelledby="start-heading">
            <h1 id="start-heading">{ t.start_heading }</h1>
            <p class="lead">{ t.start_intro }</p>
            <p id="kiosk-intro">{ t.kiosk_intro }</p>
            if props.info.open {
                <button id="kiosk-start" type="button" class="primary" disabled={*busy} {onclick}>
                    { t.kiosk_start }
                </button>
            } else {
                <p id="kiosk-closed" class="note" role="status">{ t.kiosk_closed }</p>
            }
            <p id="kiosk-error" class="error" role="alert">{ message }</p>
            <p id="checking" class="checking" role="status" aria-live="polite">
                { if *busy { t.kiosk_starting } else { "" } }
            </p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::registration_token;

    #[test]
    fn a_kiosk_link_carries_its_token_in_the_fragment_and_nothing_else_counts() {
        assert_eq!(registration_token("#kiosk=abc-DEF_123"), Some("abc-DEF_123"));
        assert_eq!(registration_token("kiosk=abc"), Some("abc"));
        for other in ["", "#", "#kiosk=", "#/staff", "#kiosk=a b", "#kiosk=<script>", "#code=abc"] {
            assert_eq!(registration_token(other), None, "{other}");
        }
        assert_eq!(registration_token(&format!("#kiosk={}", "a".repeat(65))), None);
    }
}
