//! `rihla_core::time`: RFC 3339 instants and dates, years 0000–9999 — what it reads, what
//! it refuses (with which message) and that it writes exactly chrono's text.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use rihla_core::time::{self, DATE_ERROR_PREFIX, INSTANT_ERROR_PREFIX};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Doc {
    #[serde(with = "rihla_core::time::utc")]
    at: DateTime<Utc>,
    #[serde(default, with = "rihla_core::time::utc::option")]
    until: Option<DateTime<Utc>>,
    #[serde(with = "rihla_core::time::fixed")]
    local: DateTime<FixedOffset>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Trip {
    #[serde(with = "rihla_core::time::fixed")]
    departure: DateTime<FixedOffset>,
    #[serde(default, with = "rihla_core::time::fixed::option")]
    arrival: Option<DateTime<FixedOffset>>,
    #[serde(with = "rihla_core::time::date")]
    day: NaiveDate,
    #[serde(default, with = "rihla_core::time::date::option")]
    birth: Option<NaiveDate>,
    #[serde(default, with = "rihla_core::time::date::vec")]
    dates: Vec<NaiveDate>,
}

fn utc(text: &str) -> Result<String, String> {
    time::utc::parse(text).map(|t| written(&t))
}

fn fixed(text: &str) -> Result<String, String> {
    time::fixed::parse(text).map(|t| written(&t))
}

fn date(text: &str) -> Result<String, String> {
    time::date::parse(text).map(|d| written(&d))
}

/// The JSON text chrono's own `Serialize` gives (the module must write the same).
fn written<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(Value::String(s)) => s,
        other => panic!("not a string: {other:?}"),
    }
}

#[test]
fn reads_what_chrono_reads_with_four_digit_years() {
    let cases = [
        ("2026-03-01T09:30:00Z", "2026-03-01T09:30:00Z"),
        ("2026-03-01T09:30:00.5Z", "2026-03-01T09:30:00.500Z"),
        ("2026-03-01T09:30:00.123456Z", "2026-03-01T09:30:00.123456Z"),
        (
            "2026-03-01T09:30:00.123456789Z",
            "2026-03-01T09:30:00.123456789Z",
        ),
        ("2026-03-01T12:30:00+03:00", "2026-03-01T09:30:00Z"),
        ("2026-03-01T05:00:00-04:30", "2026-03-01T09:30:00Z"),
        ("2026-03-01T09:30:00+00:00", "2026-03-01T09:30:00Z"),
        ("2026-03-01t09:30:00z", "2026-03-01T09:30:00Z"),
        ("2026-03-01 09:30:00Z", "2026-03-01T09:30:00Z"),
        ("2016-12-31T23:59:60Z", "2016-12-31T23:59:60Z"),
        ("0000-01-01T00:00:00Z", "0000-01-01T00:00:00Z"),
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
        (
            "9999-12-31T23:59:59.999999999Z",
            "9999-12-31T23:59:59.999999999Z",
        ),
        ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"),
        ("0000-01-01T02:00:00+02:00", "0000-01-01T00:00:00Z"),
        ("9999-12-31T20:59:59-03:00", "9999-12-31T23:59:59Z"),
    ];
    for (text, out) in cases {
        assert_eq!(utc(text).as_deref(), Ok(out), "{text}");
    }
}

#[test]
fn keeps_the_offset_of_a_fixed_offset_instant() {
    assert_eq!(
        fixed("2026-03-01T12:30:00+03:00").as_deref(),
        Ok("2026-03-01T12:30:00+03:00")
    );
    assert_eq!(
        fixed("2026-03-01T12:30:00.25-09:30").as_deref(),
        Ok("2026-03-01T12:30:00.250-09:30")
    );
    assert_eq!(
        fixed("0000-01-01T05:45:00+05:45").as_deref(),
        Ok("0000-01-01T05:45:00+05:45")
    );
    assert_eq!(
        fixed("9999-12-31T18:14:59.5-05:45").as_deref(),
        Ok("9999-12-31T18:14:59.500-05:45")
    );
    assert_eq!(
        fixed("2026-03-01T12:30:00Z").as_deref(),
        Ok("2026-03-01T12:30:00Z")
    );
    assert_eq!(
        fixed("9999-12-31T23:59:59+00:00").as_deref(),
        Ok("9999-12-31T23:59:59Z")
    );
}

#[test]
fn refuses_signed_and_other_than_four_digit_years() {
    for (text, why) in [
        ("+10000-01-01T00:00:00Z", "a signed year"),
        ("-0001-01-01T00:00:00Z", "a signed year"),
        ("+2026-03-01T09:30:00Z", "a signed year"),
        ("-2026-03-01T09:30:00Z", "a signed year"),
        (" +2026-03-01T09:30:00Z", "a signed year"),
        ("10000-01-01T00:00:00Z", "a year of 5 digits"),
        ("999-01-01T00:00:00Z", "a year of 3 digits"),
        ("26-03-01T09:30:00Z", "a year of 2 digits"),
    ] {
        let err = utc(text).unwrap_err();
        assert_eq!(
            err,
            format!(
                "{INSTANT_ERROR_PREFIX} {text:?}: {why}; an RFC 3339 year is 4 digits, 0000–9999"
            )
        );
        assert!(fixed(text).unwrap_err().starts_with(INSTANT_ERROR_PREFIX));
    }
    for text in [
        "-0001-01-01",
        "+2026-03-01",
        "12026-03-01",
        "999-01-01",
        "+10000-01-01",
    ] {
        let err = date(text).unwrap_err();
        assert!(
            err.starts_with(&format!("{DATE_ERROR_PREFIX} {text:?}: ")),
            "{err}"
        );
        assert!(
            err.ends_with("an RFC 3339 year is 4 digits, 0000–9999"),
            "{err}"
        );
    }
}

#[test]
fn refuses_an_instant_that_leaves_0000_to_9999_in_utc() {
    assert_eq!(
        utc("9999-12-31T23:00:00-05:00").unwrap_err(),
        "invalid instant \"9999-12-31T23:00:00-05:00\": in UTC it falls in year 10000; \
         an instant must fall in years 0000–9999"
    );
    assert_eq!(
        fixed("9999-12-31T23:00:00-05:00").unwrap_err(),
        utc("9999-12-31T23:00:00-05:00").unwrap_err()
    );
    assert_eq!(
        utc("0000-01-01T00:00:00+01:00").unwrap_err(),
        "invalid instant \"0000-01-01T00:00:00+01:00\": in UTC it falls in year -1; \
         an instant must fall in years 0000–9999"
    );
}

#[test]
fn refuses_what_chrono_refuses_with_the_prefix() {
    for text in [
        "",
        "now",
        "2026-13-01T00:00:00Z",
        "2026-02-30T00:00:00Z",
        "2026-03-01",
        "2026-03-01T09:30:00",
        "2026-03-01T24:00:00Z",
        "2026-03-01T09:30:00Z trailing",
    ] {
        let err = utc(text).unwrap_err();
        assert!(
            err.starts_with(&format!("{INSTANT_ERROR_PREFIX} {text:?}: ")),
            "{text}: {err}"
        );
        assert!(err.contains("expected RFC 3339"), "{err}");
    }
    let err = date("2026-02-30").unwrap_err();
    assert_eq!(
        err,
        "invalid date \"2026-02-30\": input is out of range (expected YYYY-MM-DD, e.g. \"2026-03-01\")"
    );
    assert!(date("2026-03-01T00:00:00Z").is_err());
}

#[test]
fn quotes_at_most_64_characters_of_a_long_text() {
    let long = format!("+{}", "9".repeat(10_000));
    let err = utc(&long).unwrap_err();
    let shown = format!("{:?}", &long[..64]);
    assert_eq!(
        err,
        format!(
            "{INSTANT_ERROR_PREFIX} {shown}…: a signed year; an RFC 3339 year is 4 digits, 0000–9999"
        )
    );
}

#[test]
fn round_trips_the_first_and_last_years_and_fractions() {
    for text in [
        "0000-01-01T00:00:00Z",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999999Z",
        "2026-03-01T09:30:00.120Z",
        "2026-03-01T09:30:00.000001Z",
    ] {
        let doc: Doc =
            serde_json::from_value(json!({"at": text, "until": text, "local": text})).unwrap();
        let back = serde_json::to_value(&doc).unwrap();
        assert_eq!(back, json!({"at": text, "until": text, "local": text}));
        assert_eq!(serde_json::from_value::<Doc>(back).unwrap(), doc);
    }
    for text in ["0000-01-01", "0001-01-01", "9999-12-31", "2024-02-29"] {
        assert_eq!(date(text).as_deref(), Ok(text));
    }
}

#[test]
fn writes_exactly_what_chrono_writes() {
    let doc: Doc = serde_json::from_value(json!({
        "at": "2026-03-01T12:30:00.250+03:00",
        "until": "2026-03-01T09:30:00Z",
        "local": "2026-03-01T12:30:00+03:00",
    }))
    .unwrap();
    assert_eq!(
        serde_json::to_string(&doc).unwrap(),
        format!(
            r#"{{"at":{},"until":{},"local":{}}}"#,
            serde_json::to_string(&doc.at).unwrap(),
            serde_json::to_string(&doc.until).unwrap(),
            serde_json::to_string(&doc.local).unwrap(),
        )
    );
    assert_eq!(
        serde_json::to_string(&doc).unwrap(),
        r#"{"at":"2026-03-01T09:30:00.250Z","until":"2026-03-01T09:30:00Z","local":"2026-03-01T12:30:00+03:00"}"#
    );
}

#[test]
fn reads_options_and_lists() {
    let trip: Trip = serde_json::from_value(json!({
        "departure": "2026-03-01T12:30:00+03:00",
        "day": "2026-03-01",
        "dates": ["2026-03-01", "2026-03-02"],
    }))
    .unwrap();
    assert_eq!(trip.arrival, None);
    assert_eq!(trip.birth, None);
    assert_eq!(
        trip.dates,
        vec![
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
        ]
    );
    let back = serde_json::to_value(&trip).unwrap();
    assert_eq!(
        back,
        json!({
            "departure": "2026-03-01T12:30:00+03:00",
            "arrival": null,
            "day": "2026-03-01",
            "birth": null,
            "dates": ["2026-03-01", "2026-03-02"],
        })
    );
    assert_eq!(serde_json::from_value::<Trip>(back).unwrap(), trip);

    let trip: Trip = serde_json::from_str(
        r#"{"departure": "2026-03-01T12:30:00+03:00", "arrival": "2026-03-01T15:00:00+04:00",
            "day": "2026-03-01", "birth": "1990-05-17", "dates": []}"#,
    )
    .unwrap();
    assert_eq!(
        trip.arrival.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-03-01T15:00:00+04:00")
    );
    assert_eq!(trip.birth, NaiveDate::from_ymd_opt(1990, 5, 17));
}

/// The error serde reports for `doc`, without its position.
fn error_of<T: serde::de::DeserializeOwned + std::fmt::Debug>(doc: Value) -> String {
    serde_json::from_value::<T>(doc).unwrap_err().to_string()
}

#[test]
fn refuses_inside_options_and_lists_and_other_types() {
    let base = json!({"departure": "2026-03-01T12:30:00+03:00", "day": "2026-03-01"});
    let with = |key: &str, v: Value| {
        let mut d = base.clone();
        d[key] = v;
        d
    };
    assert_eq!(
        error_of::<Trip>(with("birth", json!("-0001-01-01"))),
        "invalid date \"-0001-01-01\": a signed year; an RFC 3339 year is 4 digits, 0000–9999"
    );
    assert!(
        error_of::<Trip>(with("dates", json!(["2026-03-01", "+10000-01-01"])))
            .starts_with("invalid date \"+10000-01-01\": a signed year")
    );
    assert!(
        error_of::<Trip>(with("arrival", json!("+10000-01-01T00:00:00+00:00")))
            .starts_with("invalid instant \"+10000-01-01T00:00:00+00:00\": a signed year")
    );
    assert!(
        error_of::<Trip>(with("departure", json!("10000-01-01T00:00:00Z")))
            .starts_with("invalid instant \"10000-01-01T00:00:00Z\": a year of 5 digits")
    );
    assert_eq!(
        error_of::<Trip>(with("day", json!(20260301))),
        "invalid type: integer `20260301`, expected a formatted date string"
    );
    assert_eq!(
        error_of::<Trip>(with("departure", json!(null))),
        "invalid type: null, expected an RFC 3339 formatted date and time string"
    );
    assert_eq!(
        error_of::<Trip>(with("dates", json!("2026-03-01"))),
        "invalid type: string \"2026-03-01\", expected a list, each element a formatted date string"
    );
    // `null` is `None` for an optional field.
    let trip: Trip = serde_json::from_value(with("arrival", Value::Null)).unwrap();
    assert_eq!(trip.arrival, None);
}

#[test]
fn refuses_a_signed_year_read_from_json_text() {
    let err = serde_json::from_str::<Doc>(
        r#"{"at": "+10000-01-01T00:00:00Z", "local": "2026-03-01T12:30:00+03:00"}"#,
    )
    .unwrap_err();
    assert!(err.is_data());
    assert_eq!(
        err.to_string(),
        "invalid instant \"+10000-01-01T00:00:00Z\": a signed year; \
         an RFC 3339 year is 4 digits, 0000–9999 at line 1 column 31"
    );
}
