//! Fingerprints: equal inputs give equal fingerprints; any change of rules, request or
//! result changes them; formatting of the rulebook JSON does not.

use rihla_pricing::{QuoteRequest, Rulebook, DEFAULT_RULEBOOK_JSON};
use serde_json::{json, Value};

fn request(price: &str, fingerprint: bool) -> QuoteRequest {
    QuoteRequest::from_value(json!({"currency": "SAR", "now": "2026-11-22T09:00:00Z", "fingerprint": fingerprint,
        "items": [{"id": "H", "category": "HOTEL", "country": "SA", "quantity": 2, "unit_price": price}]}))
    .unwrap()
}

#[test]
fn quote_fingerprint_is_opt_in_stable_and_sensitive() {
    let rb = Rulebook::default_rulebook().unwrap();
    assert_eq!(
        rb.quote(&request("650.00", false)).unwrap().fingerprint,
        None
    );
    let a = rb
        .quote(&request("650.00", true))
        .unwrap()
        .fingerprint
        .unwrap();
    let b = rb
        .quote(&request("650.00", true))
        .unwrap()
        .fingerprint
        .unwrap();
    assert_eq!(a, b);
    assert_eq!(a.len(), 64);
    assert!(a
        .bytes()
        .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    let c = rb
        .quote(&request("650.01", true))
        .unwrap()
        .fingerprint
        .unwrap();
    assert_ne!(a, c);
    let json = rb.quote(&request("650.00", true)).unwrap().to_value();
    assert_eq!(json["fingerprint"], Value::from(a.clone()));

    // The same rules with another VAT rate: another rulebook fingerprint, another quote's.
    let mut doc: Value = serde_json::from_str(DEFAULT_RULEBOOK_JSON).unwrap();
    doc["taxes"][0]["rate"] = json!("5");
    let other = Rulebook::from_value(doc).unwrap();
    assert_ne!(other.fingerprint(), rb.fingerprint());
    assert_ne!(
        other
            .quote(&request("650.00", true))
            .unwrap()
            .fingerprint
            .unwrap(),
        a
    );
}

#[test]
fn rulebook_fingerprint_ignores_formatting() {
    let pretty = Rulebook::from_json(DEFAULT_RULEBOOK_JSON).unwrap();
    let compact: Value = serde_json::from_str(DEFAULT_RULEBOOK_JSON).unwrap();
    let compact = Rulebook::from_json(&serde_json::to_string(&compact).unwrap()).unwrap();
    assert_eq!(pretty.fingerprint(), compact.fingerprint());
}
