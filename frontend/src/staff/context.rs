//! What every staff page can reach through the [`Staff`] context: the language, who is
//! signed in with the keys their role holds opened (the organisation key for those who read
//! children, the statistics key for its holders; held only in memory, so a logout forgets
//! them), and the ways to change that; with the cards of codes just made.

use super::texts::{texts, Texts};
use crate::common::api;
use crate::common::lang::Lang;
use beratta_core::api::{Role, StaffSession};
use beratta_core::envelope::{OrgPublicKey, OrgSecretKey};
use beratta_core::login::ChildCode;
use std::rc::Rc;
use yew::prelude::*;

/// One child's card.
#[derive(Clone, PartialEq)]
pub struct Card {
    pub note: String,
    pub code: ChildCode,
    /// The questionnaire id, which names the age band.
    pub band: String,
}

/// What became of this person's copy of the statistics key at login.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatisticsKey {
    /// It opened and matches the organisation's statistics public key.
    Opened,
    /// They have not been given it.
    NotGranted,
    /// The organisation has no statistics key yet.
    NotMade,
    /// A copy is there but did not open (or opened to another key than the organisation's).
    Failed,
}

impl StatisticsKey {
    /// A stable name, for the page's `data-state` (and the browser tests).
    pub fn name(self) -> &'static str {
        match self {
            StatisticsKey::Opened => "opened",
            StatisticsKey::NotGranted => "not-granted",
            StatisticsKey::NotMade => "not-made",
            StatisticsKey::Failed => "failed",
        }
    }
}

/// A staff member who has logged in in this tab, with the keys their role holds opened.
pub struct SignedIn {
    pub session: StaffSession,
    /// The organisation key; `None` for an analyst, who holds no key that opens a child.
    pub org_key: Option<OrgSecretKey>,
    pub org_public: OrgPublicKey,
    /// The statistics key, if this person holds it and it opened.
    pub statistics_key: Option<OrgSecretKey>,
    pub statistics: StatisticsKey,
    /// This person's personal secret key (grants of the statistics key are sealed to its
    /// public half), if it opened.
    pub personal_key: Option<OrgSecretKey>,
}

impl SignedIn {
    pub fn new(session: StaffSession, org_key: Option<OrgSecretKey>, org_public: OrgPublicKey) -> SignedIn {
        SignedIn {
            session,
            org_key,
            org_public,
            statistics_key: None,
            statistics: StatisticsKey::NotGranted,
            personal_key: None,
        }
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

/// The context of every staff page. Panics only if a page is used outside
/// [`StaffApp`](super::shell::StaffApp), which is a programming error.
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
