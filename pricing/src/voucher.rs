//! Vouchers: discounts unlocked by a code the customer types.

use crate::{Scope, Status, Window};
use chrono::{DateTime, Utc};
use rihla_core::{Currency, Decimal, Money};
use serde::{Deserialize, Serialize};

/// The kind of a voucher.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VoucherKind {
    /// `value` percent off the eligible amount (after offers), capped by `max_discount`.
    DiscountPercentage,
    /// `value` in `currency` off the eligible amount, clamped to it (the unused
    /// remainder is forfeited).
    DiscountFixed,
    /// No price change: `value` percent of the eligible amount (or `value` in `currency`,
    /// at most the eligible amount) becomes PENDING cashback, credited after completion.
    Cashback,
    /// A service free of charge: the service lines in `applies_to` are discounted to
    /// zero; with none in the cart, a benefit line names the service (`benefit`).
    FreeService,
}

/// A voucher of the rulebook.
///
/// ```json
/// {"id": "V-UMRAH100", "code": "UMRAH100", "type": "DISCOUNT_FIXED", "value": "100.00",
///  "currency": "SAR", "min_purchase_amount": {"amount": "1000.00", "currency": "SAR"},
///  "valid_until": "2027-03-31T23:59:59Z"}
/// ```
///
/// Codes match case-insensitively on the trimmed, upper-cased text. A voucher that does
/// not apply is listed in the quote's `rejected` with a typed reason and the numbers that
/// decided it (NOT_FOUND, INACTIVE, NOT_YET_VALID, EXPIRED, NOT_APPLICABLE,
/// CURRENCY_MISMATCH, MIN_PURCHASE_NOT_MET {required, actual}, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Voucher {
    /// Unique id in the rulebook.
    pub id: String,
    /// The code customers type; unique after normalisation.
    pub code: String,
    /// Name shown on the quote.
    #[serde(default)]
    pub name: String,
    /// ACTIVE (default) or INACTIVE.
    #[serde(default)]
    pub status: Status,
    /// The kind of voucher.
    #[serde(rename = "type")]
    pub kind: VoucherKind,
    /// The percentage (0–100) or the fixed amount (> 0, whole minor units of `currency`);
    /// unused by FREE_SERVICE (default 100 %).
    #[serde(default = "hundred", with = "rihla_core::decimal_string")]
    pub value: Decimal,
    /// Currency of a fixed `value` (required for DISCOUNT_FIXED, refused otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// Largest discount of a percentage voucher in one quote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_discount: Option<Money>,
    /// Smallest eligible amount (after offers) for the voucher to apply; compared with ≥.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_purchase_amount: Option<Money>,
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
    /// Whether anyone may use it (default true); a private voucher needs the customer in
    /// `assigned_customers` (else NOT_ASSIGNED).
    #[serde(default = "yes")]
    pub is_public: bool,
    /// The customer ids a private voucher is assigned to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assigned_customers: Vec<String>,
    /// FREE_SERVICE: the service as the platform names it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub benefit: String,
    /// Total discount the voucher may give across bookings (`usage.vouchers[id].budget_used`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<Money>,
    /// What to do past the budget (default: the rulebook's `budget_policy`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_policy: Option<crate::offer::BudgetPolicy>,
    /// Eligibility conditions (tiers, usage limits, travellers, booking window …).
    #[serde(default)]
    pub conditions: crate::condition::Conditions,
    /// For a fixed amount: NET (default) or GROSS (tax-inclusive).
    #[serde(default)]
    pub tax_mode: crate::quote::TaxMode,
}

fn yes() -> bool {
    true
}

fn hundred() -> Decimal {
    Decimal::ONE_HUNDRED
}

impl Voucher {
    /// The validity window.
    pub fn window(&self) -> Window {
        Window {
            valid_from: self.valid_from,
            valid_until: self.valid_until,
        }
    }
}

/// The answer of [`crate::Rulebook::check_voucher`]: would this code apply to this cart,
/// for how much, and if not, why (the same typed reason a quote would give).
///
/// ```json
/// {"code": "UMRAH150", "applies": false, "rule_id": "V-UMRAH150",
///  "reason": {"code": "MIN_PURCHASE_NOT_MET", "required": "2000.00", "actual": "1999.99"}}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VoucherCheck {
    /// The code as normalised (trimmed, upper case).
    pub code: String,
    /// Whether it would apply.
    pub applies: bool,
    /// The voucher's id, when the code is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<String>,
    /// The eligible amount after the automatic offers, when it applies.
    #[serde(
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub eligible_amount: Option<Decimal>,
    /// The discount it would give, when it applies.
    #[serde(
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub discount: Option<Decimal>,
    /// Why not, when it does not apply.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<crate::quote::RejectionReason>,
}

impl VoucherCheck {
    pub(crate) fn rejected(
        code: String,
        rule_id: Option<String>,
        reason: Option<crate::quote::RejectionReason>,
    ) -> Self {
        VoucherCheck {
            code,
            applies: false,
            rule_id,
            eligible_amount: None,
            discount: None,
            reason,
        }
    }

    /// The answer as a JSON value (amounts as decimal strings).
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

/// Normalises a voucher code for matching: trimmed, upper case.
pub fn normalize_code(code: &str) -> String {
    code.trim().to_uppercase()
}
