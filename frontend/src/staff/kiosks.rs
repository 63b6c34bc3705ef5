//! The administrator's kiosks (`#/admin/kiosks`): the organisation's kiosks with their
//! state, a form that makes one for an anonymous round, and the one-time link (with a QR
//! code, for a tablet) to open in the kiosk's browser. Taking a kiosk out of use asks first.
//! Nothing here reads an answer: a kiosk's answers are anonymous.

use super::cards::qr_image;
use super::context::use_staff;
use super::page::{chosen, confirm, date_time, now_unix, origin, typed_into, use_fetch, Loading, StaffPage};
use super::route::Route;
use crate::common::api;
use beratta_core::api::{Kiosk, NewKiosk, RoundMode};
use yew::prelude::*;

/// The address a kiosk's browser opens once: kiosk mode, and the token in the fragment,
/// which is never sent to a server or kept in its logs.
fn kiosk_link(origin: &str, token: &str) -> String {
    format!("{origin}/?kiosk=1#kiosk={token}")
}

#[function_component]
pub fn KiosksPage() -> Html {
    let staff = use_staff();
    let t = staff.t();
    let k = t.kiosks;
    let is_admin = staff.signed_in.as_ref().is_some_and(|p| p.is_admin());
    let kiosks = {
        let staff = staff.clone();
        use_fetch((), move |_| is_admin.then_some(async move { api::kiosks().await.map_err(|e| staff.failure(&e)) }))
    };
    let rounds = {
        let staff = staff.clone();
        use_fetch((), move |_| {
            is_admin.then_some(async move {
                let mut list = api::rounds().await.map_err(|e| staff.failure(&e))?;
                list.retain(|r| r.mode == RoundMode::Anonymous);
                Ok(list)
            })
        })
    };
    let name = use_state(String::new);
    let round = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let notice = use_state(|| None::<String>);
    let link = use_state(|| None::<(String, String)>);
    if !is_admin {
        return html! { <p class="note" role="status">{ t.admin_only }</p> };
    }
    let round_list = rounds.data().unwrap_or_default();
    // The chosen round, or the first anonymous one until another is chosen.
    let chosen_round = round_list
        .iter()
        .find(|r| r.round_id == *round)
        .or(round_list.first())
        .map(|r| r.round_id.clone())
        .unwrap_or_default();

    let onsubmit = {
        let (name, busy, error, notice, link, kiosks, staff) =
            (name.clone(), busy.clone(), error.clone(), notice.clone(), link.clone(), kiosks.clone(), staff.clone());
        let chosen_round = chosen_round.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy || chosen_round.is_empty() {
                return;
            }
            let typed = name.trim().to_string();
            if typed.is_empty() {
                error.set(Some(staff.t().kiosks.name_missing.to_string()));
                return;
            }
            busy.set(true);
            error.set(None);
            notice.set(None);
            let new = NewKiosk { name: typed, round: chosen_round.clone() };
            let (name, busy, error, link, kiosks, staff) =
                (name.clone(), busy.clone(), error.clone(), link.clone(), kiosks.clone(), staff.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::create_kiosk(&new).await {
                    Ok(made) => {
                        name.set(String::new());
                        link.set(Some((made.kiosk.name, kiosk_link(&origin(), &made.token))));
                        kiosks.reload();
                    }
                    Err(e) => error.set(Some(staff.failure(&e))),
                }
                busy.set(false);
            });
        })
    };
    let on_revoke = {
        let (busy, error, notice, link, kiosks, staff) =
            (busy.clone(), error.clone(), notice.clone(), link.clone(), kiosks.clone(), staff.clone());
        Callback::from(move |kiosk: Kiosk| {
            if *busy || !confirm(&(staff.t().kiosks.revoke_confirm)(&kiosk.name)) {
                return;
            }
            busy.set(true);
            error.set(None);
            let (busy, error, notice, link, kiosks, staff) =
                (busy.clone(), error.clone(), notice.clone(), link.clone(), kiosks.clone(), staff.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::revoke_kiosk(&kiosk.kiosk_id).await {
                    Ok(gone) => {
                        notice.set(Some((staff.t().kiosks.revoked_notice)(&gone.name)));
                        link.set(None);
                        kiosks.reload();
                    }
                    Err(e) => error.set(Some(staff.failure(&e))),
                }
                busy.set(false);
            });
        })
    };

    let round_name = |id: &str| round_list.iter().find(|r| r.round_id == id).map_or(id.to_string(), |r| r.name.clone());
    let now = now_unix();
    let table = kiosks.view(html! { <Loading /> }, |list| {
        if list.is_empty() {
            return html! { <p id="no-kiosks" class="note">{ k.none }</p> };
        }
        html! {
            <div class="table-wrap">
                <table id="kiosks" class="data">
                    <caption class="visually-hidden">{ k.heading }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ k.col_name }</th>
                            <th scope="col">{ k.col_round }</th>
                            <th scope="col">{ k.col_state }</th>
                            <th scope="col">{ k.col_action }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for list.iter().map(|kiosk| {
                            let state = if kiosk.revoked {
                                k.revoked.to_string()
                            } else if kiosk.registered {
                                k.in_use.to_string()
                            } else if now >= kiosk.registration_expires_unix {
                                k.link_expired.to_string()
                            } else {
                                (k.waiting)(&date_time(staff.lang, kiosk.registration_expires_unix))
                            };
                            let revoke = {
                                let (on_revoke, kiosk) = (on_revoke.clone(), kiosk.clone());
                                Callback::from(move |_: MouseEvent| on_revoke.emit(kiosk.clone()))
                            };
                            html! {
                                <tr data-kiosk={kiosk.kiosk_id.clone()}>
                                    <th scope="row">{ &kiosk.name }</th>
                                    <td>{ round_name(&kiosk.round) }</td>
                                    <td class="kiosk-state">{ state }</td>
                                    <td>
                                        if !kiosk.revoked {
                                            <button type="button" class="secondary small" disabled={*busy}
                                                aria-label={(k.revoke_label)(&kiosk.name)} onclick={revoke}>
                                                { k.revoke }
                                            </button>
                                        }
                                    </td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
        }
    });
    let form = rounds.view(html! { <Loading /> }, |list| {
        if list.is_empty() {
            return html! {
                <p id="kiosk-no-round" class="note">
                    <a href={Route::Rounds.fragment()}>{ k.no_anonymous_round }</a>
                </p>
            };
        }
        html! {
            <form id="kiosk-form" class="form-card" onsubmit={onsubmit.clone()} novalidate=true
                aria-labelledby="kiosk-form-heading">
                <h2 id="kiosk-form-heading">{ k.create_heading }</h2>
                <div class="field">
                    <label for="kiosk-name">{ k.name }</label>
                    <p id="kiosk-name-hint" class="hint">{ k.name_hint }</p>
                    <input id="kiosk-name" type="text" autocomplete="off" readonly={*busy} value={(*name).clone()}
                        aria-describedby="kiosk-name-hint" oninput={typed_into(&name, &error)} />
                </div>
                <div class="field">
                    <label for="kiosk-round">{ k.round }</label>
                    <p id="kiosk-round-hint" class="hint">{ k.round_hint }</p>
                    <select id="kiosk-round" disabled={*busy} aria-describedby="kiosk-round-hint"
                        onchange={chosen(&round)}>
                        { for list.iter().map(|r| html! {
                            <option value={r.round_id.clone()} selected={chosen_round == r.round_id}>
                                { format!("{} ({} – {})", r.name, r.opens, r.closes) }
                            </option>
                        }) }
                    </select>
                </div>
                <button id="kiosk-create" type="submit" class="primary" disabled={*busy}>{ k.create }</button>
            </form>
        }
    });
    let made = (*link).clone().map(|(kiosk_name, url)| {
        let image = qr_image(&url);
        html! {
            <section id="kiosk-made" class="form-card" aria-labelledby="kiosk-link-heading">
                <h2 id="kiosk-link-heading">{ format!("{}: {}", k.link_heading, kiosk_name) }</h2>
                <p id="kiosk-link-how">{ k.link_how }</p>
                <div class="field">
                    <label for="kiosk-link">{ k.link_label }</label>
                    <input id="kiosk-link" type="text" readonly=true value={url} aria-describedby="kiosk-link-how" />
                </div>
                if let Some(src) = image {
                    <img class="kiosk-qr" src={src} alt={k.link_qr} width="180" height="180" />
                }
            </section>
        }
    });

    html! {
        <StaffPage heading_id="kiosks-heading" heading={k.heading}
            problem_id="kiosks-error" problem={(*error).clone().or(kiosks.problem()).or(rounds.problem())}>
            <p>{ k.intro }</p>
            <p id="kiosks-notice" role="status" aria-live="polite">{ (*notice).clone().unwrap_or_default() }</p>
            { made.unwrap_or_default() }
            { table }
            { form }
        </StaffPage>
    }
}

#[cfg(test)]
mod tests {
    use super::super::texts::texts;
    use super::kiosk_link;
    use crate::common::lang::Lang;

    #[test]
    fn a_kiosk_link_opens_kiosk_mode_with_the_token_in_the_fragment() {
        assert_eq!(kiosk_link("https://b.example", "tok_EN-1"), "https://b.example/?kiosk=1#kiosk=tok_EN-1");
    }

    #[test]
    fn the_take_out_of_use_buttons_spoken_name_begins_with_its_visible_words_in_every_staff_language() {
        for lang in Lang::STAFF {
            let k = texts(lang).kiosks;
            assert!((k.revoke_label)("Norrby").starts_with(k.revoke), "{lang:?}");
            assert!((k.revoke_label)("Norrby").contains("Norrby"));
        }
    }
}
