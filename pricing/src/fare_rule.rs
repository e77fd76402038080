//! Fare rules (docs/pricing.md), after the ATPCO rule categories:
//! Cat 15 sales restrictions, Cat 5 advance reservations/ticketing, Cat 2 day/time,
//! Cat 3 seasonality, Cat 11 blackout dates, Cat 6 minimum stay, Cat 7 maximum stay.
//!
//! Every rule is optional: an absent field (or an empty list) is no restriction. The rules
//! are checked against [`TravelDates`] — local calendar dates at each departure airport —
//! and the instant `now` (for the sale window only). A fare that fails is not priced: [`check`]
//! returns the first [`FareRuleFailure`], which names the rule and the values that decided it.
//!
//! All day counts are whole calendar days between local dates (`2026-12-20 − 2026-12-06 = 14`),
//! never 24-hour periods. Every window and range is inclusive at both ends, as every window
//! in rihla.
//!
//! ```
//! use rihla_pricing::fare_rule::{check, FareRules, TravelDates};
//! let rules: FareRules = serde_json::from_str(r#"{"advance_purchase_days": 14}"#)?;
//! let now = "2026-12-05T22:30:00Z".parse()?;
//! let departures = ["2026-12-20T08:15:00+03:00".parse()?];
//! // 22:30 UTC is already 01:30 on 6 December at +03:00: 14 days before the 20th.
//! let dates = TravelDates::from_segments(now, &departures, None)?;
//! assert!(check(&rules, &dates, now).is_ok());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Most date ranges in one list of a rule set (`seasons`, `blackout_dates`): a range per day
/// of a leap year.
pub const MAX_RANGES: usize = 366;
/// Most entries of `days_of_week`.
pub const MAX_DAYS_OF_WEEK: usize = 7;

/// The fare rules of one fare. Every field is optional; absent (or empty) = no restriction.
///
/// JSON (every field may be left out; unknown fields are refused):
/// ```json
/// {"sale_from": "2026-11-01T00:00:00Z", "sale_until": "2026-12-31T23:59:59Z",
///  "advance_purchase_days": 14, "min_stay_days": 3, "max_stay_days": 30,
///  "days_of_week": ["MON", "TUE"],
///  "seasons": [{"from": "2026-12-15", "to": "2027-01-05"}],
///  "blackout_dates": [{"from": "2026-12-24", "to": "2026-12-26"}]}
/// ```
/// Well-formedness (ordered ranges, `min_stay_days ≤ max_stay_days`, list sizes) is checked
/// by [`validate`], not by deserialization.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FareRules {
    /// ATPCO Cat 15 (sales restrictions): first instant the fare may be sold,
    /// `now ≥ sale_from` (inclusive). RFC 3339 in JSON.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rihla_core::time::utc::option"
    )]
    pub sale_from: Option<DateTime<Utc>>,
    /// ATPCO Cat 15 (sales restrictions): last instant the fare may be sold,
    /// `now ≤ sale_until` (inclusive). RFC 3339 in JSON.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rihla_core::time::utc::option"
    )]
    pub sale_until: Option<DateTime<Utc>>,
    /// ATPCO Cat 5 (advance reservations/ticketing), in days: the outbound departure date
    /// less the purchase date (both local at the outbound origin) must be `≥` this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub advance_purchase_days: Option<u32>,
    /// ATPCO Cat 6 (minimum stay), in days: the inbound departure date less the outbound
    /// departure date must be `≥` this. Not checked on a one-way trip.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_stay_days: Option<u32>,
    /// ATPCO Cat 7 (maximum stay), in days: the inbound departure date less the outbound
    /// departure date must be `≤` this. Not checked on a one-way trip.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_stay_days: Option<u32>,
    /// ATPCO Cat 2 (day/time): the weekdays on which the outbound journey may depart
    /// (local weekday at the origin). Empty = any day.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub days_of_week: Vec<Weekday>,
    /// ATPCO Cat 3 (seasonality): the outbound departure's local date must lie within one
    /// of these ranges. Empty = all year.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub seasons: Vec<DateRange>,
    /// ATPCO Cat 11 (blackout dates): no segment (outbound or inbound) may depart on a
    /// local date within any of these ranges. Empty = no blackout.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub blackout_dates: Vec<DateRange>,
}

/// A range of local calendar dates, both ends inclusive (`from ≤ to`, checked by
/// [`validate`]). JSON: `{"from": "2026-12-24", "to": "2026-12-26"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateRange {
    /// First date of the range (inclusive).
    #[serde(with = "rihla_core::time::date")]
    pub from: NaiveDate,
    /// Last date of the range (inclusive).
    #[serde(with = "rihla_core::time::date")]
    pub to: NaiveDate,
}

impl DateRange {
    /// Whether `from ≤ date ≤ to`. A reversed range (`from > to`) contains no date.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }
}

/// A day of the week, `"MON"` … `"SUN"` in JSON (ATPCO Cat 2).
///
/// rihla's own type rather than [`chrono::Weekday`], whose serde form is `"Mon"` and which
/// accepts `"monday"` too; convert with `From` both ways.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Weekday {
    /// Monday, `"MON"`.
    Mon,
    /// Tuesday, `"TUE"`.
    Tue,
    /// Wednesday, `"WED"`.
    Wed,
    /// Thursday, `"THU"`.
    Thu,
    /// Friday, `"FRI"`.
    Fri,
    /// Saturday, `"SAT"`.
    Sat,
    /// Sunday, `"SUN"`.
    Sun,
}

impl Weekday {
    /// The JSON name: `"MON"` … `"SUN"`.
    pub fn code(self) -> &'static str {
        match self {
            Weekday::Mon => "MON",
            Weekday::Tue => "TUE",
            Weekday::Wed => "WED",
            Weekday::Thu => "THU",
            Weekday::Fri => "FRI",
            Weekday::Sat => "SAT",
            Weekday::Sun => "SUN",
        }
    }

    /// The weekday of a calendar date.
    pub fn of(date: NaiveDate) -> Weekday {
        use chrono::Datelike;
        date.weekday().into()
    }
}

impl std::fmt::Display for Weekday {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl From<chrono::Weekday> for Weekday {
    fn from(day: chrono::Weekday) -> Weekday {
        match day {
            chrono::Weekday::Mon => Weekday::Mon,
            chrono::Weekday::Tue => Weekday::Tue,
            chrono::Weekday::Wed => Weekday::Wed,
            chrono::Weekday::Thu => Weekday::Thu,
            chrono::Weekday::Fri => Weekday::Fri,
            chrono::Weekday::Sat => Weekday::Sat,
            chrono::Weekday::Sun => Weekday::Sun,
        }
    }
}

impl From<Weekday> for chrono::Weekday {
    fn from(day: Weekday) -> chrono::Weekday {
        match day {
            Weekday::Mon => chrono::Weekday::Mon,
            Weekday::Tue => chrono::Weekday::Tue,
            Weekday::Wed => chrono::Weekday::Wed,
            Weekday::Thu => chrono::Weekday::Thu,
            Weekday::Fri => chrono::Weekday::Fri,
            Weekday::Sat => chrono::Weekday::Sat,
            Weekday::Sun => chrono::Weekday::Sun,
        }
    }
}

/// The dates fare rules are checked against: LOCAL calendar dates at each departure
/// airport (what the ticket shows), never UTC dates.
///
/// JSON: `{"purchase": "2026-12-06", "outbound": "2026-12-20", "inbound": "2026-12-27",
/// "departures": ["2026-12-20", "2026-12-20", "2026-12-27"]}` (`inbound` absent = one-way).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TravelDates {
    /// The purchase instant `now` as a calendar date at the outbound origin's UTC offset.
    #[serde(with = "rihla_core::time::date")]
    pub purchase: NaiveDate,
    /// The first segment's local departure date.
    #[serde(with = "rihla_core::time::date")]
    pub outbound: NaiveDate,
    /// The first inbound segment's local departure date; `None` = one-way.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rihla_core::time::date::option"
    )]
    pub inbound: Option<NaiveDate>,
    /// Every segment's local departure date, in segment order.
    #[serde(with = "rihla_core::time::date::vec")]
    pub departures: Vec<NaiveDate>,
}

impl TravelDates {
    /// The travel dates of an itinerary whose segments depart at `departures` (each with
    /// the UTC offset of its departure airport, in segment order), purchased at `now`.
    /// `inbound_index` is the index of the first segment of the return journey
    /// (`None` = one-way). The purchase date is `now` at the first departure's offset:
    /// `2026-12-05T22:30:00Z` bought for a `+03:00` departure is purchased on `2026-12-06`.
    ///
    /// # Errors
    /// [`FareRuleError::InvalidDates`] when `departures` is empty, when `inbound_index` is
    /// `0` (the first segment is outbound) or not below `departures.len()`, or when a local
    /// date falls outside chrono's calendar range.
    pub fn from_segments(
        now: DateTime<Utc>,
        departures: &[DateTime<FixedOffset>],
        inbound_index: Option<usize>,
    ) -> Result<TravelDates, FareRuleError> {
        let Some(first) = departures.first() else {
            return Err(FareRuleError::InvalidDates {
                field: "departures".into(),
                reason: "an itinerary needs at least one segment".into(),
            });
        };
        let purchase = local_date(now.naive_utc(), *first.offset()).ok_or_else(|| {
            FareRuleError::InvalidDates {
                field: "now".into(),
                reason: format!("{now} at {} is outside the calendar", first.offset()),
            }
        })?;
        let outbound = local_date(first.naive_utc(), *first.offset()).ok_or_else(|| {
            FareRuleError::InvalidDates {
                field: "departures[0]".into(),
                reason: "local date is outside the calendar".into(),
            }
        })?;
        let dates = departures
            .iter()
            .enumerate()
            .map(|(i, d)| {
                local_date(d.naive_utc(), *d.offset()).ok_or_else(|| FareRuleError::InvalidDates {
                    field: format!("departures[{i}]"),
                    reason: "local date is outside the calendar".into(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let inbound = match inbound_index {
            None => None,
            Some(0) => {
                return Err(FareRuleError::InvalidDates {
                    field: "inbound_index".into(),
                    reason: "is 0, but the first segment is the outbound departure".into(),
                })
            }
            Some(i) => match dates.get(i) {
                Some(d) => Some(*d),
                None => {
                    return Err(FareRuleError::InvalidDates {
                        field: "inbound_index".into(),
                        reason: format!("is {i}, but the itinerary has {} segments", dates.len()),
                    })
                }
            },
        };
        Ok(TravelDates {
            purchase,
            outbound,
            inbound,
            departures: dates,
        })
    }
}

/// The local calendar date of a UTC date-time at `offset`, `None` past chrono's range
/// (where [`DateTime::date_naive`] would panic).
fn local_date(utc: chrono::NaiveDateTime, offset: FixedOffset) -> Option<NaiveDate> {
    utc.checked_add_offset(offset).map(|local| local.date())
}

/// Whole days from `earlier` to `later` (negative when `later` is before `earlier`).
/// Cannot overflow: chrono's dates span about ±262 000 years.
fn days_between(earlier: NaiveDate, later: NaiveDate) -> i64 {
    later.signed_duration_since(earlier).num_days()
}

/// The first rule a fare fails, with the values that decided it. Serialized tagged by
/// `rule`, e.g.
/// `{"rule": "ADVANCE_PURCHASE", "required_days": 14, "actual_days": 9,
///   "departure": "2026-12-20", "purchase": "2026-12-11"}`; dates are local `YYYY-MM-DD`,
/// instants RFC 3339 UTC, weekdays `"MON"` … `"SUN"`, day counts whole days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "rule", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FareRuleFailure {
    /// Cat 15: `now < sale_from`.
    #[error("the fare is not on sale before {sale_from}")]
    SaleNotStarted {
        /// First instant of sale.
        #[serde(serialize_with = "rihla_core::time::utc::serialize")]
        sale_from: DateTime<Utc>,
    },
    /// Cat 15: `now > sale_until`.
    #[error("the fare is not on sale after {sale_until}")]
    SaleEnded {
        /// Last instant of sale.
        #[serde(serialize_with = "rihla_core::time::utc::serialize")]
        sale_until: DateTime<Utc>,
    },
    /// Cat 5: bought fewer than `required_days` days before the outbound departure.
    #[error(
        "advance purchase: {required_days} days required, {actual_days} from {purchase} to {departure}"
    )]
    AdvancePurchase {
        /// The rule's `advance_purchase_days`.
        required_days: u32,
        /// `departure − purchase`, in days (negative when bought after the departure date).
        actual_days: i64,
        /// The outbound departure's local date.
        #[serde(serialize_with = "rihla_core::time::date::serialize")]
        departure: NaiveDate,
        /// The purchase date at the outbound origin.
        #[serde(serialize_with = "rihla_core::time::date::serialize")]
        purchase: NaiveDate,
    },
    /// Cat 2: the outbound departs on a weekday the fare does not allow.
    #[error("the outbound departs on {actual}, not an allowed day of week")]
    DayOfWeek {
        /// The rule's `days_of_week`.
        allowed: Vec<Weekday>,
        /// The outbound departure's local weekday.
        actual: Weekday,
    },
    /// Cat 3: the outbound departure date is in none of the fare's seasons.
    #[error("the outbound departure date {outbound} is in none of the fare's seasons")]
    Season {
        /// The outbound departure's local date.
        #[serde(serialize_with = "rihla_core::time::date::serialize")]
        outbound: NaiveDate,
    },
    /// Cat 11: a segment departs on a blackout date (the first such date, in segment order).
    #[error("a segment departs on {date}, a blackout date")]
    Blackout {
        /// The local departure date that falls in a blackout range.
        #[serde(serialize_with = "rihla_core::time::date::serialize")]
        date: NaiveDate,
    },
    /// Cat 6: the stay is shorter than the minimum.
    #[error("minimum stay: {required_days} days required, {actual_days} given")]
    MinStay {
        /// The rule's `min_stay_days`.
        required_days: u32,
        /// `inbound − outbound`, in days.
        actual_days: i64,
    },
    /// Cat 7: the stay is longer than the maximum.
    #[error("maximum stay: at most {required_days} days, {actual_days} given")]
    MaxStay {
        /// The rule's `max_stay_days`.
        required_days: u32,
        /// `inbound − outbound`, in days.
        actual_days: i64,
    },
}

impl FareRuleFailure {
    /// The rule name, as serialized in `rule`: `SALE_NOT_STARTED`, `SALE_ENDED`,
    /// `ADVANCE_PURCHASE`, `DAY_OF_WEEK`, `SEASON`, `BLACKOUT`, `MIN_STAY`, `MAX_STAY`.
    pub fn code(&self) -> &'static str {
        match self {
            FareRuleFailure::SaleNotStarted { .. } => "SALE_NOT_STARTED",
            FareRuleFailure::SaleEnded { .. } => "SALE_ENDED",
            FareRuleFailure::AdvancePurchase { .. } => "ADVANCE_PURCHASE",
            FareRuleFailure::DayOfWeek { .. } => "DAY_OF_WEEK",
            FareRuleFailure::Season { .. } => "SEASON",
            FareRuleFailure::Blackout { .. } => "BLACKOUT",
            FareRuleFailure::MinStay { .. } => "MIN_STAY",
            FareRuleFailure::MaxStay { .. } => "MAX_STAY",
        }
    }
}

/// Fare rules or travel dates that cannot be used, with the field (a path inside the rule
/// set, e.g. `seasons[2]`) and the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FareRuleError {
    /// A rule set that is not well-formed (see [`validate`]).
    #[error("invalid fare rule at {field}: {reason}")]
    InvalidRule {
        /// Path of the offending field inside the rule set, e.g. `blackout_dates[0]`.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Travel dates that cannot be built (see [`TravelDates::from_segments`]).
    #[error("invalid travel dates at {field}: {reason}")]
    InvalidDates {
        /// The offending argument, e.g. `departures` or `inbound_index`.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
}

impl FareRuleError {
    /// `INVALID_FARE_RULE` or `INVALID_TRAVEL_DATES`.
    pub fn code(&self) -> &'static str {
        match self {
            FareRuleError::InvalidRule { .. } => "INVALID_FARE_RULE",
            FareRuleError::InvalidDates { .. } => "INVALID_TRAVEL_DATES",
        }
    }

    /// The offending field.
    pub fn field(&self) -> &str {
        match self {
            FareRuleError::InvalidRule { field, .. }
            | FareRuleError::InvalidDates { field, .. } => field,
        }
    }

    /// What is wrong with it.
    pub fn reason(&self) -> &str {
        match self {
            FareRuleError::InvalidRule { reason, .. }
            | FareRuleError::InvalidDates { reason, .. } => reason,
        }
    }
}

/// Checks `rules` against `dates` and the purchase instant `now`, in this fixed order, and
/// returns the first failure:
///
/// 1. sale window (Cat 15): `sale_from ≤ now ≤ sale_until` → `SALE_NOT_STARTED` / `SALE_ENDED`;
/// 2. advance purchase (Cat 5): `outbound − purchase ≥ advance_purchase_days` → `ADVANCE_PURCHASE`;
/// 3. day of week (Cat 2): the outbound's weekday is in `days_of_week` → `DAY_OF_WEEK`;
/// 4. season (Cat 3): the outbound date is in one of `seasons` → `SEASON`;
/// 5. blackout (Cat 11): no date of `departures` is in `blackout_dates` → `BLACKOUT`;
/// 6. minimum stay (Cat 6): `inbound − outbound ≥ min_stay_days` → `MIN_STAY`;
/// 7. maximum stay (Cat 7): `inbound − outbound ≤ max_stay_days` → `MAX_STAY`.
///
/// Absent rules and empty lists pass; stays are not checked when `dates.inbound` is `None`
/// (one-way). Day counts are whole calendar days. Never panics, whatever the input
/// (a reversed range simply contains no date; run [`validate`] to refuse it).
///
/// # Errors
/// The first [`FareRuleFailure`], naming the rule and the values that decided it.
pub fn check(
    rules: &FareRules,
    dates: &TravelDates,
    now: DateTime<Utc>,
) -> Result<(), FareRuleFailure> {
    if let Some(sale_from) = rules.sale_from {
        if now < sale_from {
            return Err(FareRuleFailure::SaleNotStarted { sale_from });
        }
    }
    if let Some(sale_until) = rules.sale_until {
        if now > sale_until {
            return Err(FareRuleFailure::SaleEnded { sale_until });
        }
    }
    if let Some(required_days) = rules.advance_purchase_days {
        let actual_days = days_between(dates.purchase, dates.outbound);
        if actual_days < i64::from(required_days) {
            return Err(FareRuleFailure::AdvancePurchase {
                required_days,
                actual_days,
                departure: dates.outbound,
                purchase: dates.purchase,
            });
        }
    }
    if !rules.days_of_week.is_empty() {
        let actual = Weekday::of(dates.outbound);
        if !rules.days_of_week.contains(&actual) {
            return Err(FareRuleFailure::DayOfWeek {
                allowed: rules.days_of_week.clone(),
                actual,
            });
        }
    }
    if !rules.seasons.is_empty() && !rules.seasons.iter().any(|s| s.contains(dates.outbound)) {
        return Err(FareRuleFailure::Season {
            outbound: dates.outbound,
        });
    }
    if let Some(date) = dates
        .departures
        .iter()
        .copied()
        .find(|d| rules.blackout_dates.iter().any(|b| b.contains(*d)))
    {
        return Err(FareRuleFailure::Blackout { date });
    }
    if let Some(inbound) = dates.inbound {
        let actual_days = days_between(dates.outbound, inbound);
        if let Some(required_days) = rules.min_stay_days {
            if actual_days < i64::from(required_days) {
                return Err(FareRuleFailure::MinStay {
                    required_days,
                    actual_days,
                });
            }
        }
        if let Some(required_days) = rules.max_stay_days {
            if actual_days > i64::from(required_days) {
                return Err(FareRuleFailure::MaxStay {
                    required_days,
                    actual_days,
                });
            }
        }
    }
    Ok(())
}

/// Checks that `rules` is well-formed: `sale_from ≤ sale_until` when both are given,
/// `min_stay_days ≤ max_stay_days` when both are given, every range of `seasons` and
/// `blackout_dates` has `from ≤ to`, each of those lists has at most [`MAX_RANGES`] (366)
/// ranges, and `days_of_week` has at most [`MAX_DAYS_OF_WEEK`] (7) entries.
///
/// # Errors
/// [`FareRuleError::InvalidRule`] for the first fault, naming the field (`sale_until`,
/// `max_stay_days`, `days_of_week`, `seasons`, `seasons[i]`, `blackout_dates`,
/// `blackout_dates[i]`).
pub fn validate(rules: &FareRules) -> Result<(), FareRuleError> {
    let invalid = |field: String, reason: String| FareRuleError::InvalidRule { field, reason };
    if let (Some(from), Some(until)) = (rules.sale_from, rules.sale_until) {
        if from > until {
            return Err(invalid(
                "sale_until".into(),
                format!("{until} is before sale_from {from}"),
            ));
        }
    }
    if let (Some(min), Some(max)) = (rules.min_stay_days, rules.max_stay_days) {
        if min > max {
            return Err(invalid(
                "max_stay_days".into(),
                format!("{max} is less than min_stay_days {min}"),
            ));
        }
    }
    if rules.days_of_week.len() > MAX_DAYS_OF_WEEK {
        return Err(invalid(
            "days_of_week".into(),
            format!(
                "has {} entries, more than {MAX_DAYS_OF_WEEK}",
                rules.days_of_week.len()
            ),
        ));
    }
    for (name, ranges) in [
        ("seasons", &rules.seasons),
        ("blackout_dates", &rules.blackout_dates),
    ] {
        if ranges.len() > MAX_RANGES {
            return Err(invalid(
                name.into(),
                format!("has {} ranges, more than {MAX_RANGES}", ranges.len()),
            ));
        }
        if let Some((i, r)) = ranges.iter().enumerate().find(|(_, r)| r.from > r.to) {
            return Err(invalid(
                format!("{name}[{i}]"),
                format!("from {} is after to {}", r.from, r.to),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;
    use proptest::prelude::*;
    use serde_json::json;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn instant(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn local(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn rules(v: serde_json::Value) -> FareRules {
        let r: FareRules = serde_json::from_value(v).unwrap();
        validate(&r).unwrap();
        r
    }

    fn one_way(purchase: &str, outbound: &str) -> TravelDates {
        TravelDates {
            purchase: date(purchase),
            outbound: date(outbound),
            inbound: None,
            departures: vec![date(outbound)],
        }
    }

    fn round_trip(purchase: &str, outbound: &str, inbound: &str) -> TravelDates {
        TravelDates {
            purchase: date(purchase),
            outbound: date(outbound),
            inbound: Some(date(inbound)),
            departures: vec![date(outbound), date(inbound)],
        }
    }

    const NOW: &str = "2026-12-01T09:00:00Z";

    #[test]
    fn json_shape_round_trips_and_refuses_unknown_fields() {
        let v = json!({
            "sale_from": "2026-11-01T00:00:00Z", "sale_until": "2026-12-31T23:59:59Z",
            "advance_purchase_days": 14, "min_stay_days": 3, "max_stay_days": 30,
            "days_of_week": ["MON", "TUE", "SUN"],
            "seasons": [{"from": "2026-12-15", "to": "2027-01-05"}],
            "blackout_dates": [{"from": "2026-12-24", "to": "2026-12-26"}]
        });
        let r = rules(v.clone());
        assert_eq!(
            r.days_of_week,
            vec![Weekday::Mon, Weekday::Tue, Weekday::Sun]
        );
        assert_eq!(serde_json::to_value(&r).unwrap(), v);
        assert_eq!(
            serde_json::to_value(FareRules::default()).unwrap(),
            json!({})
        );
        assert_eq!(rules(json!({})), FareRules::default());
        assert!(serde_json::from_value::<FareRules>(json!({"min_stay": 3})).is_err());
        assert!(serde_json::from_value::<FareRules>(json!({"days_of_week": ["Mon"]})).is_err());
        assert!(serde_json::from_value::<FareRules>(json!({"days_of_week": ["MONDAY"]})).is_err());
        assert!(serde_json::from_value::<DateRange>(
            json!({"from": "2026-12-24", "to": "2026-12-26", "note": "x"})
        )
        .is_err());
        assert!(serde_json::from_value::<FareRules>(json!({"advance_purchase_days": -1})).is_err());
    }

    #[test]
    fn weekday_maps_to_chrono() {
        for d in [
            chrono::Weekday::Mon,
            chrono::Weekday::Tue,
            chrono::Weekday::Wed,
            chrono::Weekday::Thu,
            chrono::Weekday::Fri,
            chrono::Weekday::Sat,
            chrono::Weekday::Sun,
        ] {
            let ours = Weekday::from(d);
            assert_eq!(chrono::Weekday::from(ours), d);
            assert_eq!(json!(ours), json!(ours.code()));
        }
        assert_eq!(Weekday::of(date("2026-12-20")), Weekday::Sun);
        assert_eq!(Weekday::of(date("2026-12-21")), Weekday::Mon);
    }

    #[test]
    fn advance_purchase_exactly_n_days_passes_and_n_minus_1_fails() {
        let r = rules(json!({"advance_purchase_days": 14}));
        let now = instant(NOW);
        assert_eq!(check(&r, &one_way("2026-12-06", "2026-12-20"), now), Ok(()));
        let fail = check(&r, &one_way("2026-12-07", "2026-12-20"), now).unwrap_err();
        assert_eq!(fail.code(), "ADVANCE_PURCHASE");
        assert_eq!(
            json!(fail),
            json!({"rule": "ADVANCE_PURCHASE", "required_days": 14, "actual_days": 13,
                   "departure": "2026-12-20", "purchase": "2026-12-07"})
        );
        // The example of the spec: 9 days out.
        assert_eq!(
            json!(check(&r, &one_way("2026-12-11", "2026-12-20"), now).unwrap_err()),
            json!({"rule": "ADVANCE_PURCHASE", "required_days": 14, "actual_days": 9,
                   "departure": "2026-12-20", "purchase": "2026-12-11"})
        );
        // Bought after the departure date: a negative count, still a failure.
        assert_eq!(
            check(&r, &one_way("2026-12-21", "2026-12-20"), now),
            Err(FareRuleFailure::AdvancePurchase {
                required_days: 14,
                actual_days: -1,
                departure: date("2026-12-20"),
                purchase: date("2026-12-21"),
            })
        );
        // Zero days: a same-day purchase passes.
        let same_day = rules(json!({"advance_purchase_days": 0}));
        assert_eq!(
            check(&same_day, &one_way("2026-12-20", "2026-12-20"), now),
            Ok(())
        );
    }

    #[test]
    fn purchase_date_is_taken_in_the_departure_offset() {
        let r = rules(json!({"advance_purchase_days": 14}));
        // 22:30 UTC on the 5th is 01:30 on the 6th in Riyadh (+03:00): 14 days to the 20th.
        let now = instant("2026-12-05T22:30:00Z");
        let dep = [local("2026-12-20T08:15:00+03:00")];
        let d = TravelDates::from_segments(now, &dep, None).unwrap();
        assert_eq!(d.purchase, date("2026-12-06"));
        assert_eq!(d.outbound, date("2026-12-20"));
        assert_eq!(d.inbound, None);
        assert_eq!(d.departures, vec![date("2026-12-20")]);
        assert_eq!(check(&r, &d, now), Ok(()));
        // The same instant in New York (−05:00) is still the 5th: 15 days, passes too;
        // with a 16-day rule it fails on 15.
        let ny = [local("2026-12-20T08:15:00-05:00")];
        let d = TravelDates::from_segments(now, &ny, None).unwrap();
        assert_eq!(d.purchase, date("2026-12-05"));
        let r16 = rules(json!({"advance_purchase_days": 16}));
        assert_eq!(
            check(&r16, &d, now).unwrap_err(),
            FareRuleFailure::AdvancePurchase {
                required_days: 16,
                actual_days: 15,
                departure: date("2026-12-20"),
                purchase: date("2026-12-05"),
            }
        );
        // One minute earlier, Riyadh is still on the 5th (23:29 +03:00 = 20:29Z).
        let early = instant("2026-12-05T20:59:00Z");
        let d = TravelDates::from_segments(early, &dep, None).unwrap();
        assert_eq!(d.purchase, date("2026-12-05"));
        // Local departure date, not UTC: 00:30 +03:00 on the 20th is 21:30Z on the 19th.
        let d =
            TravelDates::from_segments(now, &[local("2026-12-20T00:30:00+03:00")], None).unwrap();
        assert_eq!(d.outbound, date("2026-12-20"));
    }

    #[test]
    fn from_segments_round_trip_and_errors() {
        let now = instant(NOW);
        let deps = [
            local("2026-12-20T08:15:00+03:00"), // RUH → DXB
            local("2026-12-20T14:00:00+04:00"), // DXB → LHR
            local("2026-12-27T21:40:00+00:00"), // LHR → RUH
        ];
        let d = TravelDates::from_segments(now, &deps, Some(2)).unwrap();
        assert_eq!(d.purchase, date("2026-12-01"));
        assert_eq!(d.outbound, date("2026-12-20"));
        assert_eq!(d.inbound, Some(date("2026-12-27")));
        assert_eq!(
            d.departures,
            vec![date("2026-12-20"), date("2026-12-20"), date("2026-12-27")]
        );
        let e = TravelDates::from_segments(now, &[], None).unwrap_err();
        assert_eq!(
            (e.code(), e.field()),
            ("INVALID_TRAVEL_DATES", "departures")
        );
        let e = TravelDates::from_segments(now, &deps, Some(3)).unwrap_err();
        assert_eq!(e.field(), "inbound_index");
        assert_eq!(e.reason(), "is 3, but the itinerary has 3 segments");
        let e = TravelDates::from_segments(now, &deps, Some(usize::MAX)).unwrap_err();
        assert_eq!(e.field(), "inbound_index");
        let e = TravelDates::from_segments(now, &deps, Some(0)).unwrap_err();
        assert_eq!(e.field(), "inbound_index");
        // A local date past the calendar's end is an error, not a panic.
        let max = DateTime::<FixedOffset>::from_naive_utc_and_offset(
            chrono::NaiveDateTime::MAX,
            FixedOffset::east_opt(3600).unwrap(),
        );
        let e = TravelDates::from_segments(now, &[max], None).unwrap_err();
        assert_eq!(e.field(), "departures[0]");
        let e = TravelDates::from_segments(DateTime::<Utc>::MAX_UTC, &[max], None).unwrap_err();
        assert_eq!(e.field(), "now");
    }

    #[test]
    fn min_stay_on_round_trip_skipped_on_one_way() {
        let r = rules(json!({"min_stay_days": 3}));
        let now = instant(NOW);
        assert_eq!(
            check(
                &r,
                &round_trip("2026-12-01", "2026-12-20", "2026-12-23"),
                now
            ),
            Ok(())
        );
        let fail = check(
            &r,
            &round_trip("2026-12-01", "2026-12-20", "2026-12-22"),
            now,
        )
        .unwrap_err();
        assert_eq!(
            json!(fail),
            json!({"rule": "MIN_STAY", "required_days": 3, "actual_days": 2})
        );
        assert_eq!(fail.code(), "MIN_STAY");
        // One-way: no stay, not checked.
        assert_eq!(check(&r, &one_way("2026-12-01", "2026-12-20"), now), Ok(()));
        // Same-day return on a 0-day minimum passes.
        let zero = rules(json!({"min_stay_days": 0}));
        assert_eq!(
            check(
                &zero,
                &round_trip("2026-12-01", "2026-12-20", "2026-12-20"),
                now
            ),
            Ok(())
        );
    }

    #[test]
    fn max_stay() {
        let r = rules(json!({"min_stay_days": 3, "max_stay_days": 30}));
        let now = instant(NOW);
        assert_eq!(
            check(
                &r,
                &round_trip("2026-12-01", "2026-12-20", "2027-01-19"),
                now
            ),
            Ok(())
        );
        let fail = check(
            &r,
            &round_trip("2026-12-01", "2026-12-20", "2027-01-20"),
            now,
        )
        .unwrap_err();
        assert_eq!(
            json!(fail),
            json!({"rule": "MAX_STAY", "required_days": 30, "actual_days": 31})
        );
        assert_eq!(fail.code(), "MAX_STAY");
        assert_eq!(check(&r, &one_way("2026-12-01", "2026-12-20"), now), Ok(()));
    }

    #[test]
    fn days_of_week() {
        let now = instant(NOW);
        // 2026-12-20 is a Sunday.
        let weekend = rules(json!({"days_of_week": ["SAT", "SUN"]}));
        assert_eq!(
            check(&weekend, &one_way("2026-12-01", "2026-12-20"), now),
            Ok(())
        );
        let weekdays = rules(json!({"days_of_week": ["MON", "TUE", "WED", "THU", "FRI"]}));
        let fail = check(&weekdays, &one_way("2026-12-01", "2026-12-20"), now).unwrap_err();
        assert_eq!(
            json!(fail),
            json!({"rule": "DAY_OF_WEEK", "allowed": ["MON", "TUE", "WED", "THU", "FRI"],
                   "actual": "SUN"})
        );
        assert_eq!(fail.code(), "DAY_OF_WEEK");
        // Only the outbound's weekday counts: a Monday return does not rescue it, a
        // Sunday return does not break a Monday outbound.
        assert!(check(
            &weekdays,
            &round_trip("2026-12-01", "2026-12-20", "2026-12-21"),
            now
        )
        .is_err());
        assert_eq!(
            check(
                &weekdays,
                &round_trip("2026-12-01", "2026-12-21", "2026-12-27"),
                now
            ),
            Ok(())
        );
        // Weekday from the local date at the origin: 23:30 on Sunday 20th at +03:00 is
        // 20:30Z, still Sunday; 00:30 on Monday 21st at +03:00 is Sunday 21:30Z, a Monday.
        let mon =
            TravelDates::from_segments(now, &[local("2026-12-21T00:30:00+03:00")], None).unwrap();
        assert_eq!(check(&weekdays, &mon, now), Ok(()));
    }

    #[test]
    fn season_boundaries_are_inclusive() {
        let r = rules(
            json!({"seasons": [{"from": "2026-12-15", "to": "2027-01-05"},
                                         {"from": "2027-07-01", "to": "2027-08-31"}]}),
        );
        let now = instant(NOW);
        for ok in [
            "2026-12-15",
            "2026-12-31",
            "2027-01-05",
            "2027-07-01",
            "2027-08-31",
        ] {
            assert_eq!(check(&r, &one_way("2026-12-01", ok), now), Ok(()), "{ok}");
        }
        for bad in ["2026-12-14", "2027-01-06", "2027-06-30", "2027-09-01"] {
            let fail = check(&r, &one_way("2026-12-01", bad), now).unwrap_err();
            assert_eq!(json!(fail), json!({"rule": "SEASON", "outbound": bad}));
        }
        // Only the outbound date is in season: a return after the season is fine.
        assert_eq!(
            check(
                &r,
                &round_trip("2026-12-01", "2027-01-05", "2027-01-20"),
                now
            ),
            Ok(())
        );
    }

    #[test]
    fn blackout_hits_the_return_segment() {
        let r = rules(json!({"blackout_dates": [{"from": "2026-12-24", "to": "2026-12-26"}]}));
        let now = instant(NOW);
        let fail = check(
            &r,
            &round_trip("2026-12-01", "2026-12-20", "2026-12-26"),
            now,
        )
        .unwrap_err();
        assert_eq!(
            json!(fail),
            json!({"rule": "BLACKOUT", "date": "2026-12-26"})
        );
        assert_eq!(fail.code(), "BLACKOUT");
        // Both ends of the range are blacked out, the days around are not.
        for d in ["2026-12-24", "2026-12-25"] {
            assert!(check(&r, &round_trip("2026-12-01", "2026-12-20", d), now).is_err());
        }
        for d in ["2026-12-23", "2026-12-27"] {
            assert_eq!(
                check(&r, &round_trip("2026-12-01", "2026-12-20", d), now),
                Ok(())
            );
        }
        // Blackout from real segments: the connection of the return leg departs on the 24th.
        let deps = [
            local("2026-12-20T08:15:00+03:00"),
            local("2026-12-23T22:00:00+00:00"),
            local("2026-12-24T07:30:00+04:00"),
        ];
        let d = TravelDates::from_segments(now, &deps, Some(1)).unwrap();
        assert_eq!(
            check(&r, &d, now),
            Err(FareRuleFailure::Blackout {
                date: date("2026-12-24")
            })
        );
    }

    #[test]
    fn sale_window_boundaries_are_inclusive() {
        let r = rules(json!({"sale_from": "2026-11-01T00:00:00Z",
                             "sale_until": "2026-12-31T23:59:59Z"}));
        let dates = one_way("2026-12-01", "2027-01-10");
        assert_eq!(check(&r, &dates, instant("2026-11-01T00:00:00Z")), Ok(()));
        assert_eq!(check(&r, &dates, instant("2026-12-31T23:59:59Z")), Ok(()));
        let early = check(&r, &dates, instant("2026-10-31T23:59:59Z")).unwrap_err();
        assert_eq!(
            json!(early),
            json!({"rule": "SALE_NOT_STARTED", "sale_from": "2026-11-01T00:00:00Z"})
        );
        assert_eq!(early.code(), "SALE_NOT_STARTED");
        let late = check(&r, &dates, instant("2027-01-01T00:00:00Z")).unwrap_err();
        assert_eq!(
            json!(late),
            json!({"rule": "SALE_ENDED", "sale_until": "2026-12-31T23:59:59Z"})
        );
        assert_eq!(late.code(), "SALE_ENDED");
        // An offset in the JSON is an instant: 02:59:59+03:00 is 23:59:59Z.
        let riyadh = rules(json!({"sale_until": "2027-01-01T02:59:59+03:00"}));
        assert_eq!(
            check(&riyadh, &dates, instant("2026-12-31T23:59:59Z")),
            Ok(())
        );
        assert!(check(&riyadh, &dates, instant("2027-01-01T00:00:00Z")).is_err());
    }

    #[test]
    fn first_failure_in_the_documented_order() {
        let all = rules(json!({
            "sale_from": "2026-11-01T00:00:00Z", "sale_until": "2026-12-31T23:59:59Z",
            "advance_purchase_days": 14, "min_stay_days": 3, "max_stay_days": 4,
            "days_of_week": ["MON"],
            "seasons": [{"from": "2027-02-01", "to": "2027-02-28"}],
            "blackout_dates": [{"from": "2026-12-20", "to": "2026-12-20"}]
        }));
        // Sunday outbound on a blacked-out, off-season date, bought 9 days before,
        // returning after 1 day: every rule but the sale window fails.
        let dates = round_trip("2026-12-11", "2026-12-20", "2026-12-21");
        let code = |r: &FareRules, now: &str| check(r, &dates, instant(now)).unwrap_err().code();
        assert_eq!(code(&all, "2026-10-01T00:00:00Z"), "SALE_NOT_STARTED");
        assert_eq!(code(&all, "2027-01-01T00:00:00Z"), "SALE_ENDED");
        let mut r = all.clone();
        assert_eq!(code(&r, NOW), "ADVANCE_PURCHASE");
        r.advance_purchase_days = None;
        assert_eq!(code(&r, NOW), "DAY_OF_WEEK");
        r.days_of_week.clear();
        assert_eq!(code(&r, NOW), "SEASON");
        r.seasons.clear();
        assert_eq!(code(&r, NOW), "BLACKOUT");
        r.blackout_dates.clear();
        assert_eq!(code(&r, NOW), "MIN_STAY");
        r.min_stay_days = None;
        let long = round_trip("2026-12-11", "2026-12-20", "2026-12-30");
        assert_eq!(
            check(&r, &long, instant(NOW)).unwrap_err().code(),
            "MAX_STAY"
        );
        r.max_stay_days = None;
        assert_eq!(check(&r, &long, instant(NOW)), Ok(()));
    }

    #[test]
    fn validation_errors() {
        let err = |v: serde_json::Value| {
            let r: FareRules = serde_json::from_value(v).unwrap();
            let e = validate(&r).unwrap_err();
            assert_eq!(e.code(), "INVALID_FARE_RULE");
            (e.field().to_owned(), e.reason().to_owned())
        };
        assert_eq!(
            err(json!({"sale_from": "2026-12-01T00:00:00Z", "sale_until": "2026-11-30T23:59:59Z"})),
            (
                "sale_until".into(),
                "2026-11-30 23:59:59 UTC is before sale_from 2026-12-01 00:00:00 UTC".into()
            )
        );
        assert_eq!(
            err(json!({"min_stay_days": 7, "max_stay_days": 6})),
            (
                "max_stay_days".into(),
                "6 is less than min_stay_days 7".into()
            )
        );
        assert_eq!(
            err(
                json!({"seasons": [{"from": "2026-12-15", "to": "2027-01-05"},
                                   {"from": "2027-08-31", "to": "2027-07-01"}]})
            ),
            (
                "seasons[1]".into(),
                "from 2027-08-31 is after to 2027-07-01".into()
            )
        );
        assert_eq!(
            err(json!({"blackout_dates": [{"from": "2026-12-26", "to": "2026-12-24"}]})).0,
            "blackout_dates[0]"
        );
        assert_eq!(
            err(json!({"days_of_week": ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN", "MON"]})),
            ("days_of_week".into(), "has 8 entries, more than 7".into())
        );
        let day = json!({"from": "2026-12-24", "to": "2026-12-24"});
        let many = vec![day; MAX_RANGES + 1];
        assert_eq!(
            err(json!({"blackout_dates": many})),
            (
                "blackout_dates".into(),
                "has 367 ranges, more than 366".into()
            )
        );
        // The limits themselves are fine, and so are equal bounds.
        let day = json!({"from": "2026-12-24", "to": "2026-12-24"});
        rules(json!({"seasons": vec![day; MAX_RANGES],
                     "days_of_week": ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"],
                     "sale_from": "2026-12-01T00:00:00Z", "sale_until": "2026-12-01T00:00:00Z",
                     "min_stay_days": 5, "max_stay_days": 5}));
        let e = FareRuleError::InvalidRule {
            field: "seasons[1]".into(),
            reason: "from 2027-08-31 is after to 2027-07-01".into(),
        };
        assert_eq!(
            e.to_string(),
            "invalid fare rule at seasons[1]: from 2027-08-31 is after to 2027-07-01"
        );
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        prop_oneof![
            Just(NaiveDate::MIN),
            Just(NaiveDate::MAX),
            (NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce())
                .prop_filter_map("in range", NaiveDate::from_num_days_from_ce_opt),
            (738_000i32..740_000).prop_filter_map("in range", NaiveDate::from_num_days_from_ce_opt),
        ]
    }

    fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
        prop_oneof![
            Just(DateTime::<Utc>::MIN_UTC),
            Just(DateTime::<Utc>::MAX_UTC),
            (DateTime::<Utc>::MIN_UTC.timestamp()..=DateTime::<Utc>::MAX_UTC.timestamp())
                .prop_filter_map("in range", |s| DateTime::from_timestamp(s, 0)),
            (1_700_000_000i64..1_900_000_000)
                .prop_filter_map("in range", |s| DateTime::from_timestamp(s, 0)),
        ]
    }

    fn any_weekday() -> impl Strategy<Value = Weekday> {
        prop_oneof![
            Just(Weekday::Mon),
            Just(Weekday::Tue),
            Just(Weekday::Wed),
            Just(Weekday::Thu),
            Just(Weekday::Fri),
            Just(Weekday::Sat),
            Just(Weekday::Sun),
        ]
    }

    fn any_range() -> impl Strategy<Value = DateRange> {
        (any_date(), any_date()).prop_map(|(from, to)| DateRange { from, to })
    }

    prop_compose! {
        fn any_rules()(
            sale_from in proptest::option::of(any_instant()),
            sale_until in proptest::option::of(any_instant()),
            advance_purchase_days in proptest::option::of(any::<u32>()),
            min_stay_days in proptest::option::of(any::<u32>()),
            max_stay_days in proptest::option::of(any::<u32>()),
            days_of_week in proptest::collection::vec(any_weekday(), 0..10),
            seasons in proptest::collection::vec(any_range(), 0..4),
            blackout_dates in proptest::collection::vec(any_range(), 0..4),
        ) -> FareRules {
            FareRules { sale_from, sale_until, advance_purchase_days, min_stay_days,
                        max_stay_days, days_of_week, seasons, blackout_dates }
        }
    }

    prop_compose! {
        fn any_dates()(
            purchase in any_date(),
            outbound in any_date(),
            inbound in proptest::option::of(any_date()),
            departures in proptest::collection::vec(any_date(), 0..5),
        ) -> TravelDates {
            TravelDates { purchase, outbound, inbound, departures }
        }
    }

    fn any_departure() -> impl Strategy<Value = DateTime<FixedOffset>> {
        (any_instant(), -86_399i32..=86_399).prop_filter_map("valid offset", |(utc, secs)| {
            FixedOffset::east_opt(secs)
                .map(|off| DateTime::from_naive_utc_and_offset(utc.naive_utc(), off))
        })
    }

    proptest! {
        #[test]
        fn check_never_panics(rules in any_rules(), dates in any_dates(), now in any_instant()) {
            let _ = validate(&rules);
            if let Err(failure) = check(&rules, &dates, now) {
                let v = serde_json::to_value(&failure).unwrap();
                prop_assert_eq!(v["rule"].as_str(), Some(failure.code()));
                prop_assert!(!failure.to_string().is_empty());
            }
        }

        #[test]
        fn absent_rules_always_pass(dates in any_dates(), now in any_instant()) {
            prop_assert_eq!(check(&FareRules::default(), &dates, now), Ok(()));
        }

        #[test]
        fn from_segments_never_panics(
            now in any_instant(),
            departures in proptest::collection::vec(any_departure(), 0..5),
            inbound_index in proptest::option::of(0usize..7),
            rules in any_rules(),
        ) {
            if let Ok(dates) = TravelDates::from_segments(now, &departures, inbound_index) {
                prop_assert_eq!(dates.departures.len(), departures.len());
                prop_assert_eq!(dates.departures.first(), Some(&dates.outbound));
                let _ = check(&rules, &dates, now);
                prop_assert_eq!(check(&FareRules::default(), &dates, now), Ok(()));
            }
        }
    }
}
