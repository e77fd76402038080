//! Amounts: whole numbers of a unit's integer (minor units) inside, decimal strings at the
//! unit's scale on the wire.

use crate::Unit;
use rihla_core::Decimal;

/// Most a single amount may be: 10²⁸ − 1 minor units, so that any decimal form fits
/// `rust_decimal` and sums of 2¹⁶ of them fit far inside u128.
pub const MAX_AMOUNT: u128 = 9_999_999_999_999_999_999_999_999_999;

/// `amount` minor units of `unit` as a decimal at its scale (`15050` SAR → `150.50`):
/// exact up to 2⁹⁶ − 1 minor units, which holds every amount and every balance the ledger
/// keeps (a sum of amounts, such as a points balance, may pass [`MAX_AMOUNT`]); past it,
/// the largest decimal.
pub fn to_decimal(unit: Unit, amount: u128) -> Decimal {
    unit.to_decimal(i128::try_from(amount).unwrap_or(i128::MAX))
}

/// A signed number of minor units as a decimal at the unit's scale (exact within
/// ±(2⁹⁶ − 1), past it the largest or smallest decimal).
pub fn signed_to_decimal(unit: Unit, amount: i128) -> Decimal {
    unit.to_decimal(amount)
}

/// A decimal amount as minor units of `unit`.
///
/// # Errors
/// A message naming `field` when the amount is negative (or zero unless `zero_ok`), has
/// digits below the unit's scale, or exceeds [`MAX_AMOUNT`].
pub fn to_units(unit: Unit, amount: Decimal, field: &str, zero_ok: bool) -> Result<u128, String> {
    if amount.is_sign_negative() && !amount.is_zero() {
        return Err(format!("{field}: {amount} is negative"));
    }
    if amount.is_zero() && !zero_ok {
        return Err(format!("{field}: must be more than 0"));
    }
    let units = unit
        .to_integer(amount)
        .map_err(|e| format!("{field}: {e}"))?;
    let units = u128::try_from(units).map_err(|_| format!("{field}: {amount} is negative"))?;
    if units > MAX_AMOUNT {
        return Err(format!("{field}: {amount} is more than the largest amount"));
    }
    Ok(units)
}

/// Serde for a u128 as a string of decimal digits (JSON numbers lose precision past 2⁵³).
pub mod units_string {
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the digits.
    pub fn serialize<S: Serializer>(v: &u128, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(v)
    }

    /// Reads the digits.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u128, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse::<u128>()
            .map_err(|_| serde::de::Error::custom(format!("{text:?} is not a whole number")))
    }
}

/// Serde for an optional u128 as a string of decimal digits.
pub mod units_string_opt {
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the digits (only called for `Some`: pair with `skip_serializing_if`).
    pub fn serialize<S: Serializer>(v: &Option<u128>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => s.collect_str(v),
            None => s.serialize_none(),
        }
    }

    /// Reads the digits.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u128>, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse::<u128>()
            .map(Some)
            .map_err(|_| serde::de::Error::custom(format!("{text:?} is not a whole number")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact_up_to_what_a_decimal_holds() -> Result<(), String> {
        let sar = Unit::parse("SAR")?;
        // Two lots of the largest amount: a sum past MAX_AMOUNT reads exactly.
        assert_eq!(
            to_decimal(sar, 2 * MAX_AMOUNT).to_string(),
            "199999999999999999999999999.98"
        );
        let most = (1u128 << 96) - 1;
        assert_eq!(
            to_decimal(sar, most).to_string(),
            "792281625142643375935439503.35"
        );
        let top = i128::try_from(most).map_err(|e| e.to_string())?;
        assert_eq!(
            signed_to_decimal(sar, -top).to_string(),
            "-792281625142643375935439503.35"
        );
        // Past it: the largest decimal of the sign, never a wrong sign.
        assert_eq!(to_decimal(sar, u128::MAX), Decimal::MAX);
        assert_eq!(signed_to_decimal(sar, i128::MIN), Decimal::MIN);
        Ok(())
    }
}
