//! [`Money`]: a decimal amount tagged with its ISO 4217 currency.

use crate::{CoreError, Currency, RoundingMode};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount of money: a `rust_decimal::Decimal` in a [`Currency`]. Never a float.
///
/// Arithmetic is checked: combining two currencies is [`CoreError::CurrencyMismatch`]
/// (never a silent conversion) and leaving `Decimal`'s range is [`CoreError::Overflow`].
/// The amount keeps full precision; [`Money::round_to_minor`] brings it to the minor unit.
///
/// JSON: `{"amount": "1234.50", "currency": "SAR"}` (the amount a decimal string).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
            .checked_pow(exponent - n.scale())
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
    fn json_shape() {
        let v: Money = serde_json::from_str(r#"{"amount":"10.5","currency":"BHD"}"#).unwrap();
        assert_eq!(v, m("10.5", "BHD"));
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"amount":"10.5","currency":"BHD"}"#
        );
    }
}
