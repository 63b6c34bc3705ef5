//! The group picture's views, drawn from the domain crate's gated tables
//! (`beratta_core::group::picture`): the overview, a profile per domain (SVG bars with
//! interval whiskers, the whole organisation as a reference mark, last year as a ghost bar,
//! hidden cells hatched and labelled, never drawn as zero), a factor × group table, a trend
//! over years and before/after per intervention. Every chart has its table beside it, and
//! every table a CSV download of exactly its words. The A4 print layout holds the overview
//! and the profiles with the release, the instruments and the rules.

use super::page::download_csv;
use super::picture_model::{years, Opened, Scope, Selection, View};
use super::texts::texts;
use crate::common::lang::Lang;
use beratta_core::api::Phase;
use beratta_core::group::picture::{self as views, Bar, Profile, Table, Tone, Value, Words};
use beratta_core::group::{aggregate, disclose, Breakdown, Disclosed, Group, Rules};
use beratta_core::statistics::StatisticsRecord;
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::prelude::*;

pub(super) fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Sv => &views::SV,
        _ => &views::EN,
    }
}

/// The closed rounds a view of `selection` reads: the year's, every year's for the trend,
/// or the interventions' rounds for before/after.
pub fn rounds_of(opened: &Opened, selection: &Selection) -> Vec<String> {
    let closed = opened.rounds.iter().filter(|r| r.is_closed());
    match selection.view {
        View::Trend => closed.map(|r| r.round_id.clone()).collect(),
        View::BeforeAfter => closed.filter(|r| r.intervention.is_some()).map(|r| r.round_id.clone()).collect(),
        _ => selection
            .year
            .as_deref()
            .map_or_else(Vec::new, |year| opened.rounds_in(year).map(|r| r.round_id.clone()).collect()),
    }
}

/// The figures over `scope`, split by `breakdown`, through the gate; counted once per page.
pub(super) fn counted(opened: &Opened, scope: Scope, breakdown: Option<Breakdown>) -> Rc<Disclosed> {
    let key = (scope, breakdown);
    if let Some(d) = opened.disclosed.borrow().get(&key) {
        return d.clone();
    }
    let rounds: Vec<&str> = match &key.0 {
        Scope::Year(year) => opened.rounds_in(year).map(|r| r.round_id.as_str()).collect(),
        Scope::Round(id) => vec![id.as_str()],
    };
    let records: Vec<&StatisticsRecord> =
        rounds.iter().filter_map(|id| opened.records.get(*id)).flat_map(|r| r.iter()).collect();
    let breakdowns: Vec<Breakdown> = breakdown.into_iter().collect();
    let d = Rc::new(disclose(&aggregate(&records, &opened.catalogue, &breakdowns), &Rules::default()));
    opened.disclosed.borrow_mut().insert(key, d.clone());
    d
}

/// The year's figures, split by `breakdown`.
pub(super) fn disclosed(opened: &Opened, year: &str, breakdown: Option<Breakdown>) -> Rc<Disclosed> {
    counted(opened, Scope::Year(year.to_string()), breakdown)
}

/// The figures of the newest year before `year` with closed rounds, if any: last year's
/// ghost bars.
pub(super) fn year_before(opened: &Opened, year: &str, breakdown: Option<Breakdown>) -> Option<Rc<Disclosed>> {
    let earlier = years(&opened.rounds).into_iter().rev().find(|y| y.as_str() < year)?;
    Some(disclosed(opened, &earlier, breakdown))
}

/// The groups of `breakdown` in `d`, in the order of their names.
fn groups(d: &Disclosed, breakdown: Breakdown, opened: &Opened, w: &Words) -> Vec<Group> {
    let mut groups: Vec<Group> =
        d.cells().map(|(g, _, _)| g).filter(|g| matches!(g, Group::Of(b, _) if *b == breakdown)).cloned().collect();
    groups.dedup();
    let units = unit_names(opened);
    groups.sort_by_key(|g| views::group_label(g, &units, w));
    groups
}

pub(super) fn unit_names(opened: &Opened) -> impl Fn(&str) -> Option<String> + '_ {
    move |id: &str| opened.units.get(id).cloned()
}

fn tone_class(tone: Tone) -> &'static str {
    match tone {
        Tone::Plain => "",
        Tone::Hidden => "tone-hidden",
        Tone::Unreliable => "tone-unreliable",
        Tone::NoChange => "tone-no-change",
        Tone::Reliable => "tone-reliable",
    }
}

/// A file name for a table's CSV: its id.
fn csv_name(id: &str) -> String {
    format!("gruppbild-{id}.csv")
}

/// Hands a table's CSV to the browser, with a byte-order mark so spreadsheets read UTF-8.
fn download(name: &str, text: &str) {
    if download_csv(name, &format!("\u{feff}{text}")).is_err() {
        crate::common::log::log("the CSV could not be handed to the browser");
    }
}

/// A table with its caption, and a button that downloads exactly its words as CSV.
pub(super) fn table_view(id: &str, caption: &str, table: &Table, lang: Lang) -> Html {
    let w = words(lang);
    let p = texts(lang).picture;
    let on_csv = {
        let (csv, name) = (table.csv(w), csv_name(id));
        Callback::from(move |_: MouseEvent| download(&name, &csv))
    };
    html! {
        <div class="picture-table" id={id.to_string()}>
            // A wide table scrolls sideways; the keyboard can reach and scroll it too.
            <div class="table-wrap" tabindex="0" role="region" aria-label={caption.to_string()}>
                <table class="data">
                    <caption>{ caption }</caption>
                    <thead>
                        <tr>{ for table.columns.iter().map(|c| html! { <th scope="col">{ c }</th> }) }</tr>
                    </thead>
                    <tbody>
                        { for table.rows.iter().map(|row| html! {
                            <tr data-factor={row.factor.clone()}>
                                <th scope="row">{ &row.label }</th>
                                { for row.cells.iter().map(|c| html! {
                                    <td class={tone_class(c.tone())}>{ c.text(w) }</td>
                                }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <button type="button" class="secondary small no-print csv" aria-label={(p.csv_label)(caption)} onclick={on_csv}>
                { p.csv }
            </button>
        </div>
    }
}

/// Chart geometry, in SVG units.
const LABEL_W: f64 = 230.0;
const SCALE_W: f64 = 380.0;
const ROW_H: f64 = 40.0;
const CHART_W: f64 = LABEL_W + SCALE_W + 20.0;

fn x(share: f64) -> f64 {
    LABEL_W + share.clamp(0.0, 1.0) * SCALE_W
}

/// One bar: the ghost of last year, the share, its whisker, the reference mark, and the n.
/// A hidden value is a hatched field with its mark in words, never a bar of zero.
fn bar_svg(i: usize, bar: &Bar, w: &Words) -> Html {
    let top = i as f64 * ROW_H + 6.0;
    let mid = top + 11.0;
    let ghost = bar.last.as_ref().and_then(Value::interval).map(|g| html! {
        <rect class="bar-ghost" x={LABEL_W.to_string()} y={(top - 3.0).to_string()} width={(x(g.estimate) - LABEL_W).to_string()} height="28" />
    });
    let value = match bar.value.interval() {
        Some(share) => html! {
            <>
                <rect class={classes!("bar-value", tone_class(bar.value.tone()))} x={LABEL_W.to_string()} y={top.to_string()}
                    width={(x(share.estimate) - LABEL_W).max(1.0).to_string()} height="22" />
                <line class="bar-whisker" x1={x(share.low).to_string()} x2={x(share.high).to_string()}
                    y1={mid.to_string()} y2={mid.to_string()} />
                <text class="bar-figure" x={(x(share.high) + 6.0).min(CHART_W - 4.0).to_string()} y={(mid + 4.0).to_string()}>
                    { bar.value.text(w).split(" (").next().unwrap_or_default().to_string() }
                </text>
            </>
        },
        None => html! {
            <>
                <rect class="bar-hidden" x={LABEL_W.to_string()} y={top.to_string()} width={SCALE_W.to_string()} height="22" fill="url(#hatch)" />
                <text class="bar-mark" x={(LABEL_W + 8.0).to_string()} y={(mid + 4.0).to_string()}>{ bar.value.text(w) }</text>
            </>
        },
    };
    let reference = bar.reference.as_ref().and_then(Value::interval).map(|r| {
        html! {
            <line class="bar-reference" x1={x(r.estimate).to_string()} x2={x(r.estimate).to_string()}
                y1={(top - 4.0).to_string()} y2={(top + 26.0).to_string()} />
        }
    });
    html! {
        <g class="bar">
            <text class="bar-label" x="0" y={(mid + 4.0).to_string()}>{ &bar.label }</text>
            { ghost.unwrap_or_default() }
            { value }
            { reference.unwrap_or_default() }
            <text class="bar-n" x={LABEL_W.to_string()} y={(top + 34.0).to_string()}>{ format!("n = {}", bar.n.text(w)) }</text>
        </g>
    }
}

/// A domain profile: the bars (for sight) and the table (for everyone, and for the CSV).
pub(super) fn profile_view(id: &str, title: &str, profile: &Profile, lang: Lang) -> Html {
    let w = words(lang);
    let p = texts(lang).picture;
    let height = profile.bars.len() as f64 * ROW_H + 12.0;
    html! {
        <section class="picture-profile" aria-label={title.to_string()}>
            <h3>{ title }</h3>
            <svg class="picture-chart" role="img" aria-label={(p.chart_label)(title)}
                viewBox={format!("0 0 {CHART_W} {height}")} width="100%" preserveAspectRatio="xMinYMin meet">
                <defs>
                    <pattern id="hatch" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)">
                        <line x1="0" y1="0" x2="0" y2="8" class="hatch-line" />
                    </pattern>
                </defs>
                { for profile.bars.iter().enumerate().map(|(i, b)| bar_svg(i, b, w)) }
            </svg>
            { table_view(id, title, &profile.table, lang) }
        </section>
    }
}

/// The view the selector chose.
pub fn view(opened: &Opened, selection: &Selection, lang: Lang) -> Html {
    let w = words(lang);
    let p = texts(lang).picture;
    let year = selection.year.clone().unwrap_or_default();
    let d = disclosed(opened, &year, selection.breakdown);
    let units = unit_names(opened);
    let chosen: Vec<Group> = match selection.breakdown {
        Some(b) => groups(&d, b, opened, w),
        None => vec![Group::Everyone],
    };
    let content = match selection.view {
        View::Overview => html! {
            <>
                { response_view(opened, &year, lang) }
                { for chosen.iter().map(|g| overview_view(&d, g, opened, lang)) }
            </>
        },
        View::Domains => {
            let last = year_before(opened, &year, selection.breakdown);
            html! {
                <>
                    <p class="note">{ p.legend }</p>
                    { for chosen.iter().map(|g| {
                        let name = views::group_label(g, &units, w);
                        html! {
                            <section class="picture-group" aria-label={name.clone()}>
                                <h2>{ &name }</h2>
                                { for views::domains(&d, &opened.catalogue).into_iter().map(|level| {
                                    let profile = views::profile(&d, g, last.as_deref(), &opened.catalogue, level, w);
                                    let title = format!("{}: {}", name, (p.domain)((p.level)(level)));
                                    profile_view(&format!("profile-{}-{}", slug(&name), level_slug(level)), &title, &profile, lang)
                                }) }
                            </section>
                        }
                    }) }
                </>
            }
        }
        View::Areas => {
            let breakdown = selection.breakdown.unwrap_or(Breakdown::Unit);
            let split = disclosed(opened, &year, Some(breakdown));
            let columns = groups(&split, breakdown, opened, w);
            let table = views::by_group(&split, &columns, &opened.catalogue, &units, w);
            html! { <>{ table_view("by-group", p.areas_heading, &table, lang) }</> }
        }
        View::Trend => {
            let all_years = years(&opened.rounds);
            if all_years.len() < 2 {
                html! { <p class="note">{ p.trend_needs_two }</p> }
            } else {
                let per_year: Vec<(String, Rc<Disclosed>)> =
                    all_years.iter().map(|y| (y.clone(), disclosed(opened, y, selection.breakdown))).collect();
                let releases: Vec<(String, &Disclosed)> =
                    per_year.iter().map(|(y, d)| (y.clone(), d.as_ref())).collect();
                html! {
                    { for chosen.iter().map(|g| {
                        let name = views::group_label(g, &units, w);
                        let table = views::trend(&releases, g, &opened.catalogue, w);
                        table_view(&format!("trend-{}", slug(&name)), &format!("{}: {}", p.trend_heading, name), &table, lang)
                    }) }
                }
            }
        }
        View::BeforeAfter => before_after_view(opened, lang),
        // Drawn by `needs_views::NeedsView`, which fetches the register beside the figures.
        View::Needs => Html::default(),
    };
    html! { <div id="picture-content" data-view={selection.view.name()}>{ content }</div> }
}

/// The year's rounds with their response rates; each round's respondents through the gate.
pub(super) fn response_view(opened: &Opened, year: &str, lang: Lang) -> Html {
    let w = words(lang);
    let p = texts(lang).picture;
    let rounds: Vec<(String, u64, Rc<Disclosed>)> = opened
        .rounds_in(year)
        .map(|r| {
            let d = counted(opened, Scope::Round(r.round_id.clone()), None);
            (r.name.clone(), opened.invited.get(&r.round_id).copied().unwrap_or(0), d)
        })
        .collect();
    let rows: Vec<(String, u64, &Disclosed)> = rounds.iter().map(|(n, i, d)| (n.clone(), *i, d.as_ref())).collect();
    table_view("response", p.response_heading, &views::response(&rows, w), lang)
}

fn overview_view(d: &Disclosed, group: &Group, opened: &Opened, lang: Lang) -> Html {
    let w = words(lang);
    let p = texts(lang).picture;
    let name = views::group_label(group, &unit_names(opened), w);
    let o = views::overview(d, group, &opened.catalogue, w);
    let id = |what: &str| format!("{what}-{}", slug(&name));
    html! {
        <section class="picture-group" aria-label={name.clone()}>
            <h2>{ &name }</h2>
            { table_view(&id("size"), &format!("{}: {}", p.respondents_heading, name), &o.size, lang) }
            { table_view(&id("common"), &format!("{}: {}", p.most_common, name), &o.most_common, lang) }
            { table_view(&id("worried"), &format!("{}: {}", p.most_worried, name), &o.most_worried, lang) }
            { table_view(&id("help"), &format!("{}: {}", p.most_help, name), &o.most_help, lang) }
            { table_view(&id("protective"), &format!("{}: {}", p.protective, name), &o.protective, lang) }
        </section>
    }
}

/// Each intervention with closed rounds both before and after: its risks compared.
fn before_after_view(opened: &Opened, lang: Lang) -> Html {
    let w = words(lang);
    let p = texts(lang).picture;
    let mut phases: BTreeMap<&str, (Vec<StatisticsRecord>, Vec<StatisticsRecord>)> = BTreeMap::new();
    for round in opened.rounds.iter().filter(|r| r.is_closed()) {
        let (Some(tag), Some(records)) = (&round.intervention, opened.records.get(&round.round_id)) else { continue };
        let entry = phases.entry(tag.intervention_id.as_str()).or_default();
        match tag.phase {
            Phase::Before => entry.0.extend(records.iter().cloned()),
            Phase::After => entry.1.extend(records.iter().cloned()),
            Phase::FollowUp => {}
        }
    }
    let compared: Vec<Html> = phases
        .iter()
        .filter(|(_, (before, after))| !before.is_empty() && !after.is_empty())
        .map(|(id, (before, after))| {
            let name = opened.interventions.get(*id).cloned().unwrap_or_else(|| id.to_string());
            let table = views::before_after_table(before, after, &opened.catalogue, &Rules::default(), w);
            table_view(&format!("before-after-{}", slug(&name)), &(p.before_after_heading)(&name), &table, lang)
        })
        .collect();
    if compared.is_empty() {
        html! { <p class="note">{ p.no_intervention }</p> }
    } else {
        html! { <>{ for compared }</> }
    }
}

/// The A4 print layout: what was opened, the rules, the overview and every domain profile
/// for everyone.
pub fn print_layout(opened: &Opened, selection: &Selection, lang: Lang, rules: &str) -> Html {
    let w = words(lang);
    let p = texts(lang).picture;
    let year = selection.year.clone().unwrap_or_default();
    let d = disclosed(opened, &year, None);
    let rounds: Vec<String> = opened.rounds_in(&year).map(|r| r.name.clone()).collect();
    let last = year_before(opened, &year, None);
    html! {
        <div id="picture-print-layout" class="print-layout">
            <h2>{ p.print_heading }</h2>
            <p id="print-release">{ (p.print_release)(&year, &rounds.join(", ")) }</p>
            <p id="print-instruments">{ (p.print_instruments)(&opened.instruments.join(", ")) }</p>
            <p id="print-rules">{ rules }</p>
            <p class="note">{ p.hidden_note }{ " " }{ p.unreliable_note }</p>
            { overview_view(&d, &Group::Everyone, opened, lang) }
            { for views::domains(&d, &opened.catalogue).into_iter().map(|level| {
                let profile = views::profile(&d, &Group::Everyone, last.as_deref(), &opened.catalogue, level, w);
                let title = (p.domain)((p.level)(level));
                profile_view(&format!("print-profile-{}", level_slug(level)), &title, &profile, lang)
            }) }
        </div>
    }
}

/// A name as a piece of an element id.
pub(super) fn slug(name: &str) -> String {
    name.chars().map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect()
}

fn level_slug(level: beratta_core::catalogue::Level) -> &'static str {
    use beratta_core::catalogue::Level;
    match level {
        Level::Individual => "individual",
        Level::Family => "family",
        Level::School => "school",
        Level::FriendsLeisure => "friends",
        Level::Community => "community",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_view_has_the_name_the_server_accepts_in_an_opening() {
        for v in View::ALL {
            assert!(beratta_core::api::PictureOpening::VIEWS.contains(&v.name()), "{v:?}");
            assert_eq!(View::from_name(v.name()), Some(v));
        }
    }

    #[test]
    fn a_name_becomes_an_id_of_letters_digits_and_dashes() {
        assert_eq!(slug("Norrby skola 7B"), "norrby-skola-7b");
        assert_eq!(slug("Söderäng"), "söderäng");
    }
}
