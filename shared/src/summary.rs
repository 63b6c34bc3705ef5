//! The child's summary for staff: computed in the staff member's browser after decryption,
//! in the staff member's language whatever language the child answered in. It supports a
//! conversation; it is not an assessment, and says so.
//!
//! Order: urgent matters first (with the duty to report concerns), then what the child wants
//! help with, then each domain's risks and protective factors, the child's own words, a
//! short conversation guide per flagged area, and the instrument it was given with.

use crate::catalogue::Catalogue;
use crate::engine::{Answer, Session};
use crate::help::{finding_key, HelpState, HelpStatus};
use crate::questionnaire::{Kind, Questionnaire};
use crate::scoring::{score, HelpWish, HowOften, RiskFinding, Worry};
use serde::{Deserialize, Serialize};

/// Languages staff can read summaries in; others fall back to Swedish.
pub const STAFF_LANGUAGES: [&str; 2] = ["sv", "en"];

/// One thing the child told of, in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable key, for the help loop.
    pub key: String,
    pub factor: String,
    /// The factor's name.
    pub name: String,
    /// What the child was asked, and what they answered.
    pub told: String,
    pub how_often: Option<String>,
    pub worry: Option<String>,
    pub wants_help: Option<String>,
    pub acute: bool,
    /// Staff's own status of this help wish, if any: (state, note to the child).
    pub help_status: Option<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainSummary {
    pub title: String,
    pub risks: Vec<Finding>,
    /// Names of the protective factors the child told of.
    pub protective: Vec<String>,
    /// Background: "Bor med: Mamma, Pappa".
    pub background: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guide {
    pub name: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildSummary {
    pub language: String,
    /// "Hur har du det? (beratta-10-12@1)".
    pub instrument: String,
    /// The language the child answered in, named in the reader's language.
    pub answered_in: String,
    /// Present when that language is a draft translation, not yet reviewed.
    pub unreviewed_language: Option<String>,
    pub urgent: Vec<Finding>,
    /// Present when anything is urgent.
    pub duty_to_report: Option<String>,
    pub help_wanted: Vec<Finding>,
    pub domains: Vec<DomainSummary>,
    pub own_words: Vec<String>,
    pub guides: Vec<Guide>,
    pub not_an_assessment: String,
}

/// Fixed wording of the summary, per staff language.
struct Words {
    often: [&'static str; 4],
    worry: [&'static str; 3],
    help: [&'static str; 3],
    planned: &'static str,
    handled: &'static str,
    declined: &'static str,
    duty: &'static str,
    disclaimer: &'static str,
    languages: [(&'static str, &'static str); 7],
    /// Said when the child answered in a translation not yet reviewed.
    draft_note: &'static str,
}

const SV: Words = Words {
    often: ["en gång", "ibland", "ofta", "väldigt ofta"],
    worry: ["oroar inte", "oroar lite", "oroar mycket"],
    help: ["vill ha hjälp", "vill inte ha hjälp", "vet inte om hjälp behövs"],
    planned: "planerat",
    handled: "klart",
    declined: "ville inte svara",
    duty: "Barnet har berättat om något som kan betyda att det är i fara nu. Agera i dag: se till att \
           barnet är tryggt och gör en orosanmälan till socialtjänsten. Du som arbetar med barn är skyldig \
           att anmäla oro enligt socialtjänstlagen.",
    disclaimer: "Det här är ett stöd inför samtalet med barnet, inte en bedömning. Det barnet berättar är \
                 en början: fråga, lyssna och gör en egen bedömning.",
    languages: [
        ("sv", "svenska"),
        ("en", "engelska"),
        ("ar", "arabiska"),
        ("so", "somaliska"),
        ("ti", "tigrinja"),
        ("fa", "persiska"),
        ("uk", "ukrainska"),
    ],
    draft_note: "Barnet svarade på en översättning som ännu inte är granskad. Kontrollera med barnet att \
                 frågorna förstods som de var menade.",
};

const EN: Words = Words {
    often: ["once", "sometimes", "often", "very often"],
    worry: ["not worried", "a little worried", "very worried"],
    help: ["wants help", "does not want help", "not sure about help"],
    planned: "planned",
    handled: "done",
    declined: "chose not to answer",
    duty: "The child has told of something that may mean they are in danger now. Act today: make sure \
           the child is safe and report your concern to social services. Everyone who works with \
           children is obliged to report concerns under the Social Services Act.",
    disclaimer: "This supports your conversation with the child; it is not an assessment. What the child \
                 tells is a beginning: ask, listen and make your own judgement.",
    languages: [
        ("sv", "Swedish"),
        ("en", "English"),
        ("ar", "Arabic"),
        ("so", "Somali"),
        ("ti", "Tigrinya"),
        ("fa", "Persian"),
        ("uk", "Ukrainian"),
    ],
    draft_note: "The child answered a translation that has not yet been reviewed. Check with the child that \
                 the questions were understood as meant.",
};

fn words(language: &str) -> (&'static Words, &'static str) {
    match language {
        "en" => (&EN, "en"),
        _ => (&SV, "sv"),
    }
}

/// Builds the summary of `session`, given with questionnaire `q`, for a reader of `language`.
pub fn child_summary(
    q: &Questionnaire,
    catalogue: &Catalogue,
    session: &Session,
    answered_in: &str,
    help: Option<&HelpStatus>,
    language: &str,
) -> ChildSummary {
    let (w, lang) = words(language);
    let profile = score(q, session);
    let factor_name = |id: &str| catalogue.get(id).map_or_else(|| id.to_string(), |f| f.name.get(lang).to_string());

    let finding = |r: &RiskFinding| {
        let item = q.item(&r.item);
        let question = item.map_or("", |i| i.text.get(lang));
        let answer = match (&r.option, item) {
            (Some(o), Some(i)) => i.option(o).map(|c| c.text.get(lang)).unwrap_or(o),
            (None, Some(i)) => match session.answers.get(&r.item) {
                Some(Answer::Choice(c)) => i.option(c).map_or(c.as_str(), |o| o.text.get(lang)),
                _ => "",
            },
            _ => "",
        };
        let key = finding_key(r);
        Finding {
            name: factor_name(&r.factor),
            factor: r.factor.clone(),
            told: format!("{question} — {answer}"),
            how_often: r.how_often.map(|h| {
                w.often[match h {
                    HowOften::Once => 0,
                    HowOften::Sometimes => 1,
                    HowOften::Often => 2,
                    HowOften::VeryOften => 3,
                }]
                .to_string()
            }),
            worry: r.worry.map(|x| {
                w.worry[match x {
                    Worry::No => 0,
                    Worry::ALittle => 1,
                    Worry::ALot => 2,
                }]
                .to_string()
            }),
            wants_help: r.wants_help.map(|x| {
                w.help[match x {
                    HelpWish::Yes => 0,
                    HelpWish::No => 1,
                    HelpWish::NotSure => 2,
                }]
                .to_string()
            }),
            acute: r.acute,
            help_status: help.and_then(|h| h.entries.get(&key)).map(|e| {
                let state = match e.state {
                    HelpState::Planned => w.planned,
                    HelpState::Handled => w.handled,
                };
                (state.to_string(), e.note.clone())
            }),
            key,
        }
    };

    let urgent: Vec<Finding> = profile.risks().filter(|r| r.acute).map(&finding).collect();
    let help_wanted = profile
        .risks()
        .filter(|r| matches!(r.wants_help, Some(HelpWish::Yes | HelpWish::NotSure)))
        .map(&finding)
        .collect();
    let domains = profile
        .domains
        .iter()
        .zip(&q.sections)
        .map(|(d, section)| DomainSummary {
            title: section.title.get(lang).to_string(),
            risks: d.risks.iter().map(&finding).collect(),
            protective: d.protective.iter().map(|p| factor_name(&p.factor)).collect(),
            background: d
                .background
                .iter()
                .map(|b| {
                    let item = q.item(&b.item);
                    let picked: Vec<&str> = b
                        .options
                        .iter()
                        .map(|o| item.and_then(|i| i.option(o)).map_or(o.as_str(), |c| c.text.get(lang)))
                        .collect();
                    format!("{}: {}", factor_name(&b.factor), picked.join(", "))
                })
                .collect(),
        })
        .collect();
    let own_words = profile.domains.iter().flat_map(|d| d.own_words.iter().map(|(_, words)| words.clone())).collect();

    let mut guides: Vec<Guide> = Vec::new();
    for r in profile.risks() {
        let Some(text) = catalogue.get(&r.factor).and_then(|f| f.guide.as_ref()) else { continue };
        let name = factor_name(&r.factor);
        if !guides.iter().any(|g| g.name == name) {
            guides.push(Guide { name, text: text.get(lang).to_string() });
        }
    }

    let unreviewed_language = q.drafts.iter().any(|d| d == answered_in).then(|| w.draft_note.to_string());
    let answered_in = w.languages.iter().find(|(code, _)| *code == answered_in).map_or(answered_in, |(_, n)| n);
    ChildSummary {
        unreviewed_language,
        language: lang.to_string(),
        instrument: format!("{} ({})", q.title.get(lang), q.reference()),
        answered_in: answered_in.to_string(),
        duty_to_report: (!urgent.is_empty()).then(|| w.duty.to_string()),
        urgent,
        help_wanted,
        domains,
        own_words,
        guides,
        not_an_assessment: w.disclaimer.to_string(),
    }
}

/// Items the child chose not to answer, by question, in the reader's language: worth
/// knowing in a conversation, never scored.
pub fn declined(q: &Questionnaire, session: &Session, language: &str) -> Vec<String> {
    let (w, lang) = words(language);
    session
        .shown_answers(q)
        .into_iter()
        .filter(|(p, a)| **a == Answer::Declined && q.items[*p].kind != Kind::Text)
        .map(|(p, _)| format!("{} — {}", q.items[p].text.get(lang), w.declined))
        .collect()
}

#[cfg(test)]
mod tests;
