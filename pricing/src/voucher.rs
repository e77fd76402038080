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
    /// The percentage (0–100) or the fixed amount (> 0, whole minor units of `currency`).
    #[serde(with = "rihla_core::decimal_string")]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<DateTime<Utc>>,
    /// Last instant of validity (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<DateTime<Utc>>,
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

/// Step 3 of the pipeline: applies the request's voucher codes, in the order given.
pub(crate) mod apply {
    use super::normalize_code;
    use crate::discount::{allocate_discount, cap_and_clamp, eligible, percent_of, Slot};
    use crate::offer::apply::Outcome;
    use crate::quote::{
        DiscountLine, DiscountType, ItemLine, Line, Redemption, Rejection, RejectionReason,
        RuleKind, TaxMode,
    };
    use crate::{Error, Rulebook, Status, VoucherKind};
    use chrono::{DateTime, Utc};
    use rihla_core::{Currency, Money};

    pub(crate) fn vouchers(
        rb: &Rulebook,
        codes: &[String],
        lines: &mut [ItemLine],
        currency: Currency,
        now: DateTime<Utc>,
        customer_id: &Option<String>,
    ) -> Result<Vec<Outcome>, Error> {
        let doc = rb.doc();
        let mut out = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        let mut applied = 0u32;
        for raw in codes {
            let code = normalize_code(raw);
            let voucher = rb
                .voucher_by_code
                .get(&code)
                .and_then(|i| doc.vouchers.get(*i));
            let reject = |reason| {
                Outcome::Rejected(Rejection {
                    kind: RuleKind::Voucher,
                    rule_id: voucher.map(|v| v.id.clone()),
                    code: Some(code.clone()),
                    reason,
                })
            };
            if seen.contains(&code) {
                out.push(reject(RejectionReason::DuplicateCode));
                continue;
            }
            seen.push(code.clone());
            let Some(v) = voucher else {
                out.push(reject(RejectionReason::NotFound));
                continue;
            };
            if v.status == Status::Inactive {
                out.push(reject(RejectionReason::Inactive));
                continue;
            }
            if let Some(reason) = v.window().rejection(now) {
                out.push(reject(reason));
                continue;
            }
            if applied >= doc.max_vouchers_per_quote {
                out.push(reject(RejectionReason::MaxVouchersReached {
                    limit: doc.max_vouchers_per_quote,
                }));
                continue;
            }
            let money_in = |m: Option<Money>| m.map(|m| m.currency).filter(|c| *c != currency);
            let foreign = v
                .currency
                .filter(|c| *c != currency)
                .or(money_in(v.max_discount))
                .or(money_in(v.min_purchase_amount));
            if let Some(actual) = foreign {
                out.push(reject(RejectionReason::CurrencyMismatch {
                    expected: currency,
                    actual,
                }));
                continue;
            }
            let el = eligible(lines, &v.applies_to)?;
            if el.idx.is_empty() {
                out.push(reject(RejectionReason::NotApplicable));
                continue;
            }
            if let Some(min) = v.min_purchase_amount {
                if el.base < min.amount {
                    out.push(reject(RejectionReason::MinPurchaseNotMet {
                        required: min.amount,
                        actual: el.base,
                    }));
                    continue;
                }
            }
            let (discount_type, requested) = match v.kind {
                VoucherKind::DiscountPercentage => (
                    DiscountType::Percentage,
                    percent_of(el.base, v.value, currency, doc.rounding)?,
                ),
                VoucherKind::DiscountFixed => (DiscountType::Fixed, v.value),
            };
            let (amount, reason) =
                cap_and_clamp(requested, v.max_discount.map(|m| m.amount), el.base);
            let allocations = allocate_discount(lines, &el, amount, currency, Slot::Voucher)?;
            applied += 1;
            out.push(Outcome::Applied(
                Box::new(Line::Voucher(DiscountLine {
                    rule_id: v.id.clone(),
                    code: Some(code.clone()),
                    name: v.name.clone(),
                    discount_type,
                    value: v.value,
                    base: el.base,
                    requested,
                    amount,
                    reason,
                    tax_mode: TaxMode::Net,
                    allocations,
                })),
                Redemption {
                    kind: RuleKind::Voucher,
                    rule_id: v.id.clone(),
                    code: Some(code),
                    customer_id: customer_id.clone(),
                    amount,
                },
            ));
        }
        Ok(out)
    }
}
