//! Amounts as exact integers of minor units, for sums that cannot round.

use rihla_core::Decimal;

/// The scale (decimal places) every amount of a document must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale(pub u32);

/// `amount` as a whole number of minor units at `scale`.
///
/// # Panics
/// When `amount` is not written at exactly `scale` decimals (`"0"` or `"1000.0"` for a
/// SAR amount), or is a negative zero — what a host would read as a wrong or odd amount.
pub fn minor_units(amount: Decimal, scale: Scale, what: &str) -> i128 {
    assert_eq!(
        amount.scale(),
        scale.0,
        "{what} = {amount} is not written at the currency's scale {}",
        scale.0
    );
    assert!(
        !(amount.is_zero() && amount.is_sign_negative()),
        "{what} is a negative zero ({amount})"
    );
    amount.mantissa()
}

/// [`minor_units`] of an amount that may not be negative.
pub fn non_negative(amount: Decimal, scale: Scale, what: &str) -> i128 {
    let units = minor_units(amount, scale, what);
    assert!(units >= 0, "{what} = {amount} is negative");
    units
}

/// An exact sum of minor units (i128 holds far more than any 200 lines of 2⁹⁶).
pub fn sum<I: IntoIterator<Item = i128>>(parts: I, what: &str) -> i128 {
    parts.into_iter().fold(0i128, |acc, x| {
        acc.checked_add(x)
            .unwrap_or_else(|| panic!("{what}: the sum leaves i128"))
    })
}
