//! Instants a result carries stay within the years RFC 3339 can write (0000–9999).
//!
//! `now` may be any instant a host sends, but an instant *computed* from it (a period's
//! reset, a leg's arrival) can leave year 9999, which chrono would write as
//! `+10000-01-31T…` — not RFC 3339, and unreadable by the hosts' own parsers. Such a
//! request is refused instead.

use crate::Error;
use chrono::{DateTime, Datelike, TimeZone};

/// The last year an instant in a result may fall in.
pub const LAST_YEAR: i32 = 9999;

/// `t` when its year (in its own offset and in UTC) is at most [`LAST_YEAR`].
///
/// # Errors
/// `INVALID_REQUEST` naming `field()` (the input that led there, e.g. `now`).
pub(crate) fn within_rfc3339<Tz: TimeZone>(
    field: impl FnOnce() -> String,
    t: DateTime<Tz>,
) -> Result<DateTime<Tz>, Error> {
    if t.year() <= LAST_YEAR && t.naive_utc().year() <= LAST_YEAR {
        return Ok(t);
    }
    Err(Error::InvalidRequest {
        field: field(),
        reason: format!(
            "the result would fall in year {}, after {LAST_YEAR}: past what RFC 3339 can write",
            t.naive_utc().year()
        ),
    })
}
