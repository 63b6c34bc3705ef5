//! The finish page: a warm thank-you, who reads the answers next (nobody, in an anonymous
//! round), and the way back to change them or to log out (at a kiosk: "Done", which leaves
//! nothing on the screen).

use crate::child::idle;
use crate::child::texts::texts;
use crate::common::lang::Lang;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FinishProps {
    pub lang: Lang,
    pub on_back: Callback<MouseEvent>,
    pub on_logout: Callback<MouseEvent>,
    pub leaving: bool,
    /// An anonymous round: no adult reads this child's answers.
    pub anonymous: bool,
}

#[function_component]
pub fn FinishPage(props: &FinishProps) -> Html {
    let t = texts(props.lang);
    let kiosk = idle::timing().kiosk;
    let (leave_note, leave_button) = if kiosk { (t.finish_kiosk, t.kiosk_done) } else { (t.finish_logout, t.logout) };
    let heading = crate::common::focus::use_focus_on(());
    html! {
        <section id="finish" class="finish">
            <h1 tabindex="-1" ref={heading}>{ t.finish_heading }</h1>
            <p id="finish-reader" class="lead">{ if props.anonymous { t.finish_anonymous } else { t.finish_reader } }</p>
            <p>{ t.finish_change }</p>
            <div class="nav">
                <button id="back" type="button" class="secondary" onclick={props.on_back.clone()}>
                    <span aria-hidden="true">{ props.lang.back_arrow() }</span>{ t.finish_back }
                </button>
            </div>
            <p>{ leave_note }</p>
            <button id="logout" type="button" class="primary" disabled={props.leaving}
                onclick={props.on_logout.clone()}>{ leave_button }</button>
        </section>
    }
}
