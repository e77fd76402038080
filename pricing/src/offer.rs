//! Automatic offers (promotions applied without a code).

use crate::{Scope, Status, Window};
use chrono::{DateTime, Utc};
use rihla_core::{Currency, Decimal, Money};
use serde::{Deserialize, Serialize};

/// The kind of an automatic offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OfferKind {
    /// `value` percent off the eligible amount, capped by `max_discount`.
    DiscountPercentage,
    /// `value` in `currency` off the eligible amount, clamped to it; in another currency
    /// than the quote's it does not apply (CURRENCY_MISMATCH).
    DiscountFixed,
    /// Buy `buy` get `get` at `value` percent off (default 100), cheapest units first, at
    /// most `max_occurrences` times.
    Bogo,
    /// A non-monetary benefit line (`benefit` names it).
    FreeUpgrade,
    /// Bonus points: `bonus_points` fixed, and/or `points_multiplier` on the points earned.
    BonusPoints,
}

/// The class of an offer, for `combines_with` (as Shopify's product / order / shipping
/// discount classes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OfferClass {
    /// Discounts on products (items).
    Product,
    /// Discounts on the order (the default).
    #[default]
    Order,
    /// Discounts on delivery and transfers.
    Shipping,
}

/// What happens when a rule's discount would pass what is left of its `budget`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BudgetPolicy {
    /// The rule does not apply (BUDGET_EXCEEDED): the default.
    #[default]
    Refuse,
    /// The discount is cut to what is left (CLAMPED_TO_BUDGET).
    Clamp,
    /// The discount applies in full (BUDGET_OVERSHOOT is recorded).
    Overshoot,
}

/// An automatic offer of the rulebook.
///
/// ```json
/// {"id": "OFF-HOTEL-10", "name": "10 % off Makkah hotels", "type": "DISCOUNT_PERCENTAGE",
///  "value": "10", "max_discount": {"amount": "500.00", "currency": "SAR"},
///  "applies_to": {"scope": "CATEGORIES", "categories": ["HOTEL"]},
///  "valid_from": "2026-11-01T00:00:00Z", "valid_until": "2027-01-31T23:59:59Z", "priority": 10,
///  "conditions": {"tiers": ["GOLD"], "usage_limit": 500}}
/// ```
///
/// Offers apply in priority order (higher first; ties by id), each to the eligible amount
/// left after the earlier ones (sequential, never from the undiscounted price), subject
/// to the rulebook's stacking policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Offer {
    /// Unique id in the rulebook.
    pub id: String,
    /// Name shown on the quote.
    #[serde(default)]
    pub name: String,
    /// ACTIVE (default) or INACTIVE.
    #[serde(default)]
    pub status: Status,
    /// The kind of offer.
    #[serde(rename = "type")]
    pub kind: OfferKind,
    /// The percentage (DISCOUNT_PERCENTAGE, BOGO; 0–100) or the amount (DISCOUNT_FIXED).
    #[serde(
        default,
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<Decimal>,
    /// Currency of a DISCOUNT_FIXED `value`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// BOGO: units to buy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buy: Option<u32>,
    /// BOGO: units discounted per occurrence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub get: Option<u32>,
    /// BOGO: most occurrences in one quote (absent = as many as the cart holds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_occurrences: Option<u32>,
    /// FREE_UPGRADE: the benefit as the platform names it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub benefit: String,
    /// BONUS_POINTS: points granted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bonus_points: Option<u64>,
    /// BONUS_POINTS: multiplier of the points earned (2 = double points), 1–100.
    #[serde(
        default,
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub points_multiplier: Option<Decimal>,
    /// Largest discount this offer gives in one quote (in the quote's currency, else the
    /// offer is rejected with CURRENCY_MISMATCH).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_discount: Option<Money>,
    /// Smallest eligible amount (after earlier discounts) for it to apply; compared with ≥.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_purchase_amount: Option<Money>,
    /// Total discount the offer may give across all bookings (the host passes what is
    /// used in `usage.offers[id].budget_used`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<Money>,
    /// What to do past the budget (default: the rulebook's `budget_policy`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_policy: Option<BudgetPolicy>,
    /// Which lines it discounts (default all).
    #[serde(default)]
    pub applies_to: Scope,
    /// First instant of validity (inclusive).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rihla_core::time::utc::option"
    )]
    pub valid_from: Option<DateTime<Utc>>,
    /// Last instant of validity (inclusive).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rihla_core::time::utc::option"
    )]
    pub valid_until: Option<DateTime<Utc>>,
    /// Higher applies first.
    #[serde(default)]
    pub priority: i32,
    /// PRIORITY stacking: when it applies, no later offer does; it applies only alone.
    #[serde(default)]
    pub exclusive: bool,
    /// Its class, for `combines_with` (default ORDER).
    #[serde(default)]
    pub class: OfferClass,
    /// The classes of offers it combines with (absent = all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub combines_with: Option<Vec<OfferClass>>,
    /// BEST_DEAL stacking: the group in which only the largest discount applies.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub group: String,
    /// Eligibility conditions (tiers, usage limits, travellers, booking window …).
    #[serde(default)]
    pub conditions: crate::condition::Conditions,
    /// For a fixed amount: NET (default) or GROSS (tax-inclusive).
    #[serde(default)]
    pub tax_mode: crate::quote::TaxMode,
}

impl Offer {
    /// The validity window.
    pub fn window(&self) -> Window {
        Window {
            valid_from: self.valid_from,
            valid_until: self.valid_until,
        }
    }

    /// Whether this offer may apply next to `other` (already applied): neither is
    /// exclusive, and each one's `combines_with` admits the other's class.
    pub fn combines(&self, other: &Offer) -> bool {
        let admits = |a: &Offer, b: &Offer| {
            a.combines_with
                .as_ref()
                .is_none_or(|list| list.contains(&b.class))
        };
        !self.exclusive && !other.exclusive && admits(self, other) && admits(other, self)
    }
}
