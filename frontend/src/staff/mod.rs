//! The staff side of the app: logging in, the organisation's set-up, colleagues' enrolment,
//! inviting children, printing their cards, reading a child's summary and the
//! administrator's pages. Routes live in the URL fragment (`#/staff/…`), which browsers
//! never send to a server, so a key in an enrolment link stays in the browser.
//!
//! The organisation's secret key is opened at login and held only in memory, in the
//! [`Staff`] context; a reload or a logout forgets it. [`Route`] is every staff page and
//! [`StaffApp`] holds the one switch over it; [`Root`] is what the `beratta-staff` binary
//! renders at `/staff/`, and follows the fragment.

mod admin;
mod cards;
mod children;
mod enrol;
mod invite;
mod keys;
mod login;
mod setup;
mod summary;
mod texts;

use crate::common::api;
use crate::common::lang::Lang;
use beratta_core::api::{Role, StaffSession};
use beratta_core::envelope::{OrgPublicKey, OrgSecretKey};
use cards::{Card, CardsPage};
use std::rc::Rc;
pub use texts::{texts, Texts};
use yew::prelude::*;

/// Every staff page, as named by the URL fragment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// `#/staff`: the login, then the list of children.
    Home,
    /// `#/setup/<token>`: the first administrator sets up the organisation.
    Setup(String),
    /// `#/enrol/<token>.<key>`: a new colleague chooses a password.
    Enrol { token: String, key: String },
    /// `#/staff/invite`.
    Invite,
    /// `#/staff/cards`: the codes just made, for printing.
    Cards,
    /// `#/staff/child/<id>`: one child's summary.
    Child(String),
    /// `#/staff/child/<id>/print`: the same, for paper.
    ChildPrint(String),
    /// `#/admin/staff`.
    AdminStaff,
    /// `#/admin/units`.
    AdminUnits,
    /// `#/admin/audit`.
    AdminAudit,
    /// A staff address that names no page.
    Unknown,
}

impl Route {
    /// The staff page a fragment names, or `None` for the child's app (no fragment, or one
    /// that is not a staff path).
    pub fn parse(fragment: &str) -> Option<Route> {
        let path = fragment.strip_prefix('#').unwrap_or(fragment);
        let path = path.strip_prefix('/')?;
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let route = match parts.as_slice() {
            ["staff"] => Route::Home,
            ["staff", "invite"] => Route::Invite,
            ["staff", "cards"] => Route::Cards,
            ["staff", "child", id] => Route::Child(id.to_string()),
            ["staff", "child", id, "print"] => Route::ChildPrint(id.to_string()),
            ["setup", token] => Route::Setup(token.to_string()),
            ["enrol", link] => match link.split_once('.') {
                Some((token, key)) => Route::Enrol { token: token.to_string(), key: key.to_string() },
                None => Route::Enrol { token: link.to_string(), key: String::new() },
            },
            ["admin", "staff"] => Route::AdminStaff,
            ["admin", "units"] => Route::AdminUnits,
            ["admin", "audit"] => Route::AdminAudit,
            ["staff" | "admin", ..] => Route::Unknown,
            _ => return None,
        };
        Some(route)
    }

    /// The fragment that names this page.
    pub fn fragment(&self) -> String {
        match self {
            Route::Home => "#/staff".into(),
            Route::Setup(token) => format!("#/setup/{token}"),
            Route::Enrol { token, key } => format!("#/enrol/{token}.{key}"),
            Route::Invite => "#/staff/invite".into(),
            Route::Cards => "#/staff/cards".into(),
            Route::Child(id) => format!("#/staff/child/{id}"),
            Route::ChildPrint(id) => format!("#/staff/child/{id}/print"),
            Route::AdminStaff => "#/admin/staff".into(),
            Route::AdminUnits => "#/admin/units".into(),
            Route::AdminAudit => "#/admin/audit".into(),
            Route::Unknown => "#/staff".into(),
        }
    }
}

/// Goes to another staff page. `replace` drops the current page from the tab's history,
/// for links that carry a one-time token or key.
pub fn go(route: &Route, replace: bool) {
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    if replace {
        let _ = location.replace(&route.fragment());
    } else {
        let _ = location.set_hash(&route.fragment());
    }
}

/// `https://host:port`, for links and the cards.
pub fn origin() -> String {
    web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
}

/// A staff member who has logged in in this tab, with the organisation key opened.
pub struct SignedIn {
    pub session: StaffSession,
    pub org_key: OrgSecretKey,
    pub org_public: OrgPublicKey,
}

impl SignedIn {
    pub fn new(session: StaffSession, org_key: OrgSecretKey) -> SignedIn {
        let org_public = org_key.public_key();
        SignedIn { session, org_key, org_public }
    }

    pub fn is_admin(&self) -> bool {
        self.session.role == Role::Administrator
    }

    /// May read and invite individual children (an analyst may not).
    pub fn reads_children(&self) -> bool {
        matches!(self.session.role, Role::Administrator | Role::Staff)
    }
}

/// What every staff page can reach: the language, who is signed in, and the ways to
/// change that.
#[derive(Clone)]
pub struct Staff {
    pub lang: Lang,
    pub signed_in: Option<Rc<SignedIn>>,
    pub on_signed_in: Callback<Rc<SignedIn>>,
    /// The server says the session is over: forget the key and ask for the password.
    pub on_signed_out: Callback<()>,
    /// Codes just made, for the cards page only.
    pub on_cards: Callback<Rc<Vec<Card>>>,
    /// Someone has just chosen a password (set-up or enrolment): the login comes next, with
    /// their username filled in.
    pub on_password_chosen: Callback<String>,
}

impl PartialEq for Staff {
    fn eq(&self, other: &Self) -> bool {
        let same_person = match (&self.signed_in, &other.signed_in) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        self.lang == other.lang
            && same_person
            && self.on_signed_in == other.on_signed_in
            && self.on_signed_out == other.on_signed_out
            && self.on_cards == other.on_cards
            && self.on_password_chosen == other.on_password_chosen
    }
}

impl Staff {
    pub fn t(&self) -> &'static Texts {
        texts(self.lang)
    }

    /// A failed call as a sentence; a lost session also signs out here.
    pub fn failure(&self, error: &api::ApiError) -> String {
        if error.is_signed_out() {
            self.on_signed_out.emit(());
        }
        self.t().api_error(error)
    }
}

/// The context of every staff page. Panics only if a page is used outside [`StaffApp`],
/// which is a programming error.
#[hook]
pub fn use_staff() -> Staff {
    use_context::<Staff>().expect("staff pages are rendered inside StaffApp")
}

/// Why the login page is shown, when it has something to say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoginNotice {
    SessionEnded,
    PasswordChosen,
}

/// The URL fragment, `#…` included; never sent to the server.
fn current_fragment() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// The staff app's root at `/staff/`: the page the fragment names, followed as it changes.
/// No fragment, or one that is not a staff page, is the staff home (the login first).
#[function_component]
pub fn Root() -> Html {
    let fragment = use_state(current_fragment);
    {
        let current = fragment.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|window| {
                gloo::events::EventListener::new(&window, "hashchange", move |_| current.set(current_fragment()))
            });
            move || drop(listener)
        });
    }
    let route = Route::parse(&fragment).unwrap_or(Route::Home);
    html! { <StaffApp {route} /> }
}

#[derive(Properties, PartialEq)]
pub struct StaffAppProps {
    pub route: Route,
}

#[function_component]
pub fn StaffApp(props: &StaffAppProps) -> Html {
    let lang = use_state(Lang::default);
    let signed_in = use_state(|| None::<Rc<SignedIn>>);
    let notice = use_state(|| None::<LoginNotice>);
    let username_hint = use_state(String::new);
    let cards = use_state(|| None::<Rc<Vec<Card>>>);
    let leaving = use_state(|| false);
    let route = props.route.clone();

    // The codes live only while their page is shown: leaving it forgets them for good.
    {
        let cards = cards.clone();
        use_effect_with(route.clone(), move |route| {
            if *route != Route::Cards && cards.is_some() {
                cards.set(None);
            }
        });
    }

    use_effect_with(*lang, |lang| {
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            if let Some(root) = document.document_element() {
                let _ = root.set_attribute("lang", lang.code());
            }
            document.set_title(texts(*lang).page_title);
        }
    });

    let on_signed_in = {
        let signed_in = signed_in.clone();
        let notice = notice.clone();
        let username_hint = username_hint.clone();
        use_callback((), move |person: Rc<SignedIn>, _| {
            notice.set(None);
            // Kept for the login that follows if the server ends this session.
            username_hint.set(person.session.username.clone());
            signed_in.set(Some(person));
        })
    };
    let on_signed_out = {
        let signed_in = signed_in.clone();
        let notice = notice.clone();
        use_callback((), move |_: (), _| {
            signed_in.set(None);
            notice.set(Some(LoginNotice::SessionEnded));
        })
    };
    let on_cards = {
        let cards = cards.clone();
        use_callback((), move |made: Rc<Vec<Card>>, _| cards.set(Some(made)))
    };
    let on_password_chosen = {
        let notice = notice.clone();
        let username_hint = username_hint.clone();
        use_callback((), move |username: String, _| {
            username_hint.set(username);
            notice.set(Some(LoginNotice::PasswordChosen));
        })
    };
    let context = Staff {
        lang: *lang,
        signed_in: (*signed_in).clone(),
        on_signed_in,
        on_signed_out,
        on_cards,
        on_password_chosen,
    };

    let on_lang = {
        let lang = lang.clone();
        Callback::from(move |l: Lang| lang.set(l))
    };
    let on_logout = {
        let signed_in = signed_in.clone();
        let notice = notice.clone();
        let username_hint = username_hint.clone();
        let leaving = leaving.clone();
        Callback::from(move |_: MouseEvent| {
            if *leaving {
                return;
            }
            leaving.set(true);
            let signed_in = signed_in.clone();
            let notice = notice.clone();
            let username_hint = username_hint.clone();
            let leaving = leaving.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(error) = api::staff_logout().await {
                    crate::common::log::log(&format!("logout did not reach the server: {error:?}"));
                }
                // The key goes with the last reference to it, whatever the server said.
                signed_in.set(None);
                notice.set(None);
                username_hint.set(String::new());
                leaving.set(false);
                go(&Route::Home, false);
            });
        })
    };

    let person = (*signed_in).clone();
    let page = match (&route, &person) {
        (Route::Setup(token), _) => html! { <setup::SetupPage token={token.clone()} /> },
        (Route::Enrol { token, key }, _) => html! { <enrol::EnrolPage token={token.clone()} link_key={key.clone()} /> },
        (_, None) => html! { <login::LoginPage notice={*notice} username={(*username_hint).clone()} /> },
        (Route::Home, Some(_)) => html! { <children::ChildrenPage /> },
        (Route::Invite, Some(_)) => html! { <invite::InvitePage /> },
        (Route::Cards, Some(_)) => html! { <CardsPage cards={(*cards).clone()} /> },
        (Route::Child(id), Some(_)) => html! { <summary::SummaryPage id={id.clone()} print={false} /> },
        (Route::ChildPrint(id), Some(_)) => html! { <summary::SummaryPage id={id.clone()} print={true} /> },
        (Route::AdminStaff, Some(_)) => html! { <admin::StaffPage /> },
        (Route::AdminUnits, Some(_)) => html! { <admin::UnitsPage /> },
        (Route::AdminAudit, Some(_)) => html! { <admin::AuditPage /> },
        (Route::Unknown, Some(_)) => html! { <p class="notice" role="status">{ context.t().no_such_page }</p> },
    };
    // The print view is paper only: no header, no navigation.
    let bare = matches!(route, Route::ChildPrint(_)) && person.is_some();
    let main_class = if bare { "page staff-page print-page" } else { "page staff-page" };

    html! {
        <ContextProvider<Staff> context={context.clone()}>
            if !bare {
                <Header route={route.clone()} {on_lang} on_logout={on_logout} leaving={*leaving} />
            }
            <main id="main" class={main_class}>{ page }</main>
        </ContextProvider<Staff>>
    }
}

#[derive(Properties, PartialEq)]
struct HeaderProps {
    route: Route,
    on_lang: Callback<Lang>,
    on_logout: Callback<MouseEvent>,
    leaving: bool,
}

/// The staff header: the organisation, the menu, the person, the language and logout.
#[function_component]
fn Header(props: &HeaderProps) -> Html {
    let staff = use_staff();
    let t = staff.t();
    let link = |route: Route, label: &'static str| {
        // A child's summary belongs under the children, the cards under inviting.
        let current = props.route == route
            || matches!((&props.route, &route), (Route::Child(_), Route::Home) | (Route::Cards, Route::Invite));
        html! {
            <li>
                <a href={route.fragment()} aria-current={if current { Some("page") } else { None }}>{ label }</a>
            </li>
        }
    };
    html! {
        <header class="top staff-top">
            <span class="brand">{ "Berätta" }<span class="brand-sub">{ t.staff_area }</span></span>
            if let Some(person) = &staff.signed_in {
                <span id="staff-organisation" class="org-name">{ &person.session.organisation_name }</span>
            }
            if let Some(person) = staff.signed_in.as_ref().filter(|p| p.reads_children() || p.is_admin()) {
                <nav class="staff-nav" aria-label={t.main_menu}>
                    <ul>
                        if person.reads_children() {
                            { link(Route::Home, t.nav_children) }
                            { link(Route::Invite, t.nav_invite) }
                        }
                        if person.is_admin() {
                            { link(Route::AdminStaff, t.nav_staff) }
                            { link(Route::AdminUnits, t.nav_units) }
                            { link(Route::AdminAudit, t.nav_audit) }
                        }
                    </ul>
                </nav>
            }
            <div class="staff-tools">
                if let Some(person) = &staff.signed_in {
                    <span id="staff-user" class="staff-user">
                        <span class="visually-hidden">{ t.signed_in_as }{ " " }</span>
                        { &person.session.display_name }
                        <span class="staff-role">{ t.role(person.session.role) }</span>
                    </span>
                }
                <div class="lang-switch" role="group" aria-label={t.language}>
                    { for Lang::STAFF.into_iter().map(|l| {
                        let on_lang = props.on_lang.clone();
                        html! {
                            <button type="button" id={format!("staff-lang-{}", l.code())} lang={l.code()}
                                aria-pressed={if l == staff.lang { "true" } else { "false" }}
                                onclick={Callback::from(move |_: MouseEvent| on_lang.emit(l))}>
                                { l.own_name() }
                            </button>
                        }
                    }) }
                </div>
                if staff.signed_in.is_some() {
                    <button id="staff-logout" type="button" class="secondary logout" disabled={props.leaving}
                        onclick={props.on_logout.clone()}>
                        { if props.leaving { t.logging_out } else { t.logout } }
                    </button>
                }
            </div>
        </header>
    }
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

/// Now, in Unix seconds, by the browser's clock.
pub fn now_unix() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
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

/// Text shown while a page fetches what it needs.
#[function_component]
pub fn Loading() -> Html {
    let staff = use_staff();
    html! { <p class="checking" role="status" aria-live="polite">{ staff.t().loading }</p> }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_staff_fragment_names_its_page_and_back() {
        let routes = [
            Route::Home,
            Route::Setup("tok".into()),
            Route::Enrol { token: "tok".into(), key: "key".into() },
            Route::Invite,
            Route::Cards,
            Route::Child("as-1".into()),
            Route::ChildPrint("as-1".into()),
            Route::AdminStaff,
            Route::AdminUnits,
            Route::AdminAudit,
        ];
        for route in routes {
            assert_eq!(Route::parse(&route.fragment()), Some(route.clone()), "{route:?}");
        }
    }

    #[test]
    fn the_child_app_keeps_every_address_that_is_not_a_staff_page() {
        for fragment in ["", "#", "#main", "#/", "#/other"] {
            assert_eq!(Route::parse(fragment), None, "{fragment}");
        }
        assert_eq!(Route::parse("#/staff/nothing"), Some(Route::Unknown));
        assert_eq!(Route::parse("#/staff/"), Some(Route::Home));
    }

    #[test]
    fn an_enrolment_link_splits_into_token_and_key() {
        assert_eq!(
            Route::parse("#/enrol/AbC-_1.xYz"),
            Some(Route::Enrol { token: "AbC-_1".into(), key: "xYz".into() })
        );
    }
}
