//! The group picture's views as the screen, the print page and the CSV show them: tables of
//! values that have all come out of the gate, and the words they are written in.
//!
//! Every figure here is read from a [`Disclosed`] (or a comparison of two, or a
//! [`super::BeforeAfter`], itself counted and disclosed by the gate); nothing in this module
//! sees a count that did not pass it, and nothing adds, subtracts or ranks hidden cells. The
//! screen draws its tables and bars from the same [`Value`]s a CSV is written from
//! ([`Table::csv`]), so what is exported is exactly what is shown.

use super::aggregate::aggregate;
use super::compare::{before_after, between_releases, Compared, Design};
use super::gate::{disclose, Disclosed, Figure, Mark, Rules, Shown};
use super::interval::Interval;
use super::key::{Breakdown, Cohort, Group, Measure};
use crate::catalogue::{Catalogue, Factor, FactorKind, Level};
use crate::statistics::StatisticsRecord;

/// The words of the views in one language.
pub struct Words {
    /// The language code factor names are read in.
    pub lang: &'static str,
    pub everyone: &'static str,
    pub not_stated: &'static str,
    pub under_five: &'static str,
    pub privacy: &'static str,
    pub small_group: &'static str,
    pub unreliable: &'static str,
    pub no_change: &'static str,
    pub reliable_rise: &'static str,
    pub reliable_fall: &'static str,
    pub points: &'static str,
    pub paired: fn(u32) -> String,
    pub independent: &'static str,
    pub not_comparable: &'static str,
    pub any_risk: &'static str,
    pub factor: &'static str,
    pub share: &'static str,
    pub asked: &'static str,
    pub worried_little: &'static str,
    pub worried_lot: &'static str,
    pub wants_help: &'static str,
    pub often: &'static str,
    pub present: &'static str,
    pub figure: &'static str,
    pub respondents: &'static str,
    pub unfinished: &'static str,
    pub acute: &'static str,
    pub before: &'static str,
    pub after: &'static str,
    pub change_unpaired: &'static str,
    pub smallest: &'static str,
    pub change: &'static str,
    pub round: &'static str,
    pub invited: &'static str,
    pub response_rate: &'static str,
    pub girl: &'static str,
    pub boy: &'static str,
    pub other_gender: &'static str,
    pub years: &'static str,
    /// The decimal separator of shares and differences.
    pub comma: bool,
}

pub static SV: Words = Words {
    lang: "sv",
    everyone: "Alla",
    not_stated: "Ej angivet",
    under_five: "<5",
    privacy: "dold (integritet)",
    small_group: "för få svarande",
    unreliable: "osäker",
    no_change: "ingen säkerställd förändring",
    reliable_rise: "säkerställd ökning",
    reliable_fall: "säkerställd minskning",
    points: "procentenheter",
    paired: |n| format!("parad, {n} barn i båda"),
    independent: "oparad jämförelse",
    not_comparable: "kan inte jämföras",
    any_risk: "Minst en risk inom området",
    factor: "Faktor",
    share: "Andel (95 % KI)",
    asked: "Tillfrågade",
    worried_little: "Oroar sig lite",
    worried_lot: "Oroar sig mycket",
    wants_help: "Vill ha hjälp",
    often: "Ofta",
    present: "Finns (95 % KI)",
    figure: "Antal",
    respondents: "Svarande (klara)",
    unfinished: "Inte klara",
    acute: "Akuta svar",
    before: "Före",
    after: "Efter",
    change_unpaired: "Förändring, de som svarade en gång",
    smallest: "Minsta upptäckbara förändring",
    change: "Förändring",
    round: "Omgång",
    invited: "Inbjudna",
    response_rate: "Svarsfrekvens",
    girl: "Flicka",
    boy: "Pojke",
    other_gender: "Annat",
    years: "år",
    comma: true,
};

pub static EN: Words = Words {
    lang: "en",
    everyone: "Everyone",
    not_stated: "Not stated",
    under_five: "<5",
    privacy: "hidden (privacy)",
    small_group: "too few respondents",
    unreliable: "unreliable",
    no_change: "no reliable change",
    reliable_rise: "reliable rise",
    reliable_fall: "reliable fall",
    points: "percentage points",
    paired: |n| format!("paired, {n} children in both"),
    independent: "unpaired comparison",
    not_comparable: "cannot be compared",
    any_risk: "At least one risk in the domain",
    factor: "Factor",
    share: "Share (95% CI)",
    asked: "Asked",
    worried_little: "Worried a little",
    worried_lot: "Worried a lot",
    wants_help: "Wants help",
    often: "Often",
    present: "Present (95% CI)",
    figure: "Number",
    respondents: "Respondents (finished)",
    unfinished: "Not finished",
    acute: "Acute answers",
    before: "Before",
    after: "After",
    change_unpaired: "Change, those who answered once",
    smallest: "Smallest detectable change",
    change: "Change",
    round: "Round",
    invited: "Invited",
    response_rate: "Response rate",
    girl: "Girl",
    boy: "Boy",
    other_gender: "Other",
    years: "years",
    comma: false,
};

/// One cell as it is shown and exported.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A share with its interval, or why it is hidden.
    Share(Shown),
    /// A count, or why it is hidden.
    Count(Shown),
    /// A change between two shares.
    Change(Compared),
    /// The smallest change the groups could detect, in shares.
    Detectable(Option<f64>),
    Text(String),
}

/// How a cell is marked beside its words, for the page to style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Plain,
    /// Hidden for privacy (any of the gate's marks).
    Hidden,
    /// Shown, but too few to be reliable.
    Unreliable,
    /// A change whose interval holds zero.
    NoChange,
    /// A change whose interval leaves zero.
    Reliable,
}

impl Value {
    /// The cell's words: what the screen, the print page and the CSV all show.
    pub fn text(&self, w: &Words) -> String {
        match self {
            Value::Share(Shown::Figure(f)) => match f.share {
                Some(share) => {
                    let text =
                        format!("{} ({}–{})", percent(share.estimate, w), whole(share.low, w), whole(share.high, w));
                    if f.unreliable() {
                        format!("{text}, {}", w.unreliable)
                    } else {
                        text
                    }
                }
                None => "–".into(),
            },
            Value::Count(Shown::Figure(f)) => f.count.to_string(),
            Value::Share(Shown::Hidden(mark)) | Value::Count(Shown::Hidden(mark)) => hidden(*mark, w).into(),
            Value::Change(Compared::Change(c)) => {
                let d = c.difference;
                let verdict = match (c.reliable(), d.estimate > 0.0) {
                    (false, _) => w.no_change,
                    (true, true) => w.reliable_rise,
                    (true, false) => w.reliable_fall,
                };
                let design = match c.design {
                    Design::Paired { pairs, .. } => (w.paired)(pairs),
                    Design::Independent => w.independent.into(),
                };
                format!(
                    "{} ({} – {}) {}, {verdict}; {design}",
                    signed(d.estimate, w),
                    signed(d.low, w),
                    signed(d.high, w),
                    w.points
                )
            }
            Value::Change(Compared::Hidden) => w.privacy.into(),
            Value::Change(Compared::Empty) => w.not_comparable.into(),
            Value::Detectable(Some(d)) => format!("{} {}", number(d * 100.0, 0, w), w.points),
            Value::Detectable(None) => "–".into(),
            Value::Text(t) => t.clone(),
        }
    }

    pub fn tone(&self) -> Tone {
        match self {
            Value::Share(Shown::Hidden(_)) | Value::Count(Shown::Hidden(_)) | Value::Change(Compared::Hidden) => {
                Tone::Hidden
            }
            Value::Share(Shown::Figure(f)) if f.unreliable() => Tone::Unreliable,
            Value::Change(Compared::Change(c)) if c.reliable() => Tone::Reliable,
            Value::Change(Compared::Change(_)) => Tone::NoChange,
            _ => Tone::Plain,
        }
    }

    /// The share shown, if this is one: for drawing a bar.
    pub fn interval(&self) -> Option<Interval> {
        match self {
            Value::Share(Shown::Figure(Figure { share, .. })) => *share,
            _ => None,
        }
    }
}

fn hidden(mark: Mark, w: &Words) -> &'static str {
    match mark {
        Mark::UnderFive => w.under_five,
        Mark::Privacy => w.privacy,
        Mark::SmallGroup => w.small_group,
    }
}

fn number(value: f64, decimals: usize, w: &Words) -> String {
    let text = format!("{value:.decimals$}");
    if w.comma {
        text.replace('.', ",")
    } else {
        text
    }
}

/// A share as a whole percentage, without the sign.
fn whole(share: f64, w: &Words) -> String {
    number(share * 100.0, 0, w)
}

fn percent(share: f64, w: &Words) -> String {
    if w.comma {
        format!("{} %", whole(share, w))
    } else {
        format!("{}%", whole(share, w))
    }
}

/// A difference in percentage points with its sign (a minus sign, not a hyphen).
fn signed(share: f64, w: &Words) -> String {
    let points = (share * 100.0).round();
    let text = number(points.abs(), 0, w);
    if points > 0.0 {
        format!("+{text}")
    } else if points < 0.0 {
        format!("−{text}")
    } else {
        text
    }
}

/// One row: a label and its cells.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub label: String,
    /// The factor the row is about, if any (for the page to link or draw).
    pub factor: Option<String>,
    pub cells: Vec<Value>,
}

/// A table as shown, printed and exported.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// The first column's heading, then one per cell.
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
}

impl Table {
    /// The table as CSV (RFC 4180, through the `csv` crate): the column headings, then each
    /// row's label and cells in exactly the words the screen shows.
    pub fn csv(&self, w: &Words) -> String {
        let mut out = csv::Writer::from_writer(Vec::new());
        // Writing to memory cannot fail, and every record has the same length.
        let _ = out.write_record(&self.columns);
        for row in &self.rows {
            let cells = std::iter::once(row.label.clone()).chain(row.cells.iter().map(|c| c.text(w)));
            let _ = out.write_record(cells);
        }
        String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    /// Each row's label and cell words, as the screen shows them (for tests and the page).
    pub fn texts(&self, w: &Words) -> Vec<Vec<String>> {
        self.rows
            .iter()
            .map(|r| std::iter::once(r.label.clone()).chain(r.cells.iter().map(|c| c.text(w))).collect())
            .collect()
    }
}

fn cell(d: &Disclosed, group: &Group, measure: Measure) -> Shown {
    // A measure the grid does not have (no record was asked it) is shown as its group's
    // mark if the group is hidden, else as nothing asked.
    d.get(group, &measure).unwrap_or(Shown::Hidden(Mark::SmallGroup))
}

/// The shown estimate of a share, for ordering rows; hidden shares sort last.
fn estimate(shown: Shown) -> Option<f64> {
    match shown {
        Shown::Figure(Figure { share: Some(s), .. }) => Some(s.estimate),
        _ => None,
    }
}

fn name(factor: &Factor, w: &Words) -> String {
    factor.name.get(w.lang).to_string()
}

/// A group's name: everyone, a unit's name from `units`, a gender or an age band in words.
pub fn group_label(group: &Group, units: &dyn Fn(&str) -> Option<String>, w: &Words) -> String {
    match group {
        Group::Everyone => w.everyone.into(),
        Group::Of(_, None) => w.not_stated.into(),
        Group::Of(Breakdown::Unit, Some(id)) => units(id).unwrap_or_else(|| id.clone()),
        Group::Of(Breakdown::Gender, Some(g)) => match g.as_str() {
            "girl" => w.girl.into(),
            "boy" => w.boy.into(),
            "other" => w.other_gender.into(),
            other => other.into(),
        },
        Group::Of(Breakdown::AgeBand, Some(band)) => band_label(band, w),
        Group::UnitBand(unit, band) => {
            let unit = group_label(&Group::Of(Breakdown::Unit, unit.clone()), units, w);
            let band = group_label(&Group::Of(Breakdown::AgeBand, band.clone()), units, w);
            format!("{unit}, {band}")
        }
        Group::Cohort(Cohort::Before) => w.before.into(),
        Group::Cohort(Cohort::After) => w.after.into(),
        Group::Cohort(_) => w.figure.into(),
    }
}

/// An age band in words: "13–18 år".
pub fn band_label(band: &str, w: &Words) -> String {
    format!("{} {}", band.replace('-', "–"), w.years)
}

/// The risk factors (of `level`, or all) that `d` has figures for, in catalogue order.
fn risks<'c>(d: &Disclosed, catalogue: &'c Catalogue, level: Option<Level>) -> Vec<&'c Factor> {
    catalogue
        .factors()
        .iter()
        .filter(|f| f.kind == FactorKind::Risk && level.is_none_or(|l| f.level == l))
        .filter(|f| d.get(&Group::Everyone, &Measure::Asked(f.id.clone())).is_some())
        .collect()
}

fn protective<'c>(d: &Disclosed, catalogue: &'c Catalogue) -> Vec<&'c Factor> {
    catalogue
        .factors()
        .iter()
        .filter(|f| f.kind == FactorKind::Protective)
        .filter(|f| d.get(&Group::Everyone, &Measure::Present(f.id.clone())).is_some())
        .collect()
}

/// The domains `d` has figures for, in catalogue order.
pub fn domains(d: &Disclosed, catalogue: &Catalogue) -> Vec<Level> {
    let mut out: Vec<Level> = Vec::new();
    for f in risks(d, catalogue, None) {
        if !out.contains(&f.level) {
            out.push(f.level);
        }
    }
    out
}

/// The risk columns: prevalence beside how many were asked, worried, want help and say often.
fn risk_columns(w: &Words) -> Vec<String> {
    [w.factor, w.share, w.asked, w.worried_little, w.worried_lot, w.wants_help, w.often].map(str::to_string).to_vec()
}

fn risk_row(d: &Disclosed, group: &Group, f: &Factor, w: &Words) -> Row {
    let id = || f.id.clone();
    Row {
        label: name(f, w),
        factor: Some(f.id.clone()),
        cells: vec![
            Value::Share(cell(d, group, Measure::Endorsed(id()))),
            Value::Count(cell(d, group, Measure::Asked(id()))),
            Value::Share(cell(d, group, Measure::WorriedALittle(id()))),
            Value::Share(cell(d, group, Measure::WorriedALot(id()))),
            Value::Share(cell(d, group, Measure::WantsHelp(id()))),
            Value::Share(cell(d, group, Measure::Often(id()))),
        ],
    }
}

/// Each round's response: the children invited (the server's count of invitations, not
/// a figure about anyone's answers), its respondents through the gate, and the share of
/// the invited who finished, when both are shown.
pub fn response(rounds: &[(String, u64, &Disclosed)], w: &Words) -> Table {
    let rows = rounds
        .iter()
        .map(|(name, invited, d)| {
            let respondents = cell(d, &Group::Everyone, Measure::Respondents);
            let rate = match respondents {
                Shown::Figure(f) if *invited > 0 => Value::Text(percent(f64::from(f.count) / *invited as f64, w)),
                _ => Value::Text("–".into()),
            };
            Row {
                label: name.clone(),
                factor: None,
                cells: vec![Value::Text(invited.to_string()), Value::Count(respondents), rate],
            }
        })
        .collect();
    Table { columns: [w.round, w.invited, w.respondents, w.response_rate].map(str::to_string).to_vec(), rows }
}

/// The overview of one group: its size, the risks most common, those most worried about
/// and most wished help with, and the protective factors from most to least present.
#[derive(Clone, Debug, PartialEq)]
pub struct Overview {
    pub size: Table,
    pub most_common: Table,
    pub most_worried: Table,
    pub most_help: Table,
    pub protective: Table,
}

/// How many rows a "most …" list of the overview holds.
pub const TOP: usize = 5;

pub fn overview(d: &Disclosed, group: &Group, catalogue: &Catalogue, w: &Words) -> Overview {
    let size = Table {
        columns: vec![String::new(), w.figure.into()],
        rows: [(w.respondents, Measure::Respondents), (w.unfinished, Measure::Unfinished), (w.acute, Measure::Acute)]
            .into_iter()
            .map(|(label, m)| Row { label: label.into(), factor: None, cells: vec![Value::Count(cell(d, group, m))] })
            .collect(),
    };
    let all = risks(d, catalogue, None);
    let top_by = |measure: fn(String) -> Measure| -> Table {
        let mut ranked: Vec<(&&Factor, f64)> =
            all.iter().filter_map(|f| estimate(cell(d, group, measure(f.id.clone()))).map(|e| (f, e))).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.id.cmp(&b.0.id)));
        Table {
            columns: risk_columns(w),
            rows: ranked.into_iter().take(TOP).map(|(f, _)| risk_row(d, group, f, w)).collect(),
        }
    };
    let mut present: Vec<(&Factor, Option<f64>)> = protective(d, catalogue)
        .into_iter()
        .map(|f| (f, estimate(cell(d, group, Measure::Present(f.id.clone())))))
        .collect();
    present.sort_by(|a, b| match (a.1, b.1) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.0.id.cmp(&b.0.id),
    });
    let protective = Table {
        columns: vec![w.factor.into(), w.present.into(), w.asked.into()],
        rows: present
            .into_iter()
            .map(|(f, _)| Row {
                label: name(f, w),
                factor: Some(f.id.clone()),
                cells: vec![
                    Value::Share(cell(d, group, Measure::Present(f.id.clone()))),
                    Value::Count(cell(d, group, Measure::Asked(f.id.clone()))),
                ],
            })
            .collect(),
    };
    Overview {
        size,
        most_common: top_by(Measure::Endorsed),
        most_worried: top_by(Measure::WorriedALot),
        most_help: top_by(Measure::WantsHelp),
        protective,
    }
}

/// One bar of a domain profile: a factor's share in the group, with the whole
/// organisation's as a reference mark and last release's as a ghost bar. Every value
/// passed the gate; a hidden one is drawn as its mark, never as zero.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub factor: Option<String>,
    pub value: Value,
    pub n: Value,
    pub reference: Option<Value>,
    pub last: Option<Value>,
}

/// A domain's profile: the bars, and the same figures as a table.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    pub level: Level,
    pub bars: Vec<Bar>,
    pub table: Table,
}

/// The profile of `level` for `group` in `d`; `last` is the earlier release, read for the
/// same group. The reference is everyone in `d` (shown only when `group` is not everyone).
pub fn profile(
    d: &Disclosed,
    group: &Group,
    last: Option<&Disclosed>,
    catalogue: &Catalogue,
    level: Level,
    w: &Words,
) -> Profile {
    let reference = |m: Measure| (group != &Group::Everyone).then(|| Value::Share(cell(d, &Group::Everyone, m)));
    let ghost = |m: Measure| last.map(|l| Value::Share(cell(l, group, m)));
    let mut bars = vec![Bar {
        label: w.any_risk.into(),
        factor: None,
        value: Value::Share(cell(d, group, Measure::AnyRisk(level))),
        n: Value::Count(cell(d, group, Measure::DomainAsked(level))),
        reference: reference(Measure::AnyRisk(level)),
        last: ghost(Measure::AnyRisk(level)),
    }];
    for f in risks(d, catalogue, Some(level)) {
        let m = || Measure::Endorsed(f.id.clone());
        bars.push(Bar {
            label: name(f, w),
            factor: Some(f.id.clone()),
            value: Value::Share(cell(d, group, m())),
            n: Value::Count(cell(d, group, Measure::Asked(f.id.clone()))),
            reference: reference(m()),
            last: ghost(m()),
        });
    }
    let mut columns = vec![w.factor.to_string(), w.share.into(), w.asked.into()];
    if group != &Group::Everyone {
        columns.push(format!("{}: {}", w.everyone, w.share));
    }
    if last.is_some() {
        columns.push(format!("{} ({})", w.share, w.before.to_lowercase()));
    }
    let rows = bars
        .iter()
        .map(|b| Row {
            label: b.label.clone(),
            factor: b.factor.clone(),
            cells: [Some(b.value.clone()), Some(b.n.clone()), b.reference.clone(), b.last.clone()]
                .into_iter()
                .flatten()
                .collect(),
        })
        .collect();
    Profile { level, bars, table: Table { columns, rows } }
}

/// Every risk's share in each group of one breakdown (a factor × area table, say): one
/// column per group, in `groups`' order, everyone last.
pub fn by_group(
    d: &Disclosed,
    groups: &[Group],
    catalogue: &Catalogue,
    units: &dyn Fn(&str) -> Option<String>,
    w: &Words,
) -> Table {
    let mut columns = vec![w.factor.to_string()];
    columns.extend(groups.iter().map(|g| group_label(g, units, w)));
    columns.push(w.everyone.into());
    let rows = risks(d, catalogue, None)
        .into_iter()
        .map(|f| Row {
            label: name(f, w),
            factor: Some(f.id.clone()),
            cells: groups
                .iter()
                .chain(std::iter::once(&Group::Everyone))
                .map(|g| Value::Share(cell(d, g, Measure::Endorsed(f.id.clone()))))
                .collect(),
        })
        .collect();
    Table { columns, rows }
}

/// Each risk's share for `group` over releases, oldest first, the change from the one
/// before the last to the last (Newcombe's interval for independent groups) and the
/// smallest change groups of those sizes could call reliable.
pub fn trend(releases: &[(String, &Disclosed)], group: &Group, catalogue: &Catalogue, w: &Words) -> Table {
    let Some((_, newest)) = releases.last() else { return Table { columns: vec![w.factor.into()], rows: vec![] } };
    let mut columns = vec![w.factor.to_string()];
    columns.extend(releases.iter().map(|(label, _)| label.clone()));
    if releases.len() >= 2 {
        columns.push(w.change.into());
        columns.push(w.smallest.into());
    }
    let rows = risks(newest, catalogue, None)
        .into_iter()
        .map(|f| {
            let m = Measure::Endorsed(f.id.clone());
            let mut cells: Vec<Value> = releases.iter().map(|(_, d)| Value::Share(cell(d, group, m.clone()))).collect();
            if let [.., (_, earlier), (_, later)] = releases {
                let change = between_releases(earlier, later, group, &m);
                let detectable = match change {
                    Compared::Change(c) => c.smallest_detectable,
                    _ => None,
                };
                cells.extend([Value::Change(change), Value::Detectable(detectable)]);
            }
            Row { label: name(f, w), factor: Some(f.id.clone()), cells }
        })
        .collect();
    Table { columns, rows }
}

/// Every risk asked in both rounds, before and after an intervention: each round's share
/// (from the round's own disclosed figures); the change, for the children who answered both
/// (paired, McNemar) when the gate lets their table out, and otherwise between the two
/// rounds as independent groups (cautious when the same children answered both, since
/// their answers go together); the change for the children who answered only one round;
/// and the smallest change the headline comparison could detect. Each change says which
/// design it is. A comparison whose round share is hidden is hidden too, so that the
/// comparison's own cells cannot reveal what the round's release kept back.
pub fn before_after_table(
    before: &[StatisticsRecord],
    after: &[StatisticsRecord],
    catalogue: &Catalogue,
    rules: &Rules,
    w: &Words,
) -> Table {
    let asked = |records: &[StatisticsRecord], id: &str| records.iter().any(|r| r.risks.contains_key(id));
    let released = |records: &[StatisticsRecord]| disclose(&aggregate(records, catalogue, &[]), rules);
    let (before_release, after_release) = (released(before), released(after));
    let columns = [w.factor, w.before, w.after, w.change, w.change_unpaired, w.smallest].map(str::to_string).to_vec();
    let rows = catalogue
        .factors()
        .iter()
        .filter(|f| f.kind == FactorKind::Risk && asked(before, &f.id) && asked(after, &f.id))
        .map(|f| {
            let m = Measure::Endorsed(f.id.clone());
            let (was, is) =
                (cell(&before_release, &Group::Everyone, m.clone()), cell(&after_release, &Group::Everyone, m.clone()));
            let shown = matches!((was, is), (Shown::Figure(_), Shown::Figure(_)));
            let compared = before_after(before, after, &f.id, rules);
            let headline = match compared.paired {
                Compared::Change(c) => Compared::Change(c),
                // The rounds' shares are published anyway: comparing them tells nothing new.
                _ => between_releases(&before_release, &after_release, &Group::Everyone, &m),
            };
            let gated = |c: Compared| if shown { c } else { Compared::Hidden };
            let detectable = match headline {
                Compared::Change(c) if shown => c.smallest_detectable,
                _ => None,
            };
            Row {
                label: name(f, w),
                factor: Some(f.id.clone()),
                cells: vec![
                    Value::Share(was),
                    Value::Share(is),
                    Value::Change(gated(headline)),
                    Value::Change(gated(compared.unpaired)),
                    Value::Detectable(detectable),
                ],
            }
        })
        .collect();
    Table { columns, rows }
}

#[cfg(test)]
mod tests;
