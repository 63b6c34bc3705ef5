//! The idle timeout on the child's pages: after a while without input a calm "Are you still
//! there?" dialog, and if nobody answers it, the session ends.
//!
//! On a shared computer a child may walk away mid-questionnaire; the next person must not
//! find their answers on the screen. The dialog comes first so that a child who is only
//! thinking is not thrown out. Kiosk mode (`/?kiosk=1`, for a school's shared machine) uses
//! much shorter times. Time is measured from timestamps, not by counting timer ticks, because
//! browsers slow timers in background tabs and a sleeping laptop runs none at all: a device
//! that wakes long after the limit ends the session at once.

use crate::child::texts::texts;
use crate::common::lang::Lang;
use gloo::events::{EventListener, EventListenerOptions, EventListenerPhase};
use gloo::timers::callback::Interval;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

/// Without input this long, the dialog asks whether the child is still there.
const WARN_MS: u32 = 10 * 60 * 1_000;
/// Then this long to answer it, before the session ends.
const GRACE_MS: u32 = 2 * 60 * 1_000;
const KIOSK_WARN_MS: u32 = 60 * 1_000;
const KIOSK_GRACE_MS: u32 = 20 * 1_000;
/// The shortest answer time `?idle=` can give: time enough to see and press the button.
const MIN_GRACE_MS: u32 = 2_000;
const MIN_WARN_MS: u32 = 1_000;
/// How often the clock is looked at.
const TICK_MS: u32 = 250;

/// The times in force for this tab.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timing {
    pub warn_ms: u32,
    pub grace_ms: u32,
    /// Kiosk mode: short times, and every way out ends on a fresh start page.
    pub kiosk: bool,
}

impl Timing {
    /// The times for a page opened with `search` (`?kiosk=1`, `?idle=<seconds>`). `idle`
    /// exists for tests and can only shorten the times, never lengthen them, so an address
    /// someone hands a child cannot keep a session open on a shared computer.
    pub fn from_query(search: &str) -> Timing {
        let params = search.trim_start_matches('?').split('&').filter_map(|p| p.split_once('='));
        let (mut kiosk, mut idle_ms) = (false, None);
        for (key, value) in params {
            match key {
                "kiosk" => kiosk = matches!(value, "1" | "true" | "yes"),
                "idle" => {
                    idle_ms = value
                        .parse::<f64>()
                        .ok()
                        .filter(|s| s.is_finite() && *s > 0.0)
                        .map(|s| (s * 1_000.0).min(u32::MAX as f64) as u32)
                }
                _ => {}
            }
        }
        let (warn_ms, grace_ms) = if kiosk { (KIOSK_WARN_MS, KIOSK_GRACE_MS) } else { (WARN_MS, GRACE_MS) };
        match idle_ms {
            None => Timing { warn_ms, grace_ms, kiosk },
            Some(idle) => Timing {
                warn_ms: idle.clamp(MIN_WARN_MS, warn_ms),
                grace_ms: (idle / 4).max(MIN_GRACE_MS).min(grace_ms),
                kiosk,
            },
        }
    }
}

thread_local! {
    /// Read from the address once, when the app starts, and kept for the tab's life: the
    /// address changes later (a used code is taken out of it, a quick exit replaces it).
    static TIMING: Timing = Timing::from_query(
        &web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default(),
    );
}

pub fn timing() -> Timing {
    TIMING.with(|t| *t)
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// What counts as the child being there.
const ACTIVITY: [&str; 7] = ["pointerdown", "pointermove", "keydown", "wheel", "touchstart", "input", "scroll"];

struct Clock {
    last_input: f64,
    /// When the dialog appeared; input does not close it, only its button does.
    warned_at: Option<f64>,
    /// The time ran out and the parent was told; nothing more until it re-arms.
    expired: bool,
}

impl Clock {
    fn fresh() -> Clock {
        Clock { last_input: now(), warned_at: None, expired: false }
    }
}

#[derive(Properties, PartialEq)]
pub struct IdleProps {
    pub lang: Lang,
    /// The clock runs only while this is true; it starts afresh whenever it becomes true.
    pub active: bool,
    /// Ask first (a child is logged in). Without it the time simply runs out, silently.
    pub warn: bool,
    /// The time ran out: end the session (or start over).
    pub on_expire: Callback<()>,
}

/// Watches for input and shows `#idle-warning` when it has been missing too long.
#[function_component]
pub fn IdleGuard(props: &IdleProps) -> Html {
    let timing = timing();
    let clock = use_mut_ref(Clock::fresh);
    let warning = use_state(|| false);
    // The newest callback, so the timer never calls one from an older render.
    let on_expire = use_mut_ref(|| props.on_expire.clone());
    *on_expire.borrow_mut() = props.on_expire.clone();

    // Input of any kind resets the clock, unless the dialog is up.
    {
        let clock = clock.clone();
        use_effect_with((), move |_| {
            let document = gloo::utils::document();
            let options = EventListenerOptions { phase: EventListenerPhase::Capture, passive: true };
            let listeners: Vec<EventListener> = ACTIVITY
                .into_iter()
                .map(|event| {
                    let clock = clock.clone();
                    EventListener::new_with_options(&document, event, options, move |_| {
                        let mut clock = clock.borrow_mut();
                        if clock.warned_at.is_none() {
                            clock.last_input = now();
                        }
                    })
                })
                .collect();
            move || drop(listeners)
        });
    }

    // The clock, looked at a few times a second while active.
    {
        let clock = clock.clone();
        let warning = warning.clone();
        let on_expire = on_expire.clone();
        use_effect_with((props.active, props.warn), move |&(active, warn)| {
            *clock.borrow_mut() = Clock::fresh();
            warning.set(false);
            let interval = active.then(|| {
                Interval::new(TICK_MS, move || {
                    let mut c = clock.borrow_mut();
                    if c.expired {
                        return;
                    }
                    let now = now();
                    let idle = now - c.last_input;
                    let (warn_ms, grace_ms) = (f64::from(timing.warn_ms), f64::from(timing.grace_ms));
                    let out = match c.warned_at {
                        Some(at) => now - at >= grace_ms,
                        // Long past both limits (a sleeping device): no dialog, just out.
                        None => idle >= warn_ms + grace_ms,
                    };
                    if out {
                        // A warned session ends once; a silent clock (a kiosk's idle start
                        // page) starts over, so it runs out again if nobody comes.
                        if warn {
                            c.expired = true;
                        } else {
                            *c = Clock::fresh();
                        }
                        drop(c);
                        warning.set(false);
                        let callback = on_expire.borrow().clone();
                        callback.emit(());
                    } else if warn && c.warned_at.is_none() && idle >= warn_ms {
                        c.warned_at = Some(now);
                        drop(c);
                        warning.set(true);
                    }
                })
            });
            move || drop(interval)
        });
    }

    let on_still_here = {
        let clock = clock.clone();
        let warning = warning.clone();
        Callback::from(move |_: MouseEvent| {
            *clock.borrow_mut() = Clock::fresh();
            warning.set(false);
        })
    };

    if *warning && props.active {
        html! { <IdleWarning lang={props.lang} on_still_here={on_still_here} /> }
    } else {
        Html::default()
    }
}

#[derive(Properties, PartialEq)]
struct WarningProps {
    lang: Lang,
    on_still_here: Callback<MouseEvent>,
}

/// The dialog itself: quiet words, one button, the focus on it and kept there (Tab cannot
/// wander behind the dialog; Escape twice still leaves at once). When it closes, the focus
/// goes back to where the child was.
#[function_component]
fn IdleWarning(props: &WarningProps) -> Html {
    let t = texts(props.lang);
    let button = use_node_ref();
    {
        let button = button.clone();
        use_effect_with((), move |_| {
            let before: Option<Element> = gloo::utils::document().active_element();
            if let Some(button) = button.cast::<HtmlElement>() {
                let _ = button.focus();
            }
            move || {
                if let Some(before) = before.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
                    if before.is_connected() {
                        let _ = before.focus();
                    }
                }
            }
        });
    }
    let onkeydown = {
        let button = button.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Tab" {
                e.prevent_default();
                if let Some(button) = button.cast::<HtmlElement>() {
                    let _ = button.focus();
                }
            }
        })
    };
    html! {
        <div class="idle-backdrop">
            <div id="idle-warning" class="idle-warning" role="alertdialog" aria-modal="true"
                aria-labelledby="idle-heading" aria-describedby="idle-text" {onkeydown}>
                <h2 id="idle-heading">{ t.idle_heading }</h2>
                <p id="idle-text">{ t.idle_text }</p>
                <button id="still-here" type="button" class="primary" ref={button}
                    onclick={props.on_still_here.clone()}>{ t.still_here }</button>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_ten_minutes_then_two() {
        assert_eq!(Timing::from_query(""), Timing { warn_ms: 600_000, grace_ms: 120_000, kiosk: false });
        assert_eq!(Timing::from_query("?code=ABCD"), Timing::from_query(""));
    }

    #[test]
    fn kiosk_warns_after_a_minute_and_leaves_twenty_seconds_later() {
        assert_eq!(Timing::from_query("?kiosk=1"), Timing { warn_ms: 60_000, grace_ms: 20_000, kiosk: true });
        assert!(!Timing::from_query("?kiosk=0").kiosk);
    }

    #[test]
    fn idle_only_shortens() {
        assert_eq!(Timing::from_query("?kiosk=1&idle=3"), Timing { warn_ms: 3_000, grace_ms: 2_000, kiosk: true });
        assert_eq!(Timing::from_query("?idle=40"), Timing { warn_ms: 40_000, grace_ms: 10_000, kiosk: false });
        // Longer than the defaults: the defaults stay.
        assert_eq!(Timing::from_query("?idle=99999"), Timing::from_query(""));
        assert_eq!(Timing::from_query("?kiosk=1&idle=600"), Timing::from_query("?kiosk=1"));
        // Nonsense changes nothing; zero cannot make the dialog skip itself.
        assert_eq!(Timing::from_query("?idle=soon"), Timing::from_query(""));
        assert_eq!(Timing::from_query("?idle=-5"), Timing::from_query(""));
        assert_eq!(Timing::from_query("?idle=0.1").warn_ms, 1_000);
    }
}
