//! Uncertainty for group figures: 95% intervals for a share, for the difference between two
//! independent shares (year to year) and between two paired shares (the same children before
//! and after an intervention).
//!
//! The constructions are the score methods recommended by R. G. Newcombe: the Wilson score
//! interval for one proportion (Newcombe 1998a, method 3), the hybrid score interval for a
//! difference of independent proportions (Newcombe 1998b, method 10) and its paired
//! counterpart (Newcombe 1998c, method 10). They stay inside [0, 1] and behave at 0 and n,
//! where the textbook normal approximation does not.

/// The standard normal quantile for a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// The standard normal quantile for a two-sided 99.8% interval: for scanning many figures
/// at once (every factor of every area and age band), where 95% would flag about one in
/// forty by chance alone.
pub const Z998: f64 = 3.090_232_306_167_813;

/// An interval's width, in shares, from which an estimate is marked unreliable (30 points).
pub const UNRELIABLE_WIDTH: f64 = 0.30;

/// A 95% interval around an estimate, all as shares (0.25 is 25%).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
}

impl Interval {
    pub fn width(&self) -> f64 {
        self.high - self.low
    }

    /// Whether the interval holds zero: a difference that is no reliable change.
    pub fn holds_zero(&self) -> bool {
        self.low <= 0.0 && self.high >= 0.0
    }

    /// Too wide to rest a statement on.
    pub fn unreliable(&self) -> bool {
        self.width() >= UNRELIABLE_WIDTH
    }
}

/// The Wilson score interval for `count` of `n`. `None` when `n` is 0 or `count > n`.
pub fn wilson(count: u32, n: u32) -> Option<Interval> {
    wilson_at(count, n, Z95)
}

/// The Wilson score interval for `count` of `n` at the two-sided level whose normal
/// quantile is `z` ([`Z95`], [`Z998`]).
pub fn wilson_at(count: u32, n: u32, z: f64) -> Option<Interval> {
    if n == 0 || count > n {
        return None;
    }
    let (x, n) = (f64::from(count), f64::from(n));
    let p = x / n;
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / (1.0 + z2 / n);
    // At 0 and n the bound is exactly 0 or 1; rounding must not move it off.
    let low = if count == 0 { 0.0 } else { (centre - half).max(0.0) };
    let high = if count as f64 == n { 1.0 } else { (centre + half).min(1.0) };
    Some(Interval { estimate: p, low, high })
}

/// The difference `a/n_a − b/n_b` of two independent shares, with Newcombe's hybrid score
/// interval. `None` when either share has no children.
pub fn difference(a: u32, n_a: u32, b: u32, n_b: u32) -> Option<Interval> {
    difference_at(a, n_a, b, n_b, Z95)
}

/// [`difference`] at the level whose normal quantile is `z`.
pub fn difference_at(a: u32, n_a: u32, b: u32, n_b: u32, z: f64) -> Option<Interval> {
    let (first, second) = (wilson_at(a, n_a, z)?, wilson_at(b, n_b, z)?);
    let d = first.estimate - second.estimate;
    let low = d - ((first.estimate - first.low).powi(2) + (second.high - second.estimate).powi(2)).sqrt();
    let high = d + ((first.high - first.estimate).powi(2) + (second.estimate - second.low).powi(2)).sqrt();
    Some(Interval { estimate: d, low, high })
}

/// The children seen in both rounds, as a 2×2 table of before × after.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Paired {
    /// Yes before and after.
    pub both: u32,
    /// Yes before, no after.
    pub only_before: u32,
    /// No before, yes after.
    pub only_after: u32,
    /// No before and after.
    pub neither: u32,
}

impl Paired {
    pub fn n(&self) -> u32 {
        self.both + self.only_before + self.only_after + self.neither
    }
}

/// The change `after − before` in the share of paired children, with Newcombe's score
/// interval for paired proportions (method 10, which accounts for the correlation between
/// the two answers of one child). `None` when there are no pairs.
pub fn paired_difference(t: Paired) -> Option<Interval> {
    let n = t.n();
    let after = wilson(t.both + t.only_after, n)?;
    let before = wilson(t.both + t.only_before, n)?;
    let d = after.estimate - before.estimate;
    let (a, b, c, dd) = (f64::from(t.both), f64::from(t.only_after), f64::from(t.only_before), f64::from(t.neither));
    // Rows: after yes/no; columns: before yes/no. phi estimates the correlation of the two
    // answers, 0 where a margin is empty. As Newcombe specifies, a positive cross-product
    // difference is first shrunk by n/2 (and not below 0), a negative one is kept.
    let margins = (a + b) * (c + dd) * (a + c) * (b + dd);
    let cross = a * dd - b * c;
    let half_n = f64::from(n) / 2.0;
    let phi = if margins == 0.0 {
        0.0
    } else if cross > half_n {
        (cross - half_n) / margins.sqrt()
    } else if cross >= 0.0 {
        0.0
    } else {
        cross / margins.sqrt()
    };
    let (p1, l1, u1) = (after.estimate, after.low, after.high);
    let (p2, l2, u2) = (before.estimate, before.low, before.high);
    let down = (p1 - l1).powi(2) - 2.0 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2).powi(2);
    let up = (u1 - p1).powi(2) - 2.0 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2).powi(2);
    Some(Interval { estimate: d, low: d - down.max(0.0).sqrt(), high: d + up.max(0.0).sqrt() })
}

/// McNemar's exact test of a paired change: the two-sided p-value of the discordant pairs
/// under "no change" (a binomial with p = ½ over `only_before + only_after`).
pub fn mcnemar_exact(t: Paired) -> f64 {
    let m = t.only_before + t.only_after;
    if m == 0 {
        return 1.0;
    }
    let k = t.only_before.min(t.only_after);
    // P(X <= k) for X ~ Bin(m, 1/2), summed in logs so that large m does not overflow.
    let ln_half_m = f64::from(m) * 0.5f64.ln();
    let mut ln_choose = 0.0; // ln C(m, 0)
    let mut tail = 0.0;
    for i in 0..=k {
        if i > 0 {
            ln_choose += (f64::from(m - i + 1)).ln() - f64::from(i).ln();
        }
        tail += (ln_choose + ln_half_m).exp();
    }
    (2.0 * tail).min(1.0)
}

/// The smallest difference between two independent shares near `p` that a comparison of
/// groups of `n_a` and `n_b` children would call reliable (its 95% interval would leave
/// zero), found by widening the gap until the Newcombe interval excludes zero. `None` when a
/// group is empty or no gap up to 100 points would do.
pub fn smallest_detectable(p: f64, n_a: u32, n_b: u32) -> Option<f64> {
    if n_a == 0 || n_b == 0 {
        return None;
    }
    let base = (p.clamp(0.0, 1.0) * f64::from(n_b)).round() as u32;
    (base..=n_a.max(n_b) * 2).map(|step| step - base).take_while(|&gap| gap <= n_a).find_map(|gap| {
        let share_b = f64::from(base) / f64::from(n_b);
        let a = ((share_b * f64::from(n_a)).round() as u32).checked_add(gap)?;
        if a > n_a {
            return None;
        }
        let d = difference(a, n_a, base, n_b)?;
        (!d.holds_zero()).then_some(d.estimate)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: f64, want: f64) {
        assert!((got - want).abs() < 0.000_06, "got {got:.5}, want {want:.4}");
    }

    fn check(i: Option<Interval>, low: f64, high: f64) {
        let i = i.expect("an interval");
        close(i.low, low);
        close(i.high, high);
    }

    // Expected values: Newcombe (1998a), "Two-sided confidence intervals for the single
    // proportion", Statistics in Medicine 17:857–872, table I, method 3; the same figures
    // come out of statsmodels 0.14 `proportion_confint(method="wilson")`.
    #[test]
    fn the_wilson_interval_matches_newcombes_worked_examples() {
        check(wilson(81, 263), 0.2553, 0.3662);
        check(wilson(15, 148), 0.0624, 0.1605);
        check(wilson(0, 20), 0.0, 0.1611);
        check(wilson(1, 29), 0.0061, 0.1718);
        check(wilson(29, 29), 0.8830, 1.0);
        assert_eq!(wilson(3, 0), None);
        assert_eq!(wilson(4, 3), None);
    }

    // Expected values: Newcombe (1998b), "Interval estimation for the difference between
    // independent proportions", Statistics in Medicine 17:873–890, table II, method 10;
    // checked with statsmodels 0.14 `confint_proportions_2indep(method="newcomb")`.
    #[test]
    fn the_difference_interval_matches_newcombes_worked_examples() {
        check(difference(56, 70, 48, 80), 0.0524, 0.3339);
        check(difference(9, 10, 3, 10), 0.1705, 0.8090);
        check(difference(6, 7, 2, 7), 0.0582, 0.8062);
        check(difference(5, 56, 0, 29), -0.0381, 0.1926);
        assert!(difference(5, 56, 0, 29).unwrap().holds_zero());
        assert!(!difference(56, 70, 48, 80).unwrap().holds_zero());
    }

    // By hand for 10 children yes both times and 10 no both times: the change is 0; phi is
    // (10·10 − 0 − 20/2) / √(10⁴) = 0.9; Wilson(10, 20) has half-width w = 0.20069, so each
    // side is √(2w² − 2·0.9·w²) = w·√0.2 = 0.08975.
    #[test]
    fn a_paired_table_without_discordant_pairs_is_centred_on_no_change() {
        let t = Paired { both: 10, only_before: 0, only_after: 0, neither: 10 };
        check(paired_difference(t), -0.0898, 0.0898);
        assert!(paired_difference(t).unwrap().holds_zero());
        assert_eq!(mcnemar_exact(t), 1.0);
    }

    // Expected values: the paired-table example of Cavo et al. (2012) in Fagerland, Lydersen
    // and Laake, "Statistical Analysis of Contingency Tables" (2017), chapter 8, whose R
    // package contingencytables prints for `Newcombe_square_and_add_CI_paired_2x2` on
    // cells 59, 6, 16, 80: estimate -0.0621, 95% CI -0.1186 to -0.0046.
    #[test]
    fn the_paired_interval_matches_the_textbooks_worked_example() {
        let t = Paired { both: 59, only_after: 6, only_before: 16, neither: 80 };
        let i = paired_difference(t).unwrap();
        close(i.estimate, -0.0621);
        check(Some(i), -0.1186, -0.0046);
        // By hand: P(X <= 6) for Bin(22, 1/2) is 110056 / 2^22; two-sided twice that.
        assert!((mcnemar_exact(t) - 2.0 * 110_056.0 / 4_194_304.0).abs() < 1e-12);
    }

    // By hand: 1 and 9 discordant pairs; P(X <= 1) for Bin(10, 1/2) is 11/1024, two-sided
    // 22/1024 = 0.021484375.
    #[test]
    fn mcnemars_exact_test_is_twice_the_binomial_tail() {
        let t = Paired { both: 5, only_before: 9, only_after: 1, neither: 5 };
        assert!((mcnemar_exact(t) - 22.0 / 1024.0).abs() < 1e-12);
        let even = Paired { both: 0, only_before: 5, only_after: 5, neither: 0 };
        assert_eq!(mcnemar_exact(even), 1.0);
    }

    #[test]
    fn an_interval_thirty_points_wide_is_unreliable() {
        assert!(wilson(5, 10).unwrap().unreliable());
        assert!(!wilson(50, 200).unwrap().unreliable());
    }

    #[test]
    fn the_smallest_detectable_change_shrinks_as_groups_grow() {
        let small = smallest_detectable(0.2, 50, 50).unwrap();
        let large = smallest_detectable(0.2, 1000, 1000).unwrap();
        assert!(small > large && large > 0.0, "{small} then {large}");
        // The found gap is just reliable, and one child less is not.
        let base = 200;
        let gap_children = (large * 1000.0).round() as u32;
        assert!(!difference(base + gap_children, 1000, base, 1000).unwrap().holds_zero());
        assert!(difference(base + gap_children - 1, 1000, base, 1000).unwrap().holds_zero());
    }
}
