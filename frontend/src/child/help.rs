//! Where to get help now, shown calmly once the core's scoring says an answer means the
//! child may be in danger (an acute factor): a page of its own right after such an answer,
//! and a small reminder beside every later page.

use crate::child::texts::texts;
use crate::common::lang::Lang;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HelpNowProps {
    pub lang: Lang,
}

#[function_component]
pub fn HelpNow(props: &HelpNowProps) -> Html {
    let t = texts(props.lang);
    html! {
        <aside id="help-now" class="help-now" aria-labelledby="help-now-heading">
            <h2 id="help-now-heading">{ t.help_heading }</h2>
            <p>{ t.help_danger }</p>
            <p>{ t.help_bris }</p>
            <p>{ t.help_kompis }</p>
            <p>{ t.help_school }</p>
        </aside>
    }
}

#[derive(Properties, PartialEq)]
pub struct HelpScreenProps {
    pub lang: Lang,
    /// An anonymous round: no adult reads the answers, so the page does not say one will.
    #[prop_or_default]
    pub anonymous: bool,
    /// Back to the questions, at the one after the answer that brought this page.
    pub on_go_on: Callback<MouseEvent>,
    /// Stop for now: the answers are saved first, then the child is logged out.
    pub on_stop: Callback<MouseEvent>,
    /// Stopping is under way, so neither choice can be made twice.
    pub leaving: bool,
}

/// The page shown right after an answer that means the child may be in danger now. It
/// thanks them, says where help is, and lets them choose to go on or to stop; their answer is
/// saved either way. It is warm and quiet on purpose: no alarm colours, nothing that
/// shouts, so that telling never feels like setting something off.
#[function_component]
pub fn HelpScreen(props: &HelpScreenProps) -> Html {
    let t = texts(props.lang);

    // The page takes the keyboard focus, so a screen reader starts reading at its heading.
    let heading = crate::common::focus::use_focus_on(());

    html! {
        <section id="help-screen" class="help-screen" aria-labelledby="help-screen-heading">
            <h1 id="help-screen-heading" tabindex="-1" ref={heading}>{ t.help_screen_heading }</h1>
            <p class="lead">{ t.help_screen_not_alone }</p>
            <h2>{ t.help_screen_where }</h2>
            <ul class="help-places">
                { for t.help_screen_places.iter().map(|(who, how)| html! {
                    <li>
                        <span class="help-who">{ *who }</span>
                        <span class="help-how">{ *how }</span>
                    </li>
                }) }
            </ul>
            <p>{ if props.anonymous { t.help_screen_anonymous } else { t.help_screen_reader } }</p>
            <p>{ t.help_screen_choice }</p>
            <div class="help-choices">
                <button id="help-go-on" type="button" class="primary" disabled={props.leaving}
                    onclick={props.on_go_on.clone()}>{ t.help_go_on }</button>
                <button id="help-stop" type="button" class="secondary" disabled={props.leaving}
                    onclick={props.on_stop.clone()}>{ t.help_stop }</button>
            </div>
            <p class="checking" role="status" aria-live="polite">
                { if props.leaving { t.stopping } else { "" } }
            </p>
        </section>
    }
}
