//! Upgrade pricing: what moving to a higher plan costs for the rest of the current term.

use super::Tier;

use crate::Error;
use chrono::{DateTime, NaiveDate, Utc};
use rihla_core::{CoreError, Currency, Decimal, Money};
use serde::{Deserialize, Serialize, Serializer};

/// Most instalments an upgrade price may be split into.
pub const MAX_INSTALMENTS: u32 = 60;

/// A question to [`crate::Rulebook::upgrade_price`]: what does moving from `from` to `to`
/// cost now, for the rest of the current subscription term?
///
/// ```json
/// {"from": "GOLD", "to": "PLATINUM", "currency": "SAR",
///  "subscription_start": "2028-01-01", "subscription_end": "2029-01-01",
///  "now": "2028-07-02T09:00:00Z", "instalments": 3}
/// ```
///
/// The term is counted in UTC calendar days: it runs from `subscription_start` (its first
/// day) up to `subscription_end` (the renewal date, excluded), so a yearly term that
/// started on 1 January 2028 ends on `"2029-01-01"` and has 366 days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpgradeRequest {
    /// The member's current tier.
    pub from: Tier,
    /// The tier asked for; must be above `from`.
    pub to: Tier,
    /// The currency the host expects to charge in; when given it must be the plans'
    /// (`CURRENCY_MISMATCH` otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// First day of the current term (`"YYYY-MM-DD"`).
    #[serde(with = "rihla_core::time::date")]
    pub subscription_start: NaiveDate,
    /// Renewal date: the first day after the term (`"YYYY-MM-DD"`), after the start.
    #[serde(with = "rihla_core::time::date")]
    pub subscription_end: NaiveDate,
    /// The instant of the upgrade; its UTC date counts as a remaining day.
    #[serde(with = "rihla_core::time::utc")]
    pub now: DateTime<Utc>,
    /// Split the prorated amount into this many instalments (1 to [`MAX_INSTALMENTS`]),
    /// by the largest-remainder method: the parts sum exactly to it, earlier ones take
    /// the odd minor units. Absent: no split.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instalments: Option<u32>,
}

crate::parse::json_request!(UpgradeRequest);

/// The answer of [`crate::Rulebook::upgrade_price`]; amounts in `currency`, as decimal
/// strings.
///
/// ```json
/// {"from": "GOLD", "to": "PLATINUM", "currency": "SAR",
///  "from_price": "1999.00", "to_price": "3999.00", "price_difference": "2000.00",
///  "total_days": 366, "remaining_days": 183, "prorated_amount": "1000.00",
///  "instalments": ["333.34", "333.33", "333.33"]}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpgradeQuote {
    /// The current tier.
    pub from: Tier,
    /// The tier asked for.
    pub to: Tier,
    /// Currency of the plans and of every amount.
    pub currency: Currency,
    /// Price of a term of the current plan.
    #[serde(with = "rihla_core::decimal_string")]
    pub from_price: Decimal,
    /// Price of a term of the new plan.
    #[serde(with = "rihla_core::decimal_string")]
    pub to_price: Decimal,
    /// `to_price − from_price` (≥ 0).
    #[serde(with = "rihla_core::decimal_string")]
    pub price_difference: Decimal,
    /// Days of the term: `subscription_end − subscription_start`.
    pub total_days: u32,
    /// Days left, today included: `subscription_end − max(today, subscription_start)`.
    pub remaining_days: u32,
    /// `round(price_difference × remaining_days / total_days)` to the minor unit with the
    /// rulebook's rounding: what the member pays now. `0 ≤ prorated_amount ≤
    /// price_difference`.
    #[serde(with = "rihla_core::decimal_string")]
    pub prorated_amount: Decimal,
    /// The prorated amount split into the requested instalments (empty when none were
    /// asked for); they sum exactly to it.
    #[serde(serialize_with = "decimals", skip_serializing_if = "Vec::is_empty")]
    pub instalments: Vec<Decimal>,
}

fn decimals<S: Serializer>(values: &[Decimal], serializer: S) -> Result<S::Ok, S::Error> {
    struct Text<'a>(&'a Decimal);
    impl Serialize for Text<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            rihla_core::decimal_string::serialize(self.0, serializer)
        }
    }
    serializer.collect_seq(values.iter().map(Text))
}

impl UpgradeQuote {
    /// The answer as a JSON value (amounts as decimal strings).
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

fn invalid(field: &str, reason: String) -> Error {
    Error::InvalidRequest {
        field: field.to_owned(),
        reason,
    }
}

impl crate::Rulebook {
    /// The price of upgrading from `request.from` to `request.to` for the rest of the
    /// current term: the difference between the two plans' prices, prorated by the
    /// remaining days (`difference × remaining_days / total_days`), rounded once to the
    /// minor unit with the rulebook's rounding mode, and optionally split into
    /// instalments with [`rihla_core::allocate`] (no minor unit lost).
    ///
    /// Example (default rulebook): GOLD 1999.00 → PLATINUM 3999.00 SAR on 2 July 2028 of
    /// the term 2028-01-01 … 2029-01-01: 2000.00 × 183 / 366 = 1000.00.
    ///
    /// # Errors
    /// - `NOT_AN_UPGRADE` (with `from`, `to`): `to` is not above `from`, or its plan
    ///   costs less;
    /// - `CURRENCY_MISMATCH`: the two plans' prices are in different currencies, or the
    ///   request's `currency` is not theirs;
    /// - `INVALID_REQUEST`: no plan for `from` or `to` (field `from` / `to`), a term that
    ///   does not end after it starts (`subscription_end`), a term already over at `now`
    ///   (`now`), instalments outside 1..=[`MAX_INSTALMENTS`] (`instalments`);
    /// - `OVERFLOW`.
    pub fn upgrade_price(&self, request: &UpgradeRequest) -> Result<UpgradeQuote, Error> {
        let (from, to) = (request.from, request.to);
        if to <= from {
            return Err(Error::NotAnUpgrade {
                from,
                to,
                reason: if to == from {
                    "it is the same tier".into()
                } else {
                    "the new tier is below the current one".into()
                },
            });
        }
        let plan = |tier: Tier, field: &str| {
            self.doc()
                .membership
                .as_ref()
                .and_then(|m| m.plan(tier))
                .ok_or_else(|| invalid(field, format!("the rulebook has no {tier} plan")))
        };
        let (from_plan, to_plan) = (plan(from, "from")?, plan(to, "to")?);
        let difference = to_plan.price.checked_sub(&from_plan.price)?;
        let currency = difference.currency;
        if let Some(expected) = request.currency {
            if expected != currency {
                return Err(Error::Core(CoreError::CurrencyMismatch {
                    left: expected.code().to_owned(),
                    right: currency.code().to_owned(),
                }));
            }
        }
        if difference.amount.is_sign_negative() && !difference.amount.is_zero() {
            return Err(Error::NotAnUpgrade {
                from,
                to,
                reason: format!(
                    "the {to} plan ({}) costs less than the {from} plan ({})",
                    to_plan.price, from_plan.price
                ),
            });
        }

        let (start, end) = (request.subscription_start, request.subscription_end);
        let days = |d: chrono::TimeDelta, field: &str| {
            u32::try_from(d.num_days())
                .map_err(|_| invalid(field, format!("{} days is out of range", d.num_days())))
        };
        if end <= start {
            return Err(invalid(
                "subscription_end",
                format!("the term ends on {end}, not after its start {start}"),
            ));
        }
        let total_days = days(end.signed_duration_since(start), "subscription_end")?;
        let today = request.now.date_naive();
        if today >= end {
            return Err(invalid(
                "now",
                format!("the term ended on {end} (renewal date); today is {today}"),
            ));
        }
        let remaining_days = days(end.signed_duration_since(today.max(start)), "now")?;

        let mode = self.doc().rounding;
        let prorated = rihla_core::exact::round_ratio_to_minor(
            &[difference.amount, Decimal::from(remaining_days)],
            &[Decimal::from(total_days)],
            currency,
            mode,
            "upgrade proration",
        )?;
        let prorated = Money::new(prorated, currency);

        let instalments = match request.instalments {
            None => Vec::new(),
            Some(n) if (1..=MAX_INSTALMENTS).contains(&n) => {
                let weights = vec![Decimal::ONE; n as usize];
                rihla_core::allocate(prorated, &weights)?
                    .into_iter()
                    .map(|m| m.amount)
                    .collect()
            }
            Some(n) => {
                return Err(invalid(
                    "instalments",
                    format!("{n} instalments, outside 1..={MAX_INSTALMENTS}"),
                ))
            }
        };
        let minor = |d: Decimal| mode.round_to_minor(d, currency);
        Ok(UpgradeQuote {
            from,
            to,
            currency,
            from_price: minor(from_plan.price.amount),
            to_price: minor(to_plan.price.amount),
            price_difference: minor(difference.amount),
            total_days,
            remaining_days,
            prorated_amount: prorated.amount,
            instalments,
        })
    }
}
