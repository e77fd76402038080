//! The year rule of RFC 3339: four digits, years 0000–9999.

use super::{FIRST_YEAR, LAST_YEAR};
use std::fmt::Write as _;

/// At most this many characters of a refused text are quoted in its error.
const SHOWN_CHARS: usize = 64;

/// The error for `text` (the kind, e.g. [`super::INSTANT_ERROR_PREFIX`]; the text, quoted
/// and cut at 64 characters; why).
pub(super) fn refusal(prefix: &str, text: &str, why: &str) -> String {
    let shown: String = text.chars().take(SHOWN_CHARS).collect();
    let mut message = format!("{prefix} {shown:?}");
    if text.chars().nth(SHOWN_CHARS).is_some() {
        message.push('…');
    }
    let _ = write!(message, ": {why}");
    message
}

/// `Ok` when `text` starts (after the whitespace chrono skips) with a year of exactly four
/// digits; otherwise why not. Text that starts with no digit at all is left to chrono's
/// parser, which refuses it with its own reason.
pub(super) fn four_digits(text: &str) -> Result<(), String> {
    let rest = text.trim_start();
    if rest.starts_with(['+', '-']) {
        return Err(format!(
            "a signed year; an RFC 3339 year is 4 digits, {FIRST_YEAR:04}–{LAST_YEAR}"
        ));
    }
    match rest.bytes().take_while(u8::is_ascii_digit).count() {
        0 | 4 => Ok(()),
        n => Err(format!(
            "a year of {n} digits; an RFC 3339 year is 4 digits, {FIRST_YEAR:04}–{LAST_YEAR}"
        )),
    }
}

/// `Ok` when `year` (of an instant in UTC) is within [`FIRST_YEAR`]..=[`LAST_YEAR`].
pub(super) fn in_range_utc(year: i32) -> Result<(), String> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return Ok(());
    }
    Err(format!(
        "in UTC it falls in year {year}; an instant must fall in years {FIRST_YEAR:04}–{LAST_YEAR}"
    ))
}
