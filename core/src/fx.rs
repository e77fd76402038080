//! Explicit currency conversion through a rate table supplied by the host.
//!
//! docs/money.md: "Adding or comparing different currencies is an error, never a silent
//! conversion. Conversion happens only through an explicit rate table supplied by the
//! host." rihla has no rates of its own and fetches none: the host passes a [`RateTable`]
//! (e.g. its central bank's or its payment provider's rates of the day), each [`Rate`]
//! carrying the host's id of where it came from, and every [`Converted`] amount names the
//! rate and the source that made it.
//!
//! Rules, each pinned by tests:
//!
//! * **Direct pairs only.** A lookup of `from → to` finds the entry with exactly that
//!   `from` and `to`. rihla never inverts a rate (`USD → SAR` is not `1 / (SAR → USD)`:
//!   buying and selling rates differ, and an inverse does not terminate in decimal) and
//!   never chains rates through a third currency. A missing pair is
//!   [`CoreError::RateNotFound`]. The one exception is `from == to`, which converts at
//!   rate 1 with the source [`IDENTITY_SOURCE`] and needs no entry.
//! * **One rounding.** `amount × rate` is computed exactly (in big integers when the
//!   product has more digits than `Decimal` holds, so no intermediate rounding can create
//!   or hide a midpoint) and rounded once, to the target currency's ISO 4217 minor unit,
//!   with the [`RoundingMode`] given.
//! * **Validated tables.** At most [`MAX_RATES`] rates, each with `rate > 0`, `from ≠ to`,
//!   a source id of 1 to [`MAX_SOURCE_CHARS`] characters that is not blank, and no
//!   `(from, to)` pair twice; anything else is [`CoreError::InvalidRate`] naming the pair.
//!
//! ```
//! use rihla_core::{convert, Currency, Decimal, Money, RateTable, RoundingMode};
//! let table: RateTable = serde_json::from_str(
//!     r#"[{"from": "SAR", "to": "USD", "rate": "0.2666", "source": "SAMA-2026-11-22"}]"#,
//! )?;
//! let sar = Currency::from_code("SAR")?;
//! let usd = Currency::from_code("USD")?;
//! let price = Money::new(Decimal::new(1_799_741, 2), sar); // 17997.41 SAR
//! let c = convert(price, usd, &table, RoundingMode::HalfAwayFromZero)?;
//! assert_eq!(c.amount.to_string(), "4798.11 USD"); // 4798.109506 rounded once
//! assert_eq!((c.rate.to_string().as_str(), c.source.as_str()), ("0.2666", "SAMA-2026-11-22"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The converted amount is informational (a display price): the amount charged stays the
//! one in the quote's currency.

use crate::{CoreError, Currency, Money, RoundingMode};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize, Serializer};
use std::collections::BTreeSet;

/// Most rates one [`RateTable`] may hold (a hostile payload cannot make lookups slow).
pub const MAX_RATES: usize = 200;

/// Most characters (Unicode scalar values) of a [`Rate::source`].
pub const MAX_SOURCE_CHARS: usize = 128;

/// The [`Converted::source`] of a conversion from a currency to itself (at rate 1).
pub const IDENTITY_SOURCE: &str = "IDENTITY";

/// One exchange rate, as the host supplies it.
///
/// `rate` is the number of units of `to` per one unit of `from` (a decimal, any scale up
/// to 28 places): `{"from": "SAR", "to": "USD", "rate": "0.2666"}` means
/// 1 SAR = 0.2666 USD. `source` is the host's id of the rate (its provider and date, e.g.
/// `"SAMA-2026-11-22"`), copied to every amount converted with it.
///
/// JSON: `{"from": "SAR", "to": "USD", "rate": "0.2666", "source": "SAMA-2026-11-22"}`,
/// the rate a decimal string; unknown fields are refused. A `Rate` is checked when it
/// enters a [`RateTable`], not on its own.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rate {
    /// The currency converted from.
    pub from: Currency,
    /// The currency converted to.
    pub to: Currency,
    /// Units of `to` per one unit of `from`; must be `> 0`.
    #[serde(with = "crate::decimal_string")]
    pub rate: Decimal,
    /// The host's id of the rate (1 to [`MAX_SOURCE_CHARS`] characters, not blank).
    pub source: String,
}

/// A validated list of [`Rate`]s: at most [`MAX_RATES`], each with `rate > 0`,
/// `from ≠ to` and a source id of 1 to [`MAX_SOURCE_CHARS`] characters (not blank), and
/// no `(from, to)` pair twice (`SAR→USD` and `USD→SAR` are two pairs and may both be
/// given). Lookup is by the direct pair only — see the [module docs](self).
///
/// JSON: an array of rates. Reading one validates it as [`RateTable::new`] does, so an
/// invalid table cannot exist; the error text is the [`CoreError::InvalidRate`] message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(try_from = "Vec<Rate>")]
pub struct RateTable {
    rates: Vec<Rate>,
}

impl RateTable {
    /// A table of `rates`, in the order given, after validating them.
    ///
    /// # Errors
    /// [`CoreError::InvalidRate`] naming the first offending pair: more than
    /// [`MAX_RATES`] rates (the pair is the first one past the limit), `from == to`, a
    /// rate `≤ 0`, an empty, blank or too long source, or a pair already given.
    pub fn new(rates: Vec<Rate>) -> Result<Self, CoreError> {
        validate(&rates)?;
        Ok(RateTable { rates })
    }

    /// The rates, in the order given.
    pub fn rates(&self) -> &[Rate] {
        &self.rates
    }

    /// The rate from `from` to `to`: the table's entry for exactly that pair, or rate 1
    /// with source [`IDENTITY_SOURCE`] when `from == to`. No inverse, no cross rate.
    ///
    /// # Errors
    /// [`CoreError::RateNotFound`] with the pair when the table has no entry for it.
    pub fn lookup(&self, from: Currency, to: Currency) -> Result<Rate, CoreError> {
        if from == to {
            return Ok(Rate {
                from,
                to,
                rate: Decimal::ONE,
                source: IDENTITY_SOURCE.to_owned(),
            });
        }
        self.rates
            .iter()
            .find(|r| r.from == from && r.to == to)
            .cloned()
            .ok_or_else(|| CoreError::RateNotFound {
                from: from.code().to_owned(),
                to: to.code().to_owned(),
            })
    }
}

impl TryFrom<Vec<Rate>> for RateTable {
    type Error = CoreError;
    fn try_from(rates: Vec<Rate>) -> Result<Self, CoreError> {
        RateTable::new(rates)
    }
}

impl Serialize for RateTable {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.rates.serialize(serializer)
    }
}

fn validate(rates: &[Rate]) -> Result<(), CoreError> {
    let invalid = |r: &Rate, reason: String| CoreError::InvalidRate {
        from: r.from.code().to_owned(),
        to: r.to.code().to_owned(),
        reason,
    };
    if let Some(extra) = rates.get(MAX_RATES) {
        return Err(invalid(
            extra,
            format!(
                "the table has {} rates, more than the limit of {MAX_RATES}",
                rates.len()
            ),
        ));
    }
    let mut seen = BTreeSet::new();
    for r in rates {
        if r.from == r.to {
            return Err(invalid(
                r,
                "a rate from a currency to itself is not accepted (identity needs no rate)".into(),
            ));
        }
        if r.rate <= Decimal::ZERO {
            return Err(invalid(
                r,
                format!(
                    "rate {} is not positive (units of {} per 1 {} must be > 0)",
                    r.rate, r.to, r.from
                ),
            ));
        }
        let chars = r.source.chars().count();
        if chars > MAX_SOURCE_CHARS {
            return Err(invalid(
                r,
                format!("source has {chars} characters, more than the limit of {MAX_SOURCE_CHARS}"),
            ));
        }
        if r.source.trim().is_empty() {
            return Err(invalid(r, "source is empty".into()));
        }
        if !seen.insert((r.from, r.to)) {
            return Err(invalid(r, "the pair is given more than once".into()));
        }
    }
    Ok(())
}

/// An amount converted through a [`RateTable`], with the rate and source that made it.
///
/// JSON: `{"amount": {"amount": "4798.11", "currency": "USD"}, "rate": "0.2666",
/// "source": "SAMA-2026-11-22"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Converted {
    /// The converted amount, rounded once to the target currency's minor unit (at that
    /// scale: `"4798.11"` USD, `"19304"` JPY, `"1.535"` KWD).
    pub amount: Money,
    /// The rate used: units of the target currency per one unit of the source currency.
    #[serde(with = "crate::decimal_string")]
    pub rate: Decimal,
    /// The rate's source id ([`IDENTITY_SOURCE`] for a currency to itself).
    pub source: String,
}

/// Converts `amount` to `to` with the table's rate for the pair, rounding the exact
/// product `amount × rate` once to `to`'s ISO 4217 minor unit with `mode`.
///
/// `amount` may have any scale (it is not rounded first) and any sign (a refund converts
/// to the negation of the charge's conversion: both modes are symmetric about zero).
///
/// # Errors
/// * [`CoreError::RateNotFound`] — no entry for `(amount.currency, to)` (lookup is by the
///   direct pair only: no inverse, no cross rate);
/// * [`CoreError::Overflow`] (`operation: "convert"`) — the rounded result is past
///   `Decimal`'s range.
pub fn convert(
    amount: Money,
    to: Currency,
    table: &RateTable,
    mode: RoundingMode,
) -> Result<Converted, CoreError> {
    let rate = table.lookup(amount.currency, to)?;
    let value = mul_round(amount.amount, rate.rate, to.exponent(), mode)?;
    Ok(Converted {
        amount: Money::new(value, to),
        rate: rate.rate,
        source: rate.source,
    })
}

/// `a × b` rounded once to `places` decimal places with `mode`, computed exactly
/// ([`crate::exact::round_ratio`]). The result is at scale `places`, and zero is never
/// negative.
fn mul_round(
    a: Decimal,
    b: Decimal,
    places: u32,
    mode: RoundingMode,
) -> Result<Decimal, CoreError> {
    crate::exact::round_ratio(&[a, b], &[], places, mode, "convert")
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;
    use num_integer::Integer;
    use num_traits::ToPrimitive;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn cur(c: &str) -> Currency {
        Currency::from_code(c).unwrap()
    }

    fn m(a: &str, c: &str) -> Money {
        Money::new(d(a), cur(c))
    }

    fn rate(from: &str, to: &str, r: &str, source: &str) -> Rate {
        Rate {
            from: cur(from),
            to: cur(to),
            rate: d(r),
            source: source.into(),
        }
    }

    fn table() -> RateTable {
        RateTable::new(vec![
            rate("SAR", "USD", "0.2666", "SAMA-2026-11-22"),
            rate("USD", "JPY", "156.374", "ECB-2026-11-22"),
            rate("SAR", "JPY", "41.6789", "ECB-2026-11-22"),
            rate("USD", "KWD", "0.3069", "CBK-2026-11-22"),
            rate("EUR", "USD", "0.9757281553398058252427184466", "TEST-LONG"),
        ])
        .unwrap()
    }

    const HALF_UP: RoundingMode = RoundingMode::HalfAwayFromZero;
    const EVEN: RoundingMode = RoundingMode::HalfEven;

    #[test]
    fn sar_to_usd_is_rounded_once() {
        // 17997.41 × 0.2666 = 4798.109506 exactly → 4798.11.
        let c = convert(m("17997.41", "SAR"), cur("USD"), &table(), HALF_UP).unwrap();
        assert_eq!(c.amount, m("4798.11", "USD"));
        assert_eq!(c.amount.amount.to_string(), "4798.11");
        assert_eq!(c.rate, d("0.2666"));
        assert_eq!(c.source, "SAMA-2026-11-22");
        // A refund converts to the negation of the charge.
        let r = convert(m("-17997.41", "SAR"), cur("USD"), &table(), HALF_UP).unwrap();
        assert_eq!(r.amount.amount.to_string(), "-4798.11");
    }

    #[test]
    fn jpy_has_no_decimals() {
        // 123.45 × 156.374 = 19304.3703 → 19304; 17997.41 × 41.6789 = 750112.251649 → 750112.
        let c = convert(m("123.45", "USD"), cur("JPY"), &table(), HALF_UP).unwrap();
        assert_eq!(c.amount.amount.to_string(), "19304");
        let c = convert(m("17997.41", "SAR"), cur("JPY"), &table(), EVEN).unwrap();
        assert_eq!(c.amount.amount.to_string(), "750112");
        // 0.01 USD is 1.56374 JPY → 2.
        let c = convert(m("0.01", "USD"), cur("JPY"), &table(), HALF_UP).unwrap();
        assert_eq!(c.amount.amount.to_string(), "2");
    }

    #[test]
    fn kwd_midpoint_follows_the_mode() {
        // 5.00 × 0.3069 = 1.5345 exactly: a midpoint at the third decimal.
        let up = convert(m("5.00", "USD"), cur("KWD"), &table(), HALF_UP).unwrap();
        let even = convert(m("5.00", "USD"), cur("KWD"), &table(), EVEN).unwrap();
        assert_eq!(up.amount.amount.to_string(), "1.535");
        assert_eq!(even.amount.amount.to_string(), "1.534");
        let neg = convert(m("-5.00", "USD"), cur("KWD"), &table(), HALF_UP).unwrap();
        assert_eq!(neg.amount.amount.to_string(), "-1.535");
        // Whole amounts are written at the currency's scale.
        let c = convert(m("100", "USD"), cur("KWD"), &table(), HALF_UP).unwrap();
        assert_eq!(c.amount.amount.to_string(), "30.690");
    }

    #[test]
    fn no_intermediate_rounding_beyond_decimal_precision() {
        // 1.03 × 0.9757281553398058252427184466 = 1.004999999999999999999999999998 exactly
        // (30 places): `Decimal`'s own multiplication rounds that to 1.0050000…, a false
        // midpoint that half-away-from-zero would take to 1.01. The exact product is below
        // the midpoint: 1.00.
        let naive = d("1.03")
            .checked_mul(d("0.9757281553398058252427184466"))
            .unwrap();
        assert_eq!(HALF_UP.round_dp(naive, 2).to_string(), "1.01");
        let c = convert(m("1.03", "EUR"), cur("USD"), &table(), HALF_UP).unwrap();
        assert_eq!(c.amount.amount.to_string(), "1.00");
        // Large amounts whose product leaves u128 go through big integers.
        let big = m("79228162514264.337593543950335", "EUR");
        let c = convert(big, cur("USD"), &table(), HALF_UP).unwrap();
        assert_eq!(c.amount.amount.to_string(), "77305148861005.49");
    }

    #[test]
    fn missing_pair_is_named_and_never_inverted() {
        let err = convert(m("10.00", "USD"), cur("SAR"), &table(), HALF_UP).unwrap_err();
        assert_eq!(
            err,
            CoreError::RateNotFound {
                from: "USD".into(),
                to: "SAR".into()
            }
        );
        assert_eq!(err.code(), "RATE_NOT_FOUND");
        assert_eq!(
            err.to_string(),
            "no exchange rate from USD to SAR in the rate table"
        );
        // No cross rate either: SAR→USD and USD→KWD do not make SAR→KWD.
        let err = convert(m("10.00", "SAR"), cur("KWD"), &table(), HALF_UP).unwrap_err();
        assert_eq!(err.code(), "RATE_NOT_FOUND");
        let empty = RateTable::default();
        assert_eq!(
            convert(m("1", "SAR"), cur("USD"), &empty, HALF_UP)
                .unwrap_err()
                .code(),
            "RATE_NOT_FOUND"
        );
    }

    #[test]
    fn identity_needs_no_rate() {
        let c = convert(
            m("17997.415", "SAR"),
            cur("SAR"),
            &RateTable::default(),
            EVEN,
        )
        .unwrap();
        assert_eq!(c.amount, m("17997.42", "SAR"));
        assert_eq!(c.rate, Decimal::ONE);
        assert_eq!(c.source, IDENTITY_SOURCE);
        let c = convert(m("12.5", "KWD"), cur("KWD"), &table(), HALF_UP).unwrap();
        assert_eq!(c.amount.amount.to_string(), "12.500");
    }

    #[test]
    fn invalid_tables_are_refused_with_the_pair() {
        let invalid = |rates: Vec<Rate>| RateTable::new(rates).unwrap_err();
        let err = invalid(vec![
            rate("SAR", "USD", "0.2666", "A"),
            rate("SAR", "USD", "0.2667", "B"),
        ]);
        assert_eq!(
            err,
            CoreError::InvalidRate {
                from: "SAR".into(),
                to: "USD".into(),
                reason: "the pair is given more than once".into()
            }
        );
        assert_eq!(err.code(), "INVALID_RATE");
        // Both directions are two pairs.
        RateTable::new(vec![
            rate("SAR", "USD", "0.2666", "A"),
            rate("USD", "SAR", "3.75", "A"),
        ])
        .unwrap();
        for r in [
            rate("SAR", "USD", "0", "A"),
            rate("SAR", "USD", "-0.2666", "A"),
            rate("SAR", "SAR", "1", "A"),
            rate("SAR", "USD", "0.2666", ""),
            rate("SAR", "USD", "0.2666", "   "),
            rate("SAR", "USD", "0.2666", &"x".repeat(MAX_SOURCE_CHARS + 1)),
        ] {
            assert_eq!(invalid(vec![r.clone()]).code(), "INVALID_RATE", "{r:?}");
        }
        assert!(invalid(vec![rate("SAR", "USD", "0", "A")])
            .to_string()
            .contains("not positive"));
        // 128 characters (not bytes) are accepted.
        RateTable::new(vec![rate("SAR", "USD", "1", &"ر".repeat(MAX_SOURCE_CHARS))]).unwrap();
    }

    #[test]
    fn size_limit() {
        let codes: Vec<Currency> = [
            "USD", "EUR", "GBP", "AED", "EGP", "BDT", "JPY", "KWD", "BHD", "OMR", "JOD", "TND",
            "QAR", "SAR", "INR",
        ]
        .iter()
        .map(|c| cur(c))
        .collect();
        let mut rates = Vec::new();
        for f in &codes {
            for t in &codes {
                if f != t {
                    rates.push(Rate {
                        from: *f,
                        to: *t,
                        rate: Decimal::ONE,
                        source: "A".into(),
                    });
                }
            }
        }
        assert_eq!(rates.len(), 210);
        let ok = rates[..MAX_RATES].to_vec();
        assert_eq!(RateTable::new(ok).unwrap().rates().len(), MAX_RATES);
        let err = RateTable::new(rates).unwrap_err();
        assert_eq!(err.code(), "INVALID_RATE");
        assert!(
            err.to_string()
                .contains("210 rates, more than the limit of 200"),
            "{err}"
        );
    }

    #[test]
    fn json_shape() {
        let json = r#"[{"from":"SAR","to":"USD","rate":"0.2666","source":"SAMA-2026-11-22"}]"#;
        let t: RateTable = serde_json::from_str(json).unwrap();
        assert_eq!(
            t.rates(),
            &[rate("SAR", "USD", "0.2666", "SAMA-2026-11-22")]
        );
        assert_eq!(serde_json::to_string(&t).unwrap(), json);
        // Validated on the way in; rates are decimal strings; no unknown fields.
        for bad in [
            r#"[{"from":"SAR","to":"USD","rate":"0","source":"A"}]"#,
            r#"[{"from":"SAR","to":"USD","rate":0.2666,"source":"A"}]"#,
            r#"[{"from":"SAR","to":"USD","rate":"0.2666","source":"A","inverse":"3.75"}]"#,
            r#"[{"from":"SAR","to":"USD","rate":"0.2666"}]"#,
        ] {
            assert!(serde_json::from_str::<RateTable>(bad).is_err(), "{bad}");
        }
        let c = convert(m("17997.41", "SAR"), cur("USD"), &t, HALF_UP).unwrap();
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            r#"{"amount":{"amount":"4798.11","currency":"USD"},"rate":"0.2666","source":"SAMA-2026-11-22"}"#
        );
    }

    #[test]
    fn overflow_is_an_error() {
        let t = RateTable::new(vec![rate("SAR", "USD", "1000", "A")]).unwrap();
        let max = Money::new(Decimal::MAX, cur("SAR"));
        let err = convert(max, cur("USD"), &t, HALF_UP).unwrap_err();
        assert_eq!(
            err,
            CoreError::Overflow {
                operation: "convert"
            }
        );
        // The largest amount at rate 1 still fits (at scale 0 it cannot take decimals).
        let t = RateTable::new(vec![rate("SAR", "JPY", "1", "A")]).unwrap();
        let c = convert(max, cur("JPY"), &t, HALF_UP).unwrap();
        assert_eq!(c.amount.amount, Decimal::MAX);
    }

    fn currency() -> impl Strategy<Value = Currency> {
        prop::sample::select(vec!["SAR", "USD", "KWD", "BHD", "JPY", "KRW", "EGP", "TND"])
            .prop_map(cur)
    }

    fn mode() -> impl Strategy<Value = RoundingMode> {
        prop::sample::select(vec![HALF_UP, EVEN])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// The conversion is exact before its one rounding: it is within half a minor unit
        /// of `amount × rate` (computed here in `Decimal`, exact at these sizes), exactly
        /// half only on a midpoint rounded per the mode, and written at the target scale.
        #[test]
        fn conversion_is_exact_before_rounding(
            units in -1_000_000_000_000i64..1_000_000_000_000,
            amount_scale in 0u32..=3,
            rate_units in 1u64..1_000_000_000_000,
            rate_scale in 0u32..=12,
            from in currency(),
            to in currency(),
            mode in mode(),
        ) {
            prop_assume!(from != to);
            let amount = Money::new(Decimal::new(units, amount_scale), from);
            let r = Decimal::new(i64::try_from(rate_units).unwrap(), rate_scale);
            let t = RateTable::new(vec![Rate { from, to, rate: r, source: "P".into() }]).unwrap();
            let c = convert(amount, to, &t, mode).unwrap();
            let exact = amount.amount.checked_mul(r).unwrap();
            let half = Decimal::new(5, to.exponent() + 1);
            let diff = (c.amount.amount - exact).abs();
            prop_assert!(diff <= half, "{amount} × {r} = {exact} → {}", c.amount);
            prop_assert_eq!(c.amount.amount.scale(), to.exponent());
            prop_assert_eq!(c.amount.amount, mode.round_to_minor(exact, to));
            // Symmetric: the negated amount converts to the negated result.
            let neg = convert(Money::new(-amount.amount, from), to, &t, mode).unwrap();
            prop_assert_eq!(neg.amount.amount, -c.amount.amount);
        }

        /// Beyond `Decimal`'s precision the big-integer path agrees with a reference
        /// computed by long multiplication in `u128` pieces.
        #[test]
        fn big_products_match_the_reference(
            hi in 0u64..u64::MAX,
            lo in 0u32..u32::MAX,
            amount_scale in 0u32..=28,
            rate_units in 1u64..u64::MAX,
            rate_scale in 0u32..=28,
            mode in mode(),
        ) {
            let mantissa = (i128::from(hi) << 32) | i128::from(lo);
            let a = Decimal::from_i128_with_scale(mantissa, amount_scale);
            let r = Decimal::from_i128_with_scale(i128::from(rate_units), rate_scale);
            let places = 2;
            if let Ok(v) = mul_round(a, r, places, mode) {
                // Reference: exact product as BigUint, rounded by a second route.
                let p = BigUint::from(mantissa as u128) * BigUint::from(rate_units);
                let scale = amount_scale + rate_scale;
                let scaled = p * BigUint::from(10u32).pow(places) * 2u32;
                let den = BigUint::from(10u32).pow(scale);
                let (q2, r2) = scaled.div_rem(&den);
                // q2 = floor(2x); x = q2/2 + …
                let floor_x = &q2 / 2u32;
                let frac_twice_is_one = q2.is_odd();
                let exact_half = frac_twice_is_one && r2 == BigUint::from(0u32);
                let above_half = frac_twice_is_one && !exact_half;
                let expected = if above_half
                    || (exact_half && (mode == HALF_UP || floor_x.is_odd()))
                {
                    floor_x + 1u32
                } else {
                    floor_x
                };
                prop_assert_eq!(v.mantissa() as u128, expected.to_u128().unwrap());
                prop_assert_eq!(v.scale(), places);
            }
        }
    }
}
