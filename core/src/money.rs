//! [`Money`]: a decimal amount tagged with its ISO 4217 currency.

use crate::{CoreError, Currency, RoundingMode};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The largest magnitude of an amount rihla prices: 10^15 (one quadrillion) major units of
/// any currency — about USD 24 million even in Iranian rials, far past any booking.
///
/// Why a maximum: `Decimal` holds 28–29 significant digits and its checked operations
/// *round* (silently) when an exact result needs more. Below this bound an amount at the
/// finest ISO 4217 minor unit (4 decimals) is at most 10^19 minor units (< 2^64), so a sum
/// of every line of the largest request, or an amount times a quantity or a count, fits
/// `Decimal` exactly with ten digits to spare; products by rates and percentages are
/// formed exactly and rounded once ([`crate::exact`]). Amounts are checked against it
/// where they enter (rulebooks, requests) and after every multiplication (a unit price
/// times a quantity, a fare times passengers, a converted amount, the totals); past it the
/// answer is [`CoreError::AmountTooLarge`] (code `OVERFLOW`) naming the field.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(0xA4C6_8000, 0x0003_8D7E, 0, false, 0);

/// `amount` when `|amount| ≤` [`MAX_AMOUNT`].
///
/// # Errors
/// [`CoreError::AmountTooLarge`] naming `field()` (built only on error).
pub fn within_max(field: impl FnOnce() -> String, amount: Decimal) -> Result<Decimal, CoreError> {
    if amount.abs() <= MAX_AMOUNT {
        Ok(amount)
    } else {
        Err(CoreError::AmountTooLarge {
            field: field(),
            amount,
            max: MAX_AMOUNT,
        })
    }
}

/// An amount of money: a `rust_decimal::Decimal` in a [`Currency`]. Never a float.
///
/// Arithmetic is checked: combining two currencies is [`CoreError::CurrencyMismatch`]
/// (never a silent conversion) and leaving `Decimal`'s range is [`CoreError::Overflow`].
/// The amount keeps full precision; [`Money::round_to_minor`] brings it to the minor unit.
///
/// JSON: `{"amount": "1234.50", "currency": "SAR"}` (the amount a decimal string). An
/// amount written with fewer decimals than its currency has is read at the currency's
/// scale (`"50"` SAR reads as `50.00`, so every amount derived from it is written
/// `"50.00"`); one with more keeps them (and is refused where whole minor units are
/// required).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, from = "MoneyDoc")]
pub struct Money {
    /// The amount, in major units of the currency (e.g. riyals, not halalas).
    #[serde(with = "crate::decimal_string")]
    pub amount: Decimal,
    /// The ISO 4217 currency.
    pub currency: Currency,
}

impl Money {
    /// Money of `amount` in `currency`.
    pub fn new(amount: Decimal, currency: Currency) -> Self {
        Money { amount, currency }
    }

    /// Zero in `currency`, at the currency's scale (`0.00` SAR, `0.000` KWD, `0` JPY).
    pub fn zero(currency: Currency) -> Self {
        Money {
            amount: Decimal::new(0, currency.exponent()),
            currency,
        }
    }

    fn same_currency(&self, other: &Money) -> Result<(), CoreError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(CoreError::CurrencyMismatch {
                left: self.currency.code().to_owned(),
                right: other.currency.code().to_owned(),
            })
        }
    }

    /// `self + other`.
    ///
    /// # Errors
    /// [`CoreError::CurrencyMismatch`], [`CoreError::Overflow`].
    pub fn checked_add(&self, other: &Money) -> Result<Money, CoreError> {
        self.same_currency(other)?;
        let amount = self
            .amount
            .checked_add(other.amount)
            .ok_or(CoreError::Overflow { operation: "add" })?;
        Ok(Money::new(amount, self.currency))
    }

    /// `self − other`.
    ///
    /// # Errors
    /// [`CoreError::CurrencyMismatch`], [`CoreError::Overflow`].
    pub fn checked_sub(&self, other: &Money) -> Result<Money, CoreError> {
        self.same_currency(other)?;
        let amount = self
            .amount
            .checked_sub(other.amount)
            .ok_or(CoreError::Overflow {
                operation: "subtract",
            })?;
        Ok(Money::new(amount, self.currency))
    }

    /// `self × factor` at full precision (not rounded).
    ///
    /// # Errors
    /// [`CoreError::Overflow`].
    pub fn checked_mul(&self, factor: Decimal) -> Result<Money, CoreError> {
        let amount = self.amount.checked_mul(factor).ok_or(CoreError::Overflow {
            operation: "multiply",
        })?;
        Ok(Money::new(amount, self.currency))
    }

    /// Compares two amounts of the same currency.
    ///
    /// # Errors
    /// [`CoreError::CurrencyMismatch`].
    pub fn checked_cmp(&self, other: &Money) -> Result<std::cmp::Ordering, CoreError> {
        self.same_currency(other)?;
        Ok(self.amount.cmp(&other.amount))
    }

    /// The same amount written with the currency's decimals when that loses nothing
    /// (`50` and `50.0000` SAR → `50.00`); one with finer digits keeps them (`1.005` SAR
    /// stays `1.005`, and is refused where whole minor units are required). Amounts past
    /// [`MAX_AMOUNT`] are left as they are (within it the added zeros always fit:
    /// 10^15 × 10^4 < 2^96).
    pub fn at_currency_scale(self) -> Money {
        let mut amount = self.amount;
        let exponent = self.currency.exponent();
        if amount.scale() != exponent
            && amount.normalize().scale() <= exponent
            && amount.abs() <= MAX_AMOUNT
        {
            amount.rescale(exponent);
        }
        Money::new(amount, self.currency)
    }

    /// The amount rounded to the currency's minor unit with `mode`.
    pub fn round_to_minor(&self, mode: RoundingMode) -> Money {
        Money::new(
            mode.round_to_minor(self.amount, self.currency),
            self.currency,
        )
    }

    /// Whether the amount is a whole number of minor units (e.g. 12.50 SAR, not 12.505).
    pub fn is_minor_units(&self) -> bool {
        self.amount.normalize().scale() <= self.currency.exponent()
    }

    /// The amount as a whole number of minor units (12.50 SAR → 1250).
    ///
    /// # Errors
    /// [`CoreError::NotMinorUnits`] when the amount has finer digits;
    /// [`CoreError::Overflow`] when the count leaves `i128`.
    pub fn to_minor_units(&self) -> Result<i128, CoreError> {
        let n = self.amount.normalize();
        let exponent = self.currency.exponent();
        if n.scale() > exponent {
            return Err(CoreError::NotMinorUnits {
                amount: self.amount,
                currency: self.currency.code().to_owned(),
                exponent,
            });
        }
        let factor = 10i128
            .checked_pow(exponent.saturating_sub(n.scale()))
            .ok_or(CoreError::Overflow {
                operation: "to_minor_units",
            })?;
        n.mantissa().checked_mul(factor).ok_or(CoreError::Overflow {
            operation: "to_minor_units",
        })
    }

    /// Money from a whole number of minor units (1250 SAR-minor → 12.50 SAR).
    ///
    /// # Errors
    /// [`CoreError::Overflow`] when the count is past `Decimal`'s range.
    pub fn from_minor_units(units: i128, currency: Currency) -> Result<Money, CoreError> {
        let amount =
            Decimal::try_from_i128_with_scale(units, currency.exponent()).map_err(|_| {
                CoreError::Overflow {
                    operation: "from_minor_units",
                }
            })?;
        Ok(Money::new(amount, currency))
    }
}

/// [`Money`] as written in JSON, before it is brought to its currency's scale.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MoneyDoc {
    #[serde(with = "crate::decimal_string")]
    amount: Decimal,
    currency: Currency,
}

impl From<MoneyDoc> for Money {
    fn from(doc: MoneyDoc) -> Money {
        Money::new(doc.amount, doc.currency).at_currency_scale()
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn m(a: &str, c: &str) -> Money {
        Money::new(
            Decimal::from_str(a).unwrap(),
            Currency::from_code(c).unwrap(),
        )
    }

    #[test]
    fn adds_same_currency_and_refuses_mixed() {
        assert_eq!(
            m("1.10", "SAR").checked_add(&m("2.205", "SAR")).unwrap(),
            m("3.305", "SAR")
        );
        let err = m("1", "SAR").checked_add(&m("1", "EGP")).unwrap_err();
        assert_eq!(
            err,
            CoreError::CurrencyMismatch {
                left: "SAR".into(),
                right: "EGP".into()
            }
        );
        assert_eq!(
            m("1", "SAR")
                .checked_cmp(&m("1", "USD"))
                .unwrap_err()
                .code(),
            "CURRENCY_MISMATCH"
        );
    }

    #[test]
    fn overflow_is_an_error() {
        let max = Money::new(Decimal::MAX, Currency::from_code("SAR").unwrap());
        assert_eq!(max.checked_add(&max).unwrap_err().code(), "OVERFLOW");
        assert_eq!(
            max.checked_mul(Decimal::TWO).unwrap_err().code(),
            "OVERFLOW"
        );
    }

    #[test]
    fn the_maximum_is_ten_to_the_fifteenth() {
        assert_eq!(MAX_AMOUNT.to_string(), "1000000000000000");
        assert_eq!(within_max(|| "x".into(), MAX_AMOUNT).unwrap(), MAX_AMOUNT);
        assert_eq!(within_max(|| "x".into(), -MAX_AMOUNT).unwrap(), -MAX_AMOUNT);
        let past = MAX_AMOUNT + Decimal::new(1, 4);
        let err = within_max(|| "items[0].unit_price".into(), past).unwrap_err();
        assert_eq!(err.code(), "OVERFLOW");
        assert_eq!(
            err,
            CoreError::AmountTooLarge {
                field: "items[0].unit_price".into(),
                amount: past,
                max: MAX_AMOUNT
            }
        );
        // Headroom: the largest amount at the finest minor unit, times the most units of
        // the largest request, still fits Decimal exactly.
        let finest = Decimal::new(1, 4);
        let units = (MAX_AMOUNT / finest).mantissa();
        assert!(units < 1 << 64);
        let many = MAX_AMOUNT.checked_mul(Decimal::from(200 * 10_000)).unwrap();
        let many = many.checked_add(finest).unwrap();
        assert_eq!(many.scale(), 4);
    }

    #[test]
    fn minor_units_round_trip() {
        assert_eq!(m("12.50", "SAR").to_minor_units().unwrap(), 1250);
        assert_eq!(m("12.5", "KWD").to_minor_units().unwrap(), 12500);
        assert_eq!(m("1200", "JPY").to_minor_units().unwrap(), 1200);
        assert_eq!(
            m("12.505", "SAR").to_minor_units().unwrap_err().code(),
            "NOT_MINOR_UNITS"
        );
        let sar = Currency::from_code("SAR").unwrap();
        assert_eq!(
            Money::from_minor_units(-1250, sar).unwrap().to_string(),
            "-12.50 SAR"
        );
        assert_eq!(
            Money::zero(Currency::from_code("KWD").unwrap())
                .amount
                .to_string(),
            "0.000"
        );
    }

    #[test]
    fn json_reads_at_the_currency_scale() {
        let v: Money = serde_json::from_str(r#"{"amount":"50","currency":"SAR"}"#).unwrap();
        assert_eq!(v.amount.to_string(), "50.00");
        let v: Money = serde_json::from_str(r#"{"amount":"0.5","currency":"KWD"}"#).unwrap();
        assert_eq!(v.amount.to_string(), "0.500");
        let v: Money = serde_json::from_str(r#"{"amount":"1.005","currency":"SAR"}"#).unwrap();
        assert_eq!(v.amount.to_string(), "1.005");
        let v: Money = serde_json::from_str(r#"{"amount":"450.0000","currency":"SAR"}"#).unwrap();
        assert_eq!(v.amount.to_string(), "450.00");
        let v: Money = serde_json::from_str(r#"{"amount":"12","currency":"JPY"}"#).unwrap();
        assert_eq!(v.amount.to_string(), "12");
        let huge = r#"{"amount":"79228162514264337593543950335","currency":"SAR"}"#;
        let v: Money = serde_json::from_str(huge).unwrap();
        assert_eq!(v.amount, Decimal::MAX);
        assert!(serde_json::from_str::<Money>(r#"{"amount":"1","currency":"SAR","x":1}"#).is_err());
    }

    #[test]
    fn json_shape() {
        let v: Money = serde_json::from_str(r#"{"amount":"10.5","currency":"BHD"}"#).unwrap();
        assert_eq!(v, m("10.500", "BHD"));
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"amount":"10.500","currency":"BHD"}"#
        );
    }
}
