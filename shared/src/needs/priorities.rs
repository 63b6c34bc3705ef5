//! The priorities of a release, as Communities That Care chooses them: 2 to 5 factors, each
//! with why. [`check`] holds a choice to that, field by field, as the register's rules do.

use crate::api::{InputProblem, Priority, Problem};
use crate::catalogue::{Catalogue, FactorKind};

/// The fewest and most priority factors of a release.
pub const LEAST: u32 = 2;
pub const MOST: u32 = 5;
/// The longest rationale, in characters.
pub const MAX_WHY: u32 = 1_000;

/// The choice trimmed, or every problem with it.
pub fn check(priorities: &[Priority], catalogue: &Catalogue) -> Result<Vec<Priority>, Vec<InputProblem>> {
    let mut problems = Vec::new();
    let mut fail = |field: &str, problem: Problem| {
        problems.push(InputProblem { row: None, field: Some(field.into()), problem });
    };
    let count = priorities.len() as u32;
    if !(LEAST..=MOST).contains(&count) {
        fail("factors", Problem::HowMany { least: LEAST, most: MOST });
    }
    let mut out: Vec<Priority> = Vec::new();
    for p in priorities {
        let factor = p.factor.trim();
        match catalogue.get(factor) {
            None => fail("factors", Problem::UnknownFactor(factor.into())),
            Some(f) if f.kind == FactorKind::Background => fail("factors", Problem::NotAddressable(factor.into())),
            Some(_) if out.iter().any(|o| o.factor == factor) => fail("factors", Problem::Repeated(factor.into())),
            Some(_) => {}
        }
        let why = p.why.trim();
        if why.is_empty() {
            fail("why", Problem::Empty);
        } else if why.chars().count() > MAX_WHY as usize {
            fail("why", Problem::TooLong(MAX_WHY));
        } else if why.chars().any(|c| c.is_control() && c != '\n') {
            fail("why", Problem::Unprintable);
        }
        out.push(Priority { factor: factor.into(), why: why.into() });
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::tests::catalogue;

    fn p(factor: &str, why: &str) -> Priority {
        Priority { factor: factor.into(), why: why.into() }
    }

    #[test]
    fn two_to_five_known_factors_each_with_why() {
        let good = check(&[p(" r.teased ", " Hälften retas. "), p("p.adult", "Saknar vuxna.")], &catalogue());
        assert_eq!(good, Ok(vec![p("r.teased", "Hälften retas."), p("p.adult", "Saknar vuxna.")]));
        let problems = |list: &[Priority]| match check(list, &catalogue()) {
            Ok(_) => vec![],
            Err(found) => found.into_iter().map(|x| x.problem).collect::<Vec<_>>(),
        };
        assert_eq!(problems(&[p("r.teased", "x")]), [Problem::HowMany { least: 2, most: 5 }]);
        assert_eq!(
            problems(&[p("r.teased", ""), p("r.teased", "x"), p("b.home", "x"), p("x.y", &"y".repeat(1001))]),
            [
                Problem::Empty,
                Problem::Repeated("r.teased".into()),
                Problem::NotAddressable("b.home".into()),
                Problem::UnknownFactor("x.y".into()),
                Problem::TooLong(1000),
            ]
        );
    }
}
