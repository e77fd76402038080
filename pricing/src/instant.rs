//! Instants a result carries stay within the years RFC 3339 can write (0000–9999).
//!
//! `now` may be any RFC 3339 instant a host sends, but an instant *computed* from it (a
//! period's reset, a leg's arrival, a positioning leg before the first one) can leave
//! years 0000–9999, which chrono would write as
//! `+10000-01-31T…` — not RFC 3339, and unreadable by the hosts' own parsers. Such a
//! request is refused instead.

use crate::Error;
use chrono::{DateTime, Datelike, TimeZone};

/// The last year an instant in a result may fall in (`rihla_core::time::LAST_YEAR`).
pub const LAST_YEAR: i32 = rihla_core::time::LAST_YEAR;
/// The first year an instant in a result may fall in (`rihla_core::time::FIRST_YEAR`).
pub const FIRST_YEAR: i32 = rihla_core::time::FIRST_YEAR;

/// `t` when its year (in its own offset and in UTC) is within [`FIRST_YEAR`]..=[`LAST_YEAR`].
///
/// # Errors
/// `INVALID_REQUEST` naming `field()` (the input that led there, e.g. `now`).
pub(crate) fn within_rfc3339<Tz: TimeZone>(
    field: impl FnOnce() -> String,
    t: DateTime<Tz>,
) -> Result<DateTime<Tz>, Error> {
    let years = FIRST_YEAR..=LAST_YEAR;
    if years.contains(&t.year()) && years.contains(&t.naive_utc().year()) {
        return Ok(t);
    }
    Err(Error::InvalidRequest {
        field: field(),
        reason: format!(
            "the result would fall in year {}, outside {FIRST_YEAR:04}–{LAST_YEAR}: past what RFC 3339 can write",
            t.year()
        ),
    })
}
