//! What the staff pages share around their content: the page frame ([`StaffPage`]: the
//! heading, its actions and the problem line), fetching what a page shows ([`use_fetch`]:
//! waiting, the problem in words, reloading), dates in the reader's language, the page's
//! address, printing and asking, text fields that clear an error, and the loading and
//! problem lines.

use super::context::use_staff;
use crate::common::lang::Lang;
use std::future::Future;
use std::rc::Rc;
use yew::prelude::*;

/// `https://host:port`, for links and the cards.
pub fn origin() -> String {
    web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
}

/// A date in the reader's language, from Unix seconds.
pub fn date(lang: Lang, unix: u64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(unix as f64 * 1000.0));
    String::from(date.to_locale_date_string(locale(lang), &wasm_bindgen::JsValue::UNDEFINED))
}

/// A date and time in the reader's language, from Unix seconds.
pub fn date_time(lang: Lang, unix: u64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(unix as f64 * 1000.0));
    String::from(date.to_locale_string(locale(lang), &wasm_bindgen::JsValue::UNDEFINED))
}

fn locale(lang: Lang) -> &'static str {
    // Staff pages are in Swedish or English only (`Lang::STAFF`).
    match lang {
        Lang::Sv => "sv-SE",
        _ => "en-GB",
    }
}

/// An `oninput` that keeps a text field's value in `state` and clears the form's error, as
/// typing again after a refusal should.
pub fn typed_into(state: &UseStateHandle<String>, error: &UseStateHandle<Option<String>>) -> Callback<InputEvent> {
    let (state, error) = (state.clone(), error.clone());
    Callback::from(move |e: InputEvent| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        state.set(input.value());
        error.set(None);
    })
}

/// A select's value into `state`.
pub fn chosen(state: &UseStateHandle<String>) -> Callback<Event> {
    let state = state.clone();
    Callback::from(move |e: Event| {
        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
        state.set(select.value());
    })
}

/// Now, in Unix seconds, by the browser's clock.
pub fn now_unix() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

/// Hands `text` to the browser as a CSV file download named `name`.
pub fn download_csv(name: &str, text: &str) -> Result<(), wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    web_sys::Url::revoke_object_url(&url)
}

/// Opens the browser's print dialog.
pub fn print() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}

/// Asks the browser's own yes/no question; no answer counts as no.
pub fn confirm(question: &str) -> bool {
    web_sys::window().and_then(|w| w.confirm_with_message(question).ok()).unwrap_or(false)
}

/// Text shown while a page fetches what it needs: "Loading…", or the page's own words.
#[derive(Properties, PartialEq)]
pub struct LoadingProps {
    #[prop_or_default]
    pub text: Option<AttrValue>,
}

#[function_component]
pub fn Loading(props: &LoadingProps) -> Html {
    let staff = use_staff();
    let text = props.text.clone().unwrap_or(AttrValue::Static(staff.t().loading));
    html! { <p class="checking" role="status" aria-live="polite">{ text }</p> }
}

/// An error in words, read out at once by screen readers.
#[derive(Properties, PartialEq)]
pub struct ProblemProps {
    pub id: AttrValue,
    pub message: Option<String>,
}

#[function_component]
pub fn Problem(props: &ProblemProps) -> Html {
    html! {
        <p id={props.id.clone()} class="error" role="alert">{ props.message.clone().unwrap_or_default() }</p>
    }
}

#[derive(Properties, PartialEq)]
pub struct StaffPageProps {
    /// The heading's id, which the section is labelled by.
    pub heading_id: AttrValue,
    pub heading: AttrValue,
    /// Classes of the section, such as `narrow`.
    #[prop_or_default]
    pub class: Classes,
    /// Classes of the heading's row, such as `no-print`.
    #[prop_or_default]
    pub head_class: Classes,
    /// Links or buttons beside the heading.
    #[prop_or_default]
    pub actions: Option<Html>,
    /// The id of the page's problem line; without one the page has none of its own (a form
    /// on it may hold its own).
    #[prop_or_default]
    pub problem_id: Option<AttrValue>,
    /// What went wrong, in words.
    #[prop_or_default]
    pub problem: Option<String>,
    #[prop_or_default]
    pub children: Html,
}

/// The frame of every staff page: a section labelled by its heading, the heading's row with
/// any actions, the problem line read out at once, then the page's content.
#[function_component]
pub fn StaffPage(props: &StaffPageProps) -> Html {
    html! {
        <section class={props.class.clone()} aria-labelledby={props.heading_id.clone()}>
            <div class={classes!("page-head", props.head_class.clone())}>
                <h1 id={props.heading_id.clone()}>{ props.heading.clone() }</h1>
                { props.actions.clone().unwrap_or_default() }
            </div>
            if let Some(id) = &props.problem_id {
                <Problem id={id.clone()} message={props.problem.clone()} />
            }
            { props.children.clone() }
        </section>
    }
}

/// What a page fetched, as [`use_fetch`] keeps it. Cloning shares the same state, so a
/// callback can hold one and reload.
pub struct Fetched<T> {
    data: UseStateHandle<Option<Rc<T>>>,
    problem: UseStateHandle<Option<String>>,
    rounds: UseStateHandle<u32>,
}

impl<T> Clone for Fetched<T> {
    fn clone(&self) -> Self {
        Fetched { data: self.data.clone(), problem: self.problem.clone(), rounds: self.rounds.clone() }
    }
}

impl<T> Fetched<T> {
    /// What was fetched, once it came; a reload keeps showing the last until the next comes.
    pub fn data(&self) -> Option<Rc<T>> {
        (*self.data).clone()
    }

    /// Why the last fetch failed, in words.
    pub fn problem(&self) -> Option<String> {
        (*self.problem).clone()
    }

    /// Fetches again, showing what is there meanwhile (a list after a change to a row).
    pub fn reload(&self) {
        self.rounds.set(*self.rounds + 1);
    }

    /// Forgets what was fetched and fetches again, showing the waiting text meanwhile (a
    /// page whose parts hold their own state from what was fetched).
    pub fn restart(&self) {
        self.data.set(None);
        self.problem.set(None);
        self.rounds.set(*self.rounds + 1);
    }

    /// The content made from what was fetched; while waiting, `waiting`; after a failure,
    /// nothing (the page's problem line says why).
    pub fn view(&self, waiting: Html, content: impl FnOnce(&Rc<T>) -> Html) -> Html {
        match (self.data.as_ref(), self.problem.is_some()) {
            (Some(data), _) => content(data),
            (None, false) => waiting,
            (None, true) => Html::default(),
        }
    }
}

/// Fetches what a page shows when it opens, again whenever `deps` change (forgetting what
/// it had) and on [`Fetched::reload`]. `fetch` gives `None` when this page fetches nothing
/// for the person (it then shows something else); its failure is already in words. A
/// fetch that ends after a newer one began is dropped, so the newest always wins.
#[hook]
pub fn use_fetch<T, D, F, Fut>(deps: D, fetch: F) -> Fetched<T>
where
    T: 'static,
    D: PartialEq + Clone + 'static,
    F: FnOnce(&D) -> Option<Fut> + 'static,
    Fut: Future<Output = Result<T, String>> + 'static,
{
    let data = use_state(|| None::<Rc<T>>);
    let problem = use_state(|| None::<String>);
    let rounds = use_state(|| 0u32);
    let latest = use_mut_ref(|| (0u64, None::<D>));
    {
        let (data, problem) = (data.clone(), problem.clone());
        use_effect_with((deps, *rounds), move |(deps, _)| {
            let round = {
                let mut latest = latest.borrow_mut();
                if latest.1.as_ref() != Some(deps) {
                    if latest.1.is_some() {
                        // Something else to fetch: what was shown belongs to the last one.
                        data.set(None);
                        problem.set(None);
                    }
                    latest.1 = Some(deps.clone());
                }
                latest.0 += 1;
                latest.0
            };
            if let Some(future) = fetch(deps) {
                wasm_bindgen_futures::spawn_local(async move {
                    let outcome = future.await;
                    if latest.borrow().0 != round {
                        return;
                    }
                    match outcome {
                        Ok(value) => {
                            data.set(Some(Rc::new(value)));
                            problem.set(None);
                        }
                        Err(message) => problem.set(Some(message)),
                    }
                });
            }
        });
    }
    Fetched { data, problem, rounds }
}
