//! Display currency and settlement of a quote (docs/money.md, docs/pricing.md step 6).
//!
//! * **Display totals.** The request's optional `display_currency` names a currency; its
//!   `rates` hold the host's rate table. Each of the quote's six totals is converted from
//!   its exact amount with the direct-pair rate of [`rihla_core::fx`] and rounded once in
//!   the display currency with the rulebook's rounding mode ([`DisplayTotals`]). Display
//!   totals are informational: the customer is charged `final_amount` in the quote's
//!   currency.
//! * **Settlement.** When the rulebook names a settlement exponent for the quote's
//!   currency (e.g. `{"KWD": 2}` for a provider that settles KWD in hundredths),
//!   [`settlement_for`] re-rounds `final_amount` to it and records the difference
//!   ([`rihla_core::Settlement`]); otherwise there is no settlement record.
//!
//! Errors are the money layer's, as [`Error::Core`]: `RATE_NOT_FOUND`, `INVALID_RATE`,
//! `INVALID_SETTLEMENT_EXPONENT`, `NOT_MINOR_UNITS`, `OVERFLOW`.

use crate::Error;
use rihla_core::fx::{convert, RateTable};
use rihla_core::settlement::{check_exponent, settle, Settlement};
use rihla_core::{Currency, Decimal, Money, RoundingMode};
use serde::Serialize;
use std::collections::BTreeMap;

/// The six totals of a quote, in the quote's currency, as the pipeline computed them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct QuoteTotals {
    /// Σ gross of the item lines.
    pub(crate) base_amount: Decimal,
    /// Σ automatic-offer discounts.
    pub(crate) discount_amount: Decimal,
    /// Σ voucher discounts.
    pub(crate) voucher_discount: Decimal,
    /// Σ fees.
    pub(crate) fee_amount: Decimal,
    /// Σ taxes.
    pub(crate) tax_amount: Decimal,
    /// What the customer pays.
    pub(crate) final_amount: Decimal,
}

/// The quote's totals converted to the display currency, with the rate and its source.
///
/// Each total is converted **independently** from the quote's exact amount
/// (`amount × rate`, exact) and rounded once to the display currency's minor unit with
/// the rulebook's rounding mode. Display totals are informational — the amount charged is
/// the quote's `final_amount` in the quote's currency — and they need not satisfy the
/// quote's identity: the converted `final_amount` may differ from
/// `base − discount − voucher_discount + fee + tax` of the converted totals by a minor
/// unit (at most 3: six roundings of at most half a unit each). Example: at 0.2666, the
/// SAR totals 1000.07 base, 100.01 discount, 25.00 fee and 138.76 tax (final 1063.82)
/// show as 266.62, 26.66, 6.67 and 36.99 USD, which make 283.62, while the final amount
/// shows as 283.61 USD (1063.82 × 0.2666 = 283.614412).
///
/// JSON (amounts and rate as decimal strings): `{"currency": "USD", "rate": "0.2666",
/// "rate_source": "SAMA-2026-11-22", "base_amount": "266.62", …, "final_amount": "283.61"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisplayTotals {
    /// The ISO 4217 display currency; every amount below is in it, at its minor unit.
    pub currency: Currency,
    /// Units of the display currency per one unit of the quote's currency (1 when they
    /// are the same).
    #[serde(with = "rihla_core::decimal_string")]
    pub rate: Decimal,
    /// The host's id of the rate (`"IDENTITY"` when the currencies are the same).
    pub rate_source: String,
    /// The quote's `base_amount`, converted.
    #[serde(with = "rihla_core::decimal_string")]
    pub base_amount: Decimal,
    /// The quote's `discount_amount`, converted.
    #[serde(with = "rihla_core::decimal_string")]
    pub discount_amount: Decimal,
    /// The quote's `voucher_discount`, converted.
    #[serde(with = "rihla_core::decimal_string")]
    pub voucher_discount: Decimal,
    /// The quote's `fee_amount`, converted.
    #[serde(with = "rihla_core::decimal_string")]
    pub fee_amount: Decimal,
    /// The quote's `tax_amount`, converted.
    #[serde(with = "rihla_core::decimal_string")]
    pub tax_amount: Decimal,
    /// The quote's `final_amount`, converted (informational; see the type's docs).
    #[serde(with = "rihla_core::decimal_string")]
    pub final_amount: Decimal,
}

/// Converts the quote's six `totals` (in `quote_currency`) to `display.currency`, each
/// rounded once with `mode` (the rulebook's rounding mode).
///
/// # Errors
/// [`Error::Core`] with `INVALID_RATE` (the rates are not a valid table),
/// `RATE_NOT_FOUND` (no `quote_currency → to` rate; no inverse or cross
/// rate is derived) or `OVERFLOW`.
pub(crate) fn display_totals(
    totals: QuoteTotals,
    quote_currency: Currency,
    to: Currency,
    table: &RateTable,
    mode: RoundingMode,
) -> Result<DisplayTotals, Error> {
    let rate = table.lookup(quote_currency, to)?;
    let one = |amount: Decimal| -> Result<Decimal, Error> {
        let shown = convert(Money::new(amount, quote_currency), to, table, mode)?
            .amount
            .amount;
        let field = || format!("display_currency ({quote_currency}→{to} at {})", rate.rate);
        Ok(rihla_core::money::within_max(field, shown)?)
    };
    Ok(DisplayTotals {
        currency: to,
        base_amount: one(totals.base_amount)?,
        discount_amount: one(totals.discount_amount)?,
        voucher_discount: one(totals.voucher_discount)?,
        fee_amount: one(totals.fee_amount)?,
        tax_amount: one(totals.tax_amount)?,
        final_amount: one(totals.final_amount)?,
        rate: rate.rate,
        rate_source: rate.source,
    })
}

/// The settlement record of `final_amount`: `Some` when `exponents` (the rulebook's
/// settlement exponents by currency, e.g. `{"KWD": 2}`) names the amount's currency,
/// re-rounded with `mode`; `None` otherwise (the provider settles at the ISO exponent).
///
/// # Errors
/// [`Error::Core`] with `INVALID_SETTLEMENT_EXPONENT` (the exponent is above the ISO
/// exponent; [`check_settlement_exponents`] catches it when the rulebook loads),
/// `NOT_MINOR_UNITS` (`final_amount` not rounded to the minor unit) or `OVERFLOW`.
pub(crate) fn settlement_for(
    final_amount: Money,
    exponents: &BTreeMap<Currency, u32>,
    mode: RoundingMode,
) -> Result<Option<Settlement>, Error> {
    match exponents.get(&final_amount.currency) {
        Some(&exponent) => Ok(Some(settle(final_amount, exponent, mode)?)),
        None => Ok(None),
    }
}

/// Checks the rulebook's settlement exponents: each within `0..=` its currency's ISO
/// exponent (`{"KWD": 2}` is valid, `{"SAR": 3}` is not), for use when the rulebook loads.
///
/// # Errors
/// [`Error::Core`] with `INVALID_SETTLEMENT_EXPONENT` for the first offending currency
/// (in code order).
pub(crate) fn check_settlement_exponents(exponents: &BTreeMap<Currency, u32>) -> Result<(), Error> {
    for (currency, exponent) in exponents {
        check_exponent(*currency, *exponent)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rihla_core::CoreError;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn cur(c: &str) -> Currency {
        Currency::from_code(c).unwrap()
    }

    /// `{"currency", "rates"}` as the pipeline reads them from a request.
    #[derive(serde::Deserialize)]
    struct Display {
        currency: Currency,
        rates: Vec<rihla_core::fx::Rate>,
    }

    fn request(json: &str) -> Display {
        serde_json::from_str(json).unwrap()
    }

    fn convert_totals(
        t: QuoteTotals,
        from: Currency,
        d: &Display,
        mode: RoundingMode,
    ) -> Result<DisplayTotals, Error> {
        let table = RateTable::new(d.rates.clone())?;
        display_totals(t, from, d.currency, &table, mode)
    }

    const USD_DISPLAY: &str = r#"{"currency": "USD", "rates": [
        {"from": "SAR", "to": "USD", "rate": "0.2666", "source": "SAMA-2026-11-22"},
        {"from": "SAR", "to": "JPY", "rate": "41.6789", "source": "ECB-2026-11-22"}]}"#;

    fn totals(v: [&str; 6]) -> QuoteTotals {
        QuoteTotals {
            base_amount: d(v[0]),
            discount_amount: d(v[1]),
            voucher_discount: d(v[2]),
            fee_amount: d(v[3]),
            tax_amount: d(v[4]),
            final_amount: d(v[5]),
        }
    }

    #[test]
    fn converts_each_total_once() {
        let t = totals(["1000.07", "100.01", "0.00", "25.00", "138.76", "1063.82"]);
        let mode = RoundingMode::HalfAwayFromZero;
        let shown = convert_totals(t, cur("SAR"), &request(USD_DISPLAY), mode).unwrap();
        assert_eq!(
            serde_json::to_value(&shown).unwrap(),
            serde_json::json!({
                "currency": "USD", "rate": "0.2666", "rate_source": "SAMA-2026-11-22",
                "base_amount": "266.62", "discount_amount": "26.66",
                "voucher_discount": "0.00", "fee_amount": "6.67", "tax_amount": "36.99",
                "final_amount": "283.61"
            })
        );
        // The documented example: the converted parts sum to a minor unit more.
        let parts = shown.base_amount - shown.discount_amount - shown.voucher_discount
            + shown.fee_amount
            + shown.tax_amount;
        assert_eq!(parts.to_string(), "283.62");
    }

    #[test]
    fn jpy_display_and_identity() {
        let t = totals(["17997.41", "0", "0", "0", "0", "17997.41"]);
        let jpy = request(
            r#"{"currency": "JPY", "rates": [
            {"from": "SAR", "to": "JPY", "rate": "41.6789", "source": "ECB-2026-11-22"}]}"#,
        );
        let shown = convert_totals(t, cur("SAR"), &jpy, RoundingMode::HalfEven).unwrap();
        assert_eq!(shown.final_amount.to_string(), "750112");
        assert_eq!(shown.discount_amount.to_string(), "0");
        assert_eq!(shown.rate_source, "ECB-2026-11-22");
        let same = request(r#"{"currency": "SAR", "rates": []}"#);
        let shown = convert_totals(t, cur("SAR"), &same, RoundingMode::HalfEven).unwrap();
        assert_eq!(shown.final_amount.to_string(), "17997.41");
        assert_eq!(shown.discount_amount.to_string(), "0.00");
        assert_eq!(
            (shown.rate, shown.rate_source.as_str()),
            (Decimal::ONE, "IDENTITY")
        );
    }

    #[test]
    fn errors_are_core_errors_with_stable_codes() {
        let t = totals(["10.00", "0", "0", "0", "0", "10.00"]);
        let mode = RoundingMode::HalfAwayFromZero;
        let err = convert_totals(t, cur("EGP"), &request(USD_DISPLAY), mode).unwrap_err();
        assert_eq!(
            err,
            Error::Core(CoreError::RateNotFound {
                from: "EGP".into(),
                to: "USD".into()
            })
        );
        assert_eq!(err.code(), "RATE_NOT_FOUND");
        let dup = request(
            r#"{"currency": "USD", "rates": [
            {"from": "SAR", "to": "USD", "rate": "0.2666", "source": "A"},
            {"from": "SAR", "to": "USD", "rate": "0.2667", "source": "B"}]}"#,
        );
        let err = convert_totals(t, cur("SAR"), &dup, mode).unwrap_err();
        assert_eq!(err.code(), "INVALID_RATE");
        // Even an unused rate that is invalid refuses the table.
        let zero = request(
            r#"{"currency": "SAR", "rates": [
            {"from": "USD", "to": "SAR", "rate": "0", "source": "A"}]}"#,
        );
        assert_eq!(
            convert_totals(t, cur("SAR"), &zero, mode)
                .unwrap_err()
                .code(),
            "INVALID_RATE"
        );
    }

    #[test]
    fn settlement_only_for_named_currencies() {
        let exponents: BTreeMap<Currency, u32> =
            serde_json::from_str(r#"{"KWD": 2, "BHD": 2}"#).unwrap();
        check_settlement_exponents(&exponents).unwrap();
        let kwd = Money::new(d("12.345"), cur("KWD"));
        let up = settlement_for(kwd, &exponents, RoundingMode::HalfAwayFromZero)
            .unwrap()
            .unwrap();
        assert_eq!(
            serde_json::to_value(&up).unwrap(),
            serde_json::json!({"currency": "KWD", "iso_exponent": 3, "exponent": 2,
                "amount": "12.345", "settlement_amount": "12.35", "difference": "0.005"})
        );
        let even = settlement_for(kwd, &exponents, RoundingMode::HalfEven)
            .unwrap()
            .unwrap();
        assert_eq!(even.settlement_amount.to_string(), "12.34");
        assert_eq!(even.difference.to_string(), "-0.005");
        let sar = Money::new(d("17997.41"), cur("SAR"));
        assert_eq!(
            settlement_for(sar, &exponents, RoundingMode::HalfEven).unwrap(),
            None
        );
        let bad: BTreeMap<Currency, u32> = serde_json::from_str(r#"{"SAR": 3}"#).unwrap();
        let err = check_settlement_exponents(&bad).unwrap_err();
        assert_eq!(err.code(), "INVALID_SETTLEMENT_EXPONENT");
        assert_eq!(
            err.to_value()["iso_exponent"],
            serde_json::Value::from(2),
            "{err:?}"
        );
        assert_eq!(
            settlement_for(sar, &bad, RoundingMode::HalfEven)
                .unwrap_err()
                .code(),
            "INVALID_SETTLEMENT_EXPONENT"
        );
    }
}
