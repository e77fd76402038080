//! `decimal_string::Text` writes exactly what `Decimal`'s `Display` writes (`-0` as `0`),
//! on the stack: every amount's JSON text goes through it.

use proptest::prelude::*;
use rihla_core::decimal_string::Text;
use rust_decimal::Decimal;

fn display(d: &Decimal) -> String {
    let mut v = *d;
    if v.is_zero() {
        v.set_sign_positive(true);
    }
    v.to_string()
}

#[test]
fn edges() {
    for (text, want) in [
        ("0", "0"),
        ("0.00", "0.00"),
        ("-0.00", "0.00"),
        ("0.05", "0.05"),
        ("-0.005", "-0.005"),
        ("1150.00", "1150.00"),
        ("-1150.5", "-1150.5"),
        (
            "79228162514264337593543950335",
            "79228162514264337593543950335",
        ),
        (
            "-79228162514264337593543950335",
            "-79228162514264337593543950335",
        ),
        (
            "0.0000000000000000000000000001",
            "0.0000000000000000000000000001",
        ),
        (
            "7.9228162514264337593543950335",
            "7.9228162514264337593543950335",
        ),
    ] {
        let d: Decimal = text.parse().expect("a decimal");
        assert_eq!(Text::of(&d).as_str(), want, "{text}");
        assert_eq!(Text::of(&d).as_str(), display(&d), "{text}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]
    #[test]
    fn text_is_display(lo: u32, mid: u32, hi: u32, negative: bool, scale in 0u32..=28) {
        let d = Decimal::from_parts(lo, mid, hi, negative, scale);
        let text = Text::of(&d);
        prop_assert_eq!(text.as_str(), display(&d));
    }
}
