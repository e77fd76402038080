//! Taxes on the net of each line.

use crate::{Scope, Window};
use chrono::{DateTime, Utc};
use rihla_core::Decimal;
use serde::{Deserialize, Serialize};

/// A percentage tax on each covered line's net after its allocated discounts, rounded to
/// the minor unit per line with the rulebook's rounding mode.
///
/// ```json
/// {"id": "KSA-VAT", "code": "VAT", "name": "VAT (KSA)", "rate": "15",
///  "applies_to": {"scope": "CATEGORIES", "categories": ["HOTEL", "TRANSPORTATION"]},
///  "valid_from": "2020-07-01T00:00:00+03:00",
///  "source": "KSA VAT Law, rate raised to 15 % by Royal Decree A/638 from 1 July 2020"}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxRule {
    /// Unique id in the rulebook.
    pub id: String,
    /// The tax code as printed on tickets and invoices (`VAT`, `YQ`, …).
    pub code: String,
    /// Name shown on the quote.
    #[serde(default)]
    pub name: String,
    /// The percentage, 0–100 (`"15"` = 15 %).
    #[serde(with = "rihla_core::decimal_string")]
    pub rate: Decimal,
    /// Which lines it taxes (default all). Zero-rated supplies (e.g. international
    /// transport under KSA VAT) are left out of the scope.
    #[serde(default)]
    pub applies_to: Scope,
    /// First instant the rate is in force (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<DateTime<Utc>>,
    /// Last instant the rate is in force (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<DateTime<Utc>>,
    /// The legal source of the rate (law, decree, published rate).
    #[serde(default)]
    pub source: String,
}

impl TaxRule {
    /// The window in which the rate is in force.
    pub fn window(&self) -> Window {
        Window {
            valid_from: self.valid_from,
            valid_until: self.valid_until,
        }
    }
}

/// Step 5 of the pipeline: each tax in force, on each covered line's net, rounded per line.
pub(crate) fn apply_taxes(
    taxes: &[TaxRule],
    lines: &mut [crate::quote::ItemLine],
    currency: rihla_core::Currency,
    mode: rihla_core::RoundingMode,
    now: DateTime<Utc>,
) -> Result<Vec<crate::quote::TaxLine>, crate::Error> {
    use crate::discount::percent_of;
    use crate::quote::{Allocation, TaxLine};
    use rihla_core::CoreError;
    let overflow = || CoreError::Overflow { operation: "tax" };
    let mut out = Vec::new();
    for tax in taxes {
        if tax.window().rejection(now).is_some() {
            continue;
        }
        let mut base = Decimal::ZERO;
        let mut amount = Decimal::ZERO;
        let mut allocations = Vec::new();
        for line in lines.iter_mut() {
            if !tax.applies_to.covers(line.category, &line.item_id) {
                continue;
            }
            let t = percent_of(line.net, tax.rate, currency, mode)?;
            base = base.checked_add(line.net).ok_or_else(overflow)?;
            amount = amount.checked_add(t).ok_or_else(overflow)?;
            line.tax = line.tax.checked_add(t).ok_or_else(overflow)?;
            allocations.push(Allocation {
                line_id: line.id.clone(),
                amount: t,
            });
        }
        if !allocations.is_empty() {
            out.push(TaxLine {
                rule_id: tax.id.clone(),
                code: tax.code.clone(),
                name: tax.name.clone(),
                rate: tax.rate,
                base,
                amount,
                allocations,
            });
        }
    }
    Ok(out)
}
