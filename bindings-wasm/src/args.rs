//! The checks every JS argument passes at the boundary.
//!
//! Every argument of every exported function, method and constructor arrives as a
//! `JsValue` (wasm-bindgen's own conversions of `&str`, numbers or `Vec` would copy or
//! coerce it before any check: a number given as a string traps, `{length: 1e9}` is copied)
//! and is checked here: its type first, then its length or range, and only then is it
//! copied into the module's memory. A refusal is a `RihlaError`:
//!
//! - `INVALID_REQUEST` naming the argument (`details.field`) for a value of the wrong type
//!   or a number that is not a whole number in range;
//! - `LIMIT_EXCEEDED` (`details.field`, `details.limit`, `details.actual`) for a string
//!   or a document past its size limit, or a count past its bound.
//!
//! Documents (requests, rulebooks, ledger batches …) are read by [`json`], which bounds the
//! work `JSON.stringify` does as well as the text it copies.

use crate::rihla_error;
use rihla_pricing::Error;
use serde_json::json;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub mod json;

/// Longest string argument that is not a document (an id, a voucher code, a webhook key, an
/// instant, a unit, a currency, an amount or weight, an actor, a reason), in UTF-16 code
/// units (its JS `length`): 4,096. A longer one is `LIMIT_EXCEEDED` before it is copied;
/// within it the crates' own rules apply (ids and voucher codes at most 128 characters,
/// references at most 128 …).
pub const MAX_TEXT_ARG_LENGTH: u32 = 4096;

/// The largest whole number a JS number holds exactly: `Number.MAX_SAFE_INTEGER`, 2^53 − 1.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// `INVALID_REQUEST` naming `field`.
pub(crate) fn invalid_request(field: &str, reason: impl Into<String>) -> JsValue {
    rihla_error(Error::InvalidRequest {
        field: field.to_owned(),
        reason: reason.into(),
    })
}

/// `LIMIT_EXCEEDED` naming `field`: `{code, message, field, limit, actual}`, the shape of
/// `rihla_pricing::Error::LimitExceeded`, with counts as wide as a JS number holds (a
/// `usize` is 32 bits here).
pub(crate) fn limit_exceeded(field: &str, limit: u64, actual: u64) -> JsValue {
    let message = format!("{field} has {actual}, more than the limit of {limit}");
    crate::js_error(
        "LIMIT_EXCEEDED",
        &message,
        &json!({
            "code": "LIMIT_EXCEEDED",
            "message": message,
            "field": field,
            "limit": limit,
            "actual": actual,
        }),
    )
}

/// What a JS value is, for messages (`typeof`, with `null` and arrays told apart); never
/// copies the value.
pub(crate) fn kind(value: &JsValue) -> &'static str {
    if value.is_null() {
        "null"
    } else if value.is_undefined() {
        "undefined"
    } else if value.is_string() {
        "a string"
    } else if value.as_f64().is_some() {
        "a number"
    } else if value.as_bool().is_some() {
        "a boolean"
    } else if value.is_bigint() {
        "a BigInt"
    } else if value.is_symbol() {
        "a symbol"
    } else if value.is_function() {
        "a function"
    } else if js_sys::Array::is_array(value) {
        "an array"
    } else {
        "an object"
    }
}

/// A string argument of at most [`MAX_TEXT_ARG_LENGTH`] UTF-16 code units, copied only
/// once its type and length are checked.
pub(crate) fn text(value: &JsValue, field: &str) -> Result<String, JsValue> {
    let Some(string) = value.dyn_ref::<js_sys::JsString>() else {
        return Err(invalid_request(
            field,
            format!("a string, not {}", kind(value)),
        ));
    };
    let length = string.length();
    if length > MAX_TEXT_ARG_LENGTH {
        return Err(limit_exceeded(
            field,
            MAX_TEXT_ARG_LENGTH.into(),
            length.into(),
        ));
    }
    Ok(String::from(string))
}

/// An optional string argument: `undefined` and `null` are `None`, anything else as
/// [`text`].
pub(crate) fn optional_text(value: &JsValue, field: &str) -> Result<Option<String>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    text(value, field).map(Some)
}

/// An optional boolean argument: `undefined` and `null` are `None`.
pub(crate) fn optional_bool(value: &JsValue, field: &str) -> Result<Option<bool>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value
        .as_bool()
        .map(Some)
        .ok_or_else(|| invalid_request(field, format!("a boolean, not {}", kind(value))))
}

/// A JS number holding a whole number from 0 to `Number.MAX_SAFE_INTEGER`, as `u64`;
/// `None` for anything else (another type, a BigInt, NaN, ±Infinity, a fraction, a
/// negative number, 2^53 or more).
pub(crate) fn safe_integer(value: &JsValue) -> Option<u64> {
    let n = value.as_f64()?;
    // The range check refuses NaN and ±Infinity too.
    if (0.0..=MAX_SAFE_INTEGER as f64).contains(&n) && n.fract() == 0.0 {
        // Exact: a whole f64 within 2^53 converts to u64 without loss.
        Some(n as u64)
    } else {
        None
    }
}

/// A whole-number argument from 0 to `max` (at most `Number.MAX_SAFE_INTEGER`):
/// `INVALID_REQUEST` naming `field` and the bounds otherwise.
pub(crate) fn whole(value: &JsValue, field: &str, max: u64) -> Result<u64, JsValue> {
    safe_integer(value)
        .filter(|n| *n <= max)
        .ok_or_else(|| invalid_request(field, format!("a whole number from 0 to {max}")))
}

/// An optional [`whole`] argument: `undefined` and `null` are `None`.
pub(crate) fn optional_whole(
    value: &JsValue,
    field: &str,
    max: u64,
) -> Result<Option<u64>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    whole(value, field, max).map(Some)
}

/// A count argument (how many of something to set aside): a whole number from 0 to
/// `limit`; past it `LIMIT_EXCEEDED` with the number given, any other value
/// `INVALID_REQUEST`.
pub(crate) fn count(value: &JsValue, field: &str, limit: u64) -> Result<u64, JsValue> {
    let n = safe_integer(value).ok_or_else(|| {
        invalid_request(
            field,
            format!("a whole number from 0 to {limit}, not {}", shown(value)),
        )
    })?;
    if n > limit {
        return Err(limit_exceeded(field, limit, n));
    }
    Ok(n)
}

/// An array argument of at most `max` elements (`LIMIT_EXCEEDED` past it, before any
/// element is read); `None` when the value is not an array, for the caller's own error.
pub(crate) fn array(
    value: &JsValue,
    field: &str,
    max: u32,
) -> Result<Option<js_sys::Array>, JsValue> {
    if !js_sys::Array::is_array(value) {
        return Ok(None);
    }
    let array = value.unchecked_ref::<js_sys::Array>();
    let length = array.length();
    if length > max {
        return Err(limit_exceeded(field, max.into(), length.into()));
    }
    Ok(Some(array.clone()))
}

/// A number as a message shows it, anything else as its kind.
fn shown(value: &JsValue) -> String {
    match value.as_f64() {
        // Whole numbers as integers, the very large and very small with an exponent.
        Some(n) if n.fract() == 0.0 && n.abs() < 1e21 => format!("{n:.0}"),
        Some(n) if n != 0.0 && (n.abs() >= 1e21 || n.abs() < 1e-6) => format!("{n:e}"),
        Some(n) => n.to_string(),
        None => kind(value).to_owned(),
    }
}
