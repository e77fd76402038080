//! Automatic offers (promotions applied without a code).

use crate::{Scope, Status, Window};
use chrono::{DateTime, Utc};
use rihla_core::{Decimal, Money};
use serde::{Deserialize, Serialize};

/// The kind of an automatic offer. The walking skeleton implements the percentage
/// discount; the other kinds of DESIGN.md §3 arrive with the promotions engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OfferKind {
    /// `value` percent off the eligible amount, capped by `max_discount`.
    DiscountPercentage,
}

/// An automatic offer of the rulebook.
///
/// ```json
/// {"id": "OFF-HOTEL-10", "name": "10 % off Makkah hotels", "type": "DISCOUNT_PERCENTAGE",
///  "value": "10", "max_discount": {"amount": "500.00", "currency": "SAR"},
///  "applies_to": {"scope": "CATEGORIES", "categories": ["HOTEL"]},
///  "valid_from": "2026-11-01T00:00:00Z", "valid_until": "2027-01-31T23:59:59Z", "priority": 10}
/// ```
///
/// Offers apply in priority order (higher first; ties by id), each to the eligible amount
/// left after the earlier ones (sequential, never from the undiscounted price).
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
    /// The percentage, 0–100 (a decimal string, `"10"` = 10 %).
    #[serde(with = "rihla_core::decimal_string")]
    pub value: Decimal,
    /// Largest discount this offer gives in one quote; it applies only to quotes in its
    /// currency (otherwise the offer is rejected with `CURRENCY_MISMATCH`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_discount: Option<Money>,
    /// Which lines it discounts (default all).
    #[serde(default)]
    pub applies_to: Scope,
    /// First instant of validity (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<DateTime<Utc>>,
    /// Last instant of validity (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<DateTime<Utc>>,
    /// Higher applies first.
    #[serde(default)]
    pub priority: i32,
}

impl Offer {
    /// The validity window.
    pub fn window(&self) -> Window {
        Window {
            valid_from: self.valid_from,
            valid_until: self.valid_until,
        }
    }
}

/// Step 2 of the pipeline: applies the automatic offers in priority order.
pub(crate) mod apply {
    use crate::discount::{allocate_discount, cap_and_clamp, eligible, percent_of, Slot};
    use crate::quote::{
        DiscountLine, DiscountType, ItemLine, Line, Redemption, Rejection, RejectionReason,
        RuleKind, TaxMode,
    };
    use crate::{Error, Rulebook, Status};
    use chrono::{DateTime, Utc};
    use rihla_core::Currency;

    /// The outcome of one offer.
    pub(crate) enum Outcome {
        Applied(Box<Line>, Redemption),
        Rejected(Rejection),
    }

    pub(crate) fn offers(
        rb: &Rulebook,
        lines: &mut [ItemLine],
        currency: Currency,
        now: DateTime<Utc>,
        customer_id: &Option<String>,
    ) -> Result<Vec<Outcome>, Error> {
        let doc = rb.doc();
        let mut out = Vec::new();
        for offer in rb.offer_order.iter().filter_map(|i| doc.offers.get(*i)) {
            let reject = |reason| {
                Outcome::Rejected(Rejection {
                    kind: RuleKind::Offer,
                    rule_id: Some(offer.id.clone()),
                    code: None,
                    reason,
                })
            };
            if offer.status == Status::Inactive {
                out.push(reject(RejectionReason::Inactive));
                continue;
            }
            if let Some(reason) = offer.window().rejection(now) {
                out.push(reject(reason));
                continue;
            }
            if let Some(cap) = &offer.max_discount {
                if cap.currency != currency {
                    out.push(reject(RejectionReason::CurrencyMismatch {
                        expected: currency,
                        actual: cap.currency,
                    }));
                    continue;
                }
            }
            let el = eligible(lines, &offer.applies_to)?;
            if el.idx.is_empty() {
                out.push(reject(RejectionReason::NotApplicable));
                continue;
            }
            let requested = percent_of(el.base, offer.value, currency, doc.rounding)?;
            let (amount, reason) =
                cap_and_clamp(requested, offer.max_discount.map(|m| m.amount), el.base);
            let allocations = allocate_discount(lines, &el, amount, currency, Slot::Offer)?;
            out.push(Outcome::Applied(
                Box::new(Line::Offer(DiscountLine {
                    rule_id: offer.id.clone(),
                    code: None,
                    name: offer.name.clone(),
                    discount_type: DiscountType::Percentage,
                    value: offer.value,
                    base: el.base,
                    requested,
                    amount,
                    reason,
                    tax_mode: TaxMode::Net,
                    allocations,
                })),
                Redemption {
                    kind: RuleKind::Offer,
                    rule_id: offer.id.clone(),
                    code: None,
                    customer_id: customer_id.clone(),
                    amount,
                },
            ));
        }
        Ok(out)
    }
}
