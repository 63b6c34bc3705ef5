//! The page a child in an anonymous round reads before the first question: nobody will
//! know who answered, why the answers are asked for, and where to get help, since nobody
//! can come to a child whose name nobody knows. Plain and calm, like the help screen.

use crate::child::texts::texts;
use crate::common::lang::Lang;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AnonymousNoticeProps {
    pub lang: Lang,
    /// To the first question.
    pub on_begin: Callback<MouseEvent>,
}

#[function_component]
pub fn AnonymousNotice(props: &AnonymousNoticeProps) -> Html {
    let t = texts(props.lang);
    // The page takes the keyboard focus, so a screen reader starts reading at its heading.
    let heading = crate::common::focus::use_focus_on(());
    html! {
        <section id="anonymous-notice" class="anonymous-notice" aria-labelledby="anonymous-heading">
            <h1 id="anonymous-heading" tabindex="-1" ref={heading}>{ t.anonymous_heading }</h1>
            <p class="lead">{ t.anonymous_nobody }</p>
            <p>{ t.anonymous_why }</p>
            <p id="anonymous-help">{ t.anonymous_help }</p>
            <button id="anonymous-begin" type="button" class="primary" onclick={props.on_begin.clone()}>
                { t.anonymous_start }
            </button>
        </section>
    }
}
