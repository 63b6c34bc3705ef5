//! The child's summary for staff: computed in the staff member's browser after decryption,
//! in the staff member's language whatever language the child answered in. It supports a
//! conversation; it is not an assessment, and says so.
//!
//! It is meant to be read in about two minutes, so each thing is said once. Order: urgent
//! matters first (the duty to report concerns, and links to the findings that raised them),
//! then the risks the child wants help with, the other risks (each with how often, worry and
//! help wish, and its conversation guide), the protective factors, the background that says
//! something, the child's own words, and the instrument it was given with. Every answer is
//! labelled with the instrument's own option text, as the child saw it; an answer that is not
//! a finding ("Nej", "Vet inte" to a background question) has no line.

use crate::catalogue::Catalogue;
use crate::engine::{Answer, Session};
use crate::help::{finding_key, HelpState, HelpStatus};
use crate::questionnaire::{Kind, Questionnaire, Step};
use crate::scoring::{score, HelpWish, RiskFinding};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Languages staff can read summaries in; others fall back to Swedish.
pub const STAFF_LANGUAGES: [&str; 2] = ["sv", "en"];

/// One risk the child told of, in the reader's language, with every answer labelled as the
/// child saw it: the instrument's own option text, never a paraphrase.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable key, for the help loop and for links within the summary.
    pub key: String,
    pub factor: String,
    /// The factor's name.
    pub name: String,
    /// The title of the section it was told in.
    pub domain: String,
    /// What the child was asked.
    pub question: String,
    /// What the child answered, as the option read.
    pub answer: String,
    /// The answer to "how often?", where it was asked. A frequency question is its own
    /// "how often", so its answer is not repeated here.
    pub how_often: Option<String>,
    /// The answer to "does it worry you?".
    pub worry: Option<String>,
    /// The answer to "would you like help with it?".
    pub wants_help: Option<String>,
    pub acute: bool,
    /// Staff's own status of this help wish, if any: (state, note to the child).
    pub help_status: Option<(String, String)>,
    /// The conversation guide for its factor, where the catalogue has one.
    pub guide: Option<String>,
}

/// A link from the urgent section to a finding, which is shown once, further down.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UrgentLink {
    pub key: String,
    pub name: String,
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
    /// The findings that may mean the child is in danger now, as links to them.
    pub urgent: Vec<UrgentLink>,
    /// Present when anything is urgent.
    pub duty_to_report: Option<String>,
    /// Risks the child wants help with, or is not sure about: urgent ones first.
    pub help_wanted: Vec<Finding>,
    /// Every other risk: urgent ones first, then in questionnaire order.
    pub other_risks: Vec<Finding>,
    /// Names of the protective factors the child told of, each once.
    pub protective: Vec<String>,
    /// Background that says something: "Bor med: Mamma, Pappa". An answer the instrument
    /// does not count as signalling its factor ("Nej", "Vet inte") has no line.
    pub background: Vec<String>,
    /// Everything the child wrote in their own words, in one place.
    pub own_words: Vec<String>,
    pub not_an_assessment: String,
}

/// Fixed wording of the summary, per staff language.
struct Words {
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
    let shown: BTreeMap<usize, &Answer> = session.shown_answers(q).into_iter().collect();
    // The label of the option the child picked at position `pos`, as the child saw it.
    let label_at = |pos: usize| -> Option<String> {
        let Some(Answer::Choice(c)) = shown.get(&pos) else { return None };
        q.items[pos].option(c).map(|o| o.text.get(lang).to_string())
    };

    let finding = |r: &RiskFinding| {
        let pos = q.position(&r.item);
        let item = pos.map(|p| &q.items[p]);
        let picked = r.option.clone().or_else(|| match pos.and_then(|p| shown.get(&p)) {
            Some(Answer::Choice(c)) => Some(c.clone()),
            _ => None,
        });
        let answer = match (&picked, item) {
            (Some(o), Some(i)) => i.option(o).map_or_else(|| o.clone(), |c| c.text.get(lang).to_string()),
            (Some(o), None) => o.clone(),
            _ => String::new(),
        };
        let step = |s: Step| pos.and_then(|p| q.follow_up(p, r.option.as_deref(), s)).and_then(label_at);
        let key = finding_key(r);
        Finding {
            name: factor_name(&r.factor),
            factor: r.factor.clone(),
            domain: item
                .and_then(|i| q.sections.get(i.section))
                .map_or_else(String::new, |s| s.title.get(lang).to_string()),
            question: item.map_or_else(String::new, |i| i.text.get(lang).to_string()),
            answer,
            how_often: step(Step::Often),
            worry: step(Step::Worry),
            wants_help: step(Step::Help),
            acute: r.acute,
            help_status: help.and_then(|h| h.entries.get(&key)).map(|e| {
                let state = match e.state {
                    HelpState::Planned => w.planned,
                    HelpState::Handled => w.handled,
                };
                (state.to_string(), e.note.clone())
            }),
            guide: catalogue.get(&r.factor).and_then(|f| f.guide.as_ref()).map(|g| g.get(lang).to_string()),
            key,
        }
    };

    // Each risk once: among the help wishes or among the others, urgent ones first in each.
    let (mut help_wanted, mut other_risks): (Vec<Finding>, Vec<Finding>) = (Vec::new(), Vec::new());
    for r in profile.risks() {
        let list = if matches!(r.wants_help, Some(HelpWish::Yes | HelpWish::NotSure)) {
            &mut help_wanted
        } else {
            &mut other_risks
        };
        list.push(finding(r));
    }
    help_wanted.sort_by_key(|f| !f.acute);
    other_risks.sort_by_key(|f| !f.acute);
    let urgent: Vec<UrgentLink> = help_wanted
        .iter()
        .chain(&other_risks)
        .filter(|f| f.acute)
        .map(|f| UrgentLink { key: f.key.clone(), name: f.name.clone() })
        .collect();

    let mut protective: Vec<String> = Vec::new();
    for p in profile.protective() {
        let name = factor_name(&p.factor);
        if !protective.contains(&name) {
            protective.push(name);
        }
    }
    let background = profile
        .domains
        .iter()
        .flat_map(|d| &d.background)
        .filter_map(|b| {
            let item = q.item(&b.item)?;
            // Only the answers that signal the factor say something about the child.
            let picked: Vec<&str> = b
                .options
                .iter()
                .filter_map(|o| item.option(o))
                .filter(|o| item.telling.as_ref().is_none_or(|t| t.contains(&o.id)))
                .map(|o| o.text.get(lang))
                .collect();
            (!picked.is_empty()).then(|| format!("{}: {}", factor_name(&b.factor), picked.join(", ")))
        })
        .collect();
    let own_words = profile.domains.iter().flat_map(|d| d.own_words.iter().map(|(_, words)| words.clone())).collect();

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
        other_risks,
        protective,
        background,
        own_words,
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
