//! Rounding modes and rounding of amounts to a currency's minor unit.

use crate::Currency;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// How a midpoint is rounded when an amount is brought to a currency's minor unit.
///
/// A rulebook setting. The default is [`RoundingMode::HalfAwayFromZero`], the rule of
/// commercial invoices (2.345 → 2.35, −2.345 → −2.35); [`RoundingMode::HalfEven`]
/// (banker's rounding: 2.345 → 2.34, 2.355 → 2.36) is available. rihla never relies on
/// `Decimal::round_dp`'s implicit banker's rounding: every rounding names its mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RoundingMode {
    /// Round half away from zero (`"HALF_AWAY_FROM_ZERO"`), the default.
    #[default]
    HalfAwayFromZero,
    /// Round half to even (`"HALF_EVEN"`).
    HalfEven,
}

impl RoundingMode {
    fn strategy(self) -> RoundingStrategy {
        match self {
            RoundingMode::HalfAwayFromZero => RoundingStrategy::MidpointAwayFromZero,
            RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
        }
    }

    /// Rounds `amount` to `places` decimal places with this mode. Never fails: rounding
    /// only removes digits.
    pub fn round_dp(self, amount: Decimal, places: u32) -> Decimal {
        amount.round_dp_with_strategy(places, self.strategy())
    }

    /// Rounds `amount` to the minor unit of `currency` (its ISO 4217 exponent) with this
    /// mode, e.g. 14.9975 SAR → 15.00 (half away from zero).
    pub fn round_to_minor(self, amount: Decimal, currency: Currency) -> Decimal {
        let mut r = self.round_dp(amount, currency.exponent());
        // Keep the currency's scale so that "15" is written "15.00" for SAR.
        r.rescale(currency.exponent());
        if r.is_zero() {
            r.set_sign_positive(true);
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn modes_differ_only_on_midpoints() {
        let kwd = Currency::from_code("KWD").unwrap();
        let half_up = RoundingMode::HalfAwayFromZero;
        let even = RoundingMode::HalfEven;
        assert_eq!(
            half_up.round_to_minor(d("2.3445"), kwd).to_string(),
            "2.345"
        );
        assert_eq!(even.round_to_minor(d("2.3445"), kwd).to_string(), "2.344");
        assert_eq!(
            half_up.round_to_minor(d("-2.3445"), kwd).to_string(),
            "-2.345"
        );
        assert_eq!(even.round_to_minor(d("2.3455"), kwd).to_string(), "2.346");
        assert_eq!(
            half_up.round_to_minor(d("2.34449"), kwd).to_string(),
            "2.344"
        );
    }

    #[test]
    fn rounds_to_the_currency_scale() {
        let sar = Currency::from_code("SAR").unwrap();
        let jpy = Currency::from_code("JPY").unwrap();
        let m = RoundingMode::default();
        assert_eq!(m.round_to_minor(d("14.9975"), sar).to_string(), "15.00");
        assert_eq!(m.round_to_minor(d("15"), sar).to_string(), "15.00");
        assert_eq!(m.round_to_minor(d("1234.5"), jpy).to_string(), "1235");
        assert_eq!(m.round_to_minor(d("-0.001"), sar).to_string(), "0.00");
    }

    #[test]
    fn serde_names() {
        let m: RoundingMode = serde_json::from_str("\"HALF_EVEN\"").unwrap();
        assert_eq!(m, RoundingMode::HalfEven);
        assert_eq!(
            serde_json::to_string(&RoundingMode::HalfAwayFromZero).unwrap(),
            "\"HALF_AWAY_FROM_ZERO\""
        );
    }
}
