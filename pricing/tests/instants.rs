//! Instants and dates a request or rulebook carries are RFC 3339, years 0000–9999: a signed
//! or five-digit year (which chrono alone would read, and echo as `+10000-…`) is refused
//! where it is read, with the code of its document and the field's path.

use rihla_core::time::{DATE_ERROR_PREFIX, INSTANT_ERROR_PREFIX};
use rihla_pricing::jet::Itinerary;
use rihla_pricing::{EntitlementRequest, Error, QuoteRequest, Rulebook, UpgradeRequest};
use serde_json::{json, Value};

fn request(now: &str) -> Value {
    json!({"currency": "SAR", "now": now,
           "items": [{"id": "A", "category": "HOTEL", "unit_price": "1.00"}]})
}

/// `(code, field, reason)` of an error.
fn parts(e: &Error) -> (String, String, String) {
    let v = e.to_value();
    let text = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
    (text("code"), text("field"), text("reason"))
}

#[test]
fn a_request_now_past_9999_is_invalid_request_naming_now() {
    let e = QuoteRequest::from_value(request("+10000-01-01T00:00:00Z")).unwrap_err();
    assert_eq!(
        parts(&e),
        (
            "INVALID_REQUEST".into(),
            "now".into(),
            "invalid instant \"+10000-01-01T00:00:00Z\": a signed year; \
             an RFC 3339 year is 4 digits, 0000–9999"
                .into()
        )
    );
    // The same through the JSON text (no position in the reason).
    let e = QuoteRequest::from_json(&request("+10000-01-01T00:00:00Z").to_string()).unwrap_err();
    assert_eq!(parts(&e).1, "now");
    assert!(parts(&e).2.ends_with("0000–9999"), "{e}");
}

#[test]
fn other_years_outside_four_digits_are_refused_too() {
    for (now, why) in [
        ("-0001-01-01T00:00:00Z", "a signed year"),
        ("+2026-11-22T09:00:00Z", "a signed year"),
        ("10000-01-01T00:00:00Z", "a year of 5 digits"),
        ("999-01-01T00:00:00Z", "a year of 3 digits"),
        ("9999-12-31T23:00:00-05:00", "in UTC it falls in year 10000"),
        ("0000-01-01T00:30:00+01:00", "in UTC it falls in year -1"),
    ] {
        let e = QuoteRequest::from_value(request(now)).unwrap_err();
        let (code, field, reason) = parts(&e);
        assert_eq!((code.as_str(), field.as_str()), ("INVALID_REQUEST", "now"));
        assert!(
            reason.starts_with(&format!("{INSTANT_ERROR_PREFIX} {now:?}: {why}")),
            "{reason}"
        );
    }
}

#[test]
fn the_first_and_last_years_still_quote() {
    let rulebook = Rulebook::from_value(json!({"version": "x"})).unwrap();
    for now in [
        "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999999Z",
        "9999-12-31T20:59:59-03:00",
        "2026-11-22t12:00:00.5+03:00",
    ] {
        let req = QuoteRequest::from_value(request(now)).unwrap();
        let quote = rulebook.quote(&req).unwrap().to_value();
        assert_eq!(quote["final_amount"], "1.00", "{now}");
    }
}

#[test]
fn a_rulebook_offer_valid_until_past_9999_is_invalid_rulebook_naming_it() {
    let e = Rulebook::from_value(json!({"version": "x", "offers": [
        {"id": "O", "type": "DISCOUNT_PERCENTAGE", "value": "5",
         "valid_until": "+10000-01-01T00:00:00Z"}]}))
    .unwrap_err();
    assert_eq!(
        parts(&e),
        (
            "INVALID_RULEBOOK".into(),
            "offers[0].valid_until".into(),
            "invalid instant \"+10000-01-01T00:00:00Z\": a signed year; \
             an RFC 3339 year is 4 digits, 0000–9999"
                .into()
        )
    );
    // A voucher's and a tax's windows too.
    let e = Rulebook::from_value(json!({"version": "x", "vouchers": [
        {"id": "V", "code": "C", "type": "DISCOUNT_PERCENTAGE", "value": "5",
         "valid_from": "-0001-01-01T00:00:00Z"}]}))
    .unwrap_err();
    assert_eq!(
        (parts(&e).0, parts(&e).1),
        ("INVALID_RULEBOOK".into(), "vouchers[0].valid_from".into())
    );
    let e = Rulebook::from_value(json!({"version": "x", "taxes": [
        {"id": "T", "code": "VAT", "rate": "15", "valid_until": "12026-01-01T00:00:00Z"}]}))
    .unwrap_err();
    assert_eq!(
        (parts(&e).0, parts(&e).1),
        ("INVALID_RULEBOOK".into(), "taxes[0].valid_until".into())
    );
}

#[test]
fn a_birth_date_with_a_signed_year_is_refused() {
    let e = QuoteRequest::from_value(json!({
        "currency": "SAR", "now": "2026-11-22T09:00:00Z",
        "items": [{"id": "F", "category": "FLIGHT", "fare": {"adt": "1000.00"},
                   "segments": [{"origin": "JED", "destination": "CAI", "origin_country": "SA",
                                 "destination_country": "EG",
                                 "departure": "2026-12-20T09:00:00+03:00"}],
                   "passengers": [{"id": "P1", "birth_date": "-0001-01-01"}]}]}))
    .unwrap_err();
    assert_eq!(
        parts(&e),
        (
            "INVALID_REQUEST".into(),
            "items[0].passengers[0].birth_date".into(),
            format!(
                "{DATE_ERROR_PREFIX} \"-0001-01-01\": a signed year; \
                 an RFC 3339 year is 4 digits, 0000–9999"
            )
        )
    );
}

#[test]
fn a_segment_departure_and_a_start_date_are_read_strictly() {
    let mut req = request("2026-11-22T09:00:00Z");
    req["items"][0]["start_date"] = json!("+2026-12-01");
    let e = QuoteRequest::from_value(req).unwrap_err();
    assert_eq!(
        (parts(&e).0, parts(&e).1),
        ("INVALID_REQUEST".into(), "items[0].start_date".into())
    );
    let e = QuoteRequest::from_value(json!({
        "currency": "SAR", "now": "2026-11-22T09:00:00Z",
        "items": [{"id": "F", "category": "FLIGHT", "fare": {"adt": "1000.00"},
                   "segments": [{"origin": "JED", "destination": "CAI", "origin_country": "SA",
                                 "destination_country": "EG",
                                 "departure": "+10000-12-20T09:00:00+03:00"}]}]}))
    .unwrap_err();
    assert_eq!(
        (parts(&e).0, parts(&e).1),
        (
            "INVALID_REQUEST".into(),
            "items[0].segments[0].departure".into()
        )
    );
}

#[test]
fn membership_requests_read_strictly() {
    let e = EntitlementRequest::from_value(json!({
        "tier": "GOLD", "code": "LOUNGE_PASS", "used": 0,
        "now": "2026-11-22T09:00:00Z", "period_anchor": "+10000-01-31T10:00:00Z"}))
    .unwrap_err();
    assert_eq!(
        (parts(&e).0, parts(&e).1),
        ("INVALID_REQUEST".into(), "period_anchor".into())
    );
    let e = UpgradeRequest::from_value(json!({
        "from": "GOLD", "to": "PLATINUM", "subscription_start": "2028-01-01",
        "subscription_end": "+10000-01-01", "now": "2028-07-02T09:00:00Z"}))
    .unwrap_err();
    assert_eq!(
        (parts(&e).0, parts(&e).1),
        ("INVALID_REQUEST".into(), "subscription_end".into())
    );
    assert!(parts(&e).2.starts_with(DATE_ERROR_PREFIX), "{e}");
}

#[test]
fn a_charter_itinerary_reads_strictly() {
    let itinerary = |departure: &str, booking_end: &str| {
        json!({
            "aircraft": {"id": "HZ-MID1", "category": "MIDSIZE", "home_base": "RUH",
                         "hourly_rate": {"amount": "24000.00", "currency": "SAR"}},
            "legs": [{"from": "RUH", "to": "JED", "departure": departure, "passengers": 2}],
            "airports": [{"code": "RUH", "lat": "24.9576", "lon": "46.6988", "country": "SA"},
                         {"code": "JED", "lat": "21.6796", "lon": "39.1565", "country": "SA"}],
            "availability": {"bookings": [{"id": "BK-77", "start": "2026-12-08T11:00:00Z",
                                           "end": booking_end}]}
        })
    };
    let ok = Itinerary::from_value(itinerary(
        "2026-12-08T10:00:00+03:00",
        "2026-12-08T13:00:00Z",
    ));
    assert!(ok.is_ok(), "{ok:?}");
    let e = Itinerary::from_value(itinerary(
        "+10000-12-08T10:00:00+03:00",
        "2026-12-08T13:00:00Z",
    ))
    .unwrap_err();
    assert_eq!(
        (parts(&e).0, parts(&e).1),
        ("INVALID_REQUEST".into(), "legs[0].departure".into())
    );
    let e = Itinerary::from_value(itinerary(
        "2026-12-08T10:00:00+03:00",
        "10000-01-01T00:00:00Z",
    ))
    .unwrap_err();
    assert_eq!(
        (parts(&e).0, parts(&e).1),
        (
            "INVALID_REQUEST".into(),
            "availability.bookings[0].end".into()
        )
    );
}

#[test]
fn rulebook_dates_read_strictly() {
    let e = Rulebook::from_value(json!({"version": "x", "charter": {"surcharges": [
        {"kind": "HOLIDAY", "percent": "10", "dates": ["2026-12-25", "-2026-12-31"]}]}}))
    .unwrap_err();
    let (code, field, reason) = parts(&e);
    assert_eq!(code, "INVALID_RULEBOOK", "{e}");
    assert_eq!(field, "charter.surcharges[0].dates[1]");
    assert!(reason.starts_with(DATE_ERROR_PREFIX), "{reason}");
}
