//! The progress bar: how far through the questionnaire the child is, as the core's
//! `SessionView::progress` says, for the eye and for screen readers.

use crate::child::texts::texts;
use crate::common::lang::Lang;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ProgressProps {
    pub lang: Lang,
    /// From 0 to 1.
    pub progress: f32,
}

/// The share as a whole percentage, kept within 0..=100 whatever comes in.
pub fn percent(progress: f32) -> u8 {
    if progress.is_nan() {
        return 0;
    }
    (progress.clamp(0.0, 1.0) * 100.0).round() as u8
}

#[function_component]
pub fn Progress(props: &ProgressProps) -> Html {
    let t = texts(props.lang);
    let percent = percent(props.progress);
    let done = (t.progress_done)(percent);
    // The bar is a native <progress> element, which needs no inline style (the CSP forbids
    // them); the ARIA progressbar around it carries the value for assistive technology.
    html! {
        <div class="progress">
            <div id="progress" role="progressbar" aria-label={t.progress_name}
                aria-valuemin="0" aria-valuemax="100"
                aria-valuenow={percent.to_string()} aria-valuetext={done.clone()}>
                <progress max="100" value={percent.to_string()} aria-hidden="true"></progress>
            </div>
            <span class="progress-label" aria-hidden="true">{ done }</span>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::percent;

    #[test]
    fn percent_is_rounded_and_kept_in_range() {
        assert_eq!(percent(0.0), 0);
        assert_eq!(percent(0.404), 40);
        assert_eq!(percent(0.996), 100);
        assert_eq!(percent(1.5), 100);
        assert_eq!(percent(-0.1), 0);
        assert_eq!(percent(f32::NAN), 0);
    }
}
