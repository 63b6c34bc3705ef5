//! The staff app's frame: [`Root`], which the `beratta-staff` binary renders at `/staff/` and
//! which follows the fragment, and [`StaffApp`], the one switch over [`Route`] with the
//! header around every page. A reload first restores the login this tab kept (`keep`);
//! a page left idle as long as the server's timeout logs out by itself (`idle`).

use super::cards::CardsPage;
use super::context::{use_staff, Card, LoginNotice, SignedIn, Staff};
use super::page::Loading;
use super::route::{current_fragment, go, Route};
use super::texts::texts;
use super::{
    admin, audit, children, enrol, idle, invite, keep, kiosks, login, picture, recover, resources, rounds, setup,
    statistics_key, summary,
};
use crate::common::api;
use crate::common::lang::Lang;
use std::rc::Rc;
use yew::prelude::*;

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
    // A reload of a page this tab was logged in on: the kept key is opened before any page
    // (or the login form) shows.
    let restoring = use_state(keep::has_kept);
    let route = props.route.clone();

    {
        let (signed_in, restoring, username_hint, lang) =
            (signed_in.clone(), restoring.clone(), username_hint.clone(), *lang);
        use_effect_with((), move |_| {
            if *restoring {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Some(person) = keep::restore(lang).await {
                        username_hint.set(person.session.username.clone());
                        signed_in.set(Some(Rc::new(person)));
                    }
                    restoring.set(false);
                });
            }
        });
    }

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
            keep::keep(&person);
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
            keep::forget();
            signed_in.set(None);
            notice.set(Some(LoginNotice::SessionEnded));
        })
    };
    // Idle as long as the server's timeout: log out here too, so the key leaves the tab.
    let on_idle = {
        let signed_in = signed_in.clone();
        let notice = notice.clone();
        use_callback((), move |_: (), _| {
            keep::forget();
            signed_in.set(None);
            notice.set(Some(LoginNotice::SessionEnded));
            wasm_bindgen_futures::spawn_local(async {
                if let Err(error) = api::staff_logout().await {
                    crate::common::log::log(&format!("logout did not reach the server: {error:?}"));
                }
            });
        })
    };
    idle::use_idle_logout(signed_in.is_some(), on_idle);
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
            keep::forget();
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
        (Route::Recover, _) => html! { <recover::RecoverPage /> },
        (_, None) if *restoring => html! { <Loading /> },
        (_, None) => html! { <login::LoginPage notice={*notice} username={(*username_hint).clone()} /> },
        (Route::Home, Some(_)) => html! { <children::ChildrenPage /> },
        (Route::Invite, Some(_)) => html! { <invite::InvitePage /> },
        (Route::InviteInto(round), Some(_)) => html! { <invite::InvitePage round={Some(round.clone())} /> },
        (Route::Rounds, Some(_)) => html! { <rounds::RoundsPage /> },
        (Route::Round(id), Some(_)) => html! { <rounds::RoundPageView id={id.clone()} /> },
        (Route::Cards, Some(_)) => html! { <CardsPage cards={(*cards).clone()} /> },
        (Route::Child(id), Some(_)) => html! { <summary::SummaryPage id={id.clone()} print={false} /> },
        (Route::ChildPrint(id), Some(_)) => html! { <summary::SummaryPage id={id.clone()} print={true} /> },
        (Route::AdminStaff, Some(_)) => html! { <admin::StaffListPage /> },
        (Route::AdminUnits, Some(_)) => html! { <admin::UnitsPage /> },
        (Route::AdminAudit, Some(_)) => html! { <audit::AuditPage /> },
        (Route::AdminStatisticsKey, Some(_)) => html! { <statistics_key::StatisticsKeyPage /> },
        (Route::AdminKiosks, Some(_)) => html! { <kiosks::KiosksPage /> },
        (Route::Picture, Some(_)) => html! { <picture::GroupPicturePage /> },
        (Route::Resources, Some(_)) => html! { <resources::ResourcesPage /> },
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
            || matches!(
                (&props.route, &route),
                (Route::Child(_), Route::Home)
                    | (Route::Cards, Route::Invite)
                    | (Route::InviteInto(_), Route::Invite)
                    | (Route::Round(_), Route::Rounds)
            );
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
            if let Some(person) =
                staff.signed_in.as_ref().filter(|p| p.reads_children() || p.is_admin() || p.statistics_key.is_some())
            {
                <nav class="staff-nav" aria-label={t.main_menu}>
                    <ul>
                        if person.reads_children() {
                            { link(Route::Home, t.nav_children) }
                            { link(Route::Invite, t.nav_invite) }
                            { link(Route::Rounds, t.rounds.nav) }
                        }
                        if person.statistics_key.is_some() {
                            { link(Route::Picture, t.picture.nav) }
                        }
                        { link(Route::Resources, t.needs.nav) }
                        if person.is_admin() {
                            { link(Route::AdminStaff, t.nav_staff) }
                            { link(Route::AdminUnits, t.nav_units) }
                            { link(Route::AdminAudit, t.nav_audit) }
                            { link(Route::AdminStatisticsKey, t.statistics.nav) }
                            { link(Route::AdminKiosks, t.kiosks.nav) }
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
