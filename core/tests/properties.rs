//! Property tests of the money invariants of docs/money.md.

use proptest::prelude::*;
use rihla_core::{allocate, allocate_minor, CoreError, Currency, Decimal, Money, RoundingMode};

fn currency() -> impl Strategy<Value = Currency> {
    prop::sample::select(vec!["SAR", "KWD", "JPY", "USD", "BHD", "EGP", "BDT"])
        .prop_map(|c| Currency::from_code(c).unwrap())
}

/// Weights: amounts in any scale, some zero, some huge.
fn weight() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        3 => (0i64..1_000_000, 0u32..4).prop_map(|(m, s)| Decimal::new(m, s)),
        1 => Just(Decimal::ZERO),
        1 => any::<u64>().prop_map(Decimal::from),
        1 => (any::<i128>(), 0u32..28).prop_map(|(m, s)| {
            let m = m.unsigned_abs() % (1u128 << 96);
            Decimal::from_i128_with_scale(i128::try_from(m).unwrap(), s)
        }),
    ]
}

proptest! {
    #[test]
    fn allocation_is_exact_fair_and_symmetric(
        units in prop_oneof![any::<i64>().prop_map(i128::from), -(1i128 << 90)..(1i128 << 90)],
        weights in prop::collection::vec(weight(), 1..40),
    ) {
        prop_assume!(weights.iter().any(|w| !w.is_zero()));
        let parts = allocate_minor(units, &weights).unwrap();
        prop_assert_eq!(parts.len(), weights.len());
        // Sums exactly to the whole.
        prop_assert_eq!(parts.iter().sum::<i128>(), units);
        // A zero weight gets zero; no part has the opposite sign of the total.
        for (p, w) in parts.iter().zip(&weights) {
            if w.is_zero() { prop_assert_eq!(*p, 0); }
            if units >= 0 { prop_assert!(*p >= 0); } else { prop_assert!(*p <= 0); }
        }
        // Each part within one minor unit of its exact share: |p·Σw − units·w| < Σw,
        // checked in exact rational arithmetic with big integers.
        use num_bigint::BigInt;
        let scale = weights.iter().map(|w| w.scale()).max().unwrap();
        let int_w: Vec<BigInt> = weights.iter().map(|w| BigInt::from(w.mantissa()) * BigInt::from(10).pow(scale - w.scale())).collect();
        let sum: BigInt = int_w.iter().sum();
        for (p, w) in parts.iter().zip(&int_w) {
            let diff = BigInt::from(*p) * &sum - BigInt::from(units) * w;
            prop_assert!(diff.magnitude() < sum.magnitude(), "part {} too far from its share", p);
        }
        // allocate(−A) = −allocate(A).
        let neg = allocate_minor(-units, &weights).unwrap();
        prop_assert!(neg.iter().zip(&parts).all(|(n, p)| *n == -*p));
    }

    #[test]
    fn money_allocation_keeps_currency_and_scale(
        c in currency(),
        minor in -10_000_000_000i64..10_000_000_000,
        weights in prop::collection::vec(0u32..10_000, 1..12),
    ) {
        prop_assume!(weights.iter().any(|w| *w > 0));
        let total = Money::from_minor_units(i128::from(minor), c).unwrap();
        let ws: Vec<Decimal> = weights.iter().map(|w| Decimal::from(*w)).collect();
        let parts = allocate(total, &ws).unwrap();
        let mut sum = Money::zero(c);
        for p in &parts {
            prop_assert_eq!(p.currency, c);
            prop_assert!(p.is_minor_units());
            sum = sum.checked_add(p).unwrap();
        }
        prop_assert_eq!(sum.amount, total.amount);
    }

    #[test]
    fn mixed_currencies_never_add(
        a in currency(), b in currency(), x in any::<i64>(), y in any::<i64>(),
    ) {
        prop_assume!(a != b);
        let l = Money::new(Decimal::from(x), a);
        let r = Money::new(Decimal::from(y), b);
        let mismatch = CoreError::CurrencyMismatch { left: a.code().into(), right: b.code().into() };
        prop_assert_eq!(l.checked_add(&r).unwrap_err(), mismatch.clone());
        prop_assert_eq!(l.checked_sub(&r).unwrap_err(), mismatch.clone());
        prop_assert_eq!(l.checked_cmp(&r).unwrap_err(), mismatch);
    }

    #[test]
    fn rounding_lands_on_minor_units_within_half_a_unit(
        c in currency(), m in any::<i64>(), s in 0u32..10,
        even in any::<bool>(),
    ) {
        let mode = if even { RoundingMode::HalfEven } else { RoundingMode::HalfAwayFromZero };
        let amount = Decimal::new(m, s);
        let r = Money::new(amount, c).round_to_minor(mode);
        prop_assert!(r.is_minor_units());
        let half = Decimal::new(5, c.exponent() + 1);
        prop_assert!((r.amount - amount).abs() <= half);
    }
}
