//! Synthetic children for the demo municipality and the benchmarks: sessions answered
//! through the real engine by a seeded generator, never by hand-made records.
//!
//! Each child has a latent load that raises or lowers every risk at once (risks cluster in
//! real surveys), factor prevalences between 4% and 25% (acute factors about 1–2%), and
//! protective factors present for about three in four. [`Pattern`]s plant what a group
//! picture should find: one unit with more of a risk in a later year, an intervention that
//! lowers a risk among its children, and one that changes nothing.
//!
//! Pure: randomness is handed in, and the same seed gives the same children.

use crate::catalogue::FactorKind;
use crate::engine::{Action, Session};
use crate::questionnaire::{Kind, Origin, Questionnaire, Step};
use crate::statistics::Pseudonym;
use crate::Answer;
use rand_core::RngCore;

pub mod municipality;

/// A planted difference: children matching `unit` (and `year`, `band` and `phase` if
/// given) have `factor` `times` as often as others (a protective factor too: below 1, fewer
/// of them have it).
#[derive(Clone, Debug, PartialEq)]
pub struct Pattern {
    pub factor: String,
    pub unit: String,
    pub year: Option<u16>,
    /// The age band (`13-18`), if only one.
    pub band: Option<String>,
    /// `Some(true)` for rounds after an intervention, `Some(false)` before, `None` for any.
    pub after: Option<bool>,
    pub times: f64,
}

/// Who is answering, and when.
#[derive(Clone, Debug, PartialEq)]
pub struct Situation<'a> {
    pub unit: &'a str,
    pub year: u16,
    /// The age band of the instrument answered (`13-18`).
    pub band: &'a str,
    /// Whether the round is after an intervention, if it belongs to one.
    pub after: Option<bool>,
}

/// A child of the demo, answering one instrument.
#[derive(Clone, Debug)]
pub struct Child {
    pub pseudonym: Pseudonym,
    /// How troubled the child's life is: 0.4 (little) to 1.8 (much), 1 on average.
    pub load: f64,
}

impl Child {
    pub fn new(rng: &mut impl RngCore) -> Child {
        let mut pseudonym = [0u8; 16];
        rng.fill_bytes(&mut pseudonym);
        // A skewed load: most children near 0.8, a few much higher.
        let u = unit(rng);
        let load = 0.4 + 1.4 * u * u;
        Child { pseudonym: Pseudonym(pseudonym), load }
    }
}

/// A uniform number in [0, 1).
fn unit(rng: &mut (impl RngCore + ?Sized)) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// Picks an index by weight.
fn weighted(rng: &mut impl RngCore, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut x = unit(rng) * total;
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}

/// The base prevalence of a factor: acute ones rare, others spread between 4% and 25% by a
/// hash of the id, so that every instrument version agrees.
pub fn base_prevalence(q: &Questionnaire, factor: &str) -> f64 {
    match q.factor(factor) {
        Some(f) if f.kind == FactorKind::Risk && f.acute => 0.015,
        Some(f) if f.kind == FactorKind::Protective => 0.75,
        _ => {
            // FNV-1a over the id: a stable spread with no table to keep.
            let hash =
                factor.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
            0.04 + 0.21 * (hash % 1000) as f64 / 1000.0
        }
    }
}

/// The chance that `child`, in `situation`, endorses `factor`.
pub fn chance(q: &Questionnaire, factor: &str, child: &Child, situation: &Situation, patterns: &[Pattern]) -> f64 {
    let base = base_prevalence(q, factor);
    let planted: f64 = patterns
        .iter()
        .filter(|p| {
            p.factor == factor
                && p.unit == situation.unit
                && p.year.is_none_or(|y| y == situation.year)
                && p.band.as_deref().is_none_or(|b| b == situation.band)
                && p.after.is_none_or(|a| situation.after == Some(a))
        })
        .map(|p| p.times)
        .product();
    if q.factor(factor).is_some_and(|f| f.kind == FactorKind::Protective) {
        return (base / child.load.sqrt() * planted).clamp(0.05, 0.97);
    }
    (base * child.load * planted).clamp(0.0, 0.95)
}

/// Answers `q` from start to finish as `child` would in `situation`. Every answer goes
/// through [`Session::apply`], so the session is one the engine accepts.
pub fn answer(
    q: &Questionnaire,
    child: &Child,
    situation: &Situation,
    patterns: &[Pattern],
    rng: &mut impl RngCore,
) -> Session {
    let mut session = Session::start(q);
    while let Some(i) = session.current(q) {
        let answer = pick(q, i, child, situation, patterns, rng);
        let item = q.items[i].id.clone();
        session =
            session.apply(q, Action::Answer { item, answer }).expect("the generator picks only options the item has");
    }
    session
}

fn pick(
    q: &Questionnaire,
    i: usize,
    child: &Child,
    situation: &Situation,
    patterns: &[Pattern],
    rng: &mut impl RngCore,
) -> Answer {
    let item = &q.items[i];
    if let Origin::FollowUp { step, .. } = &item.origin {
        let weights: Vec<f64> = item
            .options
            .iter()
            .map(|o| match (step, o.id.as_str()) {
                (Step::Often, "once") => 0.3,
                (Step::Often, "sometimes") => 0.35,
                (Step::Often, "often") => 0.2 * child.load,
                (Step::Often, "very_often") => 0.15 * child.load,
                (Step::Worry, "no") => 0.4,
                (Step::Worry, "a_little") => 0.4,
                (Step::Worry, "a_lot") => 0.2 * child.load,
                (Step::Help, "yes") => 0.25,
                (Step::Help, "no") => 0.55,
                (Step::Help, "not_sure") => 0.2,
                _ => 0.1,
            })
            .collect();
        return Answer::Choice(item.options[weighted(rng, &weights)].id.clone());
    }
    if item.kind == Kind::Text {
        return Answer::Declined;
    }
    if item.describes.as_deref() == Some(crate::statistics::GENDER_FACTOR) {
        let weights: Vec<f64> = item
            .options
            .iter()
            .map(|o| match o.id.as_str() {
                "girl" | "boy" => 0.48,
                _ => 0.02,
            })
            .collect();
        return Answer::Choice(item.options[weighted(rng, &weights)].id.clone());
    }
    let signals = |o: &crate::questionnaire::Choice| o.signals.as_deref().and_then(|f| q.factor(f));
    let yes = |rng: &mut dyn RngCore, factor: &str| unit(rng) < chance(q, factor, child, situation, patterns);
    if item.kind == Kind::Multiple {
        let picked: Vec<String> = item
            .options
            .iter()
            .filter(|o| !o.exclusive)
            .filter(|o| signals(o).is_some_and(|f| f.kind != FactorKind::Background && yes(rng, &f.id)))
            .map(|o| o.id.clone())
            .collect();
        if !picked.is_empty() {
            return Answer::Choices(picked.into_iter().collect());
        }
        let fallback = item
            .options
            .iter()
            .find(|o| o.exclusive)
            .or_else(|| item.options.iter().find(|o| signals(o).is_none()))
            .unwrap_or(&item.options[0]);
        return Answer::Choices([fallback.id.clone()].into_iter().collect());
    }
    // One answer: a risk option with its factor's chance (milder ones likelier), else a
    // protective option with its chance, else a neutral one.
    let risks: Vec<usize> = (0..item.options.len())
        .filter(|&k| signals(&item.options[k]).is_some_and(|f| f.kind == FactorKind::Risk))
        .collect();
    if let Some(&first) = risks.first() {
        let factor = item.options[first].signals.clone().unwrap_or_default();
        if yes(rng, &factor) {
            let weights: Vec<f64> = (0..risks.len()).map(|k| 0.6f64.powi(k as i32)).collect();
            return Answer::Choice(item.options[risks[weighted(rng, &weights)]].id.clone());
        }
    }
    let protective: Vec<usize> = (0..item.options.len())
        .filter(|&k| signals(&item.options[k]).is_some_and(|f| f.kind == FactorKind::Protective))
        .collect();
    if let Some(&first) = protective.first() {
        let factor = item.options[first].signals.clone().unwrap_or_default();
        if yes(rng, &factor) {
            return Answer::Choice(item.options[first].id.clone());
        }
    }
    let neutral: Vec<usize> =
        (0..item.options.len()).filter(|&k| !risks.contains(&k) && !protective.contains(&k)).collect();
    let k = neutral.first().or(protective.first()).or(risks.first()).copied().unwrap_or(0);
    Answer::Choice(item.options[k].id.clone())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::engine::tests::real;
    use crate::statistics::{RecordContext, StatisticsRecord};

    /// A small, seeded generator for the tests (xorshift64*), so that the core needs no
    /// random crate to test itself.
    pub(crate) struct Seeded(pub(crate) u64);

    impl RngCore for Seeded {
        fn next_u32(&mut self) -> u32 {
            (self.next_u64() >> 32) as u32
        }
        fn next_u64(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        fn fill_bytes(&mut self, dest: &mut [u8]) {
            for chunk in dest.chunks_mut(8) {
                let bytes = self.next_u64().to_le_bytes();
                chunk.copy_from_slice(&bytes[..chunk.len()]);
            }
        }
        fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
            self.fill_bytes(dest);
            Ok(())
        }
    }

    fn share(q: &Questionnaire, factor: &str, situation: &Situation, patterns: &[Pattern], seed: u64) -> f64 {
        let mut rng = Seeded(seed);
        let n = 300;
        let endorsed = (0..n)
            .filter(|_| {
                let child = Child::new(&mut rng);
                let session = answer(q, &child, situation, patterns, &mut rng);
                let context = RecordContext { round: "r".into(), unit: None, pseudonym: child.pseudonym };
                StatisticsRecord::derive(q, &session, &context).endorsed(factor)
            })
            .count();
        endorsed as f64 / f64::from(n)
    }

    #[test]
    fn every_generated_child_finishes_and_the_same_seed_gives_the_same_child() {
        let q = real();
        let situation = Situation { unit: "a", year: 2026, band: "10-12", after: None };
        let mut one = Seeded(7);
        let mut two = Seeded(7);
        for _ in 0..20 {
            let (c1, c2) = (Child::new(&mut one), Child::new(&mut two));
            let s1 = answer(&q, &c1, &situation, &[], &mut one);
            let s2 = answer(&q, &c2, &situation, &[], &mut two);
            assert!(s1.view(&q).complete);
            assert_eq!(s1, s2);
        }
    }

    #[test]
    fn a_planted_pattern_shows_in_the_answers_and_elsewhere_nothing_changes() {
        let q = real();
        let factor = "sch.bullied";
        let patterns = [Pattern {
            factor: factor.into(),
            unit: "b".into(),
            year: Some(2026),
            band: None,
            after: None,
            times: 2.5,
        }];
        let plain = share(&q, factor, &Situation { unit: "a", year: 2026, band: "10-12", after: None }, &patterns, 3);
        let planted = share(&q, factor, &Situation { unit: "b", year: 2026, band: "10-12", after: None }, &patterns, 3);
        let other_year =
            share(&q, factor, &Situation { unit: "b", year: 2025, band: "10-12", after: None }, &patterns, 5);
        assert!(planted > plain * 1.6, "planted {planted:.3} against {plain:.3}");
        assert!((other_year - plain).abs() < 0.06, "{other_year:.3} against {plain:.3}");
        assert!(plain > 0.02 && plain < 0.5, "a realistic prevalence, not {plain:.3}");
    }
}
