//! Units of account: an ISO 4217 currency, or loyalty points with their scale.

use rihla_core::{CoreError, Currency, Decimal};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Most decimal places of a points unit.
pub const MAX_POINTS_SCALE: u32 = 6;

/// What an account counts: money in an ISO 4217 currency (its minor unit is the ledger's
/// integer), or loyalty points with a scale (0 = whole points).
///
/// JSON: `"SAR"`, `"POINTS"` (scale 0) or `"POINTS:2"` (hundredths of a point).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// Money in an ISO 4217 currency.
    Currency(Currency),
    /// Loyalty points, counted in units of 10^−scale.
    Points {
        /// Decimal places (0 to [`MAX_POINTS_SCALE`]).
        scale: u32,
    },
}

impl Unit {
    /// Decimal places of one integer unit of the ledger (the currency's ISO 4217 exponent).
    pub fn scale(self) -> u32 {
        match self {
            Unit::Currency(c) => c.exponent(),
            Unit::Points { scale } => scale,
        }
    }

    /// Parses `"SAR"`, `"POINTS"` or `"POINTS:n"`.
    ///
    /// # Errors
    /// A message for an unknown currency or a bad points scale.
    pub fn parse(text: &str) -> Result<Unit, String> {
        if text == "POINTS" {
            return Ok(Unit::Points { scale: 0 });
        }
        if let Some(scale) = text.strip_prefix("POINTS:") {
            return match scale.parse::<u32>() {
                Ok(s) if s <= MAX_POINTS_SCALE => Ok(Unit::Points { scale: s }),
                _ => Err(format!(
                    "points scale {scale:?} is not 0..={MAX_POINTS_SCALE}"
                )),
            };
        }
        Currency::from_code(text)
            .map(Unit::Currency)
            .map_err(|e: CoreError| e.to_string())
    }

    /// `amount` (a whole number of the unit's integer) as a decimal at the unit's scale:
    /// exact within ±(2⁹⁶ − 1); past it the largest decimal of its sign.
    pub fn to_decimal(self, amount: i128) -> Decimal {
        Decimal::try_from_i128_with_scale(amount, self.scale()).unwrap_or(if amount < 0 {
            Decimal::MIN
        } else {
            Decimal::MAX
        })
    }

    /// A decimal amount as a whole number of the unit's integer.
    ///
    /// # Errors
    /// A message when it has more decimal places than the unit, or is too large.
    pub fn to_integer(self, amount: Decimal) -> Result<i128, String> {
        let scale = self.scale();
        if amount.scale() > scale && amount.normalize().scale() > scale {
            return Err(format!(
                "{amount} has more decimal places than {self}'s {scale}"
            ));
        }
        let mut a = amount;
        a.rescale(scale);
        if a.scale() != scale {
            return Err(format!("{amount} is too large for {self}"));
        }
        Ok(a.mantissa())
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unit::Currency(c) => write!(f, "{}", c.code()),
            Unit::Points { scale: 0 } => write!(f, "POINTS"),
            Unit::Points { scale } => write!(f, "POINTS:{scale}"),
        }
    }
}

impl Serialize for Unit {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Unit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Unit::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_amounts() -> Result<(), String> {
        let sar = Unit::parse("SAR")?;
        assert_eq!(sar.scale(), 2);
        assert_eq!(sar.to_integer("150.5".parse().map_err(|_| "d")?)?, 15050);
        assert!(sar.to_integer("1.005".parse().map_err(|_| "d")?).is_err());
        assert_eq!(sar.to_decimal(15050).to_string(), "150.50");
        assert_eq!(Unit::parse("POINTS")?, Unit::Points { scale: 0 });
        assert_eq!(Unit::parse("POINTS:2")?.to_string(), "POINTS:2");
        assert!(Unit::parse("POINTS:9").is_err() && Unit::parse("XYZ").is_err());
        assert_eq!(
            Unit::parse("KWD")?.to_integer("1.250".parse().map_err(|_| "d")?)?,
            1250
        );
        Ok(())
    }
}
