//! Exact products and ratios of decimals, rounded once.
//!
//! `rust_decimal`'s checked operations keep at most 28 significant digits: when the
//! exact product of two decimals needs more, they round it silently (to the nearest,
//! ties to even), and a later rounding to a currency's minor unit then rounds a second
//! time — which can move an amount by one minor unit (a *double rounding*). A
//! percentage formed as `base × percent` before the `÷ 100` can also overflow although
//! the answer is representable.
//!
//! [`round_ratio`] avoids both: it computes `Π numerators ÷ Π denominators` exactly, on
//! the integer mantissas (in `u128` when every step fits — all realistic amounts do —
//! else in big integers), and rounds **once** to the requested number of decimal places
//! with the named [`RoundingMode`]. Every answer that `Decimal` can hold is returned; only
//! an answer past its range is [`CoreError::Overflow`].

use crate::{CoreError, Currency, RoundingMode};
use num_bigint::BigUint;
use num_integer::Integer;
use num_traits::{ToPrimitive, Zero};
use rust_decimal::Decimal;
use std::cmp::Ordering;

/// Most factors in a numerator or a denominator (a bound on the work of one call).
pub const MAX_FACTORS: usize = 8;

/// `Π numerators ÷ Π denominators`, computed exactly and rounded once to `places`
/// decimal places (0–28) with `mode`. The result is at scale `places`, and a zero result
/// is never negative. An empty product is 1.
///
/// # Errors
/// [`CoreError::Overflow`] (operation `"division by zero"`) when a denominator is zero;
/// [`CoreError::Overflow`] (operation `operation`) when the rounded result is past
/// `Decimal`'s range, when `places` > 28, or when a side has more than [`MAX_FACTORS`]
/// factors.
///
/// ```
/// # use rihla_core::{exact::round_ratio, Decimal, RoundingMode};
/// // 10 % of the largest Decimal: `base × 10` alone would overflow.
/// let (ten, hundred) = (Decimal::from(10), Decimal::from(100));
/// let r = round_ratio(&[Decimal::MAX, ten], &[hundred], 0, RoundingMode::default(), "percentage")?;
/// assert_eq!(r.to_string(), "7922816251426433759354395034");
/// // 2/3 of 1.00 (`Decimal::new(100, 2)`), rounded once at 2 places.
/// let (one, two, three) = (Decimal::new(100, 2), Decimal::from(2), Decimal::from(3));
/// assert_eq!(round_ratio(&[one, two], &[three], 2, RoundingMode::default(), "x")?.to_string(), "0.67");
/// # Ok::<(), rihla_core::CoreError>(())
/// ```
pub fn round_ratio(
    numerators: &[Decimal],
    denominators: &[Decimal],
    places: u32,
    mode: RoundingMode,
    operation: &'static str,
) -> Result<Decimal, CoreError> {
    ratio(
        numerators,
        denominators,
        places,
        Rule::Nearest(mode),
        operation,
    )
}

/// `Π numerators ÷ Π denominators`, computed exactly and cut (rounded toward zero) to
/// `places` decimal places: `floor` for a non-negative ratio, as points are counted
/// (`floor(amount / points_unit)`).
///
/// # Errors
/// As [`round_ratio`].
pub fn trunc_ratio(
    numerators: &[Decimal],
    denominators: &[Decimal],
    places: u32,
    operation: &'static str,
) -> Result<Decimal, CoreError> {
    ratio(
        numerators,
        denominators,
        places,
        Rule::TowardZero,
        operation,
    )
}

/// How the exact ratio is brought to its places.
#[derive(Clone, Copy)]
enum Rule {
    Nearest(RoundingMode),
    TowardZero,
}

fn ratio(
    numerators: &[Decimal],
    denominators: &[Decimal],
    places: u32,
    mode: Rule,
    operation: &'static str,
) -> Result<Decimal, CoreError> {
    let overflow = || CoreError::Overflow { operation };
    if places > 28 || numerators.len() > MAX_FACTORS || denominators.len() > MAX_FACTORS {
        return Err(overflow());
    }
    if denominators.iter().any(Decimal::is_zero) {
        return Err(CoreError::Overflow {
            operation: "division by zero",
        });
    }
    let negative = numerators
        .iter()
        .chain(denominators)
        .filter(|d| d.is_sign_negative() && !d.is_zero())
        .count()
        % 2
        == 1;
    // value × 10^places = (Π mn × 10^k) / Π md with k = places + Σ scale(d) − Σ scale(n).
    // At most MAX_FACTORS scales of at most 28 each: the sums are small.
    let scale_of = |ds: &[Decimal]| {
        ds.iter()
            .fold(0i64, |a, d| a.saturating_add(i64::from(d.scale())))
    };
    let k = i64::from(places)
        .saturating_add(scale_of(denominators))
        .saturating_sub(scale_of(numerators));
    let units = match small(numerators, denominators, k, mode) {
        Some(u) => u,
        None => big(numerators, denominators, k, mode)
            .to_u128()
            .ok_or_else(overflow)?,
    };
    let units = i128::try_from(units).map_err(|_| overflow())?;
    let signed = if negative {
        units.saturating_neg()
    } else {
        units
    };
    let mut value = Decimal::try_from_i128_with_scale(signed, places).map_err(|_| overflow())?;
    if value.is_zero() {
        value.set_sign_positive(true);
    }
    Ok(value)
}

/// Most terms of [`round_sum_of_ratios`].
pub const MAX_TERMS: usize = 1 << 20;

/// `factor × Σ nᵢ / dᵢ` over `terms = [(nᵢ, dᵢ)]`, computed exactly (as one fraction over
/// the least common multiple of the denominators) and rounded once to `places` with
/// `mode`: what a document-level tax total is when its units divide by different rates
/// (tax-inclusive extraction, `rate × Σ baseᵢ / (100 + the unit's inclusive rates)`).
///
/// # Errors
/// [`CoreError::Overflow`] as for [`round_ratio`] (a zero denominator, a result past
/// `Decimal`'s range, `places` > 28, more than [`MAX_TERMS`] terms).
// Big integers cannot overflow; every denominator was checked to be non-zero.
#[allow(clippy::arithmetic_side_effects)]
pub fn round_sum_of_ratios(
    terms: &[(Decimal, Decimal)],
    factor: Decimal,
    places: u32,
    mode: RoundingMode,
    operation: &'static str,
) -> Result<Decimal, CoreError> {
    use num_bigint::BigInt;
    use num_traits::Signed;
    let overflow = || CoreError::Overflow { operation };
    if places > 28 || terms.len() > MAX_TERMS {
        return Err(overflow());
    }
    // Equal denominators first: their numerators add exactly.
    let mut by_den: std::collections::BTreeMap<Decimal, Decimal> =
        std::collections::BTreeMap::new();
    for (n, d) in terms {
        if d.is_zero() {
            return Err(CoreError::Overflow {
                operation: "division by zero",
            });
        }
        let key = d.normalize();
        let sum = by_den.entry(key).or_insert(Decimal::ZERO);
        *sum = sum.checked_add(*n).ok_or_else(overflow)?;
    }
    let int = |d: &Decimal| BigInt::from(d.mantissa());
    let pow10 = |e: u32| BigInt::from(10u32).pow(e);
    // num/den = (mn × 10^sd) / (md × 10^sn); accumulate N / D over the lcm of the D's.
    let (mut num, mut den) = (BigInt::from(0u32), BigInt::from(1u32));
    for (d, n) in &by_den {
        let tn = int(n) * pow10(d.scale());
        let td = int(d) * pow10(n.scale());
        let g = den.gcd(&td);
        let lcm = &den / &g * &td;
        num = num * (&lcm / &den) + tn * (&lcm / &td);
        den = lcm;
    }
    num *= int(&factor);
    den *= pow10(factor.scale());
    if den.is_negative() {
        num = -num;
        den = -den;
    }
    let negative = num.is_negative();
    let scaled = num.abs() * pow10(places);
    let (q, r) = scaled.div_rem(&den);
    let twice: BigInt = r * 2u32;
    let q = if rounds_up(twice.cmp(&den), q.is_odd(), Rule::Nearest(mode)) {
        q + 1u32
    } else {
        q
    };
    let units = q.to_i128().ok_or_else(overflow)?;
    let signed = if negative { -units } else { units };
    let mut value = Decimal::try_from_i128_with_scale(signed, places).map_err(|_| overflow())?;
    if value.is_zero() {
        value.set_sign_positive(true);
    }
    Ok(value)
}

/// `a × b` when `Decimal` holds it exactly; never a silently rounded product.
///
/// For the intermediates of a computation that is rounded once at its end (a charter's
/// flight charge: rate × hours × demand multiplier): a product that would need more
/// than 28 digits is refused rather than rounded, so the final rounding stays the only
/// one. Trailing zeros are dropped before giving up, so `1.50 × 2.0` at any scale works.
///
/// # Errors
/// [`CoreError::Overflow`] (operation `operation`) when the exact product does not fit.
pub fn mul_exact(a: Decimal, b: Decimal, operation: &'static str) -> Result<Decimal, CoreError> {
    if a.is_zero() || b.is_zero() {
        // Decimal drops a zero product's scale; keep it (`0.00 × 1.5 = 0.000`).
        let mut zero = Decimal::ZERO;
        zero.rescale(a.scale().saturating_add(b.scale()).min(28));
        return Ok(zero);
    }
    let exact = |a: Decimal, b: Decimal| {
        a.checked_mul(b)
            .filter(|p| Some(p.scale()) == a.scale().checked_add(b.scale()))
    };
    exact(a, b)
        .or_else(|| exact(a.normalize(), b.normalize()))
        .ok_or(CoreError::Overflow { operation })
}

/// [`round_ratio`] at the minor unit of `currency` (its ISO 4217 exponent).
///
/// # Errors
/// As [`round_ratio`].
pub fn round_ratio_to_minor(
    numerators: &[Decimal],
    denominators: &[Decimal],
    currency: Currency,
    mode: RoundingMode,
    operation: &'static str,
) -> Result<Decimal, CoreError> {
    round_ratio(
        numerators,
        denominators,
        currency.exponent(),
        mode,
        operation,
    )
}

/// `round(q + r/d)`: whether the quotient `q` of a division by `d` with remainder `r`
/// rounds away from zero, given how `2r` compares with `d` and whether `q` is odd.
fn rounds_up(twice_remainder_vs_divisor: Ordering, q_is_odd: bool, mode: Rule) -> bool {
    let Rule::Nearest(mode) = mode else {
        return false;
    };
    match twice_remainder_vs_divisor {
        Ordering::Less => false,
        Ordering::Greater => true,
        Ordering::Equal => match mode {
            RoundingMode::HalfAwayFromZero => true,
            RoundingMode::HalfEven => q_is_odd,
        },
    }
}

fn pow10_u128(e: u32) -> Option<u128> {
    10u128.checked_pow(e)
}

/// The rounded magnitude in `u128`, or `None` when some step does not fit.
fn small(num: &[Decimal], den: &[Decimal], k: i64, mode: Rule) -> Option<u128> {
    let product = |ds: &[Decimal]| {
        ds.iter()
            .try_fold(1u128, |acc, d| acc.checked_mul(d.mantissa().unsigned_abs()))
    };
    let (mut n, mut d) = (product(num)?, product(den)?);
    let shift = pow10_u128(u32::try_from(k.unsigned_abs()).ok()?)?;
    if k >= 0 {
        n = n.checked_mul(shift)?;
    } else {
        d = d.checked_mul(shift)?;
    }
    let (q, r) = n.div_rem(&d);
    let up = rounds_up(r.checked_mul(2)?.cmp(&d), q.is_odd(), mode);
    if up {
        q.checked_add(1)
    } else {
        Some(q)
    }
}

/// [`small`] in big integers (cannot overflow; `k` is within ±(28 × 2 × 8 + 28)).
// Big integers cannot overflow; the denominators were checked to be non-zero.
#[allow(clippy::arithmetic_side_effects)]
fn big(num: &[Decimal], den: &[Decimal], k: i64, mode: Rule) -> BigUint {
    let product = |ds: &[Decimal]| {
        ds.iter().fold(BigUint::from(1u32), |acc, d| {
            acc * BigUint::from(d.mantissa().unsigned_abs())
        })
    };
    let (mut n, mut d) = (product(num), product(den));
    let shift = BigUint::from(10u32).pow(u32::try_from(k.unsigned_abs()).unwrap_or(0));
    if k >= 0 {
        n *= shift;
    } else {
        d *= shift;
    }
    if d.is_zero() {
        return BigUint::zero();
    }
    let (q, r) = n.div_rem(&d);
    let twice: BigUint = r * 2u32;
    if rounds_up(twice.cmp(&d), q.is_odd(), mode) {
        q + 1u32
    } else {
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    const UP: RoundingMode = RoundingMode::HalfAwayFromZero;
    const EVEN: RoundingMode = RoundingMode::HalfEven;

    #[test]
    fn rounds_once_at_the_requested_places() {
        let r = |n: &[&str], dn: &[&str], p, m| {
            let n: Vec<Decimal> = n.iter().map(|s| d(s)).collect();
            let dn: Vec<Decimal> = dn.iter().map(|s| d(s)).collect();
            round_ratio(&n, &dn, p, m, "test").unwrap().to_string()
        };
        assert_eq!(r(&["2.345"], &[], 2, UP), "2.35");
        assert_eq!(r(&["2.345"], &[], 2, EVEN), "2.34");
        assert_eq!(r(&["-2.345"], &[], 2, UP), "-2.35");
        assert_eq!(r(&["1850.00", "75"], &["100"], 2, UP), "1387.50");
        assert_eq!(r(&["-0.004"], &[], 2, UP), "0.00");
        assert_eq!(r(&["100.00", "15"], &["115"], 2, UP), "13.04");
        assert_eq!(r(&["1"], &["-3"], 3, UP), "-0.333");
        assert_eq!(r(&["12"], &[], 3, UP), "12.000");
    }

    #[test]
    fn no_double_rounding_past_28_digits() {
        // The exact product is 0.49999…9 (56 digits); Decimal keeps 28 and rounds it up to
        // 0.5000…0, which a second rounding to units takes to 1. Rounded once: 0.
        let x = d("0.4999999999999999999999999999");
        let y = d("1.0000000000000000000000000002");
        let naive = UP.round_dp(x.checked_mul(y).unwrap(), 0);
        assert_eq!(naive.to_string(), "1");
        assert_eq!(
            round_ratio(&[x, y], &[], 0, UP, "t").unwrap().to_string(),
            "0"
        );
    }

    #[test]
    fn sums_of_ratios_round_once() {
        let t = |n: &str, dn: &str| (d(n), d(dn));
        // 15 × (100 / 117.5 + 200 / 115) = 12.7659… + 26.0869… = 38.8528…
        let terms = [t("100", "117.5"), t("200", "115")];
        assert_eq!(
            round_sum_of_ratios(&terms, d("15"), 2, UP, "t")
                .unwrap()
                .to_string(),
            "38.85"
        );
        // Thirds that add to a whole: rounding each would give 0.33 × 3 = 0.99.
        let thirds = [t("1", "3"), t("1", "3"), t("1", "3")];
        assert_eq!(
            round_sum_of_ratios(&thirds, Decimal::ONE, 2, UP, "t")
                .unwrap()
                .to_string(),
            "1.00"
        );
        let halves = [t("1", "4"), t("1", "4"), t("0.5", "1")];
        assert_eq!(
            round_sum_of_ratios(&halves, Decimal::ONE, 0, EVEN, "t")
                .unwrap()
                .to_string(),
            "1"
        );
        assert_eq!(
            round_sum_of_ratios(&[t("-5", "2")], Decimal::ONE, 0, UP, "t")
                .unwrap()
                .to_string(),
            "-3"
        );
        assert_eq!(
            round_sum_of_ratios(&[], Decimal::ONE, 2, UP, "t")
                .unwrap()
                .to_string(),
            "0.00"
        );
        assert!(round_sum_of_ratios(&[t("1", "0")], Decimal::ONE, 2, UP, "t").is_err());
        // The same as round_ratio for one term.
        assert_eq!(
            round_sum_of_ratios(&[t("10.05", "1.15")], Decimal::ONE, 2, UP, "t").unwrap(),
            round_ratio(&[d("10.05")], &[d("1.15")], 2, UP, "t").unwrap()
        );
    }

    #[test]
    fn trunc_cuts_toward_zero() {
        assert_eq!(
            trunc_ratio(&[d("17997.41")], &[d("10")], 0, "t").unwrap(),
            d("1799")
        );
        assert_eq!(
            trunc_ratio(&[d("1799"), d("1.50")], &[], 0, "t").unwrap(),
            d("2698")
        );
        assert_eq!(trunc_ratio(&[d("-2.9")], &[], 0, "t").unwrap(), d("-2"));
        // Just below an integer by less than Decimal's last digit: still cut down.
        let unit = d("0.3333333333333333333333333333");
        assert_eq!(trunc_ratio(&[d("1")], &[unit], 0, "t").unwrap(), d("3"));
        assert_eq!(
            trunc_ratio(&[d("0.9999999999999999999999999999")], &[], 0, "t").unwrap(),
            d("0")
        );
    }

    #[test]
    fn mul_exact_refuses_what_decimal_would_round() {
        assert_eq!(
            mul_exact(d("1.50"), d("2.0"), "t").unwrap().to_string(),
            "3.000"
        );
        let x = d("0.4999999999999999999999999999");
        let y = d("1.0000000000000000000000000002");
        assert_eq!(
            mul_exact(x, y, "charter").unwrap_err(),
            CoreError::Overflow {
                operation: "charter"
            }
        );
        // Scale 16 + 16 > 28, but the trailing zeros go: exact.
        let a = d("2.5000000000000000");
        assert_eq!(mul_exact(a, a, "t").unwrap(), d("6.25"));
        assert!(mul_exact(Decimal::MAX, d("2"), "t").is_err());
    }

    #[test]
    fn a_percentage_of_a_large_amount_is_returned() {
        let max = Decimal::MAX;
        assert!(max.checked_mul(d("10")).is_none());
        let r = round_ratio(&[max, d("10")], &[d("100")], 0, UP, "percentage").unwrap();
        assert_eq!(r, d("7922816251426433759354395034"));
        let all = round_ratio(&[max, d("100")], &[d("100")], 0, UP, "percentage").unwrap();
        assert_eq!(all, max);
    }

    #[test]
    fn errors_are_typed() {
        assert_eq!(
            round_ratio(&[d("1")], &[d("0.00")], 2, UP, "t").unwrap_err(),
            CoreError::Overflow {
                operation: "division by zero"
            }
        );
        assert_eq!(
            round_ratio(&[Decimal::MAX, d("2")], &[], 0, UP, "fx").unwrap_err(),
            CoreError::Overflow { operation: "fx" }
        );
        assert_eq!(
            round_ratio(&[d("1")], &[], 29, UP, "t").unwrap_err().code(),
            "OVERFLOW"
        );
        assert!(round_ratio(&[d("1"); 9], &[], 2, UP, "t").is_err());
    }

    fn any_decimal() -> impl Strategy<Value = Decimal> {
        (any::<i64>(), 0u32..=12).prop_map(|(m, s)| Decimal::new(m, s))
    }

    proptest! {
        /// Where Decimal's own product is exact, one rounding of it is the answer.
        #[test]
        fn agrees_with_decimal_when_exact(a in any_decimal(), b in any_decimal(), p in 0u32..=6) {
            if let Some(prod) = a.checked_mul(b) {
                if prod.scale() == a.scale() + b.scale() {
                    for mode in [UP, EVEN] {
                        let mut want = mode.round_dp(prod, p);
                        want.rescale(p);
                        if want.is_zero() { want.set_sign_positive(true); }
                        prop_assert_eq!(round_ratio(&[a, b], &[], p, mode, "t").unwrap(), want);
                    }
                }
            }
        }

        /// `x × k ÷ k` is `x` rounded, and the big-integer path agrees with the small one.
        #[test]
        fn ratio_identities(a in any_decimal(), k in 1i64..1_000_000, p in 0u32..=4) {
            let k = Decimal::from(k);
            let want = round_ratio(&[a], &[], p, UP, "t").unwrap();
            prop_assert_eq!(round_ratio(&[a, k], &[k], p, UP, "t").unwrap(), want);
            let huge = d("79228162514264337593543950335");
            prop_assert_eq!(round_ratio(&[a, huge, huge], &[huge, huge], p, UP, "t").unwrap(), want);
        }
    }
}
