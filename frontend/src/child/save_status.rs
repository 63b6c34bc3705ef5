//! The save indicator: tells, quietly, whether the latest answers are on the server.

use crate::child::state::SaveState;
use crate::child::texts::texts;
use crate::common::lang::Lang;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SaveStatusProps {
    pub lang: Lang,
    pub state: SaveState,
}

#[function_component]
pub fn SaveStatus(props: &SaveStatusProps) -> Html {
    let t = texts(props.lang);
    let text = match props.state {
        SaveState::Saving => t.saving,
        SaveState::Saved => t.saved,
        SaveState::Offline => t.offline,
    };
    html! {
        <p id="save-status" class="save-status" data-state={props.state.name()} role="status" aria-live="polite">
            { text }
        </p>
    }
}
