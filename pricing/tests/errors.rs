//! Bad input gets a typed error with a stable code and the deciding values, never a panic.

use rihla_pricing::{limits, Error, QuoteRequest, Rulebook};
use serde_json::json;

fn request_error(text: &str) -> Error {
    QuoteRequest::from_json(text).expect_err("must be refused")
}

#[test]
fn malformed_json_names_line_and_column() {
    let e = request_error("{\"currency\": \"SAR\",\n \"items\": [}");
    assert_eq!(e.code(), "INVALID_JSON");
    assert!(matches!(e, Error::InvalidJson { line: 2, .. }), "{e:?}");
    let e = request_error("");
    assert_eq!(e.code(), "INVALID_JSON", "{e:?}");
    let complete = r#"{"currency": "SAR", "now": "2026-11-22T00:00:00Z", "items": []}"#;
    assert_eq!(
        request_error(&format!("{complete} trailing")).code(),
        "INVALID_JSON"
    );
    assert_eq!(
        Rulebook::from_json("{\"version\": ").unwrap_err().code(),
        "INVALID_JSON"
    );
}

#[test]
fn missing_and_unknown_fields_are_named() {
    let e = request_error(r#"{"currency": "SAR", "items": []}"#);
    assert_eq!(e.code(), "INVALID_REQUEST");
    assert!(e.to_string().contains("now"), "{e}");
    let e = request_error(
        r#"{"currency": "SAR", "now": "2026-11-22T00:00:00Z", "items": [], "coupon": "X"}"#,
    );
    assert_eq!(e.to_value()["field"], "coupon");
}

#[test]
fn naive_or_malformed_instants_are_refused() {
    let e = request_error(r#"{"currency": "SAR", "now": "2026-11-22T10:00:00", "items": []}"#);
    assert_eq!(e.code(), "INVALID_REQUEST");
    assert_eq!(e.to_value()["field"], "now");
}

#[test]
fn size_limits() {
    let big = " ".repeat(limits::MAX_REQUEST_BYTES + 1);
    let e = request_error(&big);
    assert_eq!(
        e,
        Error::LimitExceeded {
            field: "request bytes".into(),
            limit: limits::MAX_REQUEST_BYTES,
            actual: big.len()
        }
    );
    let items: Vec<_> = (0..=limits::MAX_ITEMS)
        .map(|i| json!({"id": format!("I{i}"), "category": "HOTEL", "unit_price": "1.00"}))
        .collect();
    let req = QuoteRequest::from_value(
        json!({"currency": "SAR", "now": "2026-11-22T00:00:00Z", "items": items}),
    )
    .unwrap();
    let e = Rulebook::default_rulebook()
        .unwrap()
        .quote(&req)
        .unwrap_err();
    assert_eq!(e.code(), "LIMIT_EXCEEDED");
    assert_eq!(e.to_value()["actual"], limits::MAX_ITEMS + 1);
    let long_id = "X".repeat(limits::MAX_ID_CHARS + 1);
    let req = QuoteRequest::from_value(
        json!({"currency": "SAR", "now": "2026-11-22T00:00:00Z", "items": [{"id": long_id, "category": "HOTEL", "unit_price": "1.00"}]}),
    )
    .unwrap();
    assert_eq!(
        Rulebook::default_rulebook()
            .unwrap()
            .quote(&req)
            .unwrap_err()
            .to_value()["field"],
        "items[0].id"
    );
}

#[test]
fn overflow_is_an_error_not_a_panic() {
    let req = QuoteRequest::from_value(json!({"currency": "JPY", "now": "2026-11-22T00:00:00Z",
        "items": [{"id": "A", "category": "HOTEL", "quantity": 10000, "unit_price": "79228162514264337593543950335"}]}))
    .unwrap();
    let rulebook = Rulebook::from_value(json!({"version": "x"})).unwrap();
    let e = rulebook.quote(&req).unwrap_err();
    assert_eq!(e.code(), "OVERFLOW");
    assert_eq!(e.to_value()["field"], "items[0].unit_price");
    assert_eq!(e.to_value()["max"], "1000000000000000");
}

#[test]
fn a_rulebook_that_fails_to_load_does_not_exist() {
    for (doc, code) in [
        (json!({"version": ""}), "INVALID_RULEBOOK"),
        (
            json!({"version": "x", "vouchers": [{"id": "V", "code": "C", "type": "DISCOUNT_FIXED", "value": "5.00"}]}),
            "INVALID_RULEBOOK",
        ),
        (
            json!({"version": "x", "vouchers": [{"id": "V", "code": "C", "type": "DISCOUNT_FIXED", "value": "5.001", "currency": "SAR"}]}),
            "INVALID_AMOUNT",
        ),
        (
            json!({"version": "x", "offers": [{"id": "O", "type": "DISCOUNT_PERCENTAGE", "value": "5", "valid_from": "2027-01-01T00:00:00Z", "valid_until": "2026-01-01T00:00:00Z"}]}),
            "INVALID_RULEBOOK",
        ),
        (
            json!({"version": "x", "offers": [{"id": "O", "type": "DISCOUNT_PERCENTAGE", "value": "5", "max_discount": {"amount": "1", "currency": "ABC"}}]}),
            "UNKNOWN_CURRENCY",
        ),
        (
            json!({"version": "x", "membership": {"plans": []}}),
            "INVALID_RULEBOOK",
        ),
        (
            json!({"version": "x", "membership": {"points_unit": "0", "plans": []}}),
            "RATE_OUT_OF_RANGE",
        ),
        (
            json!({"version": "x", "taxes": [{"id": "T", "code": "VAT", "rate": 15}]}),
            "INVALID_AMOUNT",
        ),
    ] {
        let e = Rulebook::from_value(doc.clone()).expect_err("must be refused");
        assert_eq!(e.code(), code, "{doc}: {e}");
        assert_eq!(e.to_value()["code"], code);
        assert!(e.to_value()["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
}

#[test]
fn the_default_rulebook_round_trips() {
    let rb = Rulebook::default_rulebook().unwrap();
    assert_eq!(rb.version(), "rihla-default-2026-11.3");
    let again = Rulebook::from_json(&rb.to_json()).unwrap();
    assert_eq!(again.doc(), rb.doc());
}

#[test]
fn charter_errors_join_the_error_tree() {
    let jet = rihla_pricing::jet::lookup("ZZZ").unwrap_err();
    let e = Error::from(jet);
    assert_eq!(e.code(), "UNKNOWN_AIRPORT");
    assert_eq!(e.to_value()["code"], "UNKNOWN_AIRPORT");
    assert_eq!(e.to_value()["airport"], "ZZZ");
}
