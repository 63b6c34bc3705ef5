//! The second parsing stage: [`Questionnaire::from_raw`] checks a [`RawQuestionnaire`]
//! against the factor catalogue and either reports every problem at once or gives a model
//! in which every id resolves, every rule refers to an earlier item, every text exists in
//! every language and every endorsable risk has its follow-up chain.

use super::model::{follow_up_id, Choice, Item, Kind, Origin, Questionnaire, Section, Step};
use super::problem::{Problem, ValidationError};
use super::raw::{RawItem, RawKind, RawOption, RawQuestionnaire, RawText};
use super::reach::unreachable;
use super::rule::{self, Rule, RuleExpr};
use crate::catalogue::{Catalogue, Factor, FactorKind};
use crate::text::Text;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Scales whose option ids the code relies on.
const FIXED_SCALES: [(&str, &[&str]); 2] =
    [("yes_no", &["yes", "no"]), ("frequency", &["never", "sometimes", "often", "always"])];

/// Collects problems while a file is checked.
struct Report<'a> {
    file: &'a str,
    errors: Vec<ValidationError>,
    /// Draft languages, which a text may have but need not.
    drafts: Vec<String>,
}

impl Report<'_> {
    fn add(&mut self, item: Option<&str>, problem: Problem) {
        self.errors.push(ValidationError { file: self.file.to_string(), item: item.map(str::to_string), problem });
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
        for pos in unreachable(&items) {
            report.add(Some(&items[pos].id), Problem::Unreachable);
        }

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
            let choices = scale.options.iter().map(|o| raw_choice(o, None, &place, &raw.languages, report)).collect();
            (name.clone(), choices)
        })
        .collect()
}

fn raw_choice(o: &RawOption, item: Option<&str>, place: &str, languages: &[String], report: &mut Report) -> Choice {
    let text = report.text(item, &format!("{place} `{}`", o.id), &o.text, languages);
    Choice { id: o.id.clone(), text, picture: o.picture, signals: o.factor.clone(), exclusive: o.exclusive }
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
        let mut telling = None;
        if let Some(factor_id) = &raw.factor {
            if let Some(factor) = self.factor(factor_id, id, report) {
                if kind == Kind::Text {
                    report.add(Some(id), Problem::Options("a free-text item cannot signal a factor".into()));
                } else if factor.kind == FactorKind::Background {
                    describes = Some(factor.id.clone());
                    if let Some(signal) = &raw.signal {
                        for s in signal.iter().filter(|s| !options.iter().any(|o| &o.id == *s)) {
                            report.add(Some(id), Problem::UnknownOption { item: id.to_string(), option: s.clone() });
                        }
                        telling = Some(signal.clone());
                    }
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
                            None => {
                                report.add(Some(id), Problem::UnknownOption { item: id.to_string(), option: s.clone() })
                            }
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
                telling,
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
            (None, Some(raw_options)) => {
                raw_options.iter().map(|o| raw_choice(o, Some(id), "option", &self.raw.languages, report)).collect()
            }
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
                report.add(
                    Some(id),
                    Problem::Options(format!("option `{}`: only a multiple-choice option can be exclusive", o.id)),
                );
            }
            if kind == Kind::Picture && o.picture.is_none() {
                report
                    .add(Some(id), Problem::Options(format!("option `{}` of a picture item needs a `picture`", o.id)));
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
                    (f.kind == FactorKind::Risk && f.chain)
                        .then(|| (Some(o.id.clone()), vec![o.id.clone()], f.id.clone()))
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
            report
                .add(Some(&item.id), Problem::Options("has `chain = true` but the file has no `[chain]` texts".into()));
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
                        telling: None,
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
fn resolve_rules(
    items: &mut [Item],
    rules: Vec<Option<RuleExpr>>,
    index: &HashMap<String, usize>,
    report: &mut Report,
) {
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
