//! The strict wire format of amounts and rates: a decimal **string** (`"1234.50"`).
//!
//! Use with `#[serde(with = "rihla_core::decimal_string")]` on `Decimal` fields, or
//! `#[serde(with = "rihla_core::decimal_string::option")]` on `Option<Decimal>` fields.
//!
//! Reading accepts only a JSON string of the form `-?DIGITS(.DIGITS)?` (at most 28
//! fractional digits, within `Decimal`'s range). Numbers are refused — a JSON or JS number
//! is a binary float and is never money — and so are exponents, `+`, spaces, `_`, `NaN`
//! and values past the range; nothing is rounded on the way in. `-0` reads as `0`.
//!
//! Writing emits the decimal's exact text wrapped in a newtype struct named [`TOKEN`].
//! JSON and `serde-wasm-bindgen` see a plain string; the Python binding recognises the
//! token and builds a `decimal.Decimal` instead.

use rust_decimal::Decimal;
use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};
use std::fmt;

/// Newtype-struct name under which decimals are serialized (see the module docs).
pub const TOKEN: &str = "$rihla::Decimal";

/// Prefix of every deserialization error this format raises, so that callers can classify
/// it as an invalid amount (`INVALID_AMOUNT`) rather than a malformed document.
pub const ERROR_PREFIX: &str = "invalid amount";

/// Parses a decimal string exactly, as the wire format defines it.
///
/// # Errors
/// A message starting with [`ERROR_PREFIX`] that says what is wrong with the text.
pub fn parse(text: &str) -> Result<Decimal, String> {
    let shown = || text.chars().take(64).collect::<String>();
    let body = text.strip_prefix('-').unwrap_or(text);
    let (int_part, frac_part) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let digits_ok = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits_ok(int_part) || frac_part.is_some_and(|f| !digits_ok(f)) {
        return Err(format!(
            "{ERROR_PREFIX} {:?}: expected a decimal string such as \"1234.50\"",
            shown()
        ));
    }
    if frac_part.is_some_and(|f| f.len() > 28) {
        return Err(format!(
            "{ERROR_PREFIX} {:?}: more than 28 fractional digits",
            shown()
        ));
    }
    let mut value = Decimal::from_str_exact(text).map_err(|_| {
        format!(
            "{ERROR_PREFIX} {:?}: outside the decimal range (±7.9e28, 28 digits)",
            shown()
        )
    })?;
    if value.is_zero() {
        value.set_sign_positive(true);
    }
    Ok(value)
}

/// A decimal's exact text, formatted on the stack: what `Decimal`'s `Display` writes (no
/// exponent, the scale's trailing zeros kept, `-0` as `0`), without allocating.
pub struct Text {
    buf: [u8; 64],
    len: usize,
}

impl Text {
    /// The text of `value`.
    pub fn of(value: &Decimal) -> Text {
        let mut text = Text {
            buf: [0; 64],
            len: 0,
        };
        let mut digits = itoa::Buffer::new();
        let digits = digits.format(value.mantissa().unsigned_abs()).as_bytes();
        let scale = usize::try_from(value.scale()).unwrap_or(0);
        if value.is_sign_negative() && !value.is_zero() {
            text.push(b"-");
        }
        match digits.len().checked_sub(scale) {
            Some(0) | None => {
                // 0.00ddd: the digits all fall after the point.
                text.push(b"0.");
                for _ in digits.len()..scale {
                    text.push(b"0");
                }
                text.push(digits);
            }
            Some(int) => {
                let (whole, fraction) = digits.split_at(int);
                text.push(whole);
                if !fraction.is_empty() {
                    text.push(b".");
                    text.push(fraction);
                }
            }
        }
        text
    }

    fn push(&mut self, bytes: &[u8]) {
        let end = self.len.saturating_add(bytes.len()).min(self.buf.len());
        if let (Some(dst), Some(src)) = (
            self.buf.get_mut(self.len..end),
            bytes.get(..end.saturating_sub(self.len)),
        ) {
            dst.copy_from_slice(src);
        }
        self.len = end;
    }

    /// The text (at most 1 sign, 29 digits, a point and 28 zeros: it always fits).
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.buf.get(..self.len).unwrap_or_default()).unwrap_or_default()
    }
}

/// Writes [`Text`] as a string (JSON writes it in place, without an allocation).
struct AsStr<'a>(&'a Text);

impl serde::Serialize for AsStr<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.as_str())
    }
}

/// Serializes a decimal as its exact text under [`TOKEN`]. `-0` is written `0`.
pub fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_newtype_struct(TOKEN, &AsStr(&Text::of(value)))
}

/// Deserializes a decimal string strictly (see the module docs).
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    deserializer.deserialize_any(DecimalVisitor)
}

struct DecimalVisitor;

impl<'de> Visitor<'de> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal amount as a string, e.g. \"1234.50\"")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        parse(v).map_err(E::custom)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        Err(E::custom(format!(
            "{ERROR_PREFIX} {v}: a number is a binary float; send the amount as a decimal string"
        )))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Err(E::custom(format!(
            "{ERROR_PREFIX} {v}: send the amount as a decimal string (\"{v}\")"
        )))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Err(E::custom(format!(
            "{ERROR_PREFIX} {v}: send the amount as a decimal string (\"{v}\")"
        )))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Decimal, D::Error> {
        d.deserialize_any(DecimalVisitor)
    }
}

/// The same format for `Option<Decimal>`: `null` or absent (with `#[serde(default)]`) is `None`.
pub mod option {
    use super::*;

    /// Serializes `Some` as [`super::serialize`], `None` as `null`.
    pub fn serialize<S: Serializer>(
        value: &Option<Decimal>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => super::serialize(v, serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Deserializes `null` as `None`, a decimal string as `Some`.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Decimal>, D::Error> {
        deserializer.deserialize_option(OptionVisitor)
    }

    struct OptionVisitor;

    impl<'de> Visitor<'de> for OptionVisitor {
        type Value = Option<Decimal>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("null or a decimal amount as a string")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            super::deserialize(d).map(Some)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize, serde::Deserialize, Debug)]
    struct Doc {
        #[serde(with = "crate::decimal_string")]
        amount: Decimal,
        #[serde(default, with = "crate::decimal_string::option")]
        cap: Option<Decimal>,
    }

    fn read(json: &str) -> Result<Doc, String> {
        serde_json::from_str::<Doc>(json).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_exact_strings() {
        let d = read(r#"{"amount": "1234.50"}"#).unwrap();
        assert_eq!(d.amount.to_string(), "1234.50");
        assert_eq!(d.cap, None);
        let d = read(r#"{"amount": "-0", "cap": "0.001"}"#).unwrap();
        assert_eq!(d.amount.to_string(), "0");
        assert_eq!(d.cap.unwrap().to_string(), "0.001");
    }

    #[test]
    fn refuses_numbers_and_odd_text() {
        for bad in [
            r#"{"amount": 12.5}"#,
            r#"{"amount": 12}"#,
            r#"{"amount": "1e3"}"#,
            r#"{"amount": "+1"}"#,
            r#"{"amount": " 1"}"#,
            r#"{"amount": "1_000"}"#,
            r#"{"amount": "NaN"}"#,
            r#"{"amount": "1."}"#,
            r#"{"amount": ".5"}"#,
            r#"{"amount": "99999999999999999999999999999999"}"#,
            r#"{"amount": "0.00000000000000000000000000001"}"#,
        ] {
            let err = read(bad).unwrap_err();
            assert!(err.starts_with(ERROR_PREFIX), "{bad}: {err}");
        }
    }

    #[test]
    fn writes_strings() {
        let d = Doc {
            amount: Decimal::new(-0, 2),
            cap: Some(Decimal::new(123_450, 2)),
        };
        assert_eq!(
            serde_json::to_string(&d).unwrap(),
            r#"{"amount":"0.00","cap":"1234.50"}"#
        );
    }
}
