//! Money-path tests found by `cargo mutants` (scripts/mutants): each pins a boundary or
//! an arithmetic step of `rihla_core::exact` that the other tests left free to change.

use rihla_core::exact::{
    mul_exact, round_ratio, round_ratio_to_minor, round_sum_of_ratios, trunc_ratio, MAX_FACTORS,
    MAX_TERMS,
};
use rihla_core::{CoreError, Currency, Decimal, RoundingMode};
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

const EVEN: RoundingMode = RoundingMode::HalfEven;

#[test]
fn round_ratio_takes_28_places_and_refuses_29() {
    let third = round_ratio(&[d("1")], &[d("3")], 28, EVEN, "third").unwrap();
    assert_eq!(third.to_string(), "0.3333333333333333333333333333");
    assert_eq!(third.scale(), 28);
    assert_eq!(
        round_ratio(&[d("1")], &[d("3")], 29, EVEN, "third"),
        Err(CoreError::Overflow { operation: "third" })
    );
    let cut = trunc_ratio(&[d("2")], &[d("3")], 28, "points").unwrap();
    assert_eq!(cut.to_string(), "0.6666666666666666666666666666");
}

#[test]
fn round_ratio_takes_eight_factors_a_side_and_refuses_nine() {
    assert_eq!(MAX_FACTORS, 8);
    let eight = [d("1.5"); 8];
    let twos = [d("2"); 8];
    // 1.5^8 = 25.62890625; 1.5^8 / 2^8 = 0.100112915…
    assert_eq!(
        round_ratio(&eight, &[], 8, EVEN, "n").unwrap().to_string(),
        "25.62890625"
    );
    assert_eq!(
        round_ratio(&eight, &twos, 6, EVEN, "nd")
            .unwrap()
            .to_string(),
        "0.100113"
    );
    assert_eq!(
        round_ratio(&[d("256")], &twos, 2, EVEN, "d")
            .unwrap()
            .to_string(),
        "1.00"
    );
    let nine = [d("1"); 9];
    assert_eq!(
        round_ratio(&nine, &[d("1")], 2, EVEN, "too many numerators"),
        Err(CoreError::Overflow {
            operation: "too many numerators"
        })
    );
    assert_eq!(
        round_ratio(&[d("1")], &nine, 2, EVEN, "too many denominators"),
        Err(CoreError::Overflow {
            operation: "too many denominators"
        })
    );
}

#[test]
fn round_ratio_to_minor_rounds_at_the_currency_exponent() {
    let at = |code: &str, mode| {
        round_ratio_to_minor(
            &[d("100.00"), d("15")],
            &[d("115")],
            Currency::from_code(code).unwrap(),
            mode,
            "tax",
        )
        .unwrap()
        .to_string()
    };
    // 100 × 15 / 115 = 13.043478…
    assert_eq!(at("SAR", EVEN), "13.04");
    assert_eq!(at("KWD", EVEN), "13.043");
    assert_eq!(at("JPY", EVEN), "13");
    // A tie: 0.125 at 2 places.
    let tie = |mode| {
        round_ratio_to_minor(
            &[d("1")],
            &[d("8")],
            Currency::from_code("USD").unwrap(),
            mode,
            "t",
        )
        .unwrap()
        .to_string()
    };
    assert_eq!(tie(RoundingMode::HalfEven), "0.12");
    assert_eq!(tie(RoundingMode::HalfAwayFromZero), "0.13");
}

#[test]
fn round_sum_of_ratios_adds_fractions_over_different_denominators() {
    // 1/3 + 1/6 = 0.5; 2/3 + 1/4 + 1/6 = 1.083…
    assert_eq!(
        round_sum_of_ratios(&[(d("1"), d("3")), (d("1"), d("6"))], d("1"), 4, EVEN, "s")
            .unwrap()
            .to_string(),
        "0.5000"
    );
    assert_eq!(
        round_sum_of_ratios(
            &[(d("2"), d("3")), (d("1"), d("4")), (d("1"), d("6"))],
            d("1"),
            4,
            EVEN,
            "s"
        )
        .unwrap()
        .to_string(),
        "1.0833"
    );
    // Inclusive tax extraction: 15 × (115.00 / 115 + 230.00 / 120) = 15 + 28.75 = 43.75.
    assert_eq!(
        round_sum_of_ratios(
            &[(d("115.00"), d("115")), (d("230.00"), d("120"))],
            d("15"),
            2,
            EVEN,
            "vat"
        )
        .unwrap()
        .to_string(),
        "43.75"
    );
}

#[test]
fn round_sum_of_ratios_scales_by_a_fractional_factor() {
    // 1.5 × 10/4 = 3.75; 0.25 × (1/2 + 1/3) = 0.2083…
    assert_eq!(
        round_sum_of_ratios(&[(d("10"), d("4"))], d("1.5"), 2, EVEN, "f")
            .unwrap()
            .to_string(),
        "3.75"
    );
    assert_eq!(
        round_sum_of_ratios(
            &[(d("1"), d("2")), (d("1"), d("3"))],
            d("0.25"),
            4,
            EVEN,
            "f"
        )
        .unwrap()
        .to_string(),
        "0.2083"
    );
}

#[test]
fn round_sum_of_ratios_keeps_the_sign_of_negative_denominators() {
    assert_eq!(
        round_sum_of_ratios(&[(d("1"), d("-4"))], d("1"), 2, EVEN, "neg")
            .unwrap()
            .to_string(),
        "-0.25"
    );
    assert_eq!(
        round_sum_of_ratios(&[(d("-3"), d("-4"))], d("1"), 2, EVEN, "neg")
            .unwrap()
            .to_string(),
        "0.75"
    );
    assert_eq!(
        round_sum_of_ratios(
            &[(d("1"), d("-3")), (d("1"), d("6"))],
            d("2"),
            3,
            EVEN,
            "neg"
        )
        .unwrap()
        .to_string(),
        "-0.333"
    );
}

#[test]
fn round_sum_of_ratios_takes_28_places_and_refuses_29() {
    let third = round_sum_of_ratios(&[(d("1"), d("3"))], d("1"), 28, EVEN, "p").unwrap();
    assert_eq!(third.to_string(), "0.3333333333333333333333333333");
    assert_eq!(
        round_sum_of_ratios(&[(d("1"), d("3"))], d("1"), 29, EVEN, "p"),
        Err(CoreError::Overflow { operation: "p" })
    );
}

#[test]
fn round_sum_of_ratios_takes_max_terms_and_refuses_one_more() {
    assert_eq!(MAX_TERMS, 1 << 20);
    let mut terms = vec![(d("0.01"), d("2")); MAX_TERMS];
    // 2^20 × 0.01 / 2 = 5242.88
    assert_eq!(
        round_sum_of_ratios(&terms, d("1"), 2, EVEN, "terms")
            .unwrap()
            .to_string(),
        "5242.88"
    );
    terms.push((d("0.01"), d("2")));
    assert_eq!(
        round_sum_of_ratios(&terms, d("1"), 2, EVEN, "terms"),
        Err(CoreError::Overflow { operation: "terms" })
    );
}

#[test]
fn mul_exact_keeps_the_scale_of_a_zero_product() {
    for (a, b, want) in [
        ("0.00", "1.5", "0.000"),
        ("1.5", "0.00", "0.000"),
        ("0", "0", "0"),
        ("0.0", "0.00", "0.000"),
    ] {
        let p = mul_exact(d(a), d(b), "zero").unwrap();
        assert_eq!(p.to_string(), want, "{a} × {b}");
    }
    assert_eq!(
        mul_exact(d("1.50"), d("2.0"), "m").unwrap().to_string(),
        "3.000"
    );
}
