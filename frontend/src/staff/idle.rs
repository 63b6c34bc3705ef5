//! The staff pages' idle timeout: after as long without input as the server's own idle
//! timeout (30 minutes), the page logs out by itself, so the organisation key leaves the
//! tab's memory and its `sessionStorage` copy even if nobody comes back to make a request.
//! Time is measured from timestamps, not by counting timer ticks, because browsers slow
//! timers in background tabs and a sleeping laptop runs none: a device that wakes after the
//! limit logs out at once.

use gloo::events::EventListener;
use gloo::timers::callback::Interval;
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;

/// The server's staff idle timeout (`limits::SESSION_IDLE_SECS`), in milliseconds.
const IDLE_MS: f64 = 30.0 * 60.0 * 1_000.0;
/// How often the clock is looked at.
const TICK_MS: u32 = 1_000;

/// The idle limit for a page opened with `search`. `?idle=<seconds>` exists for tests and
/// can only shorten the limit, never lengthen it.
pub fn limit_ms(search: &str) -> f64 {
    let asked = search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|p| p.split_once('='))
        .find(|(key, _)| *key == "idle")
        .and_then(|(_, value)| value.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        .map(|s| s * 1_000.0);
    asked.map_or(IDLE_MS, |ms| ms.min(IDLE_MS))
}

/// Whether a page whose last input was at `last_input_ms` has been idle too long at `now_ms`.
pub fn is_over(last_input_ms: f64, now_ms: f64, limit_ms: f64) -> bool {
    now_ms - last_input_ms >= limit_ms
}

/// While `active`, calls `on_idle` once the page has had no input for the limit.
#[hook]
pub fn use_idle_logout(active: bool, on_idle: Callback<()>) {
    use_effect_with(active, move |active| {
        let mut held: Option<(Vec<EventListener>, Interval)> = None;
        if let (true, Some(window)) = (*active, web_sys::window()) {
            let limit = limit_ms(&window.location().search().unwrap_or_default());
            let last = Rc::new(Cell::new(js_sys::Date::now()));
            let listeners = ["keydown", "pointerdown", "input", "scroll"]
                .into_iter()
                .map(|event| {
                    let last = last.clone();
                    EventListener::new(&window, event, move |_| last.set(js_sys::Date::now()))
                })
                .collect();
            let fired = Rc::new(Cell::new(false));
            let interval = Interval::new(TICK_MS, move || {
                if !fired.get() && is_over(last.get(), js_sys::Date::now(), limit) {
                    fired.set(true);
                    on_idle.emit(());
                }
            });
            held = Some((listeners, interval));
        }
        move || drop(held)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_idle_limit_is_the_servers_and_a_test_can_only_shorten_it() {
        assert_eq!(limit_ms(""), IDLE_MS);
        assert_eq!(limit_ms("?idle=2"), 2_000.0);
        assert_eq!(limit_ms("?x=1&idle=0.5"), 500.0);
        assert_eq!(limit_ms("?idle=999999"), IDLE_MS);
        for bad in ["?idle=-1", "?idle=0", "?idle=NaN", "?idle=soon"] {
            assert_eq!(limit_ms(bad), IDLE_MS, "{bad}");
        }
    }

    #[test]
    fn a_page_is_idle_once_the_limit_has_passed_since_the_last_input() {
        assert!(!is_over(1_000.0, 2_999.0, 2_000.0));
        assert!(is_over(1_000.0, 3_000.0, 2_000.0));
        // A laptop that slept through the limit logs out at the first tick after waking.
        assert!(is_over(0.0, 10.0 * IDLE_MS, IDLE_MS));
    }
}
