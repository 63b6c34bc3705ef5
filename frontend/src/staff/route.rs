//! Every staff page, as the URL fragment names it (`#/staff/…`, `#/setup/…`, `#/enrol/…`,
//! `#/recover`, `#/admin/…`), and going from one to another. Fragments are never sent to a server, so a
//! key in an enrolment link stays in the browser.

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
    /// `#/staff/invite/<round>`: the invite page with a round chosen.
    InviteInto(String),
    /// `#/staff/rounds`: the rounds and the form for a new one.
    Rounds,
    /// `#/staff/rounds/<id>`: one round's counts.
    Round(String),
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
    /// `#/admin/statistics-key`: who holds the statistics key; grant and take it away.
    AdminStatisticsKey,
    /// `#/admin/kiosks`: kiosks for anonymous rounds.
    AdminKiosks,
    /// `#/statistics`: the group picture, for holders of the statistics key.
    Picture,
    /// `#/resources`: the resources register.
    Resources,
    /// `#/recover`: an administrator who lost their password uses the recovery key.
    Recover,
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
            ["staff", "invite", round] => Route::InviteInto(round.to_string()),
            ["staff", "rounds"] => Route::Rounds,
            ["staff", "rounds", id] => Route::Round(id.to_string()),
            ["staff", "cards"] => Route::Cards,
            ["staff", "child", id] => Route::Child(id.to_string()),
            ["staff", "child", id, "print"] => Route::ChildPrint(id.to_string()),
            ["setup", token] => Route::Setup(token.to_string()),
            ["recover"] => Route::Recover,
            ["enrol", link] => match link.split_once('.') {
                Some((token, key)) => Route::Enrol { token: token.to_string(), key: key.to_string() },
                None => Route::Enrol { token: link.to_string(), key: String::new() },
            },
            ["admin", "staff"] => Route::AdminStaff,
            ["admin", "units"] => Route::AdminUnits,
            ["admin", "audit"] => Route::AdminAudit,
            ["admin", "statistics-key"] => Route::AdminStatisticsKey,
            ["admin", "kiosks"] => Route::AdminKiosks,
            ["statistics"] => Route::Picture,
            ["resources"] => Route::Resources,
            ["staff" | "admin" | "statistics" | "resources", ..] => Route::Unknown,
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
            Route::InviteInto(round) => format!("#/staff/invite/{round}"),
            Route::Rounds => "#/staff/rounds".into(),
            Route::Round(id) => format!("#/staff/rounds/{id}"),
            Route::Cards => "#/staff/cards".into(),
            Route::Child(id) => format!("#/staff/child/{id}"),
            Route::ChildPrint(id) => format!("#/staff/child/{id}/print"),
            Route::AdminStaff => "#/admin/staff".into(),
            Route::AdminUnits => "#/admin/units".into(),
            Route::AdminAudit => "#/admin/audit".into(),
            Route::AdminStatisticsKey => "#/admin/statistics-key".into(),
            Route::AdminKiosks => "#/admin/kiosks".into(),
            Route::Picture => "#/statistics".into(),
            Route::Resources => "#/resources".into(),
            Route::Recover => "#/recover".into(),
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

/// The URL fragment, `#…` included; never sent to the server.
pub fn current_fragment() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
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
            Route::InviteInto("r-1".into()),
            Route::Rounds,
            Route::Round("r-1".into()),
            Route::Cards,
            Route::Child("as-1".into()),
            Route::ChildPrint("as-1".into()),
            Route::AdminStaff,
            Route::AdminUnits,
            Route::AdminAudit,
            Route::AdminStatisticsKey,
            Route::AdminKiosks,
            Route::Picture,
            Route::Resources,
            Route::Recover,
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
