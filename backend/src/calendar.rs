//! Days, as rounds know them: a round opens and closes on calendar days written
//! `YYYY-MM-DD`, taken in UTC. Kiosks ask whether a round is open today; the sweep asks
//! whether its last day has passed, and then closes it.

use beratta_core::api::Round;

/// Today's calendar day (UTC) at `now`, written `YYYY-MM-DD` like a round's period.
pub fn today(now: u64) -> String {
    let at = time::OffsetDateTime::from_unix_timestamp(i64::try_from(now).unwrap_or(i64::MAX))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let date = at.date();
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

/// Whether `round` takes new answers on the day of `now`: from the day it opens to the day
/// it closes, both included, and only until it has been closed.
pub fn is_open(round: &Round, now: u64) -> bool {
    let day = today(now);
    !round.is_closed() && round.opens <= day && day <= round.closes
}

#[cfg(test)]
mod tests {
    use super::*;
    use beratta_core::api::RoundMode;

    fn round(opens: &str, closes: &str) -> Round {
        Round {
            round_id: "r".into(),
            name: "r".into(),
            unit: None,
            opens: opens.into(),
            closes: closes.into(),
            questionnaire: beratta_core::api::QuestionnaireRef { id: "q".into(), version: 1 },
            mode: RoundMode::Anonymous,
            intervention: None,
            created_by: "a".into(),
            created_unix: 0,
            closed_unix: None,
        }
    }

    #[test]
    fn a_round_is_open_from_its_first_day_to_its_last_both_included() {
        // 2026-12-07 00:00:00 UTC and 23:59:59 the same day.
        let (morning, night) = (1_796_601_600, 1_796_601_600 + 86_399);
        assert_eq!(today(morning), "2026-12-07");
        assert_eq!(today(night), "2026-12-07");
        for now in [morning, night] {
            assert!(is_open(&round("2026-12-07", "2026-12-07"), now));
            assert!(is_open(&round("2026-09-01", "2027-06-15"), now));
            assert!(!is_open(&round("2026-12-08", "2027-01-01"), now));
            assert!(!is_open(&round("2026-01-01", "2026-12-06"), now));
        }
    }

    #[test]
    fn a_closed_round_is_not_open_even_within_its_days() {
        let morning = 1_796_601_600;
        let closed = Round { closed_unix: Some(morning - 1), ..round("2026-09-01", "2027-06-15") };
        assert!(!is_open(&closed, morning));
    }
}
