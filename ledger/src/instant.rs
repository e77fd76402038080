//! Instants the ledger computes stay within the years RFC 3339 can write (0000–9999).
//!
//! A host's instants (`at`, `now`) are taken as given, but an instant the crate *computes*
//! from one — a points lot's default `expires_at` ([`crate::DEFAULT_EXPIRY_DAYS`] after
//! its earn), a cashback's end of hold (completion + `hold_days`) — could leave year 9999,
//! which chrono writes as `+10000-01-31T…`: not RFC 3339, and unreadable by the hosts' own
//! parsers (and by the crate, reading its own document back). The request that would lead
//! there is refused instead (`TIME_OUT_OF_RANGE` naming the field, the instant and the
//! days), before anything changes.

use chrono::{DateTime, Datelike, TimeDelta, Utc};

/// The last year of an instant the ledger computes: 9999.
pub const LAST_YEAR: i32 = 9999;

/// `t` plus `days` days of 24 hours, when the result falls in year [`LAST_YEAR`] or
/// before (and within chrono's range); `None` otherwise.
pub(crate) fn add_days(t: DateTime<Utc>, days: i64) -> Option<DateTime<Utc>> {
    let later = t.checked_add_signed(TimeDelta::try_days(days)?)?;
    (rihla_core::time::FIRST_YEAR..=LAST_YEAR)
        .contains(&later.year())
        .then_some(later)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instant(text: &str) -> DateTime<Utc> {
        text.parse().unwrap_or_default()
    }

    #[test]
    fn a_result_in_year_9999_is_given_and_one_after_it_is_not() {
        let t = instant("9999-06-01T00:00:00Z");
        assert_eq!(add_days(t, 213), Some(instant("9999-12-31T00:00:00Z")));
        assert_eq!(
            add_days(instant("9999-12-30T23:59:59Z"), 1),
            Some(instant("9999-12-31T23:59:59Z"))
        );
        assert_eq!(add_days(instant("9999-12-31T00:00:01Z"), 1), None);
        assert_eq!(add_days(t, 365), None);
        assert_eq!(add_days(instant("2026-01-01T00:00:00Z"), i64::MAX), None);
        assert_eq!(
            add_days(instant("2026-01-01T00:00:00Z"), i64::from(u32::MAX)),
            None
        );
        assert_eq!(
            add_days(instant("2026-01-01T00:00:00Z"), 0),
            Some(instant("2026-01-01T00:00:00Z"))
        );
    }
}
