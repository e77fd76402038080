//! The platform's charter rules (the rulebook's `charter` section): weekend days per
//! market, surcharges, the empty-leg discount, the turnaround buffer, commission and
//! platform fee.

use crate::fare_rule::Weekday;
use chrono::NaiveDate;
use rihla_core::{Decimal, Money};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The rulebook's charter rules.
///
/// ```json
/// {"weekend_days": {"SA": ["FRI", "SAT"], "US": ["SAT", "SUN"]},
///  "surcharges": [{"id": "WEEKEND", "kind": "WEEKEND", "percent": "10"}],
///  "empty_leg_discount_percent": "50", "turnaround_minutes": 60,
///  "commission_percent": "10", "platform_fee_percent": "2"}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CharterRules {
    /// Weekend days by ISO 3166-1 alpha-2 country of the departure airport; the key
    /// `"*"` gives the days of every other country (none when absent). Weekends are a
    /// market setting: Friday–Saturday in Saudi Arabia, Egypt and Bangladesh,
    /// Saturday–Sunday in the UAE (since 2022), the US and Europe.
    #[serde(default)]
    pub weekend_days: BTreeMap<String, Vec<Weekday>>,
    /// Surcharges, each evaluated on every flown leg (at most
    /// [`crate::limits::MAX_CHARTER_SURCHARGES`]).
    #[serde(default)]
    pub surcharges: Vec<Surcharge>,
    /// Discount on the flight charge of a leg flagged `empty`, percent (default 0).
    #[serde(with = "rihla_core::decimal_string", default)]
    pub empty_leg_discount_percent: Decimal,
    /// Time the aircraft needs on the ground between two legs, minutes (0–1440, default
    /// 60): it separates legs in the schedule and in availability checks.
    #[serde(default = "sixty")]
    pub turnaround_minutes: u32,
    /// The platform's commission on a charter's total before tax, percent (default 0).
    #[serde(with = "rihla_core::decimal_string", default)]
    pub commission_percent: Decimal,
    /// The platform fee taken from the operator, percent of the total before tax
    /// (default 0).
    #[serde(with = "rihla_core::decimal_string", default)]
    pub platform_fee_percent: Decimal,
}

fn sixty() -> u32 {
    60
}

/// The rules of a rulebook without a `charter` section: no weekend days, surcharges,
/// empty-leg discount, commission or platform fee; a 60-minute turnaround.
pub static NO_CHARTER_RULES: CharterRules = CharterRules {
    weekend_days: BTreeMap::new(),
    surcharges: Vec::new(),
    empty_leg_discount_percent: Decimal::ZERO,
    turnaround_minutes: 60,
    commission_percent: Decimal::ZERO,
    platform_fee_percent: Decimal::ZERO,
};

impl Default for CharterRules {
    fn default() -> Self {
        NO_CHARTER_RULES.clone()
    }
}

/// When a surcharge touches a leg.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SurchargeKind {
    /// The leg departs on a weekend day of its departure country (`weekend_days`).
    Weekend,
    /// The leg's local departure date is within `from..=until`.
    PeakSeason,
    /// The leg's local departure date is one of `dates`.
    Holiday,
    /// The leg departs less than `within_hours` after the request's `now`.
    LastMinute,
}

/// A charter surcharge: a percentage of the flight charge of each leg it touches, or an
/// amount per leg touched. Empty legs are never surcharged.
///
/// ```json
/// {"id": "HAJJ-PEAK", "kind": "PEAK_SEASON", "percent": "20", "countries": ["SA"],
///  "from": "2027-05-05", "until": "2027-05-25", "source": "Dhu al-Hijjah 1448 (Umm al-Qura, estimated)"}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Surcharge {
    /// Unique id among the surcharges.
    pub id: String,
    /// When it applies.
    pub kind: SurchargeKind,
    /// Name shown on the quote.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Percentage of the touched legs' flight charge (0–100); give this or `amount`.
    #[serde(
        default,
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub percent: Option<Decimal>,
    /// Amount per touched leg (converted with the request's rates when in another
    /// currency); give this or `percent`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    /// Departure countries it applies in (ISO 3166-1 alpha-2; empty = all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<String>,
    /// PEAK_SEASON: first local date (inclusive).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rihla_core::time::date::option"
    )]
    pub from: Option<NaiveDate>,
    /// PEAK_SEASON: last local date (inclusive).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rihla_core::time::date::option"
    )]
    pub until: Option<NaiveDate>,
    /// HOLIDAY: the local dates (at most [`crate::limits::MAX_RULE_LIST`]).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        with = "rihla_core::time::date::vec"
    )]
    pub dates: Vec<NaiveDate>,
    /// LAST_MINUTE: departures less than this many hours after `now` (1–720).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within_hours: Option<u32>,
    /// Where the rule or its dates come from.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

impl CharterRules {
    /// The weekend days of departures from `country`.
    pub fn weekend_of(&self, country: &str) -> &[Weekday] {
        self.weekend_days
            .get(country)
            .or_else(|| self.weekend_days.get("*"))
            .map_or(&[], Vec::as_slice)
    }
}

/// Validates the rulebook's charter section.
///
/// # Errors
/// `INVALID_RULEBOOK` (a surcharge without its dates or with both or neither of
/// `percent`/`amount`, an unknown country key), `RATE_OUT_OF_RANGE`, `INVALID_AMOUNT`,
/// `DUPLICATE_ID`, `LIMIT_EXCEEDED`.
pub(crate) fn validate(rules: &CharterRules) -> Result<(), crate::Error> {
    use crate::error::Doc;
    use crate::rulebook::{check_id, check_len, check_money, check_percent, check_range};
    let invalid = |field: String, reason: &str| crate::Error::InvalidRulebook {
        field,
        reason: reason.into(),
    };
    let f = |s: &str| format!("charter.{s}");
    check_len(&f("weekend_days"), rules.weekend_days.len(), 300)?;
    for (country, days) in &rules.weekend_days {
        if country != "*" && !is_country(country) {
            return Err(invalid(
                f(&format!("weekend_days.{country}")),
                "expected an ISO 3166-1 alpha-2 country or \"*\"",
            ));
        }
        check_len(&f(&format!("weekend_days.{country}")), days.len(), 7)?;
    }
    check_percent(
        || f("empty_leg_discount_percent"),
        rules.empty_leg_discount_percent,
    )?;
    check_percent(|| f("commission_percent"), rules.commission_percent)?;
    check_percent(|| f("platform_fee_percent"), rules.platform_fee_percent)?;
    let sum = rules
        .commission_percent
        .checked_add(rules.platform_fee_percent)
        .unwrap_or(Decimal::MAX);
    check_range(
        || f("commission_percent + platform_fee_percent"),
        sum,
        Decimal::ZERO,
        Decimal::ONE_HUNDRED,
    )?;
    check_range(
        || f("turnaround_minutes"),
        Decimal::from(rules.turnaround_minutes),
        Decimal::ZERO,
        Decimal::from(1440),
    )?;
    check_len(
        &f("surcharges"),
        rules.surcharges.len(),
        crate::limits::MAX_CHARTER_SURCHARGES,
    )?;
    for (i, s) in rules.surcharges.iter().enumerate() {
        let sf = |x: &str| f(&format!("surcharges[{i}].{x}"));
        check_id(|| sf("id"), &s.id, Doc::Rulebook)?;
        if rules.surcharges[..i].iter().any(|o| o.id == s.id) {
            return Err(crate::Error::DuplicateId {
                field: sf("id"),
                id: s.id.clone(),
            });
        }
        match (s.percent, &s.amount) {
            (Some(p), None) => check_percent(|| sf("percent"), p)?,
            (None, Some(m)) => check_money(|| sf("amount"), m)?,
            _ => {
                return Err(invalid(
                    sf("percent"),
                    "give exactly one of percent or amount",
                ))
            }
        }
        check_len(
            &sf("countries"),
            s.countries.len(),
            crate::limits::MAX_RULE_LIST,
        )?;
        if let Some(c) = s.countries.iter().find(|c| !is_country(c)) {
            return Err(invalid(
                sf("countries"),
                &format!("{c:?} is not an ISO 3166-1 alpha-2 country"),
            ));
        }
        check_len(&sf("dates"), s.dates.len(), crate::limits::MAX_RULE_LIST)?;
        match s.kind {
            SurchargeKind::Weekend => {}
            SurchargeKind::PeakSeason => match (s.from, s.until) {
                (Some(a), Some(b)) if a <= b => {}
                (Some(_), Some(_)) => return Err(invalid(sf("until"), "is before from")),
                _ => return Err(invalid(sf("from"), "PEAK_SEASON needs from and until")),
            },
            SurchargeKind::Holiday if s.dates.is_empty() => {
                return Err(invalid(sf("dates"), "HOLIDAY needs at least one date"))
            }
            SurchargeKind::Holiday => {}
            SurchargeKind::LastMinute => match s.within_hours {
                Some(h) if (1..=720).contains(&h) => {}
                _ => {
                    return Err(invalid(
                        sf("within_hours"),
                        "LAST_MINUTE needs 1..=720 hours",
                    ))
                }
            },
        }
    }
    Ok(())
}

/// Two upper-case ASCII letters.
pub(crate) fn is_country(c: &str) -> bool {
    c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase())
}
