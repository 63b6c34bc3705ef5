//! The summary of a real child on the real 10–12 instrument, checked by hand: four risks
//! (one acute), each said once, every answer labelled as the child saw it, and no line for
//! an answer that is not a finding. The same child answers in the browser test that measures
//! the summary's height (`tests/e2e/four_risks.mjs`).

use beratta_core::catalogue::Catalogue;
use beratta_core::engine::{Action, Answer, Session};
use beratta_core::questionnaire::{Kind, Questionnaire};
use beratta_core::summary::{child_summary, ChildSummary, Finding};
use expect_test::expect;
use std::path::Path;

fn load() -> (Questionnaire, Catalogue) {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../questionnaires");
    let read = |f: &str| std::fs::read_to_string(folder.join(f)).expect("the instrument files exist");
    let catalogue = Catalogue::from_toml("factors.toml", &read("factors.toml")).expect("valid catalogue");
    let q = Questionnaire::from_toml("ages-10-12.toml", &read("ages-10-12.toml"), &catalogue).expect("valid");
    (q, catalogue)
}

/// Answers every question the child is shown, as `tests/e2e/four_risks.mjs` does.
fn four_risks(q: &Questionnaire) -> Session {
    let planned = |item: &str| -> Option<&str> {
        Some(match item {
            "angry" => "often",
            "angry.worry" => "a_little",
            "angry.help" => "no",
            "secret" | "adult_hurt" => "yes",
            "secret.often" => "sometimes",
            "secret.worry" | "adult_hurt.worry" | "bullied.worry" => "a_lot",
            "secret.help" | "bullied.help" => "yes",
            "adult_hurt.often" => "once",
            "adult_hurt.help" => "not_sure",
            "bullied" => "always",
            "gender" => "girl",
            "feel_most_days" | "school_like" => "good",
            "npf" => "dont_know",
            "adult_to_talk" | "home_calm" | "school_friends" | "school_adult" | "has_friends" | "activity"
            | "activity_adult" | "area_safe" => "yes",
            "touched" | "threatened" | "forced" | "dark_thoughts" => "no",
            "missed_school" => "never",
            _ => return None,
        })
    };
    let mut session = Session::start(q);
    while let Some(pos) = session.current(q) {
        let item = &q.items[pos];
        let answer = match item.kind {
            Kind::Text => Answer::Text("Jag vill prata om det på skolan.".into()),
            Kind::Multiple if item.id == "live_with" => Answer::Choices(["mum".into(), "dad".into()].into()),
            Kind::Multiple => Answer::Choices(["none".into()].into()),
            _ => {
                Answer::Choice(planned(&item.id).unwrap_or_else(|| panic!("no answer planned for {}", item.id)).into())
            }
        };
        session = session.apply(q, Action::Answer { item: item.id.clone(), answer }).expect("the answer fits");
    }
    session
}

fn render(s: &ChildSummary) -> String {
    let finding = |f: &Finding| {
        let mut line = format!("{} ({}): {} — {}", f.name, f.domain, f.question, f.answer);
        for (label, said) in [("Hur ofta", &f.how_often), ("Oro", &f.worry), ("Hjälp", &f.wants_help)] {
            if let Some(said) = said {
                line += &format!(" · {label}: {said}");
            }
        }
        format!("  {}{line}\n", if f.acute { "! " } else { "" })
    };
    let mut out = String::from("urgent:");
    s.urgent.iter().for_each(|u| out += &format!(" →{}", u.key));
    out += "\nhelp wanted:\n";
    s.help_wanted.iter().for_each(|f| out += &finding(f));
    out += "other risks:\n";
    s.other_risks.iter().for_each(|f| out += &finding(f));
    out += &format!("protective: {}\n", s.protective.join("; "));
    out += &format!("background: {}\n", s.background.join("; "));
    out += &format!("own words: {}\n", s.own_words.join(" / "));
    out
}

#[test]
fn a_child_with_four_risks_reads_each_once_in_the_words_they_saw() {
    let (q, catalogue) = load();
    let summary = child_summary(&q, &catalogue, &four_risks(&q), "sv", None, "sv");
    expect![[r#"
        urgent: →adult_hurt
        help wanted:
          ! Våld i hemmet, mot barnet eller som barnet ser eller hör (Hemma och familj): Ingen får slå dig. Har en vuxen hemma slagit dig eller gjort dig illa? — Ja · Hur ofta: En gång · Oro: Mycket · Hjälp: Vet inte
          Bär på hemligheter som kan skada barnet eller andra om de berättas (Om dig): Har du en hemlighet som du inte vågar säga? Kanske för att något dåligt kan hända då. — Ja · Hur ofta: Några gånger · Oro: Mycket · Hjälp: Ja
          Utsätts för mobbning (Skolan): Är andra barn dumma mot dig i skolan? Till exempel retar dig, slår dig eller inte låter dig vara med. — Alltid · Oro: Mycket · Hjälp: Ja
        other risks:
          Ilska (Om dig): Blir du så arg att det är svårt att lugna ner dig? — Ofta · Oro: Lite · Hjälp: Nej
        protective: Skyddspersoner, vuxna eller vänner att vända sig till; Skolanknytning: trivs och hör hemma i skolan; Kompisar i skolan; En lärare eller vuxen i skolan som barnet litar på; Goda relationer till kompisar; Ordnade fritidsaktiviteter (idrott, musik, fritidsgård, bibliotek); Trygghet i området
        background: Kön: Tjej; Vilka barnet bor med: Pappa, Mamma
        own words: Jag vill prata om det på skolan.
    "#]].assert_eq(&render(&summary));
    let all = render(&summary);
    assert!(!all.contains("väldigt ofta") && !all.contains("NPF"), "a paraphrase or a non-finding crept back");
}
