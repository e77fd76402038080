//! Settlement at a payment provider's exponent, kept apart from the ISO 4217 exponent.
//!
//! docs/money.md: "A currency's ISO exponent (display, invoices) and a payment provider's
//! settlement exponent can differ (some providers settle KWD/BHD/OMR at 2 decimals): keep
//! them apart, and record the difference when re-rounding for settlement."
//!
//! The quote, the invoice and the ledger keep the ISO amount (12.345 KWD). When the
//! provider can only move whole units of `10^-exponent`, [`settle`] re-rounds that amount
//! once, with the rulebook's [`RoundingMode`], and records the difference
//! (`settlement_amount − amount`) for the host to book (e.g. as a rounding line), so that
//! no fils is created or lost without a trace.
//!
//! ```
//! use rihla_core::{settle, Currency, Decimal, Money, RoundingMode};
//! let kwd = Currency::from_code("KWD")?;
//! let s = settle(Money::new(Decimal::new(12_345, 3), kwd), 2, RoundingMode::HalfAwayFromZero)
//!     ?;
//! assert_eq!(s.settlement_amount.to_string(), "12.35");
//! assert_eq!(s.difference.to_string(), "0.005");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::{CoreError, Currency, Money, RoundingMode};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// An ISO amount re-rounded to a settlement exponent, with the difference.
///
/// JSON (decimals as strings): `{"currency": "KWD", "iso_exponent": 3, "exponent": 2,
/// "amount": "12.345", "settlement_amount": "12.35", "difference": "0.005"}`.
///
/// Invariants (pinned by property tests): `settlement_amount = amount + difference`
/// exactly; `|difference| ≤ ½ × 10^-exponent`; `settlement_amount` is written at scale
/// `exponent`, `amount` and `difference` at scale `iso_exponent`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settlement {
    /// The ISO 4217 currency.
    pub currency: Currency,
    /// The currency's ISO 4217 exponent (3 for KWD).
    pub iso_exponent: u32,
    /// The provider's settlement exponent (`0..=iso_exponent`; 2 for a provider that
    /// settles KWD in hundredths).
    pub exponent: u32,
    /// The amount at the ISO exponent, as quoted and invoiced.
    #[serde(with = "crate::decimal_string")]
    pub amount: Decimal,
    /// The amount to settle: `amount` rounded to `exponent` places with the mode.
    #[serde(with = "crate::decimal_string")]
    pub settlement_amount: Decimal,
    /// `settlement_amount − amount` (positive when settlement rounded up).
    #[serde(with = "crate::decimal_string")]
    pub difference: Decimal,
}

/// Checks that `exponent` can be a settlement exponent of `currency`: settlement may drop
/// decimals of the ISO exponent, never add them (`0..=currency.exponent()`).
///
/// # Errors
/// [`CoreError::InvalidSettlementExponent`] (`"INVALID_SETTLEMENT_EXPONENT"`) with the
/// currency, the exponent and the ISO exponent.
pub fn check_exponent(currency: Currency, exponent: u32) -> Result<(), CoreError> {
    let iso_exponent = currency.exponent();
    if exponent > iso_exponent {
        return Err(CoreError::InvalidSettlementExponent {
            currency: currency.code().to_owned(),
            exponent,
            iso_exponent,
        });
    }
    Ok(())
}

/// Re-rounds `amount` (a whole number of the currency's ISO minor units) to `exponent`
/// decimal places with `mode`, once, and records the difference.
///
/// KWD 12.345 at exponent 2: half away from zero gives 12.35 (difference 0.005), half even
/// gives 12.34 (difference −0.005). At `exponent == iso_exponent` nothing changes and the
/// difference is zero. Negative amounts (refunds) settle symmetrically.
///
/// # Errors
/// * [`CoreError::InvalidSettlementExponent`] — `exponent` above the ISO exponent;
/// * [`CoreError::NotMinorUnits`] — `amount` has digits below the ISO minor unit (round it
///   to the minor unit first: settlement re-rounds an invoiced amount, it is not the first
///   rounding);
/// * [`CoreError::Overflow`] (`operation: "settle"`) — never for amounts `Decimal` holds at
///   the ISO scale; kept so that no arithmetic is unchecked.
pub fn settle(amount: Money, exponent: u32, mode: RoundingMode) -> Result<Settlement, CoreError> {
    let currency = amount.currency;
    check_exponent(currency, exponent)?;
    let iso_exponent = currency.exponent();
    if !amount.is_minor_units() {
        return Err(CoreError::NotMinorUnits {
            amount: amount.amount,
            currency: currency.code().to_owned(),
            exponent: iso_exponent,
        });
    }
    let iso_amount = at_scale(amount.amount, iso_exponent);
    let settlement_amount = at_scale(mode.round_dp(iso_amount, exponent), exponent);
    let difference = settlement_amount
        .checked_sub(iso_amount)
        .ok_or(CoreError::Overflow {
            operation: "settle",
        })?;
    Ok(Settlement {
        currency,
        iso_exponent,
        exponent,
        amount: iso_amount,
        settlement_amount,
        difference: at_scale(difference, iso_exponent),
    })
}

/// `value` written with `scale` places (only ever adds zeros here), zero never negative.
fn at_scale(mut value: Decimal, scale: u32) -> Decimal {
    value.rescale(scale);
    if value.is_zero() {
        value.set_sign_positive(true);
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn m(a: &str, c: &str) -> Money {
        Money::new(
            Decimal::from_str(a).unwrap(),
            Currency::from_code(c).unwrap(),
        )
    }

    const HALF_UP: RoundingMode = RoundingMode::HalfAwayFromZero;
    const EVEN: RoundingMode = RoundingMode::HalfEven;

    fn texts(s: &Settlement) -> [String; 3] {
        [
            s.amount.to_string(),
            s.settlement_amount.to_string(),
            s.difference.to_string(),
        ]
    }

    #[test]
    fn kwd_at_two_decimals_half_up_and_half_even() {
        let up = settle(m("12.345", "KWD"), 2, HALF_UP).unwrap();
        assert_eq!(texts(&up), ["12.345", "12.35", "0.005"]);
        assert_eq!((up.iso_exponent, up.exponent), (3, 2));
        let even = settle(m("12.345", "KWD"), 2, EVEN).unwrap();
        assert_eq!(texts(&even), ["12.345", "12.34", "-0.005"]);
        // Not a midpoint: both modes agree.
        for mode in [HALF_UP, EVEN] {
            assert_eq!(
                texts(&settle(m("12.346", "KWD"), 2, mode).unwrap()),
                ["12.346", "12.35", "0.004"]
            );
        }
        // 12.355 half-even goes up (5 is odd).
        assert_eq!(
            texts(&settle(m("12.355", "BHD"), 2, EVEN).unwrap()),
            ["12.355", "12.36", "0.005"]
        );
        // Refunds are symmetric.
        assert_eq!(
            texts(&settle(m("-12.345", "OMR"), 2, HALF_UP).unwrap()),
            ["-12.345", "-12.35", "-0.005"]
        );
    }

    #[test]
    fn iso_exponent_changes_nothing_and_scales_are_kept() {
        let s = settle(m("12.3", "KWD"), 3, HALF_UP).unwrap();
        assert_eq!(texts(&s), ["12.300", "12.300", "0.000"]);
        let s = settle(m("1999.5", "SAR"), 0, HALF_UP).unwrap();
        assert_eq!(texts(&s), ["1999.50", "2000", "0.50"]);
        let s = settle(m("1200", "JPY"), 0, EVEN).unwrap();
        assert_eq!(texts(&s), ["1200", "1200", "0"]);
        let s = settle(m("-0.004", "KWD"), 2, HALF_UP).unwrap();
        assert_eq!(texts(&s), ["-0.004", "0.00", "0.004"]);
    }

    #[test]
    fn refuses_an_exponent_above_iso_and_digits_below_the_minor_unit() {
        let err = settle(m("12.34", "SAR"), 3, HALF_UP).unwrap_err();
        assert_eq!(
            err,
            CoreError::InvalidSettlementExponent {
                currency: "SAR".into(),
                exponent: 3,
                iso_exponent: 2
            }
        );
        assert_eq!(err.code(), "INVALID_SETTLEMENT_EXPONENT");
        assert_eq!(
            settle(m("5", "JPY"), 1, HALF_UP).unwrap_err().code(),
            "INVALID_SETTLEMENT_EXPONENT"
        );
        assert_eq!(
            settle(m("12.3455", "KWD"), 2, HALF_UP).unwrap_err().code(),
            "NOT_MINOR_UNITS"
        );
        // Trailing zeros are not digits below the minor unit.
        assert_eq!(
            texts(&settle(m("12.34500", "KWD"), 2, HALF_UP).unwrap()),
            ["12.345", "12.35", "0.005"]
        );
    }

    #[test]
    fn json_shape() {
        let s = settle(m("12.345", "KWD"), 2, HALF_UP).unwrap();
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(
            json,
            r#"{"currency":"KWD","iso_exponent":3,"exponent":2,"amount":"12.345","settlement_amount":"12.35","difference":"0.005"}"#
        );
        assert_eq!(serde_json::from_str::<Settlement>(&json).unwrap(), s);
    }

    #[test]
    fn extremes_do_not_panic() {
        let kwd = Currency::from_code("KWD").unwrap();
        for v in [Decimal::MAX, Decimal::MIN] {
            for e in 0..=3 {
                let s = settle(Money::new(v, kwd), e, HALF_UP).unwrap();
                assert_eq!(s.difference, Decimal::ZERO);
            }
        }
        let big = Money::new(
            Decimal::from_i128_with_scale(i128::from(u64::MAX) * 1000 + 500, 3),
            kwd,
        );
        let s = settle(big, 0, HALF_UP).unwrap();
        assert_eq!(s.difference.to_string(), "0.500");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        /// `|difference| ≤ ½ × 10^-exponent`, exactly half only on a midpoint, and
        /// `settlement_amount = amount + difference` at the declared scales.
        #[test]
        fn difference_is_within_half_a_settlement_unit(
            units in any::<i64>(),
            code in prop::sample::select(vec!["KWD", "BHD", "OMR", "JOD", "TND", "SAR", "USD", "JPY"]),
            exponent in 0u32..=3,
            even in any::<bool>(),
        ) {
            let currency = Currency::from_code(code).unwrap();
            prop_assume!(exponent <= currency.exponent());
            let mode = if even { EVEN } else { HALF_UP };
            let amount = Money::new(Decimal::new(units, currency.exponent()), currency);
            let s = settle(amount, exponent, mode).unwrap();
            let half = Decimal::new(5, exponent + 1);
            prop_assert!(s.difference.abs() <= half, "{s:?}");
            prop_assert_eq!(s.settlement_amount, s.amount + s.difference);
            prop_assert_eq!(s.amount, amount.amount);
            prop_assert_eq!(s.settlement_amount.scale(), exponent);
            prop_assert_eq!(s.amount.scale(), currency.exponent());
            prop_assert_eq!(s.difference.scale(), currency.exponent());
            prop_assert!(s.settlement_amount.normalize().scale() <= exponent);
            // A settlement of the settled amount changes nothing further.
            let again = settle(Money::new(s.settlement_amount, currency), exponent, mode).unwrap();
            prop_assert_eq!(again.difference, Decimal::ZERO);
            // Refunds mirror charges.
            let neg = settle(Money::new(-amount.amount, currency), exponent, mode).unwrap();
            prop_assert_eq!(neg.difference, -s.difference);
        }
    }
}
