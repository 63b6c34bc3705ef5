//! The printable cards of codes just made: one card per child with the name or note, the
//! code in large letters, the address to start from and a QR code that opens it with the
//! code filled in. The codes exist only in this page's memory; leaving the page forgets
//! them, and the server never had them. So until the cards are printed, the page asks
//! before it is left: the browser's own prompt on closing or reloading the tab
//! (`beforeunload`), and a confirm on a link to another staff page.

use super::context::{use_staff, Card};
use super::page::{confirm, origin, print, StaffPage};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use beratta_core::login::ChildCode;
use gloo::events::{EventListener, EventListenerOptions, EventListenerPhase};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Cards per printed A4 sheet: two columns of four.
const CARDS_PER_SHEET: usize = 8;

/// The address a card's QR code opens: the start page with the code filled in.
fn start_url(origin: &str, code: &ChildCode) -> String {
    format!("{origin}/?code={}", code.display())
}

/// A QR code of `text` as an SVG data URL, which the page's Content-Security-Policy allows
/// as an image.
pub fn qr_image(text: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let svg = code.render::<svg::Color>().min_dimensions(180, 180).quiet_zone(true).build();
    Some(format!("data:image/svg+xml;base64,{}", STANDARD.encode(svg)))
}

#[derive(Properties, PartialEq)]
pub struct CardsProps {
    pub cards: Option<Rc<Vec<Card>>>,
}

#[function_component]
pub fn CardsPage(props: &CardsProps) -> Html {
    let staff = use_staff();
    let t = staff.t();
    let origin = origin();
    let images = {
        let origin = origin.clone();
        use_memo(props.cards.clone(), move |cards| {
            cards.as_ref().map_or_else(Vec::new, |cards| {
                cards.iter().map(|c| qr_image(&start_url(&origin, &c.code))).collect::<Vec<_>>()
            })
        })
    };

    let printed = use_state(|| false);
    {
        // Guards are set while there are cards not yet printed; new cards start unprinted.
        let printed_state = printed.clone();
        use_effect_with(props.cards.clone(), move |_| printed_state.set(false));
    }
    {
        let unprinted = props.cards.as_ref().is_some_and(|c| !c.is_empty()) && !*printed;
        let question = t.cards_leave_confirm;
        use_effect_with(unprinted, move |&unprinted| {
            let guards = unprinted.then(|| leave_guards(question));
            move || drop(guards)
        });
    }

    let Some(cards) = props.cards.as_ref().filter(|c| !c.is_empty()) else {
        return html! {
            <StaffPage class="cards-page" heading_id="cards-heading" heading={t.cards_heading}>
                <p id="cards-none" class="note">{ t.cards_none }</p>
            </StaffPage>
        };
    };

    let sheets = cards.chunks(CARDS_PER_SHEET).enumerate().map(|(sheet, chunk)| {
        html! {
            <div class="sheet">
                { for chunk.iter().enumerate().map(|(i, card)| {
                    let image = images.get(sheet * CARDS_PER_SHEET + i).cloned().flatten();
                    html! {
                        <article class="card">
                            <p class="card-note">{ &card.note }</p>
                            <p class="card-title">{ t.card_title }</p>
                            <p class="card-step">{ t.card_go_to }{ " " }<span class="card-url">{ format!("{origin}/") }</span></p>
                            <p class="card-label">{ t.card_your_code }</p>
                            <p class="card-code">{ card.code.display() }</p>
                            <div class="card-foot">
                                if let Some(src) = image {
                                    <figure class="card-qr">
                                        <img {src} alt={t.card_qr_alt} width="180" height="180" />
                                        <figcaption>{ t.card_or_scan }</figcaption>
                                    </figure>
                                }
                                <p class="card-band">{ (t.band)(&card.band) }</p>
                            </div>
                        </article>
                    }
                }) }
            </div>
        }
    });

    let actions = html! {
        <button id="print-cards" type="button" class="primary"
            onclick={Callback::from(move |_: MouseEvent| { print(); printed.set(true); })}>{ t.print_cards }</button>
    };
    html! {
        <StaffPage class="cards-page" head_class="no-print" heading_id="cards-heading" heading={t.cards_heading} {actions}>
            <p id="cards-warning" class="warning no-print" role="note">{ t.cards_warning }</p>
            <div id="cards">{ for sheets }</div>
        </StaffPage>
    }
}

/// While held: the browser asks before the tab is closed or reloaded, and a click on a
/// link asks `question` and goes nowhere unless confirmed.
fn leave_guards(question: &'static str) -> Option<[EventListener; 2]> {
    let window = web_sys::window()?;
    let document = window.document()?;
    let active = EventListenerOptions { phase: EventListenerPhase::Bubble, passive: false };
    let unload = EventListener::new_with_options(&window, "beforeunload", active, |event| {
        event.prevent_default();
        // Older browsers show the prompt only when `returnValue` is set.
        let _ = js_sys::Reflect::set(event, &"returnValue".into(), &"".into());
    });
    let capture = EventListenerOptions { phase: EventListenerPhase::Capture, passive: false };
    let links = EventListener::new_with_options(&document, "click", capture, move |event| {
        let link = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten());
        if link.is_some() && !confirm(question) {
            event.prevent_default();
            event.stop_propagation();
        }
    });
    Some([unload, links])
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::OsRng;

    #[test]
    fn a_cards_qr_code_opens_the_start_page_with_its_code() {
        let code = ChildCode::generate(&mut OsRng);
        let url = start_url("https://beratta.example", &code);
        assert_eq!(url, format!("https://beratta.example/?code={}", code.display()));
        let image = qr_image(&url).expect("a short address always fits a QR code");
        let svg = STANDARD.decode(image.trim_start_matches("data:image/svg+xml;base64,")).unwrap();
        assert!(String::from_utf8(svg).unwrap().contains("<svg"));
    }
}
