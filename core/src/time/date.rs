//! `NaiveDate` as a `YYYY-MM-DD` string: `#[serde(with = "rihla_core::time::date")]`.
//!
//! Reads `"2026-03-01"` and what else chrono reads, but only years of four digits,
//! 0000–9999 (see [the module](super)). Writes chrono's text: `"2026-03-01"`.

use super::wire::{self, Strict};
use super::{year, DATE_ERROR_PREFIX};
use chrono::NaiveDate;
use serde::{Deserializer, Serializer};

impl Strict for NaiveDate {
    const EXPECTING: &'static str = "a formatted date string";
    const TOKEN: &'static str = super::DATE_TOKEN;

    fn parse(text: &str) -> Result<Self, String> {
        parse(text)
    }
}

/// The date `text` denotes: chrono's `YYYY-MM-DD` reading, with a year of exactly four
/// digits.
///
/// # Errors
/// A message starting with [`DATE_ERROR_PREFIX`], the text (quoted, at most 64 characters)
/// and why: a signed year, a year of other than 4 digits, or chrono's reason
/// (`input is out of range`, `premature end of input` …).
pub fn parse(text: &str) -> Result<NaiveDate, String> {
    let refuse = |why: &str| year::refusal(DATE_ERROR_PREFIX, text, why);
    year::four_digits(text).map_err(|why| refuse(&why))?;
    super::grammar::date(text).map_err(|why| refuse(&why))?;
    text.parse::<NaiveDate>()
        .map_err(|e| refuse(&format!("{e} (expected YYYY-MM-DD, e.g. \"2026-03-01\")")))
}

/// Writes `value` as chrono does (`"2026-03-01"`).
///
/// # Errors
/// Only the serializer's own.
pub fn serialize<S: Serializer>(value: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    wire::serialize(value, s)
}

/// Reads a date strictly (see [`parse`]).
///
/// # Errors
/// [`parse`]'s message, or serde's `invalid type` for a value that is not a string.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    wire::deserialize(d)
}

/// `Option<NaiveDate>`: `null` (or absent, with `#[serde(default)]`) is `None`.
pub mod option {
    use super::wire;
    use chrono::NaiveDate;
    use serde::{Deserializer, Serializer};

    /// Writes `None` as `null`, `Some` as [`super::serialize`].
    ///
    /// # Errors
    /// Only the serializer's own.
    pub fn serialize<S: Serializer>(value: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        wire::serialize_option(value, s)
    }

    /// Reads `null` as `None`, a string as [`super::deserialize`] does.
    ///
    /// # Errors
    /// As [`super::deserialize`].
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        wire::deserialize_option(d)
    }
}

/// `Vec<NaiveDate>`: a list of `YYYY-MM-DD` strings, each read strictly. The list's length
/// is the document's: the crate that reads it checks its own limit.
pub mod vec {
    use super::wire;
    use chrono::NaiveDate;
    use serde::{Deserializer, Serializer};

    /// Writes the dates as a list, each as [`super::serialize`].
    ///
    /// # Errors
    /// Only the serializer's own.
    pub fn serialize<S: Serializer>(values: &[NaiveDate], s: S) -> Result<S::Ok, S::Error> {
        wire::serialize_vec(values, s)
    }

    /// Reads a list, each element as [`super::deserialize`] does.
    ///
    /// # Errors
    /// The first element's [`super::parse`] message (serde adds its index), or serde's
    /// `invalid type` for a value that is not a list of strings.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<NaiveDate>, D::Error> {
        wire::deserialize_vec(d)
    }
}
