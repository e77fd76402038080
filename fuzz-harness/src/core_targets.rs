//! The target of `rihla-core`'s entry point that hosts call directly: `allocate` (the WASM
//! package's `allocate(amount, currency, weights)`, amounts and weights as decimal strings).

use crate::envelope::object;
use crate::invariants::{check_code, minor_units, Scale};
use rihla_core::{Currency, Money};
use serde_json::Value;

/// An envelope `{"amount": "10.00", "currency": "SAR", "weights": ["1", "1", "1"]}` (the
/// allocation vectors' input): the strings read as the bindings read them, then
/// `rihla_core::allocate`. The parts are one per weight, each at the currency's scale, zero
/// for a zero weight, and sum exactly to the amount.
pub fn allocate(data: &[u8]) {
    let Some(env) = object(data) else { return };
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
    let (Some(amount), Some(currency)) = (text(env.get("amount")), text(env.get("currency")))
    else {
        return;
    };
    let Some(weights) = env.get("weights").and_then(Value::as_array) else {
        return;
    };
    let Ok(amount) = rihla_core::decimal_string::parse(&amount) else {
        return;
    };
    let currency = match Currency::from_code(&currency) {
        Ok(c) => c,
        Err(e) => return check_code(e.code(), "Currency::from_code"),
    };
    let Ok(weights) = weights
        .iter()
        .map(|w| rihla_core::decimal_string::parse(w.as_str().unwrap_or("")))
        .collect::<Result<Vec<_>, _>>()
    else {
        return;
    };
    let total = Money::new(amount, currency);
    let parts = match rihla_core::allocate(total, &weights) {
        Ok(p) => p,
        Err(e) => return check_code(e.code(), "allocate"),
    };
    assert_eq!(parts.len(), weights.len(), "one part per weight");
    let scale = Scale(currency.exponent());
    let mut sum = 0i128;
    for (i, (part, weight)) in parts.iter().zip(&weights).enumerate() {
        assert_eq!(part.currency, currency, "part {i} in another currency");
        let units = minor_units(part.amount, scale, &format!("parts[{i}]"));
        if weight.is_zero() {
            assert_eq!(units, 0, "part {i} of a zero weight is {}", part.amount);
        }
        sum = sum
            .checked_add(units)
            .unwrap_or_else(|| panic!("the parts' sum leaves i128"));
    }
    let expected = total
        .to_minor_units()
        .unwrap_or_else(|e| panic!("allocate took an amount it cannot count in minor units: {e}"));
    assert_eq!(sum, expected, "Σ parts ≠ the amount {amount}");
}
