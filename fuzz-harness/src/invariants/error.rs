//! What every refusal must carry: a stable code a host can switch on.

use serde_json::Value;

/// Asserts that `code` is a stable error code: non-empty, `A-Z`, `0-9` and `_` only.
///
/// # Panics
/// When it is not.
pub fn check_code(code: &str, context: &str) {
    assert!(!code.is_empty(), "{context}: an error with an empty code");
    assert!(
        code.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_'),
        "{context}: error code {code:?} is not SCREAMING_SNAKE_CASE"
    );
}

/// Asserts that an error's JSON form is an object whose `code` is `code`.
///
/// # Panics
/// When it is not.
pub fn check_value_code(value: &Value, code: &str, context: &str) {
    check_code(code, context);
    assert_eq!(
        value.get("code").and_then(Value::as_str),
        Some(code),
        "{context}: the error's JSON does not carry its code {code}: {value}"
    );
}

/// Asserts a pricing error's code and JSON form (what the bindings attach to a
/// `RihlaError`).
///
/// # Panics
/// When the code is empty or malformed, or the JSON does not carry it.
pub fn check_pricing_error(e: &rihla_pricing::Error, context: &str) {
    check_value_code(&e.to_value(), e.code(), context);
    assert!(
        !e.to_string().is_empty(),
        "{context}: an error with no message"
    );
}
