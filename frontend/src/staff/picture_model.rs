//! What the group picture's page and its views share: the opened records (`Opened`), the
//! figures counted from them once per year and breakdown, and the one selection of year,
//! breakdown and view. A leaf: the page (`picture`) and the views (`picture_views`) both
//! read it, and neither imports the other's state.

use super::texts::PictureTexts;
use beratta_core::api::Round;
use beratta_core::catalogue::Catalogue;
use beratta_core::group::{Breakdown, Disclosed};
use beratta_core::statistics::StatisticsRecord;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

/// What a set of figures is counted over: all closed rounds of a year, or one round.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    Year(String),
    Round(String),
}

/// Figures over a scope split one way (`None`: everyone together).
pub type Release = (Scope, Option<Breakdown>);

/// Everything opened: the records of each closed round, the catalogue their factors are
/// named in, and what could not be opened.
pub struct Opened {
    pub rounds: Vec<Round>,
    pub records: BTreeMap<String, Rc<Vec<StatisticsRecord>>>,
    pub catalogue: Rc<Catalogue>,
    /// `id@version` of each instrument the records were made with.
    pub instruments: Vec<String>,
    pub failed: usize,
    pub units: BTreeMap<String, String>,
    pub interventions: BTreeMap<String, String>,
    /// Invitations into each round, for its response rate.
    pub invited: BTreeMap<String, u64>,
    /// Each scope's figures by breakdown, once through the gate: the views only read them.
    pub disclosed: RefCell<HashMap<Release, Rc<Disclosed>>>,
    /// Each year's figures by area × age band (the needs view), through the gate with the
    /// year's other releases held as known.
    pub crossed: RefCell<HashMap<String, Rc<Disclosed>>>,
}

/// The year a round belongs to: the year of its last day.
pub fn year_of(round: &Round) -> String {
    round.closes.chars().take(4).collect()
}

impl Opened {
    /// The closed rounds of `year`.
    pub fn rounds_in<'a>(&'a self, year: &'a str) -> impl Iterator<Item = &'a Round> + 'a {
        self.rounds.iter().filter(move |r| r.is_closed() && year_of(r) == year)
    }
}

/// The years of the closed rounds, oldest first.
pub fn years(rounds: &[Round]) -> Vec<String> {
    let mut years: Vec<String> = rounds.iter().filter(|r| r.is_closed()).map(year_of).collect();
    years.sort();
    years.dedup();
    years
}

/// A view of the group picture.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum View {
    #[default]
    Overview,
    Domains,
    Areas,
    Trend,
    BeforeAfter,
    Needs,
}

impl View {
    pub const ALL: [View; 6] =
        [View::Overview, View::Domains, View::Areas, View::Trend, View::BeforeAfter, View::Needs];

    /// The view's name in the address of an opening's audit record (`PictureOpening::VIEWS`).
    pub fn name(self) -> &'static str {
        match self {
            View::Overview => "overview",
            View::Domains => "domains",
            View::Areas => "areas",
            View::Trend => "trend",
            View::BeforeAfter => "before_after",
            View::Needs => "needs",
        }
    }

    pub fn from_name(name: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.name() == name)
    }

    pub fn label(self, p: &PictureTexts) -> &'static str {
        match self {
            View::Overview => p.view_overview,
            View::Domains => p.view_domains,
            View::Areas => p.view_areas,
            View::Trend => p.view_trend,
            View::BeforeAfter => p.view_before_after,
            View::Needs => p.view_needs,
        }
    }
}

/// What the one selector has chosen; it drives every view.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Selection {
    /// `None` until chosen: the newest year.
    pub year: Option<String>,
    pub breakdown: Option<Breakdown>,
    pub view: View,
}
