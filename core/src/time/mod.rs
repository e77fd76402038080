//! The strict wire format of instants and dates: RFC 3339, years 0000–9999.
//!
//! RFC 3339 writes a year as exactly four digits, so the instants and dates rihla reads and
//! writes fall in years 0000–9999. chrono's own serde reads more (ISO 8601's signed and
//! expanded years such as `"+10000-01-01T00:00:00Z"` or `"-0001-01-01"`, and years of one
//! to three digits) and writes such values back the same way, which hosts' parsers refuse.
//! The `with`-modules here read strictly and write what chrono writes:
//!
//! | field type | attribute |
//! |---|---|
//! | `DateTime<Utc>` | `#[serde(with = "rihla_core::time::utc")]` |
//! | `Option<DateTime<Utc>>` | `#[serde(default, with = "rihla_core::time::utc::option")]` |
//! | `DateTime<FixedOffset>` | `#[serde(with = "rihla_core::time::fixed")]` |
//! | `Option<DateTime<FixedOffset>>` | `#[serde(default, with = "rihla_core::time::fixed::option")]` |
//! | `NaiveDate` (`YYYY-MM-DD`) | `#[serde(with = "rihla_core::time::date")]` |
//! | `Option<NaiveDate>` | `#[serde(default, with = "rihla_core::time::date::option")]` |
//! | `Vec<NaiveDate>` | `#[serde(with = "rihla_core::time::date::vec")]` |
//!
//! An `Option` field read through `with` is no longer optional by itself: give it
//! `#[serde(default)]` for an absent field to read as `None`.
//!
//! **Reading** takes a string and accepts what chrono accepts (fractional seconds of any
//! length, `Z` or a `±hh:mm` offset, lowercase `t`/`z`, a space for `T`), except:
//! - the year must be exactly four digits, `0000`–`9999`: no sign, no more and no fewer
//!   digits;
//! - an instant must also fall in years 0000–9999 in UTC
//!   (`"9999-12-31T23:00:00-05:00"` is year 10000 in UTC, which a `DateTime<Utc>` would
//!   write as `+10000-…`).
//!
//! Every refusal is a serde custom error whose message starts with
//! [`INSTANT_ERROR_PREFIX`] (instants) or [`DATE_ERROR_PREFIX`] (dates), then the text read
//! (at most 64 characters, quoted) and why; a value of another type (a number, `null` for
//! a required field) is serde's usual `invalid type` error. The crates report either with
//! the field's path (pricing: `INVALID_REQUEST` or `INVALID_RULEBOOK`; the ledger's
//! documents: `INVALID_REQUEST`).
//!
//! **Writing** is chrono's text, unchanged: RFC 3339 with `Z` for UTC and the value's own
//! offset otherwise, the fraction only when non-zero (3, 6 or 9 digits), `YYYY-MM-DD` for a
//! date. It is RFC 3339 because every instant rihla holds falls in years 0000–9999: read
//! through this module, or computed and refused past [`LAST_YEAR`] by the crate that
//! computed it. (A value a Rust caller builds past year 9999 and hands over directly is
//! written as chrono writes it, `+10000-…`.)

pub mod date;
pub mod fixed;
mod grammar;
pub mod utc;
mod wire;
mod year;

/// The first year an instant or date may fall in: 0 (`0000`).
pub const FIRST_YEAR: i32 = 0;

/// Newtype-struct name under which every instant is written (its RFC 3339 text inside):
/// JSON and JS see the plain string; the Python binding recognises the token and builds
/// an aware `datetime` (as it builds a `decimal.Decimal` for `decimal_string::TOKEN`).
pub const INSTANT_TOKEN: &str = "$rihla::Instant";

/// Newtype-struct name under which every date is written (`"2026-11-22"` inside); the
/// Python binding builds a `datetime.date`.
pub const DATE_TOKEN: &str = "$rihla::Date";

/// The last year an instant or date may fall in: 9999, the last RFC 3339 can write.
pub const LAST_YEAR: i32 = 9999;

/// Prefix of every error this format raises for an instant (`DateTime`), so that callers
/// can recognise it: `invalid instant "+10000-01-01T00:00:00Z": …`.
pub const INSTANT_ERROR_PREFIX: &str = "invalid instant";

/// Prefix of every error this format raises for a date (`NaiveDate`):
/// `invalid date "-0001-01-01": …`.
pub const DATE_ERROR_PREFIX: &str = "invalid date";
