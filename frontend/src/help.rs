//! Where to get help now, shown calmly once the core's scoring says an answer means the
//! child may be in danger (an acute factor).

use crate::i18n::Lang;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HelpNowProps {
    pub lang: Lang,
}

#[function_component]
pub fn HelpNow(props: &HelpNowProps) -> Html {
    let t = props.lang.texts();
    html! {
        <aside id="help-now" class="help-now" aria-labelledby="help-now-heading">
            <h2 id="help-now-heading">{ t.help_heading }</h2>
            <p>{ t.help_danger }</p>
            <p>{ t.help_bris }</p>
            <p>{ t.help_school }</p>
        </aside>
    }
}
