//! `DateTime<Utc>` as an RFC 3339 string: `#[serde(with = "rihla_core::time::utc")]`.
//!
//! Reads `"2026-03-01T09:30:00Z"`, `"2026-03-01T12:30:00.250+03:00"` (converted to UTC)
//! and what else chrono reads, but only years of four digits that stay within 0000–9999 in
//! UTC (see [the module](super)). Writes chrono's text: `"2026-03-01T09:30:00Z"`,
//! `"2026-03-01T09:30:00.250Z"`.

use super::fixed;
use super::wire::{self, Strict};
use chrono::{DateTime, Utc};
use serde::{Deserializer, Serializer};

impl Strict for DateTime<Utc> {
    const EXPECTING: &'static str = "an RFC 3339 formatted date and time string";
    const TOKEN: &'static str = super::INSTANT_TOKEN;

    fn parse(text: &str) -> Result<Self, String> {
        parse(text)
    }
}

/// The instant `text` denotes, in UTC.
///
/// # Errors
/// A message starting with [`super::INSTANT_ERROR_PREFIX`] (see [`fixed::parse`]).
pub fn parse(text: &str) -> Result<DateTime<Utc>, String> {
    fixed::parse(text).map(|t| t.with_timezone(&Utc))
}

/// Writes `value` as chrono does (`"2026-03-01T09:30:00Z"`).
///
/// # Errors
/// Only the serializer's own.
pub fn serialize<S: Serializer>(value: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    wire::serialize(value, s)
}

/// Reads an instant strictly (see [`parse`]).
///
/// # Errors
/// [`parse`]'s message, or serde's `invalid type` for a value that is not a string.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    wire::deserialize(d)
}

/// `Option<DateTime<Utc>>`: `null` (or absent, with `#[serde(default)]`) is `None`.
pub mod option {
    use super::wire;
    use chrono::{DateTime, Utc};
    use serde::{Deserializer, Serializer};

    /// Writes `None` as `null`, `Some` as [`super::serialize`].
    ///
    /// # Errors
    /// Only the serializer's own.
    pub fn serialize<S: Serializer>(
        value: &Option<DateTime<Utc>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        wire::serialize_option(value, s)
    }

    /// Reads `null` as `None`, a string as [`super::deserialize`] does.
    ///
    /// # Errors
    /// As [`super::deserialize`].
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        wire::deserialize_option(d)
    }
}
