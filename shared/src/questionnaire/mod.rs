//! The questionnaire model: the second parsing stage. [`Questionnaire::from_raw`] checks a
//! [`raw::RawQuestionnaire`] against the factor catalogue and either reports every problem at
//! once or gives a model in which every id resolves, every rule refers to an earlier item,
//! every text exists in every language and every endorsable risk has its follow-up chain.
//!
//! The model is expanded: each chain's follow-ups are items of their own, placed right after
//! the item that opens them, so the engine only ever walks one list.

pub mod draft;
pub mod library;
pub mod raw;
pub mod rule;

use crate::catalogue::{Catalogue, Factor, FactorKind};
use crate::text::Text;
pub use raw::Bbic;
use raw::{RawItem, RawKind, RawOption, RawQuestionnaire, RawText};
use rule::{Rule, RuleExpr};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

/// How an item is answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    YesNo,
    Frequency,
    Single,
    Picture,
    Multiple,
    Text,
}

impl Kind {
    /// Items answered with exactly one option.
    pub fn is_single_choice(self) -> bool {
        matches!(self, Kind::YesNo | Kind::Frequency | Kind::Single | Kind::Picture)
    }
}

/// The three follow-ups of a chain, in the order they are asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Often,
    Worry,
    Help,
}

impl Step {
    pub const ALL: [Step; 3] = [Step::Often, Step::Worry, Step::Help];

    pub fn name(self) -> &'static str {
        match self {
            Step::Often => "often",
            Step::Worry => "worry",
            Step::Help => "help",
        }
    }

    /// The scale a step is answered on, and the option ids scoring relies on.
    fn scale(self) -> (&'static str, &'static [&'static str]) {
        match self {
            Step::Often => ("how_often", &["once", "sometimes", "often", "very_often"]),
            Step::Worry => ("worry", &["no", "a_little", "a_lot"]),
            Step::Help => ("help", &["yes", "no", "not_sure"]),
        }
    }
}

/// Scales whose option ids the code relies on.
const FIXED_SCALES: [(&str, &[&str]); 2] = [
    ("yes_no", &["yes", "no"]),
    ("frequency", &["never", "sometimes", "often", "always"]),
];

/// Where an item comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Written in the file.
    Authored,
    /// A follow-up opened by item `parent` (a position), for `option` on a multiple item.
    FollowUp { parent: usize, option: Option<String>, step: Step },
}

/// An answer option of a validated item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub id: String,
    pub text: Text,
    pub emoji: Option<String>,
    /// The factor picking this option signals, if any.
    pub signals: Option<String>,
    /// Stands alone on a multiple item ("none of these").
    pub exclusive: bool,
}

/// A validated, expanded item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub id: String,
    /// Position of its section in [`Questionnaire::sections`].
    pub section: usize,
    pub kind: Kind,
    pub text: Text,
    pub options: Vec<Choice>,
    /// When it is shown; `None` means always.
    pub rule: Option<Rule>,
    pub origin: Origin,
    /// A background factor this item describes (who the child lives with, …).
    pub describes: Option<String>,
    /// The side of the BBIC triangle it informs (follow-ups inherit their parent's).
    pub bbic: Option<Bbic>,
    /// The catalogue sources it draws on.
    pub sources: Vec<String>,
}

impl Item {
    pub fn option(&self, id: &str) -> Option<&Choice> {
        self.options.iter().find(|o| o.id == id)
    }

    /// Every catalogue id the item measures.
    pub fn measures(&self) -> BTreeSet<&str> {
        self.options
            .iter()
            .filter_map(|o| o.signals.as_deref())
            .chain(self.describes.as_deref())
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    pub id: String,
    pub title: Text,
}

/// A questionnaire that passed every check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Questionnaire {
    pub id: String,
    pub version: u32,
    /// Reviewed languages: every text exists in each.
    pub languages: Vec<String>,
    /// Draft languages, not yet reviewed: a missing text falls back to Swedish.
    pub drafts: Vec<String>,
    pub ages: Option<String>,
    pub title: Text,
    pub sections: Vec<Section>,
    pub items: Vec<Item>,
    factors: BTreeMap<String, Factor>,
    index: HashMap<String, usize>,
}

/// What is wrong with a questionnaire, one problem per value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The file is not valid TOML or does not have the questionnaire's shape.
    Syntax(String),
    DuplicateId(String),
    UnknownItem(String),
    UnknownOption { item: String, option: String },
    UnknownFactor(String),
    UnknownScale(String),
    UnknownSource(String),
    RuleSyntax(String),
    RuleCycle(Vec<String>),
    LaterItem(String),
    RuleOnText(String),
    WrongComparison { item: String, hint: &'static str },
    Unreachable,
    MissingTranslation { place: String, language: String },
    UnknownLanguage { place: String, language: String },
    MissingChain(String),
    NeedlessChain,
    Options(String),
    Scale { scale: String, reason: String },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Syntax(m) => write!(f, "cannot be read: {m}"),
            Problem::DuplicateId(id) => write!(f, "the id `{id}` is used more than once"),
            Problem::UnknownItem(id) => write!(f, "the rule names `{id}`, which is not an item"),
            Problem::UnknownOption { item, option } => {
                write!(f, "`{option}` is not an option of `{item}`")
            }
            Problem::UnknownFactor(id) => write!(f, "`{id}` is not in the factor catalogue"),
            Problem::UnknownScale(s) => write!(f, "there is no scale `{s}`"),
            Problem::UnknownSource(s) => write!(f, "`{s}` is not a source in the catalogue"),
            Problem::RuleSyntax(m) => write!(f, "the rule cannot be read: {m}"),
            Problem::RuleCycle(ids) => write!(f, "the rules form a cycle: {}", ids.join(" → ")),
            Problem::LaterItem(id) => {
                write!(f, "the rule names `{id}`, which comes later, so it is never answered in time")
            }
            Problem::RuleOnText(id) => {
                write!(f, "the rule names `{id}`, a free-text item; rules cannot read free text")
            }
            Problem::WrongComparison { item, hint } => write!(f, "the rule compares `{item}` wrongly: {hint}"),
            Problem::Unreachable => write!(f, "can never be shown: no answers make its rule true"),
            Problem::MissingTranslation { place, language } => {
                write!(f, "{place} has no text in `{language}`")
            }
            Problem::UnknownLanguage { place, language } => write!(
                f,
                "{place} has a text in `{language}`, which is not one of the questionnaire's languages"
            ),
            Problem::MissingChain(factor) => write!(
                f,
                "it can signal the risk `{factor}`, so it needs `chain = true` (how often → worry → help)"
            ),
            Problem::NeedlessChain => {
                write!(f, "has `chain = true` but no answer signals a risk that needs a chain")
            }
            Problem::Options(m) => write!(f, "{m}"),
            Problem::Scale { scale, reason } => write!(f, "scale `{scale}`: {reason}"),
        }
    }
}

/// One problem, with the file and the item (or other place) it was found in.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ValidationError {
    pub file: String,
    pub item: Option<String>,
    pub problem: Problem,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.item {
            Some(item) => write!(f, "{}: item `{}`: {}", self.file, item, self.problem),
            None => write!(f, "{}: {}", self.file, self.problem),
        }
    }
}

/// Collects problems while a file is checked.
struct Report<'a> {
    file: &'a str,
    errors: Vec<ValidationError>,
    /// Draft languages, which a text may have but need not.
    drafts: Vec<String>,
}

impl Report<'_> {
    fn add(&mut self, item: Option<&str>, problem: Problem) {
        self.errors.push(ValidationError {
            file: self.file.to_string(),
            item: item.map(str::to_string),
            problem,
        });
    }

    fn text(&mut self, item: Option<&str>, place: &str, raw: &RawText, languages: &[String]) -> Text {
        let text = Text::new(raw.clone());
        let (missing, unknown) = text.check_languages(languages);
        let unknown: Vec<String> = unknown.into_iter().filter(|l| !self.drafts.contains(l)).collect();
        for language in missing {
            let place = place.to_string();
            self.add(item, Problem::MissingTranslation { place, language: language.to_string() });
        }
        for language in unknown {
            self.add(item, Problem::UnknownLanguage { place: place.to_string(), language });
        }
        text
    }
}

impl Questionnaire {
    /// Reads and checks a questionnaire file. `file` names it in error messages.
    #[cfg(feature = "toml")]
    pub fn from_toml(file: &str, source: &str, catalogue: &Catalogue) -> Result<Self, Vec<ValidationError>> {
        let raw: RawQuestionnaire = toml::from_str(source).map_err(|e| {
            let line = e.span().map(|s| source[..s.start].lines().count().max(1));
            let message = match line {
                Some(line) => format!("line {line}: {}", e.message()),
                None => e.message().to_string(),
            };
            vec![ValidationError { file: file.to_string(), item: None, problem: Problem::Syntax(message) }]
        })?;
        Self::from_raw(file, &raw, catalogue)
    }

    /// Checks a raw questionnaire, reporting every problem found.
    pub fn from_raw(file: &str, raw: &RawQuestionnaire, catalogue: &Catalogue) -> Result<Self, Vec<ValidationError>> {
        let mut report = Report { file, errors: Vec::new(), drafts: raw.drafts.clone() };
        let languages = &raw.languages;
        if languages.is_empty() {
            report.add(None, Problem::Options("`languages` lists no language".into()));
        }
        let title = report.text(None, "the title", &raw.title, languages);
        let scales = check_scales(raw, &mut report);

        let mut builder = Builder {
            catalogue,
            scales: &scales,
            raw,
            items: Vec::new(),
            rules: Vec::new(),
            index: HashMap::new(),
            factors: BTreeMap::new(),
        };
        let mut sections = Vec::new();
        let mut section_ids = BTreeSet::new();
        for (s, section) in raw.section.iter().enumerate() {
            if !section_ids.insert(section.id.as_str()) {
                report.add(Some(&section.id), Problem::DuplicateId(section.id.clone()));
            }
            let title = report.text(Some(&section.id), "the section title", &section.title, languages);
            sections.push(Section { id: section.id.clone(), title });
            for item in &section.item {
                builder.add_item(s, item, &mut report);
            }
        }
        if builder.items.is_empty() {
            report.add(None, Problem::Options("the questionnaire has no items".into()));
        }
        let Builder { mut items, rules, index, factors, .. } = builder;
        resolve_rules(&mut items, rules, &index, &mut report);
        check_reachable(&items, &mut report);

        if !report.errors.is_empty() {
            return Err(report.errors);
        }
        Ok(Questionnaire {
            id: raw.id.clone(),
            version: raw.version,
            languages: languages.clone(),
            drafts: raw.drafts.clone(),
            ages: raw.ages.clone(),
            title,
            sections,
            items,
            factors,
            index,
        })
    }

    /// The position of an item by id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    pub fn item(&self, id: &str) -> Option<&Item> {
        self.position(id).map(|i| &self.items[i])
    }

    /// The catalogue entry of a factor the questionnaire measures.
    pub fn factor(&self, id: &str) -> Option<&Factor> {
        self.factors.get(id)
    }

    /// `id@version`, as bound into every stored answer set.
    pub fn reference(&self) -> String {
        format!("{}@{}", self.id, self.version)
    }

    /// The item's follow-up of `step`, if the item opens a chain (for `option` on a
    /// multiple item).
    pub fn follow_up(&self, parent: usize, option: Option<&str>, step: Step) -> Option<usize> {
        let id = follow_up_id(&self.items[parent].id, option, step);
        self.position(&id)
    }
}

fn follow_up_id(parent: &str, option: Option<&str>, step: Step) -> String {
    match option {
        Some(option) => format!("{parent}.{option}.{}", step.name()),
        None => format!("{parent}.{}", step.name()),
    }
}

/// Checks the scales and returns them as choices, by name.
fn check_scales(raw: &RawQuestionnaire, report: &mut Report) -> BTreeMap<String, Vec<Choice>> {
    let fixed = FIXED_SCALES.iter().copied().chain(Step::ALL.iter().map(|s| s.scale()));
    for (name, ids) in fixed {
        if let Some(scale) = raw.scale.get(name) {
            let got: Vec<&str> = scale.options.iter().map(|o| o.id.as_str()).collect();
            if got != ids {
                let reason = format!("must have exactly the options {} in that order", ids.join(", "));
                report.add(None, Problem::Scale { scale: name.to_string(), reason });
            }
        }
    }
    raw.scale
        .iter()
        .map(|(name, scale)| {
            let place = format!("an option of scale `{name}`");
            let choices = scale
                .options
                .iter()
                .map(|o| raw_choice(o, None, &place, &raw.languages, report))
                .collect();
            (name.clone(), choices)
        })
        .collect()
}

fn raw_choice(o: &RawOption, item: Option<&str>, place: &str, languages: &[String], report: &mut Report) -> Choice {
    let text = report.text(item, &format!("{place} `{}`", o.id), &o.text, languages);
    Choice {
        id: o.id.clone(),
        text,
        emoji: o.emoji.clone(),
        signals: o.factor.clone(),
        exclusive: o.exclusive,
    }
}

/// Builds the expanded item list, one authored item (and its chains) at a time.
struct Builder<'a> {
    catalogue: &'a Catalogue,
    scales: &'a BTreeMap<String, Vec<Choice>>,
    raw: &'a RawQuestionnaire,
    items: Vec<Item>,
    /// The parsed rule of each item, resolved once every id is known.
    rules: Vec<Option<RuleExpr>>,
    index: HashMap<String, usize>,
    factors: BTreeMap<String, Factor>,
}

impl Builder<'_> {
    fn push(&mut self, item: Item, rule: Option<RuleExpr>, report: &mut Report) -> usize {
        let position = self.items.len();
        if self.index.insert(item.id.clone(), position).is_some() {
            report.add(Some(&item.id), Problem::DuplicateId(item.id.clone()));
        }
        self.items.push(item);
        self.rules.push(rule);
        position
    }

    fn factor(&mut self, id: &str, item: &str, report: &mut Report) -> Option<Factor> {
        match self.catalogue.get(id) {
            Some(f) => {
                self.factors.insert(f.id.clone(), f.clone());
                Some(f.clone())
            }
            None => {
                report.add(Some(item), Problem::UnknownFactor(id.to_string()));
                None
            }
        }
    }

    fn add_item(&mut self, section: usize, raw: &RawItem, report: &mut Report) {
        let id = raw.id.as_str();
        let languages = &self.raw.languages;
        let text = report.text(Some(id), "the question", &raw.text, languages);
        let kind = match raw.kind {
            RawKind::YesNo => Kind::YesNo,
            RawKind::Frequency => Kind::Frequency,
            RawKind::Single => Kind::Single,
            RawKind::Picture => Kind::Picture,
            RawKind::Multiple => Kind::Multiple,
            RawKind::Text => Kind::Text,
        };
        let mut options = self.options_of(kind, raw, report);

        // Which answers signal the item-level factor, and what that factor is.
        let mut describes = None;
        if let Some(factor_id) = &raw.factor {
            if let Some(factor) = self.factor(factor_id, id, report) {
                if kind == Kind::Text {
                    report.add(Some(id), Problem::Options("a free-text item cannot signal a factor".into()));
                } else if factor.kind == FactorKind::Background {
                    describes = Some(factor.id.clone());
                } else {
                    let signal: Vec<String> = match (&raw.signal, kind) {
                        (Some(s), _) => s.clone(),
                        (None, Kind::YesNo) => vec!["yes".into()],
                        (None, Kind::Frequency) => vec!["sometimes".into(), "often".into(), "always".into()],
                        (None, _) => {
                            let m = "say with `signal = [...]` which answers signal the factor";
                            report.add(Some(id), Problem::Options(m.into()));
                            Vec::new()
                        }
                    };
                    for s in &signal {
                        match options.iter_mut().find(|o| &o.id == s) {
                            Some(o) if o.signals.is_some() => report.add(
                                Some(id),
                                Problem::Options(format!("option `{s}` already signals a factor of its own")),
                            ),
                            Some(o) => o.signals = Some(factor.id.clone()),
                            None => report.add(
                                Some(id),
                                Problem::UnknownOption { item: id.to_string(), option: s.clone() },
                            ),
                        }
                    }
                }
            }
        } else if raw.signal.is_some() {
            report.add(Some(id), Problem::Options("`signal` needs an item-level `factor`".into()));
        }
        // Option-level factors must exist too.
        let option_factors: Vec<String> = options.iter().filter_map(|o| o.signals.clone()).collect();
        for f in &option_factors {
            if raw.factor.as_deref() != Some(f.as_str()) {
                self.factor(f, id, report);
            }
        }

        let rule = match raw.show_if.as_deref().map(rule::parse) {
            None => None,
            Some(Ok(expr)) => Some(expr),
            Some(Err(e)) => {
                report.add(Some(id), Problem::RuleSyntax(e.to_string()));
                None
            }
        };
        for source in &raw.sources {
            if self.catalogue.source(source).is_none() {
                report.add(Some(id), Problem::UnknownSource(source.clone()));
            }
        }
        let parent = self.push(
            Item {
                id: id.to_string(),
                section,
                kind,
                text,
                options,
                rule: None,
                origin: Origin::Authored,
                describes,
                bbic: raw.bbic,
                sources: raw.sources.clone(),
            },
            rule,
            report,
        );
        self.add_chains(parent, raw.chain, report);
    }

    /// The options of an item, from the item itself or from a scale.
    fn options_of(&self, kind: Kind, raw: &RawItem, report: &mut Report) -> Vec<Choice> {
        let id = raw.id.as_str();
        let scale_name = match kind {
            Kind::YesNo => Some("yes_no"),
            Kind::Frequency => Some("frequency"),
            _ => raw.scale.as_deref(),
        };
        let options: Vec<Choice> = match (scale_name, &raw.options) {
            (_, _) if kind == Kind::Text => {
                if raw.options.is_some() || raw.scale.is_some() {
                    report.add(Some(id), Problem::Options("a free-text item has no options".into()));
                }
                return Vec::new();
            }
            (Some(_), Some(_)) => {
                report.add(Some(id), Problem::Options("give `options` or a `scale`, not both".into()));
                Vec::new()
            }
            (Some(name), None) => match self.scales.get(name) {
                Some(choices) => choices.clone(),
                None => {
                    report.add(Some(id), Problem::UnknownScale(name.to_string()));
                    Vec::new()
                }
            },
            (None, Some(raw_options)) => raw_options
                .iter()
                .map(|o| raw_choice(o, Some(id), "option", &self.raw.languages, report))
                .collect(),
            (None, None) => {
                report.add(Some(id), Problem::Options("needs `options` or a `scale`".into()));
                Vec::new()
            }
        };
        let mut seen = BTreeSet::new();
        for o in &options {
            if !seen.insert(o.id.as_str()) {
                report.add(Some(id), Problem::DuplicateId(o.id.clone()));
            }
            if o.exclusive && kind != Kind::Multiple {
                report.add(Some(id), Problem::Options(format!("option `{}`: only a multiple-choice option can be exclusive", o.id)));
            }
            if kind == Kind::Picture && o.emoji.is_none() {
                report.add(Some(id), Problem::Options(format!("option `{}` of a picture item needs an `emoji`", o.id)));
            }
        }
        if options.len() < 2 && !options.is_empty() {
            report.add(Some(id), Problem::Options("needs at least two options".into()));
        }
        options
    }

    /// Appends the follow-up chains of the item at `parent` and checks that the item has one
    /// exactly when it can signal a risk that needs it.
    fn add_chains(&mut self, parent: usize, declared: bool, report: &mut Report) {
        let item = self.items[parent].clone();
        // The answers that open a chain, grouped as the chains they open.
        let chain_risks: Vec<(Option<String>, Vec<String>, String)> = if item.kind == Kind::Multiple {
            item.options
                .iter()
                .filter_map(|o| {
                    let f = self.factors.get(o.signals.as_deref()?)?;
                    (f.kind == FactorKind::Risk && f.chain).then(|| (Some(o.id.clone()), vec![o.id.clone()], f.id.clone()))
                })
                .collect()
        } else {
            let opening: Vec<&Choice> = item
                .options
                .iter()
                .filter(|o| {
                    o.signals
                        .as_deref()
                        .and_then(|f| self.factors.get(f))
                        .is_some_and(|f| f.kind == FactorKind::Risk && f.chain)
                })
                .collect();
            match opening.first() {
                Some(first) => vec![(
                    None,
                    opening.iter().map(|o| o.id.clone()).collect(),
                    first.signals.clone().unwrap_or_default(),
                )],
                None => Vec::new(),
            }
        };
        match (declared, chain_risks.first()) {
            (false, Some((_, _, factor))) => {
                report.add(Some(&item.id), Problem::MissingChain(factor.clone()));
                return;
            }
            (true, None) => {
                report.add(Some(&item.id), Problem::NeedlessChain);
                return;
            }
            (false, None) => return,
            (true, Some(_)) => {}
        }
        let Some(chain) = &self.raw.chain else {
            report.add(Some(&item.id), Problem::Options("has `chain = true` but the file has no `[chain]` texts".into()));
            return;
        };
        let mut missing_scale = false;
        for step in Step::ALL {
            if !self.scales.contains_key(step.scale().0) {
                missing_scale = true;
            }
        }
        if missing_scale {
            report.add(Some(&item.id), Problem::Options("a chain needs the scales how_often, worry and help".into()));
            return;
        }
        for (option, opening, _) in chain_risks {
            for step in Step::ALL {
                // A frequency item already says how often.
                if step == Step::Often && item.kind == Kind::Frequency {
                    continue;
                }
                let raw_text = match step {
                    Step::Often => &chain.often,
                    Step::Worry => &chain.worry,
                    Step::Help => &chain.help,
                };
                let id = follow_up_id(&item.id, option.as_deref(), step);
                let text = report.text(Some(&id), "the chain question", raw_text, &self.raw.languages);
                let rule = match &option {
                    Some(o) => RuleExpr::Has { item: item.id.clone(), option: o.clone() },
                    None => RuleExpr::Is { item: item.id.clone(), options: opening.clone() },
                };
                let options = self.scales.get(step.scale().0).cloned().unwrap_or_default();
                self.push(
                    Item {
                        id,
                        section: item.section,
                        kind: Kind::Single,
                        text,
                        options,
                        rule: None,
                        origin: Origin::FollowUp { parent, option: option.clone(), step },
                        describes: None,
                        bbic: item.bbic,
                        sources: item.sources.clone(),
                    },
                    Some(rule),
                    report,
                );
            }
        }
    }
}

/// Resolves every rule's ids to positions; reports unknown ids, cycles and references to
/// later items.
fn resolve_rules(items: &mut [Item], rules: Vec<Option<RuleExpr>>, index: &HashMap<String, usize>, report: &mut Report) {
    // The graph of which item's rule reads which item, for cycle detection.
    let mut reads: Vec<Vec<usize>> = vec![Vec::new(); items.len()];
    let mut resolved: Vec<Option<Rule>> = Vec::with_capacity(items.len());
    for (pos, expr) in rules.iter().enumerate() {
        let Some(expr) = expr else {
            resolved.push(None);
            continue;
        };
        let id = items[pos].id.clone();
        let mut ok = true;
        for (target, options) in expr.references() {
            let Some(&t) = index.get(target) else {
                report.add(Some(&id), Problem::UnknownItem(target.to_string()));
                ok = false;
                continue;
            };
            reads[pos].push(t);
            let target_item = &items[t];
            if target_item.kind == Kind::Text {
                report.add(Some(&id), Problem::RuleOnText(target.to_string()));
                ok = false;
            }
            for option in options {
                if target_item.kind != Kind::Text && target_item.option(option).is_none() {
                    let problem = Problem::UnknownOption { item: target.to_string(), option: option.to_string() };
                    report.add(Some(&id), problem);
                    ok = false;
                }
            }
        }
        if !ok {
            resolved.push(None);
            continue;
        }
        match resolve(expr, index, items) {
            Ok(rule) => resolved.push(Some(rule)),
            Err(problem) => {
                report.add(Some(&id), problem);
                resolved.push(None);
            }
        }
    }

    let cycles = find_cycles(&reads);
    let in_cycle: BTreeSet<usize> = cycles.iter().flatten().copied().collect();
    for cycle in &cycles {
        let mut names: Vec<String> = cycle.iter().map(|&i| items[i].id.clone()).collect();
        names.push(names[0].clone());
        report.add(Some(&items[cycle[0]].id), Problem::RuleCycle(names));
    }
    for (pos, targets) in reads.iter().enumerate() {
        if in_cycle.contains(&pos) {
            continue;
        }
        for &t in targets {
            if t >= pos {
                report.add(Some(&items[pos].id), Problem::LaterItem(items[t].id.clone()));
                resolved[pos] = None;
            }
        }
    }
    for (item, rule) in items.iter_mut().zip(resolved) {
        if rule.is_some() {
            item.rule = rule;
        }
    }
}

fn resolve(expr: &RuleExpr, index: &HashMap<String, usize>, items: &[Item]) -> Result<Rule, Problem> {
    let position = |id: &str| index.get(id).copied().ok_or_else(|| Problem::UnknownItem(id.to_string()));
    let wrong = |item: &str, hint| Problem::WrongComparison { item: item.to_string(), hint };
    Ok(match expr {
        RuleExpr::Is { item, options } => {
            let p = position(item)?;
            if items[p].kind == Kind::Multiple {
                return Err(wrong(item, "it is multiple choice: use `has`"));
            }
            Rule::Is { item: p, options: options.clone() }
        }
        RuleExpr::IsNot { item, option } => {
            let p = position(item)?;
            if items[p].kind == Kind::Multiple {
                return Err(wrong(item, "it is multiple choice: use `not … has`"));
            }
            Rule::IsNot { item: p, option: option.clone() }
        }
        RuleExpr::Has { item, option } => {
            let p = position(item)?;
            if items[p].kind != Kind::Multiple {
                return Err(wrong(item, "`has` is for multiple choice: use `=` or `in`"));
            }
            Rule::Has { item: p, option: option.clone() }
        }
        RuleExpr::Not(inner) => Rule::Not(Box::new(resolve(inner, index, items)?)),
        RuleExpr::And(parts) => Rule::And(parts.iter().map(|p| resolve(p, index, items)).collect::<Result<_, _>>()?),
        RuleExpr::Or(parts) => Rule::Or(parts.iter().map(|p| resolve(p, index, items)).collect::<Result<_, _>>()?),
    })
}

/// The cycles of a graph given as adjacency lists, each once, found by depth-first search.
fn find_cycles(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    fn visit(n: usize, edges: &[Vec<usize>], marks: &mut [Mark], stack: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        marks[n] = Mark::Open;
        stack.push(n);
        for &m in &edges[n] {
            match marks[m] {
                Mark::New => visit(m, edges, marks, stack, out),
                Mark::Open => {
                    let start = stack.iter().position(|&s| s == m).unwrap_or(0);
                    out.push(stack[start..].to_vec());
                }
                Mark::Done => {}
            }
        }
        stack.pop();
        marks[n] = Mark::Done;
    }
    let mut marks = vec![Mark::New; edges.len()];
    let mut out = Vec::new();
    for n in 0..edges.len() {
        if marks[n] == Mark::New {
            visit(n, edges, &mut marks, &mut Vec::new(), &mut out);
        }
    }
    out
}

/// Reports items whose rule no answers can make true. A rule is satisfiable when one of the
/// conjunctions of its disjunctive normal form asks for answers that can be given together
/// by items that can themselves be shown. The check is sound (it never reports a reachable
/// item); very large rules are given the benefit of the doubt.
fn check_reachable(items: &[Item], report: &mut Report) {
    let mut reachable = vec![true; items.len()];
    for (pos, item) in items.iter().enumerate() {
        let Some(rule) = &item.rule else { continue };
        let sat = match dnf(rule, false) {
            Some(terms) => terms.iter().any(|t| conjunction_satisfiable(t, items, &reachable)),
            None => true,
        };
        if !sat {
            reachable[pos] = false;
            report.add(Some(&item.id), Problem::Unreachable);
        }
    }
}

/// One literal of a rule in negation normal form.
#[derive(Clone, Debug)]
enum Literal {
    /// The item is answered with one of these options.
    Is(usize, Vec<String>),
    /// The item is not answered with any of these (it may be unanswered).
    NotIs(usize, Vec<String>),
    /// The item is answered, with something other than this option.
    IsNot(usize, String),
    Has(usize, String),
    NotHas(usize, String),
}

const DNF_LIMIT: usize = 256;

/// The disjunctive normal form of `rule` (negated if `negate`), or `None` when too large.
fn dnf(rule: &Rule, negate: bool) -> Option<Vec<Vec<Literal>>> {
    let terms = match (rule, negate) {
        (Rule::Is { item, options }, false) => vec![vec![Literal::Is(*item, options.clone())]],
        (Rule::Is { item, options }, true) => vec![vec![Literal::NotIs(*item, options.clone())]],
        (Rule::IsNot { item, option }, false) => vec![vec![Literal::IsNot(*item, option.clone())]],
        // Not (answered and ≠ o): unanswered, or answered o. Unanswered is always possible.
        (Rule::IsNot { item, option }, true) => {
            vec![vec![Literal::NotIs(*item, vec![])], vec![Literal::Is(*item, vec![option.clone()])]]
        }
        (Rule::Has { item, option }, false) => vec![vec![Literal::Has(*item, option.clone())]],
        (Rule::Has { item, option }, true) => vec![vec![Literal::NotHas(*item, option.clone())]],
        (Rule::Not(inner), n) => dnf(inner, !n)?,
        (Rule::And(parts), false) | (Rule::Or(parts), true) => {
            let mut acc: Vec<Vec<Literal>> = vec![Vec::new()];
            for p in parts {
                let next = dnf(p, negate)?;
                let mut product = Vec::new();
                for a in &acc {
                    for b in &next {
                        product.push(a.iter().chain(b).cloned().collect());
                    }
                }
                if product.len() > DNF_LIMIT {
                    return None;
                }
                acc = product;
            }
            acc
        }
        (Rule::Or(parts), false) | (Rule::And(parts), true) => {
            let mut acc = Vec::new();
            for p in parts {
                acc.extend(dnf(p, negate)?);
            }
            if acc.len() > DNF_LIMIT {
                return None;
            }
            acc
        }
    };
    Some(terms)
}

fn conjunction_satisfiable(term: &[Literal], items: &[Item], reachable: &[bool]) -> bool {
    // For each single-choice item the options still allowed, and whether it must be
    // answered; for each multiple item the options that must and must not be picked.
    let mut allowed: BTreeMap<usize, (BTreeSet<&str>, bool)> = BTreeMap::new();
    let mut must: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    let mut must_not: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    for literal in term {
        let item = match literal {
            Literal::Is(i, _) | Literal::NotIs(i, _) | Literal::IsNot(i, _) | Literal::Has(i, _) | Literal::NotHas(i, _) => *i,
        };
        let entry = allowed
            .entry(item)
            .or_insert_with(|| (items[item].options.iter().map(|o| o.id.as_str()).collect(), false));
        match literal {
            Literal::Is(_, options) => {
                entry.0.retain(|o| options.iter().any(|x| x == o));
                entry.1 = true;
            }
            Literal::NotIs(_, options) => entry.0.retain(|o| !options.iter().any(|x| x == o)),
            Literal::IsNot(_, option) => {
                entry.0.retain(|o| o != option);
                entry.1 = true;
            }
            Literal::Has(_, option) => {
                must.entry(item).or_default().insert(option);
            }
            Literal::NotHas(_, option) => {
                must_not.entry(item).or_default().insert(option);
            }
        }
    }
    for (&item, (options, answered)) in &allowed {
        let multiple = items[item].kind == Kind::Multiple;
        if *answered && (options.is_empty() || !reachable[item]) {
            return false;
        }
        if multiple {
            let picked = must.get(&item);
            let Some(picked) = picked else { continue };
            if !reachable[item] {
                return false;
            }
            if picked.iter().any(|o| must_not.get(&item).is_some_and(|n| n.contains(o))) {
                return false;
            }
            let exclusive = picked.iter().filter(|o| items[item].option(o).is_some_and(|c| c.exclusive)).count();
            if exclusive > 0 && picked.len() > 1 {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
pub(crate) mod tests;
