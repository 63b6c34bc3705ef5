//! Validator tests: one per kind of problem, each on a small questionnaire written inline.

use super::*;
use crate::catalogue::Catalogue;
use expect_test::{expect, Expect};

pub(crate) const CATALOGUE: &str = r#"
[[factor]]
id = "r.teased"
level = "school"
kind = "risk"
chain = true
bands = ["10-12"]
name = { sv = "Retad", en = "Teased" }
guide = { sv = "Fråga var och när det händer.", en = "Ask where and when it happens." }

[[factor]]
id = "r.hurt"
level = "family"
kind = "risk"
chain = true
acute = true
bands = ["10-12"]
name = { sv = "Skadad", en = "Hurt" }
guide = { sv = "Agera i dag.", en = "Act today." }

[[factor]]
id = "r.money"
level = "family"
kind = "risk"
chain = true
bands = ["10-12"]
name = { sv = "Pengar", en = "Money" }

[[factor]]
id = "r.view"
level = "individual"
kind = "risk"
bands = ["10-12"]
name = { sv = "Syn", en = "View" }

[[factor]]
id = "p.adult"
level = "school"
kind = "protective"
bands = ["10-12"]
name = { sv = "Vuxen", en = "Adult" }

[[factor]]
id = "b.home"
level = "family"
kind = "background"
bands = ["10-12"]
name = { sv = "Bor med", en = "Lives with" }
"#;

/// Scales and chain texts every fixture shares.
pub(crate) const HEADER: &str = r#"
id = "test"
version = 1
ages = "10-12"
languages = ["sv", "en"]
title = { sv = "Test", en = "Test" }

[scale.yes_no]
options = [{ id = "yes", sv = "Ja", en = "Yes" }, { id = "no", sv = "Nej", en = "No" }]
[scale.frequency]
options = [
  { id = "never", sv = "Aldrig", en = "Never" },
  { id = "sometimes", sv = "Ibland", en = "Sometimes" },
  { id = "often", sv = "Ofta", en = "Often" },
  { id = "always", sv = "Alltid", en = "Always" },
]
[scale.how_often]
options = [
  { id = "once", sv = "En gång", en = "Once" },
  { id = "sometimes", sv = "Ibland", en = "Sometimes" },
  { id = "often", sv = "Ofta", en = "Often" },
  { id = "very_often", sv = "Väldigt ofta", en = "Very often" },
]
[scale.worry]
options = [
  { id = "no", sv = "Nej", en = "No" },
  { id = "a_little", sv = "Lite", en = "A little" },
  { id = "a_lot", sv = "Mycket", en = "A lot" },
]
[scale.help]
options = [
  { id = "yes", sv = "Ja", en = "Yes" },
  { id = "no", sv = "Nej", en = "No" },
  { id = "not_sure", sv = "Vet inte", en = "Not sure" },
]
[chain]
often = { sv = "Hur ofta?", en = "How often?" }
worry = { sv = "Oroar det dig?", en = "Does it worry you?" }
help = { sv = "Vill du ha hjälp?", en = "Do you want help?" }
"#;

/// A valid questionnaire with a branch, a chain on a yes/no item, a screening item whose
/// options open their own chains, a frequency item and a free-text item.
pub(crate) const VALID: &str = r#"
[[section]]
id = "school"
title = { sv = "Skolan", en = "School" }

[[section.item]]
id = "adult"
kind = "yes_no"
text = { sv = "Finns en vuxen du litar på?", en = "Is there an adult you trust?" }
factor = "p.adult"

[[section.item]]
id = "teased"
kind = "frequency"
text = { sv = "Blir du retad?", en = "Are you teased?" }
factor = "r.teased"
chain = true

[[section.item]]
id = "teased_where"
kind = "single"
text = { sv = "Var?", en = "Where?" }
show_if = "teased in (often, always)"
options = [{ id = "yard", sv = "Gården", en = "The yard" }, { id = "online", sv = "På nätet", en = "Online" }]

[[section]]
id = "home"
title = { sv = "Hemma", en = "Home" }

[[section.item]]
id = "lives_with"
kind = "multiple"
text = { sv = "Vem bor du med?", en = "Who do you live with?" }
factor = "b.home"
options = [{ id = "mum", sv = "Mamma", en = "Mum" }, { id = "dad", sv = "Pappa", en = "Dad" }]

[[section.item]]
id = "lately"
kind = "multiple"
text = { sv = "Har något av detta hänt?", en = "Has any of this happened?" }
chain = true
options = [
  { id = "hurt", sv = "Någon skadade mig", en = "Someone hurt me", factor = "r.hurt" },
  { id = "money", sv = "Pengar fattas", en = "Money is short", factor = "r.money" },
  { id = "none", sv = "Inget av detta", en = "None of these", exclusive = true },
]

[[section.item]]
id = "safe"
kind = "yes_no"
text = { sv = "Känner du dig trygg?", en = "Do you feel safe?" }
show_if = "lately has hurt"
factor = "p.adult"

[[section.item]]
id = "words"
kind = "text"
text = { sv = "Vill du berätta mer?", en = "Anything more?" }
"#;

pub(crate) fn catalogue() -> Catalogue {
    Catalogue::from_toml("factors.toml", CATALOGUE).expect("the test catalogue is valid")
}

pub(crate) fn valid() -> Questionnaire {
    Questionnaire::from_toml("test.toml", &format!("{HEADER}{VALID}"), &catalogue()).expect("the fixture is valid")
}

/// Validates `HEADER` + `body` and renders every problem, one per line.
fn check(body: &str, expect: Expect) {
    let got = match Questionnaire::from_toml("test.toml", &format!("{HEADER}{body}"), &catalogue()) {
        Ok(q) => format!("ok: {} items", q.items.len()),
        Err(errors) => errors.iter().map(|e| format!("{e}\n")).collect(),
    };
    expect.assert_eq(&got);
}

const SECTION: &str = "[[section]]\nid = \"s\"\ntitle = { sv = \"S\", en = \"S\" }\n";

fn item(id: &str, extra: &str) -> String {
    format!(
        "[[section.item]]\nid = \"{id}\"\nkind = \"yes_no\"\ntext = {{ sv = \"Fråga\", en = \"Question\" }}\n{extra}\n"
    )
}

#[test]
fn a_valid_questionnaire_expands_its_chains_in_place() {
    let q = valid();
    let ids: Vec<&str> = q.items.iter().map(|i| i.id.as_str()).collect();
    expect![[r#"["adult", "teased", "teased.worry", "teased.help", "teased_where", "lives_with", "lately", "lately.hurt.often", "lately.hurt.worry", "lately.hurt.help", "lately.money.often", "lately.money.worry", "lately.money.help", "safe", "words"]"#]]
        .assert_eq(&format!("{ids:?}"));
}

#[test]
fn reports_a_duplicate_id() {
    check(
        &format!("{SECTION}{}{}", item("a", ""), item("a", "")),
        expect![[r#"
        test.toml: item `a`: the id `a` is used more than once
    "#]],
    );
}

#[test]
fn reports_a_rule_naming_an_unknown_item() {
    check(
        &format!("{SECTION}{}", item("a", "show_if = \"nothing = yes\"")),
        expect![[r#"
        test.toml: item `a`: the rule names `nothing`, which is not an item
    "#]],
    );
}

#[test]
fn reports_a_rule_naming_an_unknown_option() {
    check(
        &format!("{SECTION}{}{}", item("a", ""), item("b", "show_if = \"a = maybe\"")),
        expect![[r#"
        test.toml: item `b`: `maybe` is not an option of `a`
    "#]],
    );
}

#[test]
fn reports_a_signal_naming_an_unknown_option() {
    check(
        &format!("{SECTION}{}", item("a", "factor = \"p.adult\"\nsignal = [\"perhaps\"]")),
        expect![[r#"
        test.toml: item `a`: `perhaps` is not an option of `a`
    "#]],
    );
}

#[test]
fn reports_an_unknown_factor() {
    check(
        &format!("{SECTION}{}", item("a", "factor = \"nope\"")),
        expect![[r#"
        test.toml: item `a`: `nope` is not in the factor catalogue
    "#]],
    );
}

#[test]
fn reports_a_rule_cycle() {
    check(
        &format!("{SECTION}{}{}", item("a", "show_if = \"b = yes\""), item("b", "show_if = \"a = yes\"")),
        expect![[r#"
            test.toml: item `a`: the rules form a cycle: a → b → a
        "#]],
    );
}

#[test]
fn reports_a_rule_on_a_later_item() {
    check(
        &format!("{SECTION}{}{}", item("a", "show_if = \"b = yes\""), item("b", "")),
        expect![[r#"
        test.toml: item `a`: the rule names `b`, which comes later, so it is never answered in time
    "#]],
    );
}

#[test]
fn reports_an_unreachable_item() {
    check(
        &format!("{SECTION}{}{}", item("a", ""), item("b", "show_if = \"a = yes and a = no\"")),
        expect![[r#"
            test.toml: item `b`: can never be shown: no answers make its rule true
        "#]],
    );
}

#[test]
fn an_item_behind_an_unreachable_item_is_unreachable_too() {
    check(
        &format!(
            "{SECTION}{}{}{}",
            item("a", ""),
            item("b", "show_if = \"a = yes and not (a in (yes, no))\""),
            item("c", "show_if = \"b = yes or b = no\""),
        ),
        expect![[r#"
            test.toml: item `b`: can never be shown: no answers make its rule true
            test.toml: item `c`: can never be shown: no answers make its rule true
        "#]],
    );
}

#[test]
fn exclusive_options_cannot_be_picked_together() {
    let body = VALID.replace("show_if = \"lately has hurt\"", "show_if = \"lately has hurt and lately has none\"");
    check(
        &body,
        expect![[r#"
        test.toml: item `safe`: can never be shown: no answers make its rule true
    "#]],
    );
}

#[test]
fn reports_a_missing_translation() {
    check(
        &format!("{SECTION}[[section.item]]\nid = \"a\"\nkind = \"yes_no\"\ntext = {{ sv = \"Fråga\" }}\n"),
        expect![[r#"
            test.toml: item `a`: the question has no text in `en`
        "#]],
    );
}

#[test]
fn reports_a_missing_option_translation_and_a_mistyped_language() {
    let body = format!(
        "{SECTION}[[section.item]]\nid = \"a\"\nkind = \"single\"\ntext = {{ sv = \"F\", en = \"Q\" }}\noptions = [{{ id = \"x\", sv = \"X\", eng = \"X\" }}, {{ id = \"y\", sv = \"Y\", en = \"Y\" }}]\n"
    );
    check(
        &body,
        expect![[r#"
        test.toml: item `a`: option `x` has no text in `en`
        test.toml: item `a`: option `x` has a text in `eng`, which is not one of the questionnaire's languages
    "#]],
    );
}

#[test]
fn reports_a_risk_item_without_its_chain() {
    check(
        &format!("{SECTION}{}", item("a", "factor = \"r.teased\"")),
        expect![[r#"
        test.toml: item `a`: it can signal the risk `r.teased`, so it needs `chain = true` (how often → worry → help)
    "#]],
    );
}

#[test]
fn reports_a_screening_item_whose_risk_options_lack_a_chain() {
    let body = VALID.replace("id = \"lately\"\nkind = \"multiple\"\ntext = { sv = \"Har något av detta hänt?\", en = \"Has any of this happened?\" }\nchain = true", "id = \"lately\"\nkind = \"multiple\"\ntext = { sv = \"Har något av detta hänt?\", en = \"Has any of this happened?\" }");
    check(
        &body,
        expect![[r#"
        test.toml: item `lately`: it can signal the risk `r.hurt`, so it needs `chain = true` (how often → worry → help)
    "#]],
    );
}

#[test]
fn a_risk_without_a_chain_in_the_catalogue_needs_none() {
    check(&format!("{SECTION}{}", item("a", "factor = \"r.view\"")), expect!["ok: 1 items"]);
    check(
        &format!("{SECTION}{}", item("a", "factor = \"r.view\"\nchain = true")),
        expect![[r#"
        test.toml: item `a`: has `chain = true` but no answer signals a risk that needs a chain
    "#]],
    );
}

#[test]
fn reports_a_rule_that_cannot_be_read() {
    check(
        &format!("{SECTION}{}{}", item("a", ""), item("b", "show_if = \"a = \"")),
        expect![[r#"
        test.toml: item `b`: the rule cannot be read: expected an option id at character 5
    "#]],
    );
}

#[test]
fn reports_a_rule_over_free_text() {
    let text = "[[section.item]]\nid = \"t\"\nkind = \"text\"\ntext = { sv = \"F\", en = \"Q\" }\n";
    check(
        &format!("{SECTION}{text}{}", item("b", "show_if = \"t = yes\"")),
        expect![[r#"
        test.toml: item `b`: the rule names `t`, a free-text item; rules cannot read free text
    "#]],
    );
}

#[test]
fn reports_the_wrong_comparison_for_multiple_choice() {
    check(
        &VALID.replace("lately has hurt", "lately = hurt"),
        expect![[r#"
        test.toml: item `safe`: the rule compares `lately` wrongly: it is multiple choice: use `has`
    "#]],
    );
}

#[test]
fn reports_a_scale_without_the_fixed_options() {
    let header = HEADER.replace("{ id = \"a_lot\", sv = \"Mycket\", en = \"A lot\" },", "");
    let got = Questionnaire::from_toml("test.toml", &format!("{header}{VALID}"), &catalogue()).unwrap_err();
    expect![[r#"test.toml: scale `worry`: must have exactly the options no, a_little, a_lot in that order"#]]
        .assert_eq(&got[0].to_string());
}

#[test]
fn reports_a_file_that_is_not_toml_with_its_line() {
    check(
        "[[section]\nid = 1",
        expect![[r#"
        test.toml: cannot be read: line 40: invalid table header
        expected `.`, `]]`
    "#]],
    );
}

#[test]
fn reports_an_unknown_field_instead_of_ignoring_it() {
    check(
        &format!("{SECTION}{}", item("a", "show-if = \"x\"")),
        expect![[r#"
        test.toml: cannot be read: line 46: unknown field `show-if`, expected one of `id`, `kind`, `text`, `options`, `scale`, `factor`, `signal`, `chain`, `show_if`, `bbic`, `sources`
    "#]],
    );
}

#[test]
fn reports_every_problem_at_once() {
    let body = format!(
        "{SECTION}{}{}{}{}",
        item("a", "factor = \"r.teased\""),
        item("a", "show_if = \"zz = yes\""),
        item("c", "factor = \"nope\""),
        "[[section.item]]\nid = \"d\"\nkind = \"yes_no\"\ntext = { sv = \"F\" }\n",
    );
    check(
        &body,
        expect![[r#"
        test.toml: item `a`: it can signal the risk `r.teased`, so it needs `chain = true` (how often → worry → help)
        test.toml: item `a`: the id `a` is used more than once
        test.toml: item `c`: `nope` is not in the factor catalogue
        test.toml: item `d`: the question has no text in `en`
        test.toml: item `a`: the rule names `zz`, which is not an item
    "#]],
    );
}

#[test]
fn a_picture_item_needs_a_picture_on_every_option() {
    let body = format!(
        "{SECTION}[[section.item]]\nid = \"p\"\nkind = \"picture\"\ntext = {{ sv = \"F\", en = \"Q\" }}\noptions = [{{ id = \"x\", sv = \"X\", en = \"X\", picture = \"face_smile\" }}, {{ id = \"y\", sv = \"Y\", en = \"Y\" }}]\n"
    );
    check(
        &body,
        expect![[r#"
        test.toml: item `p`: option `y` of a picture item needs a `picture`
    "#]],
    );
}
