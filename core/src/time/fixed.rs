//! `DateTime<FixedOffset>` as an RFC 3339 string that keeps its offset:
//! `#[serde(with = "rihla_core::time::fixed")]`.
//!
//! Reads `"2026-03-01T09:30:00+03:00"`, `"2026-03-01T06:30:00Z"` and what else chrono
//! reads, but only years of four digits that stay within 0000–9999 in UTC as well (see
//! [the module](super)). Writes chrono's text with the value's offset:
//! `"2026-03-01T09:30:00+03:00"`.

use super::wire::{self, Strict};
use super::{year, INSTANT_ERROR_PREFIX};
use chrono::{DateTime, Datelike, FixedOffset};
use serde::{Deserializer, Serializer};

impl Strict for DateTime<FixedOffset> {
    const EXPECTING: &'static str = "an RFC 3339 formatted date and time string";
    const TOKEN: &'static str = super::INSTANT_TOKEN;

    fn parse(text: &str) -> Result<Self, String> {
        parse(text)
    }
}

/// The instant `text` denotes, with its own offset: text of RFC 3339's `date-time` shape
/// (two-digit fields, no surrounding spaces), read by chrono, with a year of exactly four
/// digits that stays within 0000–9999 in UTC.
///
/// # Errors
/// A message starting with [`INSTANT_ERROR_PREFIX`], the text (quoted, at most 64
/// characters) and why: a signed year, a year of other than 4 digits, chrono's reason
/// (`input is out of range`, `premature end of input` …), or a UTC year outside 0000–9999.
pub fn parse(text: &str) -> Result<DateTime<FixedOffset>, String> {
    let refuse = |why: &str| year::refusal(INSTANT_ERROR_PREFIX, text, why);
    year::four_digits(text).map_err(|why| refuse(&why))?;
    super::grammar::date_time(text).map_err(|why| refuse(&why))?;
    let t = text.parse::<DateTime<FixedOffset>>().map_err(|e| {
        refuse(&format!(
            "{e} (expected RFC 3339, e.g. \"2026-03-01T09:30:00Z\")"
        ))
    })?;
    year::in_range_utc(t.naive_utc().year()).map_err(|why| refuse(&why))?;
    Ok(t)
}

/// Writes `value` as chrono does (`"2026-03-01T09:30:00+03:00"`).
///
/// # Errors
/// Only the serializer's own.
pub fn serialize<S: Serializer>(value: &DateTime<FixedOffset>, s: S) -> Result<S::Ok, S::Error> {
    wire::serialize(value, s)
}

/// Reads an instant strictly (see [`parse`]).
///
/// # Errors
/// [`parse`]'s message, or serde's `invalid type` for a value that is not a string.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<FixedOffset>, D::Error> {
    wire::deserialize(d)
}

/// `Option<DateTime<FixedOffset>>`: `null` (or absent, with `#[serde(default)]`) is `None`.
pub mod option {
    use super::wire;
    use chrono::{DateTime, FixedOffset};
    use serde::{Deserializer, Serializer};

    /// Writes `None` as `null`, `Some` as [`super::serialize`].
    ///
    /// # Errors
    /// Only the serializer's own.
    pub fn serialize<S: Serializer>(
        value: &Option<DateTime<FixedOffset>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        wire::serialize_option(value, s)
    }

    /// Reads `null` as `None`, a string as [`super::deserialize`] does.
    ///
    /// # Errors
    /// As [`super::deserialize`].
    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
        wire::deserialize_option(d)
    }
}
