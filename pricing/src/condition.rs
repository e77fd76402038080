//! Eligibility conditions shared by offers and vouchers, checked against facts of the
//! cart and the counts the host passes in.
//!
//! Every condition is optional ("absent = no restriction"). They are checked in a fixed
//! order — usage limits, membership tier, flash-sale windows, day of week, booking window,
//! travellers, passenger types — and the first that fails is the rejection reason, with the
//! values that decided it. Evaluation never mutates the host's counts: an applied rule
//! emits a redemption intent the host commits atomically.

use crate::fare_rule::Weekday;
use crate::membership::Tier;
use crate::quote::RejectionReason;
use crate::request::Item;
use crate::{PassengerType, Window};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rihla_core::Money;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The conditions of an offer or voucher (`"conditions"` in JSON).
///
/// ```json
/// {"tiers": ["GOLD", "PLATINUM"], "usage_limit": 500, "usage_limit_per_customer": 1,
///  "min_travellers": 4, "passenger_types": ["CHD"], "min_days_before_travel": 60,
///  "flash_sales": [{"valid_from": "2026-11-27T00:00:00Z", "valid_until": "2026-11-27T23:59:59Z"}],
///  "days_of_week": ["TUE"], "utc_offset_minutes": 180}
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Conditions {
    /// Membership tiers that qualify (empty = every tier, GUEST included).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<Tier>,
    /// Most redemptions in all (the host passes the current count in `usage`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage_limit: Option<u64>,
    /// Most redemptions per customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage_limit_per_customer: Option<u64>,
    /// Smallest party (the largest passenger count of a fare item, or an item's
    /// `travellers`): group offers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_travellers: Option<u32>,
    /// The cart must carry a passenger of one of these types (child, student, senior deals).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub passenger_types: Vec<PassengerType>,
    /// Early bird: at least this many days between `now` and the first day of travel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_days_before_travel: Option<u32>,
    /// Last minute: at most this many days between `now` and the first day of travel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_days_before_travel: Option<u32>,
    /// Flash sales: when given, `now` must fall in one of these windows (inclusive).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub flash_sales: Vec<Window>,
    /// Days of the week (of `now` at `utc_offset_minutes`) on which it applies.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub days_of_week: Vec<Weekday>,
    /// The market's UTC offset for `days_of_week` and the booking window, in minutes
    /// (180 for Riyadh and Cairo's winter +02:00 is 120); default 0.
    pub utc_offset_minutes: i32,
}

/// The host's current counts for one offer or voucher (`usage.offers[id]`,
/// `usage.vouchers[id]` in the request).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UsageCounts {
    /// Redemptions so far, all customers.
    pub total: u64,
    /// Redemptions so far by this request's customer.
    pub by_customer: u64,
    /// Discount already spent from the rule's budget.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget_used: Option<Money>,
}

/// The request's `usage` field: counts by offer id and by voucher id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Usage {
    /// By offer id.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub offers: BTreeMap<String, UsageCounts>,
    /// By voucher id.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub vouchers: BTreeMap<String, UsageCounts>,
}

/// What the conditions are checked against, gathered once per quote.
#[derive(Debug, Clone)]
pub(crate) struct CartFacts {
    pub tier: Tier,
    pub travellers: u32,
    pub passenger_types: Vec<PassengerType>,
    pub first_travel: Option<NaiveDate>,
    pub now: DateTime<Utc>,
}

impl CartFacts {
    /// The facts of `items`, for a customer pricing with `tier` (see
    /// [`crate::membership::effective_tier`]).
    pub(crate) fn gather(items: &[Item], tier: Tier, now: DateTime<Utc>) -> CartFacts {
        let mut travellers = 0u32;
        let mut types: Vec<PassengerType> = Vec::new();
        let mut first: Option<NaiveDate> = None;
        for item in items {
            let mut party = item.travellers.unwrap_or(0);
            if let Some(fare) = &item.fare {
                let p = fare.passengers;
                let listed = item.passengers.len() as u32;
                let counted = PassengerType::ALL
                    .iter()
                    .fold(0u32, |n, t| n.saturating_add(p.count(*t)));
                party = party.max(listed.max(counted));
                for t in PassengerType::ALL {
                    let declared = item.passengers.iter().any(|x| x.ptc == Some(t));
                    if (p.count(t) > 0 || declared) && !types.contains(&t) {
                        types.push(t);
                    }
                }
            }
            if let Some(jet) = &item.jet {
                let most = jet.legs.iter().map(|l| l.passengers).max().unwrap_or(0);
                party = party.max(most);
            }
            travellers = travellers.max(party);
            let jet_departures = item
                .jet
                .iter()
                .flat_map(|j| j.legs.iter().map(|l| l.departure));
            let dates = item
                .segments
                .iter()
                .map(|s| s.departure)
                .chain(jet_departures)
                .map(|d| d.date_naive())
                .chain(item.start_date);
            for d in dates {
                first = Some(first.map_or(d, |f| f.min(d)));
            }
        }
        CartFacts {
            tier,
            travellers,
            passenger_types: types,
            first_travel: first,
            now,
        }
    }
}

/// The first condition that fails, if any.
pub(crate) fn check(
    c: &Conditions,
    facts: &CartFacts,
    usage: Option<&UsageCounts>,
) -> Option<RejectionReason> {
    let counts = usage.cloned().unwrap_or_default();
    if let Some(limit) = c.usage_limit {
        if counts.total >= limit {
            return Some(RejectionReason::Exhausted {
                limit,
                used: counts.total,
            });
        }
    }
    if let Some(limit) = c.usage_limit_per_customer {
        if counts.by_customer >= limit {
            return Some(RejectionReason::UserLimitReached {
                limit,
                used: counts.by_customer,
            });
        }
    }
    if !c.tiers.is_empty() && !c.tiers.contains(&facts.tier) {
        return Some(RejectionReason::TierNotEligible {
            tier: facts.tier,
            allowed: c.tiers.clone(),
        });
    }
    if !c.flash_sales.is_empty()
        && !c
            .flash_sales
            .iter()
            .any(|w| w.rejection(facts.now).is_none())
    {
        return Some(RejectionReason::NotInFlashSale);
    }
    // The offset is validated at load (within ±23:59); out of range it reads as no date.
    let today = chrono::FixedOffset::east_opt(c.utc_offset_minutes.saturating_mul(60))
        .and_then(|o| facts.now.naive_utc().checked_add_offset(o))
        .map(|d| d.date());
    if !c.days_of_week.is_empty() {
        let actual = today.map(|d| Weekday::from(d.weekday()));
        if !actual.is_some_and(|a| c.days_of_week.contains(&a)) {
            return Some(RejectionReason::DayOfWeek {
                actual,
                allowed: c.days_of_week.clone(),
            });
        }
    }
    if c.min_days_before_travel.is_some() || c.max_days_before_travel.is_some() {
        let days = match (facts.first_travel, today) {
            (Some(t), Some(d)) => Some(t.signed_duration_since(d).num_days()),
            _ => None,
        };
        let early_ok = c
            .min_days_before_travel
            .is_none_or(|m| days.is_some_and(|d| d >= i64::from(m)));
        let late_ok = c
            .max_days_before_travel
            .is_none_or(|m| days.is_some_and(|d| d >= 0 && d <= i64::from(m)));
        if !(early_ok && late_ok) {
            return Some(RejectionReason::BookingWindow {
                days_before_travel: days,
                min_days: c.min_days_before_travel,
                max_days: c.max_days_before_travel,
            });
        }
    }
    if let Some(min) = c.min_travellers {
        if facts.travellers < min {
            return Some(RejectionReason::TravellersNotMet {
                required: min,
                actual: facts.travellers,
            });
        }
    }
    if !c.passenger_types.is_empty()
        && !c
            .passenger_types
            .iter()
            .any(|t| facts.passenger_types.contains(t))
    {
        return Some(RejectionReason::PassengerTypeMissing {
            required: c.passenger_types.clone(),
        });
    }
    None
}
