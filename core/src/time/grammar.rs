//! The shape of RFC 3339's `date-time` and `full-date` (§5.6), checked before chrono reads
//! the values: chrono's own reader is lenient (`"2026-1-22T9:0:0Z"` and leading spaces
//! pass), and what rihla accepts is what every host's parser reads back.
//!
//! ```text
//! full-date    = 4DIGIT "-" 2DIGIT "-" 2DIGIT
//! partial-time = 2DIGIT ":" 2DIGIT ":" 2DIGIT [ "." 1*DIGIT ]
//! time-offset  = "Z" / ( "+" / "-" ) 2DIGIT ":" 2DIGIT
//! date-time    = full-date ( "T" / " " ) partial-time time-offset
//! ```
//!
//! "T" and "Z" may be lower case, and a space may separate the date from the time, as
//! RFC 3339 allows. The values themselves (months 01–12, a real day, hours 00–23 …) are
//! chrono's to check.

const EXAMPLE: &str =
    "expected RFC 3339, e.g. \"2026-03-01T09:30:00Z\" or \"2026-03-01T12:30:00+03:00\"";

/// Consumes `n` ASCII digits from the front of `s`.
fn digits(s: &[u8], n: usize) -> Option<&[u8]> {
    let (head, rest) = (s.get(..n)?, s.get(n..)?);
    head.iter().all(u8::is_ascii_digit).then_some(rest)
}

/// Consumes the byte `b` (one of `options`) from the front of `s`.
fn one_of<'a>(s: &'a [u8], options: &[u8]) -> Option<&'a [u8]> {
    let (first, rest) = s.split_first()?;
    options.contains(first).then_some(rest)
}

fn full_date(s: &[u8]) -> Option<&[u8]> {
    let s = digits(s, 4)?;
    let s = digits(one_of(s, b"-")?, 2)?;
    digits(one_of(s, b"-")?, 2)
}

fn date_time_rest(s: &[u8]) -> Option<()> {
    let s = one_of(s, b"Tt ")?;
    let s = digits(s, 2)?;
    let s = digits(one_of(s, b":")?, 2)?;
    let mut s = digits(one_of(s, b":")?, 2)?;
    if let Some(frac) = one_of(s, b".") {
        let n = frac.iter().take_while(|b| b.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        s = frac.get(n..)?;
    }
    if let Some(rest) = one_of(s, b"Zz") {
        return rest.is_empty().then_some(());
    }
    let s = digits(one_of(s, b"+-")?, 2)?;
    let s = digits(one_of(s, b":")?, 2)?;
    s.is_empty().then_some(())
}

/// `Ok` when `text` has the shape of an RFC 3339 `date-time`; otherwise why not.
pub(super) fn date_time(text: &str) -> Result<(), String> {
    full_date(text.as_bytes())
        .and_then(date_time_rest)
        .ok_or_else(|| EXAMPLE.to_owned())
}

/// `Ok` when `text` has the shape of an RFC 3339 `full-date` (`YYYY-MM-DD`).
pub(super) fn date(text: &str) -> Result<(), String> {
    full_date(text.as_bytes())
        .filter(|rest| rest.is_empty())
        .map(|_| ())
        .ok_or_else(|| "expected YYYY-MM-DD, e.g. \"2026-03-01\"".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rfc_3339_shapes() {
        for ok in [
            "2026-03-01T09:30:00Z",
            "2026-03-01t09:30:00z",
            "2026-03-01 09:30:00Z",
            "2026-03-01T09:30:00.5Z",
            "2026-03-01T09:30:00.123456789+03:00",
            "0000-01-01T00:00:00-00:00",
            "9999-12-31T23:59:60Z",
        ] {
            assert_eq!(date_time(ok), Ok(()), "{ok}");
        }
        for bad in [
            "2026-1-22T9:0:0Z",
            " 2026-03-01T09:30:00Z",
            "2026-03-01T09:30:00Z ",
            "2026-03-01T09:30Z",
            "2026-03-01T09:30:00",
            "2026-03-01T09:30:00.Z",
            "2026-03-01T09:30:00+0300",
            "2026-03-01T09:30:00+03",
            "2026-03-01_09:30:00Z",
            "+2026-03-01T09:30:00Z",
            "2026-03-01",
            "",
            "２０２６-03-01T09:30:00Z",
        ] {
            assert!(date_time(bad).is_err(), "{bad}");
        }
        assert_eq!(date("2026-03-01"), Ok(()));
        for bad in [
            "2026-3-1",
            "2026-03-01T00:00:00Z",
            " 2026-03-01",
            "20260301",
            "",
        ] {
            assert!(date(bad).is_err(), "{bad}");
        }
    }
}
