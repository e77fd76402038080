//! Largest-remainder allocation of an amount over weighted parts, on minor units.
//!
//! Splitting a discount over cart lines, a refund over payments or a price over
//! instalments must not create or lose a minor unit. [`allocate`] gives each part
//! `floor(total × wᵢ / Σw)` minor units, then hands the units left over, one each, to the
//! parts with the largest remainders (ties broken by line order: earlier first) — the
//! largest-remainder (Hamilton) method. Guarantees, each pinned by property tests:
//!
//! * the parts sum exactly to the total;
//! * each part is within one minor unit of its exact share (`floor` or `floor + 1`);
//! * a zero weight gets zero; with a non-negative total no part is negative;
//! * `allocate(−A) = −allocate(A)`, so a refund re-creates the split of the charge;
//! * O(n) time (selection, not sorting) and no unbounded loop, for any amount `Decimal`
//!   holds: exact integer arithmetic in `u128`, or in big integers when a product would
//!   not fit.

use crate::{CoreError, Money};
use num_bigint::BigUint;
use num_integer::Integer;
use num_traits::ToPrimitive;
use rust_decimal::Decimal;

/// Splits `total` over `weights` by largest remainder on the currency's minor units.
///
/// `weights` are non-negative decimals in any scale (line amounts, percentages, counts);
/// only their ratios matter. The result has one `Money` per weight, in order, each at
/// the currency's scale.
///
/// # Errors
/// * [`CoreError::NotMinorUnits`] — `total` has digits below the minor unit (round first);
/// * [`CoreError::InvalidWeights`] — no weights, a negative weight, or all weights zero
///   while the total is not zero;
/// * [`CoreError::Overflow`] — the total in minor units is past `Decimal`'s range.
///
/// ```
/// # use rihla_core::{allocate, Currency, Money, Decimal};
/// let sar = Currency::from_code("SAR")?;
/// let parts = allocate(Money::new(Decimal::new(1000, 2), sar), &[Decimal::ONE; 3])?;
/// let text: Vec<String> = parts.iter().map(|m| m.amount.to_string()).collect();
/// assert_eq!(text, ["3.34", "3.33", "3.33"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn allocate(total: Money, weights: &[Decimal]) -> Result<Vec<Money>, CoreError> {
    let units = total.to_minor_units()?;
    allocate_minor(units, weights)?
        .into_iter()
        .map(|u| Money::from_minor_units(u, total.currency))
        .collect()
}

/// [`allocate`] on a whole number of minor units: returns one count of minor units per
/// weight, summing exactly to `total_units`.
///
/// # Errors
/// [`CoreError::InvalidWeights`] as for [`allocate`].
pub fn allocate_minor(total_units: i128, weights: &[Decimal]) -> Result<Vec<i128>, CoreError> {
    if weights.is_empty() {
        return Err(CoreError::InvalidWeights {
            reason: "no weights to allocate over".into(),
        });
    }
    if let Some((i, w)) = weights
        .iter()
        .enumerate()
        .find(|(_, w)| w.is_sign_negative() && !w.is_zero())
    {
        return Err(CoreError::InvalidWeights {
            reason: format!("weight {i} is negative ({w})"),
        });
    }
    let magnitude = total_units.unsigned_abs();
    let parts = if weights.iter().all(|w| w.is_zero()) {
        if magnitude != 0 {
            return Err(CoreError::InvalidWeights {
                reason: format!(
                    "all {} weights are zero but the total is {total_units} minor units",
                    weights.len()
                ),
            });
        }
        vec![0u128; weights.len()]
    } else {
        split_magnitude(magnitude, weights)
    };
    parts
        .into_iter()
        .map(|p| {
            let p = i128::try_from(p).map_err(|_| CoreError::Overflow {
                operation: "allocate",
            })?;
            Ok(if total_units < 0 {
                p.saturating_neg()
            } else {
                p
            })
        })
        .collect()
}

/// Integer weights at a common scale, and the split of `t` over them.
fn split_magnitude(t: u128, weights: &[Decimal]) -> Vec<u128> {
    let scale = weights.iter().map(|w| w.scale()).max().unwrap_or(0);
    // Fast path: everything fits in u128 (all real-world amounts do).
    let small: Option<Vec<u128>> = weights
        .iter()
        .map(|w| {
            let m = w.mantissa().unsigned_abs();
            scale
                .checked_sub(w.scale())
                .and_then(|e| 10u128.checked_pow(e))
                .and_then(|f| m.checked_mul(f))
        })
        .collect();
    if let Some(ws) = small {
        let sum = ws.iter().try_fold(0u128, |acc, w| acc.checked_add(*w));
        if let Some(sum) = sum {
            if t.checked_mul(sum).is_some() {
                return largest_remainder(t, &ws, sum);
            }
        }
    }
    let ws: Vec<BigUint> = weights
        .iter()
        .map(|w| {
            let shift = BigUint::from(10u32).pow(scale.saturating_sub(w.scale()));
            // Big integers: a product cannot overflow.
            #[allow(clippy::arithmetic_side_effects)]
            let weight = BigUint::from(w.mantissa().unsigned_abs()) * shift;
            weight
        })
        .collect();
    let sum: BigUint = ws.iter().sum();
    largest_remainder(BigUint::from(t), &ws, sum)
}

/// The largest-remainder method over integer weights with `sum > 0`; `N` is `u128` when
/// `t × sum` fits, else `BigUint`. Every part is `≤ t`, so it fits in `u128`.
// `t × w ≤ t × sum`, which the caller checked fits (`u128`) or cannot overflow
// (`BigUint`); `sum > 0`, so the division is defined.
#[allow(clippy::arithmetic_side_effects)]
fn largest_remainder<N>(t: N, weights: &[N], sum: N) -> Vec<u128>
where
    N: Integer + Clone + ToPrimitive,
{
    let mut parts = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    let mut given: u128 = 0;
    for w in weights {
        let (q, r) = (t.clone() * w.clone()).div_rem(&sum);
        // q ≤ t ≤ u128::MAX by construction, so the conversion cannot fail.
        let q = q.to_u128().unwrap_or(0);
        given = given.saturating_add(q);
        parts.push(q);
        remainders.push(r);
    }
    let t_small = t.to_u128().unwrap_or(0);
    // Σ floor ≥ t − n + 1, so fewer than n units are left; each goes to one part.
    let left = usize::try_from(t_small.saturating_sub(given))
        .unwrap_or(0)
        .min(parts.len());
    if left > 0 {
        let mut order: Vec<usize> = (0..parts.len()).collect();
        let by_remainder =
            |a: &usize, b: &usize| remainders.get(*b).cmp(&remainders.get(*a)).then(a.cmp(b));
        if left < order.len() {
            order.select_nth_unstable_by(left.saturating_sub(1), by_remainder);
        }
        for i in order.iter().take(left) {
            if let Some(p) = parts.get_mut(*i) {
                *p = p.saturating_add(1);
            }
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn split(total: &str, cur: &str, weights: &[&str]) -> Vec<String> {
        let c = Currency::from_code(cur).unwrap();
        let ws: Vec<Decimal> = weights.iter().map(|w| d(w)).collect();
        allocate(Money::new(d(total), c), &ws)
            .unwrap()
            .iter()
            .map(|m| m.amount.to_string())
            .collect()
    }

    #[test]
    fn ten_riyals_over_three_equal_lines() {
        assert_eq!(
            split("10.00", "SAR", &["1", "1", "1"]),
            ["3.34", "3.33", "3.33"]
        );
        assert_eq!(
            split("-10.00", "SAR", &["1", "1", "1"]),
            ["-3.34", "-3.33", "-3.33"]
        );
    }

    #[test]
    fn proportional_with_largest_remainder() {
        // 100 over 3600 / 1350 / 180: exact 70.1754.. / 26.3157.. / 3.5087..: the two
        // largest remainders (.87, .57) take the two units left over.
        assert_eq!(
            split("100.00", "SAR", &["3600", "1350", "180"]),
            ["70.17", "26.32", "3.51"]
        );
        assert_eq!(split("1", "JPY", &["1", "1"]), ["1", "0"]);
        assert_eq!(
            split("0.005", "KWD", &["0.5", "0.25", "0.25"]),
            ["0.003", "0.001", "0.001"]
        );
    }

    #[test]
    fn zero_weights_get_zero() {
        assert_eq!(
            split("5.00", "USD", &["0", "2", "0", "3"]),
            ["0.00", "2.00", "0.00", "3.00"]
        );
        assert_eq!(split("0", "USD", &["0", "0"]), ["0.00", "0.00"]);
    }

    #[test]
    fn errors() {
        let sar = Currency::from_code("SAR").unwrap();
        let e = allocate(Money::new(d("1.005"), sar), &[Decimal::ONE]).unwrap_err();
        assert_eq!(e.code(), "NOT_MINOR_UNITS");
        let e = allocate(Money::new(d("1"), sar), &[]).unwrap_err();
        assert_eq!(e.code(), "INVALID_WEIGHTS");
        let e = allocate(Money::new(d("1"), sar), &[d("1"), d("-1")]).unwrap_err();
        assert_eq!(e.code(), "INVALID_WEIGHTS");
        let e = allocate(Money::new(d("1"), sar), &[d("0")]).unwrap_err();
        assert_eq!(e.code(), "INVALID_WEIGHTS");
    }

    #[test]
    fn huge_values_use_exact_big_integers() {
        let jpy = Currency::from_code("JPY").unwrap();
        let ws = [
            Decimal::MAX,
            Decimal::MAX,
            d("0.0000000000000000000000000001"),
        ];
        let parts = allocate(Money::new(Decimal::MAX, jpy), &ws).unwrap();
        let sum = parts.iter().fold(Decimal::ZERO, |a, p| a + p.amount);
        assert_eq!(sum, Decimal::MAX);
        assert_eq!(parts[2].amount, Decimal::ZERO);
    }
}
